"""The registrations follow the published event: a cancellation ends them (everyone is
mailed), more places move the waiting list up."""

from wagtail.signals import page_published

from .models import EventPage
from .registrations import event_published


def on_event_published(sender, instance, **kwargs):
    event_published(instance)


def connect() -> None:
    page_published.connect(
        on_event_published, sender=EventPage, dispatch_uid="agenda_event_published"
    )
