import logging
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from portal import languages
from portal.core import content_types
from portal.core.models import Country
from website.figures import count_per_country
from website.sections import sections

logger = logging.getLogger(__name__)


def preferred_language(request):
    """The reader's language: their earlier choice (cookie), else their browser's.

    Browser languages we do not serve map to the one their readers most likely
    read (kk -> ru, zh-cn -> zh-hans, ur -> en; see portal.languages).
    """
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in languages.LANGUAGE_CODES:
        return cookie
    header = request.headers.get("Accept-Language", "")
    for tag, _quality in parse_accept_lang_header(header):
        tag = tag.lower()
        if tag == "*":
            break
        candidates = [tag, languages.BROWSER_LANGUAGE_MAP.get(tag, "")]
        primary = tag.split("-")[0]
        candidates += [languages.BROWSER_LANGUAGE_MAP.get(primary, "")]
        for candidate in filter(None, candidates):
            try:
                return get_supported_language_variant(candidate)
            except LookupError:
                continue
    return languages.DEFAULT_LANGUAGE


def root_redirect(request):
    """``/`` -> ``/<language>/``, keeping any query string."""
    target = f"/{preferred_language(request)}/"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    response = HttpResponseRedirect(target)
    response["Vary"] = "Accept-Language, Cookie"
    return response


def country_list(request):
    """Every SCO state and partner, grouped by status, with how many items concern it."""
    countries = list(Country.objects.all())
    counts = Counter()
    for model in content_types.models():
        counts.update(count_per_country(model))
    groups = []
    for status, label in Country.Status.choices:
        members = [(c, counts[c.code]) for c in countries if c.sco_status == status]
        if members:
            groups.append((label, members))
    return render(request, "home/country_list.html", {"groups": groups})


def country_detail(request, code):
    """Everything tied to one country: projects, trainings, policies, news."""
    country = get_object_or_404(Country, code=code.upper())
    blocks = []
    for section in sections(request):
        items = section.latest(limit=50, country=country.code)
        if items:
            blocks.append({"section": section, "items": items})
    return render(request, "home/country_detail.html", {"country": country, "blocks": blocks})


# --- error pages, robots.txt, favicon -------------------------------------------------

ERRORS = {
    400: (
        _("This request could not be understood"),
        _(
            "The address or the form sent was malformed. "
            "Check the link, or search for what you were looking for."
        ),
    ),
    403: (
        _("You cannot open this page"),
        _("This page is not public. Search the portal, or go back to the home page."),
    ),
    404: (
        _("Page not found"),
        _(
            "There is no page at this address: it may have moved or been unpublished. "
            "Search the portal for it."
        ),
    ),
    500: (
        _("Something went wrong on our side"),
        _(
            "The portal could not show this page because of a fault on our side. "
            "Please try again in a few minutes."
        ),
    ),
}


def _error_page(request, status):
    heading, message = ERRORS[status]
    context = {"status": status, "heading": heading, "message": message}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400)


def permission_denied(request, exception=None):
    return _error_page(request, 403)


def page_not_found(request, exception=None):
    return _error_page(request, 404)


def server_error(request):
    """The 500 page with the site's navigation; without it when that fails too (database down)."""
    try:
        response = _error_page(request, 500)
        return response
    except Exception:  # noqa: BLE001 - whatever broke the page may break the navigation too
        logger.exception("The full error page failed; serving the plain one")
        html = render_to_string(
            "errors/500_plain.html", {"LANGUAGE_CODE": get_language(), "stylesheet": static("css/portal.css")}
        )
        return HttpResponseServerError(html)


def robots_txt(request):
    """Crawl the public site, not the admin, the API or endless search result pages; name the sitemap."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/"]
    lines += [f"Disallow: /{code}/search/" for code in languages.LANGUAGE_CODES]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


FAVICON = Path(__file__).resolve().parent.parent / "static" / "img" / "favicon.ico"


def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page's <link> says."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
