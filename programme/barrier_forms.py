"""The barrier entry's admin form. The registrations and plans it offers are published ones
("KW-2009-0012 · Titel (Rotterdam)"), never drafts or withdrawn registrations; what is linked
already stays listed. The checks say at the field what is missing: who raises the barrier,
and an answer that is dated, not before the barrier was received nor in the future, with a
status that fits it."""

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from experiments.models import registry_label
from security.forms import MediaCheckedPageForm
from vocabulary.forms import chosen_pks

from .choices import BarrierStatus

# These statuses close the question, so the Rijk's answer must say how.
STATUSES_NEEDING_AN_ANSWER = (
    BarrierStatus.RESOLVED,
    BarrierStatus.REJECTED,
    BarrierStatus.LEGISLATION,
)


def _has_text(html: str) -> bool:
    return bool(strip_tags(html or "").replace("&nbsp;", " ").strip())


class BarrierPageForm(MediaCheckedPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offers = {
            "experiments": (
                Q(live=True) & Q(registration__withdrawn_at__isnull=True),
                ("municipality", "registration"),
                lambda page: registry_label(
                    page.registration_number, page.title, page.municipality.name
                ),
            ),
            "action_plans": (
                Q(live=True),
                ("municipality",),
                lambda page: registry_label("", page.title, page.municipality.name),
            ),
        }
        for name, (published, related, label) in offers.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.queryset = (
                field.queryset.model.objects.filter(published | Q(pk__in=chosen_pks(self, name)))
                .select_related(*related)
                .order_by("municipality__name", "title")
            )
            field.label_from_instance = label

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("experiments") and not cleaned_data.get("action_plans"):
            message = _("Choose at least one registration or wijkactieplan that raises this.")
            self.add_error("experiments", message)
            self.add_error("action_plans", message)

        status = cleaned_data.get("status")
        answered = _has_text(cleaned_data.get("answer"))
        answered_on = cleaned_data.get("answered_on")
        received_on = cleaned_data.get("received_on")
        if answered and not answered_on:
            self.add_error("answered_on", _("Give the date of the answer."))
        if answered_on and not answered:
            self.add_error("answer", _("Write the answer this date belongs to, or clear the date."))
        if answered and status == BarrierStatus.RECEIVED:
            self.add_error(
                "status",
                _("An answered barrier is no longer just received: choose the status it has now."),
            )
        if status in STATUSES_NEEDING_AN_ANSWER and not answered:
            self.add_error(
                "answer",
                _("A barrier that is %(status)s needs the answer of the national government.")
                % {"status": BarrierStatus(status).label},
            )
        if answered_on:
            if received_on and answered_on < received_on:
                self.add_error(
                    "answered_on",
                    _("The answer cannot be dated before the barrier was received (%(date)s).")
                    % {"date": formats.date_format(received_on)},
                )
            if answered_on > timezone.localdate():
                self.add_error("answered_on", _("The date of the answer cannot be in the future."))
        return cleaned_data
