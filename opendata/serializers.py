"""What the API says about each record: plain dicts with snake_case keys, every link absolute.

Only published, public content is ever passed in here (the views fetch it with
`.live().public()`), and contact email addresses are never read: the fields below are listed
one by one, never copied wholesale from a model.
"""

import re
from functools import cached_property

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from core.absolute_urls import absolute_url
from core.kinds import KINDS_BY_KEY, kind_label, kind_of
from experiments.choices import ExperimentStatus
from experiments.history import RegistryHistory
from experiments.models import ExperimentPage, ExperimentPartner
from kennisbank.models import (
    EvaluationKind,
    EvaluationMethod,
    ExpertiseKind,
    KnowledgeCentrePage,
    PracticePage,
)
from kennisbank.recognition import live_evaluations, recognition_level
from places.links import PlaceLinks
from programme.choices import BarrierKind, BarrierStatus
from programme.models import BarrierPage, Ministry, NeighbourhoodActionPlanPage
from search.documents import raising_pages
from search.facets import neighbourhood_key
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)


class Links:
    """Absolute URLs for one request: API resources, site pages, files."""

    def __init__(self, request):
        self.request = request

    def absolute(self, url: str | None) -> str | None:
        return absolute_url(url) if url else None

    def api(self, name: str, *args) -> str:
        return absolute_url(reverse(f"opendata:{name}", args=args))

    def search(self, param: str, value: str) -> str:
        return f"{self.api('search')}?{urlencode({param: value})}"

    def html(self, html: str) -> str:
        """Rich text as HTML with Wagtail's internal links expanded and made absolute."""
        expanded = expand_db_html(html or "")
        return re.sub(
            r'\b(href|src)="(/[^"/][^"]*|/)"',
            lambda m: f'{m.group(1)}="{absolute_url(m.group(2))}"',
            expanded,
        )

    @cached_property
    def places(self) -> PlaceLinks:
        """The site's wijk, gemeente and experiment-type pages (rendered from the vocabulary)."""
        return PlaceLinks(self.request, public=True)

    def wijk_page(self, neighbourhood) -> str | None:
        return self.absolute(self.places.neighbourhood(neighbourhood))

    def municipality_page(self, municipality) -> str | None:
        return self.absolute(self.places.municipality(municipality))

    def experiment_type_page(self, experiment_type) -> str | None:
        return self.absolute(self.places.experiment_type(experiment_type))

    def page(self, page) -> str:
        return self.absolute(page.get_url(self.request))


# --- Vocabulary ---------------------------------------------------------------------------


class Vocabulary:
    """The vocabulary, read once per request (a handful of small tables), to turn the slugs in
    search documents into references."""

    @cached_property
    def municipalities(self):
        return {m.slug: m for m in Municipality.objects.all()}

    @cached_property
    def neighbourhoods(self):
        return {
            neighbourhood_key(n): n for n in Neighbourhood.objects.select_related("municipality")
        }

    @cached_property
    def themes(self):
        return {t.slug: t for t in Theme.objects.all()}

    @cached_property
    def experiment_types(self):
        return {t.slug: t for t in ExperimentType.objects.all()}

    @cached_property
    def recognition_levels(self):
        return {r.slug: r for r in RecognitionLevel.objects.all()}

    @cached_property
    def centres(self):
        return {c.slug: c for c in KnowledgeCentre.objects.all()}

    @cached_property
    def ministries(self):
        return {m.slug: m for m in Ministry.objects.all()}


def municipality_ref(links, m):
    return {"id": m.slug, "name": m.name, "url": links.api("municipality", m.slug)}


def neighbourhood_id(n) -> str:
    return f"{n.municipality.slug}/{n.slug}"


def neighbourhood_ref(links, n):
    return {
        "id": neighbourhood_id(n),
        "name": n.name,
        "url": links.api("neighbourhood", n.municipality.slug, n.slug),
    }


def theme_ref(links, t):
    return {"id": t.slug, "name": t.name, "url": links.api("theme", t.slug)}


def experiment_type_ref(links, t):
    return {"id": t.slug, "name": t.name, "url": links.api("experiment_type", t.slug)}


def recognition_ref(links, r):
    return {"id": r.slug, "name": r.name, "url": links.api("recognition_level", r.slug)}


def centre_ref(links, c):
    return {"id": c.slug, "name": c.name, "url": links.api("knowledge_centre", c.slug)}


def _filter(param, value, links):
    return {"filter": {"param": param, "value": value}, "search_url": links.search(param, value)}


def municipality_data(links, m):
    return {
        "id": m.slug,
        "name": m.name,
        "official_name": m.official_name or None,
        "cbs_code": m.cbs_code,
        "neighbourhoods": [neighbourhood_ref(links, n) for n in m.neighbourhoods.all()],
        "url": links.api("municipality", m.slug),
        "web_url": links.municipality_page(m),
        **_filter("gemeente", m.slug, links),
    }


def neighbourhood_data(links, n):
    return {
        "id": neighbourhood_id(n),
        "name": n.name,
        "municipality": municipality_ref(links, n.municipality),
        "is_krachtwijk": n.is_krachtwijk,
        "postcode_areas": n.postcode_area_list,
        "alternative_names": n.alternative_name_list,
        "note": n.note,
        "url": links.api("neighbourhood", n.municipality.slug, n.slug),
        "web_url": links.wijk_page(n),
        **_filter("wijk", neighbourhood_key(n), links),
    }


def theme_data(links, t):
    return {
        "id": t.slug,
        "name": t.name,
        "description": t.description,
        "is_main_theme": t.is_main_theme,
        "url": links.api("theme", t.slug),
        **_filter("thema", t.slug, links),
    }


def experiment_type_data(links, t):
    return {
        "id": t.slug,
        "name": t.name,
        "level": t.level or None,
        "level_label": str(t.get_level_display()) if t.level else None,
        "summary": t.summary,
        "description": t.description,
        "url": links.api("experiment_type", t.slug),
        "web_url": links.experiment_type_page(t),
        **_filter("experimenttype", t.slug, links),
    }


def recognition_level_data(links, r):
    return {
        "id": r.slug,
        "name": r.name,
        "ordinal": r.ordinal,
        "description": r.description,
        "validity_years": r.validity_years,
        "url": links.api("recognition_level", r.slug),
        **_filter("erkenning", r.slug, links),
    }


def knowledge_centre_data(links, c, page=None):
    return {
        "id": c.slug,
        "abbreviation": c.abbreviation,
        "name": c.name,
        "field_of_work": c.field_of_work,
        "status": c.status,
        "url": links.api("knowledge_centre", c.slug),
        "web_url": links.page(page) if page is not None else None,
        **_filter("kenniscentrum", c.slug, links),
    }


# --- Identifiers of content -----------------------------------------------------------------
# Experiments: the registration number. Evaluations: the page slug (they all share one parent,
# so it is unique). Practices and expertise: the slug is unique only under the parent page of
# their municipality or knowledge centre, so that slug comes first, as in the site's own URLs.


def content_ids(pages_by_type: dict[str, list[int]]) -> dict[int, tuple[str, ...]]:
    """The API identifier (as URL path parts) of each page id, in a fixed number of queries.

    Only live, public pages get one: should the search index ever lag behind a page being
    unpublished or made private, the page still stays out of the API."""
    ids = {}
    for content_type, page_ids in pages_by_type.items():
        kind = KINDS_BY_KEY.get(content_type)
        if not page_ids or kind is None:
            continue
        rows = (
            kind.model.objects.filter(pk__in=page_ids)
            .live()
            .public()
            .values_list("pk", *kind.id_fields)
        )
        for page_id, *parts in rows:
            if all(parts):
                ids[page_id] = tuple(parts)
    return ids


def content_ref(links, content_type: str, parts: tuple[str, ...], title: str, page):
    return {
        "id": "/".join(parts),
        "type": content_type,
        "title": title,
        "url": links.api(KINDS_BY_KEY[content_type].api_route, *parts),
        "web_url": links.page(page),
    }


def experiment_ref(links, page):
    return content_ref(links, "experiment", (page.registration.number,), page.title, page)


def practice_ref(links, page):
    return content_ref(links, "praktijk", (page.municipality.slug, page.slug), page.title, page)


def evaluation_ref(links, page):
    return content_ref(links, "evaluatie", (page.slug,), page.title, page)


# --- Search results --------------------------------------------------------------------------


def search_item(links, vocab: Vocabulary, card, doc: dict, parts: tuple[str, ...]) -> dict:
    """One search result (a ResultCard and its document) as an API list item."""
    facets = doc.get("facets", {})

    def refs(key, table, make):
        return [make(links, table[slug]) for slug in facets.get(key, []) if slug in table]

    def one(key, table, make):
        found = refs(key, table, make)
        return found[0] if found else None

    content_type = doc["type"]
    return {
        "id": "/".join(parts),
        "type": content_type,
        "type_label": kind_label(content_type),
        "title": doc["title"],
        "summary": doc.get("summary", ""),
        "snippet": str(card.snippet or ""),
        "date": doc.get("date"),
        "registration_number": doc.get("registration_number") or None,
        "status": card.status or None,
        "status_label": card.status_label or None,
        "results_expected": card.results_expected,
        "municipalities": refs("municipality", vocab.municipalities, municipality_ref),
        "neighbourhoods": refs("neighbourhood", vocab.neighbourhoods, neighbourhood_ref),
        "themes": refs("theme", vocab.themes, theme_ref),
        "experiment_types": refs("experiment_type", vocab.experiment_types, experiment_type_ref),
        "recognition_level": one("recognition", vocab.recognition_levels, recognition_ref),
        "knowledge_centre": one("centre", vocab.centres, centre_ref),
        "ministry": one("ministry", vocab.ministries, lambda _links, m: ministry_data(m)),
        "barrier_status": card.barrier_status or None,
        "barrier_status_label": card.barrier_status_label or None,
        "url": links.api(KINDS_BY_KEY[content_type].api_route, *parts),
        "web_url": links.absolute(doc["url"]),
    }


# --- Content details -------------------------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


def _document(links, document, title=None):
    if document is None:
        return None
    return {
        "title": title or document.title,
        "url": links.absolute(document.url),
        "file_extension": document.file_extension.lower(),
    }


def _image(links, image):
    if image is None:
        return None
    return {"title": image.title, "url": links.absolute(image.file.url)}


def _common(links, page, content_type: str, parts: tuple[str, ...]):
    return {
        "id": "/".join(parts),
        "type": content_type,
        "type_label": kind_label(content_type),
        "title": page.title,
        "summary": page.summary,
        "url": links.api(KINDS_BY_KEY[content_type].api_route, *parts),
        "web_url": links.page(page),
        "first_published_at": _date(page.first_published_at),
        "last_published_at": _date(page.last_published_at),
    }


def _tags(page):
    return sorted(tag.name for tag in page.tags.all())


def experiment_detail(links, page) -> dict:
    number = page.registration.number
    prefetch_related_objects([page], live_evaluations("-publication_date", "title"))
    best = recognition_level(page)
    practices = page.practices.live().public().select_related("municipality").order_by("title")
    roles = dict(ExperimentPartner.Role.choices)
    return {
        **_common(links, page, "experiment", (number,)),
        "registration_number": number,
        "registered_at": _date(page.registration.registered_at),
        "municipality": municipality_ref(links, page.municipality),
        "neighbourhoods": [neighbourhood_ref(links, n) for n in page.neighbourhoods.all()],
        "themes": [theme_ref(links, t) for t in page.themes.all()],
        "experiment_type": experiment_type_ref(links, page.experiment_type),
        "status": page.status,
        "status_label": str(dict(ExperimentStatus.choices).get(page.status, "")),
        "start_date": _date(page.start_date),
        "planned_end_date": _date(page.planned_end_date),
        "end_date": _date(page.end_date),
        "stop_reason": page.stop_reason,
        "results_expected": page.results_expected,
        "recognition_level": recognition_ref(links, best) if best else None,
        "problem_analysis": links.html(page.problem_analysis),
        "goals": links.html(page.goals),
        "activities": links.html(page.activities),
        "target_group": page.target_group,
        "mandate": links.html(page.mandate),
        "research_design": links.html(page.research_design),
        "obstacles": links.html(page.obstacles),
        "request_to_government": links.html(page.request_to_government),
        "partners": [
            {
                "name": p.name,
                "role": p.role,
                "role_label": str(roles.get(p.role, p.role)),
                "contribution": p.contribution,
            }
            for p in page.partners.all()
        ],
        # The contact person and organisation are public; the email address never is.
        "contact_name": page.contact_name,
        "contact_organisation": page.contact_organisation,
        "documents": [
            _document(links, item.document, item.display_title)
            for item in page.documents.select_related("document")
        ],
        "image": _image(links, page.image),
        "tags": _tags(page),
        "evaluations": [evaluation_ref(links, e) for e in page.live_evaluations],
        "practices": [practice_ref(links, p) for p in practices],
        "history": history(links, page),
    }


def history(links, page) -> list[dict]:
    """The published versions of a registration (RegistryVersion): the original registration
    and every published amendment with what it changed, as the site's history shows it."""
    record = RegistryHistory.for_page(page)
    base = page.get_url(links.request)
    versions = []
    for version in record.versions:
        route = (
            "registratie/"
            if version.is_original
            else page.reverse_subpage("version", args=[version.number])
        )
        versions.append(
            {
                "number": version.number,
                "published_at": _date(version.published_at),
                "is_original": version.is_original,
                "note": version.note,
                "web_url": links.absolute(base + route) if base else None,
                "changes": [
                    {
                        "field": change.name,
                        "label": str(change.label),
                        "old": change.old,
                        "new": change.new,
                    }
                    for change in version.changes
                ],
            }
        )
    return versions


def practice_detail(links, page) -> dict:
    source = page.source_experiment
    if source is not None:
        source = (
            type(source)
            .objects.live()
            .public()
            .filter(pk=source.pk, registration__isnull=False)
            .select_related("registration")
            .first()
        )
    evaluations = page.evaluations.live().public().order_by("-publication_date", "title")
    return {
        **_common(links, page, "praktijk", (page.municipality.slug, page.slug)),
        "municipality": municipality_ref(links, page.municipality),
        "neighbourhoods": [neighbourhood_ref(links, n) for n in page.neighbourhoods.all()],
        "themes": [theme_ref(links, t) for t in page.themes.all()],
        "experiment_type": experiment_type_ref(links, page.experiment_type)
        if page.experiment_type
        else None,
        "recognition_level": recognition_ref(links, page.recognition_level)
        if page.recognition_level
        else None,
        "source_experiment": experiment_ref(links, source) if source is not None else None,
        "period": page.period,
        "problem": links.html(page.problem),
        "approach": links.html(page.approach),
        "results": links.html(page.results),
        "success_conditions": links.html(page.success_conditions),
        "costs": links.html(page.costs),
        "contact_name": page.contact_name,
        "contact_organisation": page.contact_organisation,
        "image": _image(links, page.image),
        "document": _document(links, page.document),
        "tags": _tags(page),
        "evaluations": [evaluation_ref(links, e) for e in evaluations],
    }


def evaluation_detail(links, page) -> dict:
    experiments = (
        ExperimentPage.objects.filter(pk__in=[e.pk for e in page.experiments.all()])
        .live()
        .public()
        .filter(registration__isnull=False)
        .select_related("registration")
        .order_by("title")
    )
    practices = (
        PracticePage.objects.filter(pk__in=[p.pk for p in page.practices.all()])
        .live()
        .public()
        .select_related("municipality")
        .order_by("title")
    )
    return {
        **_common(links, page, "evaluatie", (page.slug,)),
        "kind": page.kind,
        "kind_label": str(dict(EvaluationKind.choices).get(page.kind, page.kind)),
        "method": page.method,
        "method_label": str(dict(EvaluationMethod.choices).get(page.method, page.method)),
        "evaluator": page.evaluator,
        "knowledge_centre": centre_ref(links, page.knowledge_centre)
        if page.knowledge_centre
        else None,
        "publication_date": _date(page.publication_date),
        "themes": [theme_ref(links, t) for t in page.themes.all()],
        "recognition_level": recognition_ref(links, page.recognition_level)
        if page.recognition_level
        else None,
        "findings": links.html(page.findings),
        "report": _document(links, page.report),
        "tags": _tags(page),
        "experiments": [experiment_ref(links, e) for e in experiments],
        "practices": [practice_ref(links, p) for p in practices],
    }


def _body_blocks(links, body) -> list[dict]:
    blocks = []
    for block in body or []:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            value = links.html(value.source)
        elif kind == "image":
            image = getattr(value, "image", value)
            value = {
                **(_image(links, image) or {}),
                "alt_text": getattr(value, "contextual_alt_text", "") or "",
            }
        elif kind == "document":
            value = _document(links, value)
        else:
            value = str(value)
        blocks.append({"type": kind, "value": value})
    return blocks


def expertise_detail(links, page) -> dict:
    centre = page.knowledge_centre
    return {
        **_common(links, page, "kennisproduct", (centre.slug, page.slug)),
        "kind": page.kind,
        "kind_label": str(dict(ExpertiseKind.choices).get(page.kind, page.kind)),
        "knowledge_centre": centre_ref(links, centre),
        "authors": page.authors,
        "publication_date": _date(page.publication_date),
        "themes": [theme_ref(links, t) for t in page.themes.all()],
        "experiment_types": [experiment_type_ref(links, t) for t in page.experiment_types.all()],
        "body": _body_blocks(links, page.body),
        "document": _document(links, page.document),
        "tags": _tags(page),
    }


def withdrawn_title(registration) -> str:
    """The title a withdrawn registration's tombstone shows: its page's, which is the title it
    last had in public (a withdrawal unpublishes the page, drafts never reach its title)."""
    return registration.page.title if registration.page is not None else registration.title


def withdrawal(links, registration) -> dict:
    """A withdrawn registration: what its tombstone says, and where it is."""
    page = registration.page
    web_url = page.get_url(links.request) if page is not None else None
    return {
        "registration_number": registration.number,
        "title": withdrawn_title(registration),
        "registered_at": _date(registration.registered_at),
        "withdrawn_at": _date(registration.withdrawn_at),
        "withdrawal_reason": registration.withdrawal_reason,
        "url": links.api("experiment", registration.number),
        "web_url": links.absolute(web_url) if web_url else None,
    }


def withdrawn_message() -> str:
    return _(
        "This registration has been withdrawn; only its number, title and the reason are public."
    )


def centre_pages() -> dict[int, KnowledgeCentrePage]:
    return {p.knowledge_centre_id: p for p in KnowledgeCentrePage.objects.live().public()}


# --- The programme's loop --------------------------------------------------------------------


def _number(value):
    return float(value) if value is not None else None


def ministry_data(ministry) -> dict:
    return {"id": ministry.slug, "name": ministry.name, "abbreviation": ministry.abbreviation}


def action_plan_ref(links, page):
    return content_ref(
        links, "wijkactieplan", (page.municipality.slug, page.slug), page.title, page
    )


def barrier_ref(links, page):
    return content_ref(links, "belemmering", (page.slug,), page.title, page)


def _public_pages(model, pks):
    return model.objects.filter(pk__in=pks).live().public().order_by("title")


def action_plan_detail(links, page) -> dict:
    values = {}
    # The monitor's values are public data; who entered them (entered_by) is not read.
    for value in page.indicator_values.order_by("year").only(
        "indicator_code", "year", "value", "source", "note"
    ):
        values.setdefault(value.indicator_code, []).append(
            {
                "year": value.year,
                "value": float(value.value),
                "source": value.source,
                "note": value.note,
            }
        )
    activities = {}
    for activity in page.activities.all():
        activities.setdefault(activity.goal_code, []).append(
            {
                "description": activity.description,
                "partner": activity.partner,
                "partner_role": activity.partner_role,
                "unit": activity.unit,
                "planned_quantity": float(activity.planned_quantity),
                "realised_quantity": _number(activity.realised_quantity),
                "budget": _number(activity.budget),
            }
        )
    goals = list(page.goals.select_related("theme"))
    experiments = (
        _public_pages(ExperimentPage, [e.pk for e in page.experiments.all()])
        .not_withdrawn()
        .filter(registration__isnull=False)
        .select_related("registration")
    )
    barriers = _public_pages(BarrierPage, page.barriers.values_list("pk", flat=True))
    return {
        **_common(links, page, "wijkactieplan", (page.municipality.slug, page.slug)),
        "municipality": municipality_ref(links, page.municipality),
        "neighbourhoods": [neighbourhood_ref(links, n) for n in page.neighbourhoods.all()],
        "themes": [theme_ref(links, t) for t in {g.theme.slug: g.theme for g in goals}.values()],
        "adopted_on": _date(page.adopted_on),
        "period_start": page.period_start,
        "period_end": page.period_end,
        "problem_analysis": links.html(page.problem_analysis),
        "residents_budget": _number(page.residents_budget),
        "residents_budget_note": page.residents_budget_note,
        "requests_to_government": links.html(page.requests_to_government),
        "goals": [
            {
                "code": goal.code,
                "theme": theme_ref(links, goal.theme),
                "goal": goal.goal,
                "indicator": goal.indicator,
                "unit": goal.unit,
                "direction": goal.direction,
                "baseline_year": goal.baseline_year,
                "baseline_value": float(goal.baseline_value),
                "target_year": goal.target_year,
                "target_value": float(goal.target_value),
                "source": goal.source,
                "values": values.get(goal.code, []),
                "activities": activities.get(goal.code, []),
            }
            for goal in goals
        ],
        "experiments": [experiment_ref(links, e) for e in experiments],
        "barriers": [barrier_ref(links, b) for b in barriers],
    }


def charter_detail(links, page) -> dict:
    plans = (
        NeighbourhoodActionPlanPage.objects.live()
        .public()
        .filter(municipality_id=page.municipality_id)
        .select_related("municipality")
        .order_by("title")
    )
    return {
        **_common(links, page, "charter", (page.municipality.slug,)),
        "municipality": municipality_ref(links, page.municipality),
        "signed_on": _date(page.signed_on),
        "signatories": [
            {
                "party": s.party,
                "name": s.name,
                "function": s.function,
                "organisation": s.organisation,
            }
            for s in page.signatories.all()
        ],
        "commitments": [
            {
                "party": c.party,
                "partner": c.partner,
                "theme": theme_ref(links, c.theme),
                "commitment": c.commitment,
                "goal_code": c.goal_code,
            }
            for c in page.commitments.select_related("theme")
        ],
        "action_plans": [action_plan_ref(links, p) for p in plans],
    }


def barrier_detail(links, page) -> dict:
    raised_by = raising_pages(page)
    experiments = [p for p in raised_by if isinstance(p, ExperimentPage)]
    plans = [p for p in raised_by if not isinstance(p, ExperimentPage)]
    municipalities = {p.municipality.slug: p.municipality for p in raised_by}
    prefetch_related_objects(experiments, "registration")
    return {
        **_common(links, page, "belemmering", (page.slug,)),
        "kind": page.kind,
        "kind_label": str(dict(BarrierKind.choices).get(page.kind, page.kind)),
        "ministry": ministry_data(page.ministry),
        "regulation": page.regulation,
        "description": links.html(page.description),
        "themes": [theme_ref(links, t) for t in page.themes.all()],
        "municipalities": [
            municipality_ref(links, m) for _slug, m in sorted(municipalities.items())
        ],
        "received_on": _date(page.received_on),
        "status": page.status,
        "status_label": str(dict(BarrierStatus.choices).get(page.status, page.status)),
        "answer": links.html(page.answer),
        "answered_on": _date(page.answered_on),
        "experiments": [
            experiment_ref(links, e) for e in sorted(experiments, key=lambda e: e.title)
        ],
        "action_plans": [action_plan_ref(links, p) for p in sorted(plans, key=lambda p: p.title)],
    }


def event_detail(links, page) -> dict:
    knowledge = []
    for link in page.knowledge_links.select_related("page"):
        target = link.page.specific
        kind = kind_of(target)
        if kind is None or not target.live:
            continue
        parts = _id_parts(target, kind)
        if parts:
            knowledge.append(content_ref(links, kind.key, parts, target.title, target))
    return {
        **_common(links, page, "bijeenkomst", (page.slug,)),
        "kind": page.kind,
        "kind_label": page.get_kind_display(),
        "status": page.status,
        "status_label": page.get_status_display(),
        "cancellation_reason": page.cancellation_reason,
        "starts_at": page.starts_at.isoformat(),
        "ends_at": page.ends_at.isoformat(),
        "venue": page.venue,
        "address": page.address,
        "online": page.online,
        "municipality": municipality_ref(links, page.municipality) if page.municipality else None,
        "neighbourhoods": [neighbourhood_ref(links, n) for n in page.neighbourhoods.all()],
        "themes": [theme_ref(links, t) for t in page.themes.all()],
        "knowledge_centre": centre_ref(links, page.organiser) if page.organiser else None,
        "programme": links.html(page.programme),
        "registration_open": page.registration_open,
        "capacity": page.capacity,
        "calendar_url": links.absolute(page.url + "ical/"),
        "report": links.html(page.report),
        "presentations": [
            {
                "title": p.title,
                "speaker": p.speaker,
                "document": _document(links, p.document, p.title),
            }
            for p in page.presentations.select_related("document")
        ],
        "knowledge": knowledge,
    }


def _id_parts(page, kind) -> tuple[str, ...]:
    """A page's API identifier, read through its kind's id_fields ("registration__number")."""
    parts = []
    for lookup in kind.id_fields:
        value = page
        for attribute in lookup.split("__"):
            value = getattr(value, attribute, None)
        if not value:
            return ()
        parts.append(str(value))
    return tuple(parts)
