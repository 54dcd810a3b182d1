"""Faults: Elasticsearch unreachable while editors publish, a database restart under the worker.

The shared development node on 9201 is never stopped (others run tests
against it at the same time): a TCP proxy of our own, a thread in this
process, stands in front of it, and ``ELASTICSEARCH_URL`` points at the
proxy; stopping the proxy is the engine going away, for this test only.
"""

import collections
import io
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from projects.models import ProjectPage
from search import client as search_client
from search import indexing
from search.models import IndexTask
from search.query import SearchRequest, elasticsearch_search
from tests.factories import make_page
from tests.search_support import refresh

pytestmark = [pytest.mark.elasticsearch]

ROOT = Path(__file__).resolve().parent.parent


class TCPProxy:
    """Forwards 127.0.0.1:<port> to a target; stop() refuses and cuts connections, start() resumes."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = None
        self._server = None
        self._conns = set()
        self._lock = threading.Lock()
        self.accepted = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port or 0))
        server.listen(64)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept_loop, args=(server,), daemon=True).start()

    def stop(self):
        server, self._server = self._server, None
        if server is not None:
            server.close()
        with self._lock:
            conns, self._conns = self._conns, set()
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept_loop(self, server):
        while True:
            try:
                downstream, _ = server.accept()
            except OSError:
                return
            if self._server is not server:
                downstream.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                downstream.close()
                continue
            upstream.settimeout(None)
            self.accepted += 1
            with self._lock:
                self._conns |= {downstream, upstream}
            for a, b in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def proxy(es):
    target = urlsplit(settings.ELASTICSEARCH_URL)
    p = TCPProxy(target.hostname, target.port or 9200)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def bulk_log(monkeypatch):
    """Every document id Elasticsearch accepted, as sent by the pipeline."""
    log = []
    real_bulk = indexing._bulk

    def recording_bulk(es, actions, index):
        actions = list(actions)
        errors = real_bulk(es, actions, index)
        log.extend((a["_op_type"], int(a["_id"])) for a in actions if int(a["_id"]) not in errors)
        return errors

    monkeypatch.setattr(indexing, "_bulk", recording_bulk)
    return log


def titles_in_index(es):
    refresh(es)
    hits = es.search(
        index=search_client.read_alias(), size=1000, query={"match_all": {}}, source=["title_en"]
    )
    return {int(h["_id"]): h["_source"].get("title_en") for h in hits["hits"]["hits"]}


@pytest.mark.django_db
def test_engine_down_while_editors_publish_100_changes(
    home,
    es,
    proxy,
    bulk_log,
    monkeypatch,
    client,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(search_client, "RETRY_AFTER", 0.2)
    with override_settings(ELASTICSEARCH_URL=proxy.url):
        search_client.mark_up()
        # Ten pages indexed while the engine is up.
        with django_capture_on_commit_callbacks(execute=True):
            pages = [make_page(home, title={"en": f"Basin survey {i}"}) for i in range(10)]
        assert search_client.is_available()
        assert set(titles_in_index(es)) == {p.pk for p in pages}

        proxy.stop()  # the engine goes away
        bulk_log.clear()
        changes = 0
        unpublished = set()
        for i in range(100):
            with django_capture_on_commit_callbacks(execute=True):  # each change: one editor request
                if i % 10 == 9:  # unpublish one of the originals
                    page = pages[i // 10]
                    page.unpublish()
                    unpublished.add(page.pk)
                elif i % 2 == 0:  # a new page
                    pages.append(make_page(home, title={"en": f"Wetland report {i}"}))
                else:  # an edit of an existing live page, published again
                    page = next(p for p in pages[(i * 7) % len(pages) :] + pages if p.pk not in unpublished)
                    page = ProjectPage.objects.get(pk=page.pk)
                    page.title_en = f"{page.title_en} rev{i}"
                    page.save_revision().publish()
            changes += 1
            if i % 10 == 0:  # readers meanwhile: pages and search answer, from the database
                live = next(p for p in pages if p.pk not in unpublished)
                assert client.get(ProjectPage.objects.get(pk=live.pk).get_url()).status_code == 200
                response = client.get("/en/search/", {"q": "wetland"})
                assert response.status_code == 200
                api = client.get("/api/search/", {"q": "basin", "lang": "en"})
                assert api.status_code == 200 and api.json()["engine"] == "database"
        assert changes == 100
        assert bulk_log == []  # nothing reached the engine
        pending = indexing.pending_count()
        assert pending == 100

        proxy.start()  # the engine is back, on the same address
        time.sleep(0.3)  # past RETRY_AFTER
        call_command("search_worker", "--once", stdout=io.StringIO())
        assert indexing.pending_count() == 0
        # Every change is in the index, each page sent once.
        sent = collections.Counter(page_id for _op, page_id in bulk_log)
        assert sent and max(sent.values()) == 1
        in_index = titles_in_index(es)
        live = {p.pk: p.title_en for p in ProjectPage.objects.live()}
        assert in_index == live
        assert not unpublished & set(in_index)
        # Draining again sends nothing; the index check is clean.
        bulk_log.clear()
        call_command("search_worker", "--once", stdout=io.StringIO())
        assert bulk_log == []
        call_command("search_index", "check", stdout=io.StringIO())
        assert elasticsearch_search(SearchRequest(q="wetland report", lang="en")).total == 50


@pytest.mark.django_db(transaction=True)
def test_worker_survives_database_restart(restore_portal, home, es, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite has no server whose "
            "connections could drop; .ci/run runs this on PostgreSQL"
        )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": url,
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "ELASTICSEARCH_INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX,
    }
    log = tmp_path / "worker.log"
    with override_settings(SEARCH_DRAIN_ON_COMMIT=False), open(log, "w") as out:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "search_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:

            def wait_drained(timeout=60):
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    assert worker.poll() is None, log.read_text()
                    if not IndexTask.objects.filter(done_at__isnull=True).exists():
                        return
                    time.sleep(0.2)
                pytest.fail(f"the worker did not drain the outbox:\n{log.read_text()}")

            first = [make_page(home, title={"en": f"Before restart {i}"}) for i in range(5)]
            wait_drained()
            for _ in range(3):  # the server drops the worker's connection, several times
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                time.sleep(0.5)
            second = [make_page(home, title={"en": f"After restart {i}"}) for i in range(5)]
            wait_drained()
            assert worker.poll() is None
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert set(titles_in_index(es)) == {p.pk for p in first + second}
    call_command("search_index", "check", stdout=io.StringIO())
