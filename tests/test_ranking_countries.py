"""Ranking: a country the query names counts by the items' country tags (issue 15), on the real node.

The blind evaluation's same-language misses (``bench/crosslang_blind_eval.py``):
an item naming the country in its title, on another subject or another
country's leopards, above the item the query is about, which the editors
tagged with the country but whose text does not name it. Items of their own
(one language each), so the other ranking modules' figures are not disturbed.
"""

import pytest

from tests.search_support import fresh_index, index_now, ranked

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

ZH, EN, RU = "zh-hans", "en", "ru"

ITEMS = {
    # what "снежный барс Кыргызстан" is about: tagged Kyrgyzstan, the text names a reserve only
    "leopard-kg-ru": ({RU: ("Фотомониторинг снежного барса в заповеднике Сарычат-Эрташ", "")}, ["KG"]),
    # a Chinese survey naming Kyrgyzstan in its title (a joint team), tagged China
    "leopard-cn-zh": ({ZH: ("中国和吉尔吉斯斯坦专家在托木尔峰开展雪豹监测", "")}, ["CN"]),
    # items on other subjects, some naming the country in their titles
    "waste-hangzhou-zh": ({ZH: ("杭州市生活垃圾分类管理实施办法", "")}, ["CN"]),
    "incineration-cn-zh": ({ZH: ("中国生活垃圾焚烧发电厂名录", "")}, ["CN"]),
    "wetland-cn-zh": ({ZH: ("中国湿地保护规划", "")}, ["CN"]),
    "air-cn-en": ({EN: ("China air quality monitoring network", "")}, ["CN"]),
    "water-kg-ru": ({RU: ("Кыргызстан: питьевая вода в сёлах", "")}, ["KG"]),
    "forest-kg-en": ({EN: ("Kyrgyzstan walnut forests", "")}, ["KG"]),
    # as many Russian titles as Chinese ones: a word is weighed by its rarity among its field's
    # texts (SEARCH_FIELD_RARITY), and «снежный барс» in one of two Russian titles weighed half
    # of 雪豹 in one of five Chinese ones
    **{f"other-by-ru-{n}": ({RU: (title, "")}, ["BY"]) for n, title in enumerate(["Леса", "Озёра", "Степи"])},
}


@pytest.fixture(scope="module")
def corpus(vocabularies, django_db_blocker):
    """The items above with their country tags, committed and indexed once (undone by ``vocabularies``)."""
    from portal.core.models import Country
    from tests.factories import make_page
    from website.models import HomePage

    with django_db_blocker.unblock():
        es = fresh_index()
        home = HomePage.objects.get()
        pages = {}
        for key, (texts, codes) in ITEMS.items():
            title = {code: t for code, (t, _s) in texts.items()}
            page = make_page(home, title=title)
            page.countries.set(Country.objects.filter(code__in=codes))
            page.save_revision().publish()
            pages[key] = page
        index_now(es)
    yield {page.pk: key for key, page in pages.items()}


def test_a_country_counts_by_the_items_tags_not_by_its_name_in_a_title(corpus, monkeypatch):
    from search import ranking

    q = "снежный барс Кыргызстан"
    assert ranked(corpus, q, RU)[0] == "leopard-kg-ru"
    # Without it, the country's name in a title outweighs the concept the query asks for.
    monkeypatch.setattr(ranking, "_country_groups", lambda aq, by_key, out: None)
    assert ranked(corpus, q, RU)[0] == "leopard-cn-zh"


def test_a_country_is_one_group_with_its_tag(vocabularies):
    """The group of «Кыргызстан» holds its labels and its tag; the tag is what every tagged item matches."""
    from search.analysis import analyse_query
    from search.ranking import CountryRepresentation, groups

    reps = [rep for group in groups(analyse_query("снежный барс Кыргызстан", RU)) for rep in group]
    tags = [rep for rep in reps if isinstance(rep, CountryRepresentation)]
    assert [tag.terms for tag in tags] == [("KG",)]
