"""``manage.py build_dictionaries``: parse the bilingual dictionaries into var/ (idempotent).

Search builds them on first use anyway; ``scripts/bootstrap`` runs this so the
first query after a deploy does not pay the few seconds.
"""

from django.core.management.base import BaseCommand

from search import dictionaries


class Command(BaseCommand):
    help = "Build the cached query-translation dictionaries (CC-CEDICT, Mueller, FreeDict)."

    def handle(self, *args, **options):
        tables = dictionaries.tables()
        if options["verbosity"]:
            sizes = ", ".join(f"{k} {len(v)}" for k, v in tables.items() if isinstance(v, dict))
            sources = ", ".join(tables["sources"])
            self.stdout.write(f"{dictionaries.cache_path()}: {sizes}; sources: {sources}")
