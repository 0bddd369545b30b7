"""Template helpers for links into the routable wijk and experiment-type pages, and the
breadcrumb trail. The index pages are looked up once per request."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _index_url(context, model_name: str) -> str:
    from places.models import ExperimentTypeIndexPage, NeighbourhoodIndexPage

    request = context.get("request")
    cache = getattr(request, "_index_urls", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._index_urls = cache
    if model_name not in cache:
        model = {"wijken": NeighbourhoodIndexPage, "types": ExperimentTypeIndexPage}[model_name]
        index_page = model.objects.live().first()
        cache[model_name] = index_page.get_url(request) if index_page else None
    return cache[model_name]


@register.simple_tag(takes_context=True)
def wijk_url(context, neighbourhood) -> str:
    base = _index_url(context, "wijken")
    return f"{base}{neighbourhood.municipality.slug}/{neighbourhood.slug}/" if base else ""


@register.simple_tag(takes_context=True)
def municipality_wijken_url(context, municipality) -> str:
    base = _index_url(context, "wijken")
    return f"{base}{municipality.slug}/" if base else ""


@register.simple_tag(takes_context=True)
def experiment_type_url(context, experiment_type) -> str:
    base = _index_url(context, "types")
    return f"{base}{experiment_type.slug}/" if base else ""


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Home > ancestors > this page (> routable sub-pages given as `crumbs`)."""
    page = context.get("page")
    request = context.get("request")
    trail = []
    if page is not None and (page.depth or 0) > 2:
        for ancestor in page.get_ancestors().filter(depth__gte=2):
            title = _("Home") if ancestor.depth == 2 else ancestor.title
            trail.append((title, ancestor.get_url(request)))
        crumbs = context.get("crumbs") or []
        trail.append((page.title, page.get_url(request) if crumbs else None))
        trail.extend(crumbs)
    elif page is not None and context.get("crumbs"):
        trail.append((_("Home"), "/"))
        trail.extend(context["crumbs"])
    return {"trail": trail}


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string with `param` set to `number`, so paging one list keeps the
    rest of the state (another list's page, filters)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={number}"
    query[param] = number
    return "?" + query.urlencode()
