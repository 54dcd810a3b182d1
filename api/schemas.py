"""Typed response schemas of the API (pydantic, through django-ninja): they generate the OpenAPI document.

A text comes in two shapes, chosen by ``lang``: one language (``title`` and
``title_lang``, the language actually shown) or every language (``lang=all``:
``title: {"zh-hans": …, "en": …, "ru": …}``). Every schema that holds texts is
therefore built twice by the factories below, named ``<Name>`` and ``<Name>All``;
a list or detail answers with one of the two (``oneOf``).

Only the building blocks live here; each resource declares its own fields
(``api/resources.py``) and :func:`item_schema` assembles them.
"""

import datetime
import functools
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ConfigDict, Field, WithJsonSchema, create_model

from portal import languages

ALL = "all"
SINGLE, EVERY = "single", "all"  # the two shapes of a text
MODES = (SINGLE, EVERY)

Lang = Literal[tuple(languages.LANGUAGE_CODES)]
LangOrAll = Literal[(*languages.LANGUAGE_CODES, ALL)]
Uri = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
Decimal = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["1500000.00"]})
]
Html = Annotated[str, WithJsonSchema({"type": "string", "contentMediaType": "text/html"})]


class Error(Schema):
    """Every error: a message in the reader's language and the parameter at fault, if one is."""

    error: str = Field(description=_("What went wrong and what to do, in the language of Accept-Language."))
    parameter: str | None = Field(description=_("The query parameter at fault, or null."))


class RateLimited(Error):
    retry_after: int = Field(description=_("Seconds to wait before the next request (also in Retry-After)."))


def _field_name(code):
    return languages.field_suffix(code)


@functools.cache
def texts_model(kind_name="str"):
    """``{"zh-hans": …, "en": …, "ru": …}``: one value or null per language (``lang=all``)."""
    kind = {"str": str, "html": Html, "lines": list[str]}[kind_name]
    suffix = {"str": "", "html": "Html", "lines": "Lines"}[kind_name]
    fields = {_field_name(code): (kind | None, Field(alias=code)) for code in languages.LANGUAGE_CODES}
    return create_model(
        f"Texts{suffix}",
        __config__=ConfigDict(populate_by_name=True, serialize_by_alias=True),
        **fields,
    )


def text_fields(name, mode, kind_name="str", description=None):
    """The fields a translated text adds to a schema, in ``mode``."""
    if mode == EVERY:
        return {name: (texts_model(kind_name), Field(description=description))}
    kind = {"str": str, "html": Html, "lines": list[str]}[kind_name]
    return {
        name: (kind | None, Field(description=description)),
        f"{name}_lang": (
            Lang | None,
            Field(
                description=_("The language %(field)s is shown in (null when it has none).") % {"field": name}
            ),
        ),
    }


def model(name, mode, fields):
    """A schema named ``name`` (``nameAll`` for ``lang=all``) with ``fields`` in order."""
    return create_model(
        name if mode == SINGLE else f"{name}All",
        __config__=ConfigDict(serialize_by_alias=True),
        **fields,
    )


@functools.cache
def urls_model():
    fields = {_field_name(code): (Uri | None, Field(alias=code)) for code in languages.LANGUAGE_CODES}
    return create_model(
        "Urls",
        __config__=ConfigDict(populate_by_name=True, serialize_by_alias=True),
        __doc__="The object's page on the portal in each language (null where it has none).",
        **fields,
    )


@functools.cache
def country_ref(mode):
    return model("CountryRef", mode, {"code": (str, ...), **text_fields("name", mode)})


@functools.cache
def theme_ref(mode):
    return model("ThemeRef", mode, {"code": (str, ...), **text_fields("name", mode)})


@functools.cache
def organisation_ref(mode, with_role=False):
    fields = {
        "id": (int, ...),
        "identifier": (str | None, Field(description=_("IATI organisation identifier, if known."))),
        **text_fields("name", mode),
        "country": (str | None, Field(description=_("ISO code of its country."))),
    }
    if with_role:
        fields["role"] = (Literal["funding", "implementing", "partner"], ...)
    return model("ProjectOrganisation" if with_role else "OrganisationRef", mode, fields)


class DocumentRef(Schema):
    title: str
    url: Uri | None
    language: str = Field(description=_("ISO code of the document's language, or mul."))
    file_extension: str


def choice_type(model_class, field_name):
    """``Literal[...]`` of a model field's choice values."""
    values = tuple(value for value, _label in model_class._meta.get_field(field_name).choices)
    return Literal[values]


def python_type(field):
    """The schema type of a plain model field as the API writes it (null when empty)."""
    from django.db import models

    if field.choices:
        return choice_type(field.model, field.name) | None
    if isinstance(field, models.DateTimeField):
        return datetime.datetime | None
    if isinstance(field, models.DateField):
        return datetime.date | None
    if isinstance(field, models.DecimalField):
        return Decimal | None
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int | None
    if isinstance(field, models.URLField):
        return Uri | None
    return str | None


def page_of(item_schemas, name):
    """The envelope of a list page around items of either shape."""
    items = item_schemas[SINGLE] | item_schemas[EVERY]
    return create_model(
        f"{name}Page",
        count=(int, Field(description=_("How many objects match, on all pages."))),
        page=(int, ...),
        page_size=(int, ...),
        num_pages=(int, ...),
        next=(Uri | None, Field(description=_("The next page, or null on the last."))),
        previous=(Uri | None, ...),
        lang=(LangOrAll, ...),
        results=(list[items], ...),
    )


def detail_of(item_schemas, name):
    """A detail: the item with the ``lang`` it was asked in, in either shape."""
    shapes = {}
    for mode in MODES:
        shapes[mode] = create_model(
            f"{name}Detail" if mode == SINGLE else f"{name}DetailAll",
            __base__=item_schemas[mode],
            lang=(LangOrAll, ...),
        )
    return shapes[SINGLE] | shapes[EVERY]


def json_schema_of(annotation: Any) -> dict:
    """The JSON schema of a type (for the docs page)."""
    from pydantic import TypeAdapter

    return TypeAdapter(annotation).json_schema()
