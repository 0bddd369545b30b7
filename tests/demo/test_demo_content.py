import pytest
from django.core.management import call_command

from demo.loader import DemoLoader, kind_of, minimal_pdf, rank_within_kind
from experiments.models import ExperimentPage, Registration
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from vocabulary.models import ExperimentType, Neighbourhood, Theme

pytestmark = pytest.mark.django_db


def test_demo_covers_every_wijk_theme_and_experiment_type():
    call_command("load_demo", size=200, seed=2007, skip_admin_indexes=True, verbosity=0)
    live = ExperimentPage.objects.live()
    assert set(live.values_list("neighbourhoods", flat=True)) >= set(
        Neighbourhood.objects.filter(is_krachtwijk=True).values_list("pk", flat=True)
    )
    assert set(live.values_list("experiment_type", flat=True)) == set(
        ExperimentType.objects.values_list("pk", flat=True)
    )
    assert set(live.values_list("themes", flat=True)) == set(
        Theme.objects.values_list("pk", flat=True)
    )
    assert PracticePage.objects.live().exists() and EvaluationPage.objects.live().exists()
    assert ExpertisePage.objects.live().exists()
    # Every demo experiment has its registration number, and every one is different.
    assert Registration.objects.filter(page__in=live).count() == live.count()
    # Evaluations point at experiments, and those list them back.
    evaluation = EvaluationPage.objects.live().first()
    assert evaluation.experiments.exists()


def test_loading_again_changes_nothing():
    counts = ExperimentPage.objects.count(), PracticePage.objects.count()
    created = DemoLoader(size=40, seed=2007).load()
    assert sum(created.values()) == 0
    assert (ExperimentPage.objects.count(), PracticePage.objects.count()) == counts


def test_same_seed_gives_the_same_content():
    titles = list(ExperimentPage.objects.order_by("slug").values_list("slug", "title"))
    ExperimentPage.objects.all().delete()
    DemoLoader(size=40, seed=2007).load()
    assert list(ExperimentPage.objects.order_by("slug").values_list("slug", "title")) == titles


def test_demo_content_is_marked_fictional():
    for model in (ExperimentPage, PracticePage, EvaluationPage, ExpertisePage):
        assert all("Fictief" in s for s in model.objects.values_list("summary", flat=True))


def test_kinds_rotate_in_a_fixed_mix():
    kinds = [kind_of(i) for i in range(20)]
    assert kinds.count("experiment") == 8 and kinds.count("expertise") == 4
    experiment_ranks = [rank_within_kind(i) for i in range(40) if kind_of(i) == "experiment"]
    assert experiment_ranks == list(range(16))


def test_generated_documents_are_real_pdfs():
    pdf = minimal_pdf("Rapport (test)")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"startxref" in pdf
