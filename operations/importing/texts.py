"""The ``translations`` object of an import record, checked once for pages and site records alike."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from portal import languages


def validate_translations(value, allowed, required, error):
    """``{lang: {field: text}}`` with only known languages and fields, empty texts dropped.

    ``required`` names the field that must exist in at least one language
    (``None``: none must). Problems go to ``error(field, message)``.
    """
    if not isinstance(value, dict) or not value:
        error(
            "translations", "required: an object with at least one of " + ", ".join(languages.LANGUAGE_CODES)
        )
        return {}
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
            elif name == "slug" and text and not is_slug(text):
                error(f"translations.{lang}.slug", f"{text!r}: use letters, digits and hyphens only")
        title = texts.get("title")
        if isinstance(title, str) and len(title) > 255:
            error(f"translations.{lang}.title", "longer than 255 characters")
        clean[lang] = {k: v for k, v in texts.items() if v}
    if required and not any(t.get(required) for t in clean.values()):
        error("translations", f"missing {required}: give it in at least one language")
    return {lang: texts for lang, texts in clean.items() if texts}


def is_slug(text):
    try:
        validate_slug(text)
    except ValidationError:
        return False
    return len(text) <= 255
