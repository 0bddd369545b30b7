"""The Rijk's remarks on plans in the admin (Snippets → "Opmerkingen van het Rijk"). Wagtail's
model permissions decide who may add, change or delete one: setup_roles gives them to the
programme directorate only, so a gemeente's editors can neither write nor change them."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PlanAnnotation


class PlanAnnotationViewSet(SnippetViewSet):
    model = PlanAnnotation
    icon = "openquote"
    list_display = ["plan", "author", "written_on"]
    list_filter = ["written_on"]
    ordering = ["-written_on"]
