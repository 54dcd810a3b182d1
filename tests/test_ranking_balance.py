"""Ranking: items in a language some of the query's words cannot reach are scaled up (issue 15).

A blind evaluation pattern (``bench/crosslang_blind_eval.py``, odd half): a
Russian query word that no list or dictionary translates («обводнение»,
«попуски») matches only Russian items, so a Russian item on a neighbouring
subject that has that word beat the Chinese item matching everything the
query says that can be said in Chinese (``search.ranking.language_balance``,
``SEARCH_LANGUAGE_BALANCE``).
"""

import pytest

from tests.search_support import indexed_corpus, ranked

pytestmark = [pytest.mark.django_db]

ZH, EN, RU = "zh-hans", "en", "ru"
QUERY = "Иссык-Куль мониторинг обводнение"

ITEMS = {
    # the lake and the monitoring, in Chinese: all the query says that Chinese can say
    "lake-zh": {ZH: ("伊塞克湖水质监测", "")},
    # the untranslatable word and the monitoring, in the query's language, another lake
    "other-ru": {RU: ("Мониторинг обводнения у озера Балхаш", "")},
    # more items with the common word, so that it weighs what it does in an archive
    **{f"monitoring-{n}": {RU: (f"Мониторинг: {t}", "")} for n, t in enumerate(["почвы", "леса", "реки"])},
    **{f"jiance-{n}": {ZH: (f"{t}监测", "")} for n, t in enumerate(["土壤", "森林", "河流"])},
}


@pytest.fixture(scope="module")
def balance_corpus(vocabularies, django_db_blocker):
    yield from indexed_corpus(django_db_blocker, ITEMS, remove=False)


def test_a_language_a_query_word_cannot_reach_is_scaled_up(vocabularies):
    from search.analysis import analyse_query
    from search.ranking import LANGUAGE_BALANCE, groups, language_balance

    factors = language_balance(groups(analyse_query(QUERY, RU)))
    # three groups; «обводнение» reaches no Chinese text (no dictionary knows it)
    assert factors[ZH] == pytest.approx(1.5**LANGUAGE_BALANCE, abs=1e-3)
    assert factors[RU] == 1.0
    # every group reaches every language: nothing to balance
    assert language_balance(groups(analyse_query("Иссык-Куль мониторинг", RU))) == {}


def test_a_language_few_groups_reach_is_not_scaled_up(vocabularies):
    """``SEARCH_BALANCE_MIN_REACH``: Chinese can say one thing of three here (болото: 湿地).

    Scaled up by √3, Chinese items saying only "wetland" outranked the English
    item on the Zvanets fen (the name reaches English, spelt in Latin letters).
    """
    from django.test import override_settings

    from search.analysis import analyse_query
    from search.ranking import LANGUAGE_BALANCE, groups, language_balance

    q = "обводнение болота Званец"
    factors = language_balance(groups(analyse_query(q, RU)))
    assert factors[ZH] == 1.0
    assert factors[EN] == pytest.approx(1.5**LANGUAGE_BALANCE, abs=1e-3)
    with override_settings(SEARCH_BALANCE_MIN_REACH=0.0):
        assert language_balance(groups(analyse_query(q, RU)))[ZH] == pytest.approx(
            3**LANGUAGE_BALANCE, abs=1e-3
        )


@pytest.mark.elasticsearch
def test_the_item_matching_all_its_language_can_say_wins(balance_corpus):
    unbalanced = ranked(balance_corpus, QUERY, RU, SEARCH_LANGUAGE_BALANCE=False)
    assert unbalanced.index("other-ru") < unbalanced.index("lake-zh")
    assert ranked(balance_corpus, QUERY, RU)[0] == "lake-zh"


READER_ITEMS = {
    # everything the query asks, in Chinese: the snow leopard, Kyrgyzstan, the monitoring
    "leopard-zh": {ZH: ("吉尔吉斯斯坦雪豹红外相机监测", "")},
    # the query's language, but not the monitoring
    "leopard-ru": {RU: ("Снежный барс в Кыргызстане", "")},
    **{f"other-ru-{n}": {RU: (t, "")} for n, t in enumerate(["Мониторинг почвы", "Леса", "Реки"])},
    **{f"other-zh-{n}": {ZH: (f"{t}监测", "")} for n, t in enumerate(["土壤", "森林", "河流"])},
}


@pytest.fixture(scope="module")
def reader_corpus(vocabularies, django_db_blocker):
    yield from indexed_corpus(django_db_blocker, READER_ITEMS, remove=False)


@pytest.mark.elasticsearch
def test_the_readers_language_breaks_ties_and_gives_no_head_start(reader_corpus):
    """The Chinese item matching more of the query beats the Russian one matching less.

    ``SEARCH_READER_LANGUAGE_FACTOR``: the reader's language scored up 5% put the
    Russian item, a group short, first (``search.ranking.reader_language_factor``).
    """
    q = "снежный барс Кыргызстан мониторинг"
    assert ranked(reader_corpus, q, RU)[:2] == ["leopard-zh", "leopard-ru"]
    assert ranked(reader_corpus, q, RU, SEARCH_READER_LANGUAGE_FACTOR=1.05)[0] == "leopard-ru"
    # a query the Russian item answers better is still the Russian item's
    assert ranked(reader_corpus, "снежный барс Кыргызстан", RU)[0] == "leopard-ru"
