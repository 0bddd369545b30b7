"""Personal data never leaves through the open doors: an asker's and a subscriber's details,
and an experiment's contact e-mail (shown on its own page, for people to get in touch), appear
in no API response, export, feed or dump, while the public content around them does."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Subscription
from loket.models import Question
from tests.factories import ExperimentPageFactory
from tests.search_helpers import publish
from vocabulary.models import KnowledgeCentre, Theme

pytestmark = pytest.mark.django_db

SECRETS = (
    "vraagsteller.geheim@example.nl",
    "Vera Vraagsteller",
    "abonnee.geheim@example.nl",
    "contact.geheim@example.nl",
)


def test_no_personal_data_in_api_exports_feeds_or_dump(client, django_capture_on_commit_callbacks):
    now = timezone.now()
    Question.objects.create(
        name="Vera Vraagsteller",
        email="vraagsteller.geheim@example.nl",
        organisation="Buurthuis",
        theme=Theme.objects.get(slug="veiligheid"),
        text="Hoe pakken anderen dit aan?",
        consent_at=now,
        created_at=now,
        knowledge_centre=KnowledgeCentre.objects.get(slug="ccv"),
    )
    Subscription.objects.create(
        email="abonnee.geheim@example.nl",
        query="thema=veiligheid",
        frequency="daily",
        confirmed_at=now,
    )
    page = publish(
        ExperimentPageFactory(
            title="Openbare proef met contact",
            contact_email="contact.geheim@example.nl",
            contact_name="Publieke Contactpersoon",
        ),
        django_capture_on_commit_callbacks,
    )

    answers = {}
    for url in (
        "/api/v1/experimenten?page_size=100",
        f"/api/v1/experimenten/{page.registration.number}",
        "/api/v1/zoeken?page_size=100",
        "/zoeken/?format=json",
        "/zoeken/?format=csv",
        "/zoeken/?format=atom",
        "/experimenten/feed/",
        "/sitemap.xml",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.getvalue().decode("utf-8-sig")
    dump = io.StringIO()
    call_command("export_dump", stdout=dump)
    answers["dump"] = dump.getvalue()

    for name, body in answers.items():
        for secret in SECRETS:
            assert secret not in body, (secret, name)
    # The public content is there, so the checks above looked at real answers.
    for name in (
        "/api/v1/experimenten?page_size=100",
        "/zoeken/?format=csv",
        "/zoeken/?format=atom",
        "dump",
    ):
        assert "Openbare proef met contact" in answers[name], name
    dumped = [json.loads(line) for line in answers["dump"].splitlines() if line.strip()]
    assert any(item.get("title") == "Openbare proef met contact" for item in dumped)
