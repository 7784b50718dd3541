"""Stage functions: the one place the pipeline's steps are defined.

Called by the Airflow tasks in ``dags/`` and by the ``newsetl`` CLI (``newsetl run``), so the two never diverge.
Each function takes the settings and *paths* relative to the storage root, does one stage over one batch, writes its
output batch and its counts as files, and returns only paths and counts (what may travel through XCom).

Layout of a run under the storage root::

    runs/<run_id>/candidates/<source>/<nnnn>.jsonl   discovered URLs (one candidate per line)
    runs/<run_id>/pages/<source>/<nnnn>.jsonl        fetched pages: Page metadata + warc_ref (bodies stay in the WARC)
    runs/<run_id>/docs/<source>/<nnnn>.jsonl         processed documents with status "ok"
    runs/<run_id>/results/<stage>/<source>.<nnnn>.json   counts of one stage over one batch
    deadletter/<stage>/<run_id>.jsonl                every URL, page or document that failed, with its reason

Every output is written atomically and named after its input, so a retried task overwrites rather than duplicates.
"""
from __future__ import annotations

import json
import logging
import os
import posixpath
import time
from typing import Any, Iterable, Iterator

from pipeline.deadletter import DeadLetter, write_dead_letters
from pipeline.settings import Settings
from pipeline.storage import Storage

log = logging.getLogger("newsetl.stages")


class DeadLetterThresholdExceeded(RuntimeError):
    """The run's share of dead letters passed ingest.dead_letter_threshold."""


# ---------------------------------------------------------------- helpers

def storage_for(settings: Settings) -> Storage:
    return Storage(settings.storage.root)


def run_dir(run_id: str) -> str:
    return f"runs/{run_id}"


def _batch_parts(rel: str) -> tuple[str, str]:
    """(source, batch number) of runs/<run>/<kind>/<source>/<nnnn>.jsonl."""
    source = posixpath.basename(posixpath.dirname(rel))
    num = posixpath.splitext(posixpath.basename(rel))[0]
    return source, num


def _batch_path(run_id: str, kind: str, source: str, num: str | int) -> str:
    num = f"{int(num):04d}" if str(num).isdigit() else str(num)
    return f"{run_dir(run_id)}/{kind}/{source}/{num}.jsonl"


def write_jsonl(storage: Storage, rel: str, rows: Iterable[dict]) -> int:
    n = 0
    with storage.atomic_write(rel, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n")
            n += 1
    return n


def read_jsonl(storage: Storage, rel: str) -> Iterator[dict]:
    with storage.open(rel, "r", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _write_result(storage: Storage, run_id: str, stage: str, source: str, num: str, counts: dict) -> dict:
    rec = {"stage": stage, "source": source, "batch": num, **counts}
    rel = f"{run_dir(run_id)}/results/{stage}/{source}.{num}.json"
    with storage.atomic_write(rel, "w") as f:
        json.dump(rec, f, sort_keys=True)
    return rec


def read_results(storage: Storage, run_id: str) -> list[dict]:
    out = []
    for rel in storage.glob(f"{run_dir(run_id)}/results/*/*.json"):
        with storage.open(rel, "r", encoding="utf-8") as f:
            out.append(json.load(f))
    return out


# ---------------------------------------------------------------- report

REPORT_COLUMNS = ("discovered", "fetched", "not_modified", "skipped", "processed", "indexed", "unchanged",
                  "dead_lettered")


def summarize(storage: Storage, run_id: str) -> dict[str, Any]:
    """Counts per source for one run, from the result files the stages wrote."""
    per: dict[str, dict[str, float]] = {}
    t0, t1 = None, None
    for rec in read_results(storage, run_id):
        row = per.setdefault(rec["source"], {c: 0 for c in REPORT_COLUMNS})
        stage = rec["stage"]
        if stage == "discover":
            row["discovered"] += rec.get("discovered", 0)
            row["skipped"] += rec.get("skipped", 0)
            row["dead_lettered"] += rec.get("dead", 0)
        elif stage == "fetch":
            row["fetched"] += rec.get("fetched", 0)
            row["not_modified"] += rec.get("not_modified", 0)
            row["skipped"] += rec.get("skipped", 0)
            row["dead_lettered"] += rec.get("dead", 0)
        elif stage == "process":
            row["processed"] += rec.get("processed", 0)
            row["dead_lettered"] += rec.get("rejected", 0)
        elif stage == "load":
            row["indexed"] += rec.get("created", 0) + rec.get("updated", 0)
            row["unchanged"] += rec.get("unchanged", 0)
            row["dead_lettered"] += rec.get("failed", 0)
        if rec.get("started"):
            t0 = rec["started"] if t0 is None else min(t0, rec["started"])
        if rec.get("finished"):
            t1 = rec["finished"] if t1 is None else max(t1, rec["finished"])
    total = {c: sum(r[c] for r in per.values()) for c in REPORT_COLUMNS}
    seconds = (t1 - t0) if (t0 is not None and t1 is not None) else 0.0
    for row in list(per.values()) + [total]:
        row["dead_share"] = round(row["dead_lettered"] / row["discovered"], 4) if row["discovered"] else 0.0
    total["seconds"] = round(seconds, 3)
    total["docs_per_second"] = round((total["indexed"] + total["unchanged"]) / seconds, 2) if seconds > 0 else 0.0
    return {"run_id": run_id, "sources": per, "total": total,
            "dead_letter_records": count_dead_letters(storage, run_id)}


def count_dead_letters(storage: Storage, run_id: str) -> int:
    n = 0
    for rel in storage.glob(f"deadletter/*/{run_id}.jsonl"):
        with storage.open(rel, "r", encoding="utf-8") as f:
            n += sum(1 for line in f if line.strip())
    return n


def render_report(summary: dict) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"newsetl run {summary['run_id']}")
    table.add_column("source")
    for c in REPORT_COLUMNS:
        table.add_column(c.replace("_", " "), justify="right")
    table.add_column("dead share", justify="right")
    for name, row in sorted(summary["sources"].items()):
        table.add_row(name, *(str(int(row[c])) for c in REPORT_COLUMNS), f"{row['dead_share']:.1%}")
    tot = summary["total"]
    table.add_row("TOTAL", *(str(int(tot[c])) for c in REPORT_COLUMNS), f"{tot['dead_share']:.1%}", style="bold")
    buf = StringIO()
    Console(file=buf, width=160, force_terminal=False).print(table)
    buf.write(f"{tot['docs_per_second']} documents/s over {tot['seconds']} s\n")
    return buf.getvalue()


def report(settings: Settings, run_id: str, *, fail_over_threshold: bool = True) -> dict:
    """Log the per-source table; fail when the dead-letter share passes ingest.dead_letter_threshold."""
    storage = storage_for(settings)
    summary = summarize(storage, run_id)
    text = render_report(summary)
    log.info("\n%s", text)
    print(text)
    with storage.atomic_write(f"{run_dir(run_id)}/report.json", "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
    share = summary["total"]["dead_share"]
    if fail_over_threshold and share > settings.ingest.dead_letter_threshold:
        raise DeadLetterThresholdExceeded(
            f"{share:.1%} of candidates were dead-lettered, above ingest.dead_letter_threshold="
            f"{settings.ingest.dead_letter_threshold:.0%}; see deadletter/*/{run_id}.jsonl under {storage.root}"
        )
    return summary
