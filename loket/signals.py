"""Default routes appear as the vocabulary is loaded: when a theme or a knowledge centre is
created and the other end of its default route (routing.DEFAULT_ROUTES) exists, the route is
added. Only on creation, so a route an editor removed or changed stays as they left it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from vocabulary.models import KnowledgeCentre, Theme

from .models import ThemeRoute
from .routing import DEFAULT_ROUTES


@receiver(post_save, sender=Theme)
def theme_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.slug not in DEFAULT_ROUTES:
        return
    centre = KnowledgeCentre.objects.filter(slug=DEFAULT_ROUTES[instance.slug]).first()
    if centre is not None:
        ThemeRoute.objects.get_or_create(theme=instance, defaults={"knowledge_centre": centre})


@receiver(post_save, sender=KnowledgeCentre)
def centre_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    theme_slugs = [theme for theme, centre in DEFAULT_ROUTES.items() if centre == instance.slug]
    for theme in Theme.objects.filter(slug__in=theme_slugs, question_route__isnull=True):
        ThemeRoute.objects.create(theme=theme, knowledge_centre=instance)
