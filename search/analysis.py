"""Language analysis in Python: the same tokens at indexing and at query time.

The Elasticsearch node we can count on has only its built-in analyzers
(standard, whitespace, keyword, simple): no stemmers, no CJK segmentation, no
synonyms. So text is analysed here and the resulting tokens are indexed into
``whitespace``-analysed fields (see ``documents.py``) next to the original
text. Because queries go through :func:`analyze` too, index and query always
agree, and the cross-language expansions (issue 5) work on the same tokens.

Tokens are analysed by *script*, not by the field's language: a Han run is
segmented with jieba, a Cyrillic word is stemmed as Russian (after ё→е
folding), a Latin word as English. A Russian text quoting "UNEP" or a Chinese
text quoting "PM2.5" is therefore handled right, and a query needs no
language detection.

Query expansion hook: :func:`analyse_query` returns an :class:`AnalysedQuery`
holding the user's own tokens and a list of :class:`Expansion` produced by the
registered expanders (:func:`register_expander`, or dotted paths in
``settings.SEARCH_QUERY_EXPANDERS``). The query builder weighs each expansion
by its ``weight``, below the user's own words.
"""

import logging
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# --- Normalisation -------------------------------------------------------------

HAN_RANGES = (
    ("\u3400", "\u4dbf"),  # CJK extension A
    ("\u4e00", "\u9fff"),  # CJK unified ideographs
    ("\uf900", "\ufaff"),  # compatibility ideographs
    ("\U00020000", "\U0002ffff"),  # extensions B-F
)
HAN = "".join(f"{low}-{high}" for low, high in HAN_RANGES)  # inside a character class: [{HAN}]


def _outside(ranges):
    """The complement of sorted character ranges, as the inside of a character class."""
    parts, start = [], 0
    for low, high in ranges:
        if ord(low) > start:
            parts.append(f"{chr(start)}-{chr(ord(low) - 1)}")
        start = ord(high) + 1
    return "".join(parts) + f"{chr(start)}-{chr(sys.maxunicode)}"


HAN_CHAR = re.compile(f"[{HAN}]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile("[a-z]")
# A token is a run of Han letters or a run of other letters/digits, so a Han run is a
# token of its own even next to Latin ("pm2.5浓度" -> pm2, 5, 浓度). One pattern, one
# pass: the regular expression is most of the cost of reading a text that is analysed.
TOKEN = re.compile(f"[^\\W_{_outside(HAN_RANGES)}]+|[^\\W_{HAN}]+")


def normalize(text):
    """NFKC (full-width Ａ１ -> A1, ﹐ -> ,), case folding, ё -> е.

    Case folding is done here, not in Elasticsearch, because the analysed
    fields use the whitespace analyzer, which keeps case.
    """
    text = unicodedata.normalize("NFKC", text or "")
    return text.casefold().replace("ё", "е")


# --- Stop words ------------------------------------------------------------------
# Short lists of function words that would otherwise count towards
# "minimum should match" and drown rare terms. Phrase queries on the original
# text still see them.

STOPWORDS = frozenset(
    """
    a an and are as at be by for from in into is it of on or that the this to with
    и в во на по с со к ко о об от до из за для не что как а но или же ли бы у
    的 了 和 与 及 在 是 或 之 其 等 对 于
    """.split()
)


# --- Stemmers and segmenter (lazy, once) -----------------------------------------

_local = threading.local()


def _stemmer(language):
    """A Snowball stemmer per thread: stemmer objects keep state between calls."""
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if language not in cache:
        cache[language] = snowballstemmer.stemmer(language)
    return cache[language]


_jieba = None
_jieba_lock = threading.Lock()


def _segmenter():
    """jieba, initialised on first use and only once, without its log chatter.

    Loading the dictionary takes about a second; doing it lazily keeps
    ``manage.py`` commands that never see Chinese text fast.
    """
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


_compiled_jieba = None


def _compiled_segmenter():
    """jieba-rs (``rjieba``): jieba's algorithm and dictionary, compiled; imported on first use.

    It gives jieba's words (checked on every distinct Han run of the 10k corpus
    and in ``tests/test_search_api.py``) about ten times faster: segmenting is
    most of the cost of indexing Chinese text, whose clauses rarely repeat.
    """
    global _compiled_jieba
    if _compiled_jieba is None:
        with _jieba_lock:
            if _compiled_jieba is None:
                import rjieba

                _compiled_jieba = rjieba
    return _compiled_jieba


def load_segmenters():
    """Load both Chinese segmenters now: jieba-rs for indexing and most query text, and
    jieba itself, which the query expansion cuts leftovers with (a server's master
    process calls this before it forks its workers: ``portal/wsgi.py``)."""
    _segmenter()
    _compiled_segmenter()


# jieba's own Han class (its ``re_han_default``). Python jieba splits a character
# outside it (extension A, B…, compatibility ideographs) off on its own, where
# jieba-rs's wider class can join it to its neighbours: such a run goes to jieba itself.
OUTSIDE_JIEBA_HAN = re.compile("[^\u4e00-\u9fd5]")


def _segment_han(run):
    """Han run -> words, with the shorter words inside long ones ("search" mode).

    Index and query both use search mode, so "大气污染防治" yields 大气, 污染,
    大气污染, 防治 on both sides and a text saying only 大气污染 still matches.
    """
    if OUTSIDE_JIEBA_HAN.search(run):
        words = _segmenter().cut_for_search(run)
    else:
        words = _compiled_segmenter().cut_for_search(run, True)
    return [w for w in words if w.strip()]


_morph = None
_morph_lock = threading.Lock()


def _morphology():
    """pymorphy3's Russian analyser (OpenCorpora's dictionary), loaded once; ``False`` when missing."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                try:
                    import pymorphy3

                    _morph = pymorphy3.MorphAnalyzer()
                except (ImportError, OSError, ValueError):
                    logger.warning("pymorphy3 is not installed: Russian words are stemmed as they are")
                    _morph = False
    return _morph


def russian_base_form(word):
    """A Russian word's dictionary form (``обмену`` -> ``обмен``), when OpenCorpora knows the word.

    Snowball stems the forms of one word differently when an ending looks like
    a suffix: «обмен» -> обм but «обмену» -> обмен, «охрана» -> охра but
    «охране» -> охран, so a query in one case missed items in another, and a
    word in a list label or a dictionary was not found in another case. Stemming
    the dictionary form instead gives every form one stem. A word the
    dictionary does not know (most names: «Званец», «Хоргос») is left as it is:
    guessing its form mangles names.
    """
    morph = _morphology()
    if not morph or not morph.word_is_known(word):
        return word
    return morph.parse(word)[0].normal_form.replace("ё", "е")


PROPER_NAME_TAGS = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr"})


def russian_common_word(word):
    """The Russian dictionary knows ``word`` as a common word, not a name («хлорофилл», not «Тарим»)."""
    morph = _morphology()
    word = normalize(word)
    if not morph or not morph.word_is_known(word):
        return False
    return not (PROPER_NAME_TAGS & morph.parse(word)[0].tag.grammemes)


def _stem(word):
    if CYRILLIC.search(word):
        return _stemmer("russian").stemWord(russian_base_form(word))
    if LATIN.search(word) and word.isalpha():
        return _stemmer("english").stemWord(word)
    return word  # digits, codes like pm2, other scripts: as they are


TOKEN_CACHE_SIZE = 1 << 17  # distinct tokens remembered per process (about 40 MB when full)


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _token_terms(token):
    """``((is stop word, term), …)`` of one surface token: the work of :func:`analyze`, done once.

    Snowball (pure Python) and jieba cost far more than everything else in
    indexing, and text repeats its words (a Zipf law: a few thousand tokens make
    most of any corpus), so each distinct token is analysed once per process.
    Stop words are marked, not dropped, so indexing (which keeps them) and
    queries (which drop them) share the entry.
    """
    words = _segment_han(token) if HAN_CHAR.match(token) else [token]
    return tuple((word in STOPWORDS, word if HAN_CHAR.match(word) else _stem(word)) for word in words)


# --- Public analysis ---------------------------------------------------------------


def tokenize(text):
    """Normalised surface tokens (no stemming): Han runs kept whole."""
    return TOKEN.findall(normalize(text))


def analyze(text, keep_stopwords=False):
    """Text in any of our languages -> the list of index/query terms."""
    if keep_stopwords:
        return [term for token in tokenize(text) for _stop, term in _token_terms(token)]
    return [term for token in tokenize(text) for stop, term in _token_terms(token) if not stop]


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _token_text(token):
    """The terms of one token as a ``*_terms`` field holds them (stop words kept), joined."""
    return " ".join(term for _stop, term in _token_terms(token))


def analyzed_text(text):
    """The string stored in a ``*_terms`` field: terms joined by spaces.

    Stop words are kept so that phrase positions stay true to the original;
    queries drop them (see :func:`analyse_query`). Each token's part of the
    string is remembered (:func:`_token_text`), so a text costs little more
    than its regular expression: indexing runs this over every word of every item.
    """
    return " ".join(filter(None, map(_token_text, tokenize(text))))


# --- Query analysis and the expansion hook ----------------------------------------


@dataclass
class Expansion:
    """Extra words a query is widened with (a synonym, a translation, a place name).

    ``text`` is run through :func:`analyze` like everything else; ``weight`` is
    relative to the user's own words (1.0): a thesaurus label might be 0.7, a
    dictionary guess 0.3. ``source`` and ``lang`` are for ``explain=1``.
    """

    text: str
    weight: float = 0.5
    source: str = ""
    lang: str = ""
    terms: list = field(default_factory=list)

    def __post_init__(self):
        if not self.terms:
            self.terms = [t for t in analyze(self.text) if t]


@dataclass
class AnalysedQuery:
    raw: str  # what the user typed
    lang: str  # the reader's language (a hint for expanders)
    terms: list  # the user's own words, analysed, without stop words
    expansions: list = field(default_factory=list)

    @property
    def text(self):
        """The raw query, normalised: used for phrase matching on original text."""
        return " ".join(tokenize(self.raw))

    @property
    def is_empty(self):
        return not self.terms and not self.text


_expanders = []


def register_expander(func):
    """Add ``func(AnalysedQuery) -> iterable of Expansion`` to every query.

    Usable as a decorator. Expanders run in registration order, then the ones
    named in ``settings.SEARCH_QUERY_EXPANDERS``.
    """
    if func not in _expanders:
        _expanders.append(func)
    return func


def unregister_expander(func):
    if func in _expanders:
        _expanders.remove(func)


def expanders():
    """Registered expanders, then the configured ones that can be imported.

    A configured path that does not import (a module still being written, a
    typo) is logged and skipped: search keeps working without it.
    """
    configured = []
    for path in getattr(settings, "SEARCH_QUERY_EXPANDERS", ()):
        try:
            configured.append(import_string(path))
        except ImportError:
            logger.warning("query expander %s cannot be imported; ignoring it", path)
    return [*_expanders, *(f for f in configured if f not in _expanders)]


# A Russian stop word written with a capital letter after the query's first word is a name:
# «охрана долины Или» (the Ili river), not «или» ("or").
CAPITALISED_WORD = re.compile(r"(?<=\S)\s+([А-ЯЁ][а-яё]{2,})\b")


def named_stopwords(raw):
    """The stop words a query uses as names (:data:`CAPITALISED_WORD`), normalised."""
    return {normalize(word) for word in CAPITALISED_WORD.findall(raw or "") if normalize(word) in STOPWORDS}


# A number's sign (NFKC writes «№» as "No"; "No. 417", "Nr. 5"): part of the number that follows it.
NUMBER_SIGNS = frozenset({"no", "nr", "n"})


def word_tokens(raw):
    """The query's tokens without a number's sign (``search.ranking`` matches the number as typed).

    «постановление № 482» was three words, «№» among them as the English word
    "no", translated 不是 ("is not") and matched on every "No." of English text.
    """
    tokens = tokenize(raw)
    return [
        token
        for i, token in enumerate(tokens)
        if not (token in NUMBER_SIGNS and i + 1 < len(tokens) and tokens[i + 1][:1].isdigit())
    ]


def query_terms(raw):
    """A query's terms: :func:`analyze` without stop words, except those used as names."""
    names = named_stopwords(raw)
    terms = [(token, stop, term) for token in word_tokens(raw) for stop, term in _token_terms(token)]
    return [term for token, stop, term in terms if not stop or token in names]


def analyse_query(raw, lang=""):
    """The user's query, analysed like the index, plus whatever expanders add.

    An expander that fails is logged and skipped: a broken dictionary must not
    break search.
    """
    raw = (raw or "").strip()
    query = AnalysedQuery(raw=raw, lang=lang, terms=query_terms(raw))
    for expander in expanders():
        try:
            query.expansions.extend(e for e in expander(query) or () if e.terms)
        except Exception:
            logger.exception("query expander %r failed; ignoring it", expander)
    return query
