"""Which pages an editor may see in the admin: live pages, and the pages of the sections they
work in (Wagtail's "explorable" pages: their sections, and the way down to them). A draft in
another gemeente's section is neither, so its title appears in no chooser or confirm page."""

from django.db.models import Q
from wagtail.models import Page
from wagtail.permissions import policy_registry


def visible_pages(user, pages=None):
    pages = Page.objects.all() if pages is None else pages
    if user.is_superuser:
        return pages
    explorable = policy_registry.get_by_type(Page).explorable_instances(user)
    return pages.filter(Q(live=True) | Q(pk__in=explorable.values("pk")))


def may_see(user, page) -> bool:
    return visible_pages(user, Page.objects.filter(pk=page.pk)).exists()
