"""A reader's journey through the portal in a real browser, in three languages."""

import re

import pytest
from django.utils import translation

from portal.core.translated import shown

pytestmark = [pytest.mark.browser]


def title_in(obj, code):
    with translation.override(code):
        return str(shown(obj, "title"))


def visible_h1(page):
    return page.locator("main h1").first.inner_text().strip()


def test_home_switch_languages_project_policy_map_search(demo_site, page, shot):
    from portal.core.models import Country
    from projects.models import ProjectIndexPage, ProjectPage, TrainingParticipants, TrainingProgrammePage
    from website.models import HomePage

    base = demo_site.url
    home = HomePage.objects.get()
    projects_index = ProjectIndexPage.objects.live().get()

    # 1. The home page, in English: what the platform is, key figures, a search box.
    page.goto(f"{base}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert visible_h1(page) == title_in(home, "en")
    live_projects = ProjectPage.objects.live()
    assert page.locator('[data-figure="projects"]').inner_text() == str(live_projects.count())
    trained = sum(
        p.count for p in TrainingParticipants.objects.filter(page__in=TrainingProgrammePage.objects.live())
    )
    assert trained > 0
    assert page.locator('[data-figure="people-trained"]').inner_text() == str(trained)
    ongoing = live_projects.filter(status="ongoing").count()
    assert page.locator('[data-figure="status-ongoing"]').inner_text() == str(ongoing)
    assert page.get_by_role("search").get_by_label(re.compile("Search projects")).is_visible()
    shot(page, "01-home-en")

    # 2. Switch to Russian: the same page, in Russian.
    page.locator(".lang-switch").get_by_role("link", name="Русский").click()
    page.wait_for_url(re.compile(r"/ru/$"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert visible_h1(page) == title_in(home, "ru")
    nav = page.get_by_role("navigation", name=re.compile("Main|Основн|Главн"))
    assert nav.get_by_role("link", name=title_in(projects_index, "ru")).is_visible()
    shot(page, "02-home-ru")

    # 3. Switch to Chinese.
    page.locator(".lang-switch").get_by_role("link", name="中文").click()
    page.wait_for_url(re.compile(r"/zh-hans/$"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert visible_h1(page) == title_in(home, "zh-hans")
    shot(page, "03-home-zh")

    # 4. The projects list; filter by a country on the map.
    page.locator(".main-nav").get_by_role("link", name=title_in(projects_index, "zh-hans")).click()
    assert visible_h1(page) == title_in(projects_index, "zh-hans")
    kz = Country.objects.get(code="KZ")
    kz_projects = live_projects.filter(countries=kz).distinct()
    tile = page.locator('.sco-map a[data-country="KZ"]')
    assert tile.get_attribute("data-count") == str(kz_projects.count())
    shot(page, "04-projects-zh")
    tile.click()
    page.wait_for_url(re.compile(r"\?country=KZ$"))
    assert page.locator(".cards > li").count() == kz_projects.count()
    assert page.locator('select[name="country"]').input_value() == "KZ"
    assert page.locator(".sco-map a.is-selected").get_attribute("data-country") == "KZ"
    shown_titles = set(page.locator(".cards h2 a").all_inner_texts())
    assert shown_titles == {title_in(p, "zh-hans") for p in kz_projects}
    shot(page, "05-projects-kz-zh")

    # 5. Open a project that implements policy documents, then follow a related policy.
    project = next(p for p in kz_projects.order_by("-start_date") if p.live_policy_documents())
    page.locator(".cards h2 a", has_text=title_in(project, "zh-hans")).click()
    assert visible_h1(page) == title_in(project, "zh-hans")
    assert page.locator(".metadata").first.is_visible()
    crumbs = page.get_by_role("navigation", name=re.compile(".+")).locator("ol li")
    assert crumbs.count() >= 3
    shot(page, "06-project-zh")
    policy = project.live_policy_documents()[0]
    page.locator(".related").get_by_role("link", name=title_in(policy, "zh-hans")).click()
    assert visible_h1(page) == title_in(policy, "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    shot(page, "07-policy-zh")

    # 6. Search in Russian for words of the project's Russian title, open the result.
    page.goto(f"{base}/ru/search/")
    words = title_in(project, "ru")
    query = " ".join(words.split()[:2])
    page.locator("#search-q").fill(query)
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"[?&]q="))
    count_text = page.locator(".result-count").inner_text()
    assert int(re.search(r"\d+", count_text).group()) >= 1
    results = page.locator(".result-list .result h3 a")
    assert results.count() >= 1
    shot(page, "08-search-ru")
    first_title = results.first.inner_text().strip()
    results.first.click()
    page.wait_for_load_state()
    assert visible_h1(page) == first_title
    shot(page, "09-search-result-ru")
    # Every page of the journey satisfied the Content-Security-Policy it was served with.
    assert page.csp_violations == []


def test_small_screen_layout(demo_site, page, shot):
    """At 360 px the page does not scroll sideways; the menu and the switcher stay reachable."""
    page.set_viewport_size({"width": 360, "height": 780})
    for path, name in (("/ru/", "home"), ("/en/projects/", "projects"), ("/zh-hans/countries/", "countries")):
        page.goto(f"{demo_site.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        assert page.locator(".lang-switch").is_visible()
        assert page.locator(".main-nav a").first.is_visible()
        shot(page, f"360-{name}", full_page=False)
    assert page.csp_violations == []
