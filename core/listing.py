"""Helpers every listing uses: one page of results, and counts per related item. They sit at
the floor so that every app can import them without pointing upwards."""

from django.core.paginator import Page, Paginator
from django.db.models import Count

PAGE_SIZE = 20


def page_of(request, queryset, param: str = "page") -> Page:
    # get_page() turns a missing, odd or too large page number into a real page.
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


def count_per(pages, relation: str, counted: str = "pk") -> dict[int, int]:
    """{related id: number of distinct `counted`} over a page queryset, in one grouped query.

    Pass the same live/public queryset the listing shows, so counts and lists agree. Counting
    two relations in one annotated query joins both and multiplies the rows (seconds at
    10,000 pages), so every count on these pages goes through here.
    """
    # Wagtail orders pages by path; without order_by() the grouping would be per page.
    rows = pages.order_by().values_list(relation).annotate(n=Count(counted, distinct=True))
    return {related_id: n for related_id, n in rows if related_id is not None}
