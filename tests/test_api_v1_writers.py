"""A partner's read never waits for a writer.

Found by Schemathesis in a whole run: ``GET /api/v1/trainings/?…&x-schemathesis-unknown-property=42``,
a 400 that writes nothing, answered after 20.0 s, SQLite's lock timeout. Every
request ran in a transaction (``ATOMIC_REQUESTS``), and on SQLite a transaction
begins IMMEDIATE (``portal/settings/base.py``): it takes the database's one write
lock, so every API read queued behind whoever wrote meanwhile. The API writes
nothing, so it runs outside a transaction (``api/http.py``) and reads beside
the writer (WAL). PostgreSQL's readers never waited for a writer's row locks:
there the same test shows that they still do not.
"""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db(transaction=True)]

# Without the fix each request below waits this long for the lock, then fails ("database is locked").
LOCK_TIMEOUT = 3  # seconds, instead of the settings' 20, so that a regression fails quickly
READS = [
    ("/api/v1/trainings/?updated_since=2000-01-01&x-schemathesis-unknown-property=42", 400),
    ("/api/v1/countries/", 200),
    ("/api/v1/projects/?country=KZ", 200),
    ("/api/v1/openapi.json", 200),
]


@pytest.fixture
def short_lock_timeout():
    """This test's connections give up on a lock after :data:`LOCK_TIMEOUT` (SQLite's busy timeout)."""
    if connection.vendor != "sqlite":
        yield
        return
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("timeout")
    connection.close()
    options["timeout"] = LOCK_TIMEOUT
    yield
    connection.close()
    if before is None:
        options.pop("timeout")
    else:
        options["timeout"] = before


@pytest.fixture
def editor_writing(short_lock_timeout):
    """A second connection in the middle of a write, as an editor's publish or an import is: uncommitted."""
    other = connection.copy()
    other.set_autocommit(False)
    with other.cursor() as cursor:  # SQLite: the database's write lock; PostgreSQL: the rows' locks
        cursor.execute("UPDATE core_country SET sort_order = sort_order")
    yield
    other.rollback()
    other.close()


def test_api_reads_are_answered_while_an_editor_writes(restore_portal, client, editor_writing):
    """Before the fix each of these waited for the lock, then failed: "database is locked" (a 500)."""
    for url, status in READS:
        response = client.get(url)
        assert response.status_code == status, (url, response.content[:300])
