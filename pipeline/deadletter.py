"""Dead letters: every URL, page or document that fails ends here, with a reason. Nothing is dropped silently.

One JSON object per line, in ``deadletter/<stage>/<run>/<part>.jsonl`` under the storage root::

    {"stage": "fetch", "key": "<url or document id>", "reason": "http_404", "error": "...", "at": "...",
     "record": {...the input that failed...}}

``reason`` is a short machine-readable code (``robots``, ``timeout``, ``not_article``, ``mapper_parsing_exception``…);
``error`` a human-readable message.

``<part>`` is the unit of work that wrote the file: a DAG task's batch (``<source>.<num>``) or a source's discovery
(``<source>.discover``). A retried task writes its part again, replacing the letters of its earlier attempt, so a
retry adds no letter twice and keeps none its new attempt no longer has. A command run once (``newsetl fetch --url``,
``index load``) writes a part of its own, named by the time and a random tag. Each file is written whole under a
temporary name and then renamed, never appended to: parallel tasks never share a file, and an object store (S3 has
no append) holds the same files as a folder. Files of the earlier layout, ``deadletter/<stage>/<run>.jsonl``, are
read as before.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from pipeline.storage import Storage, file_stem

DEADLETTER_DIR = "deadletter"


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


def deadletter_path(stage: str, run: str, part: str | None = None) -> str:
    """The file of the letters of ``stage`` that ``part`` of ``run`` writes (module doc); without ``part``, a new
    file of its own."""
    if part is None:
        part = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    return f"{DEADLETTER_DIR}/{stage}/{run_folder(run)}/{file_stem(part)}.jsonl"


def run_folder(run: str) -> str:
    """The folder of a run's letters: its id, or, when the id has characters a file name cannot (":" and "+" of a
    scheduled run), the id with those as "_" and a hash of it, so that no two runs share one."""
    stem = file_stem(run)
    return stem if stem == run else f"{stem}-{hashlib.sha256(run.encode('utf-8')).hexdigest()[:8]}"


class LetterFile:
    """The dead letters of one part of a run (module doc), streamed to a temporary file as they come and renamed
    over the part's file on ``close``: an earlier attempt's letters are replaced, not added to, and a part that
    ends with none removes them. A part whose work failed half-way (``close(complete=False)``) keeps beside its own
    letters the earlier attempt's of every key it did not reach: neither wrote a letter for nor got through
    (``settle``). Those may still fail; the ones it got through hold no more."""

    def __init__(self, storage: Storage, stage: str, run: str, part: str | None = None):
        self.storage, self.run, self.rel, self.count = storage, run, deadletter_path(stage, run, part), 0
        self.replaces = part is not None       # a file of its own (no part) has no earlier attempt
        self.keys: set[str] = set()            # the keys this attempt reached: a letter written, or settled
        self._writing = self._f = None

    def _line(self, line: str) -> None:
        if self._f is None:
            self._writing = self.storage.atomic_write(self.rel, "w")
            self._f = self._writing.__enter__()
        self._f.write(line)
        self.count += 1

    def write(self, letters: Iterable[DeadLetter]) -> None:
        for letter in letters:
            if self.replaces:
                self.keys.add(letter.key)
            self._line(json.dumps({**letter.to_dict(), "run": self.run}, ensure_ascii=False, default=str) + "\n")

    def settle(self, keys: Iterable[str]) -> None:
        """These keys got through (fetched, loaded, left out on purpose): an earlier attempt's letters of them go,
        also when this attempt fails half-way. (Not kept for a file of its own: nothing to replace.)"""
        if self.replaces:
            self.keys.update(keys)

    def close(self, *, complete: bool = True) -> None:
        if self.replaces and not complete:
            if not self.keys:                     # nothing reached: the earlier attempt's file stays as it is
                return
            if self.storage.exists(self.rel):     # the earlier letters of the keys this attempt did not reach
                for d in self.storage.read_jsonl(self.rel):
                    if d.get("key") not in self.keys:
                        self._line(json.dumps(d, ensure_ascii=False) + "\n")
        if self._writing is not None:
            writing, self._writing, self._f = self._writing, None, None
            writing.__exit__(None, None, None)
        elif self.replaces:                       # a whole attempt with none: the earlier letters hold no more
            self.storage.remove(self.rel)


def write_dead_letters(storage: Storage, stage: str, run: str, letters: Iterable[DeadLetter], *,
                       part: str | None = None, complete: bool = True, settled: Iterable[str] = ()) -> tuple[str, int]:
    """Write the letters of ``part`` of the run (module doc), replacing what an earlier attempt at it wrote (all of
    it, or with ``complete`` False the letters of the keys among ``letters`` and ``settled``, those it got
    through: ``LetterFile.close``); without ``part``, into a new file, or none when there are no letters. Returns
    (relative path, count written)."""
    out = LetterFile(storage, stage, run, part)
    out.settle(settled)
    out.write(letters)
    out.close(complete=complete)
    return out.rel, out.count


# a letter's time is its worker's clock, its file's the store's: a file written up to this long before a time may
# still hold a letter of that time
CLOCK_LEEWAY = dt.timedelta(hours=1)


def letter_files(storage: Storage, stage: str | None = None, run: str | None = None, *,
                 written_since: dt.datetime | None = None, whole_runs: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(relative path, run) of each dead-letter file (of ``stage``, of ``run``): a part's file and a file of the
    earlier layout alike, the run being the name of the folder or of the file. With ``written_since``, only the
    files last written since then (``CLOCK_LEEWAY`` before it) and every file of ``whole_runs``, from one listing
    with the files' times: a window's letters without opening the older files."""
    if written_since is None:
        old = [(rel, rel.rsplit("/", 1)[-1].removesuffix(".jsonl"))
               for rel in storage.glob(f"{DEADLETTER_DIR}/{stage or '*'}/{file_stem(run) if run else '*'}.jsonl")]
        parts = [(rel, rel.rsplit("/", 2)[-2]) for rel in storage.glob(
            f"{DEADLETTER_DIR}/{stage or '*'}/{run_folder(run) if run else '*'}/*.jsonl")]
        return sorted(old + parts)
    whole = filed_under(whole_runs)
    only = filed_under([run]) if run is not None else None
    return [(rel, name.removesuffix(".jsonl")) for rel, name, _, written in listed_files(storage, stage)
            if rel.endswith(".jsonl") and (only is None or name in only)
            and (written >= written_since - CLOCK_LEEWAY or name in whole)]


def listed_files(storage: Storage, stage: str | None = None) -> Iterator[tuple[str, str, int, dt.datetime]]:
    """(relative path, name under ``deadletter/<stage>/``, size, last written) of every file of the dead letters (of
    ``stage``), sorted, from one listing with their times: ``deadletter/<stage>/<run>.jsonl`` (the earlier layout)
    and ``deadletter/<stage>/<run folder>/<part>.jsonl``, a temporary file left by a writer that died too."""
    for rel, (size, written) in storage.find_modified(f"{DEADLETTER_DIR}/{stage}" if stage else DEADLETTER_DIR).items():
        parts = rel.split("/")
        if len(parts) in (3, 4):
            yield rel, parts[2], size, written


def filed_under(runs: Iterable[str]) -> set[str]:
    """The names under ``deadletter/<stage>/`` that hold the runs' letters: each one's folder, and its file of the
    earlier layout."""
    return {name for r in runs for name in (run_folder(r), f"{file_stem(r)}.jsonl")}


def run_ids(runs: Iterable[str]) -> set[str]:
    """The ``run`` the runs' letters carry: each id, and, for a letter of a file of the earlier layout (which holds
    none), the name of its file."""
    return {name for r in runs for name in (r, file_stem(r))}


def read_dead_letters(storage: Storage, stage: str | None = None, run: str | None = None, *,
                      since: dt.datetime | None = None, whole_runs: Iterable[str] = ()) -> Iterator[dict]:
    """Every dead letter (of ``stage``, of ``run``), each with ``run``: the run id it holds, or, in a file written
    before letters held it, the name of its file or folder (the run id with the characters a file name cannot have,
    ":" and "+" of a scheduled run, as "_"). With ``since``: those written at or after it, and every letter of
    ``whole_runs`` (``letter_files``: the older files are not read)."""
    whole = run_ids(whole_runs)
    for rel, file_run in letter_files(storage, stage, run, written_since=since, whole_runs=whole_runs):
        with storage.open(rel, "r", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    if run is not None and d.get("run") not in (None, run):    # another run of the same file name
                        continue
                    d = {**d, "run": d.get("run") or file_run}
                    if since is None or d["run"] in whole or letter_time(d) >= since:
                        yield d


def iter_dead_letters(storage: Storage, *, stage: str | None = None, reasons: Iterable[str] = (),
                      run: str | None = None, since: dt.datetime | None = None) -> Iterator[dict]:
    """The dead letters that match every filter given: stage, one of ``reasons``, the run, written at or after
    ``since`` (older files not read); one at a time, in file order (a month of letters need not fit in memory)."""
    wanted = set(reasons)
    return (d for d in read_dead_letters(storage, stage, run, since=since)
            if not wanted or d.get("reason") in wanted)


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
    every = None
    if give_up_after and run is None and since is None:
        # the count of failures reads every fetch letter anyway: the selection is taken from the same reading (a
        # scheduled retry's case), not from a second pass over the files
        every = select_dead_letters(storage, stage="fetch")
        selected = [d for d in every if not reasons or d.get("reason") in reasons]
    else:
        selected = select_dead_letters(storage, stage="fetch", reasons=reasons, run=run, since=since)
    letters = open_letters(storage, selected)
    if not reasons:
        letters = [d for d in letters if d.get("reason") not in LASTING_REASONS]
    letters, gone = split_given_up(storage, letters, give_up_after, every=every)
    return RetrySelection(letters, retry_records(letters), sorted({candidate_url(d) for d in gone}))


def split_given_up(storage: Storage, letters: Iterable[dict], give_up_after: int | None, *,
                   every: Iterable[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """``(kept, given_up)``: the letters of URLs whose fetch has failed ``give_up_after`` times or more (their fetch
    dead letters over every run: ``every`` when the caller has read them, else read here) go to ``given_up``; the
    others, discovery's too, stay. None or 0: nothing is given up."""
    letters = list(letters)
    if not give_up_after:
        return letters, []
    failures: dict[str, int] = {}
    for d in (select_dead_letters(storage, stage="fetch") if every is None else every):
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


def letter_time(d: dict) -> dt.datetime:
    """When the letter was written (its ``at``; the earliest time for one without a readable time)."""
    try:
        when = dt.datetime.fromisoformat(d.get("at") or "")
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
