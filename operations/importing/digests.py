"""A re-import skips unchanged records by a stored digest, without reading their pages.

Comparing a record with its page column by column means reading the page's
texts back (every language's body, parsed from JSON) and building the
record's body again: most of a re-import's time. Instead, each page the
import writes gets an :class:`operations.models.ImportedPage` row: the
digest of the record it was written from (:func:`digest`) and the page's
latest revision once written. A record whose digest matches while the page's
latest revision is still that one is unchanged and skipped: one query a
batch reads both. Anything else (a changed record, a page an editor saved
since, a page imported before digests were kept) is compared column by
column as before, and its row written anew.

The digest covers everything of the record the import writes from: the
type, the texts, the fields, countries, themes and parts, and the content of
attached files (a file changed under the same name is a change).
"""

import datetime
import decimal
import hashlib
import json
from pathlib import Path

from wagtail.models import Page

from operations.importing.rows import Table
from operations.models import ImportedPage

# Raise when the import comes to write the same record differently (a digest
# made before then no longer says the page is what the import would write).
VERSION = 1


def digest(item):
    """The record's digest: 40 hex digits, the same for the same content in any key order."""
    data = [
        VERSION,
        item.model._meta.label_lower,
        item.translations,
        item.fields,
        sorted(item.countries),
        sorted(item.themes),
        item.parts,
    ]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _plain(value):
    """A JSON-able stand-in for the values records' fields and parts are cleaned to."""
    if isinstance(value, Path):  # an attachment: its content counts, not only its name
        return {"file": value.name, "sha1": hashlib.sha1(value.read_bytes()).hexdigest()}
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def stored(pks):
    """``{page id: (latest revision id, stored digest or None, its revision id or None)}``, one query."""
    rows = Page.objects.filter(pk__in=list(pks)).values_list(
        "pk", "latest_revision_id", "import_record__digest", "import_record__revision_id"
    )
    return {pk: rest for pk, *rest in rows}


def is_unchanged(state, value):
    """Whether a page in ``state`` (from :func:`stored`) was imported from a record of digest ``value``
    and not saved since."""
    latest, digest_stored, revision = state
    return digest_stored is not None and digest_stored == value and revision == latest


def record(rows, replace=False):
    """Store ``[(page id, its latest revision id, digest)]`` of pages just written (or found unchanged).

    ``replace``: the pages may have a row already (written again, or compared
    column by column); a page written for the first time has none.
    """
    if not rows:
        return
    if replace:
        ImportedPage.objects.filter(page_id__in=[pk for pk, _r, _d in rows]).delete()
    table = Table(ImportedPage, ImportedPage._meta.local_concrete_fields)
    table.insert([table.row({"page_id": pk, "revision_id": rev, "digest": value}) for pk, rev, value in rows])


def republished(page):
    """A page republished after its batch (a part naming a later line): its new latest revision."""
    ImportedPage.objects.filter(page_id=page.pk).update(revision_id=page.latest_revision_id)
