"""Several search_worker processes drain one outbox on PostgreSQL, never doing a row twice."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from search import client
from search.models import IndexTask
from tests.factories import make_page
from tests.search_support import refresh

ROOT = Path(__file__).resolve().parent.parent
PAGES = 48


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_outbox_without_doing_a_row_twice(restore_portal, home, es, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; .ci/run runs this on PostgreSQL")
    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):
        pages = [make_page(home, title={"en": f"Shared outbox {i}"}) for i in range(PAGES)]
    rows = IndexTask.objects.filter(done_at__isnull=True).count()
    assert rows == PAGES  # one row a page
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "ELASTICSEARCH_INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX,
    }
    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    workers = []
    try:
        # Hold every row until both workers poll, so they start on the same rows at once.
        with transaction.atomic():
            list(IndexTask.objects.select_for_update().filter(done_at__isnull=True))
            for log in logs:
                workers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "manage.py",
                            "search_worker",
                            "--interval",
                            "0.1",
                            "--batch-size",
                            "3",
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=open(log, "w"),  # noqa: SIM115
                        stderr=subprocess.STDOUT,
                    )
                )
            deadline = time.monotonic() + 120
            while not all("draining the outbox" in log.read_text() for log in logs):
                assert time.monotonic() < deadline, [log.read_text() for log in logs]
                assert all(w.poll() is None for w in workers), [log.read_text() for log in logs]
                time.sleep(0.2)
            time.sleep(1)  # both are polling now, finding every row locked
        deadline = time.monotonic() + 90
        while IndexTask.objects.filter(done_at__isnull=True).exists():
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    done = [sum(int(n) for n in re.findall(r"indexed (\d+)", log.read_text())) for log in logs]
    assert sum(done) == PAGES, done  # every row once: a row done twice would count twice
    assert min(done) > 0, done  # and both workers took part
    refresh(es)
    versions = {
        hit["_id"]: hit["_version"]
        for hit in es.search(index=client.read_alias(), size=200, version=True)["hits"]["hits"]
    }
    assert set(versions) == {str(p.pk) for p in pages}
    assert set(versions.values()) == {1}  # each document written exactly once


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_an_editor_can_save_while_the_drain_waits_for_elasticsearch(
    restore_portal, home, es, monkeypatch
):
    """A slow bulk request (a rebuild is loading the node) must not hold SQLite's write lock.

    SQLite locks the whole database for a transaction; were the drain's rows
    held in one across the request, every editor's save and the rebuild's own
    writes would wait for Elasticsearch, then fail with "database is locked".
    """
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks only the rows taken (the test above)")
    import sqlite3

    from search import indexing

    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):
        page = make_page(home, title={"en": "Drained while an editor saves"})
    writes = []
    real_bulk = indexing._bulk

    def slow_bulk(es_client, actions, index):
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=2)
        try:
            other.execute("BEGIN IMMEDIATE")  # what an editor's request does first
            other.execute(f"UPDATE {IndexTask._meta.db_table} SET attempts = attempts WHERE id = -1")
            other.execute("ROLLBACK")
            writes.append("written")
        except sqlite3.OperationalError as exc:
            writes.append(str(exc))
        finally:
            other.close()
        return real_bulk(es_client, actions, index)

    monkeypatch.setattr(indexing, "_bulk", slow_bulk)
    result = indexing.drain()
    assert writes == ["written"]
    assert result.indexed == 1 and not IndexTask.objects.filter(done_at__isnull=True).exists()
    refresh(es)
    assert es.exists(index=client.read_alias(), id=str(page.pk))


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_rebuild_goes_on_when_an_editor_publishes_between_its_chunks(restore_portal, home):
    """The rebuild reads pages a chunk at a time and writes the analysis cache between chunks.

    Had it held one cursor over the pages, SQLite would keep its read snapshot
    and refuse the rebuild's next write ("database is locked") once another
    connection had committed: an editor publishing during a rebuild broke it.
    """
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's reads take no snapshot lock")
    import sqlite3

    from search import prepare

    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):
        pages = [make_page(home, title={"en": f"Chunked {i}"}) for i in range(5)]
    model = type(pages[0])
    chunks = prepare.indexable_chunks(size=2)
    seen = [page.pk for page in next(chunks)]
    editor = sqlite3.connect(connection.settings_dict["NAME"], timeout=2)
    editor.execute(f"UPDATE {IndexTask._meta.db_table} SET attempts = attempts + 1")  # commits
    editor.commit()
    editor.close()
    IndexTask.objects.create(page_id=seen[0])  # the rebuild's own write between chunks
    seen += [page.pk for chunk in chunks for page in chunk]
    assert set(seen) >= {page.pk for page in pages}
    assert len(seen) == len(set(seen)) == model.objects.live().count()
