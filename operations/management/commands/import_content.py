"""manage.py import_content FILE.jsonl: create or update pages from JSON Lines.

The whole file is validated before anything is written; any error names its
line and field and nothing is imported. See operations/importing/.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from operations.importing import ImportFailed, import_items, read_items


class Command(BaseCommand):
    help = "Import projects, trainings, policy documents and news from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one item a line ('-' for standard input)")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        with stream:
            try:
                lines = stream.read().splitlines()
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
        self.stdout.write(f"Validating {len(lines)} lines…")
        try:
            items = read_items(lines)
        except ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(f"{path}: {len(exc.errors)} error(s); nothing was imported.") from exc
        started = time.monotonic()
        summary = import_items(items, progress=self.progress)
        elapsed = time.monotonic() - started
        self.stdout.write("")
        rate = len(items) / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(items)} items in {elapsed:.1f} s ({rate:.0f} items/s): "
                f"{summary.created} created, {summary.updated} updated, {summary.skipped} unchanged."
            )
        )

    def progress(self, done, total):
        """A one-line progress bar (redrawn in place on a terminal, every 10 % otherwise)."""
        width = 30
        filled = width * done // total
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="")
        elif done == total or done % max(1, total // 10) == 0:
            self.stdout.write(line)
