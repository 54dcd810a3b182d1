"""Import content from JSON Lines: one streaming pass, all or nothing.

Parts by job, so the format and the writing can change independently:

- :mod:`operations.importing.format` reads and validates records (``Reader``,
  ``read_items``, ``ImportFailed``, ``Item``): what a valid line is;
- :mod:`operations.importing.engine` writes validated items as published pages
  in batches (``import_items``, ``Summary``);
- :mod:`operations.importing.bulk` creates new pages in bulk with the rows
  Wagtail's publish would write, inserted as prepared rows by
  :mod:`operations.importing.rows`;
- :mod:`operations.importing.parts` validates and sets what a page record
  carries beyond its columns (organisations, sessions, attachments, links);
  :mod:`operations.importing.pending` holds those naming a line further down;
- :mod:`operations.importing.site` reads and writes the records that are not
  content pages (organisations, series, the home page's and sections' texts).

:func:`import_lines` joins them: lines are validated as they stream into the
writer, inside one transaction; at the first error the writer gets no more
items, the rest of the file is still checked, and the transaction is rolled
back, so a bad line anywhere means nothing is written and every error is named.
"""

from django.db import transaction

from operations.importing.bulk import RowRejected
from operations.importing.engine import Summary, import_items
from operations.importing.format import (
    ImportFailed,
    Item,
    Reader,
    importable_types,
    read_items,
    translated_fields,
)

__all__ = [
    "ImportFailed",
    "Item",
    "Reader",
    "Summary",
    "importable_types",
    "import_items",
    "import_lines",
    "read_items",
    "translated_fields",
]


def import_lines(lines, progress=None, files_dir=None):
    """Validate and write the JSON Lines in ``lines`` (any iterable of str); return a Summary.

    Raises ImportFailed (nothing written) if any line is wrong. ``files_dir`` is
    the folder attachments' ``file`` paths are relative to.
    """
    reader = Reader(files_dir)
    try:
        with transaction.atomic():
            summary = import_items(reader.items(lines), progress=progress, clean=lambda: not reader.errors)
            if reader.errors:
                raise ImportFailed(reader.errors)
    except RowRejected as exc:
        errors = [f"line {exc.line}, {name}: {message}" for name, message in _flatten(exc.errors)]
        raise ImportFailed(errors) from exc
    return summary


def _flatten(errors):
    if isinstance(errors, dict):
        return [(name, message) for name, messages in errors.items() for message in messages]
    return [("(item)", message) for message in errors]
