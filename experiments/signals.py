from django.conf import settings
from django.dispatch import receiver
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .models import ExperimentPage, Registration, RegistryVersion
from .withdrawal import withdraw


@receiver(page_published, sender=ExperimentPage)
def record_publication(sender, instance, revision=None, **kwargs):
    """A revision went live: give the registration its number on first publication, and
    record the registry fields as a new version when they changed.

    Wagtail also sends page_published when a first publication is only scheduled (the page
    stays not live until its go-live time); that is recorded when it really goes live.
    """
    if not instance.live:
        return
    if instance.expire_at is not None:
        # A registration does not expire (an old revision or a script may still carry a date).
        Page.objects.filter(pk=instance.pk).update(expire_at=None)
        instance.expire_at = None
    registration, created = Registration.obtain(instance, revision=revision)
    if registration.withdrawn:
        # A withdrawal is final: publishing the page again (a scheduled revision, a bulk
        # action) must not bring the registration back into the listings.
        instance.unpublish()
        return
    if not created:  # a new registration has just recorded this publication as version 1
        RegistryVersion.record(
            registration, instance, revision=revision, when=instance.last_published_at
        )


@receiver(page_unpublished, sender=ExperimentPage)
def expired_registration_is_withdrawn(sender, instance, **kwargs):
    """An expiry date set before registrations lost theirs ran out (publish_scheduled): the
    registration is withdrawn, saying so, rather than left as a page that is simply gone."""
    if not instance.expired:
        return
    registration = Registration.objects.filter(page=instance, withdrawn_at__isnull=True).first()
    if registration is not None:
        with translation.override(settings.LANGUAGE_CODE):  # the reason is public text
            when = formats.date_format(timezone.localtime(), "j F Y")
            reason = _(
                "Withdrawn automatically on %(date)s: the expiry date set on the page had passed."
            ) % {"date": when}
        withdraw(instance, reason)
