"""The fixed part of the page tree: home, the sections, one experiments and one practices
parent page per municipality, and one section per knowledge centre. The four sections of the
main menu are made with "show in menus" on (templates/components/main_menu.html).

Idempotent: existing pages are found by type (and municipality or centre), never doubled,
and an editor's titles and texts are left alone.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from agenda.models import AgendaIndexPage
from experiments.models import ExperimentIndexPage, MunicipalityExperimentsPage
from kennisbank.models import (
    EvaluationIndexPage,
    KennisbankIndexPage,
    KnowledgeCentreIndexPage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticeIndexPage,
)
from people.models import AllianceIndexPage, ExpertIndexPage
from places.models import BarrierIndexPage, ExperimentTypeIndexPage, NeighbourhoodIndexPage
from programme.models import MunicipalityProgrammePage, ProgrammeIndexPage
from vocabulary.models import KnowledgeCentre, Municipality

from .models import HomePage, StandardPage


@dataclass
class SiteStructure:
    home: HomePage
    experiments: ExperimentIndexPage
    kennisbank: KennisbankIndexPage
    practices: PracticeIndexPage
    evaluations: EvaluationIndexPage
    centres: KnowledgeCentreIndexPage
    wijken: NeighbourhoodIndexPage
    experiment_types: ExperimentTypeIndexPage
    programme: ProgrammeIndexPage
    barriers: BarrierIndexPage
    agenda: AgendaIndexPage
    experts: ExpertIndexPage
    alliance: AllianceIndexPage


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    return page


def _ensure_home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Kennisloket Krachtwijken",
            slug="kennisloket",
            intro="<p>Wat gemeenten, professionals en kenniscentra leren in de krachtwijken: "
            "experimenten, goede praktijken, evaluaties en expertise, op één plek.</p>",
        )
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_address()
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="Kennisloket Krachtwijken",
        )
    elif site.root_page_id != home.pk:
        # Replace Wagtail's welcome page with our home page.
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Kennisloket Krachtwijken"
        site.save()
        if (
            not isinstance(old_root.specific, HomePage)
            and old_root.depth > 1
            and not old_root.get_children().exists()
        ):
            old_root.delete()
    return home


def site_address(url: str | None = None) -> tuple[str, int]:
    """Host name and port of SITE_URL (or `url`), as Wagtail's Site keeps them."""
    parts = urlsplit(url or settings.SITE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def point_site_at_site_url() -> bool:
    """Give the default Site the host and port of SITE_URL, so what Wagtail builds from it
    (sitemap.xml, full page URLs) starts with the public address. True if it changed."""
    hostname, port = site_address()
    return bool(
        Site.objects.filter(is_default_site=True)
        .exclude(hostname=hostname, port=port)
        .update(hostname=hostname, port=port)
    )


# --- The pages every Dutch government site has, linked from the footer (templates/base.html).
# Their texts are the editors' once the page exists; the retention periods and the cookies are
# blocks that read the settings (website/models.py), so those facts cannot drift from the code.

FICTIONAL = (
    "<p><em>Deze website is een demonstratie. Het Programmabureau Krachtwijken, de adressen "
    "en de inhoud zijn verzonnen.</em></p>"
)

STATEMENT_PAGES = {
    "over": dict(
        title="Over het Kennisloket",
        intro="<p>Het Kennisloket Krachtwijken is de ene voordeur voor kennis over de "
        "aanpak van de krachtwijken.</p>",
        body=[
            ("heading", "Wie maakt deze website"),
            (
                "paragraph",
                "<p>Het Programmabureau Krachtwijken beheert deze website namens de gemeenten "
                "en de ministeries die samen het programma Krachtwijken uitvoeren. Het "
                "programmabureau is verantwoordelijk voor de inhoud en voor de verwerking van "
                "persoonsgegevens op deze site.</p>",
            ),
            ("heading", "Wie schrijft de inhoud"),
            (
                "paragraph",
                "<p>De redacties van de 18 gemeenten registreren hun experimenten en goede "
                "praktijken. De kenniscentra publiceren evaluaties en expertise en beantwoorden "
                "de vragen die via het loket binnenkomen. Moderatoren van het programmabureau "
                "controleren elke registratie voordat die verschijnt.</p>",
            ),
            ("heading", "Hergebruik"),
            (
                "paragraph",
                "<p>Alle registraties zijn open data onder de licentie CC BY 4.0: u mag ze "
                'hergebruiken als u de bron vermeldt. Zie <a href="/open-data/">open data '
                "en API</a>.</p>",
            ),
            ("heading", "Techniek"),
            (
                "paragraph",
                "<p>De website is gebouwd met open-sourcesoftware: Wagtail en Django, met "
                "componenten van NL Design System. Alles wordt vanaf onze eigen servers "
                "geleverd; er worden geen diensten van derden ingeladen.</p>",
            ),
            ("paragraph", FICTIONAL),
        ],
    ),
    "contact": dict(
        title="Contact",
        intro="<p>Hoe u de redactie van het Kennisloket Krachtwijken bereikt.</p>",
        body=[
            ("heading", "Een vraag over de aanpak van de krachtwijken"),
            (
                "paragraph",
                '<p>Stel uw vraag via <a href="/loket/">het loket</a>. Uw vraag gaat naar '
                "het kenniscentrum dat er het meeste van weet; u krijgt het antwoord per "
                "e-mail.</p>",
            ),
            ("heading", "Een fout, een aanvulling of een opmerking over deze website"),
            (
                "paragraph",
                '<p>Mail de redactie: <a href="mailto:redactie@kennisloket.example">'
                "redactie@kennisloket.example</a>. Gaat het om een registratie, noem dan het "
                "registratienummer. We antwoorden binnen vijf werkdagen.</p>",
            ),
            ("heading", "Privacy"),
            (
                "paragraph",
                "<p>Voor vragen over uw persoonsgegevens mailt u "
                '<a href="mailto:privacy@kennisloket.example">'
                "privacy@kennisloket.example</a>. Lees ook de "
                '<a href="/privacy/">privacyverklaring</a>.</p>',
            ),
            ("paragraph", FICTIONAL),
        ],
    ),
    "privacy": dict(
        title="Privacyverklaring",
        intro="<p>Welke persoonsgegevens deze website vastlegt, waarom, hoe lang, en welke "
        "rechten u hebt.</p>",
        body=[
            ("heading", "Wie is verantwoordelijk"),
            (
                "paragraph",
                "<p>Het Programmabureau Krachtwijken is de verwerkingsverantwoordelijke in de "
                "zin van de Algemene verordening gegevensbescherming (AVG). U bereikt ons via "
                '<a href="mailto:privacy@kennisloket.example">'
                "privacy@kennisloket.example</a>.</p>",
            ),
            ("heading", "Lezen en zoeken zonder account"),
            (
                "paragraph",
                "<p>Lezen, zoeken en de open data downloaden kan zonder account, en we volgen "
                "u niet: deze website gebruikt geen analysediensten en geen "
                "advertentienetwerken, laadt niets van andere websites in en toont geen "
                "profielfoto's van externe diensten.</p>",
            ),
            ("heading", "Wat we vastleggen en hoe lang"),
            ("retention_periods", None),
            (
                "paragraph",
                "<p>Daarnaast legt de webserver bij elk bezoek een regel vast met de "
                "opgevraagde pagina, het tijdstip en het IP-adres van uw apparaat. Die regels "
                "gebruiken we alleen om storingen en misbruik op te sporen; we bewaren ze twee "
                "weken. Hoe het loket met uw vraag omgaat, leest u in de "
                '<a href="/loket/privacy/">privacyverklaring van het loket</a>.</p>',
            ),
            ("heading", "Grondslag"),
            (
                "paragraph",
                "<p>Het beantwoorden van vragen, het beheer van de registraties en de "
                "beveiliging van de website horen bij de publieke taak van het programma "
                "(artikel 6, lid 1, onder e AVG). Een zoekattendering krijgt u alleen als u "
                "daar zelf om vraagt en het bevestigt (toestemming, artikel 6, lid 1, onder a "
                "AVG); u trekt die in door u af te melden.</p>",
            ),
            ("heading", "Wie uw gegevens ziet"),
            (
                "paragraph",
                "<p>Alleen de medewerkers die ze voor hun taak nodig hebben: de redactie, en "
                "bij een vraag aan het loket het kenniscentrum dat de vraag beantwoordt. Het "
                "bedrijf dat onze servers beheert, verwerkt de gegevens in onze opdracht, "
                "onder een verwerkersovereenkomst en binnen de Europese Unie. We verkopen "
                "geen gegevens en geven ze niet aan anderen.</p>",
            ),
            ("heading", "Uw rechten"),
            (
                "paragraph",
                "<p>U mag uw gegevens inzien en laten corrigeren of verwijderen. U mag ook "
                "bezwaar maken tegen het gebruik ervan, of vragen het gebruik te beperken. "
                'Mail daarvoor <a href="mailto:privacy@kennisloket.example">'
                "privacy@kennisloket.example</a>; we antwoorden binnen een maand.</p>",
            ),
            ("heading", "Een klacht"),
            (
                "paragraph",
                "<p>Bent u het niet eens met hoe we met uw gegevens omgaan, laat het ons dan "
                "eerst weten. U kunt ook een klacht indienen bij de "
                '<a href="https://autoriteitpersoonsgegevens.nl">Autoriteit '
                "Persoonsgegevens</a>.</p>",
            ),
            ("paragraph", FICTIONAL),
        ],
    ),
    "cookies": dict(
        title="Cookieverklaring",
        intro="<p>Deze website gebruikt alleen functionele cookies: kleine bestanden die "
        "nodig zijn om formulieren veilig te versturen en redacteuren ingelogd te houden.</p>",
        body=[
            ("cookies", None),
            ("heading", "Geen cookiemelding"),
            (
                "paragraph",
                "<p>We plaatsen geen cookies om uw bezoek te meten of u te volgen, en andere "
                "websites plaatsen via deze site geen cookies. Voor functionele cookies is "
                "geen toestemming nodig (artikel 11.7a van de Telecommunicatiewet). Daarom "
                "vragen we er niet om en ziet u geen cookiemelding.</p>",
            ),
            (
                "paragraph",
                "<p>Een gewone bezoeker die alleen leest en zoekt, krijgt geen enkele "
                "cookie. U kunt cookies in uw browser weigeren of verwijderen; de formulieren "
                "werken dan niet.</p>",
            ),
        ],
    ),
    "toegankelijkheid": dict(
        title="Toegankelijkheidsverklaring",
        intro="<p>Het Programmabureau Krachtwijken wil dat iedereen het Kennisloket "
        "Krachtwijken kan gebruiken, ook mensen met een beperking.</p>",
        body=[
            ("heading", "Over deze verklaring"),
            (
                "paragraph",
                "<p>Deze verklaring geldt voor de website Kennisloket Krachtwijken, met alle "
                "pagina's, de zoekfunctie en het loket. De beheeromgeving voor redacteuren "
                "valt erbuiten. De verklaring is opgesteld op 2 december 2026 volgens het "
                "model van digitoegankelijk.nl. De eis is WCAG 2.1 op niveau A en AA.</p>",
            ),
            ("heading", "Status: voldoet gedeeltelijk"),
            (
                "paragraph",
                "<p>De website voldoet gedeeltelijk aan de eisen. Een onderzoek door een "
                "onafhankelijke deskundige heeft nog niet plaatsgevonden. Wat we wel doen: "
                "bij elke wijziging van de software controleert het testprogramma axe-core in "
                "de browser Chromium elke soort pagina op een breed scherm en op een "
                "telefoonscherm, ook het loket met een foutmelding, en bedient een "
                "geautomatiseerde test de zoekfilters alleen met het toetsenbord.</p>",
            ),
            ("heading", "Wat nog niet voldoet"),
            (
                "paragraph",
                "<ul><li>Op een smal scherm (320 pixels) moet u op een aantal pagina's "
                "horizontaal scrollen, onder meer bij goede praktijken en kenniscentra "
                "(WCAG 1.4.10).</li>"
                "<li>De grafiek in het wijkenoverzicht is op een telefoon moeilijk te "
                "lezen.</li>"
                "<li>Verstuurt u het formulier van het loket met een fout, dan springt de "
                "focus nog niet naar het overzicht van de fouten; met een schermlezer moet u "
                "dat zelf opzoeken.</li>"
                "<li>Documenten die gemeenten en kenniscentra uploaden, controleren we niet "
                "op toegankelijkheid; oudere pdf's zijn dat vaak niet.</li></ul>"
                "<p>We werken aan deze punten en passen deze verklaring aan als ze zijn "
                "opgelost.</p>",
            ),
            ("heading", "Loopt u tegen een probleem aan?"),
            (
                "paragraph",
                '<p>Laat het ons weten via <a href="mailto:redactie@kennisloket.example">'
                "redactie@kennisloket.example</a>. Noem de pagina en wat er misgaat. We "
                "reageren binnen vijf werkdagen en sturen u de informatie zo nodig in een "
                "andere vorm. Bent u niet tevreden met ons antwoord, dan kunt u zich wenden "
                'tot de <a href="https://www.nationaleombudsman.nl">Nationale '
                "ombudsman</a>.</p>",
            ),
            ("paragraph", FICTIONAL),
        ],
    ),
}


def _statement_body(blocks):
    return [(kind, RichText(value) if kind == "paragraph" else value) for kind, value in blocks]


def _ensure_statement_pages(home: HomePage) -> None:
    for slug, fields in STATEMENT_PAGES.items():
        _child(home, StandardPage, slug, **{**fields, "body": _statement_body(fields["body"])})


@transaction.atomic
def ensure_site_structure() -> SiteStructure:
    home = _ensure_home()
    point_site_at_site_url()
    experiments = _child(
        home,
        ExperimentIndexPage,
        "experimenten",
        title="Experimenten",
        show_in_menus=True,
        intro="<p>Alle geregistreerde experimenten, per gemeente.</p>",
    )
    kennisbank = _child(
        home,
        KennisbankIndexPage,
        "kennisbank",
        title="Kennisbank",
        show_in_menus=True,
        intro="<p>Goede praktijken, evaluaties en expertise van de kenniscentra.</p>",
    )
    practices = _child(kennisbank, PracticeIndexPage, "praktijken", title="Goede praktijken")
    evaluations = _child(kennisbank, EvaluationIndexPage, "evaluaties", title="Evaluaties")
    centres = _child(kennisbank, KnowledgeCentreIndexPage, "kenniscentra", title="Kenniscentra")
    wijken = _child(
        home,
        NeighbourhoodIndexPage,
        "wijken",
        title="Wijken",
        show_in_menus=True,
        intro="<p>De 40 krachtwijken in 18 gemeenten.</p>",
    )
    experiment_types = _child(
        home,
        ExperimentTypeIndexPage,
        "experimenttypen",
        title="Experimenttypen",
        show_in_menus=True,
        intro="<p>De vormen van doorzettingsmacht die gemeenten uitproberen, met alle "
        "lokale varianten.</p>",
    )
    programme = _child(
        home,
        ProgrammeIndexPage,
        "wijkactieplannen",
        title="Wijkactieplannen",
        show_in_menus=True,
        intro="<p>Per wijk het plan van de gemeente: doelen, prestaties en de monitor. Per "
        "gemeente het charter met de afspraken tussen gemeente en Rijk.</p>",
    )
    barriers = _child(
        home,
        BarrierIndexPage,
        "belemmeringen",
        title="Belemmeringen en vragen aan het Rijk",
        show_in_menus=True,
        intro="<p>Regels en geldstromen die experimenten en wijkactieplannen in de weg zitten, "
        "wat gemeenten het Rijk vragen, en het antwoord van het Rijk.</p>",
    )
    agenda = _child(
        home,
        AgendaIndexPage,
        "agenda",
        title="Agenda",
        show_in_menus=True,
        intro="<p>Bijeenkomsten, excursies en conferenties waar gemeenten, professionals en "
        "kenniscentra uitwisselen wat werkt in de wijken, en de verslagen van eerdere.</p>",
    )
    # The people of the programme (people/): the pool of experts and the alliance.
    experts = _child(
        home,
        ExpertIndexPage,
        "deskundigen",
        title="Krachtige personen",
        intro="<p>Mensen die stedelijke problemen kunnen benoemen en partijen bij elkaar "
        "brengen: bestuurders, strategen en uitvoerders die hun kennis van de krachtwijken "
        "delen. Zoek op thema, experimenttype of niveau en stuur iemand een bericht.</p>",
    )
    alliance = _child(
        home,
        AllianceIndexPage,
        "alliantie",
        title="De alliantie",
        intro="<p>Landelijke koepelorganisaties die lokale coalities in de wijken steunen: "
        "wat elk van hen biedt en hoe u hen bereikt.</p>",
    )
    _ensure_statement_pages(home)

    for municipality in Municipality.objects.all():
        if not MunicipalityExperimentsPage.objects.filter(municipality=municipality).exists():
            experiments.add_child(
                instance=MunicipalityExperimentsPage(
                    title=municipality.name, slug=municipality.slug, municipality=municipality
                )
            )
        if not MunicipalityProgrammePage.objects.filter(municipality=municipality).exists():
            programme.add_child(
                instance=MunicipalityProgrammePage(
                    title=municipality.name, slug=municipality.slug, municipality=municipality
                )
            )
        if not MunicipalityPracticesPage.objects.filter(municipality=municipality).exists():
            practices.add_child(
                instance=MunicipalityPracticesPage(
                    title=municipality.name, slug=municipality.slug, municipality=municipality
                )
            )
    for centre in KnowledgeCentre.objects.all():
        if not KnowledgeCentrePage.objects.filter(knowledge_centre=centre).exists():
            centres.add_child(
                instance=KnowledgeCentrePage(
                    title=centre.name,
                    slug=centre.slug,
                    knowledge_centre=centre,
                    intro=f"<p>{centre.field_of_work}</p>" if centre.field_of_work else "",
                )
            )

    return SiteStructure(
        home,
        experiments,
        kennisbank,
        practices,
        evaluations,
        centres,
        wijken,
        experiment_types,
        programme,
        barriers,
        agenda,
        experts,
        alliance,
    )
