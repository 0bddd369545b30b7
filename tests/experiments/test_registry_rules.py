"""The rules a registry needs: wijken belong to the experiment's municipality, dates are in
order, and a registration number is given once and never changes or comes back."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from experiments.models import ExperimentPage, Registration
from tests.factories import ExperimentPageFactory
from tests.helpers import a_date, add_experiment_url, experiment_form_data, experiments_parent
from vocabulary.models import Neighbourhood

pytestmark = pytest.mark.django_db


def test_admin_form_rejects_a_wijk_of_another_municipality(admin_client):
    parent = experiments_parent("rotterdam")
    schilderswijk = Neighbourhood.objects.get(municipality__slug="den-haag", slug="schilderswijk")
    before = ExperimentPage.objects.count()

    response = admin_client.post(add_experiment_url(parent), experiment_form_data([schilderswijk]))

    assert response.status_code == 200  # the form comes back, nothing is saved
    assert ExperimentPage.objects.count() == before
    errors = response.context["form"].errors["neighbourhoods"]
    assert "Schilderswijk (Den Haag)" in errors[0]
    assert "Rotterdam" in errors[0]


def test_admin_form_accepts_own_wijken_and_takes_the_municipality_from_the_parent(admin_client):
    parent = experiments_parent("rotterdam")
    crooswijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")

    response = admin_client.post(add_experiment_url(parent), experiment_form_data([crooswijk]))

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ExperimentPage.objects.get(slug="stadsmarinier-in-de-test")
    assert page.municipality.slug == "rotterdam"
    assert list(page.neighbourhoods.all()) == [crooswijk]
    assert not page.live  # saved as a draft: no registration number yet
    assert page.registration_number == ""


def test_admin_form_rejects_end_date_before_start_date(admin_client):
    parent = experiments_parent("rotterdam")
    crooswijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")
    data = experiment_form_data(
        [crooswijk], status="afgerond", start_date="2010-05-01", end_date="2010-04-30"
    )

    response = admin_client.post(add_experiment_url(parent), data)

    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not ExperimentPage.objects.filter(slug="stadsmarinier-in-de-test").exists()


def test_model_validation_rejects_dates_out_of_order():
    page = ExperimentPageFactory(start_date=a_date(2010, 6, 1))
    page.end_date = a_date(2010, 5, 31)
    page.planned_end_date = a_date(2009, 1, 1)
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert set(excinfo.value.message_dict) >= {"end_date", "planned_end_date"}

    page.end_date = a_date(2010, 6, 1)  # same day is allowed
    page.planned_end_date = a_date(2012, 1, 1)
    page.full_clean()


def test_registration_number_is_given_on_first_publication_and_never_changes():
    page = ExperimentPageFactory(title="Eerste versie")
    assert page.registration_number == ""  # a draft has none

    page.save_revision().publish()
    page = ExperimentPage.objects.get(pk=page.pk)
    number = page.registration_number
    assert re.fullmatch(rf"KW-{timezone.now().year}-\d{{4}}", number)

    # Later amendments, an unpublish and a republish keep the number.
    page.title = "Tweede versie"
    page.save_revision().publish()
    page.unpublish()
    page = ExperimentPage.objects.get(pk=page.pk)
    page.title = "Derde versie"
    page.save_revision().publish()
    page = ExperimentPage.objects.get(pk=page.pk)
    assert page.registration_number == number
    assert Registration.objects.filter(page=page).count() == 1


def test_publishing_an_old_revision_keeps_the_number():
    page = ExperimentPageFactory(title="Versie A")
    first_revision = page.latest_revision
    page.save_revision().publish()
    number = ExperimentPage.objects.get(pk=page.pk).registration_number

    first_revision.publish()  # roll back to a revision made before the number existed

    assert ExperimentPage.objects.get(pk=page.pk).registration_number == number


def test_numbers_are_unique_and_never_reused_after_deletion():
    first = ExperimentPageFactory(title="Een", published=True)
    second = ExperimentPageFactory(title="Twee", published=True)
    assert first.registration_number != second.registration_number
    deleted_number = second.registration_number

    second.delete()
    third = ExperimentPageFactory(title="Drie", published=True)

    assert third.registration_number not in (first.registration_number, deleted_number)
    assert Registration.objects.filter(number=deleted_number).exists()  # kept, so never reissued


def test_registration_number_is_shown_on_the_public_page(client):
    page = ExperimentPageFactory(title="Zichtbaar nummer", published=True)
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.registration_number.encode() in response.content


def test_pages_take_their_owner_from_the_section_they_are_created_in():
    from kennisbank.models import (
        ExpertisePage,
        KnowledgeCentrePage,
        MunicipalityPracticesPage,
        PracticePage,
    )

    centre_page = KnowledgeCentrePage.objects.get(knowledge_centre__slug="movisie")
    expertise = ExpertisePage(title="Dossier zonder eigenaar", kind="dossier", summary="Test.")
    centre_page.add_child(instance=expertise)
    assert expertise.knowledge_centre.slug == "movisie"

    practices_page = MunicipalityPracticesPage.objects.get(municipality__slug="groningen")
    practice = PracticePage(title="Praktijk zonder gemeente", summary="Test.")
    practices_page.add_child(instance=practice)
    assert practice.municipality.slug == "groningen"
