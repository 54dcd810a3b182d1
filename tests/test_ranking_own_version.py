"""Ranking: an item with a version in the reader's language is scored on that version (issue 15).

``SEARCH_OWN_VERSION`` (``search.ranking.own_version``). A group of the query
is scored by its best representation, so an item in three languages had three
chances where an item in one had one: the blind evaluation's Chinese query
"中国 生活垃圾分类 政策" put a generated item in three languages first, matching
政策 through its Russian title's «политика» (rare among Russian titles), above
the Chinese item it was about. A group's translations now count only for items
with no version in the reader's language (the query's, in the evaluation).
"""

import pytest

from tests.search_support import indexed_corpus, ranked

pytestmark = [pytest.mark.django_db]

ZH, EN, RU = "zh-hans", "en", "ru"

CITIES = ["北京", "上海", "天津", "重庆", "西安"]
ITEMS = {
    # the item the Chinese query is about, in Chinese only
    "wetland-zh": {ZH: ("湿地保护", "")},
    # in three languages: its Chinese version does not say 湿地, its English and Russian ones do
    "trilingual": {
        ZH: ("年度项目报告", ""),
        EN: ("Wetland report", ""),
        RU: ("Отчёт о водно-болотных угодьях", ""),
    },
    # 湿地 is common among Chinese titles, "wetland" rare among English ones
    **{f"zh-{n}": {ZH: (f"{city}湿地", "")} for n, city in enumerate(CITIES)},
    **{f"en-{n}": {EN: (f"{name} report", "")} for n, name in enumerate(["Forest", "Steppe", "Lake"])},
}


@pytest.fixture(scope="module")
def corpus(vocabularies, django_db_blocker):
    yield from indexed_corpus(django_db_blocker, ITEMS, remove=False)


@pytest.mark.elasticsearch
def test_an_item_the_reader_can_read_is_scored_in_the_readers_language(corpus):
    before = ranked(corpus, "湿地", ZH, SEARCH_OWN_VERSION=False)
    # Best of three languages: the English title's rare "wetland" outweighs the Chinese title's common 湿地.
    assert before.index("trilingual") < before.index("wetland-zh")
    after = ranked(corpus, "湿地", ZH)
    # Scored on its Chinese version, which does not say 湿地: after the six items that say it.
    assert "wetland-zh" in after[:6]
    assert "trilingual" not in after[:6]


@pytest.mark.elasticsearch
def test_an_item_without_the_readers_language_still_counts_by_its_translation(corpus):
    """The translations still reach items the reader's language has no version of (issue 15)."""
    found = ranked(corpus, "водно-болотные угодья", RU)
    assert "trilingual" in found  # its Russian title
    assert "wetland-zh" in found  # no Russian version: the concept's Chinese label, 湿地
