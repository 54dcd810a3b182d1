"""Group, workflow and task names in the editor's language; moderation e-mails that link to the portal."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupApprovalTask, Workflow
from wagtail.users.models import UserProfile

from portal import languages
from portal.security.groups import NATIONAL_EDITORS, SECRETARIAT
from portal.security.names import KNOWN_NAMES
from projects.models import ProjectPage
from tests.factories import project_form

pytestmark = pytest.mark.django_db


def translated(name, code):
    with translation.override(code):
        return translation.gettext(name)


def test_every_known_name_has_a_translation_in_each_language():
    for code in ("zh-hans", "ru"):
        for name in KNOWN_NAMES:
            assert translated(name, code) != name, (code, name)


@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_groups_workflow_and_task_are_listed_in_the_editors_language(admin_in, code):
    client = admin_in(code)
    groups = client.get(reverse("wagtailusers_groups:index")).content.decode()
    for name in Group.objects.values_list("name", flat=True):
        if name in KNOWN_NAMES:
            assert translated(name, code) in groups, (code, name)
    workflow = Workflow.objects.get(active=True)
    task = GroupApprovalTask.objects.get(active=True)
    workflows = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    assert translated(workflow.name, code) in workflows
    tasks = client.get(reverse("wagtailadmin_workflows:task_index")).content.decode()
    assert translated(task.name, code) in tasks
    if code != "en":
        assert "Moderators approval" not in tasks and ">Secretariat<" not in groups


def test_a_name_typed_in_another_language_is_stored_in_english(admin_in):
    client = admin_in("ru")
    group = Group.objects.get(name=SECRETARIAT)
    url = reverse("wagtailusers_groups:edit", args=(group.pk,))
    form = client.get(url).content.decode()
    assert re.search(r'name="name"[^>]*value="Секретариат"', form)
    group.name = "Секретариат"  # as the Russian form posts it back
    group.save()
    assert Group.objects.filter(name=SECRETARIAT).exists()
    group.name = "Региональные редакторы"  # a name of the editors' own is kept as typed
    group.save()
    assert Group.objects.filter(name="Региональные редакторы").exists()


@pytest.fixture
def reviewer_and_editor(django_user_model):
    secretary = django_user_model.objects.create_user("sec", "sec@example.org", "pw", first_name="Sec")
    secretary.groups.add(Group.objects.get(name=SECRETARIAT))
    editor = django_user_model.objects.create_user("nat", "nat@example.org", "pw", first_name="Nat")
    editor.groups.add(Group.objects.get(name=NATIONAL_EDITORS))
    return secretary, editor


@pytest.mark.parametrize("code", ["ru", "zh-hans"])
@override_settings(WAGTAILADMIN_BASE_URL="https://portal.example.org")
def test_the_moderation_email_names_the_task_and_links_to_the_portal(
    client, project_index, reviewer_and_editor, code
):
    secretary, editor = reviewer_and_editor
    profile = UserProfile.get_for_user(secretary)
    profile.preferred_language = code
    profile.save()
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    response = client.post(url, project_form(title_en="For review", **{"action-submit": "action-submit"}))
    assert response.status_code == 302
    page = ProjectPage.objects.get(title_en="For review")
    sent = [m for m in mail.outbox if secretary.email in m.to]
    assert sent, [m.subject for m in mail.outbox]
    message = sent[0]
    html_parts = "".join(body for body, _kind in getattr(message, "alternatives", []))
    text = message.subject + message.body + html_parts
    assert translated("Moderators approval", code) in text
    links = re.findall(r"https?://[^\s\"'<>]+", message.body)
    assert links and all(link.startswith("https://portal.example.org/admin/") for link in links), links
    assert any(f"/admin/pages/{page.pk}/" in link for link in links)
    assert "localhost" not in text


def test_avatars_never_ask_gravatar(admin_in):
    """The admin's CSP allows no other host: an avatar from Gravatar would be blocked and show broken."""
    for url in ("/admin/", reverse("wagtailusers_groups:index"), "/admin/account/"):
        page = admin_in("ru").get(url).content.decode()
        assert "gravatar" not in page.lower(), url
