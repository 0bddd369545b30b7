"""Admin side of asking for a withdrawal (see withdrawal_requests.py): the editor's
"Intrekking aanvragen" (page action menu, header and listing buttons), the moderators' panel
of open requests and the page where they confirm or decline one.

Imported by wagtail_hooks.py, so Wagtail registers these hooks with the others.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from .models import ExperimentPage, Registration, WithdrawalRequest
from .withdrawal import WithdrawForm, confirm_request
from .withdrawal_requests import (
    DECLINE_ACTION,
    REQUEST_ACTION,
    AlreadyRequested,
    decline,
    open_request_for,
    request_withdrawal,
)


def _may_request(page, permissions) -> bool:
    """A live registration that the user edits but may not unpublish (withdraw) themselves."""
    return (
        (page.specific_class or type(page)) is ExperimentPage
        and page.live
        and permissions.can_edit()
        and not permissions.can_unpublish()
    )


# --- The editor asks ----------------------------------------------------------------------------


def request_withdrawal_view(request, page_id):
    page = get_object_or_404(ExperimentPage, pk=page_id)
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    registration = Registration.objects.filter(page=page).first()
    if registration is None or registration.withdrawn:
        messages.error(
            request,
            _("Only a published registration that has not been withdrawn can be withdrawn."),
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    if permissions.can_unpublish():  # they may withdraw it themselves
        return redirect("experiments_withdraw", page.id)

    open_request = open_request_for(registration)
    form = WithdrawForm(request.POST or None) if open_request is None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            request_withdrawal(page, form.cleaned_data["reason"], request.user)
        except AlreadyRequested as already:
            open_request, form = already.open_request, None
        else:
            messages.success(
                request,
                _(
                    "Your request to withdraw %(number)s has been sent to the editorial team. You will hear "
                    "by e-mail whether they confirm it."
                )
                % {"number": registration.number},
            )
            return redirect("wagtailadmin_pages:edit", page.id)
    return TemplateResponse(
        request,
        "experiments/admin/withdrawal_request.html",
        {
            "page": page,
            "registration": registration,
            "form": form,
            "open_request": open_request,
            "page_title": _("Request withdrawal"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "warning",
            "cancel_url": reverse("wagtailadmin_pages:edit", args=[page.id]),
        },
    )


# --- A moderator decides ------------------------------------------------------------------------


class DecisionForm(forms.Form):
    CONFIRM, DECLINE = "confirm", "decline"

    # Not rendered: the two submit buttons are named "decision" (clean() says when neither was).
    decision = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (DECLINE, DECLINE)], required=False)
    comment = forms.CharField(
        label=gettext_lazy("Comment for the editor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required when you decline the request; the editor receives it by e-mail."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("decision"):
            raise forms.ValidationError(
                _("Choose whether you confirm the withdrawal or decline the request.")
            )
        if cleaned_data["decision"] == self.DECLINE and not cleaned_data.get("comment", "").strip():
            self.add_error("comment", _("Say why you decline the request."))
        return cleaned_data


def decide_withdrawal_request(request, request_id):
    requests = WithdrawalRequest.objects.select_related("registration__page", "requested_by")
    if request.method == "POST":
        # Two moderators deciding at once: the second waits, then finds it decided. (Every admin
        # POST is one transaction, website.middleware, so the lock holds until the decision is saved.)
        requests = requests.select_for_update(of=("self",))
    withdrawal_request = get_object_or_404(requests, pk=request_id)
    page = withdrawal_request.registration.page
    if page is None:
        raise Http404
    if not page.permissions_for_user(request.user).can_unpublish():
        raise PermissionDenied
    number = withdrawal_request.registration.number
    if not withdrawal_request.is_open:
        messages.warning(
            request, _("This request for %(number)s has already been decided.") % {"number": number}
        )
        return redirect("wagtailadmin_home")

    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == DecisionForm.CONFIRM:
            confirm_request(withdrawal_request, request.user)
            messages.success(
                request,
                _("Registration %(number)s has been withdrawn; the editor has been told.")
                % {"number": number},
            )
        else:
            decline(withdrawal_request, request.user, form.cleaned_data["comment"].strip())
            messages.success(
                request,
                _("The request to withdraw %(number)s has been declined; the editor has been told.")
                % {"number": number},
            )
        return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "experiments/admin/withdrawal_request_decide.html",
        {
            "page": page,
            "withdrawal_request": withdrawal_request,
            "form": form,
            "page_title": _("Withdrawal request"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "warning",
        },
    )


# --- Where the admin offers it --------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_withdrawal_request_urls():
    return [
        path(
            "experiments/<int:page_id>/request-withdrawal/",
            request_withdrawal_view,
            name="experiments_request_withdrawal",
        ),
        path(
            "experiments/withdrawal-requests/<int:request_id>/",
            decide_withdrawal_request,
            name="experiments_withdrawal_request",
        ),
    ]


@hooks.register("register_log_actions")
def register_withdrawal_request_log_actions(actions):
    actions.register_action(
        REQUEST_ACTION, gettext_lazy("Request withdrawal"), gettext_lazy("Withdrawal requested")
    )
    actions.register_action(
        DECLINE_ACTION,
        gettext_lazy("Decline withdrawal request"),
        gettext_lazy("Withdrawal request declined"),
    )


class RequestWithdrawalMenuItem(ActionMenuItem):
    label = gettext_lazy("Request withdrawal")
    name = "action-request-withdrawal"
    icon_name = "warning"
    order = 61

    def is_shown(self, context):
        if context["view"] != "edit" or context.get("locked_for_user"):
            return False
        return _may_request(context["page"], self.get_user_page_permissions_tester(context))

    def get_url(self, context):
        return reverse("experiments_request_withdrawal", args=[context["page"].id])


@hooks.register("register_page_action_menu_item")
def register_request_withdrawal_menu_item():
    return RequestWithdrawalMenuItem()


class RequestWithdrawalButton(PageMenuItem):
    label = gettext_lazy("Request withdrawal")
    icon_name = "warning"
    url_name = "experiments_request_withdrawal"

    def is_shown(self, user):
        return _may_request(self.page, self.page.permissions_for_user(user))


@hooks.register("register_page_listing_more_buttons")
def request_withdrawal_listing_button(page, user, next_url=None):
    yield RequestWithdrawalButton(page=page, priority=46)


@hooks.register("register_page_header_buttons")
def request_withdrawal_header_button(page, user, view_name, next_url=None):
    yield RequestWithdrawalButton(page=page, priority=63)


# --- The moderators' dashboard: open requests ------------------------------------------------------


class WithdrawalRequestsPanel(Component):
    name = "withdrawal_requests"
    template_name = "experiments/admin/panels/withdrawal_requests.html"
    order = 225  # just below Wagtail's "awaiting your review" (220)

    def __init__(self, requests):
        self.requests = requests

    def get_context_data(self, parent_context):
        return {"requests": self.requests}


@hooks.register("construct_homepage_panels")
def add_withdrawal_requests_panel(request, panels):
    open_requests = [
        r
        for r in WithdrawalRequest.objects.filter(status=WithdrawalRequest.Status.OPEN)
        .select_related("registration__page__municipality", "requested_by")
        .order_by("requested_at")
        if r.registration.page is not None
        and r.registration.page.permissions_for_user(request.user).can_unpublish()
    ]
    if open_requests:
        panels.append(WithdrawalRequestsPanel(open_requests))
