"""The one way a page title becomes a URL slug, in any of the portal's scripts.

Slugs are ASCII so that every browser, proxy, mail client and partner's system
copes with a link: a Chinese title gets one pinyin syllable per character
(生态环境 -> sheng-tai-huan-jing, readable and searchable, where a plain
transliteration would run them together as "shengtaihuanjing"), a Russian one
its Latin transliteration (Экологический кодекс -> ekologicheskiy-kodeks), and
a long title is cut at a word boundary, never inside a word. The importer, the
admin's page form and the demo all call :func:`slug_from_title`.
"""

import re

from anyascii import anyascii
from django.utils.text import slugify

DEFAULT_MAX_LENGTH = 60
FALLBACK_SLUG = "page"  # for a title with nothing to transliterate (only punctuation, emoji…)

# From the CJK radicals block on: Han characters, kana, Hangul, CJK punctuation
# and full-width forms. Each becomes a word of its own.
_FIRST_CJK_CODE_POINT = 0x2E80


def slug_from_title(text, max_length=DEFAULT_MAX_LENGTH):
    """An ASCII slug of at most ``max_length`` characters, cut between words.

    >>> slug_from_title("大气污染防治")
    'da-qi-wu-ran-fang-zhi'
    >>> slug_from_title("Экологический кодекс Республики Казахстан", max_length=30)
    'ekologicheskiy-kodeks'
    """
    spaced = "".join(f" {anyascii(ch)} " if ord(ch) >= _FIRST_CJK_CODE_POINT else ch for ch in text or "")
    slug = re.sub(r"[-_]+", "-", slugify(anyascii(spaced))).strip("-")  # only letters, digits, hyphens
    return _cut_at_word(slug, max_length) or FALLBACK_SLUG


def free_slug(base, taken):
    """``base``, or ``base-2``, ``base-3``… the first not in ``taken`` (a new page beside a namesake)."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _cut_at_word(slug, max_length):
    """``slug`` shortened to ``max_length`` at the last hyphen that fits (mid-word only if one word)."""
    if len(slug) <= max_length:
        return slug
    head = slug[: max_length + 1]  # one more: a hyphen right after the limit is a clean cut too
    cut = head.rsplit("-", 1)[0] if "-" in head else ""
    return (cut or slug[:max_length]).strip("-")
