"""``manage.py search_index rebuild|check [--fix]``."""

from django.core.management.base import BaseCommand, CommandError

from search import client, rebuild
from search.indexing import drain, enqueue
from search.models import IndexTask


class Command(BaseCommand):
    help = "Rebuild the search index behind its aliases, or check it against the database."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--fix", action="store_true", help="check: enqueue and index what is wrong")

    def handle(self, action, fix=False, **options):
        if not client.is_configured():
            raise CommandError("ELASTICSEARCH_URL is not set.")
        if not client.ping():
            raise CommandError(f"Elasticsearch does not answer at {client.url()}.")
        if action == "rebuild":
            rebuild.rebuild(out=self.stdout)
            return
        result = rebuild.check()
        self.stdout.write(
            f"missing: {len(result.missing)}, stale: {len(result.stale)}, not live: {len(result.extra)}"
        )
        for label, ids in (("missing", result.missing), ("stale", result.stale), ("not live", result.extra)):
            if ids:
                self.stdout.write(
                    f"  {label}: {', '.join(map(str, ids[:50]))}{' …' if len(ids) > 50 else ''}"
                )
        if fix and not result.ok:
            enqueue(result.missing + result.stale)
            enqueue(result.extra, IndexTask.Action.DELETE)
            done = drain()
            self.stdout.write(f"fixed: {done.indexed} indexed, {done.deleted} removed")
        elif not result.ok:
            raise CommandError("the index differs from the database (run with --fix)")
