"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()


def load_urls():
    """Import every URL pattern now, not in the first request each worker answers.

    Django imports the URLconf lazily; ours builds the API's typed schemas
    (django-ninja, pydantic) on import, a second or more of CPU. Done here, it
    is done once in gunicorn's master (``preload_app``) and shared by every
    worker it forks, and a worker recycled after ``max_requests`` starts warm.
    """
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property does the import)
    connections.close_all()  # nothing opened here may be shared with forked workers


def load_search_analysis():
    """Load what analysing a query needs (jieba's dictionary, the translation tables) now, once.

    Each takes a second or more of CPU and tens of megabytes. Loaded lazily,
    every worker pays for them on its first search, and again after each
    recycling (``max_requests``: under load a worker is replaced every minute
    or two), a stall the readers of that worker's next searches wait through.
    Loaded in gunicorn's master, every worker forked from it starts with them.
    No database is read here.
    """
    from search import analysis, dictionaries

    analysis.load_segmenters()
    analysis.analyze("环境保护 environmental protection охрана окружающей среды")
    dictionaries.tables()


def load_map():
    """Project and simplify the SCO map's outlines now, once (``website.geography``).

    Two seconds of CPU, kept per process: without this every worker spent
    them in the first home page or list with a map it drew, and again after
    each recycling. Drawn for the countries of ``portal/core/data/countries.json``
    (the database's list, when editors add a country, is drawn once per worker).
    """
    from portal.core import taxonomy_data
    from website import geography

    try:
        geography.map_geometry(taxonomy_data.country_codes())
    except geography.AtlasMissing:
        pass  # the map is drawn as a table; the first page says why in the log


load_urls()
load_search_analysis()
load_map()
