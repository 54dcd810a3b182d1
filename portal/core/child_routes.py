"""Finding the child page a URL names without loading every child.

wagtail-modeltranslation replaces each page model's ``route()`` (so that a URL
can use the slug of the reader's language, or its fallback) with one that
loads *every* child of the page and compares their slugs in Python. Serving
one item of a list of 35,000 policy documents loaded 35,000 pages: about 5 s
per page on the 100,000-item corpus, on every page-cache miss.

:func:`route` gives the same answer: it asks the database only for the
children with the URL's slug in one of their slug columns (a slug read in a
language is one of the row's columns, its own or a fallback), then runs
modeltranslation's own comparison (``page.slug`` in the active language) on
those few, in the same tree order. Routable pages and the page itself go to
modeltranslation's route unchanged. :func:`install` puts it in place of
modeltranslation's on every page model; it is called from
``CoreConfig.ready()`` and tested in ``tests/test_child_routes.py``.
"""

from django.apps import apps
from django.db.models import Q
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail_modeltranslation import patch_wagtailadmin

from portal import languages

_original = patch_wagtailadmin._new_route


def _named(slug):
    """Q: a page with ``slug`` in its slug column or the column of any language."""
    same = Q(slug=slug)
    for code in languages.LANGUAGE_CODES:
        same |= Q(**{languages.localized_field("slug", code): slug})
    return same


def route(self, request, path_components):
    """modeltranslation's ``route()``, reading only the children that could match the first component."""
    if isinstance(self, RoutablePageMixin) or not path_components:
        return _original(self, request, path_components)
    child_slug, remaining = path_components[0], path_components[1:]
    for page in self.get_children().filter(_named(child_slug)):
        if page.slug == child_slug:  # the slug the active language reads, as modeltranslation compares
            return page.specific.route(request, remaining)
    raise Http404


def install():
    """Replace modeltranslation's ``route`` on every page model it patched."""
    for model in apps.get_models():
        if issubclass(model, Page) and model.__dict__.get("route") is _original:
            model.route = route
