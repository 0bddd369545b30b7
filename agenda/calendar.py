"""iCalendar (RFC 5545) for one event and for the whole agenda, written here: a calendar is a
few lines of text, and the one package that writes them would be a dependency for a dozen
lines. Times in UTC; a cancelled event stays in the feed with STATUS:CANCELLED, so a calendar
that subscribed to it crosses it out instead of silently losing it."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags

from core.absolute_urls import absolute_url, site_url

from .choices import EventStatus

LINE_OCTETS = 75  # RFC 5545 3.1: lines are folded after 75 octets


def escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # continuation lines start with " "
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _location(event) -> str:
    place = [event.venue, event.address]
    if event.municipality_id and event.municipality.name not in (event.address or ""):
        place.append(event.municipality.name)
    if event.online:
        place.append("online")
    return ", ".join(part for part in place if part)


def event_lines(event, host: str) -> list[str]:
    url = absolute_url(event.url)
    description = "\n\n".join(
        part for part in [event.summary, strip_tags(event.report or "")] if part
    )
    stamp = event.last_published_at or event.latest_revision_created_at or timezone.now()
    lines = [
        "BEGIN:VEVENT",
        f"UID:bijeenkomst-{event.pk}@{host}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(stamp)}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{escape(event.title)}",
        f"DESCRIPTION:{escape(description + chr(10) + chr(10) + url)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if event.status == EventStatus.CANCELLED else 'CONFIRMED'}",
        f"CATEGORIES:{escape(event.get_kind_display())}",
    ]
    location = _location(event)
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events, name: str = "") -> str:
    host = urlsplit(site_url()).hostname or "localhost"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape(settings.WAGTAIL_SITE_NAME)}//Agenda//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines.extend(event_lines(event, host))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_response(events, filename: str, name: str = "") -> HttpResponse:
    response = HttpResponse(
        calendar_text(events, name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
