"""The open-data API (/api/v1/): it agrees with the search page, its OpenAPI document is valid
and describes what it answers (schemathesis), only published public content and never an email
address appears, and bad input is a 400 problem, never a 500."""

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from wagtail.models import PageViewRestriction

from experiments.models import ExperimentPage
from experiments.withdrawal import withdraw
from search.models import SearchDocument
from tests.factories import EvaluationPageFactory, ExperimentPageFactory
from tests.helpers import a_date
from tests.search_helpers import publish

pytestmark = pytest.mark.django_db
API = "/api/v1"
PROBLEM = "application/problem+json"


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = "localhost"
    return client


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def follow(client, url):
    """Every result of a list (following `next`), and the first page."""
    first = data = get_json(client, url)
    results = list(data["results"])
    while data["next"]:
        assert data["next"].startswith("http://localhost/api/v1/")
        data = get_json(client, data["next"])
        results += data["results"]
    return first, results


def api_id(page_id):
    """The identifier the API must give a page: its registration number, or slugs."""
    from wagtail.models import Page

    from agenda.models import EventPage
    from experiments.models import ExperimentPage
    from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
    from programme.models import BarrierPage, CharterPage, NeighbourhoodActionPlanPage

    page = Page.objects.get(pk=page_id).specific
    if isinstance(page, ExperimentPage):
        return page.registration.number
    if isinstance(page, (PracticePage, NeighbourhoodActionPlanPage)):
        return f"{page.municipality.slug}/{page.slug}"
    if isinstance(page, ExpertisePage):
        return f"{page.knowledge_centre.slug}/{page.slug}"
    if isinstance(page, CharterPage):  # one per gemeente
        return page.municipality.slug
    assert isinstance(page, (EvaluationPage, BarrierPage, EventPage)), page
    return page.slug


# --- The API and the search page agree -----------------------------------------------------


def _most_common(facet_key):
    counts = Counter(
        v for doc in SearchDocument.objects.all() for v in doc.data["facets"].get(facet_key, [])
    )
    return counts.most_common(1)[0][0]


def _combinations():
    """(API path, its parameters, the same search on /zoeken/) for a set of filter combinations."""
    wijk, year, level = (
        _most_common("neighbourhood"),
        _most_common("year"),
        _most_common("recognition"),
    )
    municipality = _most_common("municipality")
    return [
        ("/zoeken", [("q", "gezinscoach")], [("q", "gezinscoach")]),
        ("/zoeken", [("thema", "veiligheid")], [("thema", "veiligheid")]),
        (
            "/experimenten",
            [("gemeente", municipality)],
            [("gemeente", municipality), ("type", "experiment")],
        ),
        (
            "/zoeken",
            [("gemeente", municipality), ("type", "praktijk"), ("type", "evaluatie")],
            [("gemeente", municipality), ("type", "praktijk"), ("type", "evaluatie")],
        ),
        ("/zoeken", [("wijk", wijk)], [("wijk", wijk)]),
        ("/zoeken", [("jaar", year), ("sort", "datum")], [("jaar", year), ("sort", "datum")]),
        ("/evaluaties", [("erkenning", level)], [("erkenning", level), ("type", "evaluatie")]),
        (
            "/zoeken",
            [("erkenning", level), ("thema", "veiligheid"), ("thema", "wonen")],
            [("erkenning", level), ("thema", "veiligheid"), ("thema", "wonen")],
        ),
        (
            "/praktijken",
            [("q", "wijk"), ("sort", "relevantie")],
            [("q", "wijk"), ("sort", "relevantie"), ("type", "praktijk")],
        ),
        ("/kennisproducten", [], [("type", "kennisproduct")]),
    ]


def test_api_lists_agree_with_the_search_page(client):
    from django.utils.http import urlencode

    for path, api_params, search_params in _combinations():
        # A small page size, so every combination is paged through `next`.
        first, results = follow(
            client, f"{API}{path}?{urlencode(api_params + [('page_size', '3')])}"
        )
        search = get_json(client, f"/zoeken/?{urlencode(search_params + [('format', 'json')])}")
        search_results = list(search["results"])
        while search["next"]:
            search = get_json(client, search["next"])
            search_results += search["results"]

        label = f"{path} {api_params}"
        assert first["count"] == search["total"] == len(search_results) == len(results), label
        assert first["count"] > 0, label
        # The same records in the same order, each with its stable identifier.
        assert [urlsplit(r["web_url"]).path for r in results] == [
            r["url"] for r in search_results
        ], label
        assert [r["id"] for r in results] == [api_id(r["id"]) for r in search_results], label
        assert first["facets"] == search["facets"], label
        assert first["query"]["sort"] == search["query"]["sort"], label
        for item in results:
            assert item["url"].startswith("http://localhost/api/v1/"), item
            assert client.get(item["url"]).status_code == 200


def test_api_lists_agree_with_the_search_service(client):
    from django.http import QueryDict

    from search.service import search

    outcome = search(QueryDict("thema=veiligheid&type=experiment"), page_size=1000)
    first, results = follow(client, f"{API}/experimenten?thema=veiligheid&page_size=5")
    assert [r["id"] for r in results] == [api_id(card.page_id) for card in outcome.cards]
    counts = {(g.param, v.value): v.count for g in outcome.facets for v in g.values}
    assert {
        (g["param"], v["value"]): v["count"] for g in first["facets"] for v in g["values"]
    } == counts


def test_paging_links_and_page_size(client):
    data = get_json(client, f"{API}/zoeken?page_size=5&thema=veiligheid")
    assert data["page"] == 1 and data["page_size"] == 5 and data["previous"] is None
    assert data["next"] == "http://localhost/api/v1/zoeken?thema=veiligheid&page_size=5&page=2"
    response = client.get(data["next"])
    assert f'<{data["next"].replace("page=2", "page=3")}>; rel="next"' in response["Link"]
    second = response.json()
    assert second["previous"] == "http://localhost/api/v1/zoeken?thema=veiligheid&page_size=5"
    # The default page size is 20, the maximum 100: more is capped with a notice, not an error.
    assert get_json(client, f"{API}/zoeken")["page_size"] == 20
    capped = get_json(client, f"{API}/zoeken?page_size=100000000000000000000000000000")
    assert capped["page_size"] == 100 and capped["notices"]
    # Past the last page: 404.
    last = get_json(client, f"{API}/zoeken?page_size=5&thema=veiligheid")["pages"]
    response = client.get(f"{API}/zoeken?page_size=5&thema=veiligheid&page={last + 1}")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert client.get(f"{API}/zoeken?page=1000000000000000000000000").status_code == 404


def test_number_of_queries_does_not_grow_with_the_results(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        client.get(url)  # warm the caches (site root paths) once, as a running site has them
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # A fixed set: the search, the documents, one lookup per content type and per vocabulary
    # table that appears; never one per result.
    assert SearchDocument.objects.count() >= 40
    assert queries(f"{API}/zoeken?page_size=40") <= 30
    assert queries(f"{API}/zoeken?page_size=40") - queries(f"{API}/zoeken?page_size=2") <= 10
    assert queries(f"{API}/gemeenten") == queries(f"{API}/gemeenten/rotterdam")
    assert queries(f"{API}/wijken") == queries(f"{API}/wijken/rotterdam/crooswijk")
    assert queries(f"{API}/kenniscentra") == queries(f"{API}/kenniscentra/nicis")


# --- Detail endpoints -----------------------------------------------------------------------


def test_experiment_detail_has_links_registration_number_and_history(
    client, django_capture_on_commit_callbacks
):
    page = publish(
        ExperimentPageFactory(title="Wijkcoach Crooswijk", summary="Eerste versie."),
        django_capture_on_commit_callbacks,
    )
    page.summary = "Tweede versie, met meer uitleg."
    page.status, page.start_date = "lopend", a_date(2009, 3, 1)
    publish(page, django_capture_on_commit_callbacks)
    number = page.registration.number

    data = get_json(client, f"{API}/experimenten/{number}")
    assert data["id"] == data["registration_number"] == number
    assert data["url"] == f"http://localhost/api/v1/experimenten/{number}"
    assert data["web_url"] == f"http://localhost{page.url}"
    assert data["municipality"]["url"] == "http://localhost/api/v1/gemeenten/rotterdam"
    assert [n["url"] for n in data["neighbourhoods"]] == [
        "http://localhost/api/v1/wijken/rotterdam/crooswijk"
    ]
    assert [t["id"] for t in data["themes"]] == ["veiligheid"]
    assert [v["number"] for v in data["history"]] == [1, 2]
    changed = {c["field"]: c for c in data["history"][1]["changes"]}
    assert changed["summary"]["old"] == "Eerste versie." and changed["summary"]["new"].startswith(
        "Tweede"
    )
    assert changed["status"]["new"]
    for link in [
        data["municipality"]["url"],
        *(n["url"] for n in data["neighbourhoods"]),
        data["experiment_type"]["url"],
    ]:
        assert client.get(link).status_code == 200


def test_experiment_lists_its_published_evaluations(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        experiment = ExperimentPageFactory(title="Geëvalueerde proef", published=True)
        evaluation = EvaluationPageFactory(
            title="Evaluatie van de proef", experiments=[experiment], published=True
        )
    data = get_json(client, f"{API}/experimenten/{experiment.registration.number}")
    urls = [e["url"] for e in data["evaluations"]]
    assert f"http://localhost/api/v1/evaluaties/{evaluation.slug}" in urls
    evaluation_data = get_json(client, f"http://localhost/api/v1/evaluaties/{evaluation.slug}")
    assert experiment.registration.number in [e["id"] for e in evaluation_data["experiments"]]


def test_every_list_item_has_a_working_detail(client):
    _first, results = follow(client, f"{API}/zoeken?page_size=100")
    assert len(results) == SearchDocument.objects.count()
    for item in results:
        detail = get_json(client, item["url"])
        assert detail["id"] == item["id"] and detail["title"] == item["title"]


def test_withdrawn_registration_is_gone_with_its_reason(client, django_capture_on_commit_callbacks):
    page = publish(
        ExperimentPageFactory(title="Ingetrokken proef"), django_capture_on_commit_callbacks
    )
    number = page.registration.number
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(page, "Dubbel geregistreerd.")
    response = client.get(f"{API}/experimenten/{number}")
    assert response.status_code == 410 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["registration_number"] == number and body["title"] == "Ingetrokken proef"
    assert body["withdrawal_reason"] == "Dubbel geregistreerd." and body["withdrawn_at"]
    assert number not in json.dumps(get_json(client, f"{API}/experimenten?page_size=100"))


def test_vocabulary_endpoints(client):
    themes = get_json(client, f"{API}/themas")
    assert themes["count"] == len(themes["results"]) > 0
    theme = get_json(client, themes["results"][0]["url"])
    assert get_json(client, theme["search_url"])["query"]["filters"] == {"thema": [theme["id"]]}
    wijk = get_json(client, f"{API}/wijken/rotterdam/crooswijk")
    assert wijk["filter"] == {"param": "wijk", "value": "rotterdam-crooswijk"}
    assert wijk["municipality"]["id"] == "rotterdam"
    in_crooswijk = SearchDocument.objects.filter(
        content_type="experiment",
        facet_values__facet="neighbourhood",
        facet_values__value="rotterdam-crooswijk",
    ).count()
    assert get_json(client, f"{API}/experimenten?wijk=rotterdam-crooswijk")["count"] == in_crooswijk
    for collection in (
        "gemeenten",
        "wijken",
        "experimenttypen",
        "erkenningsniveaus",
        "kenniscentra",
    ):
        data = get_json(client, f"{API}/{collection}")
        assert data["count"] == len(data["results"]) > 0
        assert client.get(data["results"][-1]["url"]).status_code == 200
    assert client.get(f"{API}/themas/bestaat-niet").status_code == 404


def test_root_lists_every_endpoint_and_headers_follow_the_design_rules(client):
    response = client.get(f"{API}/")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["license"]["name"] == "CC BY 4.0"
    for name, url in data["endpoints"].items():
        assert url == f"http://localhost/api/v1/{name}"
        assert client.get(url).status_code == 200, name
    # No trailing slashes (API-48): a slash redirects to the address without one.
    response = client.get(f"{API}/themas/?x=1")
    assert response.status_code == 301 and response["Location"] == f"{API}/themas?x=1"


# --- Only published, public content; never an email address -----------------------------------


def test_drafts_private_pages_and_contact_emails_never_appear(
    client, django_capture_on_commit_callbacks
):
    draft = ExperimentPageFactory(
        title="Conceptproef Zeldzaamwoord", contact_email="concept@voorbeeld.nl"
    )
    live = publish(
        ExperimentPageFactory(
            title="Openbare proef",
            contact_email="geheim-adres@voorbeeld.nl",
            contact_name="Piet Publiek",
        ),
        django_capture_on_commit_callbacks,
    )
    private = publish(
        ExperimentPageFactory(title="Beslotenproef Geheimzinnig"),
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    # Made private without the index hearing of it: the API still leaves it out.
    lagging = publish(
        ExperimentPageFactory(title="Achterlopendeproef Onvindbaarwoord"),
        django_capture_on_commit_callbacks,
    )
    PageViewRestriction.objects.create(
        page=lagging, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    # An unpublished change to a live page stays unpublished.
    live.title = "Onaangekondigde Conceptwijziging"
    live.save_revision()

    secrets = [
        "concept@voorbeeld.nl",
        "geheim-adres@voorbeeld.nl",
        "Zeldzaamwoord",
        "Geheimzinnig",
        "Onvindbaarwoord",
        "Conceptwijziging",
        "@voorbeeld.nl",
    ]
    bodies = []
    urls = [f"{API}/", f"{API}/openapi.json"]
    root = get_json(client, f"{API}/")
    for name, url in root["endpoints"].items():
        if name in ("zoeken", "experimenten", "praktijken", "evaluaties", "kennisproducten"):
            _first, results = follow(client, f"{url}?page_size=100")
            bodies.append(json.dumps(results, ensure_ascii=False))
            urls += [item["url"] for item in results]
            for q in (
                "Zeldzaamwoord",
                "Geheimzinnig",
                "Onvindbaarwoord",
                "Conceptwijziging",
                "voorbeeld.nl",
            ):
                # (A lagging index may still count the page; it is never listed.)
                assert get_json(client, f"{url}?q={q}")["results"] == [], (url, q)
        else:
            urls.append(url)
            urls += [item["url"] for item in get_json(client, url)["results"]]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    everything = "\n".join(bodies)
    for secret in secrets:
        assert secret not in everything, secret
    assert "Piet Publiek" in everything  # the contact person's name is public, the address is not
    assert "Openbare proef" in everything

    live_data = get_json(client, f"{API}/experimenten/{live.registration.number}")
    assert live_data["title"] == "Openbare proef" and "contact_email" not in live_data
    for page in (private, lagging):
        response = client.get(f"{API}/experimenten/{page.registration.number}")
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert (
        not hasattr(draft, "registration")
        or not ExperimentPage.objects.filter(pk=draft.pk, registration__isnull=False).exists()
    )


# --- Bad input: 400 problem+json, never a 500 ---------------------------------------------------

BAD_LIST_QUERIES = [
    "onbekend=1",
    "format=json",
    "thema=bestaat-niet",
    "thema=veiligheid&thema=onzin",
    "jaar=tweeduizend",
    "jaar=99999999999999999999",
    "wijk=" + "x" * 5000,
    "page=0",
    "page=-1",
    "page=abc",
    "page=",
    "page=1.5",
    "page=1&page=2",
    "page_size=0",
    "page_size=-5",
    "page_size=abc",
    "page_size=",
    "page_size=2.5",
    "q=%FF%FE%FD",
    "thema=%ff",
    "thema=%00",
    "wijk=rotterdam%00",
    "jaar=20%0008",
    "q=" + "woord%20" * 2000,
    "q=" + "a" * 501,
    "q=a&q=b",
    "q=%00",
    "q=%0Aregel",
    "sort=willekeurig",
    "sort=",
    "thema=" + "&thema=".join(["veiligheid"] * 51),
    "type=experiment",  # the type of /experimenten is fixed
]


@pytest.mark.parametrize("query", BAD_LIST_QUERIES)
def test_bad_list_input_is_a_400_problem(client, query):
    response = client.get(f"{API}/experimenten?{query}")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (
        body["status"] == 400
        and body["title"]
        and body["detail"]
        and body["type"].startswith("http")
    )
    if "%FF" not in query.upper():
        assert body["invalid-params"], body


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/?x=1",
        f"{API}/themas?page=2",
        f"{API}/experimenten/KW-2008-0001?q=a",
        f"{API}/openapi.json?format=yaml",
        f"{API}/zoeken?type=onbekend",
    ],
)
def test_endpoints_without_such_parameters_answer_400(client, url):
    response = client.get(url)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/bestaat-niet",
        f"{API}/experimenten/KW-1900-0001",
        f"{API}/experimenten/%FF",
        f"{API}/praktijken/rotterdam/bestaat-niet",
        f"{API}/wijken/rotterdam/bestaat-niet",
        f"{API}/v2/experimenten",
    ],
)
def test_unknown_addresses_are_a_404_problem(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_the_api_is_read_only(client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}/experimenten")
        assert response.status_code == 405 and response["Content-Type"] == PROBLEM
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert client.options(f"{API}/experimenten").status_code == 204


def test_a_server_error_is_a_problem_too(client, monkeypatch):
    from opendata import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "search", broken)
    client.raise_request_exception = False
    response = client.get(f"{API}/zoeken")
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM
    assert "boom" not in response.content.decode()


# --- The OpenAPI document -------------------------------------------------------------------


def test_openapi_document_is_valid_and_documents_every_endpoint(client):
    import re

    import jsonschema_rs
    from schemathesis.specs.openapi.definitions import OPENAPI_30

    from opendata.urls import urlpatterns

    spec = get_json(client, f"{API}/openapi.json")
    errors = [str(error) for error in jsonschema_rs.validator_for(OPENAPI_30).iter_errors(spec)]
    assert errors == []
    schemathesis.openapi.from_dict(spec).validate()
    assert spec["info"]["license"]["name"].startswith("CC BY 4.0")
    assert spec["servers"] == [{"url": "/api/v1", "description": "This site"}]

    def shape(route):
        return re.sub(r"<[^>]+>|\{[^}]+\}", "*", "/" + route.lstrip("/"))

    documented = {shape(path) for path in spec["paths"]}
    routes = {shape(str(p.pattern)) for p in urlpatterns if p.name != "not_found"}
    assert routes == documented
    # The filters list the current vocabulary.
    thema = spec["components"]["parameters"]["thema"]["schema"]["items"]["enum"]
    assert "veiligheid" in thema


def test_docs_page_explains_the_api_and_the_licence(client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "creativecommons.org/licenses/by/4.0" in html
    assert "http://localhost/api/v1/openapi.json" in html and "curl " in html
    for anchor in ("fout-ongeldige-parameters", "fout-niet-gevonden", "fout-ingetrokken"):
        assert f'id="{anchor}"' in html
    assert 'href="/open-data/"' in client.get("/zoeken/").content.decode()  # the footer links it


# --- schemathesis: every documented operation answers as documented ---------------------------


@pytest.fixture
def api_schema(db, client):
    """The served OpenAPI document, tested against the Django WSGI application in this process
    (and this test's database transaction)."""
    spec = get_json(client, f"{API}/openapi.json")
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = WSGIHandler()
    # Like Django's test client: a request's end must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _schemathesis_pytest_9_2_shim(request):
    """schemathesis 4.32.5's fixture-loaded schemas read and set `node._nodeid`, which pytest 9.2
    no longer has (the id lives in `node.nodeid`): give the node the attribute it expects."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


api = schemathesis.pytest.from_fixture("api_schema")


@api.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_as_documented(case):
    # Schemathesis asks for gzip but, talking WSGI, does not unpack it as an HTTP client would
    # (compression itself: tests/website/test_page_cache.py).
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


@pytest.mark.parametrize(
    "path", ["/api/v1/experimenten/%00", "/api/v1/gemeenten/a%00", "/api/v1/praktijken/x/%00y"]
)
def test_control_characters_in_an_identifier_are_simply_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
