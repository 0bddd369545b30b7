from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The worker (manage.py run_worker): the index outbox and the scheduled jobs, run by
    command name, so it imports none of the apps whose jobs it runs. Nothing here is shown to
    visitors or editors."""

    name = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
