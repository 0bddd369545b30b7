from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Page

        from . import signals  # noqa: F401
        from .forms import MediaCheckedPageForm

        # Every page type's admin form checks the documents and images it is given (forms.py).
        # Wagtail sets this default in wagtail.admin's ready(), which runs before ours (this
        # app comes after wagtail.admin in INSTALLED_APPS); page types with a form of their own
        # extend MediaCheckedPageForm (vocabulary.forms), and a test checks that all do.
        Page.base_form_class = MediaCheckedPageForm
