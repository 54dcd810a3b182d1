"""The sitemap: every live page and country page in each language it exists in.

``/sitemap.xml`` is an index (Django's ``views.index``) naming the files
``/sitemap-pages.xml?p=1…N`` and ``/sitemap-countries.xml``. One file could
not hold a real archive: the protocol allows 50,000 URLs a file, and Django's
``i18n`` sitemaps build the (item, language) list of *every* page before
cutting a page of it, so each request loaded every page (at 100,000 items,
300,000 pairs, most of them in no file at all). Here a file is one slice of
:data:`PAGES_PER_FILE` base ``Page`` rows in tree order (the titles and URL
paths of every language are columns of that row), their URLs computed in
bulk (``search.routing``); each page is listed once per language it has a
title in, with its alternates (hreflang) and an ``x-default`` pointing at
the English version, the secretariat's pivot language.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from portal import languages
from portal.core.models import Country
from portal.core.translated import languages_present
from search.routing import urls_in_bulk

# Pages a file lists: at most three URLs each, each with its four alternates. At
# 5,000 a file was 5 MB and took 4 s to build on the shared machine at 100,000
# items; at 1,000 it is about 1 MB, far below the protocol's 50,000 URLs.
PAGES_PER_FILE = 1000


class _Multilingual(Sitemap):
    """Lists each item once per language it exists in, each URL with every alternate.

    Subclasses give ``items()`` (a query set or list, paginated by Django) and
    ``paths(items)``: for each item, ``{language code: path}`` in the languages
    it exists in, computed for the whole file at once.
    """

    def paths(self, items):
        raise NotImplementedError

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        urls = []
        for item, paths in zip(items, self.paths(items), strict=True):
            by_code = {code: f"{protocol}://{domain}{path}" for code, path in paths.items() if path}
            default = by_code.get(languages.DEFAULT_LANGUAGE) or next(iter(by_code.values()), None)
            alternates = [{"location": loc, "lang_code": code} for code, loc in by_code.items()]
            if default:
                alternates.append({"location": default, "lang_code": "x-default"})
            lastmod = self._get("lastmod", item)
            urls += [
                {
                    "item": item,
                    "location": location,
                    "lastmod": lastmod,
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                }
                for location in by_code.values()
            ]
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and all(lastmods):
            self.latest_lastmod = max(lastmods)  # the file's Last-Modified header
        return urls


class PageSitemap(_Multilingual):
    limit = PAGES_PER_FILE

    def items(self):
        return Page.objects.live().public().filter(depth__gt=1).order_by("path")

    def paths(self, items):
        urls = urls_in_bulk(items)
        return [
            {code: urls[page.pk][code] for code in languages.LANGUAGE_CODES if code in present}
            for page in items
            for present in [languages_present(page) or [languages.DEFAULT_LANGUAGE]]
        ]

    def lastmod(self, item):
        return item.last_published_at

    def get_latest_lastmod(self):
        """One aggregate (Django's default calls ``lastmod`` on every item of every file)."""
        return self.items().aggregate(last=Max("last_published_at"))["last"]


class CountrySitemap(_Multilingual):
    def items(self):
        return ["countries", *Country.objects.order_by("code").values_list("code", flat=True)]

    def paths(self, items):
        paths = [{} for _item in items]
        for code in languages.LANGUAGE_CODES:
            with translation.override(code):
                for item, by_code in zip(items, paths, strict=True):
                    args = [] if item == "countries" else [item]
                    by_code[code] = reverse("country" if args else "countries", args=args)
        return paths


SITEMAPS = {"pages": PageSitemap, "countries": CountrySitemap}
