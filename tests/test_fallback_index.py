"""Wagtail's database search index (the fallback search) kept on each publish without a whole-table pass."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from search import database_backend
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def _entry(page):
    return IndexEntry.objects.get(object_id=str(page.pk), title_norm__gt=0)


def test_a_publish_indexes_its_page_with_a_title_norm_from_the_kept_average(home):
    """Every publish is in the fallback index at once, with a title norm; the average title length
    over every entry (a whole-table scan per publish, 0.7 s at 100,000 items) is computed once and
    kept, and only the entries the publish wrote are updated."""
    database_backend._average.clear()
    make_page(home, title={"en": "Dust storms over the Aral Sea basin"})
    with CaptureQueriesContext(connection) as captured:
        second = make_page(home, title={"en": "Steppe fires"})
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in sql if "AVG(" in s.upper()], sql
    updates = [s for s in sql if s.upper().startswith("UPDATE") and "title_norm" in s]
    assert updates and all("object_id" in s for s in updates)
    assert _entry(second).title_norm not in (0, 1.0)
    found = get_search_backend().search("Steppe fires", second.specific_class)
    assert second.pk in [page.pk for page in found]


def test_a_full_rebuild_still_computes_the_exact_norms(home):
    page = make_page(home, title={"en": "Steppe fires"})
    IndexEntry.objects.filter(object_id=str(page.pk)).update(title_norm=1.0)
    backend = get_search_backend()
    backend.get_index_for_model(type(page))._refresh_title_norms(full=True)
    assert IndexEntry.objects.get(object_id=str(page.pk), content_type__isnull=False).title_norm != 1.0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the join and its plan are PostgreSQL's")
def test_the_admins_page_search_joins_its_entries_to_the_pages_by_an_index(admin_client, home):
    """Wagtail's database backend joins its entries to the pages on ``page.id::varchar(50) =
    object_id``; without an index on that cast (``core`` migration 0007) each of the explorer
    search's three queries read every page (1.1 s for the screen at 100,000 pages). Each query the
    search makes can look the pages up by it (the planner's choice on a tiny table aside)."""
    make_page(home, title={"en": "Water of the steppe"})
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get("/admin/pages/search/", {"q": "water"})
    assert response.status_code == 200 and "Water of the steppe" in response.content.decode()
    joined = [q["sql"] for q in captured.captured_queries if '"wagtailsearch_indexentry"' in q["sql"]]
    assert len(joined) >= 2, joined
    with connection.cursor() as cursor:
        # A tiny table is cheaper to hash whole: ask whether a lookup by the index is possible at all.
        cursor.execute(
            "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
            "SET LOCAL enable_seqscan = off"
        )
        for sql in joined:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "portal_page_id_as_text" in plan, plan
        cursor.execute("RESET enable_hashjoin; RESET enable_mergejoin; RESET enable_seqscan")
