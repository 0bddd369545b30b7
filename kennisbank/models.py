"""The knowledge bank: practice write-ups, evaluations and the knowledge centres' expertise.

Practices sit under one parent page per municipality and expertise under one page per
knowledge centre, so page permissions follow ownership. Kennisbank may point at
experiments; experiments never import from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.listing import page_of
from core.sections import OwnedBySection, sections_given_to
from experiments.models import (
    RICH_TEXT_FEATURES,
    ExperimentPage,
    MunicipalityExperimentsPage,
    SectionPage,
)
from vocabulary.forms import MunicipalityScopedPageForm

from .forms import EvaluationPageForm


class KennisbankIndexPage(Page):
    """/kennisbank/: the entrance to practices, evaluations and the knowledge centres."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "kennisbank.PracticeIndexPage",
        "kennisbank.EvaluationIndexPage",
        "kennisbank.KnowledgeCentreIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge bank index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        context["latest_practices"] = (
            PracticePage.objects.live().public().for_listing().order_by("-first_published_at")[:5]
        )
        context["latest_evaluations"] = (
            EvaluationPage.objects.live().public().for_listing().order_by("-publication_date")[:5]
        )
        context["latest_expertise"] = (
            ExpertisePage.objects.live().public().for_listing().order_by("-publication_date")[:5]
        )
        return context


# --- Practices --------------------------------------------------------------------------------


class PracticeIndexPage(Page):
    """/kennisbank/praktijken/: every practice write-up, with one section per municipality."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kennisbank.KennisbankIndexPage"]
    subpage_types = ["kennisbank.MunicipalityPracticesPage"]
    max_count = 1

    class Meta:
        verbose_name = _("practices index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        practices = PracticePage.objects.descendant_of(self).live().public().for_listing()
        context["page_obj"] = page_of(request, practices.order_by("title"))
        return context


class MunicipalityPracticesPage(SectionPage):
    """/kennisbank/praktijken/<gemeente>/: the parent of one municipality's practices."""

    municipality = models.OneToOneField(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="practices_page",
        verbose_name=_("municipality"),
    )

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["kennisbank.PracticeIndexPage"]
    subpage_types = ["kennisbank.PracticePage"]

    class Meta:
        verbose_name = _("practices of a municipality")
        verbose_name_plural = _("practices of municipalities")


class PracticePageQuerySet(PageQuerySet):
    def for_listing(self):
        return self.select_related(
            "municipality", "recognition_level", "experiment_type"
        ).prefetch_related("neighbourhoods__municipality", "themes")


class PracticePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kennisbank.PracticePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PracticePage(OwnedBySection, Page):
    owner_field = "municipality_id"

    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("municipality"),
        editable=False,
    )
    summary = models.TextField(_("summary"), max_length=800)
    neighbourhoods = ParentalManyToManyField(
        "vocabulary.Neighbourhood",
        related_name="practices",
        blank=True,
        verbose_name=_("wijken"),
        help_text=_("Where the practice ran."),
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme", related_name="practices", verbose_name=_("themes")
    )
    experiment_type = models.ForeignKey(
        "vocabulary.ExperimentType",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
        verbose_name=_("experiment type"),
    )
    source_experiment = models.ForeignKey(
        "experiments.ExperimentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
        verbose_name=_("grew from experiment"),
    )
    recognition_level = models.ForeignKey(
        "vocabulary.RecognitionLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("recognition level"),
    )
    period = models.CharField(
        _("period"), max_length=100, blank=True, help_text=_("For example 2008-2011.")
    )
    problem = RichTextField(_("problem"), blank=True, features=RICH_TEXT_FEATURES)
    approach = RichTextField(_("approach"), blank=True, features=RICH_TEXT_FEATURES)
    results = RichTextField(_("results"), blank=True, features=RICH_TEXT_FEATURES)
    success_conditions = RichTextField(
        _("conditions for success"), blank=True, features=RICH_TEXT_FEATURES
    )
    costs = RichTextField(_("costs"), blank=True, features=RICH_TEXT_FEATURES)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
    )
    tags = ClusterTaggableManager(through=PracticePageTag, blank=True, verbose_name=_("tags"))

    objects = PageManager.from_queryset(PracticePageQuerySet)()

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("neighbourhoods"),
        FieldPanel("themes"),
        FieldRowPanel([FieldPanel("experiment_type"), FieldPanel("recognition_level")]),
        FieldPanel("source_experiment"),
        FieldPanel("period"),
        FieldPanel("problem"),
        FieldPanel("approach"),
        FieldPanel("results"),
        FieldPanel("success_conditions"),
        FieldPanel("costs"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_organisation")], heading=_("Contact")
        ),
        FieldPanel("image"),
        FieldPanel("document"),
        FieldPanel("tags"),
    ]
    base_form_class = MunicipalityScopedPageForm
    parent_page_types = ["kennisbank.MunicipalityPracticesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.pk is None:  # a preview of a page that was never saved
            context["evaluations"] = []
            return context
        context["evaluations"] = (
            self.evaluations.live()
            .public()
            .select_related("recognition_level")
            .order_by("-publication_date", "title")
        )
        return context


# --- Evaluations ------------------------------------------------------------------------------


class EvaluationIndexPage(Page):
    """/kennisbank/evaluaties/: process and effect evaluations."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kennisbank.KennisbankIndexPage"]
    subpage_types = ["kennisbank.EvaluationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("evaluations index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        evaluations = EvaluationPage.objects.child_of(self).live().public().for_listing()
        context["page_obj"] = page_of(request, evaluations.order_by("-publication_date", "title"))
        return context


class EvaluationMethod(models.TextChoices):
    RCT = "rct", _("randomised controlled trial")
    QUASI_EXPERIMENTAL = "quasi-experimenteel", _("quasi-experimental")
    PRE_POST = "voor-en-nameting", _("pre/post measurement")
    QUALITATIVE = "kwalitatief", _("qualitative")
    CASE_STUDY = "casestudy", _("case study")


class EvaluationKind(models.TextChoices):
    PROCESS = "procesevaluatie", _("process evaluation")
    EFFECT = "effectevaluatie", _("effect evaluation")


class EvaluationPageQuerySet(PageQuerySet):
    def for_listing(self):
        return self.select_related("recognition_level", "knowledge_centre").prefetch_related(
            "themes"
        )


class EvaluationPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kennisbank.EvaluationPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EvaluationPage(Page):
    summary = models.TextField(_("summary"), max_length=800)
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices)
    method = models.CharField(_("method"), max_length=30, choices=EvaluationMethod.choices)
    evaluator = models.CharField(
        _("evaluator"), max_length=200, help_text=_("Who carried out the evaluation.")
    )
    knowledge_centre = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
        verbose_name=_("knowledge centre"),
    )
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    experiments = ParentalManyToManyField(
        "experiments.ExperimentPage",
        related_name="evaluations",
        blank=True,
        verbose_name=_("evaluated experiments"),
    )
    practices = ParentalManyToManyField(
        PracticePage, related_name="evaluations", blank=True, verbose_name=_("evaluated practices")
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme", related_name="evaluations", blank=True, verbose_name=_("themes")
    )
    recognition_level = models.ForeignKey(
        "vocabulary.RecognitionLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("recognition level"),
    )
    findings = RichTextField(_("findings"), blank=True, features=RICH_TEXT_FEATURES)
    report = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("report"),
    )
    tags = ClusterTaggableManager(through=EvaluationPageTag, blank=True, verbose_name=_("tags"))

    objects = PageManager.from_queryset(EvaluationPageQuerySet)()

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("method")]),
        FieldRowPanel([FieldPanel("evaluator"), FieldPanel("knowledge_centre")]),
        FieldPanel("publication_date"),
        FieldPanel("experiments"),
        FieldPanel("practices"),
        FieldPanel("themes"),
        FieldPanel("recognition_level"),
        FieldPanel("findings"),
        FieldPanel("report"),
        FieldPanel("tags"),
    ]
    base_form_class = EvaluationPageForm
    parent_page_types = ["kennisbank.EvaluationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    @staticmethod
    def municipalities_limiting(user):
        """The gemeenten whose experiments and practices `user` may link in an evaluation, or
        None when any: a gemeente's editors are limited to the gemeenten whose sections they
        were given; a knowledge centre's editors, the moderators and administrators are not."""
        if (
            user is None
            or user.is_superuser
            or sections_given_to(user, KnowledgeCentrePage).exists()
        ):
            return None
        own = {
            section.municipality_id
            for model in (MunicipalityExperimentsPage, MunicipalityPracticesPage)
            for section in sections_given_to(user, model).only("municipality_id")
        }
        return own or None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read the ids from the relation itself: in a preview it holds unsaved choices.
        context["evaluated_experiments"] = (
            ExperimentPage.objects.filter(pk__in=[e.pk for e in self.experiments.all()])
            .live()
            .public()
            .for_listing()
            .order_by("title")
        )
        context["evaluated_practices"] = (
            PracticePage.objects.filter(pk__in=[p.pk for p in self.practices.all()])
            .live()
            .public()
            .for_listing()
            .order_by("title")
        )
        return context


# --- Knowledge centres and their expertise ----------------------------------------------------


class KnowledgeCentreIndexPage(Page):
    """/kennisbank/kenniscentra/: the knowledge centres behind the loket."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kennisbank.KennisbankIndexPage"]
    subpage_types = ["kennisbank.KnowledgeCentrePage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge centres index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["centres"] = (
            KnowledgeCentrePage.objects.child_of(self)
            .live()
            .public()
            .select_related("knowledge_centre")
            .order_by("knowledge_centre__abbreviation")
        )
        return context


class KnowledgeCentrePage(SectionPage):
    """/kennisbank/kenniscentra/<centre>/: a centre's own section, parent of its expertise."""

    knowledge_centre = models.OneToOneField(
        "vocabulary.KnowledgeCentre",
        on_delete=models.PROTECT,
        related_name="page",
        verbose_name=_("knowledge centre"),
    )

    content_panels = Page.content_panels + [FieldPanel("knowledge_centre"), FieldPanel("intro")]
    parent_page_types = ["kennisbank.KnowledgeCentreIndexPage"]
    subpage_types = ["kennisbank.ExpertisePage"]
    listing_order = ("-publication_date", "title")

    class Meta:
        verbose_name = _("knowledge centre page")
        verbose_name_plural = _("knowledge centre pages")


class ExpertiseKind(models.TextChoices):
    DOSSIER = "dossier", _("dossier")
    PUBLICATION = "publicatie", _("publication")
    GUIDE = "handreiking", _("guide")
    FACTSHEET = "factsheet", _("factsheet")
    # Made from an answered question of the question desk (loket/), anonymised.
    QUESTION_AND_ANSWER = "vraag-en-antwoord", _("question and answer")


class ExpertisePageQuerySet(PageQuerySet):
    def for_listing(self):
        return self.select_related("knowledge_centre").prefetch_related("themes")


class ExpertisePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kennisbank.ExpertisePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ExpertiseBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    quote = blocks.BlockQuoteBlock(label=_("quote"))
    image = ImageBlock(label=_("image"))
    document = DocumentChooserBlock(label=_("document"))


class ExpertisePage(OwnedBySection, Page):
    owner_field = "knowledge_centre_id"

    knowledge_centre = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        on_delete=models.PROTECT,
        related_name="expertise",
        verbose_name=_("knowledge centre"),
        editable=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExpertiseKind.choices)
    summary = models.TextField(_("summary"), max_length=800)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    themes = ParentalManyToManyField(
        "vocabulary.Theme", related_name="expertise", verbose_name=_("themes")
    )
    experiment_types = ParentalManyToManyField(
        "vocabulary.ExperimentType",
        related_name="expertise",
        blank=True,
        verbose_name=_("experiment types"),
    )
    neighbourhoods = ParentalManyToManyField(
        "vocabulary.Neighbourhood",
        related_name="expertise",
        blank=True,
        verbose_name=_("wijken"),
        help_text=_("The wijken it is about, if it is about particular wijken."),
    )
    body = StreamField(ExpertiseBodyBlock(), blank=True, verbose_name=_("body"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
    )
    tags = ClusterTaggableManager(through=ExpertisePageTag, blank=True, verbose_name=_("tags"))

    objects = PageManager.from_queryset(ExpertisePageQuerySet)()

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("publication_date")]),
        FieldPanel("summary"),
        FieldPanel("authors"),
        FieldPanel("themes"),
        FieldPanel("experiment_types"),
        FieldPanel("neighbourhoods"),
        FieldPanel("body"),
        FieldPanel("document"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["kennisbank.KnowledgeCentrePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
