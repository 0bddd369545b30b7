"""A site says its content is fictional only while it holds the demo: `load_demo` switches the
notice on (website.SiteInformation), and a site with real content never shows it."""

import pytest
from django.core.management import call_command

from website.models import SiteInformation

pytestmark = pytest.mark.django_db

NOTICE = "De demo-inhoud op deze site is fictief."


def test_the_demo_says_on_every_page_that_it_is_fictional(client):
    # The session's database was filled by load_demo.
    assert SiteInformation.load().demo_content
    for url in ("/", "/zoeken/", "/wijken/", "/loket/"):
        assert NOTICE in client.get(url).content.decode(), url


def test_a_site_without_the_demo_does_not_call_its_content_fictional(client):
    information = SiteInformation.load()
    information.demo_content = False
    information.save()
    assert NOTICE not in client.get("/").content.decode()

    call_command("load_demo", size=0, skip_admin_indexes=True, verbosity=0)
    assert SiteInformation.load().demo_content
    assert NOTICE in client.get("/").content.decode()
