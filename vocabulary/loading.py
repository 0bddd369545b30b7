"""Loads the krachtwijken facts shipped in data/krachtwijken.json into the vocabulary.

Idempotent: items are matched on their stable slug (or CBS code) and only missing ones are
created, so an editor's later changes to names or descriptions are left alone.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)

DATA_FILE = Path(__file__).parent / "data" / "krachtwijken.json"

THEME_DESCRIPTIONS = {
    "wonen": "Betaalbare, goede woningen en een prettige woonomgeving: herstructurering, "
    "onderhoud en een gevarieerd woningaanbod.",
    "werken": "Meer bewoners aan het werk: toeleiding, scholing op de werkvloer en ruimte "
    "voor ondernemers in de wijk.",
    "leren-en-opgroeien": "Kinderen en jongeren die kansrijk opgroeien: voor- en vroegschoolse "
    "educatie, minder schooluitval, steun voor ouders.",
    "integreren": "Meedoen en elkaar ontmoeten: taal, inburgering, participatie en "
    "ontmoeting tussen bewoners.",
    "veiligheid": "Een wijk waar bewoners zich veilig voelen: minder overlast en criminaliteit, "
    "meer toezicht en sociale controle.",
    "gezondheid": "Gezondheidsachterstanden verkleinen; loopt als dimensie door alle andere "
    "thema's heen.",
}

# Our own descriptions of the experiments with doorzettingsmacht the programme asks for.
EXPERIMENT_TYPES = [
    {
        "slug": "gezinscoach",
        "name": "Gezinscoach",
        "level": "micro",
        "summary": "Eén hulpverlener achter de voordeur die een gezin met veel problemen "
        "tegelijk helpt en andere instanties mag aansturen.",
        "description": "Een gezinscoach gaat bij gezinnen met meervoudige problemen achter de "
        "voordeur kijken. In plaats van vijf loketten is er één vaste persoon die schulden, "
        "opvoeding, huisvesting en werk samen aanpakt, en die de betrokken organisaties mag "
        "vragen om af te wijken van hun eigen regels als dat het gezin verder helpt.",
    },
    {
        "slug": "stadsmarinier",
        "name": "Stadsmarinier",
        "level": "meso",
        "summary": "Een gemandateerde trekker voor één wijk die knelpunten tussen organisaties "
        "doorbreekt.",
        "description": "Een stadsmarinier is voor één wijk verantwoordelijk voor de aanpak van "
        "hardnekkige problemen, vaak op het gebied van veiligheid. Hij of zij heeft een direct "
        "lijntje met het bestuur en kan afspraken tussen gemeente, politie, corporaties en "
        "welzijn afdwingen.",
    },
    {
        "slug": "adoptieteam",
        "name": "Adoptieteam",
        "level": "macro",
        "summary": "Zwaargewichten uit bestuur en bedrijfsleven die een wijk adopteren en "
        "blokkades op hun niveau wegnemen.",
        "description": "In een adoptieteam verbinden bestuurders van rijk, gemeente, corporaties "
        "en bedrijven zich voor langere tijd aan één wijk. Zij pakken de knelpunten op die "
        "uitvoerders zelf niet kunnen oplossen, zoals regels die botsen of besluiten die "
        "tussen organisaties blijven hangen.",
    },
    {
        "slug": "ontschotting-van-geldstromen",
        "name": "Ontschotting van geldstromen",
        "level": "macro",
        "summary": "Gescheiden budgetten samenvoegen zodat geld de aanpak volgt in plaats van "
        "andersom.",
        "description": "Bij ontschotting worden budgetten van verschillende regelingen en "
        "organisaties in één wijkbudget samengebracht of onderling uitwisselbaar gemaakt, "
        "zodat een integrale aanpak niet strandt op de vraag welk potje betaalt.",
    },
    {
        "slug": "professionals-en-bewoners",
        "name": "Professionals en bewoners",
        "level": "meso",
        "summary": "Een nieuwe verdeling van taken tussen beroepskrachten en actieve bewoners.",
        "description": "Deze experimenten zoeken een nieuwe balans tussen wat professionals doen "
        "en wat bewoners en vrijwilligers zelf oppakken: bewonersbudgetten, buurtbemiddeling, "
        "vrijwillige wijkcoaches en professionals die zich meer als ondersteuner opstellen.",
    },
    {
        "slug": "structurele-inbedding-van-projecten",
        "name": "Structurele inbedding van projecten",
        "level": "macro",
        "summary": "Kortlopende projecten die werken omzetten in een vaste werkwijze.",
        "description": "Veel wijkprojecten stoppen als de subsidie afloopt. Deze experimenten "
        "onderzoeken hoe een aanpak die werkt een vaste plek krijgt in de reguliere "
        "organisatie, financiering en samenwerking.",
    },
]

NOT_ASSESSED = {
    "slug": "niet-beoordeeld",
    "name": "Niet beoordeeld",
    "ordinal": 0,
    "description": "Er is (nog) geen oordeel van een erkenningscommissie of praktijkbeoordelaar.",
    "validity_years": None,
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, created: bool) -> None:
        self.created.setdefault(label, 0)
        if created:
            self.created[label] += 1

    def __str__(self) -> str:
        return ", ".join(f"{label}: {n} new" for label, n in self.created.items())


def read_facts(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def municipality_facts(item: dict) -> dict:
    """The Municipality fields of one of the data's `gemeenten`."""
    centre = item.get("centrum") or {}
    return {
        "name": item["naam"],
        "slug": slugify(item["naam"]),
        "official_name": item.get("officiele_naam", ""),
        "cbs_code_source": item.get("cbs_code_bron", ""),
        "latitude": _degrees(centre.get("lat")),
        "longitude": _degrees(centre.get("lon")),
    }


def neighbourhood_facts(item: dict) -> dict:
    """The Neighbourhood fields of one of the data's `wijken` (all 40 are krachtwijken)."""
    delisting = item.get("van_lijst")
    return {
        "name": item["naam"],
        "slug": slugify(item["naam"]),
        "is_krachtwijk": True,
        "postcode_areas": ", ".join(item.get("postcodegebieden", [])),
        "alternative_names": ", ".join(item.get("alternatieve_namen", [])),
        "note": item.get("opmerking", ""),
        "listed_on": _date(item.get("op_lijst_sinds")),
        "replaces": item.get("vervangt", ""),
        "delisted": delisting is not None,
        "delisted_on": _date((delisting or {}).get("datum")),
    }


# The facts added to the data after its first version (vocabulary migration 0002 fills them in
# for items loaded before): the map's coordinates and the history on the list.
ADDED_MUNICIPALITY_FACTS = ("latitude", "longitude")
ADDED_NEIGHBOURHOOD_FACTS = ("listed_on", "replaces", "delisted", "delisted_on")


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def _degrees(number):
    # Through str: Decimal(52.155) would carry the float's binary tail.
    return Decimal(str(number)) if number is not None else None


@transaction.atomic
def load_vocabulary(path: Path = DATA_FILE) -> LoadReport:
    facts = read_facts(path)
    report = LoadReport()

    municipalities = {}
    for item in facts["gemeenten"]:
        municipality, created = Municipality.objects.get_or_create(
            cbs_code=item["cbs_code"], defaults=municipality_facts(item)
        )
        municipalities[item["naam"]] = municipality
        report.count("municipalities", created)

    for item in facts["wijken"]:
        defaults = neighbourhood_facts(item)
        _obj, created = Neighbourhood.objects.get_or_create(
            municipality=municipalities[item["gemeente"]],
            slug=defaults.pop("slug"),
            defaults=defaults,
        )
        report.count("neighbourhoods", created)

    for item in facts["themas"]:
        _obj, created = Theme.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["naam"],
                "description": THEME_DESCRIPTIONS.get(item["slug"], ""),
                "is_main_theme": item["slug"] != "gezondheid",
            },
        )
        report.count("themes", created)

    for item in facts["kenniscentra"]:
        _obj, created = KnowledgeCentre.objects.get_or_create(
            slug=slugify(item["afkorting"]),
            defaults={
                "abbreviation": item["afkorting"],
                "name": item["volledige_naam"],
                "field_of_work": item.get("werkterrein", ""),
                "status": item.get("successor_or_status", ""),
            },
        )
        report.count("knowledge centres", created)

    for item in EXPERIMENT_TYPES:
        _obj, created = ExperimentType.objects.get_or_create(
            slug=item["slug"], defaults={k: v for k, v in item.items() if k != "slug"}
        )
        report.count("experiment types", created)

    levels = [NOT_ASSESSED] + [
        {
            "slug": item["slug"],
            "name": item["naam"],
            "ordinal": item["ordinal"],
            "description": item.get("beschrijving", ""),
            "validity_years": item.get("geldigheid_jaar"),
        }
        for item in facts["erkenningsniveaus"]
    ]
    for item in levels:
        _obj, created = RecognitionLevel.objects.get_or_create(
            slug=item["slug"], defaults={k: v for k, v in item.items() if k != "slug"}
        )
        report.count("recognition levels", created)

    return report
