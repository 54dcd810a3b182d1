"""No invented translations: a page keeps exactly the languages someone wrote it in.

Issue 16: a Russian-only draft saved from an English admin gained an English
title (Wagtail's draft save wrote the fallback into the active language), and
the page then claimed to exist in English. These tests save, autosave,
publish, copy, move and set up pages from every other admin language.
"""

import itertools
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.actions.copy_page import CopyPageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page
from wagtail.users.models import UserProfile

from portal import languages
from projects.models import ProjectIndexPage, ProjectPage
from tests.factories import project_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_index(shared_project_index):
    """The projects list, made once for this module (conftest's ``shared_project_index``)."""
    return shared_project_index


TITLES = {
    "zh-hans": "草原退化监测",
    "en": "Grassland degradation monitoring",
    "ru": "Мониторинг деградации степей",
}
# (language written in, language of the admin saving it): the six ordered pairs.
PAIRS = list(itertools.permutations(languages.LANGUAGE_CODES, 2))


def titles_of(page):
    """{language: title} for the languages the stored page has a title in."""
    page = Page.objects.get(pk=page.pk).specific
    return {
        code: getattr(page, languages.localized_field("title", code))
        for code in languages.LANGUAGE_CODES
        if getattr(page, languages.localized_field("title", code))
    }


def revision_titles(page):
    content = Page.objects.get(pk=page.pk).latest_revision.content
    return {
        code: content.get(languages.localized_field("title", code))
        for code in languages.LANGUAGE_CODES
        if content.get(languages.localized_field("title", code))
    }


def new_draft(index, written, admin_language):
    """A project with a title in ``written`` only, created while ``admin_language`` is active."""
    with translation.override(admin_language):
        page = ProjectPage(**{languages.localized_field("title", written): TITLES[written]})
        index.add_child(instance=page)
        page.save_revision()
    return page


@pytest.mark.parametrize(("written", "admin_language"), PAIRS)
def test_draft_saved_from_another_language_keeps_its_languages(project_index, written, admin_language):
    page = new_draft(project_index, written, admin_language)
    assert titles_of(page) == {written: TITLES[written]}
    with translation.override(admin_language):
        for _ in range(3):  # "Save draft" again and again
            page = Page.objects.get(pk=page.pk).specific
            page.save()
            page.save_revision()
    assert titles_of(page) == {written: TITLES[written]}
    assert revision_titles(page) == {written: TITLES[written]}
    assert page.slug_en, "the default language's slug (URLs fall back to it) is still made"


@pytest.mark.parametrize(("written", "admin_language"), PAIRS)
def test_publish_copy_and_move_keep_the_languages(project_index, home, written, admin_language):
    page = new_draft(project_index, written, admin_language)
    other_index = ProjectIndexPage(title="Archive", title_en="Archive", slug="archive")
    home.add_child(instance=other_index)
    with translation.override(admin_language):
        page.get_latest_revision().publish()
        copy = CopyPageAction(
            page=Page.objects.get(pk=page.pk).specific, to=other_index, update_attrs={"slug_en": "copy"}
        ).execute()
        MovePageAction(Page.objects.get(pk=page.pk), other_index, pos="last-child").execute()
    assert titles_of(page) == {written: TITLES[written]}
    assert titles_of(copy) == {written: TITLES[written]}


def test_a_draft_needs_a_title_in_some_language(project_index):
    page = ProjectPage(slug="untitled", live=False)
    with pytest.raises(Exception, match="at least one language"):
        project_index.add_child(instance=page)


def test_setup_portal_invents_no_default_language_text(project_index):
    page = new_draft(project_index, "ru", "en")
    page.get_latest_revision().publish()
    call_command("setup_portal", verbosity=0)
    assert titles_of(page) == {"ru": TITLES["ru"]}


# --- Through the admin, as an editor does it --------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client, user


def use_admin_language(user, code):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = code
    profile.save()


@pytest.mark.parametrize(("written", "admin_language"), PAIRS)
def test_admin_draft_save_and_autosave_keep_the_languages(
    editor_client,
    project_index,
    written,
    admin_language,
):
    client, user = editor_client
    use_admin_language(user, admin_language)
    add_url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    title_field = languages.localized_field("title", written)
    response = client.post(add_url, project_form(**{title_field: TITLES[written]}))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = ProjectPage.objects.get(**{title_field: TITLES[written]})
    assert titles_of(page) == {written: TITLES[written]}

    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = project_form(**{title_field: TITLES[written]})
    assert client.post(edit_url, data).status_code == 302  # "Save draft", unchanged
    # Wagtail 8's autosave: the same form, answered in JSON.
    response = client.post(edit_url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and json.loads(response.content)["success"] is True
    assert titles_of(page) == {written: TITLES[written]}
    assert revision_titles(page) == {written: TITLES[written]}
    # The editor reopening the form finds the other languages still empty.
    html = client.get(edit_url).content.decode()
    for code in set(languages.LANGUAGE_CODES) - {written}:
        assert TITLES[written] not in _input_value(html, languages.localized_field("title", code))


def _input_value(html, name):
    import re

    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# --- Repairing pages the old behaviour already changed ------------------------------


def invent(page, code, source):
    """What the old draft save did: copy ``source``'s title into ``code``'s column (page and revision)."""
    column = languages.localized_field("title", code)
    value = getattr(page, languages.localized_field("title", source))
    Page.objects.filter(pk=page.pk).update(**{column: value})
    revision = Page.objects.get(pk=page.pk).latest_revision
    revision.content[column] = value
    revision.save(update_fields=["content"])


def test_repair_command_clears_titles_copied_into_another_language(project_index):
    russian = new_draft(project_index, "ru", "ru")
    chinese = new_draft(project_index, "zh-hans", "zh-hans")
    invent(russian, "en", "ru")
    invent(chinese, "ru", "zh-hans")
    # Text that reads in both scripts may be a real translation: it stays.
    both = ProjectPage(title_en="SCO / ШОС", title_ru="SCO / ШОС", slug="sco")
    project_index.add_child(instance=both)
    both.save_revision()

    call_command("repair_invented_translations", "--dry-run", verbosity=0)
    assert titles_of(russian) == {"ru": TITLES["ru"], "en": TITLES["ru"]}  # dry run changes nothing

    call_command("repair_invented_translations", verbosity=0)
    assert titles_of(russian) == {"ru": TITLES["ru"]}
    assert revision_titles(russian) == {"ru": TITLES["ru"]}
    assert titles_of(chinese) == {"zh-hans": TITLES["zh-hans"]}
    assert titles_of(both) == {"en": "SCO / ШОС", "ru": "SCO / ШОС"}
