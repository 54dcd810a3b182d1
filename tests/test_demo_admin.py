"""The demo editor account of scripts/run: a named person, only with DEBUG on."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_demo_admin_has_a_name_and_keeps_an_editors_own(settings):
    settings.DEBUG = True
    call_command("ensure_demo_admin")
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("admin")
    assert user.get_full_name() == "Demo Editor"
    user.first_name, user.last_name = "Айгуль", "Сейткали"
    user.save()
    call_command("ensure_demo_admin")
    assert get_user_model().objects.get(username="admin").get_full_name() == "Айгуль Сейткали"


def test_demo_admin_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_admin")
    assert not get_user_model().objects.filter(username="admin").exists()
