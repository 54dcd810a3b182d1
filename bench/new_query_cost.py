"""The node's cost of searches nobody asked before, on an existing index (issue 14).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5433/serve_bench \\
    ELASTICSEARCH_URL=http://127.0.0.1:9201 ELASTICSEARCH_INDEX_PREFIX=serve-dev-10k \\
        .venv/bin/python bench/new_query_cost.py

Reads a database and its index as they are (the 10,000 or 100,000 items of
the scale benchmarks; nothing is written). The queries are ``bench/load.py``'s
``search-new`` mix: two of its words, each pair once, in the three languages
in turn. A query's first request is what a reader waits for: the node caches
no scored search (a ``size`` > 0 request skips its request cache), so each
request is sent once, the request cache off, the kinds interleaved in an
order that alternates from query to query (a later one reads postings an
earlier one brought into memory). The kinds, each what ``/api/search/``
sends (``search.query.build_bodies``, in one ``_msearch``: the hits request
and the counts request, the total and the facets):

- ``relevance``: the first pass and the rescore of its best matches, the
  counts apart;
- ``relevance, one``: the same as one request, as the portal sent it before
  (the facets and an exact total beside the hits: the node scored every match);
- ``by date``: the first pass alone, in date order, the counts apart;
- ``by date, before``: the baseline of the round before: the whole ranking
  query on every match, in date order, with the facets and the total.

Prints each kind's matches (median), the node's ``took`` and the round trip
(p50 / p95 / sum), the ratio of each baseline to its kind, and the load.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import percentile  # noqa: E402  (the query-cost bench's nearest-rank percentile)

LANGS = ("en", "ru", "zh-hans")


def new_queries(limit):
    """``[(q, lang)]``: two of ``bench/load.py``'s words, each ordered pair once, languages in turn."""
    from bench.load import QUERIES

    pairs = [(a, b) for a in QUERIES for b in QUERIES if a != b]
    queries = [(f"{a} {b}", LANGS[i % len(LANGS)]) for i, (a, b) in enumerate(pairs)]
    return queries[:limit] if limit else queries


def one_request(bodies):
    """The two requests as one body, as the portal sent a search before (hits, exact total, facets)."""
    return {"one": {**bodies["hits"], "aggs": bodies["counts"]["aggs"], "track_total_hits": True}}


def bodies(q, lang):
    """``{kind: {request: body}}`` for one query (see the module docstring)."""
    from search import ranking
    from search.analysis import analyse_query
    from search.query import SearchRequest, build_bodies

    aq = analyse_query(q, lang)
    relevance = build_bodies(SearchRequest(q=q, lang=lang), aq)
    by_date = build_bodies(SearchRequest(q=q, lang=lang, sort="date"), aq)
    whole = ranking.text_query(aq).to_dict()
    return {
        "relevance": relevance,
        "relevance, one": one_request(relevance),
        "by date": by_date,
        "by date, before": one_request(
            {
                "hits": {**by_date["hits"], "query": whole},
                "counts": by_date["counts"],
            }
        ),
    }


class Kind:
    """One kind of request: took, round trip and matches, one each per query."""

    def __init__(self, name):
        self.name, self.took, self.trip, self.matched = name, [], [], []

    def send(self, es, bodies):
        from search.query import send

        started = time.perf_counter()
        responses, took = send(es, bodies, request_cache=False)
        self.trip.append((time.perf_counter() - started) * 1000)
        self.took.append(took)
        counted = responses.get("counts") or responses["one"]
        self.matched.append(counted["hits"]["total"]["value"])

    def line(self):
        took, trip = self.took, self.trip
        return (
            f"{self.name:18s} {statistics.median(self.matched):9.0f} {percentile(took, 50):9.0f}"
            f" {percentile(took, 95):6.0f} {percentile(trip, 50):9.1f} {percentile(trip, 95):7.1f}"
            f" {sum(trip):9.0f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--queries", type=int, default=0, help="the first N queries of the mix (default: all 90)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from search import client

    es, index = client.get_client(), client.read_alias()
    queries = new_queries(args.queries)
    print(f"{len(queries)} queries never asked before, on {index} ({es.count(index=index)['count']} items)")
    kinds = {name: Kind(name) for name in ("relevance", "relevance, one", "by date", "by date, before")}
    loads = []
    for number, (q, lang) in enumerate(queries):
        sent = list(bodies(q, lang).items())
        for name, requests in sent if number % 2 == 0 else sent[::-1]:
            kinds[name].send(es, requests)
        loads.append(os.getloadavg()[0])
        if (number + 1) % 15 == 0:
            print(f"  {number + 1} of {len(queries)}", flush=True)
    print(f"(load average {min(loads):.1f}-{max(loads):.1f})")
    print(
        f"{'':18s} {'matched':>9} {'took p50':>9} {'p95':>6} {'trip p50':>9} {'p95':>7} {'trip sum':>9}  (ms)"
    )
    for kind in kinds.values():
        print(kind.line())
    for now, before in (("relevance", "relevance, one"), ("by date", "by date, before")):
        now, before = kinds[now], kinds[before]
        took = percentile(before.took, 50) / max(percentile(now.took, 50), 1)  # took is in whole ms
        print(
            f"ratio {before.name} / {now.name}: took p50 {took:.2f}, round trip p50"
            f" {percentile(before.trip, 50) / percentile(now.trip, 50):.2f},"
            f" p95 {percentile(before.trip, 95) / percentile(now.trip, 95):.2f},"
            f" summed {sum(before.trip) / sum(now.trip):.2f}"
        )


if __name__ == "__main__":
    main()
