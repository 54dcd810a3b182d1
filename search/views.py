"""The search page: ``/<lang>/search/?q=…`` in the site's design.

Same parser and query layer as the API; lenient with stale links (drops
unknown filters and says so). Every URL is shareable: the state is the query
string.
"""

from django.shortcuts import render
from django.utils import translation
from django.utils.http import urlencode

from portal import languages
from search.labels import facet_labels
from search.params import parse
from search.query import FACETS, search


def _url_with(params, **changes):
    """The current query string with some parameters replaced (None removes)."""
    merged = {k: params.getlist(k) for k in params}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = [value]
    merged.pop("page", None) if "page" not in changes else None
    return "?" + urlencode(merged, doseq=True)


def search_page(request):
    lang = translation.get_language() or languages.DEFAULT_LANGUAGE
    params = request.GET.copy()
    params.pop("lang", None)  # the page's language is its URL prefix
    req, dropped = parse(params, lang, strict=False)
    results = search(req) if (req.q or req.filters) else None
    labels = facet_labels(lang)
    facets = []
    if results is not None:
        for param in FACETS:
            selected = req.filters.get(param, [])
            options = [
                {
                    "value": value,
                    "label": labels[param].get(value, value),
                    "count": count,
                    "selected": value in selected,
                    "url": _url_with(params, **{param: None if value in selected else value}),
                }
                for value, count in results.facets.get(param, [])
            ]
            facets.append({"param": param, "options": options, "clear": _url_with(params, **{param: None})})
    pages = None
    if results is not None and results.num_pages > 1:
        pages = {
            "number": req.page,
            "total": results.num_pages,
            "previous": _url_with(params, page=str(req.page - 1)) if req.page > 1 else None,
            "next": _url_with(params, page=str(req.page + 1)) if req.page < results.num_pages else None,
        }
    context = {
        "page": None,  # base.html: no Wagtail page, the switcher swaps the prefix
        "search": req,
        "results": results,
        "facets": facets,
        "dropped": dropped,
        "pages": pages,
        "clear_filters": "?" + urlencode({"q": req.q}) if req.filters else None,
        "sort_urls": {s: _url_with(params, sort=s) for s in ("relevance", "date")},
    }
    return render(request, "search/search.html", context)
