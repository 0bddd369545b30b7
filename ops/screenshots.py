"""Full-page screenshots of the demo site: the home page, the search page, a registration, a
wijk page, the national monitor, a wijkactieplan with its monitor and the barrier register, at
1280 and at 390 px wide (fourteen PNGs), for the README and for before/after notes.

    .venv/bin/python ops/screenshots.py OUTPUT_DIR [--size 80] [--port 8130]

The site is made and served as the browser tests do it (tests/sites.py): a fresh SQLite file in
a temporary folder, `migrate` and `load_demo` (the size `make run` loads), runserver; Chromium is
Debian's /usr/bin/chromium with the browser tests' arguments (tests/browser/conftest.py). The
registration is the first one registered, the wijk the first of its wijken, so the pages follow
whatever the demo content is. Takes about a minute here; prints each file it writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.sites import Site, serve, site_env, workdir  # noqa: E402

WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}

# Printed as one line of JSON by `manage.py shell`: the pages to photograph besides / and /zoeken/.
FIND_PAGES = """
import json
from experiments.models import ExperimentPage, Registration
registration = Registration.objects.filter(page__live=True).order_by("number").first()
page = ExperimentPage.objects.get(pk=registration.page_id)
wijk = page.neighbourhoods.select_related("municipality").order_by("pk").first()
from programme.models import IndicatorValue, ProgrammeIndexPage
from places.models import BarrierIndexPage
measured = IndicatorValue.objects.filter(plan__live=True).order_by("plan__path").first()
print(json.dumps({"registration": page.url,
                  "wijk": f"/wijken/{wijk.municipality.slug}/{wijk.slug}/",
                  "monitor": ProgrammeIndexPage.objects.live().first().url + "monitor/",
                  "plan": measured.plan.url,
                  "barriers": BarrierIndexPage.objects.live().first().url}))
"""


def pages_of(site) -> dict[str, str]:
    found = json.loads(site.manage("shell", "-c", FIND_PAGES).stdout.strip().splitlines()[-1])
    return {
        "home": "/",
        "zoeken": "/zoeken/?thema=veiligheid",
        "registratie": found["registration"],
        "wijk": found["wijk"],
        "monitor": found["monitor"],
        "wijkactieplan": found["plan"],
        "belemmeringen": found["barriers"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="folder for the PNGs (made if missing)")
    parser.add_argument("--size", type=int, default=80, help="load_demo --size (make run's 80)")
    parser.add_argument("--port", type=int, default=None, help="port to serve on (default: free)")
    args = parser.parse_args()
    if not (PROJECT_DIR / "static" / "vendor" / "nl-design-system.css").exists():
        raise SystemExit("static/vendor/nl-design-system.css is missing: run `make install` first")
    args.output.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with workdir("kennisloket-screenshots-") as folder:
        env = site_env(folder, f"sqlite:///{folder / 'site.sqlite3'}")
        preparing = Site(url="", workdir=folder, env=env)
        preparing.manage("migrate", "--noinput", "-v0")
        preparing.manage("load_demo", "--size", str(args.size), "-v0", timeout=900)
        with serve(env, folder, name="screenshots", port=args.port) as site:
            pages = pages_of(site)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                for width, viewport in WIDTHS.items():
                    context = browser.new_context(
                        base_url=site.url, viewport=viewport, locale="nl-NL"
                    )
                    page = context.new_page()
                    for name, path in pages.items():
                        response = page.goto(path)
                        if response is None or response.status != 200:
                            raise SystemExit(f"{path} answered {response and response.status}")
                        target = args.output / f"{name}-{width}.png"
                        page.screenshot(path=str(target), full_page=True, animations="disabled")
                        print(f"{target}  ({path})")
                    context.close()
                browser.close()


if __name__ == "__main__":
    main()
