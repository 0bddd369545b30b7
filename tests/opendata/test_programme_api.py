"""The programme's records in the API: /wijkactieplannen, /charters and /belemmeringen with
their goals, monitor values, signatories and what raises a barrier; nothing personal."""

import json

import pytest

from experiments.withdrawal import withdraw
from programme.models import IndicatorValue
from tests.factories import (
    BarrierPageFactory,
    CharterPageFactory,
    ExperimentPageFactory,
    NeighbourhoodActionPlanPageFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = "localhost"
    return client


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


@pytest.fixture
def loop(django_capture_on_commit_callbacks, django_user_model):
    editor = django_user_model.objects.create_user(
        "invoerder", "invoerder@example.org", "x", first_name="Ingrid", last_name="Invoerder"
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = NeighbourhoodActionPlanPageFactory(
            gemeente="proefstad", wijk="noord", slug="noord-vooruit", published=True
        )
        charter = CharterPageFactory(gemeente="proefstad", published=True)
        experiments = [
            ExperimentPageFactory(gemeente="proefstad", wijk="noord", published=True),
            ExperimentPageFactory(gemeente="testdorp", wijk="oud", published=True),
        ]
        barrier = BarrierPageFactory(
            slug="bijstand-en-vrijwilligerswerk",
            experiments=experiments,
            action_plans=[plan],
            status="opgelost",
            answer="<p>De regel is aangepast.</p>",
            published=True,
        )
    for year, value in ((2008, 13.5), (2009, 12)):
        IndicatorValue.objects.create(
            plan=plan,
            indicator_code="werkloosheid",
            year=year,
            value=value,
            source="CBS",
            entered_by=editor,
        )
    return {"plan": plan, "charter": charter, "experiments": experiments, "barrier": barrier}


def test_a_plan_has_its_goals_prestaties_monitor_values_and_barriers(client, loop):
    data = get_json(client, f"{API}/wijkactieplannen/proefstad/noord-vooruit")
    assert data["type"] == "wijkactieplan"
    assert data["municipality"]["id"] == "proefstad"
    assert [n["id"] for n in data["neighbourhoods"]] == ["proefstad/noord"]
    [goal] = data["goals"]
    assert goal["code"] == "werkloosheid" and goal["direction"] == "lager"
    assert goal["values"] == [
        {"year": 2008, "value": 13.5, "source": "CBS", "note": ""},
        {"year": 2009, "value": 12.0, "source": "CBS", "note": ""},
    ]
    assert goal["activities"][0]["partner"] == "UWV Werkbedrijf"
    assert [b["id"] for b in data["barriers"]] == ["bijstand-en-vrijwilligerswerk"]
    listed = get_json(client, f"{API}/wijkactieplannen?gemeente=proefstad")
    assert loop["plan"].title in [item["title"] for item in listed["results"]]
    assert {item["type"] for item in listed["results"]} == {"wijkactieplan"}


def test_a_charter_has_its_signatories_and_commitments(client, loop):
    data = get_json(client, f"{API}/charters/proefstad")
    assert [(s["party"], s["function"]) for s in data["signatories"]] == [
        ("rijk", "minister voor WWI"),
        ("gemeente", "wethouder wijken"),
    ]
    assert {c["commitment"] for c in data["commitments"]} == {"Meer werk.", "Ruimte in regels."}
    assert [p["id"] for p in data["action_plans"]] == ["proefstad/noord-vooruit"]
    get_json(client, f"{API}/charters/nergensdorp", status=404)


def test_a_barrier_says_its_ministry_answer_and_what_raises_it(
    client, loop, django_capture_on_commit_callbacks
):
    url = f"{API}/belemmeringen/bijstand-en-vrijwilligerswerk"
    data = get_json(client, url)
    assert data["ministry"] == {
        "id": "szw",
        "name": data["ministry"]["name"],
        "abbreviation": "SZW",
    }
    assert data["status"] == "opgelost" and "aangepast" in data["answer"]
    numbers = sorted(e.registration.number for e in loop["experiments"])
    assert sorted(e["id"] for e in data["experiments"]) == numbers
    assert [m["id"] for m in data["municipalities"]] == ["proefstad", "testdorp"]
    assert [p["id"] for p in data["action_plans"]] == ["proefstad/noord-vooruit"]
    # A withdrawn registration no longer raises it in public.
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(loop["experiments"][1], "Dubbel.")
    data = get_json(client, url)
    assert [m["id"] for m in data["municipalities"]] == ["proefstad"]
    # The list and its filters.
    listed = get_json(client, f"{API}/belemmeringen?ministerie=szw&afhandeling=opgelost")
    item = next(i for i in listed["results"] if i["id"] == "bijstand-en-vrijwilligerswerk")
    assert item["ministry"]["id"] == "szw" and item["barrier_status"] == "opgelost"
    assert get_json(client, f"{API}/belemmeringen?ministerie=geen", status=400)


def test_nothing_personal_in_the_programmes_records(client, loop):
    bodies = [
        client.get(url).content.decode()
        for url in (
            f"{API}/wijkactieplannen/proefstad/noord-vooruit",
            f"{API}/charters/proefstad",
            f"{API}/belemmeringen/bijstand-en-vrijwilligerswerk",
            f"{API}/zoeken?gemeente=proefstad",
        )
    ]
    for body in bodies:
        json.loads(body)
        for personal in ("entered_by", "entered_at", "invoerder", "ingrid", "locked_by"):
            assert personal not in body.lower()


def test_the_openapi_document_and_the_root_name_the_new_collections(client, loop):
    spec = get_json(client, f"{API}/openapi.json")
    for path in (
        "/wijkactieplannen/{gemeente}/{slug}",
        "/charters/{gemeente}",
        "/belemmeringen/{slug}",
    ):
        assert path in spec["paths"]
    parameters = spec["components"]["parameters"]
    assert "szw" in parameters["ministerie"]["schema"]["items"]["enum"]
    assert "in-behandeling" in parameters["afhandeling"]["schema"]["items"]["enum"]
    assert set(spec["components"]["schemas"]) >= {"ActionPlan", "Charter", "Barrier"}
    endpoints = get_json(client, f"{API}/")["endpoints"]
    assert {"wijkactieplannen", "charters", "belemmeringen"} <= set(endpoints)
