"""The public site in three languages: prefixes, <html lang>, switcher, fallback."""

import re

import pytest

from portal import languages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_home_page_renders_in_each_language(client, home, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    with_lang = {
        "zh-hans": "上海合作组织环境保护合作平台",
        "en": "SCO Environmental Cooperation Portal",
        "ru": "Портал экологического сотрудничества ШОС",
    }
    assert f'<h1 lang="{code}">{with_lang[code]}</h1>' in html


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "/zh-hans/"),
        ("ru-RU,ru;q=0.9", "/ru/"),
        ("kk-KZ", "/ru/"),
        ("en-GB", "/en/"),
        ("de-DE", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_by_browser_language(client, home, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switcher_links_to_same_page(client, home):
    html = client.get("/ru/").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([a-z-]+)"', html))
    assert set(links.values()) == {"zh-hans", "en"}
    assert "/zh-hans/" in links and "/en/" in links


def test_missing_translation_falls_back_visibly(client, home):
    home.intro_en = "What the platform is."
    home.intro_ru = ""
    home.save_revision().publish()
    html = client.get("/ru/").content.decode()
    assert '<div class="intro" lang="en">' in html
    assert "What the platform is." in html
    assert 'class="fallback-note"' in html
