"""Cross-language *ranking* against the real Elasticsearch node (issue 15).

Each mechanism of ``search/ranking.py`` has a test that puts the right item
first with the mechanism on, and a check that switching it off (its setting)
ranks the item lower: the test shows what the mechanism is for, and cannot
pass without it. Every item exists in ONE language.
"""

import pytest
from django.test import override_settings

from search.query import SearchRequest, search
from tests.search_support import indexed_corpus, ranked

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

ZH, EN, RU = "zh-hans", "en", "ru"

ITEMS = {
    # one concept named in each language's title
    "desert-zh": {ZH: ("荒漠化", "")},
    "desert-en": {EN: ("Desertification", "")},
    "desert-ru": {RU: ("Опустынивание", "")},
    "waste-tj-en": {EN: ("Household waste policy in Tajikistan", "Collection points in Dushanbe.")},
    # one programme, many items: the rare name and the year tell them apart
    "envoys-anji-zh": {ZH: ("绿色丝路使者计划生态文明研修班", "2023年在浙江安吉举办的研修活动。")},
    "envoys-2019-zh": {ZH: ("2019年绿色丝路使者计划环境管理研修班", "为各国环境官员举办的研修活动。")},
    "envoys-water-zh": {ZH: ("绿色丝路使者计划水资源管理研修班", "为各国水利官员举办的研修活动。")},
    "envoys-en": {EN: ("Green Silk Road Envoys Programme: workshop on waste", "Officials meet in Beijing.")},
    "envoys-ru": {
        RU: ("Семинар программы «Зелёный Шёлковый путь: посланники»", "Встреча экспертов в Пекине.")
    },
    # a Chinese place no list knows, in English only
    "bamboo-en": {EN: ("Bamboo forest carbon sink survey in Anji", "Plots measured across the county.")},
    # a law's number
    "law-ru": {RU: ("Закон об отходах производства и потребления № 89-ФЗ", "Основы обращения с отходами.")},
    "law2-ru": {RU: ("Закон об охране атмосферного воздуха № 96-ФЗ", "Нормативы выбросов.")},
}


@pytest.fixture(scope="module")
def corpus(vocabularies, django_db_blocker):
    """The items above, committed and indexed once for the module (undone by ``vocabularies``' restore)."""
    yield from indexed_corpus(django_db_blocker, ITEMS, remove=False)


def rank_of(corpus, key, q, lang, **switches):
    keys = ranked(corpus, q, lang, **switches)
    return keys.index(key) + 1 if key in keys else 99


def test_item_in_another_language_competes_on_equal_terms(corpus):
    """One concept, one item per language, each naming it in its title: comparable scores.

    Without fair competition the items in the query's language start ahead:
    the others are reached only through expansions weighted below the user's words.
    """

    def scores(**switches):
        with override_settings(**switches):
            hits = search(SearchRequest(q="desertification", lang=EN)).hits
        return {corpus[h.id]: h.score for h in hits if h.id in corpus}

    fair = scores()
    for key in ("desert-zh", "desert-ru"):
        assert 0.75 < fair[key] / fair["desert-en"] < 1.34, fair
    unfair = scores(SEARCH_FAIR_LANGUAGES=False)
    assert unfair["desert-zh"] / unfair["desert-en"] < 0.75, unfair


def test_rare_name_outranks_a_concept_many_items_share(corpus):
    q = "Green Silk Road Envoys Anji"
    assert ranked(corpus, q, EN)[0] == "envoys-anji-zh"
    # Without the rarity weighting the programme's long name, matched by every
    # Envoys item, drowns the one word that tells them apart.
    off = ranked(corpus, q, EN, SEARCH_RARE_TERMS=False, SEARCH_NAME_MATCHING=False)
    assert off[0] != "envoys-anji-zh"


@pytest.mark.parametrize(
    "q, lang, expected",
    [
        ("Green Silk Road Envoys 2019", EN, "envoys-2019-zh"),
        ("绿色丝路使者计划 2023", ZH, "envoys-anji-zh"),
        ("посланники Зелёного Шёлкового пути 2023", RU, "envoys-anji-zh"),
    ],
)
def test_year_in_the_query_is_matched_as_such(corpus, q, lang, expected):
    assert ranked(corpus, q, lang)[0] == expected


def test_document_number_is_matched_as_typed(corpus):
    assert ranked(corpus, "закон 96-ФЗ", RU)[0] == "law2-ru"
    assert ranked(corpus, "закон № 89-ФЗ", RU)[0] == "law-ru"


@pytest.mark.parametrize(
    "q, lang, expected",
    [
        ("Anji", EN, "envoys-anji-zh"),  # Latin -> Han, through the pinyin of the index
        ("Аньцзи", RU, "envoys-anji-zh"),  # Palladius Cyrillic -> pinyin -> Han
        ("Аньцзи", RU, "bamboo-en"),  # Palladius Cyrillic -> pinyin, in English text
        ("安吉", ZH, "bamboo-en"),  # Han -> pinyin, in English text
    ],
)
def test_chinese_names_no_list_knows_cross_scripts(corpus, q, lang, expected):
    assert expected in ranked(corpus, q, lang)[:2]
    assert expected not in ranked(corpus, q, lang, SEARCH_NAME_MATCHING=False)


def test_same_language_item_still_first_for_its_own_words(corpus):
    assert ranked(corpus, "Bamboo forest carbon sink", EN)[0] == "bamboo-en"
    assert ranked(corpus, "Household waste policy in Tajikistan", EN)[0] == "waste-tj-en"
    assert ranked(corpus, "绿色丝路使者计划水资源管理", ZH)[0] == "envoys-water-zh"


def first_pass_order(corpus, q, lang):
    """Keys of the corpus items in the order of the cheap first pass alone (what the window keeps)."""
    from search import client
    from search.analysis import analyse_query
    from search.ranking import first_pass_query

    query = first_pass_query(analyse_query(q, lang)).to_dict()
    hits = client.get_client().search(index=client.read_alias(), query=query, size=20)["hits"]["hits"]
    return [corpus[int(h["_id"])] for h in hits if int(h["_id"]) in corpus]


@pytest.mark.parametrize(
    "q, lang, expected",
    [
        ("Green Silk Road Envoys Anji", EN, "envoys-anji-zh"),
        ("绿色丝路使者计划 2019", ZH, "envoys-2019-zh"),
    ],
)
def test_first_pass_keeps_the_item_the_ranking_puts_first(corpus, q, lang, expected):
    """The first pass counts each of the query's groups once, as the full ranking does.

    Only its best SEARCH_RESCORE_WINDOW matches are ranked by the full query: an
    item it ranks low is never seen. One clause per language over all the terms
    put the items matching a programme's long name in many words (Envoys items in
    English and Russian) above the one matching the word that tells it apart.
    """
    assert ranked(corpus, q, lang)[0] == expected
    assert first_pass_order(corpus, q, lang)[0] == expected
