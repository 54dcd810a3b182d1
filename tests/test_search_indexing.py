"""The indexing pipeline against the real node: outbox, signals, rebuild, check."""

import io
import threading

import pytest
from django.core.management import call_command
from django.test import override_settings

from search import client, rebuild
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


@pytest.mark.parametrize("merge, segments", [(1, 1), (0, 2)])
def test_a_rebuilt_index_is_merged_before_readers_see_it(home, es, monkeypatch, merge, segments):
    """Each segment costs every query a lookup of each term: the rebuild merges them (issue 14)."""
    from search import rebuild

    make_page(home, title={"en": "Segment one"})
    real_catch_up, published = rebuild._catch_up, []

    def publish_then_catch_up(es_, index, mark):
        if not published:  # after the load, before the merge
            es_.indices.refresh(index=index)  # the load's documents: a segment
            published.append(make_page(home, title={"en": "Segment two"}))
            drain()  # into the old and the building index: a second segment at the swap's refresh
        return real_catch_up(es_, index, mark)

    monkeypatch.setattr(rebuild, "_catch_up", publish_then_catch_up)
    with override_settings(SEARCH_MERGE_SEGMENTS=merge):
        result = rebuild.rebuild(out=None)
    shards = es.indices.segments(index=result.index)["indices"][result.index]["shards"]
    assert shards["0"][0]["num_search_segments"] == segments
    assert len(found("segment")) == 2


def test_a_rebuild_merges_away_the_copies_of_the_documents_as_sent(home, es, monkeypatch):
    """The index stores the cards' fields, not the bodies as sent for indexing beside them (issue 14).

    Elasticsearch keeps each document whole (``_recovery_source``) until its
    retention lease moves (every 30 s): the rebuild waits for it before the
    merge, on a site of any size here (``HISTORY_MIN_ITEMS``).
    """
    long_text = " ".join(f"saxaul{n}" for n in range(2000))  # no two words alike: compresses little
    first = make_page(home, title={"en": "Segment one"}, results={"en": long_text})
    real_catch_up, second = rebuild._catch_up, []

    def publish_then_catch_up(es_, index, mark):  # after the load: a second segment to merge
        if not second:
            es_.indices.refresh(index=index)
            second.append(make_page(home, title={"en": "Segment two"}, results={"en": long_text}))
            drain()
            es_.indices.refresh(index=index)
        return real_catch_up(es_, index, mark)

    monkeypatch.setattr(rebuild, "_catch_up", publish_then_catch_up)
    monkeypatch.setattr(rebuild, "HISTORY_MIN_ITEMS", 0)
    with override_settings(SEARCH_MERGE_SEGMENTS=1):
        result = rebuild.rebuild(out=None)
    usage = es.indices.disk_usage(index=result.index, run_expensive_tasks=True)[result.index]["fields"]
    assert usage.get("_recovery_source", {}).get("total_in_bytes", 0) == 0
    assert usage["_source"]["total_in_bytes"] > 0
    assert sorted(found("saxaul1999")) == sorted([first.pk, second[0].pk])


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


def _in_index(es, index, page):
    es.indices.refresh(index=index)
    return es.exists(index=index, id=str(page.pk))


def test_the_after_commit_drain_sends_its_own_rows_not_the_backlog(
    home, es, django_capture_on_commit_callbacks
):
    """An editor's publish is searchable at once even behind thousands of rows an import left."""
    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):
        backlog = [make_page(home, title={"en": f"Imported survey {i}"}) for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        mine = make_page(home, title={"en": "Saiga census published now"})
    assert found("saiga") == [mine.pk]  # no refresh: the drain refreshed
    assert pending_count() == len(backlog)  # the worker's job
    index_now(es)
    assert pending_count() == 0 and len(found("imported survey")) == len(backlog)


def test_an_old_delete_row_sent_after_a_newer_publish_keeps_the_page(
    home, es, django_capture_on_commit_callbacks
):
    """Rows may be sent out of order (own rows first): what is sent follows the page's state."""
    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):  # (no after-commit drain left pending)
        page = make_page(home, title={"en": "Tugai forest restoration"})
        index_now(es)
        page.unpublish()  # its "delete" row waits for the worker
    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # republished: its own row drained first
    assert found("tugai") == [page.pk]
    index_now(es)  # now the older "delete" row
    assert found("tugai") == [page.pk]
    assert pending_count() == 0


def test_a_publish_during_a_rebuild_is_searchable_in_the_old_and_the_new_index(
    home, es, monkeypatch, django_capture_on_commit_callbacks
):
    from search import rebuild

    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):  # (no after-commit drain left pending)
        pages = [make_page(home, title={"en": f"Rebuild steady item {i}"}) for i in range(4)]
    index_now(es)
    old = next(iter(es.indices.get_alias(name=client.read_alias())))
    real_all_actions = rebuild.all_actions
    seen = {}

    def publish_midway():
        actions = real_all_actions()
        yield next(actions)  # the load has begun
        with django_capture_on_commit_callbacks(execute=True):  # an editor's request
            seen["page"] = make_page(home, title={"en": "Published mid-rebuild oasis"})
        seen["old"] = found("oasis") == [seen["page"].pk]  # readers still search the old index
        seen["new"] = _in_index(es, client.building_alias(), seen["page"])  # copied into the new one
        yield from actions

    monkeypatch.setattr(rebuild, "all_actions", publish_midway)
    result = rebuild.rebuild(out=None)
    assert seen["old"] and seen["new"]
    assert result.old_index == old and not es.indices.exists(index=old)
    assert not es.indices.exists_alias(name=client.building_alias())  # dropped with the swap
    assert found("oasis") == [seen["page"].pk]
    # Nothing lost or doubled by the swap: one document per live page.
    ids = [h.id for h in elasticsearch_search(SearchRequest(q="steady")).hits]
    assert sorted(ids) == sorted(p.pk for p in pages)
    assert es.count(index=client.read_alias())["count"] == len(pages) + 1
    assert call_command("search_index", "check", stdout=io.StringIO()) is None
    assert pending_count() == 0


def test_a_failed_rebuild_leaves_readers_and_drains_on_the_old_index(
    home, es, monkeypatch, django_capture_on_commit_callbacks
):
    from search import rebuild

    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):  # (no after-commit drain left pending)
        make_page(home, title={"en": "Before the failed rebuild"})
    index_now(es)
    old = next(iter(es.indices.get_alias(name=client.read_alias())))

    def broken():
        raise RuntimeError("the node ran out of disk")
        yield

    monkeypatch.setattr(rebuild, "all_actions", broken)
    with pytest.raises(RuntimeError, match="out of disk"):
        rebuild.rebuild(out=None)
    assert not es.indices.exists_alias(name=client.building_alias())
    assert list(es.indices.get(index=f"{client.prefix()}-items-v*")) == [old]
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(home, title={"en": "After the failed rebuild"})
    assert found("after") == [page.pk]
    assert pending_count() == 0
