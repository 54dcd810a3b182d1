"""Fixtures of the cross-language tests (tests/test_crosslang*.py).

The starter vocabularies are loaded once per test module (committed, outside
the per-test transactions) and removed again at the end of the module, so the
other search tests see the portal as ``setup_portal`` leaves it.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module", name="vocabularies")
def vocabularies_fixture(django_db_setup, django_db_blocker):
    from vocab import versioning
    from vocab.models import Concept, Place

    with django_db_blocker.unblock():
        call_command("load_vocabularies", verbosity=0)
    yield
    with django_db_blocker.unblock():
        Concept.objects.all().delete()
        Place.objects.all().delete()
        versioning.bump()


def fresh_index():
    """An empty index under this session's prefix; fails (never skips) if the node is down."""
    from django.conf import settings

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


def remove_committed(pages, others=()):
    """Undo a module's committed corpus: pages, other objects, outbox rows."""
    from search.models import IndexTask

    for page in pages:
        page.delete()
    for obj in others:
        obj.delete()
    IndexTask.objects.all().delete()
