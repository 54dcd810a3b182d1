"""axe-core on the home page, the projects list, a project and a search, in each language.

axe-core comes from the npm registry, pinned in ``tests/browser/package-lock.json``;
``scripts/test`` installs it into ``tests/browser/node_modules`` (git-ignored). The
site sends a strict Content-Security-Policy, so axe is injected with ``page.evaluate``
(DevTools protocol, not subject to the page's CSP) rather than with a ``<script>`` tag.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import translation

from portal.core.translated import shown

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("zh-hans", "en", "ru")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tests/browser (scripts/test does it)")
    return AXE.read_text(encoding="utf-8")


def run_axe(page, axe_source):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {axe_source}\n}}")
    return page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: tags}); return r.violations; }", TAGS
    )


def describe(url, violations):
    lines = [url]
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
        shown_targets = json.dumps(targets[:4], ensure_ascii=False)
        lines.append(f"  {v['id']} [{v['impact']}] {v['help']} ({len(v['nodes'])} nodes): {shown_targets}")
    return "\n".join(lines)


def test_no_serious_or_critical_violations(demo_site, page, shot, axe_source):
    from playwright.sync_api import expect

    from projects.models import ProjectIndexPage, ProjectPage

    base = demo_site.url
    project = ProjectPage.objects.live().order_by("-start_date").first()
    projects_index = ProjectIndexPage.objects.live().get()
    assert project is not None
    failures = []
    checked = 0
    for code in LANGUAGES:
        with translation.override(code):
            title = str(shown(project, "title"))
            index_title = str(shown(projects_index, "title"))
        # A few words of the project's title in this language: a search with results.
        query = title if code == "zh-hans" else " ".join(title.split()[:2])

        page.goto(f"{base}/{code}/")
        failures += check(page, axe_source, shot, f"{code}-home")
        if code == "en":
            # A map tile is named by its SVG <title> (country and count), not just its visible code.
            tile = page.locator('.sco-map a[data-country="KZ"]')
            expect(tile).to_have_accessible_name(re.compile(r"^Kazakhstan: \d+ projects?$"))
        page.locator(".main-nav").get_by_role("link", name=index_title).click()
        expect(page.locator("main h1").first).to_have_text(index_title)
        failures += check(page, axe_source, shot, f"{code}-projects")
        page.locator(".cards h2 a").first.click()
        expect(page.locator(".metadata").first).to_be_visible()
        failures += check(page, axe_source, shot, f"{code}-project")
        page.goto(f"{base}/{code}/search/?{urlencode({'q': query})}")
        assert page.locator(".result-list .result").count() >= 1, f"no results for {query!r} ({code})"
        failures += check(page, axe_source, shot, f"{code}-search")
        checked += 4
    assert checked == 12
    assert not failures, "axe: serious or critical violations\n" + "\n".join(failures)


def check(page, axe_source, shot, name):
    page.wait_for_load_state()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    shot(page, f"a11y-{name}", full_page=False)
    return [describe(page.url, violations)] if violations else []
