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


def _file_stem(run: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in run)


def deadletter_path(stage: str, run: str) -> str:
    return f"deadletter/{stage}/{_file_stem(run)}.jsonl"


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


def read_dead_letters(storage: Storage, stage: str | None = None, run: str | None = None) -> Iterator[dict]:
    """Every dead letter (of ``stage``, of ``run``), each with ``run``: the run id its file is named by."""
    for rel in storage.glob(f"deadletter/{stage or '*'}/{_file_stem(run) if run else '*'}.jsonl"):
        file_run = rel.rsplit("/", 1)[-1].removesuffix(".jsonl")
        with storage.open(rel, "r", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield {**json.loads(line), "run": file_run}


def iter_dead_letters(storage: Storage, *, stage: str | None = None, reasons: Iterable[str] = (),
                      run: str | None = None, since: dt.datetime | None = None) -> Iterator[dict]:
    """The dead letters that match every filter given: stage, one of ``reasons``, the run, written at or after
    ``since``; one at a time, in file order (a month of letters need not fit in memory)."""
    wanted = set(reasons)
    return (d for d in read_dead_letters(storage, stage, run)
            if (not wanted or d.get("reason") in wanted) and (since is None or _when(d) >= since))


def select_dead_letters(storage: Storage, *, stage: str | None = None, reasons: Iterable[str] = (),
                        run: str | None = None, since: dt.datetime | None = None) -> list[dict]:
    """``iter_dead_letters`` as a list, oldest first."""
    return sorted(iter_dead_letters(storage, stage=stage, reasons=reasons, run=run, since=since),
                  key=lambda d: d.get("at") or "")


def summarize(letters: Iterable[dict]) -> list[dict]:
    """One row per stage and reason: ``{stage, reason, count, latest, example}`` (the latest letter's key), the
    commonest first."""
    rows: dict[tuple, dict] = {}
    for d in letters:
        row = rows.setdefault((d.get("stage"), d.get("reason")), {"stage": d.get("stage"), "reason": d.get("reason"),
                                                                  "count": 0, "latest": "", "example": ""})
        row["count"] += 1
        if (d.get("at") or "") >= row["latest"]:
            row["latest"], row["example"] = d.get("at") or "", d.get("key") or ""
    return sorted(rows.values(), key=lambda r: (-r["count"], r["stage"] or "", r["reason"] or ""))


def open_letters(storage: Storage, letters: Iterable[dict]) -> list[dict]:
    """The letters still open: a fetch failure whose URL the fetch ledger has archived since is closed (a retry or a
    later run fetched it); the others stay."""
    from pipeline.fetcher import Ledger
    from pipeline.urls import doc_id

    ledger = Ledger.load(storage)
    return [d for d in letters if (url := candidate_url(d)) is None or doc_id(url) not in ledger]


def candidate_url(d: dict) -> str | None:
    """The URL of a fetch dead letter whose ``record`` is a candidate; None for the others (discovery's letters
    about feeds and sitemaps, other stages)."""
    rec = d.get("record")
    if d.get("stage") == "fetch" and isinstance(rec, dict) and isinstance(rec.get("url"), str):
        return rec["url"]
    return None


# fetch failures that another try would not change: a retry leaves them out unless its reasons name them
LASTING_REASONS = frozenset({"robots", "blocked_address", "blocked_scheme", "invalid_url", "not_html", "too_large",
                             "redirect_loop", "too_many_redirects", "file_missing"})


@dataclass
class RetrySelection:
    """What a dead-letter retry fetches: ``letters`` (the open fetch dead letters it takes), ``records`` (their
    candidates, once per URL) and ``given_up`` (the URLs left out because they have failed ``give_up_after`` times)."""
    letters: list[dict]
    records: list[dict]
    given_up: list[str]


def retry_selection(storage: Storage, *, reasons: Iterable[str] = (), run: str | None = None,
                    since: dt.datetime | None = None, give_up_after: int | None = None) -> RetrySelection:
    """The retry of the open fetch dead letters that match (``open_letters``; without ``reasons`` not those of
    ``LASTING_REASONS``): their candidate records to fetch again (``retry_records``), except the URLs whose fetch
    has failed ``give_up_after`` times or more (their fetch dead letters over every run, ``split_given_up``; None
    or 0: no cap). What ``newsetl deadletters --retry`` writes and the DAG's ``retry_dead_letters`` run fetches."""
    reasons = list(reasons)
    letters = open_letters(storage, select_dead_letters(storage, stage="fetch", reasons=reasons, run=run,
                                                        since=since))
    if not reasons:
        letters = [d for d in letters if d.get("reason") not in LASTING_REASONS]
    letters, gone = split_given_up(storage, letters, give_up_after)
    return RetrySelection(letters, retry_records(letters), sorted({candidate_url(d) for d in gone}))


def split_given_up(storage: Storage, letters: Iterable[dict], give_up_after: int | None) -> tuple[list[dict],
                                                                                                   list[dict]]:
    """``(kept, given_up)``: the letters of URLs whose fetch has failed ``give_up_after`` times or more (their fetch
    dead letters over every run) go to ``given_up``; the others, discovery's too, stay. None or 0: nothing is given
    up."""
    letters = list(letters)
    if not give_up_after:
        return letters, []
    failures: dict[str, int] = {}
    for d in select_dead_letters(storage, stage="fetch"):
        if (url := candidate_url(d)) is not None:
            failures[url] = failures.get(url, 0) + 1
    kept, gone = [], []
    for d in letters:
        url = candidate_url(d)
        (gone if url is not None and failures.get(url, 0) >= give_up_after else kept).append(d)
    return kept, gone


def retry_records(letters: Iterable[dict]) -> list[dict]:
    """The fetch candidates to try again: the ``record`` of each fetch dead letter that holds a candidate (a
    ``url``; discovery's letters about feeds and sitemaps do not), once per URL, the newest letter's."""
    newest: dict[str, tuple] = {}
    for d in letters:
        url = candidate_url(d)
        if url is not None and (url not in newest or (d.get("at") or "") >= newest[url][0]):
            newest[url] = (d.get("at") or "", d["record"])
    return [rec for _, rec in sorted(newest.values(), key=lambda x: x[0])]


# load failures the cluster, not the document, caused: the same document goes in once the cluster takes writes again
# (disk freed and the write block lifted, the load gone down); news_health loads them again by itself
TRANSIENT_LOAD_REASONS = frozenset({"cluster_block_exception", "es_rejected_execution_exception",
                                    "circuit_breaking_exception", "unavailable_shards_exception",
                                    "process_cluster_event_timeout_exception", "http_429", "http_500", "http_502",
                                    "http_503", "http_504"})


def load_retry_documents(letters: Iterable[dict]) -> list[dict]:
    """The documents of load dead letters to load again (``newsetl deadletters --retry --stage load``): each letter's
    ``record`` that is a document (a dict with an ``id``), once per id, the newest letter's; oldest first. A line
    that was not JSON has no document to give back (its letter keeps the line)."""
    newest: dict[str, tuple] = {}
    for d in letters:
        rec = d.get("record")
        if d.get("stage") == "load" and isinstance(rec, dict) and isinstance(rec.get("id"), str):
            if rec["id"] not in newest or (d.get("at") or "") >= newest[rec["id"]][0]:
                newest[rec["id"]] = (d.get("at") or "", rec)
    return [rec for _, rec in sorted(newest.values(), key=lambda x: x[0])]


def _when(d: dict) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(d.get("at") or "")
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
