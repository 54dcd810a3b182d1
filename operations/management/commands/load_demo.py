"""manage.py load_demo: a realistic trilingual site, from the founding document.

The demo content is data, not code: JSON Lines files in ``operations/demo/``
in the import format editors use (README, "Content and import"), loaded by
``import_content`` like any editor's file, so the demo exercises the importer
and shows what a complete record looks like. Idempotent: items are keyed by
``external_id``, so running it again updates them (and changes nothing the
second time).
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def demo_files():
    """The demo's JSON Lines files: organisations and series, site texts, then each content type."""
    return sorted(DEMO_DIR.glob("*.jsonl"))


class Command(BaseCommand):
    help = "Load the demo content through import_content (idempotent)."

    def handle(self, *args, **options):
        call_command("setup_portal", verbosity=0)
        self.stdout.write(f"Loading the demo content from {DEMO_DIR}…")
        call_command(
            "import_content",
            *[str(path) for path in demo_files()],
            files_dir=str(DEMO_DIR),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        call_command("set_translation_url_paths", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
