"""What editors rely on: moderation, scheduled publishing, translation gaps, their own language."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.users.models import UserProfile

from projects.models import ProjectIndexPage, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects_index(home):
    index = ProjectIndexPage(title="Projects", title_ru="Проекты", title_zh_hans="项目", slug="projects")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def add_project(index, publish=True, **fields):
    page = ProjectPage(slug=fields.pop("slug", "p"), **fields)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    return user


def test_moderation_workflow_applies_to_content_pages(projects_index):
    page = add_project(projects_index, title="Water", title_en="Water", slug="water")
    workflow = page.get_workflow()
    assert isinstance(workflow, Workflow) and workflow.active
    assert workflow.tasks.exists()  # draft -> review (moderators) -> publish


def test_scheduled_page_goes_live_at_its_time(projects_index):
    page = add_project(projects_index, publish=False, title="Later", title_en="Later", slug="later")
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    page.save_revision().publish()  # with go_live_at in the future this only schedules
    page.refresh_from_db()
    assert not page.live
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet
    time.sleep(1.2)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_missing_translations_report_filters_by_language(client, editor, projects_index):
    add_project(projects_index, title="Both", title_en="Both", title_ru="Оба", slug="both")
    add_project(projects_index, title="English only", title_en="English only", slug="en-only")
    client.force_login(editor)
    html = client.get("/admin/reports/missing-translations/", {"missing": "ru"}).content.decode()
    assert "English only" in html
    assert "Both" not in html


def test_admin_lists_titles_in_the_editors_language(client, editor, projects_index):
    add_project(
        projects_index, title="Air", title_en="Air", title_ru="Воздух", title_zh_hans="大气", slug="air"
    )
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(editor)
    html = client.get(f"/admin/pages/{projects_index.id}/").content.decode()
    assert "Воздух" in html
    assert 'lang="ru"' in html  # the admin itself is in Russian


def test_edit_view_says_which_languages_are_missing(client, editor, projects_index):
    page = add_project(projects_index, title="Air", title_en="Air", summary_en="Summary", slug="air")
    client.force_login(editor)
    html = client.get(f"/admin/pages/{page.id}/edit/").content.decode()
    assert "data-translation-status" in html
    assert "Not yet translated:" in html
