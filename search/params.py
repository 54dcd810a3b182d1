"""Reading search parameters from a query string, for the API and the page.

One parser, two tempers: the API is strict (an unknown parameter or value is a
400 naming it), the page is lenient (it drops what it cannot use and says so,
since a stale shared link must still show results).
"""

from django.utils.translation import gettext as _

from portal import languages
from portal.core import content_types
from portal.core.models import Country, Theme
from search.query import FACETS, MAX_PAGE_SIZE, MAX_RESULT_WINDOW, SORTS, SearchRequest

MAX_QUERY_CHARS = 500
DEFAULT_PAGE_SIZE = 20
KNOWN = {"q", "lang", "sort", "page", "page_size", *FACETS}


class BadParameter(ValueError):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def allowed_values(param):
    """The values a facet parameter accepts (None: any 4-digit year)."""
    if param == "type":
        return {options.import_name for options in content_types.all()}
    if param == "country":
        return set(Country.objects.values_list("code", flat=True))
    if param == "theme":
        return set(Theme.objects.values_list("slug", flat=True))
    if param == "status":
        return set(status_labels())
    return None


def status_labels():
    """``{value: label}`` of the ``status`` choices of every content type."""
    return content_types.choice_labels("status")


def _int(params, name, default, low, high):
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(
            name,
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {
                "name": name,
                "low": low,
                "high": high,
            },
        )
    return int(raw)


def _year(value):
    return value.isdigit() and len(value) == 4


def parse(params, default_lang, strict=True):
    """A :class:`SearchRequest` from a QueryDict; returns ``(request, dropped params)``.

    ``strict``: raise :class:`BadParameter` for anything unusable; otherwise
    drop it and list it in the second value.
    """
    dropped = []

    def bad(name, message):
        if strict:
            raise BadParameter(name, message)
        dropped.append(name)

    for name in params:
        if name not in KNOWN:
            bad(name, _("Unknown parameter: %(name)s.") % {"name": name})

    q = params.get("q", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        bad("q", _("The query is longer than %(n)s characters.") % {"n": MAX_QUERY_CHARS})
        q = q[:MAX_QUERY_CHARS]

    lang = params.get("lang", "") or default_lang
    if lang not in languages.LANGUAGE_CODES:
        bad("lang", _("lang must be one of: %(codes)s.") % {"codes": ", ".join(languages.LANGUAGE_CODES)})
        lang = default_lang

    sort = params.get("sort", "") or "relevance"
    if sort not in SORTS:
        bad("sort", _("sort must be one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)})
        sort = "relevance"

    filters = {}
    for param in FACETS:
        values = [v for v in params.getlist(param) if v != ""]
        allowed = allowed_values(param)
        good = [v for v in values if (_year(v) if allowed is None else v in allowed)]
        if len(good) != len(values):
            bad(param, _("Unknown value for %(name)s.") % {"name": param})
        if good:
            filters[param] = good

    try:
        page = _int(params, "page", 1, 1, MAX_RESULT_WINDOW)
        page_size = _int(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    except BadParameter as exc:
        bad(exc.parameter, exc.message)
        page, page_size = 1, DEFAULT_PAGE_SIZE
    if page * page_size > MAX_RESULT_WINDOW:
        bad("page", _("Results beyond the first %(n)s cannot be paged to.") % {"n": MAX_RESULT_WINDOW})
        page = 1

    request = SearchRequest(q=q, lang=lang, filters=filters, sort=sort, page=page, page_size=page_size)
    return request, dropped
