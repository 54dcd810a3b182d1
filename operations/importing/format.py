"""The import format: read JSON Lines records and validate them, without writing anything.

One item a line::

    {"external_id": "prj-0001", "type": "project",
     "translations": {"zh-hans": {"title": "…", "summary": "…", "body": "…"}, "en": {…}},
     "countries": ["KZ"], "themes": ["air"], "status": "ongoing", "start_date": "2018-06-09"}

The content types and their importable fields are declared on the page models
(``type_options``: ``import_name``, ``import_fields``, ``import_aliases``, see
``portal.core.content_types``, and their modeltranslation fields); this module
only reads those declarations.
``external_id`` is the key: importing it again updates the page. What is
valid is decided here; how pages are written is :mod:`operations.importing.engine`.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator

from portal import languages
from portal.core import content_types
from portal.core.models import Country, Theme

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


def importable_types():
    """{"project": ProjectPage, …}: every declared content type by its import name."""
    return {options.import_name: options.model for options in content_types.all()}


def translated_fields(model):
    """The fields of ``model`` that exist once per language (title included)."""
    return sorted(translator.get_options_for_model(model).all_fields)


def read_items(lines):
    """Parse and validate every line; raise ImportFailed listing what is wrong."""
    reader = Reader()
    items = list(reader.items(lines))
    if reader.errors:
        raise ImportFailed(reader.errors)
    return items


class Reader:
    """Validates a stream of lines in one pass, yielding items while the stream is still clean.

    After the first error nothing more is yielded (a writer downstream stops
    writing) but the lines are still read, so ``errors`` lists every problem
    of the file (up to :data:`MAX_ERRORS`). Only each item's key is kept
    (for duplicates), never the items, so memory does not grow with the texts.
    """

    def __init__(self):
        self.types = importable_types()
        self.country_codes = set(Country.objects.values_list("code", flat=True))
        self.theme_slugs = set(Theme.objects.values_list("slug", flat=True))
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

    def _read_line(self, number, raw):
        if not raw.strip():
            return None
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.errors.append(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
            return None
        item, item_errors = _validate(number, record, self.types, self.country_codes, self.theme_slugs)
        self.errors += item_errors
        if item is None:
            return None
        key = (item.model, item.external_id)
        if key in self._seen:
            self.errors.append(
                f"line {number}, external_id: {item.external_id!r} already on line {self._seen[key]}"
            )
            return None
        self._seen[key] = number
        return item


def _validate(number, record, types, country_codes, theme_slugs):
    errors = []

    def error(name, message):
        errors.append(f"line {number}, {name}: {message}")

    if not isinstance(record, dict):
        error("(line)", "expected a JSON object")
        return None, errors
    kind = record.get("type")
    model = types.get(kind)
    if model is None:
        error("type", f"{kind!r} is not one of {', '.join(sorted(types))}")
        return None, errors
    external_id = record.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > 100:
        error("external_id", "required: a non-empty string of at most 100 characters")

    translations = _validate_translations(record.get("translations"), model, error)
    countries = _validate_codes(record.get("countries", []), country_codes, "countries", error)
    themes = _validate_codes(record.get("themes", []), theme_slugs, "themes", error)

    aliases = model.type_options.import_aliases
    allowed = set(model.type_options.import_fields) | set(aliases)
    fields = {}
    for key, value in record.items():
        if key in {"type", "external_id", "translations", "countries", "themes"}:
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
    item = Item(number, model, external_id.strip(), translations, fields, countries, themes)
    try:
        _check_model_rules(item)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                error(name, message)
        return None, errors
    return item, errors


def _validate_translations(value, model, error):
    if not isinstance(value, dict) or not value:
        error(
            "translations", "required: an object with at least one of " + ", ".join(languages.LANGUAGE_CODES)
        )
        return {}
    allowed = set(translated_fields(model)) - {"slug", "url_path"}
    clean = {}
    for lang, texts in value.items():
        if lang not in languages.LANGUAGE_CODES:
            error(f"translations.{lang}", f"unknown language; use {', '.join(languages.LANGUAGE_CODES)}")
            continue
        if not isinstance(texts, dict):
            error(f"translations.{lang}", "expected an object of texts")
            continue
        for name, text in texts.items():
            if name not in allowed:
                error(f"translations.{lang}.{name}", f"unknown field; known: {', '.join(sorted(allowed))}")
            elif text is not None and not isinstance(text, str):
                error(f"translations.{lang}.{name}", "expected a string")
        title = texts.get("title")
        if isinstance(title, str) and len(title) > 255:
            error(f"translations.{lang}.title", "longer than 255 characters")
        clean[lang] = {k: v for k, v in texts.items() if v}
    if value and not any(t.get("title") for t in clean.values()):
        error("translations", "missing title: give a title in at least one language")
    return {lang: texts for lang, texts in clean.items() if texts}


def _validate_codes(value, known, name, error):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        error(name, "expected a list of codes")
        return []
    unknown = [v for v in value if v not in known]
    if unknown:
        error(name, f"unknown code(s) {', '.join(unknown)}")
    return value


def _check_model_rules(item):
    """Run the model's own cross-field rules (e.g. end date after start) on the new values.

    Content models keep those rules in ``validate_values()`` (called by their
    ``clean()`` too), because Page.clean() also checks the page's place in the tree.
    """
    if getattr(item.model, "validate_values", None) is None:
        return
    page, blank = _rule_checker(item.model)
    for name, value in blank.items():
        setattr(page, name, value)
    for name, value in item.fields.items():
        setattr(page, name, value)
    page.validate_values()
    # Keep what the rules normalise (e.g. a currency code in capitals).
    item.fields = {name: getattr(page, name) for name in item.fields}


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
