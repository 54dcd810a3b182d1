"""A type's facts: one narrow row per live page, in listing order, kept until the next publish.

Every list of the site (its filters' counts, its total, the ids of page N),
the home page's figures and map, the countries page's counts, the latest
items of a section and its feeds read the same few facts about each live
page of a type: its id, its place in the tree, its facet values (countries,
themes, a status, a year…) and the languages it is written in. Asking the
database for each of them separately meant a dozen aggregates over every
live page of the type (a join with Wagtail's wide page table) after each
publish, and ``SELECT DISTINCT … OFFSET`` for a list's deep pages: 1–4.5 s
for a list, 2.5–3.5 s for the home page at 100,000 items.

Here they are read in three queries per type (the pages in listing order
with their scalar values, then each many-to-many facet's pairs), kept in the
shared cache under the type's counters (:func:`portal.core.freshness.type_counters`:
a publish of another type's page leaves them) and in each process while the
counters have not moved, and everything above is
counted and sliced from them in Python: a list's page N is a slice of the ids
and one query for those twelve pages, whatever N is.

A publish, unpublish, move or delete of one of the type's pages does not make
them be read again: the pages it changed are read (the same queries, for those
ids only) and their rows replaced, removed or put in their place in listing
order (:func:`patched`; each row keeps its place's key for that). Reading the
facts of 35,000 policy documents took 1–2 s, which the first reader after every
publish waited for (the countries page: 2.1 s at 100,000 items).

The facts are columns of the same length, in listing order (the type's
listing date, newest first, undated last; then the latest first publication;
then the newest id). Values repeated across rows (codes, statuses, parent
paths, sets of codes) are shared objects, so the facts of 35,000 pages take
about a megabyte, pickled or in memory.
"""

import bisect
import datetime
import gc
from array import array
from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q

from portal import languages
from portal.core import content_types, freshness

# Bump when the facts' shape changes, so no process reads an older shape from the shared cache.
SHAPE = 2
MULTI_VALUED = (content_types.COUNTRY, content_types.THEME)


@dataclass
class TypeFacts:
    """The facts of one type's live pages; row ``i`` of every column is the ``i``-th page in listing order."""

    ids: array  # page ids
    parents: list  # each page's parent's tree path (shared strings)
    values: dict  # facet name -> per-row value: a code or None; for countries/themes a frozenset
    written: list  # per row: the frozenset of language codes the page has a title in
    multi: frozenset = frozenset()  # the names of the facets whose values are sets (countries, themes)
    # Each row's place in listing order, after its id (see _place): the listing date as a number
    # (0: undated) and the first publication in microseconds. Read only to patch the facts.
    days: array = None
    first_published: array = None

    def __len__(self):
        return len(self.ids)

    def place(self, i):
        """Row ``i``'s key in listing order (ascending keys: newest date first, undated last…)."""
        return _place(self.days[i], self.first_published[i], self.ids[i])

    def rows(self, under=None):
        """Row numbers of the pages below the page whose tree path is ``under`` (all when None)."""
        if under is None:
            return range(len(self.ids))
        inside = {parent for parent in set(self.parents) if parent.startswith(under)}
        return [i for i, parent in enumerate(self.parents) if parent in inside]

    def having(self, rows, name, value):
        """The rows among ``rows`` whose facet ``name`` is ``value`` (holds it: countries, themes)."""
        column = self.values[name]
        if name in self.multi:
            return [i for i in rows if value in column[i]]
        return [i for i in rows if column[i] == value]

    def written_in(self, rows, code):
        """The rows among ``rows`` whose page has a title in language ``code`` (not a fallback)."""
        return [i for i in rows if code in self.written[i]]

    def count(self, rows, name):
        """``Counter({value: number of rows among rows carrying it})`` for facet ``name``."""
        if name in self.multi:
            return _spread(Counter(self.values[name][i] for i in rows))
        column = self.values[name]
        counts = Counter(column[i] for i in rows)
        counts.pop(None, None)
        return counts

    def count_languages(self, rows):
        return _spread(Counter(self.written[i] for i in rows))

    def page_ids(self, rows):
        return [self.ids[i] for i in rows]


def _spread(counted_sets):
    """``{value: n}`` from ``{set of values: n}``: the rows' sets are shared objects, so they are
    counted at C speed first, then spread over their members (a third of a second for 35,000 rows
    counted member by member)."""
    counts = Counter()
    for values, n in counted_sets.items():
        for value in values:
            counts[value] += n
    return counts


def of(model):
    """The facts of ``model``'s live pages, kept until the next publish (see the module's docstring)."""
    options = content_types.by_model(model)
    key = f"portal:facts:{SHAPE}:{model._meta.label_lower}"
    return freshness.remember_here(
        key,
        lambda: compute(model, options),
        counters=freshness.type_counters(model),
        patch=lambda kept, page_ids: patched(model, options, kept, page_ids),
    )


def compute(model, options):
    """Read the facts from the database: one query for the pages, one per many-to-many facet.

    Python's cyclic garbage collector is paused meanwhile: the hundreds of thousands of small
    objects made here (none of them in cycles) would set it off over and over (a third of the time).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compute(model, options)
    finally:
        if collecting:
            gc.enable()


def _compute(model, options, only=None):
    """The facts of every live page of ``model``, or of the live pages among the ids ``only``."""
    shared = {}

    def one(value):  # one object per distinct value: small in memory and pickled
        return shared.setdefault(value, value)

    scalar = [f for f in options.facets if f.kind not in MULTI_VALUED]
    ids, parents, written, values = array("i"), [], [], {f.name: [] for f in scalar}
    days, first_published = array("q"), array("q")
    for pk, path, date, published, choices, present in _page_rows(model, options, scalar, only):
        ids.append(pk)
        days.append(_day(date))
        first_published.append(_microseconds(published))
        parents.append(one(path[: -model.steplen]))
        for facet, value in zip(scalar, choices, strict=True):
            values[facet.name].append(
                one(date.year if date else None) if facet.kind == content_types.YEAR else one(value)
            )
        written.append(one(present))
    position = {pk: i for i, pk in enumerate(ids)}
    multi = [f for f in options.facets if f.kind in MULTI_VALUED]
    for facet in multi:
        held = {}
        for pk, value in _pairs(model, facet, only):
            if pk in position:  # live pages only
                held.setdefault(pk, set()).add(value)
        none = one(frozenset())
        values[facet.name] = [one(frozenset(held[pk])) if pk in held else none for pk in ids]
    multi_names = frozenset(f.name for f in multi)
    return TypeFacts(ids, parents, values, written, multi_names, days, first_published)


def _day(date):
    """A listing date as a number in its order (0: undated)."""
    if date is None:
        return 0
    if isinstance(date, datetime.datetime):
        return int(date.timestamp() * 1_000_000)
    return date.toordinal()


def _microseconds(moment):
    return int(moment.timestamp() * 1_000_000) if moment is not None else 0


def _place(day, first_published, pk):
    """The ascending sort key of ``ContentTypeOptions.listing_order``: the listing date newest first,
    undated last, then the latest first publication, then the newest id."""
    return (day == 0, -day, -first_published, -pk)


def patched(model, options, type_facts, page_ids):
    """``type_facts`` with the rows of ``page_ids`` read again: a page no longer live dropped, a
    changed one replaced, a new one put in its place in listing order. A new object (the one given
    may be in use); one query per table for those pages only."""
    fresh = _compute(model, options, only=sorted(page_ids))
    columns = TypeFacts(
        array("i", type_facts.ids),
        list(type_facts.parents),
        {name: list(column) for name, column in type_facts.values.items()},
        list(type_facts.written),
        type_facts.multi,
        array("q", type_facts.days),
        array("q", type_facts.first_published),
    )
    gone = [i for i, pk in enumerate(columns.ids) if pk in page_ids]
    for i in reversed(gone):
        for column in _columns(columns):
            del column[i]
    for row in range(len(fresh)):
        at = bisect.bisect_left(range(len(columns)), fresh.place(row), key=columns.place)
        for column, source in zip(_columns(columns), _columns(fresh), strict=True):
            column.insert(at, source[row])
    return columns


def _columns(type_facts):
    """Every per-row column of ``type_facts``, in a fixed order."""
    return [
        type_facts.ids,
        type_facts.parents,
        type_facts.written,
        type_facts.days,
        type_facts.first_published,
        *(type_facts.values[name] for name in sorted(type_facts.values)),
    ]


def _rows(queryset, names):
    """The rows of ``queryset.values_list(*names)``, read with one plain cursor (no per-row Python
    layers: modeltranslation's and Django's iterators cost more than the query for 35,000 rows).
    Columns come back in the order of ``names`` (modeltranslation reorders the SELECT)."""
    sql, params = queryset.values_list(*names).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        selected = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    if selected == list(names):
        return rows
    order = [selected.index(name) for name in names]
    return [tuple(row[i] for i in order) for row in rows]


def _page_rows(model, options, scalar, only=None):
    """``(id, path, listing date, first published, (scalar facet values…), frozenset(languages written
    in))`` per live page (among the ids ``only``, if given), in listing order."""
    columns = [f.field for f in scalar if f.kind == content_types.CHOICE]
    titles = {
        f"in_{code}": ExpressionWrapper(
            Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""}), output_field=BooleanField()
        )
        for code in languages.LANGUAGE_CODES
        for field in [languages.localized_field("title", code)]
    }
    queryset = model.objects.live().annotate(**titles).order_by(*options.listing_order())
    if only is not None:
        queryset = queryset.filter(pk__in=only)
    names = ["pk", "path", options.listing_date, "first_published_at", *columns, *titles]
    for pk, path, date, published, *rest in _rows(queryset, names):
        by_column = dict(zip(columns, rest, strict=False))
        flags = rest[len(columns) :]
        present = frozenset(c for c, flag in zip(languages.LANGUAGE_CODES, flags, strict=True) if flag)
        yield pk, path, date, published, [by_column.get(f.field) for f in scalar], present


def relation_of(facet):
    """The many-to-many field a multi-valued facet reads (``countries`` of ``countries__code``)."""
    return facet.field.partition("__")[0]


def _pairs(model, facet, only=None):
    """``(page id, value)`` of a many-to-many facet (``countries__code``), from its link table alone
    (for the pages among the ids ``only``, if given)."""
    rest = facet.field.partition("__")[2]
    relation = model._meta.get_field(relation_of(facet))
    through = relation.remote_field.through
    page = f"{relation.m2m_field_name()}_id"
    links = through.objects.order_by()
    if only is not None:
        links = links.filter(**{f"{page}__in": only})
    return _rows(links, [page, f"{relation.m2m_reverse_field_name()}__{rest}"])
