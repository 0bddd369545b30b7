from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    MEETING = "bijeenkomst", _("meeting")
    EXCURSION = "excursie", _("excursion")
    CONFERENCE = "conferentie", _("conference")


class EventStatus(models.TextChoices):
    SCHEDULED = "gepland", _("scheduled")
    CANCELLED = "geannuleerd", _("cancelled")


class RegistrationStatus(models.TextChoices):
    # Asked for, not yet confirmed by the link in the mail: holds no seat.
    PENDING = "aangevraagd", _("awaiting confirmation")
    CONFIRMED = "aangemeld", _("registered")
    WAITING = "wachtlijst", _("on the waiting list")
    CANCELLED = "afgemeld", _("cancelled by the participant")
    EVENT_CANCELLED = "vervallen", _("event cancelled")


# The registrations that still count: they hold a seat, a place on the waiting list, or wait
# for their confirmation.
ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
)
