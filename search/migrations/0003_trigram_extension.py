"""PostgreSQL's ``pg_trgm`` extension, for the trigram indexes of the database fallback's "contains".

The indexes themselves are made by ``setup_portal`` (``operations.database.ensure_trigram_indexes``):
the title columns they index are modeltranslation's, added after the migrations. Nothing on SQLite.

``pg_trgm`` is a trusted extension (PostgreSQL 13 and later): the database's owner may create it,
no superuser needed, if the server has PostgreSQL's contrib modules (Debian's ``postgresql``
package has them). Where it cannot be created the migration says so and goes on: the fallback then
scans, bounded in time (``search.fallback.CONTAINS_SECONDS``).
"""

import sys

from django.db import DatabaseError, migrations, transaction


def create_extension(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        sys.stderr.write(
            f"\nCould not create PostgreSQL's pg_trgm extension ({error}). The search's database fallback "
            "will scan instead of using trigram indexes: as the database's owner or a superuser, run "
            "CREATE EXTENSION pg_trgm; in this database, then manage.py setup_portal.\n"
        )


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_analysed_text_document_text")]

    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
