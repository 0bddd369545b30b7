"""The site as a service: its health endpoints, and the one public address (SITE_URL) that
everything it links to starts with."""

import json

import pytest
from django.core.management.sql import emit_post_migrate_signal
from wagtail.models import Site

from tests.sites import free_port
from website.structure import point_site_at_site_url

pytestmark = pytest.mark.django_db


# --- /health/live and /health/ready -----------------------------------------------------------


def test_live_answers_json_and_is_never_cached(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_checks_the_database_and_the_cache(client, settings):
    settings.ELASTICSEARCH_URL = ""
    data = client.get("/health/ready").json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["ok"] is True
    assert data["checks"]["cache"]["ok"] is True
    assert "elasticsearch" not in data["checks"]  # not configured: not asked


def test_ready_reports_a_live_elasticsearch(client, settings, elasticsearch_url):
    settings.ELASTICSEARCH_URL = elasticsearch_url
    data = client.get("/health/ready").json()
    assert data["status"] == "ok", data
    assert data["checks"]["elasticsearch"]["ok"] is True
    assert data["checks"]["elasticsearch"]["nodes"] >= 1


def test_elasticsearch_down_leaves_the_app_server_in_the_load_balancer(client, settings):
    # The site answers searches from the database meanwhile: "degraded", not 503.
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
    response = client.get("/health/ready")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    assert data["checks"]["elasticsearch"]["ok"] is False
    assert "ConnectionError" in data["checks"]["elasticsearch"]["error"]


def test_a_stopped_redis_is_reported_but_the_site_stays_ready(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
        },
        "pages": settings.CACHES["pages"],
    }
    data = client.get("/health/ready").json()
    assert data["status"] == "degraded"
    assert data["checks"]["cache"] == {**data["checks"]["cache"], "ok": False}
    assert client.get("/zoeken/?q=gezin").status_code == 200


def test_load_balancers_probe_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/ready").status_code == 200
    assert client.get("/zoeken/").status_code == 301  # everything else goes to https


# --- SITE_URL ------------------------------------------------------------------------------


@pytest.fixture
def served_on_port_8102(settings):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8102"
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as `migrate` does
    return settings.SITE_URL


def test_migrate_gives_the_wagtail_site_the_address_of_site_url(served_on_port_8102):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8102, served_on_port_8102)
    assert point_site_at_site_url() is False  # already there: nothing to change


def test_sitemap_robots_feeds_and_api_link_to_site_url_whatever_host_was_asked(
    client, served_on_port_8102
):
    client.defaults["HTTP_HOST"] = "localhost"
    locations = client.get("/sitemap.xml").content.decode().split("<loc>")[1:]
    assert locations and all(loc.startswith(served_on_port_8102 + "/") for loc in locations)
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {served_on_port_8102}/sitemap.xml" in robots
    feed = client.get("/experimenten/feed/").content.decode()
    assert 'href="http://localhost' not in feed
    assert f'href="{served_on_port_8102}/experimenten/' in feed
    api = json.loads(client.get("/api/v1/zoeken?q=gezin").content)
    assert api["results"] and all(r["url"].startswith(served_on_port_8102) for r in api["results"])
