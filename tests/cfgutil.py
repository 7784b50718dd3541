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
