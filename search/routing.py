"""The public URL of many pages in every language, without a query per page.

``page.get_url()`` costs a site-root lookup per call. For a rebuild of 100,000
pages this module computes the same URLs from public data only: the ``Site``
rows (read once per language), each page's localised ``url_path`` (what
wagtail_modeltranslation gives ``url_path`` under ``translation.override``) and
Django's ``reverse("wagtail_serve")``, which adds the language prefix. It does
not call Wagtail's private ``Page._get_site_root_paths``; a page model that
routes its own URLs (overrides ``get_url_parts`` or ``get_url``) is asked
directly. ``tests/test_search_prepare.py`` checks the result equals
``page.get_url()`` in each language.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Page, Site

from portal import languages


def site_roots():
    """``[(site id, root url_path, root_url)]`` in the active language, most specific path first."""
    sites = Site.objects.select_related("root_page")
    roots = [(site.pk, site.root_page.url_path, site.root_url) for site in sites]
    return sorted(roots, key=lambda root: root[1], reverse=True)


def _routes_like_wagtail(model):
    return model.get_url_parts is Page.get_url_parts and model.get_url is Page.get_url


def url_in(page, roots, single_site):
    """``page.get_url()`` for the active language, given :func:`site_roots` of that language."""
    if not _routes_like_wagtail(type(page)):
        return page.get_url() or ""
    url_path = page.url_path
    root = next((root for root in roots if url_path.startswith(root[1])), None)
    if root is None:
        return ""
    _site_id, root_path, root_url = root
    try:
        path = reverse("wagtail_serve", args=(url_path[len(root_path) :],))
    except NoReverseMatch:
        return ""
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
        path = path.rstrip("/")
    return path if single_site else root_url + path


def urls_in_bulk(pages):
    """``{page id: {language code: URL}}``: what ``page.get_url()`` gives in each language."""
    urls = {page.pk: {} for page in pages}
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            roots = site_roots()
            single_site = len({root[0] for root in roots}) == 1
            for page in pages:
                urls[page.pk][code] = url_in(page, roots, single_site)
    return urls
