"""Find and clear text that was copied into a language nobody wrote it in.

Before issue 16, saving a draft from an admin in another language copied the
page's title into that language, and ``setup_portal`` copied text into the
default language; see :mod:`portal.core.honest_translations`.
"""

from django.core.management.base import BaseCommand

from portal.core.honest_translations import find_invented, repair


class Command(BaseCommand):
    help = (
        "Clear titles and other translated text copied verbatim into another language "
        "(Cyrillic in the English column, …). --dry-run lists them only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be cleared, change nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        self.stdout.write("Looking for text copied into another language…")
        found = list(find_invented())
        if verbosity:
            for item in found:
                self.stdout.write(f"  {item}")
        if not found:
            self.stdout.write(self.style.SUCCESS("Nothing to repair."))
            return
        if dry_run:
            self.stdout.write(f"{len(found)} column(s) would be cleared; run without --dry-run to clear them")
            return
        repair(found)
        self.stdout.write(self.style.SUCCESS(f"Cleared {len(found)} copied column(s)."))
