"""The search on Elasticsearch, and the entry points the page and the API call.

:func:`search` takes a validated :class:`SearchRequest` and returns
:class:`SearchResults`, from Elasticsearch when it is usable, else from
Wagtail's database search (``fallback.py``), saying which in ``engine``.

The request is an elasticsearch-dsl :class:`FacetedSearch` (:class:`ItemSearch`):
the scoring query comes from ``search.ranking`` (how items in any language
compete: read its docstring), the facets are ``TermsFacet`` aggregations each
filtered by the *other* facets' choices, with the choices as ``post_filter``,
so a reader sees how many items each other value of a facet would give.
Highlights mark the user's words and their expansions in the original text.
"""

import logging

from django.utils.html import escape
from django.utils.text import Truncator
from elasticsearch.dsl import FacetedResponse, FacetedSearch, Q, Search, TermsFacet

from portal import languages
from search import client, ranking
from search.analysis import HAN_CHAR, STOPWORDS, analyse_query, tokenize
from search.documents import text_field, url_field
from search.expansion import script_language
from search.fallback import database_search, database_suggest
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

MARK = ("<mark>", "</mark>")
HIGHLIGHTED = ("title", "summary")  # see highlight_fields
# What a result reads from a hit's ``_source`` (:func:`_hit`): nothing else is sent back.
CARD_FIELDS = ["page_id", "external_id", "type", "languages", "countries", "themes", "date"]
STEM_EXPANSIONS = 10  # the index's words a stem marks as a prefix, per field


# --- Highlights --------------------------------------------------------------------------


def highlight_query(aq, code):
    """What to mark in ``code``'s original text: the user's words, their stems as prefixes, expansions.

    The original fields are analysed by ``standard``, so an inflected form of
    the user's word is found by its stem as a prefix (загрязнен* marks
    "загрязнение"), and a Chinese word as a phrase of its characters. Expansions
    are marked by their words as written (a label's own form): prefix queries for
    every expanded term would cost more than the search itself.

    Each language's fields get only what can occur in them (issue 14): the
    user's own words everywhere (a Latin "UNEP" in a Russian text), an
    expansion in its own language, Chinese words in Chinese text, a stem's
    prefix in the language of its script. Every clause on every field made
    marking ten hits cost more than finding them.
    """
    fields = [text_field(role, code) for role in HIGHLIGHTED]
    should = []
    words = [t for t in tokenize(aq.raw) if not HAN_CHAR.match(t) and t not in STOPWORDS]
    for expansion in aq.expansions:
        if expansion.lang == code:  # a label's own words; its «в» or "of" marked nothing a reader looked for
            words += [w for w in tokenize(expansion.text) if not HAN_CHAR.match(w) and w not in STOPWORDS]
    if words:
        should.append(Q("multi_match", query=" ".join(dict.fromkeys(words)), fields=fields))
    han = [t for t in [*aq.terms, *(t for e in aq.expansions for t in e.terms)] if HAN_CHAR.match(t)]
    for term in dict.fromkeys(han):
        if script_language(term) == code:
            should.append(Q("multi_match", query=term, type="phrase", fields=fields))
    for term in dict.fromkeys(aq.terms):
        if len(term) >= 3 and not HAN_CHAR.match(term) and script_language(term) == code:
            should += [stem_prefix(term, field) for field in fields]
    return Q("bool", should=should or [Q("match_none")])


def stem_prefix(stem, field):
    """The words of ``field`` starting with ``stem``, as plain terms the highlighter looks up.

    ``top_terms_N`` turns the prefix into its first N words of the index's
    dictionary once per request; the highlighter then reads each hit's offsets
    of those words from the postings. A ``phrase_prefix`` clause (the first
    version) was turned into a span query for every hit and field, and cost
    more than half of the highlighting (issue 14).
    """
    return Q("prefix", **{field: {"value": stem, "rewrite": f"top_terms_{STEM_EXPANSIONS}"}})


def highlight_fields(aq):
    """Titles and summaries: what a hit shows, each with its language's :func:`highlight_query`.

    Bodies are not highlighted: on long texts (thousands of words, PDFs) that
    alone cost several times the search itself (``bench/search_bench.py``), and
    the snippet is the summary, marked.
    """
    fields = {}
    for code in languages.LANGUAGE_CODES:
        marks = highlight_query(aq, code).to_dict()
        fields[text_field(HIGHLIGHTED[0], code)] = {"number_of_fragments": 0, "highlight_query": marks}
        fields[text_field(HIGHLIGHTED[1], code)] = {
            "fragment_size": SNIPPET_CHARS,
            "number_of_fragments": 1,
            "highlight_query": marks,
        }
    return fields


# --- The faceted search ----------------------------------------------------------------------


def source_fields():
    """The ``_source`` fields a result card reads: ids, facets' values, each language's title, summary, URL.

    Named one by one (a ``title_*`` pattern would also bring ``title_en_terms``
    back from an index built before ``documents.UNSHOWN_FIELDS`` left them out).
    """
    texts = [text_field(role, code) for code in languages.LANGUAGE_CODES for role in HIGHLIGHTED]
    return [*CARD_FIELDS, *texts, *(url_field(code) for code in languages.LANGUAGE_CODES)]


def _facet(param, es_field):
    order = {"order": {"_key": "desc"}} if param == "year" else {}
    return TermsFacet(field=es_field, size=100, **order)


class ItemSearch(FacetedSearch):
    """Items of every type and language: :mod:`search.ranking`'s query, the facets, highlights."""

    facets = {param: _facet(param, es_field) for param, es_field in FACETS.items()}

    def __init__(self, request, aq, es=None):
        self.request, self.aq, self.es = request, aq, es
        filters = {param: [str(v) for v in values] for param, values in request.filters.items() if values}
        super().__init__(query=aq, filters=filters, sort=self._sort_order())

    def search(self):
        search = Search(index=client.read_alias()).source(includes=source_fields())
        search = search.response_class(FacetedResponse)
        return search.using(self.es) if self.es is not None else search

    def query(self, search, aq):
        if aq.is_empty:
            return search.query("match_all")
        if self._window():
            return search.query(ranking.first_pass_query(aq))
        return search.query(ranking.text_query(aq))

    def _window(self):
        """The rescore window (0: the whole query scores every match; see ``search.ranking``)."""
        if self.aq.is_empty or self._by_date():
            return 0
        return ranking.rescore_window(self.request.offset, self.request.page_size)

    def highlight(self, search):
        for name, options in highlight_fields(self.aq).items():
            search = search.highlight(name, **options)
        return search.highlight_options(
            type="unified",
            encoder="html",  # the text around the marks is escaped by Elasticsearch
            pre_tags=[MARK[0]],
            post_tags=[MARK[1]],
            require_field_match=False,
            max_analyzed_offset=1_000_000 - 1,
        )

    def build_search(self):
        search = super().build_search()
        if not self.aq.is_empty:
            search = self.highlight(search)
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


def join_marks(html):
    """One ``<mark>`` per highlighted word: ``<mark>大</mark><mark>气</mark>`` -> ``<mark>大气</mark>``.

    The index's standard analyzer highlights Han characters one by one; side
    by side, their separate boxes read as spaced-out characters ("大 气").
    """
    return html.replace("</mark><mark>", "")


def _snippet(src, hl, code):
    """The summary in ``code``: its highlighted fragment, else its beginning (escaped either way)."""
    fragments = hl.get(text_field("summary", code), [])
    if fragments:
        return join_marks(" … ".join(fragments))
    return escape(Truncator(src.get(text_field("summary", code)) or "").chars(SNIPPET_CHARS))


def _hit(raw, lang):
    src = raw["_source"]
    hl = raw.get("highlight", {})
    present = src.get("languages") or [c for c in languages.LANGUAGE_CODES if src.get(text_field("title", c))]
    shown = display_language(present, lang)
    title = src.get(text_field("title", shown)) or ""
    title_hl = hl.get(text_field("title", shown))
    snippet = _snippet(src, hl, shown)
    texts = {
        code: {"title": src.get(text_field("title", code)) or None, "snippet": _snippet(src, hl, code)}
        for code in present
    }
    urls = {c: src.get(url_field(c)) for c in languages.LANGUAGE_CODES if src.get(url_field(c))}
    hit = Hit(
        id=src["page_id"],
        external_id=src.get("external_id") or "",
        type=src.get("type", ""),
        title=title,
        title_lang=shown if title else "",
        title_html=join_marks(title_hl[0]) if title_hl else escape(title),
        url=urls.get(lang) or urls.get(shown) or "",
        snippet=snippet,
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
    facets = response.facets
    return {param: [(str(key), count) for key, count, _selected in facets[param]] for param in FACETS}


# --- Entry point --------------------------------------------------------------------------


def elasticsearch_search(request, aq=None):
    aq = aq or analyse_query(request.q, request.lang)
    response = ItemSearch(request, aq, es=client.get_client()).execute()
    raw = response.to_dict()
    return SearchResults(
        request=request,
        engine="elasticsearch",
        total=raw["hits"]["total"]["value"],
        hits=[_hit(h, request.lang) for h in raw["hits"]["hits"]],
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
        try:
            response = client.get_client().search(
                index=client.read_alias(),
                query={"match_bool_prefix": {"suggest": prefix}},
                source=["page_id", "suggest", "languages", *[url_field(c) for c in languages.LANGUAGE_CODES]],
                size=size,
            )
        except client.ENGINE_ERRORS:
            client.mark_down()
        else:
            out = []
            for raw in response["hits"]["hits"]:
                src = raw["_source"]
                titles = src.get("suggest") or []
                words = prefix.casefold()
                title = next((t for t in titles if words in t.casefold()), titles[0] if titles else "")
                out.append({"id": src["page_id"], "title": title, "url": src.get(url_field(lang)) or ""})
            return out
    return database_suggest(prefix, lang, size)
