"""An expert's personal data never leaves through the open doors: no profile's address on any
public page, nothing of a profile in the search documents, the API, exports, feeds, the sitemap
or the dump, and an unconfirmed profile nowhere at all (not even its name)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from people.models import AccountManager, ExpertProfile, Review
from programme.models import Ministry
from search.models import SearchDocument
from vocabulary.models import ExperimentType, Municipality, Theme

pytestmark = pytest.mark.django_db

PUBLIC_EMAIL = "publiek.geheim@example.nl"
UNCONFIRMED = ("Onbevestigde Persoon", "onbevestigd.geheim@example.nl")


def test_no_expert_data_in_public_outputs(client):
    theme = Theme.objects.get(slug="veiligheid")
    public = ExpertProfile.objects.create(
        name="Zichtbare Deskundige",
        email=PUBLIC_EMAIL,
        level="bestuurlijk",
        organisation="Zichtbare Organisatie",
        show_organisation=True,
        show_themes=True,
        confirmed_at=timezone.now(),
        review=Review.APPROVED,
    )
    public.themes.set([theme])
    unconfirmed = ExpertProfile.objects.create(
        name=UNCONFIRMED[0],
        email=UNCONFIRMED[1],
        level="uitvoerend",
        show_themes=True,
        review=Review.APPROVED,  # approved, but the person never consented
    )
    unconfirmed.themes.set([theme])
    unconfirmed.experiment_types.set(ExperimentType.objects.all()[:1])
    manager = AccountManager.objects.create(
        name="Manager Met Adres",
        ministry=Ministry.objects.get(slug="bzk"),
        email="manager.geheim@example.nl",
    )
    manager.municipalities.set([Municipality.objects.get(slug="rotterdam")])
    manager.save()
    secrets = (PUBLIC_EMAIL, "manager.geheim@example.nl", *UNCONFIRMED)

    answers = {}
    for url in (
        "/deskundigen/",
        "/deskundigen/?thema=veiligheid",
        public.get_url(),
        public.get_url() + "bericht/",
        "/wijken/rotterdam/",
        "/zoeken/?q=Deskundige",
        "/api/v1/zoeken?q=Deskundige&page_size=100",
        "/api/v1/experimenten?page_size=100",
        "/zoeken/?format=json&q=Deskundige",
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

    own_pages = {url for url in answers if url.startswith("/deskundigen/")}
    for name, body in answers.items():
        for secret in secrets:
            assert secret not in body, (secret, name)
        if name not in own_pages:  # a public profile lives on the pool's pages only
            assert "Zichtbare Deskundige" not in body, name
    # The checks above looked at real answers: the public profile is on its pages.
    assert "Zichtbare Organisatie" in answers[public.get_url()]
    assert "Zichtbare Deskundige" in answers["/deskundigen/?thema=veiligheid"]
    assert "Manager Met Adres" in answers["/wijken/rotterdam/"]
    assert answers["dump"].strip()

    assert SearchDocument.objects.exists()
    indexed = " ".join(str(row) for row in SearchDocument.objects.values_list("title", "data"))
    for text in ("Zichtbare Deskundige", *secrets):
        assert text not in indexed
    assert client.get(unconfirmed.get_url()).status_code == 404
