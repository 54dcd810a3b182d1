"""Analysis, parameter validation (400s) and the database fallback: no engine needed."""

import pytest
from django.test import override_settings

from search import client
from search.analysis import (
    Expansion,
    analyse_query,
    analyze,
    analyzed_text,
    register_expander,
    unregister_expander,
)
from search.documents import index_body, query_fields
from search.query import SearchRequest, search
from tests.factories import make_page


def test_russian_inflections_share_terms():
    assert analyze("загрязнения воздуха") == analyze("загрязнение воздуха") == ["загрязнен", "воздух"]
    assert analyze("Ёлки") == analyze("елка")


def test_chinese_is_segmented_the_same_way_in_query_and_text():
    query = set(analyze("大气污染防治"))
    text = set(analyze("加强大气污染治理"))
    assert {"大气污染", "大气", "污染"} <= query & text


def test_chinese_is_cut_into_jiebas_words_by_the_compiled_segmenter():
    # Analysis cuts Han runs with jieba-rs (ten times faster); an index built with it must
    # hold the words Python jieba gives, or old analyses, queries and the ranking would drift.
    import json
    from pathlib import Path

    import jieba

    from bench.corpus import generate
    from search import analysis

    texts = [
        value
        for path in Path("operations/demo").glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        for value in json.loads(line).get("translations", {}).get("zh-hans", {}).values()
        if isinstance(value, str)
    ]
    texts += [
        record["translations"]["zh-hans"]["body"]
        for record in generate(40)
        if "zh-hans" in record["translations"]
    ]
    texts.append("𠀀𠀁𠀂大 鿰鿱龥 㐀大气污染")  # outside jieba's Han class: jieba-rs would join these
    runs = {token for text in texts for token in analysis.tokenize(text) if analysis.HAN_CHAR.match(token)}
    assert len(runs) > 500
    for run in runs:
        assert analysis._segment_han(run) == [w for w in jieba.cut_for_search(run) if w.strip()], run
    assert analysis._segment_han("𠀀𠀁𠀂大") == ["𠀀", "𠀁", "𠀂", "大"]


def test_width_and_case_folding_and_english_stems():
    assert analyze("ＰＯＬＬＵＴＩＯＮ Controls") == ["pollut", "control"]
    assert analyze("the protection of rivers") == ["protect", "river"]


def test_indexing_keeps_stop_words_and_queries_drop_them_whichever_comes_first():
    # Each token is analysed once per process (analysis._token_terms): the cache must keep
    # the stop words for indexing without leaking them into queries, and the other way round.
    assert analyzed_text("the rivers of Алматы и 的 大气") == "the river of алмат и 的 大气"
    assert analyze("the rivers of Алматы и 的 大气") == ["river", "алмат", "大气"]
    assert analyze("of the lakes и озёра") == ["lake", "озер"]
    assert analyzed_text("of the lakes и озёра") == "of the lake и озер"


def test_mapping_is_generated_for_every_language():
    props = index_body()["mappings"]["properties"]
    for code in ("zh_hans", "en", "ru"):
        assert props[f"title_{code}"]["analyzer"] == "standard"
        assert props[f"title_{code}_terms"]["analyzer"] == "whitespace"
    assert "title_ru_terms^3.0" in query_fields()


def test_expansion_hook():
    def expand(query):
        if "воздух" in query.terms:
            return [Expansion("air", weight=0.6, source="test", lang="en")]
        return []

    register_expander(expand)
    try:
        aq = analyse_query("воздуха", "ru")
        assert [(e.terms, e.weight) for e in aq.expansions] == [(["air"], 0.6)]
    finally:
        unregister_expander(expand)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"foo": "1"}, "foo"),
        ({"lang": "de"}, "lang"),
        ({"type": "recipe"}, "type"),
        ({"country": "XX"}, "country"),
        ({"theme": "nope"}, "theme"),
        ({"year": "20x4"}, "year"),
        ({"status": "lost"}, "status"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 600}, "q"),
    ],
)
def test_api_rejects_bad_parameters_with_400(client, params, parameter):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_api_page_past_the_window_is_404_naming_page(client, db):
    """A well-formed request for results that cannot exist: 404, as a list's page past the last."""
    response = client.get("/api/search/", {"page": "9999", "page_size": "100"})
    assert response.status_code == 404 and response.json()["parameter"] == "page"


@pytest.fixture
def no_engine(settings):
    settings.ELASTICSEARCH_URL = ""
    yield
    client.mark_up()


@pytest.mark.django_db
def test_database_fallback_when_not_configured(client, home, no_engine):
    make_page(home, title={"en": "Saxaul forest planting"}, summary={"en": "Dunes."}, status="ongoing")
    data = client.get("/api/search/", {"q": "Saxaul", "lang": "en"}).json()
    assert data["engine"] == "database"
    assert [r["title"] for r in data["results"]] == ["Saxaul forest planting"]
    assert data["facets"]["type"] == [{"value": "project", "label": "cooperation project", "count": 1}]
    html = client.get("/en/search/", {"q": "Saxaul"}).content.decode()
    assert "engine-note" in html and "Saxaul forest planting" in html


@pytest.mark.django_db
def test_database_fallback_when_unreachable_then_recovers(home, monkeypatch):
    make_page(home, title={"ru": "Охрана степей"})
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        client.mark_up()
        assert search(SearchRequest(q="степей", lang="ru")).engine == "database"
        assert not client.is_available()  # no new attempt for a while…
        monkeypatch.setattr(client, "_down_until", 0.0)  # …until RETRY_AFTER has passed
        assert client.is_available()
    client.mark_up()


@pytest.mark.django_db
def test_syntax_characters_never_error(client, no_engine):
    for q in ['"', "title:(x", "a OR", "\\", "*?"]:
        assert client.get("/api/search/", {"q": q}).status_code == 200


@pytest.mark.django_db
def test_database_fallback_reads_its_matches_in_bulk(home, no_engine):
    """The fallback's queries do not grow with its matches (at 100,000 items, one by one made 1,500)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.core.models import Country, Theme

    countries, themes = list(Country.objects.all()[:2]), list(Theme.objects.all()[:1])

    def add(model, n, offset):
        for i in range(n):
            title = {"en": f"Saxaul belt {offset + i}"}
            page = make_page(home, model, title=title, summary={"ru": "Саксаул"})
            page.countries.set(countries[: 1 + i % 2])
            page.themes.set(themes)
            page.save_revision().publish()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            results = search(SearchRequest(q="saxaul", lang="en"))
        return len(captured), results

    add("projects.ProjectPage", 1, 0)
    add("policies.PolicyDocumentPage", 1, 1)
    queries()  # (once for what a process reads once: content types, the site's root)
    few, results = queries()  # (a query per page type and relation: two types here and below)
    assert results.engine == "database" and results.total == 2
    add("projects.ProjectPage", 4, 2)
    add("policies.PolicyDocumentPage", 3, 6)
    many, results = queries()
    assert results.total == 9
    assert many == few
    facets = {param: dict(counts) for param, counts in results.facets.items()}
    assert facets["type"] == {"project": 5, "policy": 4}
    assert facets["country"] == {countries[0].code: 9, countries[1].code: 3}
    assert facets["theme"] == {themes[0].slug: 9}


@pytest.mark.django_db
def test_database_fallback_finds_every_language_by_contains(home, no_engine):
    """Wagtail's index holds a page in one language; the "contains" finds the others' titles and
    summaries (one query per table, so that PostgreSQL's trigram indexes can serve each)."""
    make_page(home, title={"en": "Steppe belt"}, summary={"ru": "Посадки: саксауловые рощи на юге"})
    make_page(home, "policies.PolicyDocumentPage", title={"zh-hans": "荒漠化防治条例"})
    assert search(SearchRequest(q="саксаулов", lang="ru")).total == 1
    results = search(SearchRequest(q="荒漠化", lang="zh-hans"))
    assert results.total == 1 and results.complete


@pytest.mark.django_db
def test_database_fallback_says_when_it_ran_out_of_time(client, home, no_engine, monkeypatch):
    """The "contains" stops at its time limit (a word no trigram serves: one or two characters); the
    answer keeps what it found and says it is incomplete, on the page and in the API."""
    from search import fallback

    make_page(home, title={"ru": "Охрана степей"}, summary={"en": "Grassland guard"})
    monkeypatch.setattr(fallback, "CONTAINS_SECONDS", 0)
    results = search(SearchRequest(q="grassland", lang="en"))
    assert results.engine == "database" and not results.complete
    data = client.get("/api/search/", {"q": "grassland"}).json()
    assert data["complete"] is False
    html = client.get("/en/search/", {"q": "grassland"}).content.decode()
    assert "ran out of time before looking through every item" in html
    monkeypatch.setattr(fallback, "CONTAINS_SECONDS", 5)
    assert client.get("/api/search/", {"q": "grassland"}).json()["complete"] is True


@pytest.mark.django_db
def test_the_fallbacks_time_limit_cancels_a_slow_statement(no_engine):
    """The limit is the database's own: PostgreSQL cancels the statement past ``statement_timeout``,
    SQLite's progress handler interrupts it; the connection stays usable and its settings as before."""
    import time

    from django.db import DatabaseError, connection

    from search import fallback

    slow = (
        "SELECT pg_sleep(5)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    start = time.monotonic()
    with pytest.raises(DatabaseError), fallback._within(time.monotonic() + 0.2):
        with connection.cursor() as cursor:
            cursor.execute(slow)
    assert time.monotonic() - start < 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone() == ("0",)


@pytest.mark.django_db
def test_the_contains_reads_the_trigram_indexes_on_postgresql(no_engine):
    """Each table's "contains" query can be answered from its trigram indexes (``setup_portal`` makes
    them: ``operations.database.ensure_trigram_indexes``), instead of reading every row (4.3 s at
    100,000 items for a word no page holds)."""
    from django.db import connection
    from django.db.models import Q
    from wagtail.models import Page

    from operations import database
    from search import fallback
    from search.types import indexed_models

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    assert database.ensure_trigram_indexes() == 0  # setup_portal made them all
    models = {m._meta.db_table: m for m in (Page, *indexed_models())}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: the index must be usable
    for table, columns in fallback.contains_columns().items():
        model = models[table]
        contains = Q()
        for column in columns:
            contains |= Q(**{f"{fallback._field_named(model, column)}__icontains": "степ"})
        plan = model.objects.filter(contains).order_by().values_list("pk").explain()
        for column in columns:
            assert f"portal_trgm_{table}_{column}"[:63] in plan, plan
