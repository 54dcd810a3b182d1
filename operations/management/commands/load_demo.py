"""manage.py load_demo: a realistic trilingual site, from the founding document.

The demo content is data, not code: JSON Lines files in ``operations/demo/``
in the import format editors use (README, "Content and import"), loaded by
``import_content`` like any editor's file, so the demo exercises the importer
and shows what a complete record looks like. The policy documents' PDFs are
made here from their records (``operations/demo_pdfs.py``) into
``var/demo-files/``, beside a copy of the demo's other files, and imported
from there. Idempotent: items are keyed by ``external_id``, so running it
again updates them (and changes nothing the second time).
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from operations.demo_pdfs import FontsMissing, write_policy_pdfs

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def demo_files():
    """The demo's JSON Lines files: organisations and series, site texts, then each content type."""
    return sorted(DEMO_DIR.glob("*.jsonl"))


def prepare_demo_files():
    """The folder the demo reads attachments from: its shipped files, and the PDFs made from the records."""
    folder = Path(settings.VAR_DIR) / "demo-files"
    shutil.copytree(DEMO_DIR / "files", folder / "files", dirs_exist_ok=True)
    return folder


class Command(BaseCommand):
    help = "Load the demo content through import_content (idempotent)."

    def handle(self, *args, **options):
        call_command("setup_portal", verbosity=0)
        folder = prepare_demo_files()
        self.stdout.write("Making the policy documents' PDFs…")
        try:
            made = write_policy_pdfs(DEMO_DIR / "policies.jsonl", folder, progress=self.progress)
        except FontsMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{made} PDF(s) made, the others unchanged, in {folder}.")
        self.stdout.write(f"Loading the demo content from {DEMO_DIR}…")
        call_command(
            "import_content",
            *[str(path) for path in demo_files()],
            files_dir=str(folder),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        call_command("set_translation_url_paths", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def progress(self, done, total):
        if done == total or done % 10 == 0:
            self.stdout.write(f"  {done}/{total}")
