"""Wagtail's database search backend (the fallback search), without a whole-table pass per publish.

Wagtail keeps its own search index in the database (``wagtailsearch_indexentry``)
and the portal keeps it: it is what the search page and ``/api/search/`` use
while Elasticsearch is not configured or unreachable (``search/fallback.py``).
After every page it indexes, the backend recomputes the average title length
over *every* entry and rewrites the "title norm" of each entry still marked
new (a scan of the whole table for each, no index serves either): 0.7 s of each
publish at 100,000 items, growing with the archive.

Here a publish's entries get their norm from an average kept per process for
``AVERAGE_SECONDS`` (one page moves the average of 100,000 titles by nothing a
ranking notices), and only the entries that publish wrote are updated (by
their key, an index). What keeps working: every published page is still in
the fallback index, at once, with a title norm; a full rebuild
(``update_index``) still computes the exact average and rewrites every norm.
"""

import threading
import time

from django.db.models import Avg, F
from django.db.models.functions import Length
from django.utils.encoding import force_str
from modelsearch.backends import database
from modelsearch.utils import get_content_type_pk

AVERAGE_SECONDS = 3600

_writing = threading.local()  # the (content type, object ids) an add_items call is writing
_average = {}  # {"value": average title length, "until": monotonic deadline}


class KeptTitleNorms:
    """Mixed into the database backend's index class (PostgreSQL's, SQLite's): see the module's docstring."""

    def add_items(self, model, objs):
        objs = list(objs)
        _writing.batch = (get_content_type_pk(model), [force_str(obj.pk) for obj in objs])
        try:
            return super().add_items(model, objs)
        finally:
            _writing.batch = None

    def _refresh_title_norms(self, full=False):
        batch = getattr(_writing, "batch", None)
        if full or batch is None:
            _average.clear()
            return super()._refresh_title_norms(full=full)
        average = self._average_title_length()
        if not average:
            return None
        content_type, ids = batch
        (
            self.entries.filter(content_type_id=content_type, object_id__in=ids, title_norm=1.0)
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .update(title_norm=average / F("title_length"))
        )
        return None

    def _average_title_length(self):
        if _average.get("until", 0) > time.monotonic():
            return _average["value"]
        value = (
            self.entries.annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .aggregate(Avg("title_length"))["title_length__avg"]
        )
        _average.update(value=value, until=time.monotonic() + AVERAGE_SECONDS)
        return value


_kept_classes = {}  # one subclass per index class: code that patches the index class (the importer) finds it


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend's module
    """The database backend Wagtail picks for this database, its index class keeping title norms."""
    backend = database.SearchBackend(params)
    index_class = backend.index_class
    if hasattr(index_class, "_refresh_title_norms"):
        if index_class not in _kept_classes:
            _kept_classes[index_class] = type(
                f"Kept{index_class.__name__}", (KeptTitleNorms, index_class), {}
            )
        backend.index_class = _kept_classes[index_class]
    return backend
