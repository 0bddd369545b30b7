"""The public search on the configured engine (the database engine here; the contract suite
runs the same questions on Elasticsearch): what a visitor finds, how the facets count, how
the index follows the content, and that no input breaks the page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from experiments.models import ExperimentPage
from kennisbank.models import KnowledgeCentrePage
from search.facets import FACETS_BY_KEY
from search.models import SearchDocument, Synonym
from search.service import search
from search.shortcuts import shortcuts
from tests.factories import (
    EvaluationPageFactory,
    ExperimentPageFactory,
    ExpertisePageFactory,
    ThemeFactory,
)
from tests.helpers import a_date
from tests.search_helpers import expected_from_documents, publish
from vocabulary.models import Neighbourhood, RecognitionLevel

pytestmark = pytest.mark.django_db
SEARCH = "/zoeken/"

# Input that must never cause a server error or leak an engine's error (shared with the
# Elasticsearch tests in test_search_contract.py).
BAD_QUERY_STRINGS = [
    "page=0",
    "page=-1",
    "page=1000000000",
    "page=abc",
    "page=",
    "q=" + "woord%20" * 2000,  # a 10,000-character query
    "q=%22voortijdig%20schoolverlaten",  # an unbalanced quote
    "q="
    + "%20".join(
        [
            "*",
            "?",
            ":",
            "%5C",
            "/",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "~",
            "^",
            "%22",
            "AND",
            "OR",
            "NOT",
        ]
    ),
    "q=%27%3B%20DROP%20TABLE%20search_document%3B--",
    "q=%27%20OR%201%3D1%20--",
    "q=%ff%fe%fd",
    "thema=%ff",
    "q=NEAR(a%20b)",
    "q=title%3Aa*",
    "q=%2F%2F%2F",
    "thema=bestaat-niet",
    "thema=veiligheid&thema=onzin",
    "jaar=tweeduizend",
    "jaar=99999999999999999999",
    "sort=willekeurig",
    "format=xml",
    "wijk=" + "x" * 5000,
    "onbekend=1",
    # NUL characters: PostgreSQL refuses them in any text it is given.
    "thema=%00x",
    "gemeente=a%00",
    "erkenning=%00",
    "q=%00wijk",
    "page=%00",
    "sort=%00",
]


def found_ids(client, **params):
    response = client.get(SEARCH, {"format": "json", **params})
    assert response.status_code == 200
    data = response.json()
    ids = {r["id"] for r in data["results"]}
    # Follow the pages so a test sees every hit, not only the first 20.
    while data["next"]:
        data = client.get(data["next"]).json()
        ids |= {r["id"] for r in data["results"]}
    return ids


def test_search_page_answers_with_results_facets_and_paging(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    total = SearchDocument.objects.count()
    assert f"{total} resultaten" in html
    assert 'name="thema"' in html and 'name="gemeente"' in html and 'name="wijk"' in html
    assert 'rel="next"' in html  # more than one page of 20


def test_url_holds_the_whole_state_and_json_agrees_with_the_page(client):
    params = {"q": "wijk", "thema": "veiligheid", "type": "experiment", "sort": "datum"}
    page = client.get(SEARCH, params)
    data = client.get(SEARCH, {**params, "format": "json"}).json()
    by_header = client.get(SEARCH, params, HTTP_ACCEPT="application/json").json()
    assert data == by_header
    assert data["query"] == {
        "q": "wijk",
        "filters": {"type": ["experiment"], "thema": ["veiligheid"]},
        "sort": "datum",
        "page": 1,
        "page_size": 20,
    }
    html = page.content.decode()
    for result in data["results"]:
        assert result["title"] in html
    assert all(r["type"] == "experiment" and "Veiligheid" in r["themes"] for r in data["results"])
    # The chips link back to the same search without that one filter.
    assert 'href="/zoeken/?q=wijk&amp;type=experiment&amp;sort=datum"' in html


@pytest.mark.parametrize(
    "filters",
    [
        {"theme": ["veiligheid"]},
        {"theme": ["veiligheid", "wonen"]},  # OR within a facet
        {"theme": ["veiligheid"], "type": ["experiment", "praktijk"]},  # AND across facets
        {"municipality": ["rotterdam", "amsterdam"], "theme": ["werken"], "year": ["2009", "2010"]},
    ],
)
def test_facets_follow_the_rules(client, filters):
    expected_ids, expected_counts = expected_from_documents(filters)
    params = {FACETS_BY_KEY[k].param: v for k, v in filters.items()}
    data = client.get(SEARCH, {**params, "format": "json"}).json()

    assert found_ids(client, **params) == expected_ids
    assert data["total"] == len(expected_ids)
    for group in data["facets"]:
        key = next(k for k, f in FACETS_BY_KEY.items() if f.param == group["param"])
        shown = {v["value"]: v["count"] for v in group["values"] if v["count"]}
        assert shown == expected_counts.get(key, {}), key


def test_a_chosen_value_without_hits_stays_visible_with_zero(client):
    # Pick a municipality none of whose documents has the theme chosen.
    docs = [d.data for d in SearchDocument.objects.all()]
    pair = next(
        (m, t)
        for m in {m for d in docs for m in d["facets"].get("municipality", [])}
        for t in ("wonen", "werken", "veiligheid", "gezondheid", "integreren", "leren-en-opgroeien")
        if not any(
            m in d["facets"].get("municipality", []) and t in d["facets"].get("theme", [])
            for d in docs
        )
    )
    data = client.get(SEARCH, {"gemeente": pair[0], "thema": pair[1], "format": "json"}).json()
    assert data["total"] == 0
    for param, value in (("gemeente", pair[0]), ("thema", pair[1])):
        group = next(g for g in data["facets"] if g["param"] == param)
        chosen = next(v for v in group["values"] if v["value"] == value)
        assert chosen["selected"] is True


def test_dutch_stemming_and_accent_folding(client, django_capture_on_commit_callbacks):
    page = ExperimentPageFactory(
        title="Buurtbudget Crooswijk", summary="Een bewonersinitiatief voor betere coördinatie."
    )
    publish(page, django_capture_on_commit_callbacks)
    assert page.pk in found_ids(client, q="bewonersinitiatieven")
    assert page.pk in found_ids(client, q="coordinatie")
    assert page.pk in found_ids(client, q="Coördinatie bewonersinitiatief")
    assert page.pk not in found_ids(
        client, q="bewonersinitiatief buitenlandbeleid"
    )  # all words must match


def test_quotes_search_a_phrase(client, django_capture_on_commit_callbacks):
    page = ExperimentPageFactory(
        title="Zeeslag", summary="Wij bestrijden voortijdig schoolverlaten met mentoren."
    )
    publish(page, django_capture_on_commit_callbacks)
    assert page.pk in found_ids(client, q='"voortijdig schoolverlaten"')
    assert page.pk not in found_ids(client, q='"schoolverlaten voortijdig"')
    assert page.pk in found_ids(client, q="schoolverlaten voortijdig")


def test_thesaurus_expands_the_query(client, django_capture_on_commit_callbacks):
    page = ExperimentPageFactory(
        title="Zorgmodel", summary="De huismeester komt achter de voordeur."
    )
    publish(page, django_capture_on_commit_callbacks)
    other = ExperimentPageFactory(
        title="Vroegtijdig",
        summary="Wij gaan de taalachterstand van peuters tegen.",
        wijk="crooswijk",
    )
    publish(other, django_capture_on_commit_callbacks)
    assert page.pk not in found_ids(client, q="wijkconciërge")

    Synonym.objects.create(terms="wijkconciërge, huismeester")
    Synonym.objects.create(terms="NT2, taalachterstand")
    assert page.pk in found_ids(client, q="wijkconciërge")
    assert page.pk in found_ids(client, q="wijkconcierges")  # inflected forms find the group too
    assert other.pk in found_ids(client, q="nt2")


def test_the_demo_has_the_thesaurus_the_readme_promises(client):
    from search.thesaurus import DEMO_GROUPS, load_demo_thesaurus

    assert load_demo_thesaurus() == 0  # load_demo made them; loading again adds nothing
    assert Synonym.objects.count() >= len(DEMO_GROUPS)
    coaches = found_ids(client, q="gezinscoach")
    assert coaches and found_ids(client, q="gezinsmanager") == coaches
    assert found_ids(client, q="VSV") == found_ids(client, q='"voortijdig schoolverlaten"')
    assert found_ids(client, q="VSV") >= found_ids(client, q="schooluitval") != set()


def test_index_follows_publish_unpublish_and_delete(client, django_capture_on_commit_callbacks):
    page = ExperimentPageFactory(
        title="Kwartiermaker Tarwewijk", summary="Een kwartiermaker regelt zaken."
    )
    assert page.pk not in found_ids(client, q="kwartiermaker")  # a draft is never found
    publish(page, django_capture_on_commit_callbacks)
    assert page.pk in found_ids(client, q="kwartiermaker")

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert page.pk not in found_ids(client, q="kwartiermaker")

    publish(page, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        ExperimentPage.objects.get(pk=page.pk).delete()
    assert page.pk not in found_ids(client, q="kwartiermaker")
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()


def test_a_draft_change_to_a_live_page_is_not_shown_until_published(
    client, django_capture_on_commit_callbacks
):
    page = publish(
        ExperimentPageFactory(title="Oorspronkelijke titel"), django_capture_on_commit_callbacks
    )
    page.title = "Geheime nieuwe titel"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()  # a draft only
    assert page.pk not in found_ids(client, q="geheime")
    assert page.pk in found_ids(client, q="oorspronkelijke")


def test_private_pages_leave_the_index(client, django_capture_on_commit_callbacks):
    page = publish(
        ExperimentPageFactory(title="Besloten proef"), django_capture_on_commit_callbacks
    )
    assert page.pk in found_ids(client, q="besloten")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    assert page.pk not in found_ids(client, q="besloten")
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert page.pk in found_ids(client, q="besloten")


def test_renamed_wijk_is_found_under_its_new_name(client, django_capture_on_commit_callbacks):
    page = publish(
        ExperimentPageFactory(title="Buurtpreventie"), django_capture_on_commit_callbacks
    )
    wijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")
    assert page.pk not in found_ids(client, q="Kralingen-Crooswijk")
    with django_capture_on_commit_callbacks(execute=True):
        wijk.name = "Kralingen-Crooswijk"
        wijk.save()
    assert page.pk in found_ids(client, q="Kralingen-Crooswijk")
    data = client.get(SEARCH, {"wijk": "rotterdam-crooswijk", "format": "json"}).json()
    group = next(g for g in data["facets"] if g["param"] == "wijk")
    assert any(v["label"].startswith("Kralingen-Crooswijk") for v in group["values"])


def test_moved_page_is_found_at_its_new_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = ExpertisePageFactory(centre="kei", title="Dossier dat verhuist", published=True)
    target = KnowledgeCentrePage.objects.get(knowledge_centre__slug="movisie")
    with django_capture_on_commit_callbacks(execute=True):
        item.move(target, pos="last-child")
    item.refresh_from_db()
    doc = SearchDocument.objects.get(page_id=item.pk)
    assert doc.data["url"] == item.url
    assert doc.data["url"].startswith(target.url)


def test_sort_by_date_puts_the_newest_first(client):
    data = client.get(SEARCH, {"sort": "datum", "format": "json"}).json()
    dates = [r["date"] for r in data["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)


def test_result_cards_show_what_a_professional_needs(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        experiment = ExperimentPageFactory(
            title="Portiekcoach Crooswijk",
            summary="Een coach voor elke portiek.",
            status="lopend",
            start_date=a_date(2009, 3, 1),
            themes=[ThemeFactory(slug="wonen"), ThemeFactory(slug="veiligheid")],
            published=True,
        )
    data = client.get(SEARCH, {"q": f'"{experiment.title}"', "format": "json"}).json()
    card = next(r for r in data["results"] if r["id"] == experiment.pk)
    assert card["url"] == experiment.url
    assert card["registration_number"] == experiment.registration.number
    assert card["municipalities"] == [experiment.municipality.name]
    assert set(card["themes"]) == {t.name for t in experiment.themes.all()}
    assert card["status"] == experiment.status
    html = client.get(SEARCH, {"q": experiment.title}).content.decode()
    assert "<mark>" in html  # the matched words are marked in the snippet


@pytest.mark.parametrize("query_string", BAD_QUERY_STRINGS)
def test_bad_input_never_breaks_the_page(client, query_string):
    for suffix in ("", "&format=json"):
        response = client.get(f"{SEARCH}?{query_string}{suffix}")
        assert response.status_code == 200, query_string
        body = response.content.decode()
        assert (
            "Traceback" not in body
            and "OperationalError" not in body
            and "syntax error" not in body
        )
    assert SearchDocument.objects.exists()  # nothing was dropped


def test_unknown_filter_values_are_ignored_with_a_notice(client):
    data = client.get(SEARCH, {"thema": ["veiligheid", "onzin"], "format": "json"}).json()
    assert data["query"]["filters"] == {"thema": ["veiligheid"]}
    assert any("onzin" in notice for notice in data["notices"])
    plain = client.get(SEARCH, {"thema": "veiligheid", "format": "json"}).json()
    assert data["total"] == plain["total"]


def test_a_page_past_the_end_shows_the_last_page_with_a_notice(client):
    data = client.get(SEARCH, {"page": "999", "format": "json"}).json()
    assert data["query"]["page"] == data["pages"]
    assert data["results"]
    assert any(str(data["pages"]) in notice for notice in data["notices"])


def test_results_expected_shows_once_the_end_date_has_passed_without_an_evaluation(
    client, django_capture_on_commit_callbacks
):

    overdue = ExperimentPageFactory(
        title="Verlopen proef",
        status="lopend",
        start_date=a_date(2008),
        planned_end_date=a_date(2010),
    )
    publish(overdue, django_capture_on_commit_callbacks)
    running = ExperimentPageFactory(
        title="Lopende proef",
        status="lopend",
        start_date=a_date(2008),
        planned_end_date=dt.date.today() + dt.timedelta(days=30),
    )
    publish(running, django_capture_on_commit_callbacks)

    def flags():
        data = client.get(SEARCH, {"q": "proef", "format": "json"}).json()
        ours = (overdue.pk, running.pk)  # the demo content has other "proeven"
        return {r["id"]: r["results_expected"] for r in data["results"] if r["id"] in ours}

    assert flags() == {overdue.pk: True, running.pk: False}

    evaluation = EvaluationPageFactory(
        title="Evaluatie verlopen proef",
        summary="Bevindingen.",
        evaluator="Bureau X",
        experiments=[overdue],
    )
    publish(evaluation, django_capture_on_commit_callbacks)
    assert flags()[overdue.pk] is False  # publishing the evaluation reindexed the experiment


def test_recently_published_puts_a_new_page_with_an_old_date_first(
    client, django_capture_on_commit_callbacks
):
    late = publish(
        ExperimentPageFactory(
            title="Laat geregistreerde proef", status="lopend", start_date=a_date(2001)
        ),
        django_capture_on_commit_callbacks,
    )
    by_date = client.get(SEARCH, {"sort": "datum", "format": "json"}).json()
    recent = client.get(SEARCH, {"sort": "gepubliceerd", "format": "json"}).json()
    assert by_date["results"][0]["id"] != late.pk  # its own date is old
    assert recent["results"][0]["id"] == late.pk and recent["query"]["sort"] == "gepubliceerd"
    assert recent["total"] == by_date["total"]


def test_only_stop_words_get_a_notice_not_everything(client):
    data = client.get(SEARCH, {"q": "de", "format": "json"}).json()
    assert data["total"] == 0 and data["results"] == []
    assert any("te algemeen" in notice for notice in data["notices"])
    html = client.get(SEARCH, {"q": "van het"}).content.decode()
    assert "te algemeen" in html and "0 resultaten" in html
    # A quoted phrase of such words is searched as written.
    assert client.get(SEARCH, {"q": '"in de wijk"', "format": "json"}).json()["total"] > 0


def test_a_new_text_search_from_the_form_is_ranked_by_relevance(client):
    # Without text the form shows "newest first" but sends no sort, so typing a text and
    # submitting gives relevance.
    html = client.get(SEARCH).content.decode()
    assert '<option value="" selected>Nieuwste eerst</option>' in html
    assert f'name="{"sortq"}"' not in html
    # A sort chosen for one text does not stick to the next text the form sends ...
    html = client.get(SEARCH, {"q": "wijk", "sort": "datum"}).content.decode()
    assert '<input type="hidden" name="sortq" value="wijk">' in html
    new_text = client.get(
        SEARCH, {"q": "gezin", "sort": "datum", "sortq": "wijk", "format": "json"}
    ).json()
    assert new_text["query"]["sort"] == "relevantie"
    # ... but stays for the same text, and in links (which carry no sortq).
    same = client.get(
        SEARCH, {"q": "wijk", "sort": "datum", "sortq": "wijk", "format": "json"}
    ).json()
    assert same["query"]["sort"] == "datum"
    assert (
        client.get(SEARCH, {"q": "gezin", "sort": "datum", "format": "json"}).json()["query"][
            "sort"
        ]
        == "datum"
    )


def test_a_search_naming_a_place_type_or_centre_links_to_its_page(client):
    html = client.get(SEARCH, {"q": "Crooswijk"}).content.decode()
    assert (
        '<a href="/wijken/rotterdam/crooswijk/">Direct naar wijk Crooswijk (Rotterdam)</a>' in html
    )
    html = client.get(SEARCH, {"q": "stadsmarinier rotterdam"}).content.decode()
    assert (
        '<a href="/experimenttypen/stadsmarinier/">Direct naar experimenttype Stadsmarinier</a>'
        in html
    )
    assert '<a href="/wijken/rotterdam/">Direct naar gemeente Rotterdam</a>' in html
    html = client.get(SEARCH, {"q": "movisie"}).content.decode()
    assert re.search(
        r'<a href="/kennisbank/kenniscentra/[^"]+/">Direct naar kenniscentrum Movisie</a>', html
    )
    assert 'class="shortcuts"' not in client.get(SEARCH, {"q": "bewoners"}).content.decode()


def test_a_wijk_named_only_by_a_direction_needs_its_gemeente(client):
    def links(text):
        html = client.get(SEARCH, {"q": text}).content.decode()
        return re.findall(r"Direct naar (?:gemeente|wijk|experimenttype|kenniscentrum) [^<]+", html)

    # "Oost" and "Zuidoost" say where in a town a wijk lies: any town's east would match.
    assert links("oost") == [] and links("werkgelegenheid in zuidoost") == []
    assert links("Utrecht oost") == ["Direct naar gemeente Utrecht"]
    assert links("Amsterdam Oost") == ["Direct naar wijk Amsterdam-Oost (Amsterdam)"]
    assert links("oost amsterdam") == ["Direct naar wijk Amsterdam-Oost (Amsterdam)"]
    assert links("Zuidoost Amsterdam") == ["Direct naar wijk Zuidoost (Amsterdam)"]
    assert links("Bijlmer") == ["Direct naar wijk Zuidoost (Amsterdam)"]  # a name of its own


def test_direct_naar_links_cost_no_query_once_looked_up():
    text = "stadsmarinier rotterdam crooswijk movisie"
    first = shortcuts(text)
    assert [s.label for s in first] == ["Stadsmarinier", "Rotterdam", "Crooswijk (Rotterdam)"]
    with CaptureQueriesContext(connection) as queries:
        assert shortcuts(text) == first
    assert queries.captured_queries == []


@pytest.mark.parametrize(
    "filters", ["type=experiment", "type=experiment&thema=veiligheid", "thema=wonen"]
)
def test_a_filter_keeps_the_order_of_relevance(filters):
    # Filters that keep few pages have only those scored (search.engines.database): the
    # order must be the one the whole result has.
    everything = [
        card.page_id for card in search(QueryDict("q=wijk+bewoners"), page_size=1000).cards
    ]
    filtered = [
        card.page_id
        for card in search(QueryDict(f"q=wijk+bewoners&{filters}"), page_size=1000).cards
    ]
    assert filtered and len(filtered) < len(everything)
    assert filtered == [page_id for page_id in everything if page_id in set(filtered)]


def test_recognition_levels_are_offered_in_the_scales_order(
    client, django_capture_on_commit_callbacks
):
    """Weakest evidence to strongest, "niet beoordeeld" last: never by count or alphabet (the
    strongest level and "niet beoordeeld" get the most results here)."""
    levels = list(RecognitionLevel.objects.order_by("ordinal"))
    for level in levels:
        for _n in range(3 if level.ordinal in (0, levels[-1].ordinal) else 1):
            publish(
                EvaluationPageFactory(recognition_level=level), django_capture_on_commit_callbacks
            )
    data = client.get(SEARCH, {"format": "json"}).json()
    group = next(g for g in data["facets"] if g["param"] == "erkenning")
    assert [v["label"] for v in group["values"]] == [level.name for level in levels[1:]] + [
        "Niet beoordeeld"
    ]


def test_statuses_show_as_words_in_facets_and_results(client, django_capture_on_commit_callbacks):
    for status, start in (("lopend", a_date(2024, 1, 1)), ("in-voorbereiding", None)):
        publish(
            ExperimentPageFactory(status=status, start_date=start),
            django_capture_on_commit_callbacks,
        )
    data = client.get(SEARCH, {"status": "lopend", "format": "json"}).json()
    group = next(g for g in data["facets"] if g["param"] == "status")
    assert {v["value"]: v["label"] for v in group["values"]}["lopend"] == "lopend"
    assert {(r["status"], r["status_label"]) for r in data["results"]} == {("lopend", "lopend")}
    in_preparation = next(v for v in group["values"] if v["value"] == "in-voorbereiding")
    assert in_preparation["label"] == "in voorbereiding"
