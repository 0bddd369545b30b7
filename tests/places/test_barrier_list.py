"""/belemmeringen/: the search with the type fixed to belemmering, its facets (ministerie,
afhandeling, gemeente, ...), paging, odd input, and a feed that is the search's."""

import re
from html import unescape

import pytest
from django.utils.translation import override

from programme.models import Ministry
from tests.factories import BarrierIndexPageFactory, BarrierPageFactory, ExperimentPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    mvp = Ministry.objects.create(name="Ministerie van Proeven", abbreviation="MvP", slug="mvp")
    BarrierIndexPageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        raisers = [
            ExperimentPageFactory(gemeente=g, wijk="noord", published=True)
            for g in ("proefstad", "testdorp", "testdorp")
        ]
        shared = BarrierPageFactory(
            title="Gedeelde belemmering", ministry=mvp, experiments=raisers, published=True
        )
        solved = BarrierPageFactory(
            title="Opgeloste belemmering",
            ministry=mvp,
            status="opgelost",
            experiments=raisers[:1],
            published=True,
        )
    return {"shared": shared, "solved": solved}


def titles(html):
    return re.findall(r'<h3 class="result__title"><a href="[^"]+">([^<]+)</a>', html)


def facet_link(html, param, value):
    match = re.search(rf'id="facet-{param}-{value}"', html)
    assert match, (param, value)
    return f"/belemmeringen/?{param}={value}"


def test_the_register_lists_only_entries_with_their_ministry_status_and_reach(client, register):
    with override("nl"):
        html = client.get("/belemmeringen/", {"ministerie": "mvp"}).content.decode()
    assert sorted(titles(html)) == ["Gedeelde belemmering", "Opgeloste belemmering"]
    assert 'id="facet-type' not in html  # the type is fixed by the address
    assert 'id="facet-ministerie-mvp"' in html and 'id="facet-afhandeling-opgelost"' in html
    assert "Ministerie van Proeven" in html
    assert "2 gemeenten" in html  # the shared entry, raised by three registrations of two
    # Its title is the register's own, in the tab and in link previews.
    title = re.search(r"<title>([^<]*)</title>", html)[1]
    assert unescape(title).startswith("Belemmeringen en vragen aan het Rijk")
    # The feed it announces is the search's with the type fixed.
    assert 'href="/zoeken/?type=belemmering&amp;format=atom"' in html


def test_following_a_facet_link_narrows_the_list(client, register):
    html = client.get("/belemmeringen/", {"ministerie": "mvp"}).content.decode()
    link = re.search(r'id="facet-afhandeling-opgelost"', html)
    assert link
    narrowed = client.get("/belemmeringen/", {"ministerie": "mvp", "afhandeling": "opgelost"})
    assert titles(narrowed.content.decode()) == ["Opgeloste belemmering"]
    by_gemeente = client.get("/belemmeringen/", {"ministerie": "mvp", "gemeente": "testdorp"})
    assert titles(by_gemeente.content.decode()) == ["Gedeelde belemmering"]
    # The chip that removes a filter keeps the page's address, without a type.
    chips = re.findall(r'<a class="chip" href="([^"]+)"', unescape(narrowed.content.decode()))
    assert chips and all(c.startswith("/belemmeringen/?") and "type=" not in c for c in chips)


def test_bad_input_is_handled_as_the_search_handles_it(client, register):
    for params in (
        {"ministerie": "geen-ministerie"},
        {"afhandeling": "vergeten", "page": "99999999"},
        {"page": "abc", "sort": "raar"},
        {"type": "experiment"},  # the type stays fixed
    ):
        response = client.get("/belemmeringen/", params)
        assert response.status_code == 200, params
        html = response.content.decode()
        assert not re.search(r"result--(?!belemmering)", html), params
