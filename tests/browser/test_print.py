"""A printed page (print.css): only the content, headed by the site's name, the page's address on
SITE_URL and the date, with the address of every link in the content written after it."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AFTER = "el => getComputedStyle(el, '::after').content"


def test_a_printed_registration_says_where_and_when_and_writes_out_its_links(page: Page, site):
    url = site.facts["page_types"]["experiment"]
    page.goto(url)
    heading = page.locator(".print-heading")
    expect(heading).to_be_hidden()  # on screen
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    parts = urlsplit(canonical)
    base = f"{parts.scheme}://{parts.netloc}"  # SITE_URL, whatever host the browser used

    page.emulate_media(media="print")
    for chrome in (
        "header.site-header",
        "nav.breadcrumbs",
        "footer.site-footer",
        "form[role=search]",
    ):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(heading).to_be_visible()
    expect(heading).to_contain_text("Kennisloket Krachtwijken")
    expect(heading).to_contain_text(base + url)
    expect(heading).to_contain_text(re.compile(r"geraadpleegd op \d{1,2} [a-z]+ \d{4}"))

    # The site's own links get their absolute address on SITE_URL, not the browser's host.
    own = page.locator('main .facts a[href^="/"]').first
    href = own.get_attribute("href")
    assert own.evaluate(AFTER) == f'" ({base}{href})"'
    # Links elsewhere keep their address as written.
    page.evaluate(
        "() => { const a = document.createElement('a'); a.id = 'elsewhere';"
        " a.href = 'https://www.cbs.nl/'; a.textContent = 'CBS'; document.querySelector('main').append(a); }"
    )
    assert page.locator("#elsewhere").evaluate(AFTER) == '" (https://www.cbs.nl/)"'
