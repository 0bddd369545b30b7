"""Every page a visitor can reach answers for an anonymous visitor; drafts do not."""

import pytest

from experiments.models import ExperimentIndexPage, ExperimentPage, MunicipalityExperimentsPage
from kennisbank.models import (
    EvaluationIndexPage,
    EvaluationPage,
    ExpertisePage,
    KennisbankIndexPage,
    KnowledgeCentreIndexPage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticeIndexPage,
    PracticePage,
)
from places.models import ExperimentTypeIndexPage, NeighbourhoodIndexPage
from tests.factories import EvaluationPageFactory, ExperimentPageFactory, live_page_of
from vocabulary.models import ExperimentType, Neighbourhood
from website.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    HomePage,
    StandardPage,
    ExperimentIndexPage,
    MunicipalityExperimentsPage,
    ExperimentPage,
    KennisbankIndexPage,
    PracticeIndexPage,
    MunicipalityPracticesPage,
    PracticePage,
    EvaluationIndexPage,
    EvaluationPage,
    KnowledgeCentreIndexPage,
    KnowledgeCentrePage,
    ExpertisePage,
    NeighbourhoodIndexPage,
    ExperimentTypeIndexPage,
]


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_renders_for_anonymous_visitors(client, model):
    page = live_page_of(model)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'lang="nl"' in html
    assert 'href="#main"' in html  # skip link
    assert "Direct naar de inhoud" in html  # visitors read Dutch


def test_visitors_get_dutch_whatever_their_browser_asks_for(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Direct naar de inhoud" in html and "Skip to main content" not in html


def test_every_wijk_page_renders_with_its_municipality(client):
    for neighbourhood in Neighbourhood.objects.select_related("municipality"):
        url = f"/wijken/{neighbourhood.municipality.slug}/{neighbourhood.slug}/"
        response = client.get(url)
        assert response.status_code == 200, url
        assert neighbourhood.name in response.content.decode()
        assert neighbourhood.municipality.name in response.content.decode()


def test_wijk_page_lists_the_experiments_located_there(client):
    page = ExperimentPageFactory(
        gemeente="den-haag", wijk="transvaal", title="Uniek Transvaal-experiment", published=True
    )
    response = client.get("/wijken/den-haag/transvaal/")
    assert page.title in response.content.decode()
    assert page.title not in client.get("/wijken/den-haag/schilderswijk/").content.decode()


def test_municipality_and_experiment_type_pages(client):
    assert client.get("/wijken/rotterdam/").status_code == 200
    for experiment_type in ExperimentType.objects.all():
        response = client.get(f"/experimenttypen/{experiment_type.slug}/")
        assert response.status_code == 200
        assert experiment_type.name in response.content.decode()


def test_experiment_type_page_shows_every_local_variant_with_its_place_and_status(client):
    page = ExperimentPageFactory(
        gemeente="utrecht", wijk="ondiep", title="Gezinscoach Ondiep variant", published=True
    )
    # The list is paginated and ordered by municipality; follow it to the row of this one.
    number, row = 1, None
    while row is None:
        html = client.get(f"/experimenttypen/gezinscoach/?page={number}").content.decode()
        if page.title in html:
            row = html[html.index(page.title) :].split("</tr>")[0]
        elif 'rel="next"' not in html:
            break
        number += 1
    assert row is not None, "the new experiment is not listed on its type page"
    assert "Utrecht" in row and "Ondiep" in row  # where it runs
    assert "in voorbereiding" in row  # its status (the default for a new registration)


def test_unknown_wijk_municipality_and_type_answer_404(client):
    assert client.get("/wijken/rotterdam/bestaat-niet/").status_code == 404
    assert client.get("/wijken/atlantis/").status_code == 404
    assert client.get("/experimenttypen/bestaat-niet/").status_code == 404


def test_a_draft_answers_404_to_anonymous_visitors(client):
    draft = ExperimentPageFactory(title="Geheim concept")
    assert not draft.live
    assert client.get(f"/experimenten/rotterdam/{draft.slug}/").status_code == 404
    assert "Geheim concept" not in client.get("/experimenten/rotterdam/").content.decode()
    assert "Geheim concept" not in client.get("/wijken/rotterdam/crooswijk/").content.decode()


@pytest.mark.parametrize("page_param", ["0", "-1", "abc", "1000000000", "1e9", "%00"])
def test_odd_page_numbers_still_give_a_page(client, page_param):
    for url in (
        "/kennisbank/praktijken/",
        "/wijken/rotterdam/crooswijk/",
        "/experimenttypen/gezinscoach/",
    ):
        response = client.get(f"{url}?page={page_param}&praktijkpagina={page_param}")
        assert response.status_code == 200, url


def test_unpublished_evaluations_are_not_listed_on_the_experiment(client):
    experiment = ExperimentPageFactory(title="Geëvalueerd experiment", published=True)
    evaluation = EvaluationPageFactory(
        title="Evaluatie die teruggetrokken wordt", experiments=[experiment], published=True
    )
    assert evaluation.title in client.get(experiment.url).content.decode()
    evaluation.unpublish()
    assert evaluation.title not in client.get(experiment.url).content.decode()


def test_wijk_page_counts_experiments_and_practices_per_theme(client):
    import re

    from vocabulary.models import Theme

    ExperimentPageFactory(
        gemeente="den-haag", wijk="transvaal", title="Nog een Transvaal-experiment", published=True
    )
    transvaal = Neighbourhood.objects.get(municipality__slug="den-haag", slug="transvaal")
    html = client.get("/wijken/den-haag/transvaal/").content.decode()
    # The themes table only (the wijk's plan brings its monitor's tables of values too).
    html = html.split('aria-labelledby="themes-heading"', 1)[1].split("</section>", 1)[0]
    shown = {
        name: (int(e), int(p))
        for name, e, p in re.findall(
            r'<th scope="row">(.*?)</th><td>(\d+)</td><td>(\d+)</td>', html
        )
    }
    expected = {}
    for theme in Theme.objects.all():
        e = ExperimentPage.objects.live().filter(neighbourhoods=transvaal, themes=theme).count()
        p = PracticePage.objects.live().filter(neighbourhoods=transvaal, themes=theme).count()
        if e or p:
            expected[theme.name] = (e, p)
    assert shown == expected
    assert shown["Veiligheid"][0] >= 1


def test_counts_on_index_pages_leave_out_drafts(client):
    import re

    def rotterdam_count():
        html = client.get("/wijken/").content.decode()
        section = html[html.index('id="gm-rotterdam"') :]
        return int(re.search(r'class="count">(\d+)', section).group(1))

    before = rotterdam_count()
    ExperimentPageFactory(
        gemeente="rotterdam", wijk="crooswijk", title="Nog een concept"
    )  # a draft
    assert rotterdam_count() == before
    ExperimentPageFactory(
        gemeente="rotterdam", wijk="crooswijk", title="Nu gepubliceerd", published=True
    )
    assert rotterdam_count() == before + 1
    assert (
        before + 1 == ExperimentPage.objects.live().filter(municipality__slug="rotterdam").count()
    )
