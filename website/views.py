from collections import Counter

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from portal import languages
from portal.core.models import Country
from portal.core.pages import content_page_models
from website.sections import sections


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
    for model in content_page_models():
        for code in model.objects.live().values_list("countries__code", flat=True):
            if code:
                counts[code] += 1
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
    for section in sections():
        items = list(section.latest(limit=50, countries=country))
        if items:
            blocks.append({"section": section, "items": items})
    return render(request, "home/country_detail.html", {"country": country, "blocks": blocks})
