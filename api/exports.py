"""Exports of a whole filtered list, streamed in constant memory: CSV, JSON, and IATI XML for projects.

Objects are read in chunks of ``CHUNK`` (``iterator()`` with the prefetches run
per chunk) and written out as they come, so an export of 100,000 items holds
one chunk at a time.

CSV has a fixed header per resource and language mode, generated from the
list's schema (``api/resources.py``): a nested object becomes dotted columns
(``urls.en``), a list of objects one column per field with the values joined by
``"; "`` in the same order (``organisations.id``, ``organisations.role``…), so
the n-th id goes with the n-th role. The header is written even when nothing
matches. A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
(a spreadsheet formula) is prefixed with ``'``, except plain numbers.
"""

import csv
import io
import json
import re
import typing

from django.http import StreamingHttpResponse
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy
from pydantic import BaseModel

from api import iati
from api.http import EmptyExport
from api.resources import Context, urls_in_languages
from api.schemas import EVERY, SINGLE

CHUNK = 500
CSV_BOM = "\ufeff"  # so spreadsheet programs read Chinese and Cyrillic as UTF-8
LIST_SEPARATOR = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}


# --- CSV columns from the schema ----------------------------------------------------------


def _model_of(annotation):
    """The pydantic model inside ``annotation`` (``X | None``, ``list[X]``), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation):
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))


def _paths(model, prefix=()):
    """``[(column name, path of keys)]`` of a schema, nested objects flattened."""
    out = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        inner = _model_of(info.annotation)
        if inner is not None:
            for column, path in _paths(inner, (*prefix, key)):
                out.append((column, path))
        else:
            out.append((".".join((*prefix, key)), (*prefix, key)))
    return out


def columns(resource, lang_mode):
    """The fixed CSV columns of ``resource``: ``[(header, path)]``."""
    return _paths(resource.schema(detail=False)[lang_mode])


def _pick(value, path):
    """The value at ``path``; through a list, the values of every element (joined later)."""
    if not path:
        return value
    if isinstance(value, list):
        return [_pick(v, path) for v in value]
    if isinstance(value, dict):
        return _pick(value.get(path[0]), path[1:])
    return None


def _flat(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_flat(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def safe_cell(text):
    """Neutralise a spreadsheet formula (OWASP's CSV injection advice); numbers stay numbers."""
    if text.startswith(FORMULA_START) and not NUMBER.match(text):
        return "'" + text
    return text


def csv_rows(items, cols):
    for item in items:
        yield [safe_cell(_flat(_pick(item, path))) for _header, path in cols]


# --- Streams -----------------------------------------------------------------------------------


def chunks(queryset):
    """The whole queryset, ``CHUNK`` objects at a time (prefetches per chunk)."""
    chunk = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def stream_csv(resource, queryset, ctx):
    cols = columns(resource, EVERY if ctx.mode == EVERY else SINGLE)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    buffer.write(CSV_BOM)
    writer.writerow([header for header, _path in cols])
    yield flush()
    for chunk in chunks(queryset):
        writer.writerows(csv_rows(resource.serialize(chunk, ctx), cols))
        yield flush()


def stream_json(resource, queryset, ctx):
    yield f'{{"count": {queryset.count()}, "lang": {json.dumps(ctx.lang)}, "results": ['.encode()
    first = True
    for chunk in chunks(queryset):
        for item in resource.serialize(chunk, ctx):
            yield (b"" if first else b",\n") + json.dumps(item, ensure_ascii=False).encode("utf-8")
            first = False
    yield b"]}\n"


def stream_xml(resource, queryset, ctx, changed_at):
    generated = changed_at
    yield iati.opening(generated)
    for chunk in chunks(iati.prefetch(queryset)):
        urls = urls_in_languages(chunk, ctx, lambda page: page.get_url(request=ctx.request))
        for page in chunk:
            page.api_last_updated = resource.last_updated(page)
            yield iati.activity_bytes(page, urls.get(page.pk, {}), ctx.absolute, generated)
    yield iati.closing()


def stream(resource, queryset, ctx, fmt, changed_at):
    """The streamed answer of one export."""
    if fmt == "xml":
        if not queryset.exists():
            raise EmptyExport()
        body = stream_xml(resource, queryset, Context("all", ctx.request), changed_at)
    elif fmt == "csv":
        body = stream_csv(resource, queryset, ctx)
    else:
        body = stream_json(resource, queryset, ctx)
    return StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])


# --- What the OpenAPI document says about exports ------------------------------------------


def response_schema(fmt):
    """What ninja is told (the real content types come from :func:`openapi_content`)."""
    return None


def openapi_content(resource, fmt):
    if fmt == "csv":
        headers = ", ".join(h for h, _p in columns(resource, SINGLE))
        return {
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": format_lazy(
                        "{}{}", gettext_lazy("Columns (lang=all: texts as name.<code>): "), headers
                    ),
                }
            }
        }
    if fmt == "xml":
        return {"application/xml": {"schema": {"type": "string", "description": "IATI activity XML 2.03"}}}
    return {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["count", "lang", "results"],
                "properties": {
                    "count": {"type": "integer"},
                    "lang": {"type": "string"},
                    "results": {"type": "array", "items": {"type": "object"}},
                },
            }
        }
    }


def openapi_responses(resource, fmt):
    """The export's responses beyond ninja's: the real content type, and for IATI XML what a 404 means."""
    responses = {200: {"content": openapi_content(resource, fmt)}}
    if fmt == "xml":
        responses[404] = {
            "description": gettext_lazy(
                "Nothing to export: no project matches the filters (IATI 2.03 requires at least one "
                "iati-activity, so no empty file is sent). Remove or widen a filter and try again."
            )
        }
    return responses


def summary(resource, fmt):
    names = {"csv": "CSV", "json": "JSON", "xml": "IATI XML 2.03"}
    return format_lazy(gettext_lazy("{label} as {format}"), label=capfirst(resource.label), format=names[fmt])


def description(resource, fmt):
    if fmt == "csv":
        return gettext_lazy(
            "The whole filtered list, streamed: UTF-8 with BOM, a fixed header (also when empty), lists "
            "joined with '; ' in parallel columns, formulas neutralised with a leading apostrophe."
        )
    if fmt == "xml":
        return gettext_lazy(
            "IATI activity XML 2.03, every language: sectors (DAC 5-digit), yearly budgets, "
            "participating-org @ref where known. No matching project: 404 with a message saying so (the 2.03 "
            "schema requires at least one iati-activity)."
        )
    return gettext_lazy("The whole filtered list, streamed, in the list's item shape.")
