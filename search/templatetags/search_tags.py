import functools
import html

from django import template
from django.conf import settings
from django.utils import dateformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from ..related import related_cards

register = template.Library()

HEADINGS = {
    "experiment": _("Related experiments"),
    "praktijk": _("Related practices"),
    "evaluatie": _("Related evaluations"),
    "kennisproduct": _("Related expertise"),
}


@register.inclusion_tag("search/includes/related.html")
def related_items(page):
    """{% related_items page %}: a few pages of the same kind related to `page` (search/related.py
    says which), or nothing when none is."""
    cards = related_cards(page)
    return {"cards": cards, "heading": HEADINGS.get(cards[0].type, "") if cards else ""}


# The two loops of the search page, written out here rather than as template loops: a page
# has about a hundred facet values and twenty cards, and rendering them through the template
# language took three quarters of the view's time (docs/performance.md). The markup is the
# template's (ids, classes and data-* hooks are the contract with static/js/search.js and the
# browser tests); templates/search/search.html says where each piece goes.

FACET_VALUE = (
    '<li><input type="checkbox" id="facet-{param}-{value}" name="{param}" value="{value}"{checked}>'
    '<label for="facet-{param}-{value}">{label} <span class="facet__count">({count})</span>'
    "</label></li>"
)
SHOWN_VALUES = 8  # the rest of a facet folds away under "All … values"
# The standard library's escape: what Django's escape does, without its lazy-text wrapper
# (called a few hundred times per page).
_escape = html.escape


def _count(number: int) -> str:
    return localize(number) if settings.USE_THOUSAND_SEPARATOR else str(number)


@register.simple_tag
def facet_value_list(group):
    """{% facet_value_list group %}: a facet's values as checkboxes, the first eight in view
    and the rest in a <details> (open when one of them is chosen)."""
    values = group.values
    parts = ['<ul class="facet__values">']
    for number, value in enumerate(values, 1):
        if number == SHOWN_VALUES + 1:
            more_open = any(v.selected for v in values[SHOWN_VALUES:])
            summary = gettext_now("All %(label)s values") % {"label": str(group.label).lower()}
            parts.append(
                format_html(
                    '</ul><details class="facet__more" id="facet-{}-more"{}><summary>{}</summary>'
                    '<ul class="facet__values">',
                    group.param,
                    mark_safe(" open") if more_open else "",
                    summary,
                )
            )
        parts.append(
            FACET_VALUE.format(
                param=_escape(group.param),
                value=_escape(value.value),
                checked=" checked" if value.selected else "",
                label=_escape(value.label),
                count=_count(value.count),
            )
        )
    parts.append("</ul>")
    if len(values) > SHOWN_VALUES:
        parts.append("</details>")
    return mark_safe("".join(parts))


@functools.lru_cache(maxsize=8)
def _card_labels(language: str) -> dict[str, str]:
    """The card's labels in one language, translated and escaped once."""
    labels = {
        "municipalities": gettext_now("Municipality"),
        "neighbourhoods": gettext_now("Wijken"),
        "themes": gettext_now("Themes"),
        "status": gettext_now("Status"),
        "recognition": gettext_now("Recognition level"),
        "centre": gettext_now("Knowledge centre"),
        "ministry": gettext_now("Ministry"),
        "barrier_status_label": gettext_now("State of affairs"),
        "raised_by": gettext_now("Raised by"),
        "date": gettext_now("Date"),
        "overdue": gettext_now("Results overdue"),
    }
    return {key: _escape(label) for key, label in labels.items()}


def _fact(label, value: str) -> str:
    """A row of the card's <dl> (as {% fact %} makes it), left out when the value is empty;
    `value` is escaped already."""
    return f"<div><dt>{label}</dt><dd>{value}</dd></div>" if value.strip() else ""


@register.simple_tag
def result_card(card):
    """{% result_card card %}: one hit (a search.service.ResultCard) as an <li> of the results."""
    labels = _card_labels(get_language())
    type_line = _escape(str(card.type_label))
    if card.registration_number:
        type_line += " · " + _escape(card.registration_number)
    text = conditional_escape(card.snippet or Truncator(card.summary).words(40, truncate=" …"))
    status = _escape(card.status_label)
    if status and card.results_expected:
        status += f' · <strong class="results-expected">{labels["overdue"]}</strong>'
    facts = [
        _fact(labels["municipalities"], _escape(", ".join(card.municipalities))),
        _fact(labels["neighbourhoods"], _escape(", ".join(card.neighbourhoods))),
        _fact(labels["themes"], _escape(", ".join(card.themes))),
        _fact(labels["status"], status),
        _fact(labels["recognition"], _escape(card.recognition)),
        _fact(labels["centre"], _escape(card.centre)),
        _fact(labels["ministry"], _escape(card.ministry)),
        _fact(labels["barrier_status_label"], _escape(card.barrier_status_label)),
    ]
    if card.type == "belemmering":
        n = len(card.municipalities)
        raised = ngettext("%(n)s municipality", "%(n)s municipalities", n) % {"n": n}
        facts.append(_fact(labels["raised_by"], _escape(raised)))
    if card.date:
        day = dateformat.format(card.date, "j F Y")
        facts.append(
            _fact(labels["date"], f'<time datetime="{card.date.isoformat()}">{_escape(day)}</time>')
        )
    return mark_safe(
        f'<li class="result result--{_escape(card.type)}">'
        f'<p class="result__type">{type_line}</p>'
        f'<h3 class="result__title"><a href="{_escape(card.url)}">{_escape(card.title)}</a></h3>'
        f'<p class="result__snippet">{text}</p>'
        f'<dl class="result__meta">{"".join(facts)}</dl></li>'
    )
