from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabConfig(AppConfig):
    """The thesaurus and the gazetteer: labels in every language, for cross-language search.

    Stands on the ground floor only (``portal.core`` and ``portal.languages``);
    the search app reads it, never the other way round.
    """

    name = "vocab"
    label = "vocab"
    verbose_name = _("Vocabularies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.core.models import Country, Organisation, Theme
        from vocab import versioning
        from vocab.models import Concept, Place

        versioning.watch(Concept, Place, Country, Theme, Organisation)
