"""The search when Elasticsearch is not configured or not reachable.

Uses Wagtail's database search backend (what the admin uses), widened with a
plain "contains" over the title and summary columns of every language, since
Wagtail indexes a translated field only in the language active when the page
was saved. Facets are counted in Python over the (capped) matches. Slower and
rougher than the engine, but the page and API keep answering, with
``engine: "database"``; :func:`search.query.search` returns to Elasticsearch
by itself once it answers again.
"""

from django.db.models import Q, prefetch_related_objects
from django.utils.html import escape
from django.utils.text import Truncator
from wagtail.models import Page

from portal import languages
from portal.core.translated import shown
from search import routing
from search.prepare import item_date, item_status
from search.results import FACETS, SNIPPET_CHARS, Hit, SearchResults, display_language
from search.types import indexed_models, type_for_model

MAX_MATCHES = 500
# The relations a result's facets read (:func:`_facet_values`): fetched for all matches at once.
FACET_RELATIONS = ("countries", "themes")


def _matching_pages(q):
    """Up to ``MAX_MATCHES`` specific pages matching ``q``, Wagtail's matches first.

    The matches are collected as ids and then read in bulk (one query per page
    type, one per relation the facets read): reading each match's specific page
    and relations one by one made 1,500 queries for a common word, 21 s at
    100,000 items. The plain "contains" scans every page's title and summary
    columns (no index serves it: 1–1.7 s a type at 100,000 items), so it only
    runs while Wagtail's index has not filled the cap.
    """
    models = indexed_models()
    if not models:
        return []
    base = Page.objects.live().type(*models)
    if not q.strip():
        return _prefetched(list(base.specific()[:MAX_MATCHES]))
    found = {}  # page id -> None, in the order found
    try:
        for page in base.search(q, operator="or")[:MAX_MATCHES]:
            found[page.pk] = None
    except Exception:  # the database backend has its own limits (e.g. on odd syntax)
        pass
    contains = Q()
    for code in languages.LANGUAGE_CODES:
        for name in ("title", "summary"):
            contains |= Q(**{f"{languages.localized_field(name, code)}__icontains": q.strip()})
    for model in models:
        if len(found) >= MAX_MATCHES:
            break
        for pk in model.objects.live().filter(contains).values_list("pk", flat=True)[:MAX_MATCHES]:
            found.setdefault(pk, None)
    ids = list(found)[:MAX_MATCHES]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return _prefetched([pages[pk] for pk in ids if pk in pages])


def _prefetched(pages):
    """``pages`` with the relations their facets read, fetched in one query per type and relation."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        relations = [name for name in FACET_RELATIONS if hasattr(model, name)]
        prefetch_related_objects(group, *relations)
    return pages


def _facet_values(page):
    date = item_date(page)
    itype = type_for_model(type(page))
    return {
        "type": [itype.import_name] if itype else [],
        "country": [c.code for c in page.countries.all()],
        "theme": [t.slug for t in page.themes.all()],
        "year": [str(date.year)] if date else [],
        "status": [item_status(page)] if item_status(page) else [],
        languages.CONTENT_LANGUAGE_PARAM: page.languages_present(),
    }


def _passes(values, filters, skip=None):
    return all(
        set(values[param]) & {str(v) for v in wanted}
        for param, wanted in filters.items()
        if wanted and param != skip
    )


def database_search(request, aq=None):
    pages = _matching_pages(request.q)
    values = {p.pk: _facet_values(p) for p in pages}
    facets = {}
    for param in FACETS:
        counts = {}
        for page in pages:
            if _passes(values[page.pk], request.filters, skip=param):
                for value in values[page.pk][param]:
                    counts[value] = counts.get(value, 0) + 1
        facets[param] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    matches = [p for p in pages if _passes(values[p.pk], request.filters)]
    if request.sort == "date" or not request.q.strip():
        matches.sort(key=lambda p: str(item_date(p) or ""), reverse=True)
    window = matches[request.offset : request.offset + request.page_size]
    urls = routing.urls_in_bulk(window)
    return SearchResults(
        request=request,
        engine="database",
        total=len(matches),
        hits=[_hit(p, values[p.pk], request.lang, urls[p.pk]) for p in window],
        facets=facets,
        expansions=aq.expansions if aq else [],
    )


def _texts(page, code):
    """Title and snippet in ``code`` exactly (no fallback): one language of the API's lang=all."""
    title = getattr(page, languages.localized_field("title", code), None) or None
    summary = getattr(page, languages.localized_field("summary", code), None) or ""
    return {"title": title, "snippet": escape(Truncator(str(summary)).chars(SNIPPET_CHARS))}


def _hit(page, values, lang, urls):
    present = page.languages_present()
    code = display_language(present, lang)
    title = shown(page, "title", code)
    summary = shown(page, "summary", code)
    date = item_date(page)
    hit = Hit(
        id=page.pk,
        external_id=page.external_id or "",
        type=values["type"][0] if values["type"] else "",
        title=str(title),
        title_lang=title.lang,
        title_html=escape(str(title)),
        url=page.get_url() or "",
        snippet=escape(Truncator(str(summary)).chars(SNIPPET_CHARS)),
        languages=present,
        countries=values["country"],
        themes=values["theme"],
        date=date.isoformat() if date else "",
        score=0.0,
        urls={code: urls[code] for code in present if urls.get(code)},
        texts={code: _texts(page, code) for code in present},
    )
    hit._requested = lang
    return hit


def database_suggest(prefix, lang, size):
    contains = Q()
    for code in languages.LANGUAGE_CODES:
        contains |= Q(**{f"{languages.localized_field('title', code)}__icontains": prefix})
    out = []
    for model in indexed_models():
        for page in model.objects.live().filter(contains)[:size]:
            titles = [
                getattr(page, languages.localized_field("title", c)) or "" for c in languages.LANGUAGE_CODES
            ]
            title = next((t for t in titles if prefix.casefold() in t.casefold()), str(page.title))
            out.append({"id": page.pk, "title": title, "url": page.get_url() or ""})
    return out[:size]
