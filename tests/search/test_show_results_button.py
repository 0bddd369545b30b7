"""On a phone, "Toon N resultaten" after the filters: a submit button of the facet form that
names the count of the current choice and leads to the results, without JavaScript too. Its
place on a phone is checked in a real browser by tests/browser."""

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from search.service import search
from tests.factories import ExperimentPageFactory

pytestmark = pytest.mark.django_db


def show_results_button(client, params) -> str:
    html = client.get("/zoeken/", params).content.decode()
    facets = re.search(r'<section id="search-facets".*?</section>', html, re.S).group(0)
    # After the filters, inside the region the script swaps (so its count follows each change).
    last_fieldset = facets.rfind("</fieldset>")  # none when nothing is found
    match = re.search(
        r'<button type="submit" class="search__show-results"[^>]*>([^<]*)</button>', facets
    )
    assert match and match.start() > last_fieldset
    return match.group(0)


def test_the_button_names_the_count_of_the_current_choice_and_jumps_to_the_results(client):
    params = {"thema": "veiligheid"}
    button = show_results_button(client, params)
    total = search(QueryDict(urlencode(params))).total
    assert total > 1
    assert f">Toon {total} resultaten</button>" in button
    # A submit of the one GET form (the whole choice goes along), landing at the results.
    assert (
        'formaction="/zoeken/#results-heading"' in button and "data-search-show-results" in button
    )
    assert 'id="results-heading"' in client.get("/zoeken/", params).content.decode()


def test_one_result_is_said_in_the_singular(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ExperimentPageFactory(title="Zwaluwnestkastjes in de wijk", published=True)
    assert ">Toon 1 resultaat</button>" in show_results_button(client, {"q": "zwaluwnestkastjes"})
    assert ">Toon 0 resultaten</button>" in show_results_button(client, {"q": "zzzzzz-niets"})
