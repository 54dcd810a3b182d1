"""The reader's site in every language: numbers browsers parse, the map, fallback notes."""
# ruff: noqa: F811  (the fixture imported from test_site is used as an argument)

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from portal import languages
from portal.core.numbers import plain_number
from tests.test_site import site_with_project  # noqa: F401

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
