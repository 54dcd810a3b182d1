"""Benchmark manage.py import_content on a generated trilingual corpus.

    .venv/bin/python bench/import_bench.py            # 10,000 items
    .venv/bin/python bench/import_bench.py --size 2000

Runs on a fresh SQLite database in a temporary folder (search indexing off:
ELASTICSEARCH_URL unset, so the outbox only records the work). Prints items/s
for validation alone, for the first import (create + publish) and for a
re-import of the same file (nothing changed), and the ratios between them.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="import-bench-")
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.corpus import generate
    from operations.importing import read_items

    print(f"Database: {connection.settings_dict['NAME']}")
    call_command("setup_portal", verbosity=0)
    records = list(generate(args.size))
    path = Path(workdir) / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()

    started = time.perf_counter()
    read_items(lines)
    validate = time.perf_counter() - started

    started = time.perf_counter()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = time.perf_counter() - started

    started = time.perf_counter()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    again = time.perf_counter() - started

    n = len(records)
    print(f"items: {n}")
    print(f"validation only:      {n / validate:8.0f} items/s")
    print(f"first import:         {n / first:8.0f} items/s  ({first:.1f} s; create + revision + publish)")
    print(f"re-import, unchanged: {n / again:8.0f} items/s  ({again:.1f} s)")
    print(f"ratio first import / validation time: {first / validate:.1f}x")


if __name__ == "__main__":
    main()
