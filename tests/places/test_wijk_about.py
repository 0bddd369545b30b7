"""A wijk page is about the wijk: its postcode areas, its history on the list of krachtwijken,
every experiment, practice, evaluation and kennisproduct about it, and the search with the wijk
fixed. And the map of the Netherlands with the 18 gemeenten on /wijken/, drawn from an outline
projected at build time (places/outline.py)."""

import datetime as dt
import importlib
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from places.map import OUTLINE_FILE
from places.outline import build, decode_arcs, rings
from tests.factories import (
    EvaluationPageFactory,
    ExperimentPageFactory,
    ExpertisePageFactory,
    NeighbourhoodFactory,
    PracticePageFactory,
)
from vocabulary.models import Municipality, Neighbourhood

pytestmark = pytest.mark.django_db

KINDS = ("experiment", "praktijk", "evaluatie", "kennisproduct")


def section(html: str, kind: str) -> str:
    """The section of a wijk page that lists one kind of item."""
    return re.search(rf'<section [^>]*data-kind="{kind}">(.*?)</section>', html, re.S).group(1)


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def history(html: str) -> dict[str, str]:
    """{event: the text of its line} of the page's history on the list."""
    found = re.search(r'<ul class="list-history">(.*?)</ul>', html, re.S).group(1)
    return dict(re.findall(r'<li data-event="(\w+)">(.*?)</li>', found, re.S))


def search_results(client, url: str) -> list[dict]:
    """Every result of the search at `url` (a link taken from a page), page after page."""
    data = client.get(url + "&format=json").json()
    results = data["results"]
    while data["next"]:
        data = client.get(data["next"]).json()
        results += data["results"]
    return results


@pytest.fixture
def testwijk():
    """A wijk of Zaanstad with nothing about it yet."""
    return NeighbourhoodFactory(gemeente="zaanstad", slug="testwijk", name="Testwijk")


TESTWIJK = "/wijken/zaanstad/testwijk/"


# --- postcode areas and the history on the list ------------------------------------------------


def test_wijk_page_lists_its_postcode_areas(client, testwijk):
    testwijk.postcode_areas = "1501, 1502"
    testwijk.save()
    html = client.get(TESTWIJK).content.decode()
    facts = html[html.index('id="facts-heading"') : html.index('id="themes-heading"')]
    assert "1501, 1502" in facts


def test_history_on_the_list_comes_from_the_data(client, testwijk):
    velve = history(client.get("/wijken/enschede/velve-lindenhof/").content.decode())
    # It took the place of Mekkelholt/Deppenbroek on 24 April 2007 and is still on the list.
    assert '<time datetime="2007-04-24">' in velve["listed"]
    assert "Mekkelholt/Deppenbroek" in velve["listed"]
    assert "2007-03-22" not in velve["listed"] and "delisted" not in velve

    kruiskamp = history(client.get("/wijken/amersfoort/kruiskamp/").content.decode())
    assert '<time datetime="2007-03-22">' in kruiskamp["listed"]
    assert '<time datetime="2012-10-11">' in kruiskamp["delisted"]

    # Overdie was taken off the list later, on a date the sources do not give.
    overdie = history(client.get("/wijken/alkmaar/overdie/").content.decode())
    assert '<time datetime="2007-03-22">' in overdie["listed"]
    assert "delisted" in overdie and "<time" not in overdie["delisted"]

    # A wijk that was never on the list has no history on it.
    assert 'class="list-history"' not in client.get(TESTWIJK).content.decode()


def test_a_date_taken_off_the_list_needs_the_wijk_taken_off_it(testwijk):
    testwijk.delisted_on = dt.date(2012, 1, 1)
    with pytest.raises(ValidationError) as error:
        testwijk.full_clean()
    assert "delisted" in error.value.message_dict
    testwijk.delisted = True
    testwijk.full_clean()


def test_the_migration_fills_the_new_facts_of_wijken_and_gemeenten_loaded_before():
    """Items loaded before vocabulary 0002 had no history or coordinates; the migration gives
    them those facts from the data and leaves the rest as editors made it."""
    velve = Neighbourhood.objects.get(municipality__slug="enschede", slug="velve-lindenhof")
    Neighbourhood.objects.filter(pk=velve.pk).update(
        listed_on=None, replaces="", note="Door een redacteur bijgewerkt."
    )
    Neighbourhood.objects.filter(slug="kruiskamp").update(delisted=False, delisted_on=None)
    Municipality.objects.update(latitude=None, longitude=None)

    migration = importlib.import_module(
        "vocabulary.migrations.0002_list_history_and_map_coordinates"
    )
    migration.fill_added_facts(apps, None)

    velve.refresh_from_db()
    assert velve.listed_on.isoformat() == "2007-04-24"
    assert velve.replaces == "Mekkelholt/Deppenbroek"
    assert velve.note == "Door een redacteur bijgewerkt."
    kruiskamp = Neighbourhood.objects.get(slug="kruiskamp")
    assert kruiskamp.delisted and kruiskamp.delisted_on.isoformat() == "2012-10-11"
    assert not Municipality.objects.filter(latitude__isnull=True).exists()
    assert str(Municipality.objects.get(slug="rotterdam").latitude) == "51.92250"


# --- every kind of item about the wijk ---------------------------------------------------------


@pytest.fixture
def items_about_testwijk(testwijk, django_capture_on_commit_callbacks):
    """One published item of each kind about Testwijk, and some that are not about it or not
    public: {kind: title} of the ones the page and the search must show."""
    with django_capture_on_commit_callbacks(execute=True):
        experiment = ExperimentPageFactory(
            gemeente="zaanstad", wijk="testwijk", title="Buurtcoach Testwijk", published=True
        )
        practice = PracticePageFactory(
            gemeente="zaanstad", wijk="testwijk", title="Portiekgesprekken", published=True
        )
        EvaluationPageFactory(
            title="Procesevaluatie buurtcoach", experiments=[experiment], published=True
        )
        EvaluationPageFactory(
            title="Evaluatie portiekgesprekken", practices=[practice], published=True
        )
        ExpertisePageFactory(title="Dossier Testwijk", neighbourhoods=[testwijk], published=True)
        # Not about Testwijk, or not public: none of these may show.
        ExperimentPageFactory(gemeente="zaanstad", wijk="testwijk", title="Concept Testwijk")
        private = ExperimentPageFactory(
            gemeente="zaanstad", wijk="testwijk", title="Besloten Testwijk", published=True
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        EvaluationPageFactory(
            title="Evaluatie van iets besloten", experiments=[private], published=True
        )
        elsewhere = ExperimentPageFactory(
            gemeente="zaanstad", wijk="poelenburg", title="Poelenburg-experiment", published=True
        )
        EvaluationPageFactory(title="Evaluatie elders", experiments=[elsewhere], published=True)
        ExpertisePageFactory(title="Dossier zonder wijk", published=True)
    return {
        "experiment": ["Buurtcoach Testwijk"],
        "praktijk": ["Portiekgesprekken"],
        "evaluatie": ["Evaluatie portiekgesprekken", "Procesevaluatie buurtcoach"],
        "kennisproduct": ["Dossier Testwijk"],
    }


def test_wijk_page_lists_every_kind_of_item_about_it(client, items_about_testwijk):
    html = client.get(TESTWIJK).content.decode()
    for kind in KINDS:
        shown = section(html, kind)
        assert sorted(card_titles(shown)) == sorted(items_about_testwijk[kind]), kind
        assert f"({len(items_about_testwijk[kind])})" in shown  # the number in the heading


def test_the_search_link_shows_the_items_of_that_wijk(client, items_about_testwijk):
    html = client.get(TESTWIJK).content.decode()
    link = re.search(r'<a class="wijk-search-link" href="([^"]+)"', html).group(1)
    assert parse_qs(urlsplit(link).query) == {"wijk": ["zaanstad-testwijk"]}
    results = search_results(client, link.replace("&amp;", "&"))
    expected = {title for titles in items_about_testwijk.values() for title in titles}
    assert {r["title"] for r in results} == expected
    assert {r["type"] for r in results} == set(KINDS)


def test_a_long_list_is_paged_and_links_to_all_of_it_in_the_search(
    client, testwijk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(21):
            ExpertisePageFactory(
                title=f"Factsheet Testwijk {n:02d}", neighbourhoods=[testwijk], published=True
            )
    first = section(client.get(TESTWIJK).content.decode(), "kennisproduct")
    assert "(21)" in first and len(card_titles(first)) == 20
    second = section(client.get(TESTWIJK, {"kennispagina": 2}).content.decode(), "kennisproduct")
    assert len(card_titles(second)) == 1
    assert not set(card_titles(first)) & set(card_titles(second))

    link = re.search(r'<p class="wijk-items__all"><a href="([^"]+)"', first).group(1)
    results = search_results(client, link.replace("&amp;", "&"))
    assert len(results) == 21 and {r["type"] for r in results} == {"kennisproduct"}


# --- the map of the gemeenten ------------------------------------------------------------------


def map_markers(html: str) -> dict[str, dict]:
    """{gemeente slug: {"href", "x", "y", "name"}} of the map's markers."""
    svg = re.search(r'<svg class="nl-map__svg".*?</svg>', html, re.S).group(0)
    return {
        slug: {"href": href, "x": float(x), "y": float(y), "name": name}
        for href, slug, x, y, name in re.findall(
            r'<a class="nl-map__marker" href="([^"]+)" data-gemeente="([^"]+)" '
            r'data-x="([\d.]+)" data-y="([\d.]+)">.*?<text[^>]*>([^<]+)</text></a>',
            svg,
            re.S,
        )
    }


def test_the_map_links_the_18_gemeenten_to_their_pages(client):
    html = client.get("/wijken/").content.decode()
    markers = map_markers(html)
    assert set(markers) == set(Municipality.objects.values_list("slug", flat=True))
    assert len(markers) == 18
    for slug, marker in markers.items():
        assert marker["href"] == f"/wijken/{slug}/"
        page = client.get(marker["href"])
        assert page.status_code == 200
        assert marker["name"] in page.content.decode()
    # The same links as a list beside the map, for screen readers and phones.
    listed = re.search(r'<ul class="nl-map__list"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert sorted(re.findall(r'<a href="([^"]+)">', listed)) == sorted(
        m["href"] for m in markers.values()
    )
    # Named and described for assistive technology; the outline itself is decoration.
    svg_tag = re.search(r'<svg class="nl-map__svg"[^>]*>', html).group(0)
    assert 'role="group"' in svg_tag
    for attribute in ("aria-labelledby", "aria-describedby"):
        target = re.search(rf'{attribute}="([^"]+)"', svg_tag).group(1)
        assert re.search(rf'<(title|desc) id="{target}">[^<]+</', html)
    assert re.search(r'<path class="nl-map__land" d="M[^"]+" aria-hidden="true"', html)


def test_the_projection_puts_the_gemeenten_where_they_are(client):
    markers = map_markers(client.get("/wijken/").content.decode())
    groningen, amsterdam = markers["groningen"], markers["amsterdam"]
    assert groningen["x"] > amsterdam["x"] and groningen["y"] < amsterdam["y"]  # north-east
    assert markers["maastricht"]["y"] > markers["eindhoven"]["y"]  # south
    assert markers["den-haag"]["x"] < markers["utrecht"]["x"]  # west
    # Every marker lies inside the map.
    html = client.get("/wijken/").content.decode()
    width, height = re.search(r'viewBox="0 0 (\d+) (\d+)"', html).groups()
    for slug, marker in markers.items():
        assert 0 < marker["x"] < int(width) and 0 < marker["y"] < int(height), slug


def test_a_gemeente_without_coordinates_has_no_marker_but_stays_listed(client):
    Municipality.objects.filter(slug="heerlen").update(latitude=None, longitude=None)
    html = client.get("/wijken/").content.decode()
    assert "heerlen" not in map_markers(html) and len(map_markers(html)) == 17
    assert 'href="/wijken/heerlen/"' in html


# --- the outline, made at build time -----------------------------------------------------------


def test_the_build_step_wrote_the_outline_of_the_netherlands():
    """`make install` runs places/outline.py on world-atlas's TopoJSON."""
    assert OUTLINE_FILE.exists(), "run make install: it writes the map's outline"
    outline = json.loads(OUTLINE_FILE.read_text())
    assert outline["source"].startswith("world-atlas ")
    assert outline["width"] > 0 and outline["height"] > outline["width"]  # taller than wide
    assert outline["path"].startswith("M") and outline["path"].count("Z") >= 2  # and islands
    assert len(outline["path"]) < 50_000  # small enough to send in every page


def test_topojson_arcs_are_decoded_and_joined():
    """Delta-encoded, quantized arcs; a negative index is an arc reversed (~i)."""
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [4.0, 51.0]},
        # Arc 1 is stored from the south-west corner up and east, so the ring walks it reversed.
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[0, 0], [0, 4], [2, 0]]],
        "objects": {
            "countries": {
                "geometries": [{"type": "Polygon", "id": "528", "arcs": [[0, ~1]]}],
            }
        },
    }
    assert decode_arcs(topology)[0] == [(4.0, 51.0), (5.0, 51.0), (5.0, 52.0)]
    geometry = topology["objects"]["countries"]["geometries"][0]
    assert rings(topology, geometry) == [
        [(4.0, 51.0), (5.0, 51.0), (5.0, 52.0), (4.0, 52.0), (4.0, 51.0)]
    ]
    outline = build(topology, "test")
    # North is up: the northern edge (52°) is at the top of the picture.
    assert outline["path"].startswith("M8.0,")
    first_y = float(outline["path"].split("L")[0].split(",")[1])
    assert first_y == pytest.approx(outline["height"] - 8, abs=0.6)


def test_a_missing_outline_is_reported_by_the_system_checks(monkeypatch, tmp_path):
    from places import map as places_map
    from places.apps import map_outline_check

    assert map_outline_check(None) == []
    monkeypatch.setattr(places_map, "OUTLINE_FILE", tmp_path / "netherlands-outline.json")
    assert [warning.id for warning in map_outline_check(None)] == ["places.W001"]


@pytest.mark.django_db
def test_without_its_outline_the_wijken_page_still_lists_every_gemeente(
    client, monkeypatch, tmp_path
):
    from places import map as places_map

    monkeypatch.setattr(places_map, "OUTLINE_FILE", tmp_path / "netherlands-outline.json")
    places_map.outline.cache_clear()
    try:
        response = client.get("/wijken/")
    finally:
        places_map.outline.cache_clear()  # the next test reads the real file again
    html = response.content.decode()
    assert response.status_code == 200
    assert "nl-map__svg" not in html
    assert 'id="gm-groningen"' in html and 'id="gm-maastricht"' in html
