"""Which language a translated field is actually shown in.

modeltranslation's descriptors fall back silently; readers must be told when
they read a fallback ("shown in English"), so templates ask this module.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

from portal import languages


@dataclass(frozen=True)
class Shown:
    value: object
    lang: str  # the language the value is in ("" when no language has it)
    requested: str  # the reader's language

    @property
    def is_fallback(self):
        return bool(self.value) and self.lang != self.requested

    @property
    def lang_name(self):
        """The language's name in the reader's language ("Russian" on English pages)."""
        return languages.reader_name(self.lang) if self.lang else ""

    @property
    def shown_in(self):
        """ "shown in Russian", in the reader's language: what a fallback note says."""
        return languages.shown_in(self.lang) if self.lang else ""

    def __str__(self):
        return "" if self.value is None else str(self.value)

    def __bool__(self):
        return bool(self.value)


def _has_content(value):
    if value is None:
        return False
    if hasattr(value, "raw_data"):  # StreamValue
        return len(value) > 0
    return str(value).strip() != ""


def shown(obj, field, lang=None):
    """The value of ``obj.<field>`` for a reader of ``lang``, and its language."""
    requested = lang or get_language() or languages.DEFAULT_LANGUAGE
    if requested not in languages.LANGUAGE_CODES:
        requested = languages.DEFAULT_LANGUAGE
    for code in languages.fallback_chain(requested):
        value = getattr(obj, languages.localized_field(field, code), None)
        if _has_content(value):
            return Shown(value, code, requested)
    return Shown(None, "", requested)


def languages_present(obj, field="title"):
    """The codes of the languages in which ``obj.<field>`` is filled in."""
    return [
        code
        for code in languages.LANGUAGE_CODES
        if _has_content(getattr(obj, languages.localized_field(field, code), None))
    ]
