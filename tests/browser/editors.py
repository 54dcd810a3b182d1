"""Editors in the browser: accounts with an admin language, logging in and out, the footer's actions.

Shared by the editor journeys (``test_editor_journey.py``, ``test_editor_workflows.py``);
the section pages they write under are the ``sections`` fixture in ``conftest.py``.
"""

import re

from portal import languages


def make_editor(username, admin_language, superuser=True, groups=(), names=("Ed", "Itor")):
    """A user whose admin speaks ``admin_language``; ``groups`` by name (e.g. security.groups.SECRETARIAT)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    model = get_user_model()
    create = model.objects.create_superuser if superuser else model.objects.create_user
    first, last = names
    user = create(username, f"{username}@example.org", "pw-" + username, first_name=first, last_name=last)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = admin_language
    profile.save()
    return user


def log_in(page, base, user):
    """Sign in through the admin's login form (any earlier session is dropped first)."""
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def stored_titles(page_id):
    """{language: title} for the languages the page's row has a title in."""
    from wagtail.models import Page

    stored = Page.objects.get(pk=page_id)
    return {
        code: getattr(stored, languages.localized_field("title", code))
        for code in languages.LANGUAGE_CODES
        if getattr(stored, languages.localized_field("title", code))
    }


def shown_languages(page):
    """The languages the edit form's picker shows."""
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


def edited_page_id(page):
    return int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))


def save_draft(page):
    page.locator("button.action-save").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.wait_for_load_state("networkidle")


def footer_action(page, name):
    """A button of the edit form's footer menu (``action-submit``, ``action-publish``…), menu opened."""
    button = page.locator(f"footer button[name={name}]")
    if button.count() and not button.first.is_visible():
        page.locator("footer .w-dropdown-button .w-dropdown__toggle").first.click()
    return button


# (app label, page model, section index model) of each page type editors create.
PAGE_TYPES = [
    ("projects", "projectpage", "projects.ProjectIndexPage"),
    ("projects", "trainingprogrammepage", "projects.TrainingIndexPage"),
    ("policies", "policydocumentpage", "policies.PolicyIndexPage"),
    ("news", "newspage", "news.NewsIndexPage"),
]


def close_side_panel(page):
    """Close the edit form's side panel (status, preview…), which Wagtail reopens from the last visit."""
    close = page.locator("[data-form-side-close-button]")
    if close.count() and close.first.is_visible():
        close.first.click()


def press_footer_action(page, name):
    """Click a footer action and wait for the answer's page (the form posts, then redirects)."""
    button = footer_action(page, name)
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("networkidle")
