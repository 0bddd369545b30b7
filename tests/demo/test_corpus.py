"""The registry half of the hand-written demo corpus (demo/corpus/experiments.yaml) holds
together as of its demo date, and loads the way the site publishes (tests/conftest.py loads it
once per session)."""

import datetime as dt
import re
from collections import defaultdict

import pytest

from demo.corpus import load_corpus
from demo.corpus.registry import DEMO_DATE, RICH_FIELDS, entries
from experiments.choices import ExperimentStatus as S
from experiments.choices import PartnerRole
from experiments.models import ExperimentPage, Registration, RegistryVersion
from vocabulary.models import ExperimentType, Municipality, Neighbourhood

pytestmark = pytest.mark.django_db
ENTRIES = entries()
# Running past its planned end for longer than this, an experiment should have been amended.
OVERDUE = dt.timedelta(days=92)


def registrations():
    keys = [e["key"] for e in ENTRIES]
    return {r.page.slug: r for r in Registration.objects.filter(page__slug__in=keys)}


def test_every_experiment_is_registered_on_its_first_publication_in_that_order():
    found = registrations()
    assert len(found) == len(ENTRIES) == 40
    last_of_year = {}
    for entry in ENTRIES:  # in order of first publication
        registration = found[entry["key"]]
        assert registration.registered_at.date() == entry["published"]
        assert registration.year == entry["published"].year
        assert registration.sequence > last_of_year.get(registration.year, 0), registration
        last_of_year[registration.year] = registration.sequence
    assert found["stadsmarinier-oude-westen"].number == "KW-2008-0001"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["key"])
def test_status_fits_the_dates_on_the_demo_date(entry):
    start, planned_end, end = entry["start"], entry["planned_end"], entry.get("end")
    assert entry["published"] < DEMO_DATE and start <= planned_end
    status = entry["status"]
    if status == S.PREPARING:
        assert start > DEMO_DATE and end is None
    elif status == S.RUNNING:
        assert start <= DEMO_DATE and planned_end + OVERDUE >= DEMO_DATE and end is None
    else:
        assert start <= end < DEMO_DATE
    assert bool((entry.get("stop_reason") or "").strip()) == (status == S.STOPPED)
    page = ExperimentPage.objects.get(slug=entry["key"])
    assert (page.status, page.start_date, page.planned_end_date, page.end_date) == (
        status,
        start,
        planned_end,
        end,
    )
    assert page.live and page.image is None
    assert page.contact_name.endswith("(fictief)") and page.contact_email.endswith("@example.org")
    assert {p.role for p in page.partners.all()} <= set(PartnerRole.values)


def test_every_gemeente_krachtwijk_and_experiment_type_has_an_experiment():
    gemeenten = {e["gemeente"] for e in ENTRIES}
    wijken = {(e["gemeente"], w) for e in ENTRIES for w in e["wijken"]}
    assert gemeenten == set(Municipality.objects.values_list("slug", flat=True))
    assert len(gemeenten) == 18
    assert wijken == set(
        Neighbourhood.objects.filter(is_krachtwijk=True).values_list("municipality__slug", "slug")
    )
    assert len(wijken) == 40
    assert {e["type"] for e in ENTRIES} == set(
        ExperimentType.objects.values_list("slug", flat=True)
    )


def test_versions_say_what_was_known_on_their_day():
    amended = 0
    for entry in ENTRIES:
        versions = list(
            RegistryVersion.objects.filter(registration__page__slug=entry["key"]).order_by("number")
        )
        days = [v.published_at.date() for v in versions]
        assert days[0] == entry["published"]
        assert all(entry["published"] < day < DEMO_DATE for day in days[1:]), entry["key"]
        assert days == sorted(days)
        for version, day in zip(versions, days, strict=True):
            status = version.data["status"]
            # A version never knows of a start or an end after its own day.
            assert (status == S.PREPARING) == (day < entry["start"]), (entry["key"], day)
            if status in (S.COMPLETED, S.STOPPED):
                assert dt.date.fromisoformat(version.data["end_date"]) <= day
        # An amendment beyond starting and ending: another field changed.
        status_fields = {"status", "end_date", "stop_reason"}
        if any(
            {k for k in new.data if new.data[k] != old.data[k]} - status_fields
            for old, new in zip(versions, versions[1:], strict=False)
        ):
            amended += 1
        assert versions[-1].data["status"] == entry["status"]
    assert amended >= 10


def test_the_registration_as_first_published_shows_what_was_known_then(client):
    page = ExperimentPage.objects.get(slug="stadsmarinier-oude-westen")
    first = client.get(f"{page.url}registratie/").content.decode().partition("<main")[2]
    assert "Bewoners en ondernemers rond de Gaffelstraat en de Josephstraat" in first
    assert "Tiendplein" not in first and "GGD Rotterdam-Rijnmond" not in first
    now = client.get(page.url).content.decode().partition("<main")[2]
    assert "Tiendplein" in now and "GGD Rotterdam-Rijnmond" in now


def pdf_text(data: bytes) -> str:
    """The text shown by a PDF of demo.pdf (uncompressed streams, one Tj per line)."""
    lines = []
    for raw in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", data):
        lines.append(re.sub(rb"\\(.)", rb"\1", raw).decode("cp1252"))
    return " ".join(line for line in lines if line)


def test_documents_are_real_pdfs_with_the_text_written_for_them():
    with_documents = 0
    for entry in ENTRIES:
        page = ExperimentPage.objects.get(slug=entry["key"])
        attached = {d.document.title: d.document for d in page.documents.all()}
        assert set(attached) == {d["title"] for d in entry.get("documents", [])}
        for spec in entry.get("documents", []):
            document = attached[spec["title"]]
            assert document.created_at.date() == spec["date"]
            with document.file.open("rb") as f:
                data = f.read()
            assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
            words = " ".join(pdf_text(data).split())
            for paragraph in spec["paragraphs"]:
                assert " ".join(paragraph.split()) in words, (spec["title"], paragraph[:40])
        with_documents += bool(attached)
    assert with_documents >= 10


def texts(value):
    """Every piece of text in an entry's value (its lists and mappings opened up)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def test_no_two_experiments_share_a_sentence():
    written = ("title", "summary", "target_group", "stop_reason", "partners", "amendments")
    written += RICH_FIELDS + ("start_note", "end_note", "documents")
    where = defaultdict(set)
    for entry in ENTRIES:
        for name in written:
            for text in texts(entry.get(name)):
                for sentence in re.split(r"(?<=[.!?;])\s+", " ".join(text.split())):
                    if len(sentence) >= 40:
                        where[sentence].add(entry["key"])
    shared = {sentence: keys for sentence, keys in where.items() if len(keys) > 1}
    assert not shared


def test_loading_the_corpus_again_changes_nothing():
    versions = RegistryVersion.objects.count()
    assert not any(load_corpus().values())
    assert RegistryVersion.objects.count() == versions
