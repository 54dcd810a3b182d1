"""Import content from JSON Lines: validate everything first, then write atomically.

Two halves, so the format and the writing can change independently:

- :mod:`operations.importing.format` reads and validates records (``read_items``,
  ``ImportFailed``, ``Item``): what a valid line is;
- :mod:`operations.importing.engine` writes validated items as published pages
  (``import_items``, ``Summary``): how pages are created and updated.
"""

from operations.importing.engine import Summary, import_items
from operations.importing.format import ImportFailed, Item, importable_types, read_items, translated_fields

__all__ = [
    "ImportFailed",
    "Item",
    "Summary",
    "importable_types",
    "import_items",
    "read_items",
    "translated_fields",
]
