from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import media, views
from .models import PublicCollection
from .visibility import may_see, visible_pages


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("2fa/", views.verify, name="security_2fa_verify"),
        path("2fa/instellen/", views.enrol, name="security_2fa_enrol"),
        path("2fa/beheer/", views.manage, name="security_2fa_manage"),
        path("2fa/herstelcodes/", views.renew_codes, name="security_2fa_renew_codes"),
        path("2fa/uitzetten/", views.remove, name="security_2fa_remove"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("security_2fa_manage"),
        "label": _("Two-step verification"),
        "help_text": _("An authenticator app and recovery codes for logging in."),
    }


# --- Media: nothing is public because it was uploaded (media.py) ------------------------------


@hooks.register("before_serve_document")
def check_document_access(document, request):
    media.check_access(request, document)
    # Wagtail's ETag is the file's hash, empty for a document made outside its upload forms
    # (the demo, scripts): compute and keep it once, so the ETag is real.
    document.get_file_hash()


class _ChooseableMixin:
    """The admin API's listing of documents and images: only those the user may choose."""

    def get_queryset(self):
        queryset = super().get_queryset()
        policy = policy_registry.get_by_type(queryset.model)
        return queryset.filter(
            pk__in=policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
        )


class ChooseableDocumentsAPIViewSet(_ChooseableMixin, DocumentsAdminAPIViewSet):
    pass


class ChooseableImagesAPIViewSet(_ChooseableMixin, ImagesAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api")
def chooseable_media_in_admin_api(router):
    router.register_endpoint("documents", ChooseableDocumentsAPIViewSet)
    router.register_endpoint("images", ChooseableImagesAPIViewSet)


class PublicCollectionViewSet(SnippetViewSet):
    model = PublicCollection
    icon = "folder-open-inverse"
    menu_label = _("Public collections")
    add_to_settings_menu = True
    list_display = ["collection"]


register_snippet(PublicCollectionViewSet)


# --- Pages an editor may not see are not shown (visibility.py) ---------------------------------


@hooks.register("construct_page_chooser_queryset")
def only_visible_pages(pages, request):
    return visible_pages(request.user, pages)


@hooks.register("before_move_page")
def refuse_moves_the_editor_may_not_make(request, page, destination):
    # Checked before the confirm page shows both titles (Wagtail checks only when it is sent).
    if not page.permissions_for_user(request.user).can_move_to(destination) or not may_see(
        request.user, destination
    ):
        raise PermissionDenied
