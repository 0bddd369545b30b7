from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ExperimentPage, Registration, RegistryVersion


@receiver(page_published, sender=ExperimentPage)
def record_publication(sender, instance, revision=None, **kwargs):
    """A revision went live: give the registration its number on first publication, and
    record the registry fields as a new version when they changed.

    Wagtail also sends page_published when a first publication is only scheduled (the page
    stays not live until its go-live time); that is recorded when it really goes live.
    """
    if not instance.live:
        return
    registration, created = Registration.obtain(instance, revision=revision)
    if registration.withdrawn:
        # A withdrawal is final: publishing the page again (a scheduled revision, a bulk
        # action) must not bring the registration back into the listings.
        instance.unpublish()
        return
    if not created:  # a new registration has just recorded this publication as version 1
        RegistryVersion.record(registration, instance, revision=revision, when=instance.last_published_at)
