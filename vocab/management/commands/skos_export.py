"""``manage.py skos_export [--format turtle|xml] FILE``: the thesaurus as SKOS."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vocab import skos


class Command(BaseCommand):
    help = "Export the thesaurus as SKOS (Turtle or RDF/XML)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["turtle", "xml"], default="turtle")

    def handle(self, *args, **options):
        count = skos.export(options["file"], options["format"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Exported %(n)s concepts to %(file)s.") % {"n": count, "file": options["file"]}
            )
        )
