"""Evaluate cross-language search on a hand-judged set (issue 5).

    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/crosslang_eval.py
    ... bench/crosslang_eval.py --data bench/data/crosslang_eval.json --verbose

A fresh SQLite database (``setup_portal`` + ``load_vocabularies``) in a
temporary folder, the items of the set published as project pages (each in
its one language) and indexed into a fresh index on the real node under a
private prefix (deleted at the end). Each query goes through the real query
layer (``search.query.search``, the same as ``/api/search/``). For every
direction (query language -> item language) it prints recall@10 and MRR
(reciprocal rank of the first relevant item of that language), with the
expansions on and off (the baseline: issue 4's engine alone), and overall.
"""

import argparse
import json
import os
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
K = 10


def setup():
    workdir = tempfile.mkdtemp(prefix="crosslang-eval-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/eval.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "crosslang"  # the team's prefix, if given
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"{base}-eval-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    if not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Set ELASTICSEARCH_URL (scripts/elasticsearch start; http://127.0.0.1:9201)")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("setup_portal", verbosity=0)
    call_command("load_vocabularies", verbosity=0)


def index_items(data):
    from portal import languages
    from portal.core.models import Organisation
    from search import client
    from search.indexing import drain, ensure_index
    from tests.factories import make_page
    from website.models import HomePage

    for org in data.get("organisations", []):
        fields = {}
        for code in languages.LANGUAGE_CODES:
            fields[languages.localized_field("name", code)] = org["name"].get(code, "")
            fields[languages.localized_field("acronym", code)] = org["acronym"].get(code, "")
        Organisation.objects.create(kind=org["kind"], name=org["name"]["en"], **fields)
    es = client.get_client()
    if not client.ping():
        sys.exit(f"Elasticsearch does not answer at {os.environ['ELASTICSEARCH_URL']}")
    ensure_index(es)
    home = HomePage.objects.get()
    page_ids = {}
    for item in data["items"]:
        page = make_page(home, title={item["lang"]: item["title"]}, summary={item["lang"]: item["summary"]})
        page_ids[page.pk] = item["id"]
    drain()
    es.indices.refresh(index=client.read_alias())
    return page_ids


def run(data, page_ids, expand, verbose=False):
    from django.conf import settings

    from search.query import SearchRequest, search

    saved = settings.SEARCH_QUERY_EXPANDERS
    settings.SEARCH_QUERY_EXPANDERS = saved if expand else []
    langs = {item["id"]: item["lang"] for item in data["items"]}
    per_direction = defaultdict(lambda: {"recall": [], "rr": []})
    try:
        for query in data["queries"]:
            results = search(SearchRequest(q=query["q"], lang=query["lang"], page_size=K))
            assert results.engine == "elasticsearch", results.engine
            ranked = [page_ids.get(hit.id) for hit in results.hits]
            by_lang = defaultdict(set)
            for rel in query["relevant"]:
                by_lang[langs[rel]].add(rel)
            for target, relevant in by_lang.items():
                found = [i for i in ranked if i in relevant]
                recall = len(found) / len(relevant)
                first = next((rank for rank, i in enumerate(ranked, 1) if i in relevant), None)
                rr = 1 / first if first else 0.0
                per_direction[(query["lang"], target)]["recall"].append(recall)
                per_direction[(query["lang"], target)]["rr"].append(rr)
                if verbose and expand:
                    where = f"{query['lang']}->{target} {query['q']!r}"
                    print(f"  {where}: recall {recall:.2f} rr {rr:.2f} {ranked}")
    finally:
        settings.SEARCH_QUERY_EXPANDERS = saved
    return per_direction


def mean(values):
    return sum(values) / len(values) if values else 0.0


def report(on, off):
    from portal import languages

    print(f"\n{'direction':<12}{'queries':>8}{'R@10':>8}{'MRR':>8}   {'R@10 off':>9}{'MRR off':>9}")
    every = {"on": {"recall": [], "rr": []}, "off": {"recall": [], "rr": []}}
    short = {"zh-hans": "zh", "en": "en", "ru": "ru"}
    for source in languages.LANGUAGE_CODES:
        for target in languages.LANGUAGE_CODES:
            if source == target or (source, target) not in on:
                continue
            a, b = on[(source, target)], off[(source, target)]
            for name, stats in (("on", a), ("off", b)):
                every[name]["recall"] += stats["recall"]
                every[name]["rr"] += stats["rr"]
            print(
                f"{short[source] + '->' + short[target]:<12}{len(a['recall']):>8}{mean(a['recall']):>8.3f}"
                f"{mean(a['rr']):>8.3f}   {mean(b['recall']):>9.3f}{mean(b['rr']):>9.3f}"
            )
    r_on, m_on = mean(every["on"]["recall"]), mean(every["on"]["rr"])
    r_off, m_off = mean(every["off"]["recall"]), mean(every["off"]["rr"])
    print(
        f"{'overall':<12}{len(every['on']['recall']):>8}{r_on:>8.3f}{m_on:>8.3f}   {r_off:>9.3f}{m_off:>9.3f}"
    )
    ratio = f"{r_on / r_off:.1f}x" if r_off else "n/a (baseline 0)"
    print(f"\nrecall@10 with expansion / without: {ratio}; MRR {m_on:.3f} vs {m_off:.3f}")


def cleanup():
    from django.conf import settings

    from search import client

    es = client.get_client()
    for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", expand_wildcards="all"):
        es.indices.delete(index=name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT / "bench" / "data" / "crosslang_eval.json"))
    parser.add_argument("--verbose", action="store_true", help="print every query's ranking")
    args = parser.parse_args()
    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    setup()
    try:
        page_ids = index_items(data)
        print(f"{len(data['items'])} items indexed, {len(data['queries'])} queries")
        on = run(data, page_ids, expand=True, verbose=args.verbose)
        off = run(data, page_ids, expand=False)
        report(on, off)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
