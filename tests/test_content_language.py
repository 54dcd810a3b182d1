"""Choosing the language of content: lists, home, search (real engine), feeds, the switcher."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import make_page
from tests.search_support import index_now

pytestmark = pytest.mark.django_db


def card_titles(html):
    return re.findall(r'<h2><a href="[^"]+" lang="([a-z-]+)">([^<]+)</a></h2>', html)


def test_a_list_can_keep_only_items_in_the_readers_language(client, site_with_project):
    everything = card_titles(client.get("/en/projects/").content.decode())
    assert ("zh-hans", "聊城大气") in everything and ("en", "Almaty air") in everything
    html = client.get("/en/projects/?language=en").content.decode()
    assert card_titles(html) == [("en", "Almaty air")]
    assert 'class="fallback-note"' not in html.split('class="cards"')[1]
    # The choice is a filter like the others, with counts per language.
    assert '<option value="en" selected>English (1)</option>' in html
    assert '<option value="zh-hans">Chinese (1)</option>' in html
    # And the quick switch back to every language.
    assert '<span aria-current="true">Only items in English</span>' in html


def test_unknown_content_language_is_ignored_with_a_note(client, site_with_project):
    html = client.get("/en/projects/?language=xx").content.decode()
    assert len(card_titles(html)) == 2
    assert "no longer match anything and were ignored" in html


def test_home_page_keeps_only_items_in_the_readers_language(client, site_with_project):
    assert "聊城大气" in client.get("/ru/").content.decode()
    html = client.get("/ru/?language=ru").content.decode()
    assert "Воздух Алматы" in html and "聊城大气" not in html
    assert "Только на русском</span>" in html


def test_language_switcher_keeps_filters_and_page(client, site_with_project):
    html = client.get("/en/projects/?country=KZ&page=1&language=en").content.decode()
    switch = html.split('class="lang-switch"')[1].split("</nav>")[0]
    # "Only in my language" follows the reader into the language they switch to.
    assert 'href="/ru/proekty/?country=KZ&amp;page=1&amp;language=ru"' in switch or (
        'href="/ru/projects/?country=KZ&amp;page=1&amp;language=ru"' in switch
    )
    assert "language=zh-hans" in switch
    # hreflang alternates stay clean URLs.
    assert not re.search(r'<link rel="alternate" hreflang="[^"]+" href="[^"]*\?', html)
    search = client.get("/en/search/?q=air&country=KZ").content.decode()
    assert 'href="/ru/search/?q=air&amp;country=KZ"' in search


def test_feeds_mark_each_entrys_language(client, site_with_project):
    rss = ET.fromstring(client.get("/en/feeds/projects/rss.xml").content)
    items = {
        i.findtext("title"): i.findtext("{http://purl.org/dc/elements/1.1/}language")
        for i in rss.iter("item")
    }
    assert items["Almaty air"] == "en"
    assert items["聊城大气 (shown in Chinese)"] == "zh-hans"
    atom = ET.fromstring(client.get("/ru/feeds/projects/atom.xml?language=ru").content)
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in entries] == ["ru"]


@pytest.mark.elasticsearch
def test_search_counts_and_filters_by_language_of_content(client, home, es):
    make_page(home, title={"ru": "Качество воздуха Алматы"}, summary={"ru": "Воздух и станции."})
    make_page(home, title={"zh-hans": "阿拉木图空气质量"}, summary={"zh-hans": "空气监测站。"})
    make_page(
        home, title={"en": "Almaty air quality", "ru": "Воздух Алматы"}, summary={"en": "Air stations."}
    )
    index_now(es)
    response = client.get("/api/search/?q=Алматы&lang=ru")
    facet = {f["value"]: f["count"] for f in response.json()["facets"]["language"]}
    assert facet["ru"] == 2 and facet.get("en") == 1
    only = client.get("/api/search/?q=Алматы&lang=ru&language=ru").json()
    assert only["total"] == 2 and all("ru" in r["languages"] for r in only["results"])
    page = client.get("/ru/search/?q=Алматы").content.decode()
    assert "Язык материалов" in page and 'Русский</a> <span class="count">(2)</span>' in page
    assert client.get("/api/search/?q=x&language=xx").status_code == 400


@pytest.mark.elasticsearch
def test_chinese_highlights_are_whole_words(client, home, es):
    make_page(
        home,
        title={"zh-hans": "京津冀地区大气污染联防联控"},
        summary={"zh-hans": "加强区域大气污染治理合作。"},
    )
    index_now(es)
    html = client.get("/zh-hans/search/?q=大气污染").content.decode()
    assert "<mark>大气污染</mark>" in html
    assert "</mark><mark>" not in html
