"""Benchmark manage.py import_content on the generated corpus (bench/corpus.py).

    .venv/bin/python bench/import_bench.py                     # 10,000 items, SQLite
    .venv/bin/python bench/import_bench.py --size 1000
    .venv/bin/python bench/import_bench.py --size 100000       # outside CI: ~10 min
    .venv/bin/python bench/import_bench.py --postgres postgres://portal:portal@127.0.0.1:5433/portal
    .venv/bin/python bench/import_bench.py --memory-curve 2000,5000,10000,20000
    # an unchanged re-import at 100,000 on a copy of the database the corpus was imported into:
    DATABASE_URL=postgres://…/scale_100k_copy .venv/bin/python bench/import_bench.py \\
        --existing --corpus var/corpus-100k

Runs on a fresh database (a temporary SQLite file, or a database created on
the given PostgreSQL server and dropped afterwards), with search indexing off
(ELASTICSEARCH_URL unset: the outbox only records the work). Measures, in the
same process and on the same file:

- the baseline: reading and validating the file alone (``Reader``, no writes);
- the first import (every page created, revised and published);
- a re-import of the same file (nothing changed);

and prints items/s by the wall clock and by this process's CPU time (the
machine is shared: CPU time is what the import itself costs; with PostgreSQL
it leaves out the server's share), each import's time as a ratio to the
baseline's, and the peak memory (RSS) after each step: it should not grow with
the file's size.

``--existing`` skips the first import: on the database of ``DATABASE_URL`` as
it is (a copy of one the ``--corpus`` file was imported into: 100,000 items
take half an hour to import), the baseline and an unchanged re-import only,
with the importer's own count of what it created, updated and left unchanged.

``--memory-curve`` instead runs ``manage.py import_content`` (development
settings, as a developer runs it: ``DEBUG`` on) on files of each size, each
in a fresh process and database, and prints each one's peak memory (RSS)
against the smallest's: flat means a ratio near 1.0 however large the file.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server to make a scratch database on")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="write cProfile statistics of the first import to FILE, of the re-import to FILE.reimport",
    )
    parser.add_argument(
        "--memory-curve",
        metavar="SIZES",
        help="comma-separated item counts: peak memory of a first import of each, in its own process",
    )
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="keep the generated corpus in DIR and reuse it when it is already there (same size and seed)",
    )
    parser.add_argument(
        "--batch", type=int, metavar="N", help="items written together (the engine's BATCH, default 500)"
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="with --corpus: only the baseline and an unchanged re-import, into DATABASE_URL as it is",
    )
    parser.add_argument("--import-only", metavar="FILE", help=argparse.SUPPRESS)  # one point of the curve
    args = parser.parse_args()
    if args.memory_curve:
        memory_curve([int(size) for size in args.memory_curve.split(",")], args.postgres)
        return
    if args.existing:
        if not (args.corpus and os.environ.get("DATABASE_URL")):
            parser.error("--existing needs --corpus DIR (its items.jsonl) and DATABASE_URL")
        reimport_existing(Path(args.corpus) / "items.jsonl", args.profile)
        return

    workdir = tempfile.mkdtemp(prefix="import-bench-")
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    scratch = _scratch_postgres(args.postgres) if args.postgres else None
    if scratch:
        os.environ["DATABASE_URL"] = scratch[1]
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        if args.import_only:
            import_only(Path(args.import_only))
        else:
            run(args.size, Path(workdir), args.profile, args.corpus, args.batch)
    finally:
        if scratch:
            _drop_postgres(*scratch)
        shutil.rmtree(workdir, ignore_errors=True)  # the corpus and database: 0.7 GB at 10,000 items


def run(size, workdir, profile=None, corpus=None, batch=None):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.corpus import write

    settings.DEBUG = False  # as in production: no log of every query (it would hold the texts)
    if batch:
        from operations.importing import engine

        engine.BATCH = batch
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}, batches of {batch or 500}")
    call_command("setup_portal", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.monotonic()
    path = _corpus(Path(corpus) if corpus else workdir / "corpus", size, write)
    print(f"corpus: {size} items, {path.stat().st_size / 1e6:.0f} MB ({time.monotonic() - started:.0f} s)")
    print(f"peak memory after writing the corpus: {_peak_mb():.0f} MB")

    def validate():
        _validate(path, size)

    def import_file():
        call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115

    baseline = _timed("validation alone (baseline)", validate, size)
    first = _timed("first import", _profiled(import_file, profile), size, baseline)
    _timed("re-import, unchanged", _profiled(import_file, profile and f"{profile}.reimport"), size, baseline)
    print(f"first import: {size / first[1]:.0f} items/s of CPU, {size / first[0]:.0f} items/s wall clock")


def reimport_existing(path, profile=None):
    """The baseline and an unchanged re-import of ``path`` into the database as it is (``--existing``)."""
    import io

    import django

    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if not path.exists():
        sys.exit(f"{path} does not exist: write it with bench/corpus.py --size N --out {path.parent}")
    settings.DEBUG = False
    size = sum(1 for _line in path.open(encoding="utf-8"))
    database = connection.settings_dict["NAME"]
    print(f"Database: {connection.vendor} {database} (as it is); {path}: {size} items")
    output = io.StringIO()

    def validate():
        _validate(path, size)

    def import_file():
        call_command("import_content", str(path), stdout=output)

    baseline = _timed("validation alone (baseline)", validate, size)
    _timed("re-import, unchanged", _profiled(import_file, profile), size, baseline)
    summary = [line for line in output.getvalue().splitlines() if line.startswith("Imported")]
    print(f"the importer's summary: {summary[-1] if summary else output.getvalue()[-300:]}")


def _validate(path, size):
    """The baseline: read and validate every line of ``path`` as the import does, writing nothing."""
    from operations.importing import Reader

    reader = Reader()
    with path.open(encoding="utf-8") as lines:
        count = sum(1 for _item in reader.items(lines))
    assert not reader.errors and count == size, reader.errors[:3]


def _corpus(folder, size, write):
    """The corpus's JSONL in ``folder``: written there, unless a complete one of ``size`` items is."""
    path = folder / "items.jsonl"
    marker = folder / f".complete-{size}"
    if not marker.exists():
        for stale in folder.glob(".complete-*"):
            stale.unlink()
        path = write(folder, size, attachments=False)
        marker.touch()
    return path


def memory_curve(sizes, postgres=None):
    """Peak RSS of a first import at each size, each in its own process (peak memory only grows)."""
    import subprocess

    from bench.corpus import write

    smallest = None
    with tempfile.TemporaryDirectory(prefix="import-memory-") as folder:
        for size in sizes:
            path = write(Path(folder) / str(size), size, attachments=False)
            command = [sys.executable, __file__, "--import-only", str(path)]
            if postgres:
                command += ["--postgres", postgres]
            started = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(f"import of {size} items failed:\n{done.stderr[-2000:]}")
            before, peak = (float(n) for n in done.stdout.split()[-2:])
            smallest = smallest or (size, peak - before)
            grown = peak - before
            print(
                f"{size:7d} items ({path.stat().st_size / 1e6:5.0f} MB file): peak RSS {peak:6.0f} MB, "
                f"{grown:6.0f} MB above the process before the import, "
                f"{grown / smallest[1]:4.2f}x the {smallest[0]}-item import's "
                f"({time.monotonic() - started:.0f} s)",
                flush=True,
            )
            path.unlink()


def import_only(path):
    """One point of the curve: ``import_content`` as ``manage.py`` runs it; print RSS before and peak."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("setup_portal", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    before = _current_rss_mb()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"{before:.1f} {_peak_mb():.1f}")


def _current_rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def _profiled(work, path):
    """``work`` itself, or ``work`` under cProfile writing its statistics to ``path``."""
    if not path:
        return work

    def profiled():
        import cProfile

        profiler = cProfile.Profile()
        profiler.runcall(work)
        profiler.dump_stats(path)
        print(f"profile: {path} (python -m pstats {path})")

    return profiled


def _timed(label, work, size, baseline=None):
    server, queued = _server_cpu(), _run_queue_wait()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    server_after, queued = _server_cpu(), _run_queue_wait() - queued
    ratio = f"  {cpu / baseline[1]:5.1f}x the baseline's CPU time" if baseline else ""
    print(
        f"{label:30} {size / wall:7.0f} items/s wall ({wall:6.1f} s), "
        f"{size / cpu:7.0f} items/s CPU ({cpu:6.1f} s){ratio}; peak memory {_peak_mb():.0f} MB"
    )
    database = ""
    if server and server_after and server[0] == server_after[0]:
        database = f" (the database server's CPU: {server_after[1] - server[1]:.1f} s)"
    print(
        f"{'':30} wall = {cpu:.1f} s on a core + {queued:.1f} s waiting for one (other programs) "
        f"+ {max(0.0, wall - cpu - queued):.1f} s asleep{database}"
    )
    return wall, cpu


def _run_queue_wait():
    """Seconds this process has spent ready to run but waiting for a core (Linux's schedstat)."""
    try:
        with open("/proc/self/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except OSError:
        return 0.0


def _server_cpu():
    """``(pid, CPU seconds)`` of this connection's PostgreSQL backend, when it runs on this machine.

    With the server on the same cores, the import's wall clock is this
    process's CPU, the server's CPU and the time neither runs (round trips,
    disk, other programs): the split says which to cut.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # the server is elsewhere (or not ours to read)
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _scratch_postgres(url):
    """Create an empty database on the server of ``url``; return (admin url, scratch url, name).

    ``IMPORT_BENCH_DB_PREFIX`` starts its name: on a server several people share,
    each one's scratch databases are then told apart by their prefix.
    """
    import psycopg

    name = f"{os.environ.get('IMPORT_BENCH_DB_PREFIX', '')}import_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url, url.rsplit("/", 1)[0] + f"/{name}", name


def _drop_postgres(url, _scratch_url, name):
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
