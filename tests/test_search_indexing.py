"""The indexing pipeline against the real node: outbox, signals, rebuild, check."""

import io
import threading

import pytest
from django.core.management import call_command
from django.test import override_settings

from search import client
from search.indexing import drain, pending_count
from search.models import IndexTask
from search.query import SearchRequest, elasticsearch_search
from tests.factories import make_page
from tests.search_support import index_now, refresh

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

CLOSED_PORT = "http://127.0.0.1:9"  # discard port: nothing listens


def found(q, lang="en"):
    return [h.id for h in elasticsearch_search(SearchRequest(q=q, lang=lang)).hits]


def test_publish_is_indexed_after_commit(home, es, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(home, title={"en": "Glacier monitoring in the Pamirs"})
    refresh(es)
    assert found("glaciers") == [page.pk]
    assert pending_count() == 0


def test_outbox_survives_unreachable_engine_and_replays_once(home, es, django_capture_on_commit_callbacks):
    with override_settings(ELASTICSEARCH_URL=CLOSED_PORT):
        with django_capture_on_commit_callbacks(execute=True):  # the editor's request
            page = make_page(home, title={"ru": "Охрана снежного барса"})
        # The publish went through, the row is kept; the worker cannot index either.
        assert page.live
        assert pending_count() == 1
        result = drain()
        assert result.engine_down and pending_count() == 1
        assert IndexTask.objects.get().attempts >= 1
    client.mark_up()  # the engine is back (the worker would notice after RETRY_AFTER)
    result = index_now(es)
    assert result.indexed == 1 and pending_count() == 0
    assert found("снежных барсов", "ru") == [page.pk]
    index_now(es)  # draining again indexes nothing twice
    assert elasticsearch_search(SearchRequest(q="барс", lang="ru")).total == 1


def test_unpublish_delete_move_and_taxonomy(home, es):
    from portal.core.models import Country

    kz = Country.objects.get(code="KZ")
    page = make_page(home, title={"en": "Steppe wetland restoration"})
    page.countries.set([kz])
    page.save_revision().publish()
    other = make_page(home, title={"en": "Steppe grazing study"})
    index_now(es)
    assert set(found("steppe")) == {page.pk, other.pk}

    # A taxonomy label change reaches the pages showing it.
    kz.name_en = "Kazakhstan Republic"
    kz.save()
    index_now(es)
    assert found("republic") == [page.pk]

    page.unpublish()
    index_now(es)
    assert found("steppe") == [other.pk]

    other.delete()
    index_now(es)
    assert found("steppe") == []


def test_move_reindexes_urls(home, es):
    parent = make_page(home, title={"en": "Folder project"})
    child = make_page(parent, title={"en": "Moved child project"})
    index_now(es)
    child.move(home, pos="last-child")
    index_now(es)
    hit = elasticsearch_search(SearchRequest(q="moved child", lang="en")).hits[0]
    assert "folder-project" not in hit.url


def test_rebuild_under_concurrent_queries(home, es):
    pages = [make_page(home, title={"en": f"Rebuild item {i} river basin"}) for i in range(30)]
    index_now(es)
    old = es.indices.get_alias(name=client.read_alias())
    errors, counts, stop = [], [], threading.Event()

    def query_loop():
        while not stop.is_set():
            try:
                counts.append(elasticsearch_search(SearchRequest(q="river basin")).total)
            except Exception as exc:  # any error fails the test
                errors.append(exc)

    threads = [threading.Thread(target=query_loop) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        call_command("search_index", "rebuild", stdout=io.StringIO())
        call_command("search_index", "rebuild", stdout=io.StringIO())
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert counts and min(counts) == len(pages)
    new = es.indices.get_alias(name=client.read_alias())
    assert set(new) != set(old)
    assert not es.indices.exists(index=next(iter(old)))
    assert set(es.indices.get_alias(name=client.write_alias())) == set(new)


def test_rebuild_catches_up_changes_made_meanwhile(home, es, monkeypatch):
    from search import rebuild

    first = make_page(home, title={"en": "Catch-up original"})
    index_now(es)
    real_all_actions = rebuild.all_actions

    def publish_during_rebuild():
        yield from real_all_actions()
        # An editor publishes while the bulk load runs; the worker drains it to the old index.
        late = make_page(home, title={"en": "Catch-up latecomer"})
        drain()
        publish_during_rebuild.late = late

    monkeypatch.setattr(rebuild, "all_actions", publish_during_rebuild)
    result = rebuild.rebuild(out=None)
    refresh(es)
    assert result.caught_up >= 1
    assert set(found("catch-up")) == {first.pk, publish_during_rebuild.late.pk}


def test_check_reports_missing_and_fixes(home, es, capsys):
    page = make_page(home, title={"en": "Unindexed page"})
    IndexTask.objects.all().delete()  # as if the row had been lost
    with pytest.raises(Exception, match="differs"):
        call_command("search_index", "check")
    assert f"missing: {page.pk}" in capsys.readouterr().out.replace("missing: 1, ", "")
    call_command("search_index", "check", "--fix")
    refresh(es)
    call_command("search_index", "check")
    assert found("unindexed") == [page.pk]


def test_worker_once(home, es):
    make_page(home, title={"en": "Worker page"})
    call_command("search_worker", "--once", stdout=io.StringIO())
    assert pending_count() == 0
