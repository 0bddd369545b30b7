"""The agenda in the demo corpus (agenda.yaml): meetings, excursions and conferences of the
programme's knowledge exchange, published through Wagtail revisions on their days (the
announcement, then the report or the cancellation), so each page's history is real. Loading
twice changes nothing: events are found by slug."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agenda.choices import EventStatus
from agenda.models import AgendaIndexPage, EventKnowledgeLink, EventPage, EventPresentation
from kennisbank.models import ExpertisePage, PracticePage
from vocabulary.models import KnowledgeCentre, Municipality, Neighbourhood, Theme

from .knowledge import html, one_line, pdf_document, read
from .registry import clock_at


def moment(text) -> dt.datetime:
    """'2008-10-09 10:00' (or a datetime YAML already read) in TIME_ZONE."""
    value = text if isinstance(text, dt.datetime) else dt.datetime.fromisoformat(str(text))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def ahead_of(today: dt.date, ahead: dict) -> dict:
    """The dates of an event placed ahead of `today` (see agenda.yaml): its start and end, the
    close of registration and the day it was announced."""
    day = today + dt.timedelta(weeks=ahead["weeks"])
    day += dt.timedelta(days=(3 - day.weekday()) % 7)  # the first Thursday from then
    starts = moment(f"{day} {ahead['starts']}")
    return {
        "starts": starts,
        "ends": moment(f"{day} {ahead['ends']}"),
        "closes": starts - dt.timedelta(days=ahead["closes_days_before"]),
        "published": today - dt.timedelta(days=ahead["announced_days_before_loading"]),
    }


class AgendaLoader:
    def __init__(self):
        self.parent = AgendaIndexPage.objects.get()
        self.centres = {c.slug: c for c in KnowledgeCentre.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.municipalities = {m.slug: m for m in Municipality.objects.all()}

    def load(self) -> int:
        created = 0
        for entry in read("agenda"):
            with transaction.atomic():
                created += self.make_event(entry)
        return created

    def publish(self, page, day: dt.date, first: bool = False):
        with clock_at(day):
            if first:
                page.live = False
                self.parent.add_child(instance=page)
            page.save_revision().publish()
        return EventPage.objects.get(pk=page.pk)

    def make_event(self, entry: dict) -> bool:
        if EventPage.objects.filter(slug=entry["slug"]).exists():
            return False
        if "ahead" in entry:
            entry = {**entry, **ahead_of(timezone.localdate(), entry["ahead"])}
        municipality = self.municipalities.get(entry.get("municipality") or "")
        page = EventPage(
            slug=entry["slug"],
            title=entry["title"],
            kind=entry["kind"],
            organiser=self.centres.get(entry.get("organiser") or ""),
            summary=one_line(entry["summary"]),
            starts_at=moment(entry["starts"]),
            ends_at=moment(entry["ends"]),
            venue=entry.get("venue", ""),
            address=entry.get("address", ""),
            municipality=municipality,
            online=entry.get("online", False),
            programme=html(entry.get("programme")),
            capacity=entry.get("capacity"),
            registration_closes_at=moment(entry["closes"]) if entry.get("closes") else None,
        )
        page.themes = [self.themes[t] for t in entry["themes"]]
        page.neighbourhoods = list(
            Neighbourhood.objects.filter(municipality=municipality, slug__in=entry["wijken"])
        )
        page = self.publish(page, entry["published"], first=True)
        if report := entry.get("report"):
            self.add_report(page, report)
        if cancelled := entry.get("cancelled"):
            page.status = EventStatus.CANCELLED
            page.cancellation_reason = one_line(cancelled["reason"])
            self.publish(page, cancelled["published"])
        return True

    def add_report(self, page, report: dict) -> None:
        page.report = html(report["text"])
        with clock_at(report["published"]):
            page.presentations = [
                EventPresentation(
                    title=item["title"],
                    speaker=item.get("speaker", ""),
                    document=pdf_document(item["title"], item["pages"]),
                )
                for item in report.get("presentations", [])
            ]
        linked = []
        for title in report.get("knowledge", []):
            target = (
                PracticePage.objects.filter(title=title).first()
                or ExpertisePage.objects.filter(title=title).first()
            )
            if target is None:
                raise LookupError(f"agenda.yaml: no practice or expertise titled {title!r}")
            linked.append(EventKnowledgeLink(page=target))
        page.knowledge_links = linked
        self.publish(page, report["published"])


def load(stdout=None) -> dict[str, int]:
    created = AgendaLoader().load()
    if stdout is not None:
        stdout.write(f"Agenda corpus: {created} new events.")
    return {"bijeenkomst": created}
