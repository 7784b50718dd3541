"""Housekeeping of the storage root: the batch files of finished runs are removed once they are old.

Every run writes its batches under ``runs/<run_id>/`` (``candidates/``, ``pages/``, ``docs/``: the URLs, the fetched
pages' records and the processed documents, ~14 KB a document). They carry work from one task to the next and let a
failed task be cleared and resumed; once the run is complete they are never read again, yet an hourly schedule
would pile them up for ever. ``prune_runs`` removes them for each run that is

- **complete**: its ``report.json`` says so (every batch it started finished loading, or it was a dry run); a run
  without a report (still running, or stopped before its report) or with batches never loaded is kept, and listed,
  so that its failed tasks can still be cleared and resumed;
- **old**: its report was written more than ``storage.keep_run_batches_days`` days ago (``None``: never pruned).

What stays: each run's ``report.json`` and ``results/`` (its counts, a few KB), the raw archive (``archive/``: what
``news_reprocess`` replays), the dead letters (``deadletter/``: the record of every failure) and the fetch ledger.
Works on any storage root (a folder or an object store).

The raw archive is kept for ever unless ``storage.keep_archive_days`` is set: then ``prune_archive`` removes each
day of it (``archive/YYYY/MM/DD``, the UTC day of the fetch, and its WARC files' URL indexes,
``warc-index/YYYY/MM/DD``) once the whole day is that many days old, except the
days a run that has not finished reads pages from (a replay in progress: its page batches name the WARC records).
What a deployment gives up: a replay reaches back only that far. A replay into a new index version copies the
documents whose pages are gone over as they are (``admin.carry_over``), so none leaves the search.

The dead letters (``deadletter/<stage>/<run>/<part>.jsonl``: one small file a task that failed at something) are
kept for ever unless ``storage.keep_dead_letters_days`` is set: then ``prune_dead_letters`` removes the files last
written that many days ago, but those of a run whose batches are still there (kept unfinished: its report, written
when a cleared task resumes it, counts them). What a deployment gives up: ``newsetl deadletters`` and a retry of dead
letters see no failure that old, and ``fetch.give_up_after`` counts a URL's failures within that time only. The
dead-letter index's rows have their own limit (``index.keep_history_days``).

Both look at the runs' batch files; a prune (``stages.prune_storage``) hands both one ``RunBatches``, so ``runs/``
is listed once, and only when one of them needs it.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Iterable

from pipeline.archive import ARCHIVE_DIR, URL_INDEX_DIR, archive_day
from pipeline.deadletter import filed_under, listed_files
from pipeline.storage import Storage
from pipeline.wording import counted

log = logging.getLogger("newsetl.housekeeping")

RUNS = "runs"
BATCH_KINDS = ("candidates", "pages", "docs")


@dataclass
class PruneResult:
    keep_days: float | None
    dry_run: bool = False
    pruned: list[str] = field(default_factory=list)       # runs whose batches were removed (or would be: dry run)
    files: int = 0                                         # batch files removed
    bytes: int = 0                                         # their size
    recent: int = 0                                        # complete runs not old enough yet
    unfinished: list[str] = field(default_factory=list)    # old runs kept: no report, or batches never loaded

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArchivePruneResult:
    keep_days: float | None
    dry_run: bool = False
    days: list[str] = field(default_factory=list)         # archive days removed (or that would be: dry run)
    files: int = 0
    bytes: int = 0
    in_use: list[str] = field(default_factory=list)       # old days kept: a run that has not finished reads them

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DeadLetterPruneResult:
    keep_days: float | None
    dry_run: bool = False
    files: int = 0                                         # dead-letter files removed (or that would be: dry run)
    bytes: int = 0
    runs: int = 0                                          # runs whose letters went, all or some
    kept: int = 0                                          # old files kept: their run's batches are still there

    def to_dict(self) -> dict:
        return asdict(self)


class RunBatches:
    """The batch files of each run (``runs/<run>/<kind>/<source>/<batch>`` -> size, by run id), from one listing of
    ``runs/`` taken when first asked for: what ``prune_runs`` and then ``prune_archive`` share."""

    def __init__(self, storage: Storage):
        self.storage = storage

    @cached_property
    def by_run(self) -> dict[str, dict[str, int]]:
        by_run: dict[str, dict[str, int]] = {}
        for rel, size in self.storage.find(RUNS).items():
            parts = rel.split("/")
            if len(parts) == 5 and parts[2] in BATCH_KINDS:
                by_run.setdefault(parts[1], {})[rel] = size
        return by_run


def run_is_complete(report: dict) -> bool:
    """Whether a run's report says every batch it started finished loading (reports written before the ``complete``
    key existed: by their batch counts)."""
    if "complete" in report:
        return bool(report["complete"])
    return report.get("batches_loaded", 0) >= report.get("batches", 0)


def prune_runs(storage: Storage, keep_days: float | None, *, now: dt.datetime | None = None, dry_run: bool = False,
               exclude: Iterable[str] = (), batches: RunBatches | None = None) -> PruneResult:
    """Remove the batch files of the complete runs whose report is older than ``keep_days`` days (module docstring);
    ``exclude``: run ids never touched (the run calling this). ``dry_run``: only say what would go. ``batches``: the
    listing of ``runs/`` to use (and keep true: the removed runs leave it), else one of its own."""
    result = PruneResult(keep_days=keep_days, dry_run=dry_run)
    if keep_days is None:
        return result
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(days=keep_days)
    skip = set(exclude)
    # the batch files of every run, from one listing of runs/: only the runs not pruned yet are looked at further
    by_run = (batches or RunBatches(storage)).by_run
    for run_id, files in sorted(by_run.items()):
        if run_id in skip:
            continue
        run = f"{RUNS}/{run_id}"
        report = f"{run}/report.json"
        written = _modified(storage, report) if storage.exists(report) else None
        summary = storage.read_json_object(report) if written else None     # unreadable: unfinished, kept
        if summary is None or not run_is_complete(summary):
            # its age: the report's, else a batch's of the last stage it reached; only says whether
            # to list it among the old unfinished runs: such a run is never pruned
            if (written or _modified(storage, max(files, key=_stage_order))) < cutoff:
                result.unfinished.append(run_id)
            continue
        if written >= cutoff:
            result.recent += 1
            continue
        result.pruned.append(run_id)
        result.files += len(files)
        result.bytes += sum(files.values())
        if not dry_run:
            for kind in BATCH_KINDS:
                storage.remove(f"{run}/{kind}")
            del by_run[run_id]      # gone: a prune_archive after this one need not read its report
    if result.pruned:
        log.info("%s the batches of %d complete runs older than %s days: %d files, %.1f MB",
                 "would remove" if dry_run else "removed", len(result.pruned), keep_days, result.files,
                 result.bytes / 1e6)
    if result.unfinished:
        log.warning("%s older than %s never finished (kept, so that their failed tasks can be cleared and resumed; "
                    "delete runs/<run_id> when they are not needed): %s", counted(len(result.unfinished), "run"),
                    counted(keep_days, "day"), _listed(result.unfinished))
    return result


def _listed(names: list[str], most: int = 10) -> str:
    """The first ``most`` names for a log line."""
    return ", ".join(names[:most]) + (" …" if len(names) > most else "")


def _stage_order(rel: str) -> tuple[int, str]:
    """runs/<run>/<kind>/…: candidates before pages before docs, then by path."""
    return BATCH_KINDS.index(rel.split("/")[2]), rel


def _modified(storage: Storage, rel: str) -> dt.datetime:
    t = storage.fs.modified(storage.full(rel))
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def prune_archive(storage: Storage, keep_days: float | None, *, now: dt.datetime | None = None,
                  dry_run: bool = False, batches: RunBatches | None = None) -> ArchivePruneResult:
    """Remove the archive's days whose end is more than ``keep_days`` days ago, but those an unfinished run reads
    (module docstring). ``dry_run``: only say what would go. ``batches``: the listing of ``runs/`` to use (listed
    only when old days exist), else one of its own."""
    result = ArchivePruneResult(keep_days=keep_days, dry_run=dry_run)
    if keep_days is None:
        return result
    now = now or dt.datetime.now(dt.timezone.utc)
    last = (now - dt.timedelta(days=keep_days)).date() - dt.timedelta(days=1)    # the newest day wholly that old
    old = [day for day in _archive_days(storage) if day <= last]
    if not old:
        return result
    in_use = _archive_days_read_by_unfinished_runs(storage, batches or RunBatches(storage))
    for day in old:
        if day in in_use:
            result.in_use.append(day.isoformat())
            continue
        files = storage.find(f"{ARCHIVE_DIR}/{day:%Y/%m/%d}")       # only the old days' files are listed
        result.days.append(day.isoformat())
        result.files += len(files)
        result.bytes += sum(files.values())
        if not dry_run:
            storage.remove(f"{ARCHIVE_DIR}/{day:%Y/%m/%d}")
            storage.remove(f"{URL_INDEX_DIR}/{day:%Y/%m/%d}")      # the day's URL indexes (archive.py) go with it
    if result.days:
        log.info("%s %d days of the raw archive older than %s days: %d files, %.1f MB",
                 "would remove" if dry_run else "removed", len(result.days), keep_days, result.files,
                 result.bytes / 1e6)
    if result.in_use:
        log.info("kept %d old archive days a run that has not finished reads: %s", len(result.in_use),
                 _listed(result.in_use))
    return result


def prune_dead_letters(storage: Storage, keep_days: float | None, *, now: dt.datetime | None = None,
                       dry_run: bool = False, keep_runs: Iterable[str] = ()) -> DeadLetterPruneResult:
    """Remove the dead-letter files last written more than ``keep_days`` days ago, but those of ``keep_runs`` (the
    runs whose batches are still there, and the one calling this), from one listing of ``deadletter/`` (module
    docstring). ``dry_run``: only say what would go."""
    result = DeadLetterPruneResult(keep_days=keep_days, dry_run=dry_run)
    if keep_days is None:
        return result
    cutoff = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=keep_days)
    kept = filed_under(keep_runs)
    runs, folders = set(), set()
    for rel, name, size, written in listed_files(storage):
        if written >= cutoff:
            continue
        if name in kept:
            result.kept += 1
            continue
        runs.add(name.removesuffix(".jsonl"))
        result.files += 1
        result.bytes += size
        if not dry_run:
            storage.remove(rel)
            if rel.count("/") == 3:          # a part's file: its run folder may be left empty
                folders.add(rel.rsplit("/", 1)[0])
    for folder in sorted(folders):       # a folder left empty goes too (an object store has none to remove)
        if storage.is_local and not storage.listdir(folder):
            storage.remove(folder)
    result.runs = len(runs)
    if result.files:
        log.info("%s %d dead-letter files of %d runs older than %s days: %.1f MB", "would remove" if dry_run else
                 "removed", result.files, result.runs, keep_days, result.bytes / 1e6)
    return result


def _archive_days(storage: Storage) -> list[dt.date]:
    """The days the archive holds, oldest first, from its year, month and day folders (a listing per folder, not
    one of every file)."""
    days = []
    for year in storage.listdir(ARCHIVE_DIR):
        for month in storage.listdir(year):
            days += [d for d in map(archive_day, storage.listdir(month)) if d]
    return sorted(days)


def _archive_days_read_by_unfinished_runs(storage: Storage, batches: RunBatches) -> set[dt.date]:
    """The archive days named by the page batches (``warc_ref``) of the runs without a complete report."""
    days: set[dt.date] = set()
    for run_id, files in batches.by_run.items():
        pages = [rel for rel in files if rel.split("/")[2] == "pages"]
        if not pages:
            continue
        summary = storage.read_json_object(f"{RUNS}/{run_id}/report.json")
        if summary is not None and run_is_complete(summary):
            continue
        for rel in pages:
            days.update(filter(None, (archive_day(str(row.get("warc_ref") or "")) for row in storage.read_jsonl(rel))))
    return days
