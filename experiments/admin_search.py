"""The admin search finds a registration by its number (ExperimentPage indexes it as an
autocomplete field). The number is given on first publication, after Wagtail has indexed the
page it published, so the page is indexed once more when its number is made."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from modelsearch.tasks import insert_or_update_object_task

from .models import ExperimentPage, Registration


@receiver(post_save, sender=Registration)
def index_the_new_number(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.page_id is not None:
        # The same task Wagtail's own index upkeep runs after a save (see modelsearch.signal_handlers).
        opts = ExperimentPage._meta
        insert_or_update_object_task.enqueue(opts.app_label, opts.model_name, str(instance.page_id))
