"""Accessibility proven in the browser: axe-core (node_modules/axe-core, from npm) runs inside
Chromium (the harness here; every kind of public page at three widths in test_page_types.py),
and no violation of impact serious or critical may remain (WCAG 2.0/2.1 A and AA rules). Every
violation found, of any impact, is listed in the failure message; check_page also writes them
to artifacts/axe/<page>.json.

And a keyboard-only run of the search: Tab, Shift+Tab, Space and Enter reach every facet
checkbox and use one, with a visible focus indicator."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import AXE_JS, DESKTOP, PHONE, PROJECT_DIR, save_screenshots
from .search_ui import CHIPS, COUNT, js_enhanced, search_json, state_of

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
AXE_REPORTS = PROJECT_DIR / "artifacts" / "axe"

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
      html: n.html.slice(0, 300),
      summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 400),
    })),
  }));
}"""


def run_axe(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
        # not govern: add_script_tag would add an inline <script>, which the CSP (rightly) blocks.
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def describe(violations_by_width: dict[str, list[dict]], url: str) -> str:
    lines = []
    for width, violations in violations_by_width.items():
        for v in violations:
            for node in v["nodes"]:
                lines.append(
                    f"[{v['impact']}] {v['id']} on {url} ({width}): {node['target']}\n"
                    f"    {v['help']} — {node['summary']}\n    {node['html']}"
                )
    return "\n".join(lines)


def check_page(page: Page, name: str, url: str) -> None:
    """axe at desktop and at phone width on the page as it is now; screenshots of both."""
    found: dict[str, list[dict]] = {}
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        found[width] = run_axe(page)
    page.set_viewport_size(DESKTOP)
    save_screenshots(page, name)
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(
        json.dumps({"url": url, "violations": found}, indent=2)
    )
    failing = {w: [v for v in vs if v["impact"] in FAILING_IMPACTS] for w, vs in found.items()}
    assert not any(failing.values()), (
        f"axe found serious or critical violations on {url}:\n{describe(failing, url)}\n\n"
        f"All violations, every impact:\n{describe(found, url)}"
    )


def _goto_ok(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{url} answered {response and response.status}"
    )


def test_the_axe_harness_reports_violations(page: Page):
    """A page with known faults: if axe were not injected or not reporting, every page check
    above would pass for nothing."""
    page.set_content(
        '<!doctype html><html lang="nl"><head><title>Fout</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#bbb;background:#fff">Te licht</p></main></body></html>'
    )
    found = {v["id"]: v["impact"] for v in run_axe(page)}
    assert found.get("image-alt") == "critical" and found.get("color-contrast") == "serious", found


# Every kind of page at 320, 390 and 1280 px: tests/browser/test_page_types.py.


# --- Keyboard only ---------------------------------------------------------------------------

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {id: el.id, tag: el.tagName.toLowerCase(), type: el.type || '', text: (el.textContent || '').trim().slice(0, 60),
          inClosedDetails: !!(el.closest('details:not([open])') && el.tagName !== 'SUMMARY'),
          facetMore: el.tagName === 'SUMMARY' && !!el.closest('form[role=search]'),
          open: el.tagName === 'SUMMARY' ? el.parentElement.open : null};
}"""

FOCUS_STYLE = """(id) => {
  const el = document.getElementById(id);
  const visible = (node) => {
    if (!node) return null;
    const s = getComputedStyle(node);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    return outline || shadow ? `${node.tagName.toLowerCase()}: outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}, box-shadow ${s.boxShadow}` : null;
  };
  const label = document.querySelector(`label[for="${id}"]`);
  return {focusVisible: el.matches(':focus-visible'),
          indicator: visible(el) || visible(label) || visible(el.parentElement)};
}"""


def _press_until(page: Page, key: str, wanted, limit: int = 400, on_each=None) -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE)
        if on_each:
            on_each(active)
        if active and wanted(active):
            return active
    raise AssertionError(
        f"{key} {limit} times never reached the element; last focus: {page.evaluate(ACTIVE)}"
    )


def test_keyboard_only_search_reaches_and_uses_every_facet(page: Page, site, screenshots):
    _goto_ok(page, "/zoeken/")
    search_form = page.get_by_role("search").filter(has=page.locator("input[type=checkbox]"))
    facet_ids = search_form.locator("input[type=checkbox]").evaluate_all(
        "els => els.map(e => e.id)"
    )
    assert len(facet_ids) > 20 and all(facet_ids), facet_ids
    everything = search_json(site, [])["total"]
    target = search_form.locator(
        'input[type=checkbox][name="thema"][value="veiligheid"]'
    ).get_attribute("id")
    after = search_json(site, [("thema", "veiligheid")])["total"]
    assert after < everything

    # Forward through the page with Tab alone. A closed "all values" disclosure is opened with
    # Enter, as a keyboard user would.
    reached: list[str] = []

    def note(active):
        if active and active["id"]:
            reached.append(active["id"])
        if active and active["facetMore"] and not active["open"]:
            page.keyboard.press("Enter")
            assert page.evaluate("() => document.activeElement.parentElement.open"), (
                "Enter did not open the disclosure"
            )

    last_facet = facet_ids[-1]
    _press_until(page, "Tab", lambda a: a["id"] == last_facet, on_each=note)
    missing = [i for i in facet_ids if i not in reached]
    assert not missing, f"Tab never reached these facet checkboxes: {missing}"
    order = [i for i in reached if i in facet_ids]
    assert order == facet_ids, "The facets are not reached in reading order"

    # Back with Shift+Tab to a theme, tick it with Space.
    _press_until(page, "Shift+Tab", lambda a: a["id"] == target)
    style = page.evaluate(FOCUS_STYLE, target)
    assert style["focusVisible"], "the checkbox reached by keyboard does not match :focus-visible"
    assert style["indicator"], (
        f"no visible focus indicator (outline or box-shadow) on #{target}, its label or its parent"
    )
    screenshots(page, "keyboard-focus-on-facet")
    page.keyboard.press("Space")
    expect(page.locator(f"#{target}")).to_be_checked()

    # Results update in place (search.js); the keyboard user stays where they were.
    assert js_enhanced(page), "static/js/search.js did not take over the search form"
    page.wait_for_url(lambda url: state_of(url) == [("thema", "veiligheid")])
    expect(page.locator(f"#{target}")).to_be_focused()
    expect(page.locator(COUNT)).to_have_text(re.compile(rf"^\s*{after}\s+resulta"))
    expect(page.locator(CHIPS)).to_have_count(1)
    expect(page.locator(f"#{target}")).to_be_checked()
    screenshots(page, "keyboard-after-tick")
