"""The "slug already in use" check of every page save, without loading every sibling.

wagtail-modeltranslation adds to each page model's ``clean()`` a check that no
sibling uses the page's slug in any language (``_validate_slugs``). It loads
every sibling page as an object and reads its slug once per language: a
section of 10,000 projects made each save, draft or publish, load 10,000 pages
three times (1.4 s per ``full_clean``, twice per publish, measured on the
bench corpus: most of the time from "Publish" to searchable), and 100,000
would take tens of seconds.

:func:`check` gives the same errors: it asks the database only for the
siblings with one of the page's slugs in one of their slug columns (a slug
read in a language is one of the row's columns, its own or a fallback), then
runs modeltranslation's own comparison on those few. :func:`install`
replaces the function modeltranslation's ``clean()`` calls; it is called from
``CoreConfig.ready()`` and tested in ``tests/test_sibling_slugs.py``.
"""

from django.db.models import Q
from django.utils import translation
from wagtail_modeltranslation import patch_wagtailadmin

from portal import languages

_original = patch_wagtailadmin._validate_slugs


def _slug_columns():
    return ["slug", *(languages.localized_field("slug", code) for code in languages.LANGUAGE_CODES)]


def _slugs_read_in_each_language(page):
    """The page's slug as each language reads it (its own column or a fallback)."""
    read = set()
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            read.add(page.slug)
    return read


def check(page):
    """``{slug field: error}`` for the languages in which a sibling already uses the page's slug."""
    slugs = _slugs_read_in_each_language(page)
    if not slugs or not all(slugs):  # no slug in some language: the original compares empty values
        return _original(page)
    parent = page.get_parent()
    if parent is None:
        return {}
    same = Q()
    for column in _slug_columns():
        same |= Q(**{f"{column}__in": slugs})
    namesakes = list(page.get_siblings(inclusive=False).filter(same))
    if not namesakes:
        return {}
    return _compare(page, namesakes)


def _compare(page, siblings):
    """modeltranslation's comparison, on the given siblings only."""
    errors = {}
    message = patch_wagtailadmin._("This slug is already in use")  # modeltranslation's, translated there
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            if page.slug in [sibling.slug for sibling in siblings]:
                errors[languages.localized_field("slug", code)] = message
    return errors


def install():
    """Make modeltranslation's page ``clean()`` use :func:`check` (it looks the function up on each call)."""
    patch_wagtailadmin._validate_slugs = check
