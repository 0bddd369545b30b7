"""The pages every Dutch government site has: colofon, contact, privacy, cookie and accessibility
statements, made by ensure_site_structure, linked from every page's footer, and stating the facts
(retention periods, cookies) the code and settings decide."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from wagtail.models import Page

from experiments.models import ExperimentPage
from tests.factories import live_page_of
from website.models import StandardPage
from website.structure import STATEMENT_PAGES, ensure_site_structure

pytestmark = pytest.mark.django_db

TITLES = {
    "over": "Over het Kennisloket",
    "contact": "Contact",
    "privacy": "Privacyverklaring",
    "cookies": "Cookieverklaring",
    "toegankelijkheid": "Toegankelijkheidsverklaring",
}


def _page(slug):
    return StandardPage.objects.get(slug=slug, depth=3)


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer') :]


def test_every_statement_page_exists_and_is_live(client):
    assert set(STATEMENT_PAGES) == set(TITLES)
    for slug, title in TITLES.items():
        page = _page(slug)
        assert page.live and page.title == title
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<h1>{title}</h1>" in response.content.decode()


@pytest.mark.parametrize("where", ["home", "registration"])
def test_the_footer_links_every_statement_page(client, where):
    url = "/" if where == "home" else live_page_of(ExperimentPage).url
    footer = _footer(client.get(url).content.decode())
    for slug, title in TITLES.items():
        assert f'<a href="{_page(slug).url}">{title}</a>' in footer


def test_the_footer_follows_the_editors_title_and_leaves_out_unpublished_pages(client):
    contact = _page("contact")
    contact.title = "Contact met de redactie"
    contact.save_revision().publish()
    _page("cookies").unpublish()
    footer = _footer(client.get("/").content.decode())
    assert ">Contact met de redactie</a>" in footer
    assert "Cookieverklaring" not in footer


def test_ensure_site_structure_leaves_an_editors_text_alone():
    privacy = _page("privacy")
    privacy.intro = "<p>Door de redactie herschreven.</p>"
    privacy.save_revision().publish()
    ensure_site_structure()
    assert StandardPage.objects.filter(slug="privacy").count() == 1
    assert _page("privacy").intro == "<p>Door de redactie herschreven.</p>"


def test_the_privacy_statement_shows_the_retention_periods_of_the_settings(client, settings):
    url = _page("privacy").url
    html = client.get(url).content.decode()
    assert f"{settings.QUESTION_RETENTION_DAYS} dagen nadat de vraag" in html
    assert f"na {settings.ALERT_CONFIRM_DAYS} dagen" in html
    assert f"na {settings.ADMIN_SESSION_IDLE_MINUTES} minuten zonder activiteit" in html
    assert f"verwijderd na {settings.LOGIN_RECORD_RETENTION_DAYS} dagen" in html

    settings.QUESTION_RETENTION_DAYS = 90
    settings.ALERT_CONFIRM_DAYS = 3
    settings.ADMIN_SESSION_IDLE_MINUTES = 20
    settings.ADMIN_SESSION_MAX_HOURS = 8
    settings.LOGIN_RECORD_RETENTION_DAYS = 30
    # Settings change with a restart, which starts each process with an empty page cache.
    caches["pages"].clear()
    html = client.get(url).content.decode()
    assert "verwijderd na 30 dagen" in html
    assert "90 dagen nadat de vraag" in html
    assert "na 3 dagen" in html
    assert "na 20 minuten zonder activiteit, en uiterlijk 8 uur na het inloggen" in html


def _cookie_names(html: str) -> set[str]:
    table = html[html.index('<table class="table') : html.index("</table>")]
    return set(re.findall(r'<th scope="row"><code>([^<]+)</code></th>', table))


def test_an_anonymous_visitor_gets_only_the_csrf_cookie_and_only_from_a_form():
    visitor = Client()
    for url in ["/", "/zoeken/?q=wijk", live_page_of(ExperimentPage).url, _page("cookies").url]:
        assert not visitor.get(url).cookies, f"{url} sets a cookie for a reader"
    assert set(visitor.get("/loket/").cookies) == {settings.CSRF_COOKIE_NAME}


def test_the_cookie_statement_names_the_cookies_the_site_sets(client, admin_client):
    named = _cookie_names(client.get(_page("cookies").url).content.decode())
    # A form sets the CSRF cookie; logging in sets the session cookie (admin_client did); a
    # notice in the admin (here: "logged out") travels to the next page in the messages cookie.
    set_by_site = set(Client().get("/loket/").cookies) | set(admin_client.cookies)
    set_by_site |= set(admin_client.post("/admin/logout/").cookies)
    assert named == set_by_site
    assert named == {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME, "messages"}


def test_the_statement_pages_are_below_the_home_page_only():
    home = Page.objects.get(depth=2)
    assert all(_page(slug).get_parent().pk == home.pk for slug in TITLES)


def test_editors_open_the_statements_in_the_admin_with_the_fact_blocks_on_offer(admin_client):
    for slug in ("privacy", "cookies"):
        response = admin_client.get(f"/admin/pages/{_page(slug).pk}/edit/")
        assert response.status_code == 200
        assert "bewaartermijnen" in response.content.decode().lower()
