from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import api_patterns
from website.feeds import SectionAtomFeed, SectionFeed
from website.sitemaps import SITEMAPS
from website.views import country_detail, country_list, favicon, robots_txt, root_redirect

# Error pages in the reader's language, with the site's navigation and a search box.
handler400 = "website.views.bad_request"
handler403 = "website.views.permission_denied"
handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"

# Outside the language prefix: the editors' admin, files and the bare root.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(api_patterns, namespace="api_v1")),  # /api/v1/… and /api/search/ (django-ninja)
    path("api/", include("api.urls")),  # the docs page; a JSON 404 for anything else under /api/
    # An index of sitemap files (one file could not hold a large archive: website/sitemaps.py).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("", root_redirect, name="root"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site, under /zh-hans/, /en/, /ru/.
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("countries/", country_list, name="countries"),
    path("countries/<str:code>/", country_detail, name="country"),
    path("feeds/<str:section>/rss.xml", SectionFeed(), name="feed-rss"),
    path("feeds/<str:section>/atom.xml", SectionAtomFeed(), name="feed-atom"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
