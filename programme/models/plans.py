"""Wijkactieplannen and charters: what each gemeente plans per wijk, and what gemeente and
Rijk promise each other.

They live under one section page per gemeente (/wijkactieplannen/<gemeente>/), so Wagtail's
page permissions give each gemeente its own plans and charter, as for its registrations.
Goals and prestaties are child rows of the plan and travel with its revisions; a prestatie
names the goal it serves by the goal's code, because the code is what the editor types and
what the monitor's import files use, and it survives goals being reordered or re-entered.
"""

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.sections import OwnedBySection
from experiments.choices import PartnerRole
from experiments.models import RICH_TEXT_FEATURES, ExperimentPage, SectionPage

from ..choices import Direction, Party
from ..forms import CharterPageForm, NeighbourhoodActionPlanPageForm
from ..history import published_history


class ProgrammeIndexPage(RoutablePageMixin, Page):
    """/wijkactieplannen/: every gemeente's plans and charter, and the national monitor."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["programme.MunicipalityProgrammePage"]
    max_count = 1

    class Meta:
        verbose_name = _("action plans index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = list(
            MunicipalityProgrammePage.objects.child_of(self)
            .live()
            .public()
            .select_related("municipality")
            .order_by("municipality__name")
        )
        plans = (
            NeighbourhoodActionPlanPage.objects.live()
            .public()
            .select_related("municipality")
            .prefetch_related("neighbourhoods")
            .order_by("title")
        )
        charters = CharterPage.objects.live().public().select_related("municipality")
        plans_of, charter_of = {}, {c.municipality_id: c for c in charters}
        for plan in plans:
            plans_of.setdefault(plan.municipality_id, []).append(plan)
        context["sections"] = [
            {
                "page": section,
                "plans": plans_of.get(section.municipality_id, []),
                "charter": charter_of.get(section.municipality_id),
            }
            for section in sections
        ]
        return context

    @path("monitor/", name="monitor")
    def monitor(self, request):
        from ..monitor_views import national_monitor  # the monitor imports these models

        return national_monitor(self, request)


class MunicipalityProgrammePage(SectionPage):
    """/wijkactieplannen/<gemeente>/: one gemeente's wijkactieplannen and its charter."""

    municipality = models.OneToOneField(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="programme_page",
        verbose_name=_("municipality"),
    )

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["programme.ProgrammeIndexPage"]
    subpage_types = ["programme.NeighbourhoodActionPlanPage", "programme.CharterPage"]

    class Meta:
        verbose_name = _("action plans of a municipality")
        verbose_name_plural = _("action plans of municipalities")

    def get_context(self, request, *args, **kwargs):
        # Two kinds of pages below (plans and the charter), where SectionPage expects one.
        context = Page.get_context(self, request, *args, **kwargs)
        context["plans"] = (
            NeighbourhoodActionPlanPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("neighbourhoods")
            .order_by("title")
        )
        context["charter"] = CharterPage.objects.child_of(self).live().public().first()
        context["visitation_reports"] = self.municipality.visitation_reports.select_related(
            "document"
        )
        return context


class NeighbourhoodActionPlanPage(OwnedBySection, Page):
    """A wijkactieplan: the analysis, per theme the goals (outcome, each with an indicator)
    and the prestaties (output) that should reach them, the residents' budget, the asks of
    the Rijk and the experiments it takes on. One plan may cover several wijken."""

    owner_field = "municipality_id"

    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("municipality"),
        editable=False,
    )
    neighbourhoods = ParentalManyToManyField(
        "vocabulary.Neighbourhood",
        related_name="action_plans",
        verbose_name=_("wijken"),
        help_text=_("The wijken the plan is for; they must belong to the municipality."),
    )
    summary = models.TextField(_("summary"), max_length=800)
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, help_text=_("The day the plan was adopted.")
    )
    period_start = models.PositiveSmallIntegerField(_("first year"), default=2008)
    period_end = models.PositiveSmallIntegerField(_("last year"), default=2017)
    problem_analysis = RichTextField(
        _("problem analysis"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("The dominant problems of the wijk, briefly: a short analysis, not a report."),
    )
    residents_budget = models.DecimalField(
        _("residents' budget (euro per year)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("The budget residents decide on for their own initiatives."),
    )
    residents_budget_note = models.TextField(
        _("how residents decide on it"), blank=True, max_length=1000
    )
    requests_to_government = RichTextField(
        _("requests to the national government"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What the plan needs from the Rijk beyond existing arrangements."),
    )
    experiments = ParentalManyToManyField(
        "experiments.ExperimentPage",
        related_name="action_plans",
        blank=True,
        verbose_name=_("experiments taken on"),
    )
    change_note = models.TextField(
        _("explanation of this change"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Required when you publish a change to a published plan: what changes and why. "
            "It is shown publicly in the plan's history."
        ),
    )

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldPanel("change_note"),
        FieldPanel("summary"),
        FieldPanel("neighbourhoods"),
        FieldRowPanel(
            [FieldPanel("adopted_on"), FieldPanel("period_start"), FieldPanel("period_end")]
        ),
        FieldPanel("problem_analysis"),
        InlinePanel("goals", label=_("goal")),
        InlinePanel("activities", label=_("prestatie")),
        MultiFieldPanel(
            [FieldPanel("residents_budget"), FieldPanel("residents_budget_note")],
            heading=_("Residents' budget"),
        ),
        FieldPanel("requests_to_government"),
        FieldPanel("experiments"),
    ]
    parent_page_types = ["programme.MunicipalityProgrammePage"]
    subpage_types: list[str] = []
    base_form_class = NeighbourhoodActionPlanPageForm

    class Meta:
        verbose_name = _("wijkactieplan")
        verbose_name_plural = _("wijkactieplannen")

    # What the public history compares between published versions.
    history_fields = [
        "title",
        "summary",
        "neighbourhoods",
        "adopted_on",
        "period_start",
        "period_end",
        "problem_analysis",
        "residents_budget",
        "residents_budget_note",
        "requests_to_government",
        "experiments",
    ]
    history_children = ["goals", "activities"]

    def goals_by_theme(self) -> list[dict]:
        """Per theme (in the order of its first goal) the goals, each with the prestaties
        that name its code; prestaties naming no goal of the plan come last, unthemed."""
        goals = list(self.goals.select_related("theme"))
        activities = list(self.activities.all())
        by_code: dict[str, list] = {}
        for activity in activities:
            by_code.setdefault(activity.goal_code, []).append(activity)
        themes: dict[int, dict] = {}
        for goal in goals:
            group = themes.setdefault(goal.theme_id, {"theme": goal.theme, "goals": []})
            group["goals"].append({"goal": goal, "activities": by_code.pop(goal.code, [])})
        loose = [a for rows in by_code.values() for a in rows]
        return list(themes.values()) + ([{"theme": None, "loose": loose}] if loose else [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["goal_groups"] = self.goals_by_theme()
        context["neighbourhoods"] = self.neighbourhoods.select_related("municipality")
        # Read the ids from the relation itself: in a preview it holds unsaved choices. The
        # API lists the same experiments (live, public, not withdrawn).
        context["experiments"] = (
            ExperimentPage.objects.filter(pk__in=[e.pk for e in self.experiments.all()])
            .live()
            .public()
            .not_withdrawn()
            .select_related("municipality", "registration")
            .order_by("title")
        )
        parent = self.get_parent() if self.pk else None
        context["charter"] = (
            CharterPage.objects.child_of(parent).live().public().first() if parent else None
        )
        context["history"] = (
            published_history(self, self.history_fields, self.history_children) if self.pk else []
        )
        return context


class PlanGoal(Orderable):
    """A maatschappelijk doel (outcome) of a plan, on one theme, measured by one indicator."""

    page = ParentalKey(NeighbourhoodActionPlanPage, on_delete=models.CASCADE, related_name="goals")
    theme = models.ForeignKey(
        "vocabulary.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme")
    )
    goal = models.CharField(
        _("goal"),
        max_length=300,
        help_text=_("The societal effect, for example: fewer young people leave school early."),
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_(
            "A short name of the indicator, unique within the plan, for example "
            "'voortijdig-schoolverlaten'. Monitor files and prestaties refer to it."
        ),
    )
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: %, number, grade."))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("theme"), FieldPanel("code")]),
        FieldPanel("goal"),
        FieldRowPanel([FieldPanel("indicator"), FieldPanel("unit"), FieldPanel("direction")]),
        FieldRowPanel([FieldPanel("baseline_year"), FieldPanel("baseline_value")]),
        FieldRowPanel([FieldPanel("target_year"), FieldPanel("target_value")]),
        FieldPanel("source"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.goal


class PlanActivity(Orderable):
    """A prestatie (output) of a plan: what a partner delivers, how much was agreed and how
    much is done, serving one of the plan's goals."""

    page = ParentalKey(
        NeighbourhoodActionPlanPage, on_delete=models.CASCADE, related_name="activities"
    )
    goal_code = models.SlugField(
        _("goal (code)"), max_length=60, help_text=_("The code of the goal this prestatie serves.")
    )
    description = models.CharField(_("prestatie"), max_length=300)
    partner = models.CharField(_("delivered by"), max_length=200)
    partner_role = models.CharField(
        _("kind of partner"), max_length=20, choices=PartnerRole.choices, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: homes, pupils."))
    planned_quantity = models.DecimalField(_("agreed"), max_digits=14, decimal_places=2)
    realised_quantity = models.DecimalField(
        _("delivered so far"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=14, decimal_places=0, null=True, blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("goal_code"), FieldPanel("description")]),
        FieldRowPanel([FieldPanel("partner"), FieldPanel("partner_role")]),
        FieldRowPanel(
            [
                FieldPanel("unit"),
                FieldPanel("planned_quantity"),
                FieldPanel("realised_quantity"),
                FieldPanel("budget"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("prestatie")
        verbose_name_plural = _("prestaties")

    def __str__(self):
        return self.description


class CharterPage(OwnedBySection, Page):
    """A gemeente's charter: signed by gemeente and Rijk (two bewindslieden), with each
    party's commitments per theme at outcome level. Changed only by mutual agreement, so
    every published change says why and shows in the history."""

    owner_field = "municipality_id"

    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="charters",
        verbose_name=_("municipality"),
        editable=False,
    )
    summary = models.TextField(_("summary"), max_length=800)
    signed_on = models.DateField(_("signed on"))
    change_note = models.TextField(
        _("explanation of this change"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Required when you publish a change to a published charter: what both parties "
            "agreed to change and why. It is shown publicly in the charter's history."
        ),
    )

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldPanel("change_note"),
        FieldPanel("summary"),
        FieldPanel("signed_on"),
        InlinePanel("signatories", label=_("signatory")),
        InlinePanel("commitments", label=_("commitment")),
    ]
    parent_page_types = ["programme.MunicipalityProgrammePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    base_form_class = CharterPageForm

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    history_fields = ["title", "summary", "signed_on"]
    history_children = ["signatories", "commitments"]

    def commitments_by_party(self) -> list[dict]:
        """Per party (Rijk, gemeente, partners, in that order) its commitments per theme,
        each with the plan goal it serves, looked up in the gemeente's live plans."""
        # Codes are unique within a plan only; a code two plans share links to neither (the
        # charter's form refuses it, but a plan may take the code on later).
        goals_of_code: dict[str, list] = defaultdict(list)
        if self.pk:
            live_plans = (
                NeighbourhoodActionPlanPage.objects.child_of(self.get_parent()).live().public()
            )
            for goal in PlanGoal.objects.filter(page__in=live_plans).select_related("page"):
                goals_of_code[goal.code].append(goal)
        goals = {code: found[0] for code, found in goals_of_code.items() if len(found) == 1}
        parties: dict[str, list] = defaultdict(list)
        for commitment in self.commitments.select_related("theme"):
            parties[commitment.party].append(
                {"commitment": commitment, "goal": goals.get(commitment.goal_code)}
            )
        return [
            {"party": party, "label": party.label, "commitments": parties[party.value]}
            for party in Party
            if parties[party.value]
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["parties"] = self.commitments_by_party()
        context["plans"] = (
            NeighbourhoodActionPlanPage.objects.child_of(self.get_parent())
            .live()
            .public()
            .order_by("title")
            if self.pk
            else []
        )
        context["history"] = (
            published_history(self, self.history_fields, self.history_children) if self.pk else []
        )
        return context


class CharterSignatory(Orderable):
    page = ParentalKey(CharterPage, on_delete=models.CASCADE, related_name="signatories")
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(
        _("function"), max_length=200, help_text=_("For example: minister for Housing.")
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("party"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("function"), FieldPanel("organisation")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")


class CharterCommitment(Orderable):
    """What one party commits to on one theme; optionally the plan goal it serves (by its
    code), so the charter and the monitor meet."""

    page = ParentalKey(CharterPage, on_delete=models.CASCADE, related_name="commitments")
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    partner = models.CharField(
        _("partner"), max_length=200, blank=True, help_text=_("Which partner, for a partner.")
    )
    theme = models.ForeignKey(
        "vocabulary.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme")
    )
    commitment = models.TextField(_("commitment"), max_length=2000)
    goal_code = models.SlugField(
        _("plan goal (code)"),
        max_length=60,
        blank=True,
        help_text=_("The code of a goal in one of the municipality's plans, if it serves one."),
    )

    panels = [
        FieldRowPanel([FieldPanel("party"), FieldPanel("partner"), FieldPanel("theme")]),
        FieldPanel("commitment"),
        FieldPanel("goal_code"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
