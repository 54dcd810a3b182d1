"""Ground floor: what every content type shares, and the registry that names them.

``content_types`` (one declaration per content type, read by lists, search,
API, feeds and the importer), ``pages`` (``ContentPage``: shared fields, the
trilingual form, translation gaps), ``listing`` (``IndexPage``: filters and
pagination), ``models`` (Country, Theme, Organisation snippets),
``taxonomy_data`` (the one list of countries and of themes, ``data/``),
``slugs``, ``translated`` and the template tags (text in the reader's
language, with a visible fallback), ``blocks`` (body blocks), the "Missing
translations" report. Imports no content app.
"""
