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
