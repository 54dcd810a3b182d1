"""Index pages: one filtered, paginated list of a content type.

Every index (projects, trainings, policies, news) is an :class:`IndexPage`
naming its ``child_page_model``; the child's declaration
(``type_options``, see ``portal.core.content_types``) says *what* is
filterable (``facets``) and by which date lists are sorted (``listing_date``);
this module alone decides *how* (query parameters, validation, counts,
pagination).

The counts (each facet's options, each language's, the list's total) and
the order of the items are computed from the type's facts
(``portal.core.facts``: a narrow row per live page, kept until the next
publish), not asked of the database per filter and page: at 100,000 items
that cost 1–4.5 s for a list (a dozen aggregates, then ``SELECT DISTINCT …
OFFSET`` for deep pages). A page of the list is one query for its twelve
pages (and one each for their countries and themes), whatever its number.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal import languages
from portal.core import content_types, facts
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = build_listing(self.listed_model(), request.GET, self.page_size, under=self.path)
        return context


def _options(type_facts, rows, model, facet):
    """Every value of ``facet`` carried by pages among ``rows``, with their number."""
    counts = type_facts.count(rows, facet.name)
    if facet.kind == content_types.YEAR:
        return [(str(y), str(y), counts[y]) for y in sorted(counts, reverse=True)]
    if facet.kind == content_types.COUNTRY:
        values = [(c.code, str(c)) for c in Country.objects.all()]
    elif facet.kind == content_types.THEME:
        values = [(t.slug, str(t)) for t in Theme.objects.all()]
    else:
        values = [(value, str(label)) for value, label in facet.choices(model)]
    return [(value, label, counts[value]) for value, label in values if counts.get(value)]


def written_in(queryset, code):
    """The pages of ``queryset`` that have a title in language ``code`` (not a fallback)."""
    column = languages.localized_field("title", code)
    return queryset.exclude(**{f"{column}__isnull": True}).exclude(**{column: ""})


def content_language(params):
    """The language a reader restricted the items to (``?language=ru``), or ""."""
    value = params.get(languages.CONTENT_LANGUAGE_PARAM, "")
    return value if value in languages.LANGUAGE_CODES else ""


def _language_filter(type_facts, rows, params, invalid):
    """The "language of content" filter: each language with the number of items written in it."""
    counts = type_facts.count_languages(rows)
    options = [
        (code, languages.reader_name(code).capitalize(), counts[code])
        for code in languages.LANGUAGE_CODES
        if counts.get(code)
    ]
    raw = params.get(languages.CONTENT_LANGUAGE_PARAM, "")
    selected = content_language(params)
    if raw and not selected:
        invalid.append(languages.CONTENT_LANGUAGE_PARAM)
    facet = content_types.CONTENT_LANGUAGES
    return Filter(facet.name, facet.label, options, selected)


def build_listing(model, params, page_size, under=None):
    """The live pages of ``model`` (below the page whose tree path is ``under``), filtered by
    ``params`` and paginated, newest first.

    Unknown filter values are ignored and reported (a stale shared link must
    still show a list, with a note), never an error page. Counts, total and
    the ids of the page shown come from the type's facts (``portal.core.facts``);
    the database is asked only for the pages shown.
    """
    options = content_types.by_model(model)
    type_facts = facts.of(model)
    invalid = []
    filters = {}
    # Options and counts come from the unfiltered list, so a reader sees every
    # way to narrow it; the active choices then narrow the list itself. Years
    # are counted last, in the list the other choices narrowed.
    rows = narrowed = type_facts.rows(under)
    for facet in sorted(options.facets, key=lambda facet: facet.kind == content_types.YEAR):
        if facet.kind == content_types.YEAR:
            rows = narrowed
        values = _options(type_facts, rows, model, facet)
        selected = params.get(facet.name, "")
        if selected and selected not in {value for value, _label, _n in values}:
            invalid.append(facet.name)
            selected = ""
        filters[facet.name] = Filter(facet.name, facet.label_for(model), values, selected)
        if selected:
            value = int(selected) if facet.kind == content_types.YEAR else selected
            narrowed = type_facts.having(narrowed, facet.name, value)

    # Every list, whatever its type, can keep only the items written in one language.
    language = _language_filter(type_facts, narrowed, params, invalid)
    if language.selected:
        narrowed = type_facts.written_in(narrowed, language.selected)

    paginator = Paginator(type_facts.page_ids(narrowed), page_size)
    try:
        page_obj = paginator.page(params.get("page", 1))
    except InvalidPage:
        # Past the end (the list shrank since the link was shared): show the last page.
        page_obj = paginator.page(paginator.num_pages if params.get("page", "").isdigit() else 1)
    page_obj.object_list = pages_by_id(model, page_obj.object_list)
    return Listing(
        filters=[filters[f.name] for f in options.facets] + [language],
        page_obj=page_obj,
        total=paginator.count,
        invalid=invalid,
    )


def pages_by_id(model, ids):
    """The live pages of ``model`` with ``ids``, in that order, their countries and themes read at once."""
    facets = content_types.by_model(model).facets
    related = [facts.relation_of(f) for f in facets if f.kind in facts.MULTI_VALUED]
    found = model.objects.live().filter(pk__in=list(ids)).prefetch_related(*related).in_bulk()
    return [found[pk] for pk in ids if pk in found]
