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


@pytest.mark.elasticsearch
def test_the_item_matching_all_its_language_can_say_wins(balance_corpus):
    unbalanced = ranked(balance_corpus, QUERY, RU, SEARCH_LANGUAGE_BALANCE=False)
    assert unbalanced.index("other-ru") < unbalanced.index("lake-zh")
    assert ranked(balance_corpus, QUERY, RU)[0] == "lake-zh"
