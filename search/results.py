"""What a search asks and answers, shared by the engine (``query.py``) and the database fallback.

Kept apart from both so that neither imports the other: ``query.search``
falls back to ``fallback.database_search``, and both build these objects.
"""

from dataclasses import dataclass, field

from portal import languages
from portal.core import content_types

# Facets: request parameter -> index field, from the content-type declarations.
# Order is the order on the page.
FACETS = {facet.name: facet.index_field for facet in content_types.search_facets()}
SORTS = ("relevance", "date")
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
SNIPPET_CHARS = 220


@dataclass
class SearchRequest:
    q: str = ""
    lang: str = languages.DEFAULT_LANGUAGE
    filters: dict = field(default_factory=dict)  # facet param -> [values]
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    id: int
    external_id: str
    type: str
    title: str
    title_lang: str
    title_html: str  # escaped, with <mark> highlights
    url: str
    snippet: str  # escaped HTML with <mark> highlights
    languages: list
    countries: list
    themes: list
    date: str
    score: float
    urls: dict  # language code -> URL, for "also available in"
    # language code -> {"title", "snippet"} in every language the item has: what the
    # API's lang=all shows (the reader's site shows one language, above).
    texts: dict = field(default_factory=dict)

    @property
    def is_fallback(self):
        return False if not self.title_lang else self.title_lang != self._requested

    _requested: str = ""

    @property
    def title_lang_name(self):
        """The language of the title shown, named in the reader's language."""
        return languages.reader_name(self.title_lang) if self.title_lang else ""

    @property
    def shown_in(self):
        """ "shown in Russian" in the reader's language, for a hit shown in a fallback language."""
        return languages.shown_in(self.title_lang) if self.title_lang else ""

    @property
    def other_languages(self):
        return [
            (c, languages.language_name(c), self.urls.get(c)) for c in self.languages if c != self._requested
        ]


@dataclass
class SearchResults:
    request: SearchRequest
    engine: str  # "elasticsearch" or "database"
    total: int
    hits: list
    facets: dict  # param -> [(value, count)]
    expansions: list = field(default_factory=list)
    # False when the database fallback ran out of time before looking through every item
    # (search/fallback.py): more may match than it shows.
    complete: bool = True

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.request.page_size))


def display_language(present, lang):
    """The reader's language if the item has it, else the first fallback it has."""
    for code in languages.fallback_chain(lang):
        if code in present:
            return code
    return lang
