"""The portal's languages: defined here once, read everywhere else.

Settings, modeltranslation, the search analysis and the templates all import
from this module, so adding a language is a change in one place (plus its
gettext catalogue in ``locale/``).
"""

from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# (code, name in its own language). Order is the order of the language switcher.
LANGUAGES = [
    ("zh-hans", "中文"),
    ("en", "English"),
    ("ru", "Русский"),
]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]

# Each language named in the reader's language (for "Original language: Russian"),
# and the whole phrase a fallback note says: languages decline ("на русском"), so
# the phrase is translated whole rather than assembled from a name.
READER_NAMES = {
    "zh-hans": pgettext_lazy("language name", "Chinese"),
    "en": pgettext_lazy("language name", "English"),
    "ru": pgettext_lazy("language name", "Russian"),
}
SHOWN_IN = {
    "zh-hans": _("shown in Chinese"),
    "en": _("shown in English"),
    "ru": _("shown in Russian"),
}
ONLY_IN = {
    "zh-hans": _("Only items in Chinese"),
    "en": _("Only items in English"),
    "ru": _("Only items in Russian"),
}
PAGE_SHOWN_IN = {
    "zh-hans": _("This page is not translated into your language yet: it is shown in Chinese."),
    "en": _("This page is not translated into your language yet: it is shown in English."),
    "ru": _("This page is not translated into your language yet: it is shown in Russian."),
}

# The language of the untranslated model columns, and the one the site falls
# back to when a browser asks for none of ours.
DEFAULT_LANGUAGE = "en"

# When a field is empty in the reader's language, show it in the first of these
# that has it (and say so in the page). English is the pivot the secretariat
# works in; between Chinese and Russian readers it is the likeliest shared one.
FALLBACK_LANGUAGES = {
    "zh-hans": ("en", "ru"),
    "en": ("zh-hans", "ru"),
    "ru": ("en", "zh-hans"),
}

# The query parameter by which a reader keeps only the items that exist in one
# language (``?language=ru``), on every list, the home page, search and feeds;
# without it they see everything, fallbacks marked.
CONTENT_LANGUAGE_PARAM = "language"

# Browser languages we do not serve, mapped to the one their readers most
# likely read: officials of the Central Asian members, Belarus and Mongolia
# usually read Russian; readers in South Asia and Iran, English.
BROWSER_LANGUAGE_MAP = {
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
    "zh-tw": "zh-hans",
    "zh-hk": "zh-hans",
    "zh-hant": "zh-hans",
    "kk": "ru",
    "ky": "ru",
    "uz": "ru",
    "tg": "ru",
    "be": "ru",
    "uk": "ru",
    "mn": "ru",
    "hy": "ru",
    "az": "ru",
    "hi": "en",
    "ur": "en",
    "fa": "en",
    "ne": "en",
    "si": "en",
    "km": "en",
    "my": "en",
    "tr": "en",
}


# Languages a document or file may be written in (attachments, a policy's
# original language): the portal's own, then the other languages of the SCO
# states and the UN's official ones, as autonyms (a label needs no
# translation; templates mark it with its ``lang``), and "several at once".
DOCUMENT_LANGUAGES = [
    *LANGUAGES,
    ("kk", "Қазақ тілі"),
    ("ky", "Кыргыз тили"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("be", "Беларуская"),
    ("mn", "Монгол"),
    ("hi", "हिन्दी"),
    ("ur", "اردو"),
    ("fa", "فارسی"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("es", "Español"),
    ("mul", _("Several languages")),
]


def document_language_name(code):
    """A document language as a reader sees it: the list above, else Django's name, else the code."""
    names = dict(DOCUMENT_LANGUAGES)
    if code in names:
        return names[code]
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def document_language_reader_name(code):
    """A document's language named in the reader's language: "Russian" on English pages,
    "казахский" on Russian ones (Django's names for the others), else the code."""
    if code in READER_NAMES:
        return str(READER_NAMES[code])
    if code == "mul":
        return str(dict(DOCUMENT_LANGUAGES)["mul"])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def interface_language_name(code):
    """The language's name in the active interface language, for readers and editors
    alike ("английский" in the Russian admin; ``language_name``: in its own)."""
    return READER_NAMES[code]


def field_suffix(code):
    """The suffix modeltranslation gives a language's columns: zh-hans -> zh_hans."""
    return code.replace("-", "_")


def localized_field(name, code):
    """``title`` + ``ru`` -> ``title_ru``, the column holding that translation."""
    return f"{name}_{field_suffix(code)}"


def language_name(code):
    """The language's name in its own language (the switcher: "Русский")."""
    return dict(LANGUAGES)[code]


def reader_name(code):
    """The language's name in the reader's (active) language: "Russian", "俄文", "русский"."""
    return str(READER_NAMES[code])


def shown_in(code):
    """ "shown in Russian", in the reader's language: the text of every fallback note."""
    return str(SHOWN_IN[code])


def fallback_chain(code):
    """The reader's language followed by its fallbacks, without repeats."""
    chain = [code, *FALLBACK_LANGUAGES.get(code, ())]
    chain += [c for c in LANGUAGE_CODES if c not in chain]
    return chain
