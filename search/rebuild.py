"""Rebuilding the index behind aliases, and checking it against the database.

Rebuild, while queries keep using the read alias:

0. extract the text of uploaded PDFs not yet extracted (``attachments``);
1. note the last outbox row id (the journal mark);
2. create a new physical index, under the building alias (the outbox's
   drains now write to it as well as to the old one), and bulk-index every
   live item into it: a pool of processes reads the pages a chunk at a time,
   prepares their documents (reusing the cached analysis of unchanged text)
   and serialises them, while this process sends what the pool finished in
   bulk requests cut by size (:func:`_loading`);
3. catch up: reindex, into the new index, the pages of outbox rows written
   since the mark (a chunk read before an editor's publish may have been
   sent after the drain's copy); merge the new index's segments
   (``SEARCH_MERGE_SEGMENTS``: the query reads each term once per segment);
4. move the read and write aliases to the new index and drop the building
   alias, in one atomic ``update_aliases``;
5. catch up once more (rows drained between 3 and 4);
6. delete the old physical index;
7. learn the term pairings of the items in several languages again
   (``search.pairings``): read from the analyses just stored before the
   merge, learnt in a thread while the node merges and refreshes and the
   aliases move, stored at the end.

If the load, the merge or the swap fails, the new index is deleted (with its alias):
readers and the outbox never notice, and a pending change of the pairings
stays pending.
"""

import queue
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from elasticsearch import ApiError, ConnectionTimeout, helpers

from search import attachments, client, pairings, prepare
from search.indexing import build_actions, bulk_bytes, create_physical_index, ensure_index, physical_index_of
from search.models import AnalysedText, IndexTask
from search.types import indexed_models

CHUNK = 500
PARALLEL_MIN_ITEMS = 1000  # fewer live items than this: no process pool
# Index-wide calls (refresh of a freshly loaded index, settings, aliases) can take
# far longer than a query on a node busy merging: not the readers' short timeout.
ADMIN_TIMEOUT = 300
# Longest wait before the merge for Elasticsearch to let go of the loaded documents'
# recovery copies (:func:`_release_history`; it moves its leases every 30 s).
HISTORY_WAIT = 35
HISTORY_MIN_ITEMS = 1000  # fewer items: their copies weigh nothing worth the wait
# Seconds between attempts at a bulk request the node refused as busy (429): about a minute in all.
BUSY_PAUSES = (1, 2, 4, 8, 16, 30)


def _progress(out, done, total, started):
    if out is None:
        return
    rate = done / max(time.monotonic() - started, 1e-6)
    width = 30
    filled = int(width * done / total) if total else width
    out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} items, {rate:,.0f}/s")
    out.flush()


def bulk_into(es, index, actions, out=None, total=0):
    """Send actions into a physical index with a progress bar; returns the count.

    The actions are produced here (reading pages from the database, in this
    thread and its transaction) while a sender thread, which never touches the
    database, has the previous bulk requests on the wire.
    """
    started = time.monotonic()
    pending = queue.Queue(maxsize=CHUNK * 4)
    outcome = {"done": 0, "error": None}

    def queued():
        while (action := pending.get()) is not _END:
            yield action

    def send():
        try:
            for ok, item in helpers.streaming_bulk(
                es.options(request_timeout=120),
                queued(),
                index=index,
                chunk_size=CHUNK * 4,
                max_chunk_bytes=bulk_bytes(),
                raise_on_error=False,
                # Documents refused as busy (429) are sent again, as :func:`_send` does.
                max_retries=len(BUSY_PAUSES),
                initial_backoff=BUSY_PAUSES[0],
                max_backoff=BUSY_PAUSES[-1],
            ):
                outcome["done"] += 1
                if not ok and not ("delete" in item and item["delete"].get("status") == 404):
                    raise RuntimeError(f"indexing failed: {item}")
                if outcome["done"] % CHUNK == 0:
                    _progress(out, outcome["done"], total, started)
        except BaseException as exc:  # handed to the producer, which stops and raises it
            outcome["error"] = exc
            while pending.get() is not _END:  # unblock the producer
                pass

    sender = threading.Thread(target=send, name="search-bulk-sender", daemon=True)
    sender.start()
    try:
        for action in actions:
            if outcome["error"] is not None:
                break
            pending.put(action)
    finally:
        pending.put(_END)
        sender.join()
    if outcome["error"] is not None:
        raise outcome["error"]
    _progress(out, outcome["done"], total, started)
    if out is not None:
        out.write("\n")
    return outcome["done"]


_END = object()


def count_indexable():
    return sum(m.objects.live().count() for m in indexed_models())


def all_actions():
    """Index actions for every live item, a chunk of pages at a time, one chunk ahead.

    Chunk n+1 is read and its analysis started (in the pool, inside
    :func:`prepare.parallel_analysis`) before chunk n's documents are handed
    to the bulk sender, so analysis and sending overlap.
    """
    ahead = None
    for pages in prepare.indexable_chunks(CHUNK):
        started = prepare.start(pages)
        if ahead is not None:
            yield from _actions(ahead.result())
        ahead = started
    if ahead is not None:
        yield from _actions(ahead.result())


def _actions(docs):
    for doc in docs:
        yield {"_op_type": "index", "_id": doc.pop("_id"), "_source": doc}


def _catch_up(es, index, since_id):
    """Reindex into ``index`` every page with an outbox row after ``since_id``; new mark."""
    rows = IndexTask.objects.filter(id__gt=since_id).order_by("id")
    latest = {}
    mark = since_id
    for row in rows:
        latest[row.page_id] = row.action
        mark = row.id
    if latest:
        actions, _kinds = build_actions(latest)
        bulk_into(es, index, actions)
    return mark, len(latest)


@dataclass
class RebuildResult:
    index: str
    old_index: str
    items: int
    caught_up: int
    seconds: float
    # Wall seconds of each step, in order: start, load, merge, swap, pairings (benchmarks
    # hold "load" against a raw bulk of the same documents).
    phases: dict = field(default_factory=dict)
    # Where the overlapping parts of the steps went (:func:`_loading`, :func:`_merge_segments`).
    details: dict = field(default_factory=dict)


def rebuild(out=sys.stdout):
    es = client.get_client().options(request_timeout=ADMIN_TIMEOUT)
    started = time.monotonic()
    phases = prepare.StageClock(started)
    details = {}
    extracted = attachments.extract_pending()  # their pages are indexed below with the text
    if out and extracted:
        out.write(f"Extracted the text of new documents used by {len(extracted)} pages\n")
    ensure_index(es)
    old = physical_index_of(client.read_alias(), es)
    mark = IndexTask.objects.order_by("-id").values_list("id", flat=True).first() or 0
    phases.end("start")
    with _loading() as load:  # the pages are being read and prepared from here on
        new = create_physical_index(es, loading=True)
        _mark_building(es, new)
        if out:
            out.write(f"Building {new} (replacing {old})\n")
        try:
            items = load(es, new, out)
            mark, caught = _catch_up(es, new, mark)
        except BaseException:
            es.indices.delete(index=new)  # and its building alias: drains write to the old index only
            raise
    details.update(load.seconds)
    phases.end("load")
    # The node merges while the analyses are read back here for the term pairings,
    # which are then learnt in a thread during the rest of the merge and the swap.
    merging = _Background(_merge_segments, es, new, out, items, details)
    learning = None
    try:
        learning = pairings.start_relearning() if pairings.enabled() else None
        merging.result()
        phases.end("merge")
        _swap(es, new, old)
    except BaseException:
        merging.result(raise_error=False)  # (never delete an index the node is still merging)
        if learning is not None:
            learning.abandon()
        es.indices.delete(index=new)  # not swapped: readers and drains stay on the old index
        raise
    _mark, caught2 = _catch_up(es, new, mark)
    es.indices.refresh(index=new)
    if old:
        es.indices.delete(index=old)
    _forget_analyses_of_gone_pages()
    phases.end("swap")
    if learning is not None:
        learning.finish(out=out)  # from the analyses just stored: no text analysed again
    phases.end("pairings")
    seconds = time.monotonic() - started
    if out:
        out.write(
            f"Done: {items} items in {seconds:.1f}s; {caught + caught2} changes caught up; aliases swapped.\n"
        )
    return RebuildResult(new, old or "", items, caught + caught2, seconds, phases.seconds, details)


class _Background:
    """``fn(*args)`` run in a thread from now (a call that waits on the node); ``result()`` waits for it."""

    def __init__(self, fn, *args):
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(fn, *args), name="search-rebuild-admin")
        self.thread.start()

    def _run(self, fn, *args):
        try:
            fn(*args)
        except BaseException as exc:  # raised by result(), in the caller's thread
            self.error = exc

    def result(self, raise_error=True):
        self.thread.join()
        if self.error is not None and raise_error:
            raise self.error


def _swap(es, new, old):
    """Make the loaded index searchable and move the read and write aliases to it, in one step."""
    es.indices.put_settings(index=new, settings={"refresh_interval": "1s"})
    es.indices.refresh(index=new)
    actions = [
        {"remove": {"index": new, "alias": client.building_alias()}},
        {"add": {"index": new, "alias": client.read_alias()}},
        {"add": {"index": new, "alias": client.write_alias(), "is_write_index": True}},
    ]
    if old:
        actions = [
            {"remove": {"index": old, "alias": client.read_alias()}},
            {"remove": {"index": old, "alias": client.write_alias()}},
            *actions,
        ]
    es.indices.update_aliases(actions=actions)


def _merge_segments(es, index, out, items=0, seconds=None):
    """Merge the loaded index into ``SEARCH_MERGE_SEGMENTS`` segments before readers see it (0: not).

    A bulk load leaves several segments; every query looks each term up in
    each of them. Merged into one, the query cost about a third less on the
    node (issue 14: 10,000 items, 13.5 -> 9 ms), for a merge of about 6% of
    the rebuild's time (7.5 s of 115 s at a load average of 8). Readers are
    still on the old index meanwhile. If the node takes longer than the admin
    timeout, it finishes the merge on its own and the swap goes ahead.
    The merge also drops the documents' recovery copies (:func:`_release_history`).
    ``seconds`` (a dict), if given, gets the seconds of the wait for that
    (``lease wait``) and of the merge itself (``forcemerge``).
    """
    segments = getattr(settings, "SEARCH_MERGE_SEGMENTS", 0)
    if not segments:
        return
    clock = prepare.StageClock()
    if items >= HISTORY_MIN_ITEMS:
        _release_history(es, index, out)
    clock.end("lease wait")
    if out:
        out.write(f"Merging {index} into {segments} segment(s)…\n")
        out.flush()
    try:
        es.indices.forcemerge(index=index, max_num_segments=segments)
    except ConnectionTimeout:
        if out:
            out.write("  the merge goes on in Elasticsearch; swapping meanwhile\n")
    clock.end("forcemerge")
    if seconds is not None:
        seconds.update(clock.seconds)


def _release_history(es, index, out, wait=HISTORY_WAIT):
    """Let the coming merge drop the loaded documents' recovery copies; ``False`` if ``wait`` ran out.

    The stored ``_source`` leaves fields out (``documents.UNSHOWN_FIELDS``), so
    Elasticsearch also stores each document whole as it was sent
    (``_recovery_source``: bodies, analysed terms), to replay it to a replica,
    until the shard's retention leases have passed it and a merge drops it.
    Kept, it was six sevenths of the stored data (21 of 24.5 MB for 2,000
    items): every hit's card was read out of blocks holding its bodies
    (issue 14: the fetch of twenty hits 1.15 -> 0.43 ms on the node), and the
    index was 2.4 times its size. Only operations in a commit are let go
    (hence the flushes), when the leases move, every 30 s (not a setting): this waits at
    most ``wait`` seconds, while the term pairings are learnt; if it runs out,
    the copies of the last documents stay until a later merge.
    """
    es.indices.flush(index=index)
    deadline = time.monotonic() + wait
    while not _history_released(es, index):
        if time.monotonic() > deadline:
            if out:
                out.write("  (the recovery copies of the last documents stay until a later merge)\n")
            return False
        time.sleep(0.5)
    # A commit counts once the node has recorded every operation in it as done
    # everywhere: the first one may have been made just before; this one is after.
    es.indices.flush(index=index, force=True)
    return True


def _history_released(es, index):
    """Whether every shard's retention leases have passed the last operation it holds."""
    wanted = "indices.*.shards.*.seq_no,indices.*.shards.*.retention_leases"
    stats = es.indices.stats(index=index, level="shards", filter_path=wanted)
    for copies in stats["indices"][index]["shards"].values():
        for shard in copies:
            leases = shard.get("retention_leases", {}).get("leases") or []
            last = shard["seq_no"]["max_seq_no"]
            if any(lease["retaining_seq_no"] <= last for lease in leases):
                return False
    return True


@contextmanager
def _loading():
    """A :class:`_Load`: ``load(es, index, out)`` bulk-indexes every live item into ``index``.

    On a real site the pool's processes read and prepare the pages and this
    process only sends (:func:`prepare.prepared_in_pool`): they start on the
    first pages as the block begins, while the caller creates the index.
    Inside a caller's transaction they could not see its pages, so this
    process reads them and the pool only analyses. A small site (and most
    tests) stays in one process.
    """
    total = count_indexable()
    workers = prepare.index_workers() if total >= PARALLEL_MIN_ITEMS else 1
    if workers > 1 and prepare.pool_can_read():
        with prepare.reading_pool(workers) as pool:
            load = _Load()
            lines = prepare.prepared_in_pool(pool, seconds=load.pool_seconds)
            load.run = lambda es, index, out: send_lines(es, index, lines, out=out, total=total, load=load)
            yield load
        return
    with prepare.parallel_analysis(workers):
        load = _Load()
        load.run = lambda es, index, out: bulk_into(es, index, all_actions(), out=out, total=total)
        yield load


class _Load:
    """The load step, and where its time went (when the pool prepares and this process only sends).

    ``node``: seconds this process waited for bulk responses; the rest of the
    load's wall time it waited for the pool's lines. ``pool_seconds``: the
    pool's seconds per stage (reading pages, preparing documents,
    serialising), summed over its processes: a busy pool and an idle sender
    mean preparation is the bottleneck, an idle pool the node.
    """

    def __init__(self):
        self.run, self.node, self.wall, self.pool_seconds = None, 0.0, 0.0, Counter()

    def __call__(self, es, index, out):
        started = time.monotonic()
        try:
            return self.run(es, index, out)
        finally:
            self.wall = time.monotonic() - started

    @property
    def seconds(self):
        if not self.pool_seconds:
            return {}
        waited = self.wall - self.node
        found = {"load: waiting for the node": self.node, "load: waiting for the pool": max(waited, 0.0)}
        found.update({f"pool: {stage}": seconds for stage, seconds in self.pool_seconds.items()})
        return found


def send_lines(es, index, lines, out=None, total=0, load=None):
    """Send serialised ``(action, source)`` lines into ``index`` in bulk requests cut by size; the count.

    One request at a time, as ``helpers.bulk`` does; while it is on the wire
    the pool prepares the next lines. A document the node refuses stops the
    load (the rebuild then deletes the new index). ``load`` (a :class:`_Load`)
    adds up the seconds spent waiting for the node.
    """
    started, done = time.monotonic(), 0
    limit, batch, size = bulk_bytes(), [], 0
    for action, source in lines:
        length = len(action) + len(source) + 2
        if batch and size + length > limit:
            done += _send(es, index, batch, load)
            _progress(out, done, total, started)
            batch, size = [], 0
        batch += (action, source)
        size += length
    if batch:
        done += _send(es, index, batch, load)
    _progress(out, done, total, started)
    if out is not None:
        out.write("\n")
    return done


def _send(es, index, batch, load=None):
    """One bulk request of serialised lines; the number of documents it indexed.

    A node short of indexing memory (small heaps, or editors' drains on top of
    the load) answers 429, for the whole request or for some documents: those
    are sent again after a pause (:data:`BUSY_PAUSES`) instead of failing a
    rebuild that may have run for half an hour. Any other refusal stops it.
    """
    done = 0
    for pause in (*BUSY_PAUSES, None):
        started = time.monotonic()
        try:
            response = es.options(request_timeout=120).bulk(index=index, operations=batch)
        except ApiError as exc:
            if exc.meta.status != 429 or pause is None:
                raise
            response = None
        finally:
            if load is not None:
                load.node += time.monotonic() - started
        if response is not None:
            batch, done = _busy_lines(batch, response, done)
            if not batch:
                return done
        if pause is None:
            break
        time.sleep(pause)
    raise RuntimeError(f"indexing failed: Elasticsearch still busy (429) after {len(BUSY_PAUSES)} retries")


def _busy_lines(batch, response, done):
    """``(lines to send again, documents indexed so far)`` after a bulk response; raises on a real failure."""
    again = []
    for n, item in enumerate(response["items"]):
        outcome = next(iter(item.values()))
        if "error" not in outcome:
            done += 1
        elif outcome.get("status") == 429:
            again += batch[2 * n : 2 * n + 2]
        else:
            raise RuntimeError(f"indexing failed: {item}")
    return again, done


def _mark_building(es, index):
    """Point the building alias at ``index`` (away from a crashed rebuild's index, if any)."""
    alias = client.building_alias()
    actions = [{"add": {"index": index, "alias": alias}}]
    if es.indices.exists_alias(name=alias):
        actions = [{"remove": {"index": name, "alias": alias}} for name in es.indices.get_alias(name=alias)]
        actions.append({"add": {"index": index, "alias": alias}})
    es.indices.update_aliases(actions=actions)


def _forget_analyses_of_gone_pages():
    """Drop cached analyses of pages no longer indexed (deleted or unpublished)."""
    live = set()
    for model in indexed_models():
        live.update(model.objects.live().values_list("pk", flat=True))
    gone = sorted(set(AnalysedText.objects.values_list("page_id", flat=True).distinct()) - live)
    for start in range(0, len(gone), 500):
        AnalysedText.objects.filter(page_id__in=gone[start : start + 500]).delete()


@dataclass
class CheckResult:
    missing: list
    stale: list
    extra: list

    @property
    def ok(self):
        return not (self.missing or self.stale or self.extra)


def check():
    """Compare live pages (id, last publication) with the documents in the index."""
    es = client.get_client()
    expected = {}
    for model in indexed_models():
        for pk, published in model.objects.live().values_list("pk", "last_published_at"):
            expected[pk] = published.isoformat() if published else None
    indexed = {}
    for hit in helpers.scan(es, index=client.read_alias(), query={"_source": ["page_id", "published_at"]}):
        indexed[hit["_source"]["page_id"]] = hit["_source"].get("published_at")
    missing = sorted(set(expected) - set(indexed))
    extra = sorted(set(indexed) - set(expected))
    stale = sorted(pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk])
    return CheckResult(missing, stale, extra)
