"""The sentences that say in words what the charts of experiments show (their text
alternatives): they name every gemeente, wijk or theme that shares the highest count, in Dutch."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from places.figures import CrossTable, overview_summary, wijken_summary


def _item(pk, name):
    return SimpleNamespace(pk=pk, name=name)


def table(row_counts: dict[str, int], theme_counts: dict[str, int]) -> CrossTable:
    rows = [_item(pk, name) for pk, name in enumerate(row_counts, start=1)]
    themes = [_item(pk, name) for pk, name in enumerate(theme_counts, start=100)]
    return CrossTable(
        rows=rows,
        themes=themes,
        cells={},
        row_totals={row.pk: row_counts[row.name] for row in rows if row_counts[row.name]},
        theme_totals={theme.pk: theme_counts[theme.name] for theme in themes},
        total=sum(row_counts.values()),
    )


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_one_gemeente_with_most_experiments_is_named_alone():
    summary = overview_summary(table({"Rotterdam": 7, "Amsterdam": 5, "Den Haag": 0}, {"wonen": 4}))
    assert "Rotterdam heeft de meeste experimenten (7)." in summary
    assert "Amsterdam" not in summary


def test_gemeenten_that_tie_are_all_named():
    summary = overview_summary(
        table({"Rotterdam": 7, "Amsterdam": 7, "Utrecht": 7, "Den Haag": 2}, {"wonen": 4})
    )
    assert "Amsterdam, Rotterdam en Utrecht hebben de meeste experimenten (elk 7)." in summary
    assert "Den Haag" not in summary


def test_when_every_gemeente_with_experiments_has_as_many_the_sentence_says_so():
    summary = overview_summary(table({"Rotterdam": 1, "Amsterdam": 1, "Heerlen": 0}, {"wonen": 2}))
    assert "in 2 van de 3 gemeenten" in summary
    assert "Die gemeenten hebben elk 1 experiment." in summary
    assert "meeste experimenten (elk" not in summary


def test_themes_that_tie_are_all_named():
    summary = overview_summary(table({"Rotterdam": 6}, {"wonen": 3, "werken": 3, "leren": 1}))
    assert (
        "De thema's met de meeste experimenten zijn werken en wonen (elk 3 experimenten)."
        in summary
    )
    alone = overview_summary(table({"Rotterdam": 6}, {"wonen": 1, "werken": 0}))
    assert "Het thema met de meeste experimenten is wonen (1 experiment)." in alone


def test_the_wijken_of_a_gemeente_that_tie_are_all_named():
    rotterdam = SimpleNamespace(name="Rotterdam")
    tied = wijken_summary(table({"Delfshaven": 3, "Feijenoord": 3, "Noord": 1}, {}), rotterdam)
    assert "Delfshaven en Feijenoord hebben de meeste experimenten (elk 3)." in tied
    level = wijken_summary(table({"Delfshaven": 2, "Feijenoord": 2}, {}), rotterdam)
    assert "Die wijken hebben elk 2 experimenten." in level
