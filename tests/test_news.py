"""News and events: rendering in three languages, fallback, event dates and place, filters, rules."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from news.models import NewsIndexPage, NewsPage
from portal import languages
from portal.core.models import Country, Theme
from tests.factories import add_page, rolled_back, url

pytestmark = pytest.mark.django_db

SUMMIT = {
    "zh-hans": "上海合作组织青岛峰会",
    "en": "SCO summit in Qingdao",
    "ru": "Саммит ШОС в Циндао",
}


STREAM = [
    ("news", 2018, "CN", "air"),
    ("news", 2018, "KZ", "energy"),
    ("news", 2017, "CN", "air"),
    ("news", 2014, "CN", "policy-dialogue"),
    ("event", 2016, "RU", "capacity-building"),
]


def tag(page, country, theme):
    """Give a published page a country and a theme, and publish that."""
    page.countries.add(Country.objects.get(code=country))
    page.themes.add(Theme.objects.get(slug=theme))
    page.save_revision().publish()


def build_news():
    """The news list, the Qingdao summit and five more items (:data:`STREAM`); their ids.

    The tests only read them (what one adds is undone by its own savepoint):
    made once for the module by :func:`news_site`.
    """
    from website.models import HomePage

    index = add_page(
        HomePage.objects.get(),
        NewsIndexPage,
        {"zh-hans": "新闻", "en": "News and events", "ru": "Новости"},
        "news",
    )
    summit = add_page(
        index,
        NewsPage,
        SUMMIT,
        "qingdao-summit",
        kind="event",
        date=datetime.date(2018, 6, 9),
        end_date=datetime.date(2018, 6, 10),
        place_zh_hans="中国青岛",
        place_en="Qingdao, China",
    )
    tag(summit, "CN", "policy-dialogue")
    for n, (kind, year, country, theme) in enumerate(STREAM):
        page = add_page(
            index, NewsPage, {"en": f"Item {n}"}, f"item-{n}", kind=kind, date=datetime.date(year, 3, n + 1)
        )
        tag(page, country, theme)
    return index.pk, summit.pk


@pytest.fixture(scope="module")
def news_site(django_db_setup, django_db_blocker):
    """:func:`build_news` once per module, in a transaction rolled back at its end."""
    yield from rolled_back(django_db_blocker, build_news)


@pytest.fixture
def index(news_site, db):
    """The news list (its items: the summit and :data:`STREAM`), read afresh for the test."""
    return NewsIndexPage.objects.get(pk=news_site[0])


@pytest.fixture
def summit(news_site, db):
    """The Qingdao summit, an event in China, read afresh for the test."""
    return NewsPage.objects.get(pk=news_site[1])


@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_event_renders_in_each_language(client, summit, code):
    html = client.get(url(summit, code)).content.decode()
    assert f'<html lang="{code}">' in html
    assert f'<h1 lang="{code}">{SUMMIT[code]}</h1>' in html
    assert '<time datetime="2018-06-09">' in html and '<time datetime="2018-06-10">' in html
    name = {"zh-hans": "中国", "en": "China", "ru": "Китай"}[code]
    assert f'href="{url(summit.get_parent(), code)}?country=CN" lang="{code}">{name}</a>' in html


def test_event_place_falls_back_visibly(client, summit):
    html = client.get(url(summit, "ru")).content.decode()
    assert '<span lang="en">Qingdao, China</span>' in html
    assert 'class="fallback-note"' in html
    html = client.get(url(summit, "zh-hans")).content.decode()
    assert '<span lang="zh-hans">中国青岛</span>' in html


def test_news_item_in_one_language_falls_back(client, index):
    page = add_page(
        index,
        NewsPage,
        {"ru": "Казахстан: переход к зелёной экономике"},
        "kz-green-economy",
        date=datetime.date(2018, 5, 1),
    )
    html = client.get(url(page, "zh-hans")).content.decode()
    assert '<h1 lang="ru">Казахстан: переход к зелёной экономике</h1>' in html
    # Said once, at the top, in the reader's language.
    assert '<p class="lang-notice" role="note">本页尚未译成中文，以俄文显示。</p>' in html
    html = client.get(url(index, "en")).content.decode()
    assert 'lang="ru">Казахстан: переход к зелёной экономике</a>' in html


def test_news_rules(summit):
    with pytest.raises(ValidationError) as exc:
        NewsPage(
            kind="event", date=datetime.date(2018, 6, 10), end_date=datetime.date(2018, 6, 9)
        ).validate_values()
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError):
        NewsPage(
            kind="news", date=datetime.date(2018, 6, 10), end_date=datetime.date(2018, 6, 11)
        ).validate_values()
    summit.end_date = datetime.date(2018, 6, 1)
    with pytest.raises(ValidationError):
        summit.full_clean()


@pytest.fixture
def stream(index, summit):
    """The list's items beside the summit (:data:`STREAM`): part of the module's :func:`news_site`."""
    return index


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", 6),
        ("?kind=event", 2),
        ("?kind=news", 4),
        ("?year=2018", 3),
        ("?country=CN", 4),
        ("?theme=air", 2),
        ("?country=CN&year=2018", 2),
        ("?kind=event&year=2018", 1),
    ],
)
def test_filters_narrow_the_list(client, index, stream, query, expected):
    html = client.get(url(index, "en") + query).content.decode()
    assert len(re.findall(r'<li class="card news-card', html)) == expected
    assert f"{expected} item" in html


def test_list_is_newest_first(client, index, stream):
    html = client.get(url(index, "en")).content.decode()
    titles = re.findall(r'<h2><a href="[^"]+" lang="en">([^<]+)</a>', html)
    assert titles == ["SCO summit in Qingdao", "Item 1", "Item 0", "Item 2", "Item 4", "Item 3"]
    assert '<option value="event">Event (2)</option>' in html
