"""One guard on top of Wagtail's page permissions.

A gemeente's or centre's editors get their rights on their section page (for example
/experimenten/rotterdam/), and Wagtail's permissions cover that page itself as well as
everything under it. The section page is part of the site's structure, though: its slug is in
cited URLs and its municipality or centre decides ownership. So the section page itself may be
edited, moved, copied, unpublished or deleted only by someone with rights *above* it (the
moderators, administrators); its editors work on the pages under it.
"""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import Page

from experiments.models import SectionPage


def _is_section_page(page) -> bool:
    return issubclass(page.specific_class or type(page), SectionPage)


def _guard_section_page(request, page, *args):
    if not _is_section_page(page) or request.user.is_superuser:
        return None
    if not page.get_parent().permissions_for_user(request.user).can_edit():
        raise PermissionDenied


for _hook in (
    "before_edit_page",
    "before_delete_page",
    "before_move_page",
    "before_copy_page",
    "before_unpublish_page",
):
    hooks.register(_hook, _guard_section_page)


@hooks.register("before_bulk_action")
def _guard_section_pages_in_bulk(request, action_type, objects, action_class_instance):
    # Bulk publish, unpublish, move and delete in the page explorer follow the same rule.
    for obj in objects:
        if isinstance(obj, Page):
            _guard_section_page(request, obj)
    return None
