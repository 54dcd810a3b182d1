"""``GET /api/search/``: the search as JSON, for partners' systems and the page's script.

Response (issue 4)::

    {"query", "lang", "engine", "total", "page", "page_size",
     "results": [{"id", "external_id", "type", "title", "title_lang", "url", "snippet",
                  "languages", "countries", "themes", "date", "score"}],
     "facets": {"type": [{"value", "label", "count"}], "country": [...], "theme": [...], "year": [...]}}

Bad input is a 400 ``{"error": ..., "parameter": ...}``; nothing the client
sends can produce a 500 (an unexpected failure is logged and answered 503).
"""

import logging

from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from portal import languages
from search.labels import facet_labels
from search.params import BadParameter, parse
from search.query import search, suggest

logger = logging.getLogger(__name__)

API_FACETS = ("type", "country", "theme", "year", languages.CONTENT_LANGUAGE_PARAM)


def error(parameter, message, status=400):
    return JsonResponse({"error": message, "parameter": parameter}, status=status)


def result_json(hit):
    return {
        "id": hit.id,
        "external_id": hit.external_id,
        "type": hit.type,
        "title": hit.title,
        "title_lang": hit.title_lang,
        "url": hit.url,
        "snippet": hit.snippet,
        "languages": hit.languages,
        "countries": hit.countries,
        "themes": hit.themes,
        "date": hit.date,
        "score": hit.score,
    }


def results_json(results):
    req = results.request
    labels = facet_labels(req.lang)
    return {
        "query": req.q,
        "lang": req.lang,
        "engine": results.engine,
        "total": results.total,
        "page": req.page,
        "page_size": req.page_size,
        "results": [result_json(h) for h in results.hits],
        "facets": {
            param: [
                {"value": value, "label": labels[param].get(value, value), "count": count}
                for value, count in results.facets.get(param, [])
            ]
            for param in API_FACETS
        },
    }


def explain_json(results):
    """``explain=1``: the query expansions the search used, for debugging."""
    return {
        "expansions": [
            {
                "text": e.text,
                "lang": e.lang,
                "source": e.source,
                "weight": e.weight,
                "group": getattr(e, "group", ""),
                "terms": e.terms,
            }
            for e in results.expansions
        ]
    }


@require_GET
def search_api(request):
    params = request.GET.copy()
    explain = params.pop("explain", [""])[-1]  # issue 5: which expansions were used
    if explain not in ("", "0", "1"):
        return error("explain", translation.gettext("explain must be 0 or 1."))
    try:
        req, _dropped = parse(params, languages.DEFAULT_LANGUAGE, strict=True)
    except BadParameter as exc:
        return error(exc.parameter, exc.message)
    try:
        with translation.override(req.lang):
            results = search(req)
            body = results_json(results)
            if explain == "1":
                body["explain"] = explain_json(results)
            return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    except Exception:
        logger.exception("search API failed for %r", request.GET.urlencode())
        return error(None, "Search is temporarily unavailable.", status=503)


@require_GET
def suggest_api(request):
    """``GET /api/search/suggest/?q=&lang=``: titles in any language, as the reader types."""
    lang = request.GET.get("lang") or languages.DEFAULT_LANGUAGE
    if lang not in languages.LANGUAGE_CODES:
        return error("lang", "lang must be one of: " + ", ".join(languages.LANGUAGE_CODES))
    q = request.GET.get("q", "")[:100]
    try:
        with translation.override(lang):
            return JsonResponse(
                {"query": q, "suggestions": suggest(q, lang)}, json_dumps_params={"ensure_ascii": False}
            )
    except Exception:
        logger.exception("suggest API failed")
        return error(None, "Suggestions are temporarily unavailable.", status=503)
