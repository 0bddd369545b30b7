"""/open-data/ lists every export and feed, each listed address answers in its format, the
pages about a place, a type, a centre or a kind of item announce the feed of their search, and
the nightly dump can be downloaded."""

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from experiments.models import ExperimentPage, MunicipalityExperimentsPage
from kennisbank.models import KnowledgeCentrePage
from search.facets import neighbourhood_key

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_TYPES = {
    "JSON": "application/json",
    "OpenAPI (JSON)": "application/",  # application/vnd.oai.openapi+json or application/json
    "CSV": "text/csv",
    "Excel (XLSX)": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Atom": "application/atom+xml",
    "JSON Lines": "application/jsonl",
    "XML (sitemap)": "application/xml",
}


def listed_outputs(client) -> list[tuple[str, str, str]]:
    html = client.get("/open-data/").content.decode()
    table = BeautifulSoup(html, "html.parser").select_one("table#outputs")
    return [
        tuple(
            cell.get_text(" ", strip=True) if i else cell.a["href"]
            for i, cell in enumerate(row.select("td"))
        )
        for row in table.select("tbody tr")
    ]


@pytest.fixture
def dump(tmp_path, settings):
    settings.DUMP_PATH = tmp_path / "kennisloket.jsonl"
    call_command("export_dump", output=str(settings.DUMP_PATH), verbosity=0)
    return settings.DUMP_PATH


def test_the_open_data_page_lists_every_export_and_feed(client):
    urls = [url for url, _, _ in listed_outputs(client)]
    for expected in (
        reverse("opendata:root"),
        reverse("opendata:openapi"),
        reverse("registrations_feed"),
        reverse("opendata_dump"),
        reverse("sitemap"),
    ):
        assert expected in urls, expected
    for file_format in ("json", "csv", "xlsx", "atom"):
        assert any(url.startswith("/zoeken/?") and f"format={file_format}" in url for url in urls)
    assert any("gemeente=" in url and "format=atom" in url for url in urls)
    # Each with what it holds, in Dutch.
    assert all(text for _, _, text in listed_outputs(client))
    assert (
        "Nieuwe, gewijzigde en ingetrokken registraties"
        in client.get("/open-data/").content.decode()
    )


def test_every_listed_address_answers_in_its_format(client, dump):
    for url, file_format, _ in listed_outputs(client):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(CONTENT_TYPES[file_format]), (
            url,
            response["Content-Type"],
        )


def test_the_dump_is_served_with_its_date_and_is_missing_before_the_first(
    client, settings, tmp_path, dump
):
    response = client.get(reverse("opendata_dump"))
    body = b"".join(response.streaming_content)
    assert (
        body == dump.read_bytes()
        and body.count(b"\n") >= ExperimentPage.objects.live().public().count()
    )
    assert 'filename="kennisloket.jsonl"' in response["Content-Disposition"]
    modified = response["Last-Modified"]
    assert (
        client.get(reverse("opendata_dump"), headers={"if-modified-since": modified}).status_code
        == 304
    )
    later = format_datetime(dt.datetime.now(dt.UTC) - dt.timedelta(days=1), usegmt=True)
    assert (
        client.get(reverse("opendata_dump"), headers={"if-modified-since": later}).status_code
        == 200
    )

    settings.DUMP_PATH = tmp_path / "nog-niet-gemaakt.jsonl"
    assert client.get(reverse("opendata_dump")).status_code == 404


def announced_feeds(client, url) -> list[str]:
    html = client.get(url).content.decode()
    links = BeautifulSoup(html, "html.parser").select(
        'head link[rel="alternate"][type="application/atom+xml"]'
    )
    return [link["href"] for link in links]


def feed_pages(client, url) -> list[str]:
    feed = ET.fromstring(client.get(url).content)
    return [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]


def test_pages_about_a_place_a_type_a_centre_or_a_kind_announce_the_feed_of_their_search(client):
    experiment = ExperimentPage.objects.live().public().filter(neighbourhoods__isnull=False).first()
    wijk = experiment.neighbourhoods.select_related("municipality").first()
    gemeente = wijk.municipality.slug
    centre = KnowledgeCentrePage.objects.live().public().select_related("knowledge_centre").first()
    experiments_of_gemeente = MunicipalityExperimentsPage.objects.live().get(
        municipality=experiment.municipality
    )
    expected = {
        "/": "/zoeken/?format=atom",
        f"/wijken/{gemeente}/": f"/zoeken/?gemeente={gemeente}&format=atom",
        f"/wijken/{gemeente}/{wijk.slug}/": f"/zoeken/?wijk={neighbourhood_key(wijk)}&format=atom",
        f"/experimenttypen/{experiment.experiment_type.slug}/": f"/zoeken/?experimenttype={experiment.experiment_type.slug}&format=atom",
        centre.url: f"/zoeken/?kenniscentrum={centre.knowledge_centre.slug}&format=atom",
        "/kennisbank/praktijken/": "/zoeken/?type=praktijk&format=atom",
        "/kennisbank/evaluaties/": "/zoeken/?type=evaluatie&format=atom",
        experiments_of_gemeente.url: f"/zoeken/?gemeente={experiment.municipality.slug}&type=experiment&format=atom",
    }
    for page_url, feed_url in expected.items():
        assert feed_url in announced_feeds(client, page_url), page_url
        assert client.get(feed_url)["Content-Type"].startswith("application/atom+xml")
    # The wijk's feed holds what the search with the wijk fixed finds.
    wijk_feed = expected[f"/wijken/{gemeente}/{wijk.slug}/"]
    assert experiment.full_url in feed_pages(client, wijk_feed) or experiment.url in feed_pages(
        client, wijk_feed
    )


def test_a_feed_link_names_its_subject_in_dutch(client):
    html = client.get("/wijken/rotterdam/").content.decode()
    link = BeautifulSoup(html, "html.parser").select_one(
        'head link[href="/zoeken/?gemeente=rotterdam&format=atom"]'
    )
    assert link["title"] == "Kennisloket Krachtwijken: nieuw over Rotterdam"
