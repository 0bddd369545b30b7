"""The question desk ("één loket"): questions from the public, routed to a knowledge centre by
their theme, answered or forwarded by that centre's editors, and once answered optionally
published, anonymised, as a knowledge item (an ExpertisePage of kind "vraag-en-antwoord").

Who sees which question is decided in one place, `QuestionQuerySet.visible_to` (used by the
permission policy in permissions.py): a centre's editors see their own centre's questions;
holders of the `handle_all_questions` permission (the moderators, superusers) see all,
including questions whose theme has no route yet."""

import datetime as dt
import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask

from editorial.roles import centres_of


class ThemeRoute(models.Model):
    """Which knowledge centre answers the questions on a theme. Editors keep this in the admin;
    a theme without a route sends its questions to the moderators, who forward them."""

    theme = models.OneToOneField(
        "vocabulary.Theme",
        on_delete=models.CASCADE,
        related_name="question_route",
        verbose_name=_("theme"),
    )
    knowledge_centre = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        on_delete=models.CASCADE,
        related_name="question_routes",
        verbose_name=_("knowledge centre"),
        help_text=_("The knowledge centre that answers questions on this theme."),
    )

    panels = [FieldPanel("theme"), FieldPanel("knowledge_centre")]

    class Meta:
        ordering = ["theme__name"]
        verbose_name = _("route by theme")
        verbose_name_plural = _("routes by theme")

    def __str__(self):
        return f"{self.theme} → {self.knowledge_centre}"

    @classmethod
    def centre_for(cls, theme):
        """The knowledge centre for `theme`, or None (the moderators then pass it on)."""
        if theme is None:
            return None
        route = cls.objects.filter(theme=theme).select_related("knowledge_centre").first()
        return route.knowledge_centre if route else None


# Letters and digits nobody mixes up when reading a reference aloud or typing it over (no 0/O,
# 1/I/L, 5/S, 2/Z).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"


def new_reference() -> str:
    """A question's reference for the asker, such as "KL-7KQ3-M9XP": random, so it says nothing
    about how many questions there are or which centre has them."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"KL-{code[:4]}-{code[4:]}"


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The questions `user` may see and handle."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("loket.handle_all_questions"):
            return self
        return self.filter(knowledge_centre__in=centres_of(user))

    def older_than(self, days: int):
        return self.filter(created_at__lt=timezone.now() - dt.timedelta(days=days))


class Question(models.Model):
    class Status(models.TextChoices):
        NEW = "nieuw", _("new")
        IN_PROGRESS = "in-behandeling", _("in progress")
        ANSWERED = "beantwoord", _("answered")
        FORWARDED = "doorgestuurd", _("forwarded")

    # What the asker quotes when they write about their question (in the receipt and answer mails).
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_reference, editable=False
    )
    # The asker: emptied by `purge_questions` after the retention period.
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    municipality = models.ForeignKey(
        "vocabulary.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("municipality"),
    )
    theme = models.ForeignKey(
        "vocabulary.Theme",
        null=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("theme"),
    )
    text = models.TextField(_("question"))
    consent_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    knowledge_centre = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("knowledge centre"),
        help_text=_("The centre that handles the question now; empty: the moderators."),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    published_item = models.ForeignKey(
        "kennisbank.ExpertisePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published as"),
    )
    anonymised_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    # A moderator's confirmation that the published item identifies nobody (required before
    # the item goes live; see services.publish_as_item and AnonymisationReviewTask).
    anonymisation_checked_at = models.DateTimeField(
        _("anonymisation checked at"), null=True, blank=True
    )
    anonymisation_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("anonymisation checked by"),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [
            (
                "handle_all_questions",
                _("Can see and handle the questions of every knowledge centre"),
            ),
        ]

    def __str__(self):
        # No personal data here: this label is copied into Wagtail's log entries, which outlive
        # the retention period.
        return _("Question %(number)s") % {"number": self.pk}

    def excerpt(self):
        return Truncator(self.text).chars(90)

    excerpt.short_description = _("question")

    @property
    def can_forward(self) -> bool:
        return self.status != self.Status.ANSWERED

    @property
    def can_answer(self) -> bool:
        return self.status != self.Status.ANSWERED

    @property
    def can_publish(self) -> bool:
        return self.status == self.Status.ANSWERED and self.published_item_id is None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class Forwarding(models.Model):
    """One hand-over of a question from one centre (or the moderators) to another."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="forwardings", verbose_name=_("question")
    )
    from_centre = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("from"),
    )
    to_centre = models.ForeignKey(
        "vocabulary.KnowledgeCentre",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("to"),
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), default=timezone.now)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["forwarded_at", "pk"]
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")

    def __str__(self):
        return f"{self.from_centre or '—'} → {self.to_centre or '—'}"


class AnonymisationApprovalForm(TaskStateCommentForm):
    anonymisation_checked = forms.BooleanField(
        label=_("Anonymisation checked"),
        required=True,
        help_text=_(
            "I have read the question and the answer: nothing in them (names, addresses, "
            "details of a case) identifies the asker or anyone else."
        ),
        error_messages={
            "required": _("Confirm that you checked the anonymisation before you approve.")
        },
    )


class AnonymisationReviewTask(AbstractGroupApprovalTask):
    """The moderation step of a question published as a knowledge item: approving it means
    confirming "anonymisation checked", which is recorded on the question. Its workflow is
    given to each such item (services.publish_as_item)."""

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Anonymisation checked: approve"), True),
            ]
        return []

    def get_form_for_action(self, action):
        return (
            AnonymisationApprovalForm
            if action == "approve"
            else super().get_form_for_action(action)
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            if not kwargs.pop("anonymisation_checked", False):
                raise PermissionDenied
            Question.objects.filter(published_item_id=task_state.workflow_state.object_id).update(
                anonymisation_checked_at=timezone.now(),
                anonymisation_checked_by=user,
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    class Meta:
        verbose_name = _("anonymisation review")
        verbose_name_plural = _("anonymisation reviews")
