import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...`: run what the block left for after the commit (the mails) when
    it ends, as a real request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_event(db):
    """A published event under /agenda/, by default in a month, 2 places."""
    from agenda.models import AgendaIndexPage, EventPage

    def make(**fields):
        start = fields.pop("starts_at", timezone.now() + dt.timedelta(days=30))
        page = EventPage(
            title=fields.pop("title", "Leerkring gezinscoaches"),
            slug=fields.pop("slug", f"leerkring-{EventPage.objects.count()}"),
            summary="Gezinscoaches uit vijf gemeenten wisselen uit wat werkt.",
            starts_at=start,
            ends_at=fields.pop("ends_at", start + dt.timedelta(hours=3)),
            venue="Wijkcentrum De Schalm",
            capacity=fields.pop("capacity", 2),
            **fields,
        )
        AgendaIndexPage.objects.get().add_child(instance=page)
        page.save_revision().publish()
        return EventPage.objects.get(pk=page.pk)

    return make
