"""The footer's pages in the browser: the footer sits at the bottom of a page shorter than the
window, and the statements (the privacy and cookie ones with their tables) pass axe and fit a
320 px wide phone without scrolling sideways."""

import pytest
from playwright.sync_api import Page

from .test_accessibility import _goto_ok, check_page

pytestmark = pytest.mark.browser

# Taller than any statement page, so each is a short page here.
TALL_WINDOW = {"width": 1280, "height": 2400}


def test_the_footer_sits_at_the_bottom_of_a_short_page(page: Page, site):
    page.set_viewport_size(TALL_WINDOW)
    _goto_ok(page, "/contact/")
    main_bottom = page.locator("main").evaluate("el => el.getBoundingClientRect().bottom")
    footer = page.locator("footer.site-footer").evaluate(
        "el => ({top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom})"
    )
    assert footer["bottom"] == pytest.approx(TALL_WINDOW["height"], abs=1), footer
    assert footer["top"] == pytest.approx(main_bottom, abs=1)  # main took the room between
    assert page.evaluate("() => document.documentElement.scrollHeight") <= TALL_WINDOW["height"]


@pytest.mark.parametrize("slug", ["over", "contact", "privacy", "cookies", "toegankelijkheid"])
def test_the_statement_pages_pass_axe_and_fit_a_phone(page: Page, site, slug):
    url = f"/{slug}/"
    _goto_ok(page, url)
    check_page(page, f"a11y-statement-{slug}", url)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
