"""The API's query parameters, declared once: typed models for the OpenAPI document, strict reading.

:func:`query_model` builds a resource's parameters as a pydantic model that
django-ninja reads the query string into (and writes into the OpenAPI
document); :func:`parse` then checks what a schema cannot say (unknown
parameters, a parameter given twice, a country code that is not in the
taxonomy) and returns a :class:`Query`. Anything unusable is a 400
``{"error", "parameter"}`` naming the parameter, the search API's shape.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import Literal

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ConfigDict, Field, create_model

from api.resources import allowed
from api.schemas import ALL, LangOrAll
from portal import languages
from search.params import BadParameter

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10**6
PAGING = ("page", "page_size")
SINGLE_VALUED = ("lang", "updated_since", "since", *PAGING)
RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@dataclass
class Query:
    lang: str = languages.DEFAULT_LANGUAGE
    filters: dict = field(default_factory=dict)  # {param: [values]} (validated)
    updated_since: datetime.datetime | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _enum_of(kind):
    """Write the current codes of the taxonomy into the document when it is generated."""

    def extra(schema):
        codes = sorted(allowed(kind))
        target = schema.get("items", schema)
        target["enum"] = codes

    return extra


def _filter_field(flt):
    if flt.values in ("country", "theme"):
        return (list[str], Field(None, description=flt.description, json_schema_extra=_enum_of(flt.values)))
    if flt.values == "year":
        return (list[int], Field(None, description=flt.description, json_schema_extra=_year_items))
    if flt.values == "text":
        return (list[str], Field(None, description=flt.description, json_schema_extra=_text_items))
    return (list[Literal[tuple(flt.values)]], Field(None, description=flt.description))


def _year_items(schema):
    schema.get("items", schema).update({"minimum": 1000, "maximum": 9999})


def _text_items(schema):
    schema.get("items", schema).update({"minLength": 1, "maxLength": 255})


def _date_or_time(schema):
    schema.clear()
    schema.update(
        {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
            "description": str(
                gettext_lazy(
                    "Only what changed at or after this ISO 8601 date or date-time "
                    "(a date-time without offset is UTC), e.g. 2024-05-01 or 2024-05-01T12:00:00Z."
                )
            ),
        }
    )


LANG_DESCRIPTION = gettext_lazy(
    "Language of the texts: each in that language, or in its first fallback with <field>_lang naming "
    "the language shown; all: every language as an object."
)


def lang_field(allow_all=True):
    kind = LangOrAll if allow_all else Literal[tuple(languages.LANGUAGE_CODES)]
    return (kind, Field(languages.DEFAULT_LANGUAGE, description=LANG_DESCRIPTION))


def paging_fields():
    return {
        "page": (int, Field(1, ge=1, le=MAX_PAGE, description=gettext_lazy("Page number, from 1."))),
        "page_size": (
            int,
            Field(
                DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=gettext_lazy("Items per page (1-100).")
            ),
        ),
    }


def since_field(name="updated_since"):
    return {name: (str, Field(None, json_schema_extra=_date_or_time))}


@functools.cache
def query_model(resource, kind):
    """The query parameters of one operation: ``kind`` is list, export (csv/json) or xml."""
    fields = {}
    if kind != "xml":
        fields["lang"] = lang_field()
    for param, flt in resource.filters().items():
        fields[param] = _filter_field(flt)
    fields.update(since_field())
    if kind == "list":
        fields.update(paging_fields())
    title = resource.name.title().replace("_", "")
    return create_model(f"{title}{kind.title()}Params", __config__=ConfigDict(extra="forbid"), **fields)


def reject_unknown(params, known):
    for name in params:
        if name not in known:
            raise BadParameter(name, _("Unknown parameter: %(name)s.") % {"name": name})
    for name in params:
        if name in SINGLE_VALUED and len(params.getlist(name)) > 1:
            raise BadParameter(name, _("Give %(name)s only once.") % {"name": name})


def list_values(params, name):
    """The values of a repeatable parameter: ``name=`` alone is an empty list (no filter), as
    OpenAPI serialises ``[]``; an empty value among others is a 400."""
    values = params.getlist(name)
    if values == [""]:
        return []
    if "" in values:
        raise BadParameter(name, _("Unknown value for %(name)s.") % {"name": name})
    return values


def parse_lang(params, allow_all=True):
    lang = params.get("lang", languages.DEFAULT_LANGUAGE)
    allowed_codes = [*languages.LANGUAGE_CODES, ALL] if allow_all else languages.LANGUAGE_CODES
    if lang not in allowed_codes:
        raise BadParameter("lang", _("lang must be one of: %(codes)s.") % {"codes": ", ".join(allowed_codes)})
    return lang


def parse_int(params, name, default, low, high):
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(
            name,
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return int(raw)


def parse_since(raw, name="updated_since"):
    """An ISO 8601 date or RFC 3339 date-time (naive ones are UTC) -> aware UTC datetime.

    Any date-time the standard allows is accepted, also at the edges of the
    calendar (``9999-12-31T23:59:59-12:00`` is after every change) and leap
    seconds (``…T23:59:60Z`` counts as the second before).
    """
    value = _parse_moment(raw)
    if value is None:
        raise BadParameter(
            name,
            _("%(name)s must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z.")
            % {"name": name},
        )
    return value


def _parse_moment(raw):
    raw = raw.strip()
    match = RFC3339.match(raw)
    if match:
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        try:
            naive = datetime.datetime(
                int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59)
            )
        except ValueError:
            return None
        if offset in ("Z", "z"):
            delta = datetime.timedelta(0)
        else:
            sign = -1 if offset[0] == "-" else 1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if hours > 23 or minutes > 59:
                return None
            delta = sign * datetime.timedelta(hours=hours, minutes=minutes)
        return _to_utc(naive, delta)
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:  # well-formed but impossible, e.g. 2024-02-30
        return None
    if value is None:
        return None
    if timezone.is_naive(value):
        return value.replace(tzinfo=datetime.UTC)
    offset = value.utcoffset()
    return _to_utc(value.replace(tzinfo=None), offset)


def _to_utc(naive, offset):
    """``naive - offset`` as aware UTC, clamped to the representable range."""
    try:
        return (naive - offset).replace(tzinfo=datetime.UTC)
    except OverflowError:
        edge = datetime.datetime.max if offset < datetime.timedelta(0) else datetime.datetime.min
        return edge.replace(tzinfo=datetime.UTC)


def parse(params, resource, kind="list"):
    """A :class:`Query` for ``resource`` from a QueryDict; raises :class:`BadParameter`."""
    model = query_model(resource, kind)
    reject_unknown(params, set(model.model_fields))
    query = Query(lang=parse_lang(params) if kind != "xml" else ALL)
    for param, flt in resource.filters().items():
        values = list_values(params, param)
        if flt.values == "year":
            if not all(v.isdigit() for v in values):
                raise BadParameter(param, _("%(name)s must be a year, e.g. 2024.") % {"name": param})
            values = [int(v) for v in values]
        accepts = allowed(flt.values)
        if any(not (accepts(v) if callable(accepts) else v in accepts) for v in values):
            raise BadParameter(param, _("Unknown value for %(name)s.") % {"name": param})
        if values:
            query.filters[param] = values
    if "updated_since" in params:
        query.updated_since = parse_since(params["updated_since"])
    if kind == "list":
        query.page = parse_int(params, "page", 1, 1, MAX_PAGE)
        query.page_size = parse_int(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return query
