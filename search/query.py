"""The search on Elasticsearch, and the entry points the page and the API call.

:func:`search` takes a validated :class:`SearchRequest` and returns
:class:`SearchResults`, from Elasticsearch when it is usable, else from
Wagtail's database search (``fallback.py``), saying which in ``engine``.

The search is two requests, sent together in one ``_msearch``
(:class:`ItemSearch`, :func:`send`): the *hits* (the scoring query from
``search.ranking``, read its docstring for how items in any language compete;
the page; the chosen facets as filters; no total, no aggregation) and the
*counts* (``size: 0``, nothing scored: the exact total and the facets, each a
``TermsFacet`` aggregation filtered by the *other* facets' choices, with the
choices as ``post_filter``, so a reader sees how many items each other value
of a facet would give). The node keeps the counts request's answer in its
request cache until the index changes; the hits request it computes each time.
The hits' titles and snippets are marked in Python (``search.marking``), in
the language each is shown in: the request asks Elasticsearch for no highlights.
A hit's card is read from its whole stored ``_source``, which holds only the
card's fields (``search.documents.UNSHOWN_FIELDS``).
"""

import logging
from collections.abc import Mapping

from elasticsearch import ApiError
from elasticsearch.dsl import FacetedSearch, Q, Search, TermsFacet

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
    """Items of every type and language: :mod:`search.ranking`'s query, the facets, the card's fields.

    Two requests, sent together in one ``_msearch`` (:func:`send`): the *hits*
    (the ranking, the page's hits, no total, no aggregation) and the *counts*
    (``size: 0``: the exact total and the facets over the same matches,
    nothing scored). Together in one request the facets' aggregations and an
    exact ``track_total_hits`` made the node score every match; apart, the
    hits' query lets Lucene skip the items that cannot reach the page or the
    rescore window (block-max WAND, issue 14), and the counts request, which
    scores nothing, is what the node's request cache keeps until the next
    publish refreshes the index (a request of ``size: 0`` is cached by default).
    """

    facets = {param: _facet(param, es_field) for param, es_field in FACETS.items()}

    def __init__(self, request, aq):
        self.request, self.aq, self._matching = request, aq, None
        filters = {param: [str(v) for v in values] for param, values in request.filters.items() if values}
        super().__init__(query=aq, filters=filters, sort=self._sort_order())

    def search(self):
        # The whole stored source: it is the card's fields (documents.UNSHOWN_FIELDS), which
        # the node sends as stored, where naming the fields made it parse and filter each hit's.
        return Search(index=client.read_alias())

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
        """The hits' query (:meth:`matching`)."""
        return search.query(self.matching())

    def matching(self):
        """The first pass, rescored (:meth:`build_search`); by date, the first pass alone.

        By date, a score only orders items of the same date: the whole ranking
        query scored every match (no rescore window: the order is the date's),
        the dearest request a reader could make, and matched other items than
        the same words by relevance (issue 14). Built once: both requests send it.
        """
        if self._matching is None:
            if self.aq.is_empty:
                self._matching = Q("match_all")
            elif self._first_pass():
                self._matching = ranking.first_pass_query(self.aq)
            else:
                self._matching = ranking.text_query(self.aq)
        return self._matching

    def _first_pass(self):
        """Are the matches the cheap first pass's (rescored, or by date), not the whole query's?"""
        return not self.aq.is_empty and bool(self._window() or self._by_date())

    def _matches(self):
        """The items :meth:`matching` matches, in the cheapest form for counting them."""
        if self._first_pass():
            return ranking.first_pass_matches(self.aq)
        return self.matching()

    def _window(self):
        """The rescore window (0: the whole query scores every match; see ``search.ranking``)."""
        if self.aq.is_empty or self._by_date():
            return 0
        return ranking.rescore_window(self.request.offset, self.request.page_size)

    def build_search(self):
        """The hits request: the ranking, the chosen facets as filters, the page; nothing counted.

        ``track_total_hits: false`` and no aggregation: the node may skip every
        item whose best possible score cannot enter the page (or the rescore
        window). The choices filter the query itself (no ``post_filter``: no
        aggregation here needs the items they leave out).
        """
        search = self.query(self.search(), self._query)
        if self._filters:
            search = search.filter(Q("bool", filter=list(self._filters.values())))
        search = self.sort(search)
        window = self._window()
        if window:
            # Elasticsearch rescores only results sorted by score alone.
            search = search.sort("_score").extra(rescore=ranking.rescore(self.aq, window))
        start = self.request.offset
        return search.extra(track_total_hits=False)[start : start + self.request.page_size]

    def counts_search(self):
        """The counts request: the same matches, their exact number and the facets; nothing scored.

        The hits' matches in a ``constant_score`` filter (:meth:`_matches`:
        ``size: 0`` asks for no score anyway; the filter says so); the
        choices as ``post_filter``, so each facet is counted under the *other*
        facets' choices (:meth:`aggregate`) and the total under all of them.
        """
        search = self.search().query(Q("constant_score", filter=self._matches()))
        search = self.filter(search)
        self.aggregate(search)
        return search.extra(track_total_hits=True, size=0)

    def _by_date(self):
        return self.request.sort == "date" or not self.request.q.strip()

    def _sort_order(self):
        latest = {"date": {"order": "desc", "missing": "_last"}}
        if self._by_date():
            return [latest, "_score"]
        return ["_score", latest]


def build_bodies(request, aq):
    """``{"hits": body, "counts": body}``: the two request bodies of a search (also what the benches send)."""
    item_search = ItemSearch(request, aq)
    return {"hits": item_search._s.to_dict(), "counts": item_search.counts_search().to_dict()}


def build_body(request, aq):
    """The hits request's body: the ranking and the page (what the evaluations send)."""
    return build_bodies(request, aq)["hits"]


def send(es, bodies, request_cache=None):
    """Both requests of :func:`build_bodies` in one ``_msearch``: ``({"hits": …, "counts": …}, took ms)``.

    One round trip; the node runs the two side by side. ``request_cache``
    ``None`` leaves the node its default (the counts request, of ``size: 0``,
    cached until the next refresh that changes the index; the hits request
    never); ``False`` asks it to compute both (what a query nobody asked
    before costs). A part that failed raises, as ``es.search`` would, so the
    search falls back to the database.
    """
    header = {"index": client.read_alias()}
    if request_cache is not None:
        header["request_cache"] = request_cache
    searches = []
    for body in bodies.values():
        searches += [header, body]
    answer = es.msearch(searches=searches)
    out = {}
    for name, response in zip(bodies, answer["responses"], strict=True):
        if "error" in response:
            raise ApiError(message=str(response["error"]), meta=answer.meta, body=response)
        out[name] = response
    return out, answer["took"]


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


def _facets(aggs):
    """``{param: [(value, count), ...]}`` from the aggregations :meth:`ItemSearch.aggregate` asked for."""
    out = {}
    for param in ItemSearch.facets:
        data = aggs[param] if param in aggs else aggs[FILTERED_FACET + param][param]
        out[param] = [(str(b["key"]), b["doc_count"]) for b in data["buckets"]]
    return out


# --- Entry point --------------------------------------------------------------------------


def elasticsearch_search(request, aq=None):
    aq = aq or analyse_query(request.q, request.lang)
    responses, _took = send(client.get_client(), build_bodies(request, aq))
    hits, counts = responses["hits"], responses["counts"]
    marks = Marks(aq)
    return SearchResults(
        request=request,
        engine="elasticsearch",
        total=counts["hits"]["total"]["value"],
        hits=[_hit(h, request.lang, marks) for h in hits["hits"]["hits"]],
        facets=_facets(counts.get("aggregations") or {}),
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
