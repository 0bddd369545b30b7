"""The admin's way to an event's registrations (a button in the page listing and header), and
no deleting an event that people are registered for: it is cancelled first, which tells them."""

from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.menus.pages import PageMenuItem

from .admin_views import attendees, attendees_csv
from .choices import ACTIVE_STATUSES
from .models import EventPage, Registration


@hooks.register("register_admin_urls")
def register_attendee_urls():
    return [
        path("agenda/<int:page_id>/aanmeldingen/", attendees, name="agenda_attendees"),
        path("agenda/<int:page_id>/aanmeldingen.csv", attendees_csv, name="agenda_attendees_csv"),
    ]


def _is_event(page) -> bool:
    return (getattr(page, "specific_class", None) or type(page)) is EventPage


class AttendeesButton(PageMenuItem):
    label = gettext_lazy("Registrations")
    icon_name = "group"
    url_name = "agenda_attendees"

    def is_shown(self, user):
        return _is_event(self.page) and self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_listing_more_buttons")
def attendees_listing_button(page, user, next_url=None):
    yield AttendeesButton(page=page, priority=50)


@hooks.register("register_page_header_buttons")
def attendees_header_button(page, user, view_name, next_url=None):
    yield AttendeesButton(page=page, priority=64)


def _active_registrations(pages) -> int:
    ids = [p.pk for p in pages if _is_event(p)]
    return Registration.objects.filter(event_id__in=ids, status__in=ACTIVE_STATUSES).count()


def _refuse(request, count):
    messages.error(
        request,
        _(
            "%(count)s people are registered for this event. Cancel it first (status "
            "'cancelled', with a reason) so that they are told; then it can be taken offline or "
            "deleted."
        )
        % {"count": count},
    )


@hooks.register("before_delete_page")
def refuse_deleting_events_with_registrations(request, page):
    count = _active_registrations([page])
    if count:
        _refuse(request, count)
        return redirect("wagtailadmin_pages:edit", page.id)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_events(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    count = _active_registrations([o for o in objects if hasattr(o, "specific_class")])
    if count:
        _refuse(request, count)
        return redirect(action_class_instance.next_url or "wagtailadmin_home")
    return None


@hooks.register("before_unpublish_page")
def refuse_unpublishing_events_with_registrations(request, page):
    count = _active_registrations([page])
    if count:
        _refuse(request, count)
        return redirect("wagtailadmin_pages:edit", page.id)
    return None
