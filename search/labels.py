"""Human labels of facet values in the reader's language (the index stores codes)."""

from django.utils import translation

from portal.core import content_types
from portal.core.models import Country, Theme
from portal.core.translated import shown
from search.params import status_labels


def facet_labels(lang):
    """``{facet param: {value: label}}``; a value missing here is shown as itself."""
    with translation.override(lang):
        return {
            "type": {t.import_name: str(t.model._meta.verbose_name) for t in content_types.all()},
            "country": {c.code: str(shown(c, "name", lang)) for c in Country.objects.all()},
            "theme": {t.slug: str(shown(t, "name", lang)) for t in Theme.objects.all()},
            "year": {},
            "status": status_labels(),
        }
