"""The pool, the accountmanagers and the adoptieteams in the admin, under "Mensen". Wagtail's
model permissions decide who sees them: setup_roles gives them to the programme directorate
only (and superusers have all), so no gemeente or centre editor sees a profile."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AccountManager, AdoptionTeam, ExpertProfile


class ExpertProfileViewSet(SnippetViewSet):
    model = ExpertProfile
    icon = "user"
    list_display = ["name", "organisation", "review", "confirmed_at", "created_at"]
    list_filter = ["review", "level"]
    search_fields = ["name", "organisation"]


class AccountManagerViewSet(SnippetViewSet):
    model = AccountManager
    icon = "user"
    list_display = ["name", "ministry", "function"]
    search_fields = ["name"]


class AdoptionTeamViewSet(SnippetViewSet):
    model = AdoptionTeam
    icon = "group"
    list_display = ["neighbourhood", "start_date", "end_date"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 310
    items = (ExpertProfileViewSet, AccountManagerViewSet, AdoptionTeamViewSet)


register_snippet(PeopleViewSetGroup)
