"""The reader's words marked in titles and snippets (``search.marking``): no engine, no database."""

from search.analysis import AnalysedQuery, Expansion, analyze
from search.marking import Marks
from search.results import SNIPPET_CHARS


def marks(raw, lang, *expansions):
    return Marks(AnalysedQuery(raw=raw, lang=lang, terms=analyze(raw), expansions=list(expansions)))


def test_chinese_words_are_one_mark_wherever_they_occur():
    zh = marks("大气污染防治", "zh-hans")
    assert zh.title("京津冀地区大气污染联防联控", "zh-hans") == "京津冀地区<mark>大气污染</mark>联防联控"
    # Chinese words are not marked in another language's text (a Latin transcription is no match).
    assert "<mark>" not in zh.title("Da qi wu ran", "en")


def test_inflected_forms_are_marked_by_their_stem_in_their_script_only():
    ru = marks("загрязнения воздуха", "ru")
    title = ru.title("Мониторинг загрязнение воздуха в Алматы", "ru")
    assert title == "Мониторинг <mark>загрязнение</mark> <mark>воздуха</mark> в Алматы"
    en = marks("ecosystem", "en")
    assert en.title("Ecosystems of the Aral Sea", "en") == "<mark>Ecosystems</mark> of the Aral Sea"
    assert "<mark>" not in en.title("ecosystemsky", "ru")  # an English stem marks English text only


def test_stop_words_and_other_languages_expansions_are_not_marked():
    query = marks(
        "воздуха в Алматы", "ru", Expansion("air pollution", lang="en"), Expansion("大气", lang="zh-hans")
    )
    assert (
        query.title("Воздух в Алматы", "ru") == "<mark>Воздух</mark> в <mark>Алматы</mark>"
    )  # "в": a stop word
    assert query.title("Air in the city", "en") == "<mark>Air</mark> in the city"
    assert "<mark>" not in query.title("Air in the city", "ru")  # the English label is not a Russian word
    assert query.title("大气质量", "zh-hans") == "<mark>大气</mark>质量"


def test_the_text_around_the_marks_is_escaped():
    query = marks("water policy", "en")
    html = query.title("Water <script>alert(1)</script> policy & law", "en")
    assert html == "<mark>Water</mark> &lt;script&gt;alert(1)&lt;/script&gt; <mark>policy</mark> &amp; law"


def test_a_long_summary_is_cut_around_its_first_match():
    query = marks("saxaul", "en")
    filler = "Grazing land in the steppe was surveyed again. " * 8
    summary = filler + "Saxaul seedlings took root on the dunes. " + "More text follows here. " * 10
    snippet = query.snippet(summary, "en", SNIPPET_CHARS)
    assert snippet.startswith("… <mark>Saxaul</mark> seedlings took root")  # from its sentence
    assert snippet.endswith("…") and len(snippet) <= SNIPPET_CHARS + 20
    # No match: the summary's beginning, as on a page without a search.
    plain = query.snippet(filler, "en", SNIPPET_CHARS)
    assert plain.startswith("Grazing land") and "<mark>" not in plain
    short = query.snippet("Saxaul & tamarisk.", "en", SNIPPET_CHARS)
    assert short == "<mark>Saxaul</mark> &amp; tamarisk."


def test_a_query_compiles_no_letter_class_and_marks_what_the_expression_it_replaces_marked():
    """The text's runs of letters are found by one expression compiled once, not one per query.

    The expression it replaces held a class leaving out the Han ranges once per word
    and stem; compiled with ``IGNORECASE`` it case-folded every Han code point each
    time (38 ms for a new query's three languages at 100,000 items). The marks are
    the same: whole words, words starting with a stem, Chinese words anywhere.
    """
    import re

    from search.analysis import HAN
    from search.marking import _pattern

    words, stems, han = (
        ["air", "water", "almaty"],
        ["pollut", "загрязн", "воздух", "вод", "ecosystem"],
        ["大气"],
    )
    re.purge()
    matcher = _pattern(words, stems, han)
    assert not [p for p in re._cache if HAN in str(p)]  # nothing with the Han ranges compiled for it
    letter = f"[^\\W_{HAN}]"
    whole = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    whole += [re.escape(s) + f"{letter}*" for s in stems]
    before = re.compile(f"(?<!{letter})(?:{'|'.join(whole)})(?!{letter})|大气", re.IGNORECASE)
    text = (
        "Air and WATER: Воздух, воды и Водного бассейна; загрязнение (Pollution) of Almaty's waters, "
        "airy ecosystems, hairpollution, водоём, 大气water污染, air_water, Almaty2024 air 大气污染."
    )
    assert sorted(matcher.spans(text)) == [m.span() for m in before.finditer(text)]
    ru = "Воздух ВОДЫ water"
    assert [ru[a:b] for a, b in sorted(matcher.spans(ru))] == ["Воздух", "ВОДЫ", "water"]
