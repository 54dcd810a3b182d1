"""The development/test engine is a real Elasticsearch 8 node (scripts/elasticsearch).

These tests fail, rather than skip, when the node is down: the suite must run
against the real engine.
"""

import uuid

import pytest
from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Document, Keyword, Text, connections

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def es():
    assert settings.ELASTICSEARCH_URL, "ELASTICSEARCH_URL is not set: run the suite with scripts/test"
    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10)


def test_node_is_elasticsearch_8(es):
    # This distribution has no rest-root module (GET / is 405); the nodes API tells the version.
    nodes = es.nodes.info(node_id="_local", filter_path="nodes.*.version")["nodes"]
    (version,) = {node["version"] for node in nodes.values()}
    assert version.startswith("8.")


def test_dsl_document_round_trips_through_the_node(es):
    name = f"test-roundtrip-{uuid.uuid4().hex[:8]}"
    connections.add_connection(name, es)

    class Note(Document):
        title = Text(analyzer="standard")
        lang = Keyword()

        class Index:
            name = "unused"

    index = Note._index.clone(name)
    index.document(Note)
    index.create(using=name)
    try:
        Note(meta={"id": "1", "index": name}, title="Охрана водных ресурсов", lang="ru").save(using=name)
        es.indices.refresh(index=name)
        hits = Note.search(using=name, index=name).query("match", title="водных").execute()
        assert [hit.meta.id for hit in hits] == ["1"]
        assert hits[0].lang == "ru"
    finally:
        es.indices.delete(index=name)
        connections.remove_connection(name)
