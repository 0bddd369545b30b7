"""load_demo: the corpus first, then generated pages (demo/loader.py) up to --size in all."""

import re

import pytest
from django.core.management import call_command

from demo.loader import VOLUME_NOTE, DemoLoader, kind_of, rank_within_kind
from demo.management.commands.load_demo import written_pages
from experiments.models import ExperimentPage, Registration
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from vocabulary.models import ExperimentType, Neighbourhood, Theme

pytestmark = pytest.mark.django_db
MODELS = (ExperimentPage, PracticePage, EvaluationPage, ExpertisePage)


def generated(model):
    return model.objects.filter(summary__startswith=VOLUME_NOTE)


def test_size_counts_the_corpus_and_generated_pages_make_up_the_rest():
    # The session loaded --size 140 (tests/conftest.py).
    assert sum(m.objects.count() for m in MODELS) == 140
    call_command("load_demo", size=200, seed=2007, skip_admin_indexes=True, verbosity=0)
    assert sum(m.objects.count() for m in MODELS) == 200
    assert sum(generated(m).count() for m in MODELS) == 200 - written_pages()


def test_generated_pages_cover_every_wijk_theme_and_experiment_type():
    call_command("load_demo", size=written_pages() + 200, skip_admin_indexes=True, verbosity=0)
    live = generated(ExperimentPage).live()
    assert set(live.values_list("neighbourhoods", flat=True)) >= set(
        Neighbourhood.objects.filter(is_krachtwijk=True).values_list("pk", flat=True)
    )
    assert set(live.values_list("experiment_type", flat=True)) == set(
        ExperimentType.objects.values_list("pk", flat=True)
    )
    assert set(live.values_list("themes", flat=True)) == set(
        Theme.objects.values_list("pk", flat=True)
    )
    # Every generated experiment has its registration number.
    assert Registration.objects.filter(page__in=live).count() == live.count()
    evaluation = generated(EvaluationPage).live().first()
    assert evaluation.experiments.exists()


def test_generated_slugs_are_readable_titles():
    for model in MODELS:
        for slug, title in generated(model).values_list("slug", "title"):
            assert not re.search(r"\d{3}", slug), slug
            assert slug.split("-")[0] == title.split()[0].lower().rstrip(":"), (slug, title)


def test_loading_again_changes_nothing():
    counts = [m.objects.count() for m in MODELS]
    call_command("load_demo", size=140, seed=2007, skip_admin_indexes=True, verbosity=0)
    created = DemoLoader(count=140 - written_pages(), seed=2007).load()
    assert sum(created.values()) == 0
    assert [m.objects.count() for m in MODELS] == counts


def test_same_seed_gives_the_same_content_and_a_larger_count_only_adds():
    slugs = DemoLoader(count=300).slugs()
    assert DemoLoader(count=100).slugs() == slugs[:100]
    assert len(set(zip(map(kind_of, range(300)), slugs, strict=True))) == 300
    titles = list(generated(ExperimentPage).order_by("slug").values_list("slug", "title"))
    generated(ExperimentPage).delete()
    DemoLoader(count=140 - written_pages(), seed=2007).load()
    assert list(generated(ExperimentPage).order_by("slug").values_list("slug", "title")) == titles


def test_kinds_rotate_in_a_fixed_mix():
    kinds = [kind_of(i) for i in range(20)]
    assert kinds.count("experiment") == 8 and kinds.count("expertise") == 4
    experiment_ranks = [rank_within_kind(i) for i in range(40) if kind_of(i) == "experiment"]
    assert experiment_ranks == list(range(16))
