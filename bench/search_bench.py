"""Benchmark the search: rebuild throughput, publish-to-searchable latency, API latency.

    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/search_bench.py            # 10,000 items
    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/search_bench.py --size 2000
    # keep the imported database in a folder and reuse it; only the publish figures:
    ... bench/search_bench.py --size 10000 --keep var/bench-10k --only-publish
    # the query's cost on a database and index that exist (100,000 items on PostgreSQL):
    DATABASE_URL=postgres://…/scale_100k_copy ELASTICSEARCH_INDEX_PREFIX=scale-dev \\
        ... bench/search_bench.py --existing --wagtail-index-only   # once, long: Wagtail's own index
    # an index kept by someone else: Wagtail's own index under your prefix (read-only database session)
    DATABASE_URL=…?options=-c%20default_transaction_read_only%3Don ELASTICSEARCH_INDEX_PREFIX=scale-dev \\
        ... bench/search_bench.py --existing --wagtail-prefix query-100k [--wagtail-index-only]
    # publish-to-searchable while the index is rebuilt (warm analysis cache; it publishes: a copy):
    DATABASE_URL=… ELASTICSEARCH_INDEX_PREFIX=scale-dev ... bench/search_bench.py --existing --only-publish
    # the same with publishes until the swap (150 by default: the first two minutes of the rebuild)
    ... bench/search_bench.py --existing --only-publish --publishes 1000
    DATABASE_URL=… ELASTICSEARCH_INDEX_PREFIX=scale-dev ... bench/search_bench.py --existing

Fresh SQLite database in a temporary folder, the generated trilingual corpus of
``bench/corpus.py`` imported with ``import_content``, indices under a private
prefix (deleted at the end). Prints:

- full rebuild items/s, with an empty analysis cache (cold) and again with it
  filled (warm: a rebuild after a mapping change), against a raw
  ``helpers.bulk`` of the same prepared documents into an identical index;
- publish-to-searchable latency (publish -> after-commit drain -> refresh),
  on a quiet index and while ``manage.py search_index rebuild`` runs in another
  process (p95 against the quiet p95);
- ``/api/search/`` latency p50/p95 against the same request body sent
  straight to Elasticsearch (ratio);
- the query's cost (issue 14: at most 2x): the portal's request body against
  the request Wagtail's own Elasticsearch backend sends for the same queries
  over the same pages, both sent by the same client, interleaved, in several
  rounds: the node's ``took`` and the round trip, each round's ratio
  (:func:`bench_query_cost`).
"""

import argparse
import json
import os
import statistics
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


def setup(size, keep=None):
    workdir = keep or tempfile.mkdtemp(prefix="search-bench-")
    os.makedirs(workdir, exist_ok=True)
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "bench"  # the team's prefix, if given
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"{base}-bench-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    if not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Set ELASTICSEARCH_URL (scripts/elasticsearch start; http://127.0.0.1:9201)")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.corpus import generate
    from search.types import indexed_models

    if keep and (Path(workdir) / "portal.sqlite3").exists():
        # Set up when it was imported: only new migrations (setup_portal saves every page's URL path).
        call_command("migrate", verbosity=0)
        if sum(model.objects.count() for model in indexed_models()) >= size:
            print(f"corpus: reusing the database in {workdir}")
            return
    call_command("setup_portal", verbosity=0)
    records = list(generate(size))
    path = Path(workdir) / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    settings.SEARCH_DRAIN_ON_COMMIT = False  # the import only fills the outbox; the rebuild indexes
    started = time.perf_counter()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"corpus: {len(records)} items imported in {time.perf_counter() - started:.1f} s")
    settings.SEARCH_DRAIN_ON_COMMIT = True


def setup_existing(need_index=True):
    """Use ``DATABASE_URL`` and the index under ``ELASTICSEARCH_INDEX_PREFIX`` as they are (``--existing``).

    At 100,000 items an import and a rebuild take most of an hour: the query's
    cost is then measured on a copy of the imported database and the index a
    ``search_index rebuild`` made of it. Nothing of the portal's is written;
    Wagtail's own index of the same pages is kept under the prefix
    (``PREFIX-wagtail-*``) for the next run.
    """
    if not (os.environ.get("DATABASE_URL") and os.environ.get("ELASTICSEARCH_INDEX_PREFIX")):
        sys.exit("--existing reads DATABASE_URL and ELASTICSEARCH_INDEX_PREFIX: set both")
    if not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Set ELASTICSEARCH_URL (scripts/elasticsearch start; http://127.0.0.1:9201)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from search import client
    from search.types import indexed_models

    items = sum(model.objects.live().count() for model in indexed_models())
    es = client.get_client()
    if not need_index:  # --wagtail-index-only: Wagtail's index is made from the database alone
        print(f"existing: {items} live items in the database")
        return
    if not es.indices.exists_alias(name=client.read_alias()):
        sys.exit(f"No index {client.read_alias()}: run manage.py search_index rebuild with this prefix first")
    indexed = es.count(index=client.read_alias())["count"]
    print(f"existing: {items} live items in the database, {indexed} documents in {client.read_alias()}")


def bench_rebuild():
    from elasticsearch import helpers

    from search import client, rebuild
    from search.indexing import create_physical_index, ensure_index
    from search.models import IndexTask
    from search.prepare import index_niceness

    es = client.get_client().options(request_timeout=300)  # a busy node refreshes slowly
    ensure_index(es)
    IndexTask.objects.all().delete()  # the import's rows: the rebuild covers them
    result = rebuild.rebuild(out=None)  # cold: every text analysed
    rebuild_rate = result.items / result.seconds
    warm = rebuild.rebuild(out=None)  # warm: the analysis cache filled (after a mapping change)
    warm_rate = warm.items / warm.seconds

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
    print(f"load average {os.getloadavg()[0]:.1f}; the analysis processes' niceness {index_niceness()}")
    print(f"rebuild, cold cache (analyse + bulk + swap): {rebuild_rate:7.0f} items/s ({result.seconds:.0f}s)")
    print(f"rebuild, warm cache:                         {warm_rate:8.0f} items/s ({warm.seconds:.1f} s)")
    print(f"  preparing documents alone, warm, 1 process: {n / prepare_s:8.0f} items/s ({prepare_s:.1f} s)")
    print(f"raw helpers.bulk of the same prepared docs:  {n / raw_s:8.0f} items/s ({raw_s:.1f} s)")
    print(
        f"ratio rebuild / raw bulk throughput: cold {rebuild_rate / (n / raw_s):.2f}, "
        f"warm {warm_rate / (n / raw_s):.2f}"
    )


def index_once():
    """The corpus in a fresh index, without timing it (``--only-search``: the query's figures only)."""
    from search import client, rebuild
    from search.indexing import ensure_index
    from search.models import IndexTask

    ensure_index(client.get_client().options(request_timeout=300))
    IndexTask.objects.all().delete()  # the import's rows: the rebuild covers them
    result = rebuild.rebuild(out=None)
    print(f"index: {result.items} items in {result.seconds:.0f} s")


def bench_publish_latency(samples=15):
    """Publish-to-searchable on a quiet index (the baseline of the figure during a rebuild)."""
    from search import client
    from search.types import indexed_models

    pages = indexed_models()[0].objects.live().order_by("-pk")[:samples]
    latencies = [_probe(page, "Latency probe") for page in pages]
    assert client.is_available()
    print(
        f"publish-to-searchable: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"({len(latencies)} publishes)"
    )
    print_stages("stages, quiet")
    return latencies


STAGES = {}  # stage -> [seconds]: where publish-to-searchable goes


def _probe(page, label):
    """Publish ``page`` under a new unique word; seconds until a search finds it.

    Also notes the seconds of each stage in :data:`STAGES`: the publish itself
    (save_revision + publish: Wagtail, the outbox row), the after-commit drain
    (document, bulk request, refresh) and the rest until a search finds it.
    """
    from search import indexing
    from search.query import SearchRequest, elasticsearch_search

    token = f"zq{uuid.uuid4().hex[:8]}"
    page.title_en = f"{label} {token}"
    marks = {}
    real_drain = indexing.drain_after_commit

    def timed_drain():
        marks["drain"] = time.perf_counter()
        real_drain()
        marks["drained"] = time.perf_counter()

    indexing.drain_after_commit = timed_drain
    started = time.perf_counter()
    try:
        page.save_revision().publish()  # autocommit: the after-commit drain runs here
    finally:
        indexing.drain_after_commit = real_drain
    while not elasticsearch_search(SearchRequest(q=token)).total:
        if time.perf_counter() - started > 30:
            raise RuntimeError(f"{token} not searchable after 30 s")
        time.sleep(0.02)
    found = time.perf_counter()
    drain, drained = marks.get("drain", found), marks.get("drained", found)
    stages = {"publish": drain - started, "drain": drained - drain, "found": found - drained}
    for stage, seconds in stages.items():
        STAGES.setdefault(stage, []).append(seconds)
    return found - started


def print_stages(heading):
    """p50/p95 of each stage of the probes since the last call (then forgets them)."""
    parts = [
        f"{stage} p50 {statistics.median(v) * 1000:.0f} / p95 {percentile(v, 95) * 1000:.0f} ms"
        for stage, v in STAGES.items()
    ]
    print(f"  {heading}: " + "; ".join(parts))
    STAGES.clear()


def bench_publish_during_rebuild(baseline, cold=True, samples=400):
    """Publish-to-searchable while ``manage.py search_index rebuild`` runs in another process.

    The rebuild starts with an empty analysis cache (the worst case: every text
    analysed again, by a pool on every core) and publishes go on every 0.3 s
    from this process, as editors' requests would, until it has swapped the
    aliases. Printed against the quiet publishes measured just before. With
    ``cold=False`` (``--existing``: 100,000 items) the analysis cache is kept: a
    rebuild after a mapping change, half an hour at that size instead of hours.
    """
    import subprocess

    from search.models import AnalysedText
    from search.types import indexed_models

    if cold:
        AnalysedText.objects.all().delete()
    pages = list(indexed_models()[0].objects.live()[:samples])
    rebuild = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "search_index", "rebuild"],
        stdout=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    latencies, started = [], time.perf_counter()
    try:
        time.sleep(2)  # the rebuild is loading the new index
        while rebuild.poll() is None and len(latencies) < len(pages):
            latencies.append(_probe(pages[len(latencies)], "During rebuild"))
            time.sleep(0.3)
        if rebuild.poll() is None:  # the figure, before the wait for the swap (half an hour at 100k)
            p50, p95 = statistics.median(latencies), percentile(latencies, 95)
            print(
                f"publish-to-searchable while the rebuild runs, {len(latencies)} publishes in "
                f"{time.perf_counter() - started:.0f} s: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms; "
                f"p95 {p95 / percentile(baseline, 95):.1f}x the quiet p95 (waiting for the swap…)",
                flush=True,
            )
    finally:
        rebuild.wait()
    if rebuild.returncode:
        raise RuntimeError(f"the rebuild failed ({rebuild.returncode})")
    # Once more after the swap: the pages published meanwhile are in the new index.
    missing = [p.pk for p in pages[: len(latencies)] if not _found_by_title(p)]
    p50, p95 = statistics.median(latencies), percentile(latencies, 95)
    print(
        f"publish-to-searchable during a rebuild ({time.perf_counter() - started:.0f} s, "
        f"{len(latencies)} publishes): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms; p95 {p95 / percentile(baseline, 95):.1f}x the quiet p95; "
        f"missing after the swap: {len(missing)}"
    )
    print_stages("stages, during the rebuild")


def _found_by_title(page):
    from search.query import SearchRequest, elasticsearch_search

    token = page.title_en.split()[-1]
    return elasticsearch_search(SearchRequest(q=token)).total > 0


def bench_api(rounds=10):
    """``/api/search/`` against the same request body sent straight to the node (Python's share)."""
    from django.test import Client, override_settings

    from search import client
    from search.analysis import analyse_query
    from search.query import SearchRequest, build_bodies, send

    http = Client()
    es = client.get_client()
    api, raw = [], []
    # Every round asks the engine: no kept answers (they would time a cache, not the query) and
    # no rate limit (it is for partners' systems, not for one bench asking 240 questions).
    with override_settings(API_RATE_LIMIT=None, PAGE_CACHE_SEARCH_SECONDS=0, CONTENT_MEMO_SECONDS=0):
        for _ in range(rounds):
            for q, lang in QUERIES:
                started = time.perf_counter()
                response = http.get("/api/search/", {"q": q, "lang": lang})
                api.append(time.perf_counter() - started)
                assert response.status_code == 200 and response.json()["engine"] == "elasticsearch"
                bodies = build_bodies(SearchRequest(q=q, lang=lang), analyse_query(q, lang))
                started = time.perf_counter()
                send(es, bodies)  # as the API sends them: the counts request cached by the node
                raw.append(time.perf_counter() - started)
    for name, values in (("API /api/search/", api), ("same bodies straight to ES", raw)):
        p50, p95 = percentile(values, 50) * 1000, percentile(values, 95) * 1000
        print(f"{name:26s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(
        f"ratio API / ES: p50 {percentile(api, 50) / percentile(raw, 50):.2f}, "
        f"p95 {percentile(api, 95) / percentile(raw, 95):.2f}"
    )


# --wagtail-prefix: Wagtail's own index under another prefix than the portal's (``--existing`` on an
# index someone else keeps: its prefix is theirs to write in, not the bench's).
WAGTAIL_PREFIX = ""


def wagtail_backend():
    """Wagtail's Elasticsearch backend over the same pages, configured here only (its settings).

    Its default index settings use the asciifolding and (edge_)ngram filters of
    the analysis-common module, which the integration-test node lacks: the
    override keeps its two analyzers but makes them standard tokenizer +
    lowercase, and drops the ngram filter/tokenizer definitions (an empty
    mapping replaces the default in Wagtail's ``deep_update``). Autocomplete
    would then match whole tokens only; ``search()`` is what is timed. The
    indices share the bench prefix, so ``cleanup()`` deletes them.
    """
    from django.conf import settings

    plain = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]}
    return {
        **settings.WAGTAILSEARCH_BACKENDS,
        "wagtail_es": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [settings.ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{WAGTAIL_PREFIX or settings.ELASTICSEARCH_INDEX_PREFIX}-wagtail-",
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


def wagtail_requests(pages, size=10):
    """``{query: kwargs}``: the request Wagtail's ``search()`` sends to the node for each query.

    Caught once at the client call, so it can be sent again as is beside the
    portal's body: both sides are then one request from the same client, and
    neither counts what the other does not (Wagtail's page fetch from the
    database, the portal's Python analysis).
    """
    from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchResults

    sent, real = {}, Elasticsearch8SearchResults._backend_do_search

    def catch(self, body, **kwargs):
        sent["request"] = {**body, **kwargs}
        return real(self, body, **kwargs)

    out = {}
    Elasticsearch8SearchResults._backend_do_search = catch
    try:
        for q, _lang in QUERIES:
            found = len(list(pages.search(q, backend="wagtail_es", operator="or")[:size]))
            out[q] = sent.pop("request")
            print(f"  Wagtail: {found} of {size} results for {q!r}")
    finally:
        Elasticsearch8SearchResults._backend_do_search = real
    return out


def wagtail_counts(pages):
    """``{query: kwargs}``: the count request Wagtail's search page sends before its page of hits.

    A search page built on Wagtail (its project template's view) pages the
    results with Django's ``Paginator``, whose ``count`` is a ``_count``
    request to the node: the total the page shows and its page links need.
    """
    out = {}
    for q, _lang in QUERIES:
        results = pages.search(q, backend="wagtail_es", operator="or")
        index = results.backend.get_index_for_model(results.query_compiler.queryset.model).name
        out[q] = {"index": index, "body": results._get_es_body(for_count=True)}
    return out


def portal_bodies():
    """``{query: {"hits": body, "counts": body}}``: what ``/api/search/`` sends for each of the QUERIES."""
    from search.analysis import analyse_query
    from search.query import SearchRequest, build_bodies

    return {q: build_bodies(SearchRequest(q=q, lang=lang), analyse_query(q, lang)) for q, lang in QUERIES}


def ranked_ids(bodies):
    """The portal's hits request cut to the job Wagtail's request does: the first hits' ids, in order.

    No facets, stored text or total: what the portal's ranking alone costs,
    beside what its page shows (the words are marked in Python,
    ``search.marking``: the body asks for no highlights).
    """
    body = bodies["hits"]
    keep = ("query", "rescore", "sort", "from", "size", "track_total_hits")
    return {"hits": {**{key: body[key] for key in keep if key in body}, "_source": False}}


# The parts of the portal's requests besides the ranking, each left out in turn (what each costs):
# {request: {key: None (left out) or a value}}; a request mapped to None is not sent.
PARTS = {
    "facets and total": {"counts": None},
    "hits' text": {"hits": {"_source": False}},
    "rescore": {"hits": {"rescore": None, "sort": None}},
}


def without(bodies, changes):
    """``bodies`` (per query, per request) with :data:`PARTS`' ``changes`` made."""
    out = {}
    for q, requests in bodies.items():
        out[q] = {}
        for name, body in requests.items():
            if name in changes and changes[name] is None:
                continue
            change = changes.get(name, {})
            body = {key: value for key, value in body.items() if change.get(key, ...) is not None}
            out[q][name] = {**body, **{key: value for key, value in change.items() if value is not None}}
    return out


class Side:
    """One kind of request timed in :func:`bench_query_cost`: node ``took`` and round trip, per round."""

    def __init__(self, name, send):
        self.name, self.send = name, send
        self.took, self.trip = [], []  # [[ms per request] per round]

    def run(self, q):
        started = time.perf_counter()
        took = self.send(q)
        self.trip[-1].append((time.perf_counter() - started) * 1000)
        if took is not None:
            self.took[-1].append(took)

    def all(self, kind):
        return [v for values in getattr(self, kind) for v in values]

    def fastest(self):
        """Each query's fastest round trip over every round, summed: the cost with the least of the load."""
        per_query = [[] for _ in QUERIES]
        for values in self.trip:
            for i, ms in enumerate(values):
                per_query[i % len(QUERIES)].append(ms)
        return sum(min(values) for values in per_query)


def wagtail_index(build):
    """Wagtail's own index of the pages: built by ``update_index`` (timed), or reused when ``build`` is False.

    Reused only when it holds every live indexed page: a half-built one would
    make Wagtail's side cheaper than it is.
    """
    from django.core.management import call_command
    from wagtail.models import Page

    from search import client
    from search.types import indexed_models

    es = client.get_client()
    name = f"{wagtail_backend()['wagtail_es']['INDEX_PREFIX']}wagtailcore_page"
    pages = Page.objects.live().type(*indexed_models()).count()
    if not build and es.indices.exists(index=name):
        es.indices.refresh(index=name)
        held = es.count(index=name)["count"]
        if held >= pages:
            print(f"Wagtail ES backend: reusing {name} ({held} documents)")
            return
        print(f"Wagtail ES backend: {name} holds {held} of {pages} pages: building it again")
    started = time.perf_counter()
    call_command("update_index", backend_name="wagtail_es", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"Wagtail ES backend update_index: {pages} pages in {time.perf_counter() - started:.1f} s")


def bench_query_cost(rounds=4, repeats=3, build_wagtail=True):
    """The portal's search request against Wagtail's on the same pages, on the same node (issue 14).

    The figure the target is read on (at most 2x, p50) is the node's own
    ``took`` for the portal's whole request body (first pass, rescore, facets,
    the hits' source) against Wagtail's request; the round trip of
    each from the same client is printed beside it. Both sides are warmed
    once, then asked the same queries interleaved, in an order that alternates
    from round to round, so a change of the machine's load weighs on both;
    each round's ratio is printed, so the spread is seen, with the load.
    Wagtail's whole ``search()`` (its query built in Python and the pages read
    from the database) was the earlier baseline: printed too; so is the
    portal's body cut to Wagtail's job (:func:`ranked_ids`), which tells the
    ranking's cost from the facets' and the hits' text.

    Two Wagtail baselines, each ratio printed: its bare request (ten ids, no
    total: what one ``search()[:10]`` sends), and its search page doing the
    page's job the portal's body does in one request: the total (the
    ``_count`` its ``Paginator`` sends) and the same number of hits. The
    portal's body also computes the facets, which Wagtail's page does not
    show (the words are marked in Python: ``API /api/search/`` above counts it).
    """
    from django.test import override_settings
    from wagtail.models import Page

    from search import client
    from search.params import DEFAULT_PAGE_SIZE as PAGE_SIZE  # the portal's page: its body asks as many
    from search.query import send
    from search.types import indexed_models

    es = client.get_client()
    with override_settings(WAGTAILSEARCH_BACKENDS=wagtail_backend()):
        wagtail_index(build_wagtail)
        pages = Page.objects.live().type(*indexed_models())
        wagtail = wagtail_requests(pages)
        page_hits = wagtail_requests(pages, size=PAGE_SIZE)
        counts = wagtail_counts(pages)
        bodies = portal_bodies()
        with override_settings(SEARCH_RESCORE_WINDOW=0):  # the whole ranking query on every match
            heavy = portal_bodies()

        def portal(sent, request_cache=False):  # both requests in one _msearch, as the page sends them
            return lambda q: send(es, sent[q], request_cache=request_cache)[1]

        def wagtail_search(q):
            list(pages.search(q, backend="wagtail_es", operator="or")[:10])

        def wagtail_page(q):  # the total, then the page's hits: what its Paginator asks
            es.count(**counts[q])  # a _count is kept in the node's request cache (size 0): as sent
            return es.search(**page_hits[q], request_cache=False)["took"]

        def wagtail_page_uncached(q):  # the same, its count computed every time
            counted = {**counts[q]["body"], "size": 0, "track_total_hits": True}
            es.search(index=counts[q]["index"], body=counted, request_cache=False)
            return es.search(**page_hits[q], request_cache=False)["took"]

        sides = [
            Side("portal body", portal(bodies, request_cache=None)),
            Side("Wagtail's request", lambda q: es.search(**wagtail[q], request_cache=False)["took"]),
            Side(f"Wagtail's page (count + {PAGE_SIZE} hits)", wagtail_page),
            Side("portal, nothing cached", portal(bodies)),
            Side("Wagtail's page, count not cached", wagtail_page_uncached),
            Side("  portal, Wagtail's job only", portal({q: ranked_ids(b) for q, b in bodies.items()})),
            Side("  portal, no first pass", portal(heavy)),
            Side("  Wagtail's search() + pages", wagtail_search),
            *(Side(f"  portal without {part}", portal(without(bodies, cut))) for part, cut in PARTS.items()),
        ]
        for side in sides:  # warm both sides equally: every query once, untimed
            side.trip.append([]), side.took.append([])
            for q, _lang in QUERIES:
                side.run(q)
            side.trip.clear(), side.took.clear()
        loads = []
        for number in range(rounds):
            for side in sides:
                side.trip.append([]), side.took.append([])
            order = sides if number % 2 == 0 else sides[::-1]
            for _ in range(repeats):
                for q, _lang in QUERIES:
                    for side in order:
                        side.run(q)
            loads.append(os.getloadavg()[0])
    print_query_cost(sides, rounds, repeats, loads)


def print_query_cost(sides, rounds, repeats, loads):
    print(
        f"query cost, {rounds} rounds x {repeats} x {len(QUERIES)} queries, sides interleaved "
        f"(load average {min(loads):.1f}-{max(loads):.1f}):"
    )
    print(f"{'':32s}{'took p50':>9}{'p95':>7}{'round trip p50':>16}{'p95':>8}  (ms)")
    for side in sides:
        took = side.all("took")
        line = f"{side.name:32s}"
        line += f"{percentile(took, 50):9.0f}{percentile(took, 95):7.0f}" if took else f"{'':16s}"
        trip = side.all("trip")
        print(line + f"{percentile(trip, 50):16.1f}{percentile(trip, 95):8.1f}")
    print(
        "(the page's took is its search's: a _count answer carries none; a took of 0 ms counts as 1;"
        " the portal's took is its _msearch's, both requests)"
    )
    # The portal's page and Wagtail's, each as sent (the node keeps a size-0 request's answer:
    # Wagtail's _count, the portal's counts request), then both with nothing kept.
    for portal, wagtail in ((sides[0], sides[1]), (sides[0], sides[2]), (sides[3], sides[4])):
        for kind, label in (("took", "took on the node"), ("trip", "round trip")):
            floor = 1 if kind == "took" else 1e-9  # took is in whole ms: Wagtail's is often 0
            per_round = [
                percentile(mine, 50) / max(percentile(theirs, 50), floor)
                for mine, theirs in zip(getattr(portal, kind), getattr(wagtail, kind), strict=True)
            ]
            p95 = percentile(portal.all(kind), 95) / max(percentile(wagtail.all(kind), 95), floor)
            print(
                f"ratio {portal.name} / {wagtail.name}, {label}: p50 {statistics.median(per_round):.2f} "
                f"(rounds {min(per_round):.2f}-{max(per_round):.2f}), p95 {p95:.2f}"
            )
        # On a shared machine a request's round trip is mostly the others' load;
        # its fastest over every round is nearest what it costs itself.
        mine, theirs = portal.fastest(), wagtail.fastest()
        print(
            f"ratio {portal.name} / {wagtail.name}, each query's fastest round trip, summed: "
            f"{mine / theirs:.2f} ({mine:.1f} / {theirs:.1f} ms)"
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
    parser.add_argument("--only-indexing", action="store_true", help="skip the query latency figures")
    parser.add_argument(
        "--only-search", action="store_true", help="skip the publish latencies (a query-side change)"
    )
    parser.add_argument("--only-publish", action="store_true", help="only publish-to-searchable")
    parser.add_argument("--only-rebuild", action="store_true", help="only the rebuild against raw bulk")
    parser.add_argument("--keep", metavar="DIR", help="keep the imported database in DIR (reused if there)")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="only the query's cost, on DATABASE_URL and the index of ELASTICSEARCH_INDEX_PREFIX as they are",
    )
    parser.add_argument(
        "--wagtail-index-only",
        action="store_true",
        help="with --existing: (re)build Wagtail's own index of the pages and stop (long at 100,000 items)",
    )
    parser.add_argument(
        "--wagtail-prefix",
        metavar="PREFIX",
        help="with --existing: Wagtail's own index under PREFIX-wagtail-* (default: the portal's prefix)",
    )
    parser.add_argument(
        "--publishes",
        type=int,
        default=150,
        metavar="N",
        help="with --existing --only-publish: up to N publishes during the rebuild (1000 covers all of it)",
    )
    args = parser.parse_args()
    global WAGTAIL_PREFIX
    WAGTAIL_PREFIX = args.wagtail_prefix or ""
    if sum([args.only_indexing, args.only_search, args.only_publish, args.only_rebuild]) > 1:
        parser.error("--only-indexing, --only-search, --only-publish and --only-rebuild exclude each other")
    if args.wagtail_index_only and not args.existing:
        parser.error("--wagtail-index-only goes with --existing")
    if args.existing:
        setup_existing(need_index=not args.wagtail_index_only)
        from django.test import override_settings

        if args.wagtail_index_only:
            with override_settings(WAGTAILSEARCH_BACKENDS=wagtail_backend()):
                wagtail_index(build=True)
        elif args.only_publish:  # publishes, then a rebuild of the whole index under them: a copy only
            bench_publish_during_rebuild(bench_publish_latency(), cold=False, samples=args.publishes)
        else:
            bench_query_cost(build_wagtail=False)
        return
    setup(args.size, args.keep)
    try:
        if args.only_rebuild:
            bench_rebuild()
            return
        if args.only_publish:
            from search.models import IndexTask

            IndexTask.objects.all().delete()  # the import's rows: the rebuild covers them
            bench_publish_during_rebuild(bench_publish_latency())
            return
        if args.only_search:  # one rebuild to search in, not the indexing figures
            index_once()
        else:
            bench_rebuild()
        if not args.only_search:
            quiet = bench_publish_latency()
            bench_publish_during_rebuild(quiet)
        if not args.only_indexing:
            bench_api()
            bench_query_cost()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
