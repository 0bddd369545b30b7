"""Template helpers for links into the routable wijk and experiment-type pages (made by
places.links, which looks the index pages up once per request), and the breadcrumb trail."""

from django import template
from django.utils.translation import gettext as _

from places.links import PlaceLinks, search_url

register = template.Library()


@register.simple_tag(takes_context=True)
def wijk_url(context, neighbourhood) -> str:
    return PlaceLinks.for_request(context.get("request")).neighbourhood(neighbourhood) or ""


@register.simple_tag(takes_context=True)
def municipality_wijken_url(context, municipality) -> str:
    return PlaceLinks.for_request(context.get("request")).municipality(municipality) or ""


@register.simple_tag(takes_context=True)
def experiment_type_url(context, experiment_type) -> str:
    return PlaceLinks.for_request(context.get("request")).experiment_type(experiment_type) or ""


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


@register.simple_tag
def search_link(**params) -> str:
    """/zoeken/ with filters fixed: {% search_link thema=theme.slug %}."""
    return search_url(**params)
