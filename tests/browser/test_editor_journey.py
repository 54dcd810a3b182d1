"""Editors' journeys in Chromium, in the Chinese, English and Russian admin (issue 16).

A draft keeps exactly the languages it was written in, whichever admin
language saves it; the language picker hides only other languages' fields,
never a panel; an error in a hidden language is revealed and named; the
"Translate from" view shows the source text beside the field.
"""

import itertools
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from portal import languages

pytestmark = [pytest.mark.browser]

TITLES = {
    "zh-hans": "草原退化监测试点",
    "en": "Grassland degradation monitoring pilot",
    "ru": "Пилотный мониторинг деградации степей",
}
PAIRS = list(itertools.permutations(languages.LANGUAGE_CODES, 2))
PAGE_TYPES = [
    ("projects", "projectpage", "projects.ProjectIndexPage"),
    ("projects", "trainingprogrammepage", "projects.TrainingIndexPage"),
    ("policies", "policydocumentpage", "policies.PolicyIndexPage"),
    ("news", "newspage", "news.NewsIndexPage"),
]


@pytest.fixture
def sections(restore_portal, transactional_db, live_server):
    """The four section index pages under the home page, as setup leaves them for editors."""
    from django.apps import apps

    from website.models import HomePage

    home = HomePage.objects.get()
    made = {}
    for _app, _model, index_label in PAGE_TYPES:
        model = apps.get_model(index_label)
        slug = model._meta.model_name.replace("indexpage", "")
        index = model(title=slug.title(), title_en=slug.title(), slug=slug)
        home.add_child(instance=index)
        index.save_revision().publish()
        made[index_label] = index
    return SimpleNamespace(url=live_server.url, index=made)


def make_editor(username, admin_language, superuser=True, groups=()):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    model = get_user_model()
    create = model.objects.create_superuser if superuser else model.objects.create_user
    user = create(username, f"{username}@example.org", "pw-" + username, first_name="Ed", last_name="Itor")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = admin_language
    profile.save()
    return user


def log_in(page, base, user):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def stored_titles(page_id):
    from wagtail.models import Page

    stored = Page.objects.get(pk=page_id)
    return {
        code: getattr(stored, languages.localized_field("title", code))
        for code in languages.LANGUAGE_CODES
        if getattr(stored, languages.localized_field("title", code))
    }


def shown_languages(page):
    return {
        button.get_attribute("data-l10n-toggle")
        for button in page.locator("[data-l10n-toggle][aria-pressed=true]").all()
    }


def set_languages(page, wanted):
    """Click the picker until exactly ``wanted`` languages are shown."""
    for code in wanted:
        if code not in shown_languages(page):
            page.locator(f'[data-l10n-toggle="{code}"]').click()
    for code in languages.LANGUAGE_CODES:
        if code not in wanted and code in shown_languages(page):
            page.locator(f'[data-l10n-toggle="{code}"]').click()
    assert shown_languages(page) == set(wanted)


def title_input(page, code):
    return page.locator(f"#id_{languages.localized_field('title', code)}")


def save_draft(page):
    page.locator("button.action-save").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.wait_for_load_state("networkidle")


# Latin words the zh-hans and ru admins may show: names, codes, and what the editor typed.
ALLOWED_LATIN = {"English", "admin", "Ed", "Itor", "Wagtail", "SEO", "URL", "ID", "IATI", "ISO", "PDF", "CSV"}
ALLOWED_LATIN |= {"CNY", "KZT", "RUB", "USD", "EUR", "INR", "PKR", "UZS", "KGS", "TJS", "BYN", "MNT", "IRR"}


def english_strings(page, typed=()):
    """Latin-script words in the visible admin text, other than names and what the editor typed."""
    text = page.locator("body").inner_text()
    for value in typed:
        text = text.replace(value, " ")
    words = set(re.findall(r"[A-Za-z][A-Za-z'’]{2,}", text))
    return sorted(words - ALLOWED_LATIN)


@pytest.mark.parametrize(("written", "admin_language"), PAIRS)
def test_draft_keeps_exactly_its_language_from_any_admin(sections, page, shot, written, admin_language):
    index = sections.index["projects.ProjectIndexPage"]
    editor = make_editor(f"ed-{admin_language}", admin_language)
    server = sections.url
    log_in(page, server, editor)
    add_url = server + reverse("wagtailadmin_pages:add", args=("projects", "projectpage", index.pk))

    page.goto(add_url)
    # A new page opens on the editor's own language only.
    assert shown_languages(page) == {admin_language}
    page.locator(f'[data-l10n-toggle="{written}"]').click()
    set_languages(page, [written])
    title_input(page, written).fill(TITLES[written])
    shot(page, f"01-new-{written}-from-{admin_language}", full_page=False)
    save_draft(page)
    page_id = int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))
    assert stored_titles(page_id) == {written: TITLES[written]}

    for attempt in range(2):  # reopen, save again: still only the language written
        page.goto(f"{server}/admin/pages/{page_id}/edit/")
        assert shown_languages(page) == {written, admin_language}
        assert title_input(page, written).input_value() == TITLES[written]
        for code in set(languages.LANGUAGE_CODES) - {written}:
            assert title_input(page, code).input_value() == ""
        save_draft(page)
        assert stored_titles(page_id) == {written: TITLES[written]}, f"after save {attempt + 2}"
    shot(page, f"02-saved-{written}-from-{admin_language}", full_page=False)
    if admin_language != "en":
        leaks = english_strings(page, typed=TITLES.values())
        context = [re.search(rf".{{0,40}}\b{w}\b.{{0,40}}", page.locator("body").inner_text()) for w in leaks]
        assert leaks == [], [m.group(0) for m in context if m]
    assert page.csp_violations == []


@pytest.mark.parametrize(("app", "model", "index_label"), PAGE_TYPES)
def test_no_panel_disappears_for_any_picker_choice(sections, page, shot, app, model, index_label):
    editor = make_editor("ed-panels", "en")
    server = sections.url
    log_in(page, server, editor)
    page.goto(server + reverse("wagtailadmin_pages:add", args=(app, model, sections.index[index_label].pk)))
    set_languages(page, languages.LANGUAGE_CODES)
    shared = page.locator("#tab-content section.w-panel:not([data-l10n-lang])")
    headings = [shared.nth(i).get_attribute("id") for i in range(shared.count())]
    add_buttons = page.locator("#tab-content button[id$='-ADD']")
    assert headings, "the form has panels"

    subsets = [s for n in range(1, 4) for s in itertools.combinations(languages.LANGUAGE_CODES, n)]
    for subset in subsets:
        set_languages(page, subset)
        for panel_id in headings:
            assert page.locator(f"#{panel_id}").is_visible(), f"{panel_id} hidden with {subset}"
        for i in range(add_buttons.count()):
            assert add_buttons.nth(i).is_visible(), f"an Add button hidden with {subset}"
        for code in languages.LANGUAGE_CODES:
            field = page.locator(f"#tab-content [data-l10n-lang='{code}']").first
            assert field.is_visible() == (code in subset)

    # Adding an inline child (a file, a session, an organisation) keeps its panel and button.
    set_languages(page, ["ru"])
    for i in range(add_buttons.count()):
        add_buttons.nth(i).click()
        assert add_buttons.nth(i).is_visible()
    for panel_id in headings:
        assert page.locator(f"#{panel_id}").is_visible(), f"{panel_id} hidden after Add"
    # The new children's own translated fields follow the picker: only Russian shows.
    for code in ("zh-hans", "en"):
        assert page.locator(f"#tab-content [data-l10n-lang='{code}']:visible").count() == 0
    shot(page, f"panels-{model}", full_page=True)


def test_error_in_a_hidden_language_is_revealed_and_named(sections, page, shot):
    index = sections.index["projects.ProjectIndexPage"]
    editor = make_editor("ed-errors", "en")
    server = sections.url
    log_in(page, server, editor)
    page.goto(server + reverse("wagtailadmin_pages:add", args=("projects", "projectpage", index.pk)))
    title_input(page, "en").fill("Steppe monitoring")
    set_languages(page, ["en", "ru"])
    # Too long for the Russian title (255 characters), typed while Russian was shown…
    too_long = "Я" * 300
    title_input(page, "ru").evaluate(
        "(el, v) => { el.removeAttribute('maxlength'); el.value = v; }", too_long
    )
    set_languages(page, ["en"])  # …then hidden again before saving
    page.locator("button.action-save").first.click()
    page.wait_for_load_state("networkidle")

    # The form comes back with Russian shown, the typed text kept, the error naming Russian.
    assert "ru" in shown_languages(page)
    assert title_input(page, "ru").is_visible()
    assert title_input(page, "ru").input_value() == "Я" * 300
    error = page.locator("[data-contentpath=title_ru] [data-field-errors]")
    assert "Russian:" in error.inner_text()
    page.get_by_role("button", name="Go to the first error").click()
    focused = None
    for _ in range(50):  # the focus controller moves focus on the next frame
        focused = page.evaluate("document.activeElement.closest('[data-l10n-lang]')?.dataset.l10nLang")
        if focused:
            break
        page.wait_for_timeout(100)
    assert focused == "ru"
    shot(page, "error-revealed", full_page=False)


def test_translate_from_shows_the_source_beside_the_field(sections, page, shot):
    from projects.models import ProjectPage

    index = sections.index["projects.ProjectIndexPage"]
    project = ProjectPage(
        title_ru=TITLES["ru"], summary_ru="Спутниковый мониторинг пастбищ.", slug="steppe", live=False
    )
    index.add_child(instance=project)
    project.save_revision()
    editor = make_editor("ed-translator", "zh-hans")
    server = sections.url
    log_in(page, server, editor)
    page.goto(f"{server}/admin/pages/{project.pk}/edit/")
    assert shown_languages(page) == {"ru", "zh-hans"}
    page.locator("[data-l10n-source]").select_option("ru")
    set_languages(page, ["zh-hans"])
    chinese_title = page.locator("[data-l10n-lang='zh-hans']", has=title_input(page, "zh-hans"))
    title_box = chinese_title.locator(".l10n-source")
    assert TITLES["ru"] in title_box.inner_text()
    assert title_box.locator(".l10n-source__text").get_attribute("lang") == "ru"
    summary_box = page.locator("[data-l10n-lang='zh-hans'] .l10n-source").filter(has_text="Спутниковый")
    assert summary_box.count() == 1
    title_input(page, "zh-hans").fill(TITLES["zh-hans"])
    shot(page, "translate-from-ru", full_page=False)
    save_draft(page)
    assert stored_titles(project.pk) == {"ru": TITLES["ru"], "zh-hans": TITLES["zh-hans"]}
    assert english_strings(page, typed=TITLES.values()) == []
