"""On a 3-node cluster, one node stops while editors publish 500 changes and a rebuild runs.

Needs the loopback cluster of ``scripts/elasticsearch cluster start`` (its URLs
in ``ELASTICSEARCH_CLUSTER_URL``, as ``scripts/test`` exports them). Without it
the test is skipped, unless ``PORTAL_REQUIRE_CLUSTER=1`` (CI) makes that a
failure. The index has one replica there, so the stopped node's shards are
served by the others: nothing lost, nothing twice, no reader error.
"""

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from search import client, rebuild
from search.indexing import drain, ensure_index, pending_count
from search.models import IndexTask
from tests.factories import make_page

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "elasticsearch"
CHANGES = 500
PAGES = 25
STOPPED_NODE = "2"
# Three readers each searching about ten times a second, across the stop and the rebuild. At a
# 0.02 s pause they made ~100 searches a second (0.7 ms of this process's CPU each, and the
# cluster's) and found nothing more.
READER_PAUSE = 0.1


def cluster_url():
    value = os.environ.get("ELASTICSEARCH_CLUSTER_URL", "")
    if not value:
        message = "no cluster: run scripts/elasticsearch cluster start and set ELASTICSEARCH_CLUSTER_URL"
        if os.environ.get("PORTAL_REQUIRE_CLUSTER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return value


@pytest.fixture
def cluster(search_index_prefix):
    urls = cluster_url()
    prefix = f"{search_index_prefix}-cluster"
    with override_settings(
        ELASTICSEARCH_URL=urls, ELASTICSEARCH_INDEX_PREFIX=prefix, SEARCH_INDEX_REPLICAS=1
    ):
        client.mark_up()
        es = client.get_client()
        # A previous run restarts its stopped node without waiting: wait for it here.
        es.options(request_timeout=200).cluster.health(
            wait_for_nodes=3, wait_for_status="green", timeout="180s"
        )
        ensure_index(es)
        try:
            yield es
        finally:
            # Back in the background (about a minute); the next user of the cluster waits for green.
            subprocess.Popen(
                [str(SCRIPT), "cluster", "start-node", STOPPED_NODE],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            for name in es.indices.get(index=f"{prefix}-*", expand_wildcards="all"):
                es.indices.delete(index=name)
            client.mark_up()


def drain_everything(deadline=120):
    """What search_worker does: drain until the outbox is empty, waiting out engine failures."""
    stop = time.monotonic() + deadline
    while pending_count():
        client.mark_up()
        drain(batch_size=100)
        if pending_count() and time.monotonic() > stop:
            raise AssertionError(f"{pending_count()} outbox rows still pending after {deadline}s")
        if pending_count():
            time.sleep(1)


def test_node_stops_during_publishing_and_rebuild(home, cluster):
    es = cluster
    pages = [make_page(home, title={"en": f"Cluster item {i} original"}) for i in range(PAGES)]
    drain_everything()
    errors, searches, stop_readers = [], [], threading.Event()

    def reader():
        body = {"query": {"match": {"title_en": "cluster item"}}, "size": 5}
        while not stop_readers.is_set():
            try:
                searches.append(es.search(index=client.read_alias(), body=body)["hits"]["total"]["value"])
            except Exception as exc:  # any failure a reader would see
                errors.append(repr(exc))
            time.sleep(READER_PAUSE)

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    expected = {}
    real_all_actions = rebuild.all_actions

    def publish(n):
        page = pages[n % PAGES]
        page.title_en = f"Cluster item {n % PAGES} revision {n}"
        page.save_revision().publish()
        expected[page.pk] = page.title_en

    def all_actions_while_editors_publish():
        """The rebuild's bulk load, with editors publishing (and the worker draining) meanwhile."""
        n = 0
        for action in real_all_actions():
            yield action
            for _ in range(CHANGES // PAGES):
                publish(n)
                n += 1
                if n == CHANGES // 3:
                    subprocess.run(
                        [str(SCRIPT), "cluster", "stop-node", STOPPED_NODE], check=True, timeout=120
                    )
                if n % 25 == 0:
                    client.mark_up()
                    drain(batch_size=100)
        while n < CHANGES:
            publish(n)
            n += 1

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(rebuild, "all_actions", all_actions_while_editors_publish)
            result = rebuild.rebuild(out=None)
        drain_everything()
    finally:
        stop_readers.set()
        for thread in readers:
            thread.join()

    es.indices.refresh(index=client.read_alias())
    assert len(expected) == PAGES and IndexTask.objects.filter(done_at__isnull=True).count() == 0
    assert len(es.indices.get_alias(name=client.read_alias())) == 1  # one index behind the alias
    docs = {
        hit["_source"]["page_id"]: hit["_source"]["title_en"]
        for hit in es.search(index=client.read_alias(), size=1000, query={"match_all": {}})["hits"]["hits"]
    }
    assert es.count(index=client.read_alias())["count"] == PAGES  # 0 duplicated, 0 extra
    assert docs == expected  # 0 lost: every page with its last published title
    assert result.items == PAGES
    assert errors == [] and len(searches) > 10  # 0 reader errors
    health = es.cluster.health()
    assert health["number_of_nodes"] == 2 and health["status"] in ("green", "yellow")
    assert settings.SEARCH_INDEX_REPLICAS == 1
