"""``manage.py load_vocabularies``: the starter thesaurus and gazetteer into the database.

Idempotent, keyed by identifier: rerunning updates labels and links and adds
new entries; entries edited only in the admin and absent from the files are
left alone. Each file is validated whole before anything is written.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vocab import loading


class Command(BaseCommand):
    help = "Load the thesaurus and gazetteer JSONL files (idempotent, keyed by identifier)."

    def add_arguments(self, parser):
        parser.add_argument("--thesaurus", default=str(loading.THESAURUS), help="thesaurus JSONL file")
        parser.add_argument("--gazetteer", default=str(loading.GAZETTEER), help="gazetteer JSONL file")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def progress(label):
            def report(done, total):
                if verbosity and (done == total or done % 100 == 0):
                    self.stdout.write(f"  {label}: {done}/{total}")

            return report

        try:
            concepts = loading.read_jsonl(options["thesaurus"])
            places = loading.country_places() + loading.read_jsonl(options["gazetteer"])
            if verbosity:
                self.stdout.write(_("Loading %(n)s concepts…") % {"n": len(concepts)})
            c_new, c_upd = loading.load_concepts(concepts, progress("concepts"))
            if verbosity:
                self.stdout.write(_("Loading %(n)s places…") % {"n": len(places)})
            p_new, p_upd = loading.load_places(places, progress("places"))
        except (OSError, loading.VocabularyError) as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Vocabularies loaded: %(c)s concepts (%(cn)s new, %(cu)s changed), "
                        "%(p)s places (%(pn)s new, %(pu)s changed)."
                    )
                    % dict(c=len(concepts), cn=c_new, cu=c_upd, p=len(places), pn=p_new, pu=p_upd)
                )
            )
