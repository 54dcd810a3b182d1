"""Rich text -> the plain text an index document holds, without an HTML parser for plain markup.

Wagtail reads a rich-text block for indexing with ``get_text_for_indexing``
(a space after each block's end, then Django's ``strip_tags``), and a
``RichTextField`` is read with ``strip_tags`` alone. Both run Python's
``HTMLParser`` over the text, which made reading rich text the largest single
cost of preparing documents in a rebuild (12 of 92 s at 10,000 items).

Most rich text is *plain markup*: the tags editors' toolbar and the importer
write (paragraphs, headings, lists, emphasis, links), attributes in double
quotes, and no ``<``, ``>`` or ``&`` in the text or the attributes. For such
text, removing the tags gives exactly what the parser gives; anything else
(entities, comments, scripts, stray brackets, other tags) goes to Wagtail's
and Django's own functions. ``tests/test_search_markup.py`` compares both on
the generated corpus and on markup chosen to differ.
"""

import re

from django.utils.html import strip_tags
from wagtail.rich_text import get_text_for_indexing

_TAG_NAME = r"(?:p|h[1-6]|ul|ol|li|b|i|u|s|strong|em|a|br|hr|blockquote|code|sup|sub|span|div|embed)"
PLAIN_TAG = re.compile(rf'</{_TAG_NAME}>|<{_TAG_NAME}(?:\s+[a-z][a-z0-9-]*="[^"<>&]*")*\s*/?>')
ANY_TAG = re.compile(r"<[^<>]*>")
TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")
# Where Wagtail puts a space so that <p>a</p><p>b</p> reads "a b": after these ends and <br/>, <hr/>.
_BLOCK_END = re.compile(r"p|h\d|li|blockquote")
_SELF_CLOSED_BREAK = re.compile(r"<(?:br|hr)\s*/>")


def is_plain(source):
    """Plain markup: no ``&``, every tag a plain one, no ``<`` or ``>`` left once they are removed.

    Checked tag by tag (never one pattern over the whole text, which could
    backtrack for ever on a long text with an ``&`` at its end).
    """
    if "&" in source:
        return False
    if not all(PLAIN_TAG.fullmatch(tag) for tag in ANY_TAG.findall(source)):
        return False
    rest = ANY_TAG.sub("", source)
    return "<" not in rest and ">" not in rest


def _spaced(match):
    closing, name = match.group(1), match.group(2)
    if closing and _BLOCK_END.fullmatch(name):
        return " "
    if not closing and _SELF_CLOSED_BREAK.fullmatch(match.group(0)):
        return " "
    return ""


def block_text(source):
    """``get_text_for_indexing(source)``: a rich-text block's text, as Wagtail indexes it."""
    if is_plain(source):
        return TAG.sub(_spaced, source).strip()
    return get_text_for_indexing(source)


def field_text(value):
    """``strip_tags(value)``: a ``RichTextField``'s text."""
    if is_plain(value):
        return TAG.sub("", value)
    return strip_tags(value)
