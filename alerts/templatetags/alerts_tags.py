import re

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator

from ..searches import ALERT_PARAMS

register = template.Library()


@register.filter
def alert_subscribe_url(query_string) -> str:
    """The subscribe page for a /zoeken/ query string (sort, page and format left out)."""
    params = QueryDict(str(query_string or ""))
    items = [(name, value) for name in ALERT_PARAMS for value in params.getlist(name) if value.strip()]
    url = reverse("alerts:subscribe")
    return f"{url}?{urlencode(items)}" if items else url


_LINK_RE = re.compile(r"\S*(?:https?://|www\.|\.[a-z]{2,}/)\S*", re.IGNORECASE)


@register.filter
def without_links(text: str) -> str:
    """A visitor's search text as repeated in a confirmation mail to a not yet confirmed
    address: no links, and short, so the form cannot be used to mail anyone an advertisement."""
    return Truncator(_LINK_RE.sub("…", text or "")).chars(40)
