"""Dutch as professionals type it (search.text, search.highlight, search.suggest): inflections,
compounds and their parts, phrases that stay exact, snippets in the text's own words, and
spelling suggestions from the index's vocabulary. On the configured (database) engine; the
contract suite runs the same on Elasticsearch and the relevance set (test_search_relevance.py)
measures the whole."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import SafeString

from search import highlight, relevance, text
from search.engines.database import clear_documents, delete_documents, store_documents
from search.highlight import snippet
from search.models import SearchTerm
from search.query import SearchQuery, parse_text
from search.service import search
from search.suggest import edit_distance
from search.text import analyse, analyse_word, terms, words
from tests.factories import ExperimentPageFactory
from tests.search.test_search import found_ids
from tests.search_helpers import index_term_counts, publish

# word → (term, parts it must carry); () means it must stay whole.
WORDS = {
    "gezinscoaches": ("gezinscoach", {"gezin", "coach"}),
    "gezinscoach": ("gezinscoach", {"gezin", "coach"}),
    "evaluaties": ("evaluatie", ()),
    "effectevaluatie": ("effectevaluatie", {"effect", "evaluatie"}),
    "procesevaluaties": ("procesevaluatie", {"proces", "evaluatie"}),
    "gezinnen": ("gezin", ()),
    "corporaties": ("corporatie", ()),
    "woningcorporaties": ("woningcorporatie", {"woning", "corporatie"}),
    "stadsmariniers": ("stadsmarinier", {"stad", "marinier"}),
    "bewonersinitiatieven": ("bewonersinitiatief", {"bewoner", "initiatief"}),
    "schuldhulpverlening": ("schuldhulpverlening", {"schuld", "hulpverlening", "hulp"}),
    "kinderen": ("kind", ()),
    "huisjes": ("huis", ()),
    "buurtje": ("buurt", ()),
    "veilige": ("veilig", ()),
    "studies": ("studie", ()),
    "crises": ("crisis", ()),
    "wijkactieplannen": ("wijkactieplan", {"wijk", "actieplan", "actie", "plan"}),
    "coördinatie": ("coordinatie", ()),
    "politie": ("politie", ()),
    "werken": ("werk", ()),  # a theme: finds "werk" (and "werkt")
    "gewerkt": ("werk", ()),
    "leren": ("leer", ()),  # finds "leert", and "leerplicht" through its part
    "aanpak": ("aanpak", ()),
    "onderwijs": ("onderwijs", ()),
    "gemeenten": ("gemeente", ()),
    "werkloosheid": ("werkloosheid", ()),
    "crooswijk": ("crooswijk", ()),
}


@pytest.mark.parametrize("word", WORDS)
def test_words_are_normalised_and_compounds_split(word):
    term, parts = WORDS[word]
    analysed = analyse_word(words(word)[0])
    assert analysed.term == term
    if parts:
        assert parts <= set(analysed.parts)
    else:
        assert analysed.parts == ()


def test_plural_apostrophes_accents_and_numbers():
    assert terms("auto's baby’s Coördinatie CAFÉ 2.500 KW-2011-0007") == [
        "auto",
        "baby",
        "coordinatie",
        "cafe",
        "2",
        "500",
        "kw",
        "2011",
        "0007",
    ]
    # A decomposed ö folds like a precomposed one.
    assert terms("Coo\u0308rdinatie") == ["coordinatie"]
    assert analyse("De gezinscoaches en schoolverlaters").parts.split()[:2] == ["gezin", "coach"]


def test_a_registration_number_is_found_however_it_is_written():
    for written in ("KW-2011-0007", "kw-2011-0007", "KW20110007", "kw 2011 7", "KW_2011_0007"):
        query = SearchQuery(text=written)
        assert query.registration_numbers == ["KW-2011-0007"], written
        assert query.clauses() == [[["kw", "2011", "0007"]]], written


def test_typographic_quotes_search_a_phrase():
    assert parse_text("“voortijdig schoolverlaten”") == [[["voortijdig", "schoolverlaten"]]]
    assert parse_text("„achter de voordeur”") == [[["achter", "de", "voordeur"]]]


@pytest.mark.django_db
def test_plurals_and_compound_parts_find_the_page(client, django_capture_on_commit_callbacks):
    page = publish(
        ExperimentPageFactory(
            title="Effectevaluatie van de gezinscoaches",
            summary="Woningcorporaties en stadsmariniers werken samen tegen voortijdig schoolverlaten.",
        ),
        django_capture_on_commit_callbacks,
    )
    for query in (
        "gezinscoach",
        "gezinscoaches",
        "evaluatie",
        "evaluaties",
        "coach",
        "corporatie",
        "marinier",
        "stadsmarinier",
        "effectevaluaties",
        '"voortijdig schoolverlaten"',
        "gezin coach",
    ):
        assert page.pk in found_ids(client, q=query), query
    # Parts never make a phrase, and every word must still match.
    for query in (
        '"voortijdig verlaten"',
        '"gezin coach"',
        '"effect evaluatie"',
        "evaluatie xyzzy",
    ):
        assert page.pk not in found_ids(client, q=query), query


@pytest.mark.django_db
def test_a_compound_query_finds_its_parts_written_apart(client, django_capture_on_commit_callbacks):
    page = publish(
        ExperimentPageFactory(
            title="Zakgeld", summary="Een budget voor de buurt, door bewoners besteed."
        ),
        django_capture_on_commit_callbacks,
    )
    assert page.pk in found_ids(client, q="buurtbudget")
    assert page.pk in found_ids(client, q="buurtbudgetten")


def test_snippets_mark_the_words_as_written_and_escape_html():
    clauses = parse_text("evaluatie gezinnen")
    html = snippet(["Twee <b>Effectevaluaties</b> bij 40 gezinnen, en één gezin."], clauses)
    assert isinstance(html, SafeString)
    assert "<mark>Effectevaluaties</mark>" in html and "<mark>gezinnen</mark>" in html
    assert "<mark>gezin</mark>" in html and "&lt;b&gt;" in html and "<b>" not in html
    # A phrase marks whole words only: "schoolverlaten" carries the part "verlaten", but the
    # phrase "zomaar verlaten" did not match it.
    html = snippet(
        ["Wie zomaar verlaten wordt; voortijdig schoolverlaten."], parse_text('"zomaar verlaten"')
    )
    assert "<mark>verlaten</mark>" in html and "<mark>schoolverlaten</mark>" not in html


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("veiligheit", "veiligheid", 2) == 1
    assert edit_distance("corporaites", "corporaties", 2) == 1
    assert edit_distance("wijk", "werk", 1) == 2  # more than the limit: limit + 1


@pytest.mark.django_db
def test_suggestions_come_from_the_index_vocabulary(client, django_capture_on_commit_callbacks):
    def suggestion(text):
        return client.get("/zoeken/", {"q": text, "format": "json"}).json()["suggestion"]

    assert suggestion("veiligheit") == "veiligheid"
    assert suggestion("Veiligheit wijk") == "veiligheid wijk"
    assert suggestion("veiligheid") == ""
    assert suggestion("xyzzyq") == ""  # nothing near it: no suggestion
    # A word one page has (a typo in that page) while its neighbour is on many.
    publish(
        ExperimentPageFactory(title="Overlast", summary="Meer veiligheidd in de straat."),
        django_capture_on_commit_callbacks,
    )
    assert client.get("/zoeken/", {"q": "veiligheidd", "format": "json"}).json()["total"] == 1
    assert suggestion("veiligheidd") == "veiligheid"


@pytest.mark.django_db
def test_suggestions_and_shortcuts_are_looked_up_only_where_they_are_shown(client):
    def lookups(queries):
        # The suggestion reads the index's vocabulary, the shortcuts the vocabulary's names.
        return [
            q["sql"]
            for q in queries
            if "search_term" in q["sql"] or "vocabulary_neighbourhood" in q["sql"]
        ]

    text = "veiligheit crooswijk"
    # What the page shows ...
    html = client.get("/zoeken/", {"q": text}).content.decode()
    assert "veiligheid crooswijk</a>?" in html and "Direct naar wijk Crooswijk (Rotterdam)" in html
    assert (
        client.get("/zoeken/", {"q": text, "format": "json"}).json()["suggestion"]
        == "veiligheid crooswijk"
    )
    # ... a CSV export, a feed or an alert digest (1,000 cards a page) never looks up.
    cache.clear()
    with CaptureQueriesContext(connection) as exporting:
        response = client.get("/zoeken/", {"q": text, "format": "csv"})
        assert response.status_code == 200
        response.getvalue()  # the file is written while it is sent: read it all
        outcome = search(QueryDict.fromkeys(["q"], text), page_size=1000)
    assert lookups(exporting.captured_queries) == []
    with CaptureQueriesContext(connection) as showing:
        assert outcome.suggestion == "veiligheid crooswijk"
        assert [s.label for s in outcome.shortcuts] == ["Crooswijk (Rotterdam)"]
    assert lookups(showing.captured_queries)


@pytest.fixture
def later_analysis(monkeypatch):
    """Call it to change the analysis as a later release might ("ouders" no longer "ouder")."""

    def clear_caches():
        for cached in (
            text.analyse_word,
            text._known_lemma,
            text._split,
            text._modifiers,
            highlight._analysed,
        ):
            cached.cache_clear()

    def change():
        monkeypatch.setitem(text.OVERRIDES, "ouders", "ouders")
        clear_caches()

    yield change
    monkeypatch.undo()
    clear_caches()


@pytest.mark.django_db
def test_term_counts_equal_the_index_even_after_the_analysis_changed(later_analysis):
    def counted():
        return dict(SearchTerm.objects.values_list("term", "documents"))

    docs = relevance.documents()
    clear_documents()
    store_documents(docs)
    assert counted() == index_term_counts() and counted()["ouder"] == 2
    later_analysis()
    # Replacing and removing documents indexed with the old analysis takes off what the index
    # holds for them, not what the analysis makes of them now.
    store_documents([{**doc, "summary": doc["summary"] + " Met ouders."} for doc in docs[15:20]])
    delete_documents([doc["page_id"] for doc in docs[30:35]])
    assert counted() == index_term_counts()
    # 18 was analysed anew and 34 removed; 16-20 have the new term.
    assert "ouder" not in counted() and counted()["ouders"] == 5


@pytest.mark.django_db
def test_the_vocabulary_is_read_once_per_letter_until_the_index_changes(
    client, django_capture_on_commit_callbacks
):
    def suggestion(text):
        return client.get("/zoeken/", {"q": text, "format": "json"}).json()["suggestion"]

    def letter_scans(queries):
        return [q for q in queries if '"search_term"."term" >=' in q["sql"]]

    assert suggestion("schaakclb") == ""  # no such word in the index yet
    with CaptureQueriesContext(connection) as again:
        assert suggestion("schaakclb") == "" and suggestion("stadsmarinir") == "stadsmarinier"
    assert letter_scans(again.captured_queries) == []  # the letter s is known in this process
    # A new word in the index: the process reads the letter again and suggests it.
    publish(
        ExperimentPageFactory(title="Een schaakclub in de wijk"), django_capture_on_commit_callbacks
    )
    assert suggestion("schaakclb") == "schaakclub"
