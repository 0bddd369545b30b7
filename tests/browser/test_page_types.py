"""Every kind of public page (tests/browser/page_types.py), at the widths people use: axe-core
finds no serious or critical violation at 320, 390 and 1280 px, and at 320 and 390 px the page
does not scroll sideways. A page that is too wide names its widest element in the failure, so
the cause is visible without opening a browser. Full-page screenshots of each kind at each
width go to artifacts/screenshots/page-<kind>-<width>.png."""

import itertools
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, save_phone_screenshot
from .page_types import PAGE_TYPES, SENT_FORMS, STATUS
from .test_accessibility import FAILING_IMPACTS, describe, run_axe

pytestmark = pytest.mark.browser

AXE_WIDTHS = (320, 390, 1280)
PHONE_WIDTHS = (320, 390)
KINDS = PAGE_TYPES + SENT_FORMS

_clients = itertools.count(10)


def open_kind(page: Page, site, kind: str, width: int) -> str:
    """Open a page of this kind in a window `width` px wide; returns what was opened."""
    page.set_viewport_size({"width": width, "height": 800})
    if kind in SENT_FORMS:
        return _send_question(page, site.facts["page_types"]["loket"], kind == "loket-thanks")
    url = site.facts["page_types"][kind]
    response = page.goto(url)
    expected = STATUS.get(kind, 200)
    assert response is not None and response.status == expected, (
        f"{url} answered {response and response.status}, not {expected}"
    )
    return url


def _send_question(page: Page, url: str, filled: bool) -> str:
    # A client address of its own for each question sent (the site trusts one proxy), so the
    # rate limit of questions per address never decides what this test sees.
    page.context.set_extra_http_headers({"X-Forwarded-For": f"198.51.100.{next(_clients)}"})
    page.goto(url)
    if filled:
        page.get_by_label("Naam").fill("Petra de Vries")
        page.get_by_label("E-mailadres").fill("petra@example.org")
        page.get_by_label("Thema").select_option(label="Wonen")
        page.get_by_label("Uw vraag").fill("Hoe betrekken we huurders bij de renovatie?")
        page.get_by_role("checkbox", name=re.compile("privacyverklaring")).check()
    page.get_by_role("button", name="Vraag versturen").click()
    if filled:
        expect(page).to_have_url(re.compile(r"/loket/bedankt/\?ontvangst="))
    else:
        expect(page.get_by_role("alert")).to_be_visible()
    return f"{url} ({'sent' if filled else 'sent empty'})"


@pytest.mark.parametrize("width", AXE_WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_accessibility_violations(page: Page, site, kind, width):
    opened = open_kind(page, site, kind, width)
    violations = run_axe(page)
    save_phone_screenshot(page, f"page-{kind}-{width}")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, (
        f"axe found serious or critical violations on {opened} at {width} px:\n"
        f"{describe({width: failing}, opened)}\n\nEvery impact:\n{describe({width: violations}, opened)}"
    )


# The elements that reach past the window's right edge, widest first, leaving out what sits
# inside a box that scrolls or clips (a .scroll-region): those do not widen the page.
TOO_WIDE = """() => {
  const limit = window.innerWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const path = (el) => {
    const parts = [];
    for (let at = el; at && at !== document.body && parts.length < 4; at = at.parentElement) parts.unshift(name(at));
    return parts.join(' > ');
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > limit + 0.5 && !clipped(el)) wide.push({right: Math.round(right), path: path(el), html: el.outerHTML.slice(0, 160)});
  }
  wide.sort((a, b) => b.right - a.right);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: limit, widest: wide.slice(0, 3)};
}"""


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_sideways_scrolling_on_a_phone(page: Page, site, kind, width):
    opened = open_kind(page, site, kind, width)
    found = page.evaluate(TOO_WIDE)
    widest = "\n".join(
        f"  right edge at {w['right']} px: {w['path']}\n    {w['html']}" for w in found["widest"]
    )
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{opened} is {found['scrollWidth']} px wide in a {width} px window; widest elements:\n"
        f"{widest or '  (none outside a scrolling box: text overflowing its element?)'}\n"
        f"Screenshot: {SCREENSHOTS}/page-{kind}-{width}.png"
    )


def test_the_overflow_check_names_what_is_too_wide(page: Page, site):
    """A page made too wide on purpose: if the measurement were wrong, every check above would
    pass for nothing."""
    open_kind(page, site, "home", 320)
    page.evaluate(
        "() => { const p = document.createElement('p'); p.id = 'too-wide';"
        " p.textContent = 'x'; p.style.width = '500px'; document.querySelector('main').append(p); }"
    )
    found = page.evaluate(TOO_WIDE)
    assert found["scrollWidth"] > 320, found
    assert found["widest"][0]["path"].endswith("p#too-wide"), found
