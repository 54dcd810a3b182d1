"""A page's "slug already in use" check reads only namesakes, and says what modeltranslation said.

modeltranslation's own check loaded every sibling on every save (seconds per
publish in a section of 10,000 items); ``portal.core.sibling_slugs`` replaces it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_modeltranslation import patch_wagtailadmin

from portal.core import sibling_slugs
from projects.models import ProjectPage
from tests.factories import add_page

pytestmark = pytest.mark.django_db


def _sibling(project_index, slug, titles=None):
    return add_page(project_index, ProjectPage, titles or {"en": f"Project {slug}"}, slug)


def _new(slug, **slugs):
    page = ProjectPage(title_en="New project", slug=slug, slug_en=slug)
    for column, value in slugs.items():
        setattr(page, column, value)
    return page


def test_installed():
    assert patch_wagtailadmin._validate_slugs is sibling_slugs.check


def test_a_sibling_with_the_slug_is_an_error_in_each_language_that_reads_it(project_index):
    _sibling(project_index, "water")  # slug_en "water", read in every language (fallback)
    page = _new("water")
    page.path, page.depth = project_index.path + "0099", project_index.depth + 1
    errors = sibling_slugs.check(page)
    assert errors == sibling_slugs._original(page)
    assert "slug_en" in errors


def test_a_translation_slug_taken_is_found_too(project_index):
    _sibling(project_index, "air", {"en": "Air", "ru": "Воздух"})  # slug_ru "air-ru"
    page = _new("fresh", slug_ru="air-ru")
    page.path, page.depth = project_index.path + "0099", project_index.depth + 1
    errors = sibling_slugs.check(page)
    assert errors == sibling_slugs._original(page)
    assert list(errors) == ["slug_ru"]


def test_saving_with_a_taken_slug_is_refused(project_index):
    _sibling(project_index, "soil")
    with pytest.raises(ValidationError) as refused:
        project_index.add_child(instance=_new("soil"))  # Page.save() runs full_clean()
    assert "slug_en" in refused.value.message_dict


def test_free_slug_reads_no_sibling_page(project_index):
    for n in range(12):
        _sibling(project_index, f"item-{n}")
    page = _new("unique-slug")
    page.path, page.depth = project_index.path + "0099", project_index.depth + 1
    with CaptureQueriesContext(connection) as queries:
        assert sibling_slugs.check(page) == {}
    assert sibling_slugs._original(page) == {}
    # The parent and one filtered query of namesakes: no query per sibling, no sibling rows read.
    assert len(queries) <= 3
