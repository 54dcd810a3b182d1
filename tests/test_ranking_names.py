"""Ranking: numbers, Chinese spans and foreign names in Chinese characters (issue 15), on the real node.

Each test reproduces a failure the blind evaluation (``bench/crosslang_blind_eval.py``)
showed, on items of its own (one language each), so the figures of
``tests/test_ranking.py``'s corpus are not disturbed.
"""

import pytest

from tests.search_support import indexed_corpus, ranked

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

ZH, EN, RU = "zh-hans", "en", "ru"

ITEMS = {
    "desert-zh": {ZH: ("荒漠化", "")},
    "desert-ru": {RU: ("Опустынивание", "")},
    # a small town no list knows, in Russian only
    "muynak-ru": {RU: ("Саксаул на осушенном дне Арала у Муйнака", "Посадки на бывшем дне моря.")},
    # a plan sharing only a span of years with the query, and the item the query is about
    "ammonia-en": {EN: ("Action plan on ammonia (2023–2027)", "Emissions from farms.")},
    # a ridge no list knows, in English only; Russian names it by an adjective (Кетменский хребет)
    "ketmen-en": {EN: ("Juniper woodland survey on the Ketmen ridge", "Plots along the border.")},
    "osh-waste-en": {
        EN: ("Osh city waste management programme", "Collection and sorting in Osh, 2023-2027.")
    },
    # a valley no list knows, its name two words (Chon-Kemin), in English only
    "chon-kemin-en": {EN: ("Forestry in the Chon-Kemin valley", "")},
    # a nature reserve no list knows, in Chinese only: jieba cuts its name (卡拉 / 麦里山)
    "kalamaili-zh": {ZH: ("卡拉麦里山有蹄类野生动物自然保护区普氏野马种群监测", "")},
    # two words of a query in a short title, all three in a long one
    "pasture-short-en": {EN: ("Pasture grazing", "")},
    "pasture-long-en": {
        EN: (
            "Pasture grazing plan agreed by the herders, the rangers, the village councils and the "
            "forestry service of the upper valley after three years of talks on the summer and winter camps",
            "",
        )
    },
}


@pytest.fixture(scope="module")
def corpus(vocabularies, django_db_blocker):
    """The items above, committed and indexed once for the module (undone by ``vocabularies``' restore)."""
    yield from indexed_corpus(django_db_blocker, ITEMS, remove=False)


def test_a_number_counts_like_one_word_not_more(corpus):
    """A span of years matched as typed adds one group's worth, so it cannot outweigh the words.

    Before, the number's phrase was boosted nine times a word on a title: a plan
    sharing only "2023-2027" came first for "Osh waste programme 2023-2027".
    """
    assert ranked(corpus, "Osh waste programme 2023-2027", EN)[0] == "osh-waste-en"
    assert ranked(corpus, "ammonia 2023-2027", EN)[0] == "ammonia-en"


def test_a_chinese_year_is_one_group_and_a_year():
    """2018年 is the year 2018: one number group (the item's year counts), no group for 年 ("year")."""
    from search.analysis import analyse_query
    from search.ranking import groups, number_groups

    (number,) = number_groups("2018年 研修班")
    assert (number.terms, number.year()) == (("2018",), 2018)
    assert [rep.terms for reps in groups(analyse_query("2018年", ZH)) for rep in reps] == [("2018",)]


def test_chinese_words_of_a_span_count_once(corpus):
    """A Chinese query's words are one group per span, like an English query's.

    jieba's search mode splits 荒漠化防治 into several terms; each used to count
    as a group of its own, on top of the span's, so items in Chinese sharing
    a word beat an item in another language matching the whole span.
    """
    from search.analysis import analyse_query
    from search.ranking import groups

    assert len(groups(analyse_query("荒漠化", ZH))) == 1
    assert len(groups(analyse_query("塔什干 环境影响评价 培训", ZH))) == 3
    assert set(ranked(corpus, "荒漠化", ZH)[:2]) == {"desert-zh", "desert-ru"}


def test_a_foreign_name_in_chinese_characters_reaches_the_russian_item(corpus):
    """木伊纳克 is Муйнак as Chinese writes it: read back («муинак») and matched within two edits."""
    assert ranked(corpus, "木伊纳克", ZH) == ["muynak-ru"]
    assert "muynak-ru" not in ranked(corpus, "木伊纳克", ZH, SEARCH_NAME_MATCHING=False)


def test_a_name_in_chinese_characters_reaches_its_two_word_spelling(corpus):
    """琼克明 is Чон-Кемин, Chon-Kemin: read whole («чонкмин») it is no word of the item.

    ``SEARCH_NAME_CUTS``: the reading is also cut in two words between characters
    («чон кмин», "chon kmin"), each matched within its edits, both in one field.
    """
    assert ranked(corpus, "琼克明", ZH) == ["chon-kemin-en"]
    assert ranked(corpus, "琼克明", ZH, SEARCH_NAME_CUTS=False) == []


def test_a_russian_adjective_reaches_the_name_it_is_made_from(corpus):
    """«Кетменский» is Ketmen's adjective: its transliteration "ketmenskiy" matches nothing."""
    assert ranked(corpus, "Кетменский", RU)[:1] == ["ketmen-en"]
    assert "ketmen-en" not in ranked(corpus, "Кетменский", RU, SEARCH_NAME_MATCHING=False)


def test_a_long_title_is_not_discounted_for_its_length(corpus):
    """Titles are not penalised for their length as BM25's defaults do (``documents.SIMILARITY``).

    With b 0.75 the query's words in a long title counted about half what they
    count in a short one: generated titles ("SCO experts discuss national park")
    outranked the item a query named in full, and Chinese titles, cut into many
    overlapping words, were the longest of all.
    """
    from search.query import SearchRequest, search

    hits = search(SearchRequest(q="pasture grazing", lang=EN)).hits
    scores = {corpus[h.id]: h.score for h in hits if h.id in corpus}
    assert scores["pasture-long-en"] / scores["pasture-short-en"] > 0.75, scores


def test_a_chinese_name_jieba_cut_in_two_is_found_by_its_pinyin(corpus, monkeypatch):
    """ "Kalamaili" is 卡拉麦里 (山): jieba cuts it 卡拉 / 麦里山, so the items' pinyin is "kala mailishan".

    The reading cut between syllables, as a phrase whose last word may go on
    ("kala maili…"), finds it; the whole reading alone found nothing.
    """
    from search import names

    assert ranked(corpus, "Kalamaili", EN) == ["kalamaili-zh"]
    assert ranked(corpus, "Каламайли", RU) == ["kalamaili-zh"]  # Palladius, read back as pinyin
    monkeypatch.setattr(names, "splits", lambda reading, most=4: [])
    assert ranked(corpus, "Kalamaili", EN) == []


def test_a_character_reads_as_its_common_word_not_a_surname():
    """区 is "qu" (district, reserve), not the surname "Ou" CC-CEDICT lists first: 保护区 is baohuqu."""
    from search.names import han_pinyin, index_readings

    assert han_pinyin("保护区") == "baohuqu"
    assert han_pinyin("安吉") == "anji"  # a common reading is kept when a surname's follows
    assert "ziranbaohuqu" in index_readings(["自然保护区"])


@pytest.mark.parametrize("q, lang", [("постановление № 482", RU), ("Order No. 482", EN)])
def test_a_numbers_sign_is_not_a_word(vocabularies, q, lang):
    """«№» (NFKC: "No") before a number belongs to the number: no word "no" translated 不是 ("is not")."""
    from search.analysis import analyse_query
    from search.ranking import groups

    aq = analyse_query(q, lang)
    assert "no" not in aq.terms
    assert not [e for e in aq.expansions if "no" in e.terms or "不是" in e.text]
    assert [("482",)] in [[rep.terms for rep in group] for group in groups(aq)]
