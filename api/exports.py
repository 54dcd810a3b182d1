"""Exports of a filtered list: CSV (UTF-8 with BOM), JSON, and IATI XML for projects."""

import csv
import io

CSV_BOM = "\ufeff"  # so spreadsheet programs read Chinese and Cyrillic as UTF-8


def flatten(item, prefix=""):
    """A nested API item as one CSV row: ``{"urls.en": ..., "countries": "KZ; CN"}``."""
    row = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            row[name] = "; ".join(_cell(v) for v in value)
        else:
            row[name] = "" if value is None else value
    return row


def _cell(value):
    """A list element in one cell: a taxonomy reference by its code, an organisation by its name."""
    if isinstance(value, dict):
        for key in ("code", "name", "title", "url", "id"):
            if value.get(key) not in (None, ""):
                inner = value[key]
                if isinstance(inner, dict):  # lang=all: {code: text}
                    return " / ".join(v for v in inner.values() if v)
                return str(inner)
        return ""
    return "" if value is None else str(value)


def to_csv(items):
    rows = [flatten(item) for item in items]
    columns = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
