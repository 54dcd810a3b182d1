"""The one slug function: readable ASCII slugs from titles in Chinese, Russian or English."""

import re

import pytest
from django.core.validators import validate_slug

from portal.core.slugs import slug_from_title


@pytest.mark.parametrize(
    "title, slug",
    [
        ("大气污染防治", "da-qi-wu-ran-fang-zhi"),  # one syllable per Han character
        ("2018年上合组织青岛峰会", "2018-nian-shang-he-zu-zhi-qing-dao-feng-hui"),
        ("“一市一策”", "yi-shi-yi-ce"),  # full-width quotes are dropped, not kept as words
        ("Экологический кодекс", "ekologicheskiy-kodeks"),  # Cyrillic transliterated
        ("Зелёный Шёлковый путь: посланники", "zelenyy-shelkovyy-put-poslanniki"),
        ("Liaocheng air quality: PM2.5", "liaocheng-air-quality-pm25"),
        ("SCO summit in Qingdao", "sco-summit-in-qingdao"),
    ],
)
def test_titles_in_each_script_give_readable_ascii_slugs(title, slug):
    assert slug_from_title(title) == slug


def test_a_long_title_is_cut_between_words():
    title = "Экологический кодекс Республики Казахстан"
    assert slug_from_title(title, max_length=30) == "ekologicheskiy-kodeks"
    long_zh = "关于深化环境监测改革提高环境监测数据质量的意见"
    slug = slug_from_title(long_zh, max_length=40)
    assert len(slug) <= 40 and not slug.endswith("-")
    # every piece is a whole syllable of the uncut slug
    assert slug_from_title(long_zh, max_length=200).startswith(slug + "-")


def test_a_cut_exactly_before_a_hyphen_keeps_the_whole_word():
    assert slug_from_title("green silk road", max_length=10) == "green-silk"


def test_a_single_word_longer_than_the_limit_is_cut_inside_it():
    assert slug_from_title("a" * 80, max_length=60) == "a" * 60


@pytest.mark.parametrize("title", ["", "!!!", "   ", "—", "🙂"])
def test_a_title_with_nothing_to_transliterate_still_gets_a_slug(title):
    slug = slug_from_title(title)
    validate_slug(slug)
    assert re.fullmatch(r"[a-z0-9-]+", slug)


@pytest.mark.parametrize("title", ["环境 Environment Окружающая среда", "A/B & C", "Ölçü—ção"])
def test_every_slug_is_a_valid_ascii_slug(title):
    slug = slug_from_title(title)
    validate_slug(slug)
    assert slug.isascii() and slug == slug.lower() and "--" not in slug
