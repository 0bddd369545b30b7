"""The component layer of the public templates: the pieces pages are built from. Each tag but
{% fact %} renders a template in templates/components/, whose header says what it takes.

    {% fact _("Label") %}value{% endfact %}   a row of a <dl>, left out when the value is empty
    {% term_list terms link="wijk" %}           names, comma-separated or as a <ul>
    {% date value %}                            a date in a <time> element
    {% experiment_card page %}, {% practice_card page %}, {% evaluation_card page %},
    {% expertise_card page %}                   the cards of the listings
    {% main_menu %}                             the main menu, from the page tree
"""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from core.freshness import per_state, site_key

register = template.Library()


class FactNode(template.Node):
    def __init__(self, label, nodelist):
        self.label = label
        self.nodelist = nodelist

    def render(self, context):
        value = self.nodelist.render(context)
        if not value.strip():
            return ""
        return format_html("<div><dt>{}</dt><dd>{}</dd></div>", self.label.resolve(context), value)


@register.tag
def fact(parser, token):
    """{% fact label %}value{% endfact %}: one label and its value in a <dl>, as
    <div><dt>label</dt><dd>value</dd></div>. A value that renders empty (or only whitespace)
    leaves the whole row out, so an optional field needs no {% if %} of its own."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument, the label")
    nodelist = parser.parse(("endfact",))
    parser.delete_first_token()
    return FactNode(parser.compile_filter(bits[1]), nodelist)


@register.inclusion_tag("components/term_list.html", takes_context=True)
def term_list(context, terms, link="", bullets=False, list_class=""):
    return {
        "request": context.get("request"),
        "terms": terms,
        "link": link,
        "bullets": bullets,
        "list_class": list_class,
    }


@register.inclusion_tag("components/date.html")
def date(value, day_only=False):
    has_time = isinstance(value, dt.datetime) and not day_only
    return {"value": value, "machine_format": "c" if has_time else "Y-m-d"}


def _card(context, item):
    return {"request": context.get("request"), "item": item}


@register.inclusion_tag("components/experiment_card.html", takes_context=True)
def experiment_card(context, experiment):
    return _card(context, experiment)


@register.inclusion_tag("components/practice_card.html", takes_context=True)
def practice_card(context, practice):
    return _card(context, practice)


@register.inclusion_tag("components/evaluation_card.html", takes_context=True)
def evaluation_card(context, evaluation):
    return _card(context, evaluation)


@register.inclusion_tag("components/expertise_card.html", takes_context=True)
def expertise_card(context, expertise):
    return _card(context, expertise)


# After the sections from the page tree: the two parts of the site that are views, not pages.
MENU_ROUTES = [(_("Search"), "search"), (_("Ask a question"), "loket:ask")]


@per_state(key=site_key)
def _menu_links(request) -> list[tuple[str, str]]:
    """(title, url) of the home page's live children marked "show in menus", in the page
    tree's order, then the routes; worked out once per site after each change."""
    links = []
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        for page in site.root_page.get_children().live().in_menu():
            url = page.get_url(request)
            if url:
                links.append((page.title, url))
    links += [(label, reverse(name)) for label, name in MENU_ROUTES]
    return links


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    path = request.path if request is not None else ""
    items = []
    for title, url in _menu_links(request):
        # aria-current: "page" on the section's own page, "true" anywhere below it.
        current = "page" if path == url else "true" if path.startswith(url) else ""
        items.append({"title": title, "url": url, "current": current})
    return {"items": items}
