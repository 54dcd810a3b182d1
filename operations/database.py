"""What the database needs after a deploy or a bulk load to plan the portal's queries well.

* **Indexes on the per-language slug columns.** A URL names a page by the slug
  of the reader's language (``portal.core.child_routes``); modeltranslation
  creates ``slug_en``, ``slug_ru``… after the migrations run
  (``sync_page_translation_fields``) and without the index Wagtail's own
  ``slug`` has, so finding one of 35,000 siblings by slug scanned them all
  (about 110 ms a page at 100,000 items; with the index, under 1 ms).
* **Planner statistics** (``ANALYZE``). PostgreSQL's autovacuum analyses a
  table only after enough rows change, so a table of one row (each list's
  index page) is never analysed: the planner then guesses hundreds of rows
  and reads the navigation's section pages by walking all 100,000 pages in
  tree order (250 ms each, five on every page). Run at the end of
  ``setup_portal`` and of ``import_content``, whose one transaction may add
  100,000 pages at once.
"""

from django.db import connection

from portal import languages

SLUG_INDEX = "portal_page_slug_{code}"


def ensure_slug_indexes():
    """Create the per-language slug indexes of ``wagtailcore_page`` if missing (idempotent).

    Inside a transaction that has just written pages, PostgreSQL refuses to
    index the table while its deferred foreign-key checks are pending ("pending
    trigger events"): they are run first, as Django's ``check_constraints`` does.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        connection.check_constraints()
    with connection.cursor() as cursor:
        for code in languages.LANGUAGE_CODES:
            column = languages.localized_field("slug", code)
            name = SLUG_INDEX.format(code=column.removeprefix("slug_"))
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {connection.ops.quote_name(name)} "
                f"ON wagtailcore_page ({connection.ops.quote_name(column)})"
            )


def analyze():
    """Refresh the planner's statistics of every table (seconds at 100,000 items)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
