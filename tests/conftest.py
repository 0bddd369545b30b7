"""Shared fixtures. The test database is built once per session (migrations, vocabulary,
site structure and a small demo set); each test then runs in a transaction that is rolled
back, so tests can add and change content freely."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", size=40, seed=2007, skip_admin_indexes=True, verbosity=0)


@pytest.fixture
def structure(db):
    from website.structure import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord")
    client.force_login(user)
    return client
