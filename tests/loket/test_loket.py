"""The question desk (loket/): the public form with its routing, honeypot and rate limit; the
admin where a centre's editors see only their own questions, answer, forward and publish them;
and the retention command."""

import datetime as dt
import json
import re
import time
from io import StringIO
from unittest import mock
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import SectionGroup
from editorial.setup import setup_roles
from kennisbank.models import ExpertiseKind, ExpertisePage, KnowledgeCentrePage
from loket.anonymise import strip_personal_data
from loket.models import Forwarding, Question, ThemeRoute
from loket.routing import DEFAULT_ROUTES
from tests import roles_helpers
from tests.helpers import log_in
from vocabulary.models import KnowledgeCentre, Municipality, Theme

pytestmark = pytest.mark.django_db

ASK_URL = "/loket/"
INDEX_URL_NAME = "loket_questions:index"


@pytest.fixture(autouse=True)
def empty_desk():
    """The desk starts empty in each test (rolled back after it): the demo corpus's answered
    questions are in the session's database, and these tests count what a visitor's question adds."""
    Question.objects.all().delete()


# --- Builders ---------------------------------------------------------------------------------


def _perm(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def centre_editor(centre_slug: str, username: str):
    """An editor of one knowledge centre: a member of the group setup_roles gives it."""
    setup_roles()
    return roles_helpers.centre_editor(centre_slug, username)


def moderator(username="moderator"):
    """A member of the moderators' group setup_roles makes."""
    setup_roles()
    return roles_helpers.moderator(username)


def logged_in(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def form_data(**overrides) -> dict:
    data = {
        "name": "Fatima El Amrani",
        "email": "fatima.elamrani@example.nl",
        "organisation": "Wijkteam Noord",
        "municipality": Municipality.objects.get(slug="rotterdam").pk,
        "theme": Theme.objects.get(slug="veiligheid").pk,
        "question": "Hoe zetten andere gemeenten een stadsmarinier in bij overlast rond een winkelcentrum?",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def a_question(centre_slug="ccv", theme_slug="veiligheid", **fields) -> Question:
    now = timezone.now()
    values = {
        "name": "Fatima El Amrani",
        "email": "fatima.elamrani@example.nl",
        "organisation": "Wijkteam Noord",
        "theme": Theme.objects.get(slug=theme_slug),
        "text": "Wat werkt tegen woonoverlast?",
        "consent_at": now,
        "created_at": now,
        "knowledge_centre": KnowledgeCentre.objects.get(slug=centre_slug) if centre_slug else None,
    }
    values.update(fields)
    return Question.objects.create(**values)


def edit_url(question) -> str:
    return reverse("loket_questions:edit", args=[question.pk])


# --- Routing --------------------------------------------------------------------------------


def test_loading_the_vocabulary_gives_every_theme_its_default_route():
    routes = dict(ThemeRoute.objects.values_list("theme__slug", "knowledge_centre__slug"))
    assert routes == DEFAULT_ROUTES
    assert set(routes) == set(Theme.objects.values_list("slug", flat=True))


def test_load_question_routes_fills_in_what_is_missing_and_keeps_what_editors_set():
    ThemeRoute.objects.filter(theme__slug="wonen").delete()
    kei = KnowledgeCentre.objects.get(slug="kei")
    ThemeRoute.objects.filter(theme__slug="werken").update(knowledge_centre=kei)
    out = StringIO()
    call_command("load_question_routes", stdout=out)
    assert "1 created" in out.getvalue()
    routes = dict(ThemeRoute.objects.values_list("theme__slug", "knowledge_centre__slug"))
    assert routes["wonen"] == "sev" and routes["werken"] == "kei"
    out = StringIO()
    call_command("load_question_routes", stdout=out)
    assert "0 created" in out.getvalue()


# --- The public form --------------------------------------------------------------------------


def test_the_form_the_privacy_statement_and_the_thank_you_page_render(client):
    form = client.get(ASK_URL)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    # The honeypot is out of reach of people, keyboards and screen readers.
    honeypot = re.search(r'<div class="loket-hp" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'name="website"' in honeypot and 'tabindex="-1"' in honeypot
    assert reverse("loket:privacy") in html
    assert client.get(reverse("loket:privacy")).status_code == 200
    assert client.get(reverse("loket:thanks")).status_code == 200


def test_a_question_is_routed_by_its_theme_and_its_centre_is_emailed(client):
    editor = centre_editor("ccv", "ccv-redacteur")
    other = centre_editor("rivm", "rivm-redacteur")

    response = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.knowledge_centre.slug == "ccv"
    assert question.status == Question.Status.NEW
    assert (question.name, question.email, question.organisation) == (
        "Fatima El Amrani",
        "fatima.elamrani@example.nl",
        "Wijkteam Noord",
    )
    assert question.municipality.slug == "rotterdam" and question.consent_at is not None
    assert len(mail.outbox) == 2  # the centre's editors, and the asker's receipt
    message = next(m for m in mail.outbox if question.email not in m.to)
    assert editor.email in message.to and other.email not in message.to
    assert edit_url(question) in message.body
    assert "fatima" not in message.body.lower()  # no personal data in the notification
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert KnowledgeCentre.objects.get(slug="ccv").name in thanks.content.decode()


def test_the_route_follows_the_mapping_editors_keep(client):
    ThemeRoute.objects.filter(theme__slug="veiligheid").update(
        knowledge_centre=KnowledgeCentre.objects.get(slug="kei")
    )
    client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.11")
    assert Question.objects.get().knowledge_centre.slug == "kei"


def test_a_theme_without_a_route_goes_to_the_moderators(client):
    boss = moderator()
    ThemeRoute.objects.filter(theme__slug="veiligheid").delete()

    response = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.12")

    assert response.status_code == 302
    assert Question.objects.get().knowledge_centre is None
    assert boss.email in mail.outbox[0].to
    thanks = client.get(response["Location"]).content.decode()
    assert "De redactie van het Kennisloket stuurt uw vraag door" in thanks


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consent": None}, "consent"),
        ({"email": "geen-adres"}, "email"),
        ({"question": ""}, "question"),
        ({"question": "   "}, "question"),
        ({"theme": ""}, "theme"),
        ({"theme": "999999"}, "theme"),
    ],
    ids=["no-consent", "bad-email", "no-question", "blank-question", "no-theme", "unknown-theme"],
)
def test_invalid_input_saves_nothing_and_says_what_is_wrong(client, overrides, field):
    response = client.post(ASK_URL, form_data(**overrides), REMOTE_ADDR="192.0.2.13")

    assert response.status_code == 200
    assert not Question.objects.exists() and not mail.outbox
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    widget = re.search(rf'<(?:input|select|textarea)[^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in widget
    assert f"id_{field}_error" in widget and f'id="id_{field}_error"' in html


def test_a_filled_in_honeypot_stores_nothing_and_looks_like_success(client):
    centre_editor("ccv", "ccv-redacteur")
    response = client.post(
        ASK_URL, form_data(website="https://spam.example"), REMOTE_ADDR="192.0.2.14"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("loket:thanks") + "?ontvangst=KL-")
    robot_page = client.get(response["Location"])
    assert robot_page.status_code == 200
    assert not Question.objects.exists() and not mail.outbox

    # The robot's thank-you page cannot be told from a person's for the same theme: both name
    # the centre the theme routes to, so the trap does not give itself away.
    person = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.15")
    person_page = client.get(person["Location"])
    centre = "Centrum voor Criminaliteitspreventie en Veiligheid"
    assert centre in robot_page.content.decode() and centre in person_page.content.decode()


# --- The receipt and the thank-you page -------------------------------------------------------


def test_the_asker_gets_a_receipt_with_the_reference_and_the_answer_time(client, settings):
    settings.QUESTION_ANSWER_WORKING_DAYS = 7
    centre_editor("ccv", "ccv-redacteur")
    client.post(
        ASK_URL,
        form_data(
            name="Klik op kl-inlog.nl", question="Uw pas is geblokkeerd: ga naar kl-inlog.nl"
        ),
        REMOTE_ADDR="192.0.2.20",
    )

    question = Question.objects.get()
    assert re.fullmatch(r"KL-[A-Z0-9]{4}-[A-Z0-9]{4}", question.reference)
    [receipt] = [m for m in mail.outbox if m.to == ["fatima.elamrani@example.nl"]]
    assert question.reference in receipt.subject and question.reference in receipt.body
    assert "binnen 7 werkdagen" in receipt.body
    assert "Centrum voor Criminaliteitspreventie en Veiligheid (CCV)" in receipt.body
    # Nothing the asker typed: the address was never confirmed.
    assert "kl-inlog" not in receipt.body and "geblokkeerd" not in receipt.body
    assert "/loket/privacy/" in receipt.body


def test_the_receipt_of_an_unrouted_question_says_the_editors_pass_it_on(client):
    moderator()
    ThemeRoute.objects.filter(theme__slug="veiligheid").delete()
    client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.21")
    [receipt] = [m for m in mail.outbox if m.to == ["fatima.elamrani@example.nl"]]
    assert "De redactie van het Kennisloket stuurt uw vraag door" in receipt.body
    assert "binnen 10 werkdagen" in receipt.body


def test_a_receipt_that_cannot_be_sent_loses_no_question(client, settings):
    settings.EMAIL_BACKEND = "tests.loket.test_loket.RefusingBackend"
    response = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.22")
    assert response.status_code == 302 and Question.objects.count() == 1


class RefusingBackend:
    """A mail server that is down."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_the_thank_you_address_names_no_centre_and_survives_a_reload(client):
    centre_editor("ccv", "ccv-redacteur")
    response = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.23")
    question = Question.objects.get()

    address = response["Location"]
    path, _, query = address.partition("?")
    # Only the asker's own reference, signed: no centre, no number counting the questions.
    [(key, [token])] = parse_qs(query).items()
    assert (path, key) == (reverse("loket:thanks"), "ontvangst")
    assert token.split(":")[0] == question.reference and "ccv" not in address.lower()
    for _ in range(2):  # the redirect, then a reload (or back)
        page = client.get(address)
        html = page.content.decode()
        assert page.status_code == 200
        assert question.reference in html and "binnen 10 werkdagen" in html
        assert "Centrum voor Criminaliteitspreventie en Veiligheid" in html
    assert "no-cache" in page["Cache-Control"]


def test_a_thank_you_address_cannot_be_made_up_or_reused_for_another_question(client):
    centre_editor("ccv", "ccv-redacteur")
    response = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.24")
    mine = Question.objects.get()
    other = a_question("rivm", theme_slug="gezondheid")
    forged = response["Location"].replace(mine.reference, other.reference)
    for address in (forged, reverse("loket:thanks") + "?kenniscentrum=rivm"):
        html = client.get(address).content.decode()
        assert other.reference not in html and "RIVM" not in html
        assert 'id="receipt"' not in html


def test_an_old_thank_you_address_no_longer_shows_the_question(client):
    from loket import views

    centre_editor("ccv", "ccv-redacteur")
    client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.25")
    question = Question.objects.get()
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=two_days_ago):
        old_token = views.RECEIPT_SIGNER.sign(question.reference)
    html = client.get(reverse("loket:thanks"), {"ontvangst": old_token}).content.decode()
    assert question.reference not in html and "Criminaliteitspreventie" not in html


def test_the_rate_limit_answers_429_per_client_address(client, settings):
    settings.QUESTION_RATE_LIMIT = 3
    for _ in range(3):
        assert client.post(ASK_URL, form_data(), REMOTE_ADDR="198.51.100.7").status_code == 302

    refused = client.post(ASK_URL, form_data(), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.QUESTION_RATE_WINDOW)
    html = refused.content.decode()
    assert 'id="error-summary"' in html
    assert "stadsmarinier" in html  # what they typed is kept
    # A forged X-Forwarded-For does not make it another client.
    spoofed = client.post(
        ASK_URL, form_data(), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    assert spoofed.status_code == 429
    assert Question.objects.count() == 3

    assert client.post(ASK_URL, form_data(), REMOTE_ADDR="198.51.100.8").status_code == 302
    assert Question.objects.count() == 4


def test_the_form_needs_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.15").status_code == 403
    assert not Question.objects.exists()


# --- The admin: each centre its own questions -------------------------------------------------


def test_a_centre_editor_sees_and_opens_only_their_own_centres_questions():
    ccv_question, rivm_question = a_question("ccv"), a_question("rivm", "gezondheid")
    unrouted = a_question(None)
    editor = logged_in(centre_editor("ccv", "ccv-redacteur"))

    listing = editor.get(reverse(INDEX_URL_NAME))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert edit_url(ccv_question) in html
    assert edit_url(rivm_question) not in html and edit_url(unrouted) not in html

    opened = editor.get(edit_url(ccv_question))
    assert opened.status_code == 200 and ccv_question.reference in opened.content.decode()
    # The reference an asker quotes finds their question.
    found = editor.get(reverse(INDEX_URL_NAME), {"q": ccv_question.reference}).content.decode()
    assert edit_url(ccv_question) in found
    for url_name in ("edit", "history", "usage", "forward", "publish", "delete"):
        url = reverse(f"loket_questions:{url_name}", args=[rivm_question.pk])
        assert editor.get(url).status_code in (403, 404), url_name
    # Posting to it changes nothing either.
    response = editor.post(
        edit_url(rivm_question), {"status": "in-behandeling", "answer": "x", "action-answer": "1"}
    )
    assert response.status_code in (403, 404)
    rivm_question.refresh_from_db()
    assert rivm_question.status == Question.Status.NEW and rivm_question.answer == ""
    assert not mail.outbox


def test_moderators_see_every_question():
    questions = [a_question("ccv"), a_question("rivm", "gezondheid"), a_question(None)]
    html = logged_in(moderator()).get(reverse(INDEX_URL_NAME)).content.decode()
    assert all(edit_url(q) in html for q in questions)


def test_the_question_admin_is_closed_to_anonymous_visitors_and_to_editors_without_the_permission(
    client, django_user_model
):
    question = a_question("ccv")
    for url in (reverse(INDEX_URL_NAME), edit_url(question)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    # An admin user in no centre group and without the question permission gets nothing
    # (Wagtail turns a refusal into a redirect to the dashboard with a message).
    outsider = logged_in(
        django_user_model.objects.create_user("buitenstaander", "b@example.org", "geheim")
    )
    outsider_user = django_user_model.objects.get(username="buitenstaander")
    outsider_user.user_permissions.add(_perm("wagtailadmin.access_admin"))
    for url in (reverse(INDEX_URL_NAME), edit_url(question)):
        response = outsider.get(url)
        assert response.status_code in (403, 404) or response["Location"] == reverse(
            "wagtailadmin_home"
        ), url


# --- Answering, forwarding, publishing --------------------------------------------------------


def test_answering_emails_the_asker_and_marks_the_question_answered():
    question = a_question("ccv")
    user = centre_editor("ccv", "ccv-redacteur")
    editor = logged_in(user)

    # Setting it in progress first (a plain save) sends nothing.
    response = editor.post(edit_url(question), {"status": "in-behandeling", "answer": ""})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.IN_PROGRESS and not mail.outbox

    # "Send answer" without an answer is refused.
    send = {"status": "in-behandeling", "action-answer": "answer"}
    response = editor.post(edit_url(question), {**send, "answer": " "})
    assert response.status_code == 200 and "answer" in response.context["form"].errors
    assert not mail.outbox

    answer = "Kijk naar de aanpak van het CCV: een vaste wijkaanpak met de woningcorporatie."
    response = editor.post(edit_url(question), {**send, "answer": answer})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answer == answer and question.answered_by == user and question.answered_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima.elamrani@example.nl"]
    assert answer in mail.outbox[0].body

    # Once answered, the answer stays as mailed and is not sent again.
    editor.post(
        edit_url(question), {"status": "nieuw", "answer": "iets anders", "action-answer": "answer"}
    )
    question.refresh_from_db()
    assert question.answer == answer and question.status == Question.Status.ANSWERED
    assert len(mail.outbox) == 1


def test_forwarding_moves_the_question_to_the_other_centre(django_capture_on_commit_callbacks):
    question = a_question("ccv")
    ccv_user = centre_editor("ccv", "ccv-redacteur")
    rivm_user = centre_editor("rivm", "rivm-redacteur")
    ccv, rivm = logged_in(ccv_user), logged_in(rivm_user)
    rivm_centre = KnowledgeCentre.objects.get(slug="rivm")
    forward_url = reverse("loket_questions:forward", args=[question.pk])

    assert ccv.get(forward_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes once committed
        response = ccv.post(
            forward_url, {"to_centre": rivm_centre.pk, "note": "Gaat over gezondheid."}
        )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.knowledge_centre == rivm_centre
    assert question.status == Question.Status.FORWARDED
    forwarding = Forwarding.objects.get(question=question)
    assert (forwarding.from_centre.slug, forwarding.to_centre.slug) == ("ccv", "rivm")
    assert forwarding.forwarded_by == ccv_user and forwarding.note == "Gaat over gezondheid."
    assert len(mail.outbox) == 1
    assert rivm_user.email in mail.outbox[0].to and ccv_user.email not in mail.outbox[0].to

    assert edit_url(question) not in ccv.get(reverse(INDEX_URL_NAME)).content.decode()
    assert ccv.get(edit_url(question)).status_code == 404
    assert edit_url(question) in rivm.get(reverse(INDEX_URL_NAME)).content.decode()
    assert rivm.get(edit_url(question)).status_code == 200


def test_moderators_pass_an_unrouted_question_on_to_a_centre(django_capture_on_commit_callbacks):
    question = a_question(None)
    rivm_user = centre_editor("rivm", "rivm-redacteur")
    boss = logged_in(moderator())
    rivm = KnowledgeCentre.objects.get(slug="rivm")

    with django_capture_on_commit_callbacks(execute=True):
        response = boss.post(
            reverse("loket_questions:forward", args=[question.pk]), {"to_centre": rivm.pk}
        )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.knowledge_centre == rivm
    assert Forwarding.objects.get(question=question).from_centre is None
    assert rivm_user.email in mail.outbox[0].to
    assert logged_in(rivm_user).get(edit_url(question)).status_code == 200


def test_a_centre_without_editors_has_its_questions_announced_to_the_moderators(client):
    boss = moderator()
    SectionGroup.objects.filter(knowledge_centre__slug="ccv").delete()
    client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.16")
    assert Question.objects.get().knowledge_centre.slug == "ccv"
    assert boss.email in mail.outbox[0].to


def test_an_answered_question_is_not_forwarded():
    question = a_question(
        "ccv", status=Question.Status.ANSWERED, answer="Zo.", answered_at=timezone.now()
    )
    editor = logged_in(centre_editor("ccv", "ccv-redacteur"))
    response = editor.post(
        reverse("loket_questions:forward", args=[question.pk]),
        {"to_centre": KnowledgeCentre.objects.get(slug="rivm").pk},
    )
    assert response.status_code == 302 and response["Location"] == edit_url(question)
    question.refresh_from_db()
    assert question.knowledge_centre.slug == "ccv" and not Forwarding.objects.exists()


PERSONAL = ["Fatima", "Amrani", "fatima.elamrani@example.nl", "06-12345678", "Wijkteam Noord"]


def answered_question_with_personal_data() -> Question:
    return a_question(
        "ccv",
        text=(
            "Ik ben Fatima El Amrani (fatima.elamrani@example.nl, 06-12345678). Hoe pakken andere "
            "gemeenten woonoverlast in portiekflats aan?\n\nGroet, Fatima"
        ),
        answer=(
            "Beste Fatima,\n\nVeel gemeenten werken met een vaste overlastregisseur en de "
            "woningcorporatie."
        ),
        status=Question.Status.ANSWERED,
        answered_at=timezone.now(),
    )


def _page_text(page) -> str:
    page.refresh_from_db()
    revision = page.latest_revision
    return " ".join(
        [
            page.title,
            page.slug,
            page.summary,
            page.authors,
            json.dumps(list(page.body.raw_data)),
            json.dumps(revision.content) if revision else "",
        ]
    )


def test_publishing_makes_an_anonymised_knowledge_item_under_the_centres_section():
    question = answered_question_with_personal_data()
    editor = logged_in(centre_editor("ccv", "ccv-redacteur"))
    publish_url = reverse("loket_questions:publish", args=[question.pk])

    form_page = editor.get(publish_url)
    assert form_page.status_code == 200
    initial = form_page.context["form"].initial
    assert not any(p.lower() in " ".join(initial.values()).lower() for p in PERSONAL)
    # The editor writes the title (and so the permanent address); nothing is proposed.
    assert "title" not in initial
    without_title = editor.post(publish_url, {**initial, "action-submit": "submit"})
    assert without_title.status_code == 200
    assert "Schrijf een titel" in without_title.content.decode()
    initial["title"] = "Woonoverlast in portiekflats aanpakken"

    response = editor.post(publish_url, {**initial, "action-submit": "submit"})

    assert response.status_code == 302
    question.refresh_from_db()
    page = question.published_item
    assert page is not None and isinstance(page, ExpertisePage)
    assert page.slug == "woonoverlast-in-portiekflats-aanpakken"
    assert page.kind == ExpertiseKind.QUESTION_AND_ANSWER
    assert page.get_parent().specific == KnowledgeCentrePage.objects.get(
        knowledge_centre__slug="ccv"
    )
    assert page.knowledge_centre.slug == "ccv"
    assert list(page.themes.values_list("slug", flat=True)) == ["veiligheid"]
    text = _page_text(page).lower()
    assert "portiekflats" in text and "overlastregisseur" in text
    for personal in PERSONAL:
        assert personal.lower() not in text, personal
    # A centre editor cannot publish on their own: it waits as a draft or in moderation.
    assert not page.live
    # Published once; the button is gone.
    assert editor.post(publish_url, {**initial}).status_code == 302
    assert (
        ExpertisePage.objects.filter(
            kind=ExpertiseKind.QUESTION_AND_ANSWER, title=page.title
        ).count()
        == 1
    )


def test_someone_with_publish_rights_puts_the_item_live_at_once(
    admin_client, client, django_capture_on_commit_callbacks
):
    question = answered_question_with_personal_data()
    publish_url = reverse("loket_questions:publish", args=[question.pk])
    initial = {
        **admin_client.get(publish_url).context["form"].initial,
        "title": "Overlast in portiekflats",
        "anonymisation_checked": "on",
    }

    with django_capture_on_commit_callbacks(execute=True):  # the search index follows on commit
        response = admin_client.post(publish_url, {**initial, "action-submit": "submit"})
    assert response.status_code == 302

    page = ExpertisePage.objects.get(pk=Question.objects.get(pk=question.pk).published_item_id)
    assert page.live
    public = client.get(page.url)
    assert public.status_code == 200
    html = public.content.decode().lower()
    assert "portiekflats" in html
    assert not any(p.lower() in html for p in PERSONAL)
    # The public search finds it, like any other knowledge item.
    found = client.get("/zoeken/", {"q": "portiekflats", "format": "json"})
    assert found.status_code == 200 and page.url in found.content.decode()


def test_only_an_answered_question_can_be_published():
    question = a_question("ccv")
    editor = logged_in(centre_editor("ccv", "ccv-redacteur"))
    items = ExpertisePage.objects.count()
    url = reverse("loket_questions:publish", args=[question.pk])
    texts = {"title": "T", "summary": "S", "question_text": "V", "answer_text": "A"}
    for response in (editor.get(url), editor.post(url, texts)):
        assert response.status_code == 302 and response["Location"] == edit_url(question)
    question.refresh_from_db()
    assert question.published_item is None and ExpertisePage.objects.count() == items


def test_the_anonymiser_removes_names_addresses_and_numbers():
    text = strip_personal_data(
        "Mail Jan de Vries op J.deVries@Example.NL of bel +31 6 1234 5678; Vries weet het. "
        "Collega piet@example.org weet het ook, in de wijk van de Vries.",
        "Jan de Vries",
        "j.devries@example.nl",
    )
    for personal in ("Jan", "Vries", "devries", "1234", "piet@"):
        assert personal.lower() not in text.lower(), personal
    assert "Collega" in text and "in de wijk van de" in text


# --- Retention --------------------------------------------------------------------------------


def test_purge_anonymises_only_questions_past_the_retention_period(settings):
    settings.QUESTION_RETENTION_DAYS = 365
    now = timezone.now()
    old = a_question("ccv", created_at=now - dt.timedelta(days=400), text="Ik, Fatima, vraag iets.")
    recent = a_question("rivm", "gezondheid", created_at=now - dt.timedelta(days=30))

    out = StringIO()
    call_command("purge_questions", stdout=out)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.organisation) == ("", "", "")
    assert old.anonymised_at is not None and "fatima" not in old.text.lower()
    assert (
        old.theme.slug == "veiligheid" and old.knowledge_centre.slug == "ccv"
    )  # kept for statistics
    assert (recent.name, recent.email) == ("Fatima El Amrani", "fatima.elamrani@example.nl")
    assert recent.anonymised_at is None
    assert "1 anonymised" in out.getvalue()

    # A second run changes nothing.
    before = list(Question.objects.order_by("pk").values())
    out = StringIO()
    call_command("purge_questions", stdout=out)
    assert list(Question.objects.order_by("pk").values()) == before
    assert "0 anonymised" in out.getvalue()


def test_purge_with_delete_removes_old_questions_only(settings):
    now = timezone.now()
    old = a_question(
        "ccv", created_at=now - dt.timedelta(days=settings.QUESTION_RETENTION_DAYS + 1)
    )
    recent = a_question("ccv", created_at=now - dt.timedelta(days=1))
    Forwarding.objects.create(question=old, to_centre=old.knowledge_centre)

    out = StringIO()
    call_command("purge_questions", "--delete", stdout=out)

    assert list(Question.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "1 deleted" in out.getvalue()
    call_command("purge_questions", "--delete", stdout=StringIO())
    assert Question.objects.count() == 1


def test_odd_thank_you_addresses_still_answer(client):
    for query in ("?ontvangst=%00", "?ontvangst=" + "x" * 500, "?ontvangst=%ff", "?ontvangst=:"):
        response = client.get("/loket/bedankt/" + query)
        assert response.status_code == 200 and 'id="receipt"' not in response.content.decode()


def test_anonymising_also_removes_the_asker_organisation():
    from loket.services import anonymised_texts

    question = a_question("ccv")
    question.name, question.organisation = "Fatima el Amrani", "Wijkteam Delfshaven-Noord"
    question.text = "Ik ben coördinator bij Wijkteam Delfshaven-Noord en Fatima el Amrani wil weten hoe het zit."
    texts = anonymised_texts(question)
    for part in ("Delfshaven-Noord", "Fatima", "Amrani"):
        assert part not in texts["question_text"] and part not in texts["summary"]


def test_behind_trusted_proxies_the_limit_counts_the_real_client(settings):
    from django.test import RequestFactory

    from core.clients import client_address

    factory = RequestFactory()
    forged = factory.post(
        "/loket/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert client_address(forged) == "10.0.0.2"  # no proxy configured: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(forged) == "198.51.100.7"  # what our proxy saw, not what the client wrote


def test_links_in_mails_use_the_public_site_url(settings):
    from loket import notifications

    settings.SITE_URL = "https://kennisloket.example.org"
    notifications.send_answer(a_question("ccv"), "Zo pakken anderen het aan.")
    assert "https://kennisloket.example.org/loket/privacy/" in mail.outbox[-1].body


def test_the_answer_mail_repeats_nothing_the_asker_typed():
    """The asker's address was never confirmed: whoever typed it could put a message for
    anyone in the name or the question. Only the centre's answer goes out."""
    from loket import notifications

    question = a_question(
        "ccv", name="Klik op kl-inlog.nl", text="Uw pas is geblokkeerd, ga naar kl-inlog.nl"
    )
    notifications.send_answer(question, "Zo pakken anderen het aan.")
    body = mail.outbox[-1].body
    assert "kl-inlog" not in body and "geblokkeerd" not in body
    assert "Zo pakken anderen het aan." in body
    assert "Centrum voor Criminaliteitspreventie en Veiligheid heeft die beantwoord" in body


# --- Anonymisation: addresses too, the editor's title, the moderator's confirmation ----------------


def test_the_anonymiser_removes_street_addresses_postcodes_and_house_numbers():
    text = strip_personal_data(
        "Ik ben Fatima van Wijkteam Noord en woon op de Zwaluwstraat 12 in Crooswijk (3031 AB). "
        "Mijn buurvrouw op nummer 14b en de bewoners van de Burgemeester de Vlugtlaan 125-3, "
        "1063BS, en de Laan van Meerdervoort 50a hebben hetzelfde. In 2026 de wijk, 40 wijken.",
        "Fatima",
        "",
        "Wijkteam Noord",
    )
    for personal in (
        "Zwaluwstraat",
        "12",
        "3031",
        "14b",
        "Vlugtlaan",
        "125",
        "1063",
        "Meerdervoort",
        "50a",
    ):
        assert personal not in text, (personal, text)
    assert (
        "in Crooswijk" in text
        and "[adres]" in text
        and "[postcode]" in text
        and "[huisnummer]" in text
    )
    assert "In 2026 de wijk, 40 wijken." in text  # a year and a count are no address


def _submitted_item(editor_username="ccv-redacteur"):
    question = answered_question_with_personal_data()
    question.text += "\n\nIk woon op de Zwaluwstraat 12 in Crooswijk."
    question.save()
    editor = logged_in(centre_editor("ccv", editor_username))
    url = reverse("loket_questions:publish", args=[question.pk])
    initial = {**editor.get(url).context["form"].initial, "title": "Overlast in portiekflats"}
    assert "Zwaluwstraat" not in initial["question_text"]
    assert editor.post(url, {**initial, "action-submit": "submit"}).status_code == 302
    question.refresh_from_db()
    return question, question.published_item


def test_a_moderator_must_confirm_the_anonymisation_before_the_item_goes_live():
    question, page = _submitted_item()
    assert not page.live and page.workflow_in_progress
    mod_user = moderator("mo")
    mod = logged_in(mod_user)

    # Publishing from the editor without the confirmation is refused.
    edit = mod.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    response = mod.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action-publish": "publish"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert "anonimisering" in " ".join(
        str(m) for m in mod.get(response["Location"]).context["messages"]
    )

    # Approving in the workflow asks for it: without the tick nothing happens...
    task_state = page.current_workflow_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    form = mod.get(approve, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert "Anonimisering gecontroleerd" in form.json()["html"]
    refused = mod.post(approve, {"comment": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert refused.json()["step"] == "action"  # the form again, with its error
    page.refresh_from_db()
    assert not page.live
    # ... with it, the item is live and the confirmation is recorded.
    mod.post(
        approve,
        {"comment": "", "anonymisation_checked": "on"},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    page.refresh_from_db()
    question.refresh_from_db()
    assert page.live
    assert question.anonymisation_checked_by == mod_user and question.anonymisation_checked_at


def test_a_moderator_publishing_from_the_question_desk_confirms_it_there(admin_client):
    question = answered_question_with_personal_data()
    url = reverse("loket_questions:publish", args=[question.pk])
    form = admin_client.get(url)
    assert "Anonimisering gecontroleerd" in form.content.decode()
    initial = {**form.context["form"].initial, "title": "Overlast in portiekflats"}
    # Without the confirmation it goes to the moderators rather than live.
    admin_client.post(url, {**initial, "action-submit": "submit"})
    question.refresh_from_db()
    assert not question.published_item.live and question.anonymisation_checked_at is None


def test_bulk_publishing_an_unchecked_question_is_refused():
    _question, page = _submitted_item()
    mod = logged_in(moderator("mo"))
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = mod.post(f"{url}?id={page.pk}&next=/admin/", {"include_descendants": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live


def test_a_reference_that_clashes_with_an_existing_one_is_drawn_again(client, monkeypatch):
    taken = a_question("ccv").reference
    drawn = iter([taken, "KL-AAAA-BBBB"])
    monkeypatch.setattr("loket.services.new_reference", lambda: next(drawn))
    response = client.post(ASK_URL, form_data(), REMOTE_ADDR="192.0.2.40")
    assert response.status_code == 302
    assert Question.objects.filter(reference="KL-AAAA-BBBB").exists()
    assert Question.objects.filter(reference=taken).count() == 1
