"""People of the programme: the pool of experts ("krachtige personen", /deskundigen/), the Rijk's
accountmanager per gemeente, the adoptieteams of wijken, and the alliance of national umbrella
organisations (/alliantie/).

An expert profile is personal data held with its person's consent: it is made by a sign-up or an
invitation, public only once the person confirmed it by the link in the mail *and* the
programme directorate approved it, and shows only the fields the person chose. Withdrawing
deletes it at once. Profiles are plain models, not pages: they never reach the search index, the
API, exports, feeds, the sitemap or the dump. `str()` of a profile is its name, never its address.
"""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from experiments.models import RICH_TEXT_FEATURES


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Level(models.TextChoices):
    ADMINISTRATIVE = "bestuurlijk", _("administrative")
    STRATEGIC = "strategisch", _("strategic")
    OPERATIONAL = "uitvoerend", _("operational")


class Availability(models.TextChoices):
    AVAILABLE = "beschikbaar", _("available")
    LIMITED = "beperkt", _("available now and then")
    UNAVAILABLE = "niet", _("not available at the moment")


class Review(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


# The fields a person may show or hide (the name is always shown once the profile is public).
SHOWABLE_FIELDS = (
    "organisation",
    "function",
    "level",
    "themes",
    "experiment_types",
    "municipalities",
    "availability",
    "text",
)


class ExpertProfileForm(WagtailAdminModelForm):
    """The directorate's form: the profile, its review, and the invitation mail (sent after the
    save is committed, with the same confirmation link a sign-up gets)."""

    send_invitation = forms.BooleanField(
        label=_("Send the invitation mail now"),
        required=False,
        help_text=_(
            "The person gets a link to confirm (or change) the profile and choose what is shown. "
            "Nothing is public before they confirm."
        ),
    )

    def clean_send_invitation(self):
        wanted = self.cleaned_data["send_invitation"]
        if wanted and self.instance.is_confirmed:
            raise ValidationError(_("This person has confirmed the profile already."))
        return wanted

    def save(self, commit=True):
        from . import services

        profile = super().save(commit=False)
        if "review" in self.changed_data:
            profile.reviewed_at = timezone.now()
        if self.cleaned_data.get("send_invitation"):
            profile.invited_at = timezone.now()
        if commit:
            profile.save()
            self.save_m2m()
        if self.cleaned_data.get("send_invitation"):
            services.send_invitation(profile)
        if "review" in self.changed_data and profile.is_public:
            services.send_approved(profile)
        return profile


class ExpertProfileQuerySet(models.QuerySet):
    def public(self):
        """Confirmed by the person and approved by the programme directorate."""
        return self.filter(confirmed_at__isnull=False, review=Review.APPROVED)


class ExpertProfile(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # Private: the contact form mails it; no page, mail to others or output ever shows it.
    email = models.EmailField(_("email address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    themes = models.ManyToManyField(
        "vocabulary.Theme", related_name="experts", blank=True, verbose_name=_("themes")
    )
    experiment_types = models.ManyToManyField(
        "vocabulary.ExperimentType",
        related_name="experts",
        blank=True,
        verbose_name=_("experiment types"),
    )
    municipalities = models.ManyToManyField(
        "vocabulary.Municipality",
        related_name="experts",
        blank=True,
        verbose_name=_("gemeenten worked in"),
    )
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    availability_note = models.CharField(_("about availability"), max_length=300, blank=True)
    text = models.TextField(_("short text"), max_length=1500, blank=True)

    show_organisation = models.BooleanField(_("show organisation"), default=False)
    show_function = models.BooleanField(_("show function"), default=False)
    show_level = models.BooleanField(_("show level"), default=False)
    show_themes = models.BooleanField(_("show themes"), default=False)
    show_experiment_types = models.BooleanField(_("show experiment types"), default=False)
    show_municipalities = models.BooleanField(_("show gemeenten"), default=False)
    show_availability = models.BooleanField(_("show availability"), default=False)
    show_text = models.BooleanField(_("show short text"), default=False)

    # What the signed links in the mails point at: random, never reused.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)

    objects = ExpertProfileQuerySet.as_manager()
    base_form_class = ExpertProfileForm

    panels = [
        FieldPanel("review"),
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("email"),
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("function")]),
                FieldPanel("level"),
                FieldPanel("themes"),
                FieldPanel("experiment_types"),
                FieldPanel("municipalities"),
                FieldRowPanel([FieldPanel("availability"), FieldPanel("availability_note")]),
                FieldPanel("text"),
            ],
            heading=_("Profile"),
        ),
        MultiFieldPanel(
            [FieldPanel(f"show_{name}") for name in SHOWABLE_FIELDS],
            heading=_("Shown publicly (the person's own choice)"),
        ),
        FieldPanel("send_invitation"),
    ]

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def slug(self) -> str:
        return slugify(self.name) or "deskundige"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_public(self) -> bool:
        return self.is_confirmed and self.review == Review.APPROVED

    def shown(self, field_name: str) -> bool:
        return getattr(self, f"show_{field_name}")

    def get_url(self) -> str:
        from .links import expert_url

        return expert_url(self)


class WithdrawnExpert(models.Model):
    """What is left of a withdrawn profile: its number, so its old address answers 410 (gone
    on purpose) rather than 404. Nothing personal."""

    profile_id = models.PositiveBigIntegerField(unique=True)
    withdrawn_at = models.DateTimeField()

    def __str__(self):
        return f"Withdrawn expert profile {self.profile_id}"


class AccountManagerForm(WagtailAdminModelForm):
    def clean_municipalities(self):
        municipalities = self.cleaned_data["municipalities"]
        taken = (
            AccountManager.municipalities.through.objects.filter(municipality__in=municipalities)
            .exclude(accountmanager_id=self.instance.pk)
            .select_related("municipality", "accountmanager")
        )
        errors = [
            ValidationError(
                _("%(gemeente)s already has an accountmanager: %(name)s."),
                params={"gemeente": row.municipality.name, "name": row.accountmanager.name},
                code="taken",
            )
            for row in taken
        ]
        if errors:
            raise ValidationError(errors)
        return municipalities


class AccountManager(ClusterableModel):
    """The Rijk's accountmanager: a gemeente's linking pin to the ministries. One per gemeente
    at a time (AccountManagerForm checks it); shown on the gemeente page with a contact form."""

    name = models.CharField(_("name"), max_length=200)
    ministry = models.ForeignKey(
        "programme.Ministry",
        on_delete=models.PROTECT,
        related_name="account_managers",
        verbose_name=_("ministry"),
    )
    function = models.CharField(_("function"), max_length=200, blank=True)
    # Private: the contact form mails it.
    email = models.EmailField(_("email address"), max_length=254)
    municipalities = ParentalManyToManyField(
        "vocabulary.Municipality",
        related_name="account_managers",
        blank=True,
        verbose_name=_("gemeenten"),
        help_text=_("The gemeenten this accountmanager serves; a gemeente has one at a time."),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("ministry"), FieldPanel("function")]),
        FieldPanel("email"),
        FieldPanel("municipalities"),
    ]
    base_form_class = AccountManagerForm

    class Meta:
        verbose_name = _("accountmanager")
        verbose_name_plural = _("accountmanagers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AdoptionTeam(ClusterableModel):
    """An adoptieteam: administrators and outside experts who adopt a wijk for a period."""

    neighbourhood = models.ForeignKey(
        "vocabulary.Neighbourhood",
        on_delete=models.CASCADE,
        related_name="adoption_teams",
        verbose_name=_("wijk"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    text = models.TextField(_("short text"), max_length=1500, blank=True)

    panels = [
        FieldPanel("neighbourhood"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("text"),
        InlinePanel("members", label=_("member"), min_num=1),
    ]

    class Meta:
        verbose_name = _("adoptieteam")
        verbose_name_plural = _("adoptieteams")
        ordering = ["-start_date"]

    def __str__(self):
        return f"{self.neighbourhood} ({self.start_date.year})" if self.start_date else "?"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})


class AdoptionTeamMember(Orderable):
    team = ParentalKey(AdoptionTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    team_role = models.CharField(
        _("role in the team"), max_length=100, help_text=_("Such as chair or member.")
    )
    function = models.CharField(_("function and organisation"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("team_role"), FieldPanel("function")]

    def __str__(self):
        return self.name


# --- Pages ----------------------------------------------------------------------------------


class ExpertIndexPage(RoutablePageMixin, Page):
    """/deskundigen/: the public profiles with filters, each profile, its contact form, the
    sign-up and the links of the mails (people/views.py)."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("pool of experts")

    @path("")
    def index(self, request):
        from . import views

        return views.index(self, request)

    @path("aanmelden/", name="signup")
    def signup(self, request):
        from . import views

        return views.signup(self, request)

    @path("aanmelden/verstuurd/", name="signup_sent")
    def signup_sent(self, request):
        from . import views

        return views.signup_sent(self, request)

    @re_path(r"^bevestigen/(?P<token>[\w-]+/[\w-]+/[\w-]+)/$", name="confirm")
    def confirm(self, request, token):
        from . import views

        return views.confirm(self, request, token)

    @re_path(r"^beheren/(?P<token>[\w-]+/[\w-]+)/$", name="manage")
    def manage(self, request, token):
        from . import views

        return views.manage(self, request, token)

    @re_path(r"^(?P<pk>\d+)-(?P<slug>[-\w]*)/$", name="profile")
    def profile(self, request, pk, slug):
        from . import views

        return views.profile(self, request, int(pk), slug)

    @re_path(r"^(?P<pk>\d+)-(?P<slug>[-\w]*)/bericht/$", name="contact")
    def contact(self, request, pk, slug):
        from . import views

        return views.expert_contact(self, request, int(pk), slug)

    @re_path(r"^(?P<pk>\d+)-(?P<slug>[-\w]*)/bericht/verstuurd/$", name="contact_sent")
    def contact_sent(self, request, pk, slug):
        from . import views

        return views.expert_contact_sent(self, request, int(pk), slug)


class AllianceIndexPage(Page):
    """/alliantie/: the national umbrella organisations that support local coalitions."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["people.AllianceOrganisationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("alliance")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisations"] = (
            AllianceOrganisationPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("themes")
            .order_by("title")
        )
        return context


class AllianceOrganisationPage(Page):
    summary = models.TextField(_("summary"), max_length=500)
    offers = RichTextField(
        _("what it offers"),
        features=RICH_TEXT_FEATURES,
        help_text=_("What the organisation offers local coalitions in the wijken."),
    )
    themes = ParentalManyToManyField(
        "vocabulary.Theme",
        related_name="alliance_organisations",
        blank=True,
        verbose_name=_("themes"),
    )
    website = models.URLField(_("website"), blank=True)
    contact = models.TextField(
        _("how to get in touch"),
        max_length=500,
        blank=True,
        help_text=_("The route for local coalitions: a desk, a programme or a contact page."),
    )
    contact_url = models.URLField(_("contact page"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("offers"),
        FieldPanel("themes"),
        FieldPanel("website"),
        FieldRowPanel([FieldPanel("contact"), FieldPanel("contact_url")]),
    ]
    parent_page_types = ["people.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("alliance organisation")
        verbose_name_plural = _("alliance organisations")
