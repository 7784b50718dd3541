"""Loading a newsetl.yaml that a test writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.settings import ConfigError, load_settings


def load_config_text(tmp_path: Path, text: str):
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(text)
    return load_settings(cfg)


def config_error(tmp_path: Path, text: str) -> str:
    """The message of the ConfigError that loading ``text`` as newsetl.yaml raises (fails the test if none is)."""
    with pytest.raises(ConfigError) as e:
        load_config_text(tmp_path, text)
    return str(e.value)


REPO = Path(__file__).resolve().parents[1]


def cli_config(tmp_path: Path, settings, **index: object) -> Path:
    """A newsetl.yaml for a command run in its own process against ``settings``' cluster, index and storage;
    ``index``: more keys of its ``index:`` section."""
    import yaml

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": settings.elasticsearch.url},
                                   "index": {"name": settings.index.name, **index},
                                   "storage": {"root": settings.storage.root}}))
    return cfg


def cli_env() -> dict[str, str]:
    """The environment without a NEWSETL_ES_* that would point the command elsewhere."""
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_ES_")}


def run_cli(cfg: Path, *args: str):
    """``newsetl --config cfg ARGS`` in its own process: the CompletedProcess (text)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), *args], capture_output=True,
                          text=True, cwd=REPO, env=cli_env(), timeout=120)


def pipeline_config(tmp_path: Path, es_url: str, es_prefix: str, sources: list[dict]) -> Path:
    """A newsetl.yaml and a sources.yaml beside it for a whole run against servers on 127.0.0.1: no pause between
    requests, no retries, no entities, batches of two; dead letters never fail the run."""
    import yaml

    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")}, "elasticsearch": {"url": es_url},
        "index": {"name": f"{es_prefix}news"},
        "fetch": {"allow_addresses": ["127.0.0.1"], "min_delay": 0, "max_retries": 0, "read_timeout": 2.0},
        "processing": {"workers": 1, "entities": {"enabled": False}},
        "ingest": {"dead_letter_threshold": 1.0, "batch_size": 2}}))
    return cfg
