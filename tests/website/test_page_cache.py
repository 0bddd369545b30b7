"""Whole pages for anonymous visitors come from the page cache, and a change shows at once.

The page cache (website.middleware.AnonymousPageCache) keeps a rendered page under the state
of the public content (core.freshness); these tests change content the ways editors and
visitors do and check that the next view shows the change."""

import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agenda.models import EventPage
from experiments.models import ExperimentPage

pytestmark = pytest.mark.django_db


def _experiment():
    return ExperimentPage.objects.live().public().order_by("pk").first()


def _get(client, url, **headers):
    return client.get(url, headers=headers)


def test_a_second_view_comes_from_the_cache_with_one_query(client):
    url = _experiment().url
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Only the state of the public content is read.
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_a_published_change_shows_at_once_on_the_page_and_its_wijk(client):
    page = _experiment()
    wijk = page.neighbourhoods.select_related("municipality").first()
    assert wijk is not None, "the demo experiment should lie in a wijk"
    wijk_url = f"/wijken/{wijk.municipality.slug}/{wijk.slug}/"
    for url in (page.url, wijk_url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
        assert "Stadsmarinier, tweede ronde" not in client.get(url).content.decode()

    page.title = "Stadsmarinier, tweede ronde"
    page.save_revision().publish()

    # Publishing changes the state every cached page was kept under, not only the edited
    # page's: the wijk page lists the experiment too.
    for url in (page.url, wijk_url):
        after = client.get(url)
        assert after["X-Page-Cache"] == "miss", url
        assert "Stadsmarinier, tweede ronde" in after.content.decode(), url


def test_an_unpublished_page_is_gone_at_once(client):
    page = _experiment()
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_page_made_private_is_not_shown_from_the_cache(client):
    from wagtail.models import PageViewRestriction

    page = _experiment()
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    after = client.get(page.url)
    assert after.status_code == 302 and "/login" in after["Location"]


def test_a_renamed_theme_shows_at_once_on_pages_and_in_the_facets(client):
    page = _experiment()
    theme = page.themes.first()
    assert theme is not None, "the demo experiment should have a theme"
    client.get(page.url)
    client.get("/zoeken/")
    theme.name = "Veilig in de buurt (hernoemd)"
    theme.save()
    assert "Veilig in de buurt (hernoemd)" in client.get(page.url).content.decode()
    # The search's facet labels are cached per process under the same state.
    assert "Veilig in de buurt (hernoemd)" in client.get("/zoeken/").content.decode()


def test_a_change_committed_by_another_process_shows_at_once(client):
    """Another app server's change reaches this one only through the database: a row in
    core_publiccontentchange, written there in the changing transaction."""
    page = _experiment()
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    # As another process would: the content and its change row, no signal in this one.
    ExperimentPage.objects.filter(pk=page.pk).update(title="Gewijzigd door een ander proces")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_publiccontentchange (token) VALUES ('elders00000000000000000000000000')"
        )
    after = client.get(page.url)
    assert after["X-Page-Cache"] == "miss"
    assert "Gewijzigd door een ander proces" in after.content.decode()


def test_a_logged_in_editor_is_never_served_from_the_cache(client, moderator_client):
    url = _experiment().url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    editor_view = moderator_client.get(url)
    assert editor_view.status_code == 200
    assert "X-Page-Cache" not in editor_view
    assert b"wagtail-userbar" in editor_view.content  # what the check below looks for
    # What the editor saw (the userbar) is not kept for visitors either.
    assert b"wagtail-userbar" not in client.get(url).content


def test_a_page_with_a_form_is_never_kept(client):
    """A form carries a CSRF token tied to the visitor's cookie: never shown to another one."""
    event = EventPage.objects.live().filter(registration_open=True).order_by("-starts_at").first()
    assert event is not None, "the demo agenda should have an event one can register for"
    url = event.url + "aanmelden/"
    first = client.get(url)
    assert first.status_code == 200 and "csrftoken" in first.cookies
    assert "X-Page-Cache" not in first
    other = Client().get(url)
    assert "X-Page-Cache" not in other and "csrftoken" in other.cookies


def test_searches_and_query_strings_are_not_kept(client):
    for url in ("/zoeken/", "/zoeken/?q=jongeren", "/experimenten/?page=1"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url), url


def test_html_and_json_are_compressed_for_a_client_that_accepts_gzip(client):
    url = _experiment().url
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) * 3 < len(plain.content)
    api = client.get("/api/v1/experimenten", headers={"accept-encoding": "gzip"})
    assert api["Content-Encoding"] == "gzip"
    assert gzip.decompress(api.content).startswith(b"{")
    # Without Accept-Encoding the page is sent as it is.
    assert "Content-Encoding" not in plain


def test_a_browser_that_has_the_page_gets_a_304(client):
    url = _experiment().url
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    page = ExperimentPage.objects.get(pk=_experiment().pk)
    page.title = "Na de wijziging"
    page.save_revision().publish()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and b"Na de wijziging" in changed.content


def test_an_answer_marked_never_cache_is_not_kept(client):
    """What a view marks never_cache (a signed link's page, the health checks) is not kept,
    even when it sets no cookie."""
    first = client.get("/health/live")
    assert first.status_code == 200 and not first.cookies
    assert "no-cache" in first["Cache-Control"]
    assert "X-Page-Cache" not in client.get("/health/live")
