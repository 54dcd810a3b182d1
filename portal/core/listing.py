"""Index pages: one filtered, paginated list of a content type.

Every index (projects, trainings, policies, news) is an :class:`IndexPage`
naming its ``child_page_model``; the child's declaration
(``type_options``, see ``portal.core.content_types``) says *what* is
filterable (``facets``) and by which date lists are sorted (``listing_date``);
this module alone decides *how* (query parameters, validation, counts,
pagination).

The counts (each facet's options, each language's, the list's total) depend
on the filters, not on the page shown: they are kept until the next publish
(``portal.core.freshness``), keyed by the query they count. At 100,000 items
they cost about two seconds of database time for the policy documents
(35,000); reading page 2, 3… of a list, or coming back to it, costs none of it.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal import languages
from portal.core import content_types, freshness
from portal.core.models import Country, Theme
from portal.core.pages import TranslatedTitleMixin


@dataclass
class Filter:
    """One filter of a list: its query parameter, label, options and choice."""

    param: str
    label: str
    options: list  # [(value, label, count)]
    selected: str = ""


@dataclass
class Listing:
    filters: list
    page_obj: object
    total: int
    invalid: list = field(default_factory=list)  # parameters whose value was unknown (ignored)

    @property
    def active(self):
        return [f for f in self.filters if f.selected]


class IndexPage(TranslatedTitleMixin, Page):
    """Abstract base for every list page of a content type."""

    intro = models.TextField(_("introduction"), blank=True)
    child_page_model = None  # "app_label.ModelName" of the pages listed
    page_size = 12

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        abstract = True

    @classmethod
    def listed_model(cls):
        return apps.get_model(cls.child_page_model)

    def listed_pages(self):
        """The live pages of the listed type under this index, newest first."""
        model = self.listed_model()
        date_field = content_types.by_model(model).listing_date
        return (
            model.objects.live()
            .descendant_of(self)
            .order_by(models.F(date_field).desc(nulls_last=True), "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = build_listing(self.listed_pages(), request.GET, self.page_size)
        return context


def _kept(kind, queryset, compute, *parts):
    """``compute()``, kept until the next publish under a key made of ``queryset``'s SQL and ``parts``."""
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params, parts)).encode()).hexdigest()[:32]
    return freshness.remember(f"portal:list:{kind}:{digest}", compute)


def _count(queryset):
    """``queryset.count()``, kept until the next publish."""
    return _kept("count", queryset, queryset.count)


class _KeptCountPaginator(Paginator):
    """A paginator whose total is :func:`_count` (Django's counts on every page shown)."""

    @cached_property
    def count(self):
        return _count(self.object_list)


def _options(queryset, model, facet, lookup):
    """Every value of ``facet`` with the number of pages in ``queryset`` carrying it."""

    def compute():
        return dict(
            queryset.order_by()
            .values_list(lookup)
            .annotate(n=models.Count("pk", distinct=True))
            .values_list(lookup, "n")
        )

    counts = _kept("facet", queryset, compute, lookup)
    if facet.kind == content_types.YEAR:
        years = sorted((y for y in counts if y), reverse=True)
        return [(str(y), str(y), counts[y]) for y in years]
    if facet.kind == content_types.COUNTRY:
        values = [(c.code, str(c)) for c in Country.objects.all()]
    elif facet.kind == content_types.THEME:
        values = [(t.slug, str(t)) for t in Theme.objects.all()]
    else:
        values = [(value, str(label)) for value, label in facet.choices(model)]
    return [(value, label, counts.get(value, 0)) for value, label in values if counts.get(value)]


def written_in(queryset, code):
    """The pages of ``queryset`` that have a title in language ``code`` (not a fallback)."""
    column = languages.localized_field("title", code)
    return queryset.exclude(**{f"{column}__isnull": True}).exclude(**{column: ""})


def content_language(params):
    """The language a reader restricted the items to (``?language=ru``), or ""."""
    value = params.get(languages.CONTENT_LANGUAGE_PARAM, "")
    return value if value in languages.LANGUAGE_CODES else ""


def _language_filter(queryset, params, invalid):
    """The "language of content" filter: each language with the number of items written in it."""
    options = []
    for code in languages.LANGUAGE_CODES:
        count = _count(written_in(queryset, code))
        if count:
            options.append((code, languages.reader_name(code).capitalize(), count))
    raw = params.get(languages.CONTENT_LANGUAGE_PARAM, "")
    selected = content_language(params)
    if raw and not selected:
        invalid.append(languages.CONTENT_LANGUAGE_PARAM)
    facet = content_types.CONTENT_LANGUAGES
    return Filter(facet.name, facet.label, options, selected)


def build_listing(queryset, params, page_size):
    """Apply the filters in ``params`` to ``queryset`` and paginate it.

    Unknown filter values are ignored and reported (a stale shared link must
    still show a list, with a note), never an error page.
    """
    model = queryset.model
    options = content_types.by_model(model)
    invalid = []
    filters = {}
    # Options and counts come from the unfiltered list, so a reader sees every
    # way to narrow it; the active choices then narrow the list itself. Years
    # are counted last, in the list the other choices narrowed.
    facets = sorted(options.facets, key=lambda facet: facet.kind == content_types.YEAR)
    narrowed = queryset
    for facet in facets:
        if facet.kind == content_types.YEAR:
            queryset = narrowed
        lookup = facet.lookup(options)
        values = _options(queryset, model, facet, lookup)
        selected = params.get(facet.name, "")
        if selected and selected not in {value for value, _label, _n in values}:
            invalid.append(facet.name)
            selected = ""
        filters[facet.name] = Filter(facet.name, facet.label_for(model), values, selected)
        if selected:
            value = int(selected) if facet.kind == content_types.YEAR else selected
            narrowed = narrowed.filter(**{lookup: value})
    queryset = narrowed

    # Every list, whatever its type, can keep only the items written in one language.
    language = _language_filter(queryset, params, invalid)
    if language.selected:
        queryset = written_in(queryset, language.selected)

    queryset = queryset.distinct()
    paginator = _KeptCountPaginator(queryset, page_size)
    try:
        page_obj = paginator.page(params.get("page", 1))
    except InvalidPage:
        # Past the end (the list shrank since the link was shared): show the last page.
        page_obj = paginator.page(paginator.num_pages if params.get("page", "").isdigit() else 1)
    return Listing(
        filters=[filters[f.name] for f in options.facets] + [language],
        page_obj=page_obj,
        total=paginator.count,
        invalid=invalid,
    )
