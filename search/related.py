"""Related items on a content page: a few other published, public pages of the same kind,
read from the database search index (which holds exactly those: drafts, private pages and
withdrawn registrations are never in it), in three small queries whatever the size of the registry.

The rule, in order: pages sharing more of its wijken first, then those of the same experiment
type, then those sharing more of its themes, then the newest. A page related by none of these
is not shown; the page itself never is."""

from django.db.models import Count, F, Q

from .models import SearchDocument, SearchFacetValue
from .service import ResultCard, card_of

RELATED_LIMIT = 4
# The facets that relate two pages, in the order they weigh.
RELATING_FACETS = ("neighbourhood", "experiment_type", "theme")


def related_cards(page, limit: int = RELATED_LIMIT) -> list[ResultCard]:
    own = {}
    for facet, value in SearchFacetValue.objects.filter(
        document_id=page.pk, facet__in=("type", *RELATING_FACETS)
    ).values_list("facet", "value"):
        own.setdefault(facet, []).append(value)
    kind = own.pop("type", [None])[0]
    if kind is None or not own:  # not indexed (a preview, a private page), or nothing relates
        return []
    shared = Q()
    for facet, values in own.items():
        shared |= Q(facet_values__facet=facet, facet_values__value__in=values)

    def shared_count(facet):
        # Counts over the join the filter above narrowed to the shared values only.
        return Count("facet_values", filter=Q(facet_values__facet=facet))

    ranked = (
        SearchDocument.objects.filter(shared, content_type=kind)
        .exclude(page_id=page.pk)
        .values("page_id")  # grouped by page only, not by the stored document
        .annotate(**{f"shared_{facet}": shared_count(facet) for facet in RELATING_FACETS})
        .order_by(
            *(f"-shared_{facet}" for facet in RELATING_FACETS),
            F("sort_date").desc(nulls_last=True),
            "title",
        )
        .values_list("page_id", flat=True)[:limit]
    )
    page_ids = list(ranked)
    documents = SearchDocument.objects.in_bulk(page_ids)
    return [card_of(documents[page_id].data) for page_id in page_ids if page_id in documents]
