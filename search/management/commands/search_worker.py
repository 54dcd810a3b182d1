"""``manage.py search_worker [--once]``: drain the indexing outbox, in a loop.

Run as many as you like, on as many machines: on PostgreSQL each batch is
taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (``indexing._pending_rows``),
so two workers never take the same row (``tests/test_search_workers.py``).
After a drain that indexed or removed an item in several languages, the
worker learns the term pairings again (``search.pairings``).
"""

import time

from django import db
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from search import attachments, client
from search.indexing import BATCH_SIZE, drain, enqueue, pending_count


class Command(BaseCommand):
    help = "Send pending search index changes (the outbox) to Elasticsearch."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is pending, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help="outbox rows per bulk request (default %(default)s)",
        )

    def handle(self, once=False, interval=1.0, batch_size=BATCH_SIZE, **options):
        if not once:
            self.stdout.write(
                f"search_worker: draining the outbox every {interval:g} s, {batch_size} rows a batch"
            )
            self.stdout.flush()
        while True:
            if client.is_configured():
                try:
                    # New PDFs first: their text is read from the files here, never in a request.
                    enqueue(attachments.extract_pending(limit=20))
                    result = drain(batch_size=batch_size)
                except DatabaseError as exc:
                    # The database restarted or dropped us: reconnect on the next round.
                    if once:
                        raise
                    self.stderr.write(f"database error, reconnecting: {exc}")
                    db.connections.close_all()
                    time.sleep(interval)
                    continue
                if result.processed or result.failed or result.engine_down:
                    self.stdout.write(
                        f"indexed {result.indexed}, removed {result.deleted}, failed {result.failed}"
                        + (f"; engine down, {pending_count()} pending" if result.engine_down else "")
                    )
                if once:
                    return
                # After a failure, wait as long as queries do before retrying.
                time.sleep(client.RETRY_AFTER if result.engine_down else interval)
            else:
                self.stdout.write("ELASTICSEARCH_URL is not set; nothing to do.")
                return
