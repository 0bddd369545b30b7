from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    list_display = ["name", "cbs_code", "slug"]
    search_fields = ["name"]


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    icon = "home"
    list_display = ["name", "municipality", "is_krachtwijk", "slug"]
    list_filter = ["municipality", "is_krachtwijk"]
    search_fields = ["name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "is_main_theme", "slug"]


class KnowledgeCentreViewSet(SnippetViewSet):
    model = KnowledgeCentre
    icon = "group"
    list_display = ["abbreviation", "name", "slug"]


class ExperimentTypeViewSet(SnippetViewSet):
    model = ExperimentType
    icon = "cogs"
    list_display = ["name", "level", "slug"]


class RecognitionLevelViewSet(SnippetViewSet):
    model = RecognitionLevel
    icon = "pick"
    list_display = ["name", "ordinal", "slug"]


class VocabularyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Vocabulary")
    menu_icon = "list-ul"
    menu_order = 300
    items = (
        MunicipalityViewSet,
        NeighbourhoodViewSet,
        ThemeViewSet,
        KnowledgeCentreViewSet,
        ExperimentTypeViewSet,
        RecognitionLevelViewSet,
    )


register_snippet(VocabularyViewSetGroup)
