"""Findability: the canonical URL and Open Graph tags of every page, and schema.org JSON-LD
for the detail pages (used by templatetags/seo_tags.py and base.html).

JSON-LD is written with the escaping of Django's json_script: `<`, `>` and `&` become \\u
escapes, so no user text can end the <script> element; no text is ever marked safe unescaped.
Contact persons' email addresses are never part of it.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.models import Page

from agenda.models import AgendaIndexPage
from core.absolute_urls import absolute_url
from core.kinds import content_models
from experiments.models import ExperimentIndexPage, ExperimentPage, MunicipalityExperimentsPage
from kennisbank.models import (
    EvaluationIndexPage,
    EvaluationPage,
    ExpertiseKind,
    ExpertisePage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticeIndexPage,
    PracticePage,
)
from opendata.feeds import everything_new_feed_title, registrations_feed_title, search_feed_link
from places.links import search_url
from places.models import BarrierIndexPage, ExperimentTypeIndexPage, NeighbourhoodIndexPage
from search.facets import neighbourhood_key

from .models import HomePage

# Query parameters that make another page of a listing (kept in its canonical URL).
PAGING_PARAMS = ("page", "praktijkpagina", "evaluatiepagina", "kennispagina")
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def site_name() -> str:
    return gettext("Kennisloket Krachtwijken")


def canonical_url(request) -> str:
    """The page's own absolute URL, without query string except a listing's page number."""
    kept = [
        (name, value)
        for name in PAGING_PARAMS
        if (value := request.GET.get(name, "")).isdigit() and value != "1"
    ]
    query = "&".join(f"{name}={value}" for name, value in kept)
    return absolute_url(request.path + (f"?{query}" if query else ""))


def head_meta(context) -> dict:
    """What the <head> says about this page to search engines and link previews."""
    request = context.get("request")
    if request is None or "request_path" in context:  # no request, or the 404 page
        return {}
    page = context.get("page")
    if not isinstance(page, Page):  # a view may call something else "page"
        page = None
    crumbs = context.get("crumbs") or []
    title = context.get("meta_title") or ""
    description = context.get("meta_description") or ""
    # A page that is not live (a withdrawn registration's tombstone, a preview) says no more
    # about itself than its title: its contents are not, or no longer, published.
    live = page is not None and page.live
    is_content = live and isinstance(page, content_models())
    if not title and page is not None:
        title = page.seo_title or page.title
        if crumbs:  # a sub-page of a routable page: a wijk, a gemeente, a version
            title = f"{page.title} – {crumbs[-1][0]}" if is_content else str(crumbs[-1][0])
    if not description and live:
        description = page.search_description or getattr(page, "summary", "") or ""
    meta = {
        "canonical": context.get("canonical_url") or canonical_url(request),
        "title": str(title or site_name()),
        "description": Truncator(" ".join(str(description).split())).chars(300),
        "type": "article" if is_content and not crumbs else "website",
        "site_name": site_name(),
    }
    if meta["type"] == "article":
        meta["published_time"] = page.first_published_at
        meta["modified_time"] = page.last_published_at
    meta["feeds"] = page_feeds(page, live, context)
    return meta


def page_feeds(page, live: bool, context) -> list[tuple[str, str]]:
    """The feeds a page announces as <link rel="alternate">: the registrations feed on the
    registrations and their listing, and on a page about one gemeente, wijk, experiment type,
    knowledge centre or kind of item the feed of the search with that fixed. The search page
    names its own feed, with its filters (search.html)."""
    if page is None:
        return []
    feeds = []
    if isinstance(page, ExperimentIndexPage) or (live and isinstance(page, ExperimentPage)):
        # A registration's versions too.
        feeds.append((registrations_feed_title(), reverse("registrations_feed")))
    if not live:
        return feeds
    if isinstance(page, HomePage):
        feeds.append((everything_new_feed_title(), search_url(format="atom")))
    elif isinstance(page, MunicipalityExperimentsPage | MunicipalityPracticesPage):
        kind = "experiment" if isinstance(page, MunicipalityExperimentsPage) else "praktijk"
        municipality = page.municipality
        feeds.append(search_feed_link(municipality.name, gemeente=municipality.slug, type=kind))
    elif isinstance(page, PracticeIndexPage):
        feeds.append(search_feed_link(gettext("practices"), type="praktijk"))
    elif isinstance(page, EvaluationIndexPage):
        feeds.append(search_feed_link(gettext("evaluations"), type="evaluatie"))
    elif isinstance(page, BarrierIndexPage):
        feeds.append(search_feed_link(gettext("barriers"), type="belemmering"))
    elif isinstance(page, AgendaIndexPage):
        feeds.append(search_feed_link(gettext("events"), type="bijeenkomst"))
    elif isinstance(page, KnowledgeCentrePage):
        centre = page.knowledge_centre
        feeds.append(search_feed_link(centre.name, kenniscentrum=centre.slug))
    elif isinstance(page, NeighbourhoodIndexPage):  # the routes below it put their place in context
        if neighbourhood := context.get("neighbourhood"):
            feeds.append(
                search_feed_link(neighbourhood.name, wijk=neighbourhood_key(neighbourhood))
            )
        elif municipality := context.get("municipality"):
            feeds.append(search_feed_link(municipality.name, gemeente=municipality.slug))
    elif isinstance(page, ExperimentTypeIndexPage):
        if experiment_type := context.get("experiment_type"):
            feeds.append(
                search_feed_link(experiment_type.name, experimenttype=experiment_type.slug)
            )
    return feeds


# --- schema.org JSON-LD --------------------------------------------------------------------


def json_ld_script(data: dict) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )


def _absolute(request, url: str) -> str:
    return absolute_url(url) if request is not None else url


def _page_url(request, page) -> str:
    return _absolute(request, page.get_url(request))


def _publisher(request) -> dict:
    return {"@type": "Organization", "name": site_name(), "url": _absolute(request, "/")}


def _place(neighbourhood) -> dict:
    return {
        "@type": "Place",
        "name": neighbourhood.name,
        "containedInPlace": _municipality(neighbourhood.municipality),
    }


def _municipality(municipality) -> dict:
    return {"@type": "AdministrativeArea", "name": municipality.name}


def _places(page) -> list[dict]:
    places = [_place(n) for n in page.neighbourhoods.select_related("municipality")]
    if not places and getattr(page, "municipality_id", None):
        places = [_municipality(page.municipality)]
    return places


def _organisation(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def _keywords(*groups) -> list[str]:
    return list(dict.fromkeys(str(k) for group in groups for k in group if k))


def _clean(data: dict) -> dict:
    """Leave out empty values (an empty list or string says nothing)."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _article(request, page, schema_type: str, **extra) -> dict:
    published = getattr(page, "publication_date", None) or page.first_published_at
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": schema_type,
            "@id": _page_url(request, page),
            "url": _page_url(request, page),
            "headline": Truncator(page.title).chars(110),
            "name": page.title,
            "description": getattr(page, "summary", "") or page.search_description,
            "datePublished": published,
            "dateModified": page.last_published_at,
            "inLanguage": "nl",
            "publisher": _publisher(request),
            "isAccessibleForFree": True,
            **extra,
        }
    )


def experiment_data(request, page, context) -> dict:
    registration = page.registration_number
    themes = [t.name for t in page.themes.all()]
    evaluations = context.get("evaluations") or []
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "ResearchProject",
            "@id": _page_url(request, page),
            "url": _page_url(request, page),
            "name": page.title,
            "description": page.summary,
            "identifier": {
                "@type": "PropertyValue",
                "propertyID": gettext("Registration number"),
                "value": registration,
            }
            if registration
            else None,
            "foundingDate": page.start_date,
            "dissolutionDate": page.end_date,
            "areaServed": _places(page),
            "keywords": _keywords(
                themes, [page.experiment_type.name if page.experiment_type_id else ""]
            ),
            "member": [_organisation(p.name) for p in context.get("partners", page.partners.all())],
            "subjectOf": [
                {"@type": "Report", "name": e.title, "url": _page_url(request, e)}
                for e in evaluations
            ],
        }
    )


def practice_data(request, page, context) -> dict:
    source = page.source_experiment
    if (
        source is not None
        and not ExperimentPage.objects.live().public().filter(pk=source.pk).exists()
    ):
        source = None
    return _article(
        request,
        page,
        "Article",
        genre=gettext("Practice"),
        spatialCoverage=_places(page),
        keywords=_keywords(
            [t.name for t in page.themes.all()],
            [page.experiment_type.name if page.experiment_type_id else ""],
        ),
        isBasedOn=_page_url(request, source) if source is not None else None,
    )


def evaluation_data(request, page, context) -> dict:
    experiments = context.get("evaluated_experiments") or []
    practices = context.get("evaluated_practices") or []
    about = [
        _clean(
            {
                "@type": "ResearchProject",
                "name": e.title,
                "url": _page_url(request, e),
                "identifier": e.registration_number,
            }
        )
        for e in experiments
    ] + [{"@type": "Article", "name": p.title, "url": _page_url(request, p)} for p in practices]
    centre = page.knowledge_centre
    return _article(
        request,
        page,
        "Report",
        genre=page.get_kind_display(),
        author=_organisation(page.evaluator) if page.evaluator else None,
        sourceOrganization=_organisation(centre.name) if centre else None,
        about=about,
        keywords=_keywords([t.name for t in page.themes.all()]),
    )


def expertise_data(request, page, context) -> dict:
    centre = page.knowledge_centre
    return _article(
        request,
        page,
        "Report" if page.kind == ExpertiseKind.PUBLICATION else "Article",
        genre=page.get_kind_display(),
        author=_organisation(centre.name),
        creditText=page.authors,
        keywords=_keywords(
            [t.name for t in page.themes.all()], [t.name for t in page.experiment_types.all()]
        ),
    )


def structured_data(context, page) -> str:
    """The JSON-LD <script> for a detail page ("" for anything else)."""
    builders = {
        ExperimentPage: experiment_data,
        PracticePage: practice_data,
        EvaluationPage: evaluation_data,
        ExpertisePage: expertise_data,
    }
    builder = builders.get(type(page))
    if builder is None or page.pk is None:
        return ""
    return json_ld_script(builder(context.get("request"), page, context))
