"""A URL finds its page among the children by asking the database for its slug, as modeltranslation would.

modeltranslation's own ``route()`` loaded every child of a list to serve one of
them (about 5 s a page among 35,000 policy documents);
``portal.core.child_routes`` replaces it.
"""

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page

from portal.core import child_routes
from projects.models import ProjectIndexPage, ProjectPage
from tests.factories import add_page

pytestmark = pytest.mark.django_db


def _route(route, page, components):
    """The page ``route`` finds for the URL components, or "404"."""
    try:
        return route(page, RequestFactory().get("/"), components).page.pk
    except Http404:
        return "404"


def test_installed_on_every_page_model():
    assert ProjectIndexPage.route is child_routes.route
    assert ProjectPage.route is child_routes.route
    assert Page.route is child_routes.route


def test_the_same_page_as_modeltranslation_in_every_language(project_index):
    add_page(project_index, ProjectPage, {"en": "Water", "ru": "Вода", "zh-hans": "水"}, "water")
    add_page(project_index, ProjectPage, {"en": "Air"}, "air")  # one slug: the others fall back to it
    add_page(project_index, ProjectPage, {"ru": "Почва"}, "soil")
    home = project_index.get_parent().specific
    asked = 0
    for code in ("en", "ru", "zh-hans"):
        with translation.override(code):
            for components in (
                ["p", "water"],
                ["p", "water-ru"],
                ["p", "water-zh-hans"],
                ["p", "air"],
                ["p", "soil"],
                ["p", "soil-ru"],
                ["p", "nothing"],
                ["p"],
                ["nothing", "water"],
            ):
                ours = _route(child_routes.route, home, components)
                assert ours == _route(child_routes._original, home, components), (code, components)
                asked += ours != "404"
    assert asked > 9  # most of those addresses name a page in some language


def test_a_child_is_found_without_reading_its_siblings(project_index):
    target = add_page(project_index, ProjectPage, {"en": "Target"}, "target")
    request = RequestFactory().get("/")

    def pages_read():
        """(queries, page objects made) while routing to the target."""
        made = []

        def count(sender, **_kwargs):
            made.append(sender)

        post_init.connect(count)
        try:
            with translation.override("en"), CaptureQueriesContext(connection) as captured:
                assert project_index.route(request, ["target"]).page.pk == target.pk
        finally:
            post_init.disconnect(count)
        return len(captured), len(made)

    alone = pages_read()
    for n in range(8):
        add_page(project_index, ProjectPage, {"en": f"Other {n}"}, f"other-{n}")
    assert pages_read() == alone
    assert alone[1] <= 2  # the target as a Page row, then as its specific type


def test_setup_portal_indexes_the_slug_of_every_language():
    """Without these modeltranslation columns' indexes, finding a page by its slug scans its siblings."""
    from portal import languages

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"]}
    for code in languages.LANGUAGE_CODES:
        assert (languages.localized_field("slug", code),) in indexed, code
