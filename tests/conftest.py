"""Fixtures every test can use: a database with the portal set up."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as ``setup_portal`` leaves it: taxonomy seeded, home page at the root."""
    with django_db_blocker.unblock():
        call_command("setup_portal", verbosity=0)


@pytest.fixture
def home(db):
    from website.models import HomePage

    return HomePage.objects.get()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (a request leaves its language active)."""
    from django.utils import translation

    from portal import languages

    with translation.override(languages.DEFAULT_LANGUAGE):
        yield
