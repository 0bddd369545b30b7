"""The search page's markup contract with static/js/search.js: the regions the script swaps,
the hooks it reads, and that the page is a complete form without JavaScript. The behaviour
in a real browser is tested in tests/browser/."""

import re

import pytest

pytestmark = pytest.mark.django_db
SEARCH = "/zoeken/"


def page_html(client, params=None):
    response = client.get(SEARCH, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_loads_the_enhancement_and_its_styles(client):
    html = page_html(client)
    assert re.search(r'<script src="[^"]*js/search(\.[0-9a-f]{12})?\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/search(\.[0-9a-f]{12})?\.css">', html)


def test_the_regions_and_hooks_the_script_uses_are_there(client):
    html = page_html(client, {"thema": "wonen"})
    assert re.search(r'<form id="search-form"[^>]*method="get"[^>]*data-search-form', html)
    assert 'id="search-facets"' in html and 'data-search-region="facets"' in html
    assert 'id="search-results"' in html and 'data-search-region="results"' in html
    assert re.search(r'<h2 id="results-heading"[^>]*tabindex="-1"', html)
    assert re.search(r'<p id="search-status"[^>]*aria-live="polite"', html)
    # Stable ids on the checkboxes: facet-<param>-<value>.
    assert re.search(
        r'<input type="checkbox" id="facet-thema-wonen" name="thema" value="wonen" checked>', html
    )
    # Chips, "remove all" and the page links are the links the script follows in place.
    assert re.search(r'<a class="chip" href="/zoeken/"[^>]*data-search-link', html)
    assert re.search(r'rel="next" href="[^"]*" data-search-link', page_html(client))


def test_without_javascript_the_form_has_its_own_buttons(client):
    html = page_html(client)
    # "Filters toepassen" submits the facets; the script hides it (ticking applies at once).
    # "Sorteren" stays with JavaScript too: a sort list is not applied while arrowing through it.
    assert re.search(
        r'<button type="submit"[^>]*data-search-no-js>Filters toepassen</button>', html
    )
    assert '<button type="submit" id="search-sort-apply">Sorteren</button>' in html
    assert '<button type="submit" id="search-submit">Zoeken</button>' in html


def test_the_result_count_the_live_region_announces_is_dutch(client):
    html = page_html(client, {"q": "zzzzzz-niets"})
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', html, re.S).group(1)
    assert heading.strip() == "0 resultaten"


def test_head_is_answered_like_get_without_a_body(client):
    """Link checkers and uptime monitors ask HEAD; it was 405."""
    response = client.head(SEARCH, {"thema": "wonen"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.content == b""
    assert client.post(SEARCH).status_code == 405
