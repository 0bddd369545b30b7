"""Reminders that an experiment's results are overdue (see remind_overdue_experiments)."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import capfirst

from core.absolute_urls import absolute_url, admin_url
from core.mail import send_to_each
from experiments.models import ExperimentPage, ResultsReminder
from kennisbank.models import EvaluationIndexPage, EvaluationPage

from .roles import editors_of_municipality


def reminder_period() -> dt.timedelta:
    return dt.timedelta(days=settings.OVERDUE_REMINDER_DAYS)


def due_for_reminder(now=None):
    """Live experiments whose results are expected and whose editors were not reminded
    within the period."""
    now = now or timezone.now()
    recently = now - reminder_period()
    return (
        ExperimentPage.objects.live()
        .results_expected(today=timezone.localdate(now))
        .exclude(results_reminder__last_sent_at__gt=recently)
        .select_related("municipality", "registration")
        .order_by("municipality__name", "planned_end_date", "title")
    )


def send_reminders(now=None, dry_run=False) -> list[tuple]:
    """Email each municipality's editors about its experiments that are due; record the
    reminder per experiment. Returns (municipality, experiments, recipients) per gemeente."""
    now = now or timezone.now()
    per_municipality = defaultdict(list)
    for experiment in due_for_reminder(now):
        per_municipality[experiment.municipality].append(experiment)

    # What the editors can do about it: submit the evaluation (their groups may add one under
    # the evaluations index, for moderation) or move the planned end date.
    evaluations = EvaluationIndexPage.objects.first()
    add_evaluation_url = (
        admin_url("wagtailadmin_pages:add", "kennisbank", "evaluationpage", evaluations.pk)
        if evaluations
        else ""
    )
    report = []
    for municipality, experiments in per_municipality.items():
        recipients = [u.email for u in editors_of_municipality(municipality) if u.email]
        report.append((municipality, experiments, recipients))
        if not recipients or dry_run:
            continue  # nobody to tell yet: no reminder is recorded, so it goes out once someone is
        items = [
            {
                "experiment": e,
                "edit_url": admin_url("wagtailadmin_pages:edit", e.pk),
                "public_url": absolute_url(e.url),
            }
            for e in experiments
        ]
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "municipality": municipality,
                "items": items,
                "period_days": reminder_period().days,
                "add_evaluation_url": add_evaluation_url,
                # The form's own labels, so the instructions name what the editor sees.
                "evaluated_field": capfirst(
                    EvaluationPage._meta.get_field("experiments").verbose_name
                ),
                "end_date_field": capfirst(
                    ExperimentPage._meta.get_field("planned_end_date").verbose_name
                ),
            }
        send_to_each("experiments/email/results_reminder", context, recipients)
        for e in experiments:
            reminder, created = ResultsReminder.objects.get_or_create(
                page=e, defaults={"last_sent_at": now, "times_sent": 1}
            )
            if not created:
                reminder.last_sent_at = now
                reminder.times_sent += 1
                reminder.save(update_fields=["last_sent_at", "times_sent"])
    return report
