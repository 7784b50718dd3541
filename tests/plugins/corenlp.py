"""A real Stanford CoreNLP server for the test run (``tools/corenlp-local``, German NER; docs/processing.md).

- ``corenlp_url`` (session): the URL of a running server: one started for this session on a free port (built
  first if ``make setup`` has not), or the one in ``NEWSETL_TEST_CORENLP_URL``. It is also put in
  ``NEWSETL_CORENLP_URL``, where the pipeline's corenlp backend looks, for the rest of the session.

Until the fixture runs, ``NEWSETL_CORENLP_URL`` points at a closed port (tests/conftest.py), so a developer's own
server on the default port never changes a test's outcome; a test that needs "no server" sets it itself.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.netutil import free_port
from tests.plugins.localserver import local_server

REPO = Path(__file__).resolve().parents[2]
CORENLP_LOCAL = REPO / "tools" / "corenlp-local" / "corenlp-local"
ENV_URL = "NEWSETL_TEST_CORENLP_URL"


@pytest.fixture(scope="session")
def corenlp_url():
    before = os.environ.get("NEWSETL_CORENLP_URL")
    external = os.environ.get(ENV_URL, "").strip().rstrip("/")
    try:
        if external:
            os.environ["NEWSETL_CORENLP_URL"] = external
            yield external
        else:
            with local_server(CORENLP_LOCAL, "--port", str(free_port()), start_timeout=120) as url:
                os.environ["NEWSETL_CORENLP_URL"] = url
                yield url
    finally:
        if before is None:
            os.environ.pop("NEWSETL_CORENLP_URL", None)
        else:
            os.environ["NEWSETL_CORENLP_URL"] = before
