"""Cross-language ranking on the blind set, among the demo content and 10,000 distractors (issue 15).

    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/crosslang_blind_eval.py
    ... bench/crosslang_blind_eval.py --distractors 2000 --verbose --configs all
    ... bench/crosslang_blind_eval.py --data bench/crosslang_blind --configs all,fair-off,rare-off,names-off

The set (``bench/crosslang_blind/``): ``items.jsonl`` in the import format,
each item in one language, and ``queries.jsonl``, one judged query a line
(``{"q", "lang", "relevant": [external_id, ...]}``), written by someone who
saw only the items. In a fresh SQLite database (``setup_portal``,
``load_vocabularies``, ``load_demo``) the items are imported with the
editors' importer and indexed with the portal's own pipeline, into a fresh
index on the real node under a private prefix (deleted at the end).

The distractors are ``bench/corpus.py``'s generated items. Importing 10,000
pages would take most of an hour and measure nothing the ranking sees, so
they are indexed straight into the same index as documents built from their
text with the portal's analysis (:func:`distractor_documents`): to the query
they are items like any other, they only have no page behind them.

Every query goes through ``/api/search/`` (Django's test client). For each
direction (query language -> language of a relevant item) the script prints
MRR (reciprocal rank of the first relevant item of that language) and
recall@10, same-language rows included, for each configuration asked:

- ``all``: the portal as configured;
- ``fair-off``, ``rare-off``, ``names-off``: with one of issue 15's
  mechanisms switched off (``SEARCH_FAIR_LANGUAGES``, ``SEARCH_RARE_TERMS``,
  ``SEARCH_NAME_MATCHING``);
- ``no-expansion``: the user's words alone.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
K = 10
DEFAULT_DATA = ROOT / "bench" / "crosslang_blind"
CONFIGS = {
    "all": {},
    "fair-off": {"SEARCH_FAIR_LANGUAGES": False},
    "rare-off": {"SEARCH_RARE_TERMS": False},
    "names-off": {"SEARCH_NAME_MATCHING": False},
    "no-expansion": {"SEARCH_QUERY_EXPANDERS": []},
}
DISTRACTOR_ID_BASE = 50_000_000  # page ids no real page has
SHORT = {"zh-hans": "zh", "en": "en", "ru": "ru"}


def setup(prefix):
    workdir = tempfile.mkdtemp(prefix="crosslang-blind-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/eval.sqlite3"
    os.environ["PORTAL_MEDIA_ROOT"] = f"{workdir}/media"  # var/ stays: its dictionary tables are reused
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"{prefix}-blind-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    if not os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Set ELASTICSEARCH_URL (http://127.0.0.1:9201)")
    import django

    django.setup()
    return workdir


def load_content(data_dir, workdir):
    """Portal, vocabularies, demo and the set's items in the database; returns {page id: external_id}."""
    from django.core.management import call_command
    from wagtail.models import Page

    from search.documents import indexed_models

    quiet = open(os.devnull, "w")  # noqa: SIM115
    started = time.perf_counter()
    call_command("setup_portal", verbosity=0, stdout=quiet)
    call_command("load_vocabularies", verbosity=0, stdout=quiet)
    call_command("load_demo", stdout=quiet)
    call_command("import_content", str(data_dir / "items.jsonl"), stdout=quiet)
    pages = Page.objects.live().type(*indexed_models()).specific()
    ids = {page.pk: getattr(page, "external_id", "") or "" for page in pages}
    print(f"demo + set: {len(ids)} items in the database ({time.perf_counter() - started:.0f} s)", flush=True)
    return ids


def distractor_documents(records):
    """Index documents for generated records, built as ``search.documents`` builds a page's."""
    from portal import languages
    from search.analysis import analyzed_text
    from search.documents import PINYIN_FIELD, TEXT_FIELDS, pinyin_text, terms_field, text_field, url_field

    for n, record in enumerate(records):
        translations = record["translations"]
        date = record.get("start_date") or record.get("document_date") or record.get("date")
        doc = {
            "_id": str(DISTRACTOR_ID_BASE + n),
            "page_id": DISTRACTOR_ID_BASE + n,
            "type": record["type"],
            "external_id": record["external_id"],
            "countries": record.get("countries", []),
            "themes": record.get("themes", []),
            "organisations": [],
            "status": record.get("status"),
            "date": date,
            "year": int(date[:4]) if date else None,
            "languages": [c for c in languages.LANGUAGE_CODES if c in translations],
            "published_at": None,
            "suggest": [t["title"] for t in translations.values()],
        }
        for code in languages.LANGUAGE_CODES:
            texts = translations.get(code, {})
            for role in TEXT_FIELDS:
                text = texts.get(role, "")
                doc[text_field(role, code)] = text
                doc[terms_field(role, code)] = analyzed_text(text)
            doc[url_field(code)] = ""
        doc[PINYIN_FIELD] = pinyin_text(doc)
        yield doc


def index_everything(count):
    from elasticsearch import helpers

    from bench.corpus import generate
    from search import client
    from search.indexing import ensure_index
    from search.rebuild import rebuild

    es = client.get_client()
    if not client.ping():
        sys.exit(f"Elasticsearch does not answer at {os.environ['ELASTICSEARCH_URL']}")
    ensure_index(es)
    rebuild(out=None)
    started = time.perf_counter()
    if count:
        records = generate(count, seed=15)
        helpers.bulk(
            es.options(request_timeout=120),
            distractor_documents(records),
            index=client.write_alias(),
            chunk_size=500,
        )
    es.indices.refresh(index=client.read_alias())
    total = es.count(index=client.read_alias())["count"]
    seconds = time.perf_counter() - started
    print(f"index: {total} documents ({count} distractors, {seconds:.0f} s)", flush=True)


def read_queries(data_dir):
    queries = []
    with open(data_dir / "queries.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                query = json.loads(line)
                query["relevant"] = query.get("relevant") or query.get("relevant_ids") or []
                queries.append(query)
    return queries


def item_languages(data_dir):
    """``{external_id: language}`` of the set's items (each is in one language)."""
    out = {}
    with open(data_dir / "items.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                out[item["external_id"]] = next(iter(item["translations"]))
    return out


def run(queries, langs, ids, overrides, verbose=False):
    """Per direction ``{"recall": [...], "rr": [...]}`` for one configuration."""
    from django.test import Client, override_settings

    http = Client()
    per_direction = defaultdict(lambda: {"recall": [], "rr": []})
    with override_settings(**overrides):
        for query in queries:
            response = http.get("/api/search/", {"q": query["q"], "lang": query["lang"], "page_size": K})
            body = response.json()
            assert response.status_code == 200 and body["engine"] == "elasticsearch", body
            ranked = [r["external_id"] for r in body["results"]]
            by_lang = defaultdict(set)
            for rel in query["relevant"]:
                if rel in langs:
                    by_lang[langs[rel]].add(rel)
            for target, relevant in by_lang.items():
                found = [i for i in ranked if i in relevant]
                first = next((rank for rank, i in enumerate(ranked, 1) if i in relevant), None)
                stats = per_direction[(query["lang"], target)]
                stats["recall"].append(len(found) / len(relevant))
                stats["rr"].append(1 / first if first else 0.0)
                if verbose and (first or 99) > 1:
                    direction = f"{SHORT[query['lang']]}->{SHORT[target]}"
                    print(f"  {direction} rank {first} {query['q']!r}: {ranked[:5]}")
    return per_direction


def mean(values):
    return sum(values) / len(values) if values else 0.0


def report(results):
    from portal import languages

    names = list(results)
    print(f"\n{'direction':<10}{'n':>5}" + "".join(f"{name:>22}" for name in names))
    print(f"{'':<15}" + "".join(f"{'MRR':>11}{'R@10':>11}" for _ in names))
    totals = {name: {"cross": defaultdict(list), "same": defaultdict(list)} for name in names}
    for source in languages.LANGUAGE_CODES:
        for target in languages.LANGUAGE_CODES:
            key = (source, target)
            first = results[names[0]]
            if key not in first:
                continue
            row = f"{SHORT[source] + '->' + SHORT[target]:<10}{len(first[key]['rr']):>5}"
            for name in names:
                stats = results[name][key]
                kind = "same" if source == target else "cross"
                totals[name][kind]["rr"] += stats["rr"]
                totals[name][kind]["recall"] += stats["recall"]
                row += f"{mean(stats['rr']):>11.3f}{mean(stats['recall']):>11.3f}"
            print(row)
    for kind in ("cross", "same"):
        row = f"{kind + '-lang':<10}{len(totals[names[0]][kind]['rr']):>5}"
        for name in names:
            row += f"{mean(totals[name][kind]['rr']):>11.3f}{mean(totals[name][kind]['recall']):>11.3f}"
        print(row)


def cleanup():
    from django.conf import settings

    from search import client

    es = client.get_client()
    for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", expand_wildcards="all"):
        es.indices.delete(index=name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="folder with items.jsonl and queries.jsonl")
    parser.add_argument("--distractors", type=int, default=10_000)
    parser.add_argument("--configs", default="all", help=f"comma-separated, of: {', '.join(CONFIGS)}")
    parser.add_argument("--prefix", default=os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "bench")
    parser.add_argument("--verbose", action="store_true", help="print every query not ranked first")
    args = parser.parse_args()
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        parser.error(f"unknown configuration(s) {', '.join(unknown)}; choose from {', '.join(CONFIGS)}")
    data_dir = Path(args.data)
    if not (data_dir / "items.jsonl").is_file() or not (data_dir / "queries.jsonl").is_file():
        parser.error(f"{data_dir} needs items.jsonl and queries.jsonl")
    workdir = setup(args.prefix)
    try:
        ids = load_content(data_dir, workdir)
        index_everything(args.distractors)
        queries, langs = read_queries(data_dir), item_languages(data_dir)
        print(f"{len(queries)} queries over {len(langs)} items of the set", flush=True)
        results = {}
        for name in configs:
            from django.conf import settings

            known = {k: v for k, v in CONFIGS[name].items() if hasattr(settings, k)}
            overrides = {**known, **{k: v for k, v in CONFIGS[name].items() if k == "SEARCH_QUERY_EXPANDERS"}}
            if len(overrides) < len(CONFIGS[name]):
                print(f"({name}: this checkout has no such setting; measured as configured)")
            started = time.perf_counter()
            results[name] = run(queries, langs, ids, overrides, verbose=args.verbose and name == configs[0])
            print(f"{name}: {len(queries)} queries in {time.perf_counter() - started:.1f} s", flush=True)
        report(results)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
