"""Index pages: one filtered, paginated list of a content type.

Every index (projects, trainings, policies, news) is an :class:`IndexPage`
naming its ``child_page_model``; the child's declaration
(``type_options``, see ``portal.core.content_types``) says *what* is
filterable (``facets``) and by which date lists are sorted (``listing_date``);
this module alone decides *how* (query parameters, validation, counts,
pagination).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal.core import content_types
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


def _options(queryset, model, facet, lookup):
    """Every value of ``facet`` with the number of pages in ``queryset`` carrying it."""
    counts = dict(
        queryset.order_by()
        .values_list(lookup)
        .annotate(n=models.Count("pk", distinct=True))
        .values_list(lookup, "n")
    )
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

    queryset = queryset.distinct()
    paginator = Paginator(queryset, page_size)
    try:
        page_obj = paginator.page(params.get("page", 1))
    except InvalidPage:
        # Past the end (the list shrank since the link was shared): show the last page.
        page_obj = paginator.page(paginator.num_pages if params.get("page", "").isdigit() else 1)
    return Listing(
        filters=[filters[f.name] for f in options.facets],
        page_obj=page_obj,
        total=paginator.count,
        invalid=invalid,
    )
