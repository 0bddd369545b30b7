from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    """The thesaurus editors keep for the public search (gezinscoach ↔ gezinsmanager)."""

    model = Synonym
    icon = "search"
    menu_label = _("Search thesaurus")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["terms", "note"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)
