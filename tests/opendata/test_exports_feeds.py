"""Open by default: any search as CSV, Excel and Atom, the registrations feed, the JSON-lines
dump, and what makes the site findable (sitemap.xml, canonical URLs, Open Graph, JSON-LD,
noindex on filtered searches). Only published, public content and never an email address."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from experiments.history import FIELDS_BY_NAME
from experiments.models import ExperimentPage
from experiments.withdrawal import withdraw
from opendata import exports
from opendata.exports import COLUMNS, escape_formula
from search.models import SearchDocument
from search.service import search
from tests.factories import (
    EvaluationPageFactory,
    ExperimentPageFactory,
    ExpertisePageFactory,
    PracticePageFactory,
)
from tests.helpers import a_date
from tests.search_helpers import publish

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"
ATOM = "{http://www.w3.org/2005/Atom}"
HEADER = [str(capfirst(c.label)) for c in COLUMNS]
URL_COLUMN = [c.key for c in COLUMNS].index("url")
TITLE_COLUMN = [c.key for c in COLUMNS].index("title")
NUMBER_COLUMN = [c.key for c in COLUMNS].index("registration_number")
FORMULA_TITLES = ['=HYPERLINK("http://evil.example")', "+SUM(A1:A9)", "-2+3 rekensom", "@SUM(1)"]


def absolute(url):
    return settings.SITE_URL + url


def search_urls(query_string, sort=None):
    """Every result of a search, in order, as absolute URLs (the search service is the oracle)."""
    params = QueryDict(query_string, mutable=True)
    if sort:
        params["sort"] = sort
    urls, page = [], 1
    while True:
        params["page"] = str(page)
        outcome = search(params, page_size=1000)
        urls += [absolute(card.url) for card in outcome.cards]
        if page >= outcome.pages:
            return urls
        page += 1


def read_csv(response):
    body = response.getvalue()
    assert body.startswith("\ufeff".encode()), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.worksheets[0]
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def hidden(django_capture_on_commit_callbacks):
    """A draft, a private page, a draft change to a live page, and a live page with a contact email."""
    draft = ExperimentPageFactory(
        title="Conceptexperiment Onzichtbaar", summary="Nog niet openbaar."
    )
    private = publish(
        ExperimentPageFactory(title="Besloten experiment Onzichtbaar"),
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    live = publish(
        ExperimentPageFactory(
            title="Openbaar experiment met contact",
            contact_email="geheim.adres@example.org",
            contact_name="Piet Contact",
        ),
        django_capture_on_commit_callbacks,
    )
    live.title = "Conceptwijziging Onzichtbaar"
    live.save_revision()  # a draft change: never public
    return {"draft": draft, "private": private, "live": live}


@pytest.fixture
def formula_pages(django_capture_on_commit_callbacks):
    return [
        publish(
            ExperimentPageFactory(
                title=title, slug=f"formule-{n}", summary="Een formuletest voor de export."
            ),
            django_capture_on_commit_callbacks,
        )
        for n, title in enumerate(FORMULA_TITLES)
    ]


def assert_nothing_hidden(text):
    assert "Onzichtbaar" not in text
    assert "@example.org" not in text  # the demo's and the fixture's contact emails


# --- CSV and Excel ----------------------------------------------------------------------------


def test_csv_export_holds_the_whole_search_with_the_researchers_columns(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        experiment = ExperimentPageFactory(
            title="Veiligheidscoach met datum",
            status="lopend",
            start_date=a_date(2009, 3, 1),
            published=True,
        )
    monkeypatch.setattr(exports, "EXPORT_PAGE_SIZE", 7)  # several pages, even in the small demo set
    expected = search_urls("thema=veiligheid")
    assert len(expected) > 7

    response = client.get(SEARCH, {"thema": "veiligheid", "format": "csv", "page": "2"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert f'filename="kennisloket-zoekresultaten-{today}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == HEADER
    assert [row[URL_COLUMN] for row in rows[1:]] == expected  # every page, in the search's order
    assert all(len(row) == len(COLUMNS) for row in rows)

    # An experiment's row carries its registration number and its dates from the page.
    row = next(r for r in rows if r[URL_COLUMN] == absolute(experiment.url))
    values = dict(zip([c.key for c in COLUMNS], row, strict=True))
    assert values["registration_number"] == experiment.registration_number
    assert values["start_date"] == experiment.start_date.isoformat()
    assert values["municipality"] == experiment.municipality.name


def test_excel_export_has_the_same_rows_as_the_search(client, django_capture_on_commit_callbacks):
    gemeente = "utrecht"
    with django_capture_on_commit_callbacks(execute=True):
        ExperimentPageFactory(gemeente=gemeente, wijk="ondiep", published=True)
    expected = search_urls(f"gemeente={gemeente}")
    assert expected
    response = client.get(SEARCH, {"gemeente": gemeente, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert ".xlsx" in response["Content-Disposition"]
    sheet, rows = read_xlsx(response)
    assert rows[0] == HEADER
    assert [row[URL_COLUMN] for row in rows[1:]] == expected
    numbers = {row[NUMBER_COLUMN] for row in rows[1:] if row[NUMBER_COLUMN]}
    assert numbers == set(
        ExperimentPage.objects.live()
        .public()
        .filter(municipality__slug=gemeente)
        .values_list("registration__number", flat=True)
    )
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_values_that_start_a_formula_are_escaped_in_csv_and_excel(client, formula_pages):
    csv_rows = read_csv(client.get(SEARCH, {"q": "formuletest", "format": "csv"}))
    titles = sorted(row[TITLE_COLUMN] for row in csv_rows[1:])
    assert titles == sorted("'" + title for title in FORMULA_TITLES)

    sheet, rows = read_xlsx(client.get(SEARCH, {"q": "formuletest", "format": "xlsx"}))
    assert sorted(row[TITLE_COLUMN] for row in rows[1:]) == titles
    for row in sheet.iter_rows(min_row=2):
        assert row[TITLE_COLUMN].data_type == "s"  # a string cell, never a formula
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_escape_formula():
    for value in ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "  =1", "＝1"]:
        assert escape_formula(value) == "'" + value
    for value in ["", "Gezinscoach", "1-2", "a=b", "'quoted"]:
        assert escape_formula(value) == value


def test_an_export_larger_than_the_cap_says_so_in_its_last_row(client, monkeypatch):
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 5)
    monkeypatch.setattr(exports, "EXPORT_PAGE_SIZE", 2)
    expected = search_urls("")
    rows = read_csv(client.get(SEARCH, {"format": "csv"}))
    assert [row[URL_COLUMN] for row in rows[1:6]] == expected[:5]
    assert len(rows) == 1 + 5 + 1
    assert str(len(expected)) in rows[-1][0] and rows[-1][URL_COLUMN] == ""  # the notice
    _sheet, xlsx_rows = read_xlsx(client.get(SEARCH, {"format": "xlsx"}))
    assert len(xlsx_rows) == 1 + 5 + 1 and str(len(expected)) in xlsx_rows[-1][0]


def test_an_ignored_filter_is_said_after_the_data(client):
    expected = search_urls("thema=bestaat-niet")  # the filter is ignored: everything
    rows = read_csv(client.get(SEARCH, {"thema": "bestaat-niet", "format": "csv"}))
    assert [row[URL_COLUMN] for row in rows[1:-1]] == expected
    assert "bestaat-niet" in rows[-1][0] and rows[-1][URL_COLUMN] == ""


def test_exports_feeds_and_dump_hold_no_drafts_private_pages_or_emails(client, hidden):
    for file_format in ("csv", "atom"):
        response = client.get(SEARCH, {"format": file_format})
        assert response.status_code == 200
        assert_nothing_hidden(response.getvalue().decode("utf-8-sig"))
    _sheet, rows = read_xlsx(client.get(SEARCH, {"format": "xlsx"}))
    assert_nothing_hidden(json.dumps(rows, default=str))
    assert_nothing_hidden(client.get("/experimenten/feed/").content.decode())
    out = io.StringIO()
    call_command("export_dump", stdout=out)
    assert_nothing_hidden(out.getvalue())
    # The live page with a contact is there, with its (public) contact person, without the address.
    assert "Openbaar experiment met contact" in out.getvalue() and "Piet Contact" in out.getvalue()


# --- Feeds ------------------------------------------------------------------------------------


def parse_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_atom_feed_of_a_filtered_search_lists_its_results_newest_first(client):
    query = "thema=veiligheid&type=experiment"
    response = client.get(f"{SEARCH}?{query}&format=atom")
    feed = parse_feed(response)
    assert feed.tag == f"{ATOM}feed"
    assert (
        feed.findtext(f"{ATOM}title")
        and feed.findtext(f"{ATOM}id")
        and feed.findtext(f"{ATOM}updated")
    )
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    expected = search_urls(query, sort="datum")
    assert expected and links == expected[:50]
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}id").startswith("tag:localhost,")
        assert entry.findtext(f"{ATOM}updated")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)


def test_registrations_feed_lists_new_and_amended_registrations(
    client, django_capture_on_commit_callbacks
):
    page = publish(
        ExperimentPageFactory(
            title="Wijkschouw Feedtest", status="lopend", start_date=a_date(2024, 1, 1)
        ),
        django_capture_on_commit_callbacks,
    )
    number = page.registration_number

    def entries():
        feed = parse_feed(client.get("/experimenten/feed/"))
        return {e.find(f"{ATOM}link").get("href"): e for e in feed.findall(f"{ATOM}entry")}

    found = entries()
    registered = found.get(absolute(page.url + "versies/1/"))
    assert registered is not None
    assert number in registered.findtext(f"{ATOM}title")
    assert registered.findtext(f"{ATOM}id").endswith(f"{number}/versie/1")

    page.summary = "Een wijkschouw met bewoners."
    page.status = "afgerond"
    page.end_date = a_date(2024, 6, 1)
    publish(page, django_capture_on_commit_callbacks)
    page.title = "Geheime conceptnaam"
    page.save_revision()  # a draft: no entry

    found = entries()
    amended = found.get(absolute(page.url + "versies/2/"))
    assert amended is not None and absolute(page.url + "versies/1/") in found
    assert absolute(page.url + "versies/3/") not in found
    summary = amended.findtext(f"{ATOM}summary")
    for field in ("summary", "status", "end_date"):
        assert str(FIELDS_BY_NAME[field].label) in summary
    assert str(FIELDS_BY_NAME["title"].label) not in summary
    assert "Geheime" not in client.get("/experimenten/feed/").content.decode()
    # Newest first.
    links = list(found)
    assert links.index(absolute(page.url + "versies/2/")) < links.index(
        absolute(page.url + "versies/1/")
    )

    # A withdrawn registration's versions leave the feed; its withdrawal is announced, newest
    # first, linking to the tombstone, with the reason.
    withdraw(page, "Dubbel geregistreerd: zie de registratie van de wijkschouw in Noord.")
    found = entries()
    assert [link for link in found if link.startswith(absolute(page.url))] == [absolute(page.url)]
    withdrawn = found[absolute(page.url)]
    assert list(found)[0] == absolute(page.url)
    assert number in withdrawn.findtext(f"{ATOM}title") and "Ingetrokken" in withdrawn.findtext(
        f"{ATOM}title"
    )
    assert (
        "Dubbel geregistreerd: zie de registratie van de wijkschouw in Noord."
        in withdrawn.findtext(f"{ATOM}summary")
    )
    assert withdrawn.findtext(f"{ATOM}id").endswith(f"{number}/ingetrokken")
    assert client.get(page.url).status_code == 410


# --- Findability --------------------------------------------------------------------------------


def test_sitemap_lists_live_public_pages_only(client, hidden):
    live = ExperimentPageFactory(title="In de sitemap", published=True)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    paths = {
        urlparse(loc.text).path
        for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    assert live.url in paths
    assert hidden["live"].url in paths
    assert hidden["draft"].url not in paths
    assert hidden["private"].url not in paths
    assert "/zoeken/" in paths and "/wijken/rotterdam/crooswijk/" in paths
    assert "/experimenttypen/gezinscoach/" in paths


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def json_ld(page_soup):
    scripts = page_soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.mark.parametrize(
    "factory, fields, schema_types",
    [
        # An experiment with a contact address, which its JSON-LD must not give away.
        (ExperimentPageFactory, {"contact_email": "coach@example.org"}, {"ResearchProject"}),
        (PracticePageFactory, {}, {"Article"}),
        (EvaluationPageFactory, {}, {"Report"}),
        (ExpertisePageFactory, {}, {"Article", "Report"}),
    ],
    ids=["ExperimentPage", "PracticePage", "EvaluationPage", "ExpertisePage"],
)
def test_detail_pages_have_canonical_open_graph_and_json_ld(client, factory, fields, schema_types):
    page = factory(published=True, **fields)
    soup = head(client, page.url)
    assert soup.select_one('link[rel="canonical"]')["href"] == absolute(page.url)
    assert soup.select_one('meta[property="og:title"]')["content"] == page.title
    assert soup.select_one('meta[property="og:url"]')["content"] == absolute(page.url)
    assert soup.select_one('meta[property="og:type"]')["content"] == "article"
    assert soup.select_one('meta[property="og:description"]')["content"]
    assert soup.select_one('meta[property="og:site_name"]')["content"]
    data = json_ld(soup)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] in schema_types
    assert data["url"] == absolute(page.url) and data["name"] == page.title
    if isinstance(page, ExperimentPage):
        assert data["identifier"]["value"] == page.registration_number
        assert "@example.org" not in json.dumps(data)


def test_json_ld_cannot_be_broken_out_of(client, django_capture_on_commit_callbacks):
    title = "Test </script><script>alert(1)</script> & <b>"
    page = publish(
        ExperimentPageFactory(title=title, slug="script-test", summary="</script>"),
        django_capture_on_commit_callbacks,
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    data = json_ld(BeautifulSoup(html, "html.parser"))
    assert data["name"] == title and data["description"] == "</script>"


def test_filtered_searches_are_noindex_and_have_a_feed(client):
    unfiltered = head(client, SEARCH)
    assert unfiltered.select_one('meta[name="robots"]') is None
    assert unfiltered.select_one('link[rel="canonical"]')["href"] == absolute(SEARCH)
    filtered = head(client, f"{SEARCH}?thema=veiligheid&q=wijk")
    assert "noindex" in filtered.select_one('meta[name="robots"]')["content"]
    canonical = filtered.select_one('link[rel="canonical"]')["href"]
    assert canonical.startswith(absolute(SEARCH + "?")) and "thema=veiligheid" in canonical
    feed = filtered.select_one('link[rel="alternate"][type="application/atom+xml"]')["href"]
    assert "format=atom" in feed and "thema=veiligheid" in feed
    hrefs = [a["href"] for a in filtered.select("a[href]")]
    for file_format in ("csv", "xlsx", "atom"):
        assert any(f"format={file_format}" in h and "thema=veiligheid" in h for h in hrefs), (
            file_format
        )


def test_the_registrations_feed_is_announced_on_the_pages_it_belongs_to(
    client, django_capture_on_commit_callbacks
):
    page = publish(
        ExperimentPageFactory(title="Wijkschouw Linktest"), django_capture_on_commit_callbacks
    )

    def feeds(url):
        links = head(client, url).select('link[rel="alternate"][type="application/atom+xml"]')
        return [(link["href"], link["title"]) for link in links]

    registrations = (
        "/experimenten/feed/",
        "Kennisloket Krachtwijken: nieuwe, gewijzigde en ingetrokken registraties",
    )
    assert parse_feed(client.get(registrations[0])).findtext(f"{ATOM}title") == registrations[1]
    for url in ("/experimenten/", page.url, page.url + "registratie/"):
        assert feeds(url) == [registrations], url
    # A wijk's page announces the feed of its search instead (tests/opendata/test_open_data_page.py).
    assert registrations not in feeds("/wijken/rotterdam/crooswijk/")


def test_other_pages_have_a_canonical_url_too(client):
    for url in ("/", "/wijken/rotterdam/crooswijk/", "/experimenttypen/gezinscoach/"):
        soup = head(client, url)
        assert soup.select_one('link[rel="canonical"]')["href"] == absolute(url)
        assert soup.select_one('meta[property="og:title"]')["content"]


# --- Dump ----------------------------------------------------------------------------------------


def test_export_dump_writes_one_json_line_per_public_item(tmp_path, hidden):
    target = tmp_path / "dump" / "kennisloket.jsonl"
    call_command("export_dump", output=str(target), verbosity=0)
    lines = target.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    expected = set(SearchDocument.objects.values_list("content_type", "page_id"))
    assert {(item["type"], item["id"]) for item in items} == expected
    assert len(items) == len(expected)
    assert not list(tmp_path.glob("dump/.*"))  # no temporary file left behind

    experiments = [item for item in items if item["type"] == "experiment"]
    page = ExperimentPage.objects.get(pk=hidden["live"].pk)
    item = next(i for i in experiments if i["id"] == page.pk)
    assert item["registration_number"] == page.registration_number
    assert (
        item["title"] == "Openbaar experiment met contact"
    )  # the published title, not the draft's
    assert item["url"].endswith(page.url)
    assert [v["version"] for v in item["history"]] == [1]
    assert item["history"][0]["url"].endswith(page.url + "versies/1/")
    assert all("contact_email" not in i for i in items)
    assert dt.date.fromisoformat(next(i for i in experiments if i["start_date"])["start_date"])


def test_exports_are_limited_per_client_and_kept_from_crawlers(client):
    answers = [
        client.get(
            "/zoeken/", {"thema": "veiligheid", "format": "csv"}, REMOTE_ADDR="192.0.2.50"
        ).status_code
        for _ in range(11)
    ]
    assert answers[:10] == [200] * 10 and answers[10] == 429
    # Another address still gets its file.
    assert client.get("/zoeken/", {"format": "csv"}, REMOTE_ADDR="192.0.2.51").status_code == 200
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /*format=" in robots and "sitemap.xml" in robots
    page = client.get("/zoeken/", {"thema": "veiligheid"}).content.decode()
    assert 'rel="nofollow">CSV' in page


def test_a_search_feed_puts_what_was_published_last_first(
    client, django_capture_on_commit_callbacks
):
    # An experiment registered today that started long ago is still news to a feed reader.
    late = publish(
        ExperimentPageFactory(title="Laat geregistreerd", status="lopend", start_date=a_date(2001)),
        django_capture_on_commit_callbacks,
    )
    feed = ET.fromstring(client.get("/zoeken/", {"format": "atom"}).content)
    atom = "{http://www.w3.org/2005/Atom}"
    first = feed.find(f"{atom}entry")
    assert first.find(f"{atom}link").get("href").endswith(late.url)


def test_export_dump_stopped_by_sigterm_leaves_no_hidden_temporary_file(live_site, tmp_path):
    """cron, systemd and deploys stop a job with SIGTERM: the half-written dump must go too. The
    real command in a process of its own, on the live site's database, stopped while it writes
    (its temporary file lives for most of a second there)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.sites import PROJECT_DIR

    target = tmp_path / "kennisloket.jsonl"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": f"sqlite:///{live_site.database}",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "export_dump", "--output", str(target)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".kennisloket.jsonl.*.tmp")):
        assert process.poll() is None, (
            f"the dump ended before it could be stopped: {process.stderr.read()}"
        )
        assert time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.001)  # polling interval of the wait loop, not a fixed wait
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []  # no .tmp beside the dump, and no half dump


def test_a_large_export_is_streamed_with_the_same_queries_for_every_batch(client, monkeypatch):
    """The file is written while the search's pages are read: each batch of rows costs the
    same queries (one search page, one look-up of the experiments' dates), and the later pages
    are searched only as the file is sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(exports, "EXPORT_PAGE_SIZE", 20)
    expected = search_urls("")
    assert len(expected) > 100, "the session's demo set should fill several batches"
    response = client.get(SEARCH, {"format": "csv"})
    assert response.streaming and response["X-Total-Count"] == str(len(expected))
    chunks = iter(response.streaming_content)
    body, queries_per_chunk = [], []
    while True:
        with CaptureQueriesContext(connection) as queries:
            chunk = next(chunks, None)
        if chunk is None:
            break
        body.append(chunk)
        queries_per_chunk.append(len(queries))
    rows = list(csv.reader(io.StringIO(b"".join(body).decode("utf-8-sig")), delimiter=";"))
    assert [row[URL_COLUMN] for row in rows[1:]] == expected
    # header, first page (searched before the response), the later pages, the last rows
    later_pages = queries_per_chunk[2:-2]
    assert len(later_pages) >= 3 and min(later_pages) > 0
    assert len(set(later_pages)) == 1, queries_per_chunk
