"""The indexing pipeline: outbox rows in, bulk requests out. Also index creation.

Flow: a signal handler (``signals.py``) calls :func:`enqueue`, which writes
:class:`~search.models.IndexTask` rows in the editor's transaction and asks for
a drain after commit. :func:`drain` reads pending rows in id order, prepares
the documents from the database as it is *now* and sends them in one bulk
request to the write alias (and, while a rebuild loads a new index, to that
index too: :func:`targets`). Rows are marked done only when Elasticsearch
accepted them; if it is unreachable they stay pending and
``manage.py search_worker`` retries them later.

The drain after an editor's commit sends only the rows that commit wrote
(:func:`drain_after_commit`): a backlog (an import's thousands of rows, rows
kept while the engine was down) is the worker's, and never makes an editor's
request, or the time until their page is searchable, wait. Since rows may
then be sent out of order, the action comes from the page's state when it is
sent, not from the row (:func:`build_actions`).
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from elasticsearch import helpers
from wagtail.models import Page

from search import client, pairings
from search.documents import index_body
from search.models import IndexTask
from search.prepare import is_indexable, prepare_many

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ON_COMMIT_BATCHES = 1  # in the editor's request: one batch, the worker does the rest
JOURNAL_KEEP = timedelta(days=1)  # done rows kept for the rebuild's catch-up


# --- Index and aliases ------------------------------------------------------------


def create_physical_index(es, name=None, loading=False):
    """A new, empty physical index with the generated mapping; returns its name.

    ``loading``: not refreshed until told otherwise (a rebuild loads it whole,
    much faster without refreshes, and refreshes it once before the swap).
    """
    name = name or client.new_physical_name()
    body = index_body(replicas=getattr(settings, "SEARCH_INDEX_REPLICAS", 0))
    if loading:
        body.setdefault("settings", {})["refresh_interval"] = "-1"
    es.indices.create(index=name, settings=body.get("settings"), mappings=body["mappings"])
    return name


def ensure_index(es=None):
    """Make sure the read and write aliases exist (first run, fresh test prefix).

    Without this a bulk request to a missing alias would auto-create a plain
    index under the alias's name with a guessed mapping.
    """
    es = es or client.get_client()
    if es.indices.exists_alias(name=client.write_alias()):
        return
    name = create_physical_index(es)
    es.indices.update_aliases(
        actions=[
            {"add": {"index": name, "alias": client.read_alias()}},
            {"add": {"index": name, "alias": client.write_alias(), "is_write_index": True}},
        ]
    )
    logger.info("created search index %s", name)


def physical_index_of(alias, es=None):
    """The physical index an alias points at, or None."""
    es = es or client.get_client()
    if not es.indices.exists_alias(name=alias):
        return None
    return next(iter(es.indices.get_alias(name=alias)))


# --- Enqueueing -------------------------------------------------------------------


_batch = threading.local()


def enqueue(page_ids, action=IndexTask.Action.INDEX):
    """Write outbox rows for these pages (in the caller's transaction)."""
    rows = [IndexTask(page_id=pk, action=action) for pk in dict.fromkeys(page_ids)]
    if not rows:
        return
    pending = getattr(_batch, "rows", None)
    if pending is not None:
        pending.extend(rows)
        return
    _schedule_drain(IndexTask.objects.bulk_create(rows))


@contextmanager
def batched_enqueue():
    """Within the block, this thread's :func:`enqueue` calls are written as one bulk insert at the end.

    For bulk writers (the import publishes thousands of pages, one signal and
    one insert each). The rows are the same, in the same order; use it inside
    the writer's transaction so they still commit with the change. If the
    block raises, nothing is written (the transaction rolls back anyway).
    """
    if getattr(_batch, "rows", None) is not None:  # nested: the outer block writes
        yield
        return
    _batch.rows = []
    try:
        yield
        rows = _batch.rows
    finally:
        _batch.rows = None
    if rows:
        _schedule_drain(IndexTask.objects.bulk_create(rows, batch_size=BATCH_SIZE))


_committing = threading.local()  # ids of the rows this thread's open transaction wrote


def _schedule_drain(rows):
    """Drain ``rows`` once the current transaction commits (one drain per transaction).

    Outside a transaction ``on_commit`` runs the drain at once. If the
    transaction rolls back, the callback is dropped along with the rows.
    """
    if not getattr(settings, "SEARCH_DRAIN_ON_COMMIT", True):
        return
    scheduled = any(entry[1] is drain_after_commit for entry in transaction.get_connection().run_on_commit)
    if not scheduled:
        _committing.ids = []  # a new transaction: forget a rolled-back one's rows
    _committing.ids += [row.id for row in rows]
    if not scheduled:  # outside a transaction this drains at once: after the ids are noted
        transaction.on_commit(drain_after_commit)


def drain_after_commit():
    """Index the committed rows right away when the engine is up; never raise into the editor's request."""
    ids, _committing.ids = getattr(_committing, "ids", []), []
    if not client.is_available():
        return
    try:
        if None not in ids:
            drain_rows(ids, refresh=True)
        elif drain(max_batches=ON_COMMIT_BATCHES, relearn=False).processed:  # a database not returning ids
            _refresh(client.get_client())
    except Exception:
        logger.warning("search: in-process drain failed; the worker will retry", exc_info=True)


# --- Draining -----------------------------------------------------------------------


@dataclass
class DrainResult:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    engine_down: bool = False
    errors: list = field(default_factory=list)

    @property
    def processed(self):
        return self.indexed + self.deleted

    def add(self, batch):
        """Count one more batch's result into this total."""
        self.indexed += batch.indexed
        self.deleted += batch.deleted
        self.failed += batch.failed
        self.errors += batch.errors
        self.engine_down = self.engine_down or batch.engine_down


def pending_count():
    return IndexTask.objects.filter(done_at__isnull=True).count()


def drain(batch_size=BATCH_SIZE, max_batches=None, es=None, relearn=True):
    """Process pending outbox rows in batches until none are left (or max_batches).

    ``relearn``: then learn the term pairings again if an item in several
    languages changed (``search.pairings``); the editor's request leaves that to the worker.
    """
    total = DrainResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        result = _drain_batch(batch_size, es)
        batches += 1
        total.add(result)
        if result.engine_down:
            break
        if result.processed + result.failed < batch_size:
            break
    _purge_journal()
    if relearn:
        pairings.relearn_if_pending()
    return total


def _refresh(es):
    """Make what was just sent searchable now, not at the next periodic refresh (up to 1 s later).

    An editor looks for what they just published; cheap at editors' rates.
    Only the index readers search: the one a rebuild is loading is refreshed
    before its swap.
    """
    try:
        es.indices.refresh(index=client.write_alias())
    except client.ENGINE_ERRORS:
        logger.info("search: refresh after a drain failed; the periodic one will do", exc_info=True)


def drain_rows(ids, es=None, refresh=False):
    """Process these outbox rows (those still pending and not taken by another drainer).

    ``refresh``: make each batch searchable as soon as it is sent, before the
    follow-up work (relearning pairings), as an editor's request wants.
    """
    result = DrainResult()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = _drain_batch(BATCH_SIZE, es, ids=ids[start : start + BATCH_SIZE], refresh=refresh)
        result.add(batch)
        if batch.engine_down:
            break
    return result


def _pending_rows(batch_size, ids=None):
    rows = IndexTask.objects.filter(done_at__isnull=True).order_by("id")
    if ids is not None:
        rows = rows.filter(id__in=ids)
    if connection.features.has_select_for_update_skip_locked:
        # Two workers (or a worker and a web process) take different rows.
        rows = rows.select_for_update(skip_locked=True)
    return list(rows[:batch_size])


def _drain_batch(batch_size, es=None, ids=None, refresh=False):
    """One batch of rows: taken, sent, marked.

    Where the database can lock rows (PostgreSQL: ``SKIP LOCKED``) the batch is
    one transaction holding its rows, so concurrent drainers take different
    ones. Elsewhere (SQLite) no transaction is held while Elasticsearch
    works: SQLite's transactions lock the whole database (``IMMEDIATE``), and a
    bulk request slowed by a rebuild would keep every editor's save and the
    rebuild's own writes waiting, up to "database is locked". Two drainers
    there may send the same rows twice, which indexes the same documents.
    """
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            return _send_batch(_pending_rows(batch_size, ids), es, refresh)
    return _send_batch(_pending_rows(batch_size, ids), es, refresh)


def _send_batch(rows, es=None, refresh=False):
    """Index or delete the pages of ``rows``; mark the rows Elasticsearch accepted done."""
    if not rows:
        return DrainResult()
    latest = {}  # page_id -> last action asked for
    for row in rows:
        latest[row.page_id] = row.action
    actions, kinds = build_actions(latest)
    sent = [action["_source"] for action in actions if action["_op_type"] == "index"]
    try:
        es = es or client.get_client()
        ensure_index(es)
        indices = targets(es)
        errors = _bulk(es, actions, indices[0])
        for building in indices[1:]:
            _bulk_into_building(es, actions, building)
    except client.ENGINE_ERRORS as exc:
        client.mark_down()
        IndexTask.objects.filter(id__in=[r.id for r in rows]).update(last_error=str(exc)[:1000])
        _bump_attempts(rows)
        logger.warning("search: engine unreachable, %d outbox rows kept: %s", len(rows), exc)
        return DrainResult(engine_down=True, errors=[str(exc)])
    client.mark_up()
    failed_pages = set(errors)
    done = [r.id for r in rows if r.page_id not in failed_pages]
    IndexTask.objects.filter(id__in=done).update(done_at=timezone.now(), last_error="")
    if failed_pages:
        failed_rows = [r for r in rows if r.page_id in failed_pages]
        _bump_attempts(failed_rows)
        for row in failed_rows:
            IndexTask.objects.filter(id=row.id).update(last_error=errors[row.page_id][:1000])
    result = DrainResult(failed=len(failed_pages), errors=list(errors.values()))
    deleted = []
    for page_id, kind in kinds.items():
        if page_id in failed_pages:
            continue
        if kind == "index":
            result.indexed += 1
        else:
            result.deleted += 1
            deleted.append(page_id)
    if refresh and result.processed:
        _refresh(es)
    pairings.note_indexed(sent, deleted)  # an item in several languages changed: relearn later
    return result


def _bump_attempts(rows):
    for row in rows:
        IndexTask.objects.filter(id=row.id).update(attempts=row.attempts + 1)


def targets(es):
    """Where the outbox's documents go: the write alias, and the index a rebuild is loading.

    Writing to both means a page published during a rebuild is in the new
    index when the aliases swap, not only after the rebuild's last catch-up.
    """
    building = client.building_alias()
    if es.indices.exists_alias(name=building):
        return [client.write_alias(), building]
    return [client.write_alias()]


def _bulk_into_building(es, actions, alias):
    """Copy the batch into the index a rebuild is loading; a refusal there is only logged.

    The rebuild catches up every page with a row written since it started, so
    nothing is lost if this copy fails (or the rebuild swapped and dropped the
    alias meanwhile); the copy only makes the page searchable in the new index
    from the moment of the swap.
    """
    try:
        refused = _bulk(es, actions, alias)
    except client.ENGINE_ERRORS as exc:
        refused = {"*": str(exc)}
    if refused:
        logger.info("search: %d documents not copied into the index being built (%s)", len(refused), alias)


def build_actions(latest):
    """Bulk actions for the pages of ``{page_id: action}``, reading the pages as they are now.

    What is sent follows the page's state, not the row's action: a live page
    of an indexed type is indexed, anything else (unpublished, gone) deleted.
    So a late "index" row never resurrects an unpublished page, and an old
    "delete" row sent after a newer publish (the after-commit drain sends its
    own rows first) never removes a live one.
    """
    pages = {p.pk: p for p in Page.objects.filter(pk__in=list(latest)).specific()}
    indexable = [page for page in pages.values() if is_indexable(page)]
    docs = {int(doc["_id"]): doc for doc in prepare_many(indexable)}
    actions, kinds = [], {}
    for page_id in latest:
        doc = docs.get(page_id)
        if doc is not None:
            actions.append({"_op_type": "index", "_id": doc.pop("_id"), "_source": doc})
            kinds[page_id] = "index"
        else:
            actions.append({"_op_type": "delete", "_id": str(page_id)})
            kinds[page_id] = "delete"
    return actions, kinds


def _bulk(es, actions, index):
    """Send actions; return ``{page_id: error}`` for the items Elasticsearch refused.

    A delete of a document that is not there is fine (404). ``require_alias``
    makes a missing alias an error instead of a silently auto-created index.
    """
    _ok, items = helpers.bulk(
        es.options(request_timeout=60),
        actions,
        index=index,
        chunk_size=BATCH_SIZE,
        max_chunk_bytes=bulk_bytes(),
        raise_on_error=False,
        raise_on_exception=True,
        require_alias=True,
    )
    errors = {}
    for item in items:
        op, info = next(iter(item.items()))
        if op == "delete" and info.get("status") == 404:
            continue
        errors[int(info["_id"])] = str(info.get("error", info))
    return errors


def bulk_bytes():
    """Largest bulk request body (``SEARCH_BULK_BYTES``): big documents make smaller batches."""
    return getattr(settings, "SEARCH_BULK_BYTES", 8 * 1024 * 1024)


def _purge_journal():
    IndexTask.objects.filter(done_at__lt=timezone.now() - JOURNAL_KEEP).delete()
