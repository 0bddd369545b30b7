"""Admin views of a plan's monitor: its goals' values per year, a form for one value, and the
import of a CSV or XLSX file with a preview.

Whoever may edit the plan page (Wagtail's page permissions: the gemeente's editors for their
own plans, the moderators, the administrators) may enter its values. The preview carries
the checked rows to the confirmation signed (django.core.signing), so what is saved is what
was shown, without keeping the file; the confirmation saves all rows in one transaction."""

from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from .models import IndicatorValue, NeighbourhoodActionPlanPage
from .monitor import monitor_plan
from .monitor_import import FIRST_YEAR, FileRefused, read_values

SIGNING_SALT = "programme.monitor.import"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview may be confirmed in


class ValueForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("indicator"))
    year = forms.IntegerField(label=gettext_lazy("year"))
    value = forms.DecimalField(
        label=gettext_lazy("value"), max_digits=14, decimal_places=2, localize=True
    )
    source = forms.CharField(label=gettext_lazy("source"), max_length=200)
    note = forms.CharField(label=gettext_lazy("note"), max_length=500, required=False)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(g.code, f"{g.code}: {g.indicator}") for g in goals]
        # The same years as the import: no measurement before FIRST_YEAR or in the future.
        self.fields["year"].validators += [
            MinValueValidator(FIRST_YEAR),
            MaxValueValidator(timezone.localdate().year),
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy(
            "Columns: indicator (the goal's code), jaar, waarde, bron, and optionally "
            "toelichting. A decimal comma is fine."
        ),
    )


def _editable_plan(request, page_id):
    plan = get_object_or_404(NeighbourhoodActionPlanPage, pk=page_id)
    if not plan.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return plan


def _context(plan, **extra):
    return {
        "page": plan,
        "page_title": _("Monitor"),
        "page_subtitle": plan.get_admin_display_title(),
        "header_icon": "table",
        "edit_url": reverse("wagtailadmin_pages:edit", args=[plan.id]),
        "monitor_url": reverse("programme_monitor", args=[plan.id]),
        "import_url": reverse("programme_monitor_import", args=[plan.id]),
        **extra,
    }


def plan_monitor(request, page_id):
    """The goals' values per year, and the form for one value (prefilled from
    ?indicator=&jaar= to change an existing one)."""
    plan = _editable_plan(request, page_id)
    monitor = monitor_plan(plan)
    goals = [result.goal for result in monitor.goals]
    if request.method == "POST":
        form = ValueForm(request.POST, goals=goals)
        if form.is_valid():
            data = form.cleaned_data
            _value, created = IndicatorValue.objects.update_or_create(
                plan=plan,
                indicator_code=data["indicator"],
                year=data["year"],
                defaults={
                    "value": data["value"],
                    "source": data["source"],
                    "note": data["note"],
                    "entered_by": request.user,
                },
            )
            message = _("%(code)s %(year)s added.") if created else _("%(code)s %(year)s changed.")
            messages.success(request, message % {"code": data["indicator"], "year": data["year"]})
            return redirect("programme_monitor", plan.id)
    else:
        initial = {}
        existing = IndicatorValue.objects.filter(
            plan=plan,
            indicator_code=request.GET.get("indicator", ""),
            year=request.GET.get("jaar") if request.GET.get("jaar", "").isdigit() else None,
        ).first()
        if existing:
            initial = {
                "indicator": existing.indicator_code,
                "year": existing.year,
                "value": existing.value,
                "source": existing.source,
                "note": existing.note,
            }
        form = ValueForm(initial=initial, goals=goals)
    return TemplateResponse(
        request,
        "programme/admin/monitor.html",
        _context(plan, monitor=monitor, form=form, import_form=ImportForm()),
    )


def plan_monitor_import(request, page_id):
    """POST a file: the preview (or its errors). POST `rows` (signed) with `confirm`: save."""
    plan = _editable_plan(request, page_id)
    if request.method != "POST":
        return redirect("programme_monitor", plan.id)
    if "confirm" in request.POST:
        try:
            payload = signing.loads(
                request.POST.get("rows", ""), salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("programme_monitor", plan.id)
        if payload["plan"] != plan.id:
            raise PermissionDenied
        with transaction.atomic():
            for code, year, value, source, note in payload["rows"]:
                IndicatorValue.objects.update_or_create(
                    plan=plan,
                    indicator_code=code,
                    year=year,
                    defaults={
                        "value": value,
                        "source": source,
                        "note": note,
                        "entered_by": request.user,
                    },
                )
        messages.success(request, _("%(count)s values saved.") % {"count": len(payload["rows"])})
        return redirect("programme_monitor", plan.id)

    form = ImportForm(request.POST, request.FILES)
    rows, errors = [], []
    if form.is_valid():
        codes = set(plan.goals.values_list("code", flat=True))
        try:
            rows, errors = read_values(form.cleaned_data["file"], plan, codes)
        except FileRefused as refusal:
            form.add_error("file", str(refusal))
    signed = ""
    if form.is_valid() and not errors:
        signed = signing.dumps(
            {"plan": plan.id, "rows": [row.as_list() for row in rows]}, salt=SIGNING_SALT
        )
    return TemplateResponse(
        request,
        "programme/admin/monitor_import.html",
        _context(
            plan,
            page_title=_("Import monitor values"),
            form=form,
            rows=rows,
            errors=errors,
            signed=signed,
            added=sum(1 for row in rows if row.existing is None),
            changed=sum(1 for row in rows if row.existing is not None),
        ),
    )
