"""The scoring query: how an item is ranked for a query, whatever its language (issues 4, 5, 15).

The query is split into *groups*, one per recognised span (a concept, a
place, a name, an unknown word, a number; see ``search.expansion``). Each
group is scored by its best *representation* (``dis_max``): the user's own
words, or one of its expansions (the label in another language, a
transliteration, a pinyin reading, a dictionary guess). The item's score is
the sum over groups, so an item matching more of the query's spans ranks
higher, however many synonyms one span has. Three mechanisms, each behind a
setting so the evaluation can switch it off (``bench/crosslang_blind_eval.py``):

``SEARCH_FAIR_LANGUAGES``
    Each representation is matched on the fields of *its own* language, at
    the weight of the user's own words when it is a list label
    (``search.expansion.WEIGHTS``): an item written only in Chinese is scored
    by the Chinese name of the concept as an English item is by the English
    one. Off: issue 5's weights, below the user's words.
``SEARCH_RARE_TERMS``
    A representation's boost is divided by its number of terms, so a group
    scores the *mean* of its terms' BM25 weights, which Elasticsearch computes
    from their rarity in the index (IDF, per language's fields): a rare name
    or number outweighs a long, common concept label. Numbers and codes as
    typed (``2023``, ``GB3095-2012``, ``№ 7-ФЗ``) are also matched as such on
    the original text, and a year on the item's year. A country the query
    names is matched on the items' country tags, its name in a text counting
    less than a word (:class:`CountryRepresentation`).
``SEARCH_NAME_MATCHING``
    Names no list knows: see ``search.names`` (pinyin <-> Han, Cyrillic <->
    Latin). Applied by the expander; here it adds a word's pinyin reading as
    one more representation of the word's group (:class:`PinyinRepresentation`).

Every field is scored by BM25 with little length normalisation
(``search.documents.SIMILARITY``): with the defaults a long title naming
everything the query asks for scored a third of a two-word title.

``SEARCH_FIELD_RARITY``
    A representation's words are weighed by their rarity in each field
    (:meth:`Representation._matched`): a word's rarity in titles is no longer
    its rarity in running text.

``SEARCH_GROUP_CAP``
    A group scores at most :data:`GROUP_SCORE_CAP` (:func:`capped`): a word
    rare in one language's texts no longer outweighs the rest of the query,
    so the item matching more of the query's groups wins, whatever its language.

``SEARCH_OWN_VERSION``
    An item with a version in the reader's language is scored on that
    version: a group's translations count only for items without it
    (:func:`own_version`), so an item in three languages no longer has three
    chances at each group.

``SEARCH_LANGUAGE_BALANCE``
    A query word nothing translates reaches only items of its own language:
    an item in a language some groups cannot reach is scored up by how many
    it can (:func:`language_balance`), so it is not a group short against the
    query-language item on a neighbouring subject.

Phrases of the user's own words add a bonus (proximity), scaled like a group.
Items in the reader's language win ties, and only ties (:func:`reader_language_factor`).

Cost (issue 14): that query has a clause per representation, each over a
language's four fields, and phrase clauses over all twelve; scoring all of it
on every matching document is what made the search heavy. With
``SEARCH_RESCORE_WINDOW`` (the default), Elasticsearch first ranks the matches
by :func:`first_pass_query` (flat: each of the query's terms in each field of
its language a ``term`` clause of its own, boosted by its group's weight; no
phrases), and only the best ``SEARCH_RESCORE_WINDOW`` of them are scored by
:func:`text_query`, which alone decides their order (:func:`rescore`). ``0``
scores every match with the whole query. Flat, the first pass's top-level
clauses each have a best possible score Lucene knows, so it can skip the items
that cannot enter the window (block-max WAND): see :func:`first_pass_query`.
"""

import re
from collections import defaultdict

from django.conf import settings
from elasticsearch.dsl import Q

from portal import languages
from search import transcription
from search.analysis import HAN_CHAR, analyze, normalize, tokenize
from search.documents import PINYIN_FIELD, PINYIN_LANGUAGE, TEXT_FIELDS, query_fields, terms_field
from search.expansion import script_language

# All terms of a short representation, most terms of a long one (jieba's
# search mode yields overlapping words, so a four-word Chinese label needs three).
MINIMUM_SHOULD_MATCH = "2<70%"
PHRASE_BOOST = 2.0  # the user's words adjacent (slop 2), on top of their groups
YEAR_BOOST = 2.0  # the item's own year equals a year in the query
YEARS = range(1900, 2101)
YEAR_TOKEN = re.compile(r"(\d{4})年?")
HEAD_FIELDS = {role: boost for role, boost in TEXT_FIELDS.items() if role != "body"}  # all but the bodies
PINYIN_PREFIX_EXPANSIONS = 10  # pinyin words a cut name's last part may begin
FUZZY_EXPANSIONS = 20  # index terms a fuzzy reading may match, per field
COUNTRY_TAG_SCORE = 3.0  # a country named in the query, for an item tagged with it
COUNTRY_TEXT_FACTOR = 0.6  # the country's name in an item's text, when it is not tagged
# A group scores at most this (``capped``): about a rare word in a title, three or four common ones.
# Tuned on the odd half of the blind set (odd cross-language MRR: 9 .804, 12 .838, 15 .814, none .795);
# again on 7 December, morning (odd cross / same-language MRR): with the titles and bodies apart,
# 10 .893 / .907, 12 .905 / .952, 15 .916 / .964, 18 .922 / .946; with SEARCH_FIELD_RARITY and the
# later changes, 12 .930 / .946, 15 .943 / 1.000, 18 .943 / 1.000, none .943 / .917.
GROUP_SCORE_CAP = 15.0
LANGUAGE_BALANCE = 0.5  # language_balance; odd half: 0.35 .849, 0.5 .849, 0.75 .844, 1 .841, off .839
NUMBER_TOKEN = re.compile(r"[^\s,;:()«»\"“”]*\d[^\s,;:()«»\"“”]*")


def enabled(name):
    """A ranking mechanism's switch (all on unless a setting says otherwise)."""
    return getattr(settings, name, True)


# --- Groups ------------------------------------------------------------------------------------


class Representation:
    """One way of saying a group: terms, the languages whose fields it is matched on, a weight."""

    def __init__(self, terms, codes, weight, fuzzy=False):
        self.terms, self.codes, self.weight, self.fuzzy = tuple(terms), tuple(codes), weight, fuzzy

    def clause(self):
        boost = self.weight
        if enabled("SEARCH_RARE_TERMS"):
            boost /= max(1, len(self.terms))
        fields = query_fields(terms=True, codes=list(self.codes))
        if self.fuzzy:  # a reading close to the name's spelling, not equal: at most two edits
            return Q(
                "multi_match",
                query=" ".join(self.terms),
                fields=fields,
                fuzziness="AUTO:4,6",
                operator="and",  # a name cut in two (transcription.cut_readings): both words, in one field
                prefix_length=1,
                max_expansions=FUZZY_EXPANSIONS,
                boost=round(boost, 4),
            )
        kind = "best_fields" if enabled("SEARCH_FIELD_RARITY") else "cross_fields"
        return self._matched(fields, kind, boost)

    def _matched(self, fields, kind, boost):
        """The terms over a language's four fields, as one field (``cross_fields``) or each its own.

        ``SEARCH_FIELD_RARITY``: each field its own (``best_fields``: the best
        field's score, each term weighed by its rarity in that field). Over the
        four fields as one, a term is as rare as in the field where it is
        commonest, the bodies: 监测站 ("monitoring station") is in nearly every
        Chinese body of the archive, so in a title it scored 0.5 against a
        Russian title's «пост» at 4; a label's words were worth what they are
        worth in running text, not in what items are about. Blind set, odd half
        (tuned on), cross / same-language MRR: .908 / .940 as one field; the
        titles, summaries and tags as one and the bodies apart, .916 / .964 (the
        group cap at 15); each field its own, .943 / 1.000 with the later
        changes, against .941 / 1.000 for the two clauses, at the cost of one.
        """
        return Q(
            "multi_match",
            query=" ".join(self.terms),
            type=kind,
            fields=fields,
            minimum_should_match=MINIMUM_SHOULD_MATCH,
            boost=round(boost, 4),
        )


class CountryRepresentation(Representation):
    """A country the query names, matched on the items' country tags: the same score for every item tagged.

    A country is one of the most common things an item says (a fifth of the
    items are tagged China), yet its name in a title is a rarer term than the
    query's concept, so an item merely naming the country in its title beat the
    one about the concept ("中国 生活垃圾分类 政策": a Chinese item on another
    subject above Hangzhou's waste-sorting rules, which say 杭州, not 中国;
    "снежный барс Кыргызстан": a Kyrgyz waste project above the snow leopard
    survey). The editors' tags say which items are about the country: a tagged
    item scores at least :data:`COUNTRY_TAG_SCORE` for it (about a word of a
    summary), whether its text names the country or not, and the name in a text
    counts :data:`COUNTRY_TEXT_FACTOR` of a word (tuned on the odd half of the
    blind set: 0.3 lost more across languages than it won within one).
    """

    def __init__(self, codes):
        super().__init__(tuple(codes), (), 1.0)

    def clause(self):
        return Q(
            "constant_score",
            filter=Q("terms", countries=list(self.terms)),
            boost=COUNTRY_TAG_SCORE,
        )


class PinyinRepresentation(Representation):
    """A Latin (or Palladius Cyrillic) word of the query read as the pinyin of a Chinese name.

    Matched on the pinyin of the Chinese words of each item (``PINYIN_FIELD``),
    at a title's weight, inside the group of the word it reads: "Qingdao"
    counts once, whether an item has 青岛 (the gazetteer's label), the pinyin
    of its Chinese title, or both. As a clause of its own it was added on top
    of the group and outweighed everything else the query asked for.
    """

    def __init__(self, reading):
        super().__init__((reading,), (PINYIN_LANGUAGE,), max(TEXT_FIELDS.values()))

    def clause(self):
        """The reading as one word, or cut in two where jieba may have cut the name (``names.splits``)."""
        from search.names import splits

        reading = self.terms[0]
        whole = Q("match", **{PINYIN_FIELD: {"query": reading, "boost": self.weight}})
        cut = [
            Q(
                "match_phrase_prefix",
                **{
                    PINYIN_FIELD: {
                        "query": f"{a} {b}",
                        "max_expansions": PINYIN_PREFIX_EXPANSIONS,
                        "boost": self.weight,
                    }
                },
            )
            for a, b in splits(reading)
        ]
        return _best_of([whole, *cut])


def _expansion_codes(expansion):
    if enabled("SEARCH_FAIR_LANGUAGES") and expansion.lang in languages.LANGUAGE_CODES:
        return [expansion.lang]
    return languages.LANGUAGE_CODES


def groups(aq):
    """``[[Representation, ...], ...]``: the query's groups, in query order.

    The user's words are matched on every language's fields (a Latin "UNEP"
    or "PM2.5" occurs in Russian and Chinese text too); words no expansion
    covers are groups of their own.
    """
    by_key, covered = {}, set()
    for expansion in aq.expansions:
        key = getattr(expansion, "group", "") or f"x{id(expansion)}"
        reps = by_key.get(key)
        if reps is None:
            own = tuple(getattr(expansion, "own", ()) or ())
            reps = by_key[key] = [Representation(own, languages.LANGUAGE_CODES, 1.0)] if own else []
            covered.update(own)
        fuzzy = expansion.source == transcription.SOURCE
        reps.append(Representation(expansion.terms, _expansion_codes(expansion), expansion.weight, fuzzy))
    out = [[rep for rep in reps if rep.terms] for reps in by_key.values()]
    _country_groups(aq, by_key, out)
    for number in number_groups(aq.raw, covered):
        covered.update(number.covers)
        out.append([number])
    for term in dict.fromkeys(aq.terms):
        if term not in covered:
            out.append([Representation((term,), languages.LANGUAGE_CODES, 1.0)])
    out = _distinct([reps for reps in out if reps])
    _add_pinyin(aq, out)
    return out


def _country_groups(aq, by_key, out):
    """A group naming a country: its text counts little, its tag fully (:class:`CountryRepresentation`)."""
    if not enabled("SEARCH_RARE_TERMS"):
        return
    countries = defaultdict(list)
    for expansion in aq.expansions:
        if getattr(expansion, "country", ""):
            countries[expansion.group].append(expansion.country)
    for key, reps in zip(by_key, out, strict=True):
        if key in countries:
            for rep in reps:
                rep.weight *= COUNTRY_TEXT_FACTOR
            reps.append(CountryRepresentation(dict.fromkeys(countries[key])))


def _distinct(query_groups):
    """Each group once: a word typed twice ("South-South") is one thing the query asks for."""
    seen, out = set(), []
    for reps in query_groups:
        key = tuple(sorted((rep.terms, rep.codes) for rep in reps))
        if key not in seen:
            seen.add(key)
            out.append(reps)
    return out


def _add_pinyin(aq, query_groups):
    """Each query word that reads as a Chinese name (``search.names``): its pinyin joins the word's group."""
    if not enabled("SEARCH_NAME_MATCHING"):
        return
    from search.names import query_pinyin

    for token in tokenize(aq.raw):
        readings = query_pinyin([token])
        terms = analyze(token)
        if not readings or not terms:
            continue
        home = next((reps for reps in query_groups if terms[0] in reps[0].terms), None)
        if home is None:
            home = []
            query_groups.append(home)
        home.append(PinyinRepresentation(readings[0]))


class NumberGroup:
    """A number or code as typed (``2023``, ``2023-2027``, ``GB3095-2012``, ``№ 7-ФЗ``): one group.

    Its analysed terms count as one group (a span of years is one, not one per
    year), plus the token as a phrase of the original text, plus, for a year,
    the item's own year: numbers are what tell near-duplicates apart (the 2019
    course from the 2023 one), so they count more than a word, but a span of
    years is no longer counted once per year and again as typed (generated
    plans titled "(2023–2027)" outranked the item a query was about).
    """

    fuzzy = False
    codes = tuple(languages.LANGUAGE_CODES)
    weight = 1.0

    def __init__(self, token, terms):
        # 2018年: the year's term; 年 ("year") only as part of the phrase, never a group of its own.
        self.covers = tuple(terms)
        self.terms = tuple(t for t in terms if not HAN_CHAR.match(t)) or self.covers
        self.token = token

    def year(self):
        """The year the token is (``2023``, Chinese ``2023年``), else ``None``."""
        m = YEAR_TOKEN.fullmatch(self.token)
        return int(m.group(1)) if m and int(m.group(1)) in YEARS else None

    def clause(self):
        boost = 1.0 / max(1, len(self.terms)) if enabled("SEARCH_RARE_TERMS") else 1.0
        fields = query_fields(terms=True)
        clauses = [
            Q(
                "multi_match",
                query=" ".join(self.terms),
                type="cross_fields",
                fields=fields,
                boost=round(boost, 4),
            ),
            Q(
                "multi_match",
                query=self.token,
                type="phrase",
                fields=query_fields(terms=False),
                boost=round(boost, 4),
            ),
        ]
        if year := self.year():
            clauses.append(Q("constant_score", filter=Q("term", year=year), boost=YEAR_BOOST))
        return Q("bool", should=clauses)


def number_groups(raw, covered=()):
    """The query's numbers and codes as :class:`NumberGroup` (those a list name covers are its own)."""
    if not enabled("SEARCH_RARE_TERMS"):
        return []
    out = []
    for token in dict.fromkeys(NUMBER_TOKEN.findall(normalize(raw))):
        token = token.strip(".-/№#")
        terms = [t for t in analyze(token) if t]
        if token and terms and not set(terms) <= set(covered):
            out.append(NumberGroup(token, terms))
    return out


# --- Clauses ---------------------------------------------------------------------------------------


def _group_clause(reps, lang=None):
    """A group's clause: its best representation, capped; translations only where the reader has no version.

    ``lang``: the reader's language (:func:`own_version`).
    """
    elsewhere = [rep for rep in reps if _said_elsewhere(rep, lang)] if own_version(lang) else []
    if not elsewhere:
        return capped(_best_of([rep.clause() for rep in reps]))
    clauses = [rep.clause() for rep in reps if not _said_elsewhere(rep, lang)]
    clauses.append(
        Q(
            "bool",
            must=[_best_of([rep.clause() for rep in elsewhere])],
            must_not=[Q("term", languages=lang)],
        )
    )
    return capped(_best_of(clauses))


def own_version(lang):
    """Is an item that has a version in the reader's language (``lang``) scored on that version alone?

    ``SEARCH_OWN_VERSION``. A group is scored by its best representation, and
    an item in three languages had three chances where an item in one had
    one: a distractor in Chinese, English and Russian matched 政策 ("policy")
    through its Russian title's «политика», rare among Russian titles, and
    outranked the Chinese item the Chinese query was about, which says 政策
    (common among Chinese titles) or says it otherwise. An item written in
    the reader's language (the query's, in the blind evaluation) says in it
    what it is about: a group's translations into the other languages count
    only for items without that version; the user's own words still count on
    every language's fields. Blind set: odd half cross / same-language MRR
    .930 / .964 -> .930 / 1.000, even (held out) .850 / .893 -> .879 / .893.
    """
    return bool(lang) and lang in languages.LANGUAGE_CODES and enabled("SEARCH_OWN_VERSION")


def _said_elsewhere(rep, lang):
    """A representation in one language other than the query's: a label, a dictionary word, a spelling."""
    return (
        not isinstance(rep, (NumberGroup, CountryRepresentation))
        and len(rep.codes) == 1
        and rep.codes[0] != lang
    )


def capped(clause):
    """A group's score, at most :data:`GROUP_SCORE_CAP` (``SEARCH_GROUP_CAP``).

    A rare word the user typed, found in an item of the query's language,
    scored four or five times a group matched through its translation: the
    rarity is the word's, in that language's texts, not the thing's («пост» is
    rare in Russian titles, 监测站 common in Chinese ones, for the same
    monitoring station). Capped, one group can no longer outweigh the other
    parts of the query: the item matching more of what the query asks for
    wins, in whatever language it is written; below the cap, rarity still
    orders the groups as before.
    """
    if not enabled("SEARCH_GROUP_CAP"):
        return clause
    return Q(
        "function_score",
        query=clause,
        functions=[{"weight": GROUP_SCORE_CAP}],
        boost_mode="min",
    )


def _best_of(clauses):
    """One group's score: its best clause (``dis_max``), or the clause itself when it is alone."""
    return clauses[0] if len(clauses) == 1 else Q("dis_max", queries=clauses)


def phrase_clauses(aq):
    """The user's words close together: analysed terms (slop 2) and the exact words.

    Only for two words or more: for one word a "phrase" is the word itself, and
    would count the same-language items' match twice. A lone Han character is
    the exception: no analysed term holds it, only the original text does.
    Only on the fields of the languages the query's words are written in
    (:func:`phrase_languages`): the user's words in a row occur in text of
    their own script, and a phrase over all twelve fields was the dearest
    part of the rescore (issue 14); and not in the bodies (:func:`phrase_roles`).
    """
    lone_han = len(aq.text) == 1 and HAN_CHAR.match(aq.text)
    if len(aq.terms) < 2 and not lone_han:
        return []
    boost = PHRASE_BOOST
    if enabled("SEARCH_RARE_TERMS"):
        boost /= max(1, len(aq.terms))  # on the scale of one group, like the representations
    codes, roles = phrase_languages(aq), phrase_roles()
    out = []
    if len(aq.terms) >= 2:
        words = " ".join(aq.terms)
        terms = query_fields(roles, terms=True, codes=codes)
        out.append(Q("multi_match", query=words, type="phrase", slop=2, fields=terms, boost=boost))
    original = query_fields(roles, terms=False, codes=codes)
    out.append(Q("multi_match", query=aq.text, type="phrase", fields=original, boost=boost))
    return out


def phrase_roles():
    """``{role: boost}`` of the fields a phrase is matched on: not the bodies, unless set.

    ``SEARCH_PHRASES_IN_BODY``: a phrase in a body of thousands of words read
    every position of the query's words in it, for each item of the rescore
    window, and was the dearest clause of the request (issue 14).
    """
    if getattr(settings, "SEARCH_PHRASES_IN_BODY", False):
        return TEXT_FIELDS
    return HEAD_FIELDS


def phrase_languages(aq):
    """The languages whose script the query's words are in (a Latin "PM2.5" with Chinese: both)."""
    return list(dict.fromkeys(script_language(token) for token in tokenize(aq.raw)))


def first_pass_query(aq):
    """A cheap query matching the items :func:`text_query` scores, in nearly its order.

    One ``term`` clause for each of the query's terms in each field of its
    language (title, summary, tags and body, boosted like them), boosted by
    its group's weight there: 1 / a representation's mean length in that
    language (:func:`_first_pass_terms`), so a group scores about the mean of
    its terms' weights whichever language the item is written in. A term in
    several groups counts once, at its highest weight. Fuzzy readings, pinyin
    names and country tags keep their own clauses; years and a lone Han
    character as in :func:`_first_pass_extras`. No phrases (the costly part).

    Why flat (issue 14): Lucene skips an item only when the best scores of
    the clauses it can match add up to less than the window's last score
    (block-max WAND, ``MaxScore``), and it knows those best scores only for
    the top-level clauses. Grouped (each group a ``dis_max`` of its languages'
    ``most_fields`` over the head fields, the bodies' terms apart: the
    previous first pass), a group's best score was its best title's, so every
    item matching any of its words anywhere was a candidate and scored: 56,000
    to 77,000 of 100,000 items for "大气污染防治" and "air pollution", on
    every search. Flat, a term's best score is its own: a common word's
    clause cannot carry an item into the window alone, so the items matching
    only common words are passed over (1,946 scored for the six queries of
    ``bench/search_bench.py`` at 100,000 items, against 291,604). The order it
    gives only chooses the window :func:`text_query` orders (:func:`rescore`);
    a group matched in two languages or by several synonyms scores more here
    than there, which the blind evaluation measures (``docs/search-ranking.md``).
    The items matched are the same as the grouped form's: any term of a group
    in any of its language's four fields.
    """
    query_groups = groups(aq)
    should = [rep.clause() for reps in query_groups for rep in reps if _own_clause(rep)]
    should += term_clauses(query_groups)
    should += _first_pass_extras(aq)
    return Q("bool", should=should, minimum_should_match=1) if should else Q("match_none")


def _first_pass_terms(reps):
    """``({code: [term, ...]}, {code: boost})``: a group's words per language, and 1 / their mean length.

    The representations matched as words (not a fuzzy reading, a pinyin name
    or a country tag, which keep their own clauses): their terms, per language
    they are matched in.
    """
    by_code, lengths = {}, {}
    for rep in reps:
        if _own_clause(rep):
            continue
        for code in rep.codes:
            by_code.setdefault(code, []).extend(rep.terms)
            lengths.setdefault(code, []).append(len(rep.terms))
    boosts = {}
    for code in by_code:
        by_code[code] = list(dict.fromkeys(by_code[code]))
        boosts[code] = len(lengths[code]) / sum(lengths[code]) if enabled("SEARCH_RARE_TERMS") else 1.0
    return by_code, boosts


def term_clauses(query_groups):
    """The first pass's words: each term of the query in each field of its language, one ``term`` clause each.

    Boosted like the term's group in that language (the highest, for a term in
    several groups) times the field's weight. Clauses of their own so that
    Lucene knows each one's best score and can skip what only common words
    match (:func:`first_pass_query`).
    """
    weights = {}
    for reps in query_groups:
        by_code, boosts = _first_pass_terms(reps)
        for code, terms in by_code.items():
            for term in terms:
                weights[code, term] = max(weights.get((code, term), 0.0), boosts[code])
    return [
        Q("term", **{terms_field(role, code): {"value": term, "boost": round(weight * field_weight, 4)}})
        for role, field_weight in TEXT_FIELDS.items()
        for (code, term), weight in weights.items()
    ]


def first_pass_matches(aq):
    """The items :func:`first_pass_query` matches, as a filter: what the counts request counts.

    The same items (a group's words in its language's four fields, the
    clauses of their own, the years), said as one ``combined_fields`` clause
    per group and language: scoring nothing, one clause over four fields is
    cheaper to walk than the first pass's per-field and per-term clauses (30
    new queries at 100,000 items, the counts request's fastest ``took``
    summed: 1,446 ms against 1,893; the same totals).
    """
    should = []
    for reps in groups(aq):
        should += [rep.clause() for rep in reps if _own_clause(rep)]
        by_code, _boosts = _first_pass_terms(reps)
        should += [
            Q("combined_fields", query=" ".join(terms), fields=query_fields(codes=[code]))
            for code, terms in by_code.items()
        ]
    should += _first_pass_extras(aq)
    return Q("bool", should=should, minimum_should_match=1) if should else Q("match_none")


def _own_clause(rep):
    """A representation the first pass matches by its own clause, not among its group's words.

    A fuzzy reading, a pinyin name or a country tag: their clauses are not
    terms of a language's fields (:func:`_first_pass_terms`).
    """
    return rep.fuzzy or isinstance(rep, (PinyinRepresentation, CountryRepresentation))


def _first_pass_extras(aq):
    """What both first-pass forms add to the groups: a lone Han character's phrase, the query's years.

    A lone Han character is only in the original text, which no group's terms hold.
    """
    extras = phrase_clauses(aq) if len(aq.text) == 1 and HAN_CHAR.match(aq.text) else []
    return extras + year_clauses(aq)


def year_clauses(aq):
    """The first pass's years: an item of that year (its numbers' terms are in the per-language clauses)."""
    years = {number.year() for number in number_groups(aq.raw)} - {None}
    return [Q("constant_score", filter=Q("term", year=year), boost=YEAR_BOOST) for year in sorted(years)]


def rescore_window(offset, size):
    """How many of the first pass's best matches :func:`text_query` scores (0: no first pass).

    At least every hit shown: Elasticsearch sorts rescored and other hits
    together, and their scores are not on one scale.
    """
    window = getattr(settings, "SEARCH_RESCORE_WINDOW", 0)
    return max(window, offset + size) if window else 0


def rescore(aq, window):
    """The ``rescore`` section: the window's order is :func:`text_query`'s alone."""
    return {
        "window_size": window,
        "query": {
            "rescore_query": text_query(aq).to_dict(),
            "query_weight": 0.0,
            "rescore_query_weight": 1.0,
            "score_mode": "total",
        },
    }


def _reachable_in(reps):
    """The languages whose items a group can match: its expansions' languages, its own words' script.

    The user's own words are matched on every language's fields (a Latin
    "UNEP" in a Russian text), but they are words of one language; numbers
    and country tags are the same in every language.
    """
    out = set()
    for rep in reps:
        if isinstance(rep, (NumberGroup, CountryRepresentation)):
            return set(languages.LANGUAGE_CODES)
        if len(rep.codes) == 1:
            out.add(rep.codes[0])
        else:
            out.update(script_language(term) for term in rep.terms)
    return out


def language_balance(query_groups):
    """``{code: factor}``: items in a language scored as if every group could reach them.

    A query word that neither a list nor a dictionary translates («обводнение»,
    «попуски») can match only items of the query's language: an item in
    another language, however well it matches everything that can be said
    in its language, starts a group short, and the query-language item about
    a neighbouring subject wins on that word alone. An item in a language
    ``K`` of the ``N`` groups can reach is scored ``(N / K) ** LANGUAGE_BALANCE``
    (an item in several languages by its best-reached one); 1 for the
    query's own language. ``SEARCH_LANGUAGE_BALANCE`` (off: ``balance-off``).

    Only a language that reaches at least ``SEARCH_BALANCE_MIN_REACH`` of the
    groups (a half) is scaled up (``balance-any-reach``: any). Where the query
    can say one thing of three in a language, its items there match that one
    thing at most, and scaled up by √3 a common concept outweighed a rare
    name: «обводнение болота Званец» put Chinese items saying only 湿地
    ("wetland") above the English item on the Zvanets fen. Found from that
    one query of the odd half; the even half neither gains nor loses.
    """
    if not enabled("SEARCH_FAIR_LANGUAGES") or not enabled("SEARCH_LANGUAGE_BALANCE"):
        return {}
    reach = [_reachable_in(reps) for reps in query_groups]
    least = settings.SEARCH_BALANCE_MIN_REACH * len(reach)
    out = {}
    for code in languages.LANGUAGE_CODES:
        reached = sum(code in codes for codes in reach)
        balanced = reached and reached >= least
        out[code] = round((len(reach) / reached) ** LANGUAGE_BALANCE, 4) if balanced else 1.0
    return out if any(factor > 1 for factor in out.values()) else {}


def _balanced(query, factors):
    """``query`` with each item's score multiplied by its language's factor (:func:`language_balance`)."""
    if not factors:
        return query
    return Q(
        "function_score",
        query=query,
        functions=[{"filter": Q("term", languages=c).to_dict(), "weight": f} for c, f in factors.items()],
        score_mode="min",
        boost_mode="multiply",
    )


def reader_language_factor():
    """What an item in the reader's language is scored up by: a tie-break, not a head start.

    It was 1.05, and 5% is more than a tie: an item of the query's language
    matching a little less (a word the target's language says otherwise, a
    group reached through a translation) stayed ahead of the item in another
    language the query was about, the very head start issue 15 asks to remove.
    Blind set, odd half (tuned on), cross-language / same-language MRR: 1.05 .879
    / .943, 1.03 .879 / .943, 1.02 .882 / .940, 1.01 .887 / .940, 1.001 .892 /
    .940, 1.0 .892 / .940. ``SEARCH_READER_LANGUAGE_FACTOR`` (``reader-1.05`` in
    the blind evaluation is the old one).
    """
    return settings.SEARCH_READER_LANGUAGE_FACTOR


def text_query(aq):
    """The scoring query for an analysed query (see the module docstring)."""
    query_groups = groups(aq)
    should = [_group_clause(reps, aq.lang) for reps in query_groups]
    should += phrase_clauses(aq)
    if not should:
        return Q("match_none")
    query = _balanced(Q("bool", should=should, minimum_should_match=1), language_balance(query_groups))
    if aq.lang not in languages.LANGUAGE_CODES:
        return query
    return Q(
        "function_score",
        query=query,
        functions=[{"filter": Q("term", languages=aq.lang).to_dict(), "weight": reader_language_factor()}],
        boost_mode="multiply",
        score_mode="multiply",
    )
