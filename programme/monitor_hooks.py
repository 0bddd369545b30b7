"""The admin's way to a plan's monitor: its URLs, an item in the plan editor's action menu,
and a button in the page listing's "more" menu and the page header; and the visitatie
reports as snippets."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NeighbourhoodActionPlanPage, VisitationReport
from .monitor_admin import plan_monitor, plan_monitor_import


@hooks.register("register_admin_urls")
def register_monitor_urls():
    return [
        path("programme/plans/<int:page_id>/monitor/", plan_monitor, name="programme_monitor"),
        path(
            "programme/plans/<int:page_id>/monitor/import/",
            plan_monitor_import,
            name="programme_monitor_import",
        ),
    ]


def _is_plan(page) -> bool:
    return (getattr(page, "specific_class", None) or type(page)) is NeighbourhoodActionPlanPage


class MonitorMenuItem(ActionMenuItem):
    label = gettext_lazy("Monitor: indicator values")
    name = "action-monitor"
    icon_name = "table"
    order = 70

    def is_shown(self, context):
        return (
            context["view"] == "edit"
            and _is_plan(context["page"])
            and self.get_user_page_permissions_tester(context).can_edit()
        )

    def get_url(self, context):
        return reverse("programme_monitor", args=[context["page"].id])


@hooks.register("register_page_action_menu_item")
def register_monitor_menu_item():
    return MonitorMenuItem()


class MonitorButton(PageMenuItem):
    label = gettext_lazy("Monitor: indicator values")
    icon_name = "table"
    url_name = "programme_monitor"

    def is_shown(self, user):
        return _is_plan(self.page) and self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_listing_more_buttons")
def monitor_listing_button(page, user, next_url=None):
    yield MonitorButton(page=page, priority=50)


@hooks.register("register_page_header_buttons")
def monitor_header_button(page, user, view_name, next_url=None):
    yield MonitorButton(page=page, priority=64)


class VisitationReportViewSet(SnippetViewSet):
    """The visitatie reports, under the Snippets menu; adding one takes the permission
    programme.add_visitationreport (the moderators have it, editorial.setup)."""

    model = VisitationReport
    icon = "doc-full"
    list_display = ["title", "municipality", "year", "published_on"]
    list_filter = ["municipality", "year"]
    ordering = ["municipality__name", "-year"]


register_snippet(VisitationReportViewSet)
