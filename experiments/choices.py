"""The fixed lists an experiment's fields choose from. They sit below the models so that the
registry's history (history.py), which the models use, can name them too."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperimentStatus(models.TextChoices):
    # The values appear in URLs and search filters: Dutch slugs, never changed.
    PREPARING = "in-voorbereiding", _("in preparation")
    RUNNING = "lopend", _("running")
    COMPLETED = "afgerond", _("completed")
    STOPPED = "gestopt", _("stopped")


# Only these owe results: an experiment in preparation has none yet, and a stopped one says
# why it stopped instead.
RESULTS_OWED_STATUSES = (ExperimentStatus.RUNNING, ExperimentStatus.COMPLETED)


class PartnerRole(models.TextChoices):
    HOUSING_ASSOCIATION = "woningcorporatie", _("housing association")
    SCHOOL = "school", _("school")
    POLICE = "politie", _("police")
    MUNICIPALITY = "gemeente", _("municipality")
    WELFARE = "welzijn", _("welfare organisation")
    CARE = "zorg", _("care provider")
    RESIDENTS = "bewoners", _("residents")
    BUSINESS = "ondernemers", _("business")
    KNOWLEDGE_INSTITUTE = "kennisinstelling", _("knowledge institute")
    OTHER = "anders", _("other")
