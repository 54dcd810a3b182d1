"""A page's "slug already in use" check reads only namesakes, and says what modeltranslation said.

modeltranslation's own checks (the model's ``clean()`` and the admin form's) loaded every
sibling on every save (seconds per publish in a section of 10,000 items, 11.5 s in one of
35,000); ``portal.core.sibling_slugs`` replaces both.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.admin.panels import get_form_for_model
from wagtail.models import Page, get_page_models
from wagtail_modeltranslation import patch_wagtailadmin, patch_wagtailadmin_forms

from portal.core import sibling_slugs
from portal.core.pages import TrilingualPageForm
from projects.models import ProjectPage
from tests.factories import add_page, project_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_index(shared_project_index):
    """The projects list, made once for this module (conftest's ``shared_project_index``)."""
    return shared_project_index


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


# --- The admin's form: wagtail-modeltranslation's second check, on the values typed ---------------


def test_every_page_models_admin_form_checks_namesakes_only():
    modeltranslations = [
        model
        for model in get_page_models()
        if model.base_form_class.__module__ == patch_wagtailadmin_forms.__name__
    ]
    assert ProjectPage in modeltranslations
    for model in modeltranslations:
        assert getattr(model.base_form_class.clean, "narrowed", False), model


def _form(form_class, page, parent, user, **typed):
    data = project_form(**{"title_en": page.title_en, "slug_en": page.slug_en, **typed})
    return form_class(data, instance=page, parent_page=parent, for_user=user)


def _original_form_class():
    """The edit form's class as wagtail-modeltranslation made it, with its own ``clean()``."""
    their_base = patch_wagtailadmin_forms.patch_admin_page_form(TrilingualPageForm)
    return get_form_for_model(
        ProjectPage, form_class=their_base, **ProjectPage.get_edit_handler().get_form_options()
    )


@pytest.mark.parametrize(
    "typed, taken",
    [
        ({"slug_en": "water"}, {"slug_en"}),  # a sibling's own slug
        ({"slug_ru": "air-ru"}, {"slug_ru"}),  # a sibling's translation's slug
        ({"slug_zh_hans": "water"}, {"slug_zh_hans"}),  # the sibling reads "water" in Chinese (fallback)
        ({"slug_en": "fresh"}, set()),
    ],
)
def test_the_edit_form_refuses_what_modeltranslations_form_refused(project_index, admin_user, typed, taken):
    _sibling(project_index, "water")
    _sibling(project_index, "air", {"en": "Air", "ru": "Воздух"})
    page = _sibling(project_index, "mine")
    form_class = ProjectPage.get_edit_handler().get_form_class()
    ours = _form(form_class, page, project_index, admin_user, **typed)
    theirs = _form(_original_form_class(), page, project_index, admin_user, **typed)
    ours.is_valid(), theirs.is_valid()
    slug_errors = {name for name in ours.errors if name.startswith("slug")}
    assert slug_errors == {name for name in theirs.errors if name.startswith("slug")}
    assert slug_errors == taken


def test_publishing_from_the_admin_reads_no_sibling_page(admin_client, project_index):
    siblings = {_sibling(project_index, f"item-{n}").pk for n in range(12)}
    page = _sibling(project_index, "mine")
    read = []

    def note(sender, instance, **kwargs):
        if isinstance(instance, Page):
            read.append(instance.pk)

    post_init.connect(note)
    try:
        data = project_form(title_en="Mine, edited", slug_en="mine", **{"action-publish": "publish"})
        response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    finally:
        post_init.disconnect(note)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page.refresh_from_db()
    assert page.live and page.title_en == "Mine, edited"
    assert not siblings & set(read), "the publish loaded sibling pages"


def test_a_new_page_beside_namesakes_is_numbered_reading_only_them(admin_client, project_index):
    for slug in ("water", "water-2", *(f"other-{n}" for n in range(10))):
        _sibling(project_index, slug)
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(url, project_form(title_en="Water", slug_en="water"))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert ProjectPage.objects.filter(title_en="Water").get().slug_en == "water-3"

    # The children's slugs are read with the typed slug in the condition, not all of them.
    def selects_only_slugs(sql):
        columns = sql.split(" FROM ", 1)[0]
        return sql.startswith("SELECT") and '."slug_en"' in columns and '."id"' not in columns

    reads = [q["sql"] for q in queries if selects_only_slugs(q["sql"])]
    assert reads and all("'water'" in sql and "'water-%'" in sql for sql in reads), reads
