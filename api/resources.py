"""What the API publishes: one :class:`Resource` per list.

Content pages (projects, trainings, policy documents, news) are described by
their types' declarations (``type_options``, ``portal.core.content_types``), as
the site's lists are: ``api_name`` (the list's name), ``import_name`` (the
item's type), ``translated_fields`` (texts in every language),
``import_fields`` (plain values), ``listing_date`` (order, ``year``) and
``facets`` (filters, by their ``api_param``). Taxonomy (countries, themes,
organisations) and thesaurus concepts are declared below.

Every object carries ``external_id``, ``urls`` (one per language) and
``last_updated``. A text field comes in the requested language with fallback
along ``portal.languages`` and its ``<field>_lang``, or with ``lang=all`` as
``{language: text or null}``.
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Max
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry
from wagtail.rich_text import expand_db_html

from api.params import ALL
from portal import languages
from portal.core import content_types
from portal.core.models import Country, Organisation, Theme
from portal.core.translated import languages_present, shown
from vocab.models import Concept, split_lines

logger = logging.getLogger(__name__)


@dataclass
class Context:
    lang: str  # a language code or "all"
    request: object

    def absolute(self, path):
        if not path:
            return None
        if path.startswith(("http://", "https://")):
            return path
        return self.request.build_absolute_uri(path)


def _has(value):
    return value is not None and str(value).strip() != ""


def texts(obj, name, ctx, convert=None):
    """``{name: text, name_lang: code}`` in ``ctx.lang`` (with fallback), or ``{name: {code: text}}``."""
    convert = convert or (lambda v: v)
    if ctx.lang == ALL:
        values = {}
        for code in languages.LANGUAGE_CODES:
            value = getattr(obj, languages.localized_field(name, code), None)
            values[code] = convert(value) if _has(value) else None
        return {name: values}
    found = shown(obj, name, ctx.lang)
    return {
        name: convert(found.value) if found else None,
        f"{name}_lang": found.lang or None,
    }


def plain(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def timestamp(value):
    return value.isoformat() if value else None


def render_stream(value):
    """A StreamField as HTML (None when empty); a block that cannot render is left out."""
    if not value:
        return None
    parts = []
    for block in value:
        try:
            parts.append(str(block.render()))
        except Exception:  # a missing image or document must not break the API
            logger.exception("API: cannot render a %s block", block.block_type)
    return "".join(parts) or None


def rich_text(value):
    return expand_db_html(value) if value else None


def urls_in_languages(objs, ctx, path_of):
    """``{obj.pk: {code: absolute URL or None}}``, language by language.

    Wagtail caches the site root paths per language, so the loop runs languages outside.
    """
    urls = {obj.pk: {} for obj in objs}
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            for obj in objs:
                try:
                    path = path_of(obj)
                except NoReverseMatch:
                    path = None
                urls[obj.pk][code] = ctx.absolute(path)
    return urls


def is_year(value):
    return value.isdigit() and len(value) == 4


def short_text(value):
    return 0 < len(value) <= 255


# --- Base ------------------------------------------------------------------------------------


class Resource:
    name = ""
    model = None
    key_type = "string"  # how the detail URL's key looks in OpenAPI
    description = ""

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    def filter_params(self):
        return list(self.filters())

    def filters(self):
        """``{param: (lookup, description)}``."""
        return {}

    def normalise(self, param, value):
        return value

    def allowed_values(self, param):
        raise NotImplementedError

    def queryset(self):
        raise NotImplementedError

    def filtered(self, query):
        raise NotImplementedError

    def get(self, key):
        raise NotImplementedError

    def serialize(self, objs, ctx, detail=False):
        raise NotImplementedError

    def last_updated(self, objs):
        raise NotImplementedError


# --- Content pages -------------------------------------------------------------------------


class PageResource(Resource):
    key_type = "integer"

    def __init__(self, options):
        self.options = options
        self.model = options.model
        self.type = options.import_name
        self.name = options.api_name
        self.date_field = options.listing_date
        self.choices = {f.api_name: f for f in options.facets if f.kind == content_types.CHOICE}

    # Filters
    def filters(self):
        """``{param: (lookup, description)}``, in the order of the type's facets."""
        out = {}
        for facet in self.options.facets:
            lookup = facet.lookup(self.options)
            if facet.kind == content_types.COUNTRY:
                description = _("ISO 3166-1 alpha-2 code of a country (repeat for any of several).")
            elif facet.kind == content_types.THEME:
                description = _("Code of a theme (repeat for any of several).")
            elif facet.kind == content_types.YEAR:
                description = _("Year of %(field)s.") % {"field": self.date_field}
            else:
                description = _("One of the values of %(field)s.") % {"field": facet.field}
            out[facet.api_name] = (lookup, description)
        out["external_id"] = ("external_id", _("Exact external ID (repeat for several)."))
        return out

    def choice_values(self, param):
        return [value for value, _label in self.choices[param].choices(self.model)]

    def normalise(self, param, value):
        return value.upper() if param == "country" else value

    def allowed_values(self, param):
        if param == "country":
            return set(Country.objects.values_list("code", flat=True))
        if param == "theme":
            return set(Theme.objects.values_list("slug", flat=True))
        if param == "year":
            return is_year
        if param == "external_id":
            return short_text
        return set(self.choice_values(param))

    def queryset(self):
        related = [
            f.name
            for f in self.model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.name in EXTRA_SELECT_RELATED
        ]
        return (
            self.model.objects.live()
            .public()
            .select_related(*related)
            .prefetch_related("countries", "themes", *EXTRAS.get(self.name, Extras()).prefetch)
        )

    def ordered(self, queryset):
        """Newest first by the list's date, as on the site; the page id breaks ties, so paging is stable."""
        return queryset.order_by(F(self.date_field).desc(nulls_last=True), "-pk")

    def filtered(self, query):
        queryset = self.queryset()
        many = False
        for param, values in query.filters.items():
            lookup = self.filters()[param][0]
            if param == "year":
                queryset = queryset.filter(**{f"{self.date_field}__year__in": [int(v) for v in values]})
            else:
                queryset = queryset.filter(**{f"{lookup}__in": values})
            many = many or param in ("country", "theme")
        if query.updated_since:
            queryset = queryset.filter(last_published_at__gte=query.updated_since)
        if many:
            queryset = queryset.distinct()
        return self.ordered(queryset)

    def get(self, key):
        if not str(key).isdigit():
            return None
        return self.queryset().filter(pk=int(key)).first()

    def text_fields(self, detail):
        names = ["title"]
        for name in self.options.translated_fields[1:]:  # [0] is the title
            field = self.model._meta.get_field(name)
            if name == "body" or field.get_internal_type() == "TextField" and is_rich(field):
                if detail:
                    names.append(name)
                continue
            names.append(name)
        return names

    def plain_fields(self):
        return [n for n in self.options.import_fields if n not in self.options.translated_fields]

    def serialize(self, objs, ctx, detail=False):
        urls = urls_in_languages(objs, ctx, lambda page: page.get_url(request=ctx.request))
        extras = EXTRAS.get(self.name, Extras())
        out = []
        for page in objs:
            item = {"id": page.pk, "external_id": page.external_id, "type": self.type}
            for name in self.text_fields(detail):
                if name == "body":
                    item.update(texts(page, name, ctx, render_stream))
                elif is_rich(self.model._meta.get_field(name)):
                    item.update(texts(page, name, ctx, rich_text))
                else:
                    item.update(texts(page, name, ctx))
            for name in self.plain_fields():
                item[name] = plain(getattr(page, name))
            item["countries"] = [
                {"code": c.code, **texts(c, "name", ctx)} for c in sorted(page.countries.all(), key=_order)
            ]
            item["themes"] = [
                {"code": t.slug, **texts(t, "name", ctx)} for t in sorted(page.themes.all(), key=_order)
            ]
            item.update(extras.list(page, ctx))
            if detail:
                item.update(extras.detail(page, ctx))
            item["languages"] = languages_present(page, "title")
            item["urls"] = urls[page.pk]
            item["api_url"] = ctx.absolute(reverse("api_v1:detail", args=(self.name, page.pk)))
            item["first_published"] = timestamp(page.first_published_at)
            item["last_updated"] = timestamp(page.last_published_at)
            out.append(item)
        return out

    def last_updated(self, objs):
        return {page.pk: page.last_published_at for page in objs}


def is_rich(field):
    from wagtail.fields import RichTextField

    return isinstance(field, RichTextField)


def _order(obj):
    return (getattr(obj, "sort_order", 0), obj.pk)


# --- Per-type extras (relations the declarations do not cover) ------------------------------

EXTRA_SELECT_RELATED = {"series", "jurisdiction", "issuing_organisation"}


class Extras:
    prefetch = ()

    def list(self, page, ctx):
        return {}

    def detail(self, page, ctx):
        return {}


def organisation_ref(org, ctx):
    return {
        "id": org.pk,
        **texts(org, "name", ctx),
        "country": org.country.code if org.country_id and org.country else None,
    }


def document_ref(document, language, ctx, label=None):
    return {
        "title": label or document.title,
        "url": ctx.absolute(document.url),
        "language": language,
        "file_extension": document.file_extension,
    }


class ProjectExtras(Extras):
    prefetch = ("organisations__organisation__country",)

    def list(self, page, ctx):
        return {
            "organisations": [
                {**organisation_ref(link.organisation, ctx), "role": link.role}
                for link in page.organisations.all()
            ]
        }

    def detail(self, page, ctx):
        return {
            "documents": [
                document_ref(d.document, d.language, ctx)
                for d in page.documents.select_related("document").all()
            ],
            "policy_documents": [p.pk for p in page.live_policy_documents()],
            "trainings": [t.pk for t in page.live_trainings()],
        }


class TrainingExtras(Extras):
    prefetch = ("organisers",)

    def list(self, page, ctx):
        series = page.series
        return {
            "series": {"code": series.slug, **texts(series, "name", ctx)} if series else None,
            "organisers": [organisation_ref(o, ctx) for o in page.organisers.all()],
        }

    def detail(self, page, ctx):
        return {
            "sessions": [
                {
                    "start_date": plain(s.start_date),
                    "end_date": plain(s.end_date),
                    **texts(s, "venue", ctx),
                    **texts(s, "city", ctx),
                    "country": s.country.code if s.country else None,
                    "online": s.online,
                    "languages": s.language_codes(),
                    "capacity": s.capacity,
                    "application_deadline": plain(s.application_deadline),
                }
                for s in page.sessions.select_related("country").all()
            ],
            "participants": [
                {"country": p.country.code, "count": p.count}
                for p in page.participants.select_related("country").all()
            ],
            "materials": [
                document_ref(m.document, m.language, ctx)
                for m in page.materials.select_related("document").all()
            ],
            "projects": [p.pk for p in page.live_projects()],
        }


class PolicyExtras(Extras):
    def list(self, page, ctx):
        org = page.issuing_organisation
        return {
            "jurisdiction": page.jurisdiction.code if page.jurisdiction else None,
            "issuing_organisation": organisation_ref(org, ctx) if org else None,
        }

    def detail(self, page, ctx):
        return {
            "attachments": [
                document_ref(a.document, a.language, ctx, label=a.label or None)
                for a in page.attachments.select_related("document").all()
            ],
            "relations": [
                {"relation": r.relation_type, "target": r.target_id}
                for r in page.relations.all()
                if r.target and r.target.live
            ],
        }


# By the type's api_name; a type without extras has only its declared fields.
EXTRAS = {
    "projects": ProjectExtras(),
    "trainings": TrainingExtras(),
    "policies": PolicyExtras(),
}


# --- Taxonomy and thesaurus -------------------------------------------------------------------


class SnippetResource(Resource):
    """A snippet list. ``last_updated`` is its latest admin log entry (null if never edited there)."""

    key_field = "pk"
    text_names = ()
    list_text_names = ()  # split into lists (one item per line)
    plain_names = ()
    filter_lookups = {}
    select = ()
    prefetch = ()

    def filters(self):
        return dict(self.filter_lookups)

    def normalise(self, param, value):
        return value.upper() if param == "country" else value

    def allowed_values(self, param):
        if param == "country":
            return set(Country.objects.values_list("code", flat=True))
        if param == "theme":
            return set(Theme.objects.values_list("slug", flat=True))
        field = self.model._meta.get_field(self.filter_lookups[param][0])
        return {value for value, _label in field.choices}

    def queryset(self):
        qs = self.model.objects.select_related(*self.select).prefetch_related(*self.prefetch)
        return qs.order_by(*self.model._meta.ordering, "pk")

    def filtered(self, query):
        queryset = self.queryset()
        for param, values in query.filters.items():
            queryset = queryset.filter(**{f"{self.filter_lookups[param][0]}__in": values})
        if query.updated_since:
            ct = ContentType.objects.get_for_model(self.model)
            changed = ModelLogEntry.objects.filter(content_type=ct, timestamp__gte=query.updated_since)
            ids = {int(i) for i in changed.values_list("object_id", flat=True) if str(i).isdigit()}
            queryset = queryset.filter(pk__in=ids)
        if any(param == "theme" for param in query.filters):
            queryset = queryset.distinct()
        return queryset

    def get(self, key):
        if self.key_field == "pk" and not str(key).isdigit():
            return None
        value = str(key).upper() if self.key_field == "code" else key
        return self.queryset().filter(**{self.key_field: value}).first()

    def key(self, obj):
        return getattr(obj, self.key_field)

    def external_id(self, obj):
        return str(self.key(obj))

    def path(self, obj):
        return None

    def fields(self, obj, ctx):
        return {}

    def serialize(self, objs, ctx, detail=False):
        urls = urls_in_languages(objs, ctx, self.path)
        updated = self.last_updated(objs)
        out = []
        for obj in objs:
            item = {"id": obj.pk, "external_id": self.external_id(obj)}
            for name in self.text_names:
                item.update(texts(obj, name, ctx))
            for name in self.list_text_names:
                item.update(texts(obj, name, ctx, split_lines))
            for name in self.plain_names:
                item[name] = plain(getattr(obj, name))
            item.update(self.fields(obj, ctx))
            item["urls"] = urls[obj.pk] if any(urls[obj.pk].values()) else {}
            item["api_url"] = ctx.absolute(reverse("api_v1:detail", args=(self.name, self.key(obj))))
            item["last_updated"] = timestamp(updated.get(obj.pk))
            out.append(item)
        return out

    def last_updated(self, objs):
        if not objs:
            return {}
        ct = ContentType.objects.get_for_model(self.model)
        rows = (
            ModelLogEntry.objects.filter(content_type=ct, object_id__in=[str(o.pk) for o in objs])
            .values("object_id")
            .annotate(latest=Max("timestamp"))
        )
        return {int(r["object_id"]): r["latest"] for r in rows}


class CountryResource(SnippetResource):
    name = "countries"
    model = Country
    key_field = "code"
    text_names = ("name",)
    plain_names = ("code", "sco_status")
    filter_lookups = {"status": ("sco_status", _("SCO status of the country."))}

    def path(self, obj):
        return reverse("country", args=(obj.code,))


class ThemeResource(SnippetResource):
    name = "themes"
    model = Theme
    key_field = "slug"
    text_names = ("name", "description")

    def fields(self, obj, ctx):
        return {"code": obj.slug}

    def path(self, obj):
        return reverse("search:search") + f"?theme={obj.slug}"


class OrganisationResource(SnippetResource):
    name = "organisations"
    model = Organisation
    key_type = "integer"
    text_names = ("name", "acronym")
    plain_names = ("kind", "website")
    filter_lookups = {
        "country": ("country__code", _("ISO code of the organisation's country.")),
        "type": ("kind", _("Kind of organisation.")),
    }
    select = ("country",)

    def external_id(self, obj):
        return f"organisation-{obj.pk}"  # organisations have no code of their own

    def fields(self, obj, ctx):
        return {"country": obj.country.code if obj.country else None}


class ConceptResource(SnippetResource):
    name = "concepts"
    model = Concept
    key_field = "identifier"
    text_names = ("pref_label",)
    list_text_names = ("alt_labels",)
    plain_names = ("identifier", "source_uri")
    filter_lookups = {"theme": ("themes__slug", _("Code of a theme the concept belongs to."))}
    select = ("broader",)
    prefetch = ("themes",)

    def fields(self, obj, ctx):
        return {
            "broader": obj.broader.identifier if obj.broader else None,
            "themes": [t.slug for t in obj.themes.all()],
        }


def resources():
    """``{name: Resource}``: the content types (navigation order), then the vocabularies."""
    found = {}
    for options in content_types.all():
        resource = PageResource(options)
        found[resource.name] = resource
    for resource in (CountryResource(), ThemeResource(), OrganisationResource(), ConceptResource()):
        found[resource.name] = resource
    return found
