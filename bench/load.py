"""Load test: concurrent clients against a running portal (stdlib only).

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --clients 20 --duration 60

Each client loops over a mix of requests: the home pages, section lists,
detail pages (found from the lists), country pages, the search page and the
search API, with queries in the three languages, and 100-project pages of the
partners' API (/api/v1/projects/?page_size=100). Prints requests/s, latency
p50/p95/p99 per kind and overall, and every error (non-2xx/3xx status or
failed connection). Exit status 1 if there were errors.

Each client sends an ``X-Forwarded-For`` address of its own, as the proxy in
front of production would: start the portal with ``PORTAL_PROXY_COUNT=1`` so
the API's rate limit (120 requests a minute per address) counts each
simulated reader apart, as it would count real ones. ``--readers-per-client N``
lets each connection stand for N readers (its requests take their addresses in
turn): a real reader does not ask six API pages a second, which one simulated
client at full speed does, and the limit would answer 429 as it should.

First, one client alone asks for each kind the issue sets a target for
(home, list, detail, search pages p50 <= 50 ms warm; the 100-project API
page p95 <= 150 ms), each path once untimed and then timed, and prints
p50/p95 against a static file measured the same way.

Baseline, measured first in the same run with the same clients: a static file
served by the app itself (WhiteNoise), the cheapest request the portal
answers; every figure is also printed as a ratio to it. ``--static`` names the
file (default: the site's stylesheet, found from the home page).
"""

import argparse
import http.client
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import quote, urlsplit

QUERIES = [
    "air",
    "water",
    "снежный барс",
    "экология",
    "环境",
    "生态保护",
    "climate",
    "Kazakhstan",
    "ледники",
    "training",
]


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


class Client:
    def __init__(self, base, address=None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.conn = None
        # As a proxy in front would say (the portal trusts it with PORTAL_PROXY_COUNT=1):
        # each simulated reader is a client of its own for the API's rate limit.
        self.headers = {"Accept-Language": "en"}
        if address:
            self.headers["X-Forwarded-For"] = address

    def reset(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def get(self, path):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.reset()  # a kept-alive connection closed by the server: reconnect once
                if attempt:
                    raise
            except Exception:
                self.reset()  # a timeout leaves the connection unusable
                raise
        raise AssertionError("unreachable")


def discover(base):
    """Lists and detail pages, from the home page's links and the lists' links."""
    client = Client(base)
    lists, details = set(), set()
    for lang in ("en", "ru", "zh-hans"):
        _status, body = client.get(f"/{lang}/")
        for href in re.findall('href="(/' + re.escape(lang) + '/[^"#?]+/)"', body.decode("utf-8", "replace")):
            if href.count("/") == 3 and "/search/" not in href:
                lists.add(href)
    for path in sorted(lists):
        _status, body = client.get(path)
        for href in re.findall('href="(' + re.escape(path) + '[^"#?]+/)"', body.decode("utf-8", "replace")):
            details.add(href)
    return sorted(lists), sorted(details)


def api_list_paths(pages=5, page_size=100):
    """The partners' heaviest list call: 100 projects a page, the first pages, in each language."""
    return [
        f"/api/v1/projects/?page_size={page_size}&page={page}&lang={lang}"
        for page in range(1, pages + 1)
        for lang in ("en", "ru", "zh-hans")
    ]


def build_mix(lists, details):
    mix = [("home", lambda: f"/{random.choice(['en', 'ru', 'zh-hans'])}/")]
    if lists:
        mix.append(("list", lambda: random.choice(lists)))
    if details:
        mix += [("detail", lambda: random.choice(details))] * 2
    mix.append(("countries", lambda: f"/{random.choice(['en', 'ru', 'zh-hans'])}/countries/"))
    mix.append(
        (
            "search",
            lambda: f"/{random.choice(['en', 'ru', 'zh-hans'])}/search/?q={quote(random.choice(QUERIES))}",
        )
    )
    api_lists = api_list_paths()
    mix.append(("api-list", lambda: random.choice(api_lists)))
    mix.append(
        (
            "api",
            lambda: (
                f"/api/search/?q={quote(random.choice(QUERIES))}"
                f"&lang={random.choice(['en', 'ru', 'zh-hans'])}"
            ),
        )
    )
    return mix


def find_static(base):
    """The first stylesheet the home page links (a file WhiteNoise serves)."""
    _status, body = Client(base).get("/en/")
    found = re.findall(r'href="(/static/[^"]+\.css)"', body.decode("utf-8", "replace"))
    return found[0] if found else "/static/css/site.css"


def warm_up(url, lists, details, clients):
    """Ask for every page and query of the mix once, so the figures are of warm caches ("p50 warm")."""
    paths = [f"/{lang}/" for lang in ("en", "ru", "zh-hans")] + lists + details
    paths += [f"/{lang}/countries/" for lang in ("en", "ru", "zh-hans")] + api_list_paths()
    for lang in ("en", "ru", "zh-hans"):
        for q in QUERIES:
            paths += [f"/{lang}/search/?q={quote(q)}", f"/api/search/?q={quote(q)}&lang={lang}"]
    started = time.monotonic()
    todo = list(paths)
    lock = threading.Lock()

    def run():
        client = Client(url)
        while True:
            with lock:
                if not todo:
                    return
                path = todo.pop()
            try:
                client.get(path)
            except Exception:  # counted in the measured run, not here
                client.reset()

    threads = [threading.Thread(target=run) for _ in range(min(clients, 8))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"warm-up: {len(paths)} pages and queries once each in {time.monotonic() - started:.0f} s")


# The targets (#14): pages p50 <= 50 ms warm, the 100-item API list p95 <= 150 ms.
TARGETS = {"home": (50, 50), "list": (50, 50), "detail": (50, 50), "search": (50, 50), "api-list": (95, 150)}


def latency_paths(lists, details):
    """{kind: paths} for the one-client latency phase: the kinds the targets name, and two more.

    ``api-search`` is the search API warm; ``search-new`` is the search page for
    queries nobody asked before (two of :data:`QUERIES`' words, each pair
    once): no cached answer, so the query runs on the engine: what a reader's
    own words cost at the index's size.
    """
    langs = ("en", "ru", "zh-hans")
    pairs = [(a, b) for a in QUERIES for b in QUERIES if a != b]
    return {
        "home": [f"/{lang}/" for lang in langs],
        "list": lists,
        "detail": details[:60],
        "search": [f"/{lang}/search/?q={quote(q)}" for lang in langs for q in QUERIES],
        "api-list": api_list_paths(),
        "api-search": [f"/api/search/?q={quote(q)}&lang={lang}" for lang in langs for q in QUERIES],
        "search-new": [f"/{langs[i % 3]}/search/?q={quote(f'{a} {b}')}" for i, (a, b) in enumerate(pairs)],
    }


NOT_WARMED = {"search-new"}  # latency_paths: kinds measured on their first request


def measure_latency(url, static, kinds, rounds):
    """One client, one request at a time: each kind's warm latency, and a static file's in the same run.

    Under load a request's time is mostly its wait for a worker; this phase
    measures what a page costs, so it can be held against a target.
    """
    client = Client(url)
    results = {}
    for kind, paths in [("static", [static]), *kinds.items()]:
        if not paths:
            continue
        for path in paths[:rounds] if kind not in NOT_WARMED else ():
            client.get(path)  # warm: each path once just before (search pages live 60 s)
        times = []
        for i in range(rounds):
            path = paths[i % len(paths)]
            start = time.perf_counter()
            status, _body = client.get(path)
            times.append(time.perf_counter() - start)
            if not 200 <= status < 400:
                print(f"  latency phase: {path} -> {status}")
        results[kind] = times
    base = percentile(results["static"], 50)
    print(f"one client ({rounds} requests a kind; warm but search-new): ms, p50 / the static file's")
    print(f"{'kind':<10} {'p50 ms':>8} {'p95 ms':>8} {'p50/base':>9}   target")
    for kind, times in results.items():
        p50, p95 = percentile(times, 50) * 1000, percentile(times, 95) * 1000
        verdict = ""
        if kind in TARGETS:
            pct, limit = TARGETS[kind]
            value = p50 if pct == 50 else p95
            verdict = f"p{pct} <= {limit} ms: {'met' if value <= limit else 'NOT MET'}"
        print(f"{kind:<10} {p50:>8.1f} {p95:>8.1f} {p50 / 1000 / base:>9.1f}   {verdict}")
    return results


def _address(n):
    """The ``n``-th simulated reader's address (10.x.y.z, one per reader)."""
    return f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"


def run_clients(url, clients, duration, mix, readers=1):
    """``clients`` threads looping over ``mix`` for ``duration`` s: (latencies by kind, errors, wall s)."""
    latencies = defaultdict(list)
    errors = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def run(seed):
        rnd = random.Random(seed)
        client = Client(url)
        addresses = [_address(seed * readers + n) for n in range(readers)]
        turn = 0
        while time.monotonic() < deadline:
            client.headers["X-Forwarded-For"] = addresses[turn % readers]
            turn += 1
            kind, make = mix[rnd.randrange(len(mix))]
            path = make()
            start = time.perf_counter()
            try:
                status, _body = client.get(path)
                ok = 200 <= status < 400
            except Exception as exc:  # connection failures count as errors
                status, ok = repr(exc), False
            elapsed = time.perf_counter() - start
            with lock:
                latencies[kind].append(elapsed)
                if not ok:
                    errors.append((kind, path, status))

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--baseline-duration", type=float, default=10.0, help="seconds on the static file")
    parser.add_argument("--static", default="", help="static file for the baseline (default: found)")
    parser.add_argument("--no-warmup", action="store_true", help="measure cold caches too")
    parser.add_argument(
        "--readers-per-client",
        type=int,
        default=1,
        help="addresses each connection takes in turn (default 1)",
    )
    parser.add_argument("--latency-rounds", type=int, default=60, help="one-client requests a kind (0: none)")
    args = parser.parse_args()

    lists, details = discover(args.url)
    mix = build_mix(lists, details)
    if not args.no_warmup:
        warm_up(args.url, lists, details, args.clients)
    static = args.static or find_static(args.url)
    if args.latency_rounds:
        measure_latency(args.url, static, latency_paths(lists, details), args.latency_rounds)
    base, base_errors, base_wall = run_clients(
        args.url, args.clients, args.baseline_duration, [("static", lambda: static)]
    )
    base_all = base["static"]
    base_rate = len(base_all) / base_wall
    base_p50 = percentile(base_all, 50)
    print(
        f"baseline {static}: {base_rate:.1f} requests/s, p50 {base_p50 * 1000:.1f} ms, "
        f"p95 {percentile(base_all, 95) * 1000:.1f} ms, errors {len(base_errors)}"
    )
    print(
        f"{len(lists)} lists, {len(details)} detail pages; {args.clients} clients "
        f"({args.readers_per_client} reader addresses each) for {args.duration:.0f} s"
    )
    latencies, errors, wall = run_clients(args.url, args.clients, args.duration, mix, args.readers_per_client)

    every = [x for values in latencies.values() for x in values]
    print(f"{'kind':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50/base':>9}")
    for kind in sorted(latencies):
        v = latencies[kind]
        print(
            f"{kind:<10} {len(v):>8} {percentile(v, 50) * 1000:>8.0f} "
            f"{percentile(v, 95) * 1000:>8.0f} {percentile(v, 99) * 1000:>8.0f} "
            f"{percentile(v, 50) / base_p50:>9.1f}"
        )
    print(
        f"{'all':<10} {len(every):>8} {percentile(every, 50) * 1000:>8.0f} "
        f"{percentile(every, 95) * 1000:>8.0f} {percentile(every, 99) * 1000:>8.0f} "
        f"{percentile(every, 50) / base_p50:>9.1f}"
    )
    rate = len(every) / wall
    print(
        f"requests/s: {rate:.1f} (ratio to the static baseline {rate / base_rate:.2f})   "
        f"mean: {statistics.fmean(every) * 1000 if every else 0:.0f} ms"
    )
    errors += base_errors
    print(f"errors: {len(errors)}")
    for kind, path, status in errors[:20]:
        print(f"  {kind} {path} -> {status}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
