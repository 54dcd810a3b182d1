"""What is indexed, and how a page becomes an index document. Defined once.

- :data:`INDEXED_TYPES` lists the content page classes by ``app_label.ModelName``
  with the ``type`` value they get in the index (and in the ``type`` facet).
  A class whose app has not landed yet is skipped, so search works while the
  content apps are being written.
- The text of a page is every field modeltranslation translates on it (read
  from modeltranslation's registry), so a new translated field is indexed
  without touching this module. ``title`` and ``summary`` get their own,
  boosted fields; everything else goes into ``body``.
- Every text field exists once per language and twice: the original text,
  analysed by Elasticsearch's ``standard`` analyzer (phrases, single Han
  characters, highlights), and ``<field>_terms``, the tokens of
  :mod:`search.analysis`, analysed by ``whitespace``. The mapping is generated
  from :data:`TEXT_FIELDS` and :data:`LANGUAGE_CODES`.
"""

import logging
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import strip_tags
from elasticsearch.dsl import Date, Document, Integer, Keyword, Text
from modeltranslation.translator import NotRegistered, translator
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from portal import languages
from portal.core.models import Country, Organisation, Theme
from search.analysis import analyzed_text

logger = logging.getLogger(__name__)
WagtailDocument = get_document_model()


# --- The registry ------------------------------------------------------------------


@dataclass(frozen=True)
class IndexedType:
    model_label: str  # "projects.ProjectPage"
    type: str  # value of the ``type`` field and facet

    @property
    def model(self):
        """The model class, or None while its app does not define it yet."""
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None


INDEXED_TYPES = [
    IndexedType("projects.ProjectPage", "project"),
    IndexedType("projects.TrainingProgrammePage", "training"),
    IndexedType("policies.PolicyDocumentPage", "policy"),
    IndexedType("news.NewsPage", "news"),  # events are news items of kind "event"
]


def indexed_types():
    """The registered types whose model exists, in registry order."""
    return [t for t in INDEXED_TYPES if t.model is not None]


def indexed_models():
    return [t.model for t in indexed_types()]


def type_for_model(model):
    """The IndexedType of a model class (or of its concrete parent), else None."""
    for t in indexed_types():
        if issubclass(model, t.model):
            return t
    return None


def type_label(type_value):
    """The human name of a type, in the active language (the model's verbose name)."""
    for t in indexed_types():
        if t.type == type_value:
            return str(t.model._meta.verbose_name)
    return type_value


# --- Field definitions (the mapping is generated from these) ----------------------

# Text "roles" with their query boosts: titles above summaries above bodies.
TEXT_FIELDS = {"title": 3.0, "summary": 1.5, "tags": 1.2, "body": 1.0}
TERMS_SUFFIX = "_terms"
# Translated fields that are not text a reader searches.
SKIP_TRANSLATED = {"slug", "url_path", "seo_title"}
# The pinyin of the Chinese words of an item's title and summary (``search.names``):
# what a Latin or Cyrillic spelling of a Chinese name no list knows is matched on.
PINYIN_FIELD = "names_pinyin"
PINYIN_LANGUAGE = "zh-hans"


def text_field(role, code):
    """``title`` + ``ru`` -> ``title_ru``: the original text of a role in a language."""
    return languages.localized_field(role, code)


def terms_field(role, code):
    """``title_ru_terms``: the Python-analysed tokens of the same text."""
    return text_field(role, code) + TERMS_SUFFIX


def url_field(code):
    return languages.localized_field("url", code)


def _document_fields():
    fields = {
        "page_id": Integer(),
        "type": Keyword(),
        "external_id": Keyword(),
        "countries": Keyword(),
        "themes": Keyword(),
        "organisations": Keyword(),
        "status": Keyword(),
        "date": Date(),
        "year": Integer(),
        "languages": Keyword(),
        "published_at": Date(),
        # Titles in every language, for suggestions as you type (match_bool_prefix:
        # the node's minimal distribution has no search_as_you_type mapper).
        "suggest": Text(analyzer="standard"),
        PINYIN_FIELD: Text(analyzer="whitespace"),
    }
    for code in languages.LANGUAGE_CODES:
        for role in TEXT_FIELDS:
            # Offsets let the unified highlighter work from the postings.
            fields[text_field(role, code)] = Text(analyzer="standard", index_options="offsets")
            fields[terms_field(role, code)] = Text(analyzer="whitespace")
        fields[url_field(code)] = Keyword(index=False)
    return fields


class ItemDocument(Document):
    """One content item with all its translations. Fields: :func:`_document_fields`."""

    class Index:
        name = "unused"  # real names come from search.client (prefix, aliases)
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}

    class Meta:
        dynamic = "strict"


for _name, _field in _document_fields().items():
    ItemDocument._doc_type.mapping.field(_name, _field)


def index_body():
    """Settings and mapping of a physical index, as sent to ``indices.create``."""
    return ItemDocument._index.clone(name="x").to_dict()


def query_fields(role_boosts=None, terms=True, codes=None):
    """``["title_en_terms^3.0", ...]``: the fields a query runs over, with boosts."""
    role_boosts = role_boosts or TEXT_FIELDS
    codes = codes or languages.LANGUAGE_CODES
    make = terms_field if terms else text_field
    return [f"{make(role, code)}^{boost}" for role, boost in role_boosts.items() for code in codes]


# --- Page -> document ----------------------------------------------------------------


def translated_fields(model):
    """Names of the model's translated fields, from modeltranslation's registry."""
    try:
        names = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return ["title"]
    return [name for name in names if name not in SKIP_TRANSLATED]


def _role(name):
    return name if name in ("title", "summary") else "body"


def _text_of(model, name, value):
    """Plain text of one field value (StreamField, rich text or plain)."""
    if value is None:
        return ""
    field = model._meta.get_field(name)
    if isinstance(field, StreamField):
        parts = field.stream_block.get_searchable_content(value)
        parts += _attached_document_text(value)
        return "\n".join(str(p) for p in parts if p)
    if isinstance(field, RichTextField):
        return strip_tags(value)
    if isinstance(field, (models.CharField, models.TextField)) and not isinstance(
        field, (models.URLField, models.EmailField)
    ):
        return str(value)
    return ""


def _attached_document_text(stream_value):
    """Text of PDFs attached through document blocks (needs pypdf; else none)."""
    texts = []
    for block in stream_value:
        document = getattr(block.value, "get", lambda _k: None)("document")
        if document is not None and str(document.file.name).lower().endswith(".pdf"):
            texts.append(extract_pdf_text(document.file))
    return texts


def extract_pdf_text(file, max_chars=200_000):
    """The text layer of a PDF, capped; empty when pypdf is missing or the file is unreadable."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return ""
    try:
        with file.open("rb") as fh:
            reader = PdfReader(fh)
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:
        logger.warning("could not extract text from %s", file.name, exc_info=True)
        return ""
    return text[:max_chars]


def item_date(page):
    """The item's own date (start date, publication date…), else its first publication."""
    field_name = getattr(page, "LISTING_DATE_FIELD", None)
    value = getattr(page, field_name, None) if field_name else None
    return value or (page.first_published_at.date() if page.first_published_at else None)


def item_status(page):
    value = getattr(page, "status", "")
    return value if isinstance(value, str) else ""


def relation_paths(model, target):
    """Lookup paths from a page model to ``target`` (Country, Organisation, wagtail Document…).

    Direct fields (``countries``, ``issuing_organisation``) and one hop through
    inline children (``organisations__organisation``), found by introspection
    so a content app adding a relation needs no change here.
    """
    paths = []
    for field in model._meta.get_fields():
        if not field.is_relation:
            continue
        if not field.auto_created and field.related_model is target:
            paths.append(field.name)
        elif field.auto_created and field.one_to_many and field.related_model is not None:
            child = field.related_model
            if issubclass(child, Page):
                continue  # page children (treebeard), not inline parts
            for child_field in child._meta.get_fields():
                if child_field.many_to_one and child_field.related_model is target:
                    paths.append(f"{field.get_accessor_name()}__{child_field.name}")
    return paths


def _related_in_bulk(pages, target):
    """``{page id: [objects of target]}`` for pages of one model: a query per relation path.

    Each page's list keeps ``target``'s own ordering, as a per-page
    ``target.objects.filter(pk__in=…)`` would.
    """
    model = type(pages[0])
    wanted = {page.pk: set() for page in pages}
    for path in relation_paths(model, target):
        for pk, target_pk in model.objects.filter(pk__in=list(wanted)).values_list("pk", path):
            if target_pk:
                wanted[pk].add(target_pk)
    all_pks = set().union(*wanted.values())
    ordered = list(target.objects.filter(pk__in=all_pks)) if all_pks else []
    return {pk: [obj for obj in ordered if obj.pk in pks] for pk, pks in wanted.items()}


def _document_relations(model):
    """``[(child model, parent key name, [document field names])]``: inline children holding files."""
    found = []
    for field in model._meta.get_fields():
        if not (field.auto_created and field.one_to_many) or issubclass(field.related_model, Page):
            continue
        child = field.related_model
        doc_fields = [
            f.name for f in child._meta.get_fields() if f.many_to_one and f.related_model is WagtailDocument
        ]
        if doc_fields:
            found.append((child, field.field.attname, doc_fields))
    return found


def _attachment_texts_in_bulk(pages):
    """``{page id: {language code: [text]}}`` of PDFs attached as inline children (pages of one model).

    An attachment with a ``language`` field counts for that language; one
    without (or in several languages) for the default language. One query per
    kind of inline child, in the child's own order.
    """
    texts = {page.pk: {} for page in pages}
    for child, parent_key, doc_fields in _document_relations(type(pages[0])):
        items = child._default_manager.filter(**{f"{parent_key}__in": list(texts)})
        for item in items.select_related(*doc_fields):
            for name in doc_fields:
                document = getattr(item, name)
                if document is None or not document.file.name.lower().endswith(".pdf"):
                    continue
                code = getattr(item, "language", "")
                code = code if code in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE
                texts[getattr(item, parent_key)].setdefault(code, []).append(extract_pdf_text(document.file))
    return texts


def _names(objs, code):
    """Labels of taxonomy objects in one language (no fallback: a tag per language)."""
    out = []
    for obj in objs:
        for name in ("name", "acronym"):
            value = getattr(obj, languages.localized_field(name, code), None)
            if value:
                out.append(value)
    return out


def _url(page, code):
    with translation.override(code):
        return page.get_url() or ""


def _computes_urls_like_wagtail(model):
    """True unless the model routes its own URLs (then :func:`_urls_in_bulk` asks it per page)."""
    return model.get_url_parts is Page.get_url_parts and model.get_url is Page.get_url


def _urls_in_bulk(pages):
    """``{page id: {language code: URL}}``: what ``page.get_url()`` gives in each language.

    Computed as Wagtail does it (``Page.get_url_parts`` and ``get_url``
    without a request), with wagtail_modeltranslation's localisation: in each
    language the page's ``url_path`` reads ``url_path_<lang>`` (with
    modeltranslation's fallback), the site root paths are the localised ones,
    and ``reverse`` adds the language prefix. The site root paths are read
    once per language for all the pages instead of once per page.
    """
    urls = {page.pk: {} for page in pages}
    append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            roots = pages[0]._get_site_root_paths(SimpleNamespace())  # localised, cached per language
            single_site = len({root[0] for root in roots}) == 1
            for page in pages:
                if not _computes_urls_like_wagtail(type(page)):
                    urls[page.pk][code] = page.get_url() or ""
                    continue
                url_path = page.url_path
                site = next((root for root in roots if url_path.startswith(root[1])), None)
                if site is None:
                    urls[page.pk][code] = ""
                    continue
                _site_id, root_path, root_url, *_rest = site
                try:
                    path = reverse("wagtail_serve", args=(url_path[len(root_path) :],))
                except NoReverseMatch:
                    urls[page.pk][code] = ""
                    continue
                if not append_slash and path != "/":
                    path = path.rstrip("/")
                urls[page.pk][code] = path if single_site else root_url + path
    return urls


def prepare(page):
    """The index document of a live page (a plain dict, ``_id`` = page id).

    Used by the outbox worker for single pages; :func:`prepare_many` is the
    same for a batch, and what the rebuild and the worker's batches use.
    """
    return prepare_many([page])[0]


def prepare_many(pages):
    """The index documents of live pages, in the order given.

    What a document reads besides the page row (taxonomy, attachments, site
    root paths) is fetched once for the batch, per page model, so a chunk of
    pages costs a few queries instead of several per page.
    """
    pages = _specific_pages(pages)
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    related, attachments = {}, {}
    for group in by_model.values():
        for target in (Country, Theme, Organisation):
            for pk, objs in _related_in_bulk(group, target).items():
                related.setdefault(pk, {})[target] = objs
        attachments.update(_attachment_texts_in_bulk(group))
    urls = _urls_in_bulk(pages) if pages else {}
    return [_document(page, related[page.pk], attachments[page.pk], urls[page.pk]) for page in pages]


def _specific_pages(pages):
    """The pages as instances of their own class (one query for those that are not yet)."""
    generic = [page.pk for page in pages if page.specific_class and not isinstance(page, page.specific_class)]
    if not generic:
        return list(pages)
    specific = {page.pk: page for page in Page.objects.filter(pk__in=generic).specific()}
    return [specific.get(page.pk, page) for page in pages]


def _document(page, related, attachments, urls):
    model = type(page)
    itype = type_for_model(model)
    countries, themes, organisations = related[Country], related[Theme], related[Organisation]
    date = item_date(page)
    doc = {
        "_id": str(page.pk),
        "page_id": page.pk,
        "type": itype.type if itype else model._meta.model_name,
        "external_id": getattr(page, "external_id", None) or None,
        "countries": [c.code for c in countries],
        "themes": [t.slug for t in themes],
        "organisations": [o.pk for o in organisations],
        "status": item_status(page) or None,
        "date": date.isoformat() if date else None,
        "year": date.year if date else None,
        "languages": page.languages_present() if hasattr(page, "languages_present") else [],
        "published_at": page.last_published_at.isoformat() if page.last_published_at else None,
        "suggest": [],
    }
    fields = translated_fields(model)
    for code in languages.LANGUAGE_CODES:
        texts = {role: [] for role in TEXT_FIELDS}
        for name in fields:
            value = getattr(page, languages.localized_field(name, code), None)
            text = _text_of(model, languages.localized_field(name, code), value)
            if text.strip():
                texts[_role(name)].append(text)
        texts["body"] += attachments.get(code, [])
        texts["tags"] = _names(countries, code) + _names(themes, code) + _names(organisations, code)
        for role, parts in texts.items():
            text = "\n".join(parts)
            doc[text_field(role, code)] = text
            doc[terms_field(role, code)] = analyzed_text(text)
        if texts["title"]:
            doc["suggest"].append(texts["title"][0])
        doc[url_field(code)] = urls[code]
    doc[PINYIN_FIELD] = pinyin_text(doc)
    return doc


def pinyin_text(doc):
    """The value of :data:`PINYIN_FIELD` for a document whose ``*_terms`` fields are filled."""
    from search.names import index_readings

    words = []
    for role in ("title", "summary"):
        words += (doc.get(terms_field(role, PINYIN_LANGUAGE)) or "").split()
    return " ".join(index_readings(words))


def indexable_pages():
    """Live pages of every indexed type, ready for :func:`prepare` (few queries each)."""
    for model in indexed_models():
        yield from model.objects.live().iterator(chunk_size=500)


def indexable_chunks(size=500):
    """Live pages of every indexed type in lists of ``size`` (one model each), for :func:`prepare_many`."""
    for model in indexed_models():
        chunk = []
        for page in model.objects.live().order_by("pk").iterator(chunk_size=size):
            chunk.append(page)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def is_indexable(page):
    """Live and of an indexed type (other pages, and unpublished ones, are removed)."""
    return page.live and type_for_model(type(page.specific)) is not None
