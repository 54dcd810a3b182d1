"""Cheap restores for the live-server tests: a copy of the SQLite file, the media folder and the index.

A live-server test is transactional: it commits, so nothing rolls it back.
Emptying every table and loading them again (``restore_portal``'s portable
path) costs seconds, and loading the demo costs ~14 s; the browser tests did
both for every test. On SQLite the test database is a file (portal/settings/test.py),
so the sqlite3 backup API copies it whole in milliseconds, both ways:

- :func:`save_database` / :func:`restore_database`: the database file, page for page.
  Restoring needs every connection to it closed first (the test's own here; the
  live server's request threads close theirs when each request ends, and
  ``tests/inflight.py`` says when none is running), so that no connection keeps
  reading what it cached of the old file.
- :class:`DemoSnapshot`: the demo loaded once per process (per xdist worker),
  then saved as that database file, a copy of ``MEDIA_ROOT`` (its attachments
  and images) and a clone of its search index; each later ``demo_site`` puts
  those three back instead of loading the demo again.

On PostgreSQL the tests keep the portable path (flush and reload, demo loaded
each time): dropping and re-creating a database from a template needs every
session of the live server closed too, which is not yet done reliably here.
"""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections


def cheap_restores():
    """True where the database is an SQLite file, whose copies the backup API makes in milliseconds."""
    connection = connections["default"]
    return connection.vendor == "sqlite" and not connection.is_in_memory_db()


def _database_file():
    return connections["default"].settings_dict["NAME"]


def _copy(source_path, target_path):
    """Copy one SQLite database into another, page for page, with the backup API."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def save_database(path):
    """Copy the test database, as committed, to ``path``."""
    _copy(_database_file(), str(path))


def restore_database(path):
    """Put the database saved at ``path`` back; every connection to it must be idle.

    The test's connection is closed first: it reopens on its next query and
    then reads the restored file, not pages it cached from the old one.
    """
    from vocab import versioning

    connections["default"].close()
    _copy(str(path), _database_file())
    # In-process label tables were built from the old rows: rebuild them on next use.
    versioning._notify()


class DemoSnapshot:
    """The demo, loaded once in this process and then put back by copies (SQLite only).

    ``folder`` holds the database copy and the media copy; the index is cloned
    to ``index_name`` (outside the run's ``<prefix>-*`` names, which every
    fresh index deletes). :meth:`discard` removes all three at the session's end.
    """

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="portal-demo-snapshot-"))
        self.index_name = None
        self.saved = False

    # --- saving ---------------------------------------------------------------------------

    def save(self, es=None):
        """Save the database, ``MEDIA_ROOT`` and (with ``es``) the index as they are now."""
        save_database(self.folder / "demo.sqlite3")
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.copytree(media, self.folder / "media", dirs_exist_ok=True)
        if es is not None:
            self.index_name = f"{settings.ELASTICSEARCH_INDEX_PREFIX}.demo-snapshot"
            _clone_index(es, _live_index(es), self.index_name)
        self.saved = True

    # --- restoring ------------------------------------------------------------------------

    def restore(self, es=None):
        """Put the saved database, media folder and index back (the index only with ``es``)."""
        restore_database(self.folder / "demo.sqlite3")
        media = Path(settings.MEDIA_ROOT)
        shutil.rmtree(media, ignore_errors=True)
        if (self.folder / "media").exists():
            shutil.copytree(self.folder / "media", media)
        if es is not None and self.index_name:
            _restore_index(es, self.index_name)

    def discard(self, es=None):
        shutil.rmtree(self.folder, ignore_errors=True)
        if es is not None and self.index_name:
            es.indices.delete(index=self.index_name, ignore_unavailable=True)


# --- the index: clones (hard links of the segments on the node, no re-analysis) --------------


def _live_index(es):
    from search import client
    from search.indexing import physical_index_of

    return physical_index_of(client.read_alias(), es)


def _clone_index(es, source, target):
    """Clone ``source`` into ``target``; a clone needs its source read-only for the moment it takes."""
    es.indices.delete(index=target, ignore_unavailable=True)
    es.indices.put_settings(index=source, settings={"index.blocks.write": True})
    try:
        es.indices.clone(index=source, target=target, wait_for_active_shards="1")
    finally:
        es.indices.put_settings(index=source, settings={"index.blocks.write": None})
    es.indices.put_settings(index=target, settings={"index.blocks.write": None})


def _restore_index(es, saved):
    """Replace the run's indices by a clone of ``saved`` under fresh read and write aliases."""
    from search import client

    for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", expand_wildcards="all"):
        es.indices.delete(index=name)
    name = client.new_physical_name()
    _clone_index(es, saved, name)
    es.indices.update_aliases(
        actions=[
            {"add": {"index": name, "alias": client.read_alias()}},
            {"add": {"index": name, "alias": client.write_alias(), "is_write_index": True}},
        ]
    )
    es.indices.refresh(index=name)
