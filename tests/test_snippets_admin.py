"""Snippets in the admin: searched in every language, named in the editor's, filtered, chosen."""

import re

import pytest
from django.utils import translation

from portal import languages
from portal.core.models import Country
from tests.factories import organisation
from vocab.models import Place

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/admin/snippets/core/organisation/"
ORGANISATION_CHOOSER = "/admin/snippets/choose/core/organisation/"
PLACES = "/admin/snippets/vocab/place/"
PLACE_CHOOSER = "/admin/snippets/choose/vocab/place/"


@pytest.fixture
def ministries():
    """Organisations named in one, two or three languages."""
    return {
        "ecology": organisation(
            {"en": "Ministry of Ecology", "ru": "Министерство экологии", "zh-hans": "生态部"},
            kind="ministry",
            country="KZ",
        ),
        "water_ru": organisation({"ru": "Министерство водных ресурсов"}, kind="ministry", country="UZ"),
        "water_zh": organisation({"zh-hans": "水利部"}, kind="ministry", country="CN"),
        "energy_en": organisation({"en": "Ministry of Energy"}, kind="ministry", country="KZ"),
        "institute": organisation(
            {"en": "Institute of Geography", "ru": "Институт географии"},
            kind="centre",
            country="KZ",
            acronym_ru="ИГ",
        ),
    }


def listed(html, prefix):
    """The primary keys of the rows linked to ``prefix + edit/<pk>/`` (the list) or ``chosen/<pk>/``."""
    return {int(pk) for pk in re.findall(re.escape(prefix) + r"(?:edit|chosen)/(\d+)/", html)}


def chooser_results(client, url, **params):
    response = client.get(url + "results/", params)
    assert response.status_code == 200
    return response.content.decode()


SEARCHES = {
    "Министерство": {"ecology", "water_ru"},
    "министерство": {"ecology", "water_ru"},
    "部": {"ecology", "water_zh"},
    "Ministry": {"ecology", "energy_en"},
    "ministry": {"ecology", "energy_en"},
    "Министерство водных": {"water_ru"},
}


@pytest.mark.parametrize("admin_language", languages.LANGUAGE_CODES)
def test_the_organisation_list_searches_every_language(admin_in, ministries, admin_language):
    client = admin_in(admin_language)
    for query, expected in SEARCHES.items():
        response = client.get(ORGANISATIONS, {"q": query})
        assert response.status_code == 200
        found = listed(response.content.decode(), ORGANISATIONS) & {o.pk for o in ministries.values()}
        assert found == {ministries[key].pk for key in expected}, query


@pytest.mark.parametrize("admin_language", languages.LANGUAGE_CODES)
def test_the_organisation_chooser_searches_every_language(admin_in, ministries, admin_language):
    client = admin_in(admin_language)
    for query, expected in SEARCHES.items():
        html = chooser_results(client, ORGANISATION_CHOOSER, q=query)
        found = listed(html, ORGANISATION_CHOOSER) & {o.pk for o in ministries.values()}
        assert found == {ministries[key].pk for key in expected}, query


def test_names_are_shown_in_the_editors_language_with_the_fallback_marked(admin_in, ministries):
    client = admin_in("ru")
    html = client.get(ORGANISATIONS, {"q": "Министерство"}).content.decode()
    assert "Министерство экологии" in html
    assert "Ministry of Ecology" not in html
    html = client.get(ORGANISATIONS, {"q": "水利部"}).content.decode()
    with translation.override("ru"):
        note = str(languages.SHOWN_IN["zh-hans"])
    assert re.search(r'<span lang="zh-hans">水利部</span>\s*<span[^>]*>' + re.escape(note), html)

    client = admin_in("zh-hans")
    html = client.get(ORGANISATIONS, {"q": "Институт"}).content.decode()
    with translation.override("zh-hans"):
        note = str(languages.SHOWN_IN["ru"])
    assert re.search(r'<span lang="ru">ИГ</span>\s*<span[^>]*>' + re.escape(note), html)  # the acronym too
    html = chooser_results(client, ORGANISATION_CHOOSER, q="Energy")
    with translation.override("zh-hans"):
        note = str(languages.SHOWN_IN["en"])
    assert "Ministry of Energy" in html and note in html


def test_organisations_filter_by_type_and_country(admin_in, ministries):
    client = admin_in("en")
    kazakhstan = Country.objects.get(code="KZ")
    ours = {o.pk for o in ministries.values()}
    html = client.get(ORGANISATIONS, {"kind": "ministry", "country": kazakhstan.pk}).content.decode()
    assert listed(html, ORGANISATIONS) & ours == {ministries["ecology"].pk, ministries["energy_en"].pk}
    html = client.get(ORGANISATIONS, {"kind": "centre", "q": "институт"}).content.decode()
    assert listed(html, ORGANISATIONS) & ours == {ministries["institute"].pk}
    html = chooser_results(
        client, ORGANISATION_CHOOSER, kind="ministry", country=kazakhstan.pk, q="Министерство"
    )
    assert listed(html, ORGANISATION_CHOOSER) & ours == {ministries["ecology"].pk}


@pytest.fixture
def places():
    kz, cn = Country.objects.get(code="KZ"), Country.objects.get(code="CN")

    def place(identifier, kind, country, **labels):
        return Place.objects.create(identifier=identifier, kind=kind, country=country, **labels)

    return {
        "almaty": place(
            "almaty",
            "city",
            kz,
            pref_label_en="Almaty",
            pref_label_ru="Алматы",
            pref_label_zh_hans="阿拉木图",
        ),
        "balkhash": place("balkhash", "lake", kz, pref_label_en="Lake Balkhash", pref_label_ru="Балхаш"),
        "balkhash_town": place("balkhash-town", "city", kz, pref_label_ru="Балхаш (город)"),
        "urumqi": place("urumqi", "city", cn, pref_label_zh_hans="乌鲁木齐", pref_label_ru="Урумчи"),
    }


def test_places_filter_by_kind_and_country_and_search_russian(admin_in, places):
    client = admin_in("ru")
    kz = Country.objects.get(code="KZ")
    ours = {p.pk for p in places.values()}
    html = client.get(PLACES, {"kind": "city", "country": kz.pk}).content.decode()
    assert listed(html, PLACES) & ours == {places["almaty"].pk, places["balkhash_town"].pk}
    html = client.get(PLACES, {"q": "балхаш"}).content.decode()
    assert listed(html, PLACES) & ours == {places["balkhash"].pk, places["balkhash_town"].pk}
    html = chooser_results(client, PLACE_CHOOSER, q="Балхаш", kind="lake")
    assert listed(html, PLACE_CHOOSER) & ours == {places["balkhash"].pk}
    html = chooser_results(client, PLACE_CHOOSER, q="乌鲁")
    assert listed(html, PLACE_CHOOSER) & ours == {places["urumqi"].pk}


def test_the_chooser_offers_the_filters_in_the_editors_language(admin_in, places):
    client = admin_in("ru")
    response = client.get(PLACE_CHOOSER)
    html = response.json()["html"]
    with translation.override("ru"):
        city, kind = str(Place.Kind.CITY.label), str(Place._meta.get_field("kind").verbose_name)
    assert 'name="kind"' in html and 'name="country"' in html and 'name="q"' in html
    assert city in html and kind.capitalize() in html


@pytest.mark.parametrize(
    "params",
    [
        {"country": "abc"},
        {"kind": "volcano"},
        {"q": "x" * 5000},
        {"q": "a " * 200},
        {"p": "999"},
        {"q": "%_\\"},
    ],
)
def test_bad_filters_and_searches_are_not_errors(admin_in, places, params):
    client = admin_in("ru")
    for url in (PLACES, PLACE_CHOOSER + "results/", ORGANISATIONS):
        assert client.get(url, params).status_code in (200, 404), (url, params)


def test_an_organisation_is_added_and_copied_through_the_russian_admin(admin_in, ministries):
    client = admin_in("ru")
    data = {
        "name_zh_hans": "",
        "name_en": "",
        "name_ru": "Комитет по водным ресурсам",
        "acronym_zh_hans": "",
        "acronym_en": "",
        "acronym_ru": "",
        "country": Country.objects.get(code="KZ").pk,
        "kind": "agency",
        "identifier": "",
        "website": "",
        "external_id": "",
    }
    unnamed = client.post(ORGANISATIONS + "add/", {**data, "name_ru": ""})
    assert unnamed.status_code == 200 and unnamed.context["form"].errors
    response = client.post(ORGANISATIONS + "add/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert client.get(ORGANISATIONS, {"q": "комитет"}).content.decode().count("Комитет по водным ресурсам")
    copy = client.get(f"{ORGANISATIONS}copy/{ministries['ecology'].pk}/")
    assert copy.status_code == 200 and "Министерство экологии" in copy.content.decode()
