"""Serving at scale: what a request costs must not grow with the archive.

The lists read their first rows from an index in listing order; the API's
list costs the same number of queries for 2 items as for 20; what it computes
over every live item (the count, Last-Modified) is kept until the next
publish, and a publish (or a taxonomy edit, or the daily status update) makes
it fresh at once.
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from portal.core import content_types
from portal.core.models import Organisation
from tests.factories import make_page

pytestmark = pytest.mark.django_db

MEMO_ON = override_settings(CONTENT_MEMO_SECONDS=300, API_RATE_LIMIT=None)


@pytest.fixture
def projects(home):
    from projects.models import ProjectIndexPage

    index = ProjectIndexPage(title="Projects", title_en="Projects", slug="projects")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def add_projects(index, n, start=0):
    for i in range(start, start + n):
        make_page(
            index,
            title={"en": f"Steppe project {i}"},
            status="completed",
            start_date=datetime.date(2001, 1, 1) + datetime.timedelta(days=i),
            end_date=datetime.date(2002, 1, 1),
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries), response


def test_every_content_type_has_an_index_in_its_listing_order():
    for options in content_types.all():
        leading = [
            str(index.expressions[0].expression.name)
            for index in options.model._meta.indexes
            if index.expressions and index.expressions[0].descending and index.expressions[0].nulls_last
        ]
        assert options.listing_date in leading, options.model


def test_the_list_query_reads_the_index_on_postgresql(projects):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's (production)")
    from api.resources import resources

    add_projects(projects, 3)
    queryset = resources()["projects"].filtered(_no_filters())[:2]
    with connection.cursor() as cursor:
        # A tiny (and, since setup_portal, analysed) table: make the planner show its choice.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()
    assert "project_listing" in plan


def _no_filters():
    from api.params import Query

    return Query()


def test_the_api_list_costs_the_same_queries_for_2_items_as_for_20(client, projects):
    add_projects(projects, 20)
    queries(client, "/api/v1/projects/?page_size=2")  # per-process lookups done once
    few, small = queries(client, "/api/v1/projects/?page_size=2")
    many, large = queries(client, "/api/v1/projects/?page_size=20")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 20
    assert many == few


def test_the_api_list_keeps_its_count_and_validators_until_a_publish(
    client, projects, django_capture_on_commit_callbacks
):
    add_projects(projects, 3)
    with MEMO_ON:
        cache.clear()
        first, response = queries(client, "/api/v1/projects/?page_size=2")
        assert response.json()["count"] == 3
        with CaptureQueriesContext(connection) as again:
            response = client.get("/api/v1/projects/?page_size=2")
        assert response.json()["count"] == 3 and len(response.json()["results"]) == 2
        assert len(again.captured_queries) < first
        read = " ".join(q["sql"] for q in again.captured_queries)
        assert "projects_projectpage" not in read  # the page as built, its count and maxima: kept
        other = client.get("/api/v1/projects/?page_size=2&page=2&lang=ru").json()
        assert other["page"] == 2 and other["lang"] == "ru" and len(other["results"]) == 1

        with django_capture_on_commit_callbacks(execute=True):
            add_projects(projects, 1, start=10)
        _n, fresh = queries(client, "/api/v1/projects/?page_size=2")
        assert fresh.json()["count"] == 4
        assert fresh.json()["results"][0]["title"] == "Steppe project 10"


def test_an_organisation_edit_changes_the_api_validators_at_once(
    client, projects, django_capture_on_commit_callbacks
):
    from api.models import Tombstone
    from portal.core.models import Country, Theme
    from projects.models import ProgrammeSeries, ProjectPage

    add_projects(projects, 1)
    org = Organisation.objects.create(name="Steppe fund", name_en="Steppe fund")
    long_ago = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    ProjectPage.objects.update(last_published_at=long_ago)
    for model in (Country, Theme, Organisation, ProgrammeSeries):
        model.objects.update(last_updated=long_ago)
    # Pages that earlier tests of this process removed left tombstones, which count too.
    Tombstone.objects.update(removed_at=long_ago)
    with MEMO_ON:
        cache.clear()
        before = client.get("/api/v1/projects/")["Last-Modified"]
        with django_capture_on_commit_callbacks(execute=True):
            org.save()  # renamed, say: last_updated is now
        after = client.get("/api/v1/projects/")["Last-Modified"]
    assert "2001" in before and "2001" not in after


def test_the_daily_status_update_makes_cached_content_stale(projects, django_capture_on_commit_callbacks):
    from portal.core.freshness import publish_counter
    from projects.models import ProjectPage

    add_projects(projects, 1)
    page = ProjectPage.objects.get()
    ProjectPage.objects.filter(pk=page.pk).update(status="ongoing")  # the dates say completed
    before = publish_counter()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("update_statuses", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert publish_counter() != before


def test_a_search_answer_is_kept_until_a_publish(
    client, projects, monkeypatch, django_capture_on_commit_callbacks
):
    """The same query again is not searched again (the search page is cached the same way, 60 s)."""
    from api import search_endpoint

    calls = []
    real = search_endpoint.search

    def counted(req):
        calls.append(req)
        return real(req)

    monkeypatch.setattr(search_endpoint, "search", counted)
    add_projects(projects, 1)
    with MEMO_ON, override_settings(ELASTICSEARCH_URL=""):  # the database backend: no engine needed here
        cache.clear()
        first = client.get("/api/search/?q=steppe&lang=en").json()
        assert client.get("/api/search/?q=steppe&lang=en").json() == first
        assert len(calls) == 1
        client.get("/api/search/?q=steppe&lang=ru")
        assert len(calls) == 2  # another query is another answer
        with django_capture_on_commit_callbacks(execute=True):
            add_projects(projects, 1, start=5)
        again = client.get("/api/search/?q=steppe&lang=en").json()
    assert len(calls) == 3
    assert again["total"] == first["total"] + 1


def test_a_kept_api_page_is_replayed_as_rendered_until_a_publish(
    client, projects, django_capture_on_commit_callbacks
):
    """The second ask of a page is the same bytes, with no query of the content; a publish renews it."""
    add_projects(projects, 3)
    url = "/api/v1/projects/?page_size=2&lang=ru"
    with MEMO_ON:
        cache.clear()
        first = client.get(url)
        with CaptureQueriesContext(connection) as again:
            second = client.get(url)
        assert second.status_code == 200 and second.content == first.content
        assert second["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
        assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
        read = [q["sql"] for q in again.captured_queries if "SAVEPOINT" not in q["sql"]]  # ATOMIC_REQUESTS
        assert read == []  # the cache (locmem here) holds the body and the validators
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        # Another host, language of the request or query is another body:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content == first.content
        assert client.get(url + "&page=2").json()["page"] == 2

        with django_capture_on_commit_callbacks(execute=True):
            add_projects(projects, 1, start=10)
        fresh = client.get(url)
    assert fresh.json()["count"] == 4 and fresh.json()["results"][0]["title"] == "Steppe project 10"


def test_a_kept_api_page_still_refuses_bad_input(client, projects):
    with MEMO_ON:
        cache.clear()
        assert client.get("/api/v1/projects/?page_size=2").status_code == 200
        bad = client.get("/api/v1/projects/?page_size=2&country=XX")
        assert bad.status_code == 400 and bad.json()["parameter"] == "country"
        assert client.get("/api/v1/projects/?page_size=2&page=99").status_code == 404


RATE_SCRIPT = """
import django

django.setup()
from django.test import Client, override_settings

shared = {"BACKEND": "portal.core.cache.DatabaseCache", "LOCATION": "test_portal_rate"}
with override_settings(CACHES={"default": shared}, API_RATE_LIMIT=(4, 86400)):
    client = Client(REMOTE_ADDR="198.51.100.7")
    print(" ".join(str(client.get("/api/v1/themes/").status_code) for _ in range(3)))
"""


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_counts_across_processes_sharing_the_cache(client, restore_portal):
    """Two gunicorn workers are two processes: a client's requests count once, whichever answers."""
    if connection.vendor != "postgresql":
        pytest.skip("processes share the count through production's PostgreSQL cache table")
    from tests.test_page_cache import in_another_process

    shared = {"default": {"BACKEND": "portal.core.cache.DatabaseCache", "LOCATION": "test_portal_rate"}}
    with override_settings(CACHES=shared, API_RATE_LIMIT=(4, 86400)):  # a day: no window ends mid-test
        call_command("createcachetable", verbosity=0)
        try:
            statuses = [
                client.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.7").status_code for _ in range(2)
            ]
            other = in_another_process(RATE_SCRIPT)
            out, err = other.communicate(timeout=120)
            assert other.returncode == 0, err[-2000:]
            statuses += [int(s) for s in out.split()]
            last = client.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.7")
            assert statuses == [200, 200, 200, 200, 429]
            assert last.status_code == 429 and int(last["Retry-After"]) >= 1
            assert client.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.8").status_code == 200
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS test_portal_rate")


def test_a_kept_api_page_costs_two_queries_on_the_cache_table(client, projects):
    """Production's hit path: the rate limit's count (one upsert) and one read of validators and body."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement count is PostgreSQL's (production)")
    add_projects(projects, 3)
    shared = {"default": {"BACKEND": "portal.core.cache.DatabaseCache", "LOCATION": "test_portal_hits"}}
    with MEMO_ON, override_settings(CACHES=shared, API_RATE_LIMIT=(100, 60)):
        call_command("createcachetable", verbosity=0)
        try:
            first = client.get("/api/v1/projects/?page_size=3")
            with CaptureQueriesContext(connection) as again:
                second = client.get("/api/v1/projects/?page_size=3")
            assert second.content == first.content and second["X-RateLimit-Remaining"] == "98"
            read = [q["sql"] for q in again.captured_queries if "SAVEPOINT" not in q["sql"]]
            assert len(read) == 2, read
            assert read[0].startswith('INSERT INTO "test_portal_hits"') and "ON CONFLICT" in read[0]
            assert read[1].startswith("SELECT") and "test_portal_hits" in read[1]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS test_portal_hits")


def test_gunicorns_master_loads_the_query_analysis_before_forking_workers():
    """Workers forked from the master (``preload_app``), or recycled, answer their first search warm,
    and draw their first map without projecting its outlines (two seconds of CPU)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import portal.wsgi\n"
        "from search import analysis, dictionaries\n"
        "assert analysis._jieba is not None and analysis._compiled_jieba is not None\n"
        "assert dictionaries._tables is not None\n"
        "from portal.core import taxonomy_data\n"
        "from website import geography\n"
        "hits = geography._geometry.cache_info().hits\n"
        "geography.map_geometry(taxonomy_data.country_codes())\n"
        "assert geography._geometry.cache_info().hits == hits + 1\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _reads_of(captured, table):
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_lists_facts_are_kept_until_a_publish(
    client, projects, empty_cache, django_capture_on_commit_callbacks
):
    """The facets' options, the languages' counts, the total and the order depend on the filters, not
    on the page shown: page 2 of a list (or another filter) reads nothing of the whole list again
    (a dozen aggregates, two seconds of database time for 35,000 policy documents); a publish makes
    them fresh at once."""
    from projects.models import ProjectPage

    add_projects(projects, 14)  # 12 a page: two pages
    with MEMO_ON:
        first = client.get("/en/projects/")
        assert 'role="status">14 items</p>' in first.content.decode()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/projects/?page=2&status=completed").status_code == 200
        assert not [sql for sql in captured.captured_queries if "COUNT(" in sql["sql"].upper()]
        assert all("IN (" in sql for sql in _reads_of(captured, "projects_projectpage")), (
            captured.captured_queries
        )
        with django_capture_on_commit_callbacks(execute=True):
            ProjectPage.objects.live().order_by("pk").first().unpublish()
        html = client.get("/en/projects/?page=2").content.decode()
    assert 'role="status">13 items</p>' in html
    assert "Steppe project 1<" in html and "Steppe project 0<" not in html  # the oldest: unpublished


def test_a_deep_page_of_a_list_costs_what_the_first_costs(client, projects, empty_cache):
    """``?page=N`` reads only its twelve items, by id: no ``OFFSET`` walking past every earlier item
    (1–4.5 s for a deep page of 35,000 policy documents), the same queries for page 3 as for page 1."""
    add_projects(projects, 30)
    with MEMO_ON:
        client.get("/en/projects/")  # the facts, once
        first, _response = queries(client, "/en/projects/?page=1&language=en")
        deep, response = queries(client, "/en/projects/?page=3&language=en")
        with CaptureQueriesContext(connection) as captured:
            client.get("/en/projects/?page=3&country=")
    assert deep == first
    assert not [q["sql"] for q in captured.captured_queries if "OFFSET" in q["sql"].upper()]
    html = response.content.decode()
    shown = sorted(
        (i for i in range(30) if f"Steppe project {i}<" in html), key=lambda i: html.index(f"t {i}<")
    )
    assert shown == [5, 4, 3, 2, 1, 0]  # newest first: page 3 holds the six oldest


def test_a_lists_filters_and_counts_agree_with_the_database(client, projects):
    """What the facts count is what the database holds: each option's count is the number of live
    pages a filter by it shows, the total that of the list, for every facet and language."""
    from portal.core.models import Country
    from projects.models import ProjectPage

    add_projects(projects, 5)
    kz, ru = Country.objects.get(code="KZ"), Country.objects.get(code="RU")
    pages = list(ProjectPage.objects.live().order_by("pk"))
    pages[0].countries.set([kz, ru])
    pages[1].countries.set([kz])
    pages[0].save()
    pages[1].save()
    pages[2].title_ru = "Степной проект"
    pages[2].save()
    response = client.get("/en/projects/")
    listing = response.context["listing"]
    counts = {f.param: {value: n for value, _label, n in f.options} for f in listing.filters}
    assert counts["country"] == {"KZ": 2, "RU": 1}
    assert counts["status"] == {"completed": 5}
    assert counts["year"] == {"2001": 5}
    assert counts["language"] == {"en": 5, "ru": 1}
    narrowed = client.get("/en/projects/?country=KZ&status=completed").context["listing"]
    assert narrowed.total == 2 and {p.pk for p in narrowed.page_obj} == {pages[0].pk, pages[1].pk}
    narrowed = client.get("/en/projects/?country=RU&year=2001").context["listing"]
    assert [p.pk for p in narrowed.page_obj] == [pages[0].pk]
    assert client.get("/en/projects/?language=ru").context["listing"].total == 1


@pytest.mark.parametrize("url", ["/en/", "/ru/countries/"])
def test_home_and_countries_cost_the_same_after_a_publish_for_2_items_as_for_20(client, projects, url):
    """The home page's figures, map, charts and latest items and the countries page's counts come from
    each type's facts, read once per publish for every language and worker: no grouped aggregate over
    every live page (2.4–3.5 s for the home page at 100,000 items, once per language after each
    publish), and the same queries whatever the archive holds."""
    from portal.core.models import Country
    from projects.models import ProjectPage

    def cold_queries():
        cache.clear()  # what a publish does to everything kept
        with MEMO_ON, CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return captured.captured_queries

    add_projects(projects, 2)
    kz = Country.objects.get(code="KZ")
    for page in ProjectPage.objects.all():
        page.countries.set([kz])
        page.save()
    few = cold_queries()
    add_projects(projects, 18, start=2)
    many = cold_queries()
    assert len(many) == len(few), [q["sql"] for q in many]
    grouped = [q["sql"] for q in many if "COUNT(" in q["sql"].upper() and "projects_projectpage" in q["sql"]]
    assert not grouped
    if "countries" in url:  # Kazakhstan's two projects, counted from the facts
        assert '/ru/countries/KZ/">Казахстан</a> <span class="count">2 ' in client.get(url).content.decode()


def test_a_publish_leaves_the_other_types_facts_and_refreshes_its_own(
    projects, home, empty_cache, django_capture_on_commit_callbacks
):
    """The home page's figures come from the projects' and trainings' facts, the countries page from
    the news' and policy documents': after a policy document's publish the first reader used to wait
    for every type's facts again (2.3–5.4 s at 100,000 items). Only the published page's type's are."""
    from policies.models import PolicyDocumentPage, PolicyIndexPage
    from portal.core import facts
    from projects.models import ProjectPage

    add_projects(projects, 3)
    policies = PolicyIndexPage(title="Policies", title_en="Policies", slug="policies")
    home.add_child(instance=policies)
    with MEMO_ON:
        assert len(facts.of(ProjectPage)) == 3 and len(facts.of(PolicyDocumentPage)) == 0
        with django_capture_on_commit_callbacks(execute=True):
            make_page(policies, model="policies.PolicyDocumentPage", title={"en": "Steppe law"})
        with CaptureQueriesContext(connection) as captured:
            assert len(facts.of(ProjectPage)) == 3
            assert len(facts.of(PolicyDocumentPage)) == 1
        assert not _reads_of(captured, "projects_projectpage") and _reads_of(
            captured, "policies_policydocumentpage"
        )
        with django_capture_on_commit_callbacks(execute=True):
            add_projects(projects, 1, start=3)
        assert len(facts.of(ProjectPage)) == 4
        with django_capture_on_commit_callbacks(execute=True):  # a taxonomy edit: every type's, again
            Organisation.objects.create(name_en="Steppe fund")
        with CaptureQueriesContext(connection) as captured:
            facts.of(PolicyDocumentPage)
        assert _reads_of(captured, "policies_policydocumentpage")


def _same_facts(kept, fresh):
    """Every column of two types' facts, row by row (the listing order included)."""
    assert list(kept.ids) == list(fresh.ids)
    assert kept.parents == fresh.parents and kept.written == fresh.written
    assert kept.values == fresh.values
    assert list(kept.days) == list(fresh.days) and list(kept.first_published) == list(fresh.first_published)


def test_a_publish_patches_its_types_facts_with_the_pages_it_changed(
    projects, empty_cache, monkeypatch, django_capture_on_commit_callbacks
):
    """After a publish, unpublish, move or delete the facts are not read again whole (35,000 policy
    documents: 1–2 s, which the first reader after each publish waited for, the countries page 2.1 s
    at 100,000 items): only the pages the change named are read, and the result is what a whole read
    gives, row by row and in listing order."""
    from portal.core import facts
    from portal.core.models import Country
    from projects.models import ProjectIndexPage, ProjectPage

    add_projects(projects, 6)
    options = content_types.by_model(ProjectPage)
    other = ProjectIndexPage(title="More projects", title_en="More projects", slug="more-projects")
    projects.get_parent().add_child(instance=other)
    pages = list(ProjectPage.objects.order_by("start_date"))
    with MEMO_ON:
        assert len(facts.of(ProjectPage)) == 6
        read_whole = facts.compute
        monkeypatch.setattr(facts, "compute", lambda *args: pytest.fail("the facts were read whole"))
        with django_capture_on_commit_callbacks(execute=True):
            edited = pages[1]
            edited.start_date = datetime.date(2001, 12, 1)  # the newest now: first in the list
            edited.title_ru = "Степной проект"
            edited.save_revision().publish()
            edited.countries.set([Country.objects.get(code="KZ")])
            edited.save_revision().publish()
            make_page(projects, title={"ru": "Новый"}, start_date=datetime.date(2001, 1, 3), end_date=None)
            pages[2].unpublish()
            pages[3].delete()
            pages[4].move(other, pos="last-child")
        with CaptureQueriesContext(connection) as captured:
            kept = facts.of(ProjectPage)
        reads = _reads_of(captured, "projects_projectpage")
        assert reads and all("IN (" in sql for sql in reads), reads
        fresh = read_whole(ProjectPage, options)
    _same_facts(kept, fresh)
    assert kept.ids[0] == edited.pk and len(kept) == 5
    assert kept.values["country"][0] == frozenset({"KZ"}) and "ru" in kept.written[0]
    assert kept.parents[list(kept.ids).index(pages[4].pk)] == other.path


def test_the_facts_are_read_whole_when_a_change_is_not_known(
    projects, empty_cache, django_capture_on_commit_callbacks
):
    """A change the log does not name (its entry culled from a full cache, or another process's
    bump between its counter and its entry) or a change to every type (a taxonomy edit) reads the
    facts whole again: a patch is only made from changes known one by one."""
    from portal.core import facts, freshness
    from projects.models import ProjectPage

    add_projects(projects, 3)
    with MEMO_ON:
        facts.of(ProjectPage)
        with django_capture_on_commit_callbacks(execute=True):
            ProjectPage.objects.order_by("pk").first().unpublish()
        counters = freshness.type_counters(ProjectPage)
        cache.delete(freshness._change_key(counters[-1], cache.get(counters[-1])))
        with CaptureQueriesContext(connection) as captured:
            assert len(facts.of(ProjectPage)) == 2
        assert [sql for sql in _reads_of(captured, "projects_projectpage") if "IN (" not in sql]
        with django_capture_on_commit_callbacks(execute=True):
            Organisation.objects.create(name_en="Steppe fund")
        with CaptureQueriesContext(connection) as captured:
            assert len(facts.of(ProjectPage)) == 2
        assert [sql for sql in _reads_of(captured, "projects_projectpage") if "IN (" not in sql]


def test_the_countries_page_after_a_publish_reads_only_the_page_published(
    client, home, empty_cache, django_capture_on_commit_callbacks
):
    """The countries page counts every type's pages per country from the facts; the first reader
    after a news item's publish used to wait for all the news' facts again (2.1 s at 100,000 items,
    the home page 0.28 s after the same publish): now the news table is read for that item alone."""
    from news.models import NewsIndexPage
    from portal.core.models import Country

    news = NewsIndexPage(title="News", title_en="News", slug="news")
    home.add_child(instance=news)
    kz = Country.objects.get(code="KZ")
    for i in range(3):
        page = make_page(news, model="news.NewsPage", title={"ru": f"Новость {i}"})
        page.countries.set([kz])
        page.save_revision().publish()
    with MEMO_ON:
        html = client.get("/ru/countries/").content.decode()
        assert '/ru/countries/KZ/">Казахстан</a> <span class="count">3 ' in html
        with django_capture_on_commit_callbacks(execute=True):
            page = make_page(news, model="news.NewsPage", title={"ru": "Ещё одна новость"}, publish=False)
            page.countries.set([kz])
            page.save_revision().publish()
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/ru/countries/").content.decode()
    assert '/ru/countries/KZ/">Казахстан</a> <span class="count">4 ' in html
    reads = _reads_of(captured, "news_newspage")
    assert reads and all("IN (" in sql for sql in reads), reads
