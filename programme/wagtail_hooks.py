from wagtail.snippets.models import register_snippet

from .barrier_admin import PlanAnnotationViewSet

register_snippet(PlanAnnotationViewSet)
