"""The site's sections: each content type, its index page and its latest items.

Read by the main navigation, the home page and the country pages, so the list
of sections is derived once, from the content-type declarations
(``portal.core.content_types``).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import F

from portal.core import content_types
from portal.core.listing import IndexPage


@dataclass
class Section:
    model: type  # the content page model
    index: object  # its live index page, or None

    @property
    def options(self):
        return content_types.by_model(self.model)

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    def latest(self, limit=4, **filters):
        """The newest live pages of this section, by the model's listing date."""
        return (
            self.model.objects.live()
            .filter(**filters)
            .order_by(F(self.options.listing_date).desc(nulls_last=True), "-first_published_at")[:limit]
        )


def index_page_models():
    return [m for m in apps.get_models() if issubclass(m, IndexPage)]


def sections():
    """One Section per content model that has an index page type, in navigation order."""
    indexes = {}
    for index_model in index_page_models():
        indexes[index_model.child_page_model.lower()] = index_model.objects.live().first()
    result = []
    for options in content_types.all():
        key = options.model._meta.label_lower
        if key in indexes:
            result.append(Section(options.model, indexes[key]))
    return result
