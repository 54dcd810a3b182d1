from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from portal import languages


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
