"""The local Elasticsearch node (tools/elasticsearch-local) answers and does what the index layer needs."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.es


def test_node_is_healthy(es_client):
    health = es_client.cluster.health(wait_for_status="yellow", timeout="30s")
    assert health["status"] in ("green", "yellow")
    assert health["number_of_nodes"] >= 1


def test_index_and_search_a_document(es_client, es_prefix):
    index = es_prefix + "docs"
    es_client.indices.create(index=index, mappings={"properties": {"title": {"type": "text"}, "lang": {"type": "keyword"}}})
    es_client.index(index=index, id="1", document={"title": "Belarus and Russia sign a treaty", "lang": "en"}, refresh=True)
    hits = es_client.search(index=index, query={"match": {"title": "treaty"}})["hits"]
    assert hits["total"]["value"] == 1
    assert hits["hits"][0]["_id"] == "1"
    assert hits["hits"][0]["_source"]["lang"] == "en"
