"""Cheap restores for the live-server tests: a copy of the test database, the media folder and the index.

A live-server test is transactional: it commits, so nothing rolls it back.
Emptying every table and loading them again costs seconds, and loading the
demo costs 6-28 s; the browser tests did both for every test. Instead the
database is copied whole, both ways, by the database itself:

- SQLite (a file: portal/settings/test.py): the sqlite3 backup API copies it page for page.
- PostgreSQL: ``CREATE DATABASE copy TEMPLATE test_db`` (a file-level copy on the
  server); put back by dropping the test database and renaming the copy (one-shot)
  or creating it again from the copy (kept, for the demo).

:class:`DatabaseCopy` is that copy. Saving or restoring needs every connection
to the test database closed first: the test's own (closed here; it reopens on
its next query and reads the restored data), the live server's (its request
threads close theirs when each request ends, and ``tests/inflight.py`` says
when none is running) and those of any process the test started. PostgreSQL
refuses to copy or drop a database someone is connected to, and after waiting
5 s for them to leave :func:`_on_server` names them in the error.

:class:`Run`: what the processes of one run (pytest-xdist's workers) share,
made by the first worker that needs it, under a file lock, and copied by the
others: the migrated test database (``django_db_setup``: migrating took each
worker ten seconds of CPU) and :class:`DemoSnapshot`, the demo loaded once per
run and saved as a :class:`DatabaseCopy`, a copy of ``MEDIA_ROOT`` (its
attachments and images) and a clone of its search index; each later
``demo_site`` puts those three back instead of loading the demo again. The
controller (or the only process) removes them when the run ends.
"""

import fcntl
import os
import shutil
import sqlite3
import weakref
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# Read when this module is imported (tests/conftest.py's first import), before the test
# database's set-up renames the database and ``search_index_prefix`` the indices:
# the names of what a run shares are made from these, the same in every process of it.
_DATABASE_NAME = settings.DATABASES["default"]["NAME"]
_INDEX_PREFIX = settings.ELASTICSEARCH_INDEX_PREFIX


def _test_database():
    return connections["default"].settings_dict["NAME"]


class DatabaseCopy:
    """A copy of the test database as committed now, put back by :meth:`restore`.

    ``label`` names the copy among this process's: a file ``<label>.sqlite3`` in
    ``folder`` (SQLite), a database ``<test database>__<label>`` (PostgreSQL),
    or ``name`` when given (a copy the run's processes share: :class:`Run`).
    """

    def __init__(self, label, folder, name=None):
        self.path = Path(folder) / f"{label}.sqlite3"
        self.name = name or f"{_test_database()}__{label}"

    def save(self):
        """Copy the test database as committed (replacing an earlier copy of this label)."""
        close_connections()
        if _is_postgresql():
            _on_server(
                f"DROP DATABASE IF EXISTS {_quote(self.name)}",
                f"CREATE DATABASE {_quote(self.name)} TEMPLATE {_quote(_test_database())}",
            )
        else:
            _sqlite_copy(_test_database(), str(self.path))

    def restore(self, keep=True):
        """Put the copy back as the test database; ``keep=False`` uses it up (PostgreSQL: a rename)."""
        from vocab import versioning

        close_connections()
        if _is_postgresql():
            test, copy = _quote(_test_database()), _quote(self.name)
            # IF EXISTS: the migrated copy is put back before this process's test database exists.
            if keep:
                _on_server(f"DROP DATABASE IF EXISTS {test}", f"CREATE DATABASE {test} TEMPLATE {copy}")
            else:
                _on_server(f"DROP DATABASE IF EXISTS {test}", f"ALTER DATABASE {copy} RENAME TO {test}")
        else:
            _sqlite_copy(str(self.path), _test_database())
            if not keep:
                self.path.unlink()
        # What this process built from the old rows (label tables, learnt pairings) is built again.
        versioning.forget_everything()

    def discard(self):
        if _is_postgresql():
            _on_server(f"DROP DATABASE IF EXISTS {_quote(self.name)}")
        else:
            self.path.unlink(missing_ok=True)


def use_test_database():
    """Point the connection at this process's test database, as Django's ``create_test_db`` does,
    but neither create nor migrate it: :class:`Run`'s migrated copy is then put back as it.

    Returns what ``django.test.utils.teardown_databases`` takes to drop it at the end.
    """
    connection = connections["default"]
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES["default"]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    return [(connection, old_name, True)]


def _is_postgresql():
    return connections["default"].vendor == "postgresql"


def _quote(name):
    return connections["default"].ops.quote_name(name)


# Every connection this process opens, in any thread and whichever storage Django keeps it in:
# the live server's request threads keep theirs between the requests of a keep-alive browser
# connection (CONN_MAX_AGE), and with Playwright's event loop running in the test's thread,
# Django's ``connections`` there is a context-local view that no longer reaches the
# connection the test database's set-up opened.
_opened = weakref.WeakSet()


@receiver(connection_created)
def _remember(sender, connection, **kwargs):
    _opened.add(connection)


def close_connections():
    """Close every connection of this process: a copy must not miss what one has not committed,
    nor keep reading pages it cached of the old file (SQLite); PostgreSQL copies no database in use.

    Called when no request is running (``tests/inflight.py``): a request thread
    whose connection is closed here opens a new one at its next request.
    """
    for wrapper in list(_opened):
        if wrapper.connection is None:
            continue
        wrapper.inc_thread_sharing()  # another thread's, idle: closing it from here is safe
        try:
            wrapper.close()
        finally:
            wrapper.dec_thread_sharing()


def _sqlite_copy(source_path, target_path):
    """Copy one SQLite database into another, page for page, with the backup API."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _on_server(*statements):
    """Run ``statements`` (CREATE/DROP/ALTER DATABASE) from the server's maintenance database.

    PostgreSQL waits 5 s for other sessions to leave a database it is asked to
    copy or drop, then refuses: the error then says whose sessions are left
    (a live-server request still running, a process the test did not stop).
    """
    from django.db import DatabaseError

    with connections["default"]._nodb_cursor() as cursor:
        for statement in statements:
            try:
                cursor.execute(statement)
            except DatabaseError as error:
                cursor.execute(
                    "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [_test_database()],
                )
                raise DatabaseError(
                    f"{statement}: {error}; sessions still on {_test_database()}: {cursor.fetchall()}"
                ) from error


class Run:
    """What the processes of one pytest run share: files under ``var/test-run-<id>/``, databases
    and an index named after the run, made by one process under :meth:`lock`, read by all.

    The id is the controller's process id, which it gives its xdist workers
    (``pytest_configure_node`` in tests/conftest.py); without xdist, the one process's.
    """

    def __init__(self, config):
        workerinput = getattr(config, "workerinput", None)
        self.id = workerinput["portal_run"] if workerinput else str(os.getpid())
        self.workers = int(workerinput["workercount"]) if workerinput else 1
        self.folder = Path(settings.VAR_DIR) / f"test-run-{self.id}"

    @contextmanager
    def lock(self, name):
        """Hold the run's lock ``name`` (an exclusive ``flock``; freed at the end, or if the holder dies)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f"{name}.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def database(self, label):
        """The run's copy ``label`` of the test database (a file here, or a database on the server)."""
        return DatabaseCopy(label, self.folder, name=f"test_{_DATABASE_NAME}_run{self.id}_{label}")

    def is_made(self, label):
        return (self.folder / f"{label}.made").exists()

    def mark_made(self, label):
        (self.folder / f"{label}.made").touch()

    def index_name(self, label):
        """Outside every process's ``<prefix>-*`` names, which their fresh indices delete."""
        return f"{_INDEX_PREFIX}.run-{self.id}.{label}"

    def remove(self, es=None):
        """Drop what the run shared (by the controller, when every worker is done)."""
        if _is_postgresql():
            for label in SHARED_LABELS:
                _on_server(f"DROP DATABASE IF EXISTS {_quote(self.database(label).name)}")
        if es is not None:
            es.indices.delete(index=self.index_name("demo"), ignore_unavailable=True)
        shutil.rmtree(self.folder, ignore_errors=True)


SHARED_LABELS = ("migrated", "demo")


class DemoSnapshot:
    """The demo, loaded once in the run and then put back by copies (in every worker).

    Saved by the first process that needs it (:meth:`Run.lock` ``"demo"`` around
    the load and :meth:`save`), put back by every later one: the database
    (:meth:`Run.database`), ``MEDIA_ROOT`` (a folder in the run's) and the index
    (a read-only clone, :meth:`Run.index_name`). :meth:`Run.remove` deletes them.
    """

    def __init__(self, run):
        self.run = run
        self.database = run.database("demo")
        self.media = run.folder / "demo-media"
        self.index_name = run.index_name("demo")

    def lock(self):
        return self.run.lock("demo")

    @property
    def saved(self):
        return self.run.is_made("demo")

    # --- saving ---------------------------------------------------------------------------

    def save(self, es=None):
        """Save the database, ``MEDIA_ROOT`` and (with ``es``) the index as they are now."""
        self.database.save()
        shutil.rmtree(self.media, ignore_errors=True)
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.copytree(media, self.media)
        if es is not None:
            _save_index(es, _live_index(es), self.index_name)
        self.run.mark_made("demo")

    # --- restoring ------------------------------------------------------------------------

    def restore(self, es=None):
        """Put the saved database, media folder and index back (the index only with ``es``)."""
        self.database.restore()
        media = Path(settings.MEDIA_ROOT)
        shutil.rmtree(media, ignore_errors=True)
        if self.media.exists():
            shutil.copytree(self.media, media)
        if es is not None and es.indices.exists(index=self.index_name):
            _restore_index(es, self.index_name)


# --- the index: clones (hard links of the segments on the node, no re-analysis) --------------


def _live_index(es):
    from search import client
    from search.indexing import physical_index_of

    return physical_index_of(client.read_alias(), es)


def _save_index(es, source, target):
    """Clone ``source`` into ``target``, which stays read-only: every worker clones it in turn.

    A clone needs its source read-only for the moment it takes.
    """
    es.indices.delete(index=target, ignore_unavailable=True)
    es.indices.put_settings(index=source, settings={"index.blocks.write": True})
    try:
        es.indices.clone(index=source, target=target, wait_for_active_shards="1")
    finally:
        es.indices.put_settings(index=source, settings={"index.blocks.write": None})
    es.indices.put_settings(index=target, settings={"index.blocks.write": True})


def _restore_index(es, saved):
    """Replace this process's indices by a clone of ``saved`` under fresh read and write aliases."""
    from search import client

    for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", expand_wildcards="all"):
        es.indices.delete(index=name)
    name = client.new_physical_name()
    es.indices.clone(index=saved, target=name, wait_for_active_shards="1")
    es.indices.put_settings(index=name, settings={"index.blocks.write": None})
    es.indices.update_aliases(
        actions=[
            {"add": {"index": name, "alias": client.read_alias()}},
            {"add": {"index": name, "alias": client.write_alias(), "is_write_index": True}},
        ]
    )
    es.indices.refresh(index=name)
