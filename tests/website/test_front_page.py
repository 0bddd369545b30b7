"""The front page leads into search: its search box is the one of /zoeken/, its themes and
figures open the searches they name, it shows the newest registrations and kennisproducten;
every other page has a search field in its header; /experimenten/ lists the experiments."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from experiments.models import ExperimentPage, MunicipalityExperimentsPage
from experiments.withdrawal import withdraw
from kennisbank.models import ExpertisePage
from tests.factories import ExperimentPageFactory
from vocabulary.models import Theme

pytestmark = pytest.mark.django_db


def soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def search_total(client, href):
    response = client.get(f"{href}&format=json")
    assert response.status_code == 200, href
    return json.loads(response.content)["total"]


def test_the_home_page_has_the_search_box_of_the_search_page(client):
    home = soup(client, "/").select_one("main form[role=search]")
    search = soup(client, "/zoeken/").select_one("form[data-search-form]")
    assert home["action"] == "/zoeken/" and home.get("method", "get").lower() == "get"
    assert home.select_one(".search__box") == search.select_one(".search__box")
    field = home.select_one("input[type=search]")
    assert field["name"] == "q"
    assert home.select_one(f"label[for={field['id']}]").get_text(strip=True) == (
        "Zoek naar experimenten, goede praktijken, evaluaties en kennisproducten"
    )


def test_theme_links_open_the_search_of_their_theme(client):
    links = soup(client, "/").select(".home-themes a")
    themes = {t.name: t.slug for t in Theme.objects.all()}
    assert {a.get_text(strip=True): parse_qs(urlsplit(a["href"]).query) for a in links} == {
        name: {"thema": [slug]} for name, slug in themes.items()
    }
    veiligheid = next(a["href"] for a in links if a.get_text(strip=True) == "Veiligheid")
    results = soup(client, veiligheid)
    chips = [c.get_text(" ", strip=True) for c in results.select(".chips a.chip:not(.chip--clear)")]
    assert chips and chips[0].startswith("Thema: Veiligheid")


def test_each_figure_links_to_a_list_with_the_same_count(client):
    figures = soup(client, "/").select(".figures a")
    assert len(figures) == 4
    kinds = set()
    for link in figures:
        count = int(link.strong.get_text(strip=True))
        (kind,) = parse_qs(urlsplit(link["href"]).query)["type"]
        kinds.add(kind)
        assert search_total(client, link["href"]) == count, link.get_text(" ", strip=True)
    assert kinds == {"experiment", "praktijk", "evaluatie", "kennisproduct"}
    experiments = next(a for a in figures if "experimenten" in a.get_text())
    assert int(experiments.strong.get_text()) == ExperimentPage.objects.live().count()


def card_titles(page, selector):
    return [a.get_text(strip=True) for a in page.select(f"{selector} .card__title a")]


def test_latest_registrations_newest_first_without_drafts_or_withdrawn_ones(client):
    older = ExperimentPageFactory(title="Eerder gepubliceerd", published=True)
    newer = ExperimentPageFactory(title="Net gepubliceerd", published=True)
    ExperimentPageFactory(title="Nog een concept")
    gone = ExperimentPageFactory(title="Teruggetrokken registratie", published=True)
    withdraw(gone, "Dubbel geregistreerd.")
    shown = card_titles(soup(client, "/"), "[data-latest=experiments]")
    assert shown[:2] == [newer.title, older.title]
    assert "Nog een concept" not in shown and "Teruggetrokken registratie" not in shown
    expected = (
        ExperimentPage.objects.live()
        .order_by("-first_published_at", "-pk")
        .values_list("title", flat=True)
    )
    assert shown == list(expected[: len(shown)])


def test_latest_kennisproducten_newest_first(client):
    shown = card_titles(soup(client, "/"), "[data-latest=expertise]")
    expected = ExpertisePage.objects.live().order_by("-first_published_at", "-pk")
    assert shown and shown == [p.title for p in expected[: len(shown)]]


def test_a_deep_page_has_a_search_form_in_its_header(client):
    experiment = ExperimentPage.objects.live().order_by("pk").first()
    header = soup(client, experiment.url).select_one("header form[role=search]")
    assert header["action"] == "/zoeken/"
    field = header.select_one("input[type=search]")
    assert field["name"] == "q"
    label = header.select_one(f"label[for={field['id']}]")
    assert label.get_text(strip=True) == "Zoeken in het Kennisloket"
    assert header.select_one("button[type=submit]").get_text(strip=True) == "Zoeken"
    # The pages that carry the full search box have no second one in the header.
    for url in ("/", "/zoeken/"):
        assert soup(client, url).select("form[role=search]") and not soup(client, url).select(
            "header form"
        )


def test_experiments_index_lists_experiments_newest_first_with_gemeente_links(client):
    for n in range(21):
        ExperimentPageFactory(title=f"Veldproef {n:02d}", published=True)
    total = ExperimentPage.objects.live().count()
    first = soup(client, "/experimenten/")
    heading = first.select_one("#all-experiments-heading").get_text(strip=True)
    assert heading == f"{total} geregistreerde experimenten, nieuwste eerst"
    titles = card_titles(first, "main")
    assert titles[:3] == ["Veldproef 20", "Veldproef 19", "Veldproef 18"]
    assert len(titles) == 20
    next_link = first.select_one("a[rel=next]")
    second = soup(client, "/experimenten/" + next_link["href"])
    assert len(card_titles(second, "main")) == min(total - 20, 20)
    assert not set(card_titles(second, "main")) & set(titles)

    gemeente_links = {a.get_text(strip=True): a["href"] for a in first.select("nav.section-nav a")}
    sections = MunicipalityExperimentsPage.objects.live().select_related("municipality")
    assert gemeente_links == {s.municipality.name: s.url for s in sections}
    rotterdam = soup(client, gemeente_links["Rotterdam"])
    assert "Veldproef 00" in card_titles(rotterdam, "main")  # the section page still works
    count = first.find("a", string="Rotterdam").find_next_sibling("span").get_text()
    assert re.search(r"\d+", count).group() == str(
        ExperimentPage.objects.live().filter(municipality__slug="rotterdam").count()
    )
