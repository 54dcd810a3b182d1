"""One declaration per content type, read by every floor above.

A content page model says, next to its fields, everything the rest of the
portal needs to know about its type::

    class ProjectPage(ContentPage):
        type_options = ContentTypeOptions(
            import_name="project",        # "type" in import files, the search index and the API
            api_name="projects",          # /api/v1/projects/, /<lang>/feeds/projects/rss.xml
            listing_date="start_date",    # lists newest first by it; the year filter reads it
            facets=(COUNTRIES, THEMES, choice("status", index_field="status"), YEARS),
            feed=True,
            nav_order=10,
            import_fields=("status", "start_date", ...),
        )

and its app's ``translation.py`` registers the translated fields with
modeltranslation (the one list of them: :attr:`ContentTypeOptions.translated_fields`
reads it back). Who reads what:

- the site's lists (``portal.core.listing``): ``listing_date``, ``facets``;
- navigation, home page, country pages, feeds (``website``): ``nav_order``, ``feed``;
- the importer (``operations.importing``): ``import_name``, ``import_fields``, ``import_aliases``;
- search (``search``): ``import_name`` as the item's type, :func:`search_facets`,
  ``index_text_fields``;
- the API (``api``): ``api_name``, the facets' ``api_param``, ``import_fields``.

This module is in the ground floor: it never imports a content app; the
registry finds the declarations among the installed models.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F, Index, OrderBy
from django.utils.translation import gettext_lazy as _

from portal import languages

# Kinds of facet: where the values come from and how a list filters by them.
COUNTRY = "country"  # the page's countries, by ISO code
THEME = "theme"  # the page's themes, by slug
CHOICE = "choice"  # a model field with ``choices``
YEAR = "year"  # the year of the type's listing date
TYPE = "type"  # the content type itself (search only: lists show one type)
LANGUAGE = "language"  # the languages a page is written in (not its fallbacks): every type has it


@dataclass(frozen=True)
class Facet:
    """One way to narrow a list: on the site's lists, in search and in the API.

    ``name`` is the query parameter of the site's lists (and of the search
    page and ``/api/search/`` when ``index_field`` is set); ``api_param`` is the
    parameter of ``/api/v1/`` when it differs (``document_type`` there is ``type``).
    """

    name: str
    kind: str
    field: str = ""  # CHOICE: the model field; COUNTRY/THEME: the lookup; YEAR: "" (the listing date)
    index_field: str = ""  # the search index's field; "" when search does not offer it
    api_param: str = ""
    label: str = ""  # "" for CHOICE: the model field's verbose name

    @property
    def api_name(self):
        return self.api_param or self.name

    def lookup(self, options):
        """The queryset lookup of this facet on a type's pages (``countries__code``, ``start_date__year``)."""
        if self.kind == YEAR:
            return f"{options.listing_date}__year"
        return self.field

    def label_for(self, model):
        """The facet's name as a reader sees it, in the active language."""
        if self.label:
            return self.label
        return model._meta.get_field(self.field).verbose_name

    def choices(self, model):
        """``[(value, label)]`` of a CHOICE facet on ``model``."""
        return list(model._meta.get_field(self.field).choices)


COUNTRIES = Facet("country", COUNTRY, field="countries__code", index_field="countries", label=_("Country"))
THEMES = Facet("theme", THEME, field="themes__slug", index_field="themes", label=_("Theme"))
YEARS = Facet("year", YEAR, index_field="year", label=_("Year"))
TYPES = Facet("type", TYPE, index_field="type", label=_("Type"))
# Every list, search and feed offers it, whatever the type declares (``?language=ru``).
CONTENT_LANGUAGES = Facet(
    languages.CONTENT_LANGUAGE_PARAM, LANGUAGE, index_field="languages", label=_("Language of content")
)


def choice(field_name, *, index_field="", api_param=""):
    """A facet over a model field with ``choices``, e.g. ``choice("status", index_field="status")``."""
    return Facet(field_name, CHOICE, field=field_name, index_field=index_field, api_param=api_param)


# Translated fields of wagtail's Page (registered by wagtail_modeltranslation)
# that are not the type's own texts: the URL machinery and the SEO overrides.
PAGE_FIELDS_NOT_TEXT = ("slug", "url_path", "seo_title", "search_description")


class ListingIndex(Index):
    """An index in listing order; on SQLite without ``NULLS LAST``, which its indexes cannot declare.

    SQLite sorts NULL below every value, so a plain descending index already
    puts undated items last there.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite":
            plain = [OrderBy(e.expression, descending=e.descending) for e in self.expressions]
            return Index(*plain, name=self.name).create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def listing_index(listing_date, name):
    """The index every list of a type reads, newest first: ``(listing date DESC NULLS LAST, id DESC)``.

    Put in the model's ``Meta.indexes`` with its ``listing_date``
    (``tests/test_serving_scale.py`` checks they agree). Without it a list, the
    API's pages and the home page's latest items sort every live item of the
    type on each request; with it they read the first rows in order, whatever
    the size of the archive. (The site's lists break ties by first
    publication: PostgreSQL sorts only within equal dates.)
    """
    return ListingIndex(F(listing_date).desc(nulls_last=True), F("page_ptr").desc(), name=name)


@dataclass
class ContentTypeOptions:
    """The declaration of one content type (see the module's docstring)."""

    import_name: str
    api_name: str
    listing_date: str
    facets: tuple = (COUNTRIES, THEMES, YEARS)
    nav_order: int = 100  # position in the navigation, on the home page and in the API's index
    feed: bool = False  # RSS and Atom feeds at /<lang>/feeds/<api_name>/
    import_fields: tuple = ()  # plain (untranslated) fields an import file may set
    import_aliases: dict = field(default_factory=dict)  # {name in files: model field}
    optional_fields: tuple = ()  # translated fields that may stay empty in every language
    model: type = field(default=None, init=False, repr=False)

    def listing_order(self):
        """The order of every list of the type: newest ``listing_date`` first, undated last, then the
        latest first publication, then the newest id (the site's lists, feeds, home page and facts)."""
        return (F(self.listing_date).desc(nulls_last=True), F("first_published_at").desc(), F("pk").desc())

    def __set_name__(self, owner, name):
        """Python calls this when the model class is created: the declaration learns its model."""
        self.model = owner

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def translated_fields(self):
        """``("title", "summary", "body", …)``: the fields modeltranslation has in every language.

        Read from modeltranslation's registry (the app's ``translation.py``),
        so a field is declared translated in one place.
        """
        from modeltranslation.translator import NotRegistered, translator

        try:
            names = list(translator.get_options_for_model(self.model).all_fields)
        except NotRegistered:
            return ("title",)
        own = [n for n in names if n != "title" and n not in PAGE_FIELDS_NOT_TEXT]
        # In the order the model defines them (modeltranslation keeps no order).
        own.sort(key=lambda name: self.model._meta.get_field(name).creation_counter)
        return ("title", *own)

    @property
    def index_text_fields(self):
        """The translated fields search indexes: every text a reader sees, in every language,
        and the search description editors may write for search engines."""
        return (*self.translated_fields, "search_description")

    def facet(self, name):
        return next((f for f in self.facets if f.name == name), None)


def all():  # noqa: A001 - read as content_types.all()
    """Every declared content type, in navigation order."""
    found = [
        model.__dict__["type_options"] for model in apps.get_models() if "type_options" in model.__dict__
    ]
    return sorted(found, key=lambda options: options.nav_order)


def models():
    """The model classes of :func:`all`, in the same order."""
    return [options.model for options in all()]


def by_model(model):
    """The declaration of ``model`` (or of the declared class it inherits from), else None."""
    for options in all():
        if issubclass(model, options.model):
            return options
    return None


def by_import_name(name):
    return next((options for options in all() if options.import_name == name), None)


def by_api_name(name):
    return next((options for options in all() if options.api_name == name), None)


def search_facets():
    """``[Facet]`` search offers: the type, every indexed facet of any type once, the language of content."""
    found = {TYPES.name: TYPES}
    for options in all():
        for facet in options.facets:
            if facet.index_field:
                found.setdefault(facet.name, facet)
    found[CONTENT_LANGUAGES.name] = CONTENT_LANGUAGES
    return list(found.values())


def choice_labels(facet_name):
    """``{value: label}`` of a CHOICE facet across every type that has it (search shows them mixed)."""
    labels = {}
    for options in all():
        facet = options.facet(facet_name)
        if facet is not None and facet.kind == CHOICE:
            labels.update({value: str(label) for value, label in facet.choices(options.model)})
    return labels
