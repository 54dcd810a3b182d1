"""An index on Wagtail's page ids as text, for the admin's page search at 100,000 pages.

Wagtail's database search backend keeps its entries' ``object_id`` as text and
joins them to the pages on ``page.id::varchar(50) = object_id``: no index
served that cast, so each of the explorer search's three queries (the count,
the page types' counts, the ranked page) read every page (0.2 s each for
"water" at 100,000 pages; 1.1 s for the screen). With this index, each is a
lookup per matching entry. The query is Wagtail's own; only PostgreSQL's
backend joins this way (SQLite's full-text tables do not): nothing elsewhere.
"""

from django.db import migrations

NAME = "portal_page_id_as_text"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The expression exactly as Wagtail's join casts the id, or the planner will not match it.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page (((id::varchar(50))::text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_admin_page_indexes")]

    operations = [migrations.RunPython(create, drop)]
