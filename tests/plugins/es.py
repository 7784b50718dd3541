"""A real Elasticsearch node for the test run (see docs/elasticsearch-local.md).

Fixtures:
- ``es_url`` (session): the base URL of a running node. Normally a node started for this test session with
  ``tools/elasticsearch-local/es-local start`` on a free port with a temporary data folder, and stopped (its data
  deleted) when the session ends. When ``NEWSETL_TEST_ES_URL`` is set (e.g. ``http://127.0.0.1:9200`` from docker
  compose), that cluster is used instead and nothing is started or stopped. If the node cannot be built or started
  the fixture FAILS with the wrapper's output and the node's log tail: tests that need Elasticsearch never skip.
- ``es_client`` (session): an ``elasticsearch.Elasticsearch`` client for ``es_url``.
- ``es_prefix`` (function): a unique name prefix for the indices / templates / aliases / pipelines a test creates;
  everything named with it is deleted after the test (see ``delete_by_prefix``), so tests can share one node, even
  a long-lived one behind NEWSETL_TEST_ES_URL.

Helper: ``delete_by_prefix(client, prefix)`` deletes indices (with their aliases), index templates, component
templates and ingest pipelines whose names start with ``prefix``. It resolves names first and deletes them
explicitly, so it works with ``action.destructive_requires_name`` at its default (true).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch, NotFoundError

from tests.plugins.localserver import local_server

REPO = Path(__file__).resolve().parents[2]
ES_LOCAL = REPO / "tools" / "elasticsearch-local" / "es-local"
ENV_URL = "NEWSETL_TEST_ES_URL"
START_TIMEOUT_S = 180  # cold start is a few seconds; a first build (Maven downloads) can take a minute or two


@pytest.fixture(scope="session")
def es_url():
    external = os.environ.get(ENV_URL, "").strip()
    if external:
        url = external.rstrip("/")
        client = Elasticsearch(url, request_timeout=30)
        try:
            health = client.cluster.health(wait_for_status="yellow", timeout="30s")
        except Exception as exc:  # any failure to reach it is a configuration error, not a skip
            pytest.fail(f"{ENV_URL}={url} does not answer: {exc}", pytrace=False)
        finally:
            client.close()
        if health["status"] not in ("green", "yellow"):
            pytest.fail(f"{ENV_URL}={url} cluster health is {health['status']}", pytrace=False)
        yield url
        return

    with local_server(ES_LOCAL, start_timeout=START_TIMEOUT_S) as url:
        yield url


@pytest.fixture(scope="session")
def es_client(es_url):
    client = Elasticsearch(es_url, request_timeout=60)
    yield client
    client.close()


def delete_by_prefix(client: Elasticsearch, prefix: str) -> None:
    """Delete indices, index templates, component templates and ingest pipelines named ``prefix*``."""
    if not prefix or "*" in prefix:
        raise ValueError(f"refusing to delete with prefix {prefix!r}: give a literal, non-empty prefix")
    pattern = prefix + "*"
    indices = client.indices.get(index=pattern, expand_wildcards="all", allow_no_indices=True)
    if indices:
        client.indices.delete(index=",".join(sorted(indices)), ignore_unavailable=True)
    try:
        templates = client.indices.get_index_template(name=pattern)["index_templates"]
    except NotFoundError:
        templates = []
    for template in templates:
        client.indices.delete_index_template(name=template["name"])
    try:
        components = client.cluster.get_component_template(name=pattern)["component_templates"]
    except NotFoundError:
        components = []
    for component in components:
        client.cluster.delete_component_template(name=component["name"])
    try:
        pipelines = client.ingest.get_pipeline(id=pattern)
    except NotFoundError:
        pipelines = {}
    for pipeline_id in pipelines:
        client.ingest.delete_pipeline(id=pipeline_id)


@pytest.fixture
def es_prefix(es_client):
    """A unique lowercase prefix (``test-<8 hex>-``) for this test's ES objects, cleaned up afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:8]}-"
    yield prefix
    delete_by_prefix(es_client, prefix)
