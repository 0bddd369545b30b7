"""Site-wide request handling of our own."""

from django.db import transaction
from django.urls import reverse


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
