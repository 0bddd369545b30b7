"""The contract: the database engine and Elasticsearch answer the same questions with the same
pages and the same facet counts, on the same documents. Ranking may differ; the sets may not.
Also the search page on Elasticsearch: same behaviour to a visitor, including odd input."""

import pytest

from search.engines.database import DatabaseEngine
from search.models import SearchDocument, Synonym
from search.query import SearchQuery
from search.thesaurus import load_thesaurus
from tests.search.test_search import BAD_QUERY_STRINGS

pytestmark = pytest.mark.django_db

CASES = [
    ("", {}),
    ("wijk", {}),
    ("veiligheid", {}),
    ("bewoners jongeren", {}),
    ('"Eén"', {}),
    ("Coördinatie", {}),
    ("gezinscoach", {}),
    ('"in de wijk"', {}),
    ('"wijk de in"', {}),
    ("de het een", {}),  # stop words only: no text condition at all
    ("xyzzyq", {}),
    ("", {"theme": ["veiligheid"]}),
    ("", {"theme": ["veiligheid", "wonen"]}),
    ("", {"theme": ["veiligheid"], "type": ["experiment", "praktijk"]}),
    (
        "",
        {"municipality": ["rotterdam", "amsterdam"], "theme": ["werken"], "year": ["2009", "2010"]},
    ),
    ("", {"status": ["lopend", "afgerond"], "experiment_type": ["gezinscoach", "stadsmarinier"]}),
    ("", {"type": ["evaluatie", "kennisproduct"], "centre": ["movisie", "rivm", "ccv"]}),
    ("", {"recognition": ["niet-beoordeeld", "goed-beschreven"]}),
    ("aanpak", {"type": ["experiment"], "theme": ["veiligheid", "werken"]}),
    ("wijk bewoners", {"municipality": ["rotterdam"], "year": ["2008", "2009", "2010", "2011"]}),
    ("gezinsmanager", {}),  # only found through the thesaurus
    ("vsv", {"type": ["experiment", "praktijk"]}),
    # Dutch as professionals type it (search.text): plurals, compounds both ways, phrases.
    ("gezinscoaches", {}),
    ("evaluaties", {}),
    ("corporaties", {}),
    ("marinier", {}),
    ("wijkaanpak", {}),
    ('"voortijdig schoolverlaten"', {}),
    ('"achter de voordeur"', {"type": ["experiment"]}),
    ("Crooswijk", {}),
]


def _ask(engine, text, filters):
    query = SearchQuery(text=text, filters=filters, page_size=1000)
    result = engine.search(query, query.clauses(load_thesaurus()))
    counts = {k: {v: n for v, n in c.items() if n} for k, c in result.facet_counts.items()}
    return {h.page_id for h in result.hits}, result.total, {k: c for k, c in counts.items() if c}


@pytest.fixture
def thesaurus():
    # Saving a synonym group clears the cached thesaurus (search.signals).
    Synonym.objects.create(terms="gezinscoach, gezinsmanager")
    Synonym.objects.create(terms="VSV, voortijdig schoolverlaten, schooluitval")


@pytest.mark.parametrize("text,filters", CASES)
def test_both_engines_find_the_same_pages_and_count_the_same(es_settings, thesaurus, text, filters):
    db_ids, db_total, db_counts = _ask(DatabaseEngine(), text, filters)
    es_ids, es_total, es_counts = _ask(es_settings.es_engine, text, filters)
    assert es_ids == db_ids
    assert es_total == db_total == len(db_ids)
    assert es_counts == db_counts


def test_the_contract_is_not_empty(es_settings, thesaurus):
    # Guard against a contract that passes because nothing matches anything.
    answered = [_ask(DatabaseEngine(), text, filters)[1] for text, filters in CASES]
    assert sum(1 for total in answered if total) >= len(CASES) - 5
    assert len({total for total in answered}) > 5


def test_search_page_on_elasticsearch(client, es_settings):
    data = client.get("/zoeken/", {"q": "wijk", "thema": "veiligheid", "format": "json"}).json()
    assert data["engine"] == "elasticsearch"
    assert data["total"] == _ask(DatabaseEngine(), "wijk", {"theme": ["veiligheid"]})[1]
    assert data["results"] and all(
        "<mark>" in r["snippet"] or r["snippet"] == "" for r in data["results"]
    )
    html = client.get("/zoeken/", {"q": "wijk"}).content.decode()
    assert "<mark>" in html


@pytest.mark.parametrize("engine", ["elasticsearch", "database"])
def test_a_misspelling_gets_a_suggestion_on_both_engines(client, es_settings, engine):
    if engine == "database":
        es_settings.ELASTICSEARCH_URL = ""
    data = client.get("/zoeken/", {"q": "veiligheit", "format": "json"}).json()
    assert data["engine"] == engine
    assert data["suggestion"] == "veiligheid"
    html = client.get("/zoeken/", {"q": "veiligheit"}).content.decode()
    assert 'href="/zoeken/?q=veiligheid"' in html
    # A word that finds something is left alone.
    assert client.get("/zoeken/", {"q": "veiligheid", "format": "json"}).json()["suggestion"] == ""


def test_snippets_and_suggestions_are_the_same_on_both_engines(client, es_settings):
    def answer(text):
        data = client.get("/zoeken/", {"q": text, "format": "json"}).json()
        return data["suggestion"], {r["id"]: r["snippet"] for r in data["results"]}

    es_url = es_settings.ELASTICSEARCH_URL
    for text in (
        "evaluaties",
        "gezinscoach wijk",
        '"achter de voordeur"',
        "corporaties",
        "veiligheit",
    ):
        es_suggestion, es_snippets = answer(text)
        es_settings.ELASTICSEARCH_URL = ""
        db_suggestion, db_snippets = answer(text)
        es_settings.ELASTICSEARCH_URL = es_url
        # The engines rank equal scores in their own order, so a first page may differ in
        # which of them it shows (the contract above compares all results).
        both = es_snippets.keys() & db_snippets.keys()
        assert len(both) >= min(len(es_snippets), len(db_snippets)) // 2, text
        assert es_suggestion == db_suggestion, text
        assert {i: es_snippets[i] for i in both} == {i: db_snippets[i] for i in both}, text
        assert any("<mark>" in snippet for snippet in db_snippets.values()) or not db_snippets, text


def test_a_registration_number_puts_its_registration_first_on_both_engines(client, es_settings):
    numbered = [
        d for d in SearchDocument.objects.values_list("data", flat=True) if d["registration_number"]
    ]
    doc = numbered[len(numbered) // 2]
    year, sequence = doc["registration_number"].split("-")[1:]
    es_url = es_settings.ELASTICSEARCH_URL
    for written in (
        doc["registration_number"],
        doc["registration_number"].lower(),
        f"KW{year}{sequence}",
        f"kw {year} {sequence}",
    ):
        for url in (es_url, ""):
            es_settings.ELASTICSEARCH_URL = url
            data = client.get("/zoeken/", {"q": written, "format": "json"}).json()
            assert data["results"][0]["id"] == doc["page_id"], (written, url or "database")


@pytest.mark.parametrize("query_string", BAD_QUERY_STRINGS)
def test_bad_input_never_breaks_the_page_on_elasticsearch(client, es_settings, query_string):
    for suffix in ("", "&format=json"):
        response = client.get(f"/zoeken/?{query_string}{suffix}")
        assert response.status_code == 200, query_string
        body = response.content.decode()
        assert "Traceback" not in body and "search_phase_execution_exception" not in body
        if suffix:  # answered by Elasticsearch itself, not by the fallback
            assert response.json()["engine"] == "elasticsearch"
    assert SearchDocument.objects.exists()


def test_both_engines_order_by_first_publication_alike(es_settings):
    for text in ("", "wijk"):
        query = SearchQuery(text=text, sort="gepubliceerd", page_size=15)
        clauses = query.clauses()
        db = [hit.page_id for hit in DatabaseEngine().search(query, clauses).hits]
        es = [hit.page_id for hit in es_settings.es_engine.search(query, clauses).hits]
        assert db == es
        published = dict(SearchDocument.objects.values_list("page_id", "published_at"))
        assert [published[pk] for pk in db] == sorted((published[pk] for pk in db), reverse=True)


# The programme's kinds, on pages of their own (the demo set may hold none): asked in one test
# so the pages and the index are built once.
PROGRAMME_CASES = [
    ("", {"type": ["wijkactieplan", "charter", "belemmering"]}),
    ("", {"ministry": ["mvp"]}),
    ("", {"ministry": ["mvp", "szw"], "barrier_status": ["ontvangen", "opgelost"]}),
    ("", {"type": ["belemmering"], "municipality": ["proefstad"]}),
    ("", {"type": ["belemmering", "wijkactieplan"], "neighbourhood": ["proefstad-noord"]}),
    ("bijstand", {"type": ["belemmering"]}),
    ("werkloze", {"theme": ["werken"], "type": ["wijkactieplan", "charter"]}),
]


@pytest.fixture
def programme_pages(django_capture_on_commit_callbacks):
    from programme.models import Ministry
    from tests.factories import (
        BarrierPageFactory,
        CharterPageFactory,
        ExperimentPageFactory,
        NeighbourhoodActionPlanPageFactory,
    )

    ministry = Ministry.objects.create(
        name="Ministerie van Proeven", abbreviation="MvP", slug="mvp"
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = NeighbourhoodActionPlanPageFactory(
            gemeente="proefstad", wijk="noord", published=True
        )
        CharterPageFactory(gemeente="proefstad", published=True)
        experiments = [
            ExperimentPageFactory(gemeente=gemeente, wijk=wijk, published=True)
            for gemeente, wijk in (
                ("proefstad", "noord"),
                ("proefstad", "zuid"),
                ("testdorp", "oud"),
            )
        ]
        BarrierPageFactory(
            ministry=ministry,
            regulation="Wet werk en bijstand",
            experiments=experiments,
            action_plans=[plan],
            published=True,
        )
        BarrierPageFactory(
            ministry=ministry, status="opgelost", experiments=experiments[2:], published=True
        )
        BarrierPageFactory(status="opgelost", action_plans=[plan], published=True)


def test_both_engines_agree_on_the_programmes_kinds(programme_pages, es_settings):
    for text, filters in PROGRAMME_CASES:
        db_ids, db_total, db_counts = _ask(DatabaseEngine(), text, filters)
        es_ids, es_total, es_counts = _ask(es_settings.es_engine, text, filters)
        assert db_ids, (text, filters)
        assert (es_ids, es_total, es_counts) == (db_ids, db_total, db_counts), (text, filters)
