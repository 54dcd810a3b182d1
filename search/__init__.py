"""Search (app label ``portal_search``): stands on the content apps and the ground.

Which types are indexed (``types``, from the content-type registry), the index
(``documents``: mapping; ``prepare``: page -> document; ``routing``, ``attachments``),
keeping it current (``signals`` -> outbox ``models`` -> ``indexing``; ``rebuild``),
analysis and cross-language expansion (``analysis``, ``expansion``, ``dictionaries``,
``translit``, ``names``), queries, ranking and facets (``query``, ``ranking``, ``results``,
``params``, ``labels``; ``fallback`` when Elasticsearch is away) and the search page
(``views``). ``/api/search/`` is the API's (``api/search_endpoint.py``), on top of ``query``.
"""
