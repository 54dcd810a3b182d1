"""Reading the API's query parameters, strictly: anything unusable is a 400 naming it.

The same temper, error shape (``{"error", "parameter"}``) and messages as the
search API (``search.params`` / ``search.api``), whose :class:`BadParameter` this
module raises.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from portal import languages
from search.params import BadParameter

ALL = "all"
LANG_VALUES = [*languages.LANGUAGE_CODES, ALL]
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGING = ("page", "page_size")


@dataclass
class Query:
    lang: str
    filters: dict = field(default_factory=dict)  # {param: [values]} (validated)
    updated_since: datetime.datetime | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def parse_lang(params, default=languages.DEFAULT_LANGUAGE, allow_all=True):
    lang = params.get("lang", "") or default
    allowed = LANG_VALUES if allow_all else languages.LANGUAGE_CODES
    if lang not in allowed:
        raise BadParameter("lang", _("lang must be one of: %(codes)s.") % {"codes": ", ".join(allowed)})
    return lang


def parse_int(params, name, default, low, high):
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(
            name,
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return int(raw)


def parse_since(raw):
    """An ISO 8601 date or date-time (naive ones are UTC) -> aware datetime."""
    value = None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:  # well-formed but impossible, e.g. 2024-02-30
        value = None
    if value is None:
        raise BadParameter(
            "updated_since",
            _(
                "updated_since must be an ISO 8601 date or date-time, "
                "e.g. 2024-05-01 or 2024-05-01T12:00:00Z."
            ),
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def parse(params, resource, paged=True):
    """A :class:`Query` for ``resource`` from a QueryDict; raises :class:`BadParameter`."""
    known = {"lang", "updated_since", *resource.filter_params()}
    if paged:
        known.update(PAGING)
    for name in params:
        if name not in known:
            raise BadParameter(name, _("Unknown parameter: %(name)s.") % {"name": name})
    for name in params:
        if name in ("lang", "updated_since", *PAGING) and len(params.getlist(name)) > 1:
            raise BadParameter(name, _("Give %(name)s only once.") % {"name": name})

    query = Query(lang=parse_lang(params))
    for param in resource.filter_params():
        values = [v.strip() for v in params.getlist(param) if v.strip() != ""]
        if not values:
            continue
        values = [resource.normalise(param, v) for v in values]
        allowed = resource.allowed_values(param)
        if any(not (allowed(v) if callable(allowed) else v in allowed) for v in values):
            raise BadParameter(param, _("Unknown value for %(name)s.") % {"name": param})
        query.filters[param] = values
    if params.get("updated_since", ""):
        query.updated_since = parse_since(params["updated_since"])
    if paged:
        query.page = parse_int(params, "page", 1, 1, 10**6)
        query.page_size = parse_int(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return query
