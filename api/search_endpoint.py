"""``GET /api/search/`` and ``/api/search/suggest/`` on the API: same schema document, CORS, rate limit, 304.

The URL and the response shape are those partners used before (issue 4)::

    {"query", "lang", "engine", "total", "complete", "page", "page_size",
     "results": [{"id", "external_id", "type", "title", "title_lang", "url", "snippet",
                  "languages", "countries", "themes", "date", "score"}],
     "facets": {"type": [{"value", "label", "count"}], "country": [...], "theme": [...], "year": [...]}}

Parameters follow the same rules as ``/api/v1/``: country and theme codes
exactly as the lists give them, a page past the results is a 404 naming page.
The query is analysed in one language, ``lang``; with ``lang=all`` (as on
``/api/v1/`` lists) it is analysed in the portal's default language and each
hit carries its title, snippet and url in every language (``HitAll``).
"""

import logging
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Schema
from pydantic import Field

from api import params, schemas
from api.http import PageNotFound
from api.resources import body_key, changes_and_body, resources
from portal import languages
from search.labels import facet_labels
from search.params import allowed_values, parse
from search.query import MAX_PAGE_SIZE, MAX_RESULT_WINDOW, SORTS, search, suggest

logger = logging.getLogger(__name__)

API_FACETS = ("type", "country", "theme", "year", languages.CONTENT_LANGUAGE_PARAM)


class Facet(Schema):
    value: str
    label: str
    count: int


class Facets(Schema):
    type: list[Facet]
    country: list[Facet]
    theme: list[Facet]
    year: list[Facet]
    language: list[Facet] = Field(description=gettext_lazy("Language of content: items per language."))


def hit_schema(mode):
    """One result, in one language (``Hit``) or every language (``HitAll``, ``lang=all``).

    The texts take the shapes ``/api/v1/`` uses (:func:`api.schemas.text_fields`,
    :func:`api.schemas.texts_model`): ``{"zh-hans": …, "en": …, "ru": …}`` for ``lang=all``.
    """
    every = mode == schemas.EVERY
    url_description = gettext_lazy("The item's page, in the reader's language where it has one.")
    snippet = Field(description=gettext_lazy("Escaped HTML with <mark> around the matched words."))
    return schemas.model(
        "Hit",
        mode,
        {
            "id": (int, ...),
            "external_id": (str | None, ...),
            "type": (str, ...),
            **schemas.text_fields("title", mode),
            "url": (schemas.texts_model() if every else str | None, Field(description=url_description)),
            "snippet": (schemas.texts_model("html") if every else str, snippet),
            "languages": (list[str], ...),
            "countries": (list[str], ...),
            "themes": (list[str], ...),
            "date": (str | None, ...),
            "score": (float | None, ...),
        },
    )


HITS = {mode: hit_schema(mode) for mode in schemas.MODES}


class Expansion(Schema):
    text: str
    lang: str
    source: str
    weight: float
    group: str
    terms: list[str]


class Explain(Schema):
    expansions: list[Expansion]


class SearchResults(Schema):
    query: str
    lang: schemas.LangOrAll
    engine: str = Field(
        description=gettext_lazy("elasticsearch, or database while the engine is unreachable.")
    )
    total: int
    complete: bool = Field(
        True,
        description=gettext_lazy(
            "false when the database search ran out of time before looking through every item: "
            "more items may match than total says."
        ),
    )
    page: int
    page_size: int
    results: list[HITS[schemas.SINGLE] | HITS[schemas.EVERY]]
    facets: Facets
    explain: Explain | None = None


class Suggestion(Schema):
    id: int
    title: str
    url: str | None


class Suggestions(Schema):
    query: str
    suggestions: list[Suggestion]


def _enum(kind):
    def extra(schema):
        schema.get("items", schema)["enum"] = sorted(str(v) for v in allowed_values(kind))

    return extra


class SearchParams(Schema):
    q: str = Field("", max_length=500, description=gettext_lazy("The words to find, in any language."))
    lang: schemas.LangOrAll = Field(
        languages.DEFAULT_LANGUAGE,
        description=format_lazy(
            gettext_lazy(
                "The reader's language: results are shown in it and the query is analysed in it. "
                "all: every result's title, snippet and url in every language (as /api/v1/ lists), "
                "the query analysed and facets labelled in the portal's default language, {default}."
            ),
            default=languages.DEFAULT_LANGUAGE,
        ),
    )
    type: list[str] = Field(None, json_schema_extra=_enum("type"))
    country: list[str] = Field(None, json_schema_extra=_enum("country"))
    theme: list[str] = Field(None, json_schema_extra=_enum("theme"))
    year: list[int] = Field(None, json_schema_extra=params._year_items)
    status: list[str] = Field(None, json_schema_extra=_enum("status"))
    language: list[schemas.Lang] = Field(
        None, description=gettext_lazy("Only items written in these languages.")
    )
    sort: Literal[SORTS] = "relevance"
    page: int = Field(1, ge=1, le=MAX_RESULT_WINDOW)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    explain: Literal["0", "1"] = Field("0", description=gettext_lazy("1: list the query expansions used."))


class SuggestParams(Schema):
    q: str = Field("", max_length=100)
    lang: schemas.Lang = languages.DEFAULT_LANGUAGE


def result_json(hit, every=False):
    """One hit in the reader's language, or (``every``) its texts in every language it has."""
    if every:
        codes = languages.LANGUAGE_CODES
        texts = {
            "title": {c: hit.texts.get(c, {}).get("title") for c in codes},
            "url": {c: hit.urls.get(c) or None for c in codes},
            "snippet": {c: hit.texts.get(c, {}).get("snippet") for c in codes},
        }
    else:
        texts = {
            "title": hit.title,
            "title_lang": hit.title_lang or None,
            "url": hit.url or None,
            "snippet": hit.snippet or "",
        }
    return {
        "id": hit.id,
        "external_id": hit.external_id or None,
        "type": hit.type,
        **texts,
        "languages": hit.languages,
        "countries": hit.countries,
        "themes": hit.themes,
        "date": hit.date or None,
        "score": hit.score,
    }


def results_json(results, every=False):
    req = results.request
    labels = facet_labels(req.lang)
    return {
        "query": req.q,
        "lang": schemas.ALL if every else req.lang,
        "engine": results.engine,
        "total": results.total,
        "complete": results.complete,
        "page": req.page,
        "page_size": req.page_size,
        "results": [result_json(h, every) for h in results.hits],
        "facets": {
            param: [
                {"value": str(value), "label": str(labels[param].get(value, value)), "count": count}
                for value, count in results.facets.get(param, [])
            ]
            for param in API_FACETS
        },
    }


def explain_json(results):
    return {
        "expansions": [
            {
                "text": e.text,
                "lang": e.lang,
                "source": e.source,
                "weight": e.weight,
                "group": getattr(e, "group", ""),
                "terms": list(e.terms),
            }
            for e in results.expansions
        ]
    }


def changes_and_answer(request):
    """The latest change of anything searchable (the search answers 304 until then) and this
    search's answer as rendered, if kept: one cache read (``resources.changes_and_body``)."""
    searchable = [r for r in resources().values() if hasattr(r, "date_field")]
    return changes_and_body(request, searchable, body_key("search", request))


def content_changed_at(request):
    return changes_and_answer(request)[0]


def register(api, errors, conditional):
    @api.get(
        "/search/",
        response={200: SearchResults, 503: schemas.Error, **errors},
        summary=gettext_lazy("Search every content type across languages"),
        tags=["search"],
        url_name="search",
        by_alias=True,  # lang=all texts keyed by language code, as on /api/v1/
        exclude_unset=True,  # explain only when asked for
    )
    @conditional(content_changed_at)
    def search_api(request, query: Query[SearchParams]):
        get = request.GET.copy()
        explain = get.pop("explain", ["0"])[-1]
        params.reject_unknown(request.GET, {*SearchParams.model_fields})
        page = params.parse_int(get, "page", 1, 1, MAX_RESULT_WINDOW)
        size = params.parse_int(get, "page_size", 20, 1, MAX_PAGE_SIZE)
        if page * size > MAX_RESULT_WINDOW:
            raise PageNotFound(page, MAX_RESULT_WINDOW // size)
        every = get.get("lang") == schemas.ALL
        if every:  # analysed in the default language, shown in all
            get.pop("lang")
        req, _dropped = parse(get, languages.DEFAULT_LANGUAGE, strict=True)
        _changed_at, kept, keep = changes_and_answer(request)
        if kept is not None:
            return HttpResponse(kept, content_type=api.get_content_type())
        try:
            with translation.override(req.lang):
                results = search(req)
                body = results_json(results, every)
                if explain == "1":
                    body["explain"] = explain_json(results)
        except Exception:
            logger.exception("search API failed for %r", request.GET.urlencode())
            return 503, {"error": _("Search is temporarily unavailable."), "parameter": None}
        if keep is not None:  # kept as long as the search page is (the index catches up within seconds)
            key, counter, seconds = keep
            request._api_keep_body = (key, counter, min(seconds, settings.PAGE_CACHE_SEARCH_SECONDS))
        return body

    @api.get(
        "/search/suggest/",
        response={200: Suggestions, 503: schemas.Error, **errors},
        summary=gettext_lazy("Titles in any language, as the reader types"),
        tags=["search"],
        url_name="search_suggest",
    )
    def suggest_api(request, query: Query[SuggestParams]):
        params.reject_unknown(request.GET, {"q", "lang"})
        lang = params.parse_lang(request.GET, allow_all=False)
        q = request.GET.get("q", "")[:100]
        try:
            with translation.override(lang):
                found = suggest(q, lang)
                return {"query": q, "suggestions": [{**s, "url": s.get("url") or None} for s in found]}
        except Exception:
            logger.exception("suggest API failed")
            return 503, {"error": _("Suggestions are temporarily unavailable."), "parameter": None}
