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
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def demo_site(restore_portal, transactional_db, live_server, request):
    """The live server with the demo content (and its search index when Elasticsearch is configured)."""
    from django.core.cache import cache

    cache.clear()
    if settings.ELASTICSEARCH_URL:
        es = request.getfixturevalue("es")
    call_command("load_vocabularies", verbosity=0)
    call_command("load_demo", verbosity=0)
    if settings.ELASTICSEARCH_URL:
        from tests.search_support import index_now

        index_now(es)
    yield live_server
    cache.clear()


@pytest.fixture
def page(browser):
    """A tab that records Content-Security-Policy violations in ``tab.csp_violations``.

    Chromium reports each blocked script, style or resource on the console;
    the tests assert that the pages, as served, trigger none.
    """
    tab = browser.new_page()
    tab.set_default_timeout(15000)
    tab.csp_violations = []
    tab.on(
        "console",
        lambda message: "Content Security Policy" in message.text and tab.csp_violations.append(message.text),
    )
    yield tab
    tab.close()


@pytest.fixture
def shot(request):
    """``shot(page, "01-home")`` saves var/screenshots/<test>/01-home.png."""
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def save(tab, name, full_page=True):
        path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return save
