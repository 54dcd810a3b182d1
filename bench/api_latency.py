"""Latency of the partners' API (/api/v1/) for 100-item pages, against a plain ORM query.

    .venv/bin/python bench/api_latency.py              # 10,000 items (bench/corpus.py)
    .venv/bin/python bench/api_latency.py --size 2000 --rounds 50

Builds a fresh SQLite database in a temporary folder with the generated
trilingual corpus, loaded through the import pipeline (manage.py
import_content), then requests 100-item pages of each content list through
Django's test client (the whole stack: middleware, rate limit off, JSON,
ETag) and prints p50/p95 in milliseconds, with the ratio to the baseline: the
same page read with a plain ORM query (``list(Model.objects.live()
.order_by(...)[offset:offset + 100])``), no serialisation.

Then the cost of a conditional GET answered 304 (If-None-Match) against the
200 it replaces (goal: at most a tenth), and the streamed exports: time and
the peak of Python memory (tracemalloc) while the whole CSV is read.
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


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30, help="requests per list (pages cycled)")
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="api-bench-")
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, models
    from django.test import Client

    from api.resources import resources
    from bench.corpus import generate

    settings.API_RATE_LIMIT = None
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"Database: {connection.settings_dict['NAME']}")
    call_command("setup_portal", verbosity=0)
    records = list(generate(args.size))
    path = Path(workdir) / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    started = time.perf_counter()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"imported {len(records)} items in {time.perf_counter() - started:.0f} s")

    client = Client()
    n = args.page_size
    print(f"{'list':<12}{'items':>7}  {'API p50':>8} {'p95':>8}   {'ORM p50':>8} {'p95':>8}   ratio p50")
    for name, res in resources().items():
        if not hasattr(res, "type"):
            continue
        model = res.model
        total = model.objects.live().count()
        pages = max(1, total // n)
        api_times, orm_times = [], []
        client.get(f"/api/v1/{name}/", {"page_size": n})  # warm caches (site roots, content types)
        for i in range(args.rounds):
            page = i % pages + 1
            t = time.perf_counter()
            response = client.get(f"/api/v1/{name}/", {"page_size": n, "page": page, "lang": "en"})
            api_times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.content[:300]
            assert len(response.json()["results"]) == min(n, total)
            t = time.perf_counter()
            list(
                model.objects.live().order_by(
                    models.F(model.type_options.listing_date).desc(nulls_last=True), "-pk"
                )[(page - 1) * n : page * n]
            )
            orm_times.append((time.perf_counter() - t) * 1000)
        a50, a95 = percentile(api_times, 50), percentile(api_times, 95)
        o50, o95 = percentile(orm_times, 50), percentile(orm_times, 95)
        print(f"{name:<12}{total:>7}  {a50:8.1f} {a95:8.1f}   {o50:8.1f} {o95:8.1f}   {a50 / o50:6.1f}x")
    conditional_get(client, args.rounds, n)
    for fmt in ("csv", "xml"):
        export(client, fmt)


def conditional_get(client, rounds, n):
    """p50/p95 of a 304 (If-None-Match) against the 200 of the same page."""
    url, params = "/api/v1/projects/", {"page_size": n, "lang": "en"}
    full, revalidated = [], []
    etag = client.get(url, params)["ETag"]
    for _ in range(rounds):
        t = time.perf_counter()
        assert client.get(url, params).status_code == 200
        full.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert client.get(url, params, HTTP_IF_NONE_MATCH=etag).status_code == 304
        revalidated.append((time.perf_counter() - t) * 1000)
    f50, f95 = percentile(full, 50), percentile(full, 95)
    r50, r95 = percentile(revalidated, 50), percentile(revalidated, 95)
    print(f"projects page: 200 p50 {f50:.1f} p95 {f95:.1f} ms; 304 p50 {r50:.1f} p95 {r95:.1f} ms", end="")
    print(f"; ratio p50 {r50 / f50:.3f}, p95 {r95 / f95:.3f}")


def export(client, fmt):
    """Time and peak Python memory of reading one whole streamed export."""
    import tracemalloc

    tracemalloc.start()
    t = time.perf_counter()
    response = client.get(f"/api/v1/projects/export.{fmt}")
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - t
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"export.{fmt} of every project: {seconds:.1f} s, {size / 1e6:.1f} MB streamed, "
        f"peak Python memory {peak / 1e6:.1f} MB (status {response.status_code})"
    )


if __name__ == "__main__":
    main()
