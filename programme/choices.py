"""The fixed lists of the programme's loop. Values appear in URLs, search filters and import
files: Dutch slugs, never changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Party(models.TextChoices):
    """Who commits to something in a charter, or signs it."""

    RIJK = "rijk", _("national government")
    GEMEENTE = "gemeente", _("municipality")
    PARTNER = "partner", _("partner")


class Direction(models.TextChoices):
    """Which way an indicator should move for the goal to be reached."""

    HIGHER = "hoger", _("higher is better")
    LOWER = "lager", _("lower is better")


class BarrierKind(models.TextChoices):
    RULE = "regelgeving", _("law or regulation")
    FUNDING = "financiering", _("funding stream")
    REQUEST = "vraag", _("request to the national government")


class BarrierStatus(models.TextChoices):
    RECEIVED = "ontvangen", _("received")
    IN_PROGRESS = "in-behandeling", _("being considered")
    RESOLVED = "opgelost", _("resolved")
    REJECTED = "afgewezen", _("rejected")
    LEGISLATION = "in-wetgeving", _("in legislation")
