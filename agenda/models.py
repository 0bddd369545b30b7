"""The agenda of the programme's knowledge exchange: bijeenkomsten, excursies and conferences
between the 40 wijken and beyond, under /agenda/.

An event is a page (revisions, moderation, the search and the API like every content kind);
knowledge centres add their own under /agenda/ and the programme directorate approves them.
People register on the event's page; a registration is confirmed by the link in its mail
(double opt-in) and holds a seat or a place on the waiting list (agenda/registrations.py).
Registrations are personal data: never on a page, in the search, the API, an export, a feed
or the dump; only the event's editors see them, as a list in the admin and as CSV, and they
are anonymised a while after the event (settings.EVENT_ATTENDEE_RETENTION_DAYS).

After the event its page keeps the report, the presentations and links to what the kennisbank
holds on the subject.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.listing import page_of
from experiments.models import RICH_TEXT_FEATURES

from .calendar import calendar_response
from .choices import ACTIVE_STATUSES, EventKind, EventStatus, RegistrationStatus
from .forms import EventPageForm


class AgendaIndexPage(RoutablePageMixin, Page):
    """/agenda/: the coming events, then the past ones, and the calendar feed of all."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["agenda.EventPage"]
    max_count = 1
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("agenda")

    def events(self):
        return (
            EventPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("organiser", "municipality")
            .prefetch_related("themes")
        )

    @path("")
    def listing(self, request):
        now = timezone.now()
        events = self.events()
        upcoming = events.filter(ends_at__gte=now).order_by("starts_at")
        past = events.filter(ends_at__lt=now).order_by("-starts_at")
        return self.render(
            request,
            context_overrides={"upcoming": list(upcoming), "past_page": page_of(request, past)},
        )

    @path("ical/", name="calendar")
    def calendar(self, request):
        return calendar_response(
            self.events().order_by("starts_at"),
            "agenda-krachtwijken.ics",
            name=f"{self.title} – {settings.WAGTAIL_SITE_NAME}",
        )


class EventPage(RoutablePageMixin, Page):
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.MEETING
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("What it is about and who it is for.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("For example: Wijkcentrum De Schalm.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("municipality"),
    )
    neighbourhoods = ParentalManyToManyField(
        "vocabulary.Neighbourhood",
        blank=True,
        related_name="events",
        verbose_name=_("wijken visited or discussed"),
    )
    online = models.BooleanField(
        _("online"),
        default=False,
        help_text=_("Held online (or also online); the link is sent to those registered."),
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme", blank=True, related_name="events", verbose_name=_("themes")
    )
    organiser = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising knowledge centre"),
        help_text=_("Leave empty for the programme directorate."),
    )
    programme = RichTextField(_("programme"), blank=True, features=RICH_TEXT_FEATURES)

    registration_open = models.BooleanField(_("registration through this site"), default=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for no limit. Those who register when it is full join the waiting list."
        ),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to take registrations until the start."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    cancellation_reason = models.TextField(
        _("reason for cancelling"),
        blank=True,
        max_length=1000,
        help_text=_("Sent to everyone registered when the cancellation is published."),
    )

    report = RichTextField(
        _("report"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("After the event: what was presented and discussed."),
    )

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("organiser")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("venue"), FieldPanel("address")]),
                FieldRowPanel([FieldPanel("municipality"), FieldPanel("online")]),
                FieldPanel("neighbourhoods"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("themes"),
        FieldPanel("programme"),
        MultiFieldPanel(
            [
                FieldPanel("registration_open"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_closes_at")]),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("cancellation_reason")],
            heading=_("Cancelling"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("report"),
                InlinePanel("presentations", label=_("presentations")),
                InlinePanel("knowledge_links", label=_("in the kennisbank")),
            ],
            heading=_("Afterwards"),
        ),
    ]
    base_form_class = EventPageForm
    parent_page_types = ["agenda.AgendaIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    # --- What the page and the registration rules read ------------------------------------

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def has_ended(self, now=None) -> bool:
        return self.ends_at < (now or timezone.now())

    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    def takes_registrations(self, now=None) -> bool:
        return (
            self.registration_open
            and not self.is_cancelled
            and (now or timezone.now()) < self.closes_at()
        )

    def seats_taken(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["takes_registrations"] = self.takes_registrations()
        context["seats_left"] = self.seats_left()
        context["presentations"] = self.presentations.select_related("document")
        context["knowledge_pages"] = [
            link.page.specific
            for link in self.knowledge_links.select_related("page")
            if link.page.live
        ]
        return context

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("aanmelden/", name="register")
    def register(self, request):
        from .views import register

        return register(request, self)

    @path("ical/", name="calendar")
    def calendar(self, request):
        return calendar_response([self], f"{self.slug}.ics")


class EventPresentation(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="presentations")
    title = models.CharField(_("title"), max_length=250)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
    )

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("speaker")]), FieldPanel("document")]


class EventKnowledgeLink(Orderable):
    """A page of the kennisbank the event presented or led to."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="knowledge_links")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )

    panels = [
        PageChooserPanel(
            "page",
            [
                "kennisbank.PracticePage",
                "kennisbank.EvaluationPage",
                "kennisbank.ExpertisePage",
                "experiments.ExperimentPage",
            ],
        )
    ]


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """One person's registration for one event. Personal data: `str()` and `repr()` leave the
    name and address out, so they cannot slip into a log line."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), max_length=254, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    # What the signed links point at: random and never reused.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The waiting list's order: who confirmed first when it was full moves up first.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status"], name="agenda_reg_event_status")]

    def __str__(self):
        return f"Registration {self.pk}"

    def __repr__(self):
        return f"<Registration {self.pk} {self.status}>"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def waiting_position(self) -> int | None:
        if self.status != RegistrationStatus.WAITING:
            return None
        return Registration.objects.filter(
            event_id=self.event_id,
            status=RegistrationStatus.WAITING,
            waitlisted_at__lte=self.waitlisted_at,
        ).count()
