"""The relevance test set: a small corpus of Dutch documents written for it (independent of
the demo content) and queries, each with the documents it must find in the top 10.

`make test` checks every query on both engines (tests/search/test_search_relevance.py); `make
relevance` (`manage.py search_relevance` on a throwaway database) prints recall@10 and mean
reciprocal rank per engine. The set may grow; never weaken it to pass.

A typo query is measured as the visitor's next step: when it finds nothing, the search that
"Bedoelde u …?" links to.
"""

from dataclasses import dataclass

from django.http import QueryDict

from .service import search
from .thesaurus import build_thesaurus

TOP = 10

# (id, type, title, summary, body, registration number)
_CORPUS = [
    (
        1,
        "experiment",
        "Gezinscoaches in Delfshaven",
        "Vaste gezinscoaches gaan achter de voordeur bij gezinnen met schulden en opvoedingsvragen.",
        "Eén coach per gezin maakt één plan. De gezinscoach mag instanties vragen af te wijken van hun regels.",
        "KW-2008-0001",
    ),
    (
        2,
        "evaluatie",
        "Effectevaluatie van de gezinsaanpak",
        "Een effectevaluatie met een vergelijkingsgroep van 120 gezinnen.",
        "De onderzoekers vonden minder schooluitval en minder huisuitzettingen na twee jaar.",
        "",
    ),
    (
        3,
        "evaluatie",
        "Procesevaluatie stadsmariniers Rotterdam",
        "Hoe werkten de stadsmariniers met politie en woningcorporaties samen?",
        "Interviews met mariniers, wijkagenten en bewoners over de doorzettingsmacht in de wijk.",
        "",
    ),
    (
        4,
        "experiment",
        "Stadsmarinier voor de Tarwewijk",
        "Een stadsmarinier met mandaat van de burgemeester pakt hardnekkige overlast aan.",
        "Overlastlocaties worden één voor één aangepakt. Wekelijks overleg op straatniveau.",
        "KW-2009-0012",
    ),
    (
        5,
        "praktijk",
        "Woningcorporaties en buurtbeheer",
        "Woningcorporaties investeren samen met de gemeente in het beheer van portiekflats.",
        "Huismeesters en corporatiemedewerkers lopen wekelijks door de buurt.",
        "",
    ),
    (
        6,
        "kennisproduct",
        "Handreiking samenwerking met corporaties",
        "Wat een gemeente met een corporatie kan afspreken over leefbaarheid.",
        "Prestatieafspraken, wijkvisies en gezamenlijke budgetten voor de buurt.",
        "",
    ),
    (
        7,
        "experiment",
        "Voortijdig schoolverlaten tegengaan in Overvecht",
        "Mentoren begeleiden jongeren die dreigen uit te vallen.",
        "Scholen, leerplicht en jongerenwerk delen signalen zodat geen leerling uit beeld raakt.",
        "KW-2010-0003",
    ),
    (
        8,
        "praktijk",
        "Schoolverlaters aan het werk",
        "Jongeren zonder startkwalificatie krijgen een leerwerkbaan bij bedrijven in de wijk.",
        "Een jobcoach blijft een jaar betrokken. Werkgevers krijgen hulp bij de begeleiding.",
        "",
    ),
    (
        9,
        "kennisproduct",
        "Factsheet schooluitval in krachtwijken",
        "Cijfers over het verlaten van school zonder diploma per wijk.",
        "Het aandeel voortijdige schoolverlaters daalde tussen 2006 en 2010.",
        "",
    ),
    (
        10,
        "experiment",
        "Buurtbudget voor bewonersinitiatieven",
        "Bewoners beslissen zelf over een budget voor hun buurt.",
        "Een bewonerscommissie beoordeelt de aanvragen. Initiatieven van bewoners krijgen voorrang.",
        "KW-2009-0020",
    ),
    (
        11,
        "praktijk",
        "Geld voor de buurt",
        "Een budget dat bewoners zelf mogen besteden aan ideeën voor hun straat.",
        "Van straatfeest tot speeltuin: de bewoners kiezen, de gemeente betaalt.",
        "",
    ),
    (
        12,
        "kennisproduct",
        "Dossier bewonersparticipatie",
        "Hoe professionals ruimte geven aan actieve bewoners.",
        "Over vrijwilligers, buurtvaders en de rol van het wijkteam.",
        "",
    ),
    (
        13,
        "experiment",
        "Wijkteams in de Schilderswijk",
        "Een wijkteam van zorgverleners en hulpverleners werkt vanuit één buurthuis.",
        "Het team bespreekt wekelijks de gezinnen met de meeste zorgen.",
        "",
    ),
    (
        14,
        "praktijk",
        "Huisbezoeken bij nieuwe bewoners",
        "Medewerkers van het wijkteam bezoeken iedere nieuwe bewoner thuis.",
        "Een huisbezoek maakt problemen vroeg zichtbaar, zoals schulden of eenzaamheid.",
        "",
    ),
    (
        15,
        "experiment",
        "Schuldhulpverlening zonder wachtlijst",
        "Schuldhulp begint binnen drie dagen na de aanmelding.",
        "Een schuldhulpverlener maakt met het huishouden een overzicht van alle schulden.",
        "",
    ),
    (
        16,
        "evaluatie",
        "Evaluatie van de aanpak van schulden",
        "Een kwalitatieve evaluatie van vroegsignalering van betalingsachterstanden.",
        "Corporaties en energiebedrijven melden achterstanden bij de gemeente.",
        "",
    ),
    (
        17,
        "kennisproduct",
        "Publicatie over kinderarmoede",
        "Kinderen in armoede doen minder mee aan sport en cultuur.",
        "Een kind dat opgroeit in armoede heeft meer kans op schooluitval.",
        "",
    ),
    (
        18,
        "experiment",
        "Kinderopvang als ontmoetingsplek",
        "Ouders ontmoeten elkaar bij de kinderopvang in de wijk.",
        "De opvang organiseert koffieochtenden en taalcursussen voor ouders.",
        "",
    ),
    (
        19,
        "praktijk",
        "Taalcursussen voor moeders",
        "Moeders leren Nederlands op de basisschool van hun kinderen.",
        "De taalcursus sluit aan bij de schooltijden; er is opvang voor de jongste kinderen.",
        "",
    ),
    (
        20,
        "experiment",
        "Coördinatie van zorg rond gezinnen",
        "Eén regisseur coördineert de zorg als meerdere hulpverleners bij een gezin betrokken zijn.",
        "Afspraken over wie de regie heeft voorkomen dat een gezin vijf plannen krijgt.",
        "",
    ),
    (
        21,
        "praktijk",
        "Gezinsmanagers in Amsterdam-Noord",
        "Een gezinsmanager voert regie over de hulp aan multiprobleemgezinnen.",
        "De gezinsmanager heeft doorzettingsmacht richting zorginstellingen.",
        "",
    ),
    (
        22,
        "evaluatie",
        "Onderzoek naar de effecten van gezinscoaching",
        "Wat levert de inzet van een coach achter de voordeur op?",
        "Gezinnen met een coach kwamen minder vaak in de crisisopvang terecht.",
        "",
    ),
    (
        23,
        "kennisproduct",
        "Veiligheid in de buurt: een handreiking",
        "Hoe gemeente, politie en bewoners samen aan veiligheid werken.",
        "Buurtpreventie, cameratoezicht en de aanpak van jeugdoverlast.",
        "",
    ),
    (
        24,
        "experiment",
        "Veilige straten in Kanaleneiland",
        "Meer toezicht en betere verlichting maken straten veiliger.",
        "Bewoners melden onveilige plekken via een buurtapp.",
        "KW-2011-0007",
    ),
    (
        25,
        "praktijk",
        "Jeugdoverlast aanpakken op pleinen",
        "Jongerenwerkers en wijkagenten spreken groepen jongeren aan.",
        "Op het plein komt een sportveld zodat jongeren iets te doen hebben.",
        "",
    ),
    (
        26,
        "experiment",
        "Adoptieteam voor Noord-Oost",
        "Bestuurders van rijk, gemeente en corporaties adopteren de wijk.",
        "Het adoptieteam neemt knelpunten weg die uitvoerders niet zelf kunnen oplossen.",
        "",
    ),
    (
        27,
        "experiment",
        "Ontschotting van geldstromen in Utrecht",
        "Budgetten van verschillende regelingen gaan samen in één wijkbudget.",
        "Geld volgt de aanpak in plaats van de regeling.",
        "KW-2008-0015",
    ),
    (
        28,
        "kennisproduct",
        "Wijkactieplannen vergeleken",
        "Een vergelijking van de wijkactieplannen van de achttien gemeenten.",
        "Elk wijkactieplan kiest eigen doelen voor wonen, werken en leren.",
        "",
    ),
    (
        29,
        "praktijk",
        "Werkgelegenheid voor wijkbewoners",
        "Bewoners zonder baan worden begeleid naar werk bij bedrijven in de buurt.",
        "Werkloosheid onder jongeren daalt als ondernemers stageplaatsen bieden.",
        "",
    ),
    (
        30,
        "experiment",
        "Jeugdwerkloosheid terugdringen",
        "Een banenplan voor jongeren zonder werk.",
        "Werkloze jongeren krijgen een persoonlijke coach en een werkervaringsplaats.",
        "",
    ),
    (
        31,
        "praktijk",
        "Vroeg- en voorschoolse educatie in de wijk",
        "Peuters met een taalachterstand gaan naar de voorschool.",
        "Voor- en vroegschoolse educatie bereidt kinderen voor op groep drie.",
        "",
    ),
    (
        32,
        "kennisproduct",
        "Gezondheid in achterstandswijken",
        "In achterstandswijken leven mensen gemiddeld korter.",
        "Overgewicht bij kinderen en roken komen vaker voor in deze buurten.",
        "",
    ),
    (
        33,
        "experiment",
        "Sport in de buurt",
        "Sportverenigingen openen hun velden voor buurtkinderen.",
        "Buurtsportcoaches organiseren na schooltijd activiteiten.",
        "",
    ),
    (
        34,
        "praktijk",
        "Ouderbetrokkenheid op basisscholen",
        "Scholen betrekken ouders bij het leren van hun kinderen.",
        "Een ouderkamer in de school is een vaste plek voor contact.",
        "",
    ),
    (
        35,
        "evaluatie",
        "Evaluatie huisuitzettingen voorkomen",
        "Minder huisuitzettingen door vroeg ingrijpen bij huurachterstand.",
        "De corporatie meldt een huurachterstand na één maand bij het wijkteam.",
        "",
    ),
    (
        36,
        "experiment",
        "Integratie door ontmoeting",
        "Nieuwe bewoners en oude buurtbewoners ontmoeten elkaar in het buurthuis.",
        "Inburgeraars doen vrijwilligerswerk in de wijk.",
        "",
    ),
    (
        37,
        "kennisproduct",
        "Factsheet woningvoorraad",
        "Huurwoningen en koopwoningen in de krachtwijken.",
        "Na de herstructurering is het aandeel sociale huurwoningen gedaald.",
        "",
    ),
    (
        38,
        "experiment",
        "Herstructurering van de Bijlmer",
        "Sloop en nieuwbouw van flats met behoud van de sociale structuur.",
        "Bewoners krijgen voorrang bij terugkeer naar een nieuwe woning in de wijk.",
        "",
    ),
    (
        39,
        "praktijk",
        "Buurtvaders op straat",
        "Vaders uit de buurt lopen 's avonds door de wijk.",
        "De buurtvaders spreken jongeren aan en houden contact met de wijkagent.",
        "",
    ),
    (
        40,
        "kennisproduct",
        "Dossier jongerenwerk",
        "Wat jongerenwerkers in de wijk doen en wat het oplevert.",
        "Jeugdwerk bereikt jongeren die niet naar een club gaan.",
        "",
    ),
    (
        41,
        "evaluatie",
        "Maatschappelijke kosten-batenanalyse wijkaanpak",
        "Een analyse van kosten en baten van de aanpak in de wijk.",
        "De baten van minder criminaliteit wegen op tegen de kosten van de inzet.",
        "",
    ),
    (
        42,
        "experiment",
        "Achter de voordeur in Spangen",
        "Professionals gaan bij bewoners langs om problemen vroeg te signaleren.",
        "Achter de voordeur komen schulden, eenzaamheid en verwaarlozing aan het licht.",
        "",
    ),
    (
        43,
        "praktijk",
        "Multiprobleemgezinnen en één plan",
        "Gezinnen met problemen op veel gebieden krijgen één plan.",
        "Het plan wordt gemaakt met het gezin en alle betrokken hulpverleners.",
        "",
    ),
    (
        44,
        "kennisproduct",
        "Café-overleg met ondernemers",
        "Winkeliers en horeca bespreken de veiligheid in het winkelgebied.",
        "Het café aan het plein is de vaste plek voor het overleg.",
        "",
    ),
    (
        45,
        "experiment",
        "Wijkaanpak Bergpolder",
        "Een integrale wijkaanpak voor wonen, werken en veiligheid.",
        "De wijkaanpak bundelt de plannen van gemeente en corporatie.",
        "",
    ),
    (
        46,
        "evaluatie",
        "Ervaringen van bewoners met de wijkaanpak",
        "Bewoners over wat de aanpak in hun wijk veranderde.",
        "Een enquête onder 800 bewoners en vijf groepsgesprekken.",
        "",
    ),
]

# The synonym groups the set relies on: its thesaurus, instead of the editors'.
SYNONYMS = [
    ["gezinscoach", "gezinsmanager"],
    ["VSV", "voortijdig schoolverlaten", "schooluitval"],
    ["VVE", "voor- en vroegschoolse educatie", "vroeg- en voorschoolse educatie"],
    ["jongerenwerk", "jeugdwerk"],
]

# (query, the ids it must find in the top 10, what it tests)
QUERIES = [
    # inflections
    ("gezinscoach", [1], "inflection"),
    ("gezinscoaches", [1], "plural -es"),
    ("gezin", [2, 13, 20, 43], "plural -nen"),
    ("gezinnen", [2, 13, 20, 43], "plural -nen"),
    ("corporatie", [6, 16, 35, 45], "plural -s"),
    ("corporaties", [6, 16, 35, 45], "plural -s"),
    ("evaluatie", [16, 35], "singular"),
    ("evaluaties", [16, 35], "plural -s"),
    ("kinderen", [17, 19, 33, 34], "plural -eren"),
    ("kind", [17, 19, 32], "plural -eren"),
    ("veilige straten", [24], "adjective -e, plural -en"),
    ("veilig", [24], "adjective -e"),
    ("huisbezoek", [14], "plural -en"),
    ("huisbezoeken", [14], "plural -en"),
    ("taalcursus", [18, 19], "plural -sen"),
    ("taalcursussen", [18, 19], "plural -sen"),
    ("moeder", [19], "plural -s"),
    ("mariniers", [3, 4], "plural -s"),
    ("jongere", [7, 8, 25, 29, 30, 39, 40], "noun from adjective"),
    ("bewonersinitiatief", [10], "plural -ven"),
    ("buurtkind", [33], "compound plural"),
    ("werken", [8, 29, 30, 45, 23], "theme word: verb finds noun werk"),
    ("leren", [19, 28, 34, 7, 8], "theme word: verb finds leert, leerplicht, leerwerkbaan"),
    # compounds: a part finds the compound
    ("evaluatie", [2, 3], "part: head"),
    ("marinier", [3, 4], "part: head"),
    ("stadsmarinier", [3, 4], "compound with linking s"),
    ("woning", [5, 37, 38], "part: modifier"),
    ("coach", [1, 8, 22, 30, 33], "part: head"),
    ("schoolverlaters", [8, 9], "compound, plural"),
    ("overlast", [4, 23, 25], "part: head"),
    ("werkloosheid", [29, 30], "part: head"),
    ("schuld", [14, 15, 16, 42], "part: modifier"),
    ("actieplan", [28], "nested part"),
    ("huurachterstand", [35], "compound"),
    ("achterstand", [16, 35], "part: head"),
    ("opvang", [18, 22], "part: head"),
    ("wijkteam", [12, 13, 14, 35], "compound"),
    ("team", [13, 26], "part: head"),
    # compounds: the compound finds its parts written apart
    ("buurtbudget", [10, 11], "parts apart"),
    ("wijkbudget", [27], "compound"),
    ("gezinsplan", [1, 43], "parts apart"),
    ("jongerenwerkloosheid", [29, 30], "parts apart"),
    ("kinderarmoede", [17], "compound"),
    ("armoede", [17], "part"),
    # diacritics
    ("coordinatie", [20], "no diaeresis"),
    ("Coördinatie", [20], "diaeresis"),
    ("cafe", [44], "no accent"),
    ("één plan", [1, 43], "accents"),
    # synonyms (the thesaurus)
    ("gezinsmanager", [1, 21], "synonym"),
    ("VSV", [7, 9], "abbreviation"),
    ('"voortijdig schoolverlaten"', [7, 9], "phrase with synonyms"),
    ("jeugdwerk", [40, 7], "synonym"),
    ("VVE", [31], "abbreviation"),
    # phrases
    ('"achter de voordeur"', [1, 42], "phrase"),
    ('"één plan"', [1, 43], "phrase"),
    ('"kosten en baten"', [41], "phrase"),
    ('"sociale huurwoningen"', [37], "phrase, plural"),
    # typos (measured through "Bedoelde u …?")
    ("gezinscoahces", [1], "typo"),
    ("veiligheit", [23, 44], "typo"),
    ("corporaites", [6, 16, 35, 45], "typo"),
    ("schuldhulpverleneing", [15], "typo"),
    ("adoptieteem", [26], "typo"),
    # numbers
    ("KW-2011-0007", [24], "registration number"),
    ("kw20090012", [4], "registration number"),
    ("kw 2008 0015", [27], "registration number"),
    ("800 bewoners", [46], "number"),
    ("120 gezinnen", [2], "number"),
]


def documents() -> list[dict]:
    """The corpus as documents with every key search.documents produces."""
    docs = []
    for page_id, doc_type, title, summary, body, number in _CORPUS:
        docs.append(
            {
                "page_id": 900_000 + page_id,
                "type": doc_type,
                "title": title,
                "summary": summary,
                "body": body,
                "labels_text": number,
                "url": f"/relevantie/{page_id}/",
                "date": f"{2006 + page_id % 6}-0{1 + page_id % 9}-15",
                "year": 2006 + page_id % 6,
                "published_at": None,
                "registration_number": number,
                "facets": {"type": [doc_type], "year": [str(2006 + page_id % 6)]},
                "names": {},
                "tags": [],
            }
        )
    return docs


@dataclass
class QueryResult:
    text: str
    kind: str
    expected: list[int]
    found: list[int]  # the top 10, corpus ids
    followed: str = ""  # the suggestion a typo query was measured through

    @property
    def recall(self) -> float:
        return len(set(self.expected) & set(self.found)) / len(self.expected)

    @property
    def reciprocal_rank(self) -> float:
        ranks = [self.found.index(e) + 1 for e in self.expected if e in self.found]
        return 1 / min(ranks) if ranks else 0.0


def run(engine) -> list[QueryResult]:
    """Every query through the site's search service on `engine`, whose index holds
    `documents()` (and the database index too: cards and suggestions come from there), with
    the set's own thesaurus: the editors' thesaurus and its cache are left alone."""

    thesaurus = build_thesaurus(SYNONYMS)
    results = []
    for text, expected, kind in QUERIES:
        outcome = search(
            QueryDict.fromkeys(["q"], text), page_size=TOP, engine=engine, thesaurus=thesaurus
        )
        followed = ""
        if not outcome.total and outcome.suggestion:
            followed = outcome.suggestion
            outcome = search(
                QueryDict.fromkeys(["q"], followed),
                page_size=TOP,
                engine=engine,
                thesaurus=thesaurus,
            )
        found = [card.page_id - 900_000 for card in outcome.cards]
        results.append(QueryResult(text, kind, expected, found, followed))
    return results


def summary(results) -> tuple[float, float]:
    """(recall@10, mean reciprocal rank)."""
    return (
        sum(r.recall for r in results) / len(results),
        sum(r.reciprocal_rank for r in results) / len(results),
    )
