"""Atom feeds: any search (`/zoeken/?...&format=atom`) and the registry's new and amended
registrations (`/experimenten/feed/`).

Both use Django's syndication framework. Only published, public content appears: the search
feed reads the search index (which holds nothing else), the registrations feed reads the
registry's published versions (RegistryVersion) of live, public, not withdrawn experiments.
Contact email addresses are in neither (they are not part of the registry's memory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from wagtail.models import Page

from core.absolute_urls import DATA_LICENCE_NAME, DATA_LICENCE_URL, absolute_url
from experiments.history import Lookups, changes_between
from experiments.models import ExperimentIndexPage, ExperimentPage, RegistryVersion
from experiments.withdrawal import public_withdrawals
from places.links import search_url
from search.service import search
from search.views import SearchUrls

FEED_SIZE = 50
# The date in the entries' tag URIs (RFC 4151). Part of every entry's id: never change it.
TAG_DATE = "2025"
LICENCE = f"{DATA_LICENCE_NAME} ({DATA_LICENCE_URL})"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    """Text that XML 1.0 can carry (no control characters)."""
    return _CONTROL.sub("", str(value or ""))


def tag_uri(specific: str) -> str:
    """A stable entry id: tag:<host of SITE_URL>,<date>:<specific>. Ids survive a page being
    moved, and do not depend on the address a reader used."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    # The authority of a tag URI is a domain name: no port, and no IPv6 literal.
    host = "localhost" if ":" in host else host
    return f"tag:{host},{TAG_DATE}:{specific}"


class KennisloketFeed(Feed):
    feed_type = Atom1Feed
    feed_copyright = LICENCE

    def author_name(self):
        return gettext("Kennisloket Krachtwijken")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    def feed_url(self, obj):
        return self.request.path

    # The feed's links start with the public address (SITE_URL), whatever host the reader
    # asked: Django's Feed would put the request's host in front of a relative link.
    _ABSOLUTE = frozenset({"link", "feed_url", "item_link"})

    def _get_dynamic_attr(self, attname, obj, default=None):
        value = super()._get_dynamic_attr(attname, obj, default)
        return absolute_url(value) if attname in self._ABSOLUTE and value else value


# --- Any search as a feed ------------------------------------------------------------------


@dataclass
class SearchFeedObject:
    outcome: object
    link: str
    feed_url: str
    published: dict = field(default_factory=dict)  # page id -> (first, last) published


class SearchFeed(KennisloketFeed):
    """The search a URL describes, the FEED_SIZE results published last, newest first."""

    def get_object(self, request, *args, **kwargs):
        params = request.GET.copy()
        for name in ("format", "page", "sort"):
            params.pop(name, None)
        # A feed is about what was published last, not about the items' own dates (an
        # experiment's start date may be old or in the future).
        params["sort"] = "gepubliceerd"
        outcome = search(params, page_size=FEED_SIZE)
        urls = SearchUrls(request.path, outcome.query)
        published = {
            pk: (first, last)
            for pk, first, last in Page.objects.filter(
                pk__in=[c.page_id for c in outcome.cards]
            ).values_list("pk", "first_published_at", "last_published_at")
        }
        return SearchFeedObject(
            outcome=outcome,
            link=urls.page(1),
            feed_url=urls.page(1, format="atom"),
            published=published,
        )

    def title(self, obj):
        query = obj.outcome.query
        parts = [f"“{query.text}”"] if query.text else []
        for group in obj.outcome.facets:
            if group.selected:
                parts.append(f"{group.label}: {', '.join(v.label for v in group.selected)}")
        if not parts:
            return everything_new_feed_title()
        return xml_text(
            gettext("Kennisloket Krachtwijken: %(search)s") % {"search": " · ".join(parts)}
        )

    def subtitle(self, obj):
        return gettext("The newest results of this search in the Kennisloket Krachtwijken.")

    def link(self, obj):
        return obj.link

    def feed_url(self, obj):
        return obj.feed_url

    def feed_guid(self, obj):
        return absolute_url(obj.feed_url)

    def items(self, obj):
        self._published = obj.published
        return obj.outcome.cards

    def item_title(self, card):
        title = xml_text(card.title)
        return f"{title} ({card.registration_number})" if card.registration_number else title

    def item_description(self, card):
        meta = [
            card.type_label,
            ", ".join(card.municipalities),
            card.status_label,
            card.ministry,
            card.barrier_status_label,
        ]
        return format_html(
            "<p>{}</p><p>{}</p>", xml_text(" · ".join(m for m in meta if m)), xml_text(card.summary)
        )

    def item_link(self, card):
        return card.url

    def item_guid(self, card):
        return tag_uri(card.registration_number or f"pagina-{card.page_id}")

    def item_pubdate(self, card):
        return self._published.get(card.page_id, (None, None))[0]

    def item_updateddate(self, card):
        first, last = self._published.get(card.page_id, (None, None))
        return last or first

    def item_categories(self, card):
        return [xml_text(t) for t in [card.type_label, *card.themes]]


def search_feed(request):
    return SearchFeed()(request)


# --- New and amended registrations ---------------------------------------------------------


@dataclass
class RegistryEntry:
    number: int  # the version; 0 for a withdrawal
    published_at: object
    registration_number: str
    title: str
    url: str  # the version's page, or the tombstone of a withdrawn registration
    changes: list = field(default_factory=list)
    note: str = ""  # why an amendment was published
    withdrawal_reason: str = ""

    @property
    def is_original(self) -> bool:
        return self.number == 1

    @property
    def is_withdrawal(self) -> bool:
        return self.number == 0


def registry_entries(limit: int = FEED_SIZE, request=None) -> list[RegistryEntry]:
    """The newest events of the registry, newest first: published versions of live, public,
    not withdrawn registrations, and withdrawals (with their reason). A fixed number of
    queries, whatever the number of entries."""
    public = ExperimentPage.objects.live().public().not_withdrawn()
    versions = list(
        RegistryVersion.objects.filter(registration__page__in=public)
        .select_related("registration__page")
        .order_by("-published_at", "-pk")[:limit]
    )
    # The version before each amendment, to say what changed.
    wanted = {(v.registration_id, v.number - 1) for v in versions if v.number > 1}
    previous = {}
    if wanted:
        for row in RegistryVersion.objects.filter(
            registration_id__in={registration for registration, _n in wanted}
        ).only("registration_id", "number", "data", "labels"):
            if (row.registration_id, row.number) in wanted:
                previous[(row.registration_id, row.number)] = row
    lookups = Lookups([v.data for v in versions] + [row.data for row in previous.values()])
    entries = []
    for version in versions:
        page = version.registration.page
        before = previous.get((version.registration_id, version.number - 1))
        entries.append(
            RegistryEntry(
                number=version.number,
                published_at=version.published_at,
                registration_number=version.registration.number,
                title=version.data.get("title") or page.title,
                url=page.get_url(request) + page.reverse_subpage("version", args=[version.number]),
                changes=(
                    changes_between(
                        before.data, version.data, lookups, before.labels, version.labels
                    )
                    if before is not None
                    else []
                ),
                note=version.note,
            )
        )
    withdrawals = public_withdrawals()[:limit]
    entries.extend(
        RegistryEntry(
            number=0,
            published_at=registration.withdrawn_at,
            registration_number=registration.number,
            title=registration.page.title,
            url=registration.page.get_url(request),  # the tombstone (410) with the reason
            withdrawal_reason=registration.withdrawal_reason,
        )
        for registration in withdrawals
    )
    entries.sort(key=lambda entry: entry.published_at, reverse=True)
    return entries[:limit]


def everything_new_feed_title() -> str:
    return gettext("Kennisloket Krachtwijken: everything new")


def search_feed_link(subject: str, **filters) -> tuple[str, str]:
    """(title, URL) of the feed of a search with `filters` fixed (`gemeente="rotterdam"`), for
    the <link rel="alternate"> of the page about `subject`."""
    title = gettext("Kennisloket Krachtwijken: new about %(subject)s") % {"subject": subject}
    return title, search_url(**filters, format="atom")


def registrations_feed_title() -> str:
    return gettext("Kennisloket Krachtwijken: new, amended and withdrawn registrations")


class RegistrationsFeed(KennisloketFeed):
    """Every published version of a registration is an entry: "Registered: …" for the
    first, "Amended: …" with what changed for later ones, linking to the version's page."""

    def get_object(self, request, *args, **kwargs):
        return registry_entries(request=request)

    def title(self, obj):
        return registrations_feed_title()

    def subtitle(self, obj):
        return gettext(
            "Experiments registered in the Kennisloket Krachtwijken, every published amendment and every withdrawal."
        )

    def link(self, obj):
        index = ExperimentIndexPage.objects.live().public().first()
        return index.get_url(self.request) if index else "/"

    def feed_guid(self, obj):
        return absolute_url(self.request.path)

    def items(self, obj):
        return obj

    def item_title(self, entry):
        if entry.is_withdrawal:
            text = gettext("Withdrawn: %(title)s (%(number)s)")
        elif entry.is_original:
            text = gettext("Registered: %(title)s (%(number)s)")
        else:
            text = gettext("Amended: %(title)s (%(number)s)")
        return xml_text(text % {"title": entry.title, "number": entry.registration_number})

    def item_description(self, entry):
        if entry.is_withdrawal:
            return format_html(
                "<p>{}</p><p>{}: {}</p>",
                gettext(
                    "Registration %(number)s has been withdrawn; its page keeps its number, title and the reason."
                )
                % {"number": entry.registration_number},
                gettext("Reason for withdrawal"),
                xml_text(entry.withdrawal_reason),
            )
        if entry.is_original:
            return format_html(
                "<p>{}</p>",
                gettext("Registered in the Kennisloket Krachtwijken under number %(number)s.")
                % {"number": entry.registration_number},
            )
        items = format_html_join(
            "", "<li>{}</li>", ((self._change_text(c),) for c in entry.changes)
        )
        why = (
            format_html("<p>{}: {}</p>", gettext("Why"), xml_text(entry.note)) if entry.note else ""
        )
        return format_html(
            "<p>{}</p>{}<ul>{}</ul>",
            gettext("Version %(n)s. Changed:") % {"n": entry.number},
            why,
            items,
        )

    @staticmethod
    def _change_text(change) -> str:
        if change.is_text:
            return xml_text(change.label)
        old = change.old or gettext("(empty)")
        new = change.new or gettext("(empty)")
        return xml_text(f"{change.label}: {old} → {new}")

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        if entry.is_withdrawal:
            return tag_uri(f"{entry.registration_number}/ingetrokken")
        return tag_uri(f"{entry.registration_number}/versie/{entry.number}")

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.published_at

    def item_categories(self, entry):
        if entry.is_withdrawal:
            return [gettext("Withdrawal")]
        return [gettext("Registration") if entry.is_original else gettext("Amendment")]


def registrations_feed(request):
    # A new Feed object per request: the feed keeps the request on itself.
    return RegistrationsFeed()(request)
