"""Validate the blind cross-language evaluation set and print its counts.

Standard library only, so it runs before anything is installed:

    python3 bench/crosslang_blind/check_set.py [--dir bench/crosslang_blind]

Checks ``items.jsonl`` (the portal's import format, one language per item) and
``queries.jsonl`` (hand-judged queries), prints the counts per language, type,
direction and kind, and exits 1 when an error is found. Warnings (e.g. a query
longer than seven words) are printed but do not fail the check.

Why the script checks the *script* of the text: an item filed as Russian but
written in English would silently turn a cross-language query into a
same-language one and inflate the score.
"""

import argparse
import datetime
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

LANGS = ("zh-hans", "en", "ru")
TYPES = ("project", "training", "policy", "news")
KINDS = ("rare-name", "number", "near-duplicate", "shared-topic", "plain")
# The portal's seeded taxonomy (country codes and theme slugs) at the time the set
# was written; an unknown code would make `manage.py import_content` reject the file.
COUNTRIES = set("CN RU KZ KG TJ UZ IN PK IR BY AF MN AZ AM KH NP TR LK EG QA SA KW MV MM AE BH LA".split())
THEMES = {
    "air",
    "water",
    "waste",
    "climate",
    "biodiversity",
    "land",
    "energy",
    "monitoring",
    "capacity-building",
    "policy-dialogue",
}
DATE_FIELDS = ("start_date", "end_date", "date", "date_issued", "date_in_force")
# Lengths asked for in the brief, in words; Chinese has no spaces, so its words are
# estimated from Han characters: about 1.7 characters a word in running prose, about
# 2.5 in queries, whose transliterated place names are long (哈萨克斯坦 is one word).
SUMMARY_WORDS = (40, 100)
BODY_WORDS = (150, 400)
QUERY_WORDS = (2, 7)
HAN_CHARS_PER_WORD = 1.7
HAN_CHARS_PER_QUERY_WORD = 2.5
MIN_ITEMS_PER_LANG = 32
MIN_QUERIES = 160
MIN_PER_CROSS_DIRECTION = 27
MIN_SAME_LANGUAGE = 25

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def warn(self, where, message):
        self.warnings.append(f"{where}: {message}")


def script_shares(text):
    """Share of Han, Cyrillic and Latin letters among all three kinds in ``text``."""
    counts = {
        "han": len(HAN.findall(text)),
        "cyrillic": len(CYRILLIC.findall(text)),
        "latin": len(LATIN.findall(text)),
    }
    total = sum(counts.values()) or 1
    return {name: n / total for name, n in counts.items()}


def plausible_language(text, lang):
    """Whether the letters of ``text`` are mostly in the script of ``lang``.

    Chinese and Russian text may carry Latin abbreviations (PM2.5, SMART, ТКП),
    so they need 80 % of their letters in their own script; English needs 95 %
    Latin and no Han or Cyrillic at all.
    """
    shares = script_shares(text)
    if lang == "zh-hans":
        return shares["han"] >= 0.8
    if lang == "ru":
        return shares["cyrillic"] >= 0.8 and shares["han"] == 0
    return shares["latin"] >= 0.95 and shares["han"] == 0 and shares["cyrillic"] == 0


def word_count(text, lang, han_chars_per_word=HAN_CHARS_PER_WORD):
    """Words in ``text``; Chinese: Han characters / ``han_chars_per_word``, plus Latin words and numbers."""
    if lang == "zh-hans":
        han = len(HAN.findall(text))
        other = len(re.findall(r"[A-Za-z0-9]+(?:[-–—.][A-Za-z0-9]+)*", text))
        return math.ceil(han / han_chars_per_word) + other
    return len(text.split())


def read_jsonl(path, report):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                report.error(f"{path.name} line {number}", f"bad JSON: {exc}")
    return rows


def parse_date(value, where, field, report):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        report.error(where, f"{field} {value!r} is not a YYYY-MM-DD date")
        return None


def check_item(number, item, report):
    """Validate one item; return its language (or None when it has no usable one)."""
    eid = item.get("external_id")
    where = f"items.jsonl line {number} ({eid})"
    if not isinstance(eid, str) or not eid.startswith("blind-"):
        report.error(where, "external_id must be a string starting with 'blind-'")
    if item.get("type") not in TYPES:
        report.error(where, f"type {item.get('type')!r} is not one of {', '.join(TYPES)}")
    translations = item.get("translations") or {}
    if len(translations) != 1:
        report.error(where, f"must be written in exactly one language, has {sorted(translations)}")
        return None
    ((lang, fields),) = translations.items()
    if lang not in LANGS:
        report.error(where, f"language {lang!r} is not one of {', '.join(LANGS)}")
        return None
    for field in ("title", "summary", "body"):
        text = fields.get(field)
        if not isinstance(text, str) or not text.strip():
            report.error(where, f"{lang}.{field} is missing")
            continue
        if not plausible_language(text, lang):
            shares = {k: round(v, 2) for k, v in script_shares(text).items()}
            report.error(where, f"{lang}.{field} does not look like {lang} by script: {shares}")
    for field, (low, high) in (("summary", SUMMARY_WORDS), ("body", BODY_WORDS)):
        if isinstance(fields.get(field), str):
            words = word_count(fields[field], lang)
            if not low <= words <= high:
                report.error(where, f"{field} has about {words} words, expected {low}-{high}")
    countries = item.get("countries") or []
    if not countries:
        report.error(where, "no countries")
    for code in countries:
        if code not in COUNTRIES:
            report.error(where, f"unknown country {code!r}")
    for slug in item.get("themes") or []:
        if slug not in THEMES:
            report.error(where, f"unknown theme {slug!r}")
    dates = {f: parse_date(item[f], where, f, report) for f in DATE_FIELDS if f in item}
    if not dates:
        report.error(where, "no date field")
    for start in ("start_date", "date"):
        if dates.get(start) and dates.get("end_date") and dates["end_date"] < dates[start]:
            report.error(where, f"end_date is before {start}")
    return lang


def check_items(path, report):
    """{external_id: (language, type)} for every item in ``path``."""
    items = {}
    for number, item in read_jsonl(path, report):
        lang = check_item(number, item, report)
        eid = item.get("external_id")
        if eid in items:
            report.error(f"items.jsonl line {number}", f"duplicate external_id {eid!r}")
        elif lang:
            items[eid] = (lang, item.get("type"))
    return items


def query_direction(query, items):
    """('en', 'zh-hans') etc.: from the query's language to the language(s) of its grade-2 items."""
    target_langs = sorted({items[i][0] for i, g in query["relevant"].items() if g == 2 and i in items})
    return [(query["query_lang"], lang) for lang in target_langs]


def check_query(number, query, items, report):
    where = f"queries.jsonl line {number} ({query.get('id')})"
    for field in ("id", "query", "query_lang", "relevant", "kind", "note"):
        if field not in query:
            report.error(where, f"missing {field}")
    lang = query.get("query_lang")
    if lang not in LANGS:
        report.error(where, f"query_lang {lang!r} is not one of {', '.join(LANGS)}")
    elif not plausible_language(query.get("query", ""), lang):
        report.error(where, f"query {query.get('query')!r} does not look like {lang} by script")
    else:
        words = word_count(query["query"], lang, HAN_CHARS_PER_QUERY_WORD)
        if not QUERY_WORDS[0] <= words <= QUERY_WORDS[1]:
            report.warn(where, f"query has about {words} words (aim: {QUERY_WORDS[0]}-{QUERY_WORDS[1]})")
    if query.get("kind") not in KINDS:
        report.error(where, f"kind {query.get('kind')!r} is not one of {', '.join(KINDS)}")
    relevant = query.get("relevant")
    if not isinstance(relevant, dict) or not relevant:
        report.error(where, "relevant must be a non-empty object")
        return
    for eid, grade in relevant.items():
        if eid not in items:
            report.error(where, f"relevant id {eid!r} is not an item")
        if grade not in (1, 2):
            report.error(where, f"grade of {eid!r} is {grade!r}, expected 1 or 2")
    if 2 not in relevant.values():
        report.error(where, "no item with grade 2")


def check_queries(path, items, report):
    queries = []
    seen_ids, seen_texts = set(), set()
    for number, query in read_jsonl(path, report):
        check_query(number, query, items, report)
        where = f"queries.jsonl line {number}"
        if query.get("id") in seen_ids:
            report.error(where, f"duplicate id {query.get('id')!r}")
        seen_ids.add(query.get("id"))
        text = (query.get("query_lang"), str(query.get("query", "")).casefold())
        if text in seen_texts:
            report.warn(where, f"same query text as an earlier one: {query.get('query')!r}")
        seen_texts.add(text)
        queries.append(query)
    return queries


def label(direction):
    source, target = direction
    return f"{source}->{target}"


def print_counts(items, queries, report):
    """Print the tables and check the minimum counts the brief asks for."""
    by_lang = Counter(lang for lang, _ in items.values())
    by_type = Counter((lang, typ) for lang, typ in items.values())
    print(f"items: {len(items)}")
    for lang in LANGS:
        types = ", ".join(f"{t} {by_type[(lang, t)]}" for t in TYPES)
        print(f"  {lang:8} {by_lang[lang]:3}   ({types})")
        if by_lang[lang] < MIN_ITEMS_PER_LANG:
            report.error("items", f"only {by_lang[lang]} items in {lang}, need {MIN_ITEMS_PER_LANG}")

    single, mixed, kinds = Counter(), Counter(), Counter()
    by_direction_kind = Counter()
    for query in queries:
        if not isinstance(query.get("relevant"), dict):
            continue
        directions = query_direction(query, items)
        kinds[query.get("kind")] += 1
        if len(directions) == 1:
            single[directions[0]] += 1
            by_direction_kind[(directions[0], query.get("kind"))] += 1
        for direction in directions:
            if len(directions) > 1:
                mixed[direction] += 1
    print(
        f"\nqueries: {len(queries)}  (grade-2 items in one language: {sum(single.values())}, "
        f"in several: {len(queries) - sum(single.values())})"
    )
    header = "  direction         one-target  +several   " + " ".join(f"{k:>14}" for k in KINDS)
    print(header)
    for source in LANGS:
        for target in LANGS:
            d = (source, target)
            row = " ".join(f"{by_direction_kind[(d, k)]:14}" for k in KINDS)
            print(f"  {label(d):17} {single[d]:10} {single[d] + mixed[d]:9}   {row}")
    cross = {d: n for d, n in single.items() if d[0] != d[1]}
    same = sum(n for d, n in single.items() if d[0] == d[1])
    print(f"\n  cross-language (one target language): {sum(cross.values())}   same-language: {same}")
    print("  kinds: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    graded = Counter(
        g for q in queries if isinstance(q.get("relevant"), dict) for g in q["relevant"].values()
    )
    print(f"  judgements: grade 2 {graded[2]}, grade 1 {graded[1]}")

    if len(queries) < MIN_QUERIES:
        report.error("queries", f"only {len(queries)} queries, need {MIN_QUERIES}")
    for source in LANGS:
        for target in LANGS:
            if source != target and single[(source, target)] < MIN_PER_CROSS_DIRECTION:
                report.error(
                    "queries",
                    f"only {single[(source, target)]} {source}->{target} queries, "
                    f"need {MIN_PER_CROSS_DIRECTION}",
                )
    if same < MIN_SAME_LANGUAGE:
        report.error("queries", f"only {same} same-language queries, need {MIN_SAME_LANGUAGE}")
    unused = sorted(
        set(items)
        - {
            i
            for q in queries
            if isinstance(q.get("relevant"), dict)
            for i, g in q["relevant"].items()
            if g == 2
        }
    )
    if unused:
        report.warn("items", f"never a grade-2 target: {', '.join(unused)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="folder holding items.jsonl and queries.jsonl (default: this script's folder)",
    )
    args = parser.parse_args(argv)
    report = Report()
    for name in ("items.jsonl", "queries.jsonl"):
        if not (args.dir / name).is_file():
            print(f"error: {args.dir / name} not found; pass --dir FOLDER", file=sys.stderr)
            return 1
    items = check_items(args.dir / "items.jsonl", report)
    queries = check_queries(args.dir / "queries.jsonl", items, report)
    print_counts(items, queries, report)
    for warning in report.warnings:
        print(f"warning: {warning}")
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"\n{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
