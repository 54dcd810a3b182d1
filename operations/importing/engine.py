"""The import engine: write validated items (:mod:`operations.importing.format`) as published pages.

Writing goes through Wagtail's own page machinery (``add_child``, revision,
publish), so every page ends up exactly as an editor's would. What makes that
slow in bulk is Wagtail's per-save housekeeping, not the writes; the import
defers the parts it can do better once, at the end (see :func:`import_items`).
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.html import escape
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as search_index_on_save
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from operations.importing.format import translated_fields
from portal import languages
from portal.core.models import Country, Theme
from portal.core.pages import ascii_slug
from search.indexing import batched_enqueue
from website.models import HomePage

logger = logging.getLogger(__name__)

CHUNK = 500  # pages per query when indexing in bulk after the import


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def import_items(items, progress=None):
    """Write the validated items in one transaction; publish each changed page.

    Pages are created and published one by one through Wagtail (tree, revision,
    publish log, ``page_published``), but three kinds of per-save work are
    deferred to one pass at the end, because each new page is saved three
    times (add_child, save_revision, publish):

    - Wagtail's database search index (the search fallback) and reference
      index: updated once per touched page, in bulk (:func:`_update_wagtail_indexes`);
    - our search outbox: the rows of every publish are written in one insert
      (:func:`search.indexing.batched_enqueue`);
    - validation of new pages: ``read_items`` checked them already, and the
      slugs are made unique here (:func:`_skip_revalidation_of_new_pages`).
    """
    summary = Summary()
    existing = _existing_pages(items)
    models = list(dict.fromkeys(item.model for item in items))
    touched = {model: [] for model in models}
    taxonomy = _taxonomy()
    with transaction.atomic():
        # The sections new pages go under first, the ordinary way (in the order the
        # items need them): the deferred work below covers only the items' models.
        parents = {}
        for item in items:
            if item.external_id not in existing[item.model] and item.model not in parents:
                parents[item.model] = _index_page_for(item.model)
        slugs = {model: _SiblingSlugs(parent) for model, parent in parents.items()}
        with (
            batched_enqueue(),
            disable_reference_index_auto_update(),
            _search_index_deferred(models),
            _skip_revalidation_of_new_pages(models),
        ):
            for position, item in enumerate(items, start=1):
                pk = existing[item.model].get(item.external_id)
                if pk is None:
                    page = _create(item, parents[item.model], slugs[item.model], taxonomy)
                    touched[item.model].append(page.pk)
                    summary.created += 1
                elif _update(item.model.objects.get(pk=pk), item):
                    touched[item.model].append(pk)
                    summary.updated += 1
                else:
                    summary.skipped += 1
                if progress:
                    progress(position, len(items))
            _update_wagtail_indexes(touched)
    return summary


def _existing_pages(items):
    """``{model: {external_id: page id}}`` of the pages the items already have (one query a model)."""
    wanted = {}
    for item in items:
        wanted.setdefault(item.model, set()).add(item.external_id)
    existing = {}
    for model, ids in wanted.items():
        ids = sorted(ids)
        existing[model] = {}
        for start in range(0, len(ids), CHUNK):
            rows = model.objects.filter(external_id__in=ids[start : start + CHUNK])
            existing[model].update(rows.values_list("external_id", "pk"))
    return existing


def _taxonomy():
    """Countries by code and themes by slug, read once for all new pages."""
    return {
        "countries": Country.objects.in_bulk(field_name="code"),
        "themes": Theme.objects.in_bulk(field_name="slug"),
    }


def _create(item, parent, slugs, taxonomy):
    """A new page under ``parent``: added to the tree, relations set, revision saved and published."""
    page = item.model(external_id=item.external_id)
    _assign(page, item)
    page.slug = slugs.free_slug(page)
    _set_slugs(page)
    with _new_page_writes():
        parent.add_child(instance=page)
        page.countries.set([taxonomy["countries"][code] for code in item.countries])
        page.themes.set([taxonomy["themes"][slug] for slug in item.themes])
        page.save_revision().publish()
    return page


def _update(page, item):
    """Apply the item to an existing page and republish it if anything changed.

    Updates keep Wagtail's full validation: an editor may have changed the page
    since, and the model's clean() may act on that (e.g. a policy's jurisdiction).
    """
    changed = _assign(page, item)
    changed = _set_relations(page, item) or changed
    if changed:
        page.save_revision().publish()
    return changed


# --- Deferred per-save work -------------------------------------------------------

_writing_new_page = threading.local()


@contextmanager
def _new_page_writes():
    """Mark the saves of one new page (see :func:`_skip_revalidation_of_new_pages`)."""
    _writing_new_page.active = True
    try:
        yield
    finally:
        _writing_new_page.active = False


@contextmanager
def _skip_revalidation_of_new_pages(models):
    """While writing a new page, its saves skip the model-level checks ``read_items`` already made.

    ``Page.save()`` and ``publish()`` run ``full_clean()`` on each save. For a
    new imported page that repeats, three times, what this module guarantees:
    the model rules (``validate_values`` in ``read_items``), the place in the
    tree and a slug free among the siblings in every language
    (:class:`_SiblingSlugs`), an ``external_id`` not yet taken. Those checks
    are the expensive part: wagtail_modeltranslation's slug check loads every
    sibling page, so the import grew quadratically with the section's size.
    Field-level checks (``clean_fields``: lengths, choices, blocks) and
    Wagtail's core defaults still run. Only saves inside :func:`_new_page_writes`
    in this thread are affected; updates and anything else keep ``full_clean``.
    """
    own = {model: model.__dict__.get("full_clean") for model in models}
    for model in models:
        model.full_clean = _full_clean_unless_new(model.full_clean)
    try:
        yield
    finally:
        for model, method in own.items():
            if method is None:
                del model.full_clean
            else:
                model.full_clean = method


def _full_clean_unless_new(original):
    def full_clean(self, *args, **kwargs):
        if not getattr(_writing_new_page, "active", False):
            return original(self, *args, **kwargs)
        self._set_core_field_defaults()  # what Page.full_clean() does besides validating
        self.clean_fields()
        return None

    return full_clean


@contextmanager
def _search_index_deferred(models):
    """Keep Wagtail's database search index from being updated on every save of these models.

    Its post_save receiver re-indexes the page on each of its three saves, and
    each update recomputes the title norms of the whole index (quadratic in
    bulk). The import indexes the pages once at the end instead
    (:func:`_update_wagtail_indexes`). Signal receivers are per process, so
    this is for a process that is only importing (``manage.py import_content``).
    """
    disconnected = [model for model in models if post_save.disconnect(search_index_on_save, sender=model)]
    try:
        yield
    finally:
        for model in disconnected:
            post_save.connect(search_index_on_save, sender=model)


def _update_wagtail_indexes(touched):
    """Put the created and updated pages into Wagtail's search index and reference index.

    What the per-save receivers would have done, once per page and in bulk:
    ``add_bulk`` on every auto-updated search backend (the fallback search
    reads the database one), and ``ReferenceIndex.create_or_update_for_object``
    (countries, themes… shown in the admin's usage counts).
    """
    backends = list(get_search_backends_with_name(with_auto_update=True))
    for model, pks in touched.items():
        for start in range(0, len(pks), CHUNK):
            pages = list(model.get_indexed_objects().filter(pk__in=pks[start : start + CHUNK]))
            for name, backend in backends:
                _add_to_search_backend(name, backend, model, pages)
            if ReferenceIndex.is_indexed(model):
                for page in pages:
                    ReferenceIndex.create_or_update_for_object(page)


def _add_to_search_backend(name, backend, model, pages):
    """``backend.add_bulk``, failing as modelsearch's own update does (remote backends may fail quietly)."""
    try:
        backend.add_bulk(model, pages)
    except Exception:
        logger.exception(
            "could not add %d %s pages to the %r search backend", len(pages), model.__name__, name
        )
        if not backend.catch_indexing_errors:
            raise


def _assign(page, item):
    """Copy the item's values onto ``page``; True if anything changed."""
    changed = False
    values = dict(item.fields)
    for name in translated_fields(item.model):
        if name in {"slug", "url_path", "seo_title", "search_description"}:
            continue
        for lang in languages.LANGUAGE_CODES:
            text = item.translations.get(lang, {}).get(name, "")
            values[languages.localized_field(name, lang)] = _stream(text) if name == "body" else text
    for name, value in values.items():
        current = getattr(page, name)
        if name.startswith("body_"):
            same = _blocks(current) == _blocks(value)
        else:
            same = (
                (current or "") == (value or "")
                if isinstance(value, str) or value is None
                else current == value
            )
        if not same:
            setattr(page, name, value)
            changed = True
    title = next(iter(t["title"] for t in item.translations.values() if t.get("title")))
    if not page.title:
        page.title = title
    return changed


def _blocks(stream):
    """A body's blocks as (type, value) pairs, ignoring the ids Wagtail gives them."""
    raw = getattr(stream, "raw_data", stream) or []
    return [(block["type"], block["value"]) for block in raw]


def _stream(text):
    """A body given as plain text (paragraphs split by blank lines) or simple HTML."""
    if not text:
        return []
    if "<" in text:
        html = EditorHTMLConverter().to_database_format(text)
    else:
        html = "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    return [{"type": "paragraph", "value": html}]


def _set_relations(page, item):
    changed = False
    for name, model, key, values in (
        ("countries", Country, "code", item.countries),
        ("themes", Theme, "slug", item.themes),
    ):
        manager = getattr(page, name)
        current = sorted(manager.values_list(key, flat=True))
        if current != sorted(values):
            manager.set(model.objects.filter(**{f"{key}__in": values}))
            changed = True
    return changed


def _set_slugs(page):
    default = languages.localized_field("slug", languages.DEFAULT_LANGUAGE)
    setattr(page, default, page.slug)


class _SiblingSlugs:
    """The slugs taken under one parent, read once: new pages get a free one without a query each.

    A sibling's slug counts in every language (a page's slug falls back to the
    default language's when it has none of its own), so a slug taken here is
    free in all of them, which is what Wagtail and wagtail_modeltranslation
    check on save.
    """

    def __init__(self, parent):
        columns = ["slug"] + [languages.localized_field("slug", c) for c in languages.LANGUAGE_CODES]
        self.taken = {slug for row in parent.get_children().values_list(*columns) for slug in row if slug}

    def free_slug(self, page):
        """An ASCII slug from the page's first title, free among the parent's children; now taken."""
        titles = [getattr(page, languages.localized_field("title", c)) for c in languages.LANGUAGE_CODES]
        base = ascii_slug(next(t for t in titles if t), max_length=70)
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def _index_page_for(model):
    """The index page new items of ``model`` go under, created under the home page if missing."""
    index_model = apps.get_model(model.parent_page_types[0])
    index = index_model.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.get()
    index = index_model()
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            setattr(
                index,
                languages.localized_field("title", code),
                str(model._meta.verbose_name_plural).capitalize(),
            )
    index.title = getattr(index, languages.localized_field("title", languages.DEFAULT_LANGUAGE))
    index.slug = ascii_slug(index.title)
    _set_slugs(index)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index
