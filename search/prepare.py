"""Page -> index document: the texts of a page in each language, analysed, with its facets.

- The text of a page is its type's ``index_text_fields`` (every field
  modeltranslation translates on it, read from modeltranslation's registry by
  ``portal.core.content_types``), so a new translated field is indexed
  without touching this module. ``title`` and ``summary`` get their own
  fields; everything else, and the stored text of attached PDFs
  (:mod:`search.attachments`), goes into ``body``; taxonomy names into ``tags``.
- Analysis is the expensive part. Its result is cached per page and language
  (:class:`~search.models.AnalysedText`, keyed by the digest of the texts), so
  only changed text is analysed again; during a rebuild the analysis of a
  chunk runs in a pool of processes (:func:`parallel_analysis`) while the
  previous chunk is sent.
- Everything a document reads besides the page row (taxonomy, attachments,
  site roots, cache rows) is fetched once per chunk, so a chunk costs a fixed
  number of queries.
"""

import ctypes
import ctypes.util
import hashlib
import json
import multiprocessing
import multiprocessing.util
import os
import signal
import time
import zlib
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction
from django.utils.encoding import force_str
from elasticsearch.serializer import JsonSerializer
from wagtail.blocks import RichTextBlock
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from portal import languages
from portal.core.models import Country, Organisation, Theme
from search import analysis, attachments, markup, names, routing
from search.analysis import analyzed_text
from search.documents import PINYIN_FIELD, PINYIN_LANGUAGE, TEXT_FIELDS, terms_field, text_field, url_field
from search.models import AnalysedText
from search.types import indexed_models, type_for_model

WagtailDocument = get_document_model()
PR_SET_PDEATHSIG = 1  # prctl(2)
POOL_MIN_TEXTS = 16  # fewer texts than this are analysed in-process (the worker's small batches)


# --- Facts of a page ---------------------------------------------------------------


def translated_fields(model):
    """Names of the model's translated text fields: its type's ``index_text_fields``."""
    options = type_for_model(model)
    return list(options.index_text_fields) if options else ["title"]


def item_date(page):
    """The item's own date (start date, publication date…), else its first publication."""
    options = type_for_model(type(page))
    value = getattr(page, options.listing_date, None) if options else None
    return value or (page.first_published_at.date() if page.first_published_at else None)


def item_status(page):
    """The status a reader sees (a project's follows its dates: ``current_status``), else the column."""
    value = getattr(page, "current_status", None) or getattr(page, "status", "")
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

    Each page's list keeps ``target``'s own ordering.
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
            f.attname
            for f in child._meta.get_fields()
            if f.many_to_one and f.related_model is WagtailDocument
        ]
        if doc_fields:
            found.append((child, field.field.attname, doc_fields))
    return found


def _attachment_texts_in_bulk(pages):
    """``{page id: {language code: [text]}}`` of documents attached as inline children (one model).

    An attachment with a ``language`` field counts for that language; one
    without (or in several languages) for the default language. The text is
    the stored one (:mod:`search.attachments`): no file is opened here.
    """
    found = {page.pk: [] for page in pages}  # page id -> [(language, document id)]
    for child, parent_key, doc_fields in _document_relations(type(pages[0])):
        rows = child._default_manager.filter(**{f"{parent_key}__in": list(found)})
        for row in rows.values(
            parent_key, *doc_fields, *(["language"] if _has_field(child, "language") else [])
        ):
            code = row.get("language", "")
            code = code if code in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE
            for name in doc_fields:
                if row[name]:
                    found[row[parent_key]].append((code, row[name]))
    stored = attachments.texts_of(doc_id for items in found.values() for _code, doc_id in items)
    texts = {page.pk: {} for page in pages}
    for page_id, items in found.items():
        for code, doc_id in items:
            if doc_id in stored:
                texts[page_id].setdefault(code, []).append(stored[doc_id])
    return texts


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _block_document_ids(stream_value):
    ids = []
    for block in stream_value:
        value = getattr(block.value, "get", lambda _k: None)("document")
        if value is not None:
            ids.append(value.pk)
    return ids


def _text_of(model, name, value, document_texts):
    """Plain text of one field value (StreamField with its documents' text, rich text or plain)."""
    if value is None:
        return ""
    field = model._meta.get_field(name)
    if isinstance(field, StreamField):
        parts = _stream_text_parts(field.stream_block, value)
        parts += [document_texts[pk] for pk in _block_document_ids(value) if pk in document_texts]
        return "\n".join(str(p) for p in parts if p)
    if isinstance(field, RichTextField):
        return markup.field_text(value)
    if isinstance(field, (models.CharField, models.TextField)) and not isinstance(
        field, (models.URLField, models.EmailField)
    ):
        return str(value)
    return ""


def _stream_text_parts(stream_block, value):
    """``stream_block.get_searchable_content(value)``, its rich-text blocks read by :mod:`search.markup`."""
    if not stream_block.search_index:
        return []
    parts = []
    for child in value:
        if type(child.block) is RichTextBlock and child.block.search_index:
            parts.append(markup.block_text(force_str(child.value.source)))
        else:
            parts.extend(child.block.get_searchable_content(child.value))
    return parts


def _names(objs, code):
    """Labels of taxonomy objects in one language (no fallback: a tag per language)."""
    out = []
    for obj in objs:
        for name in ("name", "acronym"):
            value = getattr(obj, languages.localized_field(name, code), None)
            if value:
                out.append(value)
    return out


def _specific_pages(pages):
    """The pages as instances of their own class (one query for those that are not yet)."""
    generic = [page.pk for page in pages if page.specific_class and not isinstance(page, page.specific_class)]
    if not generic:
        return list(pages)
    specific = {page.pk: page for page in Page.objects.filter(pk__in=generic).specific()}
    return [specific.get(page.pk, page) for page in pages]


# --- Analysis: cached, and parallel during a rebuild ------------------------------------


def analyse_roles(texts):
    """``{role: text}`` -> ``{role: analysed tokens}`` (runs in pool processes too)."""
    return {role: analyzed_text(text) for role, text in texts.items()}


def digest(texts):
    return hashlib.sha1(json.dumps(texts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _pack(terms):
    return zlib.compress(json.dumps(terms, ensure_ascii=False).encode("utf-8"), 1)


def _unpack(blob):
    return json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))


def pinyin_of(terms):
    """The value of ``PINYIN_FIELD`` from the Chinese ``{role: analysed tokens}`` of an item."""
    words = []
    for role in ("title", "summary"):
        words += (terms.get(role) or "").split()
    return " ".join(names.index_readings(words))


def pinyin_text(doc):
    """The value of ``PINYIN_FIELD`` for a document whose Chinese ``*_terms`` fields are filled."""
    return pinyin_of({role: doc.get(terms_field(role, PINYIN_LANGUAGE)) for role in ("title", "summary")})


class TextJob:
    """One page's texts in one language, with its cached analysis if any: the unit of work of the pool.

    Everything that costs in proportion to the text is done by :meth:`run`,
    in a pool process during a rebuild: the digest, reading the cached
    analysis back or analysing the text, packing a new analysis for the
    cache, the pinyin of Chinese names. What remains in the process that reads
    the pages is reading them and filling documents.
    """

    __slots__ = ("code", "texts", "cached_digest", "cached_terms")

    def __init__(self, code, texts, cached=None):
        self.code, self.texts = code, texts
        self.cached_digest = cached.digest if cached is not None else None
        self.cached_terms = bytes(cached.terms) if cached is not None else None

    def run(self):
        """``(terms, pinyin or None, digest, packed terms to store or None)``."""
        text_digest = digest(self.texts)
        if self.cached_terms is not None and self.cached_digest == text_digest:
            terms, packed = _unpack(self.cached_terms), None
        else:
            terms = analyse_roles(self.texts)
            packed = _pack(terms)
        pinyin = pinyin_of(terms) if self.code == PINYIN_LANGUAGE else None
        return terms, pinyin, text_digest, packed


def _run_jobs(jobs):
    return [job.run() for job in jobs]


_pool = None


def index_workers():
    """Processes analysing text during a rebuild: ``SEARCH_INDEX_WORKERS``, default one per core."""
    return max(1, int(getattr(settings, "SEARCH_INDEX_WORKERS", 0) or os.cpu_count() or 1))


def index_niceness():
    """How much the pool yields the CPU to other processes: ``SEARCH_INDEX_NICENESS`` (0: not at all)."""
    return int(getattr(settings, "SEARCH_INDEX_NICENESS", 0) or 0)


def _warm_up():
    """Load what analysis reads (both segmenters, stemmers, the pinyin table) once, before forking."""
    analysis.load_segmenters()
    pinyin_of({"title": analyzed_text("大气污染 Алматы rivers")})


@contextmanager
def parallel_analysis(workers=None):
    """Within the block, :func:`start` runs large batches of :class:`TextJob` in a pool of processes.

    The processes are forked after the dictionaries are loaded, so they share
    them; they only run :meth:`TextJob.run` (no database, no Elasticsearch).
    With one worker nothing is forked.
    """
    global _pool
    workers = workers or index_workers()
    if workers < 2 or _pool is not None:
        yield
        return
    _pool = _fork_pool(workers)
    try:
        yield
    finally:
        pool, _pool = _pool, None
        pool.shutdown(cancel_futures=True)


def _fork_pool(workers):
    """A pool of ``workers`` processes forked now, after loading what analysis reads (shared by all).

    The parent's database connections are closed first (it reopens them on
    its next query): a forked process must never use or close a socket its
    parent still talks on, so each opens its own if it reads pages
    (:func:`reading_pool`; never inside a transaction, :func:`pool_can_read`).
    A submitted no-op makes the pool fork at once, before the caller starts
    any thread.
    """
    _warm_up()
    if pool_can_read():  # (inside a transaction the pool never reads: leave it open)
        connections.close_all()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_pool_process_started,
        initargs=(index_niceness(), os.getpid()),
    )
    pool.submit(int).result()
    return pool


def _pool_process_started(niceness, parent):
    """In each pool process: its priority, and its own database connections, closed when it ends."""
    global _pool
    _pool = None  # the parent's pool object came with the fork: never submit to it from here
    if niceness:
        os.nice(niceness)
    _end_with_parent(parent)
    inherited = {id(c.connection) for c in connections.all(initialized_only=True) if c.connection is not None}
    multiprocessing.util.Finalize(None, _close_own_connections, args=(inherited,), exitpriority=10)


def _end_with_parent(parent):
    """Linux: end this process if the parent is killed (a pool process would wait for tasks forever).

    A rebuild stopped with ``kill`` runs no ``finally``; without this its pool
    processes would stay, each holding a database connection. A parent killed
    before this ran is seen by its pid having changed.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: shutdown() at the end of the block still ends them
        return
    if os.getppid() != parent:
        os._exit(0)


def _close_own_connections(inherited):
    """Close the connections this pool process opened, never one it was forked with.

    A connection inherited from inside the parent's transaction (the pool then
    only analyses) is the parent's session: closing it here would end it for
    the parent too (PostgreSQL's client says goodbye on the shared socket).
    """
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and id(conn.connection) not in inherited:
            conn.close()


class PreparedChunk:
    """Documents of a chunk of pages whose text jobs may still be running in the pool."""

    def __init__(self, docs, slots, outcomes, in_pool=False):
        self.docs, self.slots, self.outcomes, self.in_pool = docs, slots, outcomes, in_pool

    def result(self):
        """The finished documents (in the pages' order); stores new analyses in the cache."""
        rows = []
        for (doc, code), (terms, pinyin, text_digest, packed) in zip(
            self.slots, self.outcomes(), strict=True
        ):
            for role in TEXT_FIELDS:
                doc[terms_field(role, code)] = terms.get(role, "")
            if pinyin is not None:
                doc[PINYIN_FIELD] = pinyin
            if packed is not None:
                rows.append(
                    AnalysedText(page_id=doc["page_id"], language=code, digest=text_digest, terms=packed)
                )
        if rows:
            AnalysedText.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["page_id", "language"],
                update_fields=["digest", "terms"],
                batch_size=500,
            )
        return self.docs


def run_later(jobs):
    """Start running ``[TextJob, …]``; returns a function giving their outcomes, in order.

    Inside :func:`parallel_analysis` a large batch is split across the pool and
    runs while the caller does other work (reads the next chunk, sends the
    previous one); otherwise the returned function runs them in-process.
    """
    if _pool is None or len(jobs) < POOL_MIN_TEXTS:
        return lambda: _run_jobs(jobs)
    size = max(1, len(jobs) // (index_workers() * 2))
    futures = [_pool.submit(_run_jobs, jobs[i : i + size]) for i in range(0, len(jobs), size)]
    return lambda: [outcome for future in futures for outcome in future.result()]


def start(pages):
    """Begin preparing the documents of live pages: a :class:`PreparedChunk` to ``result()``.

    Reads everything from the database now (the pages, what they refer to,
    their cached analyses); their texts go to the pool as :class:`TextJob`
    (inside :func:`parallel_analysis`) or are run by ``result()``.
    """
    pages = _specific_pages(pages)
    if not pages:
        return PreparedChunk([], [], list)
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    related, inline_texts = {}, {}
    for group in by_model.values():
        for target in (Country, Theme, Organisation):
            for pk, objs in _related_in_bulk(group, target).items():
                related.setdefault(pk, {})[target] = objs
        inline_texts.update(_attachment_texts_in_bulk(group))
    block_texts = attachments.texts_of(_stream_document_ids(pages))
    urls = routing.urls_in_bulk(pages)
    cached = {
        (row.page_id, row.language): row
        for row in AnalysedText.objects.filter(page_id__in=[page.pk for page in pages])
    }
    docs, slots, jobs = [], [], []
    for page in pages:
        doc, texts_by_code = _document(
            page, related[page.pk], inline_texts[page.pk], block_texts, urls[page.pk]
        )
        for code, texts in texts_by_code.items():
            slots.append((doc, code))
            jobs.append(TextJob(code, texts, cached.get((page.pk, code))))
        docs.append(doc)
    in_pool = _pool is not None and len(jobs) >= POOL_MIN_TEXTS
    return PreparedChunk(docs, slots, run_later(jobs), in_pool)


def _stream_document_ids(pages):
    ids = []
    for page in pages:
        model = type(page)
        for name in translated_fields(model):
            for code in languages.LANGUAGE_CODES:
                field_name = languages.localized_field(name, code)
                value = getattr(page, field_name, None)
                if value and isinstance(model._meta.get_field(field_name), StreamField):
                    ids += _block_document_ids(value)
    return ids


def prepare_many(pages):
    """The index documents of live pages, in the order given (plain dicts, ``_id`` = page id)."""
    return start(pages).result()


def prepare(page):
    """The index document of one live page."""
    return prepare_many([page])[0]


def _document(page, related, inline_texts, block_texts, urls):
    """The document without its ``*_terms`` fields, and ``{language: {role: text}}`` to analyse."""
    model = type(page)
    itype = type_for_model(model)
    countries, themes, organisations = related[Country], related[Theme], related[Organisation]
    date = item_date(page)
    doc = {
        "_id": str(page.pk),
        "page_id": page.pk,
        "type": itype.import_name if itype else model._meta.model_name,
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
    texts_by_code = {}
    for code in languages.LANGUAGE_CODES:
        texts = {role: [] for role in TEXT_FIELDS}
        for name in fields:
            field_name = languages.localized_field(name, code)
            text = _text_of(model, field_name, getattr(page, field_name, None), block_texts)
            if text.strip():
                texts[_role(name)].append(text)
        texts["body"] += inline_texts.get(code, [])
        texts["tags"] = _names(countries, code) + _names(themes, code) + _names(organisations, code)
        joined = {role: "\n".join(parts) for role, parts in texts.items()}
        for role, text in joined.items():
            doc[text_field(role, code)] = text
        texts_by_code[code] = joined
        if texts["title"]:
            doc["suggest"].append(texts["title"][0])
        doc[url_field(code)] = urls[code]
    return doc, texts_by_code


def _role(name):
    return name if name in ("title", "summary") else "body"


# --- The rebuild's preparation, wholly in the pool -------------------------------------------
#
# During a rebuild the pool's processes read the pages themselves, prepare their
# documents (reusing or filling the analysis cache) and serialise them for the
# bulk API; the rebuild's process only lists page ids and sends what comes back.
# So the page reads, the text extraction, the URLs and the JSON run in parallel,
# at the pool's lower priority (``SEARCH_INDEX_NICENESS``), and not in the
# process that keeps the node's bulk requests going.

READ_CHUNK = 200  # pages read, prepared and serialised by one task of the pool


def pool_can_read():
    """Whether pool processes may read the pages themselves.

    Each has its own database connection, which sees only what is committed:
    not inside a caller's open transaction (the tests' ``django_db``), where
    the process that holds it reads the pages and the pool only analyses.
    """
    return not transaction.get_connection().in_atomic_block


@contextmanager
def reading_pool(workers=None):
    """A pool whose processes run :func:`bulk_lines` (see :func:`_fork_pool`)."""
    pool = _fork_pool(workers or index_workers())
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def live_id_chunks(size=READ_CHUNK):
    """``(model label, [page id, …])`` of every live item, ``size`` ids at a time, in id order per model."""
    for model in indexed_models():
        ids = list(model.objects.live().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), size):
            yield model._meta.label, ids[start : start + size]


_serializer = JsonSerializer()  # the Elasticsearch client's own: the same bytes helpers.bulk sends


def bulk_lines(model_label, ids):
    """``([(action line, source line)], {stage: seconds})`` of the pages ``ids`` still live (a pool task).

    A page unpublished since its id was listed is left out (the rebuild's
    catch-up deletes it if it got in); new analyses are stored in the cache by
    the process that made them. The seconds (``read``, ``prepare``,
    ``serialise``) say where a rebuild's preparation goes.
    """
    clock = StageClock()
    pages = list(apps.get_model(model_label).objects.live().filter(pk__in=ids).order_by("pk"))
    clock.end("read")
    docs = prepare_many(pages)
    clock.end("prepare")
    lines = [(_serializer.dumps({"index": {"_id": doc.pop("_id")}}), _serializer.dumps(doc)) for doc in docs]
    clock.end("serialise")
    return lines, clock.seconds


class StageClock:
    """Wall seconds of successive stages, each from the end of the one before (or from ``started``)."""

    def __init__(self, started=None):
        self.last, self.seconds = started or time.monotonic(), {}

    def end(self, stage):
        now = time.monotonic()
        self.seconds[stage], self.last = now - self.last, now


def prepared_in_pool(pool, ahead=None, seconds=None):
    """Every live item's bulk lines, prepared by ``pool``, in order.

    The first ``ahead`` tasks are submitted now, before the caller iterates
    (the rebuild creates its index meanwhile); then one more as each finishes.
    ``seconds`` (a ``Counter``), if given, adds up the pool's seconds per stage
    (:func:`bulk_lines`) as the tasks finish.
    """
    chunks = live_id_chunks(READ_CHUNK)
    running = deque(pool.submit(bulk_lines, *chunk) for chunk in islice(chunks, ahead or index_workers() * 2))
    return _in_order(pool, chunks, running, Counter() if seconds is None else seconds)


def _in_order(pool, chunks, running, seconds):
    while running:
        lines, stages = running.popleft().result()
        seconds.update(stages)
        chunk = next(chunks, None)
        if chunk is not None:
            running.append(pool.submit(bulk_lines, *chunk))
        yield from lines


# --- What to index --------------------------------------------------------------------


def indexable_chunks(size=500):
    """Live pages of every indexed type in lists of ``size`` (one model each).

    Each chunk is its own query, after the last id of the one before, rather
    than one cursor held open: on SQLite an open cursor keeps a read snapshot,
    and the rebuild's own writes (the analysis cache) then fail with
    "database is locked" as soon as an editor publishes meanwhile.
    """
    for model in indexed_models():
        last = 0
        while chunk := list(model.objects.live().filter(pk__gt=last).order_by("pk")[:size]):
            yield chunk
            last = chunk[-1].pk


def is_indexable(page):
    """Live and of an indexed type (other pages, and unpublished ones, are removed)."""
    return page.live and type_for_model(type(page.specific)) is not None
