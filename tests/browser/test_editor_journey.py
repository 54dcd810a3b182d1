"""Editors' journeys in Chromium, in the Chinese, English and Russian admin (issue 16).

A draft keeps exactly the languages it was written in, whichever admin
language saves it; the language picker hides only other languages' fields,
never a panel; an error in a hidden language is revealed and named. The
Chinese and Russian admins show no English on the way (``admin_text.py``).
Moderation, scheduled publishing and the "Translate from" view are in
``test_editor_workflows.py``.
"""

import itertools

import pytest
from django.urls import reverse

from portal import languages
from tests.browser.admin_text import AdminLanguageCheck
from tests.browser.editors import (
    PAGE_TYPES,
    edited_page_id,
    log_in,
    make_editor,
    save_draft,
    set_languages,
    shown_languages,
    stored_titles,
    title_input,
)

pytestmark = [pytest.mark.browser]

TITLES = {
    "zh-hans": "草原退化监测试点",
    "en": "Grassland degradation monitoring pilot",
    "ru": "Пилотный мониторинг деградации степей",
}
PAIRS = list(itertools.permutations(languages.LANGUAGE_CODES, 2))


@pytest.mark.parametrize(("written", "admin_language"), PAIRS)
def test_draft_keeps_exactly_its_language_from_any_admin(sections, page, shot, written, admin_language):
    index = sections.index["projects.ProjectIndexPage"]
    editor = make_editor(f"ed-{admin_language}", admin_language)
    server = sections.url
    log_in(page, server, editor)
    add_url = server + reverse("wagtailadmin_pages:add", args=("projects", "projectpage", index.pk))

    check = AdminLanguageCheck(admin_language, typed=TITLES.values())
    check.also_user(editor)
    page.goto(add_url)
    check.screen(page, "new page")
    check.prove_it_catches(page)
    # A new page opens on the editor's own language only.
    assert shown_languages(page) == {admin_language}
    page.locator(f'[data-l10n-toggle="{written}"]').click()
    set_languages(page, [written])
    title_input(page, written).fill(TITLES[written])
    shot(page, f"01-new-{written}-from-{admin_language}", full_page=False)
    save_draft(page)
    check.screen(page, "saved draft 1")
    page_id = edited_page_id(page)
    assert stored_titles(page_id) == {written: TITLES[written]}

    for attempt in range(2):  # reopen, save again: still only the language written
        page.goto(f"{server}/admin/pages/{page_id}/edit/")
        assert shown_languages(page) == {written, admin_language}
        assert title_input(page, written).input_value() == TITLES[written]
        for code in set(languages.LANGUAGE_CODES) - {written}:
            assert title_input(page, code).input_value() == ""
        save_draft(page)
        check.screen(page, f"saved draft {attempt + 2}")
        assert stored_titles(page_id) == {written: TITLES[written]}, f"after save {attempt + 2}"
    shot(page, f"02-saved-{written}-from-{admin_language}", full_page=False)
    check.assert_clean()
    assert page.csp_violations == []


@pytest.mark.parametrize(("app", "model", "index_label"), PAGE_TYPES)
def test_no_panel_disappears_for_any_picker_choice(sections, page, shot, app, model, index_label):
    editor = make_editor("ed-panels", "en")
    server = sections.url
    log_in(page, server, editor)
    page.goto(server + reverse("wagtailadmin_pages:add", args=(app, model, sections.index[index_label].pk)))
    set_languages(page, languages.LANGUAGE_CODES)
    # The first tab, by its role (its id, "tab-content", is the same in every process since
    # portal/core/panel_ids.py: it came from the heading in the process's first editor's language).
    content = page.locator("main form [role='tabpanel']").first
    shared = content.locator("section.w-panel:not([data-l10n-lang])")
    # In the form (it may still be rendering); whether each shared panel is *visible* is what
    # the loop below asserts, panel by panel, so a hidden one is named instead of timing out here.
    shared.first.wait_for(state="attached")
    headings = [shared.nth(i).get_attribute("id") for i in range(shared.count())]
    add_buttons = content.locator("button[id$='-ADD']")
    assert headings, "the form has panels"

    subsets = [s for n in range(1, 4) for s in itertools.combinations(languages.LANGUAGE_CODES, n)]
    for subset in subsets:
        set_languages(page, subset)
        for panel_id in headings:
            assert page.locator(f"#{panel_id}").is_visible(), f"{panel_id} hidden with {subset}"
        for i in range(add_buttons.count()):
            assert add_buttons.nth(i).is_visible(), f"an Add button hidden with {subset}"
        for code in languages.LANGUAGE_CODES:
            field = content.locator(f"[data-l10n-lang='{code}']").first
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
        assert content.locator(f"[data-l10n-lang='{code}']:visible").count() == 0
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
