"""The partners' API on django-ninja: ``/api/v1/…`` and ``/api/search/`` in one OpenAPI document.

Operations are registered per resource from its declaration (``api/resources.py``):
a list, a detail and its exports, each with typed query parameters
(``api/params.py``) and response schemas (``api/schemas.py``), so the OpenAPI
document at ``/api/v1/openapi.json`` is generated, not written. Each operation
answers conditional GETs through Django's ``condition()`` with validators
computed from the data's last change (``Resource.changed_at``), before the
body is built. Errors are ``{"error", "parameter"}`` (400, 404, 405, 429).
"""

import hashlib
import inspect
import logging
from typing import Annotated

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition
from ninja import NinjaAPI, Path, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import Field

from api import changes, exports, params, schemas, search_endpoint
from api.http import EmptyExport, PageNotFound, empty_export_message, error, etag_of
from api.resources import MAX_KEY, Context, body_key, cached_changed_at, changes_and_body, resources
from portal.core import freshness
from search.params import BadParameter

logger = logging.getLogger(__name__)

DESCRIPTION = gettext_lazy(
    "Read-only API of the SCO environmental cooperation portal: projects, training programmes, policy "
    "documents, news and the vocabularies, in Chinese, English and Russian. Only GET and HEAD: other "
    "methods answer 405. Conditional GET (ETag, Last-Modified), CORS for every origin, gzip, and a rate "
    "limit per client address (429 with Retry-After). Delta sync: updated_since on every list and "
    "/api/v1/changes/ for what was removed."
)


HEADER_DOCS = {
    "ETag": gettext_lazy("Validator of this answer: send it back in If-None-Match for a 304."),
    "Last-Modified": gettext_lazy("When the data behind this answer last changed."),
    "X-RateLimit-Limit": gettext_lazy("Requests allowed per window."),
    "X-RateLimit-Remaining": gettext_lazy("Requests left in this window."),
}


class PortalAPI(NinjaAPI):
    """NinjaAPI whose document also states what every operation shares: 304, headers, 429."""

    def get_openapi_operation_id(self, operation):
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        spec = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in spec["paths"].values():
            for operation in item.values():
                operation["responses"] = merged_by_code(operation["responses"])
                document_shared_responses(operation["responses"])
        return spec

    def create_response(self, request, data, *, status=None, temporal_response=None):
        """ninja's JSON answer, kept as rendered when the view asked (``resources.changes_and_body``)."""
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        keep = getattr(request, "_api_keep_body", None)
        if keep is not None and response.status_code == 200:
            key, counter, seconds = keep
            freshness.store(key, response.content, counter, seconds)
        return response


def merged_by_code(responses):
    """ninja keys responses by int, ``openapi_extra`` by string: one entry per code, merged."""
    out = {}
    for code, response in responses.items():
        target = out.setdefault(str(code), {})
        for key, value in response.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **value}
            else:
                target[key] = value
    return out


def document_shared_responses(responses):
    string = {"schema": {"type": "string"}}
    headers = {name: {"description": str(text), **string} for name, text in HEADER_DOCS.items()}
    if "200" in responses:
        responses["200"].setdefault("headers", {}).update(headers)
        responses["304"] = {
            "description": str(
                gettext_lazy("Not modified: your copy (If-None-Match / If-Modified-Since) is current.")
            ),
            "headers": {"ETag": headers["ETag"]},
        }
    if "429" in responses:
        responses["429"].setdefault("headers", {})["Retry-After"] = {
            "description": str(gettext_lazy("Seconds to wait.")),
            "schema": {"type": "integer"},
        }


api = PortalAPI(
    title=gettext_lazy("SCO environmental cooperation portal API"),
    version="1",
    description=DESCRIPTION,
    urls_namespace="api_v1",
    openapi_url="/v1/openapi.json",
    docs_url=None,
)

COMMON_ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.RateLimited}


# --- Errors ----------------------------------------------------------------------------------


@api.exception_handler(BadParameter)
def bad_parameter(request, exc):
    return error(exc.parameter, exc.message)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """ninja's validation of path and query against the schema: 404 for a path, 400 naming the parameter."""
    first = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    if loc and loc[0] == "path":
        return error(None, _("Not found."), status=404)
    names = [part for part in loc[1:] if part != "query"]  # ("query", <argument>, <parameter>, …)
    name = names[0] if names else None
    return error(name, _("Unusable value for %(name)s: see the API's documentation.") % {"name": name})


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(None, _("Not found."), status=404)


@api.exception_handler(Exception)
def failed(request, exc):
    logger.exception("API failed for %s", request.get_full_path())
    return error(None, _("Internal error; it has been logged."), status=500)


@api.exception_handler(PageNotFound)
def page_not_found(request, exc):
    message = _("There is no page %(page)s: the last is %(last)s.") % {"page": exc.page, "last": exc.last}
    return error("page", message, status=404)


@api.exception_handler(EmptyExport)
def empty_export(request, exc):
    return error(None, empty_export_message(), status=404)


# --- Conditional GET ----------------------------------------------------------------------


def conditional(changed_at):
    """Django's ``condition()`` with ETag and Last-Modified from ``changed_at(request, **path)``."""

    def last_modified(request, **kwargs):
        return _changed(request, changed_at, kwargs)

    def etag(request, **kwargs):
        return etag_of(request, _changed(request, changed_at, kwargs))

    return decorate_view(condition(etag_func=etag, last_modified_func=last_modified))


def _changed(request, changed_at, kwargs):
    """Computed once per request, shared by both validators."""
    if not hasattr(request, "_api_changed_at"):
        value = changed_at(request, **kwargs)
        request._api_changed_at = value.replace(microsecond=0) if value else None
    return request._api_changed_at


# --- Operations per resource -------------------------------------------------------------------


def _with_signature(func, **annotations):
    """Give a generated view the typed parameters ninja reads (and documents)."""
    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for name, annotation in annotations.items():
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation))
    func.__signature__ = inspect.Signature(parameters)
    return func


def _absolute_link(request, ctx, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return ctx.absolute(f"{request.path}?{query.urlencode()}")


def _count_key(resource, parsed):
    """The count of a filtered list, cached like :func:`changed_at` (paging and language do not change it)."""
    filters = sorted((param, sorted(map(str, values))) for param, values in parsed.filters.items())
    raw = repr((filters, parsed.updated_since.isoformat() if parsed.updated_since else None))
    return f"portal:api:count:{resource.name}:{hashlib.sha1(raw.encode()).hexdigest()}"


def register_list(resource):
    model = params.query_model(resource, "list")
    items = resource.schema(detail=False)

    def state(request):
        return changes_and_body(request, [resource], body_key(f"body:{resource.name}", request))

    def view(request, query):
        _changed_at, body, keep = state(request)
        if body is not None:
            return HttpResponse(body, content_type=api.get_content_type())
        parsed = params.parse(request.GET, resource, "list")
        request._api_keep_body = keep  # PortalAPI.create_response keeps what ninja renders
        return build(request, parsed)

    def build(request, parsed):
        queryset = resource.filtered(parsed)
        count = freshness.remember(_count_key(resource, parsed), queryset.count)
        num_pages = max(1, -(-count // parsed.page_size))
        if parsed.page > num_pages:
            raise PageNotFound(parsed.page, num_pages)
        start = (parsed.page - 1) * parsed.page_size
        objs = list(queryset[start : start + parsed.page_size])
        ctx = Context(parsed.lang, request)
        return {
            "count": count,
            "page": parsed.page,
            "page_size": parsed.page_size,
            "num_pages": num_pages,
            "next": _absolute_link(request, ctx, parsed.page + 1) if parsed.page < num_pages else None,
            "previous": _absolute_link(request, ctx, parsed.page - 1) if parsed.page > 1 else None,
            "lang": parsed.lang,
            "results": resource.serialize(objs, ctx),
        }

    view.__name__ = f"list_{resource.name}"
    view = _with_signature(view, query=Query[model])
    view = conditional(lambda request: state(request)[0])(view)
    api.get(
        f"/v1/{resource.name}/",
        response={200: schemas.page_of(items, resource.model.__name__.replace("Page", "")), **COMMON_ERRORS},
        summary=capfirst(resource.label),  # lazy: the docs page shows it in the reader's language
        description=_page_description(),
        tags=[resource.name],
        url_name=f"list_{resource.name}",
        by_alias=True,
    )(view)


def _page_description():
    return gettext_lazy(
        "Newest first by the list's date, then by id (stable paging). A page past the last answers 404 "
        "naming page. Filters: repeat one for any of several values."
    )


def register_detail(resource):
    detail = schemas.detail_of(resource.schema(detail=True), resource.model.__name__.replace("Page", ""))
    if resource.key_kind == "integer":
        key_type = Path(..., ge=1, le=MAX_KEY, description=gettext_lazy("The object's id."))
        key_annotation = int
    else:
        key_type = Path(
            ..., pattern=resource.key_pattern, max_length=100, description=gettext_lazy("The object's code.")
        )
        key_annotation = str

    def view(request, key, query):
        params.reject_unknown(request.GET, {"lang"})
        lang = params.parse_lang(request.GET)
        obj = _object(request, key)
        if obj is None:
            raise Http404(key)
        item = resource.serialize([obj], Context(lang, request), detail=True)[0]
        return {**item, "lang": lang}

    def _object(request, key):
        """Read once per request: the validators and the body need the same object."""
        if not hasattr(request, "_api_object"):
            request._api_object = resource.get(key)
        return request._api_object

    def changed_at(request, key):
        obj = _object(request, key)
        return resource.last_updated(obj) if obj is not None else None

    class LangOnly(Schema):
        lang: schemas.LangOrAll = Field(
            schemas.languages.DEFAULT_LANGUAGE, description=params.LANG_DESCRIPTION
        )

    view.__name__ = f"get_{resource.name}"
    view = _with_signature(view, key=Annotated[key_annotation, key_type], query=Query[LangOnly])
    view = conditional(changed_at)(view)
    api.get(
        f"/v1/{resource.name}/{{key}}/",
        response={200: detail, **COMMON_ERRORS},
        summary=format_lazy(gettext_lazy("One of {label}"), label=resource.label),
        tags=[resource.name],
        url_name=f"detail_{resource.name}",
        by_alias=True,
    )(view)


def register_export(resource, fmt):
    kind = "xml" if fmt == "xml" else "export"
    model = params.query_model(resource, kind)

    def view(request, query):
        parsed = params.parse(request.GET, resource, kind)
        queryset = resource.filtered(parsed)
        ctx = Context(parsed.lang, request)
        response = exports.stream(resource, queryset, ctx, fmt, _changed(request, None, {}))
        stamp = timezone.now().strftime("%Y%m%d")
        suffix = "iati.xml" if fmt == "xml" else fmt
        response["Content-Disposition"] = f'attachment; filename="{resource.name}-{stamp}.{suffix}"'
        return response

    view.__name__ = f"export_{resource.name}_{fmt}"
    view = _with_signature(view, query=Query[model])
    view = conditional(lambda request: cached_changed_at(resource))(view)
    api.get(
        f"/v1/{resource.name}/export.{fmt}",
        response={200: exports.response_schema(fmt), **COMMON_ERRORS},
        openapi_extra={"responses": exports.openapi_responses(resource, fmt)},
        summary=exports.summary(resource, fmt),
        description=exports.description(resource, fmt),
        tags=[resource.name],
        url_name=f"export_{resource.name}_{fmt}",
    )(view)


# --- Root, changes --------------------------------------------------------------------------


class ResourceLink(Schema):
    name: str
    label: str
    url: schemas.Uri
    exports: list[schemas.Uri]


class Root(Schema):
    version: str
    openapi: schemas.Uri
    docs: schemas.Uri
    changes: schemas.Uri
    resources: list[ResourceLink]


@api.get(
    "/v1/",
    response={200: Root, **COMMON_ERRORS},
    summary=gettext_lazy("What the API offers"),
    tags=["api"],
    url_name="root",
)
def root(request):
    params.reject_unknown(request.GET, set())
    ctx = Context(schemas.languages.DEFAULT_LANGUAGE, request)
    return {
        "version": "v1",
        "openapi": ctx.absolute(reverse("api_v1:openapi-json")),
        "docs": ctx.absolute(reverse("api_docs")),
        "changes": ctx.absolute(reverse("api_v1:changes")),
        "resources": [
            {
                "name": name,
                "label": str(resource.label),
                "url": ctx.absolute(reverse(f"api_v1:list_{name}")),
                "exports": [ctx.absolute(reverse(f"api_v1:export_{name}_{fmt}")) for fmt in resource.exports],
            }
            for name, resource in resources().items()
        ],
    }


changes.register(api, COMMON_ERRORS, conditional)


def register_all():
    for resource in resources().values():
        register_list(resource)
        for fmt in resource.exports:
            register_export(resource, fmt)
        register_detail(resource)


register_all()

search_endpoint.register(api, COMMON_ERRORS, conditional)  # /api/search/ on the same API
