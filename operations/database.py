"""What the database needs after a deploy or a bulk load to plan the portal's queries well.

* **Indexes on the per-language slug columns.** A URL names a page by the slug
  of the reader's language (``portal.core.child_routes``); modeltranslation
  creates ``slug_en``, ``slug_ru``… after the migrations run
  (``sync_page_translation_fields``) and without the index Wagtail's own
  ``slug`` has, so finding one of 35,000 siblings by slug scanned them all
  (about 110 ms a page at 100,000 items; with the index, under 1 ms).
* **Trigram indexes on the columns the search's database fallback reads**
  (``search.fallback.contains_columns``: each language's title and summary),
  on PostgreSQL with ``pg_trgm`` (``portal_search`` migration 0003): its
  "contains" (``UPPER(col) LIKE UPPER('%word%')``) read every row of each
  type's table without them (4.3 s at 100,000 items for a word no page holds).
  They are made here rather than in a migration because the title columns are
  modeltranslation's, added after the migrations.
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
from search import fallback

SLUG_INDEX = "portal_page_slug_{code}"
TRIGRAM_INDEX = "portal_trgm_{table}_{column}"


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


def ensure_trigram_indexes(progress=None):
    """Create the trigram indexes of the fallback's "contains" columns if missing (idempotent; on
    PostgreSQL with ``pg_trgm`` only). ``progress(table, column)`` is called before each one made:
    a minute or more each at 100,000 items. Returns the number made."""
    if connection.vendor != "postgresql":
        return 0
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        present = {name for (name,) in cursor.fetchall()}
    if connection.in_atomic_block:
        connection.check_constraints()  # see ensure_slug_indexes
    made = 0
    for table, columns in fallback.contains_columns().items():
        for column in columns:
            # PostgreSQL cuts a name at 63 bytes: the index's name is checked as it will be stored.
            name = TRIGRAM_INDEX.format(table=table, column=column)[:63]
            if name in present:
                continue
            if progress:
                progress(table, column)
            with connection.cursor() as cursor:
                # UPPER(…): what Django's icontains compares on PostgreSQL.
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
                    f"USING gin (UPPER({quote(column)}) gin_trgm_ops)"
                )
            made += 1
    return made


def analyze():
    """Refresh the planner's statistics of every table (seconds at 100,000 items)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
