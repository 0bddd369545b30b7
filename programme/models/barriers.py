"""The barrier register: each rule or funding stream in the way, and each ask of the Rijk,
as one entry linked to every registration and plan that raises it, with the responsible
ministry, its status and the Rijk's answer.

Entries are pages under /belemmeringen/ (places.BarrierIndexPage, which lists them as a
faceted search), edited by the Rijk's programme directorate only: gemeenten raise a barrier
in their registration or plan; the directorate records it here and answers it. As pages
they have revisions, so every answer and status change is kept.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from experiments.models import RICH_TEXT_FEATURES

from ..barrier_forms import BarrierPageForm
from ..barrier_pages import raised_by, status_history
from ..choices import BarrierKind, BarrierStatus


class Ministry(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("abbreviation"), FieldPanel("slug")])]

    class Meta:
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BarrierPage(Page):
    kind = models.CharField(_("kind"), max_length=20, choices=BarrierKind.choices)
    summary = models.TextField(
        _("summary"),
        max_length=800,
        help_text=_("Which rule or stream, and how it gets in the way."),
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    ministry = models.ForeignKey(
        Ministry,
        on_delete=models.PROTECT,
        related_name="barriers",
        verbose_name=_("responsible ministry"),
    )
    regulation = models.CharField(
        _("rule or funding stream"),
        max_length=300,
        blank=True,
        help_text=_(
            "For example: Wet werk en bijstand, art. 9; or the name of the funding scheme."
        ),
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme", related_name="barriers", verbose_name=_("themes")
    )
    experiments = ParentalManyToManyField(
        "experiments.ExperimentPage",
        related_name="barriers",
        blank=True,
        verbose_name=_("raised by registrations"),
    )
    action_plans = ParentalManyToManyField(
        "programme.NeighbourhoodActionPlanPage",
        related_name="barriers",
        blank=True,
        verbose_name=_("raised by wijkactieplannen"),
    )
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=20, choices=BarrierStatus.choices, default=BarrierStatus.RECEIVED
    )
    answer = RichTextField(
        _("answer of the national government"), blank=True, features=RICH_TEXT_FEATURES
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("ministry"), FieldPanel("received_on")]),
        FieldPanel("summary"),
        FieldPanel("regulation"),
        FieldPanel("description"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [FieldPanel("experiments"), FieldPanel("action_plans")], heading=_("Raised by")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("answered_on")]),
                FieldPanel("answer"),
            ],
            heading=_("Answer"),
        ),
    ]
    base_form_class = BarrierPageForm
    parent_page_types = ["places.BarrierIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["raised_by"] = raised_by(self)
        context["status_history"] = status_history(self)
        return context


class PlanAnnotation(models.Model):
    """A remark of the Rijk (the programme directorate or the gemeente's accountmanager) on a
    wijkactieplan, shown on the plan. Gemeenten cannot write or change these."""

    plan = models.ForeignKey(
        "programme.NeighbourhoodActionPlanPage",
        on_delete=models.CASCADE,
        related_name="annotations",
        verbose_name=_("wijkactieplan"),
    )
    author = models.CharField(
        _("on behalf of"),
        max_length=200,
        help_text=_("For example: Programmadirectie Krachtwijken."),
    )
    text = models.TextField(_("remark"), max_length=2000)
    written_on = models.DateField(_("date"))

    panels = [
        FieldPanel("plan"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("written_on")]),
        FieldPanel("text"),
    ]

    class Meta:
        verbose_name = _("remark of the national government")
        verbose_name_plural = _("remarks of the national government")
        ordering = ["plan", "-written_on"]

    def __str__(self):
        return f"{self.author}, {self.written_on}"
