"""The index document: its fields and mapping, declared once with elasticsearch-dsl.

Every text role (:data:`TEXT_FIELDS`, with its query boost) exists once per
language (:data:`portal.languages.LANGUAGE_CODES`) and twice: the original
text, analysed by Elasticsearch's ``standard`` analyzer (phrases, single Han
characters, numbers as typed), and ``<field>_terms``, the tokens of
:mod:`search.analysis`, analysed by ``whitespace``, so the portal needs no
Elasticsearch plugin. The per-language fields are added to the declared
``Document`` from the language list, so adding a language changes nothing here.

Other jobs live beside this module: which types are indexed (``types.py``),
page -> document (``prepare.py``), URLs (``routing.py``), attached files'
text (``attachments.py``).
"""

from elasticsearch.dsl import Date, Document, Integer, Keyword, MetaField, Text

from portal import languages

# Text "roles" with their query boosts: titles above summaries above bodies.
TEXT_FIELDS = {"title": 3.0, "summary": 1.5, "tags": 1.2, "body": 1.0}
TERMS_SUFFIX = "_terms"
# The pinyin of the Chinese words of an item's title and summary (``search.names``):
# what a Latin or Cyrillic spelling of a Chinese name no list knows is matched on.
PINYIN_FIELD = "names_pinyin"
PINYIN_LANGUAGE = "zh-hans"
# Fields searched or filtered on but never read back: indexed, left out of the stored
# ``_source`` (issue 14), which keeps only what a result card shows (ids, type,
# languages, countries, themes, date, each language's title, summary and URL) and
# ``published_at`` (the rebuild's check): a search asks for the whole stored source,
# which Elasticsearch copies without parsing it. With the bodies (up to thousands
# of words per language, PDFs' text) and every ``*_terms`` field in it, reading
# twenty hits' titles parsed all of that, and the highlighter did it again; asking
# for the card's fields out of a larger source parsed and filtered each hit's.
# The portal rebuilds the index from the database, never from ``_source``.
UNSHOWN_FIELDS = [
    "*" + TERMS_SUFFIX,
    "body_*",
    "tags_*",
    PINYIN_FIELD,
    "suggest",  # the titles again (suggestions read the title_* fields)
    "organisations",
    "status",
    "year",
]

# BM25 with little length normalisation (b) and early saturation (k1), for every field
# (issue 15; Elasticsearch's defaults are b 0.75, k1 1.2). With the defaults, a short
# generated title ("SCO experts discuss national park") outscored an item's long
# title naming everything the query asked for, and Chinese titles, cut by jieba's
# search mode into many overlapping words, were the longest of all; a term repeated
# through a body outweighed the query's other words. Tuned on the odd half of the
# blind set (``bench/crosslang_blind_eval.py``): cross-language MRR 0.733 -> 0.78,
# same-language 0.78 -> 0.89. An index made before takes it at its next rebuild.
SIMILARITY = {"type": "BM25", "b": 0.2, "k1": 0.5}


def text_field(role, code):
    """``title`` + ``ru`` -> ``title_ru``: the original text of a role in a language."""
    return languages.localized_field(role, code)


def terms_field(role, code):
    """``title_ru_terms``: the Python-analysed tokens of the same text."""
    return text_field(role, code) + TERMS_SUFFIX


def url_field(code):
    return languages.localized_field("url", code)


class ItemDocument(Document):
    """One content item with all its translations (one document per page, ``_id`` = page id)."""

    page_id = Integer()
    type = Keyword()
    external_id = Keyword()
    countries = Keyword()
    themes = Keyword()
    organisations = Keyword()
    status = Keyword()
    date = Date()
    year = Integer()
    languages = Keyword()
    published_at = Date()
    # Titles in every language, for suggestions as you type (match_bool_prefix:
    # the node's minimal distribution has no search_as_you_type mapper).
    suggest = Text(analyzer="standard")
    names_pinyin = Text(analyzer="whitespace")  # PINYIN_FIELD

    class Index:
        name = "unused"  # real names come from search.client (prefix, aliases)
        settings = {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "refresh_interval": "1s",
            "similarity": {"default": SIMILARITY},
        }

    class Meta:
        dynamic = MetaField("strict")
        source = MetaField(excludes=UNSHOWN_FIELDS)


def _language_fields():
    """The per-language fields: text and terms of every role, and the page's URL."""
    fields = {}
    for code in languages.LANGUAGE_CODES:
        for role in TEXT_FIELDS:
            # Positions for phrases; no offsets: the words are marked in Python (search.marking).
            fields[text_field(role, code)] = Text(analyzer="standard")
            fields[terms_field(role, code)] = Text(analyzer="whitespace")
        fields[url_field(code)] = Keyword(index=False)
    return fields


for _name, _field in _language_fields().items():
    ItemDocument._doc_type.mapping.field(_name, _field)


def index_body(replicas=None):
    """Settings and mapping of a physical index, as sent to ``indices.create``.

    ``replicas``: copies of each shard on other nodes (``SEARCH_INDEX_REPLICAS``
    in settings: 0 on one node, 1 on a cluster).
    """
    body = ItemDocument._index.clone(name="x").to_dict()
    if replicas is not None:
        body.setdefault("settings", {})["number_of_replicas"] = replicas
    return body


def query_fields(role_boosts=None, terms=True, codes=None):
    """``["title_en_terms^3.0", ...]``: the fields a query runs over, with boosts."""
    role_boosts = role_boosts or TEXT_FIELDS
    codes = codes or languages.LANGUAGE_CODES
    make = terms_field if terms else text_field
    return [f"{make(role, code)}^{boost}" for role, boost in role_boosts.items() for code in codes]
