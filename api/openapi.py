"""The OpenAPI 3.1 document of ``/api/v1/``, built from the same declarations the views use.

Parameters come from each resource's ``filters()``; item schemas from the
content types' declarations (``translated_fields``, ``import_fields``) and the
extras below, so the document follows the models. ``tests/test_api_v1*.py``
check every response against it.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from api.params import DEFAULT_PAGE_SIZE, LANG_VALUES, MAX_PAGE_SIZE
from api.resources import PageResource, is_rich, resources
from portal import languages
from portal.core.models import Country, Theme

NULLABLE_STRING = {"type": ["string", "null"]}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def array(items):
    return {"type": "array", "items": items}


def nullable(schema):
    return {"oneOf": [schema, {"type": "null"}]}


def field_schema(field):
    if isinstance(field, models.DateTimeField):
        schema = {"type": ["string", "null"], "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": ["string", "null"], "format": "date"}
    elif isinstance(field, models.DecimalField):
        schema = {"type": ["string", "null"], "format": "decimal"}
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": ["integer", "null"]}
    elif isinstance(field, models.URLField):
        schema = {"type": "string", "format": "uri"}
    else:
        schema = {"type": ["string", "null"]}
    if field.choices:
        schema["enum"] = [value for value, _label in field.choices] + ([""] if field.blank else [])
    schema["description"] = str(field.verbose_name)
    return schema


def text_properties(name, description, list_valued=False):
    return {
        name: ref("TextList" if list_valued else "Text") | {"description": str(description)},
        f"{name}_lang": ref("TextLang"),
    }


TERM = {
    "type": "object",
    "properties": {"code": {"type": "string"}, **text_properties("name", _("name"))},
    "required": ["code", "name"],
}
ORG = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        **text_properties("name", _("name")),
        "country": NULLABLE_STRING,
    },
    "required": ["id", "name", "country"],
}
DOCUMENT = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "language": {"type": "string"},
        "file_extension": {"type": "string"},
    },
    "required": ["title", "url", "language"],
}

# Per content type (api_name), as resources.EXTRAS: (properties in lists and details,
# properties in details only).
EXTRA_SCHEMAS = {
    "projects": (
        {
            "organisations": array(
                {
                    **ORG,
                    "properties": {
                        **ORG["properties"],
                        "role": {"type": "string", "enum": ["funding", "implementing", "partner"]},
                    },
                }
            )
        },
        {
            "documents": array(DOCUMENT),
            "policy_documents": array({"type": "integer"}),
            "trainings": array({"type": "integer"}),
        },
    ),
    "trainings": (
        {"series": nullable(TERM), "organisers": array(ORG)},
        {
            "sessions": array({"type": "object"}),
            "participants": array(
                {
                    "type": "object",
                    "properties": {"country": {"type": "string"}, "count": {"type": "integer"}},
                }
            ),
            "materials": array(DOCUMENT),
            "projects": array({"type": "integer"}),
        },
    ),
    "policies": (
        {"jurisdiction": NULLABLE_STRING, "issuing_organisation": nullable(ORG)},
        {
            "attachments": array(DOCUMENT),
            "relations": array(
                {
                    "type": "object",
                    "properties": {"relation": {"type": "string"}, "target": {"type": "integer"}},
                }
            ),
        },
    ),
}


def common_properties():
    return {
        "urls": {
            "type": "object",
            "description": _("The object's page on the site in each language (empty when it has none)."),
            "properties": {
                code: {"type": ["string", "null"], "format": "uri"} for code in languages.LANGUAGE_CODES
            },
        },
        "api_url": {"type": "string", "format": "uri"},
        "last_updated": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": _(
                "When it was last published (pages) or last edited in the admin (vocabularies)."
            ),
        },
    }


def page_item_schema(res, detail):
    model = res.model
    props = {
        "id": {"type": "integer"},
        "external_id": {
            "type": ["string", "null"],
            "description": _("Stable identifier used by imports and partners' systems."),
        },
        "type": {"type": "string", "enum": [res.type]},
    }
    for name in res.text_fields(detail):
        props.update(text_properties(name, model._meta.get_field(name).verbose_name))
        if name == "body" or is_rich(model._meta.get_field(name)):
            props[name]["description"] += " (HTML)"
    for name in res.plain_fields():
        props[name] = field_schema(model._meta.get_field(name))
    props["countries"] = array(TERM)
    props["themes"] = array(TERM)
    in_list, in_detail = EXTRA_SCHEMAS.get(res.name, ({}, {}))
    props.update(in_list)
    if detail:
        props.update(in_detail)
    props["languages"] = array({"type": "string", "enum": languages.LANGUAGE_CODES})
    props.update(common_properties())
    props["first_published"] = {"type": ["string", "null"], "format": "date-time"}
    required = [k for k in props if not k.endswith("_lang")]
    return {"type": "object", "properties": props, "required": required}


SNIPPET_EXTRA = {
    "countries": {},
    "themes": {"code": {"type": "string"}},
    "organisations": {"country": NULLABLE_STRING},
    "concepts": {"broader": NULLABLE_STRING, "themes": array({"type": "string"})},
}


def snippet_item_schema(res):
    model = res.model
    props = {"id": {"type": "integer"}, "external_id": {"type": "string"}}
    for name in res.text_names:
        props.update(text_properties(name, model._meta.get_field(name).verbose_name))
    for name in res.list_text_names:
        props.update(text_properties(name, model._meta.get_field(name).verbose_name, list_valued=True))
    for name in res.plain_names:
        props[name] = field_schema(model._meta.get_field(name))
    props.update(SNIPPET_EXTRA.get(res.name, {}))
    props.update(common_properties())
    required = [k for k in props if not k.endswith("_lang")]
    return {"type": "object", "properties": props, "required": required}


def item_schema(res, detail=False):
    return page_item_schema(res, detail) if isinstance(res, PageResource) else snippet_item_schema(res)


def schema_name(res, detail=False):
    base = "".join(part.capitalize() for part in res.name.split("_"))
    return f"{base}Detail" if detail else f"{base}Item"


def parameter(name, description, schema, location="query", required=False):
    return {
        "name": name,
        "in": location,
        "required": required,
        "description": str(description),
        "schema": schema,
    }


def lang_parameter(allow_all=True):
    return parameter(
        "lang",
        _(
            "Language of the texts: zh-hans, en or ru (a text missing in it comes in the first fallback "
            "language, named in <field>_lang), or all for every translation."
        ),
        {
            "type": "string",
            "enum": LANG_VALUES if allow_all else languages.LANGUAGE_CODES,
            "default": languages.DEFAULT_LANGUAGE,
        },
    )


def filter_parameters(res):
    params = []
    for name, (_lookup, description) in res.filters().items():
        schema = {"type": "string"}
        if name == "country":
            schema["enum"] = list(Country.objects.order_by("code").values_list("code", flat=True))
        elif name == "theme":
            schema["enum"] = list(Theme.objects.order_by("slug").values_list("slug", flat=True))
        elif name == "year":
            schema["pattern"] = "^[0-9]{4}$"
        elif name != "external_id":
            values = res.allowed_values(name)
            if not callable(values):
                schema["enum"] = sorted(values)
        params.append(
            parameter(name, description, array(schema) | {"description": str(description)})
            | {"explode": True}
        )
    params.append(
        parameter(
            "updated_since",
            _(
                "Only objects updated at or after this ISO 8601 date or date-time "
                "(UTC unless it says otherwise)."
            ),
            {"type": "string", "format": "date-time"},
        )
    )
    return params


def responses(success, description):
    return {
        "200": {"description": str(description), "content": success},
        "304": {
            "description": _("Not modified since the ETag (If-None-Match) or date (If-Modified-Since) given.")
        },
        "400": {
            "description": _("Bad parameter (named in the body)."),
            "content": json_content(ref("Error")),
        },
        "404": {"description": _("Not found."), "content": json_content(ref("Error"))},
        "429": {
            "description": _("Too many requests; retry after the Retry-After header's seconds."),
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": json_content(ref("Error")),
        },
    }


def json_content(schema):
    return {"application/json": {"schema": schema}}


def openapi_document(request):
    base = reverse("api_v1:root")
    paths, schemas = (
        {},
        {
            "Text": {
                "description": _(
                    "A text in the requested language (or null), "
                    "or with lang=all an object {language: text or null}."
                ),
                "oneOf": [
                    {"type": ["string", "null"]},
                    {"type": "object", "properties": {c: NULLABLE_STRING for c in languages.LANGUAGE_CODES}},
                ],
            },
            "TextList": {
                "oneOf": [
                    {"type": ["array", "null"], "items": {"type": "string"}},
                    {
                        "type": "object",
                        "properties": {
                            c: {"type": ["array", "null"], "items": {"type": "string"}}
                            for c in languages.LANGUAGE_CODES
                        },
                    },
                ]
            },
            "TextLang": {
                "description": _(
                    "The language the text is in: the requested one or a fallback (absent with lang=all)."
                ),
                "type": ["string", "null"],
                "enum": [*languages.LANGUAGE_CODES, None],
            },
            "Error": {
                "type": "object",
                "properties": {
                    "error": {"type": "string"},
                    "parameter": {"type": ["string", "null"]},
                    "retry_after": {"type": "integer"},
                },
                "required": ["error", "parameter"],
            },
        },
    )
    for name, res in resources().items():
        item, item_detail = schema_name(res), schema_name(res, detail=True)
        schemas[item] = item_schema(res)
        schemas[item_detail] = item_schema(res, detail=True)
        schemas[f"{item}List"] = {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "num_pages": {"type": "integer"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "lang": {"type": "string", "enum": LANG_VALUES},
                "results": array(ref(item)),
            },
            "required": ["count", "page", "page_size", "num_pages", "next", "previous", "lang", "results"],
        }
        label = str(res.label)
        paths[f"{base}{name}/"] = {
            "get": {
                "operationId": f"list_{name}",
                "summary": _("List of %(label)s") % {"label": label},
                "description": _(
                    "Ordered newest first (by date, then id) for content, by code or name for vocabularies; "
                    "the order is stable across pages."
                ),
                "parameters": [
                    lang_parameter(),
                    *filter_parameters(res),
                    parameter(
                        "page", _("Page number, from 1."), {"type": "integer", "minimum": 1, "default": 1}
                    ),
                    parameter(
                        "page_size",
                        _("Items per page."),
                        {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PAGE_SIZE,
                            "default": DEFAULT_PAGE_SIZE,
                        },
                    ),
                ],
                "responses": responses(json_content(ref(f"{item}List")), _("A page of the list.")),
            }
        }
        paths[f"{base}{name}/{{key}}/"] = {
            "get": {
                "operationId": f"get_{name}",
                "summary": _("One of the %(label)s") % {"label": label},
                "parameters": [
                    parameter(
                        "key",
                        _("id (content, organisations), code (countries, themes) or identifier (concepts)."),
                        {"type": res.key_type},
                        location="path",
                        required=True,
                    ),
                    lang_parameter(),
                ],
                "responses": responses(json_content(ref(item_detail)), _("The object, with its relations.")),
            }
        }
        if isinstance(res, PageResource):
            formats = ["csv", "json", "xml"] if res.type == "project" else ["csv", "json"]
            for fmt in formats:
                content = {
                    "csv": {"text/csv": {"schema": {"type": "string"}}},
                    "json": json_content(
                        {
                            "type": "object",
                            "properties": {
                                "count": {"type": "integer"},
                                "lang": {"type": "string"},
                                "results": array(ref(item)),
                            },
                        }
                    ),
                    "xml": {
                        "application/xml": {
                            "schema": {"type": "string", "description": "IATI activity XML 2.03"}
                        }
                    },
                }[fmt]
                paths[f"{base}{name}/export.{fmt}"] = {
                    "get": {
                        "operationId": f"export_{name}_{fmt}",
                        "summary": {
                            "csv": _("%(label)s as CSV (UTF-8 with BOM), every filtered item"),
                            "json": _("%(label)s as JSON, every filtered item"),
                            "xml": _("%(label)s as IATI activity XML 2.03 (every language)"),
                        }[fmt]
                        % {"label": label},
                        "parameters": [lang_parameter(), *filter_parameters(res)],
                        "responses": responses(content, _("The export, as a file.")),
                    }
                }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("SCO environmental cooperation portal: API for partners"),
            "version": "1.0.0",
            "description": _(
                "Read-only API of the portal's projects, trainings, policy documents, news and vocabularies, "
                "in Chinese, English and Russian. Conditional GET (ETag, Last-Modified), CORS open for GET, "
                "a per-client rate limit (429 with Retry-After); "
                "bad parameters give 400 naming the parameter."
            ),
        },
        "servers": [{"url": request.build_absolute_uri("/")}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
