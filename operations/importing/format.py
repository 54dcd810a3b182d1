"""The import format: read JSON Lines records and validate them, without writing anything.

One item a line::

    {"external_id": "prj-0001", "type": "project",
     "translations": {"zh-hans": {"title": "…", "summary": "…", "body": "…"}, "en": {…}},
     "countries": ["KZ"], "themes": ["air"], "status": "ongoing", "start_date": "2018-06-09"}

The content types and their importable fields are declared on the page models
(``type_options``: ``import_name``, ``import_fields``, ``import_aliases``, see
``portal.core.content_types``, and their modeltranslation fields); this module
only reads those declarations.
``external_id`` is the key: importing it again updates the page. Records may
also carry parts beyond the page's columns (:mod:`operations.importing.parts`:
organisations, sessions, attachments, links to other pages) and may be
organisations, series or the site's texts (:mod:`operations.importing.site`).
A record may name an organisation or page defined further down the file: the
reader remembers each key it has not met yet and checks it once the whole
file is read (see :class:`operations.importing.parts.KeySet`). What is valid is
decided here; how pages are written is :mod:`operations.importing.engine`.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator

from operations.importing.parts import KeySet, Known, parts_for
from operations.importing.site import SITE_TYPES, validate_site_record
from operations.importing.texts import validate_translations
from portal.core import content_types
from portal.core.models import Country, Organisation, Theme

MAX_ERRORS = 50


class ImportFailed(Exception):
    """The file has errors; ``errors`` lists them as "line N, field: message"."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Item:
    line: int
    model: type
    external_id: str
    translations: dict  # {lang: {field: value}}
    fields: dict  # {model field: python value}
    countries: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    parts: dict = field(default_factory=dict)  # {record key: cleaned value} (see operations.importing.parts)


def importable_types():
    """{"project": ProjectPage, …}: every declared content type by its import name."""
    return {options.import_name: options.model for options in content_types.all()}


def translated_fields(model):
    """The fields of ``model`` that exist once per language (title included)."""
    return sorted(translator.get_options_for_model(model).all_fields)


def read_items(lines, files_dir=None):
    """Parse and validate every line; raise ImportFailed listing what is wrong."""
    reader = Reader(files_dir)
    items = list(reader.items(lines))
    if reader.errors:
        raise ImportFailed(reader.errors)
    return items


class Reader:
    """Validates a stream of lines in one pass, yielding items while the stream is still clean.

    After the first error nothing more is yielded (a writer downstream stops
    writing) but the lines are still read, so ``errors`` lists every problem
    of the file (up to :data:`MAX_ERRORS`). Only each item's key is kept
    (for duplicates and references), never the items, so memory does not grow
    with the texts. A reference to a key not met yet is checked at the end
    (:meth:`KeySet.unresolved`): the writer has written by then, and the
    caller rolls back if ``errors`` is not empty.

    ``files_dir`` is the folder the attachments' ``file`` paths are relative to.
    """

    def __init__(self, files_dir=None):
        self.types = importable_types()
        self.theme_slugs = set(Theme.objects.values_list("slug", flat=True))
        self.known = _known(self.types, files_dir)
        self.errors = []
        self.lines = 0
        self._seen = {}

    def items(self, lines):
        for number, raw in enumerate(lines, start=1):
            self.lines = number
            item = self._read_line(number, raw)
            if item is not None and not self.errors:
                yield item
            if len(self.errors) >= MAX_ERRORS:
                self.errors.append(f"… stopped after {MAX_ERRORS} errors")
                return
        self.errors += self.known.unresolved()[: MAX_ERRORS - len(self.errors)]

    def _read_line(self, number, raw):
        if not raw.strip():
            return None
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.errors.append(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
            return None
        self.known.declare(record, number)
        if isinstance(record, dict) and record.get("type") in SITE_TYPES:
            item, item_errors = validate_site_record(number, record, self.known, self.types)
            key = item and (item.kind, item.key)
        else:
            item, item_errors = _validate(number, record, self.types, self.known, self.theme_slugs)
            key = item and (item.model, item.external_id)
        self.errors += item_errors
        if item is None:
            return None
        if key in self._seen:
            self.errors.append(f"line {number}, external_id: {key[1]!r} already on line {self._seen[key]}")
            return None
        self._seen[key] = number
        return item


def _known(types, files_dir):
    """The keys records may refer to, starting with those already in the database."""
    return Known(
        countries=set(Country.objects.values_list("code", flat=True)),
        organisations=KeySet(
            "organisation",
            Organisation.objects.exclude(external_id=None).values_list("external_id", flat=True),
        ),
        series=KeySet(
            "series", apps.get_model("projects", "ProgrammeSeries").objects.values_list("slug", flat=True)
        ),
        pages={
            kind: KeySet(
                f"{kind} page", model.objects.exclude(external_id=None).values_list("external_id", flat=True)
            )
            for kind, model in types.items()
        },
        files_dir=files_dir,
    )


def _validate(number, record, types, known, theme_slugs):
    errors = []

    def error(name, message):
        errors.append(f"line {number}, {name}: {message}")

    if not isinstance(record, dict):
        error("(line)", "expected a JSON object")
        return None, errors
    kind = record.get("type")
    model = types.get(kind)
    if model is None:
        error("type", f"{kind!r} is not one of {', '.join(sorted((*types, *SITE_TYPES)))}")
        return None, errors
    external_id = record.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > 100:
        error("external_id", "required: a non-empty string of at most 100 characters")

    translations = validate_translations(
        record.get("translations"), set(translated_fields(model)) - {"url_path"}, "title", error
    )
    countries = _validate_codes(record.get("countries", []), known.countries, "countries", error)
    themes = _validate_codes(record.get("themes", []), theme_slugs, "themes", error)

    aliases = model.type_options.import_aliases
    parts = parts_for(model)
    allowed = set(model.type_options.import_fields) | set(aliases) | set(parts)
    fields, cleaned_parts = {}, {}
    for key, value in record.items():
        if key in {"type", "external_id", "translations", "countries", "themes"}:
            continue
        if key in parts:
            cleaned_parts[key] = parts[key].validate(value, known, error)
            continue
        if key not in allowed:
            error(key, f"unknown field for {kind}; known: {', '.join(sorted(allowed)) or 'none'}")
            continue
        name = aliases.get(key, key)
        if name in translator.get_options_for_model(model).all_fields:
            # A translated field given outside "translations" (e.g. issuing_body): same text in
            # the languages the item has a title in.
            for lang in translations:
                translations[lang].setdefault(name, value)
            continue
        model_field = model._meta.get_field(name)
        try:
            # A JSON number with a fraction arrives as a float: 76.95 must mean 76.95, not the
            # binary fraction nearest to it (which a DecimalField finds too precise).
            value = repr(value) if isinstance(value, float) else value
            fields[name] = model_field.clean(value, None) if value not in (None, "") else None
        except ValidationError as exc:
            error(key, "; ".join(exc.messages))
        if fields.get(name) is None and not model_field.null:
            fields[name] = model_field.get_default()
    if errors:
        return None, errors
    item = Item(number, model, external_id.strip(), translations, fields, countries, themes, cleaned_parts)
    for key, cleaned in cleaned_parts.items():
        parts[key].contribute(cleaned, item)
        if hasattr(parts[key], "validate_item"):
            parts[key].validate_item(cleaned, item.external_id, error)
    if errors:
        return None, errors
    try:
        _check_model_rules(item, given=set(record))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                error(name, message)
        return None, errors
    return item, errors


def _validate_codes(value, known, name, error):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        error(name, "expected a list of codes")
        return []
    unknown = [v for v in value if v not in known]
    if unknown:
        error(name, f"unknown code(s) {', '.join(unknown)}")
    return value


def _check_model_rules(item, given):
    """Run the model's own cross-field rules (e.g. end date after start) on the new values.

    Content models keep those rules in ``validate_values()`` (called by their
    ``clean()`` too), because Page.clean() also checks the page's place in the tree.
    A status the record leaves out (``given``: the record's keys) is the one its
    dates imply (``StatusFromDatesMixin``); one it gives must agree with them.
    """
    page = _rule_page(item)
    if "status" not in given and hasattr(page, "statuses_for_dates"):
        allowed = page.statuses_for_dates()
        if allowed:
            page.status = item.fields["status"] = allowed[0]
    if getattr(item.model, "validate_values", None) is None:
        return
    page.validate_values()
    # Keep what the rules normalise (e.g. a currency code in capitals).
    item.fields = {name: getattr(page, name) for name in item.fields}


def _rule_page(item):
    """An unsaved page holding the item's values (and its parts' preview), for the model's rules.

    A plain record reuses one blank page of its model; a record with parts
    (sessions…) gets a fresh one, so no part is left on the next item's page.
    """
    if item.parts:
        page = item.model(**blank_translations(item.model), **item.fields)
        parts = parts_for(item.model)
        for key, cleaned in item.parts.items():
            parts[key].preview(page, cleaned)
        return page
    page, blank = _rule_checker(item.model)
    for name, value in blank.items():
        setattr(page, name, value)
    for name, value in item.fields.items():
        setattr(page, name, value)
    return page


@cache
def _rule_checker(model):
    """One reusable blank page of ``model`` and its blank values, to run ``validate_values()`` on.

    Building a page object costs about a millisecond; the rules only read the
    model's own columns, which are reset to these values before each item.
    """
    page = model(**blank_translations(model))
    return page, {f.attname: getattr(page, f.attname) for f in model._meta.local_concrete_fields}


@cache
def _blank_translation_columns(model):
    columns = model._meta.concrete_fields
    return {f.attname: None for f in columns if isinstance(f, TranslationField) and f.null}


def blank_translations(model):
    """``{column: None}`` for each nullable translation column of ``model``.

    Passed to the model's constructor, it skips modeltranslation's default
    lookup per column (which activates each language in turn): a page
    instance then costs a third of a millisecond instead of over one.
    """
    return dict(_blank_translation_columns(model))
