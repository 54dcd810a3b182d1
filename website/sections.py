"""The site's sections: each content type, its index page and its latest items.

Read by the main navigation, the home page and the country pages, so the list
of sections is derived once, from the content-type declarations
(``portal.core.content_types``).
"""

from dataclasses import dataclass

from django.apps import apps

from portal.core import content_types, facts
from portal.core.listing import IndexPage, pages_by_id, written_in


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

    def latest(self, limit=4, language="", country=""):
        """The newest live pages of this section, in listing order (a list of pages).

        ``language``: only pages written in it (``?language=ru``), else all, fallbacks marked;
        ``country``: only pages concerning it (an ISO code), chosen from the type's facts
        (``portal.core.facts``: the database would walk the listing index joining every page's
        countries). Without a country the listing index gives the first rows at once.
        """
        if country:
            type_facts = facts.of(self.model)
            rows = type_facts.having(type_facts.rows(), content_types.COUNTRIES.name, country)
            if language:
                rows = type_facts.written_in(rows, language)
            return pages_by_id(self.model, type_facts.page_ids(rows[:limit]))
        pages = self.model.objects.live()
        if language:
            pages = written_in(pages, language)
        return list(pages.order_by(*self.options.listing_order())[:limit])


def index_page_models():
    return [m for m in apps.get_models() if issubclass(m, IndexPage)]


def sections(request=None):
    """One Section per content model that has an index page type, in navigation order.

    With ``request``, read once per request: the navigation (twice: header and menu),
    the feed links and the page itself each ask, and reading the index pages was a
    third of a reader's page's time when they asked the database each time.
    """
    if request is None:
        return _read_sections()
    held = getattr(request, "_portal_sections", None)
    if held is None:
        held = request._portal_sections = _read_sections()
    return held


def _read_sections():
    indexes = {}
    for index_model in index_page_models():
        indexes[index_model.child_page_model.lower()] = index_model.objects.live().first()
    result = []
    for options in content_types.all():
        key = options.model._meta.label_lower
        if key in indexes:
            result.append(Section(options.model, indexes[key]))
    return result
