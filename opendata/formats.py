"""/zoeken/ in the formats that are files or feeds: `format=csv` and `format=xlsx` (exports)
and `format=atom` (the search's feed). Any other request is the search page, search's own
view (HTML or JSON), so search/ needs to know nothing of these outputs."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.clients import client_bucket
from core.ratelimit import RateLimit
from search import views as search_views

from .exports import export_response
from .feeds import search_feed

EXPORT_FORMATS = ("csv", "xlsx")


EXPORT_RATE_LIMIT = RateLimit("exports", "EXPORT_RATE_LIMIT", "EXPORT_RATE_WINDOW")


@require_safe  # GET and HEAD (link checkers and monitors send HEAD)
def search_view(request):
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        # An export runs up to ten searches and builds a file: a few per client per window.
        client = client_bucket(request, scope="exports")
        if EXPORT_RATE_LIMIT.exceeded(client):
            response = HttpResponse(
                _(
                    "Too many exports from your address in a short time. Please try again in a few "
                    "minutes, or use the nightly data dump described on the open data page."
                ),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(EXPORT_RATE_LIMIT.window)
            return response
        EXPORT_RATE_LIMIT.count(client)
        return export_response(request, file_format)
    if file_format == "atom":
        return search_feed(request)
    return search_views.search_view(request)
