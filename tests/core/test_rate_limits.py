"""Rate limits that hold under a burst, and addresses that cannot be varied to get a fresh
allowance: a client behind our proxy with another port, a mailbox written another way."""

import http.client
import re
import threading
import urllib.parse
import uuid
from collections import Counter

import pytest
from django.core import mail
from django.test import RequestFactory

from core.clients import client_address
from core.public_forms import mailbox_key

BURST = 20
LIMIT = 5  # QUESTION_RATE_LIMIT's default, which the live site runs with


def _get_form(site):
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(site.url).netloc, timeout=30)
    connection.request("GET", "/loket/")
    response = connection.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return cookie, token


def test_a_burst_of_simultaneous_questions_stores_no_more_than_the_limit(live_site):
    """20 valid questions at the same moment from one client, each from another port of its
    address (as a NAT gateway sends them): 5 are stored, the other 15 get 429, none a 500."""
    cookie, token = _get_form(live_site)
    theme_id = live_site.query("SELECT id FROM vocabulary_theme WHERE slug = 'veiligheid'")[0][0]
    marker = f"burst-{uuid.uuid4().hex[:8]}"
    start = threading.Barrier(BURST)
    statuses: list[int] = []

    def ask(n):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": "Petra de Vries",
                "email": "petra@example.org",
                "organisation": "",
                "municipality": "",
                "theme": theme_id,
                "consent": "on",
                "website": "",
                "question": f"Werkt een buurtbemiddelaar in portiekflats? ({marker} {n})",
            }
        )
        connection = http.client.HTTPConnection(
            urllib.parse.urlsplit(live_site.url).netloc, timeout=60
        )
        start.wait()
        connection.request(
            "POST",
            "/loket/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "X-Forwarded-For": f"203.0.113.50:{40000 + n}",
                "Referer": live_site.url + "/loket/",
            },
        )
        statuses.append(connection.getresponse().status)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Counter(statuses) == {302: LIMIT, 429: BURST - LIMIT}, (
        Counter(statuses),
        live_site.log_tail(),
    )
    stored = live_site.query(
        "SELECT COUNT(*) FROM loket_question WHERE text LIKE ?", (f"%{marker}%",)
    )[0][0]
    assert stored == LIMIT


@pytest.mark.parametrize(
    "forwarded,expected",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.7:51234", "203.0.113.7"),
        ("1.2.3.4, 203.0.113.7:443", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("geen-adres", "10.0.0.2"),  # not an address: the proxy's own
    ],
)
def test_a_port_in_x_forwarded_for_is_not_a_new_client(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        "/loket/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


@pytest.mark.parametrize(
    "variant",
    [
        "victim@example.org",
        "Victim@Example.ORG",
        "victim+1@example.org",
        "victim+nieuws@example.org",
        '"victim"@example.org',
        '"Victim"+2@example.org',
        "victim@example.org.",
    ],
)
def test_ways_of_writing_one_mailbox_are_one_mailbox(variant):
    assert mailbox_key(variant) == "victim@example.org"


def test_other_mailboxes_stay_apart():
    assert mailbox_key("victim@example.org") != mailbox_key("victim2@example.org")
    assert mailbox_key("victim@example.org") != mailbox_key("victim@example.net")


@pytest.mark.django_db
def test_sub_addresses_and_quotes_share_one_allowance_of_confirmation_mails(client, settings):
    settings.ALERT_RATE_LIMIT = 100
    settings.ALERT_EMAIL_RATE_LIMIT = 2
    for n, address in enumerate(
        [
            "victim+1@example.org",
            '"victim"@example.org',
            "victim+3@example.org",
            "VICTIM+4@example.org",
        ]
    ):
        response = client.post(
            f"/attenderingen/nieuw/?thema=wonen&q=buurt{n}",
            {"email": address, "frequency": "weekly"},
            REMOTE_ADDR="192.0.2.60",
        )
        assert response.status_code == 302  # the page says the same whatever happens
    assert len(mail.outbox) == 2


def test_a_request_made_by_code_has_no_client_ip_but_a_bucket():
    """force_login and management commands build requests without REMOTE_ADDR: django-axes then
    stores no address (PostgreSQL's inet column refuses "unknown")."""
    from django.http import HttpRequest

    from core.clients import client_bucket, client_ip

    request = HttpRequest()
    assert client_ip(request) is None
    assert client_bucket(request, scope="loket")
