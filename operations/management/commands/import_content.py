"""manage.py import_content FILE.jsonl [FILE.jsonl …]: create or update pages from JSON Lines.

All files are validated together before anything is written (records may
refer to each other across files); any error names its file, line and field
and nothing is imported. Attachments' paths are relative to ``--files-dir``
(default: the first file's folder). See operations/importing/.
"""

import re
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.importing import ImportFailed, import_items, read_items


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
        lines, origins = [], []  # origins[i]: (path, line number in that file) of lines[i]
        for path in paths:
            for number, line in enumerate(self.read(path), start=1):
                lines.append(line)
                origins.append((path, number))
        files_dir = options["files_dir"] or (Path(paths[0]).parent if paths[0] != "-" else Path.cwd())
        self.stdout.write(f"Validating {len(lines)} lines…")
        try:
            items = read_items(lines, files_dir=files_dir)
        except ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(self.locate(message, origins, several=len(paths) > 1))
            raise CommandError(
                f"{', '.join(paths)}: {len(exc.errors)} error(s); nothing was imported."
            ) from exc
        started = time.monotonic()
        try:
            summary = import_items(items, progress=self.progress)
        except ImportFailed as exc:  # found while writing (a slug taken meanwhile): rolled back
            for message in exc.errors:
                self.stderr.write(self.locate(message, origins, several=len(paths) > 1))
            raise CommandError("Nothing was imported.") from exc
        elapsed = time.monotonic() - started
        self.stdout.write("")
        rate = len(items) / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(items)} items in {elapsed:.1f} s ({rate:.0f} items/s): "
                f"{summary.created} created, {summary.updated} updated, {summary.skipped} unchanged."
            )
        )

    def read(self, path):
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        with stream:
            try:
                return stream.read().splitlines()
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc

    @staticmethod
    def locate(message, origins, several):
        """ "line 12, …" of the joined files as "projects.jsonl line 3, …" when there are several."""
        match = re.match(r"line (\d+)", message)
        if not several or not match:
            return message
        path, number = origins[int(match.group(1)) - 1]
        return f"{path} line {number}{message[match.end() :]}"

    def progress(self, done, total):
        """A one-line progress bar (redrawn in place on a terminal, every 10 % otherwise)."""
        width = 30
        filled = width * done // total
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="")
        elif done == total or done % max(1, total // 10) == 0:
            self.stdout.write(line)
