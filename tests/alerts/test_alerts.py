"""Search alerts (alerts/): subscribing to a /zoeken/ search by email with double opt-in, the
digest of new matches from `send_alerts`, unsubscribing from the link, clear pages for bad
links, and no email address on any public page.

What a digest holds (decided in alerts/services.py): pages first published after the
subscription was confirmed that its search finds, each only once."""

import datetime as dt
import re
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from alerts import services, tokens
from alerts.models import SentItem, Subscription
from search.models import IndexQueueEntry
from tests.factories import ExperimentPageFactory
from tests.search_helpers import publish
from vocabulary.models import Neighbourhood, Theme

pytestmark = pytest.mark.django_db

EMAIL = "lezer.alert@example.org"
SEARCH = "thema=veiligheid&gemeente=rotterdam"
SUBSCRIBE_URL = "/attenderingen/nieuw/"
LINK_RE = r"https?://[^\s/]+(/attenderingen/{}/[^\s]+/)"


# --- Builders ---------------------------------------------------------------------------------


def subscribe(client, query=SEARCH, email=EMAIL, frequency="daily", **extra):
    return client.post(
        f"{SUBSCRIBE_URL}?{query}", {"email": email, "frequency": frequency, **extra}
    )


def link_in(message, kind) -> str:
    """The path of the confirm (`bevestigen`) or unsubscribe (`afmelden`) link in an email."""
    match = re.search(LINK_RE.format(kind), message.body)
    assert match, message.body
    return match.group(1)


def subscribed(client, query=SEARCH, email=EMAIL, frequency="daily") -> Subscription:
    """A confirmed subscription, made the way a visitor makes one: the form, then the link."""
    mail.outbox.clear()
    assert subscribe(client, query, email, frequency).status_code == 302
    confirm_path = link_in(mail.outbox[-1], "bevestigen")
    assert client.post(confirm_path).status_code == 200
    mail.outbox.clear()
    return Subscription.objects.get(email=email, query=query, confirmed_at__isnull=False)


def matching_page(capture, title):
    """A new experiment in Rotterdam on veiligheid (matches SEARCH), published and indexed."""
    return publish(
        ExperimentPageFactory(gemeente="rotterdam", wijk="crooswijk", title=title), capture
    )


def other_page(capture, title):
    """A new experiment elsewhere (does not match SEARCH)."""
    wijk = Neighbourhood.objects.filter(municipality__slug="amsterdam").first()
    return publish(
        ExperimentPageFactory(gemeente="amsterdam", wijk=wijk.slug, title=title), capture
    )


def run(**kwargs):
    return services.send_due_alerts(**kwargs)


def a_day_later(subscription):
    """Make the subscription's last digest a day old, so a daily alert is due again."""
    Subscription.objects.filter(pk=subscription.pk).update(
        last_sent_at=timezone.now() - dt.timedelta(days=1, hours=1)
    )


# --- Subscribing and the digest ----------------------------------------------------------------


def test_subscribe_confirm_and_digest_of_exactly_the_new_matches(
    client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    page = client.get(f"{SUBSCRIBE_URL}?{SEARCH}&sort=datum&page=2&format=json")
    assert page.status_code == 200
    assert "Rotterdam" in page.content.decode()  # the search in words (a vocabulary name)

    response = subscribe(client, f"{SEARCH}&sort=datum&page=2")
    assert response.status_code == 302 and response["Location"] == "/attenderingen/verstuurd/"
    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1
    subscription = Subscription.objects.get()
    assert subscription.email == EMAIL and subscription.confirmed_at is None
    assert subscription.query == SEARCH  # only the search itself: no sort, page or format
    assert subscription.frequency == "daily"

    # Nothing goes to an unconfirmed subscription, whatever is published.
    before = matching_page(capture, "Buurtpreventie Crooswijk voor bevestiging")
    report = run()
    assert report.sent == 0 and len(mail.outbox) == 1

    # Opening the link shows a button; only pressing it confirms (a mail scanner cannot).
    confirm_path = link_in(mail.outbox[0], "bevestigen")
    assert client.get(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # A new subscription starts from now: what the search found already is not sent.
    mail.outbox.clear()
    assert run().sent == 0 and mail.outbox == []

    new = matching_page(capture, "Stadsmarinier Crooswijk nieuw")
    other = other_page(capture, "Gezinscoach Amsterdam nieuw")
    report = run()
    assert report.sent == 1 and report.results == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [EMAIL]
    assert new.title in digest.body and f"{settings.SITE_URL}{new.url}" in digest.body
    assert other.title not in digest.body and before.title not in digest.body
    html, mimetype = digest.alternatives[0]
    assert mimetype == "text/html" and new.title in html
    assert set(
        SentItem.objects.filter(subscription=subscription).values_list("page_id", flat=True)
    ) == {new.pk}

    # A second run sends nothing: not due again today, and nothing new anyway.
    mail.outbox.clear()
    assert run().sent == 0
    a_day_later(subscription)
    assert run().sent == 0 and mail.outbox == []

    # An amended page is not sent twice; the next new match is sent alone.
    new.title = "Stadsmarinier Crooswijk, gewijzigd"
    publish(new, capture)
    newer = matching_page(capture, "Wijkteam Crooswijk nog nieuwer")
    a_day_later(subscription)
    report = run()
    assert report.sent == 1 and report.results == 1
    body = mail.outbox[0].body
    assert newer.title in body
    assert "Stadsmarinier Crooswijk" not in body and other.title not in body
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_a_later_page_is_sent_when_an_amendment_makes_it_match(
    client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscription = subscribed(client)
    page = ExperimentPageFactory(gemeente="rotterdam", wijk="crooswijk", title="Eerst over wonen")
    page.themes = [Theme.objects.get(slug="wonen")]
    publish(page, capture)
    assert run().sent == 0

    # Now also on veiligheid: it matches, and it was published after the subscription.
    page.themes = [Theme.objects.get(slug="wonen"), Theme.objects.get(slug="veiligheid")]
    publish(page, capture)
    a_day_later(subscription)
    assert run().sent == 1
    assert "Eerst over wonen" in mail.outbox[0].body


def test_an_alert_on_everything_and_a_digest_limit_that_carries_the_rest_over(
    client, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    settings.ALERT_DIGEST_MAX_ITEMS = 1
    assert client.get(SUBSCRIBE_URL).status_code == 200
    subscription = subscribed(client, query="")
    first = matching_page(capture, "Eerste van twee")
    second = other_page(capture, "Tweede van twee")

    report = run()
    assert report.sent == 1 and report.digests[0].more == 1
    a_day_later(subscription)
    assert run().sent == 1
    a_day_later(subscription)
    assert run().sent == 0
    bodies = [m.body for m in mail.outbox]
    assert len(bodies) == 2
    assert (
        sum(first.title in b for b in bodies) == 1 and sum(second.title in b for b in bodies) == 1
    )


def test_weekly_frequency_is_respected(client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    subscription = subscribed(client, frequency="weekly")
    Subscription.objects.filter(pk=subscription.pk).update(
        last_sent_at=timezone.now() - dt.timedelta(days=3)
    )
    page = matching_page(capture, "Wekelijks nieuw in Crooswijk")

    assert run().sent == 0  # sent three days ago: not due
    assert run(frequency="daily").sent == 0
    assert mail.outbox == []

    Subscription.objects.filter(pk=subscription.pk).update(
        last_sent_at=timezone.now() - dt.timedelta(days=7)
    )
    assert run(frequency="daily").sent == 0  # only daily alerts asked for
    assert run(frequency="weekly").sent == 1
    assert page.title in mail.outbox[0].body


def test_due_goes_by_calendar_day():
    """A cron job running a little earlier than the day before still finds its alerts due."""
    sent = timezone.make_aware(dt.datetime(2026, 3, 2, 7, 0, 5))  # a Monday, 07:00:05
    daily = Subscription.objects.create(
        email="a@example.org", frequency="daily", confirmed_at=sent, last_sent_at=sent
    )
    weekly = Subscription.objects.create(
        email="b@example.org", frequency="weekly", confirmed_at=sent, last_sent_at=sent
    )
    Subscription.objects.create(email="c@example.org", frequency="daily")  # unconfirmed: never due

    def due(now):
        return set(services.due(timezone.make_aware(now)))

    assert due(dt.datetime(2026, 3, 2, 23, 59)) == set()
    assert due(dt.datetime(2026, 3, 3, 7, 0, 0)) == {daily}
    assert due(dt.datetime(2026, 3, 8, 23, 0)) == {daily}
    assert due(dt.datetime(2026, 3, 9, 7, 0, 0)) == {daily, weekly}


def test_on_elasticsearch_a_page_it_has_not_taken_yet_comes_in_a_later_digest(
    client, es_settings, django_capture_on_commit_callbacks
):
    """Elasticsearch answers the searches when configured; a change it has not taken yet (it was
    down) must not be passed over: the alerts' high-water mark stays before the queue."""
    engine, live_url = es_settings.es_engine, es_settings.ELASTICSEARCH_URL
    subscribed(client)
    es_settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # down while the page is published
    page = matching_page(django_capture_on_commit_callbacks, "Wachtend op Elasticsearch")
    es_settings.ELASTICSEARCH_URL = live_url  # back, but the change still waits in the queue
    assert IndexQueueEntry.objects.exists()

    later = timezone.now() + dt.timedelta(hours=2)  # well past the overlap of a run
    report = run(now=later)
    assert report.checked == 1 and report.sent == 0  # Elasticsearch answered, without the page

    call_command("search_index", "process_queue", verbosity=0)
    engine.refresh()
    assert run(now=later + dt.timedelta(minutes=5)).sent == 1
    assert page.title in mail.outbox[0].body


# --- Unsubscribing and bad links -------------------------------------------------------------


def test_unsubscribe_link_in_the_digest_works(client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    subscription = subscribed(client)
    matching_page(capture, "Iets nieuws in Crooswijk")
    assert run().sent == 1
    digest = mail.outbox[0]
    path = link_in(digest, "afmelden")
    assert digest.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{path}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in digest.alternatives[0][0]

    assert client.get(path).status_code == 200  # a page with a button; nothing happens yet
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(path).status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert not SentItem.objects.filter(subscription_id=subscription.pk).exists()

    mail.outbox.clear()
    matching_page(capture, "Nog iets nieuws in Crooswijk")
    Subscription.objects.update(last_sent_at=None)
    assert run().sent == 0 and mail.outbox == []

    again = client.get(path)  # the old link: a clear page, not an error
    assert again.status_code == 404
    assert 'data-reason="gone"' in again.content.decode()


def test_one_click_unsubscribe_without_csrf_token(client):
    """RFC 8058: the mail program POSTs `List-Unsubscribe=One-Click` to the link."""
    subscription = subscribed(client)
    path = services.emails.unsubscribe_url(subscription).removeprefix(settings.SITE_URL)
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_bad_and_expired_links_give_a_clear_page(client, monkeypatch):
    assert subscribe(client).status_code == 302
    subscription = Subscription.objects.get()
    confirm_path = link_in(mail.outbox[0], "bevestigen")
    token = confirm_path.rstrip("/").rsplit("/", 1)[1]

    def reason(response):
        return re.search(r'data-reason="(\w+)"', response.content.decode()).group(1)

    for path in (
        f"/attenderingen/bevestigen/{token}x/",
        "/attenderingen/bevestigen/onzin/",
        f"/attenderingen/afmelden/{token}/",  # a confirm token is no unsubscribe token
        "/attenderingen/afmelden/onzin:abc/",
    ):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 400, path
            assert reason(response) == "bad"
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    # A confirmation link older than ALERT_CONFIRM_DAYS (7) has expired.
    eight_days_ago = int(time.time()) - 8 * 86400
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago)
    )
    old_token = tokens.confirm_token(subscription)
    monkeypatch.undo()
    for method in (client.get, client.post):
        response = method(f"/attenderingen/bevestigen/{old_token}/")
        assert response.status_code == 410
        assert reason(response) == "expired"
        assert (
            f'href="/attenderingen/nieuw/?{SEARCH.replace("&", "&amp;")}"'
            in response.content.decode()
        )
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    # Once confirmed, the old link just says the alert is on.
    services.confirm(subscription)
    assert client.get(f"/attenderingen/bevestigen/{old_token}/").status_code == 200

    # Links of an alert that no longer exists.
    unsubscribe_path = f"/attenderingen/afmelden/{tokens.unsubscribe_token(subscription)}/"
    subscription.delete()
    for path in (confirm_path, unsubscribe_path):
        response = client.get(path)
        assert response.status_code == 404 and reason(response) == "gone"


def test_unconfirmed_subscriptions_are_deleted_when_their_link_expires(client):
    subscribe(client)
    Subscription.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    assert run().purged == 1
    assert not Subscription.objects.exists()


# --- The form --------------------------------------------------------------------------------


def test_honeypot_stores_and_sends_nothing(client):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscription.objects.exists() and mail.outbox == []


def test_invalid_email_shows_the_form_again(client):
    response = subscribe(client, email="geen-adres")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Subscription.objects.exists() and mail.outbox == []


def test_rate_limits(client, settings):
    settings.ALERT_RATE_LIMIT = 2
    assert subscribe(client, "thema=veiligheid", email="een@example.org").status_code == 302
    assert subscribe(client, "thema=wonen", email="twee@example.org").status_code == 302
    response = subscribe(client, "thema=werken", email="drie@example.org")
    assert response.status_code == 429 and response["Retry-After"]
    assert Subscription.objects.count() == 2 and len(mail.outbox) == 2

    # Per address: the form cannot be used to flood someone's inbox with confirmations.
    cache.clear()
    mail.outbox.clear()
    settings.ALERT_RATE_LIMIT = 100
    settings.ALERT_EMAIL_RATE_LIMIT = 2
    for theme in Theme.objects.values_list("slug", flat=True)[:4]:
        assert subscribe(client, f"thema={theme}", email="Doelwit@Example.org").status_code == 302
    assert len(mail.outbox) == 2


def test_unknown_filter_values_are_left_out_of_the_alert(client):
    response = client.get(
        f"{SUBSCRIBE_URL}?wijk=bestaat-niet&gemeente=rotterdam&thema=veiligheid&q=%20buurt%20"
    )
    assert response.status_code == 200
    assert response.context["alert"].notices  # said, as on /zoeken/
    subscribe(client, "wijk=bestaat-niet&gemeente=rotterdam&thema=veiligheid&q=%20buurt%20")
    assert Subscription.objects.get().query == "q=buurt&thema=veiligheid&gemeente=rotterdam"


def test_confirming_the_same_search_twice_keeps_one_alert(client):
    first = subscribed(client, frequency="daily")
    second = subscribed(client, frequency="weekly")
    assert first.pk == second.pk
    assert Subscription.objects.filter(email=EMAIL).count() == 1
    assert Subscription.objects.get().frequency == "weekly"


def test_an_alert_whose_filter_value_disappeared_is_not_run():
    """The search service would drop the unknown value and widen the search."""
    Subscription.objects.create(
        email=EMAIL,
        query="thema=bestaat-niet-meer",
        confirmed_at=timezone.now() - dt.timedelta(days=2),
    )
    report = run()
    assert report.invalid and report.sent == 0


def test_the_include_for_the_search_page_links_to_the_subscribe_page():
    html = render_to_string(
        "alerts/subscribe_form.html",
        {"search_query": "q=gezinscoach&thema=veiligheid&sort=datum&page=3&format=json"},
    )
    assert 'href="/attenderingen/nieuw/?q=gezinscoach&amp;thema=veiligheid"' in html
    assert 'href="/attenderingen/nieuw/"' in render_to_string(
        "alerts/subscribe_form.html", {"search_query": ""}
    )


def test_send_alerts_command(client, django_capture_on_commit_callbacks):
    subscribed(client)
    page = matching_page(django_capture_on_commit_callbacks, "Voor het commando")
    out = StringIO()
    call_command("send_alerts", "--dry-run", stdout=out)
    assert page.title in out.getvalue() and EMAIL not in out.getvalue()
    assert mail.outbox == [] and not SentItem.objects.exists()

    out = StringIO()
    call_command("send_alerts", "--frequency", "daily", stdout=out)
    assert len(mail.outbox) == 1 and EMAIL not in out.getvalue()
    assert SentItem.objects.filter(page_id=page.pk).exists()


# --- No email address anywhere public ---------------------------------------------------------


def test_the_email_address_never_appears_on_a_public_page(
    client, django_capture_on_commit_callbacks
):
    local_part = EMAIL.split("@")[0]
    seen = []

    def get(path, method="get"):
        response = getattr(client, method)(path, follow=True)
        assert response.status_code == 200, path
        seen.append((path, response.content.decode()))
        return response

    get(f"{SUBSCRIBE_URL}?{SEARCH}")
    response = subscribe(client)
    get(response["Location"])
    confirm_path = link_in(mail.outbox[0], "bevestigen")
    get(confirm_path)
    get(confirm_path, "post")
    get(confirm_path)  # already confirmed
    matching_page(django_capture_on_commit_callbacks, "Adrescontrole Crooswijk")
    run()
    unsubscribe_path = link_in(mail.outbox[-1], "afmelden")
    get(unsubscribe_path)
    get(f"/zoeken/?{SEARCH}")
    get(f"/zoeken/?{SEARCH}&format=json")
    get("/zoeken/?q=lezer&format=json")
    get("/")
    get(unsubscribe_path, "post")
    for path, content in seen:
        assert EMAIL not in content.lower() and local_part not in content.lower(), path


def test_the_confirmation_mail_does_not_repeat_links_or_long_texts(client):
    from django.core import mail

    text = "Win een prijs op https://spam.example/prijs en nog veel meer tekst die niemand vroeg"
    response = client.post(
        "/attenderingen/nieuw/?" + "q=" + text.replace(" ", "+"),
        {"email": "iemand@example.org", "frequency": "daily"},
        REMOTE_ADDR="192.0.2.77",
    )
    assert response.status_code in (200, 302)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "spam.example" not in body and "niemand vroeg" not in body


def test_the_confirmation_mail_carries_no_text_from_the_request(
    client, django_capture_on_commit_callbacks
):
    """Sent from the site's own address to an address nobody confirmed: a search text like this
    one (a bare domain passed the old link filter) must not reach it. After confirming, the
    digests do show the search as the subscriber typed it."""
    text = "Uw account verloopt log in op kl-inlog.nl"
    response = subscribe(
        client, f"q={text.replace(' ', '+')}&thema=veiligheid", email="doelwit@example.org"
    )
    assert response.status_code == 302
    body = mail.outbox[0].body
    for word in ("kl-inlog", "verloopt", "account", "log in"):
        assert word not in body.lower(), word
    assert "Zoektekst: (ziet u na uw bevestiging)" in body
    assert "Thema: Veiligheid" in body  # the site's own words for the filters stay
    assert mail.outbox[0].from_email == "Kennisloket Krachtwijken <noreply@localhost>"


def test_an_alert_on_barriers_to_one_ministry_brings_its_new_entries(
    client, django_capture_on_commit_callbacks
):
    """The programme's barrier register is in the one search, so an alert on "belemmeringen
    for SZW" sends new entries for SZW and nothing else."""
    from programme.models import Ministry
    from tests.factories import BarrierPageFactory

    capture = django_capture_on_commit_callbacks
    subscribed(client, query="type=belemmering&ministerie=szw")
    for_szw = publish(BarrierPageFactory(title="Bijstandsregels in de weg"), capture)
    publish(
        BarrierPageFactory(
            title="Regels van een ander ministerie", ministry=Ministry.objects.get(slug="bzk")
        ),
        capture,
    )
    matching_page(capture, "Een experiment, geen belemmering")

    assert run().sent == 1
    body = mail.outbox[0].body
    assert for_szw.title in body
    assert "Regels van een ander ministerie" not in body
    assert "Een experiment, geen belemmering" not in body
