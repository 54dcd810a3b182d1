"""What the API publishes: one :class:`Resource` per list, each declaring its fields once.

A resource's fields give both the JSON it writes (``serialize``) and the typed
schema the OpenAPI document is generated from (``schema``), so the two cannot
drift apart; ``tests/test_api_v1_schema.py`` validates every answer against the
document all the same.

Content pages (projects, trainings, policy documents, news) are described by
their types' declarations (``type_options``, ``portal.core.content_types``), as
the site's lists are: ``api_name`` (the list's name), ``import_name`` (the
item's type), ``translated_fields`` (texts in every language),
``import_fields`` (plain values), ``listing_date`` (order, ``year``) and
``facets`` (filters, by their ``api_param``). Taxonomy (countries, themes,
organisations) and thesaurus concepts are declared below.

Every object carries ``external_id``, ``urls`` (one per language), ``api_url``
and ``last_updated``: when anything the API shows of it last changed (a page's
publication, or an edit of a country, theme, organisation or series it shows).
"""

import datetime
import functools
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from pydantic import Field
from wagtail.rich_text import expand_db_html

from api import schemas
from api.schemas import EVERY, MODES, SINGLE
from portal import languages
from portal.core import content_types, freshness
from portal.core.models import Country, Organisation, Theme
from portal.core.translated import languages_present, shown
from vocab.models import Concept, split_lines

logger = logging.getLogger(__name__)

ALL = schemas.ALL
MAX_KEY = 2**31 - 1  # ids are 32-bit on PostgreSQL: a larger key names nothing (404, not a database error)


@dataclass
class Context:
    lang: str  # a language code or "all"
    request: object

    @property
    def mode(self):
        return EVERY if self.lang == ALL else SINGLE

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
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value == "":
        return None  # an empty URL or code is absent, not an empty string
    return value


def timestamp(value):
    return value.isoformat() if value else None


def latest(*values):
    values = [v for v in values if v]
    return max(values) if values else None


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


def _order(obj):
    return (getattr(obj, "sort_order", 0), obj.pk)


def is_rich(field):
    from wagtail.fields import RichTextField

    return isinstance(field, RichTextField)


# --- References shared by several resources ------------------------------------------------


def country_ref(country, ctx):
    return {"code": country.code, **texts(country, "name", ctx)}


def theme_ref(theme, ctx):
    return {"code": theme.slug, **texts(theme, "name", ctx)}


def organisation_ref(org, ctx):
    return {
        "id": org.pk,
        "identifier": org.identifier or None,
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


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """A query parameter that narrows a list: repeat it for "any of"."""

    param: str
    lookup: str  # the ORM lookup its values are matched with (``__in``)
    description: str
    values: object  # "country", "theme", a tuple of choices, "year" or "text"


def allowed(values):
    """The values a filter accepts: a set, or a predicate."""
    if values == "country":
        return set(Country.objects.values_list("code", flat=True))
    if values == "theme":
        return set(Theme.objects.values_list("slug", flat=True))
    if values == "year":
        return lambda v: isinstance(v, int) and 1000 <= v <= 9999
    if values == "text":
        return lambda v: 0 < len(v) <= 255
    return set(values)


def choices_of(model, name):
    return tuple(value for value, _label in model._meta.get_field(name).choices)


COUNTRY_FILTER = Filter(
    "country",
    "countries__code",
    _("ISO 3166-1 alpha-2 code of a country (repeat for any of several)."),
    "country",
)
THEME_FILTER = Filter("theme", "themes__slug", _("Code of a theme (repeat for any of several)."), "theme")


# --- Base ------------------------------------------------------------------------------------


class Resource:
    name = ""
    model = None
    key_kind = "string"  # "integer" or "string": how the detail URL's key looks
    key_pattern = None
    description = ""
    exports = ()

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    def filters(self):
        """``{param: Filter}``."""
        return {}

    def queryset(self, detail=False):
        raise NotImplementedError

    def filtered(self, query):
        raise NotImplementedError

    def lookup(self, key):
        """The ORM filter of a detail key, or None when the key cannot name an object."""
        raise NotImplementedError

    def get(self, key):
        where = self.lookup(key)
        return None if where is None else self.queryset(detail=True).filter(**where).first()

    def serialize(self, objs, ctx, detail=False):
        raise NotImplementedError

    def fields(self, mode, detail):
        """The schema's fields in order (pydantic ``create_model`` definitions)."""
        raise NotImplementedError

    @functools.cache  # noqa: B019 (resources live as long as the process)
    def schema(self, detail=False):
        """``{mode: schema}`` of one item."""
        title = self.model.__name__.replace("Page", "")
        name = f"{title}Detail" if detail else title
        return {
            mode: schemas.model(f"{name}Item" if detail else name, mode, self.fields(mode, detail))
            for mode in MODES
        }

    def changed_at(self):
        """When anything this resource shows last changed (before the body is built: conditional GET)."""
        raise NotImplementedError

    def common_tail(self):
        return {
            "urls": (schemas.urls_model(), ...),
            "api_url": (schemas.Uri, ...),
        }


def cached_changed_at(resource):
    """``resource.changed_at()``, kept until the next publish or taxonomy edit.

    It is a maximum over every live item of the type (and the taxonomy, and
    the tombstones): a scan that grows with the archive, asked on every list
    and export request before anything else. Everything it reads changes only
    with a bump of the publish counter (``portal.core.freshness``).
    """
    return freshness.remember(changed_key(resource), resource.changed_at)


def changed_key(resource):
    """Where :func:`cached_changed_at` keeps a resource's last change."""
    return f"portal:api:changed:{resource.name}"


def body_key(name, request):
    """Where an answer named ``name`` is kept as rendered: partners poll the same pages again and again.

    The body is a function of the query string, the host its links name, the
    language of the request (``Accept-Language``: labels and errors not chosen
    by a ``lang``) and the published data, and nothing else. The raw query is
    the key, so the answer is found before the query is parsed.
    """
    query = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    raw = repr((request.scheme, request.get_host(), translation.get_language(), query))
    return f"portal:api:{name}:{hashlib.sha1(raw.encode()).hexdigest()}"


def changes_and_body(request, some_resources, body_key):
    """``(latest change of some_resources, body kept at body_key or None, keep)``, read once per request.

    What :func:`cached_changed_at` keeps and an answer as rendered before
    (``api.endpoints.PortalAPI.create_response`` stores it under ``keep``:
    ``(key, counter, seconds)``) change only with a publish, so all of them
    are read in one cache round trip: an answer asked for again costs that
    read and the rate limit's count, no query of the content and no pydantic
    validation of its items. The validators and the view both ask.
    """
    if hasattr(request, "_api_state"):
        return request._api_state
    seconds = freshness.memo_seconds()
    if not seconds:
        stamps, body, keep = [r.changed_at() for r in some_resources], None, None
    else:
        keys = [changed_key(r) for r in some_resources]
        found, counter = freshness.lookup_all([*keys, body_key])
        for resource, key in zip(some_resources, keys, strict=True):
            if key not in found:
                found[key] = resource.changed_at()
                freshness.store(key, found[key], counter, seconds)
        stamps, body, keep = [found[k] for k in keys], found.get(body_key), (body_key, counter, seconds)
    stamps = [s for s in stamps if s]
    request._api_state = (max(stamps) if stamps else None, body, keep)
    return request._api_state


# --- Content pages -------------------------------------------------------------------------


class Extras:
    """Relations of one page type that its declarations do not cover."""

    prefetch = ()
    select = ()
    shown_related = ()  # FK paths to snippets with ``last_updated`` shown in the item

    def list(self, page, ctx):
        return {}

    def detail(self, page, ctx):
        return {}

    def list_fields(self, mode):
        return {}

    def detail_fields(self, mode):
        return {}

    def related_changes(self, page):
        return [getattr(page, path).last_updated for path in self.shown_related if getattr(page, path)]


class ProjectExtras(Extras):
    prefetch = ("organisations__organisation__country",)

    def list(self, page, ctx):
        return {
            "organisations": [
                {**organisation_ref(link.organisation, ctx), "role": link.role}
                for link in page.organisations.all()
            ]
        }

    def list_fields(self, mode):
        return {"organisations": (list[schemas.organisation_ref(mode, with_role=True)], ...)}

    def related_changes(self, page):
        return [link.organisation.last_updated for link in page.organisations.all()]

    def detail(self, page, ctx):
        return {
            "documents": [
                document_ref(d.document, d.language, ctx)
                for d in page.documents.select_related("document").all()
            ],
            "policy_documents": [p.pk for p in page.live_policy_documents()],
            "trainings": [t.pk for t in page.live_trainings()],
        }

    def detail_fields(self, mode):
        return {
            "documents": (list[schemas.DocumentRef], ...),
            "policy_documents": (list[int], Field(description=_("Ids of related policy documents."))),
            "trainings": (list[int], Field(description=_("Ids of related training programmes."))),
        }


class TrainingExtras(Extras):
    prefetch = ("organisers__country",)
    select = ("series",)
    shown_related = ("series",)

    def list(self, page, ctx):
        series = page.series
        return {
            "series": {"code": series.slug, **texts(series, "name", ctx)} if series else None,
            "organisers": [organisation_ref(o, ctx) for o in page.organisers.all()],
        }

    def list_fields(self, mode):
        series = schemas.model("SeriesRef", mode, {"code": (str, ...), **schemas.text_fields("name", mode)})
        return {
            "series": (series | None, ...),
            "organisers": (list[schemas.organisation_ref(mode)], ...),
        }

    def related_changes(self, page):
        return [*super().related_changes(page), *(o.last_updated for o in page.organisers.all())]

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

    def detail_fields(self, mode):
        session = schemas.model(
            "TrainingSession",
            mode,
            {
                "start_date": (datetime.date | None, ...),
                "end_date": (datetime.date | None, ...),
                **schemas.text_fields("venue", mode),
                **schemas.text_fields("city", mode),
                "country": (str | None, ...),
                "online": (bool, ...),
                "languages": (list[str], ...),
                "capacity": (int | None, ...),
                "application_deadline": (datetime.date | None, ...),
            },
        )
        participants = schemas.model("Participants", SINGLE, {"country": (str, ...), "count": (int, ...)})
        return {
            "sessions": (list[session], ...),
            "participants": (list[participants], ...),
            "materials": (list[schemas.DocumentRef], ...),
            "projects": (list[int], ...),
        }


class PolicyExtras(Extras):
    select = ("jurisdiction", "issuing_organisation__country")
    shown_related = ("issuing_organisation",)

    def list(self, page, ctx):
        org = page.issuing_organisation
        return {
            "jurisdiction": page.jurisdiction.code if page.jurisdiction else None,
            "issuing_organisation": organisation_ref(org, ctx) if org else None,
        }

    def list_fields(self, mode):
        return {
            "jurisdiction": (str | None, Field(description=_("ISO code of the issuing country."))),
            "issuing_organisation": (schemas.organisation_ref(mode) | None, ...),
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

    def detail_fields(self, mode):
        relation = schemas.model("PolicyRelation", SINGLE, {"relation": (str, ...), "target": (int, ...)})
        return {"attachments": (list[schemas.DocumentRef], ...), "relations": (list[relation], ...)}


# By the type's api_name; a type without extras has only its declared fields.
EXTRAS = {
    "projects": ProjectExtras(),
    "trainings": TrainingExtras(),
    "policies": PolicyExtras(),
}


class PageResource(Resource):
    key_kind = "integer"

    def __init__(self, options):
        self.options = options
        self.model = options.model
        self.type = options.import_name
        self.name = options.api_name
        self.date_field = options.listing_date
        self.extras = EXTRAS.get(self.name, Extras())
        self.exports = ("csv", "json", "xml") if self.type == "project" else ("csv", "json")

    def filters(self):
        """``{param: Filter}`` in the order of the type's facets (by their API parameter)."""
        out = {}
        for facet in self.options.facets:
            lookup = facet.lookup(self.options)
            if facet.kind == content_types.COUNTRY:
                out[facet.api_name] = Filter(facet.api_name, lookup, COUNTRY_FILTER.description, "country")
            elif facet.kind == content_types.THEME:
                out[facet.api_name] = Filter(facet.api_name, lookup, THEME_FILTER.description, "theme")
            elif facet.kind == content_types.YEAR:
                description = _("Year of %(field)s.") % {"field": self.date_field}
                out[facet.api_name] = Filter(facet.api_name, lookup, description, "year")
            elif facet.kind == content_types.CHOICE:
                values = tuple(value for value, _label in facet.choices(self.model))
                description = _("One of the values of %(field)s.") % {"field": facet.field}
                out[facet.api_name] = Filter(facet.api_name, lookup, description, values)
        out["external_id"] = Filter(
            "external_id", "external_id", _("Exact external ID (repeat for several)."), "text"
        )
        return out

    def heavy_fields(self):
        """Fields only a detail shows (the body and rich texts in every language): left out of lists."""
        names = [n for n in self.text_names(detail=True) if n not in self.text_names(detail=False)]
        return [
            languages.localized_field(n, code) for n in names for code in languages.LANGUAGE_CODES
        ] + names

    def queryset(self, detail=False):
        queryset = (
            self.model.objects.live()
            .public()
            .select_related(*self.extras.select)
            .prefetch_related("countries", "themes", *self.extras.prefetch)
        )
        return queryset if detail else queryset.defer(*self.heavy_fields())

    def ordered(self, queryset):
        """Newest first by the list's date, as on the site; the page id breaks ties, so paging is stable."""
        return queryset.order_by(F(self.date_field).desc(nulls_last=True), "-pk")

    def changed_since(self, since):
        """Pages published since, or showing a country, theme, organisation or series edited since."""
        where = (
            Q(last_published_at__gte=since)
            | Q(countries__last_updated__gte=since)
            | Q(themes__last_updated__gte=since)
        )
        for path in self.extras.shown_related:
            where |= Q(**{f"{path}__last_updated__gte": since})
        if self.type == "project":
            where |= Q(organisations__organisation__last_updated__gte=since)
        if self.type == "training":
            where |= Q(organisers__last_updated__gte=since)
        return where

    def filtered(self, query):
        """The live pages matching ``query``, newest first (a subquery narrows them: no duplicates)."""
        narrowed = self.model.objects.all()
        for param, values in query.filters.items():
            if param == "external_id":  # a NUL byte names nothing (and PostgreSQL refuses it in a query)
                values = [v for v in values if "\x00" not in v]
            narrowed = narrowed.filter(**{f"{self.filters()[param].lookup}__in": values})
        if query.updated_since:
            narrowed = narrowed.filter(self.changed_since(query.updated_since))
        queryset = self.queryset()
        if query.filters or query.updated_since:
            queryset = queryset.filter(pk__in=narrowed.values("pk"))
        return self.ordered(queryset)

    def lookup(self, key):
        key = str(key)
        if not key.isdigit() or not 0 < int(key) <= MAX_KEY:
            return None
        return {"pk": int(key)}

    def text_names(self, detail):
        names = ["title"]
        for name in self.options.translated_fields[1:]:  # [0] is the title
            field = self.model._meta.get_field(name)
            if name == "body" or is_rich(field):
                if detail:
                    names.append(name)
                continue
            names.append(name)
        return names

    def text_kind(self, name):
        if name == "body" or is_rich(self.model._meta.get_field(name)):
            return "html"
        return "str"

    def plain_names(self):
        return [n for n in self.options.import_fields if n not in self.options.translated_fields]

    def last_updated(self, page):
        related = [c.last_updated for c in page.countries.all()] + [t.last_updated for t in page.themes.all()]
        return latest(page.last_published_at, *related, *self.extras.related_changes(page))

    def serialize(self, objs, ctx, detail=False):
        urls = urls_in_languages(objs, ctx, lambda page: page.get_url(request=ctx.request))
        out = []
        for page in objs:
            item = {"id": page.pk, "external_id": page.external_id or None, "type": self.type}
            for name in self.text_names(detail):
                convert = {"html": render_stream if name == "body" else rich_text, "str": None}[
                    self.text_kind(name)
                ]
                item.update(texts(page, name, ctx, convert))
            for name in self.plain_names():
                item[name] = plain(getattr(page, name))
            item["countries"] = [country_ref(c, ctx) for c in sorted(page.countries.all(), key=_order)]
            item["themes"] = [theme_ref(t, ctx) for t in sorted(page.themes.all(), key=_order)]
            item.update(self.extras.list(page, ctx))
            if detail:
                item.update(self.extras.detail(page, ctx))
            item["languages"] = languages_present(page, "title")
            item["urls"] = urls[page.pk]
            item["api_url"] = ctx.absolute(reverse(f"api_v1:detail_{self.name}", args=(page.pk,)))
            item["first_published"] = timestamp(page.first_published_at)
            item["last_updated"] = timestamp(self.last_updated(page))
            out.append(item)
        return out

    def fields(self, mode, detail):
        fields = {
            "id": (int, ...),
            "external_id": (str | None, Field(description=_("The publisher's own identifier, if any."))),
            "type": (schemas.Literal[self.type], ...),
        }
        for name in self.text_names(detail):
            fields.update(schemas.text_fields(name, mode, self.text_kind(name)))
        for name in self.plain_names():
            fields[name] = (schemas.python_type(self.model._meta.get_field(name)), ...)
        fields["countries"] = (list[schemas.country_ref(mode)], ...)
        fields["themes"] = (list[schemas.theme_ref(mode)], ...)
        fields.update(self.extras.list_fields(mode))
        if detail:
            fields.update(self.extras.detail_fields(mode))
        fields["languages"] = (list[schemas.Lang], Field(description=_("The languages it has a title in.")))
        fields.update(self.common_tail())
        fields["first_published"] = (datetime.datetime | None, ...)
        fields["last_updated"] = (
            datetime.datetime | None,
            Field(description=_("When anything shown here last changed (use with updated_since).")),
        )
        return fields

    def changed_at(self):
        from api.models import Tombstone

        taxonomy = [m.objects.aggregate(m=Max("last_updated"))["m"] for m in (Country, Theme, Organisation)]
        for path in self.extras.shown_related:
            related = self.model._meta.get_field(path).related_model
            taxonomy.append(related.objects.aggregate(m=Max("last_updated"))["m"])
        return latest(
            self.model.objects.aggregate(m=Max("last_published_at"))["m"],
            Tombstone.objects.filter(resource=self.name).aggregate(m=Max("removed_at"))["m"],
            *taxonomy,
        )


# --- Taxonomy and thesaurus -------------------------------------------------------------------


class SnippetResource(Resource):
    """A snippet list; ``last_updated`` is the snippet's own (set on creation, bumped on every save)."""

    key_field = "pk"
    text_names = ()
    list_text_names = ()  # split into lists (one item per line)
    plain_names = ()
    filter_list = ()
    select = ()
    prefetch = ()

    def filters(self):
        return {f.param: f for f in self.filter_list}

    def queryset(self, detail=False):
        qs = self.model.objects.select_related(*self.select).prefetch_related(*self.prefetch)
        return qs.order_by(*self.model._meta.ordering, "pk")

    def filtered(self, query):
        queryset = self.queryset()
        for param, values in query.filters.items():
            queryset = queryset.filter(**{f"{self.filters()[param].lookup}__in": values})
        if query.updated_since:
            queryset = queryset.filter(last_updated__gte=query.updated_since)
        if any(param == "theme" for param in query.filters):
            queryset = queryset.distinct()
        return queryset

    def lookup(self, key):
        key = str(key)
        if self.key_field == "pk":
            if not key.isdigit() or not 0 < int(key) <= MAX_KEY:
                return None
            return {"pk": int(key)}
        return {self.key_field: key.upper() if self.key_field == "code" else key}

    def key(self, obj):
        return getattr(obj, self.key_field)

    def last_updated(self, obj):
        return obj.last_updated

    def external_id(self, obj):
        return str(self.key(obj))

    def path(self, obj):
        return None

    def extra(self, obj, ctx):
        return {}

    def extra_fields(self, mode):
        return {}

    def serialize(self, objs, ctx, detail=False):
        urls = urls_in_languages(objs, ctx, self.path)
        out = []
        for obj in objs:
            item = {"id": obj.pk, "external_id": self.external_id(obj)}
            for name in self.text_names:
                item.update(texts(obj, name, ctx))
            for name in self.list_text_names:
                item.update(texts(obj, name, ctx, split_lines))
            for name in self.plain_names:
                item[name] = plain(getattr(obj, name))
            item.update(self.extra(obj, ctx))
            item["urls"] = urls[obj.pk]
            item["api_url"] = ctx.absolute(reverse(f"api_v1:detail_{self.name}", args=(self.key(obj),)))
            item["last_updated"] = timestamp(obj.last_updated)
            out.append(item)
        return out

    def fields(self, mode, detail):
        fields = {"id": (int, ...), "external_id": (str, ...)}
        for name in self.text_names:
            fields.update(schemas.text_fields(name, mode))
        for name in self.list_text_names:
            fields.update(schemas.text_fields(name, mode, "lines"))
        for name in self.plain_names:
            field = self.model._meta.get_field(name)
            kind = schemas.python_type(field)
            if name == self.key_field or name == "code":
                kind = str
            fields[name] = (kind, ...)
        fields.update(self.extra_fields(mode))
        fields.update(self.common_tail())
        fields["last_updated"] = (datetime.datetime | None, ...)
        return fields

    def changed_at(self):
        from api.models import Tombstone

        return latest(
            self.model.objects.aggregate(m=Max("last_updated"))["m"],
            Tombstone.objects.filter(resource=self.name).aggregate(m=Max("removed_at"))["m"],
        )


class CountryResource(SnippetResource):
    name = "countries"
    model = Country
    key_field = "code"
    key_pattern = r"^[A-Za-z]{2}$"
    text_names = ("name",)
    plain_names = ("code", "sco_status")
    filter_list = (
        Filter("status", "sco_status", _("SCO status of the country."), choices_of(Country, "sco_status")),
    )

    def path(self, obj):
        return reverse("country", args=(obj.code,))


class ThemeResource(SnippetResource):
    name = "themes"
    model = Theme
    key_field = "slug"
    key_pattern = r"^[-a-zA-Z0-9_]+$"
    text_names = ("name", "description")

    def extra(self, obj, ctx):
        return {"code": obj.slug}

    def extra_fields(self, mode):
        return {"code": (str, ...)}

    def path(self, obj):
        return reverse("search:search") + f"?theme={obj.slug}"


class OrganisationResource(SnippetResource):
    name = "organisations"
    model = Organisation
    key_kind = "integer"
    text_names = ("name", "acronym")
    plain_names = ("kind", "identifier", "website")
    filter_list = (
        Filter("country", "country__code", _("ISO code of the organisation's country."), "country"),
        Filter("type", "kind", _("Kind of organisation."), choices_of(Organisation, "kind")),
    )
    select = ("country",)

    def external_id(self, obj):
        return obj.external_id or f"organisation-{obj.pk}"  # the import's key, else one from the id

    def extra(self, obj, ctx):
        return {"country": obj.country.code if obj.country else None}

    def extra_fields(self, mode):
        return {"country": (str | None, ...)}


class ConceptResource(SnippetResource):
    name = "concepts"
    model = Concept
    key_field = "identifier"
    key_pattern = r"^[-a-zA-Z0-9_]+$"
    text_names = ("pref_label",)
    list_text_names = ("alt_labels",)
    plain_names = ("identifier", "source_uri")
    filter_list = (THEME_FILTER,)
    select = ("broader",)
    prefetch = ("themes",)

    def filters(self):
        return {
            "theme": Filter("theme", "themes__slug", _("Code of a theme the concept belongs to."), "theme")
        }

    def extra(self, obj, ctx):
        return {
            "broader": obj.broader.identifier if obj.broader else None,
            "themes": [t.slug for t in obj.themes.all()],
        }

    def extra_fields(self, mode):
        return {"broader": (str | None, ...), "themes": (list[str], ...)}


@functools.cache
def resources():
    """``{name: Resource}``: the content types (navigation order), then the vocabularies."""
    found = {}
    for options in content_types.all():
        resource = PageResource(options)
        found[resource.name] = resource
    for resource in (CountryResource(), ThemeResource(), OrganisationResource(), ConceptResource()):
        found[resource.name] = resource
    return found


def resource_for_model(model):
    """The resource publishing objects of ``model`` (a specific page class or snippet), or None."""
    for resource in resources().values():
        if resource.model is model:
            return resource
    return None
