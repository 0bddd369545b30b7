"""Security headers on every kind of response: a Content-Security-Policy without inline scripts on
the public site and as strict a one as Wagtail's admin allows there, and a Permissions-Policy.
(The browser tests check that nothing the site does is blocked by them: tests/browser.)"""

import re

import pytest
from django.urls import reverse

from tests.factories import live_page_of
from tests.helpers import log_in
from tests.website.test_public_pages import PAGE_TYPES

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/zoeken/?thema=wonen",
    "/zoeken/?format=json",
    "/zoeken/?format=atom",
    "/loket/",
    "/loket/bedankt/",
    "/loket/privacy/",
    "/attenderingen/nieuw/?thema=wonen",
    "/api/v1/",
    "/api/v1/openapi.json",
    "/open-data/",
    "/experimenten/feed/",
    "/sitemap.xml",
    "/wijken/rotterdam/crooswijk/",
    "/wijken/overzicht/",
    "/experimenttypen/gezinscoach/",
    "/bestaat-niet/",
    "/admin/login/",
]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_public_policy(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"], csp["script-src"]  # no inline script, no eval
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert (
        "camera=()" in response["Permissions-Policy"]
        and "geolocation=()" in response["Permissions-Policy"]
    )


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_has_the_public_policy(client, model):
    response = client.get(live_page_of(model).url)
    assert response.status_code == 200
    assert_public_policy(response)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_other_public_response_has_it_too(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    if url.startswith("/admin/"):
        assert "Content-Security-Policy" in response and "Permissions-Policy" in response
    else:
        assert_public_policy(response)


def test_the_public_pages_run_no_inline_script(client):
    for model in PAGE_TYPES:
        html = client.get(live_page_of(model).url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag or "ld+json" in tag, (
                model,
                tag,
            )
        assert not re.search(r"\son[a-z]+=\"", html), model  # no inline event handlers
        assert 'style="' not in html, model


def test_the_admin_has_its_own_strict_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert set(csp["script-src"]) == {"'self'", "'unsafe-inline'"}  # Wagtail writes inline scripts
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert not any("http" in source for sources in csp.values() for source in sources)
    assert "Permissions-Policy" in response


def test_documents_keep_wagtails_own_policy(client):
    from wagtail.models import Collection

    from security.models import PublicCollection
    from tests.security.test_uploads import PDF, make_document

    shared = Collection.get_first_root_node().add_child(name="Openbaar")
    PublicCollection.objects.create(collection=shared)
    document = make_document("openbaar.pdf", PDF, shared)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_preview_in_the_admin_has_a_policy_too(client):
    from editorial.setup import setup_roles
    from tests.roles_helpers import moderator

    setup_roles()
    log_in(client, moderator("mo"))
    page = live_page_of(PAGE_TYPES[4])
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
