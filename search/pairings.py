"""Term pairings learnt from the content: the editors' own translations as a dictionary (issue 15, item 3).

An item that exists in two languages says the same thing twice: its Russian
title and summary use «Хоргос» where the Chinese ones use 霍尔果斯. Over the
items that exist in both of two languages, a term of one language and a term
of the other that keep appearing in the same items, and rarely apart, are
translations of each other, whether or not any list or dictionary knows them.

How (:func:`learn`, on the analysed tokens the index already has: no text is
analysed again):

- each item's version in a language is the set of its title and summary
  terms, kept only when they are of that language's script (Han words of two
  characters or more, Cyrillic or Latin words of three letters or more), not
  stop words, not numbers; terms found in more than :func:`common_limit`
  items are left out (function words of the editors' style, and what every
  dictionary knows);
- for each pair of languages, over the items having both: ``items`` is the
  number of items whose two versions use the two terms, and the score is
  Dice's coefficient ``2 * items / (items with the first + items with the
  second)``;
- a pairing is kept when at least :data:`MIN_ITEMS` items teach it, its score
  is at least :data:`MIN_SCORE`, and each term is among the other's
  :data:`FAN_OUT` best partners (a term co-occurring with everything in a few
  items pairs with nothing).

The result is deterministic (ties broken by the terms themselves) and stored
in ``vocab.LearntPairing`` (:func:`relearn`), which editors read in the admin
with the items each pairing came from. :func:`relearn` runs at the end of
every rebuild and after the outbox indexed or removed an item that exists in
several languages (noted by :func:`note_indexed`, learnt by ``search_worker``).
The query's expansion reads the pairings of each of its words
(:func:`partners`) at a weight below the thesaurus's
(``search.expansion.WEIGHTS["learnt"]``); ``SEARCH_LEARNT_PAIRINGS = False``
switches them off (``pairs-off`` in the blind evaluation).
"""

import logging
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from types import SimpleNamespace

from django.conf import settings
from django.db import DatabaseError, transaction

from portal import languages
from search import names, translit
from search.analysis import HAN, STOPWORDS
from vocab import versioning

logger = logging.getLogger(__name__)

MIN_ITEMS = 2  # items that must teach a pairing: one item pairs everything with everything
MIN_SCORE = 0.5  # Dice: the two terms are together in at least half the items having either
FAN_OUT = 3  # partners a term keeps in each other language (jieba's words overlap: 乌兰巴托, 巴托)
COMMON_SHARE = 0.05  # a term in more of the items than this share is too common to pair...
COMMON_MIN = 50  # ...unless the corpus is small
ALIKE = 0.6  # SequenceMatcher ratio of two spellings in Latin letters that read as one name
MAX_EXAMPLES = 5  # items kept per pairing, to show editors where it came from
VERSION_KEY = "pairings"  # vocab.versioning: bumped when the stored pairings change
PENDING_KEY = "pairings-pending"  # 1 while a translated item changed and search_worker has not relearnt
ROLES = ("title", "summary")

SCRIPT_TERM = {
    "zh-hans": re.compile(f"^[{HAN}]{{2,}}$"),
    "ru": re.compile(r"^[а-я][а-я\-]{2,}$"),
    "en": re.compile(r"^[a-z][a-z\-]{2,}$"),
}


def enabled():
    return getattr(settings, "SEARCH_LEARNT_PAIRINGS", True)


# --- Learning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    language: str
    term: str
    other_language: str
    other_term: str
    items: int
    score: float
    examples: tuple = ()


def version_terms(code, texts):
    """The terms of one language version that may be paired: ``{role: "analysed tokens"}`` -> set."""
    pattern = SCRIPT_TERM.get(code)
    if pattern is None:
        return frozenset()
    out = set()
    for role in ROLES:
        for term in (texts.get(role) or "").split():
            if term not in STOPWORDS and pattern.match(term):
                out.add(term)
    return frozenset(out)


def common_limit(count):
    """Items a term may appear in, among ``count`` items, and still be paired."""
    return max(COMMON_MIN, int(count * COMMON_SHARE))


def learn(items, vocabulary=None):
    """Pairings taught by ``items``: ``[(key, {language: {"title": terms, "summary": terms}})]``.

    ``key`` names the item (a page id) in :attr:`Pairing.examples`. Items with
    fewer than two language versions teach nothing. With ``vocabulary``
    (:func:`vocabulary_index`), what the thesaurus and gazetteer already
    explain is taken out of each item first (:func:`_unexplained`).
    """
    versions = {}  # key -> {code: frozenset of terms}
    for key, by_code in items:
        terms = {code: version_terms(code, texts) for code, texts in by_code.items()}
        terms = {code: found for code, found in terms.items() if found}
        if len(terms) >= 2:
            versions[key] = terms
    out = []
    for first, second in combinations(languages.LANGUAGE_CODES, 2):
        both = sorted(key for key, terms in versions.items() if first in terms and second in terms)
        rows = [(key, versions[key][first], versions[key][second]) for key in both]
        if vocabulary:
            rows = [(key, *_unexplained(a, first, b, second, vocabulary)) for key, a, b in rows]
        out += _learn_pair(first, second, rows)
    return sorted(out, key=lambda p: (p.language, p.term, p.other_language, p.other_term))


def _postings(rows, side, limit):
    """``{term: [row index]}`` of one side's terms found in at least MIN_ITEMS and at most ``limit`` rows."""
    postings = defaultdict(list)
    for index, row in enumerate(rows):
        for term in row[side]:
            postings[term].append(index)
    return {term: found for term, found in postings.items() if MIN_ITEMS <= len(found) <= limit}


def _best_partners(postings, rows, side, other_postings, code, other_code):
    """``{term: {partner: items}}``: each term's FAN_OUT best partners on the other side.

    Several partners tied at the top are a word's translation only if they are
    Chinese (jieba's overlapping words of one name: 乌兰巴托, 乌兰, 巴托); tied
    Latin or Cyrillic words (two items that both list "Chinese, English,
    Russian") leave the term ambiguous, unless some of them read like it
    (:func:`reads_alike`: "Badain Jaran" / «Бадын-Джаран»).
    """
    best = {}
    # Each row's terms that have postings on the other side, once per row (a set
    # intersection in C) rather than once per term of the row's other side.
    pairable = other_postings.keys()
    candidates = {}
    for term, found in postings.items():
        counts = Counter()
        for index in found:
            if index not in candidates:
                candidates[index] = rows[index][side] & pairable
            counts.update(candidates[index])
        scored = []
        for partner, together in counts.items():
            if together < MIN_ITEMS:
                continue
            score = 2 * together / (len(found) + len(other_postings[partner]))
            if score >= MIN_SCORE:
                scored.append((-score, -together, partner))
        scored.sort()
        ties = [entry for entry in scored if entry[:2] == scored[0][:2]]
        if len(ties) > 1 and other_code != "zh-hans":
            scored = [entry for entry in ties if reads_alike(term, code, entry[2], other_code)]
        best[term] = {partner: -together for _score, together, partner in scored[:FAN_OUT]}
    return best


def _latin(term, code):
    if code == "zh-hans":
        return names.han_pinyin(term)
    return translit.to_latin(term) if code == "ru" else term


def reads_alike(term, code, other, other_code):
    """The two terms spelt in Latin letters (pinyin, transliteration) are close: a name and its spelling."""
    first, second = _latin(term, code), _latin(other, other_code)
    return bool(first and second) and SequenceMatcher(None, first, second).ratio() >= ALIKE


def _learn_pair(first, second, rows):
    """Pairings between two languages over ``[(key, first terms, second terms)]`` (module docstring)."""
    limit = common_limit(len(rows))
    left, right = _postings(rows, 1, limit), _postings(rows, 2, limit)
    left_best = _best_partners(left, rows, 2, right, first, second)
    right_best = _best_partners(right, rows, 1, left, second, first)
    out = []
    for term, partners in left_best.items():
        for partner, together in partners.items():
            if term not in right_best.get(partner, {}) or term == partner:
                continue
            score = 2 * together / (len(left[term]) + len(right[partner]))
            shared = sorted(set(left[term]) & set(right[partner]))[:MAX_EXAMPLES]
            examples = tuple(rows[index][0] for index in shared)
            out.append(Pairing(first, term, second, partner, together, round(score, 4), examples))
    return out


def _unexplained(first_terms, first, second_terms, second, vocabulary):
    """The two versions' terms without those of a concept or place both versions name.

    When the Russian and English versions both use labels of "sulphur
    dioxide", their words are explained: left in, "dioxide" would pair with
    «серы» (a wrong split of the label) or with a name beside it.
    """
    empty = frozenset()
    left = set().union(*(vocabulary.get((first, t), empty) for t in first_terms))
    right = set().union(*(vocabulary.get((second, t), empty) for t in second_terms))
    shared = left & right
    if not shared:
        return first_terms, second_terms
    return (
        frozenset(t for t in first_terms if not vocabulary.get((first, t), empty) & shared),
        frozenset(t for t in second_terms if not vocabulary.get((second, t), empty) & shared),
    )


def vocabulary_index():
    """``{(language, term): {entity number}}`` of the thesaurus's and gazetteer's labels, once per version.

    A :class:`~vocab.versioning.Built`, forgotten when this process changes a
    label: a version number alone repeats after a rolled-back change (or a
    database put back), and an index built then would be kept for the new labels.
    """
    return _vocabulary.get().terms


_vocabulary = versioning.Built(lambda version: SimpleNamespace(version=version, terms=_vocabulary_index()))
versioning.add_listener(_vocabulary.forget)


def _vocabulary_index():
    """``{(language, term): {entity number}}`` over the thesaurus's and gazetteer's labels."""
    from search.analysis import analyze
    from vocab.models import Concept, Place

    index = defaultdict(set)
    for number, entry in enumerate([*Concept.objects.all(), *Place.objects.all()]):
        for code, labels in entry.all_labels().items():
            for label in labels:
                for term in analyze(label):
                    index[(code, term)].add(number)
    return index


# --- The corpus: analysed titles and summaries of the live items ---------------------------------


def corpus_items():
    """``[(page id, {language: {role: terms}})]`` of live indexed items, from the analysis cache.

    ``AnalysedText`` holds each indexed page's analysed text per language (see
    ``search.prepare``); pages no longer live are skipped (their rows go at
    the next rebuild).
    """
    from search.models import AnalysedText
    from search.prepare import _unpack
    from search.types import indexed_models

    live = set()
    for model in indexed_models():
        live.update(model.objects.live().values_list("pk", flat=True))
    by_page = defaultdict(dict)
    rows = AnalysedText.objects.order_by("page_id", "language").values_list("page_id", "language", "terms")
    for page_id, code, blob in rows.iterator(chunk_size=500):
        if page_id in live:
            terms = _unpack(blob)
            if terms.get("title"):
                by_page[page_id][code] = {role: terms.get(role, "") for role in ROLES}
    return sorted(by_page.items())


@dataclass
class RelearnResult:
    items: int  # items in several languages (the ones that teach)
    pairings: int
    changed: bool
    seconds: float  # wall clock
    cpu: float  # CPU time of the reading and learning (a busy machine stretches the wall clock, not this)


def relearn(extra=(), out=None):
    """Learn from every live item (and ``extra`` items, same shape as :func:`learn`'s) and store the result.

    The stored rows are replaced only when the pairings changed, so the query
    side's cache is dropped only then.
    """
    return start_relearning(extra).finish(out)


def start_relearning(extra=()):
    """Begin :func:`relearn`: the corpus read now, in this thread; the learning in another.

    :meth:`Relearning.finish` waits for it and stores the result. The rebuild
    learns this way while the engine refreshes the new index and swaps the
    aliases (seconds it spends waiting on the node), not after. The thread
    only computes: every database read and write stays in the caller's thread
    (and connection, and transaction).
    """
    started, cpu = time.monotonic(), time.thread_time()
    _set_pending(False)  # before reading: a change noted meanwhile asks again
    items = corpus_items() + list(extra)
    vocabulary = vocabulary_index()
    learning = Relearning(items, started, time.thread_time() - cpu)
    learning.thread = threading.Thread(
        target=learning.learn, args=(vocabulary,), name="pairings-learn", daemon=True
    )
    learning.thread.start()
    return learning


class Relearning:
    """A :func:`start_relearning` under way: ``finish()`` stores what it learnt, ``abandon()`` drops it."""

    def __init__(self, items, started, cpu):
        self.items, self.started, self.cpu = items, started, cpu
        self.learnt, self.error, self.thread = None, None, None

    def learn(self, vocabulary):
        cpu = time.thread_time()
        try:
            self.learnt = learn(self.items, vocabulary=vocabulary)
        except BaseException as exc:  # raised again by finish(), in the caller's thread
            self.error = exc
        self.cpu += time.thread_time() - cpu

    def abandon(self):
        """Store nothing (the rebuild failed); the change stays pending for the next drain or rebuild."""
        self.thread.join()
        _set_pending(True)

    def finish(self, out=None):
        """Wait for the learning; store the pairings if they changed; a :class:`RelearnResult`."""
        from vocab.models import LearntPairing

        self.thread.join()
        if self.error is not None:
            _set_pending(True)
            raise self.error
        cpu = time.thread_time()
        rows = [
            LearntPairing(
                language=p.language,
                term=p.term[:100],
                other_language=p.other_language,
                other_term=p.other_term[:100],
                items=p.items,
                score=p.score,
                examples=list(p.examples),
            )
            for p in self.learnt
        ]
        changed = {_row_key(r) for r in LearntPairing.objects.all()} != {_row_key(r) for r in rows}
        if changed:
            with transaction.atomic():
                LearntPairing.objects.all().delete()
                LearntPairing.objects.bulk_create(rows, batch_size=1000)
                versioning.bump(VERSION_KEY)
            invalidate()
        translated = sum(1 for _key, versions in self.items if len(versions) >= 2)
        self.cpu += time.thread_time() - cpu
        result = RelearnResult(translated, len(rows), changed, time.monotonic() - self.started, self.cpu)
        if out is not None:
            out.write(f"Learnt {result.pairings} term pairings from {result.items} translated items ")
            out.write(f"in {result.seconds:.1f}s ({result.cpu:.1f}s of CPU)\n")
        return result


def _row_key(row):
    terms = (row.language, row.term, row.other_language, row.other_term)
    return (*terms, row.items, row.score, tuple(row.examples))


# --- After the outbox: relearn when a multilingual item changed -------------------------------------


def note_indexed(docs, deleted):
    """Called by the outbox drain: note that the pairings must be learnt again, if they must.

    ``docs`` are the index documents just sent, ``deleted`` the page ids just
    removed: an item in several languages indexed, or one some pairing names
    removed. Noting is one row update; the learning is done by the drain of
    ``search_worker`` (and of the tests), never in the editor's request, where
    a cold process would spend seconds loading the analysers
    (:func:`relearn_if_pending`).
    """
    if not enabled():
        return
    try:
        if _teaches(docs, deleted):
            _set_pending(True)
    except DatabaseError:
        logger.warning("learnt pairings: change not noted; the next rebuild relearns", exc_info=True)


def _teaches(docs, deleted):
    if any(len(doc.get("languages") or []) >= 2 for doc in docs):
        return True
    if not deleted:
        return False
    from vocab.models import LearntPairing

    gone = set(deleted)
    rows = LearntPairing.objects.values_list("examples", flat=True)
    return any(gone & set(examples or []) for examples in rows)


def _set_pending(pending):
    from vocab.models import VocabularyVersion

    VocabularyVersion.objects.update_or_create(key=PENDING_KEY, defaults={"version": int(pending)})


def relearn_if_pending(out=None):
    """Relearn if a translated item changed since the last time (the worker's drain); else ``None``."""
    from vocab.models import VocabularyVersion

    if not enabled():
        return None
    try:
        if not VocabularyVersion.objects.filter(key=PENDING_KEY, version__gt=0).exists():
            return None
        return relearn(out=out)
    except DatabaseError:
        logger.warning("learnt pairings: not relearnt; the next drain or rebuild retries", exc_info=True)
        return None


# --- The query side: a term's partners, cached per process ----------------------------------------


@dataclass
class PartnerTable:
    version: int
    partners: dict = field(default_factory=dict)  # (language, term) -> [(other language, other term, score)]


def invalidate():
    _table.forget()


def _build(version):
    from vocab.models import LearntPairing

    table = PartnerTable(version)
    rows = LearntPairing.objects.values_list("language", "term", "other_language", "other_term", "score")
    for code, term, other_code, other_term, score in rows:
        table.partners.setdefault((code, term), []).append((other_code, other_term, score))
        table.partners.setdefault((other_code, other_term), []).append((code, term, score))
    for found in table.partners.values():
        found.sort(key=lambda entry: (-entry[2], entry[0], entry[1]))
    return table


_table = versioning.Built(lambda version: _build(version), key=VERSION_KEY)


def table():
    """The partner table of the stored version (rebuilt in this process when it changed)."""
    return _table.get()


def partners(terms, code):
    """``[(other language, other term, score)]`` learnt for the query's ``terms`` (of language ``code``)."""
    if not enabled():
        return []
    found = table().partners
    out = {}
    for term in terms:
        for other_code, other_term, score in found.get((code, term), ()):
            key = (other_code, other_term)
            out[key] = max(out.get(key, 0.0), score)
    return sorted(((c, t, s) for (c, t), s in out.items()), key=lambda e: (-e[2], e[0], e[1]))
