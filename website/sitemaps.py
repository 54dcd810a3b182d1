"""sitemap.xml: every live page and country page in each language it exists in.

Each URL lists its alternates in the other languages (hreflang) and an
``x-default`` pointing at the English version, the secretariat's pivot language.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.models import Page

from portal import languages
from portal.core.models import Country
from portal.core.translated import languages_present


class _Multilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for info in urls:
            by_code = {a["lang_code"]: a["location"] for a in info["alternates"]}
            default = by_code.get(languages.DEFAULT_LANGUAGE) or next(iter(by_code.values()), None)
            for alternate in info["alternates"]:
                if alternate["lang_code"] == "x-default" and default:
                    alternate["location"] = default
        return urls


class PageSitemap(_Multilingual):
    def items(self):
        return list(Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"))

    def get_languages_for_item(self, item):
        present = languages_present(item)
        return [code for code in languages.LANGUAGE_CODES if code in present] or [languages.DEFAULT_LANGUAGE]

    def location(self, item):
        url = item.get_url()
        # With several sites Wagtail gives absolute URLs; the sitemap adds the domain.
        if url and "://" in url:
            url = "/" + url.split("://", 1)[1].split("/", 1)[1]
        return url

    def lastmod(self, item):
        return item.last_published_at


class CountrySitemap(_Multilingual):
    def items(self):
        return ["countries", *Country.objects.values_list("code", flat=True)]

    def location(self, item):
        if item == "countries":
            return reverse("countries")
        return reverse("country", args=[item])


SITEMAPS = {"pages": PageSitemap, "countries": CountrySitemap}
