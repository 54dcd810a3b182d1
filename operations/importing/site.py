"""Import records that are not content pages: organisations, programme series, the site's texts.

::

    {"type": "organisation", "external_id": "org-csec", "kind": "centre", "country": "CN",
     "website": "https://…", "translations": {"en": {"name": "…", "acronym": "CSEC"}, "ru": {…}}}
    {"type": "series", "external_id": "green-silk-road-envoys",
     "translations": {"en": {"name": "…", "description": "…"}}}
    {"type": "home", "translations": {"en": {"intro": "…"}}}
    {"type": "section", "content_type": "project",
     "translations": {"en": {"title": "Cooperation projects", "intro": "…", "slug": "projects"}}}

Organisations and series are written before the pages that name them; a
page's record refers to them by ``external_id`` (a series' external_id is its
code). ``home`` and ``section`` set the home page's introduction and a
section's title, introduction and per-language slug.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug

from operations.importing.texts import validate_translations
from portal import languages
from portal.core.models import Organisation

SITE_TYPES = ("organisation", "series", "home", "section")


@dataclass
class SiteItem:
    line: int
    kind: str  # one of SITE_TYPES
    key: str  # external_id, or the section's content type, or "home"
    values: dict  # {column: value}
    translations: dict  # {lang: {field: text}}


_TEXTS = {
    "organisation": ({"name", "acronym"}, "name"),
    "series": ({"name", "description"}, "name"),
    "home": ({"intro"}, None),
    "section": ({"title", "intro", "slug"}, "title"),
}
_KEYS = {
    "organisation": {"type", "external_id", "kind", "country", "website", "translations"},
    "series": {"type", "external_id", "website", "translations"},
    "home": {"type", "translations"},
    "section": {"type", "content_type", "translations"},
}


def validate_site_record(number, record, known, content_types):
    """``(SiteItem or None, [error, …])`` for a record whose type is in SITE_TYPES."""
    errors = []

    def error(name, message):
        errors.append(f"line {number}, {name}: {message}")

    kind = record["type"]
    for key in sorted(set(record) - _KEYS[kind]):
        error(key, f"unknown field for {kind}; known: {', '.join(sorted(_KEYS[kind] - {'type'}))}")
    values = {}
    if kind in ("organisation", "series"):
        key = record.get("external_id")
        if not isinstance(key, str) or not key.strip() or len(key) > 100:
            error("external_id", "required: a non-empty string of at most 100 characters")
        elif kind == "series":
            _check(validate_slug, key, "external_id", error, "letters, digits and hyphens only")
        website = record.get("website", "")
        if website:
            _check(URLValidator(), website, "website", error, "not a web address (https://…)")
        values["website"] = website or ""
    if kind == "organisation":
        kinds = [k for k, _label in Organisation.Kind.choices]
        if record.get("kind") not in kinds:
            error("kind", f"{record.get('kind')!r} is not one of {', '.join(kinds)}")
        values["kind"] = record.get("kind")
        country = record.get("country")
        if country not in (None, "") and country not in known.countries:
            error("country", f"unknown country code {country!r}")
        values["country"] = country or None
    if kind == "section":
        key = record.get("content_type")
        if key not in content_types:
            error("content_type", f"{key!r} is not one of {', '.join(sorted(content_types))}")
    elif kind == "home":
        key = "home"
    translations = validate_translations(record.get("translations"), *_TEXTS[kind], error)
    if errors:
        return None, errors
    return SiteItem(number, kind, key.strip(), values, translations), errors


def _check(validator, value, name, error, message):
    try:
        validator(value)
    except ValidationError:
        error(name, f"{value!r}: {message}")


# --- Writing -------------------------------------------------------------------------


def write_site_item(item, index_page_for, content_types):
    """Create or update what the item describes; "created", "updated" or "unchanged"."""
    if item.kind == "organisation":
        obj = Organisation.objects.filter(external_id=item.key).first()
        return _save_snippet(obj or Organisation(external_id=item.key), item, obj is None)
    if item.kind == "series":
        model = apps.get_model("projects", "ProgrammeSeries")
        obj = model.objects.filter(slug=item.key).first()
        return _save_snippet(obj or model(slug=item.key), item, obj is None)
    if item.kind == "home":
        from website.models import HomePage

        return _save_page(HomePage.objects.get(), item, ("intro",))
    return _save_page(index_page_for(content_types[item.key]), item, ("title", "intro", "slug"))


def _save_snippet(obj, item, created):
    names, required = _TEXTS[item.kind]
    values = dict(item.values)
    if item.kind == "organisation":
        values["country_id"] = _country_pk(values.pop("country"))
    for name in names:
        for lang in languages.LANGUAGE_CODES:
            values[languages.localized_field(name, lang)] = item.translations.get(lang, {}).get(name, "")
    # The untranslated column (admin lists, sorting) holds the default language's text, else the first.
    for name in names:
        values[name] = next(
            (
                item.translations.get(lang, {}).get(name)
                for lang in (languages.DEFAULT_LANGUAGE, *languages.LANGUAGE_CODES)
                if item.translations.get(lang, {}).get(name)
            ),
            "",
        )
    changed = _set(obj, values)
    if created or changed:
        obj.full_clean()
        obj.save()
    return "created" if created else ("updated" if changed else "unchanged")


def _country_pk(code):
    from portal.core.models import Country

    return Country.objects.get(code=code).pk if code else None


def _save_page(page, item, names):
    values = {}
    for lang, texts in item.translations.items():
        for name in names:
            if name in texts:
                values[languages.localized_field(name, lang)] = texts[name]
    default_slug = values.get(languages.localized_field("slug", languages.DEFAULT_LANGUAGE))
    if default_slug:
        values["slug"] = default_slug
    if not _set(page, values):
        return "unchanged"
    page.save_revision().publish()
    return "updated"


def _set(obj, values):
    changed = False
    for name, value in values.items():
        if (getattr(obj, name) or "") != (value or ""):
            setattr(obj, name, value)
            changed = True
    return changed
