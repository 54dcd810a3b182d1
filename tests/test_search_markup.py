"""Rich text read for indexing without an HTML parser: the text Wagtail's and Django's parsers give."""

import time

import pytest
from django.utils.html import strip_tags
from wagtail.rich_text import get_text_for_indexing

from bench.corpus import generate
from search import markup

PLAIN = [
    "<p>Охрана степей</p><p>Пастбища и 草原保护.</p>",
    "<h3>Goals</h3><ul><li>clean air</li><li>water</li></ul><p>end</p>",
    '<p>See <a linktype="page" id="42">the plan</a> and <a href="https://example.org/a-b">this</a>.</p>',
    "<p>line one<br/>line two<br />line three<br>four</p><hr/><p>after</p>",
    '<p><b>bold</b> <i>italic</i></p><embed embedtype="image" id="3" format="left"/>',
    "   <p>  spaced  </p>  ",
    "no markup at all",
    "",
]
NOT_PLAIN = [
    "<p>R&amp;D &lt;tag&gt; &#169; &nbsp;x</p>",
    "<p>a < b and c > d</p>",
    '<p><a href="https://example.org/?a=1&b=2">q</a></p>',
    "<P>upper</P><BR/>",
    "<p>x</p ><p class='single'>y</p>",
    "<!-- note --><p>commented</p>",
    "<script>var x = '<p>';</script><p>after</p>",
    "<style>p { color: red }</style><p>styled</p>",
    "<p>unclosed <b",
    "<![CDATA[raw]]><p>x</p>",
    "<table><tr><td>cell</td></tr></table>",
    "<p>x</p><h7>not a heading</h7>",
]


def _corpus_rich_texts():
    """Generated bodies as paragraphs of rich text, in all three languages."""
    texts = []
    for record in generate(30):
        for translation in record["translations"].values():
            paragraphs = [p for p in translation.get("body", "").split("\n") if p.strip()]
            texts.append("".join(f"<p>{p}</p>" for p in paragraphs))
    return texts


@pytest.mark.parametrize("source", PLAIN + NOT_PLAIN)
def test_same_text_as_wagtail_and_django(source):
    assert markup.block_text(source) == get_text_for_indexing(source)
    assert markup.field_text(source) == strip_tags(source)


def test_plain_markup_is_read_without_the_parser_and_the_rest_with_it():
    assert all(markup.is_plain(source) for source in PLAIN)
    assert not any(markup.is_plain(source) for source in NOT_PLAIN)


def test_a_long_text_that_is_not_plain_is_told_at_once():
    # One pattern over the whole text backtracked exponentially on a long paragraph ending in "&".
    source = "<p>" + "word " * 20_000 + "R&D</p>"
    started = time.perf_counter()
    assert not markup.is_plain(source)
    assert markup.block_text(source) == get_text_for_indexing(source)
    assert time.perf_counter() - started < 5


def test_generated_bodies_are_plain_and_read_the_same():
    texts = _corpus_rich_texts()
    assert len(texts) > 40
    for source in texts:
        assert markup.is_plain(source)
        assert markup.block_text(source) == get_text_for_indexing(source)
        assert markup.field_text(source) == strip_tags(source)
