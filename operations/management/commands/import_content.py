"""manage.py import_content FILE.jsonl: create or update pages from JSON Lines.

The file is read as a stream (memory does not grow with its size), validated
line by line and written in batches inside one transaction; any error names
its line and field and nothing is imported. See operations/importing/.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from operations.importing import ImportFailed, import_lines


class Command(BaseCommand):
    help = "Import projects, trainings, policy documents and news from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one item a line ('-' for standard input)")

    def handle(self, *args, **options):
        path = options["file"]
        self.total = None if path == "-" else _count_lines(path)
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        self.stdout.write(f"Importing {self.total} lines…" if self.total is not None else "Importing…")
        self.started = time.monotonic()
        self.shown_tenth = 0
        with stream:
            try:
                summary = import_lines(stream, progress=self.progress)
            except UnicodeDecodeError as exc:
                raise CommandError(
                    f"{path} is not UTF-8 text (byte {exc.start} of a block); save it as UTF-8. "
                    "Nothing was imported."
                ) from exc
            except ImportFailed as exc:
                self.stdout.write("")
                for message in exc.errors:
                    self.stderr.write(message)
                raise CommandError(f"{path}: {len(exc.errors)} error(s); nothing was imported.") from exc
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


def _count_lines(path):
    """Lines in the file (for the progress bar), counted in binary without keeping them."""
    try:
        with open(path, "rb") as stream:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
