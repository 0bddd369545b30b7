"""Site-wide pages: the home page and plain pages (the routable places are in places/)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from core.kinds import KINDS_BY_KEY
from experiments.models import RICH_TEXT_FEATURES, ExperimentPage
from kennisbank.models import ExpertisePage, KennisbankIndexPage
from places.links import search_url
from places.models import ExperimentTypeIndexPage, NeighbourhoodIndexPage
from vocabulary.models import Theme


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    quote = blocks.BlockQuoteBlock(label=_("quote"))
    image = ImageBlock(label=_("image"))


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "experiments.ExperimentIndexPage",
        "kennisbank.KennisbankIndexPage",
        "places.NeighbourhoodIndexPage",
        "places.ExperimentTypeIndexPage",
        "website.StandardPage",
    ]
    max_count = 1
    # Registrations below the home page are public for good (see ExperimentIndexPage).
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("home page")

    LATEST = 4  # items in each "latest" list

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The view restrictions are read once for all six lists and counts (public() would
        # read them for each).
        private = Page.objects.all().private_q()

        def public(model):
            return model.objects.live().exclude(private)

        # Newest first; never a withdrawn registration (withdrawing also unpublishes it).
        context["latest_experiments"] = (
            public(ExperimentPage)
            .not_withdrawn()
            .for_listing()
            .order_by("-first_published_at", "-pk")[: self.LATEST]
        )
        context["latest_expertise"] = (
            public(ExpertisePage)
            .for_listing()
            .order_by("-first_published_at", "-pk")[: self.LATEST]
        )
        # Each figure links to the search of its kind, which counts the same live public pages.
        context["figures"] = [
            (public(KINDS_BY_KEY[kind].model).count(), label, search_url(type=kind))
            for kind, label in (
                ("experiment", _("experiments")),
                ("praktijk", _("practices")),
                ("evaluatie", _("evaluations")),
                ("kennisproduct", _("expertise items")),
            )
        ]
        context["themes"] = Theme.objects.all()
        context["kennisbank_index"] = KennisbankIndexPage.objects.live().first()
        context["wijken_index"] = NeighbourhoodIndexPage.objects.live().first()
        context["types_index"] = ExperimentTypeIndexPage.objects.live().first()
        return context


class StandardPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["website.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
