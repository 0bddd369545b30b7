"""Wijk pages that explain the wijk, and the national overview of experiments per gemeente
and theme (table and server-rendered SVG chart): the numbers shown are the numbers in the
database, counted over published, public experiments only."""

import re

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from experiments.models import ExperimentPage
from kennisbank.models import PracticePage
from places.charts import PALETTE
from tests.colour import contrast, parse_colour
from tests.factories import ExperimentPageFactory
from vocabulary.models import Municipality, Neighbourhood, Theme

pytestmark = pytest.mark.django_db

OVERVIEW = "/wijken/overzicht/"


# --- reading the pages ----------------------------------------------------------------------


def table_cells(html: str, row_attr: str = "data-municipality") -> dict[str, dict[str, int]]:
    """{row slug: {theme slug or "total": n}} from a cross table's rows (incl. the totals row)."""
    rows = {}
    for slug, body in re.findall(rf'<tr {row_attr}="([^"]+)">(.*?)</tr>', html, re.S):
        rows[slug] = {
            theme: int(n)
            for theme, n in re.findall(r'<td[^>]*data-theme="([^"]+)">(\d+)</td>', body)
        }
    return rows


def chart_segments(html: str) -> dict[str, dict[str, int]]:
    """{row slug: {theme slug: n}} from the SVG's bar segments."""
    svg = re.search(r"<svg[^>]*class=\"chart\".*?</svg>", html, re.S).group(0)
    rows = {}
    for slug, body in re.findall(
        r'<g class="chart__row" data-row="([^"]+)"[^>]*>(.*?)</g>', svg, re.S
    ):
        rows[slug] = {
            theme: int(n)
            for theme, n in re.findall(r'data-series="([^"]+)" data-count="(\d+)"', body)
        }
    return rows


def live_experiments():
    return ExperimentPage.objects.live().public()


def busiest_municipality() -> Municipality:
    """The gemeente with the most published experiments in the demo set."""
    return (
        Municipality.objects.annotate(n=Count("experiments", filter=Q(experiments__live=True)))
        .order_by("-n", "name")
        .first()
    )


# --- the national overview -----------------------------------------------------------------


def test_overview_is_not_taken_for_a_gemeente_and_is_linked_from_the_index(client):
    response = client.get(OVERVIEW)
    assert response.status_code == 200  # the gemeente route would answer 404 for "overzicht"
    html = response.content.decode()
    assert 'id="overview-table"' in html and 'role="img"' in html
    assert f'href="{OVERVIEW}"' in client.get("/wijken/").content.decode()
    # The gemeente and wijk routes still work, and still refuse what does not exist.
    assert client.get("/wijken/rotterdam/").status_code == 200
    assert client.get(f"{OVERVIEW}crooswijk/").status_code == 404


def test_overview_table_equals_the_counts_in_the_database(client):
    cells = table_cells(client.get(OVERVIEW).content.decode())
    municipalities = list(Municipality.objects.all())
    themes = list(Theme.objects.all())
    assert set(cells) == {m.slug for m in municipalities} | {"total"}
    nonzero = 0
    for municipality in municipalities:
        mine = live_experiments().filter(municipality=municipality)
        for theme in themes:
            expected = mine.filter(themes=theme).count()
            assert cells[municipality.slug][theme.slug] == expected, (municipality.slug, theme.slug)
            nonzero += bool(expected)
        assert cells[municipality.slug]["total"] == mine.count(), municipality.slug
    for theme in themes:
        assert cells["total"][theme.slug] == live_experiments().filter(themes=theme).count()
    assert cells["total"]["total"] == live_experiments().count()
    assert nonzero >= 2, "the demo set should give several non-empty cells"


def test_an_experiment_with_two_themes_counts_under_both_but_once_in_the_totals(client):
    before = table_cells(client.get(OVERVIEW).content.decode())
    page = ExperimentPageFactory(
        gemeente="utrecht", wijk="ondiep", title="Twee thema's", published=True
    )
    page.themes = list(Theme.objects.filter(slug__in=["veiligheid", "wonen"]))
    page.save_revision().publish()
    after = table_cells(client.get(OVERVIEW).content.decode())
    assert after["utrecht"]["veiligheid"] == before["utrecht"]["veiligheid"] + 1
    assert after["utrecht"]["wonen"] == before["utrecht"]["wonen"] + 1
    assert after["utrecht"]["total"] == before["utrecht"]["total"] + 1
    assert after["total"]["total"] == before["total"]["total"] + 1
    assert after["rotterdam"] == before["rotterdam"]


def test_unpublished_draft_and_private_experiments_are_not_counted(client):
    gemeente = busiest_municipality().slug
    experiment, private = live_experiments().filter(municipality__slug=gemeente).order_by("pk")[:2]
    themes = set(experiment.themes.values_list("slug", flat=True))
    before = table_cells(client.get(OVERVIEW).content.decode())
    assert before[gemeente]["total"] >= 2

    ExperimentPageFactory(
        gemeente="rotterdam", wijk="crooswijk", title="Nog een concept"
    )  # a draft
    assert table_cells(client.get(OVERVIEW).content.decode()) == before

    experiment.unpublish()
    after = table_cells(client.get(OVERVIEW).content.decode())
    assert after[gemeente]["total"] == before[gemeente]["total"] - 1
    assert after["total"]["total"] == before["total"]["total"] - 1
    for theme in themes:
        assert after[gemeente][theme] == before[gemeente][theme] - 1

    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    restricted = table_cells(client.get(OVERVIEW).content.decode())
    assert restricted[gemeente]["total"] == before[gemeente]["total"] - 2


def test_overview_chart_is_an_accessible_svg_whose_bars_match_the_table(client):
    html = client.get(OVERVIEW).content.decode()
    svg_tag = re.search(r"<svg[^>]*class=\"chart\"[^>]*>", html).group(0)
    assert 'role="img"' in svg_tag
    # It is named and described by text on the page.
    labelledby = re.search(r'aria-labelledby="([^"]+)"', svg_tag).group(1)
    describedby = re.search(r'aria-describedby="([^"]+)"', svg_tag).group(1)
    assert f'id="{labelledby}"' in html and f'id="{describedby}"' in html
    summary = re.search(rf'id="{describedby}">(.*?)</p>', html, re.S).group(1)
    assert str(live_experiments().count()) in summary

    cells = table_cells(html)
    bars = chart_segments(html)
    assert set(bars) == set(cells) - {"total"}
    for slug, row in bars.items():
        assert row == {theme: n for theme, n in cells[slug].items() if theme != "total" and n}, slug
    # A segment says what it is when pointed at.
    gemeente = busiest_municipality()
    theme = Theme.objects.filter(
        experiments__in=live_experiments().filter(municipality=gemeente)
    ).first()
    n = live_experiments().filter(municipality=gemeente, themes=theme).count()
    assert f"<title>{gemeente.name}, {theme.name}: {n} experiment" in html
    # A legend names every theme, in the colour of its bars.
    legend = re.search(r'<ul class="chart-legend".*?</ul>', html, re.S).group(0)
    for theme in Theme.objects.all():
        assert theme.name in legend


def test_chart_colours_have_enough_contrast_and_differ(client):
    html = client.get(OVERVIEW).content.decode()
    fills = set(re.findall(r'<rect class="chart__segment"[^>]*fill="(#[0-9A-Fa-f]{6})"', html))
    assert len(fills) == Theme.objects.count()  # one colour per theme
    white = parse_colour("#ffffff")
    for colour in fills:  # the colours drawn, not the constants
        assert contrast(parse_colour(colour), white) >= 3, colour  # WCAG 1.4.11 against the page
    text_colour = re.search(r'<svg[^>]*class="chart"[^>]*\sfill="(#[0-9A-Fa-f]{6})"', html).group(1)
    assert contrast(parse_colour(text_colour), white) >= 4.5  # WCAG 1.4.3 for the labels
    assert len(set(PALETTE)) == len(PALETTE)  # and a seventh or eighth theme gets its own colour


def test_overview_needs_the_same_number_of_queries_with_more_experiments(client):
    def queries():
        client.get(OVERVIEW)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(OVERVIEW).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for slug, wijk in (
        ("groningen", "de-hoogte"),
        ("heerlen", "meezenbroek"),
        ("alkmaar", "overdie"),
    ):
        ExperimentPageFactory(gemeente=slug, wijk=wijk, title=f"Extra {wijk}", published=True)
    assert queries() == before


# --- a wijk page ---------------------------------------------------------------------------


def test_wijk_page_shows_its_gemeente_sources_and_per_theme_counts(client):
    ExperimentPageFactory(
        gemeente="den-haag", wijk="transvaal", title="Weer een Transvaal-experiment", published=True
    )
    transvaal = Neighbourhood.objects.get(municipality__slug="den-haag", slug="transvaal")
    html = client.get("/wijken/den-haag/transvaal/").content.decode()

    assert '<a href="/wijken/den-haag/">Den Haag</a>' in html
    # Where the figures come from, with links to the sources.
    assert 'href="https://zoek.officielebekendmakingen.nl/kst-30995-66.html"' in html
    assert "Kamerstuk 30995 nr. 66" in html
    assert (
        'href="https://www.cbs.nl/nl-nl/nieuws/2007/46/niet-werkenden-in-aandachtswijken-willen-vaak-aan-de-slag"'
        in html
    )
    # The CBS figures are labelled as figures for all 40 wijken together, not this wijk.
    section = html[html.index('id="programme-heading"') :]
    assert "779.000" in section and "22%" in section
    assert re.search(r"40 krachtwijken", section)
    assert "GM0518" in html

    rows = {
        theme: (int(e), int(p))
        for theme, e, p in re.findall(
            r'<tr data-theme="([^"]+)"><th scope="row">[^<]*</th><td>(\d+)</td><td>(\d+)</td></tr>',
            html,
        )
    }
    expected = {}
    for theme in Theme.objects.all():
        e = live_experiments().filter(neighbourhoods=transvaal, themes=theme).count()
        p = (
            PracticePage.objects.live()
            .public()
            .filter(neighbourhoods=transvaal, themes=theme)
            .count()
        )
        if e or p:
            expected[theme.slug] = (e, p)
    assert rows == expected
    assert rows["veiligheid"][0] >= 1
    assert '<th scope="col">' in html and "<caption>" in html


def test_wijk_page_says_where_its_postcode_area_comes_from(client):
    html = client.get("/wijken/alkmaar/overdie/").content.decode()
    assert "1813" in html  # the one postcode area in the data
    facts = html[html.index('id="facts-heading"') : html.index('id="themes-heading"')]
    assert "71718ned" in facts
    # Alkmaar's CBS code is not yet confirmed by CBS: the page says where it came from.
    assert "GitHub-codebestand" in facts


@pytest.mark.parametrize(
    "url",
    [
        "/wijken/atlantis/",
        "/wijken/atlantis/overdie/",
        "/wijken/rotterdam/bestaat-niet/",
        "/wijken/rotterdam/transvaal/",  # a wijk of another gemeente
    ],
)
def test_unknown_gemeente_or_wijk_answers_404(client, url):
    assert client.get(url).status_code == 404


# --- a gemeente page -----------------------------------------------------------------------


def test_gemeente_page_chart_and_table_count_its_wijken_per_theme(client):
    gemeente = busiest_municipality()
    html = client.get(f"/wijken/{gemeente.slug}/").content.decode()
    cells = table_cells(html, "data-neighbourhood")
    bars = chart_segments(html)
    published = live_experiments().filter(municipality=gemeente)
    wijken = list(gemeente.neighbourhoods.all())
    assert len(wijken) >= 2 and set(cells) == {w.slug for w in wijken} | {"total"}
    for wijk in wijken:
        mine = published.filter(neighbourhoods=wijk)
        expected = {t.slug: mine.filter(themes=t).count() for t in Theme.objects.all()}
        assert {k: v for k, v in cells[wijk.slug].items() if k != "total"} == expected, wijk.slug
        assert cells[wijk.slug]["total"] == mine.count()
        assert bars[wijk.slug] == {k: v for k, v in expected.items() if v}
    assert cells["total"]["total"] == published.count() > 0


def test_overview_is_in_the_sitemap(client):
    assert "/wijken/overzicht/</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("page", ["/wijken/den-haag/", "/wijken/den-haag/transvaal/"])
def test_a_cbs_code_checked_against_the_cbs_list_links_that_list(client, page):
    html = client.get(page).content.decode()
    assert re.search(r'<a href="https://[^"]*85067NED[^"]*">CBS Gebieden in Nederland', html)
    # A code taken from elsewhere names its source without pretending it is the CBS list.
    other = client.get(
        page.replace("den-haag/transvaal", "alkmaar/overdie").replace("den-haag", "alkmaar")
    )
    text = other.content.decode()
    assert "alleen GitHub-codebestand" in text and "85067NED" not in text
