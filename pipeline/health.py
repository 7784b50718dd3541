"""Source health: which sources still bring new articles, and which fail, over the last runs.

Every run's report (``stages.report``) is also kept by day, ``reports/<YYYY-MM-DD>/<run_id>.json`` (the day it was
first written, UTC; a few KB, never pruned), so that a time window is read without listing every run: per source,
what was discovered, indexed and dead-lettered. ``source_health`` adds up the ingest runs of a window per source:

- **quiet**: hours since the source last indexed a new article (created or updated), or since its first run in the
  window when it indexed none in it; **stale** when it stayed quiet for ``ingest.stale_after_hours`` or more
  (a feed that moved, a site that changed its layout, a sitemap that stopped updating);
- **failing**: dead letters over candidates above ``ingest.dead_letter_threshold`` in the window;
- configured sources that are enabled but have no run in the window are listed as **never ran**.

Replays (``news_reprocess``, ``newsetl reprocess``) and dry runs are left out: they bring nothing new.
``newsetl sources`` prints this; each run's report names the stale sources (``stages.report``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Iterable

from pipeline.storage import Storage

COUNTS = ("discovered", "fetched", "indexed", "unchanged", "skipped", "dead_lettered")


@dataclass
class SourceHealth:
    source: str
    runs: int = 0
    discovered: int = 0
    fetched: int = 0
    indexed: int = 0
    unchanged: int = 0
    skipped: int = 0
    dead_lettered: int = 0
    last_run_at: str | None = None
    last_new_at: str | None = None        # the end of the last run that indexed something new
    quiet_hours: float | None = None      # since last_new_at, or since its first run in the window
    stale: bool = False
    failing: bool = False
    configured: bool = True               # still in sources.yaml (and enabled)

    @property
    def dead_share(self) -> float:
        return self.dead_lettered / self.discovered if self.discovered else 0.0

    def to_dict(self) -> dict:
        return {**asdict(self), "dead_share": round(self.dead_share, 4)}


@dataclass
class Health:
    hours: float
    sources: list[SourceHealth] = field(default_factory=list)

    @property
    def stale(self) -> list[str]:
        return [s.source for s in self.sources if s.stale]

    @property
    def failing(self) -> list[str]:
        return [s.source for s in self.sources if s.failing]

    @property
    def never_ran(self) -> list[str]:
        return [s.source for s in self.sources if s.runs == 0]

    def to_dict(self) -> dict:
        return {"hours": self.hours, "stale": self.stale, "failing": self.failing, "never_ran": self.never_ran,
                "sources": [s.to_dict() for s in self.sources]}


REPORTS = "reports"


def report_day_path(day: str, run_id: str) -> str:
    return f"{REPORTS}/{day}/{run_id}.json"


def reports_between(storage: Storage, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """The reports kept under the days from ``start`` to ``end`` (UTC), oldest day first (by day only: a caller
    that wants the exact window compares ``finished_at``)."""
    out, day = [], start.date()
    while day <= end.date():
        for rel in sorted(storage.listdir(f"{REPORTS}/{day.isoformat()}", "*.json")):
            summary = storage.read_json_object(rel)
            if summary is not None:
                out.append(summary)
        day += dt.timedelta(days=1)
    return out


def source_health(storage: Storage, *, hours: float, stale_after_hours: float | None, dead_threshold: float,
                  configured: Iterable[str] = (), now: dt.datetime | None = None,
                  current: dict | None = None, stale_after: dict[str, float] | None = None) -> Health:
    """The health of each source over the ingest runs whose report was written in the last ``hours``; ``current``:
    the report being written, in place of its copy under ``reports/`` (if any); ``stale_after``: a source's own
    threshold in place of ``stale_after_hours`` (one read only every few days)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    start = now - dt.timedelta(hours=hours)
    configured = list(configured)
    rows: dict[str, SourceHealth] = {name: SourceHealth(name) for name in configured}
    first: dict[str, str] = {}
    mine = (current or {}).get("run_id")
    summaries = [s for s in reports_between(storage, start, now) if mine is None or s.get("run_id") != mine]
    for summary in summaries + ([current] if current else []):
        # only ingest runs (every report under reports/ has its kind and time; a replay or a dry run brings nothing)
        if summary.get("kind") != "ingest" or not summary.get("finished_at"):
            continue
        at = _aware(dt.datetime.fromisoformat(summary["finished_at"]))
        if at < start or at > now:
            continue
        stamp = at.isoformat(timespec="seconds")
        for name, counts in (summary.get("sources") or {}).items():
            row = rows.setdefault(name, SourceHealth(name, configured=False))
            row.runs += 1
            for key in COUNTS:
                setattr(row, key, getattr(row, key) + int(counts.get(key) or 0))
            row.last_run_at = max(row.last_run_at or "", stamp)
            first[name] = min(first.get(name, stamp), stamp)
            if counts.get("indexed"):
                row.last_new_at = max(row.last_new_at or "", stamp)
    for row in rows.values():
        if row.runs:
            since = dt.datetime.fromisoformat(row.last_new_at or first[row.source])
            row.quiet_hours = round((now - since).total_seconds() / 3600, 1)
            limit = (stale_after or {}).get(row.source, stale_after_hours) if stale_after_hours is not None else None
            row.stale = limit is not None and row.quiet_hours >= limit
            row.failing = row.dead_share > dead_threshold
    order = sorted(rows.values(), key=lambda r: (not r.stale, not r.failing, r.runs > 0, r.source))
    return Health(hours=hours, sources=order)


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
