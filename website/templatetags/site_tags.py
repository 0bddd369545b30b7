"""Template helpers for links into the routable wijk and experiment-type pages (made by
places.links, which looks the index pages up once per request), the breadcrumb trail and the
footer's links."""

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from core.freshness import per_state, site_key
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
def demo_content() -> bool:
    """Whether the site says its content is fictional (website.SiteInformation)."""
    return _demo_content()


@per_state
def _demo_content() -> bool:
    from website.models import SiteInformation

    return SiteInformation.load().demo_content


@register.inclusion_tag("components/footer_links.html", takes_context=True)
def footer_links(context):
    """The colofon, contact, privacy, cookie and accessibility pages below the home page (made
    by website.structure), in that order, titled as their editors title them."""
    return {"links": _footer_links(context.get("request"))}


@per_state(key=site_key)
def _footer_links(request):
    """Worked out once per site after each change: one query."""
    from website.structure import STATEMENT_PAGES

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    found = {
        page.slug: page
        for page in Page.objects.child_of(site.root_page)
        .live()
        .public()
        .filter(slug__in=STATEMENT_PAGES)
    }
    return [
        (found[slug].title, found[slug].get_url(request))
        for slug in STATEMENT_PAGES
        if slug in found
    ]


@register.simple_tag
def search_link(**params) -> str:
    """/zoeken/ with filters fixed: {% search_link thema=theme.slug %}."""
    return search_url(**params)
