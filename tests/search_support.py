"""Fixtures and helpers shared by the tests/test_search_*.py files.

Index names get a per-session suffix, since several people run the suite at
once against the same node; the session's indices are deleted at the end.
Test modules import the fixtures under their ``*_fixture`` names (pytest
knows them as ``es`` and ``search_index_prefix``). Tests that need
Elasticsearch are marked ``elasticsearch`` and *fail* when the node at
``settings.ELASTICSEARCH_URL`` does not answer.
"""

import os
import uuid

import pytest
from django.conf import settings

from portal import languages
from portal.core.pages import ascii_slug


@pytest.fixture(scope="session", autouse=True, name="search_index_prefix")
def search_index_prefix_fixture():
    base = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = f"{base}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    yield settings.ELASTICSEARCH_INDEX_PREFIX
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = base
    if settings.ELASTICSEARCH_URL:
        from search import client

        try:
            es = client.get_client()
            for name in es.indices.get(index=f"{prefix}-*", expand_wildcards="all"):
                es.indices.delete(index=name)
        except client.ENGINE_ERRORS:
            pass


@pytest.fixture(name="es")
def es_fixture(search_index_prefix):
    """A client on an empty index (fresh aliases). Fails, never skips, if the node is down."""
    from search import client
    from search.indexing import ensure_index

    if not settings.ELASTICSEARCH_URL:
        pytest.fail("ELASTICSEARCH_URL is not set: run with ELASTICSEARCH_URL=http://127.0.0.1:9201")
    client.mark_up()
    if not client.ping():
        pytest.fail(f"Elasticsearch does not answer at {settings.ELASTICSEARCH_URL}")
    es = client.get_client()
    for name in es.indices.get(index=f"{search_index_prefix}-*", expand_wildcards="all"):
        es.indices.delete(index=name)
    ensure_index(es)
    yield es
    client.mark_up()


def refresh(es):
    from search import client

    es.indices.refresh(index=client.read_alias())


def make_page(parent, model="projects.ProjectPage", title=None, summary=None, publish=True, **fields):
    """A page with ``title={"ru": ...}`` etc., added under ``parent`` and published."""
    from django.apps import apps

    cls = apps.get_model(model)
    title = title or {}
    page = cls(**fields)
    for code, value in title.items():
        setattr(page, languages.localized_field("title", code), value)
    for code, value in (summary or {}).items():
        setattr(page, languages.localized_field("summary", code), value)
    first = next(iter(title.values()))
    if not page.title:  # reads with fallback; writing would add an English title
        page.title = first
    slug = f"{ascii_slug(first)[:40]}-{uuid.uuid4().hex[:6]}"
    page.slug = slug
    for code in languages.LANGUAGE_CODES:
        setattr(page, languages.localized_field("slug", code), slug)
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def index_now(es):
    """Drain the outbox (as the after-commit hook would) and make it searchable."""
    from search.indexing import drain

    result = drain()
    refresh(es)
    return result
