"""Which languages each page still lacks, kept beside the page for the "Missing translations" report.

The rule is the report's (:func:`missing_codes`): a content page lacks a
language when one of its translated fields is written in some language but
not in that one (``ContentPage.missing_languages``: optional fields left
empty everywhere do not count); any page lacks the languages its title is not
written in. Asking every page on each request read all 100,000 pages in
Python (8 s for the whole report, minutes filtered on one language), and the
same rule in SQL reads every body (9 s).

So the answer is stored per page (``core.TranslationGaps``): written when
Wagtail saves the page's content (creation, publish, copy: ``post_save``
without ``update_fields``, or with a translated field among them; a draft
revision leaves the row, and the report, as they were), forgotten when a
column is changed behind the ORM's back (:func:`forget`), written in batches
by the importer's bulk path (:func:`record_many`: it calls no ``post_save``),
and computed for any page without one before the report filters
(:func:`fill_unknown`; ``setup_portal`` fills a database migrated from before
this table). The report then filters with one ``LIKE`` on a narrow table.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from wagtail.models import Page

from portal import languages
from portal.core import content_types
from portal.core.models import TranslationGaps

BATCH = 500


def _title_missing(page):
    return [
        c for c in languages.LANGUAGE_CODES if not getattr(page, languages.localized_field("title", c), None)
    ]


def field_gaps(page):
    """{field: languages} for the fields written in some language but not in these (content pages)."""
    if not hasattr(page, "missing_languages"):
        return {}
    return {
        field: codes
        for field, codes in page.missing_languages().items()
        if len(codes) < len(languages.LANGUAGE_CODES)
    }


def missing_codes(page):
    """The codes of the languages ``page`` (its specific object) lacks, in the language list's order."""
    missing = set(_title_missing(page))
    for codes in field_gaps(page).values():
        missing.update(codes)
    return [c for c in languages.LANGUAGE_CODES if c in missing]


def _stored(page):
    codes = missing_codes(page)
    return TranslationGaps(page_id=page.pk, missing=f" {' '.join(codes)} " if codes else "")


def record(page):
    """Store ``page``'s gaps (one upsert)."""
    row = _stored(page)
    TranslationGaps.objects.update_or_create(page_id=row.page_id, defaults={"missing": row.missing})


def record_many(pages):
    """Store the gaps of new pages (specific objects, with ids) in one insert: the importer's bulk path."""
    TranslationGaps.objects.bulk_create([_stored(page) for page in pages], ignore_conflicts=True)


def forget(page_ids):
    """Drop the stored gaps of these pages (their columns were changed without ``Page.save``)."""
    TranslationGaps.objects.filter(page_id__in=list(page_ids)).delete()


def _translated_columns(model):
    from modeltranslation.translator import NotRegistered, translator

    try:
        names = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return set()
    return {*names, *(languages.localized_field(n, c) for n in names for c in languages.LANGUAGE_CODES)}


def on_page_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """``post_save`` receiver: the page's content was written, its gaps may have changed."""
    if raw or not isinstance(instance, Page) or instance.depth is None or instance.depth <= 1:
        return
    if update_fields is not None and not set(update_fields) & _translated_columns(type(instance)):
        return  # a revision's bookkeeping (draft title, latest revision…): the row's texts are unchanged
    if type(instance) is not instance.specific_class:
        forget([instance.pk])  # saved as a plain Page: its content fields are not here; computed when asked
        return
    record(instance)


def _all_known():
    """True when every page below the root has its gaps stored: two counts, each on a narrow index.

    A stored row belongs to one page below the root (its primary key is the
    page's, deleted with it), so equal counts mean none is unknown. The
    anti-join of :func:`_unknown_ids` reads every row of the wide page table
    (0.3 s at 100,000 pages, on each filtered report: the report's filter
    runs it twice); the counts take a fifth of that.
    """
    return TranslationGaps.objects.count() >= Page.objects.filter(depth__gt=1).count()


def _unknown_ids():
    """``{content type id: [page ids]}`` of the pages with no gaps stored (one anti-join on two keys)."""
    rows = (
        Page.objects.filter(depth__gt=1)
        .filter(~Exists(TranslationGaps.objects.filter(page_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("content_type_id", "pk")
    )
    unknown = {}
    for content_type_id, pk in rows.iterator(chunk_size=5000):
        unknown.setdefault(content_type_id, []).append(pk)
    return unknown


def fill_unknown(progress=None):
    """Compute the gaps of every page that has none stored; returns how many were computed.

    Normally none is unknown and this is two counts (:func:`_all_known`). Otherwise the
    unknown pages are read per type (a content type's own rows; other pages only their
    titles) and written a batch at a time; ``progress(n)`` is called after each batch.
    """
    if _all_known():
        return 0
    done = 0
    for content_type_id, ids in _unknown_ids().items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or content_types.by_model(model) is None:
            model = Page  # home, sections (or a type whose code is gone): only their titles count
        for start in range(0, len(ids), BATCH):
            rows = model.objects.filter(pk__in=ids[start : start + BATCH])
            if model is Page:
                rows = rows.only(*(languages.localized_field("title", c) for c in languages.LANGUAGE_CODES))
            done += _write([_stored(page) for page in rows], progress, done)
    return done


def _write(batch, progress, done):
    TranslationGaps.objects.bulk_create(batch, ignore_conflicts=True)
    if batch and progress:
        progress(done + len(batch))
    return len(batch)


def pages_missing(code):
    """The ids of the pages lacking language ``code``, as a subquery (after :func:`fill_unknown`)."""
    fill_unknown()
    return TranslationGaps.objects.filter(missing__contains=f" {code} ").values_list("page_id", flat=True)
