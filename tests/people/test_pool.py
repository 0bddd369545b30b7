"""The pool of experts (people/): consent by e-mail (sign up → mail → confirm → approve →
public; withdraw → gone with 410), bad links, the contact form, and the directorate's
invitation and review in the admin."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from people import services, tokens
from people.models import ExpertProfile, Review, WithdrawnExpert
from vocabulary.models import Theme

pytestmark = pytest.mark.django_db

EMAIL = "anna.deskundige@example.nl"
SIGNUP_URL = "/deskundigen/aanmelden/"
LINK_RE = r"https?://[^\s/]+(/deskundigen/{}/[^\s]+/)"


def signup_data(**overrides):
    data = {
        "name": "Anna de Wit",
        "email": EMAIL,
        "organisation": "Woonstichting De Linie",
        "function": "Wijkregisseur",
        "level": "uitvoerend",
        "themes": [Theme.objects.get(slug="wonen").pk],
        "availability": "beschikbaar",
        "text": "Twintig jaar herstructurering in Rotterdam-Zuid.",
        "shown": ["organisation", "function", "level", "themes", "text"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def link_in(message, kind) -> str:
    match = re.search(LINK_RE.format(kind), message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def signed_up(client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/deskundigen/aanmelden/verstuurd/"
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def confirm(client, message, callbacks, shown=("organisation", "level", "themes", "text")):
    with callbacks(execute=True):
        return client.post(link_in(message, "bevestigen"), {"shown": list(shown)})


def approve(profile):
    profile.review = Review.APPROVED
    profile.save()


def test_consent_round_trip(client, signed_up, django_capture_on_commit_callbacks):
    profile = ExpertProfile.objects.get(email=EMAIL)
    assert signed_up.to == [EMAIL]
    assert "bevestigen" in signed_up.body and "beheren" in signed_up.body  # confirm + manage
    # Not public before confirmation, nor before approval.
    assert client.get(profile.get_url()).status_code == 404
    assert "Anna de Wit" not in client.get("/deskundigen/").content.decode()

    # GET only shows (a mail scanner consents to nothing).
    confirm_path = link_in(signed_up, "bevestigen")
    page = client.get(confirm_path)
    assert page.status_code == 200 and 'name="shown"' in page.content.decode()
    profile.refresh_from_db()
    assert not profile.is_confirmed

    mail.outbox.clear()
    assert confirm(client, signed_up, django_capture_on_commit_callbacks).status_code == 200
    profile.refresh_from_db()
    assert profile.is_confirmed and not profile.is_public
    # The function was not chosen at confirmation: hidden.
    assert not profile.show_function and profile.show_organisation
    assert client.get(profile.get_url()).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        approve(profile)  # as the admin form does, through services.send_approved:
        services.send_approved(profile)
    assert "beheren" in mail.outbox[-1].body
    page = client.get(profile.get_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "Anna de Wit" in body and "Woonstichting De Linie" in body
    assert "Wijkregisseur" not in body  # not shown
    assert EMAIL not in body
    assert "Anna de Wit" in client.get("/deskundigen/").content.decode()

    # Withdraw: the profile and its personal data are gone at once; the page answers 410.
    manage_path = link_in(signed_up, "beheren")
    assert client.get(manage_path).status_code == 200
    url = profile.get_url()
    response = client.post(manage_path, {"withdraw": "1"})
    assert response.status_code == 200
    assert not ExpertProfile.objects.filter(email=EMAIL).exists()
    assert WithdrawnExpert.objects.filter(profile_id=profile.pk).exists()
    gone = client.get(url)
    assert gone.status_code == 410 and 'id="expert-withdrawn"' in gone.content.decode()
    assert client.get(manage_path).status_code == 410


def test_the_manage_link_changes_what_is_shown(
    client, signed_up, django_capture_on_commit_callbacks
):
    confirm(client, signed_up, django_capture_on_commit_callbacks)
    profile = ExpertProfile.objects.get(email=EMAIL)
    approve(profile)
    assert "Woonstichting De Linie" in client.get(profile.get_url()).content.decode()
    client.post(link_in(signed_up, "beheren"), {"shown": ["themes"]})
    body = client.get(profile.get_url()).content.decode()
    assert "Woonstichting De Linie" not in body and "Anna de Wit" in body


def test_bad_expired_and_replayed_links(client, signed_up, django_capture_on_commit_callbacks):
    confirm_path = link_in(signed_up, "bevestigen")
    changed = confirm_path[:-3] + ("a" if confirm_path[-3] != "a" else "b") + confirm_path[-2:]
    response = client.get(changed)
    assert response.status_code == 400 and 'data-reason="bad"' in response.content.decode()
    assert client.post(link_in(signed_up, "beheren")[:-2] + "x/").status_code == 400

    # Expired: a link signed longer ago than EXPERT_SIGNUP_CONFIRM_DAYS.
    profile = ExpertProfile.objects.get(email=EMAIL)
    long_ago = time.time() - 15 * 86400
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        expired = tokens.confirm_token(profile)
    response = client.post(f"/deskundigen/bevestigen/{expired}/", {"shown": ["themes"]})
    assert response.status_code == 410 and 'data-reason="expired"' in response.content.decode()
    profile.refresh_from_db()
    assert not profile.is_confirmed

    # Replayed: a confirmation link that was used already.
    assert confirm(client, signed_up, django_capture_on_commit_callbacks).status_code == 200
    response = client.post(confirm_path, {"shown": ["themes"]})
    assert response.status_code == 409 and 'data-reason="used"' in response.content.decode()
    profile.refresh_from_db()
    assert profile.show_organisation  # the replay changed nothing


def test_signup_honeypot_and_rate_limit(client, settings, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        robot = client.post(SIGNUP_URL, signup_data(website="http://spam.example"))
    assert robot.status_code == 302
    assert not ExpertProfile.objects.filter(email=EMAIL).exists() and not mail.outbox

    settings.EXPERT_SIGNUP_RATE_LIMIT = 3  # the robot's sign-up counted too
    for n in range(2):
        assert client.post(SIGNUP_URL, signup_data(email=f"p{n}@example.nl")).status_code == 302
    refused = client.post(SIGNUP_URL, signup_data(email="p9@example.nl"))
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "p9@example.nl" in refused.content.decode()  # what they typed is kept
    assert not ExpertProfile.objects.filter(email="p9@example.nl").exists()


def test_a_second_signup_of_a_confirmed_address_changes_nothing(
    client, signed_up, django_capture_on_commit_callbacks
):
    confirm(client, signed_up, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, signup_data(name="Iemand Anders"))
    assert ExpertProfile.objects.get(email=EMAIL).name == "Anna de Wit"
    assert len(mail.outbox) == 1 and "beheren" in mail.outbox[0].body


# --- The contact form ------------------------------------------------------------------------


@pytest.fixture
def public_profile(db):
    profile = ExpertProfile.objects.create(
        name="Bram Bakker",
        email="bram.prive@example.nl",
        level="strategisch",
        organisation="Gemeente Voorbeeld",
        show_organisation=True,
        confirmed_at=timezone.now(),
        review=Review.APPROVED,
    )
    return profile


def contact(client, profile, **overrides):
    data = {"name": "Carla Visser", "email": "carla@example.org", "message": "Mag ik u bellen?"}
    data.update(overrides)
    return client.post(profile.get_url() + "bericht/", data)


def test_contact_reaches_the_person_with_reply_to(
    client, public_profile, django_capture_on_commit_callbacks
):
    page = client.get(public_profile.get_url()).content.decode()
    assert "bram.prive@example.nl" not in page
    form_page = client.get(public_profile.get_url() + "bericht/").content.decode()
    assert "bram.prive@example.nl" not in form_page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = contact(client, public_profile)
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "bram.prive@example.nl" not in thanks.content.decode()
    (message,) = mail.outbox
    assert message.to == ["bram.prive@example.nl"]
    assert message.reply_to == ["carla@example.org"]
    assert "Mag ik u bellen?" in message.body and "beheren" in message.body


def test_contact_honeypot_and_limits(
    client, public_profile, settings, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert contact(client, public_profile, website="x").status_code == 302
    assert not mail.outbox

    settings.CONTACT_RATE_LIMIT = 2  # the robot's message counted too
    assert contact(client, public_profile).status_code == 302
    refused = contact(client, public_profile, message="Nog een keer")
    assert refused.status_code == 429 and "Nog een keer" in refused.content.decode()

    # Per recipient: other clients cannot flood one person either.
    cache.clear()
    settings.CONTACT_RECIPIENT_RATE_LIMIT = 2
    for n in range(2):
        other = Client(REMOTE_ADDR=f"203.0.113.{n + 10}")
        assert contact(other, public_profile).status_code == 302
    last = contact(Client(REMOTE_ADDR="203.0.113.99"), public_profile)
    assert last.status_code == 429 and "Bram Bakker" in last.content.decode()


def test_unconfirmed_or_refused_profiles_are_nowhere(client, public_profile):
    hidden = ExpertProfile.objects.create(
        name="Verborgen Persoon", email="verborgen@example.nl", level="uitvoerend"
    )
    refused = ExpertProfile.objects.create(
        name="Geweigerde Persoon",
        email="geweigerd@example.nl",
        level="uitvoerend",
        confirmed_at=timezone.now(),
        review=Review.REFUSED,
    )
    listing = client.get("/deskundigen/").content.decode()
    assert "Bram Bakker" in listing
    for profile in (hidden, refused):
        assert profile.name not in listing
        assert client.get(profile.get_url()).status_code == 404
        assert client.get(profile.get_url() + "bericht/").status_code == 404


def test_an_old_slug_redirects_to_the_profile(client, public_profile):
    response = client.get(f"/deskundigen/{public_profile.pk}-oude-naam/")
    assert response.status_code == 301 and response["Location"] == public_profile.get_url()
