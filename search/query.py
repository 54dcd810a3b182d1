"""The search on Elasticsearch, and the entry points the page and the API call.

:func:`search` takes a validated :class:`SearchRequest` and returns
:class:`SearchResults`, from Elasticsearch when it is usable, else from
Wagtail's database search (``fallback.py``), saying which in ``engine``.

The request is an elasticsearch-dsl :class:`FacetedSearch` (:class:`ItemSearch`):
the scoring query comes from ``search.ranking`` (how items in any language
compete: read its docstring), the facets are ``TermsFacet`` aggregations each
filtered by the *other* facets' choices, with the choices as ``post_filter``,
so a reader sees how many items each other value of a facet would give.
The hits' titles and snippets are marked in Python (``search.marking``), in
the language each is shown in: the request asks Elasticsearch for no highlights.
A hit's card is read from its whole stored ``_source``, which holds only the
card's fields (``search.documents.UNSHOWN_FIELDS``).
"""

import logging
from collections.abc import Mapping

from elasticsearch.dsl import FacetedResponse, FacetedSearch, Q, Search, TermsFacet

from portal import languages
from search import client, ranking
from search.analysis import analyse_query
from search.documents import text_field, url_field
from search.fallback import database_search, database_suggest
from search.marking import Marks
from search.results import (  # noqa: F401  (re-exported: the page, API and tests import them from here)
    FACETS,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SNIPPET_CHARS,
    SORTS,
    Hit,
    SearchRequest,
    SearchResults,
    display_language,
)

logger = logging.getLogger(__name__)

FILTERED_FACET = "_filter_"  # a facet counted under the other facets' choices (elasticsearch-dsl's name)


# --- The faceted search ----------------------------------------------------------------------


def _facet(param, es_field):
    order = {"order": {"_key": "desc"}} if param == "year" else {}
    return TermsFacet(field=es_field, size=100, **order)


class ItemSearch(FacetedSearch):
    """Items of every type and language: :mod:`search.ranking`'s query, the facets, the card's fields."""

    facets = {param: _facet(param, es_field) for param, es_field in FACETS.items()}

    def __init__(self, request, aq, es=None):
        self.request, self.aq, self.es = request, aq, es
        filters = {param: [str(v) for v in values] for param, values in request.filters.items() if values}
        super().__init__(query=aq, filters=filters, sort=self._sort_order())

    def search(self):
        # The whole stored source: it is the card's fields (documents.UNSHOWN_FIELDS), which
        # the node sends as stored, where naming the fields made it parse and filter each hit's.
        search = Search(index=client.read_alias()).response_class(FacetedResponse)
        return search.using(self.es) if self.es is not None else search

    def aggregate(self, search):
        """Each facet's counts under the *other* facets' choices (a reader sees what each value would give).

        A facet no other choice narrows is a plain ``terms`` aggregation:
        elasticsearch-dsl wraps every facet in a ``filter`` aggregation, of
        ``match_all`` when nothing is chosen (a search's usual case), which the
        node ran as one more query per facet (issue 14).
        """
        for name, facet in self.facets.items():
            others = [query for param, query in self._filters.items() if param != name]
            if not others:
                search.aggs.bucket(name, facet.get_aggregation())
                continue
            narrowed = search.aggs.bucket(FILTERED_FACET + name, "filter", filter=Q("bool", filter=others))
            narrowed.bucket(name, facet.get_aggregation())

    def query(self, search, aq):
        """The first pass, rescored (:meth:`build_search`); by date, the first pass alone.

        By date, a score only orders items of the same date: the whole ranking
        query scored every match (no rescore window: the order is the date's),
        the dearest request a reader could make, and matched other items than
        the same words by relevance (issue 14).
        """
        if aq.is_empty:
            return search.query("match_all")
        if self._window() or self._by_date():
            return search.query(ranking.first_pass_query(aq))
        return search.query(ranking.text_query(aq))

    def _window(self):
        """The rescore window (0: the whole query scores every match; see ``search.ranking``)."""
        if self.aq.is_empty or self._by_date():
            return 0
        return ranking.rescore_window(self.request.offset, self.request.page_size)

    def build_search(self):
        search = super().build_search()
        window = self._window()
        if window:
            # Elasticsearch rescores only results sorted by score alone.
            search = search.sort("_score").extra(rescore=ranking.rescore(self.aq, window))
        start = self.request.offset
        return search.extra(track_total_hits=True)[start : start + self.request.page_size]

    def _by_date(self):
        return self.request.sort == "date" or not self.request.q.strip()

    def _sort_order(self):
        latest = {"date": {"order": "desc", "missing": "_last"}}
        if self._by_date():
            return [latest, "_score"]
        return ["_score", latest]


def build_body(request, aq):
    """The whole search request body (also what the benchmark sends straight to ES)."""
    return ItemSearch(request, aq)._s.to_dict()


# --- Results in the reader's language ------------------------------------------------


class HitTexts(Mapping):
    """A hit's title and marked snippet in each language it has, each made when first read.

    A page shows one language per hit; the API's ``lang=all`` reads them all.
    """

    def __init__(self, src, marks, codes):
        self.src, self.marks, self.codes, self.made = src, marks, list(codes), {}

    def __getitem__(self, code):
        if code not in self.codes:
            raise KeyError(code)
        if code not in self.made:
            summary = self.src.get(text_field("summary", code)) or ""
            self.made[code] = {
                "title": self.src.get(text_field("title", code)) or None,
                "snippet": self.marks.snippet(summary, code, SNIPPET_CHARS),
            }
        return self.made[code]

    def __iter__(self):
        return iter(self.codes)

    def __len__(self):
        return len(self.codes)


def _hit(raw, lang, marks):
    """A result from a hit's ``_source``, in ``lang`` or its first fallback, the query's words marked."""
    src = raw["_source"]
    present = src.get("languages") or [c for c in languages.LANGUAGE_CODES if src.get(text_field("title", c))]
    shown = display_language(present, lang)
    title = src.get(text_field("title", shown)) or ""
    texts = HitTexts(src, marks, present)
    urls = {c: src.get(url_field(c)) for c in languages.LANGUAGE_CODES if src.get(url_field(c))}
    hit = Hit(
        id=src["page_id"],
        external_id=src.get("external_id") or "",
        type=src.get("type", ""),
        title=title,
        title_lang=shown if title else "",
        title_html=marks.title(title, shown),
        url=urls.get(lang) or urls.get(shown) or "",
        snippet=texts[shown]["snippet"] if shown in texts else "",  # not in texts: an item without text
        languages=present,
        countries=src.get("countries") or [],
        themes=src.get("themes") or [],
        date=src.get("date") or "",
        score=raw.get("_score") or 0.0,
        urls=urls,
        texts=texts,
    )
    hit._requested = lang
    return hit


def _facets(response):
    """``{param: [(value, count), ...]}`` from the aggregations :meth:`ItemSearch.aggregate` asked for."""
    aggs, out = response.aggregations, {}
    for param, facet in ItemSearch.facets.items():
        data = aggs[param] if param in aggs else aggs[FILTERED_FACET + param][param]
        out[param] = [(str(key), count) for key, count, _selected in facet.get_values(data, [])]
    return out


# --- Entry point --------------------------------------------------------------------------


def elasticsearch_search(request, aq=None):
    aq = aq or analyse_query(request.q, request.lang)
    response = ItemSearch(request, aq, es=client.get_client()).execute()
    raw = response.to_dict()
    marks = Marks(aq)
    return SearchResults(
        request=request,
        engine="elasticsearch",
        total=raw["hits"]["total"]["value"],
        hits=[_hit(h, request.lang, marks) for h in raw["hits"]["hits"]],
        facets=_facets(response),
        expansions=aq.expansions,
    )


def search(request):
    """Search Elasticsearch; on any engine trouble, the database (and say so)."""
    aq = analyse_query(request.q, request.lang)
    if client.is_available():
        try:
            results = elasticsearch_search(request, aq)
            client.mark_up()
            return results
        except client.ENGINE_ERRORS as exc:
            client.mark_down()
            logger.warning("search: Elasticsearch failed (%s); answering from the database", exc)
    return database_search(request, aq)


# --- Suggestions as you type ---------------------------------------------------------------


def suggest(prefix, lang, size=8):
    """Titles (in any language) starting with or containing words that start with ``prefix``."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    if client.is_available():
        titles = [text_field("title", code) for code in languages.LANGUAGE_CODES]  # what `suggest` holds
        try:
            response = client.get_client().search(
                index=client.read_alias(),
                query={"match_bool_prefix": {"suggest": prefix}},
                source=["page_id", *titles, *(url_field(c) for c in languages.LANGUAGE_CODES)],
                size=size,
            )
        except client.ENGINE_ERRORS:
            client.mark_down()
        else:
            out = []
            for raw in response["hits"]["hits"]:
                src = raw["_source"]
                found = [src[field] for field in titles if src.get(field)]
                words = prefix.casefold()
                title = next((t for t in found if words in t.casefold()), found[0] if found else "")
                out.append({"id": src["page_id"], "title": title, "url": src.get(url_field(lang)) or ""})
            return out
    return database_suggest(prefix, lang, size)
