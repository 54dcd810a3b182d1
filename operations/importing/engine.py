"""The import engine: write validated items (:mod:`operations.importing.format`) as published pages.

Items arrive as a stream and are written in batches of :data:`BATCH` inside
the caller's transaction, so memory stays flat in the file's size:

- new pages are written in bulk by :class:`operations.importing.bulk.NewPages`,
  which writes the rows Wagtail's publish would (tree, revision, logs,
  indexes, ``page_published``) without its per-page queries;
- existing pages are read a batch at a time and compared with the item; an
  unchanged one costs no write at all;
- a changed one goes through Wagtail's own ``save_revision().publish()``
  (full validation: an editor may have changed the page since), with
  Wagtail's per-save indexing deferred to one bulk pass at the end;
- organisations, series and the site's texts (:mod:`operations.importing.site`)
  are written first in their batch, so pages of the batch can name them;
- a record's parts (:mod:`operations.importing.parts`: sessions, organisations,
  attachments, links) are set on the page before it is written; those naming
  something further down the file wait in :mod:`operations.importing.pending`
  and are applied once every batch is written.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.db import connection, reset_queries, transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.html import escape
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as search_index_on_save
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from operations.importing import digests
from operations.importing.bulk import NewPages
from operations.importing.format import importable_types, translated_fields
from operations.importing.parts import Refs
from operations.importing.pending import Pending, apply_parts
from operations.importing.searchindex import add_to_search_backend, wagtail_search_index_in_bulk
from operations.importing.site import SiteItem, write_site_item
from portal import languages
from portal.core.freshness import one_bump_for_the_block
from portal.core.models import Country, Theme
from portal.core.slugs import slug_from_title
from search.indexing import batched_enqueue
from website.models import HomePage

BATCH = 500  # items read, looked up and written together
CHUNK = 500  # pages per query when indexing updated pages after the import


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.skipped


def import_items(items, progress=None, clean=lambda: True):
    """Write the validated items (any iterable, read once) in one transaction; return a Summary.

    ``progress(done)`` is called after each batch with the number of items done.
    ``clean()`` says, once every item is read, whether the input was valid: a
    reader checks keys named before their line at the end (a part naming one
    that never came cannot be applied), and the caller then rolls back.
    """
    summary = Summary()
    items = iter(items)
    writers = {}  # model -> NewPages, made when the model's first new item comes
    taxonomy = _taxonomy()
    updated = {}
    refs, pending = Refs(), Pending()
    with (
        transaction.atomic(),
        one_bump_for_the_block(),
        disable_reference_index_auto_update(),
        wagtail_search_index_in_bulk(),
    ):
        while batch := list(islice(items, BATCH)):
            _write_batch(batch, writers, taxonomy, summary, updated, refs, pending)
            _forget_logged_queries()
            if progress:
                progress(summary.total)
        if not clean():
            return summary
        with batched_enqueue():
            _write_pending(pending, refs, updated)
            _update_wagtail_indexes(updated)
    return summary


def _write_batch(batch, writers, taxonomy, summary, updated, refs, pending):
    """Write one batch of items: site records first, then new pages in bulk, then changed ones.

    The search outbox's rows of the batch are inserted together at its end
    (:func:`search.indexing.batched_enqueue`), not kept for the whole file.
    """
    with batched_enqueue():
        site_items = [item for item in batch if isinstance(item, SiteItem)]
        if site_items:
            _write_site_items(site_items, summary, refs)
            writers.clear()  # a section's address may have changed: read the parents again
        batch = [item for item in batch if not isinstance(item, SiteItem)]
        existing = _existing_pages(batch)
        new = {}
        for item in batch:
            if item.external_id in existing[item.model]:
                continue
            if item.model not in writers:
                writers[item.model] = NewPages(item.model, _index_page_for(item.model))
            page = _new_page(writers[item.model], item, taxonomy, refs, pending)
            new.setdefault(item.model, []).append((page, digests.digest(item)))
        for model, pages in new.items():
            writers[model].write([page for page, _digest in pages])
            digests.record([(page.pk, page.latest_revision_id, value) for page, value in pages])
            summary.created += len(pages)
        changed = [item for item in batch if item.external_id in existing[item.model]]
        _apply_updates(changed, existing, summary, updated, refs, pending)


def _forget_logged_queries():
    """Empty Django's log of queries (kept under DEBUG) after each batch.

    Under ``DEBUG`` (the development settings ``manage.py`` runs with) Django
    keeps the last 9,000 queries with their parameters written in: the bulk
    INSERTs carry a batch's texts, so the log would hold the whole file
    several times over (17.8 GB at ~70,000 items). A log someone asked for
    (``CaptureQueriesContext``, the test client's ``assertNumQueries``) is left alone.
    """
    if not connection.force_debug_cursor:
        reset_queries()


def _write_site_items(site_items, summary, refs):
    """Organisations, series, the home page's and the sections' texts (see operations.importing.site)."""
    types = importable_types()
    order = {"organisation": 0, "series": 1, "home": 2, "section": 3}
    for item in sorted(site_items, key=lambda i: order[i.kind]):
        outcome = write_site_item(item, _index_page_for, types)
        if outcome == "created":
            summary.created += 1
        elif outcome == "updated":
            summary.updated += 1
        else:
            summary.skipped += 1
    refs.forget_snippets()


def _new_page(writer, item, taxonomy, refs, pending):
    """The item as an unsaved page, placed under its section and checked by its model."""
    page = writer.new_page(item.external_id)
    _assign(page, item)
    page.countries = [taxonomy["countries"][code] for code in item.countries]
    page.themes = [taxonomy["themes"][slug] for slug in item.themes]
    apply_parts(page, item.model, item.parts, refs, pending)
    writer.place(page, item)
    return page


def _apply_updates(items, existing, summary, updated, refs, pending):
    """Compare existing pages with their items a batch at a time; republish the changed ones.

    A record whose digest is the one stored for its page, at the page's
    latest revision, is skipped unread (:mod:`operations.importing.digests`).
    The others are compared on plain column values (no page objects); only
    changed pages, and pages whose record has parts (compared on the loaded
    page), are loaded. Either way the page's digest is stored anew.
    """
    by_model = {}
    for item in items:
        by_model.setdefault(item.model, []).append(item)
    for model, model_items in by_model.items():
        ids = {item.external_id: existing[model][item.external_id] for item in model_items}
        item_digests = {item.external_id: digests.digest(item) for item in model_items}
        states = digests.stored(ids.values())
        fresh = []
        for item in model_items:
            if digests.is_unchanged(states[ids[item.external_id]], item_digests[item.external_id]):
                summary.skipped += 1
            else:
                fresh.append(item)
        model_items = fresh
        if not model_items:
            continue
        compared = []  # (page id, latest revision id, digest) to store
        pks = [existing[model][item.external_id] for item in model_items]
        wanted = {item.external_id: _values(item) for item in model_items}
        columns = sorted(set().union(*wanted.values()))
        rows = {row["pk"]: row for row in model.objects.filter(pk__in=pks).values("pk", *columns)}
        relations = _relation_codes(model, pks)
        changed = []
        for item in model_items:
            pk = existing[model][item.external_id]
            row = rows[pk]
            same = all(_same(name, row[name], value) for name, value in wanted[item.external_id].items())
            if same and not item.parts and not _relations_differ(pk, item, relations):
                summary.skipped += 1
                compared.append((pk, states[pk][0], item_digests[item.external_id]))
            else:
                changed.append((pk, item))
        with _search_index_deferred([model]):
            for pk, item in changed:
                page = model.objects.get(pk=pk)
                differs = _assign(page, item)
                differs = _set_relations(page, item) or differs
                differs = apply_parts(page, model, item.parts, refs, pending) or differs
                if differs:
                    page.save_revision().publish()
                    updated.setdefault(model, []).append(pk)
                    summary.updated += 1
                else:
                    summary.skipped += 1
                compared.append((pk, page.latest_revision_id, item_digests[item.external_id]))
        digests.record(compared, replace=True)


def _write_pending(pending, refs, updated):
    """The parts that named something further down the file, now that it is written."""

    def republish(page):
        with _search_index_deferred([type(page)]):
            page.save_revision().publish()
        digests.republished(page)
        if page.pk not in updated.setdefault(type(page), []):
            updated[type(page)].append(page.pk)

    pending.write(refs, republish)


def _existing_pages(items):
    """``{model: {external_id: page id}}`` of the pages these items already have (one query a model)."""
    wanted = {}
    for item in items:
        wanted.setdefault(item.model, set()).add(item.external_id)
    return {
        model: dict(model.objects.filter(external_id__in=sorted(ids)).values_list("external_id", "pk"))
        for model, ids in wanted.items()
    }


def _taxonomy():
    """Countries by code and themes by slug, read once for all new pages."""
    return {
        "countries": Country.objects.in_bulk(field_name="code"),
        "themes": Theme.objects.in_bulk(field_name="slug"),
    }


RELATIONS = (("countries", Country, "code"), ("themes", Theme, "slug"))


def _relation_codes(model, pks):
    """``{(name, page id): sorted codes}`` for the pages' countries and themes, one query a relation."""
    codes = {}
    for name, _target, key in RELATIONS:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{source}_id__in": pks}).values_list(
            f"{source}_id", f"{target}__{key}"
        )
        for pk, code in rows:
            codes.setdefault((name, pk), []).append(code)
    return {k: sorted(v) for k, v in codes.items()}


def _relations_differ(pk, item, relations):
    """Whether the page's countries or themes differ from the item's."""
    return any(relations.get((name, pk), []) != sorted(getattr(item, name)) for name, *_ in RELATIONS)


def _set_relations(page, item):
    """Give the page the item's countries and themes; True if they differed."""
    changed = False
    for name, model, key in RELATIONS:
        values = getattr(item, name)
        manager = getattr(page, name)
        if sorted(manager.values_list(key, flat=True)) != sorted(values):
            manager.set(model.objects.filter(**{f"{key}__in": values}))
            changed = True
    return changed


@contextmanager
def _search_index_deferred(models):
    """Keep Wagtail's database search index from being updated on every save of these models.

    Its post_save receiver re-indexes the page on each of its saves, and
    each update recomputes the title norms of the whole index (quadratic in
    bulk). The import indexes the updated pages once at the end instead
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
    """Put the updated pages into Wagtail's search index and reference index.

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
                add_to_search_backend(name, backend, model, pages)
            if ReferenceIndex.is_indexed(model):
                for page in pages:
                    ReferenceIndex.create_or_update_for_object(page)


def _values(item):
    """``{column: value}``: what the item says its page's columns hold (every language's text)."""
    values = dict(item.fields)
    for name in translated_fields(item.model):
        if name in {"slug", "url_path", "seo_title", "search_description"}:
            continue
        for lang in languages.LANGUAGE_CODES:
            text = item.translations.get(lang, {}).get(name, "")
            values[languages.localized_field(name, lang)] = _stream(text) if name == "body" else text
    return values


def _same(name, current, value):
    """Whether a column's current value already is the item's (empty text and None alike)."""
    if name.startswith("body_"):
        return _blocks(current) == _blocks(value)
    if isinstance(value, str) or value is None:
        return (current or "") == (value or "")
    return current == value


def _assign(page, item):
    """Copy the item's values onto ``page``; True if anything changed."""
    changed = False
    for name, value in _values(item).items():
        if not _same(name, getattr(page, name), value):
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


def _set_slugs(page):
    default = languages.localized_field("slug", languages.DEFAULT_LANGUAGE)
    setattr(page, default, page.slug)


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
    index.slug = slug_from_title(index.title)
    _set_slugs(index)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index
