"""Scheduled publishing runs by itself (issue 16): the loop scripts/run starts, and the admin's warning."""

import datetime
import io
import re
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.core import scheduling
from projects.models import ProjectPage

pytestmark = pytest.mark.django_db


def scheduled_project(index, go_live_at, slug="later"):
    page = ProjectPage(title_ru="Запланированный проект", slug=slug, live=False)
    index.add_child(instance=page)
    page.go_live_at = go_live_at
    page.save_revision().publish()  # a future go-live time only schedules
    page.refresh_from_db()
    assert not page.live
    return page


def pretend_time_passed(page, minutes=0):
    """Move the scheduled version's go-live time into the past (rather than sleeping until it)."""
    past = timezone.now() - datetime.timedelta(seconds=1, minutes=minutes)
    revision = page.scheduled_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])


class UntilLive:
    """Stops the loop once the page is live (or at the deadline); the loop runs in the test's transaction."""

    def __init__(self, page, deadline):
        self.page, self.deadline = page, deadline

    def is_set(self):
        return (
            time.monotonic() > self.deadline
            or ProjectPage.objects.filter(pk=self.page.pk, live=True).exists()
        )

    def wait(self, seconds):
        time.sleep(seconds)


def test_the_scheduler_loop_publishes_a_page_when_its_time_comes(project_index):
    page = scheduled_project(project_index, timezone.now() + datetime.timedelta(seconds=2))
    out = io.StringIO()
    started = time.monotonic()
    scheduling.run(interval=0.2, stop=UntilLive(page, deadline=started + 30), stdout=out)
    page.refresh_from_db()
    assert page.live
    assert time.monotonic() - started < 30
    assert "published 1 scheduled version(s)" in out.getvalue()


class RecordedWaits(UntilLive):
    """:class:`UntilLive` that records each wait the loop asks for (and skips the one after the publish)."""

    def __init__(self, page, deadline):
        super().__init__(page, deadline)
        self.asked = []
        self.woken_at = None  # when the first wait ends (time.monotonic())

    def wait(self, seconds):
        self.asked.append(seconds)
        if self.woken_at is None:
            self.woken_at = time.monotonic() + seconds
        if not self.is_set():
            time.sleep(seconds)


def test_the_loop_wakes_for_a_go_live_time_sooner_than_its_interval(project_index):
    """A page due in 2 s is live about then, although the loop checks only every 60 s otherwise."""
    go_live = timezone.now() + datetime.timedelta(seconds=2)
    page = scheduled_project(project_index, go_live)
    started = time.monotonic()
    due = started + (go_live - timezone.now()).total_seconds()  # the go-live time on this clock
    stop = RecordedWaits(page, deadline=started + 30)
    scheduling.run(interval=60, stop=stop, stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live
    assert time.monotonic() - started < 10
    # The first wait ends just after the go-live time, not 60 s later (however long the
    # set-up took on a busy machine before the loop asked).
    assert stop.asked[0] < 3 and due <= stop.woken_at < due + 1, (stop.asked, stop.woken_at - due)
    # Nothing scheduled any more: the plain interval again.
    assert stop.asked[-1] == 60


def test_run_scheduler_once_for_cron(project_index):
    page = scheduled_project(project_index, timezone.now() + datetime.timedelta(minutes=5))
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    page.refresh_from_db()
    assert not page.live  # not due yet
    pretend_time_passed(page)
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live


def test_a_failing_pass_does_not_stop_the_loop(monkeypatch):
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduling, "call_command", broken)
    assert scheduling.publish_due() is None
    assert scheduling.publish_due() is None
    assert len(calls) == 2


def test_edit_form_warns_when_the_go_live_time_has_passed(client, django_user_model, project_index):
    page = scheduled_project(project_index, timezone.now() + datetime.timedelta(seconds=30))
    # Thirty seconds later with nothing running publish_scheduled:
    pretend_time_passed(page, minutes=2)
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "due to go live" in html
    assert re.search(r"due to go live at [^<]*\d\d:\d\d UTC", html)
    assert "run_scheduler" in html
