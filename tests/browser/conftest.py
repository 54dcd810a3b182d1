"""A real headless Chromium (Debian's ``chromium``) driven by Playwright, on a live server.

Nothing here downloads a browser: Playwright launches ``/usr/bin/chromium``
(``scripts/test`` installs it with apt when missing). The live server runs on
a transactional test database with the demo content (``load_demo``) and, when
``ELASTICSEARCH_URL`` is set, a fresh search index of it. Screenshots of each
step go to ``var/screenshots/`` (git-ignored).
"""

import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API keeps an event loop running in this thread; the test's own
# database queries (expected counts) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE, DESKTOP = {"width": 360, "height": 780}, {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]' (playwright)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test does it when root)")
    profile = tempfile.mkdtemp(prefix="portal-chromium-")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=DESKTOP,
            locale="en-GB",
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def demo_site(restore_portal, transactional_db, live_server, demo_snapshot, request):
    """The live server with the demo content (and its search index when Elasticsearch is configured).

    The demo is loaded once per run (by the first worker that needs it; the
    others wait for it) and then put back from its snapshot (a copy of the
    database, the media folder, an index clone: ``tests/snapshots.py``), in a
    fraction of a second instead of the 6-28 s a load takes.
    """
    from django.core.cache import cache

    cache.clear()
    es = request.getfixturevalue("es") if settings.ELASTICSEARCH_URL else None
    with demo_snapshot.lock():
        if demo_snapshot.saved:
            demo_snapshot.restore(es)
        else:
            call_command("load_vocabularies", verbosity=0)
            call_command("load_demo", verbosity=0)
            if es is not None:
                from tests.search_support import index_now

                index_now(es)
            demo_snapshot.save(es)
    cache.clear()
    yield live_server
    cache.clear()


# The four sections' titles, as the demo has them: editors see them in their own language.
SECTION_TITLES = {
    "projects.ProjectIndexPage": {
        "zh-hans": "合作项目",
        "en": "Cooperation projects",
        "ru": "Проекты сотрудничества",
    },
    "projects.TrainingIndexPage": {
        "zh-hans": "培训项目",
        "en": "Training programmes",
        "ru": "Учебные программы",
    },
    "policies.PolicyIndexPage": {
        "zh-hans": "政策文件",
        "en": "Policy documents",
        "ru": "Нормативные документы",
    },
    "news.NewsIndexPage": {"zh-hans": "新闻与活动", "en": "News and events", "ru": "Новости и события"},
}


@pytest.fixture
def sections(restore_portal, transactional_db, live_server):
    """The four section index pages under the home page, titled in three languages, as editors find them.

    Creating them grants the editor groups their page permissions (portal/security/groups.py).
    """
    from django.apps import apps

    from tests.browser.editors import PAGE_TYPES
    from tests.factories import publish, titled
    from website.models import HomePage

    home = HomePage.objects.get()
    made = {}
    for _app, _model, index_label in PAGE_TYPES:
        model = apps.get_model(index_label)
        slug = model._meta.model_name.replace("indexpage", "")
        made[index_label] = publish(home, model(**titled(SECTION_TITLES[index_label], slug)))
    return SimpleNamespace(url=live_server.url, index=made)


@pytest.fixture
def page(browser, transactional_db):
    """A tab that records Content-Security-Policy violations in ``tab.csp_violations``.

    Chromium reports each blocked script, style or resource on the console;
    the tests assert that the pages, as served, trigger none.
    """
    tab = browser.new_page()
    tab.set_default_timeout(15000)
    # Loading a page (goto, a form's redirect, "network idle" after it) waits longer than an
    # element: an admin page after a publish took over 15 s to go quiet twice at load 10 (two
    # suites on two cores), and passed at once when run again. A quiet run waits a second or two.
    tab.set_default_navigation_timeout(45000)
    tab.csp_violations = []
    tab.on(
        "console",
        lambda message: "Content Security Policy" in message.text and tab.csp_violations.append(message.text),
    )
    yield tab
    # Leave the page first, while the test's data is still there: its unload sends
    # what it sends (an autosave, a ping) now, not into the flush that follows.
    tab.goto("about:blank")
    tab.close()


@pytest.fixture
def shot(request):
    """``shot(page, "01-home")`` saves var/screenshots/<test>/01-home.png.

    ``widths=True`` saves the screen as a phone (360 px) and a desktop (1280 px)
    show it: ``01-home-360.png`` and ``01-home-1280.png``.
    """
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def save(tab, name, full_page=True, widths=False):
        if not widths:
            path = folder / f"{name}.png"
            tab.screenshot(path=str(path), full_page=full_page)
            return path
        for size in (PHONE, DESKTOP):  # ends on the desktop size the tests expect
            tab.set_viewport_size(size)
            tab.wait_for_timeout(150)  # let the layout settle (sidebar collapses on phones)
            tab.screenshot(path=str(folder / f"{name}-{size['width']}.png"), full_page=full_page)
        return folder

    return save
