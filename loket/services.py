"""What happens to a question: it arrives, is answered or forwarded, is published as a knowledge
item, and in the end loses its personal data. Views and commands call these; they hold the
rules, the views only the forms."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Workflow, WorkflowPage, WorkflowTask
from wagtail.rich_text import RichText

from core.clients import client_bucket
from core.ratelimit import RateLimit
from editorial.models import SectionGroup
from editorial.roles import moderators
from kennisbank.models import ExpertiseKind, ExpertisePage, KnowledgeCentrePage

from . import notifications
from .anonymise import strip_personal_data
from .models import AnonymisationReviewTask, Forwarding, Question, ThemeRoute, new_reference

# --- Arriving ---------------------------------------------------------------------------------


REFERENCE_ATTEMPTS = 5


def submit_question(*, name, email, organisation, municipality, theme, text) -> Question:
    """Store a question from the public form, routed by its theme, and tell its handlers and
    the asker (a receipt with its reference)."""
    now = timezone.now()
    fields = dict(
        name=name,
        email=email,
        organisation=organisation,
        municipality=municipality,
        theme=theme,
        text=text,
        consent_at=now,
        created_at=now,
        knowledge_centre=ThemeRoute.centre_for(theme),
    )
    # References are random: on the rare clash with an existing one, draw again rather than
    # lose the question.
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                question = Question.objects.create(reference=new_reference(), **fields)
            break
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    notifications.notify_handlers(question)
    notifications.send_receipt(question)
    return question


# --- The rate limit ---------------------------------------------------------------------------


QUESTIONS_LIMIT = RateLimit("loket:questions", "QUESTION_RATE_LIMIT", "QUESTION_RATE_WINDOW")


def take_submission_slot(request) -> bool:
    """Count a valid question from this client before it is stored, and say whether it may be
    stored (False: over the limit). Counting and checking are one atomic step, so a burst of
    simultaneous questions stores no more than the limit."""
    return QUESTIONS_LIMIT.hit(client_bucket(request, scope="loket"))


# --- Handling ---------------------------------------------------------------------------------


def record_answer(question: Question, answer: str, user) -> None:
    """Mark `question` answered (the caller has mailed the answer and saves the question)."""
    question.answer = answer
    question.status = Question.Status.ANSWERED
    question.answered_at = timezone.now()
    question.answered_by = user


@transaction.atomic
def forward(question: Question, to_centre, user, note: str = "") -> Forwarding | None:
    """Hand `question` to another centre: it leaves the first centre's list and joins the
    other's; the hand-over is recorded and the new centre's editors are told. Returns None
    if the question was answered meanwhile (an answered question stays where it is)."""
    # Lock the row: an answer and a forward at the same moment must not both win.
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.can_forward:
        return None
    forwarding = Forwarding.objects.create(
        question=question,
        from_centre=question.knowledge_centre,
        to_centre=to_centre,
        forwarded_by=user,
        note=note,
    )
    question.knowledge_centre = to_centre
    question.status = Question.Status.FORWARDED
    question.save(update_fields=["knowledge_centre", "status"])
    log(
        instance=question,
        action="loket.forward",
        user=user,
        data={"from": str(forwarding.from_centre or ""), "to": str(to_centre)},
    )
    # Mail once the hand-over is committed, not from inside the transaction.
    transaction.on_commit(lambda: notifications.notify_handlers(question, forwarding=forwarding))
    return forwarding


# --- Publishing -------------------------------------------------------------------------------


def anonymised_texts(question: Question) -> dict:
    """Summary, question and answer of `question` without the asker in them: the starting point
    of the publish form. No title: the editor writes it (it also makes the item's permanent
    address, which must not be built from the question's first words or placeholders)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = strip_personal_data(
            question.text, question.name, question.email, question.organisation
        )
        answer = strip_personal_data(
            question.answer, question.name, question.email, question.organisation
        )
    return {
        "summary": Truncator(" ".join(text.split())).chars(300),
        "question_text": text,
        "answer_text": answer,
    }


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in b.split("\n")) + "</p>" for b in blocks
    )


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "vraag"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@dataclass
class Publication:
    page: object
    outcome: str  # "published", "submitted" (to the moderation workflow) or "draft"


REVIEW_WORKFLOW_NAME = "Publicatie vraag en antwoord"
REVIEW_TASK_NAME = "Anonimisering controleren"


def review_workflow():
    """The workflow every published question goes through: one AnonymisationReviewTask for
    the moderators (made the first time it is needed)."""

    workflow, _created = Workflow.objects.get_or_create(
        name=REVIEW_WORKFLOW_NAME, defaults={"active": True}
    )
    if not workflow.workflow_tasks.exists():
        task = AnonymisationReviewTask.objects.create(name=REVIEW_TASK_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # The task may be older than the moderators' group (the demo publishes its questions
    # before setup_roles runs): a task nobody could approve gets the moderators.
    moderator_groups = [
        s.group for s in SectionGroup.objects.filter(kind=SectionGroup.Kind.MODERATORS)
    ]
    for task in AnonymisationReviewTask.objects.filter(
        workflow_tasks__workflow=workflow, groups=None
    ):
        task.groups.set(moderator_groups)
    return workflow


def may_confirm_anonymisation(user) -> bool:
    """Moderators (and administrators) confirm that a published question identifies nobody."""
    return user.is_superuser or moderators().filter(pk=user.pk).exists()


def awaits_anonymisation_check(page) -> bool:
    """Whether `page` is a published question whose anonymisation no moderator confirmed yet."""
    return Question.objects.filter(
        published_item_id=page.pk, anonymisation_checked_at__isnull=True
    ).exists()


@transaction.atomic
def publish_as_item(
    question: Question,
    user,
    *,
    title,
    summary,
    question_text,
    answer_text,
    submit=True,
    anonymisation_checked=False,
) -> Publication:
    """Make an ExpertisePage of kind "question and answer" under the centre's section from the
    (already anonymised and reviewed) texts, with the review workflow. With `submit`: published
    at once by a moderator who confirms `anonymisation_checked` (and may publish there),
    otherwise submitted to the moderators, who confirm it when they approve; without `submit`
    it stays a draft."""

    parent = KnowledgeCentrePage.objects.get(knowledge_centre=question.knowledge_centre)
    with translation.override(settings.LANGUAGE_CODE):
        body = [
            ("heading", _("Question")),
            ("paragraph", RichText(_paragraphs(question_text))),
            ("heading", _("Answer")),
            ("paragraph", RichText(_paragraphs(answer_text))),
        ]
    page = ExpertisePage(
        title=title,
        slug=_unique_slug(parent, title),
        kind=ExpertiseKind.QUESTION_AND_ANSWER,
        summary=summary,
        authors=question.knowledge_centre.name,
        publication_date=timezone.localdate(question.answered_at or timezone.now()),
        knowledge_centre=question.knowledge_centre,
        body=body,
        live=False,
        owner=user,
    )
    page.themes = [question.theme] if question.theme_id else []
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    question.published_item = page
    question.save(update_fields=["published_item"])
    log(instance=question, action="loket.publish", user=user, data={"page_id": page.pk})

    workflow = review_workflow()
    WorkflowPage.objects.create(page=page, workflow=workflow)

    outcome = publication_route(parent, user) if submit else "draft"
    if outcome == "published" and not anonymisation_checked:
        outcome = "submitted"
    if outcome == "published":
        Question.objects.filter(pk=question.pk).update(
            anonymisation_checked_at=timezone.now(), anonymisation_checked_by=user
        )
        revision.publish(user=user)
    elif outcome == "submitted":
        workflow.start(page, user)
    return Publication(page=page, outcome=outcome)


def publication_route(parent, user) -> str:
    """What submitting a knowledge item under `parent` does for `user`: "published" (a
    moderator who may publish there, after confirming the anonymisation) or "submitted" (to
    the moderators, who confirm it when they approve)."""
    if may_confirm_anonymisation(user) and parent.permissions_for_user(user).can_publish_subpage():
        return "published"
    return "submitted"


# --- Retention --------------------------------------------------------------------------------


def anonymise(question: Question) -> bool:
    """Remove the asker from `question` (name, email, organisation, and their traces in the
    texts); keep what statistics need. Returns False if there was nothing left to remove."""
    if question.is_anonymised and not (question.name or question.email or question.organisation):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        question.text = strip_personal_data(
            question.text, question.name, question.email, question.organisation
        )
        question.answer = strip_personal_data(
            question.answer, question.name, question.email, question.organisation
        )
    question.name = question.email = question.organisation = ""
    question.anonymised_at = timezone.now()
    question.save(
        update_fields=["text", "answer", "name", "email", "organisation", "anonymised_at"]
    )
    question.forwardings.exclude(note="").update(note="")
    return True
