# Wagtail loads the hooks of an app from this module; each part of the loop keeps its own.
from wagtail.snippets.models import register_snippet

from . import monitor_hooks  # noqa: F401
from .barrier_admin import PlanAnnotationViewSet

register_snippet(PlanAnnotationViewSet)
