"""``/api/v1/``: lists, details and exports of the portal's content and vocabularies."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, PageLogEntry

from api import exports, iati
from api.http import api_view, dumps, json_response
from api.openapi import openapi_document
from api.params import ALL, parse, parse_lang
from api.resources import Context, PageResource, resources, urls_in_languages
from portal.core.models import Country, Organisation, Theme
from search.params import BadParameter

EXPORT_CHUNK = 500
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}


def get_resource(name):
    found = resources().get(name)
    if found is None:
        raise Http404(name)
    return found


def latest(*values):
    values = [v for v in values if v]
    return max(values) if values else None


def list_changed_at(resource, queryset):
    """When the list last changed: a publication, an unpublish/move/delete, or a taxonomy edit."""
    if isinstance(resource, PageResource):
        ct = ContentType.objects.get_for_model(resource.model)
        taxonomy = ContentType.objects.get_for_models(Country, Theme, Organisation).values()
        return latest(
            queryset.order_by().aggregate(m=Max("last_published_at"))["m"],
            PageLogEntry.objects.filter(content_type=ct).aggregate(m=Max("timestamp"))["m"],
            ModelLogEntry.objects.filter(content_type__in=taxonomy).aggregate(m=Max("timestamp"))["m"],
        )
    ct = ContentType.objects.get_for_model(resource.model)
    return ModelLogEntry.objects.filter(content_type=ct).aggregate(m=Max("timestamp"))["m"]


@api_view
def root(request):
    ctx = Context(languages_default(), request)
    return json_response(
        {
            "version": "v1",
            "openapi": ctx.absolute(reverse("api_v1:openapi")),
            "docs": ctx.absolute(reverse("api_v1:docs")),
            "resources": [
                {
                    "name": name,
                    "label": str(resource.label),
                    "url": ctx.absolute(reverse("api_v1:list", args=(name,))),
                    "exports": [
                        ctx.absolute(reverse("api_v1:export", args=(name, fmt)))
                        for fmt in export_formats(resource)
                    ],
                }
                for name, resource in resources().items()
            ],
        }
    )


def languages_default():
    from portal import languages

    return languages.DEFAULT_LANGUAGE


def export_formats(resource):
    if not isinstance(resource, PageResource):
        return []
    return ["csv", "json", "xml"] if resource.type == "project" else ["csv", "json"]


@api_view
def listing(request, resource):
    res = get_resource(resource)
    query = parse(request.GET, res)
    queryset = res.filtered(query)
    paginator = Paginator(queryset, query.page_size)
    if query.page > paginator.num_pages:
        raise BadParameter(
            "page",
            _("page must be a whole number from %(low)s to %(high)s.")
            % {"low": 1, "high": paginator.num_pages},
        )
    page = paginator.page(query.page)
    objs = list(page.object_list)
    ctx = Context(query.lang, request)

    def link(number):
        params = request.GET.copy()
        params["page"] = str(number)
        return ctx.absolute(f"{request.path}?{params.urlencode()}")

    body = {
        "count": paginator.count,
        "page": query.page,
        "page_size": query.page_size,
        "num_pages": paginator.num_pages,
        "next": link(query.page + 1) if page.has_next() else None,
        "previous": link(query.page - 1) if page.has_previous() else None,
        "lang": query.lang,
        "results": res.serialize(objs, ctx),
    }
    return json_response(body), list_changed_at(res, queryset)


@api_view
def detail(request, resource, key):
    res = get_resource(resource)
    for name in request.GET:
        if name != "lang":
            raise BadParameter(name, _("Unknown parameter: %(name)s.") % {"name": name})
    lang = parse_lang(request.GET)
    obj = res.get(key)
    if obj is None:
        raise Http404(key)
    item = res.serialize([obj], Context(lang, request), detail=True)[0]
    return json_response({"lang": lang, **item}), res.last_updated([obj]).get(obj.pk)


def export_objects(res, queryset):
    """The whole filtered list, in chunks (prefetches run per chunk)."""
    chunk = []
    for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(obj)
        if len(chunk) == EXPORT_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@api_view
def export(request, resource, fmt):
    res = get_resource(resource)
    if fmt not in export_formats(res):
        raise Http404(fmt)
    query = parse(request.GET, res, paged=False)
    if fmt == "xml" and query.lang != ALL and "lang" in request.GET:
        raise BadParameter("lang", _("IATI XML always has every language; leave lang out."))
    queryset = res.filtered(query)
    ctx = Context(query.lang if fmt != "xml" else ALL, request)
    if fmt == "xml":
        queryset = iati.prefetch(queryset)
        pages, urls = [], {}
        for chunk in export_objects(res, queryset):
            urls.update(urls_in_languages(chunk, ctx, lambda page: page.get_url(request=request)))
            pages.extend(chunk)
        content = iati.activities_xml(pages, urls, ctx.absolute)
    else:
        items = []
        for chunk in export_objects(res, queryset):
            items.extend(res.serialize(chunk, ctx))
        if fmt == "csv":
            content = exports.to_csv(items)
        else:
            content = dumps({"count": len(items), "lang": query.lang, "results": items}).encode("utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.now().strftime("%Y%m%d")
    suffix = "iati.xml" if fmt == "xml" else fmt
    response["Content-Disposition"] = f'attachment; filename="{res.name}-{stamp}.{suffix}"'
    return response, list_changed_at(res, queryset)


@api_view
def openapi_json(request):
    return json_response(openapi_document(request))


def docs(request):
    """The API's documentation, rendered on the server from the OpenAPI document (no scripts, no CDN)."""
    return api_view(lambda req: render(req, "api/docs.html", {"spec": openapi_document(req)}))(request)
