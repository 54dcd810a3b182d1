"""Query building and the faceted search, in one place; used by the page and the API.

:func:`search` takes a validated :class:`SearchRequest` and returns
:class:`SearchResults`, from Elasticsearch when it is usable, else from
Wagtail's database search (``fallback.py``), saying which in ``engine``.

Ranking, in short: the user's words are matched on the Python-analysed
``*_terms`` fields of every language (so a query finds items in whatever
language it is written); exact phrases on the original text, and phrases of
analysed terms, add a boost; fields are weighted title > summary > tags >
body (``documents.TEXT_FIELDS``); expansions (issue 5) add clauses weighted
below the user's own words.
"""

import logging
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.text import Truncator

from portal import languages
from portal.core import content_types
from search import client
from search.analysis import HAN_CHAR, analyse_query, tokenize
from search.documents import TEXT_FIELDS, query_fields, text_field, url_field

logger = logging.getLogger(__name__)

# Facets: request parameter -> index field, from the content-type declarations.
# Order is the order on the page.
FACETS = {facet.name: facet.index_field for facet in content_types.search_facets()}
SORTS = ("relevance", "date")
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
PHRASE_BOOST = 2.0
# All terms of a short query, most terms of a long one (jieba's search mode
# yields overlapping words, so a four-word Chinese query needs three of them).
MINIMUM_SHOULD_MATCH = "2<70%"
SNIPPET_CHARS = 220
MARK = ("<mark>", "</mark>")


@dataclass
class SearchRequest:
    q: str = ""
    lang: str = languages.DEFAULT_LANGUAGE
    filters: dict = field(default_factory=dict)  # facet param -> [values]
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    id: int
    external_id: str
    type: str
    title: str
    title_lang: str
    title_html: str  # escaped, with <mark> highlights
    url: str
    snippet: str  # escaped HTML with <mark> highlights
    languages: list
    countries: list
    themes: list
    date: str
    score: float
    urls: dict  # language code -> URL, for "also available in"

    @property
    def is_fallback(self):
        return False if not self.title_lang else self.title_lang != self._requested

    _requested: str = ""

    @property
    def title_lang_name(self):
        """The language of the title shown, named in the reader's language."""
        return languages.reader_name(self.title_lang) if self.title_lang else ""

    @property
    def shown_in(self):
        """ "shown in Russian" in the reader's language, for a hit shown in a fallback language."""
        return languages.shown_in(self.title_lang) if self.title_lang else ""

    @property
    def other_languages(self):
        return [
            (c, languages.language_name(c), self.urls.get(c)) for c in self.languages if c != self._requested
        ]


@dataclass
class SearchResults:
    request: SearchRequest
    engine: str  # "elasticsearch" or "database"
    total: int
    hits: list
    facets: dict  # param -> [(value, count)]
    expansions: list = field(default_factory=list)

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.request.page_size))


# --- Query clauses ---------------------------------------------------------------------


def _terms_match(terms, boost):
    return {
        "multi_match": {
            "query": " ".join(terms),
            "type": "cross_fields",
            "fields": query_fields(terms=True),
            "minimum_should_match": MINIMUM_SHOULD_MATCH,
            "boost": boost,
        }
    }


def expansion_clauses(expansions):
    """One clause per expansion; expansions sharing a ``group`` (one recognised concept
    or name, see ``search.expansion``) count once, by their best match (``dis_max``),
    so an item matching several of the query's concepts outranks one matching a
    single concept through many of its synonyms.
    """
    groups = {}
    for expansion in expansions:
        key = getattr(expansion, "group", "") or id(expansion)
        groups.setdefault(key, []).append(_terms_match(expansion.terms, expansion.weight))
    return [
        clauses[0] if len(clauses) == 1 else {"dis_max": {"queries": clauses}} for clauses in groups.values()
    ]


def text_query(aq):
    """The scoring query for an analysed query (see the module docstring)."""
    should = []
    if aq.terms:
        should.append(_terms_match(aq.terms, 1.0))
        # Inflected phrase: "загрязнения воздуха" as adjacent stems (stop words may sit between).
        should.append(
            {
                "multi_match": {
                    "query": " ".join(aq.terms),
                    "type": "phrase",
                    "slop": 2,
                    "fields": query_fields(terms=True),
                    "boost": PHRASE_BOOST,
                }
            }
        )
    if aq.text:
        # The exact words on the original text; also what finds a single Han character.
        should.append(
            {
                "multi_match": {
                    "query": aq.text,
                    "type": "phrase",
                    "fields": query_fields(terms=False),
                    "boost": PHRASE_BOOST,
                }
            }
        )
    should += expansion_clauses(aq.expansions)
    if not should:
        return {"match_none": {}}
    return {"bool": {"should": should, "minimum_should_match": 1}}


def highlight_query(aq):
    """What to mark in the original text: surface words, stems as prefixes, Han words.

    The original fields are analysed by ``standard``, so an inflected form is
    found by its stem as a prefix (загрязнен* marks "загрязнение"), and a
    Chinese word as a phrase of its characters.
    """
    fields = [text_field(role, code) for role in TEXT_FIELDS for code in languages.LANGUAGE_CODES]
    should = []
    words = [t for t in tokenize(aq.raw) if not HAN_CHAR.match(t)]
    if words:
        should.append({"multi_match": {"query": " ".join(words), "fields": fields}})
    terms = list(aq.terms) + [t for e in aq.expansions for t in e.terms]
    for term in dict.fromkeys(terms):
        if HAN_CHAR.match(term):
            should.append({"multi_match": {"query": term, "type": "phrase", "fields": fields}})
        elif len(term) >= 3:
            should.append({"multi_match": {"query": term, "type": "phrase_prefix", "fields": fields}})
    return {"bool": {"should": should or [{"match_none": {}}]}}


def _highlight(aq):
    fields = {}
    for code in languages.LANGUAGE_CODES:
        fields[text_field("title", code)] = {"number_of_fragments": 0}
        fields[text_field("summary", code)] = {"fragment_size": 180, "number_of_fragments": 1}
        fields[text_field("body", code)] = {"fragment_size": 180, "number_of_fragments": 2}
    return {
        "type": "unified",
        "encoder": "html",  # the text around the marks is escaped by Elasticsearch
        "pre_tags": [MARK[0]],
        "post_tags": [MARK[1]],
        "require_field_match": False,
        "highlight_query": highlight_query(aq),
        "max_analyzed_offset": 1_000_000 - 1,
        "fields": fields,
    }


def _filter_clauses(filters, skip=None):
    return [
        {"terms": {FACETS[param]: values}} for param, values in filters.items() if values and param != skip
    ]


def _aggregations(filters):
    """One aggregation per facet, each filtered by the *other* facets' choices,

    so a reader sees how many items each other value of a facet would give.
    """
    aggs = {}
    for param, es_field in FACETS.items():
        terms = {"terms": {"field": es_field, "size": 100}}
        if param == "year":
            terms["terms"]["order"] = {"_key": "desc"}
        others = _filter_clauses(filters, skip=param)
        aggs[param] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms}}
    return aggs


def _sort(request):
    if request.sort == "date" or not request.q.strip():
        return [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
    return ["_score", {"date": {"order": "desc", "missing": "_last"}}]


def build_body(request, aq):
    """The whole search request body (also what the benchmark sends straight to ES)."""
    query = text_query(aq) if not aq.is_empty else {"match_all": {}}
    body = {
        "query": query,
        "post_filter": {"bool": {"filter": _filter_clauses(request.filters)}},
        "aggs": _aggregations(request.filters),
        "sort": _sort(request),
        "from": request.offset,
        "size": request.page_size,
        "track_total_hits": True,
        "_source": {"excludes": ["*_terms", "body_*", "suggest"]},
    }
    if not aq.is_empty:
        body["highlight"] = _highlight(aq)
    return body


# --- Results in the reader's language ------------------------------------------------


def display_language(present, lang):
    """The reader's language if the item has it, else the first fallback it has."""
    for code in languages.fallback_chain(lang):
        if code in present:
            return code
    return lang


def join_marks(html):
    """One ``<mark>`` per highlighted word: ``<mark>大</mark><mark>气</mark>`` -> ``<mark>大气</mark>``.

    The index's standard analyzer highlights Han characters one by one; side
    by side, their separate boxes read as spaced-out characters ("大 气").
    """
    return html.replace("</mark><mark>", "")


def _hit(raw, lang):
    src = raw["_source"]
    hl = raw.get("highlight", {})
    present = src.get("languages") or [c for c in languages.LANGUAGE_CODES if src.get(text_field("title", c))]
    shown = display_language(present, lang)
    title = src.get(text_field("title", shown)) or ""
    title_hl = hl.get(text_field("title", shown))
    fragments = hl.get(text_field("summary", shown), []) + hl.get(text_field("body", shown), [])
    if fragments:
        snippet = join_marks(" … ".join(fragments))
    else:
        snippet = escape(Truncator(src.get(text_field("summary", shown)) or "").chars(SNIPPET_CHARS))
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
    )
    hit._requested = lang
    return hit


def _facets(aggs):
    return {
        param: [(str(b["key"]), b["doc_count"]) for b in aggs[param]["values"]["buckets"]] for param in FACETS
    }


# --- Entry point --------------------------------------------------------------------------


def elasticsearch_search(request, aq=None):
    aq = aq or analyse_query(request.q, request.lang)
    es = client.get_client()
    response = es.search(index=client.read_alias(), body=build_body(request, aq))
    return SearchResults(
        request=request,
        engine="elasticsearch",
        total=response["hits"]["total"]["value"],
        hits=[_hit(h, request.lang) for h in response["hits"]["hits"]],
        facets=_facets(response["aggregations"]),
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
    from search.fallback import database_search

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
    from search.fallback import database_suggest

    return database_suggest(prefix, lang, size)
