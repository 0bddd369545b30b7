"""What the search journeys (mouse and keyboard) share: reading the page the way a user does,
and applying a filter whether or not the page updates itself with JavaScript.

With static/js/search.js on the page, ticking a facet updates the results in place and the URL
follows (pushState); without it (or with JavaScript off) the user presses "Filters toepassen"
and the form submits. The tests assert only what a user notices, so they hold either way."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

from playwright.sync_api import Page, expect

COUNT = ".results__count"
CHIPS = ".chips a.chip:not(.chip--clear)"
RESULT_TITLES = ".results .result__title"
APPLY = "Filters toepassen"


def search_json(site, params: list[tuple[str, str]]) -> dict:
    """The same search as JSON (the site's own format=json), to know what the page should show."""
    query = urllib.parse.urlencode([*params, ("format", "json")])
    with urllib.request.urlopen(site(f"/zoeken/?{query}"), timeout=10) as response:
        return json.load(response)


def count_pattern(total: int) -> re.Pattern:
    # "40 resultaten", "1 resultaat"
    return re.compile(rf"^\s*{total}\s+resulta")


def expect_total(page: Page, total: int) -> None:
    expect(page.locator(COUNT)).to_have_text(count_pattern(total))


ENHANCED_FORM = "form[data-search-enhanced]"


def js_enhanced(page: Page) -> bool:
    """Does the search page update itself in place? static/js/search.js marks the form with
    data-search-enhanced when it has taken over (never with JavaScript off)."""
    return page.locator(ENHANCED_FORM).count() > 0


def facet_checkbox(page: Page, facet_label: str, value_label: str):
    group = page.get_by_role("group", name=facet_label, exact=True)
    return group.get_by_role("checkbox", name=re.compile(rf"^{re.escape(value_label)}\s*\(\d+\)"))


def chip(page: Page, facet_label: str, value_label: str):
    return page.get_by_role(
        "link", name=re.compile(rf"^{re.escape(facet_label)}: {re.escape(value_label)}\b")
    )


def open_facet_value(page: Page, checkbox) -> None:
    """Values after the eighth sit in a closed <details>: open it as a user would."""
    if not checkbox.is_visible():
        details = checkbox.locator("xpath=ancestor::details[1]")
        details.locator("summary").click()
    expect(checkbox).to_be_visible()


def tick(
    page: Page, facet_label: str, value_label: str, params_after: list[tuple[str, str]]
) -> None:
    """Tick a facet value and get the results for it: in place (JavaScript) or by pressing
    "Filters toepassen" (no JavaScript). Waits until the URL shows the new state."""
    box = facet_checkbox(page, facet_label, value_label)
    open_facet_value(page, box)
    enhanced = js_enhanced(page)
    box.check()
    if not enhanced:
        page.get_by_role("button", name=APPLY).click()
    wait_for_state(page, params_after)


def state_of(url: str) -> list[tuple[str, str]]:
    """The search state a URL describes: its non-empty parameters, sorted. page=1 is the
    default page, and the sort order is left out (the journeys never change it; a submitted
    form always sends the selected one)."""
    pairs = []
    for key, value in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query):
        if not value or key == "sort" or (key == "page" and value == "1"):
            continue
        pairs.append((key, value))
    return sorted(pairs)


def wait_for_state(page: Page, params: list[tuple[str, str]]) -> None:
    """Wait until the address bar shows /zoeken/ with exactly these parameters (a real
    navigation or a pushState/popstate both count)."""
    wanted = sorted(params)
    try:
        page.wait_for_url(
            lambda url: urllib.parse.urlsplit(url).path == "/zoeken/" and state_of(url) == wanted,
            timeout=10_000,
        )
    except Exception as error:  # a clearer message than a timeout
        raise AssertionError(
            f"Expected /zoeken/ with {wanted}, the browser shows {page.url}"
        ) from error
    if js_enhanced(page):
        # search.js sets data-search-state="loading" before it pushes the URL, "idle" after
        # it has swapped the results in.
        expect(page.locator(ENHANCED_FORM)).not_to_have_attribute("data-search-state", "loading")


def titles(page: Page) -> list[str]:
    return page.locator(RESULT_TITLES).all_inner_texts()
