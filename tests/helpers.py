"""Small helpers for tests: the admin's form data and URLs, dates, logging in. Test pages are
made with the factories in tests/factories.py."""

import datetime as dt

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from experiments.models import MunicipalityExperimentsPage
from vocabulary.models import ExperimentType, Theme


def experiments_parent(municipality_slug: str) -> MunicipalityExperimentsPage:
    return MunicipalityExperimentsPage.objects.get(municipality__slug=municipality_slug)


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

    return reverse(
        "wagtailadmin_pages:add",
        args=["kennisbank", "evaluationpage", EvaluationIndexPage.objects.get().pk],
    )


def current_code(device) -> str:
    """The code an authenticator app shows now for `device` (django-otp's TOTP, the RFC 6238
    computation any app does), one step on if this step's code was used already."""
    from django_otp.oath import TOTP

    totp = TOTP(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    if totp.t() <= device.last_t:
        totp.drift = device.last_t + 1 - totp.t() + device.drift
    return f"{totp.token():0{device.digits}d}"


def log_in(client, user):
    """Log `user` in as the admin does it: the password step (force_login), then, for whom the
    second step is required, an authenticator app enrolled and a real code from it entered in
    the real verification view. Returns the TOTP device (or None)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from security import twofactor

    client.force_login(user)
    if not (twofactor.is_required(user) or twofactor.is_enrolled(user)):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = twofactor.pending_device(user)
        twofactor.confirm(device)
    response = client.post(reverse("security_2fa_verify"), {"code": current_code(device)})
    assert response.status_code == 302 and "2fa" not in response["Location"], response
    device.refresh_from_db()
    return device
