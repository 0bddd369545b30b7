"""The admin forms of wijkactieplannen and charters: what a plan or charter says must hold
together (its wijken, goal codes, years, the goals its prestaties and commitments serve), and,
once published, each published change says why (as for a registration)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from experiments.forms import ChangeNoteRequiredForm
from experiments.models import ExperimentPage, registry_label
from vocabulary.forms import MunicipalityScopedPageForm, chosen_pks, offer_only

from .choices import Party

# Years a plan or a goal may name: the programme started in 2007; a goal may look a generation ahead.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2040


def kept_forms(formset):
    """The inline forms that will be saved: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not (formset.can_delete and formset._should_delete_form(form))
        if hasattr(form, "cleaned_data")
    ]


class PublicRecordForm(ChangeNoteRequiredForm, MunicipalityScopedPageForm):
    """A plan or charter is a public record once first published."""

    def has_public_record(self) -> bool:
        return (
            self.instance.pk is not None
            and self._meta.model.objects.filter(
                pk=self.instance.pk, first_published_at__isnull=False
            ).exists()
        )

    def full_clean(self):
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            # The rows' own checks first (their formsets), then how they hold together.
            for formset in self.formsets.values():
                formset.is_valid()
            self.clean_rows()

    def clean_rows(self) -> None:
        pass


def year_error(value) -> str | None:
    if value is not None and not EARLIEST_YEAR <= value <= LATEST_YEAR:
        return _("Give a year between %(first)d and %(last)d.") % {
            "first": EARLIEST_YEAR,
            "last": LATEST_YEAR,
        }
    return None


class NeighbourhoodActionPlanPageForm(PublicRecordForm):
    def change_note_message(self) -> str:
        return _(
            "Say in a sentence or two what changes and why: it is shown in the plan's public history."
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("experiments")
        if field is not None:
            chosen = chosen_pks(self, "experiments")
            field.queryset = (
                ExperimentPage.objects.filter(Q(live=True) | Q(pk__in=chosen))
                .select_related("municipality", "registration")
                .order_by("title")
            )
            field.label_from_instance = lambda page: registry_label(
                page.registration_number, page.title, page.municipality.name
            )
            offer_only(field, field.queryset.filter(self.own_experiments() | Q(pk__in=chosen)))

    def own_experiments(self) -> Q:
        """The gemeente's own published registrations: what a plan may take on."""
        return Q(
            municipality_id=self.instance.municipality_id,
            live=True,
            registration__isnull=False,
        )

    def clean(self):
        cleaned_data = super().clean()
        for name in ("period_start", "period_end"):
            error = year_error(cleaned_data.get(name))
            if error:
                self.add_error(name, error)
        start, end = cleaned_data.get("period_start"), cleaned_data.get("period_end")
        if start and end and start > end and not self.has_error("period_end"):
            self.add_error("period_end", _("The last year cannot be before the first year."))
        chosen = set(chosen_pks(self, "experiments"))
        allowed = set(
            ExperimentPage.objects.filter(self.own_experiments()).values_list("pk", flat=True)
        )
        wrong = [e for e in cleaned_data.get("experiments") or [] if e.pk not in chosen | allowed]
        if wrong:
            self.add_error(
                "experiments",
                _(
                    "A plan can take on only published experiments of its own gemeente; %(wrong)s is not one."
                )
                % {"wrong": ", ".join(e.title for e in wrong)},
            )
        return cleaned_data

    def clean_rows(self):
        goal_codes = set()
        for form in kept_forms(self.formsets["goals"]):
            data = form.cleaned_data
            code = data.get("code")
            if code in goal_codes:
                form.add_error(
                    "code",
                    _("Another goal of this plan has the code “%(code)s”: give each its own.")
                    % {"code": code},
                )
            elif code:
                goal_codes.add(code)
            for name in ("baseline_year", "target_year"):
                error = year_error(data.get(name))
                if error:
                    form.add_error(name, error)
            baseline, target = data.get("baseline_year"), data.get("target_year")
            if baseline and target and target <= baseline and not form.has_error("target_year"):
                form.add_error(
                    "target_year", _("The target year must come after the baseline year.")
                )
        for form in kept_forms(self.formsets["activities"]):
            code = form.cleaned_data.get("goal_code")
            if code and code not in goal_codes:
                form.add_error(
                    "goal_code",
                    _("This plan has no goal with the code “%(code)s”. Use one of: %(codes)s.")
                    % {"code": code, "codes": ", ".join(sorted(goal_codes)) or "—"},
                )


class CharterPageForm(PublicRecordForm):
    def change_note_message(self) -> str:
        return _(
            "Say in a sentence or two what both parties agreed to change and why: it is shown in the charter's public history."
        )

    def clean_rows(self):
        from .models import PlanGoal  # (the models import this module)

        plans_of_code: dict[str, set[int]] = {}
        for code, plan_id in PlanGoal.objects.filter(
            page__municipality_id=self.instance.municipality_id, page__live=True
        ).values_list("code", "page_id"):
            plans_of_code.setdefault(code, set()).add(plan_id)
        goal_codes = set(plans_of_code)
        for form in kept_forms(self.formsets["commitments"]):
            data = form.cleaned_data
            if data.get("party") == Party.PARTNER and not (data.get("partner") or "").strip():
                form.add_error("partner", _("Name the partner that makes this commitment."))
            code = data.get("goal_code")
            if code and code not in goal_codes:
                form.add_error(
                    "goal_code",
                    _("No published plan of this gemeente has a goal with the code “%(code)s”.")
                    % {"code": code},
                )
            elif code and len(plans_of_code[code]) > 1:
                # Codes are unique within a plan only: the commitment could serve either goal.
                form.add_error(
                    "goal_code",
                    _(
                        "More than one plan of this gemeente has a goal with the code "
                        "“%(code)s”: give the goal a code of its own in one of the plans first."
                    )
                    % {"code": code},
                )
