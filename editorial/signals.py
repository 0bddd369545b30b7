"""Saving the editorial settings applies them at once: the editors' groups get or lose the
`publish` page permission (no need to run setup_roles again)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import EditorialSettings
from .setup import sync_publish_permissions


@receiver(post_save, sender=EditorialSettings)
def apply_editorial_settings(sender, instance, raw=False, **kwargs):
    # Editor groups are the same on every site; the default site's setting is the one that counts.
    if raw or not instance.site.is_default_site:
        return
    sync_publish_permissions(instance.editors_may_publish)
