"""``manage.py backup DIR``: the database, the uploaded files and the thesaurus, into DIR.

DIR/database.json   every table as Django fixtures (``dumpdata``: works on SQLite
                    and PostgreSQL alike, and from one to the other)
DIR/contenttypes.json  content types and permissions, loaded first
DIR/media/          a copy of MEDIA_ROOT (documents, images, renditions)
DIR/thesaurus.ttl   the thesaurus and gazetteer as SKOS (``skos_export``), readable
                    by other tools
DIR/manifest.json   when, from which database, how many objects

Derived data is left out and rebuilt by ``restore``: the search outbox, Wagtail's
search and reference indexes, sessions. Restore into the same code version
(the same migrations).
"""

import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

# Rebuilt, not restored. Content types and permissions are kept with their ids
# (Wagtail's collections and pages have natural keys that cannot name every row).
EXCLUDE = [
    "contenttypes",  # in contenttypes.json
    "auth.permission",
    "sessions",
    "admin.logentry",
    "portal_search.indextask",
    "portal_search.analysedtext",  # a cache of the index's analysis: rebuilt by search_index rebuild
    "wagtailsearch.indexentry",
    "wagtailcore.referenceindex",
    "vocab.vocabularyversion",  # a cache-busting counter, bumped again by the restore
]


class Command(BaseCommand):
    help = "Back up the database, media files and thesaurus into a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, directory, **options):
        target = Path(directory)
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty; back up into a new directory.")
        target.mkdir(parents=True, exist_ok=True)
        self.stdout.write("1/3 Database…")
        database = target / "database.json"
        call_command(
            "dumpdata",
            exclude=EXCLUDE,
            output=str(database),
            indent=None,
            verbosity=0,
        )
        # Loaded first on restore, before any signal handler asks for a content type.
        call_command(
            "dumpdata",
            "contenttypes",
            "auth.permission",
            output=str(target / "contenttypes.json"),
            verbosity=0,
        )
        self.stdout.write("2/3 Media files…")
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.copytree(media, target / "media")
        else:
            (target / "media").mkdir()
        self.stdout.write("3/3 Thesaurus as SKOS…")
        call_command("skos_export", str(target / "thesaurus.ttl"), format="turtle", verbosity=0)
        data = json.loads(database.read_text())
        objects = len(data)
        manifest = {
            "created": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "objects": objects,
            "media_files": sum(1 for p in (target / "media").rglob("*") if p.is_file()),
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {objects} objects and {manifest['media_files']} files to {target}."
            )
        )
