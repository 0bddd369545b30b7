"""Small builders for tests: pages made the way the admin makes them."""

import datetime as dt

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from experiments.models import ExperimentPage, MunicipalityExperimentsPage
from vocabulary.models import ExperimentType, Neighbourhood, Theme


def add_page(parent, page, publish=False):
    """Add `page` under `parent` as a draft with a revision, as the admin does, and publish
    that revision if asked."""
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def experiments_parent(municipality_slug: str) -> MunicipalityExperimentsPage:
    return MunicipalityExperimentsPage.objects.get(municipality__slug=municipality_slug)


def new_experiment(municipality_slug="rotterdam", wijk_slug="crooswijk", title="Testexperiment",
                   publish=False, **fields) -> ExperimentPage:
    """An experiment created in the tree as a draft (or published through a revision)."""
    parent = experiments_parent(municipality_slug)
    page = ExperimentPage(
        title=title,
        summary=fields.pop("summary", "Een testexperiment."),
        experiment_type=fields.pop("experiment_type", ExperimentType.objects.get(slug="gezinscoach")),
        live=False,
        **fields,
    )
    page.neighbourhoods = [Neighbourhood.objects.get(municipality__slug=municipality_slug, slug=wijk_slug)]
    page.themes = [Theme.objects.get(slug="veiligheid")]
    return add_page(parent, page, publish)


def experiment_form_data(neighbourhoods, **overrides) -> dict:
    """POST data for the admin's experiment form (all tabs)."""
    data = {
        "title": "Stadsmarinier in de test",
        "slug": "stadsmarinier-in-de-test",
        "summary": "Een experiment om het formulier te testen.",
        "experiment_type": ExperimentType.objects.get(slug="stadsmarinier").pk,
        "status": "lopend",
        "start_date": "2009-01-01",
        "planned_end_date": "2011-01-01",
        "end_date": "",
        "stop_reason": "",
        "tags": "",
        "problem_analysis": rich_text(""),
        "goals": rich_text(""),
        "activities": rich_text(""),
        "target_group": "",
        "mandate": rich_text(""),
        "research_design": rich_text(""),
        "obstacles": rich_text(""),
        "request_to_government": rich_text(""),
        "contact_name": "",
        "contact_organisation": "",
        "contact_email": "",
        "partners": inline_formset([]),
        "documents": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    data = nested_form_data(data)
    # Multiple-choice fields go in as lists; nested_form_data would flatten them.
    data["neighbourhoods"] = [n.pk for n in neighbourhoods]
    data["themes"] = [Theme.objects.get(slug="veiligheid").pk]
    return data


def add_experiment_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["experiments", "experimentpage", parent.pk])


def a_date(year, month=1, day=1):
    return dt.date(year, month, day)


def evaluation_form_data(experiments=(), practices=(), **overrides) -> dict:
    """POST data for the admin's evaluation form."""
    data = {
        "title": "Evaluatie in de test",
        "slug": "evaluatie-in-de-test",
        "summary": "Een evaluatie om het formulier te testen.",
        "kind": "procesevaluatie",
        "method": "kwalitatief",
        "evaluator": "Testbureau",
        "knowledge_centre": "",
        "publication_date": "",
        "recognition_level": "",
        "findings": rich_text(""),
        "report": "",
        "tags": "",
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    data = nested_form_data(data)
    data["experiments"] = [e.pk for e in experiments]
    data["practices"] = [p.pk for p in practices]
    return data


def add_evaluation_url() -> str:
    from kennisbank.models import EvaluationIndexPage

    return reverse("wagtailadmin_pages:add", args=["kennisbank", "evaluationpage", EvaluationIndexPage.objects.get().pk])
