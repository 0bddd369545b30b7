from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from ..searches import ALERT_PARAMS

register = template.Library()


@register.filter
def alert_subscribe_url(query_string) -> str:
    """The subscribe page for a /zoeken/ query string (sort, page and format left out)."""
    params = QueryDict(str(query_string or ""))
    items = [
        (name, value) for name in ALERT_PARAMS for value in params.getlist(name) if value.strip()
    ]
    url = reverse("alerts:subscribe")
    return f"{url}?{urlencode(items)}" if items else url
