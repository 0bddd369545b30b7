"""Admin URLs that take the place of Wagtail's own (website/urls.py includes these first)."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import admin_views

urlpatterns = decorate_urlpatterns(
    [
        path("choose-page/<int:parent_page_id>/", admin_views.BrowseView.as_view()),
        path("choose-page/chosen-multiple/", admin_views.ChosenMultipleView.as_view()),
        path(
            "pages/<int:page_id>/revisions/<int:revision_id>/revert/", admin_views.revisions_revert
        ),
    ],
    lambda view: never_cache(require_admin_access(view)),
)
