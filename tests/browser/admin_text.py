"""The admin in the editor's language: English strings on the screens a journey passes through.

A journey in the Chinese or Russian admin calls ``check.screen(page, "dashboard")``
at each screen; ``check.assert_clean()`` at its end fails naming every English
word found, with the screen and the words around it, so one run lists them all.

What is read is what a person meets: the page's title, its rendered text
(``innerText``, which includes screen-reader-only text) and, on every visible
element, the ``title``, ``aria-label``, ``placeholder`` and ``alt`` attributes
and the label of ``<input type=submit|button>``. A word is English when it is
written in Latin letters and is not on ``ALLOWED`` (each entry says why) and not
part of what the journey itself typed or named (titles, comments, user names).

It cannot pass vacuously: ``screen`` fails when a screen holds too little text in
the admin's own script (a blank page, an error page, a login form in the wrong
language), and ``prove_it_catches`` plants known English strings, as text and as
attributes, and fails unless the same reading finds them.
"""

import re

from portal import languages

# Latin words a zh-hans or ru admin may rightly show.
ALLOWED = {
    # Language codes in the picker and fallback notes (ZH-HANS, EN, RU), as in ISO 639.
    "zh",
    "hans",
    "en",
    "ru",
    "English",  # the language's own name (endonym) in the language lists
    "Wagtail",  # the CMS's name in the admin's footer and links to its documentation
    # Codes and acronyms that are the same in every language.
    "URL",
    "ID",
    "IATI",
    "ISO",
    "PDF",
    "CSV",
    "JSON",
    "SEO",
    "API",
    "SCO",
    "UTC",  # the time zone's name after every time (Django's "T" format: the same in every language)
    # Currency codes (ISO 4217) in the project forms.
    *("CNY", "KZT", "RUB", "USD", "EUR", "INR", "PKR", "UZS", "KGS", "TJS", "BYN", "MNT", "IRR"),
}
ALLOWED_LOWER = {word.lower() for word in ALLOWED}  # CSS may capitalise codes: "ZH-HANS"
# Whole strings a zh-hans or ru admin may show in Latin letters.
ALLOWED_LITERALS = {
    "manage.py run_scheduler",  # a shell command, the same in every language (the go-live warning)
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
OWN_SCRIPT = {"ru": re.compile(r"[А-Яа-яЁё]"), "zh-hans": re.compile(r"[\u4e00-\u9fff]")}
MIN_OWN_LETTERS = 20  # the smallest admin screen (a login page) has well over this

READ_SCREEN = """() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const where = (el, name) => `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ${name}>`;
  const texts = [[document.title, "<title>"], [document.body.innerText, ""]];
  const attributes = ["title", "aria-label", "placeholder", "alt"];
  const labelled = "[title], [aria-label], [placeholder], [alt], input[value]";
  for (const el of document.body.querySelectorAll(labelled)) {
    if (!shown(el)) continue;
    for (const name of attributes) {
      if (el.getAttribute(name)) texts.push([el.getAttribute(name), where(el, name)]);
    }
    if (el.matches("input[type=submit], input[type=button]")) texts.push([el.value, where(el, "value")]);
  }
  return texts;
}"""

PLANT = """() => {
  const box = document.createElement("div");
  box.id = "english-probe";
  box.innerHTML = '<p>Save draft</p><button type="button" aria-label="Close the sidebar">×</button>'
    + '<input type="search" placeholder="Search pages"><span title="Awaiting review">•</span>';
  document.body.prepend(box);
}"""
PROBE_WORDS = {"Save", "draft", "Close", "sidebar", "Search", "pages", "Awaiting", "review"}


def english_words(texts, typed=()):
    """(word, context) of each Latin word in ``texts`` ((text, where) pairs), unless allowed or typed."""
    found = []
    for text, where in texts:
        for value in sorted({*typed, *ALLOWED_LITERALS}, key=len, reverse=True):
            text = text.replace(value, " ")
        for match in WORD.finditer(text):
            if match.group(0).lower() not in ALLOWED_LOWER:
                start, end = max(0, match.start() - 40), match.end() + 40
                found.append((match.group(0), f"{where} " + " ".join(text[start:end].split())))
    return found


class AdminLanguageCheck:
    """Collects the English words of each screen of one journey in one admin language."""

    def __init__(self, language, typed=()):
        self.language = language
        self.typed = set(typed)
        self.found = {}  # screen -> [(word, context)]
        self.screens = []

    @property
    def applies(self):
        return self.language != languages.DEFAULT_LANGUAGE

    def also_typed(self, *values):
        """Text the journey wrote or named (titles, comments): the user's own, not the admin's."""
        self.typed.update(v for v in values if v)

    def also_user(self, user):
        """A user's names as the admin shows them (full, first, user name, e-mail)."""
        self.also_typed(user.get_full_name(), user.first_name, user.last_name, user.username, user.email)

    def read(self, page):
        return page.evaluate(READ_SCREEN)

    def screen(self, page, name):
        """Read the screen now shown; an English word on it is remembered for ``assert_clean``."""
        self.screens.append(name)
        if not self.applies:
            return
        texts = self.read(page)
        own = sum(len(OWN_SCRIPT[self.language].findall(text)) for text, _where in texts)
        assert own >= MIN_OWN_LETTERS, f"{name}: only {own} letters in {self.language} on {page.url}"
        words = english_words(texts, self.typed)
        if words:
            self.found.setdefault(name, []).extend(words)

    def prove_it_catches(self, page):
        """Plant known English strings on the current screen: the same reading must report each of them."""
        page.evaluate(PLANT)
        try:
            caught = {word for word, _context in english_words(self.read(page), self.typed)}
        finally:
            page.evaluate("() => document.getElementById('english-probe').remove()")
        assert PROBE_WORDS <= caught, f"the check missed {sorted(PROBE_WORDS - caught)}"

    def assert_clean(self):
        report = []
        for name, words in self.found.items():
            seen = {}
            for word, context in words:
                seen.setdefault(word, context)
            report.append(f"{name}: " + "; ".join(f"{w!r} in “{c}”" for w, c in seen.items()))
        assert not report, f"English in the {self.language} admin:\n" + "\n".join(report)
