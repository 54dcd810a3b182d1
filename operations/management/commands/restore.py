"""``manage.py restore DIR``: bring an instance back to the content of a ``backup``.

Replaces everything: migrates the database, empties it, loads DIR/database.json,
puts DIR/media/ back as MEDIA_ROOT, and rebuilds what the backup leaves out
(Wagtail's search and reference indexes). Then run
``manage.py search_index rebuild`` to refill Elasticsearch.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

FTS_TABLES = {"wagtailsearch_indexentry_fts", "modelsearch_indexentry_fts"}


class Command(BaseCommand):
    help = "Restore a backup made by 'manage.py backup' (replaces the database and media files)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, directory, interactive=True, **options):
        source = Path(directory)
        database = source / "database.json"
        if not database.is_file():
            raise CommandError(f"{database} not found: is {source} a backup made by 'manage.py backup'?")
        if interactive:
            answer = input("This replaces the whole database and MEDIA_ROOT. Type 'yes' to go on: ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        self.stdout.write("1/4 Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("2/4 Loading the database…")
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # TRUNCATE refuses to run with deferred constraint checks pending in the transaction.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Every table emptied, content types and permissions too: they come back with their ids.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            ContentType.objects.clear_cache()
            call_command("loaddata", str(source / "contenttypes.json"), verbosity=0)
            call_command("loaddata", str(database), verbosity=0)
        self.stdout.write("3/4 Putting the media files back…")
        media = Path(settings.MEDIA_ROOT)
        if (source / "media").is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(source / "media", media)
        self.stdout.write("4/4 Rebuilding derived data…")
        call_command("rebuild_references_index", verbosity=0)
        with connection.cursor() as cursor:  # SQLite's full-text tables are not emptied by flush
            for table in set(connection.introspection.table_names()) & FTS_TABLES:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}. Next: manage.py search_index rebuild"))
