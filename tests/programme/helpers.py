"""POST data for the admin's plan and charter forms, and where to post them."""

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from programme.models import MunicipalityProgrammePage
from vocabulary.models import Theme


def programme_parent(municipality_slug: str) -> MunicipalityProgrammePage:
    return MunicipalityProgrammePage.objects.get(municipality__slug=municipality_slug)


def add_url(parent, model: str) -> str:
    return reverse("wagtailadmin_pages:add", args=["programme", model, parent.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def goal(code="werkloosheid", **overrides) -> dict:
    row = {
        "theme": Theme.objects.get(slug="werken").pk,
        "code": code,
        "goal": "Meer bewoners aan het werk",
        "indicator": "Werkloosheid",
        "unit": "%",
        "direction": "lager",
        "baseline_year": 2007,
        "baseline_value": "14",
        "target_year": 2015,
        "target_value": "8",
        "source": "CBS",
    }
    row.update(overrides)
    return row


def activity(goal_code="werkloosheid", **overrides) -> dict:
    row = {
        "goal_code": goal_code,
        "description": "Werkcoaches in de wijk",
        "partner": "UWV",
        "partner_role": "",
        "unit": "trajecten",
        "planned_quantity": "200",
        "realised_quantity": "",
        "budget": "",
    }
    row.update(overrides)
    return row


def plan_form_data(neighbourhoods, goals=None, activities=None, **overrides) -> dict:
    data = {
        "title": "Wijkactieplan in de test",
        "slug": "wijkactieplan-in-de-test",
        "summary": "Een plan om het formulier te testen.",
        "adopted_on": "2008-03-01",
        "period_start": "2008",
        "period_end": "2017",
        "problem_analysis": rich_text(""),
        "goals": inline_formset([goal()] if goals is None else goals),
        "activities": inline_formset([activity()] if activities is None else activities),
        "residents_budget": "",
        "residents_budget_note": "",
        "requests_to_government": rich_text(""),
        "change_note": "",
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    experiments = data.pop("experiments", [])
    data = nested_form_data(data)
    data["neighbourhoods"] = [n.pk for n in neighbourhoods]
    data["experiments"] = [e.pk for e in experiments]
    return data


def commitment(party="gemeente", **overrides) -> dict:
    row = {
        "party": party,
        "partner": "",
        "theme": Theme.objects.get(slug="werken").pk,
        "commitment": "Meer werk in de wijk.",
        "goal_code": "",
    }
    row.update(overrides)
    return row


def charter_form_data(commitments=None, **overrides) -> dict:
    data = {
        "title": "Charter in de test",
        "slug": "charter-in-de-test",
        "summary": "De afspraken.",
        "signed_on": "2007-11-01",
        "signatories": inline_formset(
            [{"party": "rijk", "name": "Minister", "function": "minister", "organisation": ""}]
        ),
        "commitments": inline_formset([commitment()] if commitments is None else commitments),
        "change_note": "",
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def field_errors(response) -> dict[str, list[str]]:
    """{field name: messages} of the page form and its inline rows ("goals-0-code")."""
    form = response.context["form"]
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    for prefix, formset in form.formsets.items():
        for index, row in enumerate(formset.forms):
            for name, errs in row.errors.items():
                errors[f"{prefix}-{index}-{name}"] = [str(e) for e in errs]
    return errors
