"""Prepares the database of the site the browser tests drive (run in its own process by the
live_site fixture of tests/conftest.py, with DJANGO_SETTINGS_MODULE=website.settings.test and
DATABASE_URL pointing at a fresh temporary SQLite file): migrations, the demo content, the roles, the test users and one
published amendment so an experiment has a history to read. The moderator has an
authenticator app (two-step verification is required for moderators).

Prints one line of JSON with what the tests need to know (ids, slugs, names)."""

import io
import json
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
os.chdir(PROJECT_DIR)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

PASSWORD = "browser-test-wachtwoord"
EDITOR_GEMEENTE = os.environ.get("BROWSER_EDITOR_GEMEENTE", "rotterdam")


def main():
    quiet = io.StringIO()  # only the JSON line goes to stdout
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_demo", size=140, seed=2007, verbosity=0, stdout=quiet)
    call_command("setup_roles", verbosity=0, stdout=quiet)

    from django.contrib.auth import get_user_model
    from django.utils.translation import override

    from editorial.models import SectionGroup
    from experiments.models import ExperimentPage, MunicipalityExperimentsPage, Registration

    User = get_user_model()
    editor_section = SectionGroup.objects.select_related("group", "municipality").get(
        municipality__slug=EDITOR_GEMEENTE
    )
    editor = User.objects.create_user(
        "gemeente-redacteur",
        email="gemeente-redacteur@example.org",
        password=PASSWORD,
        first_name="Gea",
        last_name="Gemeente",
    )
    editor.groups.add(editor_section.group)
    moderator = User.objects.create_user(
        "moderator",
        email="moderator@example.org",
        password=PASSWORD,
        first_name="Mo",
        last_name="Derator",
    )
    moderator.groups.add(SectionGroup.objects.get(kind=SectionGroup.Kind.MODERATORS).group)
    # Moderators must log in with a second factor: the moderator has an authenticator app, whose
    # key the tests use to compute the codes the app would show.
    from security import twofactor

    authenticator = twofactor.pending_device(moderator)
    twofactor.confirm(authenticator)

    # One more published amendment: the first registered experiment gets a new summary.
    registration = Registration.objects.select_related("page").order_by("number").first()
    original_summary = registration.versions.order_by("number").first().data["summary"]
    page = ExperimentPage.objects.get(pk=registration.page_id)
    old_summary = page.summary
    page.summary = page.summary.rstrip(".") + ", nu ook met een spreekuur in het buurthuis."
    with override("nl"):
        page.save_revision().publish()

    parent = MunicipalityExperimentsPage.objects.get(municipality__slug=EDITOR_GEMEENTE)
    wijk = page.neighbourhoods.select_related("municipality").order_by("pk").first()

    from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage

    def first_url(model):
        found = model.objects.live().public().order_by("path").first()
        return found.url if found else None

    # One withdrawn registration (its address answers 410): the last one registered.
    from experiments.withdrawal import withdraw

    last = Registration.objects.exclude(page=page).order_by("number").last()
    withdrawn_url = last.page.url
    with override("nl"):
        withdraw(last.page.specific, "Het project is nooit van start gegaan (browsertest).")

    print(
        json.dumps(
            {
                "password": PASSWORD,
                "editor": editor.username,
                "editor_group": editor_section.group.name,
                "editor_gemeente": editor_section.municipality.name,
                "editor_gemeente_slug": EDITOR_GEMEENTE,
                "experiments_parent_id": parent.pk,
                "moderator": moderator.username,
                "moderator_totp_key": authenticator.key,
                "amended_experiment_url": page.url,
                "amended_experiment_title": page.title,
                "amended_experiment_gemeente": page.municipality.name,
                "detail_urls": {
                    "experiment": page.url,
                    "praktijk": first_url(PracticePage),
                    "evaluatie": first_url(EvaluationPage),
                    "kennisproduct": first_url(ExpertisePage),
                },
                "wijk_url": f"/wijken/{wijk.municipality.slug}/{wijk.slug}/",
                "page_types": page_types(page, wijk, withdrawn_url),
                "wijk_name": wijk.name,
                "amended_experiment_number": registration.number,
                "amended_old_summary": old_summary,
                "original_summary": original_summary,
                "amended_new_summary": page.summary,
            }
        )
    )


def page_types(experiment, wijk, withdrawn_url) -> dict[str, str]:
    """One address of every kind of public page, found by its model or route (never by a demo
    slug), for the checks that run on every page type (axe, sideways scrolling)."""
    from django.urls import reverse
    from django.utils import timezone

    from agenda.models import AgendaIndexPage, EventPage
    from experiments.models import ExperimentIndexPage
    from kennisbank.models import (
        EvaluationIndexPage,
        EvaluationPage,
        ExpertisePage,
        KennisbankIndexPage,
        KnowledgeCentreIndexPage,
        KnowledgeCentrePage,
        MunicipalityPracticesPage,
        PracticeIndexPage,
        PracticePage,
    )
    from people.models import (
        AllianceIndexPage,
        AllianceOrganisationPage,
        ExpertIndexPage,
        ExpertProfile,
    )
    from places.links import PlaceLinks, search_url
    from places.models import BarrierIndexPage, ExperimentTypeIndexPage, NeighbourhoodIndexPage
    from programme.models import (
        BarrierPage,
        CharterPage,
        MunicipalityProgrammePage,
        NeighbourhoodActionPlanPage,
        ProgrammeIndexPage,
    )
    from tests.browser.page_types import PAGE_TYPES
    from website.models import StandardPage

    def first(model, **filters):
        found = model.objects.live().public().filter(**filters).order_by("path").first()
        assert found is not None, f"the demo content has no live {model.__name__}"
        return found.url

    links = PlaceLinks()
    now = timezone.now()
    expert = ExpertProfile.objects.public().order_by("pk").first()
    assert expert is not None, "the demo content has no public expert"
    found = {
        "home": "/",
        "search": search_url(q="wijk"),
        "search-filtered": search_url(thema="gezondheid", gemeente="amsterdam"),
        "experiment-index": first(ExperimentIndexPage),
        "experiment-section": experiment.get_parent().url,
        "experiment": experiment.url,
        "experiment-as-registered": experiment.url + "registratie/",
        "experiment-version": experiment.url + "versies/2/",
        "experiment-withdrawn": withdrawn_url,
        "practice-index": first(PracticeIndexPage),
        "practice-section": first(MunicipalityPracticesPage, numchild__gt=0),
        "practice": first(PracticePage),
        "evaluation-index": first(EvaluationIndexPage),
        "evaluation": first(EvaluationPage),
        "kennisbank": first(KennisbankIndexPage),
        "knowledge-centre-index": first(KnowledgeCentreIndexPage),
        "knowledge-centre": first(KnowledgeCentrePage, numchild__gt=0),
        "expertise": first(ExpertisePage),
        "wijken-index": first(NeighbourhoodIndexPage),
        "gemeente": links.municipality(wijk.municipality),
        "wijk": links.neighbourhood(wijk),
        "overview": links.overview(),
        "experiment-type-index": first(ExperimentTypeIndexPage),
        "experiment-type": links.experiment_type(experiment.experiment_type),
        "programme-index": first(ProgrammeIndexPage),
        "programme-section": first(MunicipalityProgrammePage, numchild__gt=0),
        "action-plan": first(NeighbourhoodActionPlanPage),
        "charter": first(CharterPage),
        "national-monitor": first(ProgrammeIndexPage) + "monitor/",
        "barrier-index": first(BarrierIndexPage),
        "barrier": first(BarrierPage),
        "agenda": first(AgendaIndexPage),
        "event-past": first(EventPage, ends_at__lt=now, status="gepland"),
        "event-upcoming": first(EventPage, starts_at__gt=now, status="gepland"),
        "event-register": first(EventPage, starts_at__gt=now, status="gepland") + "aanmelden/",
        "event-cancelled": first(EventPage, status="geannuleerd"),
        "registration-sent": reverse("agenda:sent"),
        "experts": first(ExpertIndexPage),
        "expert": expert.get_url(),
        "expert-contact": expert.get_url() + "bericht/",
        "expert-signup": first(ExpertIndexPage) + "aanmelden/",
        "alliance": first(AllianceIndexPage),
        "alliance-organisation": first(AllianceOrganisationPage),
        "loket": reverse("loket:ask"),
        "alerts-subscribe": reverse("alerts:subscribe") + "?thema=wonen",
        "alerts-sent": reverse("alerts:sent"),
        "open-data": reverse("opendata_docs"),
        "statement": first(StandardPage, slug="privacy"),
        "not-found": "/deze-pagina-bestaat-niet/",
    }
    assert tuple(found) == PAGE_TYPES, "tests/browser/page_types.py lists other kinds"
    return found


if __name__ == "__main__":
    main()
