"""Editors' workflows in Chromium, in the Chinese, English and Russian admin (issue 16, item 8).

* Moderation: a national editor has no Publish button and submits; the
  secretariat finds the page on its dashboard and requests changes with a
  comment; the editor reads it, completes the page and resubmits; the
  secretariat approves; readers find the page live and in search.
* Scheduled go-live: pages scheduled 20-80 s ahead (the picker takes whole
  minutes; editors share a minute still far enough ahead) go live by themselves while
  ``manage.py run_scheduler`` (the process ``scripts/run`` starts) runs, within
  a minute; the admin shows the time with its zone, and warns about a go-live
  time that has passed while the page is not live.
* "Translate from": a page live in one language, translated beside its read-only
  source and published; readers see both languages, neither marked as a fallback.

Every admin screen a journey passes through is read for English words in the
Chinese and Russian admins (``admin_text.AdminLanguageCheck``).
"""

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from portal import languages
from portal.security.groups import NATIONAL_EDITORS, SECRETARIAT
from tests.browser.admin_text import AdminLanguageCheck
from tests.browser.editors import (
    close_side_panel,
    edited_page_id,
    footer_action,
    log_in,
    make_editor,
    press_footer_action,
    save_draft,
    set_languages,
    shown_languages,
    stored_titles,
    title_input,
)

pytestmark = [pytest.mark.browser]

# What each editor writes, in their own language.
MODERATED = {
    "zh-hans": {
        "title": "黄河流域湿地恢复",
        "summary": "恢复三处退化湿地并监测水鸟种群。",
        "comment": "请补充项目摘要后再提交。",
    },
    "en": {
        "title": "Wetland restoration in the Yellow River basin",
        "summary": "Three degraded wetlands restored; waterbird populations monitored.",
        "comment": "Please add the project summary before resubmitting.",
    },
    "ru": {
        "title": "Восстановление водно-болотных угодий в бассейне Хуанхэ",
        "summary": "Восстановлены три деградировавших угодья, ведётся учёт водоплавающих птиц.",
        "comment": "Пожалуйста, добавьте краткое описание проекта и отправьте снова.",
    },
}
SEARCHED = {"zh-hans": "湿地恢复", "en": "wetland restoration", "ru": "восстановление угодий"}
EDITORS = {"zh-hans": ("丽", "王"), "en": ("Ann", "Reed"), "ru": ("Анна", "Орлова")}
MODERATORS = {"zh-hans": ("明", "李"), "en": ("Sam", "Hale"), "ru": ("Олег", "Смирнов")}


def people(language):
    """A national editor and a secretariat moderator whose admin speaks ``language``."""
    editor = make_editor(
        f"national-{language}", language, superuser=False, groups=[NATIONAL_EDITORS], names=EDITORS[language]
    )
    moderator = make_editor(
        f"secretariat-{language}", language, superuser=False, groups=[SECRETARIAT], names=MODERATORS[language]
    )
    return editor, moderator


def new_check(language, *users, typed=()):
    check = AdminLanguageCheck(language, typed=typed)
    for user in users:
        check.also_user(user)
    return check


def add_url(server, index):
    return server + reverse("wagtailadmin_pages:add", args=("projects", "projectpage", index.pk))


def review_row(page, title):
    """The dashboard's row for ``title`` in the reviewer's "awaiting your review" panel."""
    return page.locator("tr", has=page.locator("a", has_text=title)).filter(
        has=page.locator("[data-workflow-action-url]")
    )


def open_row_actions(row):
    row.locator(".w-dropdown__toggle").first.click()


def reader_search(page, server, language, query, title, timeout=15):
    """The reader's search in ``language`` lists ``title`` (the index catches up within a second or so)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(f"{server}/{language}/search/?q={query}")
        titles = page.locator(".result-list .result h3").all_inner_texts()
        if title in titles or time.monotonic() > deadline:
            return titles
        page.wait_for_timeout(500)


@pytest.mark.parametrize("language", languages.LANGUAGE_CODES)
def test_national_editor_submits_secretariat_requests_changes_then_approves(
    sections, es, page, shot, language
):
    from wagtail.models import Page, WorkflowState

    server = sections.url
    text = MODERATED[language]
    editor, moderator = people(language)
    check = new_check(language, editor, moderator, typed=text.values())

    # 1. The national editor writes a project in their language: no Publish button, only submit.
    log_in(page, server, editor)
    check.screen(page, "editor's dashboard")
    check.prove_it_catches(page)
    page.goto(add_url(server, sections.index["projects.ProjectIndexPage"]))
    assert shown_languages(page) == {language}
    assert page.locator("[name=action-publish]").count() == 0
    title_input(page, language).fill(text["title"])
    close_side_panel(page)
    submit = footer_action(page, "action-submit")
    check.screen(page, "new page, footer menu open")
    shot(page, f"01-editor-no-publish-{language}", full_page=False, widths=True)
    with page.expect_navigation():
        submit.click()
    page.wait_for_load_state("networkidle")
    check.screen(page, "after submitting")
    project = Page.objects.get(**{languages.localized_field("title", language): text["title"]})
    assert not project.live
    assert (
        WorkflowState.objects.filter(object_id=str(project.pk)).latest("created_at").status == "in_progress"
    )

    # 2. The secretariat finds it on the dashboard and requests changes, with a comment.
    log_in(page, server, moderator)
    row = review_row(page, text["title"])
    assert row.count() == 1, "the submitted page is in the reviewer's dashboard"
    check.screen(page, "moderator's dashboard")
    shot(page, f"02-moderator-dashboard-{language}", full_page=False, widths=True)
    open_row_actions(row)
    check.screen(page, "review actions")
    row.locator("[data-workflow-action-url*='/reject/']").click()
    comment = page.locator(".modal form textarea[name=comment]")
    comment.fill(text["comment"])
    check.screen(page, "request changes dialog")
    with page.expect_navigation():
        page.locator(".modal form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    check.screen(page, "dashboard after requesting changes")
    state = WorkflowState.objects.filter(object_id=str(project.pk)).latest("created_at")
    assert state.status == "needs_changes"

    # 3. The editor reads the comment, adds the summary, resubmits.
    log_in(page, server, editor)
    check.screen(page, "editor's dashboard, changes requested")
    page.goto(server + reverse("wagtailadmin_pages:workflow_history_detail", args=(project.pk, state.pk)))
    assert text["comment"] in page.locator("main").inner_text()
    check.screen(page, "workflow history with the comment")
    page.goto(server + reverse("wagtailadmin_pages:edit", args=(project.pk,)))
    assert page.locator("[name=action-publish]").count() == 0
    page.locator(f"#id_{languages.localized_field('summary', language)}").fill(text["summary"])
    check.screen(page, "edit form, changes requested")
    press_footer_action(page, "action-submit")
    check.screen(page, "after resubmitting")
    assert not Page.objects.get(pk=project.pk).live

    # 4. The secretariat approves from the dashboard: the page is live and found by readers.
    log_in(page, server, moderator)
    row = review_row(page, text["title"])
    open_row_actions(row)
    with page.expect_navigation():
        row.locator("[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    page.wait_for_load_state("networkidle")
    check.screen(page, "dashboard after approving")
    project = Page.objects.get(pk=project.pk).specific
    assert project.live
    assert stored_titles(project.pk) == {language: text["title"]}
    assert text["title"] in reader_search(page, server, language, SEARCHED[language], text["title"])
    check.assert_clean()
    assert page.csp_violations == []


# --- Scheduled go-live ---------------------------------------------------------------------------

SCHEDULED = {
    "zh-hans": "咸海沿岸植树季启动",
    "en": "Aral Sea tree-planting season opens",
    "ru": "На берегах Арала открыт сезон посадки деревьев",
}
ZONE = re.compile(r"\bUTC\b")  # TIME_ZONE of the settings: every time the admin shows names it


class Scheduler:
    """``manage.py run_scheduler`` as ``scripts/run`` starts it, on this test's database and index."""

    def __init__(self):
        self.process = None

    def environment(self):
        db = connection.settings_dict
        if db["ENGINE"].endswith("sqlite3"):
            url = f"sqlite:///{db['NAME']}"
        else:
            url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": url,
            "ELASTICSEARCH_INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX,
            "PYTHONUNBUFFERED": "1",
        }

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler"],
            cwd=settings.BASE_DIR,
            env=self.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def stop(self):
        """Ctrl-C, as when scripts/run ends; returns what it printed."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            output, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


@pytest.fixture
def scheduler(transactional_db):
    running = Scheduler()
    yield running
    running.stop()


def next_whole_minute(moment):
    return moment.replace(second=0, microsecond=0) + timezone.timedelta(minutes=1)


# What scheduling a page in the browser may take on a busy machine, from choosing its time to
# "Schedule to publish" done: no page is scheduled for a time closer than this.
SCHEDULING_TAKES = timezone.timedelta(seconds=20)


def go_live_time(chosen=None):
    """``chosen`` (the time the editors before chose) if it is still far enough ahead, else the first
    whole minute (the picker takes whole minutes) at least :data:`SCHEDULING_TAKES` from now.

    Editors scheduling for the same minute wait for one minute to come, not one each.
    """
    if chosen is not None and chosen - timezone.now() >= SCHEDULING_TAKES:
        return chosen
    return next_whole_minute(timezone.now() + SCHEDULING_TAKES)


def schedule_in_browser(page, check, chosen=None):
    """Set a go-live time in the status panel's dialog, save it, then "Schedule to publish".

    The time is :func:`go_live_time` (``chosen`` if it is still far enough ahead). Returns it.
    """
    status_panel_text(page)
    page.locator("[data-a11y-dialog-show=schedule-publishing-dialog]").first.click()
    check.screen(page, "schedule dialog")
    go_live_at = go_live_time(chosen)
    page.locator("#id_go_live_at").fill(timezone.localtime(go_live_at).strftime("%Y-%m-%d %H:%M"))
    # "Save schedule" by its keyboard shortcut: the date picker's calendar covers the button.
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    page.wait_for_load_state("networkidle")
    press_footer_action(page, "action-publish")
    assert timezone.now() < go_live_at, "scheduling took longer than expected: past the go-live time"
    return go_live_at


def status_panel_text(page):
    """The status side panel's text, opened if it is not (Wagtail reopens the last panel used)."""
    panel = page.locator("[data-side-panel=status]")
    if not panel.is_visible():
        page.locator("[data-side-panel-toggle=status]").first.click()
    panel.wait_for(state="visible")
    return panel.inner_text()


def test_scheduled_pages_go_live_by_themselves_while_the_scheduler_runs(sections, es, page, shot, scheduler):
    from wagtail.models import Page, PageLogEntry

    from projects.models import ProjectPage

    server = sections.url
    index = sections.index["projects.ProjectIndexPage"]
    checks = {}

    # A page whose go-live time passed while nothing ran: each admin says so, with the zone.
    overdue = ProjectPage(
        title_ru="Просроченная публикация", title_zh_hans="逾期发布", slug="overdue", live=False
    )
    index.add_child(instance=overdue)
    overdue.go_live_at = timezone.now() + timezone.timedelta(minutes=5)
    overdue.save_revision().publish()
    revision = Page.objects.get(pk=overdue.pk).scheduled_revision
    revision.approved_go_live_at = timezone.now() - timezone.timedelta(minutes=2)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    for language in languages.LANGUAGE_CODES:
        moderator = make_editor(f"scheduler-{language}", language, superuser=False, groups=[SECRETARIAT])
        check = checks[language] = new_check(language, moderator, typed=[*SCHEDULED.values(), "overdue"])
        check.also_typed(overdue.title_ru, overdue.title_zh_hans)
        log_in(page, server, moderator)
        page.goto(server + reverse("wagtailadmin_pages:edit", args=(overdue.pk,)))
        warning = page.locator(".messages .warning, .messages [class*=warning]").first
        assert ZONE.search(warning.inner_text()), warning.inner_text()
        check.screen(page, "edit form, go-live time passed")
        shot(page, f"01-overdue-warning-{language}", full_page=False, widths=True)

    # The scheduler starts, as scripts/run starts it; each editor schedules a page 20-80 s ahead,
    # for the minute the editor before chose when it is still far enough ahead.
    scheduler.start()
    due, chosen = {}, None
    for language in languages.LANGUAGE_CODES:
        moderator = make_editor(f"planner-{language}", language, superuser=False, groups=[SECRETARIAT])
        check = checks[language]
        check.also_user(moderator)
        log_in(page, server, moderator)
        page.goto(add_url(server, index))
        title_input(page, language).fill(SCHEDULED[language])
        save_draft(page)
        page_id = edited_page_id(page)
        chosen = schedule_in_browser(page, check, chosen)
        due[language] = (page_id, chosen)
        check.screen(page, "after scheduling")
        scheduled = Page.objects.get(pk=page_id)
        assert not scheduled.live
        assert scheduled.scheduled_revision.approved_go_live_at == due[language][1]
        page.goto(server + reverse("wagtailadmin_pages:edit", args=(page_id,)))
        shown = status_panel_text(page)
        assert ZONE.search(shown), f"the go-live time without its zone: {shown}"
        check.screen(page, "status panel, scheduled")
        shot(page, f"02-scheduled-{language}", full_page=False, widths=True)

    # Nobody touches anything now: within a minute of its time, each page is live.
    deadline = max(at for _pk, at in due.values()) + timezone.timedelta(seconds=60)
    waiting = {pk for pk, _at in due.values()} | {overdue.pk}
    while waiting and timezone.now() < deadline:
        time.sleep(1)
        waiting -= set(Page.objects.filter(pk__in=waiting, live=True).values_list("pk", flat=True))
    printed = scheduler.stop()
    assert not waiting, f"not live a minute after their time: {waiting}\n{printed}"
    assert "published" in printed and "scheduled version" in printed, printed
    for page_id, at in due.values():
        # Wagtail's publish_scheduled, run by the scheduler, logs it as such (without a user).
        # The editor scheduled it; no person published it.
        entries = PageLogEntry.objects.filter(page_id=page_id, action__startswith="wagtail.publish")
        logged = [(entry.action, entry.user_id is not None) for entry in entries.order_by("timestamp")]
        assert logged == [("wagtail.publish.schedule", True), ("wagtail.publish.scheduled", False)]
        assert Page.objects.get(pk=page_id).first_published_at >= at - timezone.timedelta(seconds=1)

    # Readers find each page in its language; the admins said everything in theirs.
    for language, (page_id, _at) in due.items():
        with translation.override(language):
            url = Page.objects.get(pk=page_id).specific.get_url()
        page.goto(server + url)
        assert page.locator("h1").first.inner_text() == SCHEDULED[language]
    for check in checks.values():
        check.assert_clean()


# --- "Translate from" ------------------------------------------------------------------------------

SOURCE = {"ru": "zh-hans", "zh-hans": "en", "en": "ru"}  # the translator's language <- the page's
ORIGINAL = {
    "zh-hans": {"title": "草原退化监测试点", "summary": "利用卫星监测草场退化。"},
    "en": {"title": "Grassland degradation monitoring pilot", "summary": "Satellite monitoring of pastures."},
    "ru": {"title": "Пилотный мониторинг деградации степей", "summary": "Спутниковый мониторинг пастбищ."},
}


@pytest.mark.parametrize("language", languages.LANGUAGE_CODES)
def test_translator_writes_beside_the_read_only_source_and_readers_see_both(sections, page, shot, language):
    from projects.models import ProjectPage
    from tests.factories import publish, tr

    source = SOURCE[language]
    index = sections.index["projects.ProjectIndexPage"]
    project = publish(
        index,
        ProjectPage(
            title=ORIGINAL[source]["title"],
            slug="steppe",
            **tr("title", {source: ORIGINAL[source]["title"]}),
            **tr("summary", {source: ORIGINAL[source]["summary"]}),
        ),
    )
    translator = make_editor(f"translator-{language}", language, superuser=False, groups=[SECRETARIAT])
    check = new_check(language, translator, typed=[ORIGINAL[source]["title"], ORIGINAL[source]["summary"]])
    check.also_typed(*ORIGINAL[language].values())
    server = sections.url
    log_in(page, server, translator)
    page.goto(server + reverse("wagtailadmin_pages:edit", args=(project.pk,)))
    check.prove_it_catches(page)
    # The form opens on the page's language and the translator's own.
    assert shown_languages(page) == {source, language}
    page.locator("[data-l10n-source]").select_option(source)
    set_languages(page, [language])
    assert not title_input(page, source).is_visible()
    own_title = page.locator(f"[data-l10n-lang='{language}']", has=title_input(page, language))
    source_box = own_title.locator(".l10n-source")
    assert ORIGINAL[source]["title"] in source_box.inner_text()
    assert source_box.locator(".l10n-source__text").get_attribute("lang") == source
    # Read-only: the source is text beside the field, not an input to type into.
    assert source_box.locator("input, textarea, [contenteditable=true]").count() == 0
    summary_box = page.locator(f"[data-l10n-lang='{language}'] .l10n-source").filter(
        has_text=ORIGINAL[source]["summary"]
    )
    assert summary_box.count() == 1
    title_input(page, language).fill(ORIGINAL[language]["title"])
    page.locator(f"#id_{languages.localized_field('summary', language)}").fill(ORIGINAL[language]["summary"])
    check.screen(page, "translate from, written")
    close_side_panel(page)
    shot(page, f"translate-from-{source}-in-{language}-admin", full_page=False, widths=True)
    press_footer_action(page, "action-publish")
    check.screen(page, "after publishing")
    assert stored_titles(project.pk) == {
        source: ORIGINAL[source]["title"],
        language: ORIGINAL[language]["title"],
    }

    # Readers: the page in each of its two languages, neither shown as a fallback.
    project.refresh_from_db()
    for code in (source, language):
        with translation.override(code):
            url = project.get_url()
        page.goto(server + url)
        assert page.locator("h1").first.inner_text() == ORIGINAL[code]["title"]
        assert page.locator("h1").first.get_attribute("lang") in (code, None)
        assert ORIGINAL[code]["summary"] in page.locator("main").inner_text()
        assert page.locator("main .fallback-note").count() == 0
    check.assert_clean()
    assert page.csp_violations == []
