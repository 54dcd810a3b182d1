"""Index pages: one filtered, paginated list of a content type.

Every index (projects, trainings, policies, news) is an :class:`IndexPage`
naming its ``child_page_model``; filters come from the child model's
declarations, so a content app states *what* is filterable and this module
alone decides *how* (query parameters, validation, counts, pagination).

Child models declare:

- ``LISTING_DATE_FIELD``: the date lists are sorted by (newest first) and the
  year filter reads, e.g. ``"start_date"``;
- ``LISTING_CHOICE_FIELDS``: fields with ``choices`` offered as filters, e.g.
  ``("status",)`` or ``("document_type", "status")``.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal import languages
from portal.core.models import Country, Theme
from portal.core.pages import TranslatedTitleMixin


@dataclass
class Filter:
    """One filter of a list: its query parameter, label, options and choice."""

    param: str
    label: str
    options: list  # [(value, label, count)]
    selected: str = ""

    @property
    def selected_label(self):
        return next((label for value, label, _count in self.options if value == self.selected), "")


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
        date_field = model.LISTING_DATE_FIELD
        return (
            model.objects.live()
            .descendant_of(self)
            .order_by(models.F(date_field).desc(nulls_last=True), "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = build_listing(self.listed_pages(), request.GET, self.page_size)
        return context


def _filter_specs(model):
    """(param, label, lookup, options-source) for each filter the model supports."""
    specs = [
        ("country", _("Country"), "countries__code"),
        ("theme", _("Theme"), "themes__slug"),
    ]
    for name in getattr(model, "LISTING_CHOICE_FIELDS", ()):
        specs.append((name, model._meta.get_field(name).verbose_name, name))
    return specs


def _options(queryset, model, param, lookup):
    """Every value with the number of pages in ``queryset`` carrying it."""
    counts = dict(
        queryset.order_by()
        .values_list(lookup)
        .annotate(n=models.Count("pk", distinct=True))
        .values_list(lookup, "n")
    )
    if param == "country":
        values = [(c.code, str(c)) for c in Country.objects.all()]
    elif param == "theme":
        values = [(t.slug, str(t)) for t in Theme.objects.all()]
    else:
        values = [(value, str(label)) for value, label in model._meta.get_field(lookup).choices]
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
        count = written_in(queryset, code).count()
        if count:
            options.append((code, languages.reader_name(code).capitalize(), count))
    raw = params.get(languages.CONTENT_LANGUAGE_PARAM, "")
    selected = content_language(params)
    if raw and not selected:
        invalid.append(languages.CONTENT_LANGUAGE_PARAM)
    return Filter(languages.CONTENT_LANGUAGE_PARAM, _("Language of content"), options, selected)


def build_listing(queryset, params, page_size):
    """Apply the filters in ``params`` to ``queryset`` and paginate it.

    Unknown filter values are ignored and reported (a stale shared link must
    still show a list, with a note), never an error page.
    """
    model = queryset.model
    invalid = []
    filters = []
    # Options and counts come from the unfiltered list, so a reader sees every
    # way to narrow it; the active choices then narrow the list itself.
    for param, label, lookup in _filter_specs(model):
        options = _options(queryset, model, param, lookup)
        selected = params.get(param, "")
        if selected and selected not in {value for value, _label, _n in options}:
            invalid.append(param)
            selected = ""
        filters.append(Filter(param, label, options, selected))
    for f, (_param, _label, lookup) in zip(filters, _filter_specs(model), strict=True):
        if f.selected:
            queryset = queryset.filter(**{lookup: f.selected})

    date_field = model.LISTING_DATE_FIELD
    years = (
        queryset.order_by()
        .annotate(y=ExtractYear(date_field))
        .values_list("y")
        .annotate(n=models.Count("pk", distinct=True))
        .values_list("y", "n")
    )
    year_options = sorted(((str(y), str(y), n) for y, n in years if y), reverse=True)
    year = params.get("year", "")
    if year and year not in {value for value, _l, _n in year_options}:
        invalid.append("year")
        year = ""
    if year:
        queryset = queryset.filter(**{f"{date_field}__year": int(year)})
    filters.append(Filter("year", _("Year"), year_options, year))

    language = _language_filter(queryset, params, invalid)
    if language.selected:
        queryset = written_in(queryset, language.selected)
    filters.append(language)

    queryset = queryset.distinct()
    paginator = Paginator(queryset, page_size)
    try:
        page_obj = paginator.page(params.get("page", 1))
    except InvalidPage:
        # Past the end (the list shrank since the link was shared): show the last page.
        page_obj = paginator.page(paginator.num_pages if params.get("page", "").isdigit() else 1)
    return Listing(filters=filters, page_obj=page_obj, total=paginator.count, invalid=invalid)
