"""Index rebuilds for news_reprocess against the real node: create the next version with the write alias moved,
load into it, then swap both aliases atomically (API and `newsetl index swap`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import admin
from pipeline.load import bulk_load

pytestmark = pytest.mark.es


def _aliases(client, name):
    return {a: sorted(client.indices.get_alias(name=a)) for a in (name, f"{name}-write")}


def test_create_next_version_then_swap(index_client, index_settings, storage, make_doc):
    name = index_settings.index.name
    admin.ensure_index(index_client, index_settings)
    bulk_load(index_client, [make_doc(url=f"https://news.example.org/a/{i}") for i in range(3)], index_settings,
              storage=storage, run_id="r1")
    made = admin.create_next_version(index_client, index_settings)
    assert made == {"index": f"{name}-v2", "previous": f"{name}-v1", "created": True}
    # the write alias moved, the read alias did not: searches still see v1
    assert _aliases(index_client, name) == {name: [f"{name}-v1"], f"{name}-write": [f"{name}-v2"]}
    # called again mid-rebuild (a retried task): the same index, nothing new created
    assert admin.create_next_version(index_client, index_settings) == {
        "index": f"{name}-v2", "previous": f"{name}-v1", "created": False}
    assert not index_client.indices.exists(index=f"{name}-v3")
    res = bulk_load(index_client, [make_doc(url=f"https://news.example.org/a/{i}") for i in range(3)], index_settings,
                    storage=storage, run_id="r2", index=f"{name}-v2")
    assert res.created == 3
    swapped = admin.swap_aliases(index_client, index_settings, f"{name}-v2")
    assert swapped["previous"] == [f"{name}-v1"] and swapped["documents"] == 3
    assert _aliases(index_client, name) == {name: [f"{name}-v2"], f"{name}-write": [f"{name}-v2"]}


def test_cli_swap(index_client, index_settings, tmp_path):
    name = index_settings.index.name
    admin.ensure_index(index_client, index_settings)
    admin.create_next_version(index_client, index_settings)
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump(index_settings.model_dump(include={"elasticsearch", "index", "storage"})))
    newsetl = str(Path(sys.executable).with_name("newsetl"))
    bad = subprocess.run([newsetl, "--config", str(cfg), "index", "swap", f"{name}-v9"], capture_output=True, text=True)
    assert bad.returncode == 1 and f"{name}-v9 does not exist" in bad.stderr
    ok = subprocess.run([newsetl, "--config", str(cfg), "index", "swap", f"{name}-v2"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert f"aliases now on {name}-v2" in ok.stdout
    assert _aliases(index_client, name)[name] == [f"{name}-v2"]
