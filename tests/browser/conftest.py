"""The browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a browser
Playwright downloads) against the site running in a separate process.

Why a separate process and not pytest-django's live_server: live_server needs transactional_db,
which empties every table after each test, and the rest of the suite relies on the demo data
tests/conftest.py loads once per session. So this session starts its own site once:

- a fresh SQLite file in a temporary folder (DATABASE_URL), settings website.settings.test;
- prepare_site.py: migrate, load_demo --size 40 --seed 2007, setup_roles, two test users
  (a Rotterdam editor and a moderator), one published amendment of a demo experiment;
- `manage.py runserver 127.0.0.1:<free port> --noreload --insecure` (static files with DEBUG
  off), polled until it answers, stopped at the end of the session.

Emails the site sends land as files in EMAIL_FILE_PATH (see website/settings/test.py).
Screenshots of every journey and page go to artifacts/screenshots/ (desktop and phone width);
the folder is printed at the end of the run.

Missing Chromium (CHROMIUM_PATH, default /usr/bin/chromium) or axe-core: a skip saying how to
install them, or a failure when CI=true.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.sites import prepare, serve, site_env, workdir

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_DIR / "artifacts" / "screenshots"
PREPARE_SCRIPT = Path(__file__).resolve().parent / "prepare_site.py"

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
        missing.append(f"Chromium is not at {CHROMIUM}: install it with `apt-get install -y chromium`")
    if not AXE_JS.exists():
        missing.append(f"axe-core is not at {AXE_JS.relative_to(PROJECT_DIR)}: run `make install` (npm ci)")
    if missing:
        _missing("Browser tests cannot run: " + "; ".join(missing))


# --- The site under test ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def site():
    """The site, running in its own process on its own database, for the whole session."""
    require_browser_tools()
    with workdir("kennisloket-browser-") as folder:
        # Always on SQLite (the PostgreSQL run of CI leaves the browser tests out); the
        # journeys ask more questions from 127.0.0.1 than the default limit allows.
        env = site_env(folder, f"sqlite:///{folder / 'browser.sqlite3'}", QUESTION_RATE_LIMIT=1000)
        facts = prepare(env, PREPARE_SCRIPT)
        with serve(env, folder, facts) as running:
            yield running


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


@pytest.fixture
def context(new_context):
    context = new_context()
    context.set_default_timeout(ACTION_TIMEOUT)
    return context


def _own_context(browser, base_url, **options):
    # pytest-playwright's new_context() cannot change an argument browser_context_args already
    # sets (viewport), so these contexts are made here and closed after the test.
    context = browser.new_context(**{"base_url": base_url, "viewport": DESKTOP, "locale": "nl-NL", **options})
    context.set_default_timeout(ACTION_TIMEOUT)
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
