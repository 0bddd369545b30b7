"""The registry's pages: experiment registrations, like entries in a trial registry, one per
local experiment.

Experiments live under one parent page per municipality, so Wagtail's page permissions
give each gemeente rights over its own registrations only.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.absolute_urls import absolute_url
from core.listing import count_per, page_of
from core.sections import OwnedBySection

from ..choices import RESULTS_OWED_STATUSES, ExperimentStatus, PartnerRole
from ..forms import ExperimentPageForm
from ..history import RegistryHistory

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class SectionPage(Page):
    """A section of the page tree: what one gemeente or knowledge centre is given
    (/experimenten/<gemeente>/, /kennisbank/praktijken/<gemeente>/,
    /kennisbank/kenniscentra/<centre>/). Each section declares its owner, a one-to-one key to
    the gemeente or centre, which the pages made in it take over (core.sections.OwnedBySection);
    its editors get their page permissions here (editorial.setup) and work below it, not on
    the section page itself (editorial.wagtail_hooks). Its page lists the pages it holds."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    listing_order: tuple[str, ...] = ("title",)  # of the pages its page lists

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        (listed,) = self.clean_subpage_models()  # a section holds pages of one type
        pages = listed.objects.child_of(self).live().public().for_listing()
        context["page_obj"] = page_of(request, pages.order_by(*self.listing_order))
        return context


class ExperimentIndexPage(Page):
    """/experimenten/: all registrations, newest first, with the municipalities' sections as
    a sub-navigation."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["experiments.MunicipalityExperimentsPage"]
    max_count = 1
    # Registrations are public for good, so nothing above them can be made private.
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("experiments index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = list(
            MunicipalityExperimentsPage.objects.child_of(self)
            .live()
            .public()
            .select_related("municipality")
            .order_by("municipality__name")
        )
        counts = count_per(ExperimentPage.objects.live().public(), "municipality")
        for section in sections:
            section.experiment_count = counts.get(section.municipality_id, 0)
        context["sections"] = sections
        context["page_obj"] = page_of(
            request,
            ExperimentPage.objects.descendant_of(self)
            .live()
            .public()
            .not_withdrawn()
            .for_listing()
            .order_by("-first_published_at", "-pk"),
        )
        return context


class MunicipalityExperimentsPage(SectionPage):
    """/experimenten/<gemeente>/: the parent of one municipality's registrations."""

    municipality = models.OneToOneField(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="experiments_page",
        verbose_name=_("municipality"),
    )

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["experiments.ExperimentIndexPage"]
    subpage_types = ["experiments.ExperimentPage"]
    # Registrations below stay public (see ExperimentIndexPage).
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("experiments of a municipality")
        verbose_name_plural = _("experiments of municipalities")


class ExperimentPageQuerySet(PageQuerySet):
    def for_listing(self):
        """What every listing of experiments shows, fetched in a fixed number of queries."""
        return self.select_related(
            "municipality", "experiment_type", "registration"
        ).prefetch_related("neighbourhoods__municipality", "themes")

    def with_live_evaluation_flag(self):
        """Annotate `_has_live_evaluation`, read by ExperimentPage.has_live_evaluation.

        Goes through the evaluations' link table (kennisbank points at experiments, never
        the other way round), so this app needs no import of kennisbank.
        """
        relation = self.model._meta.get_field(
            "evaluations"
        )  # the reverse side of EvaluationPage.experiments
        link = relation.through
        evaluation_key = relation.field.m2m_field_name()  # "evaluationpage"
        experiment_key = relation.field.m2m_reverse_field_name()  # "experimentpage"
        live_link = link.objects.filter(
            **{experiment_key: OuterRef("pk"), f"{evaluation_key}__live": True}
        )
        # results_expected also reads `withdrawn`, which lives on the registration.
        return self.annotate(_has_live_evaluation=Exists(live_link)).select_related("registration")

    def results_expected(self, today=None):
        """Experiments whose results are overdue: running or completed, past their (planned)
        end date, without a live evaluation (see ExperimentPage.results_expected)."""
        today = today or timezone.localdate()
        return (
            self.with_live_evaluation_flag()
            .annotate(_results_due=Coalesce("planned_end_date", "end_date"))
            .filter(
                status__in=RESULTS_OWED_STATUSES, _results_due__lt=today, _has_live_evaluation=False
            )
            .not_withdrawn()
        )

    def not_withdrawn(self):
        return self.exclude(registration__withdrawn_at__isnull=False)


class ExperimentPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "experiments.ExperimentPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PublishingPanelWithoutExpiry(PublishingPanel):
    """Wagtail's publishing schedule without its expiry date: a registration does not expire,
    it is withdrawn with a reason."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.children = [
            child for child in self.children if getattr(child, "field_name", "") != "expire_at"
        ]


class ExperimentPage(RoutablePageMixin, OwnedBySection, Page):
    """One registration. Besides the page itself it answers at two stable sub-URLs:
    `registratie/` (the registration as first published) and `versies/<n>/` (each published
    version), both built from the registry's own record of publications (RegistryVersion)."""

    owner_field = "municipality_id"

    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="experiments",
        verbose_name=_("municipality"),
        editable=False,
    )
    summary = models.TextField(
        _("summary"),
        max_length=800,
        help_text=_("Two or three sentences: what is tried, where, and for whom."),
    )
    experiment_type = models.ForeignKey(
        "vocabulary.ExperimentType",
        on_delete=models.PROTECT,
        related_name="experiments",
        verbose_name=_("experiment type"),
        help_text=_(
            "The kind of doorzettingsmacht tried; local variants of one type are compared on the type's page."
        ),
    )
    neighbourhoods = ParentalManyToManyField(
        "vocabulary.Neighbourhood",
        related_name="experiments",
        blank=True,
        verbose_name=_("wijken"),
        help_text=_("The wijken where the experiment runs; they must belong to the municipality."),
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme",
        related_name="experiments",
        verbose_name=_("themes"),
        help_text=_("The themes of the wijkactieplan the experiment works on."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExperimentStatus.choices,
        default=ExperimentStatus.PREPARING,
        help_text=_(
            "Running needs a start date; completed needs the actual end date; stopped needs "
            "the actual end date and the reason for stopping."
        ),
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Required once the experiment is running."),
    )
    planned_end_date = models.DateField(
        _("planned end date"),
        null=True,
        blank=True,
        help_text=_(
            "When results are expected. Once this date has passed without a published evaluation, "
            "the page says that results are expected and the editors get a reminder."
        ),
    )
    end_date = models.DateField(
        _("actual end date"),
        null=True,
        blank=True,
        help_text=_(
            "The day the experiment actually ended: required for completed and stopped, never in the future."
        ),
    )
    stop_reason = models.TextField(
        _("reason for stopping"),
        blank=True,
        help_text=_(
            "Required when the experiment has stopped: why it stopped, and what was learnt from it."
        ),
    )

    problem_analysis = RichTextField(
        _("problem analysis"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "What goes wrong in the wijk, for whom, and why the usual approach falls short."
        ),
    )
    goals = RichTextField(
        _("goals (societal effects)"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("The maatschappelijke effecten the experiment aims for."),
    )
    activities = RichTextField(
        _("activities (outputs)"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("The prestaties: what is done, by whom, how often."),
    )
    target_group = models.TextField(
        _("target group"),
        blank=True,
        help_text=_(
            "Who the experiment is for, for example: families with multiple problems, young people aged 12 to 23."
        ),
    )
    mandate = RichTextField(
        _("mandate tested (doorzettingsmacht)"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Which power to cut through is tested, and who holds it."),
    )
    research_design = RichTextField(
        _("research design"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "How the effects are measured (for example a pre/post measurement or a comparison group), by whom, and when results are expected."
        ),
    )
    obstacles = RichTextField(
        _("rules and funding streams in the way"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Which laws, rules or separate funding streams get in the way, and how."),
    )
    request_to_government = RichTextField(
        _("request to the national government"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "What the municipality asks of the national government to make the experiment work."
        ),
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the public page and kept in the registration's history."),
    )
    # Asked for at every publication after the first (experiments.forms.ExperimentPageForm);
    # it travels with the revision to the moderator and is recorded with the version.
    change_note = models.TextField(
        _("explanation of this change"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Required when you publish or submit a change to a published registration: what "
            "changes and why. It is shown publicly in the registration's history."
        ),
    )
    contact_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Shown on the public page while it is current; never shown in the history."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    tags = ClusterTaggableManager(through=ExperimentPageTag, blank=True, verbose_name=_("tags"))

    objects = PageManager.from_queryset(ExperimentPageQuerySet)()

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("problem_analysis"),
        index.FilterField("status"),
        # Editors look a registration up by its number in the admin search.
        index.AutocompleteField("registration_number_terms"),
    ]

    basic_panels = [
        FieldPanel("change_note"),  # only on a published registration (ExperimentPageForm)
        TitleFieldPanel("title"),  # fills the slug from the title, as Page.content_panels does
        FieldPanel("summary"),
        FieldPanel("experiment_type"),
        FieldPanel("neighbourhoods"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel(
                    [
                        FieldPanel("start_date"),
                        FieldPanel("planned_end_date"),
                        FieldPanel("end_date"),
                    ]
                ),
                FieldPanel("stop_reason"),
            ],
            heading=_("Status and dates"),
        ),
        FieldPanel("tags"),
        FieldPanel("image"),
    ]
    approach_panels = [
        FieldPanel("problem_analysis"),
        FieldPanel("goals"),
        FieldPanel("activities"),
        FieldPanel("target_group"),
        FieldPanel("mandate"),
        FieldPanel("obstacles"),
        FieldPanel("request_to_government"),
    ]
    research_panels = [FieldPanel("research_design")]
    partner_panels = [InlinePanel("partners", label=_("partner"))]
    contact_panels = [
        FieldPanel("contact_name"),
        FieldPanel("contact_organisation"),
        FieldPanel("contact_email"),
        InlinePanel("documents", label=_("document")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(basic_panels, heading=_("Basics")),
            ObjectList(approach_panels, heading=_("Approach")),
            ObjectList(research_panels, heading=_("Research")),
            ObjectList(partner_panels, heading=_("Partners")),
            ObjectList(contact_panels, heading=_("Contact and documents")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList([PublishingPanelWithoutExpiry()], heading=_("Settings")),
        ]
    )
    base_form_class = ExperimentPageForm
    parent_page_types = ["experiments.MunicipalityExperimentsPage"]
    subpage_types: list[str] = []
    # A registration is public for good: it leaves the public only by withdrawal.
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.start_date and self.planned_end_date and self.planned_end_date < self.start_date:
            errors["planned_end_date"] = _("The planned end date cannot be before the start date.")
        # What the status promises, the dates and reasons must show.
        if self.status == ExperimentStatus.RUNNING and not self.start_date:
            errors.setdefault("start_date", _("A running experiment needs a start date."))
        if self.status in (ExperimentStatus.COMPLETED, ExperimentStatus.STOPPED):
            if not self.end_date:
                errors.setdefault(
                    "end_date",
                    _("A completed experiment needs its actual end date.")
                    if self.status == ExperimentStatus.COMPLETED
                    else _("A stopped experiment needs the date it stopped."),
                )
            elif self.end_date > timezone.localdate():
                errors.setdefault(
                    "end_date",
                    _(
                        "The actual end date cannot be in the future: it is the day the experiment ended."
                    ),
                )
        if self.status == ExperimentStatus.STOPPED and not (self.stop_reason or "").strip():
            errors["stop_reason"] = _("Say why the experiment stopped.")
        if errors:
            raise ValidationError(errors)

    @property
    def registration_number(self) -> str:
        try:
            return self.registration.number
        except ObjectDoesNotExist:
            return ""

    # --- Withdrawal and results --------------------------------------------------------------

    @property
    def withdrawn(self) -> bool:
        """True once the registration has been withdrawn (a tombstone is all that is public)."""
        try:
            return self.registration.withdrawn_at is not None
        except ObjectDoesNotExist:
            return False

    @property
    def results_due_date(self):
        """The day results are due: the planned end date, else the actual end date."""
        return self.planned_end_date or self.end_date

    @property
    def has_live_evaluation(self) -> bool:
        if hasattr(self, "_has_live_evaluation"):  # annotated by with_live_evaluation_flag()
            return self._has_live_evaluation
        prefetched = getattr(self, "live_evaluations", None)  # a Prefetch(to_attr=...) of live ones
        if prefetched is not None:
            return bool(prefetched)
        if self.pk is None:
            return False
        return self.evaluations.live().exists()

    @property
    def results_expected(self) -> bool:
        """Results are overdue: the experiment is running or completed, its (planned) end date
        has passed, and no evaluation of it is live."""
        due = self.results_due_date
        return bool(
            self.status in RESULTS_OWED_STATUSES
            and due
            and due < timezone.localdate()
            and not self.withdrawn
            and not self.has_live_evaluation
        )

    # --- Public URLs -------------------------------------------------------------------------

    def route(self, request, path_components):
        if self.pk is not None and self.withdrawn:
            # A withdrawn registration is unpublished but its URLs stay answered: with the
            # tombstone, for the page and its known sub-URLs.
            path = "/" + "".join(f"{c}/" for c in path_components)
            self.resolve_subpage(path)  # raises Http404 for unknown sub-URLs
            return RouteResult(self)
        return super().route(request, path_components)

    def serve(self, request, view=None, args=None, kwargs=None):
        if self.pk is not None and self.withdrawn:
            return TemplateResponse(
                request,
                "experiments/experiment_withdrawn.html",
                {"page": self, "self": self, "registration": self.registration},
                status=410,
            )
        return super().serve(request, view, args, kwargs)

    @path("")
    def current(self, request):
        return self.render(request)

    @path("registratie/")
    def original_registration(self, request):
        return self.serve_version(request, 1)

    @path("versies/<int:number>/")
    def version(self, request, number):
        return self.serve_version(request, number)

    def serve_version(self, request, number):
        history = RegistryHistory.for_page(self)
        version = history.version(number)
        if version is None:
            raise Http404
        crumb = (
            gettext("Original registration")
            if version.is_original
            else gettext("Version %(n)s") % {"n": version.number}
        )
        return TemplateResponse(
            request,
            "experiments/experiment_version.html",
            {
                "page": self,
                "self": self,
                "history": history,
                "version": version,
                "citation": self.citation(version),
                "crumbs": [(crumb, None)],
            },
        )

    def citation(self, version) -> dict:
        """What a reader needs to cite `version` of this registration: its permanent URL (on
        SITE_URL), which keeps showing exactly that text."""
        if version.is_original:
            subpath = self.reverse_subpage("original_registration")
        else:
            subpath = self.reverse_subpage("version", args=[version.number])
        return {
            "number": self.registration_number,
            "title": version.data.get("title") or self.title,
            "municipality": self.municipality.name,
            "version": version,
            "url": absolute_url(self.url + subpath),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = self.partners.all()
        if self.pk is None:  # a preview of a page that was never saved
            context.update(
                evaluations=[], derived_practices=[], documents=self.documents.all(), history=None
            )
            return context
        # Evaluations and practices point at experiments (kennisbank -> experiments); their
        # reverse accessors are how a registration lists what grew from it.
        context["evaluations"] = list(
            self.evaluations.live()
            .public()
            .select_related("recognition_level")
            .order_by("-publication_date", "title")
        )
        context["derived_practices"] = (
            self.practices.live().public().select_related("municipality").order_by("title")
        )
        context["documents"] = self.documents.select_related("document")
        context["history"] = history = RegistryHistory.for_page(self)
        if history.versions:
            context["citation"] = self.citation(history.versions[-1])
        return context

    # --- In the admin ------------------------------------------------------------------------
    # Listings annotate what these read (with_admin_facts), so they need no query per row.

    def registration_number_terms(self) -> str:
        """The number as the admin search indexes it: "KW 2011 0007". Both database backends
        split a query on hyphens, but PostgreSQL's parser would index "-2011" as one signed
        number, which the query's "2011" does not match."""
        return self.registration_number.replace("-", " ")

    def get_admin_display_title(self):
        """ "KW-2011-0007 · Titel (Rotterdam)": in the explorer, the admin search, the
        moderators' queue, the workflow reports and Wagtail's notification e-mails."""
        number = self._admin_number if hasattr(self, "_admin_number") else self.registration_number
        if hasattr(self, "_admin_municipality"):
            municipality = self._admin_municipality
        else:
            municipality = self.municipality.name if self.municipality_id else ""
        return registry_label(number, super().get_admin_display_title(), municipality)

    @property
    def status_string(self):
        # A withdrawn registration is unpublished, but it is no draft ("concept").
        if not self.live:
            withdrawn = (
                self._admin_withdrawn if hasattr(self, "_admin_withdrawn") else self.withdrawn
            )
            if withdrawn:
                return gettext("withdrawn")
        return super().status_string


def registry_label(number: str, title: str, municipality: str = "") -> str:
    """How the admin names a registration: "KW-2011-0007 · Titel (Rotterdam)", leaving out
    what is not known yet (a draft has no number)."""
    label = f"{number} · {title}" if number else title
    return f"{label} ({municipality})" if municipality else label


class ExperimentPartner(Orderable):
    Role = PartnerRole  # defined in choices.py, where the history names the roles too

    page = ParentalKey(ExperimentPage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("type"), max_length=30, choices=Role.choices)
    contribution = models.CharField(_("role in the experiment"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("contribution")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class ExperimentDocument(Orderable):
    page = ParentalKey(ExperimentPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the document's own title."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
