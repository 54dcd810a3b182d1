"""Create many new published pages at once, with the rows Wagtail's own publish would write.

Publishing one new page the ordinary way (``add_child``, ``save_revision``,
``publish``) saves the page three times and runs about forty queries: the
tree position, modeltranslation's and Wagtail's sibling-slug checks (each
loads the siblings: quadratic in a section's size), a revision, two log
entries, the reference index, Wagtail's search index and our outbox. This
module writes the same rows for a batch of pages in a handful of bulk
statements. What it bypasses and how each invariant is kept:

==========================  ===========================================================
Wagtail machinery bypassed  what :class:`NewPages` does instead
==========================  ===========================================================
``add_child`` (treebeard)   paths computed after the parent's last child, ``depth``,
                            ``numchild`` 0; the parent's ``numchild`` raised once a batch
``Page.save`` / clean       ``clean_fields()`` (less the fields still holding the
                            blank page's valid value) and the model's own ``clean()``
                            (derived values, cross-field rules) with the sibling-slug
                            queries off: slugs come free in every language from
                            :class:`SiblingSlugs`; ``url_path`` in every language
                            from ``set_url_path`` (modeltranslation's), ``locale``
                            and ``draft_title`` as ``_set_core_field_defaults``
``bulk_create``             prepared multi-row INSERTs (:mod:`.rows`), each value
                            read and converted once; JSON as UTF-8 text on SQLite;
                            ``COPY`` on PostgreSQL (ids from the sequence first)
``save_revision``           one ``Revision`` a page, its content what the page's
                            ``serializable_data()`` gives as ``save_revision`` sees
                            it, built from the rows' values (children saved first,
                            so with their ids)
``publish``                 ``live``, ``live_revision`` = ``latest_revision``,
                            ``first_published_at`` = ``last_published_at``,
                            ``has_unpublished_changes`` off; ``wagtail.create`` and
                            ``wagtail.publish`` log entries; ``page_published`` and
                            ``published`` sent for every page (the search outbox rows
                            and cache invalidations hang off them)
post_save receivers         Wagtail's search index (a batch's entries at once, title
                            norms once an import: :mod:`.searchindex`)
                            and reference index (rows extracted per page, one insert);
                            the pages' translation gaps (one insert a batch:
                            ``portal.core.translation_gaps.record_many``)
==========================  ===========================================================

``tests/test_import_bulk.py`` compares a page written here with the same
page published through Wagtail, column by column, revision, log entries,
relations, indexes and search document included, and each type's revision
with the page's own ``serializable_data()``.
"""

import copy
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from modelsearch.backends import get_search_backends_with_name
from modeltranslation.translator import translator
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, get_default_page_content_type
from wagtail.signals import page_published, published
from wagtail_modeltranslation import patch_wagtailadmin

from operations.importing.format import blank_translations
from operations.importing.rows import Table, serializable_data
from operations.importing.searchindex import add_to_search_backend
from portal import languages
from portal.core import translation_gaps
from portal.core.slugs import free_slug, slug_from_title


class RowRejected(Exception):
    """A model's own ``clean()`` refused an item: ``line`` names it, ``errors`` says why."""

    def __init__(self, line, errors):
        self.line = line
        self.errors = errors
        super().__init__(f"line {line}: {errors}")


class SiblingSlugs:
    """The slugs taken under one parent, read once: new pages get free ones without a query each.

    A sibling's slug counts in every language (a page's slug falls back to the
    default language's when it has none of its own), so a slug taken here is
    free in all of them, which is what Wagtail and wagtail_modeltranslation
    check on save.
    """

    def __init__(self, parent):
        columns = ["slug"] + [languages.localized_field("slug", c) for c in languages.LANGUAGE_CODES]
        self.taken = {slug for row in parent.get_children().values_list(*columns) for slug in row if slug}

    def free_slugs(self, item):
        """``{slug column: slug}``: one per language the item has a title (or a slug) in; now taken.

        A slug given in the record is kept as it is (refused if a sibling has
        it); others come from that language's title (:func:`slug_from_title`),
        numbered if taken. The default language always gets one, from the
        first title, since the other languages' addresses fall back to it.
        """
        own, result = set(), {}
        titles = [item.translations.get(c, {}).get("title") for c in languages.LANGUAGE_CODES]
        for code in languages.LANGUAGE_CODES:
            texts = item.translations.get(code, {})
            title = texts.get("title") or (
                code == languages.DEFAULT_LANGUAGE and next(t for t in titles if t)
            )
            if texts.get("slug"):
                slug = texts["slug"]
                if slug in self.taken:
                    raise RowRejected(
                        item.line, {f"translations.{code}.slug": [f"{slug!r} is taken by another page"]}
                    )
            elif title:
                slug = self._free(slug_from_title(title), own)
            else:
                continue
            own.add(slug)
            result[languages.localized_field("slug", code)] = slug
        self.taken |= own
        return result

    def _free(self, base, own):
        return free_slug(base, _TakenByOthers(self.taken, own))


class _TakenByOthers:
    """The siblings' slugs less the item's own (its languages may share one), without a copy.

    ``taken - own`` copied every sibling's slug for each slug made: 2 ms at
    35,000 policy documents, so a first import of 100,000 items grew
    quadratically (the importer's CPU per item at 100,000 was 1.8 times that at 10,000).
    """

    __slots__ = ("own", "taken")

    def __init__(self, taken, own):
        self.taken, self.own = taken, own

    def __contains__(self, slug):
        return slug in self.taken and slug not in self.own


def _no_sibling_slugs(page):
    """modeltranslation's sibling-slug check for a page whose slugs came from :class:`SiblingSlugs`.

    The check (``portal.core.sibling_slugs.check``) would find no parent
    and return nothing, after reading the page's slug in every language.
    """
    return {}


PUBLISH_DATES = ("first_published_at", "last_published_at", "latest_revision_created_at")


class NewPages:
    """Writes batches of new pages of one model under one parent (see the module's docstring)."""

    def __init__(self, model, parent):
        self.model = model
        self.parent = parent
        self.slugs = SiblingSlugs(parent)
        last = parent.get_last_child()
        self.next_position = last._get_lastpos_in_path() + 1 if last else 1
        self.content_type = ContentType.objects.get_for_model(model)
        self.base_content_type = get_default_page_content_type()
        self.page_table = Table(Page, _columns(Page))
        self.specific_table = Table(model, model._meta.local_concrete_fields)
        self.revision_table = Table(Revision, _columns(Revision))
        self.log_table = Table(PageLogEntry, _columns(PageLogEntry))
        self.m2m_fields = [f for f in model._meta.get_fields() if isinstance(f, ParentalManyToManyField)]
        self.child_relations = get_all_child_relations(model)
        self.prototype = model(**blank_translations(model))
        self.relation_names = [f.name for f in self.m2m_fields] + [
            r.get_accessor_name() for r in self.child_relations
        ]
        # Wagtail's own columns are the engine's to set (tree, locale, content type,
        # revisions): checking them would only cost queries. The model's fields are checked.
        self.set_by_engine = [f.name for f in Page._meta.fields]
        self.kept_if_blank = self._valid_when_blank()
        self.through_tables = {
            f.name: Table(f.remote_field.through, _columns(f.remote_field.through)) for f in self.m2m_fields
        }
        self.child_tables = {
            relation.get_accessor_name(): Table(relation.related_model, _columns(relation.related_model))
            for relation in self.child_relations
        }

    def _valid_when_blank(self):
        """``(attname, name)`` of the model's own fields whose blank value passes the field's checks.

        A page still holding that very value (the prototype's object: nothing
        set it) needs no check of it again. Fields modeltranslation shows
        through a descriptor (``title``, ``summary``…) read another language's
        column, so they are always checked.
        """
        translated = set(translator.get_options_for_model(self.model).all_fields)
        try:
            self.prototype.clean_fields(exclude=self.set_by_engine)
            failing = set()
        except ValidationError as exc:
            failing = set(exc.error_dict)
        return [
            (f.attname, f.name)
            for f in self.model._meta.concrete_fields
            if f.name not in failing and f.name not in translated and f.name not in self.set_by_engine
        ]

    def new_page(self, external_id):
        """An unsaved page of the model with every column at its default.

        A copy of one blank page made once (building a page runs Wagtail's,
        modelcluster's and modeltranslation's constructors: over a millisecond);
        only the values that must be unique per page are made anew.
        """
        page = copy.copy(self.prototype)
        page.translation_key = uuid.uuid4()
        page.external_id = external_id
        return page

    def place(self, page, item):
        """Give a filled-in page its slugs, tree position and core fields; run the model's checks."""
        for column, slug in self.slugs.free_slugs(item).items():
            setattr(page, column, slug)
        page.slug = getattr(page, languages.localized_field("slug", languages.DEFAULT_LANGUAGE))
        line = item.line
        page.depth = self.parent.depth + 1
        page.path = Page._get_path(self.parent.path, page.depth, self.next_position)
        self.next_position += 1
        page.numchild = 0
        page.locale_id = self.parent.locale_id
        page.translation_key = page.translation_key or uuid.uuid4()
        page.draft_title = page.title
        page.set_url_path(self.parent)
        held = getattr(page, "_cluster_related_objects", {})
        for name in self.relation_names:
            if name not in held:  # a new page has none: say so, or reading it queries the database
                setattr(page, name, [])
        self._clean(page, line)

    def _clean(self, page, line):
        """Field checks and the model's ``clean()``, minus the sibling-slug queries and uniqueness.

        Both slug checks (Wagtail's and wagtail_modeltranslation's) ask
        ``get_parent()`` for the siblings and pass when there is none; the
        slugs are free by construction (:class:`SiblingSlugs`), the
        ``external_id`` was looked up and the ``translation_key`` is new.
        """
        page.get_parent = lambda update=False: None
        slug_check, patch_wagtailadmin._validate_slugs = patch_wagtailadmin._validate_slugs, _no_sibling_slugs
        try:
            page.clean_fields(exclude=self.set_by_engine + self._unchanged(page))
            page.clean()
        except ValidationError as exc:
            raise RowRejected(line, exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        finally:
            del page.get_parent
            patch_wagtailadmin._validate_slugs = slug_check

    def _unchanged(self, page):
        """Names of the fields whose value on ``page`` is still the blank page's, known to be valid."""
        own, blank = page.__dict__, self.prototype.__dict__
        return [name for attname, name in self.kept_if_blank if own.get(attname) is blank.get(attname, own)]

    def write(self, pages):
        """Insert the pages (already ``place``d) as published pages with their revision and logs."""
        if not pages:
            return []
        now = timezone.now()
        for page in pages:
            page.live = True
            page.has_unpublished_changes = False
            page.expired = False
            page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
        # Where the database gives ids ahead (PostgreSQL), each page row names its revision
        # at once (the foreign key is checked at commit); elsewhere one UPDATE links them after.
        revision_ids = self.revision_table.next_ids(len(pages)) if Table.ids_ahead() else None
        for page, revision_id in zip(pages, revision_ids or [None] * len(pages), strict=True):
            page.latest_revision_id = page.live_revision_id = revision_id
        values, encoded = self._insert_pages(pages)
        self._insert_relations(pages)  # first: the revision holds the children with their ids
        revisions = self._insert_revisions(pages, values, encoded, now, revision_ids)
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        if revision_ids is None:
            self._link_revisions(pages)
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(pages))
        self.parent.numchild += len(pages)
        self._insert_logs(pages, revisions, now)
        self._index(pages)
        translation_gaps.record_many(pages)
        for page, revision in zip(pages, revisions, strict=True):
            page_published.send(sender=self.model, instance=page, revision=revision)
            published.send(sender=self.model, instance=page, revision=revision)
        return pages

    def _insert_pages(self, pages):
        """The ``wagtailcore_page`` rows (ids come back), then the model's own.

        Returns each page's values (``{attname: value}`` of both tables, read
        once) and its stream fields' JSON: they serve for the revision too.
        """
        values = [self.page_table.values(page) for page in pages]
        ids = self.page_table.insert([self.page_table.row(v) for v in values], returning=True)
        for page, pk, page_values in zip(pages, ids, values, strict=True):
            page.id = page.pk = pk
            page._state.adding = False
            page._state.db = "default"
            page_values.update(self.specific_table.values(page))
        rows = [self.specific_table.row(v) for v in values]
        self.specific_table.insert(rows)
        return values, [self.specific_table.encoded(row) for row in rows]

    def _link_revisions(self, pages):
        """Point each page's ``latest_revision`` and ``live_revision`` at its one revision.

        One prepared UPDATE run for every page (``executemany``): Django's
        ``bulk_update`` would build a CASE of every id, which costs more than the insert.
        """
        quote = connection.ops.quote_name
        sql = (
            f"UPDATE {quote(Page._meta.db_table)} SET {quote('latest_revision_id')} = %s, "
            f"{quote('live_revision_id')} = %s WHERE {quote('id')} = %s"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(p.latest_revision.pk, p.live_revision.pk, p.pk) for p in pages])

    def _insert_revisions(self, pages, values, encoded, now, ids=None):
        """One revision a page, as ``save_revision`` stores it (before ``publish`` fills in dates).

        Its content is the page's ``serializable_data()``, built from the values
        the page's rows were written from (:func:`rows.serializable_data`) with
        the publish dates and revision links still unset, as ``save_revision`` sees them.
        """
        unset = dict.fromkeys((*PUBLISH_DATES, "latest_revision_id", "live_revision_id"))
        revisions = [
            Revision(
                content_type_id=self.content_type.pk,
                base_content_type_id=self.base_content_type.pk,
                object_id=str(page.pk),
                created_at=now,
                user=None,
                approved_go_live_at=None,
                content=serializable_data(page, {**page_values, **unset}, page_encoded),
                object_str=str(page),
            )
            for page, page_values, page_encoded in zip(pages, values, encoded, strict=True)
        ]
        rows = [self.revision_table.row(self.revision_table.values(r)) for r in revisions]
        for revision, pk in zip(
            revisions, self.revision_table.insert(rows, returning=True, ids=ids), strict=True
        ):
            revision.id = revision.pk = pk
            revision._state.adding = False
            revision._state.db = "default"
        return revisions

    def _insert_relations(self, pages):
        """Many-to-many rows (countries, themes…) and child objects (sessions, attachments…)."""
        for field in self.m2m_fields:
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            table = self.through_tables[field.name]
            table.insert(
                [
                    table.row({f"{source}_id": page.pk, f"{target}_id": obj.pk})
                    for page in pages
                    for obj in getattr(page, field.name).all()
                ]
            )
        for relation in self.child_relations:
            accessor = relation.get_accessor_name()
            children = []
            for page in pages:
                for position, child in enumerate(getattr(page, accessor).all()):
                    setattr(child, relation.field.attname, page.pk)
                    if hasattr(child, "sort_order") and child.sort_order is None:
                        child.sort_order = position
                    children.append(child)
            self.child_tables[accessor].insert_objects(children)

    def _insert_logs(self, pages, revisions, now):
        """The "Created" and "Published" entries of each page's history."""
        context = get_active_log_context()
        user = context.user if context.user and context.user.pk else None
        entries = []
        for page, revision in zip(pages, revisions, strict=True):
            label = page.get_admin_display_title()
            common = {"content_type_id": self.content_type.pk, "label": label, "page_id": page.pk}
            common.update(user=user, uuid=context.uuid, timestamp=now, data={}, content_changed=True)
            entries.append(PageLogEntry(action="wagtail.create", revision=None, **common))
            entries.append(PageLogEntry(action="wagtail.publish", revision=revision, **common))
        self.log_table.insert_objects(entries)

    def _index(self, pages):
        """Wagtail's search index (the database fallback search) and reference index, per batch."""
        for name, backend in get_search_backends_with_name(with_auto_update=True):
            add_to_search_backend(name, backend, self.model, pages)
        if not ReferenceIndex.is_indexed(self.model):
            return
        rows = []
        for page in pages:
            for to_type, to_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(page)
            ):
                rows.append(
                    ReferenceIndex(
                        content_type_id=self.content_type.pk,
                        base_content_type_id=self.base_content_type.pk,
                        object_id=page.pk,
                        to_content_type_id=to_type,
                        to_object_id=to_id,
                        model_path=model_path,
                        content_path=content_path,
                        content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                    )
                )
        ReferenceIndex.objects.bulk_create(rows, batch_size=500)


def _columns(model):
    """The columns of ``model``'s own table the database does not fill in (all but the id)."""
    return [f for f in model._meta.local_concrete_fields if not f.primary_key]
