"""The one pagination helper every listing uses (it sits at the floor so that every app can
import it without pointing upwards)."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 20


def page_of(request, queryset, param: str = "page") -> Page:
    # get_page() turns a missing, odd or too large page number into a real page.
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))
