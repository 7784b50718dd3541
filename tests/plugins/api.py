"""The search API's test articles on the node (``api_loaded``), and settings with other ``index.search`` values
(``with_search``): shared by the API's tests (test_api, test_api_keys, test_api_metrics, test_api_scopes)."""
from __future__ import annotations

import pytest

from tests.plugins.docs import make_document


def api_documents() -> list[dict]:
    """Twelve articles: English and Russian, harbour and council stories, Putin (in both scripts) and Macron."""
    people = [["Vladimir Putin"], ["Владимир Путин"], ["Emmanuel Macron"], [], ["Vladimir Putin", "Emmanuel Macron"]]
    out = []
    for i in range(12):
        lang = "ru" if i % 5 == 1 else "en"
        out.append(make_document(
            f"https://news.example.org/api/{i}", title=f"Harbour story {i}" if i % 2 else f"Council story {i}",
            text=(f"Story {i} about the weather this week. " * 12) if lang == "en" else
            ("Новости о порте и городском совете. " * 12), language=lang,
            published_at=f"2024-05-{i + 1:02d}T10:00:00+00:00",
            entities={"person": people[i % 5], "organization": [], "location": [], "misc": []}))
    return out


@pytest.fixture
def api_loaded(index_client, index_settings, storage):
    """``api_documents`` loaded into the test node and searchable: the documents."""
    from pipeline.load import bulk_load

    docs = api_documents()
    res = bulk_load(index_client, docs, index_settings, storage=storage, run_id="api")
    assert res.created == len(docs)
    index_client.indices.refresh(index=index_settings.index.read_alias)
    return docs


def with_search(settings, **search):
    """``settings`` with these ``index.search`` values."""
    return settings.model_copy(update={"index": settings.index.model_copy(update={
        "search": settings.index.search.model_copy(update=search)})})


def keys_command(es_url: str, index_name: str, tmp_path):
    """``newsetl keys ARGS`` in its own process against the test node's index ``index_name``, with no key in the
    environment: a function of the arguments giving the CompletedProcess (text)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"index": {"name": index_name}, "storage": {"root": str(tmp_path)}}))
    env = {**os.environ, "NEWSETL_ES_URL": es_url, "NEWSETL_API_KEY": "", "NEWSETL_API_KEYS": ""}
    repo = Path(__file__).resolve().parents[2]

    def keys(*args: str):
        return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "keys", *args],
                              capture_output=True, text=True, env=env, cwd=repo, timeout=120)

    return keys
