"""Static files in production: `collectstatic` gives hashed (cache-busting) names and
pre-compressed copies, pages link the hashed names, and WhiteNoise serves them compressed
with a far-future cache header. Also: the NL Design System CSS really comes from npm."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
VENDOR_CSS = ROOT / "static" / "vendor" / "nl-design-system.css"


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("collected-static")
    env = {
        **os.environ,
        "STATIC_ROOT": str(static_root),
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "website.settings.base",
        "SECRET_KEY": "collectstatic-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return static_root


@pytest.fixture
def production_static(collected_static, settings):
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return collected_static


def test_the_design_system_css_is_built_from_the_npm_package():
    assert VENDOR_CSS.exists(), "static/vendor/nl-design-system.css is missing: run `make install`"
    css = VENDOR_CSS.read_text()
    assert "@utrecht/component-library-css" in css.splitlines()[1]
    for component in (
        ":where(.utrecht-html) h1",
        ".utrecht-skip-link",
        ".utrecht-alert--error",
        ".utrecht-pagination",
        ".utrecht-breadcrumb-nav",
    ):
        assert component in css, component
    # The class-less rules are defaults: wrapped in :where(), so a class of ours wins.
    assert not re.search(r"(?<!:where\()\.utrecht-html(?![\w-])", css)


@pytest.mark.django_db
def test_pages_link_hashed_stylesheets_served_compressed_and_cached(production_static):
    client = Client()  # a new handler, so WhiteNoise reads the collected files
    html = client.get("/").content.decode()
    hrefs = re.findall(r'href="(/static/[^"]+\.css)"', html)
    assert any("nl-design-system." in h for h in hrefs) and any("/theme." in h for h in hrefs)
    for href in hrefs:
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), f"{href} has no content hash"

    design_system = next(h for h in hrefs if "nl-design-system." in h)
    response = client.get(design_system, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    compressed_size = int(response["Content-Length"])
    assert compressed_size < VENDOR_CSS.stat().st_size / 5

    plain = client.get(design_system)
    assert "Content-Encoding" not in plain
    assert b".utrecht-html" in b"".join(plain.streaming_content)
