"""Two indexes on Wagtail's page table for the admin at 100,000 pages.

* ``latest_revision_created_at DESC NULLS LAST``: the page explorer and the
  "Missing translations" report list pages newest edit first, 50 at a time;
  without it PostgreSQL read and sorted every page of the section or the site
  for each screen (0.1-0.5 s; with it, the first 50 rows in index order).
* ``depth``: treebeard finds the root (``depth = 1``) on every admin screen;
  without it that was a scan of every page (0.1-0.2 s).

Wagtail's own migrations do not create them; ``IF NOT EXISTS`` keeps the step
idempotent. SQLite does not take ``NULLS LAST`` in an index: it gets a plain one.
"""

from django.db import migrations

INDEXES = {
    "portal_page_latest_edit": "(latest_revision_created_at DESC NULLS LAST)",
    "portal_page_depth": "(depth)",
}


def create(apps, schema_editor):
    for name, columns in INDEXES.items():
        if schema_editor.connection.vendor != "postgresql":
            columns = columns.replace(" DESC NULLS LAST", "")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page {columns}")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_translation_gaps")]

    operations = [migrations.RunPython(create, drop)]
