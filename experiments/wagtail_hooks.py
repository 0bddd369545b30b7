"""Admin behaviour of the registry: a published registration is withdrawn, never deleted.

Every route out of the public either becomes a withdrawal (with a reason and a tombstone) or
is refused with a message saying what to do instead:

- unpublishing a registration → the withdrawal form (one page or in bulk: refused);
- unpublishing a page with published registrations below it, with or without its
  descendants → refused (withdraw those registrations first);
- deleting a registration or a page above one → refused;
- privacy on a registration or on a page above one → not offered (see private_page_options
  on the page types and templates/wagtailadmin/page_privacy/no_privacy.html);
- an expiry date → not in a registration's form (experiments.forms), cleared on publication,
  and one set earlier that still runs out becomes a withdrawal (experiments.signals);
- moving an experiment, practice or expertise page into another section (another gemeente
  or knowledge centre) → refused: its owner and its URL belong together.
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from core.sections import OwnedBySection

from .admin_views import withdraw_registration
from .models import ExperimentPage
from .withdrawal import WITHDRAW_ACTION, published_registrations_under, registrations_under


@hooks.register("register_admin_urls")
def register_withdraw_url():
    return [
        path(
            "experiments/<int:page_id>/withdraw/",
            withdraw_registration,
            name="experiments_withdraw",
        ),
    ]


@hooks.register("register_log_actions")
def register_withdraw_log_action(actions):
    actions.register_action(
        WITHDRAW_ACTION,
        gettext_lazy("Withdraw registration"),
        gettext_lazy("Registration withdrawn"),
    )


def _is_experiment(page) -> bool:
    return (getattr(page, "specific_class", None) or type(page)) is ExperimentPage


# --- Withdraw: in the editor's action menu and in the page's "more" menus ----------------


class WithdrawMenuItem(ActionMenuItem):
    label = gettext_lazy("Withdraw registration")
    name = "action-withdraw"
    icon_name = "warning"
    order = 60

    def is_shown(self, context):
        if context["view"] != "edit" or context.get("locked_for_user"):
            return False
        page = context["page"]
        return (
            _is_experiment(page)
            and page.live
            and bool(page.specific.registration_number)
            and self.get_user_page_permissions_tester(context).can_unpublish()
        )

    def get_url(self, context):
        return reverse("experiments_withdraw", args=[context["page"].id])


@hooks.register("register_page_action_menu_item")
def register_withdraw_menu_item():
    return WithdrawMenuItem()


class WithdrawButton(PageMenuItem):
    label = gettext_lazy("Withdraw registration")
    icon_name = "warning"
    url_name = "experiments_withdraw"

    def is_shown(self, user):
        # A live experiment page has its registration number (given on publication); the view
        # itself checks the rest, so a listing needs no query per row.
        return (
            _is_experiment(self.page)
            and self.page.live
            and self.page.permissions_for_user(user).can_unpublish()
        )


@hooks.register("register_page_listing_more_buttons")
def withdraw_listing_button(page, user, next_url=None):
    yield WithdrawButton(page=page, priority=45)


@hooks.register("register_page_header_buttons")
def withdraw_header_button(page, user, view_name, next_url=None):
    yield WithdrawButton(page=page, priority=62)


# --- Deletion is refused for published registrations (one page, a parent, or in bulk) ------


def _refusal(request, pages):
    numbers = sorted(
        {
            number
            for page in pages
            for number in registrations_under(page).values_list("number", flat=True)
        }
    )
    if not numbers:
        return None
    messages.error(
        request,
        _(
            "A published registration is never deleted: its number and address stay citable. "
            "Withdraw it instead (%(numbers)s); its page then shows only the number, the title "
            "and the reason."
        )
        % {"numbers": ", ".join(numbers)},
    )
    return numbers


@hooks.register("before_delete_page")
def refuse_deleting_registrations(request, page):
    if _refusal(request, [page]):
        if _is_experiment(page):
            return redirect("wagtailadmin_pages:edit", page.id)
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_registrations(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if pages and _refusal(request, pages):
        next_url = action_class_instance.next_url
        if not next_url or next_url == request.path:  # no "next" given: back to the explorer
            next_url = reverse("wagtailadmin_explore", args=[pages[0].get_parent().id])
        return redirect(next_url)
    return None


# --- A withdrawn registration is not edited any more ------------------------------------------


@hooks.register("before_edit_page")
def refuse_editing_withdrawn(request, page):
    if _is_experiment(page) and page.specific.withdrawn:
        messages.warning(
            request,
            _(
                "Registration %(number)s has been withdrawn; it can no longer be edited or published."
            )
            % {"number": page.specific.registration_number},
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


# --- Unpublishing a registration goes through withdrawal ---------------------------------------


@hooks.register("before_unpublish_page")
def withdraw_instead_of_unpublishing(request, page):
    # A plain unpublish would leave a 404 where a citable registration was, without a reason;
    # withdrawal keeps the tombstone. Code (and the withdrawal itself) still unpublishes.
    if (
        _is_experiment(page)
        and getattr(page.specific, "registration_number", "")
        and not page.specific.withdrawn
    ):
        messages.warning(
            request,
            _("A published registration is not simply unpublished: withdraw it, with a reason."),
        )
        return redirect("experiments_withdraw", page.id)
    return None


@hooks.register("before_bulk_action")
def withdraw_instead_of_bulk_unpublishing(request, action_type, objects, action_class_instance):
    if action_type != "unpublish":
        return None
    registered = [
        obj
        for obj in objects
        if isinstance(obj, Page)
        and _is_experiment(obj)
        and getattr(obj.specific, "registration_number", "")
        and not obj.specific.withdrawn
    ]
    if registered:
        messages.error(
            request,
            _("A published registration is not simply unpublished: withdraw it, with a reason."),
        )
        return redirect("wagtailadmin_explore", registered[0].get_parent().id)
    return _refuse_unpublishing_above_registrations(
        request, [obj for obj in objects if isinstance(obj, Page)]
    )


# --- Nor is a page above published registrations unpublished -----------------------------------


def _refuse_unpublishing_above_registrations(request, pages):
    for page in pages:
        if _is_experiment(page):
            continue
        numbers = list(
            published_registrations_under(page).order_by("number").values_list("number", flat=True)
        )
        if numbers:
            shown = ", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else "")
            messages.error(
                request,
                _(
                    "“%(title)s” cannot be unpublished: %(count)d published registrations are below "
                    "it (%(numbers)s), and a registration never simply disappears. Withdraw each of "
                    "them first, with its reason."
                )
                % {
                    "title": page.get_admin_display_title(),
                    "count": len(numbers),
                    "numbers": shown,
                },
            )
            return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("before_unpublish_page")
def refuse_unpublishing_above_registrations(request, page):
    return _refuse_unpublishing_above_registrations(request, [page])


# --- A page stays in its own section --------------------------------------------------------


def _moves_out_of_its_section(page, destination) -> bool:
    # Every page owned by its section (experiments here, practices and expertise in the
    # kennisbank), without this app knowing the kennisbank's page types.
    return (
        issubclass(page.specific_class or type(page), OwnedBySection)
        and destination.pk != page.get_parent().pk
    )


def _refuse_move(request, page):
    messages.error(
        request,
        _(
            "“%(title)s” stays in its own section: it belongs to the gemeente or knowledge centre "
            "of the section it was created in, and its address is cited. To place it elsewhere, "
            "make a new page there (a published registration can be withdrawn with a reason)."
        )
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_explore", page.get_parent().id)


@hooks.register("before_copy_page")
def refuse_copying_into_another_section(request, page):
    # A copy in another gemeente's section would carry this gemeente's wijken, partners and
    # findings under the other's name (and, published, a registration of its own).
    if request.method != "POST":
        return None
    try:
        destination = Page.objects.get(pk=int(request.POST.get("new_parent_page", "")))
    except (ValueError, Page.DoesNotExist):
        return None  # the copy form says what is wrong
    if page.permissions_for_user(request.user).can_copy_to(
        destination
    ) and _moves_out_of_its_section(page, destination):
        messages.error(
            request,
            _(
                "“%(title)s” cannot be copied into another section: its wijken, partners and "
                "contents belong to its own gemeente or knowledge centre. Copy it within its "
                "section, or make a new page in the other one."
            )
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("before_move_page")
def refuse_moving_out_of_the_section(request, page, destination):
    # Someone who may not move the page there anyway gets Wagtail's own refusal.
    if page.permissions_for_user(request.user).can_move_to(
        destination
    ) and _moves_out_of_its_section(page, destination):
        return _refuse_move(request, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_moving_out_of_the_section(request, action_type, objects, action_class_instance):
    if action_type != "move":
        return None
    destination = action_class_instance.cleaned_form.cleaned_data["chooser"]
    for obj in objects:
        if isinstance(obj, Page) and _moves_out_of_its_section(obj, destination):
            return _refuse_move(request, obj)
    return None


# The registry's listings and dashboard panels, and asking for a withdrawal, register their own hooks.
from . import registry_admin, withdrawal_request_admin  # noqa: E402,F401

# --- An amendment is published with its explanation, through its form -------------------------


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_amendments(request, action_type, objects, action_class_instance):
    # The bulk action would publish a registration's waiting change without asking why.
    if action_type != "publish":
        return None
    amended = [
        obj
        for obj in objects
        if isinstance(obj, Page)
        and _is_experiment(obj)
        and obj.has_unpublished_changes
        and obj.specific.registration_number
    ]
    if amended:
        messages.error(
            request,
            _(
                "A change to a published registration is published through its own form, with an "
                "explanation of the change (%(numbers)s)."
            )
            % {"numbers": ", ".join(sorted(p.specific.registration_number for p in amended))},
        )
        return redirect("wagtailadmin_explore", amended[0].get_parent().id)
    return None
