"""An edit form's tab and panel ids do not depend on the language of the first editor in the process.

Wagtail builds a model's edit handler once per process and names tabs and panels
after their (translated) headings; ``portal/core/panel_ids.py`` makes those names
the default language's, so that a link to a tab (``…/edit/#tab-promote``) opens the
same tab in every process, whoever opened a form there first.
"""

import re

import pytest
from django.urls import reverse

from projects.models import ProjectPage
from tests.factories import make_page

pytestmark = pytest.mark.django_db
TAB_ID = re.compile(r'<section\s+id="tab-([^"]+)"')


def tab_ids(response):
    assert response.status_code == 200
    return TAB_ID.findall(response.content.decode())


@pytest.mark.parametrize("first", ["ru", "zh-hans"])
def test_tab_ids_are_the_same_whichever_language_opened_a_form_first(admin_in, project_index, first):
    page = make_page(project_index, title={"en": "Tabbed", "ru": "Вкладки", "zh-hans": "标签"})
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    ProjectPage.get_edit_handler.cache_clear()  # as in a new process: the first form is built now
    try:
        ids = {code: tab_ids(admin_in(code).get(edit)) for code in (first, "en", "ru", "zh-hans")}
    finally:
        ProjectPage.get_edit_handler.cache_clear()
    assert ids["en"][:2] == ["content", "promote"], ids
    assert ids[first] == ids["en"] == ids["ru"] == ids["zh-hans"], ids
    # What editors read stays in their language.
    russian = admin_in("ru").get(edit).content.decode()
    assert 'id="tab-label-content"' in russian and "Содержимое" in russian
