"""Loading demo content without keeping every index up to date page by page."""

from contextlib import contextmanager


@contextmanager
def indexes_paused():
    """Wagtail's admin search index, its reference index and the public search index are
    brought up to date once after a load (load_demo: update_index, rebuild_references_index,
    search_index rebuild) instead of after every one of hundreds or thousands of saves and
    publications (they cost more than half of the time per page)."""
    from django.db.models.signals import post_save
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update
    from wagtail.signals import page_published

    from search.signals import page_changed

    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    page_published.disconnect(page_changed)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        page_published.connect(page_changed)
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
