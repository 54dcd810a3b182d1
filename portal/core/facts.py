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

The facts are columns of the same length, in listing order (the type's
listing date, newest first, undated last; then the latest first publication;
then the newest id). Values repeated across rows (codes, statuses, parent
paths, sets of codes) are shared objects, so the facts of 35,000 pages take
about a megabyte, pickled or in memory.
"""

import gc
from array import array
from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q

from portal import languages
from portal.core import content_types, freshness

# Bump when the facts' shape changes, so no process reads an older shape from the shared cache.
SHAPE = 1
MULTI_VALUED = (content_types.COUNTRY, content_types.THEME)


@dataclass
class TypeFacts:
    """The facts of one type's live pages; row ``i`` of every column is the ``i``-th page in listing order."""

    ids: array  # page ids
    parents: list  # each page's parent's tree path (shared strings)
    values: dict  # facet name -> per-row value: a code or None; for countries/themes a frozenset
    written: list  # per row: the frozenset of language codes the page has a title in
    multi: frozenset = frozenset()  # the names of the facets whose values are sets (countries, themes)

    def __len__(self):
        return len(self.ids)

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
        key, lambda: compute(model, options), counters=freshness.type_counters(model)
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


def _compute(model, options):
    shared = {}

    def one(value):  # one object per distinct value: small in memory and pickled
        return shared.setdefault(value, value)

    scalar = [f for f in options.facets if f.kind not in MULTI_VALUED]
    ids, parents, written, values = array("i"), [], [], {f.name: [] for f in scalar}
    for pk, path, date, choices, present in _page_rows(model, options, scalar):
        ids.append(pk)
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
        for pk, value in _pairs(model, facet):
            if pk in position:  # live pages only
                held.setdefault(pk, set()).add(value)
        none = one(frozenset())
        values[facet.name] = [one(frozenset(held[pk])) if pk in held else none for pk in ids]
    return TypeFacts(ids, parents, values, written, frozenset(f.name for f in multi))


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


def _page_rows(model, options, scalar):
    """``(id, path, listing date, (scalar facet values…), frozenset(languages written in))`` per live page,
    in listing order."""
    columns = [f.field for f in scalar if f.kind == content_types.CHOICE]
    titles = {
        f"in_{code}": ExpressionWrapper(
            Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""}), output_field=BooleanField()
        )
        for code in languages.LANGUAGE_CODES
        for field in [languages.localized_field("title", code)]
    }
    queryset = model.objects.live().annotate(**titles).order_by(*options.listing_order())
    for pk, path, date, *rest in _rows(queryset, ["pk", "path", options.listing_date, *columns, *titles]):
        by_column = dict(zip(columns, rest, strict=False))
        flags = rest[len(columns) :]
        present = frozenset(c for c, flag in zip(languages.LANGUAGE_CODES, flags, strict=True) if flag)
        yield pk, path, date, [by_column.get(f.field) for f in scalar], present


def relation_of(facet):
    """The many-to-many field a multi-valued facet reads (``countries`` of ``countries__code``)."""
    return facet.field.partition("__")[0]


def _pairs(model, facet):
    """``(page id, value)`` of a many-to-many facet (``countries__code``), from its link table alone."""
    rest = facet.field.partition("__")[2]
    relation = model._meta.get_field(relation_of(facet))
    through = relation.remote_field.through
    names = [f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}__{rest}"]
    return _rows(through.objects.order_by(), names)
