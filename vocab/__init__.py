"""Ground floor: the thesaurus and the gazetteer (snippets in three languages).

Their starter data (``data/``; the countries' places come from
``portal/core/data/countries.json``), loading and validation (``loading``),
SKOS import and export (``skos``), and the version counter search's tables
follow (``versioning``).
"""
