import pytest
from django.core.management import call_command

from vocabulary.loading import load_vocabulary
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)

pytestmark = pytest.mark.django_db


def test_the_krachtwijken_facts_are_loaded():
    assert Municipality.objects.count() == 18
    assert Neighbourhood.objects.filter(is_krachtwijk=True).count() == 40
    assert Neighbourhood.objects.filter(municipality__slug="rotterdam").count() == 7
    assert Neighbourhood.objects.filter(municipality__slug="amsterdam").count() == 5
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        "wonen",
        "werken",
        "leren-en-opgroeien",
        "integreren",
        "veiligheid",
        "gezondheid",
    }
    assert set(KnowledgeCentre.objects.values_list("abbreviation", flat=True)) == {
        "NICIS",
        "KEI",
        "SEV",
        "RIVM",
        "Movisie",
        "Forum",
        "CCV",
    }
    assert {
        "gezinscoach",
        "stadsmarinier",
        "adoptieteam",
        "ontschotting-van-geldstromen",
        "professionals-en-bewoners",
        "structurele-inbedding-van-projecten",
    } <= set(ExperimentType.objects.values_list("slug", flat=True))
    levels = list(RecognitionLevel.objects.values_list("slug", flat=True))
    assert levels[0] == "niet-beoordeeld" and levels[-1] == "effectief-sterke-aanwijzingen"
    overdie = Neighbourhood.objects.get(slug="overdie")
    assert overdie.municipality.cbs_code == "GM0361"
    assert overdie.postcode_area_list == ["1813"]


def test_loading_twice_changes_nothing():
    before = {m: m.objects.count() for m in (Municipality, Neighbourhood, Theme, KnowledgeCentre)}
    report = load_vocabulary()
    assert sum(report.created.values()) == 0
    assert {m: m.objects.count() for m in before} == before


def test_renaming_keeps_the_slug_and_the_loader_keeps_the_editors_name():
    wijk = Neighbourhood.objects.get(municipality__slug="utrecht", slug="kanaleneiland")
    wijk.name = "Kanaleneiland-Noord"
    wijk.save()
    call_command("load_vocabulary", verbosity=0)
    wijk.refresh_from_db()
    assert wijk.slug == "kanaleneiland"
    assert wijk.name == "Kanaleneiland-Noord"


def test_new_items_get_a_unique_slug_from_their_name():
    a = Theme.objects.create(name="Armoede")
    b = Theme.objects.create(name="Armoede")
    assert (a.slug, b.slug) == ("armoede", "armoede-2")
    rotterdam = Municipality.objects.get(slug="rotterdam")
    zuid = Neighbourhood.objects.create(name="Zuidwest", municipality=rotterdam)
    assert zuid.slug == "zuidwest"  # Den Haag's Zuidwest does not clash: slugs are per gemeente


def test_vocabulary_snippets_are_editable_in_the_admin(admin_client):
    for model in (
        Municipality,
        Neighbourhood,
        Theme,
        KnowledgeCentre,
        ExperimentType,
        RecognitionLevel,
    ):
        listing = f"/admin/snippets/vocabulary/{model._meta.model_name}/"
        assert admin_client.get(listing).status_code == 200, listing
        item = model.objects.first()
        edit = f"{listing}edit/{item.pk}/"
        assert admin_client.get(edit).status_code == 200, edit
