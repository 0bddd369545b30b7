from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoketConfig(AppConfig):
    name = "loket"
    verbose_name = _("Question desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401
        from .models import Question
        from .permissions import question_permission_policy

        # Early, before anything asks Wagtail for Question's policy (it would make a default one).
        register_permission_policy(Question, question_permission_policy, exact_class=True)
