"""Site-wide request handling of our own."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils.cache import cc_delim_re

from core import freshness

# Formats worth compressing: text. Images, PDFs and spreadsheets (zip files) are compressed
# already, and static files come compressed from WhiteNoise.
TEXT_SUBTYPES = {"json", "xml", "javascript", "csv", "calendar", "html", "plain"}


class CompressText(GZipMiddleware):
    """gzip for text responses only (HTML, JSON, CSV, XML, feeds, iCalendar), streamed ones
    included, for a client that accepts it. Django's middleware pads each answer with a random
    number of bytes against BREACH-style guessing of secrets through the compressed size."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        kind, _, subtype = content_type.partition("/")
        if kind != "text" and subtype.rpartition("+")[2] not in TEXT_SUBTYPES:
            return response
        return super().process_response(request, response)


class AnonymousPageCache:
    """Whole pages for visitors who are not logged in, kept in this process's memory
    (CACHES["pages"]) under the state of the public content (core.freshness): after any change
    a visitor could see, the next request anywhere renders afresh, so a publish shows at once.

    Only a GET without a query string, without a session or messages cookie and outside the
    admin is answered from the cache; only a 200 that sets no cookie and says nothing against
    caching (never_cache, private) is kept. So no form with a CSRF token (its cookie), no
    signed link's page (never_cache) and no page of a logged-in editor (the userbar) is ever
    shown to another visitor. The page still passes CSP, compression and ETag on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        with freshness.request_scope():
            seconds = settings.PAGE_CACHE_SECONDS
            if not seconds or not self._cacheable(request):
                return self.get_response(request)
            cache = caches["pages"]
            # Hashed: a path may hold anything a visitor typed (any length, control characters).
            address = f"{request.scheme}://{request.get_host()}{request.path}"
            key = f"page:{freshness.current()}:{hashlib.sha256(address.encode()).hexdigest()}"
            stored = cache.get(key)
            if stored is not None:
                status, headers, content = stored
                response = HttpResponse(content, status=status, headers=headers)
                response["X-Page-Cache"] = "hit"
                return response
            response = self.get_response(request)
            if self._keepable(response):
                headers = {k: v for k, v in response.items() if k != "Content-Length"}
                cache.set(key, (response.status_code, headers, response.content), seconds)
                response["X-Page-Cache"] = "miss"
            return response

    def _cacheable(self, request) -> bool:
        if request.method != "GET" or request.META.get("QUERY_STRING"):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        return not request.path_info.startswith(self.admin_prefix)

    @staticmethod
    def _keepable(response) -> bool:
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or getattr(response, "page_cache_exempt", False)
        ):
            return False
        control = {
            part.split("=")[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if control & {"private", "no-cache", "no-store"}:
            return False
        # The content is the same for every anonymous visitor, whatever their cookies or
        # encoding; an answer that varies on anything else (Accept) is not kept.
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        return vary <= {"cookie", "accept-encoding", "accept-language"}


class AtomicAdminChanges:
    """Every POST to the admin runs in one database transaction, as ATOMIC_REQUESTS would do
    for the whole site: a publication, the registration number and registry version it gives,
    and the search index's outbox entries commit together or not at all. (Wagtail's own edit
    view saves the form, the revision and the publication in separate steps.) Only the admin's
    POSTs: a visitor's GET never holds a write transaction, which on SQLite would queue every
    page view behind the editors.

    Must be the last middleware: it calls the view itself, inside the transaction."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or getattr(view_func, "_non_atomic_requests", None):
            return None
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.admin_prefix):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
