"""The people of the programme in the demo corpus, as things stood on the demo date (1 March
2012): the pool of experts (profiles their people confirmed and the programme directorate
approved), the Rijk's accountmanager of each of the 18 gemeenten, adoptieteams of four wijken
(2008-2011) and four organisations of the national alliance.

Every person is made up; their addresses end in @example.nl. The organisations of the alliance
are real partners of the programme, described in our own words. Loading twice changes nothing:
profiles and accountmanagers are found by address, adoptieteams by wijk and start, alliance
pages by slug. Returns the pages made (the alliance's); the records are reported on stdout.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from people.models import (
    AccountManager,
    AdoptionTeam,
    AdoptionTeamMember,
    AllianceIndexPage,
    AllianceOrganisationPage,
    ExpertProfile,
    Review,
)
from programme.models import Ministry
from vocabulary.models import ExperimentType, Municipality, Neighbourhood, Theme

from .registry import clock_at


def _moment(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# Each confirmed the profile the day after signing up (or the same evening) and was approved
# by the directorate within three weeks; `shown` is what the person chose to show.
EXPERTS = [
    dict(
        name="Marieke van den Berg",
        email="m.vandenberg@example.nl",
        organisation="Woningcorporatie Stadswonen Zuid",
        function="Directeur wonen",
        level="strategisch",
        themes=["wonen", "veiligheid"],
        types=["ontschotting-van-geldstromen"],
        gemeenten=["rotterdam", "schiedam"],
        availability="beperkt",
        availability_note="Een dagdeel per maand, niet in de zomermaanden.",
        text="Leidde tussen 2005 en 2011 de herstructurering van twee naoorlogse wijken, met "
        "sloop, nieuwbouw en een vast wijkteam. Weet hoe je de investeringen van een "
        "corporatie koppelt aan afspraken over beheer en leefbaarheid.",
        shown=["organisation", "function", "level", "themes", "experiment_types", "text"],
        signed_up=dt.date(2010, 11, 8),
        confirmed=dt.date(2010, 11, 9),
        approved=dt.date(2010, 11, 22),
    ),
    dict(
        name="Hamid El Idrissi",
        email="h.elidrissi@example.nl",
        organisation="Stichting Buurtwerk Oost",
        function="Opbouwwerker",
        level="uitvoerend",
        themes=["integreren", "leren-en-opgroeien"],
        types=["professionals-en-bewoners"],
        gemeenten=["amsterdam", "utrecht"],
        availability="beschikbaar",
        availability_note="",
        text="Vijftien jaar opbouwwerk in wijken met veel nieuwkomers. Helpt bewonersgroepen "
        "een eigen budget te beheren en brengt sleutelfiguren in contact met school, "
        "corporatie en politie.",
        shown=[
            "organisation",
            "function",
            "level",
            "themes",
            "experiment_types",
            "municipalities",
            "availability",
            "text",
        ],
        signed_up=dt.date(2011, 2, 14),
        confirmed=dt.date(2011, 2, 14),
        approved=dt.date(2011, 3, 1),
    ),
    dict(
        name="Jan-Willem Kooistra",
        email="jw.kooistra@example.nl",
        organisation="",
        function="Oud-wethouder",
        level="bestuurlijk",
        themes=["wonen", "werken"],
        types=["adoptieteam"],
        gemeenten=["leeuwarden", "groningen"],
        availability="beperkt",
        availability_note="Voor een adoptieteam of een bestuurlijk gesprek.",
        text="Was acht jaar wethouder van wonen en economie in een middelgrote gemeente in het "
        "noorden. Zat in een adoptieteam en kent de afspraken tussen Rijk en gemeente uit "
        "eigen ervaring.",
        shown=["function", "level", "themes", "experiment_types", "availability", "text"],
        signed_up=dt.date(2009, 9, 1),
        confirmed=dt.date(2009, 9, 3),
        approved=dt.date(2009, 9, 15),
    ),
    dict(
        name="Sandra Bosman",
        email="s.bosman@example.nl",
        organisation="GGD Regio Midden",
        function="Programmaleider gezondheid in de wijk",
        level="strategisch",
        themes=["gezondheid", "leren-en-opgroeien"],
        types=["gezinscoach"],
        gemeenten=["utrecht", "amersfoort"],
        availability="beschikbaar",
        availability_note="",
        text="Bouwde een wijkaanpak waarin huisarts, jeugdverpleegkundige en gezinscoach één "
        "plan per gezin maken. Deelt graag hoe je gegevens deelt zonder de privacyregels "
        "te breken.",
        shown=["organisation", "function", "level", "themes", "experiment_types", "text"],
        signed_up=dt.date(2011, 5, 19),
        confirmed=dt.date(2011, 5, 20),
        approved=dt.date(2011, 6, 6),
    ),
    dict(
        name="Pieter Hoekstra",
        email="p.hoekstra@example.nl",
        organisation="Politie Haaglanden",
        function="Wijkagent en coördinator veiligheid",
        level="uitvoerend",
        themes=["veiligheid"],
        types=["stadsmarinier"],
        gemeenten=["den-haag"],
        availability="beperkt",
        availability_note="Buiten de diensten om, na overleg.",
        text="Werkte als wijkagent samen met een stadsmarinier. Kan vertellen hoe je "
        "doorzettingsmacht in de praktijk organiseert: wie beslist, en wat je doet als een "
        "partner niet meewerkt.",
        shown=["function", "level", "themes", "experiment_types", "text"],
        signed_up=dt.date(2010, 4, 12),
        confirmed=dt.date(2010, 4, 12),
        approved=dt.date(2010, 4, 26),
    ),
    dict(
        name="Esther Mulder",
        email="e.mulder@example.nl",
        organisation="Sociale Dienst Zuidoost-Brabant",
        function="Manager werk en participatie",
        level="strategisch",
        themes=["werken", "integreren"],
        types=["structurele-inbedding-van-projecten"],
        gemeenten=["eindhoven"],
        availability="beschikbaar",
        availability_note="",
        text="Zette een werkgeversservicepunt op dat vacatures in de regio koppelt aan "
        "werkzoekenden uit de krachtwijken, en bracht het na de proefperiode onder in de "
        "gewone begroting.",
        shown=[
            "organisation",
            "function",
            "level",
            "themes",
            "experiment_types",
            "municipalities",
            "text",
        ],
        signed_up=dt.date(2011, 9, 5),
        confirmed=dt.date(2011, 9, 6),
        approved=dt.date(2011, 9, 19),
    ),
    dict(
        name="Gerrit Jan Nijland",
        email="gj.nijland@example.nl",
        organisation="Bureau Wijk en Stad",
        function="Adviseur gebiedsgericht werken",
        level="strategisch",
        themes=["wonen", "veiligheid", "werken"],
        types=["ontschotting-van-geldstromen", "structurele-inbedding-van-projecten"],
        gemeenten=["enschede", "deventer", "arnhem"],
        availability="beschikbaar",
        availability_note="Op opdrachtbasis; een eerste gesprek is vrijblijvend.",
        text="Begeleidt gemeenten bij het bundelen van budgetten per wijk. Schreef mee aan "
        "wijkactieplannen in drie gemeenten in het oosten.",
        shown=[
            "organisation",
            "function",
            "themes",
            "experiment_types",
            "municipalities",
            "availability",
            "text",
        ],
        signed_up=dt.date(2010, 6, 30),
        confirmed=dt.date(2010, 7, 1),
        approved=dt.date(2010, 7, 12),
    ),
    dict(
        name="Fatma Yilmaz",
        email="f.yilmaz@example.nl",
        organisation="Brede school De Horizon",
        function="Directeur",
        level="uitvoerend",
        themes=["leren-en-opgroeien"],
        types=["professionals-en-bewoners"],
        gemeenten=["rotterdam"],
        availability="beperkt",
        availability_note="Op woensdagmiddag.",
        text="Maakte van een basisschool een brede school met naschoolse activiteiten, een "
        "ouderkamer en een vaste plek voor de schoolmaatschappelijk werker.",
        shown=["organisation", "function", "level", "themes", "availability", "text"],
        signed_up=dt.date(2011, 10, 24),
        confirmed=dt.date(2011, 10, 25),
        approved=dt.date(2011, 11, 7),
    ),
    dict(
        name="Robert de Lange",
        email="r.delange@example.nl",
        organisation="Projectontwikkelaar Stadsfront",
        function="Directeur gebiedsontwikkeling",
        level="bestuurlijk",
        themes=["wonen", "werken"],
        types=[],
        gemeenten=["dordrecht", "zaanstad"],
        availability="niet",
        availability_note="Weer beschikbaar vanaf september 2012.",
        text="Brengt marktpartijen en corporaties bij elkaar rond gemengde nieuwbouw in "
        "wijken waar ontwikkelaars eerder wegbleven.",
        shown=["organisation", "function", "level", "themes", "availability", "text"],
        signed_up=dt.date(2012, 1, 16),
        confirmed=dt.date(2012, 1, 17),
        approved=dt.date(2012, 2, 6),
    ),
]

# The Rijk's accountmanagers: (name, address, ministry, function, gemeenten served).
ACCOUNT_MANAGERS = [
    (
        "Annemiek Verhoeven",
        "a.verhoeven@example.nl",
        "bzk",
        "Accountmanager Wijken",
        ["amsterdam", "zaanstad"],
    ),
    (
        "Thijs van Dam",
        "t.vandam@example.nl",
        "bzk",
        "Accountmanager Wijken",
        ["rotterdam", "schiedam"],
    ),
    (
        "Monique Dekker",
        "m.dekker@example.nl",
        "bzk",
        "Accountmanager Wijken",
        ["den-haag", "dordrecht"],
    ),
    ("Erik Smits", "e.smits@example.nl", "bzk", "Accountmanager Wijken", ["utrecht", "amersfoort"]),
    (
        "Linda Hofman",
        "l.hofman@example.nl",
        "szw",
        "Accountmanager namens SZW en BZK",
        ["eindhoven"],
    ),
    (
        "Bart Wolters",
        "b.wolters@example.nl",
        "bzk",
        "Accountmanager Wijken",
        ["heerlen", "maastricht"],
    ),
    (
        "Ingrid Postma",
        "i.postma@example.nl",
        "bzk",
        "Accountmanager Wijken",
        ["groningen", "leeuwarden"],
    ),
    (
        "Ruud Jansen",
        "r.jansen@example.nl",
        "venj",
        "Accountmanager namens VenJ en BZK",
        ["arnhem", "nijmegen"],
    ),
    (
        "Yvonne Scholten",
        "y.scholten@example.nl",
        "bzk",
        "Accountmanager Wijken",
        ["enschede", "deventer"],
    ),
    (
        "Karin Brouwer",
        "k.brouwer@example.nl",
        "ocw",
        "Accountmanager namens OCW en BZK",
        ["alkmaar"],
    ),
]

# Adoptieteams: (gemeente, wijk, start, end, text, members (name, role in the team, function)).
ADOPTION_TEAMS = [
    (
        "schiedam",
        "nieuwland",
        dt.date(2008, 4, 1),
        dt.date(2010, 12, 31),
        "Het team keek met de gemeente en de corporaties naar de samenhang tussen wonen, "
        "werk en veiligheid in Nieuwland en hielp knelpunten bij het Rijk op tafel te krijgen.",
        [
            ("Drs. Hendrik Vos", "voorzitter", "oud-burgemeester van een gemeente in Zeeland"),
            ("Marga Kuipers", "lid", "bestuurder van een woningcorporatie elders in het land"),
            ("Prof. dr. Wim Terpstra", "lid", "hoogleraar stedelijke vernieuwing"),
        ],
    ),
    (
        "utrecht",
        "kanaleneiland",
        dt.date(2008, 6, 1),
        dt.date(2011, 6, 30),
        "Het adoptieteam bezocht Kanaleneiland twee keer per jaar en sprak met bewoners, "
        "scholen en ondernemers over de voortgang van het wijkactieplan.",
        [
            ("Mr. Carla Hendriks", "voorzitter", "oud-commissaris van de Koningin"),
            ("Ahmed Bouzid", "lid", "ondernemer en voorzitter van een ondernemersvereniging"),
            ("Joke Vermeulen", "lid", "directeur van een regionaal opleidingencentrum"),
            ("Frank Zwart", "secretaris", "beleidsmedewerker van het ministerie van BZK"),
        ],
    ),
    (
        "heerlen",
        "meezenbroek",
        dt.date(2009, 1, 15),
        dt.date(2011, 12, 31),
        "Het team zocht vooral naar werk en opleiding voor jongeren en naar een aanpak van "
        "leegstand in de wijk.",
        [
            ("Ir. Jos Crombach", "voorzitter", "oud-gedeputeerde van een provincie"),
            ("Els Maas", "lid", "directeur van een sociale werkvoorziening"),
        ],
    ),
    (
        "arnhem",
        "klarendal",
        dt.date(2008, 9, 1),
        dt.date(2010, 9, 1),
        "Het adoptieteam steunde de keuze om de wijk op te bouwen rond mode en ambacht en "
        "legde contact met landelijke fondsen.",
        [
            ("Drs. Maarten de Ruiter", "voorzitter", "oud-wethouder van een grote stad"),
            ("Sonja Tuinman", "lid", "ontwerper en docent aan een kunstacademie"),
            ("Rik Oosterhuis", "lid", "directeur van een investeringsfonds voor wijken"),
        ],
    ),
]

# The alliance: (slug, title, summary, what it offers (html), themes, website, contact).
ALLIANCE = [
    (
        "aedes",
        "Aedes vereniging van woningcorporaties",
        "De branchevereniging van de woningcorporaties, die in de krachtwijken een groot deel "
        "van de woningen bezitten en mee investeren in de wijkaanpak.",
        "<p>Aedes brengt de ervaringen van corporaties in de krachtwijken bij elkaar: hoe je "
        "investeringen in woningen verbindt met afspraken over leefbaarheid, hoe je een "
        "wijkbeheerder of huismeester inzet, en wat corporaties bijdragen aan het "
        "wijkactieplan.</p><p>Lokale coalities kunnen bij Aedes terecht voor voorbeelden, "
        "bijeenkomsten met collega-corporaties en hulp bij het gesprek met de eigen "
        "corporatie.</p>",
        ["wonen", "veiligheid"],
        "https://www.aedes.nl",
        "Via het ledenloket van de vereniging; lokale partners via hun eigen corporatie.",
    ),
    (
        "vng",
        "Vereniging van Nederlandse Gemeenten",
        "De vereniging van alle gemeenten, die namens hen met het Rijk overlegt over de "
        "afspraken en de middelen van de wijkaanpak.",
        "<p>De VNG vertegenwoordigt de gemeenten in het overleg met het Rijk over de "
        "krachtwijken en helpt gemeenten elkaar te vinden: in netwerken van wethouders en "
        "ambtenaren wisselen de 18 gemeenten uit wat werkt en waar regels in de weg zitten.</p>"
        "<p>Gemeenten kunnen bij de VNG terecht met vragen over wet- en regelgeving en over "
        "de afspraken in de charters.</p>",
        ["wonen", "werken", "veiligheid"],
        "https://www.vng.nl",
        "Via het informatiecentrum van de VNG; gemeenten via hun eigen contactpersoon.",
    ),
    (
        "mo-groep",
        "MOgroep Welzijn & Maatschappelijke Dienstverlening",
        "De brancheorganisatie van welzijnsorganisaties, maatschappelijk werk en "
        "kinderopvang, die in de wijken het werk achter de voordeur doen.",
        "<p>De MOgroep ondersteunt welzijnsinstellingen die in de krachtwijken werken met "
        "bewoners, gezinnen en jongeren: met handreikingen voor outreachend werken, "
        "samenwerking met corporaties en zorg, en het meten van resultaten.</p><p>Lokale "
        "coalities vinden er collega-instellingen die met dezelfde vragen bezig zijn.</p>",
        ["leren-en-opgroeien", "integreren", "gezondheid"],
        "https://www.mogroep.nl",
        "Via de ledenservice; niet-leden via het algemene secretariaat.",
    ),
    (
        "divosa",
        "Divosa",
        "De vereniging van directeuren van sociale diensten, die werk, inkomen en "
        "participatie in de wijken uitvoeren.",
        "<p>Divosa helpt sociale diensten om hun aanpak van werk en participatie op de wijk "
        "te richten: een werkcoach in de wijk, samenwerking met werkgevers en het combineren "
        "van re-integratie met schuldhulp en zorg.</p><p>Voor lokale coalities organiseert "
        "Divosa uitwisseling tussen gemeenten en verzamelt voorbeelden van wat werkt.</p>",
        ["werken", "integreren"],
        "https://www.divosa.nl",
        "Via het bureau van de vereniging in Utrecht.",
    ),
]


def _by_slug(model, slugs):
    return list(model.objects.filter(slug__in=slugs))


def _load_experts() -> int:
    made = 0
    for entry in EXPERTS:
        if ExpertProfile.objects.filter(email=entry["email"]).exists():
            continue
        profile = ExpertProfile.objects.create(
            name=entry["name"],
            email=entry["email"],
            organisation=entry["organisation"],
            function=entry["function"],
            level=entry["level"],
            availability=entry["availability"],
            availability_note=entry["availability_note"],
            text=entry["text"],
            confirmed_at=_moment(entry["confirmed"], 21),
            review=Review.APPROVED,
            reviewed_at=_moment(entry["approved"]),
            **{f"show_{name}": True for name in entry["shown"]},
        )
        # created_at is set on insert; the sign-up's own day is written afterwards.
        ExpertProfile.objects.filter(pk=profile.pk).update(
            created_at=_moment(entry["signed_up"], 20)
        )
        profile.themes.set(_by_slug(Theme, entry["themes"]))
        profile.experiment_types.set(_by_slug(ExperimentType, entry["types"]))
        profile.municipalities.set(_by_slug(Municipality, entry["gemeenten"]))
        made += 1
    return made


def _load_account_managers() -> int:
    made = 0
    for name, email, ministry, function, gemeenten in ACCOUNT_MANAGERS:
        if AccountManager.objects.filter(email=email).exists():
            continue
        manager = AccountManager(
            name=name, email=email, function=function, ministry=Ministry.objects.get(slug=ministry)
        )
        manager.municipalities.set(_by_slug(Municipality, gemeenten))
        manager.save()
        made += 1
    return made


def _load_adoption_teams() -> int:
    made = 0
    for gemeente, wijk, start, end, text, members in ADOPTION_TEAMS:
        neighbourhood = Neighbourhood.objects.get(municipality__slug=gemeente, slug=wijk)
        if AdoptionTeam.objects.filter(neighbourhood=neighbourhood, start_date=start).exists():
            continue
        team = AdoptionTeam(neighbourhood=neighbourhood, start_date=start, end_date=end, text=text)
        team.members = [
            AdoptionTeamMember(name=member, team_role=role, function=function)
            for member, role, function in members
        ]
        team.save()
        made += 1
    return made


def _load_alliance() -> int:
    index = AllianceIndexPage.objects.get()
    made = 0
    for slug, title, summary, offers, themes, website, contact in ALLIANCE:
        if AllianceOrganisationPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        page = AllianceOrganisationPage(
            slug=slug,
            title=title,
            summary=summary,
            offers=offers,
            website=website,
            contact=contact,
            live=False,
        )
        page.themes.set(_by_slug(Theme, themes))
        with clock_at(dt.date(2009, 6, 15)):  # the alliance's pages went up together
            index.add_child(instance=page)
            page.save_revision().publish()
        made += 1
    return made


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    """Load what is missing; {kind: number of pages made now} (the alliance's pages)."""
    counts = {
        "experts": _load_experts(),
        "accountmanagers": _load_account_managers(),
        "adoptieteams": _load_adoption_teams(),
    }
    pages = _load_alliance()
    if stdout is not None:
        parts = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        stdout.write(f"People corpus: {parts}, alliance pages: {pages} new.")
    return {"alliantie": pages}
