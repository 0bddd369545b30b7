"""The Elasticsearch engine on a real node: the pre-analysed Dutch terms it indexes, the
multi-select facet rule, index maintenance (including a rebuild under search load) and what
happens when Elasticsearch cannot be reached. Engine-to-engine parity (also of snippets and
suggestions, which both engines take from Python) is in test_search_contract.py."""

import threading
import time
from uuid import uuid4

import pytest

from search.documents import iter_documents
from search.engines.base import SearchUnavailable
from search.engines.elasticsearch import ElasticsearchEngine
from search.query import SearchQuery
from search.text import analyse


def make_doc(page_id, title="", summary="", body="", *, facets=None, date=None, labels_text=""):
    """A document with every key search.documents produces (the mapping is strict)."""
    facets = {"type": ["experiment"], **(facets or {})}
    return {
        "page_id": page_id,
        "type": facets["type"][0],
        "title": title,
        "summary": summary,
        "body": body,
        "labels_text": labels_text,
        "url": f"/pagina/{page_id}/",
        "date": date,
        "year": int(date[:4]) if date else None,
        "published_at": None,
        "registration_number": "",
        "facets": facets,
        "names": {},
        "tags": [],
    }


@pytest.fixture(scope="module")
def alias_prefix():
    return f"kk-test-{uuid4().hex[:8]}"


@pytest.fixture
def engine(elasticsearch_url, alias_prefix):
    # An alias per test, so tests cannot see each other's documents.
    engine = ElasticsearchEngine(
        elasticsearch_url,
        f"{alias_prefix}-{uuid4().hex[:6]}",
        timeout=10,
        old_index_grace=0.5,
    )
    yield engine
    engine.drop()


def ask(engine, text="", filters=None, **kwargs):
    query = SearchQuery(text=text, filters=filters or {}, **kwargs)
    return engine.search(query, query.clauses())


def found(engine, text="", filters=None):
    return {hit.page_id for hit in ask(engine, text, filters).hits}


# --- Dutch analysis -------------------------------------------------------------------------


def test_the_index_holds_the_terms_search_text_makes(engine):
    title = "De gezinscoaches van Delfshaven: auto's, Coördinatie en 2.500 bewonersinitiatieven"
    engine.rebuild([make_doc(1, title, summary="Coo\u0308rdinatie naïef café BEWONERSINITIATIEF")])
    vectors = engine.client.termvectors(
        index=engine.alias,
        id="1",
        fields=["terms.title", "terms.summary", "terms.parts"],
        positions=True,
        offsets=False,
        payloads=False,
        term_statistics=False,
        field_statistics=False,
    )["term_vectors"]

    def in_order(field):
        tokens = [
            (position["position"], term)
            for term, info in vectors[field]["terms"].items()
            for position in info["tokens"]
        ]
        return [term for _position, term in sorted(tokens)]

    assert in_order("terms.title") == analyse(title).terms.split()
    assert in_order("terms.title")[:2] == ["de", "gezinscoach"]
    assert in_order("terms.summary") == ["coordinatie", "naief", "cafe", "bewonersinitiatief"]
    # The parts of both fields' compounds, without positions.
    assert set(vectors["terms.parts"]["terms"]) == {"gezin", "coach", "bewoner", "initiatief"}
    mapping = engine.client.indices.get_mapping(index=engine.alias)
    fields = next(iter(mapping.values()))["mappings"]["properties"]["terms"]["properties"]
    assert fields["parts"]["index_options"] == "freqs"  # no positions: no phrase over parts
    assert fields["title"]["analyzer"] == "whitespace"


def test_compound_parts_find_the_compound_but_never_make_a_phrase(engine):
    engine.rebuild(
        [
            make_doc(1, "Effectevaluaties van de wijkaanpak"),
            make_doc(2, "Wij gaan voortijdig schoolverlaten tegen"),
            make_doc(3, "De school verlaten zonder diploma"),
        ]
    )
    assert found(engine, "evaluatie") == {1}
    assert found(engine, "aanpak") == {1}
    assert found(engine, '"voortijdig schoolverlaten"') == {2}
    assert found(engine, '"voortijdig verlaten"') == set()
    assert found(engine, '"school verlaten"') == {3}
    assert found(engine, "verlaten") == {2, 3}


def test_plural_finds_singular_and_accents_do_not_matter(engine):
    engine.rebuild(
        [
            make_doc(1, "Een bewonersinitiatief in Delfshaven"),
            make_doc(2, "Coördinatie van de zorg"),
            make_doc(3, "Betere coordinatie tussen partners"),
            make_doc(4, "Iets heel anders"),
        ]
    )
    assert found(engine, "bewonersinitiatieven") == {1}
    assert found(engine, "coordinatie") == {2, 3}
    assert found(engine, "Coördinatie") == {2, 3}


def test_a_quoted_phrase_matches_only_its_words_in_that_order(engine):
    engine.rebuild(
        [
            make_doc(1, "Wonen", summary="De aanpak van de wijk werkte."),
            make_doc(2, "Wonen", summary="De wijk van de aanpak werkte."),
            make_doc(3, "Wonen", summary="Een aanpak voor een betere wijk."),
        ]
    )
    assert found(engine, '"aanpak van de wijk"') == {1}
    assert found(engine, "aanpak wijk") == {1, 2, 3}


def test_every_clause_must_match_somewhere(engine):
    # A loose word may be in any field; all words must be in the document.
    engine.rebuild(
        [
            make_doc(1, "Jongeren", body="Een project met bewoners."),
            make_doc(2, "Jongeren", body="Een project met ouders."),
        ]
    )
    assert found(engine, "jongeren bewoners") == {1}


@pytest.mark.django_db
def test_the_site_documents_fit_the_mapping(engine):
    docs = list(iter_documents())
    assert docs, "the session database should hold demo content"
    assert engine.rebuild(iter_documents()) == len(docs)
    assert engine.document_ids() == {doc["page_id"] for doc in docs}
    assert ask(engine).total == len(docs)
    doc = docs[0]
    assert doc["page_id"] in found(engine, doc["title"])


# --- Facets ---------------------------------------------------------------------------------


@pytest.fixture
def faceted(engine):
    engine.rebuild(
        [
            make_doc(
                1,
                "Een",
                facets={"type": ["experiment"], "theme": ["wonen"], "municipality": ["rotterdam"]},
            ),
            make_doc(
                2,
                "Twee",
                facets={"type": ["experiment"], "theme": ["zorg"], "municipality": ["utrecht"]},
            ),
            make_doc(
                3,
                "Drie",
                facets={"type": ["praktijk"], "theme": ["wonen"], "municipality": ["utrecht"]},
            ),
            make_doc(
                4,
                "Vier",
                facets={
                    "type": ["praktijk"],
                    "theme": ["wonen", "zorg"],
                    "municipality": ["rotterdam"],
                },
            ),
            make_doc(
                5,
                "Vijf",
                facets={
                    "type": ["evaluatie"],
                    "theme": ["veiligheid"],
                    "municipality": ["rotterdam"],
                },
            ),
        ]
    )
    return engine


def test_values_within_a_facet_are_ored(faceted):
    result = ask(faceted, filters={"theme": ["wonen", "zorg"]})
    assert {hit.page_id for hit in result.hits} == {1, 2, 3, 4}
    assert result.total == 4


def test_facets_are_anded_and_each_counted_without_its_own_filter(faceted):
    result = ask(faceted, filters={"theme": ["wonen", "zorg"], "municipality": ["rotterdam"]})
    assert {hit.page_id for hit in result.hits} == {1, 4}
    # theme: counted over Rotterdam (1, 4, 5), so the other themes stay selectable.
    assert result.facet_counts["theme"] == {"wonen": 2, "zorg": 1, "veiligheid": 1}
    # municipality: counted over the chosen themes (1, 2, 3, 4).
    assert result.facet_counts["municipality"] == {"rotterdam": 2, "utrecht": 2}
    # type: not filtered itself, so counted over the hits.
    assert result.facet_counts["type"] == {"experiment": 1, "praktijk": 1}


# --- Sorting and paging ---------------------------------------------------------------------


def test_date_sort_puts_undated_last_and_pages_past_the_window_answer_empty(engine):
    engine.rebuild(
        [
            make_doc(1, "Wijk", date="2010-05-01"),
            make_doc(2, "Wijk", date=None),
            make_doc(3, "Wijk", date="2012-01-01"),
            make_doc(4, "Wijk", date="2010-05-01"),
        ]
    )
    assert [hit.page_id for hit in ask(engine, "wijk", sort="datum").hits] == [3, 4, 1, 2]
    beyond = ask(engine, "wijk", page=600)  # offset 11,980: past max_result_window
    assert beyond.hits == [] and beyond.total == 4


# --- Index maintenance ----------------------------------------------------------------------


def test_index_delete_ids_and_count_round_trip(engine):
    engine.index_documents([make_doc(1, "Een"), make_doc(2, "Twee"), make_doc(3, "Drie")])
    assert engine.count() == 3
    assert engine.document_ids() == {1, 2, 3}
    engine.index_documents([make_doc(2, "Twee, gewijzigd")])
    engine.delete_documents([1, 999])  # 999 was never indexed: ignored
    engine.refresh()
    assert engine.document_ids() == {2, 3}
    assert found(engine, "gewijzigd") == {2}


def test_rebuild_swaps_the_alias_while_searches_keep_answering(engine):
    engine.rebuild(make_doc(i, "Wijk", facets={"theme": ["wonen"]}) for i in range(1, 301))
    old_indices = set(engine.client.indices.get_alias(name=engine.alias))
    totals, errors, stop = [], [], threading.Event()

    def search_in_a_loop():
        while not stop.is_set():
            try:
                totals.append(ask(engine, "wijk", {"theme": ["wonen"]}).total)
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(exc)

    searcher = threading.Thread(target=search_in_a_loop)
    searcher.start()
    try:
        loaded = engine.rebuild(
            make_doc(i, "Wijk", summary=f"Document {i}", facets={"theme": ["wonen"]})
            for i in range(1, 3001)
        )
        time.sleep(0.2)  # a few searches on the new index too
    finally:
        stop.set()
        searcher.join()

    assert loaded == 3000
    assert errors == []
    assert len(totals) > 10 and set(totals) <= {300, 3000}
    assert totals[0] == 300 and totals[-1] == 3000
    behind = set(engine.client.indices.get_alias(name=engine.alias))
    assert len(behind) == 1 and not behind & old_indices
    assert not engine.client.indices.exists(index=",".join(old_indices))
    # The bulk-load settings are undone.
    index_settings = engine.client.indices.get_settings(index=engine.alias)[behind.pop()][
        "settings"
    ]
    assert "refresh_interval" not in index_settings["index"]
    assert index_settings["index"]["number_of_replicas"] == "0"
    assert engine.count() == 3000


def test_rebuild_twice_in_a_second_and_drop(engine):
    engine.rebuild([make_doc(1, "Een")])
    engine.old_index_grace = 0
    engine.rebuild([make_doc(2, "Twee")])
    assert engine.document_ids() == {2}
    engine.drop()
    assert not engine.client.indices.exists_alias(name=engine.alias)
    assert engine.client.indices.get(index=f"{engine.alias}-*") == {}


# --- Elasticsearch down ---------------------------------------------------------------------


def test_an_unreachable_elasticsearch_raises_search_unavailable_quickly():
    engine = ElasticsearchEngine("http://127.0.0.1:9", "kk-nowhere", timeout=1)
    assert engine.ping() is False
    calls = [
        lambda: ask(engine, "wijk"),
        lambda: engine.index_documents([make_doc(1, "Een")]),
        lambda: engine.delete_documents([1]),
        lambda: engine.count(),
    ]
    for call in calls:
        started = time.monotonic()
        with pytest.raises(SearchUnavailable) as raised:
            call()
        assert time.monotonic() - started < 3
        message = str(raised.value)
        assert message.startswith("Elasticsearch ") and len(message) < 80
        assert "127.0.0.1" not in message and "refused" not in message.lower()
