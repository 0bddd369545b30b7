"""The browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a browser
Playwright downloads) against the site running in a separate process.

The site runs in a process of its own, started once per session (tests/sites.py says
how and why; the `live_site` fixture is in tests/conftest.py).
Screenshots of every journey and page go to artifacts/screenshots/ (desktop and phone width);
the folder is printed at the end of the run.

Missing Chromium (CHROMIUM_PATH, default /usr/bin/chromium) or axe-core: a skip saying how to
install them, or a failure when CI=true.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_DIR / "artifacts" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(message: str):
    if _in_ci():
        pytest.fail(f"{message} (CI runs the browser tests: no skipping)", pytrace=False)
    pytest.skip(message)


def require_browser_tools():
    """Chromium and axe-core must be there; Playwright never downloads a browser."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(
            f"Chromium is not at {CHROMIUM}: install it with `apt-get install -y chromium`"
        )
    if not AXE_JS.exists():
        missing.append(
            f"axe-core is not at {AXE_JS.relative_to(PROJECT_DIR)}: run `make install` (npm ci)"
        )
    if missing:
        _missing("Browser tests cannot run: " + "; ".join(missing))


# --- The site under test ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(live_site):
    """The site, running in its own process on its own database (tests/sites.py)."""
    require_browser_tools()
    return live_site


# --- Playwright: our Chromium, our site -------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_browser_tools()
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(site):
    """pytest-playwright gives every context this base URL, so page.goto("/zoeken/") works."""
    return site.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    return {**browser_context_args, "base_url": base_url, "viewport": DESKTOP, "locale": "nl-NL"}


ACTION_TIMEOUT = 15_000  # ms: a click or a fill that takes longer than this is a failure

# What Chromium reports when the Content-Security-Policy blocks something: every test fails if
# a page it visited broke the policy (an inline script, a style, a source from elsewhere).
_csp_violations: list[str] = []


def _watch_csp(context):
    def note(message):
        if "Content Security Policy" in message.text:
            _csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", note)


@pytest.fixture(autouse=True)
def no_csp_violations():
    _csp_violations.clear()
    yield
    assert not _csp_violations, "The Content-Security-Policy blocked something:\n" + "\n".join(
        _csp_violations
    )


@pytest.fixture
def context(new_context):
    context = new_context()
    context.set_default_timeout(ACTION_TIMEOUT)
    _watch_csp(context)
    return context


def _own_context(browser, base_url, **options):
    # pytest-playwright's new_context() cannot change an argument browser_context_args already
    # sets (viewport), so these contexts are made here and closed after the test.
    context = browser.new_context(
        **{"base_url": base_url, "viewport": DESKTOP, "locale": "nl-NL", **options}
    )
    context.set_default_timeout(ACTION_TIMEOUT)
    _watch_csp(context)
    return context


@pytest.fixture
def phone_page(browser, base_url):
    """A page in a phone-sized context (390×844, touch)."""
    context = _own_context(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser, base_url):
    """A page in a context with JavaScript switched off."""
    context = _own_context(browser, base_url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser, base_url):
    """Pages in fresh contexts of their own (another user, another session)."""
    contexts = []

    def make(**options):
        context = _own_context(browser, base_url, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- Screenshots --------------------------------------------------------------------------------

_saved: list[Path] = []


def save_screenshots(page, name: str) -> None:
    """Full-page PNGs of the page as it is now, at desktop and at phone width
    (artifacts/screenshots/<name>-desktop.png and -phone.png). The page keeps its state:
    only the viewport changes, and is put back afterwards."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        _saved.append(path)
    page.set_viewport_size(original)


def save_phone_screenshot(page, name: str) -> None:
    """A full-page PNG of a page in the phone context (artifacts/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    _saved.append(path)


@pytest.fixture
def screenshots():
    return save_screenshots


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _saved:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(
            f"{len(set(_saved))} screenshots (desktop and phone width) in {SCREENSHOTS}/"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the end of the test site's log (tracebacks of the server)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "site" in getattr(item, "funcargs", {}):
        report.sections.append(("test site log (end)", item.funcargs["site"].log_tail()))
