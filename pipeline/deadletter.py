"""Dead letters: every URL, page or document that fails ends here, with a reason. Nothing is dropped silently.

One JSON object per line, in ``deadletter/<stage>/<run>.jsonl`` under the storage root::

    {"stage": "fetch", "key": "<url or document id>", "reason": "http_404", "error": "...", "at": "...",
     "record": {...the input that failed...}}

``reason`` is a short machine-readable code (``robots``, ``timeout``, ``not_article``, ``mapper_parsing_exception``…);
``error`` a human-readable message.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from pipeline.storage import Storage


@dataclass
class DeadLetter:
    stage: str
    key: str
    reason: str
    error: str = ""
    record: Any = None
    at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat())

    def to_dict(self) -> dict:
        return {"stage": self.stage, "key": self.key, "reason": self.reason, "error": self.error, "at": self.at,
                "record": self.record}


def deadletter_path(stage: str, run: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in run)
    return f"deadletter/{stage}/{safe}.jsonl"


def write_dead_letters(storage: Storage, stage: str, run: str, letters: Iterable[DeadLetter]) -> tuple[str, int]:
    """Append letters to the run's dead-letter file. Returns (relative path, count written)."""
    letters = list(letters)
    rel = deadletter_path(stage, run)
    if not letters:
        return rel, 0
    with storage.open(rel, "a", encoding="utf-8") as f:
        for letter in letters:
            f.write(json.dumps(letter.to_dict(), ensure_ascii=False, default=str) + "\n")
    return rel, len(letters)


def read_dead_letters(storage: Storage, stage: str | None = None) -> Iterator[dict]:
    pattern = f"deadletter/{stage}/*.jsonl" if stage else "deadletter/*/*.jsonl"
    for rel in storage.glob(pattern):
        with storage.open(rel, "r", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
