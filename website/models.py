"""Site-wide pages: the home page and plain pages (the routable places are in places/)."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from core.freshness import per_state
from core.kinds import KINDS_BY_KEY
from experiments.models import RICH_TEXT_FEATURES, ExperimentPage
from kennisbank.models import ExpertisePage, KennisbankIndexPage
from places.links import search_url
from places.models import ExperimentTypeIndexPage, NeighbourhoodIndexPage
from vocabulary.models import Theme

# --- Facts an editor places in a page's body but cannot mistype: they are read from the
# settings when the page is shown, so the privacy and cookie statements follow the code.


class RetentionPeriodsBlock(blocks.StaticBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context.update(
            question_retention_days=settings.QUESTION_RETENTION_DAYS,
            alert_confirm_days=settings.ALERT_CONFIRM_DAYS,
            event_confirm_days=settings.EVENT_CONFIRM_DAYS,
            event_retention_days=settings.EVENT_ATTENDEE_RETENTION_DAYS,
            admin_session_idle_minutes=settings.ADMIN_SESSION_IDLE_MINUTES,
            admin_session_max_hours=settings.ADMIN_SESSION_MAX_HOURS,
            login_failure_limit=settings.AXES_FAILURE_LIMIT,
            login_cooloff_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            login_record_days=settings.LOGIN_RECORD_RETENTION_DAYS,
        )
        return context

    class Meta:
        template = "website/blocks/retention_periods.html"
        label = _("retention periods")
        admin_text = _("The retention periods of the site's settings, as a table.")
        icon = "time"


class CookiesBlock(blocks.StaticBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context.update(
            csrf_cookie_name=settings.CSRF_COOKIE_NAME,
            csrf_cookie_days=settings.CSRF_COOKIE_AGE // (24 * 60 * 60),
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            admin_session_max_hours=settings.ADMIN_SESSION_MAX_HOURS,
            messages_cookie_name=CookieStorage.cookie_name,
        )
        return context

    class Meta:
        template = "website/blocks/cookies.html"
        label = _("cookies")
        admin_text = _("The cookies the site sets, as a table.")
        icon = "list-ul"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    quote = blocks.BlockQuoteBlock(label=_("quote"))
    image = ImageBlock(label=_("image"))
    retention_periods = RetentionPeriodsBlock()
    cookies = CookiesBlock()


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "experiments.ExperimentIndexPage",
        "kennisbank.KennisbankIndexPage",
        "places.NeighbourhoodIndexPage",
        "places.ExperimentTypeIndexPage",
        "programme.ProgrammeIndexPage",
        "places.BarrierIndexPage",
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
        context["figures"] = _home_figures()
        context.update(_home_sections())
        context["themes"] = Theme.objects.all()
        return context


@per_state
def _home_figures():
    """How many live public experiments, practices, evaluations and expertise items there
    are, each with the search of its kind (which counts the same): counted once per change."""
    private = Page.objects.all().private_q()
    return [
        (
            KINDS_BY_KEY[kind].model.objects.live().exclude(private).count(),
            label,
            search_url(type=kind),
        )
        for kind, label in (
            ("experiment", _("experiments")),
            ("praktijk", _("practices")),
            ("evaluatie", _("evaluations")),
            ("kennisproduct", _("expertise items")),
        )
    ]


@per_state
def _home_sections():
    """The sections the home page links to, looked up in the tree once per change."""
    return {
        "kennisbank_index": KennisbankIndexPage.objects.live().first(),
        "wijken_index": NeighbourhoodIndexPage.objects.live().first(),
        "types_index": ExperimentTypeIndexPage.objects.live().first(),
    }


class StandardPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["website.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="info-circle")
class SiteInformation(BaseGenericSetting):
    """What the site says about itself on every page. `load_demo` switches the demo notice on,
    so a site with real content never says its content is fictional."""

    demo_content = models.BooleanField(
        _("holds fictional demo content"),
        default=False,
        help_text=_(
            "Every page's footer then says that the demo content is fictional. Switch it off "
            "once the demo content has been removed."
        ),
    )

    panels = [FieldPanel("demo_content")]

    class Meta:
        verbose_name = _("site information")
