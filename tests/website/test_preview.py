"""Editors preview pages before they exist: a page that was never saved must render too."""

import pytest

from experiments.models import ExperimentPage
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from tests.factories import ExperimentPageFactory, PracticePageFactory
from vocabulary.models import ExperimentType, KnowledgeCentre, Municipality, Neighbourhood, Theme

pytestmark = pytest.mark.django_db


def _unsaved_pages():
    rotterdam = Municipality.objects.get(slug="rotterdam")
    crooswijk = Neighbourhood.objects.get(municipality=rotterdam, slug="crooswijk")
    theme = Theme.objects.get(slug="wonen")
    gezinscoach = ExperimentType.objects.get(slug="gezinscoach")
    experiment = ExperimentPage(
        title="Voorbeeld",
        slug="voorbeeld",
        summary="Nog niet opgeslagen.",
        municipality=rotterdam,
        experiment_type=gezinscoach,
    )
    experiment.neighbourhoods = [crooswijk]
    experiment.themes = [theme]
    practice = PracticePage(
        title="Voorbeeldpraktijk", slug="vp", summary="Nog niet opgeslagen.", municipality=rotterdam
    )
    practice.neighbourhoods = [crooswijk]
    practice.themes = [theme]
    evaluation = EvaluationPage(
        title="Voorbeeldevaluatie",
        slug="ve",
        summary="Nog niet opgeslagen.",
        kind="procesevaluatie",
        method="kwalitatief",
        evaluator="Iemand",
    )
    evaluation.experiments = [ExperimentPageFactory(published=True)]
    evaluation.practices = [PracticePageFactory(wijk="crooswijk", published=True)]
    expertise = ExpertisePage(
        title="Voorbeelddossier",
        slug="vd",
        summary="Nog niet opgeslagen.",
        kind="dossier",
        knowledge_centre=KnowledgeCentre.objects.get(slug="movisie"),
    )
    expertise.themes = [theme]
    return [experiment, practice, evaluation, expertise]


@pytest.mark.parametrize("index", range(4))
def test_a_page_that_was_never_saved_can_be_previewed(index):
    page = _unsaved_pages()[index]
    response = page.make_preview_request()
    assert response.status_code == 200
    assert page.title in response.content.decode()
