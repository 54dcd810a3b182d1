"""The search when Elasticsearch is not configured or not reachable.

Uses Wagtail's database search backend (what the admin uses), widened with a
plain "contains" over the title and summary columns of every language, since
Wagtail indexes a translated field only in the language active when the page
was saved. Facets are counted in Python over the (capped) matches. Slower and
rougher than the engine, but the page and API keep answering, with
``engine: "database"``; :func:`search.query.search` returns to Elasticsearch
by itself once it answers again.
"""

import time
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
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
# The translated fields the plain "contains" reads in every language, besides Wagtail's index.
CONTAINS_FIELDS = ("title", "summary")
# The most the "contains" may take, all tables together: past it the answer says it is incomplete
# (a word of one or two characters, which no trigram index serves, or a database without them).
CONTAINS_SECONDS = 0.5


def contains_columns():
    """``{table: [column, …]}`` of every column the "contains" reads: each language's title (Wagtail's
    page table, every type's at once) and summary (each type's own table). On PostgreSQL each has a
    trigram index (``operations.database.ensure_trigram_indexes``), so ``icontains`` reads the index."""
    tables = {}
    for model in indexed_models():
        for name in CONTAINS_FIELDS:
            for code in languages.LANGUAGE_CODES:
                field = model._meta.get_field(languages.localized_field(name, code))
                columns = tables.setdefault(field.model._meta.db_table, [])
                if field.column not in columns:
                    columns.append(field.column)
    return tables


def _matching_pages(q):
    """Up to ``MAX_MATCHES`` specific pages matching ``q``, Wagtail's matches first, and whether
    every page was looked through (False when the "contains" ran out of time: :data:`CONTAINS_SECONDS`).

    The matches are collected as ids and then read in bulk (one query per page
    type, one per relation the facets read): reading each match's specific page
    and relations one by one made 1,500 queries for a common word, 21 s at
    100,000 items. The plain "contains" runs only while Wagtail's index has not
    filled the cap, one query per table holding searched columns, so that on
    PostgreSQL their trigram indexes serve it (one query per type joining the
    page table's titles to the type's summaries could use none: 1–1.7 s a type
    at 100,000 items, 4.3 s for a word no page holds).
    """
    models = indexed_models()
    if not models:
        return [], True
    base = Page.objects.live().type(*models)
    if not q.strip():
        return _prefetched(list(base.specific()[:MAX_MATCHES])), True
    found = {}  # page id -> None, in the order found
    try:
        for page in base.search(q, operator="or")[:MAX_MATCHES]:
            found[page.pk] = None
    except Exception:  # the database backend has its own limits (e.g. on odd syntax)
        pass
    complete = _add_contains(q.strip(), models, found)
    ids = list(found)[:MAX_MATCHES]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return _prefetched([pages[pk] for pk in ids if pk in pages]), complete


def _add_contains(term, models, found):
    """Add to ``found`` the live pages with ``term`` in a searched column of any language, until the
    cap; False if :data:`CONTAINS_SECONDS` ran out first."""
    deadline = time.monotonic() + CONTAINS_SECONDS
    by_table = {model._meta.db_table: model for model in (Page, *models)}
    for table, columns in contains_columns().items():
        if len(found) >= MAX_MATCHES:
            break
        if time.monotonic() >= deadline:
            return False
        model = by_table[table]
        rows = Page.objects.live().type(*models) if model is Page else model.objects.live()
        names = [_field_named(model, column) for column in columns]
        contains = Q()
        for name in names:
            contains |= Q(**{f"{name}__icontains": term})
        matches = rows.filter(contains).order_by().values_list("pk", flat=True)[: MAX_MATCHES - len(found)]
        try:
            with _within(deadline):
                for pk in list(matches):
                    found.setdefault(pk, None)
        except DatabaseError:  # out of time: cancelled by the database
            return False
    return True


def _field_named(model, column):
    return next(f.name for f in model._meta.concrete_fields if f.column == column)


@contextmanager
def _within(deadline):
    """Run the block's queries until ``deadline`` (``time.monotonic()``) at most: PostgreSQL cancels
    a statement past its ``statement_timeout``, SQLite one whose progress handler says stop; either
    raises a ``DatabaseError``, and the connection stays usable."""
    left = max(1, int((deadline - time.monotonic()) * 1000))
    if connection.vendor == "postgresql":
        with transaction.atomic():  # a savepoint inside a request's transaction: a cancel rolls back to it
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                    [str(left)],
                )
                before = cursor.fetchone()[0]
            yield
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
        return
    yield


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
    pages, complete = _matching_pages(request.q)
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
        complete=complete,
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
