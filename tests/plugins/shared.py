"""Access to ../shared (the seed article and the fundus corpus).

Tests that read it skip with a clear message when it is absent, and fail instead when REQUIRE_SHARED_CORPUS=1
(CI sets it), so a CI machine without the corpus can never pass by skipping.
"""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _find_shared() -> Path:
    """``$NEWSETL_SHARED_DIR``, else ``../shared`` beside the repository, else -- for a local clone such as
    ``git clone . /tmp/x`` -- ``../shared`` beside the repository it was cloned from (its ``origin``)."""
    if os.environ.get("NEWSETL_SHARED_DIR"):
        return Path(os.environ["NEWSETL_SHARED_DIR"])
    beside = REPO.parent / "shared"
    if beside.exists():
        return beside
    import subprocess

    try:
        origin = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    origin = origin.removeprefix("file://")
    if origin and Path(origin).is_absolute() and (Path(origin).parent / "shared").exists():
        return Path(origin).parent / "shared"
    return beside


SHARED = _find_shared()
FUNDUS = SHARED / "corpus" / "fundus"
SEED_DIR = SHARED / "seed"


def require_shared(path: Path) -> Path:
    if not path.exists():
        msg = (f"{path} is absent (the shared corpus lives in ../shared beside the repository, or beside the "
               f"repository this one was cloned from; NEWSETL_SHARED_DIR points elsewhere)")
        if os.environ.get("REQUIRE_SHARED_CORPUS") == "1":
            pytest.fail(msg + " and REQUIRE_SHARED_CORPUS=1")
        pytest.skip(msg)
    return path


def load_fundus_manifest() -> list[dict]:
    require_shared(FUNDUS / "manifest.jsonl")
    rows = []
    with open(FUNDUS / "manifest.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def read_fundus_page(row: dict) -> bytes:
    with gzip.open(FUNDUS / row["file"], "rb") as f:
        return f.read()


@pytest.fixture(scope="session")
def fundus_manifest() -> list[dict]:
    return load_fundus_manifest()


@pytest.fixture(scope="session")
def seed_text() -> str:
    require_shared(SEED_DIR)
    files = sorted(p for p in SEED_DIR.glob("*.txt"))
    if not files:
        require_shared(SEED_DIR / "000.txt")
    return files[0].read_text(encoding="utf-8")
