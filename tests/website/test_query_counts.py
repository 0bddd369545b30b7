"""The number of SQL queries a page needs does not grow with the amount of content."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiments.models import ExperimentPage
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage

pytestmark = pytest.mark.django_db

HOME_PAGE_QUERIES = 24  # what the front page needs today (the footer: its statement pages and the demo notice, one each); lower it when it needs fewer


def _urls():
    # Listings that already show items at the small size, so that a per-item query would
    # show up as growth: the wijk, gemeente and type of the oldest practice and experiment.
    practice = PracticePage.objects.live().order_by("pk").first()
    wijk = practice.neighbourhoods.first()
    gemeente = wijk.municipality.slug
    experiment = ExperimentPage.objects.live().filter(neighbourhoods=wijk).order_by("pk").first()
    expertise = ExpertisePage.objects.live().order_by("pk").first()
    assert experiment is not None, "the small demo set should have an experiment in that wijk"
    urls = [
        "/",
        "/experimenten/",
        f"/experimenten/{gemeente}/",
        "/kennisbank/",
        "/kennisbank/praktijken/",
        f"/kennisbank/praktijken/{gemeente}/",
        "/kennisbank/evaluaties/",
        "/kennisbank/kenniscentra/",
        expertise.get_parent().url,
        "/wijken/",
        f"/wijken/{gemeente}/",
        f"/wijken/{gemeente}/{wijk.slug}/",
        "/experimenttypen/",
        f"/experimenttypen/{experiment.experiment_type.slug}/",
        "/zoeken/",
        "/zoeken/?page=2&sort=datum",
    ]
    # One detail page of each type; the same pages at both sizes (the oldest ones).
    for model in (ExperimentPage, PracticePage, EvaluationPage, ExpertisePage):
        urls.append(model.objects.live().order_by("pk").first().url)
    return urls


def _count_queries(client, urls):
    counts = {}
    for url in urls:
        client.get(url)  # warm caches (site root, content types) once
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


def test_query_counts_do_not_grow_with_content(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what rendering a page costs, not its cached copy
    # The session's demo set has 140 pages (tests/conftest.py); measure, grow it by 200
    # generated pages, measure again.
    urls = _urls()
    small = _count_queries(client, urls)
    experiments = ExperimentPage.objects.count()
    call_command("load_demo", size=340, seed=2007, skip_admin_indexes=True, verbosity=0)
    assert ExperimentPage.objects.count() >= experiments + 60
    large = _count_queries(client, urls)
    grown = {url: (small[url], large[url]) for url in urls if large[url] != small[url]}
    assert not grown, f"queries grew with content (url: small, large): {grown}"
    # The front page reads the view restrictions once for its four figures and two lists.
    assert large["/"] <= HOME_PAGE_QUERIES, large["/"]
