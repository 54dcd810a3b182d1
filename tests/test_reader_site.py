"""The reader's site in every language: numbers browsers parse, the map, fallback notes."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from portal import languages
from portal.core.numbers import plain_number

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# An attribute value that a locale turned into "606,0" (or "1 234").
LOCALISED_NUMBER = re.compile(r'="-?\d+,\d+"|="\d{1,3}(?:\u00a0|\s)\d{3}"')
NUMERIC_SVG_ATTRIBUTES = ("x", "y", "width", "height", "cx", "cy", "r", "rx")


def svg_fragments(html):
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


@pytest.mark.parametrize(
    "value, expected", [(606.0, "606"), (12.345, "12.35"), (3, "3"), ("7,5", "0"), (-0.001, "0")]
)
def test_plain_number_always_writes_a_dot(value, expected):
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            assert plain_number(value) == expected


def test_figures_write_numbers_a_browser_parses_in_every_language(client, site_with_project):
    for code in languages.LANGUAGE_CODES:
        for path in (f"/{code}/", f"/{code}/projects/", f"/{code}/countries/", f"/{code}/countries/KZ/"):
            html = client.get(path).content.decode()
            assert not LOCALISED_NUMBER.findall(html), path
            fragments = svg_fragments(html)
            assert fragments, path
            for fragment in fragments:
                root = ET.fromstring(fragment.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
                for element in root.iter():
                    for name in NUMERIC_SVG_ATTRIBUTES:
                        if name in element.attrib:
                            float(element.attrib[name])  # raises on "606,0"
                    if "viewBox" in element.attrib:
                        assert all(float(v) >= 0 for v in element.attrib["viewBox"].split()), path


def test_map_draws_country_outlines_each_linking_to_its_list(client, site_with_project):
    html = client.get("/ru/").content.decode()
    svg = html.split('<svg class="sco-map-svg"')[1].split("</svg>")[0]
    countries = re.findall(r'<a href="([^"]+)" class="country[^"]*" data-country="([A-Z]{2})"', svg)
    assert len(countries) >= 25  # members, observers, dialogue partners
    assert ("/ru/projects/?country=KZ", "KZ") in countries
    kazakhstan = svg.split('data-country="KZ"')[1].split("</a>")[0]
    path = re.search(r'<path d="([^"]+)"', kazakhstan).group(1)
    assert len(re.findall(r"-?\d+(?:\.\d)?", path)) > 60  # an outline, not a box
    # Labels in the reader's language, never ISO codes; the same numbers in the table.
    assert ">Казахстан</tspan>" in svg
    assert not re.search(r"<tspan[^>]*>[A-Z]{2}</tspan>", svg)
    table = html.split("<table>")[1].split("</table>")[0]
    assert '<a href="/ru/projects/?country=KZ">Казахстан</a></th><td class="num">1</td>' in table


def test_trainings_list_maps_trainings(client, site_with_project):
    from projects.models import TrainingIndexPage
    from website.models import HomePage

    home = HomePage.objects.get()
    index = TrainingIndexPage(title="Training", title_en="Training", slug="training")
    home.add_child(instance=index)
    index.save_revision().publish()
    html = client.get("/en/training/").content.decode()
    assert 'class="sco-map sco-map-trainings"' in html
    assert 'href="/en/training/?country=KZ"' in html


def test_fallback_note_names_the_language_in_the_readers_language(client, site_with_project):
    _index, _page, only_zh = site_with_project
    english = client.get("/en/projects/").content.decode()
    assert ">shown in Chinese</small>" in english
    assert "中文</small>" not in english
    russian = client.get("/ru/projects/").content.decode()
    notes = re.findall(r'<small class="fallback-note" lang="ru">([^<]+)</small>', russian)
    assert "показано на китайском" in notes and all(re.search("[а-я]", n) for n in notes), notes


def test_a_fallback_page_says_so_once(client, site_with_project):
    _index, _page, only_zh = site_with_project
    only_zh.summary_zh_hans = "只有中文的摘要。"
    only_zh.save_revision().publish()
    html = client.get("/en/projects/liaocheng/").content.decode()
    assert html.count("shown in Chinese") == 1
    assert 'class="fallback-note"' not in html.split("<main")[1].split("</main>")[0]


def test_no_space_before_commas_between_countries(client, site_with_project):
    _index, page, _only_zh = site_with_project
    from portal.core.models import Country

    page.countries.add(Country.objects.get(code="CN"))
    html = client.get("/ru/projects/").content.decode()
    assert not re.search(r"\s,", re.sub(r"<[^>]+>", "", html.split("<main")[1])), "space before a comma"


@pytest.mark.parametrize(
    "code, heading", [("en", "Page not found"), ("ru", "Страница не найдена"), ("zh-hans", "找不到页面")]
)
def test_404_is_the_sites_page_in_the_readers_language(client, site_with_project, code, heading):
    response = client.get(f"/{code}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="main-nav"' in html and f'href="/{code}/projects/"' in html or "/xiangmu/" in html
    assert f'action="/{code}/search/"' in html and 'name="q"' in html


def test_500_400_403_pages_are_localised(rf, site_with_project):
    from django.core.exceptions import PermissionDenied

    from website import views

    with translation.override("ru"):
        request = rf.get("/ru/")
        for view, status, text in (
            (views.server_error, 500, "Что-то пошло не так"),
            (views.bad_request, 400, "Не удалось разобрать запрос"),
            (views.permission_denied, 403, "Эта страница вам недоступна"),
        ):
            response = view(request) if status == 500 else view(request, PermissionDenied())
            assert response.status_code == status
            html = response.content.decode()
            assert text in html and 'name="q"' in html, status


def test_500_page_survives_a_broken_database(rf, monkeypatch):
    from website import views

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(views, "_error_page", broken)
    with translation.override("ru"):
        response = views.server_error(rf.get("/ru/"))
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()


def test_robots_txt_names_the_sitemap_and_favicon_exists(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    assert "Disallow: /admin/" in robots.content.decode()
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon["Content-Type"] == "image/x-icon"
    assert b"".join(favicon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_has_a_meta_description(client, site_with_project):
    paths = ["/en/", "/ru/projects/", "/zh-hans/projects/liaocheng/", "/ru/countries/", "/en/countries/KZ/"]
    paths += ["/ru/search/?q=air", "/en/no-such-page/"]
    for path in paths:
        html = client.get(path).content.decode()
        description = re.search(r'<meta name="description" content="([^"]*)">', html)
        assert description and len(description.group(1)) > 20, path


def test_html_and_json_are_compressed_for_anonymous_readers_only(client, admin_client, site_with_project):
    import gzip

    for path in ("/ru/", "/api/v1/projects/", "/ru/search/?q=воздух"):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in response["Vary"]
        gzip.decompress(response.content)  # a real gzip stream
    # Uncompressed responses still vary on Accept-Encoding (page caches keep both apart).
    plain = client.get("/ru/")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    # BREACH: pages that carry CSRF tokens next to user input are never compressed.
    admin = admin_client.get("/admin/pages/search/?q=abc", HTTP_ACCEPT_ENCODING="gzip")
    assert admin.status_code == 200 and "Content-Encoding" not in admin
    signed_in = admin_client.get("/ru/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in signed_in


def test_dates_and_amounts_read_naturally_in_each_language(client, site_with_project):
    import datetime
    from decimal import Decimal

    _index, page, _only_zh = site_with_project
    page.start_date = datetime.date(2018, 9, 1)
    page.budget_amount = Decimal("850000")
    page.budget_currency = "USD"
    page.title_zh_hans = "阿拉木图空气"
    page.save_revision().publish()
    english = client.get("/en/projects/almaty-air/").content.decode()
    assert "1 September 2018" in english and "Sept." not in english
    urls = {}
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            urls[code] = page.get_url()
    chinese = client.get(urls["zh-hans"]).content.decode()
    assert ">850,000</data>" in chinese
    russian = client.get(urls["ru"]).content.decode()
    assert "1 сентября 2018" in russian


def test_page_cache_replays_are_compressed_for_readers_who_ask(client, site_with_project, settings):
    import gzip

    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/ru/projects/", HTTP_ACCEPT_ENCODING="gzip")
    replay = client.get("/ru/projects/", HTTP_ACCEPT_ENCODING="gzip")
    assert replay["X-Page-Cache"] == "hit"
    assert replay["Content-Encoding"] == "gzip"
    assert first["X-Page-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    assert gzip.decompress(replay.content).startswith(b"<!DOCTYPE html>")
    plain = client.get("/ru/projects/")
    assert plain["X-Page-Cache"] == "hit" and "Content-Encoding" not in plain
    assert plain.content.startswith(b"<!DOCTYPE html>")


def test_search_result_dates_are_written_for_the_reader():
    from django.template import Context, Template

    template = Template('{% load portal_tags %}{{ d|iso_date|date:"DATE_FORMAT"|default:d }}')
    with translation.override("en"):
        assert template.render(Context({"d": "2018-09-01"})) == "1 September 2018"
    with translation.override("ru"):
        assert template.render(Context({"d": "2018-09-01"})) == "1 сентября 2018 г."
    assert template.render(Context({"d": "not a date"})) == "not a date"


def test_document_languages_are_named_in_the_readers_language():
    with translation.override("en"):
        assert languages.document_language_reader_name("ru") == "Russian"
    with translation.override("ru"):
        assert languages.document_language_reader_name("en") == "английский"
        assert languages.document_language_reader_name("kk") == "Казахский"
    assert languages.document_language_reader_name("xx-unknown") == "xx-unknown"
