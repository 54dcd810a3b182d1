"""Query understanding across languages (issue 5): the expander behind ``SEARCH_QUERY_EXPANDERS``.

For a query typed in any of the portal's languages, :func:`expand_query` finds

1. **names and concepts** from the lists: thesaurus concepts and gazetteer
   places (``vocab``), and the taxonomy's countries, themes, organisations and
   programme series. Non-Chinese words are matched on their analysed terms
   (Snowball stems), so «загрязнения воздуха» finds the concept labelled
   «загрязнение воздуха» and "wetlands" the one labelled "wetland"; the words
   of a label may come in any order (Russian names invert), and a name of
   three words or more may lack one ("Green Silk Road Envoys" for the
   "... Programme", "pollution prevention" for "... and control";
   :func:`partial_min_terms`). A Chinese run has no spaces: it is segmented
   against the Chinese labels, longest match first.
2. for the words no list knows: **dictionary** translations (CC-CEDICT,
   Mueller/FreeDict; zh<->ru through English), else **transliteration**
   (Cyrillic <-> Latin) of what looks like a name, or for a Chinese word its
   pinyin and Palladius readings (``search.names``: 安吉 -> "anji", «аньцзи»).
   A dictionary lists every sense of a word; where the lists' own labels,
   read word by word, pair the word with words of another language
   (:func:`label_partners`: «обмен» with "exchange" and 交流 in a dozen
   concepts), those are its translations there, and the dictionary's other
   senses in that language are dropped (:func:`_agreeing_senses`;
   ``SEARCH_LABEL_PAIRINGS``, ``labels-off`` in the blind evaluation); of the
   dictionary's candidates, the words of the lists' labels come first
   (:func:`domain_sense`, ``SEARCH_DOMAIN_SENSES``, ``senses-off``).

Each recognised span of the query becomes one *group* of expansions (its
labels in the other languages, and its synonyms in the query's language);
the query builder scores a group by its best-matching label (``dis_max``), so
an item matching two of the query's concepts ranks above one matching a
single concept however many synonyms that one has. Weights (the user's own
words count 1.0) are in :data:`WEIGHTS`: with ``SEARCH_FAIR_LANGUAGES`` (the
default, issue 15) a list label in another language counts as much as the
user's own words, since it is the same name as an editor wrote it, and so does
a name's spelling in another script; a dictionary's translation, the only way
to an item in another language when no list knows the word, nearly as much;
so an item written only in that language competes on equal terms (weights
tuned on the odd half of the blind set, ``bench/crosslang_blind_eval.py``); without it, the
weights of issue 5 (0.7, 0.6, 0.5, 0.3) put the query's own language ahead.
Each expansion carries the words of its span as the user typed them
(``own``), so ``search.ranking`` can score the span as one unit.

The label tables are built once per process and rebuilt when the vocabulary
version (``vocab.versioning``) changes: saving any concept, place or taxonomy
snippet bumps it.
"""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError

from portal import languages
from search import transcription, translit
from search.analysis import (
    HAN_CHAR,
    STOPWORDS,
    Expansion,
    analyze,
    named_stopwords,
    normalize,
    query_terms,
    russian_common_word,
    word_tokens,
)
from vocab import versioning

logger = logging.getLogger(__name__)

# kind -> (weight with fair competition between languages, weight without)
WEIGHTS = {
    "list": (1.0, 0.7),  # thesaurus, gazetteer, taxonomy: the label in another language
    "synonym": (0.8, 0.6),  # another label of the same concept in the query's language (already matched)
    "name": (1.0, 0.5),  # transliteration, pinyin <-> Han of a name no list knows
    "learnt": (0.7, 0.4),  # a pairing learnt from the portal's translated items (search.pairings)
    "dictionary": (0.9, 0.3),  # a dictionary's guess
    "label-word": (0.9, 0.4),  # a word's translation as the lists' own labels pair it (label_partners)
}
LEARNT_PER_SPAN = 4  # learnt partners a word of the query brings, best first
# A word's partners in the lists' labels (label_partners): a pairing this sure decides the word's
# sense in that language; partners nearly as good as the best are its other words (监测站, 测站).
LABEL_PARTNER_MIN = 0.6
LABEL_PARTNER_SHARE = 0.75
LABEL_PARTNERS_PER_LANGUAGE = 3
MAX_EXPANSIONS = 60  # per query, to keep the Elasticsearch request bounded
# Generic last words of Chinese names: 绿色丝路使者计划 is found as 绿色丝路使者 too.
PLACE_KINDS = ("country:", "place:")  # what an adjective of one word may name (demonym_places)
MIN_ROOT = 4  # letters an adjective's root keeps (shorter roots match too much)
RUSSIAN_ADJECTIVE_STEM = re.compile(rf"(?P<root>[а-я]{{{MIN_ROOT},}})[сц]к")  # кыргыз|ск
HAN_GENERIC_SUFFIXES = ("计划", "项目", "方案", "工程", "倡议", "组织", "中心")


def weight(kind):
    """The weight of an expansion of ``kind`` (see :data:`WEIGHTS`) under the current settings."""
    fair, unfair = WEIGHTS[kind]
    return fair if getattr(settings, "SEARCH_FAIR_LANGUAGES", True) else unfair


@dataclass(eq=False)
class GroupedExpansion(Expansion):
    """An :class:`Expansion` that belongs to one recognised span of the query.

    ``own`` holds the span's analysed terms as the user typed them, ``own_lang``
    their script's language: the span's own representation in its group.
    """

    group: str = ""
    own: tuple = ()
    own_lang: str = ""
    country: str = ""  # the country code, when the span names a country (search.ranking scores it by tag)


@dataclass
class Entity:
    key: str  # "concept:air-pollution", "place:almaty", "country:KZ"...
    source: str  # "thesaurus", "gazetteer", "taxonomy"
    labels: dict  # code -> [label, ...], preferred first
    country: str = ""  # the country's code, for a country (taxonomy) or a gazetteer place of kind country


@dataclass
class LabelTables:
    version: int
    entities: dict = field(default_factory=dict)  # key -> Entity
    labels: list = field(default_factory=list)  # [(terms tuple, entity key)]
    by_term: dict = field(default_factory=lambda: defaultdict(set))  # term -> {label index}
    han: dict = field(default_factory=lambda: defaultdict(set))  # surface -> {entity key}
    han_max: int = 0
    by_prefix: dict = field(default_factory=lambda: defaultdict(set))  # first MIN_ROOT letters -> {label}
    word_partners: dict = field(default_factory=dict)  # (code, term) -> {other code: {term: score}}
    label_terms: dict = field(default_factory=lambda: defaultdict(set))  # code -> {its labels' terms}

    def by_term_prefix(self, prefix):
        """Labels with a term beginning with ``prefix`` (``MIN_ROOT`` letters), for :func:`demonym_places`."""
        return self.by_prefix.get(prefix, ())


# --- Label sources ------------------------------------------------------------------------


def _taxonomy_entities():
    from portal.core.models import Country, Organisation, Theme

    def labels_of(obj, names):
        out = {}
        for code in languages.LANGUAGE_CODES:
            values = [getattr(obj, languages.localized_field(n, code), None) for n in names]
            values = [v for v in values if v]
            if values:
                out[code] = values
        return out

    for country in Country.objects.all():
        yield Entity(f"country:{country.code}", "taxonomy", labels_of(country, ["name"]), country.code)
    for theme in Theme.objects.all():
        yield Entity(f"theme:{theme.slug}", "taxonomy", labels_of(theme, ["name"]))
    for org in Organisation.objects.all():
        yield Entity(f"organisation:{org.pk}", "taxonomy", labels_of(org, ["name", "acronym"]))
    from projects.models import ProgrammeSeries

    for series in ProgrammeSeries.objects.all():
        yield Entity(f"programme:{series.slug}", "taxonomy", labels_of(series, ["name"]))


def _vocab_entities():
    from vocab.models import Concept, Place

    for concept in Concept.objects.all():
        yield Entity(f"concept:{concept.identifier}", "thesaurus", concept.all_labels())
    for place in Place.objects.select_related("country"):
        country = place.country.code if place.kind == Place.Kind.COUNTRY and place.country else ""
        yield Entity(f"place:{place.identifier}", "gazetteer", place.all_labels(), country)


def _add_label(tables, entity, label):
    surface = normalize(label).replace(" ", "")
    if surface and all(HAN_CHAR.match(ch) for ch in surface):
        forms = [surface]
        for suffix in HAN_GENERIC_SUFFIXES:
            if surface.endswith(suffix) and len(surface) - len(suffix) >= 3:
                forms.append(surface[: -len(suffix)])
        for form in forms:
            tables.han[form].add(entity.key)
            tables.han_max = max(tables.han_max, len(form))
        return
    # A name made of a stop word alone (the river Или, "or") keeps it: it is all the name has.
    terms = tuple(t for t in analyze(label) or analyze(label, keep_stopwords=True) if not HAN_CHAR.match(t))
    if not terms:
        return
    index = len(tables.labels)
    tables.labels.append((terms, entity.key))
    for term in set(terms):
        tables.by_term[term].add(index)
        if len(term) >= MIN_ROOT:
            tables.by_prefix[term[:MIN_ROOT]].add(index)


def build_tables(version):
    tables = LabelTables(version=version)
    for entity in [*_vocab_entities(), *_taxonomy_entities()]:
        tables.entities[entity.key] = entity
        for code, labels in entity.labels.items():
            for label in labels:
                _add_label(tables, entity, label)
                tables.label_terms[code].update(analyze(label))
    tables.word_partners = _label_word_pairings(tables.entities.values())
    return tables


def _label_word_pairings(entities):
    """Word-for-word pairings the lists' own labels teach: ``{(code, term): {other code: {term: score}}}``.

    Each concept, place and taxonomy entry names one thing in three languages,
    so over the four hundred concepts a word and its translation keep occurring
    in the same entries' labels: «обмен» with "exchange" and 交流 (in «обмен
    информацией», "information exchange", 信息交流...), «пост» with "station"
    and 监测站. The entries are fed to the learner of ``search.pairings`` as
    items; it keeps a pairing only when at least two entries teach it and each
    word is among the other's best partners. Editors' translations of whole
    labels, read word by word: what decides a dictionary word's sense
    (:func:`_agreeing_senses`).
    """
    from search import pairings

    items = [
        (
            entity.key,
            {code: {"title": " ".join(_label_terms(labels))} for code, labels in entity.labels.items()},
        )
        for entity in entities
    ]
    out = defaultdict(lambda: defaultdict(dict))
    for p in pairings.learn(items):
        out[(p.language, p.term)][p.other_language][p.other_term] = p.score
        out[(p.other_language, p.other_term)][p.language][p.term] = p.score
    return {key: dict(by_code) for key, by_code in out.items()}


def _label_terms(labels):
    return [term for label in labels for term in analyze(label)]


# --- Cache, invalidated by the vocabulary version -----------------------------------------------

_tables = versioning.Built(lambda version: build_tables(version))


def invalidate():
    _tables.forget()


def get_tables():
    """The label tables of the current vocabulary version (rebuilt when it changed)."""
    return _tables.get()


def connect():
    """Called from ``SearchConfig.ready()``: rebuild when any list of names changes."""
    from projects.models import ProgrammeSeries

    versioning.add_listener(invalidate)
    versioning.watch(ProgrammeSeries)


# --- Recognising the query's spans ----------------------------------------------------------------


def script_language(text):
    if HAN_CHAR.search(text):
        return "zh-hans"
    if translit.CYRILLIC_WORD.search(normalize(text)) or any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    return "en"


@dataclass
class Span:
    """A recognised part of the query: a list name, or a word for the dictionary."""

    text: str  # the words as typed (normalised)
    lang: str
    entities: list = field(default_factory=list)  # entity keys (empty: not in any list)
    terms: tuple = ()


def _han_terms(word):
    """A Chinese span's terms as the index has them (jieba's search mode: 环境影响评价 -> 环境, 影响, ...).

    The user's own words of a span are one group: the query's analysed terms
    inside it are *covered* by it and must not count again as groups of their own.
    """
    return tuple(dict.fromkeys(analyze(word))) or (word,)


def _word_cuts(run):
    """``{position: word}`` of jieba's words of two characters or more in ``run``."""
    from search.analysis import _segmenter

    cuts, position = {}, 0
    for word in _segmenter().cut(run):
        if len(word) >= 2:
            cuts[position] = word
        position += len(word)
    return cuts


def _label_extent(start, end, cuts, keys):
    """Where a label found at ``run[start:end]`` ends as a span; ``None`` when it cuts a word in two.

    A label inside a longer word of jieba's is another word: 土地 ("land") in
    黑土地 ("black soil"), 风电 in 风电场 ("wind farm"), 跨界水 across 跨界 / 水质,
    监测 in 监测站. Taken as a name, it left the rest of the word standing alone
    (黑, 场, 质) and the query's own terms of the word (黑土, 黑土地) counted
    again as groups of their own: one word of the query scored three times. A
    place named before its generic word is the exception, and the span takes
    the word whole (奥什市, "Osh city": the place Osh).
    """
    for position, word in cuts.items():
        if not any(position < edge < position + len(word) for edge in (start, end)):
            continue
        place = any(key.startswith(PLACE_KINDS) for key in keys)
        named = start == position and end == position + len(word) - 1
        if not (place and named and word.endswith(transcription.GENERIC_SUFFIXES)):
            return None
        return end + 1
    return end


def _segment_han(run, tables):
    """Forward maximum matching of a Han run against the labels; leftovers by jieba."""
    from search.analysis import _segmenter

    spans, leftover, i = [], "", 0

    def flush():
        nonlocal leftover
        name = transcription.split_name(leftover) if leftover and names_on() else None
        if name:  # a foreign name in Chinese characters (木伊纳克): one span, not jieba's pieces
            for word in name:
                if word:
                    spans.append(Span(word, "zh-hans", [], _han_terms(word)))
            leftover = ""
        if leftover:
            for word in _segmenter().cut(leftover):
                if word.strip() and word not in STOPWORDS:
                    spans.append(Span(word, "zh-hans", [], _han_terms(word)))
            leftover = ""

    cuts = _word_cuts(run)
    while i < len(run):
        for length in range(min(tables.han_max, len(run) - i), 1, -1):
            keys = tables.han.get(run[i : i + length])
            end = _label_extent(i, i + length, cuts, keys) if keys else None
            if end:
                flush()
                spans.append(Span(run[i:end], "zh-hans", sorted(keys), _han_terms(run[i:end])))
                i = end
                break
        else:
            leftover += run[i]
            i += 1
    flush()
    return spans


def _match_words(words, tables):
    """Spans of a run of non-Han words: list labels (in any word order), else single words.

    ``words`` is ``[(surface, term)]`` with stop words removed.
    """
    terms = [term for _surface, term in words]
    shortest_partial = partial_min_terms()
    present = defaultdict(list)
    for position, term in enumerate(terms):
        present[term].append(position)
    candidates = defaultdict(int)
    for term in present:
        for index in tables.by_term.get(term, ()):
            candidates[index] += 1
    matches = []
    for index, hits in candidates.items():
        label_terms, key = tables.labels[index]
        needed = len(set(label_terms))
        if hits < needed and not (needed >= shortest_partial and hits >= needed - 1):
            continue
        positions = sorted(present[t][0] for t in set(label_terms) if t in present)
        contiguous = positions[-1] - positions[0] + 1 == len(positions)
        in_order = contiguous and [terms[p] for p in positions] == [t for t in label_terms if t in present]
        matches.append((len(positions), in_order, contiguous, hits == needed, -positions[0], positions, key))
    matches.sort(reverse=True)
    covered, chosen, ranks = set(), {}, {}
    for *rank, positions, key in matches:
        span, rank = tuple(positions), tuple(rank[:4])
        if span in chosen:
            # The same words name several things (river and region), as well as the first:
            # not a label they only partly match where another matches them whole.
            if key not in chosen[span] and rank == ranks[span]:
                chosen[span].append(key)
            continue
        if set(positions) <= covered:
            continue
        if set(positions) & covered:
            continue  # overlapping a better match
        covered |= set(positions)
        chosen[span], ranks[span] = [key], rank
    spans = []
    for positions, keys in chosen.items():
        text = " ".join(words[p][0] for p in positions)
        spans.append(
            (positions[0], Span(text, script_language(text), keys, tuple(terms[p] for p in positions)))
        )
    seen = {terms[p] for p in covered}
    for position, (surface, term) in enumerate(words):
        if position not in covered and term not in seen:  # a word typed twice (South-South) is one span
            seen.add(term)
            spans.append((position, Span(surface, script_language(surface), [], (term,))))
    return [span for _position, span in sorted(spans, key=lambda item: item[0])]


def partial_min_terms():
    """The shortest label that still matches with one of its words missing (``SEARCH_PARTIAL_LABEL_TERMS``).

    Three: a query says "pollution prevention", "wastewater plant", «обучение
    по твёрдым отходам»; the thesaurus "pollution prevention and control"
    (污染防治), "wastewater treatment plant". Below four words such a label was
    not recognised, the words were translated one by one by the dictionary
    ("prevention": 防止, 预防), and the Chinese item saying 污染防治 was
    reached by one group of the two. A label matched whole by the same words
    is preferred (:func:`_match_words`), so "national park" is the concept,
    not every "X National Park" of the gazetteer. Blind set, odd half (tuned
    on), cross-language MRR: 4 words .872, 3 words .880; even half .791 -> .798.
    """
    return settings.SEARCH_PARTIAL_LABEL_TERMS


def recognise(raw, tables=None):
    """The query split into :class:`Span` objects, list names recognised."""
    tables = tables or get_tables()
    spans, words, names = [], [], named_stopwords(raw)
    for token in word_tokens(raw):
        if HAN_CHAR.match(token):
            spans += _match_words(words, tables)
            words = []
            spans += _segment_han(token, tables)
            continue
        terms = analyze(token) or (analyze(token, keep_stopwords=True) if token in names else [])
        if terms:
            words.append((token, terms[0]))
    spans += _match_words(words, tables)
    return spans


# --- Expansions --------------------------------------------------------------------------------------


def _list_expansions(span, group, tables):
    out, seen = [], {tuple(span.terms)}
    for key in span.entities:
        entity = tables.entities[key]
        for code, labels in entity.labels.items():
            kind_weight = weight("synonym" if code == span.lang else "list")
            for label in labels:
                exp = GroupedExpansion(
                    label,
                    kind_weight,
                    f"{entity.source}:{key}",
                    code,
                    terms=query_terms(label),
                    group=group,
                    country=entity.country,
                )
                terms = tuple(exp.terms)
                if terms and terms not in seen:
                    seen.add(terms)
                    out.append(exp)
    return out


def _dictionary_expansions(span, group, tables):
    from search import dictionaries

    prefer = domain_sense(tables)
    try:
        pairs = dictionaries.translate(span.text, span.lang, prefer)
        for form in base_forms(span) if not pairs else ():
            pairs = dictionaries.translate(form, span.lang, prefer)
            if pairs:
                break
    except Exception:
        logger.exception("dictionary lookup failed for %r", span.text)
        return []
    return [
        GroupedExpansion(text, weight("dictionary"), "dictionary", lang, group=group) for text, lang in pairs
    ]


def domain_sense(tables):
    """``prefer(text, lang)`` for ``dictionaries.translate``: is this sense a word of the lists' labels?

    A dictionary ranks a word's senses by general usage, and the inverted
    ones poorly: «охрана» gave "guard" before "protection", «восстановление»
    "rally" before "restoration", «положение» "position", never "regulation".
    The thesaurus, gazetteer and taxonomy name what this portal is about in
    the three languages, so a sense whose every term occurs in their labels of
    that language is the one its texts use: such senses are taken first
    (``SEARCH_DOMAIN_SENSES``; ``senses-off`` in the blind evaluation). The
    dictionary still decides between two senses both or neither in the lists.
    """
    if not getattr(settings, "SEARCH_DOMAIN_SENSES", True):
        return None

    def prefer(text, lang):
        terms = analyze(text)
        return bool(terms) and all(term in tables.label_terms.get(lang, ()) for term in terms)

    return prefer


# Endings of a Russian word's dictionary form (nouns, then adjectives): «охране» is «охрана».
RUSSIAN_ENDINGS = ("а", "я", "е", "о", "ь", "ие", "ия", "ый", "ий", "ой")


def label_partners(span, tables):
    """``{code: [term, ...]}``: the span's surest partners in each other language, by the lists' labels.

    Only pairings of score :data:`LABEL_PARTNER_MIN` or more, and in each
    language those within :data:`LABEL_PARTNER_SHARE` of the best (a Chinese
    word's overlapping forms, 监测站 and 测站; not 气质 beside 空气 for «воздух»).
    """
    if not getattr(settings, "SEARCH_LABEL_PAIRINGS", True):
        return {}
    scores = defaultdict(dict)
    for term in span.terms:
        for code, partners in tables.word_partners.get((span.lang, term), {}).items():
            for other, score in partners.items():
                if code != span.lang and score >= LABEL_PARTNER_MIN:
                    scores[code][other] = max(score, scores[code].get(other, 0.0))
    out = {}
    for code, found in scores.items():
        best = max(found.values())
        ranked = sorted(found, key=lambda term: (-found[term], term))
        out[code] = [term for term in ranked if found[term] >= best * LABEL_PARTNER_SHARE]
        out[code] = out[code][:LABEL_PARTNERS_PER_LANGUAGE]
    return out


def _agreeing_senses(span, group, tables, found):
    """The dictionary's translations of a word, in the sense the lists' labels agree on.

    A dictionary lists every sense of a word, and the portal's inverted
    dictionaries rank them poorly: «обмен» came out as "truck" (a barter, in
    Mueller's article) and through it 卡车; «пост» as "seat". Where the labels
    pair the word surely with words of a language (:func:`label_partners`),
    those words are its translations there, and a dictionary translation into
    that language is kept only if it shares a term with them; in a language the
    labels say nothing of, the dictionary's guesses stay as they were.
    """
    partners = label_partners(span, tables)
    if not partners:
        return found
    kept = [e for e in found if e.lang not in partners or set(e.terms) & set(partners[e.lang])]
    agreed = [
        GroupedExpansion(term, weight("label-word"), "label-word", code, terms=[term], group=group)
        for code, terms in partners.items()
        for term in terms
    ]
    known = {(e.lang, term) for e in agreed for term in e.terms}
    return agreed + [e for e in kept if not {(e.lang, term) for term in e.terms} <= known]


def base_forms(span):
    """Other forms of a one-word Russian span to look up when the dictionary lacks its own.

    The dictionary is keyed by Snowball stems, and Snowball stems the forms of
    one word differently («охрана» -> охра, «охране» -> охран): the stem with
    each dictionary-form ending, in turn, finds the headword.
    """
    if span.lang != "ru" or len(span.terms) != 1 or " " in span.text:
        return []
    stem = span.terms[0]
    if len(stem) < 4 or not translit.is_cyrillic_word(stem):
        return []
    return [stem + ending for ending in RUSSIAN_ENDINGS if stem + ending != span.text]


def _translit_expansions(span, group):
    """A word no dictionary translates, spelt in the other script, as a name would be.

    Not a Russian word the Russian dictionary knows as a common word
    («саммит», «обводнение»): spelt in Latin letters it is no
    English word ("khlorofil"), it matched nothing or something else, and it
    made the query seem to reach English items (``search.ranking.language_balance``).
    """
    word = span.text
    if translit.is_cyrillic_word(word.replace("-", "")):
        if russian_common_word(word):
            return []
        spellings = translit.latin_variants(word)
        if names_on():  # «Медеуский район»: the name Medeu behind the adjective
            spellings += [translit.to_latin(name) for name in translit.adjective_names(word)]
        out = [
            GroupedExpansion(v, weight("name"), "translit", "en", group=group)
            for v in dict.fromkeys(spellings)
        ]
        return out + _palladius_expansions(word, group)
    if translit.is_latin_word(word.replace("-", "")) and len(word) >= 4:
        return [GroupedExpansion(translit.to_cyrillic(word), weight("name"), "translit", "ru", group=group)]
    return []


def _palladius_expansions(word, group):
    """A Russian spelling of a Chinese name («Аньцзи») as its pinyin ("anji"), for English text."""
    from search import names

    if not getattr(settings, "SEARCH_NAME_MATCHING", True):
        return []
    reading = names.cyrillic_to_pinyin(word)
    return [GroupedExpansion(reading, weight("name"), "palladius", "en", group=group)] if reading else []


def expansions_for(aq):
    """The expansions of an :class:`~search.analysis.AnalysedQuery`, grouped by span."""
    try:
        tables = get_tables()
    except DatabaseError:
        logger.warning("query expansion: vocabulary tables unavailable", exc_info=True)
        return []
    out = []
    for number, span in enumerate(recognise(aq.raw, tables)):
        found = _span_expansions(span, f"g{number}", tables)
        for expansion in found:
            expansion.own, expansion.own_lang = tuple(span.terms), span.lang
        out += found
    return out[:MAX_EXPANSIONS]


def _span_expansions(span, group, tables):
    if not span.entities and names_on():
        span.entities = demonym_places(span, tables)
    if span.entities:
        return _list_expansions(span, group, tables)
    if len(span.text) < 2 or span.text.isdigit():
        return []
    learnt = _learnt_expansions(span, group)
    found = _agreeing_senses(span, group, tables, _dictionary_expansions(span, group, tables))
    if not found and span.lang != "zh-hans":
        found = _translit_expansions(span, group)
    if not found and span.lang == "zh-hans":
        found = _chinese_name_expansions(span, group)
    return learnt + found


def demonym_places(span, tables):
    """The country or place an adjective of one word is made from: «китайско-кыргызское», "Chinese".

    Queries name countries by their adjectives («узбекские учёные», "Chinese
    experts"), which no list holds and a dictionary translates as the language
    or the people ("Chinese" -> 语文). The adjective's root (Russian: the stem
    before -ск/-цк; English: before -ese, or without the -n/-i of -ian/-ani,
    or as is before -stan) is matched to the one-word labels of countries and
    places in the lists, the longest match winning: кыргыз -> Кыргызстан,
    китай -> Китай, chin -> China, uzbek -> Uzbekistan.
    """
    if len(span.terms) != 1:
        return []
    word, stem = span.text, span.terms[0]
    if span.lang == "ru":
        m = RUSSIAN_ADJECTIVE_STEM.fullmatch(stem)
        roots = [m.group("root")] if m else []
    elif span.lang == "en" and word.isalpha():
        roots = [word[:-3]] if word.endswith("ese") else []
        roots += [word[:-1]] if word.endswith(("ian", "ani")) else []
        roots += [word + "stan", word + "istan"]
    else:
        return []
    best, keys = 0, []
    for root in roots:
        for index in tables.by_term_prefix(root[:MIN_ROOT]):
            terms, key = tables.labels[index]
            if len(terms) != 1 or not key.startswith(PLACE_KINDS):
                continue
            label = terms[0]
            if len(label) < MIN_ROOT or not (root.startswith(label) or label.startswith(root)):
                continue
            length = min(len(label), len(root))
            if length > best:
                best, keys = length, []
            if length == best and key not in keys:
                keys.append(key)
    return keys[:3]


def _learnt_expansions(span, group):
    """The span's words as the portal's own translated items say them (``search.pairings``).

    Only for words no list knows; a learnt partner is one analysed term, used as such.
    """
    from search import pairings

    try:
        found = pairings.partners(span.terms, span.lang)
    except DatabaseError:
        logger.warning("query expansion: learnt pairings unavailable", exc_info=True)
        return []
    return [
        GroupedExpansion(term, weight("learnt"), "learnt", code, terms=[term], group=group)
        for code, term, _score in found[:LEARNT_PER_SPAN]
    ]


def names_on():
    return getattr(settings, "SEARCH_NAME_MATCHING", True)


def _chinese_name_expansions(span, group):
    """A Chinese word no list or dictionary knows, read as a name.

    A Chinese name (安吉): its pinyin (en) and Palladius (ru) spellings. A
    foreign name written in Chinese (木伊纳克, see ``search.transcription``):
    its Cyrillic reading (ru) and that in Latin letters (en), matched fuzzily
    (``search.ranking``).
    """
    from search import names

    if not names_on() or len(span.text) < names.MIN_NAME_CHARS:
        return []
    cyrillic = transcription.to_cyrillic(span.text)
    if cyrillic:
        readings = [cyrillic, *transcribed_cuts(span.text)]
        return [
            GroupedExpansion(text, weight("name"), transcription.SOURCE, code, group=group)
            for reading in readings
            for text, code in [(reading, "ru"), (_latin_words(reading), "en")]
            if text
        ]
    reading = names.han_pinyin(span.text)
    if not reading:
        return []
    out = [GroupedExpansion(reading, weight("name"), "pinyin", "en", group=group)]
    cyrillic = names.pinyin_to_cyrillic(reading)
    if cyrillic:
        out.append(GroupedExpansion(cyrillic, weight("name"), "palladius", "ru", group=group))
    return out


def transcribed_cuts(word):
    """A transcribed name's reading cut in two words (``SEARCH_NAME_CUTS``; ``transcription.cut_readings``).

    Found in the blind set's odd half: 琼克明 («чонкмин») for the item saying
    "Chon-Kemin". Each part is matched fuzzily like the whole, both in one field.
    """
    if not getattr(settings, "SEARCH_NAME_CUTS", True):
        return []
    return transcription.cut_readings(word)


def _latin_words(cyrillic):
    """A Cyrillic reading in Latin letters, word by word (the first spelling of each)."""
    words = [translit.latin_variants(word)[:1] for word in cyrillic.split()]
    return " ".join(spelling[0] for spelling in words if spelling)


def expand_query(aq):
    """The expander named in ``settings.SEARCH_QUERY_EXPANDERS``."""
    if not aq.raw:
        return []
    return expansions_for(aq)
