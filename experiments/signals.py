from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ExperimentPage, Registration


@receiver(page_published, sender=ExperimentPage)
def register_on_first_publication(sender, instance, **kwargs):
    Registration.assign(instance)
