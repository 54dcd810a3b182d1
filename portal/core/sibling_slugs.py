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

from django import forms
from django.db.models import Q
from django.utils import translation
from wagtail.models import get_page_models
from wagtail_modeltranslation import patch_wagtailadmin, patch_wagtailadmin_forms

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
    namesakes = _namesakes(page.get_siblings(inclusive=False), slugs)
    if not namesakes:
        return {}
    return _compare(page, namesakes)


def _namesakes(siblings, slugs):
    """The pages among ``siblings`` holding one of ``slugs`` in one of their slug columns.

    A slug read in a language is one of the row's columns (its own or a fallback), so no
    sibling outside these can read as one of ``slugs`` in any language.
    """
    same = Q()
    for column in _slug_columns():
        same |= Q(**{f"{column}__in": slugs})
    return list(siblings.filter(same))


def form_clean(form_class):
    """``clean()`` for wagtail-modeltranslation's admin form class ``form_class``: its check, on namesakes.

    As the original: for each language, the slug typed for it is taken when a sibling's
    slug, read in that language (fallbacks included), is the same.
    """

    def clean(self):
        cleaned_data = super(form_class, self).clean()
        typed = {}
        for code in languages.LANGUAGE_CODES:
            value = self.cleaned_data.get(languages.localized_field("slug", code))
            if value is not None:
                typed[code] = value
        if not typed:
            return cleaned_data
        siblings = self.parent_page.get_children()
        if self.instance.pk:
            siblings = siblings.not_page(self.instance)
        namesakes = _namesakes(siblings, set(typed.values()))
        for code, value in typed.items():
            with translation.override(code):
                if value in [sibling.slug for sibling in namesakes]:
                    message = patch_wagtailadmin_forms._("This slug is already in use")
                    self.add_error(languages.localized_field("slug", code), forms.ValidationError(message))
        return cleaned_data

    return clean


def _compare(page, siblings):
    """modeltranslation's comparison, on the given siblings only."""
    errors = {}
    message = patch_wagtailadmin._("This slug is already in use")  # modeltranslation's, translated there
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            if page.slug in [sibling.slug for sibling in siblings]:
                errors[languages.localized_field("slug", code)] = message
    return errors


def _is_modeltranslation_form(form_class):
    return form_class.__module__ == patch_wagtailadmin_forms.__name__ and "clean" in vars(form_class)


def install():
    """Make modeltranslation's page ``clean()`` use :func:`check` (it looks the function up on each
    call), and its admin form classes' ``clean()`` :func:`form_clean`."""
    patch_wagtailadmin._validate_slugs = check
    for model in get_page_models():
        form_class = model.base_form_class
        if _is_modeltranslation_form(form_class) and not getattr(form_class.clean, "narrowed", False):
            form_class.clean = form_clean(form_class)
            form_class.clean.narrowed = True
