"""Cyrillic <-> Latin transliteration of names, for words no list knows.

``to_latin("Алматы") -> "almaty"``, ``to_cyrillic("Tashkent") -> "ташкент"``.
Pure Python. The Latin side follows the common English practice for Russian
and Central Asian names (close to BGN/PCGN without diacritics: х kh, ж zh,
ц ts, ч ch, ш sh, щ shch, ю yu, я ya, ы y, й y); :func:`latin_variants` adds
the spellings found in the wild (х h, ж j, й i, ю iu, я ia, е ye, ...).
Kazakh, Kyrgyz, Tajik and Uzbek Cyrillic letters are folded to their nearest
Latin spelling too (ң ng, ү u, ө o, ұ u, қ q/k, ғ gh, һ h, ә a, і i, ҳ h, ӯ u, ҷ j).
"""

import itertools
import re

from search.analysis import normalize

CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Central Asian Cyrillic letters
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ҳ": "h", "ӯ": "u", "ҷ": "j", "ї": "yi", "є": "ye", "ў": "u",
}  # fmt: skip

# Alternative spellings of a letter (the first is CYR_TO_LAT's).
CYR_VARIANTS = {
    "х": ("kh", "h"),
    "ж": ("zh", "j"),
    "й": ("y", "i"),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
    "ё": ("yo", "e"),
    "ц": ("ts", "c"),
    "қ": ("q", "k"),
    "щ": ("shch", "sch"),
}

# Latin -> Cyrillic, longest first (greedy).
LAT_TO_CYR = [
    ("shch", "щ"), ("sch", "щ"), ("dzh", "дж"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("tz", "ц"),
    ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("iu", "ю"), ("ya", "я"), ("ia", "я"), ("yo", "ё"),
    ("ye", "е"), ("gh", "г"), ("ph", "ф"), ("ck", "к"), ("oo", "у"), ("ee", "и"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"),
    ("y", "й"), ("z", "з"),
]  # fmt: skip
VOWELS_LAT = set("aeiouy")
VOWELS_CYR = set("аеёиоуыэюя")
CYRILLIC_WORD = re.compile(r"^[\u0400-\u04ff]+$")
LATIN_WORD = re.compile(r"^[a-z]+$")
MAX_VARIANTS = 4


def to_latin(text):
    """Cyrillic -> the usual Latin spelling (lower case); other characters kept."""
    return "".join(CYR_TO_LAT.get(ch, ch) for ch in normalize(text))


def latin_variants(word, limit=MAX_VARIANTS):
    """The usual Latin spelling of a Cyrillic word first, then common variants."""
    word = normalize(word)
    choices = [CYR_VARIANTS.get(ch, (CYR_TO_LAT.get(ch, ch),)) for ch in word]
    out = [to_latin(word)]
    for combo in itertools.product(*choices):
        spelled = "".join(combo)
        if spelled not in out:
            out.append(spelled)
        if len(out) >= limit:
            break
    # Two-way variants in many letters would only ever vary the last ones:
    # also give "all second choices" (Khujand -> Hujand, Yuzhny -> Iujny).
    alt = "".join(c[1] if len(c) > 1 else c[0] for c in choices)
    if alt not in out:
        out = out[: limit - 1] + [alt]
    return out


# A Russian adjective made from a name: Медеуский район (Medeu), Минский (Minsk), Альманских болот (Almany).
NAME_ADJECTIVE = re.compile(
    r"^(?P<name>[\u0400-\u04ff-]{2,}?)(?P<sk>ск|цк)(?:ий|ый|ой|ая|ое|ие|ые|ого|его|ому|ему|им|ым|ом|ем|ую|ей|их|ых|ими|ыми)$"
)


def adjective_names(word):
    """The names a Russian adjective in -ский may be made from: ``медеуский -> [медеу, медеуск]``.

    Both, since the suffix is sometimes the name's own (Минск -> Минский).
    Empty for a word that is not such an adjective.
    """
    m = NAME_ADJECTIVE.match(normalize(word))
    if not m:
        return []
    name = m.group("name").rstrip("ь")
    return [name, m.group("name") + m.group("sk")]


def to_cyrillic(text):
    """Latin -> Cyrillic (lower case), e.g. ``almaty -> алматы``, ``tashkent -> ташкент``."""
    text = normalize(text)
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if not ("a" <= ch <= "z"):
            out.append(ch)
            i += 1
            continue
        prev = text[i - 1] if i else ""
        at_start = not ("a" <= prev <= "z")
        # Word-initial e is э (Ekibastuz -> Экибастуз), except ye (Yerevan -> Ереван).
        if ch == "e" and at_start:
            out.append("э")
            i += 1
            continue
        if ch == "y":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in ("u", "a", "o", "e"):
                pass  # yu, ya, yo, ye: handled by the table
            elif prev and prev in VOWELS_LAT:
                out.append("й")  # Baykal, Kyrgyzstan's -ay-
                i += 1
                continue
            elif at_start:
                out.append("й")
                i += 1
                continue
            else:
                out.append("ы")  # Almaty, Kyzyl
                i += 1
                continue
        for lat, cyr in LAT_TO_CYR:
            if text.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
    return "".join(out)


def is_cyrillic_word(word):
    return bool(CYRILLIC_WORD.match(normalize(word)))


def is_latin_word(word):
    return bool(LATIN_WORD.match(normalize(word)))
