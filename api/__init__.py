"""Top floor: the partners' read API under ``/api/v1/``.

Resources (``resources``: content types from the registry, taxonomy,
concepts), parameters (``params``), HTTP behaviour (``http``: conditional GET,
CORS, rate limit), exports (``exports``, ``iati``) and the OpenAPI document
(``openapi``). Nothing imports it.
"""
