"""Benchmark the search: rebuild throughput, publish-to-searchable latency, API latency.

    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/search_bench.py            # 10,000 items
    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/search_bench.py --size 2000

Fresh SQLite database in a temporary folder, the generated trilingual corpus of
``bench/corpus.py`` imported with ``import_content``, indices under a private
prefix (deleted at the end). Prints:

- full rebuild items/s, with an empty analysis cache and with a warm one,
  against a raw ``helpers.bulk`` of the same prepared documents into an
  identical index (ratios; the issue's goal is >= 0.5);
- publish-to-searchable latency p50/p95, idle and while a rebuild runs (ratio;
  goal p95 <= 1.5 s during a rebuild);
- ``/api/search/`` latency p50/p95 against the same request body sent
  straight to Elasticsearch (ratio), and against Wagtail's own Elasticsearch
  backend searching the same pages (ratio).
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("大气污染防治", "zh-hans"),
    ("水资源", "zh-hans"),
    ("air pollution", "en"),
    ("renewable energy Almaty", "en"),
    ("загрязнения воздуха", "ru"),
    ("сохранение биоразнообразия", "ru"),
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def setup(size):
    workdir = tempfile.mkdtemp(prefix="search-bench-")
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "bench")  # e.g. scale-dev on a shared node
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"{base}-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    if not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Set ELASTICSEARCH_URL (scripts/elasticsearch start; http://127.0.0.1:9201)")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench import corpus

    call_command("setup_portal", verbosity=0)
    path = corpus.write(workdir, size, attachments=False)
    settings.SEARCH_DRAIN_ON_COMMIT = False  # the import only fills the outbox; the rebuild indexes
    started = time.perf_counter()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"corpus: {size} items (bench/corpus.py) imported in {time.perf_counter() - started:.1f} s")
    settings.SEARCH_DRAIN_ON_COMMIT = True


def bench_rebuild():
    """Rebuild with an empty analysis cache, then with a warm one, against raw ``helpers.bulk``.

    The baseline is what Elasticsearch alone costs: the same prepared
    documents sent by ``helpers.bulk`` into an identical index (no refresh
    while loading), measured in this run.
    """
    from elasticsearch import helpers

    from search import client, rebuild
    from search.indexing import create_physical_index, ensure_index
    from search.models import AnalysedText, IndexTask

    es = client.get_client()
    ensure_index(es)
    IndexTask.objects.all().delete()  # the import's rows: the rebuild covers them
    AnalysedText.objects.all().delete()
    cold = rebuild.rebuild(out=None)
    warm = rebuild.rebuild(out=None)

    started = time.perf_counter()
    docs = list(rebuild.all_actions())
    prepare_s = time.perf_counter() - started
    raw_index = create_physical_index(es)
    es.indices.put_settings(index=raw_index, settings={"refresh_interval": "-1"})
    started = time.perf_counter()
    helpers.bulk(es.options(request_timeout=120), docs, index=raw_index, chunk_size=rebuild.CHUNK)
    es.indices.refresh(index=raw_index)
    raw_s = time.perf_counter() - started
    es.indices.delete(index=raw_index)
    n = len(docs)
    raw_rate = n / raw_s
    print(f"raw helpers.bulk of the prepared docs (baseline): {raw_rate:8.0f} items/s ({raw_s:.1f} s)")
    for name, result in (("rebuild, empty analysis cache", cold), ("rebuild, warm analysis cache", warm)):
        rate = result.items / result.seconds
        ratio = rate / raw_rate
        print(f"{name:33s}: {rate:8.0f} items/s ({result.seconds:.1f} s)  ratio to raw bulk {ratio:.2f}")
    print(f"  (preparing from the warm cache alone: {n / prepare_s:.0f} items/s)")
    return cold


def bench_publish_latency(samples=15, during_rebuild=False):
    """Publish -> found by a search, p50/p95; optionally while a rebuild (cold cache) runs."""
    import threading

    from search import client, rebuild
    from search.models import AnalysedText
    from search.query import SearchRequest, elasticsearch_search
    from search.types import indexed_models

    model = indexed_models()[0]
    pages = list(model.objects.live().order_by("-pk")[:samples])
    done = threading.Event()
    worker = None
    if during_rebuild:
        AnalysedText.objects.all().delete()  # a long rebuild: everything analysed again

        def run():
            try:
                rebuild.rebuild(out=None)
            finally:
                done.set()

        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(2)
    latencies = []
    for i, page in enumerate(pages):
        token = f"zq{uuid.uuid4().hex[:8]}"
        page.title_en = f"Latency probe {token} {i}"
        started = time.perf_counter()
        page.save_revision().publish()  # autocommit: the after-commit drain runs here
        while not elasticsearch_search(SearchRequest(q=token)).total:
            if time.perf_counter() - started > 30:
                raise RuntimeError("not searchable after 30 s")
            time.sleep(0.02)
        latencies.append(time.perf_counter() - started)
    rebuilding = during_rebuild and not done.is_set()
    if worker is not None:
        worker.join()
    assert client.is_available()
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    label = "while a rebuild runs" if during_rebuild else "idle"
    print(
        f"publish-to-searchable ({label}): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"({len(latencies)} publishes{'; the rebuild was still running at the end' if rebuilding else ''})"
    )
    return p95


def bench_api(rounds=30):
    from django.test import Client

    from search import client
    from search.analysis import analyse_query
    from search.query import SearchRequest, build_body

    http = Client()
    es = client.get_client()
    api, raw = [], []
    for _ in range(rounds):
        for q, lang in QUERIES:
            started = time.perf_counter()
            response = http.get("/api/search/", {"q": q, "lang": lang})
            api.append(time.perf_counter() - started)
            assert response.status_code == 200 and response.json()["engine"] == "elasticsearch"
            body = build_body(SearchRequest(q=q, lang=lang), analyse_query(q, lang))
            started = time.perf_counter()
            es.search(index=client.read_alias(), body=body)
            raw.append(time.perf_counter() - started)
    for name, values in (("API /api/search/", api), ("same body straight to ES", raw)):
        p50, p95 = percentile(values, 50) * 1000, percentile(values, 95) * 1000
        print(f"{name:26s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(
        f"ratio API / ES: p50 {percentile(api, 50) / percentile(raw, 50):.2f}, "
        f"p95 {percentile(api, 95) / percentile(raw, 95):.2f}"
    )
    return api


def bench_wagtail_backend(api, rounds=30):
    """Wagtail's Elasticsearch backend over the same pages, configured here only.

    Its default index settings use the asciifolding and (edge_)ngram filters of
    the analysis-common module, which the integration-test node lacks: the
    override keeps its two analyzers but makes them standard tokenizer +
    lowercase, and drops the ngram filter/tokenizer definitions (an empty
    mapping replaces the default in Wagtail's ``deep_update``). Autocomplete
    would then match whole tokens only; ``search()`` is what is timed. The
    indices share the bench prefix, so ``cleanup()`` deletes them.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings
    from wagtail.models import Page

    from search.types import indexed_models

    plain = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]}
    backends = {
        **settings.WAGTAILSEARCH_BACKENDS,
        "wagtail_es": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [settings.ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{settings.ELASTICSEARCH_INDEX_PREFIX}-wagtail-",
            "AUTO_UPDATE": False,
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "analyzer": {"ngram_analyzer": plain, "edgengram_analyzer": plain},
                        "tokenizer": {},
                        "filter": {},
                    }
                }
            },
        },
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        started = time.perf_counter()
        call_command("update_index", backend_name="wagtail_es", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"Wagtail ES backend update_index: {time.perf_counter() - started:.1f} s")
        pages = Page.objects.live().type(*indexed_models())
        wagtail, found = [], {}
        for _ in range(rounds):
            for q, _lang in QUERIES:
                started = time.perf_counter()
                results = list(pages.search(q, backend="wagtail_es", operator="or")[:10])
                wagtail.append(time.perf_counter() - started)
                found[q] = len(results)
    p50, p95 = percentile(wagtail, 50) * 1000, percentile(wagtail, 95) * 1000
    print(f"{'Wagtail ES backend search':26s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(f"  results per query (of 10): {', '.join(f'{q} {n}' for q, n in found.items())}")
    print(
        f"ratio API / Wagtail ES backend: p50 {percentile(api, 50) / percentile(wagtail, 50):.2f}, "
        f"p95 {percentile(api, 95) / percentile(wagtail, 95):.2f}"
    )


def cleanup():
    from django.conf import settings

    from search import client

    es = client.get_client()
    for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"):
        es.indices.delete(index=name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of generated items")
    parser.add_argument("--indexing-only", action="store_true", help="skip the query latency parts")
    args = parser.parse_args()
    setup(args.size)
    try:
        bench_rebuild()
        idle = bench_publish_latency()
        busy = bench_publish_latency(during_rebuild=True)
        print(f"ratio publish-to-searchable p95, during a rebuild / idle: {busy / idle:.2f}")
        if not args.indexing_only:
            api = bench_api()
            bench_wagtail_backend(api)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
