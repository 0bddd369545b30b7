"""Related items on a registration, practice, evaluation and expertise page: other published,
public pages of the same kind, in the same wijk first, then of the same experiment type, then
on the same themes; never the page itself, a draft, a private page or a withdrawn registration;
in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from experiments.withdrawal import withdraw
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from tests.factories import (
    ExperimentPageFactory,
    ExperimentTypeFactory,
    NeighbourhoodFactory,
    PracticePageFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def related_titles(client, page) -> list[str]:
    html = client.get(page.url).content.decode()
    section = re.search(r'<section class="related".*?</section>', html, re.S)
    if not section:
        return []
    return re.findall(r'<li class="related__item">\s*<a href="[^"]+">([^<]+)</a>', section.group(0))


@pytest.fixture
def registry(django_capture_on_commit_callbacks):
    """An experiment in a wijk, of a type and on a theme that nothing in the demo set has,
    and experiments related to it by each of those, or not to be shown."""
    wijk = NeighbourhoodFactory(gemeente="rotterdam", slug="proefwijk")
    other_wijk = NeighbourhoodFactory(gemeente="rotterdam", slug="andere-proefwijk")
    kind, other_kind = (
        ExperimentTypeFactory(slug="proeftype"),
        ExperimentTypeFactory(slug="ander-type"),
    )
    theme, other_theme = ThemeFactory(slug="proefthema"), ThemeFactory(slug="ander-thema")

    def experiment(title, wijken, experiment_type, themes, **kwargs):
        return ExperimentPageFactory(
            title=title,
            neighbourhoods=wijken,
            experiment_type=experiment_type,
            themes=themes,
            published=kwargs.pop("published", True),
            **kwargs,
        )

    with django_capture_on_commit_callbacks(execute=True):
        pages = {
            "subject": experiment("Het experiment", [wijk], kind, [theme]),
            "same type and theme": experiment("Zelfde type", [other_wijk], kind, [theme]),
            "same wijk": experiment("Zelfde wijk", [wijk], other_kind, [other_theme]),
            "same theme": experiment("Zelfde thema", [other_wijk], other_kind, [theme]),
            "nothing shared": experiment("Niets gedeeld", [other_wijk], other_kind, [other_theme]),
            "draft": experiment("Concept in de wijk", [wijk], kind, [theme], published=False),
            "private": experiment("Besloten in de wijk", [wijk], kind, [theme]),
            "withdrawn": experiment("Ingetrokken in de wijk", [wijk], kind, [theme]),
            "practice": PracticePageFactory(
                title="Praktijk in de wijk", neighbourhoods=[wijk], themes=[theme], published=True
            ),
        }
        PageViewRestriction.objects.create(
            page=pages["private"], restriction_type=PageViewRestriction.LOGIN
        )
        withdraw(pages["withdrawn"], "Dubbel geregistreerd.")
    return pages


def test_related_experiments_come_in_the_order_of_the_rule(client, registry):
    assert related_titles(client, registry["subject"]) == [
        "Zelfde wijk",
        "Zelfde type",
        "Zelfde thema",
    ]


def test_the_page_drafts_private_withdrawn_and_other_kinds_are_never_related(client, registry):
    html = client.get(registry["subject"].url).content.decode()
    section = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    for title in ("Het experiment", "Concept", "Besloten", "Ingetrokken", "Praktijk", "Niets"):
        assert title not in section, title
    # It says its rule, in Dutch.
    assert "Eerst die in dezelfde wijk" in section


def test_a_page_related_to_nothing_shows_no_related_section(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alone = ExperimentPageFactory(
            neighbourhoods=[NeighbourhoodFactory(gemeente="rotterdam", slug="eenzame-wijk")],
            experiment_type=ExperimentTypeFactory(slug="eenzaam-type"),
            themes=[ThemeFactory(slug="eenzaam-thema")],
            published=True,
        )
    html = client.get(alone.url).content.decode()
    assert client.get(alone.url).status_code == 200 and 'class="related"' not in html


@pytest.mark.parametrize("model", [PracticePage, EvaluationPage, ExpertisePage])
def test_every_kind_of_content_page_shows_its_related_pages_of_the_same_kind(client, model):
    page = model.objects.live().public().order_by("pk").first()  # from the demo set
    html = client.get(page.url).content.decode()
    section = re.search(r'<section class="related".*?</section>', html, re.S)
    assert section, f"the demo set relates {page.title!r} to another {model.__name__}"
    related = set(re.findall(r'<a href="([^"]+)">', section.group(0)))
    same_kind = {other.url for other in model.objects.live().public().exclude(pk=page.pk)}
    assert related and related <= same_kind


def test_related_items_cost_the_same_queries_however_many_are_related(
    client, registry, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # what rendering the page costs, not a cached copy
    subject = registry["subject"]
    client.get(subject.url)  # warm the caches

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get(subject.url)
        return len(context.captured_queries)

    before = queries()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            ExperimentPageFactory(
                title=f"Nog een in de wijk {n}",
                neighbourhoods=list(subject.neighbourhoods.all()),
                experiment_type=subject.experiment_type,
                themes=list(subject.themes.all()),
                published=True,
            )
    client.get(subject.url)  # the lookups kept per state of the content are read again once
    assert queries() == before
    assert len(related_titles(client, subject)) == 4  # a few, not all
