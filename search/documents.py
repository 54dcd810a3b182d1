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

from django.apps import apps
from django.db import models
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


def _related(page, target):
    """Objects of ``target`` the page points at, through any relation path."""
    pks = set()
    for path in relation_paths(type(page), target):
        pks.update(pk for pk in type(page).objects.filter(pk=page.pk).values_list(path, flat=True) if pk)
    return list(target.objects.filter(pk__in=pks)) if pks else []


def _attachment_texts(page):
    """``{language code: [text]}`` of PDFs attached as inline children.

    An attachment with a ``language`` field counts for that language; one
    without (or in several languages) for the default language.
    """
    texts = {}
    for field in type(page)._meta.get_fields():
        if not (field.auto_created and field.one_to_many) or issubclass(field.related_model, Page):
            continue
        child = field.related_model
        doc_fields = [
            f.name for f in child._meta.get_fields() if f.many_to_one and f.related_model is WagtailDocument
        ]
        if not doc_fields:
            continue
        for item in getattr(page, field.get_accessor_name()).all():
            for name in doc_fields:
                document = getattr(item, name)
                if document is None or not document.file.name.lower().endswith(".pdf"):
                    continue
                code = getattr(item, "language", "")
                code = code if code in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE
                texts.setdefault(code, []).append(extract_pdf_text(document.file))
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


def prepare(page):
    """The index document of a live page (a plain dict, ``_id`` = page id).

    Used by the outbox worker, the rebuild and the benchmark alike.
    """
    page = page.specific
    model = type(page)
    itype = type_for_model(model)
    countries = _related(page, Country)
    themes = _related(page, Theme)
    organisations = _related(page, Organisation)
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
    attachments = _attachment_texts(page)
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
        doc[url_field(code)] = _url(page, code)
    return doc


def indexable_pages():
    """Live pages of every indexed type, ready for :func:`prepare` (few queries each)."""
    for model in indexed_models():
        yield from model.objects.live().iterator(chunk_size=500)


def is_indexable(page):
    """Live and of an indexed type (other pages, and unpublished ones, are removed)."""
    return page.live and type_for_model(type(page.specific)) is not None
