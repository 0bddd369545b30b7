from django import template
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
