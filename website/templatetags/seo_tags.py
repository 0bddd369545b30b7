"""{% head_meta %} (canonical URL, Open Graph) and {% structured_data page %} (schema.org
JSON-LD); the work is done in website/seo.py."""

from django import template

from website import seo

register = template.Library()


@register.inclusion_tag("components/head_meta.html", takes_context=True)
def head_meta(context):
    return {"meta": seo.head_meta(context)}


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    return seo.structured_data(context, page)
