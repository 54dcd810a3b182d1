"""The reader's words marked in a hit's title and snippet, here rather than by Elasticsearch (issue 14).

Elasticsearch's highlighter cost half of the whole search on the node: for
every hit and each of its languages' title and summary it ran the highlight
query again (Chinese words as phrases of single characters, stems as
prefixes), although a page shows one language per hit. Here only the texts
shown are marked, from the hits' ``_source``, by one regular expression per
language built from the analysed query (``search.analysis``): a page of twenty
hits costs about a millisecond of Python (measured at a load average of 7 on
the shared two cores, where Elasticsearch's highlighting took about seven).

What is marked in a text written in ``code`` (:class:`Marks`):

- the user's own words (a Latin "UNEP" in a Russian text too), stop words
  (в, of, 的) excepted;
- an expansion's words in texts of its own language (a label's own form);
- a word starting with one of the query's stems (загрязнен… marks
  "загрязнение"), in texts of the stem's script;
- Chinese words (the query's and its expansions') wherever they occur in a
  Chinese text: Chinese has no spaces, a word is a run of characters.

The text around the marks is escaped; touching marks (Chinese words side by
side: 大气 + 污染) are one ``<mark>``.
"""

import re
from html import escape  # Django's escape, without its lazy-string wrapper (called per stretch of text)

from django.utils.text import Truncator

from portal import languages
from search.analysis import HAN, HAN_CHAR, STOPWORDS, tokenize
from search.expansion import script_language

MARK = ("<mark>", "</mark>")
MIN_STEM = 3  # shorter stems would mark half the words that start alike
LEAD_CHARS = 40  # context kept before a snippet's first mark when the summary is cut
SENTENCE_END = ".!?。！？；;"


class Marks:
    """What to mark in each language's texts for one analysed query (built once per search).

    Per language, one matcher (:class:`_Matcher`): the words and stems as whole words
    of that script (not inside a longer word; a Latin word beside Chinese
    characters still counts), and in Chinese text the Chinese words anywhere.
    Matching is case-insensitive and reads ё as е, as the analysis does.
    """

    def __init__(self, aq):
        own = [t for t in tokenize(aq.raw) if not HAN_CHAR.match(t) and t not in STOPWORDS]
        self.words = {code: set(own) for code in languages.LANGUAGE_CODES}
        for expansion in aq.expansions:
            if expansion.lang in self.words:
                words = [w for w in tokenize(expansion.text) if not HAN_CHAR.match(w) and w not in STOPWORDS]
                self.words[expansion.lang].update(words)
        self.stems = {code: [] for code in languages.LANGUAGE_CODES}
        for term in dict.fromkeys(aq.terms):
            if len(term) >= MIN_STEM and not HAN_CHAR.match(term):
                self.stems.setdefault(script_language(term), []).append(term)
        han = [t for t in [*aq.terms, *(t for e in aq.expansions for t in e.terms)] if HAN_CHAR.match(t)]
        self.han = list(dict.fromkeys(han))
        self._patterns = {}

    def pattern(self, code):
        """The matcher of what is marked in ``code``'s text (``None``: nothing)."""
        if code not in self._patterns:
            self._patterns[code] = _pattern(
                self.words.get(code, ()), self.stems.get(code, ()), self.han if code == "zh-hans" else ()
            )
        return self._patterns[code]

    def spans(self, text, code):
        """``[(start, end)]`` of the marked stretches of ``text`` (written in ``code``), merged, in order."""
        pattern = self.pattern(code)
        if pattern is None or not text:
            return []
        folded = text.replace("ё", "е").replace("Ё", "Е")  # the same length: offsets hold
        return _merged(pattern.spans(folded))

    def title(self, text, code):
        """The whole title, escaped, its matches marked."""
        return _html(text, self.spans(text, code), 0, len(text))

    def snippet(self, text, code, size):
        """About ``size`` characters of the summary, escaped, around its first match if it has one.

        Without a match: its beginning, as before any search. A summary longer
        than ``size`` is cut at a word, from the sentence of its first match
        (or a little before it), with "…" where text was left out.
        """
        spans = self.spans(text, code)
        if not spans:
            return escape(Truncator(text).chars(size))
        if len(text) <= size:
            return _html(text, spans, 0, len(text))
        start = _window_start(text, spans[0][0], size)
        end = _window_end(text, start + size - 1, spans)
        inner = [(a, b) for a, b in spans if a < end]
        html = _html(text, [(a, min(b, end)) for a, b in inner], start, end)
        return ("… " if start else "") + html + ("…" if end < len(text) else "")


# A run of an alphabetic script's word characters: TOKEN's second kind, compiled once. A mark is a
# whole run (a word, or a word starting with a stem), so the query's words are compared with the
# runs of the text instead of being compiled into an expression that finds the runs itself: that
# expression held this class (the Han ranges left out) once per word and stem, and compiling it with
# IGNORECASE case-folded every Han code point each time (38 ms for a new query's three languages).
LETTERS = re.compile(f"[^\\W_{HAN}]+")


class _Matcher:
    """What is marked in one language's text: whole words, words starting with a stem, Chinese words.

    Case-insensitive (a run is compared lowered); the Chinese words anywhere, by an
    expression of them alone (Han characters are never part of a run).
    """

    def __init__(self, words, stems, han):
        self.words = {w.lower() for w in words}
        self.stems = tuple(s.lower() for s in stems)
        longest_first = sorted(han, key=len, reverse=True)
        self.han = re.compile("|".join(re.escape(w) for w in longest_first)) if han else None

    def spans(self, text):
        """The ``(start, end)`` of each mark in ``text``, in no particular order."""
        found = []
        if self.words or self.stems:
            for run in LETTERS.finditer(text):
                word = run.group().lower()
                if word in self.words or word.startswith(self.stems):
                    found.append(run.span())
        if self.han:
            found += [match.span() for match in self.han.finditer(text)]
        return found


def _pattern(words, stems, han):
    """The matcher of whole words, words starting with a stem and Chinese words (``None``: nothing)."""
    return _Matcher(words, stems, han) if (words or stems or han) else None


def _merged(spans):
    """Overlapping or touching spans as one (大气 + 污染 + 大气污染 -> one mark)."""
    out = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _html(text, spans, start, end):
    """``text[start:end]`` escaped, each span (inside it) in a ``<mark>``."""
    parts, at = [], start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        parts += [escape(text[at:a]), MARK[0], escape(text[a:b]), MARK[1]]
        at = b
    parts.append(escape(text[at:end]))
    return "".join(parts)


def _window_start(text, first, size):
    """Where a cut snippet starts: 0 if the first match is near the start, else its sentence or a word."""
    if first + LEAD_CHARS < size:
        return 0
    sentence = max(text.rfind(mark, 0, first) for mark in SENTENCE_END) + 1
    if first - sentence <= size // 2:
        start = sentence
    else:
        start = first - LEAD_CHARS
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    while start < first and text[start].isspace():
        start += 1
    return start


def _window_end(text, last, spans):
    """Where a cut snippet ends: at or before ``last``, between words, never inside a mark.

    Never before the first mark's end (a word longer than the snippet is cut inside).
    """
    if last >= len(text):
        return len(text)
    end = last
    if not HAN_CHAR.match(text[end - 1]):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space > 0 else end
    for a, b in spans:
        if a < end < b:
            end = a if a > 0 else b
    return end
