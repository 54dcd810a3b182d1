"""``manage.py skos_import FILE``: concepts from SKOS (Turtle or RDF/XML), validated first.

Keyed by identifier (the last part of the concept's URI): existing concepts
are updated, new ones created. A bad file writes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vocab import skos
from vocab.loading import VocabularyError


class Command(BaseCommand):
    help = "Import thesaurus concepts from a SKOS file (validated whole before writing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format", choices=["turtle", "xml"], default=None, help="default: from the file name"
        )

    def handle(self, *args, **options):
        try:
            created, updated = skos.import_file(options["file"], options["format"])
        except FileNotFoundError as exc:
            raise CommandError(_("No such file: %(file)s") % {"file": options["file"]}) from exc
        except VocabularyError as exc:
            raise CommandError(_("Nothing imported: %(error)s") % {"error": exc}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported concepts: %(c)s new, %(u)s changed.") % {"c": created, "u": updated}
            )
        )
