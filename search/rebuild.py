"""Rebuilding the index behind aliases, and checking it against the database.

Rebuild, while queries keep using the read alias:

1. note the last outbox row id (the journal mark);
2. create a new physical index and bulk-index every live item into it;
3. catch up: reindex, into the new index, the pages of outbox rows written
   since the mark (the worker kept writing those to the old index);
4. move both aliases to the new index in one atomic ``update_aliases``;
5. catch up once more (rows drained to the old index between 3 and 4);
6. delete the old physical index.
"""

import sys
import time
from dataclasses import dataclass, field

from elasticsearch import helpers

from search import client
from search.documents import indexable_chunks, indexed_models, prepare_many
from search.indexing import build_actions, create_physical_index, ensure_index, physical_index_of
from search.models import IndexTask

CHUNK = 500


def _progress(out, done, total, started):
    if out is None:
        return
    rate = done / max(time.monotonic() - started, 1e-6)
    width = 30
    filled = int(width * done / total) if total else width
    out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} items, {rate:,.0f}/s")
    out.flush()


def bulk_into(es, index, actions, out=None, total=0):
    """Stream actions into a physical index with a progress bar; returns the count."""
    started = time.monotonic()
    done = 0
    for ok, item in helpers.streaming_bulk(
        es.options(request_timeout=120), actions, index=index, chunk_size=CHUNK, raise_on_error=False
    ):
        done += 1
        if not ok and not ("delete" in item and item["delete"].get("status") == 404):
            raise RuntimeError(f"indexing failed: {item}")
        if done % CHUNK == 0:
            _progress(out, done, total, started)
    _progress(out, done, total, started)
    if out is not None:
        out.write("\n")
    return done


def count_indexable():
    return sum(m.objects.live().count() for m in indexed_models())


def all_actions():
    """Index actions for every live item, prepared a chunk of pages at a time."""
    for pages in indexable_chunks(CHUNK):
        for doc in prepare_many(pages):
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
    log: list = field(default_factory=list)


def rebuild(out=sys.stdout):
    es = client.get_client()
    started = time.monotonic()
    ensure_index(es)
    old = physical_index_of(client.read_alias(), es)
    mark = IndexTask.objects.order_by("-id").values_list("id", flat=True).first() or 0
    new = create_physical_index(es)
    # No refresh while loading: much faster; one refresh before the swap.
    es.indices.put_settings(index=new, settings={"refresh_interval": "-1"})
    if out:
        out.write(f"Building {new} (replacing {old})\n")
    items = bulk_into(es, new, all_actions(), out=out, total=count_indexable())
    mark, caught = _catch_up(es, new, mark)
    es.indices.put_settings(index=new, settings={"refresh_interval": "1s"})
    es.indices.refresh(index=new)
    actions = [
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
    _mark, caught2 = _catch_up(es, new, mark)
    es.indices.refresh(index=new)
    if old:
        es.indices.delete(index=old)
    seconds = time.monotonic() - started
    if out:
        out.write(
            f"Done: {items} items in {seconds:.1f}s; {caught + caught2} changes caught up; aliases swapped.\n"
        )
    return RebuildResult(new, old or "", items, caught + caught2, seconds)


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
