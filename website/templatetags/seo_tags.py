"""{% head_meta %} (canonical URL, Open Graph) and {% structured_data page %} (schema.org
JSON-LD), whose work is done in website/seo.py, and {% printed_address %}."""

from django import template

from core.absolute_urls import absolute_url, site_url
from website import seo

register = template.Library()


@register.inclusion_tag("components/head_meta.html", takes_context=True)
def head_meta(context):
    return {"meta": seo.head_meta(context)}


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    return seo.structured_data(context, page)


@register.simple_tag(takes_context=True)
def printed_address(context) -> str:
    """The address of the page being shown, on SITE_URL and with its query (a search printed
    says what was searched), for the heading of the printed page. A view whose query is no
    content (a signed token) gives the path to print as `printed_path`."""
    if context.get("printed_path"):
        return absolute_url(context["printed_path"])
    request = context.get("request")
    return absolute_url(request.get_full_path()) if request is not None else site_url()
