"""Helpers of the search tests: an empty index, refreshing it, draining the outbox into it.

The fixtures (``es``, ``search_index_prefix``) are in ``tests/conftest.py``;
pages are built with ``tests/factories.make_page``. Tests that need
Elasticsearch *fail* when the node at ``settings.ELASTICSEARCH_URL`` does not
answer: they never skip.
"""

import pytest
from django.conf import settings


def fresh_index():
    """An empty index under this run's prefix (fresh aliases); fails (never skips) if the node is down."""
    from search import client
    from search.indexing import ensure_index

    if not settings.ELASTICSEARCH_URL:
        pytest.fail("ELASTICSEARCH_URL is not set: run with ELASTICSEARCH_URL=http://127.0.0.1:9201")
    client.mark_up()
    if not client.ping():
        pytest.fail(f"Elasticsearch does not answer at {settings.ELASTICSEARCH_URL}")
    es = client.get_client()
    for name in es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", expand_wildcards="all"):
        es.indices.delete(index=name)
    ensure_index(es)
    return es


def refresh(es):
    from search import client

    es.indices.refresh(index=client.read_alias())


def index_now(es):
    """Drain the outbox (as the after-commit hook would) and make it searchable."""
    from search.indexing import drain

    result = drain()
    refresh(es)
    return result


def indexed_corpus(django_db_blocker, items, others=(), remove=True):
    """Commit and index ``items`` for a module's read-only tests; yield ``{page pk: key}``; remove them.

    ``items`` maps a key to ``{language: (title, summary)}``, one page each,
    under the home page; ``others`` are callables making further objects (an
    organisation named in the texts) before the pages, removed with them.
    The search tests that only read a corpus use this from a module-scoped
    fixture, so the pages are written and indexed once per module.
    ``remove=False`` when the module's database is put back anyway at its end
    (the ``vocabularies`` fixture's copy): deleting the pages one by one took
    up to 20 s on PostgreSQL, for nothing.
    """
    from tests.factories import make_page, remove_committed
    from website.models import HomePage

    with django_db_blocker.unblock():
        es = fresh_index()
        extra = [make() for make in others]
        home = HomePage.objects.get()
        pages = {}
        for key, texts in items.items():
            title = {code: t for code, (t, _s) in texts.items()}
            summary = {code: s for code, (_t, s) in texts.items()}
            pages[key] = make_page(home, title=title, summary=summary)
        index_now(es)
    yield {page.pk: key for key, page in pages.items()}
    if remove:
        with django_db_blocker.unblock():
            remove_committed(pages.values(), extra)


def ranked(corpus, q, lang, **switches):
    """Keys of the corpus items in the order found, with ranking settings overridden."""
    from django.test import override_settings

    from search.query import SearchRequest, search

    with override_settings(**switches):
        results = search(SearchRequest(q=q, lang=lang, page_size=20))
    assert results.engine == "elasticsearch"
    return [corpus[h.id] for h in results.hits if h.id in corpus]


def as_stored(doc):
    """A prepared document as the stored ``_source`` keeps it (``documents.UNSHOWN_FIELDS`` left out)."""
    from fnmatch import fnmatchcase

    from search.documents import UNSHOWN_FIELDS

    return {k: v for k, v in doc.items() if k != "_id" and not any(fnmatchcase(k, p) for p in UNSHOWN_FIELDS)}
