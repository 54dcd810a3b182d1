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
shared cache under the publish counter (:mod:`portal.core.freshness`) and in
each process while the counter has not moved, and everything above is
counted and sliced from them in Python: a list's page N is a slice of the ids
and one query for those twelve pages, whatever N is.

The facts are columns of the same length, in listing order (the type's
listing date, newest first, undated last; then the latest first publication;
then the newest id). Values repeated across rows (codes, statuses, parent
paths, sets of codes) are shared objects, so the facts of 35,000 pages take
about a megabyte, pickled or in memory.
"""

from array import array
from collections import Counter
from dataclasses import dataclass

from django.db.models import F

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
        column = self.values[name]
        if name in self.multi:
            counts = Counter()
            for i in rows:
                counts.update(column[i])
            return counts
        counts = Counter(column[i] for i in rows)
        counts.pop(None, None)
        return counts

    def count_languages(self, rows):
        counts = Counter()
        for i in rows:
            counts.update(self.written[i])
        return counts

    def page_ids(self, rows):
        return [self.ids[i] for i in rows]


def of(model):
    """The facts of ``model``'s live pages, kept until the next publish (see the module's docstring)."""
    options = content_types.by_model(model)
    key = f"portal:facts:{SHAPE}:{model._meta.label_lower}"
    return freshness.remember_here(key, lambda: compute(model, options))


def compute(model, options):
    """Read the facts from the database: one query for the pages, one per many-to-many facet."""
    scalar = [f for f in options.facets if f.kind not in MULTI_VALUED]
    multi = [f for f in options.facets if f.kind in MULTI_VALUED]
    titles = [languages.localized_field("title", code) for code in languages.LANGUAGE_CODES]
    columns = [f.field for f in scalar if f.kind == content_types.CHOICE]
    live = model.objects.live()
    rows = live.order_by(
        F(options.listing_date).desc(nulls_last=True), "-first_published_at", "-pk"
    ).values_list("pk", "path", options.listing_date, *columns, *titles)

    shared = {}

    def one(value):  # one object per distinct value: small in memory and pickled
        return shared.setdefault(value, value)

    ids, parents, written = array("i"), [], []
    values = {f.name: [] for f in options.facets}
    position = {}
    for pk, path, date, *rest in rows.iterator(chunk_size=5000):
        position[pk] = len(ids)
        ids.append(pk)
        parents.append(one(path[: -model.steplen]))
        choice_values, texts = rest[: len(columns)], rest[len(columns) :]
        for facet in scalar:
            if facet.kind == content_types.YEAR:
                values[facet.name].append(date.year if date else None)
            else:
                values[facet.name].append(one(choice_values[columns.index(facet.field)]))
        written.append(one(frozenset(c for c, t in zip(languages.LANGUAGE_CODES, texts, strict=True) if t)))
    for facet in multi:
        held = [set() for _ in ids]
        pairs = live.filter(**{f"{facet.field}__isnull": False}).values_list("pk", facet.field)
        for pk, value in pairs.iterator(chunk_size=5000):
            if pk in position:
                held[position[pk]].add(value)
        values[facet.name] = [one(frozenset(h)) for h in held]
    return TypeFacts(ids, parents, values, written, frozenset(f.name for f in multi))
