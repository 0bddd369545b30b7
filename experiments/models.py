"""Experiment registrations: like entries in a trial registry, one per local experiment.

Experiments live under one parent page per municipality, so Wagtail's page permissions
give each gemeente rights over its own registrations only.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, Max, OuterRef, Subquery
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

from core.listing import count_per, page_of
from vocabulary.sections import OwnedBySection

from .forms import ExperimentPageForm

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class ExperimentStatus(models.TextChoices):
    # The values appear in URLs and search filters: Dutch slugs, never changed.
    PREPARING = "in-voorbereiding", _("in preparation")
    RUNNING = "lopend", _("running")
    COMPLETED = "afgerond", _("completed")
    STOPPED = "gestopt", _("stopped")


# Only these owe results: an experiment in preparation has none yet, and a stopped one says
# why it stopped instead.
RESULTS_OWED_STATUSES = (ExperimentStatus.RUNNING, ExperimentStatus.COMPLETED)


class ExperimentIndexPage(Page):
    """/experimenten/: all registrations, grouped by municipality."""

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
        return context


class MunicipalityExperimentsPage(Page):
    """/experimenten/<gemeente>/: the parent of one municipality's registrations."""

    municipality = models.OneToOneField(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="experiments_page",
        verbose_name=_("municipality"),
    )
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["experiments.ExperimentIndexPage"]
    subpage_types = ["experiments.ExperimentPage"]
    private_page_options: list[
        str
    ] = []  # registrations below stay public (see ExperimentIndexPage)

    class Meta:
        verbose_name = _("experiments of a municipality")
        verbose_name_plural = _("experiments of municipalities")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        experiments = ExperimentPage.objects.child_of(self).live().public().for_listing()
        context["page_obj"] = page_of(request, experiments.order_by("title"))
        return context


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
        from .history import RegistryHistory

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
                "crumbs": [(crumb, None)],
            },
        )

    def get_context(self, request, *args, **kwargs):
        from .history import RegistryHistory

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
        context["history"] = RegistryHistory.for_page(self)
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


def with_admin_facts(pages):
    """Annotate a page queryset (any page type) with the number, gemeente and withdrawal that
    ExperimentPage.get_admin_display_title and status_string read; other pages get NULLs.
    Wagtail's specific() keeps annotations, so an admin listing needs no query per row."""
    registration = Registration.objects.filter(page_id=OuterRef("pk"))
    return pages.annotate(
        _admin_number=Subquery(registration.values("number")[:1]),
        _admin_withdrawn=Exists(registration.filter(withdrawn_at__isnull=False)),
        _admin_municipality=Subquery(
            ExperimentPage.objects.filter(pk=OuterRef("pk")).values("municipality__name")[:1]
        ),
    )


class ExperimentPartner(Orderable):
    class Role(models.TextChoices):
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


class Registration(models.Model):
    """The registration number of an experiment, given on first publication.

    Kept outside the page (and so outside its revisions) so that publishing an older
    revision can never change or clear it; the row stays when the page is deleted, so a
    number is never handed out twice. A withdrawal is recorded here for the same reason:
    rolling the page back to an old revision must not undo it.
    """

    page = models.OneToOneField(
        ExperimentPage, null=True, on_delete=models.SET_NULL, related_name="registration"
    )
    number = models.CharField(_("registration number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    registered_at = models.DateTimeField(_("registered on"))
    title = models.CharField(_("title at registration"), max_length=255)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="registration_unique_sequence"
            )
        ]

    def __str__(self):
        return self.number

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @staticmethod
    def format_number(year: int, sequence: int) -> str:
        return f"KW-{year}-{sequence:04d}"

    @classmethod
    def assign(cls, page: ExperimentPage, when=None, revision=None) -> "Registration":
        """Return the page's registration, creating the next number if it has none."""
        return cls.obtain(page, when=when, revision=revision)[0]

    @classmethod
    def obtain(cls, page: ExperimentPage, when=None, revision=None) -> tuple["Registration", bool]:
        """(the page's registration, whether it was created now). A new registration also
        records the page as it is now as version 1 of the registry entry: the original
        registration (from `revision` when given)."""
        existing = cls.objects.filter(page=page).first()
        if existing:
            return existing, False
        when = when or page.first_published_at or timezone.now()
        with transaction.atomic():
            # Numbers are handed out one at a time per year (the year's counter row is locked
            # until this transaction ends), so fifty approvals at once get fifty numbers.
            sequence = RegistrationSequence.next_for(when.year)
            existing = cls.objects.filter(page=page).first()
            if existing:  # the same page was registered while this one waited for the counter
                transaction.set_rollback(True)
                return existing, False
            registration = cls.objects.create(
                page=page,
                number=cls.format_number(when.year, sequence),
                year=when.year,
                sequence=sequence,
                registered_at=when,
                title=page.title,
            )
            RegistryVersion.record(registration, page, revision=revision, when=when)
            return registration, True


class RegistrationSequence(models.Model):
    """The last registration number handed out per year: the row a new registration locks."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"

    @classmethod
    def next_for(cls, year: int) -> int:
        """The next sequence number of `year`; call inside a transaction (it keeps the lock)."""
        counter = cls.objects.select_for_update().filter(year=year).first()
        if counter is None:
            highest = Registration.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0
            try:
                with transaction.atomic():
                    counter = cls.objects.create(year=year, last=highest)
            except IntegrityError:  # another registration made the year's row just now
                pass
            counter = cls.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


class RegistryVersion(models.Model):
    """One published state of a registration's public fields: number 1 is the registration as
    first published, every later number a published amendment.

    Written when a revision goes live (the page_published signal, which Wagtail sends only for
    a publication, never for a draft, a submission or a rejection) and only when the registry
    fields differ from the previous version. `data` holds those fields copied from the
    revision's content, so the registry's memory survives `purge_revisions`; `revision` points
    at the Wagtail revision it came from while that exists.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published on"))
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(encoder=DjangoJSONEncoder)
    # The names and labels the values had when this version was published (history.recorded_labels):
    # a version reads the same after a wijk or theme is renamed.
    labels = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("explanation of this amendment"), blank=True)

    class Meta:
        verbose_name = _("registry version")
        verbose_name_plural = _("registry versions")
        ordering = ["registration", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "number"], name="registry_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.registration.number} v{self.number}"

    @staticmethod
    def _note(content: dict, last) -> str:
        """The explanation given with this change. The first version is the registration itself;
        a note equal to the previous version's was carried over from it (the field is kept on
        the page), not given for this change."""
        note = (content.get("change_note") or "").strip()
        if last is None or note == last.note:
            return ""
        return note

    @classmethod
    def record(cls, registration, page, revision=None, when=None):
        """Record the page's registry fields as the next version, unless they are unchanged,
        with the names and labels they have now and the editor's explanation of the change."""
        from .history import recorded_labels, snapshot

        content = revision.content if revision is not None else page.serializable_data()
        data = snapshot(content)
        with transaction.atomic():
            # Lock the registration row so two publications at once cannot take the same number.
            Registration.objects.select_for_update().filter(pk=registration.pk).first()
            last = cls.objects.filter(registration=registration).order_by("-number").first()
            if last is not None and (
                last.data == data or (revision is not None and last.revision_id == revision.pk)
            ):
                return None
            return cls.objects.create(
                registration=registration,
                number=(last.number + 1) if last else 1,
                published_at=when or page.last_published_at or timezone.now(),
                revision=revision,
                data=data,
                labels=recorded_labels(data),
                note=cls._note(content, last),
            )


class ResultsReminder(models.Model):
    """When the owning municipality's editors were last reminded that an experiment's
    results are expected (remind_overdue_experiments), so a reminder goes out once per period."""

    page = models.OneToOneField(
        ExperimentPage, on_delete=models.CASCADE, related_name="results_reminder"
    )
    last_sent_at = models.DateTimeField(_("last reminded on"))
    times_sent = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("results reminder")
        verbose_name_plural = _("results reminders")

    def __str__(self):
        return f"{self.page_id} ({self.last_sent_at:%Y-%m-%d})"


# Asking for a withdrawal has its own module (with its rules and mails); its model is
# imported here so that Django finds it with the app's other models.
from .withdrawal_requests import WithdrawalRequest  # noqa: E402,F401
