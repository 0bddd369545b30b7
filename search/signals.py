"""search/ listens to Wagtail's page events and the vocabulary; the content apps know nothing
of the index."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.kinds import kind_of
from programme.models import Ministry
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)

from .documents import related_page_ids
from .facets import neighbourhood_key
from .indexing import pages_with_facet_value, schedule
from .models import Synonym
from .thesaurus import clear_thesaurus_cache


def _content_ids(page) -> set[int]:
    page = page.specific_deferred
    if kind_of(page) is None:
        return set()
    return {page.pk, *related_page_ids(page)}


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    schedule(_content_ids(instance))


@receiver(pre_delete)
def page_deleted(sender, instance, **kwargs):
    # pre_delete: the related pages can still be read. The deleted page's own document goes
    # because the builder no longer finds it once the deletion has committed.
    if isinstance(instance, Page):
        schedule(_content_ids(instance))


@receiver(post_page_move)
@receiver(page_slug_changed)
def page_moved(sender, instance, **kwargs):
    # Every page below a moved or renamed (new slug) page gets a new url.
    schedule(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    # A private page (and everything below it) leaves the public index; made public, it returns.
    schedule(Page.objects.descendant_of(instance.page, inclusive=True).values_list("pk", flat=True))


VOCABULARY_FACETS = {
    Municipality: "municipality",
    Theme: "theme",
    ExperimentType: "experiment_type",
    RecognitionLevel: "recognition",
    KnowledgeCentre: "centre",
    Ministry: "ministry",
}


@receiver(post_save)
@receiver(post_delete)
def vocabulary_changed(sender, instance, created=False, **kwargs):
    # A renamed wijk or theme: every document that carries it is rebuilt, so the new name is
    # shown and found. The index itself knows which documents those are (slugs never change).
    if created:
        return
    if sender is Neighbourhood:
        schedule(pages_with_facet_value("neighbourhood", neighbourhood_key(instance)))
    elif sender in VOCABULARY_FACETS:
        schedule(pages_with_facet_value(VOCABULARY_FACETS[sender], instance.slug))


post_save.connect(clear_thesaurus_cache, sender=Synonym)
post_delete.connect(clear_thesaurus_cache, sender=Synonym)
