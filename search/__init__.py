"""Search (app label ``portal_search``): stands on the content apps and the ground.

Which types are indexed (``types``, from the content-type registry), the index
(``documents``: mapping; ``prepare``: page -> document; ``routing``, ``attachments``),
keeping it current (``signals`` -> outbox ``models`` -> ``indexing``; ``rebuild``),
analysis and cross-language expansion (``analysis``, ``expansion``, ``dictionaries``,
``translit``), queries and facets (``query``, ``params``, ``labels``, ``fallback``
when Elasticsearch is away), the search page (``views``) and ``/api/search/`` (``api``).
"""
