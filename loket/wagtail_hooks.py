"""The question desk in the admin: "Questions" (scoped to the user's centre) and the theme →
centre routing, in one "Question desk" menu."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.models import Page

from . import admin_views, services
from .models import Question, ThemeRoute


class QuestionViewSet(ModelViewSet):
    model = Question
    name = "loket_questions"
    url_prefix = "loket/vragen"
    icon = "help"
    menu_label = _("Questions")
    add_to_reference_index = False  # personal data stay out of other indexes
    copy_view_enabled = False
    index_view_class = admin_views.QuestionIndexView
    edit_view_class = admin_views.QuestionEditView
    delete_view_class = admin_views.QuestionDeleteView
    history_view_class = admin_views.QuestionHistoryView
    usage_view_class = admin_views.QuestionUsageView
    forward_view_class = admin_views.ForwardView
    publish_view_class = admin_views.PublishView
    edit_template_name = "loket/admin/question_edit.html"

    list_display = [
        "excerpt",
        "reference",
        "theme",
        "municipality",
        "knowledge_centre",
        "status",
        "created_at",
    ]
    list_filter = ["status", "theme", "knowledge_centre"]
    search_fields = ["reference", "text", "name", "organisation"]
    search_backend_name = None  # plain database lookups; questions are not in a search index
    ordering = ["-created_at"]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("reference", read_only=True),
                    FieldPanel("text", read_only=True),
                    FieldPanel("theme", read_only=True),
                    FieldPanel("knowledge_centre", read_only=True),
                    FieldPanel("created_at", read_only=True),
                ],
                heading=_("Question"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("name", read_only=True),
                    FieldPanel("email", read_only=True),
                    FieldPanel("organisation", read_only=True),
                ],
                heading=_("Asked by"),
            ),
            MultiFieldPanel([FieldPanel("status"), FieldPanel("answer")], heading=_("Answer")),
        ],
        base_form_class=admin_views.QuestionAdminForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        # Questions come in through the public form only: no add view.
        return super().get_common_view_kwargs(**{"add_url_name": None, **kwargs})

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            forward_url_name=self.get_url_name("forward"),
            publish_url_name=self.get_url_name("publish"),
            **kwargs,
        )

    @property
    def forward_view(self):
        return self.construct_view(self.forward_view_class)

    @property
    def publish_view(self):
        return self.construct_view(self.publish_view_class)

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name != "add"]
        return patterns + [
            path("forward/<int:pk>/", self.forward_view, name="forward"),
            path("publish/<int:pk>/", self.publish_view, name="publish"),
        ]

    def get_permissions_to_register(self):
        # change: open and handle the own centre's questions; delete; handle_all_questions: see
        # every centre's (moderators). No add: questions come from the public.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Question),
            codename__in=["change_question", "delete_question", "handle_all_questions"],
        )


class ThemeRouteViewSet(ModelViewSet):
    model = ThemeRoute
    name = "loket_routes"
    url_prefix = "loket/routering"
    icon = "redirect"
    menu_label = _("Routing by theme")
    list_display = ["theme", "knowledge_centre"]
    copy_view_enabled = False


class QuestionDeskViewSetGroup(ModelViewSetGroup):
    menu_label = _("Question desk")
    menu_icon = "help"
    menu_order = 250
    items = (QuestionViewSet, ThemeRouteViewSet)


@hooks.register("register_admin_viewset")
def register_question_desk():
    return QuestionDeskViewSetGroup()


@hooks.register("register_log_actions")
def register_question_log_actions(actions):
    actions.register_action(
        "loket.answer", _("Answer"), _("Answered; the answer was emailed to the asker")
    )
    actions.register_action(
        "loket.forward", _("Forward"), _("Forwarded to another knowledge centre")
    )
    actions.register_action(
        "loket.publish", _("Publish as knowledge item"), _("Published as a knowledge item")
    )


# --- A published question goes live only after a moderator confirmed its anonymisation --------
# The review workflow's task asks for that confirmation when it is approved; these refuse the
# other ways to publish such an item (the editor's Publish button, bulk publish) until then.


def _refuse_unchecked_publication(request, page):
    messages.error(
        request,
        _(
            "“%(title)s” is a published question whose anonymisation no moderator has confirmed yet. "
            "Submit it for moderation: the moderator confirms “anonymisation checked” when approving."
        )
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def refuse_publishing_an_unchecked_question(request, page):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and services.awaits_anonymisation_check(page)
    ):
        return _refuse_unchecked_publication(request, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unchecked_questions(
    request, action_type, objects, action_class_instance
):
    if action_type == "publish":
        for page in objects:
            if isinstance(page, Page) and services.awaits_anonymisation_check(page):
                return _refuse_unchecked_publication(request, page)
    return None
