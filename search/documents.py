"""The document builder: the one place that knows how content pages become search documents.

Content apps know nothing of the index; both engines store what `build_documents` returns.
A document is a plain dict (it is stored as JSON and sent to Elasticsearch as is):

    page_id, type, title, summary, body, labels_text, url, date, year, published_at,
    registration_number, facets {facet key: [values]}, names {facet key: [labels]}, tags,
    and for experiments results_due (the date results are owed, if they are) and has_evaluation (bool)
"""

import datetime as dt
import re
from html import unescape

from django.utils.html import strip_tags
from wagtail.models import Page, Site

from agenda.models import EventPage
from core.kinds import CONTENT_KINDS, kind_of
from experiments.choices import RESULTS_OWED_STATUSES
from experiments.models import ExperimentPage, Registration
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from kennisbank.recognition import live_evaluations, recognition_level
from programme.models import BarrierPage, CharterPage, NeighbourhoodActionPlanPage

from .facets import neighbourhood_key


def content_page_counts() -> dict[str, int]:
    """How many content pages of each model the database holds, in any state (models without
    any left out): the commands that replace the search index refuse to run where there are."""
    counts = {kind.model.__name__: kind.model.objects.count() for kind in CONTENT_KINDS}
    return {name: n for name, n in counts.items() if n}


def html_to_text(html: str) -> str:
    # Tags become spaces first, so "<p>a.</p><p>b</p>" does not glue into "a.b".
    return " ".join(unescape(strip_tags(re.sub(r"<[^>]+>", " ", html or ""))).split())


def _stream_text(value) -> str:
    if not value:
        return ""
    parts = value.stream_block.get_searchable_content(value)
    return " ".join(html_to_text(p) for p in parts if p)


def _public(queryset):
    return queryset.live().public()


def public_content_querysets(page_ids=None):
    """Querysets of every published, public content page (optionally only `page_ids`), with
    what the builder reads prefetched, so building is a fixed number of queries."""
    querysets = [
        _public(ExperimentPage.objects)
        .select_related("municipality", "experiment_type", "registration")
        .prefetch_related("neighbourhoods__municipality", "themes", "tags", live_evaluations()),
        _public(PracticePage.objects)
        .select_related("municipality", "experiment_type", "recognition_level")
        .prefetch_related("neighbourhoods__municipality", "themes", "tags"),
        _public(EvaluationPage.objects)
        .select_related("recognition_level", "knowledge_centre")
        .prefetch_related(
            "themes",
            "tags",
            "experiments__municipality",
            "experiments__neighbourhoods__municipality",
            "experiments__experiment_type",
            "practices__municipality",
            "practices__neighbourhoods__municipality",
            "practices__experiment_type",
        ),
        _public(ExpertisePage.objects)
        .select_related("knowledge_centre")
        .prefetch_related("themes", "experiment_types", "tags", "neighbourhoods__municipality"),
        _public(NeighbourhoodActionPlanPage.objects)
        .select_related("municipality")
        .prefetch_related("neighbourhoods__municipality", "goals__theme", "activities"),
        _public(CharterPage.objects)
        .select_related("municipality")
        .prefetch_related("signatories", "commitments__theme"),
        _public(BarrierPage.objects).select_related("ministry").prefetch_related("themes"),
        _public(EventPage.objects)
        .select_related("municipality", "organiser")
        .prefetch_related("neighbourhoods__municipality", "themes"),
    ]
    if page_ids is not None:
        querysets = [qs.filter(pk__in=page_ids) for qs in querysets]
    return querysets


def by_pk_in_chunks(queryset, chunk_size=500):
    """Every row of `queryset` in primary-key order, read `chunk_size` at a time (keyset
    paging: no OFFSET, and a large table is never held in memory at once)."""
    queryset = queryset.order_by("pk")
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk)[:chunk_size])
        if not chunk:
            return
        yield from chunk
        last_pk = chunk[-1].pk


def iter_documents(page_ids=None, chunk_size=500):
    """Every public content page's document (or only those of `page_ids` that are public)."""
    site = Site.objects.filter(is_default_site=True).first()
    for queryset in public_content_querysets(page_ids):
        for page in by_pk_in_chunks(queryset, chunk_size):
            yield build_document(page, site)


def build_documents(page_ids) -> dict[int, dict]:
    return {doc["page_id"]: doc for doc in iter_documents(page_ids)}


def _names(items, attribute="name"):
    return [getattr(item, attribute) for item in items]


def _document(page, site, doc_type, *, summary, body, date, facets, names):
    published = page.first_published_at
    date = date or (published.date() if published else None)
    facets = {key: sorted(set(values)) for key, values in facets.items() if values}
    facets["type"] = [doc_type]
    if date:
        facets["year"] = [str(date.year)]
    # The programme's pages have no tags.
    tags = sorted(tag.name for tag in page.tags.all()) if hasattr(page, "tags") else []
    names = {key: values for key, values in names.items() if values}
    return {
        "page_id": page.pk,
        "type": doc_type,
        "title": page.title,
        "summary": summary or "",
        "body": body,
        # Names of the wijken, gemeente, themes etc., so a text search for them matches too
        # (and an experiment's registration number, added by _experiment).
        "labels_text": " ".join([*(n for values in names.values() for n in values), *tags]),
        "url": page.relative_url(site) if site else page.url,
        "date": date.isoformat() if date else None,
        "year": date.year if date else None,
        "published_at": published.isoformat() if published else None,
        "registration_number": "",
        "facets": facets,
        "names": names,
        "tags": tags,
    }


def build_document(page, site=None) -> dict:
    doc_type = kind_of(page).key
    builder = {
        "experiment": _experiment,
        "praktijk": _practice,
        "evaluatie": _evaluation,
        "kennisproduct": _expertise,
        "wijkactieplan": _action_plan,
        "charter": _charter,
        "belemmering": _barrier,
        "bijeenkomst": _event,
    }[doc_type]
    return builder(page, site)


def _place_facets(pages_or_page):
    """Municipality, wijken and experiment types of one or more experiments/practices."""
    municipalities, wijken, types = {}, {}, {}
    for page in pages_or_page:
        if page.municipality_id:
            municipalities[page.municipality.slug] = page.municipality.name
        for n in page.neighbourhoods.all():
            wijken[neighbourhood_key(n)] = n.name
        if page.experiment_type_id:
            types[page.experiment_type.slug] = page.experiment_type.name
    return municipalities, wijken, types


def _experiment(page, site):
    municipalities, wijken, types = _place_facets([page])
    themes = list(page.themes.all())
    best = recognition_level(page)
    body = " ".join(
        html_to_text(getattr(page, field))
        for field in (
            "problem_analysis",
            "goals",
            "activities",
            "mandate",
            "research_design",
            "obstacles",
            "request_to_government",
        )
    )
    body = " ".join(filter(None, [body, page.target_group]))
    doc = _document(
        page,
        site,
        "experiment",
        summary=page.summary,
        body=body,
        date=page.start_date,
        facets={
            "municipality": list(municipalities),
            "neighbourhood": list(wijken),
            "theme": [t.slug for t in themes],
            "experiment_type": list(types),
            "status": [page.status] if page.status else [],
            "recognition": [best.slug] if best else [],
        },
        names={
            "municipality": list(municipalities.values()),
            "neighbourhood": list(wijken.values()),
            "theme": _names(themes),
            "experiment_type": list(types.values()),
            "recognition": [best.name] if best else [],
        },
    )
    registration = getattr(page, "registration", None)
    doc["registration_number"] = registration.number if registration else ""
    doc["labels_text"] = " ".join(filter(None, [doc["labels_text"], doc["registration_number"]]))
    # "Resultaten te laat" depends on today's date, so the document keeps its ingredients and
    # the card decides (search.service); publishing an evaluation reindexes the experiment.
    # Only a running or completed experiment owes results: the others have no due date here.
    due = page.results_due_date if page.status in RESULTS_OWED_STATUSES else None
    doc["results_due"] = due.isoformat() if due else None
    doc["has_evaluation"] = page.has_live_evaluation
    return doc


def _practice(page, site):
    municipalities, wijken, types = _place_facets([page])
    themes = list(page.themes.all())
    level = page.recognition_level
    body = " ".join(
        html_to_text(getattr(page, field))
        for field in ("problem", "approach", "results", "success_conditions", "costs")
    )
    return _document(
        page,
        site,
        "praktijk",
        summary=page.summary,
        body=body,
        date=None,
        facets={
            "municipality": list(municipalities),
            "neighbourhood": list(wijken),
            "theme": [t.slug for t in themes],
            "experiment_type": list(types),
            "recognition": [level.slug] if level else [],
        },
        names={
            "municipality": list(municipalities.values()),
            "neighbourhood": list(wijken.values()),
            "theme": _names(themes),
            "experiment_type": list(types.values()),
            "recognition": [level.name] if level else [],
        },
    )


def _evaluation(page, site):
    # An evaluation is placed where what it evaluates took place.
    evaluated = [p for p in [*page.experiments.all(), *page.practices.all()] if p.live]
    if evaluated:  # a private experiment must not place a public evaluation
        public = set(
            Page.objects.filter(pk__in=[p.pk for p in evaluated])
            .public()
            .values_list("pk", flat=True)
        )
        evaluated = [p for p in evaluated if p.pk in public]
    municipalities, wijken, types = _place_facets(evaluated)
    themes = list(page.themes.all())
    level, centre = page.recognition_level, page.knowledge_centre
    body = " ".join(filter(None, [html_to_text(page.findings), page.evaluator]))
    return _document(
        page,
        site,
        "evaluatie",
        summary=page.summary,
        body=body,
        date=page.publication_date,
        facets={
            "municipality": list(municipalities),
            "neighbourhood": list(wijken),
            "theme": [t.slug for t in themes],
            "experiment_type": list(types),
            "recognition": [level.slug] if level else [],
            "centre": [centre.slug] if centre else [],
        },
        names={
            "municipality": list(municipalities.values()),
            "neighbourhood": list(wijken.values()),
            "theme": _names(themes),
            "experiment_type": list(types.values()),
            "recognition": [level.name] if level else [],
            "centre": [centre.name, centre.abbreviation] if centre else [],
        },
    )


def _expertise(page, site):
    themes = list(page.themes.all())
    types = list(page.experiment_types.all())
    wijken = list(page.neighbourhoods.all())
    # The gemeenten of the wijken it is about: filtering on a gemeente finds it too.
    municipalities = {n.municipality.slug: n.municipality.name for n in wijken}
    centre = page.knowledge_centre
    body = " ".join(filter(None, [_stream_text(page.body), page.authors]))
    return _document(
        page,
        site,
        "kennisproduct",
        summary=page.summary,
        body=body,
        date=page.publication_date,
        facets={
            "municipality": list(municipalities),
            "neighbourhood": [neighbourhood_key(n) for n in wijken],
            "theme": [t.slug for t in themes],
            "experiment_type": [t.slug for t in types],
            "centre": [centre.slug] if centre else [],
        },
        names={
            "municipality": list(municipalities.values()),
            "neighbourhood": _names(wijken),
            "theme": _names(themes),
            "experiment_type": _names(types),
            "centre": [centre.name, centre.abbreviation] if centre else [],
        },
    )


def _action_plan(page, site):
    wijken = list(page.neighbourhoods.all())
    goals, activities = list(page.goals.all()), list(page.activities.all())
    themes = {goal.theme.slug: goal.theme.name for goal in goals}
    body = " ".join(
        filter(
            None,
            [
                html_to_text(page.problem_analysis),
                *(f"{goal.goal} {goal.indicator}" for goal in goals),
                *(f"{activity.description} {activity.partner}" for activity in activities),
                page.residents_budget_note,
                html_to_text(page.requests_to_government),
            ],
        )
    )
    municipality = page.municipality
    return _document(
        page,
        site,
        "wijkactieplan",
        summary=page.summary,
        body=body,
        # Adopted on a day, or else from its first year on.
        date=page.adopted_on or dt.date(page.period_start, 1, 1),
        facets={
            "municipality": [municipality.slug],
            "neighbourhood": [neighbourhood_key(n) for n in wijken],
            "theme": list(themes),
        },
        names={
            "municipality": [municipality.name],
            "neighbourhood": _names(wijken),
            "theme": list(themes.values()),
        },
    )


def _live_plans_of(municipality_id):
    return _public(NeighbourhoodActionPlanPage.objects).filter(municipality_id=municipality_id)


def _charter(page, site):
    # A charter covers the gemeente's wijken that have a published plan: a search on such a
    # wijk finds the charter that binds gemeente and Rijk there too.
    wijken = {
        neighbourhood_key(n): n.name
        for plan in _live_plans_of(page.municipality_id).prefetch_related(
            "neighbourhoods__municipality"
        )
        for n in plan.neighbourhoods.all()
    }
    commitments, signatories = list(page.commitments.all()), list(page.signatories.all())
    themes = {c.theme.slug: c.theme.name for c in commitments}
    body = " ".join(
        [
            *(" ".join(filter(None, [c.partner, c.commitment])) for c in commitments),
            *(" ".join(filter(None, [s.name, s.function, s.organisation])) for s in signatories),
        ]
    )
    municipality = page.municipality
    return _document(
        page,
        site,
        "charter",
        summary=page.summary,
        body=body,
        date=page.signed_on,
        facets={
            "municipality": [municipality.slug],
            "neighbourhood": list(wijken),
            "theme": list(themes),
        },
        names={
            "municipality": [municipality.name],
            "neighbourhood": list(wijken.values()),
            "theme": list(themes.values()),
        },
    )


def raising_pages(barrier) -> list:
    """The published, public registrations (not withdrawn) and plans that raise a barrier."""
    experiments = _public(barrier.experiments).exclude(registration__withdrawn_at__isnull=False)
    plans = _public(barrier.action_plans)
    return [
        *experiments.select_related("municipality").prefetch_related(
            "neighbourhoods__municipality"
        ),
        *plans.select_related("municipality").prefetch_related("neighbourhoods__municipality"),
    ]


def _barrier(page, site):
    # Placed wherever it is raised: one document per entry, so an entry raised by seven
    # registrations counts once for each gemeente and wijk.
    raised_by = raising_pages(page)
    municipalities = {p.municipality.slug: p.municipality.name for p in raised_by}
    wijken = {neighbourhood_key(n): n.name for p in raised_by for n in p.neighbourhoods.all()}
    themes = list(page.themes.all())
    ministry = page.ministry
    body = " ".join(
        filter(
            None,
            [html_to_text(page.description), page.regulation, html_to_text(page.answer)],
        )
    )
    return _document(
        page,
        site,
        "belemmering",
        summary=page.summary,
        body=body,
        date=page.received_on,
        facets={
            "municipality": list(municipalities),
            "neighbourhood": list(wijken),
            "theme": [t.slug for t in themes],
            "ministry": [ministry.slug],
            "barrier_status": [page.status],
        },
        names={
            "municipality": list(municipalities.values()),
            "neighbourhood": list(wijken.values()),
            "theme": _names(themes),
            "ministry": [ministry.name, ministry.abbreviation],
        },
    )


def _event(page, site):
    # An event has no tags and says nothing of who registered: registrations are personal data.
    wijken = list(page.neighbourhoods.all())
    themes = list(page.themes.all())
    municipalities = {n.municipality.slug: n.municipality.name for n in wijken}
    if page.municipality_id:
        municipalities[page.municipality.slug] = page.municipality.name
    centre = page.organiser
    body = " ".join(
        filter(
            None,
            [
                html_to_text(page.programme),
                html_to_text(page.report),
                page.venue,
                page.address,
                page.cancellation_reason,
            ],
        )
    )
    return _document(
        page,
        site,
        "bijeenkomst",
        summary=page.summary,
        body=body,
        date=page.starts_at.date(),
        facets={
            "municipality": list(municipalities),
            "neighbourhood": [neighbourhood_key(n) for n in wijken],
            "theme": [t.slug for t in themes],
            "centre": [centre.slug] if centre else [],
        },
        names={
            "municipality": list(municipalities.values()),
            "neighbourhood": _names(wijken),
            "theme": _names(themes),
            "centre": [centre.name, centre.abbreviation] if centre else [],
        },
    )


def registered_page_ids(numbers) -> list[int]:
    """The experiments that have these registration numbers (KW-2011-0007)."""
    return list(
        Registration.objects.filter(number__in=numbers, page__isnull=False).values_list(
            "page_id", flat=True
        )
    )


# How many of an evaluation's latest revisions are read for links it had before.
RECENT_REVISIONS = 20


def related_page_ids(page) -> set[int]:
    """Other pages whose documents read from `page`: an experiment's recognition level comes
    from its evaluations, an evaluation is placed where its experiments and practices are, a
    barrier where the registrations and plans that raise it are, and a charter covers the
    wijken of its gemeente's plans.
    For an evaluation that includes what its recent revisions linked: an experiment it no
    longer evaluates must lose its recognition level too."""
    if isinstance(page, EvaluationPage):
        linked = {
            *page.experiments.values_list("pk", flat=True),
            *page.practices.values_list("pk", flat=True),
        }
        for content in page.revisions.order_by("-created_at").values_list("content", flat=True)[
            :RECENT_REVISIONS
        ]:
            linked.update(
                int(pk)
                for pk in (content.get("experiments") or []) + (content.get("practices") or [])
            )
        return linked
    if isinstance(page, ExperimentPage):
        # A barrier is placed where the registrations that raise it are.
        return {
            *page.evaluations.values_list("pk", flat=True),
            *page.barriers.values_list("pk", flat=True),
        }
    if isinstance(page, PracticePage):
        return set(page.evaluations.values_list("pk", flat=True))
    if isinstance(page, NeighbourhoodActionPlanPage):
        # Its barriers are placed in its wijken, and its gemeente's charter covers them.
        return {
            *page.barriers.values_list("pk", flat=True),
            *CharterPage.objects.filter(municipality_id=page.municipality_id).values_list(
                "pk", flat=True
            ),
        }
    return set()
