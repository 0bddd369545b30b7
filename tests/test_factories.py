"""The factories make what tests/factories.py promises: pages in the existing tree, drafts with a
revision, published pages through the publish path, vocabulary found rather than invented."""

import pytest

from experiments.models import MunicipalityExperimentsPage
from tests.factories import (
    BarrierPageFactory,
    CharterPageFactory,
    EvaluationPageFactory,
    ExperimentPageFactory,
    ExpertisePageFactory,
    MunicipalityExperimentsPageFactory,
    NeighbourhoodActionPlanPageFactory,
    PracticePageFactory,
    ThemeFactory,
)
from vocabulary.models import Municipality, Theme

pytestmark = pytest.mark.django_db


def test_the_tree_and_the_vocabulary_are_found_not_doubled():
    themes, sections = Theme.objects.count(), MunicipalityExperimentsPage.objects.count()
    section = MunicipalityExperimentsPageFactory(gemeente="utrecht")
    assert section == MunicipalityExperimentsPage.objects.get(municipality__slug="utrecht")
    assert ThemeFactory(slug="wonen") == Theme.objects.get(slug="wonen")
    assert (Theme.objects.count(), MunicipalityExperimentsPage.objects.count()) == (
        themes,
        sections,
    )
    assert Municipality.objects.filter(slug="utrecht").count() == 1


def test_a_draft_has_a_revision_and_a_published_experiment_is_registered():
    draft = ExperimentPageFactory(gemeente="amsterdam", wijk="bos-en-lommer")
    assert not draft.live and draft.revisions.count() == 1
    assert draft.municipality.slug == "amsterdam"
    assert [n.slug for n in draft.neighbourhoods.all()] == ["bos-en-lommer"]
    assert not hasattr(draft, "registration")

    page = ExperimentPageFactory(title="Gepubliceerd door de factory", published=True)
    assert page.live and page.live_revision_id and page.registration.number
    assert page.slug == "gepubliceerd-door-de-factory"

    filled = ExperimentPageFactory(filled=True, published=True)
    assert set(filled.tags.names()) == {"mandaat", "samenwerking"}
    assert filled.partners.count() == 2 and filled.image and filled.contact_email


def test_each_content_type_is_made_in_its_section():
    practice = PracticePageFactory(gemeente="groningen", wijk="de-hoogte", published=True)
    expertise = ExpertisePageFactory(centre="kei", published=True)
    evaluation = EvaluationPageFactory(practices=[practice], published=True)
    assert practice.live and practice.municipality.slug == "groningen"
    assert [n.slug for n in practice.neighbourhoods.all()] == ["de-hoogte"]
    assert expertise.live and expertise.knowledge_centre.slug == "kei"
    assert evaluation.live and list(evaluation.practices.all()) == [practice]


def test_the_programme_pages_are_made_in_their_sections():
    plan = NeighbourhoodActionPlanPageFactory(
        gemeente="utrecht", wijk="kanaleneiland", published=True
    )
    charter = CharterPageFactory(gemeente="utrecht", published=True)
    experiment = ExperimentPageFactory(gemeente="utrecht", wijk="kanaleneiland", published=True)
    barrier = BarrierPageFactory(experiments=[experiment], action_plans=[plan], published=True)
    assert plan.live and plan.municipality.slug == "utrecht"
    assert plan.url == "/wijkactieplannen/utrecht/" + plan.slug + "/"
    assert [g.code for g in plan.goals.all()] == [a.goal_code for a in plan.activities.all()]
    assert charter.municipality == plan.municipality and charter.commitments.count() == 2
    assert barrier.url.startswith("/belemmeringen/")
    assert list(barrier.experiments.all()) == [experiment]
    assert list(plan.barriers.all()) == [barrier]
