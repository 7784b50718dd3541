"""A real S3-compatible object store for the test run: SeaweedFS from ``tools/s3-local/s3-local`` (docs/dags.md).

Fixtures:
- ``s3_endpoint`` (session): the endpoint URL of a running store. Normally one started for this session on free
  ports with a temporary data folder (built first if ``make setup`` has not built it) and stopped at the end. When
  ``NEWSETL_TEST_S3_URL`` is set, that store is used instead (it must have a bucket named ``newsetl``). If the
  store cannot be built or started the fixture FAILS with the wrapper's output: tests that need it never skip.
- ``s3_root`` (function): a fresh ``s3://newsetl/<unique prefix>`` storage root, with ``AWS_ENDPOINT_URL`` and a
  dummy key pair in the environment (as a deployment pointing at MinIO would set them); emptied afterwards.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.netutil import free_port
from tests.plugins.localserver import local_server

REPO = Path(__file__).resolve().parents[2]
S3_LOCAL = REPO / "tools" / "s3-local" / "s3-local"
ENV_URL = "NEWSETL_TEST_S3_URL"


@pytest.fixture(scope="session")
def s3_endpoint():
    external = os.environ.get(ENV_URL, "").strip()
    if external:
        yield external.rstrip("/")
        return
    with local_server(S3_LOCAL, "--port", str(free_port()), start_timeout=90, build_timeout=1200) as endpoint:
        yield endpoint


@pytest.fixture
def s3_root(s3_endpoint, monkeypatch):
    from s3fs import S3FileSystem

    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "newsetl-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "newsetl-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    S3FileSystem.clear_instance_cache()   # an s3fs made before these variables would not see them
    root = f"s3://newsetl/test-{uuid.uuid4().hex[:10]}"
    yield root
    from pipeline.storage import Storage

    Storage(root).remove("")
