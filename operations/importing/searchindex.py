"""Wagtail's database search index (the public search's fallback, the admin's search) written in bulk.

modelsearch's database backends index one page at a time as it is saved;
the import writes the same entries for a batch of pages at once:

- :func:`wagtail_search_index_in_bulk` cuts two costs that grow with an
  import (the title norms recomputed over the whole index after each batch;
  each field read once per text built from it);
- :func:`add_to_search_backend` writes a batch's entries; on PostgreSQL
  through :class:`PostgresEntries` (the texts copied in, the vectors made by
  the server in one statement), the entries modelsearch's own ``add_items``
  would write, without compiling a Django expression for every text and
  quoting every text into one statement (most of the import's own time there).
"""

import logging
import sys
from contextlib import contextmanager

from django.db import connection
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.utils import get_content_type_pk

logger = logging.getLogger(__name__)


@contextmanager
def wagtail_search_index_in_bulk():
    """Wagtail's database search index (the fallback search) written for many pages at once.

    Two costs of modelsearch's database backends grow with an import, and are
    cut here while the block lasts (class-wide, like the signal receivers the
    engine defers: for a process that is only importing):

    - after each ``add_items`` the backend averages the title length over the
      whole index and rewrites the norm of every entry still at 1.0: a scan of
      the whole table after each batch, quadratic in the import's size. It is
      skipped, and runs once on leaving the block, over every new entry (the
      norms the last batch's refresh would have given them);
    - each entry's title, body and autocomplete text (on PostgreSQL also two
      plain texts) are each built by a pass over every search field of the
      page, reading each field again; the passes share one reading here
      (``prepare_field`` remembered per field of the page).
    """
    backends = [backend for _name, backend in get_search_backends_with_name(with_auto_update=True)]
    indexes = {b.index_class for b in backends if hasattr(b.index_class, "_refresh_title_norms")}
    modules = {_backend_module(index) for index in indexes}
    indexers = {module: module.ObjectIndexer for module in modules if hasattr(module, "ObjectIndexer")}
    refresh = {index: index._refresh_title_norms for index in indexes}
    wanted = set()  # the indexes that added entries (an unchanged import writes nothing)
    for index in indexes:
        index._refresh_title_norms = lambda self, full=False: wanted.add(type(self))
    for module, indexer in indexers.items():
        module.ObjectIndexer = _one_reading(indexer)
    try:
        yield
    finally:
        for index, original in refresh.items():
            index._refresh_title_norms = original
        for module, indexer in indexers.items():
            module.ObjectIndexer = indexer
    for backend in backends:
        if backend.index_class in wanted:
            backend.index_class(backend)._refresh_title_norms()


def _backend_module(index_class):
    """The modelsearch module ``index_class`` comes from (or extends): its ``ObjectIndexer``, ``IndexEntry``.

    The portal's fallback backend subclasses modelsearch's index classes in a
    module of its own (``search.database_backend``); the importer's shortcuts
    must still recognise them, or they silently fall back to the slow path
    (which is what happened: 10,000 items imported at less than half the rate).
    """
    for cls in index_class.__mro__:
        module = sys.modules.get(cls.__module__)
        if module is not None and hasattr(module, "ObjectIndexer") and hasattr(module, "IndexEntry"):
            return module
    return sys.modules[index_class.__module__]


def _one_reading(indexer):
    """A subclass of a backend's ``ObjectIndexer`` whose passes over the fields read each field once."""

    def prepare_field(self, obj, field):
        if obj is not self.obj:  # a related object's field: read within its parent's one reading
            return indexer.prepare_field(self, obj, field)
        memo = self.__dict__.setdefault("_prepared", {})
        if field not in memo:
            memo[field] = list(indexer.prepare_field(self, obj, field))
        return iter(memo[field])

    return type(indexer.__name__, (indexer,), {"prepare_field": prepare_field})


def add_to_search_backend(name, backend, model, pages):
    """``backend.add_bulk``, failing as modelsearch's own update does (remote backends may fail quietly)."""
    try:
        index = backend.get_index_for_model(model)
        if PostgresEntries.serves(index):
            PostgresEntries(index).add(model, pages)
        else:
            backend.add_bulk(model, pages)
    except Exception:
        logger.exception(
            "could not add %d %s pages to the %r search backend", len(pages), model.__name__, name
        )
        if not backend.catch_indexing_errors:
            raise


class PostgresEntries:
    """modelsearch's PostgreSQL index entries for a batch of pages, its ``add_items`` in two statements.

    ``add_items`` builds, for every text of every page, a Django expression
    ``setweight(to_tsvector(config, text), weight)``, joins a page's with
    ``||``, compiles them all into one ``INSERT … ON CONFLICT`` and sends it
    with every text quoted into the SQL (Django's psycopg cursors bind on the
    client). Here the texts and weights go into a temporary table with
    ``COPY``, and one ``INSERT … SELECT`` makes the same vectors in the
    server: each text's weighted vector, concatenated in the same order by
    an aggregate of ``||`` (``tsvector_concat``: concatenation is
    associative, so folding from the left gives the vector modelsearch's
    balanced tree of ``||`` gives). Title norms are left at 1.0 as
    ``add_items`` leaves them before its refresh (done once an import).
    """

    STAGING = "import_search_entries"

    @staticmethod
    def serves(index):
        """Whether ``index`` is modelsearch's PostgreSQL index or a subclass (the only one written this way).

        A subclass counts: the portal's own fallback backend (``search.database_backend``)
        extends it to keep title norms, and writes the same entries.
        """
        return connection.vendor == "postgresql" and any(
            cls.__name__ == "PostgresIndex" and cls.__module__.startswith("modelsearch.")
            for cls in type(index).__mro__
        )

    def __init__(self, index):
        self.index = index
        self.backend = index.backend
        module = _backend_module(type(index))
        self.indexer = module.ObjectIndexer
        self.entries = module.IndexEntry

    def add(self, model, pages):
        if not model.get_search_fields() or not pages:
            return
        with connection.cursor() as cursor:
            self._prepare(cursor)
            with cursor.copy(
                f"COPY pg_temp.{self.STAGING} (n, object_id, title_texts, title_weights, "
                "autocomplete_texts, autocomplete_weights, body_texts, body_weights, title_text, body_text) "
                "FROM STDIN"
            ) as copy:
                for n, page in enumerate(pages):
                    copy.write_row([n, *self._texts(page)])
            cursor.execute(self._insert_sql(), self._insert_params(model))

    def _prepare(self, cursor):
        """The staging table (emptied) and the aggregate, temporary: this session's only."""
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.STAGING} (n integer, object_id text, "
            "title_texts text[], title_weights text[], autocomplete_texts text[], "
            "autocomplete_weights text[], body_texts text[], body_weights text[], "
            "title_text text, body_text text)"
        )
        cursor.execute(f"TRUNCATE pg_temp.{self.STAGING}")
        cursor.execute(
            "CREATE OR REPLACE AGGREGATE pg_temp.import_tsvector_chain(tsvector) "
            "(SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')"
        )

    def _texts(self, page):
        """The page's texts as ``add_items`` reads them: per vector texts and weights, then plain texts."""
        indexer = self.indexer(page, self.backend)
        vectors = {"title": [], "autocomplete": [], "body": []}
        plain = {"title": [], "body": []}
        for field in indexer.search_fields:
            for current, weight, value in indexer.prepare_field(page, field):
                if isinstance(current, SearchField):
                    kind = "title" if current.field_name == "title" else "body"
                elif isinstance(current, AutocompleteField):
                    kind = "autocomplete"
                else:
                    continue
                text = value.strip()
                if text:  # as_vector drops empty texts; title_text/body_text too
                    vectors[kind].append((text, weight))
                    if kind in plain:
                        plain[kind].append(text)
        row = [str(page.pk)]
        for kind in ("title", "autocomplete", "body"):
            row += [[text for text, _w in vectors[kind]], [weight for _t, weight in vectors[kind]]]
        return [*row, " ".join(plain["title"]), " ".join(plain["body"])]

    def _vector(self, kind, config):
        """SQL of one entry's vector: its texts' weighted vectors joined by ``||`` in order ('' if none)."""
        to_vector = "to_tsvector(%s::regconfig, t.text)" if config else "to_tsvector(t.text)"
        return (
            f'(SELECT pg_temp.import_tsvector_chain(setweight({to_vector}, t.weight::"char") ORDER BY t.n) '
            f"FROM unnest(s.{kind}_texts, s.{kind}_weights) WITH ORDINALITY AS t(text, weight, n))"
        )

    def _insert_sql(self):
        table = connection.ops.quote_name(self.entries._meta.db_table)
        title = self._vector("title", self.backend.config)
        autocomplete = self._vector("autocomplete", self.backend.autocomplete_config)
        body = self._vector("body", self.backend.config)
        return (
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, "
            f"title_text, body_text) SELECT %s, s.object_id, {title}, {autocomplete}, {body}, 1.0, "
            f"s.title_text, s.body_text FROM pg_temp.{self.STAGING} s ORDER BY s.n "
            "ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title, "
            "title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
            "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text"
        )

    def _insert_params(self, model):
        configs = [self.backend.config, self.backend.autocomplete_config, self.backend.config]
        return [get_content_type_pk(model), *[config for config in configs if config]]
