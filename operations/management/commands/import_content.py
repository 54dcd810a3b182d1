"""manage.py import_content FILE.jsonl [FILE.jsonl …]: create or update pages from JSON Lines.

The files are read as one stream, in the order given (memory does not grow
with their size), validated line by line and written in batches inside one
transaction; records may refer to each other across files. Any error names
its file, line and field and nothing is imported. Attachments' paths are
relative to ``--files-dir`` (default: the first file's folder). See
operations/importing/.
"""

import bisect
import re
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations import database
from operations.importing import ImportFailed, import_lines


class Command(BaseCommand):
    help = "Import projects, trainings, policy documents, news, organisations and series from JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="+", help="JSON Lines file(s), one item a line ('-' for standard input)"
        )
        parser.add_argument(
            "--files-dir",
            help="folder the attachments' 'file' paths are relative to (default: the first file's folder)",
        )

    def handle(self, *args, **options):
        paths = options["file"]
        if paths.count("-") and len(paths) > 1:
            raise CommandError("Standard input ('-') can only be imported alone.")
        self.total = None if "-" in paths else sum(_count_lines(path) for path in paths)
        files_dir = options["files_dir"] or (Path(paths[0]).parent if paths[0] != "-" else Path.cwd())
        self.stdout.write(f"Importing {self.total} lines…" if self.total is not None else "Importing…")
        self.started = time.monotonic()
        self.shown_tenth = 0
        files = _Files(paths)
        _small_statement_cache()
        try:
            summary = import_lines(files.lines(), progress=self.progress, files_dir=files_dir)
        except ImportFailed as exc:
            self.stdout.write("")
            for message in exc.errors:
                self.stderr.write(files.locate(message))
            raise CommandError(
                f"{', '.join(paths)}: {len(exc.errors)} error(s); nothing was imported."
            ) from exc
        database.analyze()  # the planner must know the new rows now, not at autovacuum's next pass
        elapsed = time.monotonic() - self.started
        self.stdout.write("")
        rate = summary.total / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.total} items in {elapsed:.1f} s ({rate:.0f} items/s): "
                f"{summary.created} created, {summary.updated} updated, {summary.skipped} unchanged."
            )
        )

    def progress(self, done):
        """A one-line progress bar (redrawn in place on a terminal, every 10 % otherwise)."""
        elapsed = time.monotonic() - self.started
        rate = f"{done / elapsed:.0f} items/s" if elapsed else ""
        if not self.total:
            line = f"{done} items, {rate}"
        else:
            width = 30
            filled = min(width, width * done // self.total)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {rate}"
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="")
        elif self.total is None or done * 10 // self.total != self.shown_tenth:
            self.shown_tenth = done * 10 // (self.total or 1)
            self.stdout.write(line)


# SQLite's prepared statements the import may keep at once (Python's default: 128).
IMPORT_STATEMENT_CACHE = 16


def _small_statement_cache():
    """On SQLite, reconnect with a statement cache of :data:`IMPORT_STATEMENT_CACHE` entries.

    Python's sqlite3 keeps each cached prepared statement with the values last
    bound to it, and the import's multi-row INSERTs bind a whole batch's texts;
    their SQL differs with the rows a model has in the batch, so every batch
    added statements holding megabytes (60 kB an item in SQLite's own memory,
    growing with the file). A small cache bounds that to a few batches; the
    statements it prepares again cost nothing next to a batch's writes. Only
    when no transaction is open (a caller's transaction cannot be reconnected).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    connection.close()
    connection.settings_dict.setdefault("OPTIONS", {})["cached_statements"] = IMPORT_STATEMENT_CACHE


class _Files:
    """Several files read as one stream of lines; a line number of the stream back to file and line."""

    def __init__(self, paths):
        self.paths = paths
        self.starts = []  # the stream's line number before each file's first line

    def lines(self):
        read = 0
        for path in self.paths:
            self.starts.append(read)
            stream = self._open(path)
            with stream:
                try:
                    for line in stream:
                        read += 1
                        yield line
                except UnicodeDecodeError as exc:
                    raise CommandError(
                        f"{path} is not UTF-8 text (byte {exc.start} of a block); save it as UTF-8. "
                        "Nothing was imported."
                    ) from exc

    @staticmethod
    def _open(path):
        try:
            return sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc

    def locate(self, message):
        """ "line 12, …" of the stream as "projects.jsonl line 3, …" when there are several files."""
        match = re.match(r"line (\d+)", message)
        if len(self.paths) < 2 or not match:
            return message
        number = int(match.group(1))
        index = bisect.bisect_left(self.starts, number) - 1
        return f"{self.paths[index]} line {number - self.starts[index]}{message[match.end() :]}"


def _count_lines(path):
    """Lines in the file (for the progress bar), counted in binary without keeping them."""
    try:
        with open(path, "rb") as stream:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
