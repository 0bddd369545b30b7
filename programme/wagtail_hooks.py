# Wagtail loads the hooks of an app from this module; each part of the loop keeps its own.
from . import monitor_hooks  # noqa: F401
