"""Prepared rows: many model instances inserted with one statement a chunk, values read once.

Django's ``bulk_create`` compiles each value of each row through its SQL
compiler (expression checks, ``pre_save``, ``get_db_prep_save``, placeholder
assembly), and on SQLite cuts a bulk insert into statements of 999 values:
for a page of about sixty columns that is sixteen pages a statement, and
the compilation cost more than the insert itself. :class:`Table` reads each
row's values once (:meth:`Table.values`, the same ``pre_save`` Django calls),
converts only what the database driver cannot take as it is (dates, decimals,
UUIDs go through the field's own ``get_db_prep_save``; plain text, numbers
and booleans are passed on untouched) and sends one multi-row
``INSERT … VALUES`` per chunk, with ``RETURNING`` the new ids when asked.
The values read for the row also make the page's revision content
(:func:`serializable_data`), so a page is read once for both.

On PostgreSQL the rows go in with ``COPY … FROM STDIN`` instead (psycopg's
``copy``): no SQL text of a batch's values to build, quote and parse (Django's
psycopg cursors bind on the client: each value quoted into the statement,
which the server then parses, a megabyte a batch); the new ids, when wanted,
are taken from the table's sequence first (one query) and written with the rows.

JSON (stream fields, a revision's content) is written as UTF-8 text
(:func:`json_text`), not with every Chinese or Cyrillic letter as a six-byte
``\\uXXXX`` escape as Django writes it: on SQLite, which stores the text, the
same JSON value in a half to a third of the bytes (bodies are most of a page
and a revision holds them again, so that is most of what the import writes
to disk); PostgreSQL parses it into ``jsonb`` (the same value). The text made
for a page's body serves its revision too (:meth:`Table.encoded`).
"""

import datetime
import json
import sqlite3

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django.utils.encoding import is_protected_type
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_serializable_data_for_fields,
)
from wagtail.fields import StreamField

# Internal types whose values of this Python type the driver takes as they are
# (``get_db_prep_save`` would return them unchanged); None passes too.
PLAIN = {
    "AutoField": int,
    "BigAutoField": int,
    "BigIntegerField": int,
    "BooleanField": bool,
    "CharField": str,
    "ForeignKey": int,
    "IntegerField": int,
    "OneToOneField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "SlugField": str,
    "SmallIntegerField": int,
    "TextField": str,
}
MAX_ROWS = 1000  # rows a statement: bounds one statement's size; bigger gains nothing measurable
MAX_PARAMS = 30_000  # values a statement (SQLite's limit is 32,766 or more; PostgreSQL's 65,535)


class Table:
    """The concrete columns ``fields`` of ``model``'s own table, inserted as prepared rows."""

    def __init__(self, model, fields):
        self.model = model
        self.fields = list(fields)
        self.attnames = [f.attname for f in self.fields]
        self.convert = [_converter(f) for f in self.fields]
        self._reads = [_reader(f) for f in self.fields]
        self._streams = [isinstance(f, StreamField) for f in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        self.placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.returning = f" RETURNING {quote(model._meta.pk.column)}"
        self.chunk = max(1, min(MAX_ROWS, _max_params() // max(1, len(self.fields))))
        self.copy = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        self.copy_with_ids = (
            f"COPY {quote(model._meta.db_table)} ({quote(model._meta.pk.column)}, {columns}) FROM STDIN"
        )
        self._sequence = None

    def values(self, obj):
        """``{attname: value}`` of ``obj``'s columns, read as Django's save reads them (``pre_save``)."""
        return {name: read(obj) for name, read in zip(self.attnames, self._reads, strict=True)}

    def row(self, values):
        """The database values of one row, from :meth:`values` (or any dict with those keys)."""
        return [convert(values[name]) for name, convert in zip(self.attnames, self.convert, strict=True)]

    def encoded(self, row):
        """``{attname: JSON text}`` of the row's stream fields (the text the row was given).

        That text is what a revision stores for the field too (a stream field's
        ``value_to_string`` is the JSON of its ``get_prep_value``), so
        :func:`serializable_data` takes it instead of encoding the body again.
        """
        return {
            name: value
            for name, value, is_stream in zip(self.attnames, row, self._streams, strict=True)
            if is_stream and isinstance(value, str)
        }

    def insert(self, rows, returning=False, ids=None):
        """Insert the rows (lists from :meth:`row`); the new primary keys in order if ``returning``.

        ``ids``: the rows' primary keys, taken beforehand with :meth:`next_ids`
        (PostgreSQL only: rows may then name each other before both are in).
        """
        if connection.vendor == "postgresql":
            return self._copy(rows, ids or (self.next_ids(len(rows)) if returning else None))
        ids = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.chunk):
                part = rows[start : start + self.chunk]
                sql = self.head + ", ".join([self.placeholders] * len(part))
                params = [value for row in part for value in row]
                if returning:
                    cursor.execute(sql + self.returning, params)
                    ids += [pk for (pk,) in cursor.fetchall()]
                else:
                    cursor.execute(sql, params)
        return ids

    def _copy(self, rows, ids):
        """PostgreSQL: the rows as one ``COPY``, with their ``ids`` if given; returns the ids."""
        if not rows:
            return []
        with connection.cursor() as cursor, cursor.copy(self.copy_with_ids if ids else self.copy) as copy:
            if ids:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row([pk, *row])
            else:
                for row in rows:
                    copy.write_row(row)
        return ids or []

    @staticmethod
    def ids_ahead():
        """Whether :meth:`next_ids` can give ids before the rows are written (PostgreSQL's sequences)."""
        return connection.vendor == "postgresql"

    def next_ids(self, count):
        """``count`` new ids from the primary key's sequence, in increasing order (as inserts would get)."""
        if not count:
            return []
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self._sequence is None:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [quote(self.model._meta.db_table), self.model._meta.pk.column],
                )
                (self._sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence, count])
            return sorted(pk for (pk,) in cursor.fetchall())

    def insert_objects(self, objs):
        """Insert model instances whose primary key the database assigns; give them their keys.

        As saving them would: a child row read back into a revision carries its id.
        """
        ids = self.insert([self.row(self.values(obj)) for obj in objs], returning=True)
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = "default"


def _converter(field):
    """The function taking ``field``'s Python value to what the database driver is given."""
    prepare = field.get_db_prep_save
    plain = PLAIN.get(field.get_internal_type())
    if field.get_internal_type() == "JSONField" and connection.vendor in ("sqlite", "postgresql"):
        # As text: SQLite stores it so; PostgreSQL's COPY parses it into jsonb.
        encoder = _encoder(field)
        return lambda value: None if value is None else json_text(field.get_prep_value(value), encoder)
    if plain is None:
        return lambda value: prepare(value, connection)
    return lambda value: value if value is None or type(value) is plain else prepare(value, connection)


def json_text(value, encoder):
    """``value`` as JSON text with its letters as they are (valid JSON, read back the same)."""
    return json.dumps(value, cls=encoder, ensure_ascii=False)


def _encoder(field):
    """The JSON encoder of a JSON field (a stream field keeps it on its inner ``json_field``)."""
    return field.json_field.encoder if isinstance(field, StreamField) else field.encoder


def _reader(field):
    """How Django's insert reads a field's value: ``pre_save``, or the attribute when that is all it does."""
    if type(field).pre_save is Field.pre_save:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.pre_save(obj, True)


def _max_params():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return min(MAX_PARAMS, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return MAX_PARAMS


def serializable_data(page, values, encoded=None):
    """``page.serializable_data()`` (what a revision stores) from the column values already read.

    The same dictionary modelcluster builds (``get_serializable_data_for_fields``
    and the child relations), without reading every column through its
    descriptor again: a value of a protected type (None, numbers, dates) is
    stored as it is, plain text as it is, anything else as the field's
    ``value_to_string`` (stream fields, UUIDs). ``values`` maps attnames to
    the values the revision must hold (:meth:`Table.values`, with the publish
    dates still unset, as ``save_revision`` sees them); ``encoded`` the stream
    fields' JSON already made for the row (:meth:`Table.encoded`).
    """
    encoded = encoded or {}
    data = {"pk": page.pk}
    for field in type(page)._meta.fields:
        if not field.serialize:
            continue
        value = values[field.attname]
        if isinstance(value, datetime.datetime) and settings.USE_TZ and field.remote_field is None:
            value = _utc(value)
        if field.remote_field is not None or is_protected_type(value):
            data[field.name] = value
        elif type(value) is str and type(field).value_to_string is Field.value_to_string:
            data[field.name] = value
        elif isinstance(field, StreamField):
            # What value_to_string stores (the blocks as a JSON string), as UTF-8 text.
            if field.attname in encoded:
                data[field.name] = encoded[field.attname]
            else:
                data[field.name] = json_text(field.get_prep_value(value), _encoder(field))
        else:
            data[field.name] = field.value_to_string(page)
    for relation in get_all_child_relations(page):
        children = getattr(page, relation.get_accessor_name()).all()
        if hasattr(relation.related_model, "serializable_data"):
            data[relation.get_accessor_name()] = [child.serializable_data() for child in children]
        else:
            data[relation.get_accessor_name()] = [get_serializable_data_for_fields(c) for c in children]
    for field in get_all_child_m2m_relations(page):
        if field.serialize:
            data[field.name] = [child.pk for child in getattr(page, field.name).all()]
    return data


def _utc(value):
    """A datetime as modelcluster stores it in a revision: aware, in UTC."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone()).astimezone(datetime.UTC)
    return timezone.localtime(value, datetime.UTC)
