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

from experiments.models import ExperimentIndexPage, MunicipalityExperimentsPage
from kennisbank.models import (
    EvaluationIndexPage,
    KennisbankIndexPage,
    KnowledgeCentreIndexPage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticeIndexPage,
)
from places.models import ExperimentTypeIndexPage, NeighbourhoodIndexPage
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
    _child(
        home,
        StandardPage,
        "over",
        title="Over het Kennisloket",
        intro="<p>Het Kennisloket Krachtwijken is de ene voordeur voor kennis over de "
        "aanpak van de krachtwijken.</p>",
    )

    for municipality in Municipality.objects.all():
        if not MunicipalityExperimentsPage.objects.filter(municipality=municipality).exists():
            experiments.add_child(
                instance=MunicipalityExperimentsPage(
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
        home, experiments, kennisbank, practices, evaluations, centres, wijken, experiment_types
    )
