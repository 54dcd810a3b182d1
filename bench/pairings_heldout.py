"""Held-out evaluation of the learnt term pairings on the demo content (issue 15, item 3).

    ELASTICSEARCH_URL=http://127.0.0.1:9201 .venv/bin/python bench/pairings_heldout.py
    ... bench/pairings_heldout.py --distractors 10000      # also learn from the generated items

The demo's items in several languages are split in two halves (every second
one, by ``external_id``). The *teaching* half is imported as it is. Each item
of the *held-out* half is imported in one language only (its languages taken
in turn: Chinese, English, Russian), its other versions hidden (and their
attachments left out); each hidden title becomes a query in its language
whose only relevant item is that held-out item. So every query is a real
translation of the item's title, written by the demo's editors, and the item
can be reached only across languages: by the vocabularies, the dictionaries,
the name matching, or pairings learnt from the teaching half (and, with
``--distractors``, from the generated items in several languages).

Printed per direction (query language -> the item's language), MRR and
recall@10 with the pairings (``all``) and without (``pairs-off``), through
``/api/search/`` like ``bench/crosslang_blind_eval.py``, whose machinery this
reuses (a private SQLite database and index prefix, deleted at the end).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CONTENT_FILES = ("news.jsonl", "policies.jsonl", "projects.jsonl")
ATTACHMENT_KEYS = ("documents", "materials", "attachments")


def split(records):
    """``(teaching, held_out)``: the records in several languages, every second one held out."""
    translated = sorted(
        (r for r in records if len(r.get("translations", {})) >= 2), key=lambda r: r["external_id"]
    )
    return translated[0::2], translated[1::2]


def hide(record, turn):
    """The record in one of its languages (its ``turn``-th, in zh, en, ru order); the hidden versions."""
    from portal import languages

    present = [code for code in languages.LANGUAGE_CODES if record["translations"].get(code, {}).get("title")]
    kept = present[turn % len(present)]
    hidden = {code: texts for code, texts in record["translations"].items() if code != kept}
    reduced = dict(record, translations={kept: record["translations"][kept]})
    for key in ATTACHMENT_KEYS:
        if isinstance(reduced.get(key), list):
            reduced[key] = [a for a in reduced[key] if a.get("language") in (None, "", kept)]
    return reduced, kept, hidden


def write_files(workdir):
    """The demo's files with the held-out items reduced; ``(paths, queries, item languages)``."""
    from operations.management.commands.load_demo import DEMO_DIR

    records = {
        name: [json.loads(line) for line in open(DEMO_DIR / name, encoding="utf-8") if line.strip()]
        for name in CONTENT_FILES
    }
    _teaching, held_out = split([r for found in records.values() for r in found])
    held = {r["external_id"]: turn for turn, r in enumerate(held_out)}
    queries, langs, paths = [], {}, [DEMO_DIR / "taxonomy.jsonl", DEMO_DIR / "site.jsonl"]
    for name, found in records.items():
        path = Path(workdir) / name
        with open(path, "w", encoding="utf-8") as out:
            for record in found:
                if record["external_id"] in held:
                    record, kept, hidden = hide(record, held[record["external_id"]])
                    langs[record["external_id"]] = kept
                    for code, texts in hidden.items():
                        if texts.get("title"):
                            queries.append(
                                {
                                    "q": texts["title"],
                                    "lang": code,
                                    "relevant": {record["external_id"]},
                                    "kind": "hidden title",
                                }
                            )
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths, queries, langs


def load(paths):
    from django.core.management import call_command

    from operations.demo_pdfs import write_policy_pdfs
    from operations.management.commands.load_demo import DEMO_DIR, prepare_demo_files

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("setup_portal", verbosity=0, stdout=quiet)
    call_command("load_vocabularies", verbosity=0, stdout=quiet)
    folder = prepare_demo_files()
    write_policy_pdfs(DEMO_DIR / "policies.jsonl", folder)
    call_command("import_content", *[str(p) for p in paths], files_dir=str(folder), stdout=quiet)
    call_command("set_translation_url_paths", verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--distractors", type=int, default=0, help="generated items indexed (and learnt from) too"
    )
    parser.add_argument("--prefix", default=os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "bench")
    parser.add_argument("--verbose", action="store_true", help="print every query not ranked first")
    args = parser.parse_args()
    from bench import crosslang_blind_eval as blind

    workdir = blind.setup(args.prefix)
    try:
        started = time.perf_counter()
        paths, queries, langs = write_files(workdir)
        load(paths)
        blind.index_everything(args.distractors)
        print(
            f"{len(queries)} queries (hidden titles) over {len(langs)} held-out items "
            f"({time.perf_counter() - started:.0f} s to prepare)",
            flush=True,
        )
        results = {}
        for name in ("all", "pairs-off"):
            results[name] = blind.run(
                queries, langs, blind.CONFIGS[name], verbose=args.verbose and name == "all"
            )
        blind.report(results)
    finally:
        blind.cleanup()


if __name__ == "__main__":
    main()
