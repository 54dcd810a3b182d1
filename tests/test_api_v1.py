"""The partners' API (/api/v1/): lists, filters, languages, details, errors, HTTP behaviour, OpenAPI."""

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.api_v1_support import clear_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

API = "/api/v1/"


def get(client, path, **params):
    return client.get(API + path, params)


def bad(client, path, parameter, **params):
    response = get(client, path, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["parameter"] == parameter
    assert body["error"]
    return body


# --- Lists and languages -----------------------------------------------------------------


def test_project_list_in_english_with_fallback_reported(client, content):
    response = get(client, "projects/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["lang"] == "en"
    by_id = {item["external_id"]: item for item in body["results"]}
    air = by_id["prj-air"]
    assert air["title"] == "Almaty air quality" and air["title_lang"] == "en"
    # No English summary: the first fallback of en (zh-hans) is shown and named.
    assert air["summary"] == "监测网络" and air["summary_lang"] == "zh-hans"
    assert air["type"] == "project" and air["status"] == "ongoing"
    assert air["budget_amount"] == "1500000.00" and air["budget_currency"] == "USD"
    assert air["start_date"] == "2020-03-01"
    assert {c["code"] for c in air["countries"]} == {"KZ", "CN"}
    assert air["themes"][0]["code"] == "air" and air["themes"][0]["name"] == "Air"
    assert {o["role"] for o in air["organisations"]} == {"funding", "implementing"}
    assert air["last_updated"] and air["languages"] == ["zh-hans", "en", "ru"]
    assert set(air["urls"]) == {"zh-hans", "en", "ru"}
    for code, url in air["urls"].items():
        assert url.startswith(f"http://testserver/{code}/"), url
    assert by_id["prj-water"]["title_lang"] == "ru"
    assert by_id["prj-water"]["summary"] is None


def test_russian_reader_falls_back_to_english_then_chinese(client, content):
    items = {i["external_id"]: i for i in get(client, "projects/", lang="ru").json()["results"]}
    assert items["prj-air"]["summary_lang"] == "ru"
    assert items["prj-waste"]["title"] == "塔什干固废" and items["prj-waste"]["title_lang"] == "zh-hans"
    assert items["prj-air"]["countries"][0]["name_lang"] == "ru"


def test_lang_all_returns_every_translation(client, content):
    items = {i["external_id"]: i for i in get(client, "projects/", lang="all").json()["results"]}
    air = items["prj-air"]
    assert air["title"] == {
        "zh-hans": "阿拉木图空气质量",
        "en": "Almaty air quality",
        "ru": "Качество воздуха Алматы",
    }
    assert air["summary"] == {"zh-hans": "监测网络", "en": None, "ru": "Сеть мониторинга"}
    assert "title_lang" not in air
    assert set(air["themes"][0]["name"]) == {"zh-hans", "en", "ru"}


def test_order_is_newest_first_and_paging_is_stable(client, content):
    ids = [i["external_id"] for i in get(client, "projects/").json()["results"]]
    assert ids == ["prj-air", "prj-water", "prj-waste"]  # no start date last
    seen = []
    for page in (1, 2, 3):
        body = get(client, "projects/", page=page, page_size=1).json()
        assert body["num_pages"] == 3
        seen += [i["external_id"] for i in body["results"]]
    assert seen == ids
    body = get(client, "projects/", page=2, page_size=1).json()
    assert "page=3" in body["next"] and "page=1" in body["previous"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"country": "KZ"}, {"prj-air"}),
        ({"country": ["KZ", "KG"]}, {"prj-air", "prj-water"}),
        ({"theme": "water"}, {"prj-water"}),
        ({"status": "completed"}, {"prj-water"}),
        ({"year": "2016"}, {"prj-water"}),
        ({"external_id": "prj-waste"}, {"prj-waste"}),
        ({"country": "CN", "theme": "air", "status": "ongoing"}, {"prj-air"}),
        ({"country": "IN"}, set()),
    ],
)
def test_project_filters(client, content, params, expected):
    body = get(client, "projects/", **params).json()
    assert {i["external_id"] for i in body["results"]} == expected
    assert body["count"] == len(expected)


def test_updated_since(client, content):
    future = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    assert get(client, "projects/", updated_since=future).json()["count"] == 0
    assert get(client, "projects/", updated_since="2000-01-01").json()["count"] == 3
    assert get(client, "projects/", updated_since="2000-01-01T00:00:00+08:00").json()["count"] == 3


def test_other_content_lists_and_their_filters(client, content):
    trainings = get(client, "trainings/", status="open").json()
    assert [i["external_id"] for i in trainings["results"]] == ["trn-1"]
    policies = get(client, "policies/", type="law", country="CN").json()
    assert [i["external_id"] for i in policies["results"]] == ["pol-1"]
    assert policies["results"][0]["document_type"] == "law"
    news = get(client, "news/", type="event", year="2024").json()
    assert [i["external_id"] for i in news["results"]] == ["news-1"]
    bad(client, "news/", "type", type="law")
    bad(client, "news/", "status", status="open")  # news has no status filter


def test_vocabulary_lists(client, content):
    countries = get(client, "countries/", status="member").json()
    kz = next(c for c in countries["results"] if c["code"] == "KZ")
    assert kz["external_id"] == "KZ" and kz["sco_status"] == "member"
    assert kz["urls"]["ru"].endswith("/ru/countries/KZ/")
    themes = get(client, "themes/", lang="ru").json()
    air = next(t for t in themes["results"] if t["code"] == "air")
    assert air["name"] == "Воздух" and air["name_lang"] == "ru"
    assert "theme=air" in air["urls"]["en"]
    orgs = get(client, "organisations/", country="KZ", type="ministry").json()
    assert [o["name"] for o in orgs["results"]] == ["Ministry of Ecology"]
    assert orgs["results"][0]["external_id"].startswith("organisation-")
    assert get(client, "concepts/").status_code == 200


def test_every_object_has_last_updated_from_the_start(client, content):
    """Delta sync from zero finds everything: seeded countries and themes, organisations, concepts."""
    for name in ("countries", "themes", "organisations", "projects"):
        body = get(client, f"{name}/", updated_since="1970-01-01", page_size=100).json()
        assert body["count"] == get(client, f"{name}/").json()["count"] > 0, name
        assert all(item["last_updated"] for item in body["results"]), name


def test_editing_a_country_bumps_the_items_showing_it(client, content):
    before = get(client, f"projects/{content['air'].pk}/").json()["last_updated"]
    since = timezone.now()
    from portal.core.models import Country

    kz = Country.objects.get(code="KZ")
    kz.name_en = "Republic of Kazakhstan"
    kz.save()
    changed = get(client, "projects/", updated_since=since.isoformat()).json()
    assert [i["external_id"] for i in changed["results"]] == ["prj-air"]
    assert changed["results"][0]["last_updated"] > before
    assert [
        c["code"] for c in get(client, "countries/", updated_since=since.isoformat()).json()["results"]
    ] == ["KZ"]


# --- Details -------------------------------------------------------------------------------


def test_project_detail_has_relations_and_body(client, content):
    air = content["air"]
    response = get(client, f"projects/{air.pk}/", lang="ru")
    assert response.status_code == 200
    item = response.json()
    assert item["id"] == air.pk and item["external_id"] == "prj-air" and item["lang"] == "ru"
    assert item["title"] == "Качество воздуха Алматы" and item["place_name"] == "Алматы"
    assert "body" in item and "results" in item
    assert item["documents"][0]["url"].startswith("http://testserver/documents/")
    assert item["documents"][0]["language"] == "en"


def test_details_of_vocabularies(client, content):
    assert get(client, "countries/kz/").json()["code"] == "KZ"
    assert get(client, "themes/air/", lang="all").json()["name"]["zh-hans"] == "大气"
    assert get(client, "countries/ZZ/").status_code == 404
    assert get(client, "projects/999999/").status_code == 404
    assert get(client, "projects/abc/").status_code == 404
    assert get(client, "unicorns/").status_code == 404
    assert get(client, "unicorns/").json()["error"]


def test_unpublished_pages_are_not_served(client, content):
    water = content["water"]
    water.unpublish()
    assert get(client, f"projects/{water.pk}/").status_code == 404
    assert get(client, "projects/").json()["count"] == 2


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, parameter, params",
    [
        ("projects/", "country", {"country": "XX"}),
        ("projects/", "theme", {"theme": "nope"}),
        ("projects/", "status", {"status": "in_force"}),
        ("projects/", "year", {"year": "20x4"}),
        ("projects/", "updated_since", {"updated_since": "yesterday"}),
        ("projects/", "updated_since", {"updated_since": "2024-02-30"}),
        ("projects/", "lang", {"lang": "de"}),
        ("projects/", "lang", {"lang": "zh"}),
        ("projects/", "page", {"page": "0"}),
        ("projects/", "page", {"page": "two"}),
        ("projects/", "page_size", {"page_size": "1000"}),
        ("projects/", "sort", {"sort": "title"}),
        ("projects/", "page", {"page": ["1", "2"]}),
        ("countries/", "status", {"status": "friend"}),
        ("countries/", "year", {"year": "2024"}),
        ("projects/1/", "page", {"page": "1"}),
        ("projects/export.csv", "page", {"page": "1"}),
        ("projects/export.csv", "country", {"country": "XX"}),
        ("projects/export.xml", "lang", {"lang": "en"}),
    ],
)
def test_bad_input_is_400_naming_the_parameter(client, content, path, parameter, params):
    bad(client, path, parameter, **params)


def test_page_past_the_last_is_404_naming_page(client, content):
    response = get(client, "projects/", page="99")
    assert response.status_code == 404 and response.json()["parameter"] == "page"


def test_huge_ids_and_dates_at_the_edges_never_fail(client, content):
    assert get(client, "projects/9223372036854775808/").status_code == 404
    assert get(client, "organisations/99999999999/").status_code == 404
    assert get(client, "projects/", updated_since="9999-12-31T23:59:59-12:00").json()["count"] == 0
    assert get(client, "projects/", updated_since="0001-01-01T00:00:00+14:00").json()["count"] == 3
    assert get(client, "projects/", updated_since="2020-01-01T23:59:60Z").status_code == 200
    bad(client, "projects/", "updated_since", updated_since="")
    bad(client, "projects/", "lang", lang="")
    bad(client, "projects/", "country", country="kz")  # codes exactly as the lists give them


def test_empty_list_has_one_page(client, content):
    body = get(client, "projects/", country="IN", page=1).json()
    assert body["count"] == 0 and body["num_pages"] == 1


def test_error_messages_follow_the_reader_language(client, content):
    body = client.get(API + "projects/", {"lang": "de"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["parameter"] == "lang"


# --- HTTP: conditional GET, CORS, rate limit, methods ----------------------------------------


def test_etag_and_last_modified_give_304(client, content):
    first = get(client, "projects/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    again = client.get(API + "projects/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    since = client.get(API + "projects/", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    other = client.get(API + "projects/?lang=ru", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    detail = get(client, f"projects/{content['air'].pk}/")
    assert (
        client.get(API + f"projects/{content['air'].pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 304
    )


def test_etag_changes_when_content_changes(client, content):
    etag = get(client, "projects/")["ETag"]
    air = content["air"]
    air.title_en = "Almaty clean air"
    air.save_revision().publish()
    response = client.get(API + "projects/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


ORIGIN = {"HTTP_ORIGIN": "https://partner.example"}


@pytest.mark.parametrize("path", ["/api/v1/projects/", "/api/search/?q=air", "/api/v1/changes/"])
def test_cors_is_open_for_get(client, content, path):
    response = client.get(path, **ORIGIN)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(path, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **ORIGIN)
    assert preflight.status_code == 200
    assert (
        preflight["Access-Control-Allow-Origin"] == "*" and "GET" in preflight["Access-Control-Allow-Methods"]
    )
    assert client.get(API + "projects/?country=XX", **ORIGIN)["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/projects/", "/api/search/", "/api/v1/countries/KZ/"])
def test_writes_are_refused_with_json_405(content, method, path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a partner's script: no CSRF token
    response = getattr(client, method)(path, {})
    assert response.status_code == 405 and response.json()["error"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_search_answers_304_and_is_rate_limited(client, content):
    first = client.get("/api/search/", {"q": "air", "lang": "en"})
    assert first.status_code == 200 and first["ETag"]
    assert (
        client.get("/api/search/", {"q": "air", "lang": "en"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    with override_settings(API_RATE_LIMIT=(1, 60)):
        clear_cache()
        assert client.get("/api/search/", {"q": "air"}).status_code == 200
        assert client.get("/api/search/", {"q": "air"}).status_code == 429


@override_settings(API_RATE_LIMIT=(2, 60), SECURITY_PROXY_COUNT=1)
def test_forged_forwarded_for_does_not_dodge_the_limit(client, content):
    """Behind one proxy only the entry the proxy appended counts, not what the client wrote."""
    for n in range(2):
        assert client.get(API + "themes/", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7").status_code == 200
    assert client.get(API + "themes/", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code == 429
    assert client.get(API + "themes/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_304_is_decided_before_the_body_is_built(client, content, django_assert_max_num_queries):
    etag = get(client, "projects/")["ETag"]
    with django_assert_max_num_queries(8):  # the validators' aggregates, no list query
        assert client.get(API + "projects/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@override_settings(API_RATE_LIMIT=(3, 60))
def test_rate_limit_per_client(client, content):
    for _ in range(3):
        assert get(client, "countries/").status_code == 200
    response = get(client, "countries/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["retry_after"] == int(response["Retry-After"]) and "3" in body["error"]
    other = client.get(API + "countries/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another client has its own count


@override_settings(API_RATE_LIMIT=None)
def test_rate_limit_can_be_turned_off(client, content):
    for _ in range(5):
        assert get(client, "themes/").status_code == 200


# --- OpenAPI and docs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec(api_corpus, django_db_blocker):
    """The OpenAPI document as ``/api/v1/openapi.json`` serves it, asked once for the module: the
    schema tests only read it (the test of the document itself asks the endpoint on its own)."""
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(API + "openapi.json")
    assert response.status_code == 200
    return response.json()


def validator(spec, schema):
    """A JSON Schema 2020-12 validator (jsonschema-rs, as Schemathesis uses) for a schema of ``spec``."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]})


def test_every_list_and_detail_in_every_lang_matches_the_generated_schema(client, content, spec):
    from vocab.models import Concept

    Concept.objects.create(
        identifier="air-pollution", pref_label="Air pollution", pref_label_ru="Загрязнение"
    )
    assert spec["openapi"].startswith("3.1")
    paths = spec["paths"]
    keys = {
        "projects": content["air"].pk,
        "trainings": content["training"].pk,
        "policies": content["policy"].pk,
        "news": content["news"].pk,
        "countries": "KZ",
        "themes": "air",
        "organisations": content["ministry"].pk,
        "concepts": None,
    }
    checked = 0
    for name, key in keys.items():
        list_op = paths[f"/api/v1/{name}/"]["get"]
        detail_op = paths[f"/api/v1/{name}/{{key}}/"]["get"]
        for lang in ("zh-hans", "en", "ru", "all"):
            response = get(client, f"{name}/", lang=lang, page_size=100)
            schema = list_op["responses"]["200"]["content"]["application/json"]["schema"]
            errors = [str(e) for e in validator(spec, schema).iter_errors(response.json())]
            assert errors == [], (name, lang, errors[:3])
            checked += 1
            if key is None:
                key = response.json()["results"][0]["api_url"].rstrip("/").rsplit("/", 1)[-1]
            detail = get(client, f"{name}/{key}/", lang=lang)
            assert detail.status_code == 200
            schema = detail_op["responses"]["200"]["content"]["application/json"]["schema"]
            errors = [str(e) for e in validator(spec, schema).iter_errors(detail.json())]
            assert errors == [], (name, key, lang, errors[:3])
            checked += 1
    assert checked == 64


def test_search_in_every_lang_matches_the_generated_schema(client, content, search_engine, spec):
    operation = spec["paths"]["/api/search/"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    for lang in ("zh-hans", "en", "ru", "all"):
        for q in ("air", "", "воздух"):
            body = client.get("/api/search/", {"q": q, "lang": lang, "explain": "1"}).json()
            assert body["results"] and body["engine"] == search_engine, (q, lang)
            errors = [str(e) for e in validator(spec, schema).iter_errors(body)]
            assert errors == [], (q, lang, errors[:3])
    # lang=all is offered, and its shape is the one of /api/v1/ (one Texts definition).
    lang = next(p for p in operation["parameters"] if p["name"] == "lang")
    assert "all" in lang["schema"]["enum"] and "all:" in lang["description"]
    title = spec["components"]["schemas"]["HitAll"]["properties"]["title"]
    assert title == spec["components"]["schemas"]["CountryRefAll"]["properties"]["name"] | {
        k: v for k, v in title.items() if k == "description"
    }


@pytest.fixture(params=["elasticsearch", "database"])
def search_engine(request, content):
    """Each search test once on the real node (the content indexed) and once on the database fallback."""
    if request.param == "elasticsearch":
        import io

        from search.rebuild import rebuild

        request.getfixturevalue("es")
        rebuild(out=io.StringIO())
    else:
        request.getfixturevalue("settings").ELASTICSEARCH_URL = ""
    yield request.param
    from search import client

    client.mark_up()


def test_search_lang_all_gives_each_hit_in_every_language(client, content, search_engine):
    body = client.get("/api/search/", {"q": "air quality", "lang": "all"}).json()
    assert body["lang"] == "all" and body["engine"] == search_engine
    air = next(h for h in body["results"] if h["external_id"] == "prj-air")
    assert air["title"] == {
        "zh-hans": "阿拉木图空气质量",
        "en": "Almaty air quality",
        "ru": "Качество воздуха Алматы",
    }
    assert "title_lang" not in air
    assert set(air["url"]) == set(air["snippet"]) == {"zh-hans", "en", "ru"}
    assert air["url"]["ru"] and air["url"]["ru"] != air["url"]["en"]
    # The same hits and facets as in the default language, where the query is analysed.
    default = client.get("/api/search/", {"q": "air quality", "lang": "en"}).json()
    assert [h["id"] for h in body["results"]] == [h["id"] for h in default["results"]]
    assert body["facets"] == default["facets"]
    # A project written only in Russian has null in the other languages, not a fallback copy.
    water = client.get("/api/search/", {"q": "Бишкека", "lang": "all"}).json()["results"]
    water = next(h for h in water if h["external_id"] == "prj-water")
    assert water["title"]["ru"] == "Чистая вода Бишкека" and water["title"]["en"] is None


def test_the_schema_catches_a_wrong_answer(client, content, spec):
    """The check above is not vacuous: a broken item fails it."""
    schema = spec["paths"]["/api/v1/projects/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    body = get(client, "projects/").json()
    body["results"][0]["urls"]["en"] = 42
    assert not validator(spec, schema).is_valid(body)


def test_openapi_document_is_valid_and_has_every_operation(client, content):
    from openapi_spec_validator import validate

    spec = get(client, "openapi.json").json()
    validate(spec)
    for name in (
        "projects",
        "trainings",
        "policies",
        "news",
        "countries",
        "themes",
        "organisations",
        "concepts",
    ):
        assert f"/api/v1/{name}/" in spec["paths"] and f"/api/v1/{name}/{{key}}/" in spec["paths"]
    for path in (
        "/api/v1/projects/export.xml",
        "/api/v1/projects/export.csv",
        "/api/search/",
        "/api/v1/changes/",
    ):
        assert path in spec["paths"], path
    list_op = spec["paths"]["/api/v1/projects/"]["get"]
    assert {"200", "304", "400", "404", "429"} <= set(list_op["responses"])
    assert "ETag" in list_op["responses"]["200"]["headers"]
    assert "Retry-After" in list_op["responses"]["429"]["headers"]
    country = next(p for p in list_op["parameters"] if p["name"] == "country")
    assert "KZ" in country["schema"]["items"]["enum"]


def test_docs_in_three_languages(client, content):
    ru = client.get("/api/v1/docs/", {"lang": "ru"}).content.decode()
    zh = client.get("/api/v1/docs/", {"lang": "zh-hans"}).content.decode()
    en = client.get("/api/v1/docs/", {"lang": "en"}).content.decode()
    assert ru != en and zh != en and 'lang="ru"' in ru


def test_docs_page_is_self_contained(client, content):
    response = client.get(API + "docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/projects/" in html and "updated_since" in html and "IATI" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == [], external
    assert "<script" not in html


def test_root_lists_resources(client, content):
    body = get(client, "").json()
    names = [r["name"] for r in body["resources"]]
    assert names[:4] == ["projects", "trainings", "policies", "news"]
    assert body["openapi"].endswith("/api/v1/openapi.json")
    assert body["changes"].endswith("/api/v1/changes/")
