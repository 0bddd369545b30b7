"""The registry: the numbers given to registrations, the versions they published, reminders
of results owed, and requests to withdraw a registration.

These rows live outside the pages and their revisions, so no rollback, unpublish or deletion
of a page can change what the registry recorded.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..history import recorded_labels, snapshot
from .pages import ExperimentPage


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


class WithdrawalRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONFIRMED = "bevestigd", _("confirmed")
        DECLINED = "afgewezen", _("declined")

    registration = models.ForeignKey(
        "experiments.Registration",
        on_delete=models.CASCADE,
        related_name="withdrawal_requests",
        verbose_name=_("registration"),
    )
    reason = models.TextField(_("reason for withdrawal"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested on"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Why the request was declined.")
    )

    class Meta:
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(status="open"),
                name="withdrawal_request_one_open_per_registration",
            )
        ]

    def __str__(self):
        return f"{self.registration.number}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


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
