"""Indexing throughput at 10k and 100k without a database: the pipeline against raw ``helpers.bulk``.

    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/index_bench.py --size 10000
    ELASTICSEARCH_URL=http://127.0.0.1:9211,http://127.0.0.1:9212,http://127.0.0.1:9213 \\
        ELASTICSEARCH_REPLICAS=1 .venv/bin/python bench/index_bench.py --size 100000

This bench builds the index documents straight from the generated corpus
(``bench/corpus.py``, written to a file first, outside the timing: reading
its lines stands in for reading the pages), with the same texts per language
and role, the same analysis (``search.prepare.TextJob``, in a pool of
processes, one chunk ahead of the sender, nothing cached: a cold rebuild) and
the same bulk requests cut by size as a rebuild. Baseline, in the same run:
``helpers.bulk`` of the finished documents into an identical index (above
20,000 items they are spooled to a file as JSON and sent from it, with
Elasticsearch's own ids: memory stays flat, and the baseline only gets
faster). Prints both rates and their ratio (the issue's goal: >= 0.5), and
the time spent waiting for analysis. ``bench/search_bench.py`` measures the
real rebuild (database, cache, cold and warm) at sizes the importer can load.
"""

import argparse
import collections
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHUNK = 500
IN_MEMORY = 20_000  # above this many items the finished documents are spooled to a file


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "bench")  # e.g. scale-dev on a shared node
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"{base}-index-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    if not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Set ELASTICSEARCH_URL (scripts/elasticsearch start; http://127.0.0.1:9201)")
    import django

    django.setup()


def records(path):
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def skeletons(path, vocabulary):
    """``(document without terms, {language: {role: text}})`` for each record of the corpus file."""
    from portal import languages
    from search.documents import TEXT_FIELDS, text_field

    country_names = {c["country"]: c["labels"] for c in vocabulary.countries}
    for n, record in enumerate(records(path)):
        date = record.get("start_date") or record.get("document_date") or record.get("date")
        doc = {
            "_id": str(n + 1),
            "page_id": n + 1,
            "type": record["type"],
            "external_id": record["external_id"],
            "countries": record["countries"],
            "themes": record["themes"],
            "organisations": [],
            "status": record.get("status") or record.get("kind"),
            "date": date,
            "year": int(date[:4]),
            "languages": list(record["translations"]),
            "published_at": None,
            "suggest": [t["title"] for t in record["translations"].values()],
        }
        texts = {}
        for code in languages.LANGUAGE_CODES:
            own = record["translations"].get(code, {})
            tags = [country_names[c][code]["pref"] for c in record["countries"] if c in country_names]
            texts[code] = {
                "title": own.get("title", ""),
                "summary": own.get("summary", ""),
                "body": own.get("body", ""),
                "tags": "\n".join(tags),
            }
            for role in TEXT_FIELDS:
                doc[text_field(role, code)] = texts[code][role]
            doc[languages.localized_field("url", code)] = f"/{code}/item-{n + 1}/"
        yield doc, texts


def chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def pipeline_actions(path, vocabulary, timings):
    """Analyse chunk n+1 in the pool while chunk n is sent (as ``rebuild.all_actions``)."""
    from search.documents import PINYIN_FIELD, TEXT_FIELDS, terms_field
    from search.prepare import TextJob, run_later

    def start(chunk):
        return chunk, run_later(
            [TextJob(code, texts) for _doc, by_code in chunk for code, texts in by_code.items()]
        )

    def finish(chunk, pending):
        started = time.perf_counter()
        outcomes = iter(pending())
        timings["analysis"] += time.perf_counter() - started
        for doc, by_code in chunk:
            for code in by_code:
                terms, pinyin, _digest, _packed = next(outcomes)
                for role in TEXT_FIELDS:
                    doc[terms_field(role, code)] = terms[role]
                if pinyin is not None:
                    doc[PINYIN_FIELD] = pinyin
            yield {"_op_type": "index", "_id": doc.pop("_id"), "_source": doc}

    ahead = None
    for chunk in chunks(skeletons(path, vocabulary), CHUNK):
        started = start(chunk)
        if ahead is not None:
            yield from finish(*ahead)
        ahead = started
    if ahead is not None:
        yield from finish(*ahead)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from elasticsearch import helpers

    from bench import corpus
    from search import client, prepare
    from search.indexing import bulk_bytes, create_physical_index

    es = client.get_client().options(request_timeout=300)  # a busy node refreshes slowly
    vocabulary = corpus.Vocabulary(42)
    workdir = Path(tempfile.mkdtemp(prefix="index-bench-"))
    started = time.perf_counter()
    path = corpus.write(workdir, args.size, attachments=False)
    print(f"corpus written in {time.perf_counter() - started:.0f} s ({path.stat().st_size / 1e6:.0f} MB)")
    print(
        f"{args.size} generated items, {prepare.index_workers()} analysis processes, replicas "
        f"{settings.SEARCH_INDEX_REPLICAS}, bulk requests up to {bulk_bytes() // 1024 // 1024} MB"
    )
    try:
        index = create_physical_index(es)
        es.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
        timings = {"analysis": 0.0}
        docs = Finished(workdir / "finished.jsonl", spool=args.size > IN_MEMORY)
        started = time.perf_counter()
        with prepare.parallel_analysis():
            results = helpers.streaming_bulk(
                es.options(request_timeout=300),
                (docs.keep(a) for a in pipeline_actions(path, vocabulary, timings)),
                index=index,
                chunk_size=CHUNK * 4,
                max_chunk_bytes=bulk_bytes(),
                raise_on_error=True,
            )
            collections.deque(results, maxlen=0)  # send everything
        es.indices.refresh(index=index)
        pipeline_s = time.perf_counter() - started

        raw = create_physical_index(es)
        es.indices.put_settings(index=raw, settings={"refresh_interval": "-1"})
        started = time.perf_counter()
        helpers.bulk(es.options(request_timeout=300), docs.actions(), index=raw, chunk_size=CHUNK)
        es.indices.refresh(index=raw)
        raw_s = time.perf_counter() - started
        n = docs.count
        print(
            f"raw helpers.bulk of the finished documents (baseline): {n / raw_s:8.0f} items/s ({raw_s:.1f} s)"
        )
        print(
            f"pipeline (read + analyse in the pool + bulk by size): {n / pipeline_s:8.0f} items/s "
            f"({pipeline_s:.1f} s; waiting for analysis {timings['analysis']:.1f} s)"
        )
        print(f"ratio pipeline / raw bulk: {raw_s / pipeline_s:.2f}")
    finally:
        for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"):
            es.indices.delete(index=name)
        for file in workdir.iterdir():
            file.unlink()
        workdir.rmdir()


class Finished:
    """The finished documents, kept for the baseline: in memory, or spooled to a file as JSON."""

    def __init__(self, path, spool):
        self.path, self.spool, self.count, self.kept = path, spool, 0, []
        self.started = time.perf_counter()
        self.file = path.open("w", encoding="utf-8") if spool else None

    def keep(self, action):
        self.count += 1
        if self.count % 10_000 == 0:  # progress of long runs (100k)
            rate = self.count / (time.perf_counter() - self.started)
            print(f"  pipeline: {self.count} items, {rate:.0f} items/s", flush=True)
        if self.spool:  # the source only: the baseline lets Elasticsearch choose ids
            self.file.write(json.dumps(action["_source"], ensure_ascii=False) + "\n")
        else:
            self.kept.append(action)
        return action

    def actions(self):
        if not self.spool:
            return self.kept
        self.file.close()
        return (line.rstrip("\n") for line in self.path.open(encoding="utf-8"))


if __name__ == "__main__":
    main()
