"""The page cache for anonymous readers, and the shared database cache behind it in production."""

import datetime
import re
import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from tests.factories import make_page

pytestmark = pytest.mark.django_db

CACHE_ON = override_settings(
    PAGE_CACHE_SECONDS=300,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}},
)


@pytest.fixture
def page_cache():
    with CACHE_ON:
        caches["default"].clear()
        yield
        caches["default"].clear()


def nonce_of(response):
    header = response["Content-Security-Policy"]
    return re.search(r"'nonce-([^']+)'", header).group(1)


def test_second_anonymous_view_is_replayed_with_a_fresh_nonce(client, home, page_cache):
    first = client.get("/en/")
    second = client.get("/en/")
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    one, two = nonce_of(first), nonce_of(second)
    assert one != two
    body = second.content.decode()
    if "nonce=" in first.content.decode():  # every inline script carries this response's nonce
        assert f'nonce="{two}"' in body and one not in body
    assert body.replace(two, "N") == first.content.decode().replace(one, "N")


def test_each_language_and_query_is_its_own_entry(client, home, page_cache):
    assert client.get("/en/")["X-Page-Cache"] == "miss"
    ru = client.get("/ru/")
    assert ru["X-Page-Cache"] == "miss" and 'lang="ru"' in ru.content.decode()
    assert client.get("/ru/")["X-Page-Cache"] == "hit"
    assert client.get("/en/search/?q=water")["X-Page-Cache"] == "miss"
    assert client.get("/en/search/?q=air")["X-Page-Cache"] == "miss"
    assert client.get("/en/search/?q=water")["X-Page-Cache"] == "hit"


def test_publish_makes_cached_pages_stale(client, home, page_cache, django_capture_on_commit_callbacks):
    page = make_page(home, title={"en": "Steppe fires"})
    url = page.url
    assert "Steppe fires" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    page.title_en = "Steppe fires under control"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Steppe fires under control" in fresh.content.decode()


def test_feeds_are_kept_until_a_publish(client, home, page_cache, django_capture_on_commit_callbacks):
    """Feed readers poll the RSS and Atom feeds: each is replayed from the cache (80–540 ms rendered at
    100,000 items) until a publish, which shows in both at once."""
    from news.models import NewsIndexPage

    index = NewsIndexPage(title="News", title_en="News", slug="news")
    home.add_child(instance=index)
    index.save_revision().publish()
    make_page(index, "news.NewsPage", title={"en": "Steppe fires"}, date=datetime.date(2026, 5, 1))
    urls = ["/en/feeds/news/rss.xml", "/en/feeds/news/atom.xml"]
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss"
        replay = client.get(url)
        assert replay["X-Page-Cache"] == "hit" and "Steppe fires" in replay.content.decode()
        assert replay["Content-Type"].startswith(("application/rss+xml", "application/atom+xml"))
    with django_capture_on_commit_callbacks(execute=True):
        make_page(index, "news.NewsPage", title={"en": "Dust storms"}, date=datetime.date(2026, 5, 2))
    for url in urls:
        fresh = client.get(url)
        assert fresh["X-Page-Cache"] == "miss" and "Dust storms" in fresh.content.decode()


def test_a_replay_reads_the_cache_once_and_nothing_else(client, home, page_cache, django_assert_num_queries):
    """A hit needs no page, session or user from the database (production: one query on the cache table)."""
    client.get("/en/")
    with django_assert_num_queries(0):
        assert client.get("/en/")["X-Page-Cache"] == "hit"


def test_a_replay_on_the_database_cache_is_one_query(client, home, django_assert_num_queries):
    with override_settings(CACHES=DB_CACHE, PAGE_CACHE_SECONDS=300):
        call_command("createcachetable", verbosity=0)
        try:
            assert client.get("/ru/")["X-Page-Cache"] == "miss"
            with django_assert_num_queries(1) as captured:
                assert client.get("/ru/")["X-Page-Cache"] == "hit"
            assert "test_portal_cache" in captured.captured_queries[0]["sql"]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS test_portal_cache")


def test_a_lost_publish_counter_never_brings_back_old_pages(client, home, page_cache):
    """A full cache may evict the counter: starting it again must not match any stored page."""
    from portal.core.freshness import VERSION_KEY

    assert client.get("/en/")["X-Page-Cache"] == "miss"
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    caches["default"].delete(VERSION_KEY)
    assert client.get("/en/")["X-Page-Cache"] == "miss"
    assert client.get("/en/")["X-Page-Cache"] == "hit"


def test_editors_and_the_admin_are_never_cached(client, home, page_cache, django_user_model):
    client.get("/en/")  # cached for readers
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-ed-12345")
    client.force_login(user)
    response = client.get("/en/")
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert "X-Page-Cache" not in client.get("/admin/")


def test_not_found_and_errors_are_not_cached(client, home, page_cache):
    assert client.get("/en/no-such-page/").status_code == 404
    again = client.get("/en/no-such-page/")
    assert again.status_code == 404 and "X-Page-Cache" not in again


# --- The shared cache (production on PostgreSQL) -------------------------------------

DB_CACHE = {
    "default": {"BACKEND": "portal.core.cache.DatabaseCache", "LOCATION": "test_portal_cache"},
}


@pytest.mark.django_db(transaction=True)
def test_database_cache_counts_every_increment_from_concurrent_workers(restore_portal):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are what is tested: PostgreSQL only (as in production)")
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        try:
            with pytest.raises(ValueError):
                cache.incr("missing")
            cache.set("hits", 0, 60)
            errors = []

            def worker():
                try:
                    for _ in range(25):
                        cache.incr("hits")
                except Exception as exc:
                    errors.append(exc)
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=worker) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == []
            assert cache.get("hits") == 200  # Django's own DatabaseCache loses some of these
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS test_portal_cache")


def test_database_cache_incr_on_the_test_database():
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        cache.set("n", 5, 60)
        assert cache.incr("n") == 6 and cache.incr("n", 10) == 16 and cache.decr("n") == 15
        assert cache.get("n") == 15
        cache.set("old", 1, -1)  # expired
        with pytest.raises(ValueError):
            cache.incr("old")


# --- Counting hits (the API's rate limit) --------------------------------------------------

COUNTER_SCRIPT = """
import sys
import django

django.setup()
from portal.core.cache import DatabaseCache, count_hit

cache = DatabaseCache("test_portal_cache", {})
for _ in range(int(sys.argv[1])):
    count_hit("shared-hits", 600, cache)
"""


def in_another_process(script, *args, env=None):
    """Run ``script`` in a Python process of its own on this test database; return the process."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": url,
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_count_hit_counts_from_one_on_any_cache():
    from portal.core.cache import count_hit

    with CACHE_ON:
        caches["default"].clear()
        assert [count_hit("k", 60) for _ in range(3)] == [1, 2, 3]
        assert count_hit("other", 60) == 1
        caches["default"].clear()


@pytest.mark.django_db(transaction=True)
def test_count_hit_is_one_statement_and_exact_across_processes(restore_portal, django_assert_num_queries):
    """Two other processes and this one count the same key at once: no hit is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("the upsert and its row lock across processes are PostgreSQL's (as in production)")
    from portal.core.cache import count_hit

    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        try:
            others = [in_another_process(COUNTER_SCRIPT, 60) for _ in range(2)]
            for _ in range(60):
                count_hit("shared-hits", 600, cache)
            for process in others:
                _out, err = process.communicate(timeout=120)
                assert process.returncode == 0, err[-2000:]
            with django_assert_num_queries(1):
                assert count_hit("shared-hits", 600, cache) == 181
            cache.set("kept", "page", 60)  # the counters live beside ordinary entries
            assert cache.get("kept") == "page"
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS test_portal_cache")
