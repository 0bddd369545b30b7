"""The monitor's data: a value per indicator per year, and the visitatie reports.

Values are not part of a plan's revisions: they are measurements, entered or imported as
they come in, each with its source. They point at a plan and an indicator code (not at a
goal row), so editing, reordering or re-entering a plan's goals never loses a measurement.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class IndicatorValue(models.Model):
    plan = models.ForeignKey(
        "programme.NeighbourhoodActionPlanPage",
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("wijkactieplan"),
    )
    indicator_code = models.SlugField(_("indicator (code)"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["plan", "indicator_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator_code", "year"], name="one_value_per_indicator_year"
            )
        ]

    def __str__(self):
        return f"{self.indicator_code} {self.year}: {self.value}"


class VisitationReport(models.Model):
    """The report of an external visitatie of a gemeente (the second half of 2008 and of
    2010), attached to the gemeente."""

    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="visitation_reports",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    committee = models.CharField(
        _("visitation committee"), max_length=300, help_text=_("Who visited, and its chair.")
    )
    summary = models.TextField(_("summary"), max_length=2000)
    published_on = models.DateField(_("published on"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("report"),
    )

    panels = [
        FieldRowPanel([FieldPanel("municipality"), FieldPanel("year")]),
        FieldPanel("title"),
        FieldPanel("committee"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("published_on"), FieldPanel("document")]),
    ]

    class Meta:
        verbose_name = _("visitation report")
        verbose_name_plural = _("visitation reports")
        ordering = ["municipality", "-year"]

    def __str__(self):
        return f"{self.title} ({self.year})"
