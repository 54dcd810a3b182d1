"""A real ``search_index rebuild`` of an imported database against raw ``helpers.bulk`` of its documents.

For sizes no other bench can load in a run (100,000 items take about half an
hour to import on the shared 2-core machine): import once with
``import_content``, then, with the database and the engine configured as
production has them::

    DATABASE_URL=postgres://…/portal_100k ELASTICSEARCH_URL=http://127.0.0.1:9211,… \\
        ELASTICSEARCH_REPLICAS=1 ELASTICSEARCH_INDEX_PREFIX=scale-dev \\
        .venv/bin/python bench/rebuild_bench.py              # the rebuild, then the baseline
    … bench/rebuild_bench.py --baseline-only                 # the baseline alone, for a rebuild timed before

The rebuild is ``search.rebuild.rebuild()`` (reading pages, analysis from the
cache or the pool, bulk requests, the swap, the term pairings). The baseline,
in the same process: the documents the rebuild sent are prepared again (from
the analysis cache it filled) into a file (not timed) and sent with
``helpers.bulk`` into a new index of the same mapping, settings and replicas, with the rebuild's bulk
request size and no refresh while loading; that index is then deleted.
Prints both rates and their ratios (the issue's goal: ≥ 0.5): the whole
rebuild's, and its load step's alone (reading, preparing and sending every
document: what the raw bulk does, without the merge, the swap and the term
pairings that follow it).

A fair comparison: both sides run at the same CPU priority. The rebuild's pool
normally yields to every other process (``SEARCH_INDEX_NICENESS``, default
10), and the raw bulk has no pool, so on a shared machine the pool would lose
CPU that the baseline never gives up. This bench therefore runs the pool at
this process's own niceness (``--pool-niceness 0``, the default); start the
whole bench under ``nice -n 10`` to yield to others, and both sides yield
alike. ``--pool-niceness N`` measures the rebuild as a shared site runs it
(the baseline is then raised to the same niceness before it is sent, and the
line says so).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(pool_niceness):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["SEARCH_INDEX_NICENESS"] = str(pool_niceness)
    if not os.environ.get("ELASTICSEARCH_URL") or not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL (an imported database) and ELASTICSEARCH_URL (the engine or cluster)")
    import django

    django.setup()


def spool(out):
    """Every document the rebuild sent, as one JSON line each in ``out``; the count.

    Prepared again from the pages (the analysis cache is filled: no text is
    analysed twice), not scrolled out of the index: its stored ``_source``
    leaves out the bodies and analysed terms (``search.documents.UNSHOWN_FIELDS``),
    so the baseline would index far less than the rebuild did.
    """
    from search import rebuild

    count = 0
    for action in rebuild.all_actions():
        out.write(json.dumps({"_id": action["_id"], "_source": action["_source"]}, ensure_ascii=False) + "\n")
        count += 1
        if count % 10000 == 0:
            print(f"  spooled {count}", file=sys.stderr, flush=True)
    return count


def raw_bulk(es, path):
    """``helpers.bulk`` of the spooled documents into a fresh index like the live one: (count, seconds)."""
    from elasticsearch import helpers

    from search import client
    from search.indexing import bulk_bytes, create_physical_index

    index = create_physical_index(es, name=f"{client.prefix()}-rawbulk-{os.getpid()}")
    try:
        es.indices.put_settings(index=index, settings={"refresh_interval": "-1"})

        def actions():
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    doc = json.loads(line)
                    yield {"_op_type": "index", "_index": index, "_id": doc["_id"], "_source": doc["_source"]}

        started = time.monotonic()
        count, _errors = helpers.bulk(
            es.options(request_timeout=120), actions(), chunk_size=2000, max_chunk_bytes=bulk_bytes()
        )
        es.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
        es.indices.refresh(index=index)
        return count, time.monotonic() - started
    finally:
        es.indices.delete(index=index)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-only", action="store_true", help="no rebuild: the baseline alone")
    parser.add_argument(
        "--pool-niceness",
        type=int,
        default=0,
        help="niceness the rebuild's pool adds to this process's (default 0: both sides alike)",
    )
    args = parser.parse_args()
    setup(args.pool_niceness)
    from search import client, rebuild

    es = client.get_client().options(request_timeout=rebuild.ADMIN_TIMEOUT)
    print(
        f"load average at the start: {os.getloadavg()[0]:.1f}; this process's niceness {os.nice(0)}, "
        f"the rebuild's pool {min(19, os.nice(0) + args.pool_niceness)}"
    )
    result = None
    if not args.baseline_only:
        cpu = time.process_time()
        result = rebuild.rebuild(out=sys.stderr)
        steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.phases.items())
        print(
            f"rebuild: {result.items} items in {result.seconds:.1f} s = {result.items / result.seconds:,.0f} "
            f"items/s ({steps}; this process's CPU {time.process_time() - cpu:.0f} s; "
            f"load {os.getloadavg()[0]:.1f})"
        )
        details = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.details.items())
        print(f"  of which: {details}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "documents.jsonl"
        with path.open("w", encoding="utf-8") as out:
            spooled = spool(out)
        print(f"spooled {spooled} documents ({path.stat().st_size / 1e6:,.0f} MB), not timed")
        if args.pool_niceness:  # the baseline yields as the pool did
            os.nice(args.pool_niceness)
        count, seconds = raw_bulk(es, path)
    raw = count / seconds
    load = os.getloadavg()[0]
    print(
        f"raw helpers.bulk: {count} items in {seconds:.1f} s = {raw:,.0f} items/s "
        f"(niceness {os.nice(0)}; load {load:.1f})"
    )
    if result is not None:
        whole = result.items / result.seconds
        loading = result.items / result.phases["load"]
        print(f"ratio rebuild / raw bulk: whole {whole / raw:.2f}, load step {loading / raw:.2f} (goal 0.5)")


if __name__ == "__main__":
    main()
