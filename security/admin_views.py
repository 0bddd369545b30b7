"""Wagtail admin views that show page titles before checking who asks, wrapped so an editor
sees only pages they may see (visibility.py). Mounted before Wagtail's admin URLs (admin_urls.py)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.views import chooser
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from .visibility import may_see, visible_pages


class BrowseView(chooser.BrowseView):
    """The page chooser below a given page: that page's title is shown too, so it must be one
    the editor may see (its children are filtered by the construct_page_chooser_queryset hook)."""

    def get(self, request, parent_page_id=None):
        if parent_page_id and not may_see(request.user, get_object_or_404(Page, id=parent_page_id)):
            raise Http404
        return super().get(request, parent_page_id)


class ChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        visible = visible_pages(request.user, Page.objects.filter(pk__in=request.GET.getlist("id")))
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        return super().get(request)


_revert = page_viewset_registry.as_view("revisions_revert", page_id_kwarg="page_id")


def revisions_revert(request, page_id, revision_id):
    """Wagtail's "revert to this revision" editor: an unknown revision (or revision 0 of a page
    without revisions) is a 404, not a server error."""
    page = get_object_or_404(Page, id=page_id)
    get_object_or_404(page.revisions, id=revision_id)
    return _revert(request, page_id=page_id, revision_id=revision_id)
