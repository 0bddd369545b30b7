"""Admin view: withdraw a published registration (asks for the reason first)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .models import ExperimentPage, Registration
from .withdrawal import WithdrawForm, withdraw


def withdraw_registration(request, page_id):
    page = get_object_or_404(ExperimentPage, pk=page_id)
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    registration = Registration.objects.filter(page=page).first()
    parent_url = reverse("wagtailadmin_explore", args=[page.get_parent().id])
    if registration is None:
        messages.error(
            request,
            _(
                "Only a published registration can be withdrawn; this page has no registration number yet."
            ),
        )
        return redirect(parent_url)
    if registration.withdrawn:
        messages.warning(
            request,
            _("Registration %(number)s has already been withdrawn.")
            % {"number": registration.number},
        )
        return redirect(parent_url)
    if not permissions.can_unpublish():  # withdrawing unpublishes: the same right
        raise PermissionDenied

    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdraw(page, form.cleaned_data["reason"], user=request.user)
        messages.success(
            request,
            _(
                "Registration %(number)s (“%(title)s”) has been withdrawn. Its page now shows only the number, the title and the reason."
            )
            % {"number": registration.number, "title": page.title},
        )
        return redirect(parent_url)
    return TemplateResponse(
        request,
        "experiments/admin/withdraw.html",
        {
            "page": page,
            "registration": registration,
            "form": form,
            "page_title": _("Withdraw registration"),
            "page_subtitle": page.get_admin_display_title(),  # "KW-… · Titel (gemeente)"
            "header_icon": "warning",
            "cancel_url": reverse("wagtailadmin_pages:edit", args=[page.id]),
            "submit_url": request.path,
        },
    )
