"""The question desk in the Wagtail admin: a centre's editors list, open, answer, forward and
publish their own centre's questions. Every view takes its questions from the permission
policy (permissions.py), so another centre's question is not found: 404."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from kennisbank.models import KnowledgeCentrePage

from . import notifications, services
from .forms import ForwardForm, ModeratorPublishForm, PublishForm
from .models import Question

logger = logging.getLogger(__name__)

READ_ACTIONS = ["change", "delete", "view"]


class QuestionAdminForm(WagtailAdminModelForm):
    """Status by hand only "new" or "in progress": "answered" and "forwarded" are what the
    answer and forward actions set. Once answered (and mailed), the answer is fixed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.instance
        answered = question.status == Question.Status.ANSWERED
        if "status" in self.fields:
            allowed = {Question.Status.NEW, Question.Status.IN_PROGRESS, question.status}
            self.fields["status"].choices = [
                (value, label) for value, label in Question.Status.choices if value in allowed
            ]
            self.fields["status"].disabled = answered
        if "answer" in self.fields:
            self.fields["answer"].disabled = answered
            self.fields["answer"].help_text = (
                _("The answer as it was emailed to the asker.")
                if answered
                else _(
                    "Saved with the question; it goes to the asker when you choose “Send answer to the asker”."
                )
            )


class ScopedQuestions:
    """The questions the user may act on, from the permission policy."""

    scope_actions = ["change"]

    def scoped_questions(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.scope_actions
        )


class QuestionIndexView(ScopedQuestions, generic.IndexView):
    scope_actions = READ_ACTIONS

    def get_base_queryset(self):
        return self.scoped_questions().select_related("theme", "municipality", "knowledge_centre")


class QuestionEditView(ScopedQuestions, generic.EditView):
    actions = ["edit", "answer"]
    forward_url_name = None
    publish_url_name = None

    def get_queryset(self):
        return self.scoped_questions().select_related(
            "theme", "municipality", "knowledge_centre", "answered_by", "published_item"
        )

    def is_valid(self, form):
        valid = super().is_valid(form)
        if valid and self.action == "answer":
            if not self.object.can_answer:
                form.add_error(None, _("This question has been answered already."))
            elif not self.object.email:
                form.add_error(
                    None,
                    _("The asker's email address has been removed; the answer cannot be sent."),
                )
            elif not (form.cleaned_data.get("answer") or "").strip():
                form.add_error("answer", _("Write the answer before you send it."))
            valid = not form.errors
            if not valid:
                self.produced_error_message = _("The answer was not sent.")
        return valid

    def form_valid(self, form):
        if self.action == "answer":
            answer = form.cleaned_data["answer"].strip()
            try:
                notifications.send_answer(form.instance, answer)
            except Exception:  # noqa: BLE001 - the editor must hear that the mail did not go
                logger.exception("Question %s: the answer could not be emailed.", self.object.pk)
                form.add_error(
                    None,
                    _(
                        "The answer could not be emailed. Nothing was changed; please try again later."
                    ),
                )
                self.produced_error_message = _("The answer was not sent.")
                return self.form_invalid(form)
            services.record_answer(form.instance, answer, self.request.user)
        return super().form_valid(form)

    def save_instance(self):
        instance = super().save_instance()
        if self.action == "answer":
            log(instance=instance, action="loket.answer", user=self.request.user)
        return instance

    def get_success_message(self):
        if self.action == "answer":
            return _("The answer has been emailed to the asker.")
        return super().get_success_message()

    def get_success_url(self):
        if self.action == "answer":
            return self.get_edit_url()
        return super().get_success_url()

    def get_forward_url(self):
        if self.forward_url_name and self.object.can_forward:
            return reverse(self.forward_url_name, args=[self.object.pk])

    def get_publish_url(self):
        if self.publish_url_name and self.object.can_publish:
            return reverse(self.publish_url_name, args=[self.object.pk])

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if url := self.get_forward_url():
            buttons.append(
                HeaderButton(
                    _("Forward to another centre"), url=url, icon_name="resubmit", priority=5
                )
            )
        if url := self.get_publish_url():
            buttons.append(
                HeaderButton(
                    _("Publish as knowledge item"), url=url, icon_name="doc-full", priority=6
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object.published_item
        context.update(
            {
                "question": self.object,
                "forwardings": self.object.forwardings.select_related(
                    "from_centre", "to_centre", "forwarded_by"
                ),
                "forward_url": self.get_forward_url(),
                "publish_url": self.get_publish_url(),
                "published_item_url": AdminURLFinder(self.request.user).get_edit_url(item)
                if item
                else None,
            }
        )
        return context


class QuestionDeleteView(ScopedQuestions, generic.DeleteView):
    scope_actions = ["delete"]

    def get_queryset(self):
        return self.scoped_questions()


class QuestionHistoryView(ScopedQuestions, history.HistoryView):
    scope_actions = READ_ACTIONS

    def get_base_object_queryset(self):
        return self.scoped_questions()


class QuestionUsageView(ScopedQuestions, usage.UsageView):
    def get_base_object_queryset(self):
        return self.scoped_questions()


class QuestionActionView(
    ScopedQuestions, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Base of the forward and publish views: one question, one form."""

    model = Question
    permission_required = "change"
    header_icon = "help"
    index_url_name = None
    edit_url_name = None
    action_label = ""

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(
            self.scoped_questions().select_related("theme", "knowledge_centre"), pk=kwargs["pk"]
        )
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.edit_url)
        return super().dispatch(request, *args, **kwargs)

    def refusal(self) -> str | None:
        """Why this action cannot be done on this question now, if it cannot."""
        return None

    @cached_property
    def edit_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])

    def get_page_title(self):
        return self.action_label

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.index_url_name),
                "label": Question._meta.verbose_name_plural.capitalize(),
            },
            {"url": self.edit_url, "label": str(self.object)},
            {"url": "", "label": self.action_label},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {"question": self.object, "edit_url": self.edit_url, "action_label": self.action_label}
        )
        return context


class ForwardView(QuestionActionView):
    template_name = "loket/admin/question_forward.html"
    action_label = gettext_lazy("Forward to another centre")

    def refusal(self):
        if not self.object.can_forward:
            return _("An answered question cannot be forwarded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "question": self.object}

    def get_form_class(self):
        return ForwardForm

    def form_valid(self, form):
        centre = form.cleaned_data["to_centre"]
        if (
            services.forward(self.object, centre, self.request.user, form.cleaned_data["note"])
            is None
        ):
            messages.error(self.request, _("An answered question cannot be forwarded."))
            return redirect(self.index_url_name)
        messages.success(
            self.request, _("The question has been forwarded to %(centre)s.") % {"centre": centre}
        )
        return redirect(self.index_url_name)


class PublishView(QuestionActionView):
    """Publish an answered question, anonymised, as a knowledge item under the centre's section.
    The editor sees and can correct the anonymised texts first; then it goes the way every page
    in that section goes (see services.publish_as_item)."""

    template_name = "loket/admin/question_publish.html"
    action_label = gettext_lazy("Publish as knowledge item")

    def refusal(self):
        if not self.object.can_publish:
            return _("Only an answered question that is not yet published can be published.")
        if self.parent is None:
            return _("This knowledge centre has no section in the knowledge bank yet.")

    @cached_property
    def parent(self):
        return KnowledgeCentrePage.objects.filter(
            knowledge_centre_id=self.object.knowledge_centre_id
        ).first()

    def get(self, request, *args, **kwargs):
        self.check_page_permission()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_page_permission()
        return super().post(request, *args, **kwargs)

    def check_page_permission(self):
        # Wagtail's own page permissions decide who may add pages to the centre's section.
        if not self.parent.permissions_for_user(self.request.user).can_add_subpage():
            raise PermissionDenied

    def get_initial(self):
        return services.anonymised_texts(self.object)

    def get_form_class(self):
        return ModeratorPublishForm if self.route == "published" else PublishForm

    @cached_property
    def route(self):
        """What "submit" will do for this user: "published" or "submitted"."""
        return services.publication_route(self.parent, self.request.user)

    def form_valid(self, form):
        publication = services.publish_as_item(
            self.object,
            self.request.user,
            submit="action-draft" not in self.request.POST,
            **form.cleaned_data,
        )
        messages.success(
            self.request,
            {
                "published": _("The knowledge item has been published."),
                "submitted": _(
                    "The knowledge item has been submitted to the moderators for approval."
                ),
                "draft": _("The knowledge item has been saved as a draft."),
            }[publication.outcome],
        )
        return redirect("wagtailadmin_pages:edit", publication.page.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"parent": self.parent, "route": self.route})
        return context
