"""Experiment registrations: like entries in a trial registry, one per local experiment.

Experiments live under one parent page per municipality, so Wagtail's page permissions
give each gemeente rights over its own registrations only.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
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
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from vocabulary.forms import MunicipalityScopedPageForm
from vocabulary.sections import OwnedBySection
from vocabulary.listing import count_per, page_of

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class ExperimentStatus(models.TextChoices):
    # The values appear in URLs and search filters: Dutch slugs, never changed.
    PREPARING = "in-voorbereiding", _("in preparation")
    RUNNING = "lopend", _("running")
    COMPLETED = "afgerond", _("completed")
    STOPPED = "gestopt", _("stopped")


class ExperimentIndexPage(Page):
    """/experimenten/: all registrations, grouped by municipality."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["experiments.MunicipalityExperimentsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("experiments index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = list(
            MunicipalityExperimentsPage.objects.child_of(self).live().public()
            .select_related("municipality").order_by("municipality__name")
        )
        counts = count_per(ExperimentPage.objects.live().public(), "municipality")
        for section in sections:
            section.experiment_count = counts.get(section.municipality_id, 0)
        context["sections"] = sections
        return context


class MunicipalityExperimentsPage(Page):
    """/experimenten/<gemeente>/: the parent of one municipality's registrations."""

    municipality = models.OneToOneField(
        "vocabulary.Municipality", on_delete=models.PROTECT, related_name="experiments_page",
        verbose_name=_("municipality"),
    )
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["experiments.ExperimentIndexPage"]
    subpage_types = ["experiments.ExperimentPage"]

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


class ExperimentPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "experiments.ExperimentPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ExperimentPage(OwnedBySection, Page):
    owner_field = "municipality_id"

    municipality = models.ForeignKey(
        "vocabulary.Municipality", on_delete=models.PROTECT, related_name="experiments",
        verbose_name=_("municipality"), editable=False,
    )
    summary = models.TextField(
        _("summary"), max_length=800,
        help_text=_("Two or three sentences: what is tried, where, and for whom."),
    )
    experiment_type = models.ForeignKey(
        "vocabulary.ExperimentType", on_delete=models.PROTECT, related_name="experiments",
        verbose_name=_("experiment type"),
    )
    neighbourhoods = ParentalManyToManyField(
        "vocabulary.Neighbourhood", related_name="experiments", blank=True,
        verbose_name=_("wijken"),
        help_text=_("The wijken where the experiment runs; they must belong to the municipality."),
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme", related_name="experiments", verbose_name=_("themes")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExperimentStatus.choices,
        default=ExperimentStatus.PREPARING,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    end_date = models.DateField(_("actual end date"), null=True, blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)

    problem_analysis = RichTextField(_("problem analysis"), blank=True, features=RICH_TEXT_FEATURES)
    goals = RichTextField(
        _("goals (societal effects)"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("The maatschappelijke effecten the experiment aims for."),
    )
    activities = RichTextField(
        _("activities (outputs)"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("The prestaties: what is done, by whom, how often."),
    )
    target_group = models.TextField(_("target group"), blank=True)
    mandate = RichTextField(
        _("mandate tested (doorzettingsmacht)"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("Which power to cut through is tested, and who holds it."),
    )
    research_design = RichTextField(_("research design"), blank=True, features=RICH_TEXT_FEATURES)
    obstacles = RichTextField(
        _("rules and funding streams in the way"), blank=True, features=RICH_TEXT_FEATURES
    )
    request_to_government = RichTextField(
        _("request to the national government"), blank=True, features=RICH_TEXT_FEATURES
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("image"),
    )
    tags = ClusterTaggableManager(through=ExperimentPageTag, blank=True, verbose_name=_("tags"))

    objects = PageManager.from_queryset(ExperimentPageQuerySet)()

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("problem_analysis"),
        index.FilterField("status"),
    ]

    basic_panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("experiment_type"),
        FieldPanel("neighbourhoods"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel(
                    [FieldPanel("start_date"), FieldPanel("planned_end_date"), FieldPanel("end_date")]
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
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = MunicipalityScopedPageForm
    parent_page_types = ["experiments.MunicipalityExperimentsPage"]
    subpage_types: list[str] = []

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
        if errors:
            raise ValidationError(errors)

    @property
    def registration_number(self) -> str:
        try:
            return self.registration.number
        except ObjectDoesNotExist:
            return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = self.partners.all()
        if self.pk is None:  # a preview of a page that was never saved
            context.update(evaluations=[], derived_practices=[], documents=self.documents.all())
            return context
        # Evaluations and practices point at experiments (kennisbank -> experiments); their
        # reverse accessors are how a registration lists what grew from it.
        context["evaluations"] = (
            self.evaluations.live().public().select_related("recognition_level")
            .order_by("-publication_date", "title")
        )
        context["derived_practices"] = (
            self.practices.live().public().select_related("municipality").order_by("title")
        )
        context["documents"] = self.documents.select_related("document")
        return context


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
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Leave empty to use the document's own title.")
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
    number is never handed out twice.
    """

    page = models.OneToOneField(
        ExperimentPage, null=True, on_delete=models.SET_NULL, related_name="registration"
    )
    number = models.CharField(_("registration number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    registered_at = models.DateTimeField(_("registered on"))
    title = models.CharField(_("title at registration"), max_length=255)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="registration_unique_sequence")
        ]

    def __str__(self):
        return self.number

    @staticmethod
    def format_number(year: int, sequence: int) -> str:
        return f"KW-{year}-{sequence:04d}"

    @classmethod
    def assign(cls, page: ExperimentPage, when=None) -> "Registration":
        """Return the page's registration, creating the next number if it has none."""
        existing = cls.objects.filter(page=page).first()
        if existing:
            return existing
        when = when or page.first_published_at or timezone.now()
        for _attempt in range(5):
            sequence = (cls.objects.filter(year=when.year).aggregate(m=Max("sequence"))["m"] or 0) + 1
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        page=page,
                        number=cls.format_number(when.year, sequence),
                        year=when.year,
                        sequence=sequence,
                        registered_at=when,
                        title=page.title,
                    )
            except IntegrityError:
                # Another publication took this number at the same moment: take the next.
                existing = cls.objects.filter(page=page).first()
                if existing:
                    return existing
        raise IntegrityError("Could not assign a registration number")
