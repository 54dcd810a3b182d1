"""Bad input: random strings, huge values, control characters, mixed scripts and
Elasticsearch query syntax thrown at the search page and API never give a 5xx."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_page
from tests.search_support import index_now

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

ES_SYNTAX = [
    '"',
    "\\",
    "*",
    "?",
    "~",
    "^2",
    ":",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "/",
    "AND",
    "OR",
    "NOT",
    "&&",
    "||",
    "!",
    "+",
    "-",
    "title:*",
    "_id:1",
    'title_en:"x"~3',
    "a~0.5",
    "/.*/",
    "[* TO *]",
    "{!lucene}",
    "%00",
    "%",
    "\\u0000",
    "<script>",
    "'; DROP TABLE wagtailcore_page; --",
]
SCRIPTS = st.sampled_from(
    ["环境保护合作", "Экология", "ecology", "Ёжик", "қазақ", "Ўзбек", "ﾃｽﾄ", "𠮷", "ǅ", "‮", "\u200b", "🌍"]
)
TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=50),  # control characters
    st.lists(st.one_of(SCRIPTS, st.sampled_from(ES_SYNTAX), st.text(max_size=10)), max_size=30).map(" ".join),
    st.integers(min_value=1000, max_value=200_000).map(lambda n: "x" * n),  # huge
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
PARAM_VALUE = st.one_of(TEXT, st.integers(min_value=-(10**30), max_value=10**30).map(str))
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def cleaned(value):
    """What an HTTP client can send at all: the test client refuses NUL bytes in URLs."""
    return value.replace("\x00", "")


@pytest.fixture
def content(home, es):
    make_page(home, title={"en": "Air quality monitoring", "ru": "Мониторинг воздуха", "zh-hans": "空气质量"})
    index_now(es)


def assert_not_5xx(response, what):
    assert response.status_code < 500, (what, response.status_code)


@FUZZ
@given(
    q=TEXT,
    lang=st.sampled_from(["en", "ru", "zh-hans"]),
    extra=st.dictionaries(
        st.sampled_from(["type", "country", "theme", "year", "status", "page", "sort", "page_size"]),
        PARAM_VALUE,
        max_size=4,
    ),
)
def test_search_page_never_fails(client, content, q, lang, extra):
    params = {"q": cleaned(q), **{k: cleaned(v) for k, v in extra.items()}}
    assert_not_5xx(client.get(f"/{lang}/search/", params), params)


@FUZZ
@given(
    q=TEXT,
    extra=st.dictionaries(
        st.sampled_from(
            ["lang", "type", "country", "theme", "year", "status", "page", "page_size", "explain"]
        ),
        PARAM_VALUE,
        max_size=5,
    ),
)
def test_search_api_never_fails(client, content, q, extra):
    params = {"q": cleaned(q), **{k: cleaned(v) for k, v in extra.items()}}
    response = client.get("/api/search/", params)
    assert_not_5xx(response, params)
    assert response["Content-Type"].startswith("application/json")


@FUZZ
@given(q=TEXT)
def test_suggestions_never_fail(client, content, q):
    assert_not_5xx(client.get("/api/search/suggest/", {"q": cleaned(q), "lang": "en"}), q)


@FUZZ
@given(q=TEXT)
def test_database_fallback_never_fails(client, content, q):
    from django.test import override_settings

    with override_settings(ELASTICSEARCH_URL=""):
        assert_not_5xx(client.get("/en/search/", {"q": cleaned(q)}), q)
        assert_not_5xx(client.get("/api/search/", {"q": cleaned(q), "lang": "ru"}), q)
