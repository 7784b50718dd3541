"""Stage functions: the one place the pipeline's steps are defined.

Called by the Airflow tasks in ``dags/`` and by the ``newsetl`` CLI (``newsetl run``), so the two never diverge.
Each function takes the settings and *paths* relative to the storage root, does one stage over one batch, writes its
output batch and its counts as files, and returns only paths and counts (what may travel through XCom).

Layout of a run under the storage root::

    runs/<run_id>/candidates/<source>/<nnnn>.jsonl   discovered URLs (one candidate per line)
    runs/<run_id>/pages/<source>/<nnnn>.jsonl        fetched pages: Page metadata + warc_ref (bodies stay in the WARC)
    runs/<run_id>/docs/<source>/<nnnn>.jsonl         processed documents with status "ok"
    runs/<run_id>/results/<stage>/<source>.<nnnn>.json   counts of one stage over one batch
    runs/<run_id>/report.json                        the run's report (also reports/<YYYY-MM-DD>/<run_id>.json)
    deadletter/<stage>/<run_id>/<part>.jsonl         every URL, page or document that failed, with its reason

Every output is written atomically and named after its input, so a retried task overwrites rather than duplicates.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import logging
import operator
import os
import posixpath
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from typing import Any

from pipeline.deadletter import DeadLetter, select_dead_letters, write_dead_letters
from pipeline.deadletter import summarize as summarize_letters
from pipeline.settings import Settings
from pipeline.storage import Storage
from pipeline.wording import counted

log = logging.getLogger("newsetl.stages")


class DeadLetterThresholdExceeded(RuntimeError):
    """The run's share of dead letters passed ingest.dead_letter_threshold."""


class IncompleteRun(RuntimeError):
    """Some batches of the run never finished loading (a task failed for good)."""


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


def _write_result(storage: Storage, run_id: str, stage: str, source: str, num: str, counts: dict) -> dict:
    rec = {"stage": stage, "source": source, "batch": num, **counts}
    rel = f"{run_dir(run_id)}/results/{stage}/{source}.{num}.json"
    storage.write_json(rel, rec, sort_keys=True)
    return rec


def read_results(storage: Storage, run_id: str) -> list[dict]:
    out = []
    for rel in storage.glob(f"{run_dir(run_id)}/results/*/*.json"):
        with storage.open(rel, "r", encoding="utf-8") as f:
            out.append(json.load(f))
    return out


# ---------------------------------------------------------------- report

# "refetched": archived articles discovered again because their listing says they changed since
# (fetch.refetch_updated_days); they are among "fetched" or "not_modified"
REPORT_COLUMNS = ("discovered", "refetched", "fetched", "not_modified", "skipped", "processed", "indexed",
                  "unchanged", "marked", "dead_lettered", "entity_errors", "rule_misses")


def summarize(storage: Storage, run_id: str, letters: list[dict]) -> dict[str, Any]:
    """Counts per source for one run, from the result files the stages wrote, and its dead ``letters``."""
    per: dict[str, dict[str, float]] = {}
    span: dict[str, list[float]] = {}   # source -> [first start, last finish]
    missed: dict[str, int] = {}         # site-rule field -> documents whose selector for it matched nothing
    for rec in read_results(storage, run_id):
        row = per.setdefault(rec["source"], {c: 0 for c in REPORT_COLUMNS})
        stage = rec["stage"]
        if stage == "discover":
            row["discovered"] += rec.get("discovered", 0)
            row["refetched"] += rec.get("updated", 0)
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
            row["entity_errors"] += rec.get("entity_errors", 0)
            row["rule_misses"] += rec.get("rule_misses", 0)      # documents a site rule missed a field of
            for name, n in (rec.get("rule_miss_fields") or {}).items():
                missed[name] = missed.get(name, 0) + n
        elif stage == "load":
            row["indexed"] += rec.get("created", 0) + rec.get("updated", 0)
            row["unchanged"] += rec.get("unchanged", 0)
            row["marked"] += rec.get("marked", 0)      # near duplicates marked (or re-pointed) after the load
            row["skipped"] += rec.get("removed", 0)    # taken out for good (`newsetl remove`): meant, no dead letter
            row["dead_lettered"] += rec.get("failed", 0)
        if rec.get("started") and rec.get("finished"):
            s = span.setdefault(rec["source"], [rec["started"], rec["finished"]])
            s[0], s[1] = min(s[0], rec["started"]), max(s[1], rec["finished"])
    total = {c: sum(r[c] for r in per.values()) for c in REPORT_COLUMNS}
    spans = list(span.values())
    rows = [(per[name], span.get(name)) for name in per]
    rows.append((total, [min(s[0] for s in spans), max(s[1] for s in spans)] if spans else None))
    for row, s in rows:
        row["dead_share"] = round(row["dead_lettered"] / row["discovered"], 4) if row["discovered"] else 0.0
        row["seconds"] = round(s[1] - s[0], 3) if s else 0.0
        done = row["indexed"] + row["unchanged"]
        row["docs_per_second"] = round(done / row["seconds"], 2) if row["seconds"] > 0 else 0.0
    reasons = summarize_letters(letters)
    by_source: dict[str, Counter[str]] = {}      # every letter's record names its source
    for d in letters:
        by_source.setdefault((d.get("record") or {}).get("source") or "", Counter())[
            f"{d.get('stage')}/{d.get('reason')}"] += 1
    return {"run_id": run_id, "sources": per, "total": total,
            "rule_miss_fields": missed,
            "dead_letter_records": sum(r["count"] for r in reasons),
            "dead_letter_reasons": {f"{r['stage']}/{r['reason']}": r["count"] for r in reasons},
            "source_dead_letter_reasons": {source: dict(c.most_common()) for source, c in sorted(by_source.items())
                                           if source}}


def render_report(summary: dict) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"newsetl run {summary['run_id']}")
    table.add_column("source")
    for c in REPORT_COLUMNS:
        table.add_column(c.replace("_", " "), justify="right")
    table.add_column("dead share", justify="right")
    table.add_column("docs/s", justify="right")
    for name, row in sorted(summary["sources"].items()):
        table.add_row(name, *(str(int(row[c])) for c in REPORT_COLUMNS), f"{row['dead_share']:.1%}",
                      f"{row['docs_per_second']:.1f}")
    tot = summary["total"]
    table.add_row("TOTAL", *(str(int(tot[c])) for c in REPORT_COLUMNS), f"{tot['dead_share']:.1%}",
                  f"{tot['docs_per_second']:.1f}", style="bold")
    buf = StringIO()
    Console(file=buf, width=180, force_terminal=False).print(table)
    buf.write(f"{tot['docs_per_second']} documents/s over {tot['seconds']} s\n")
    if summary.get("dead_letter_reasons"):
        buf.write("dead letters by stage and reason: " + ", ".join(
            f"{k} {v}" for k, v in summary["dead_letter_reasons"].items()) + f"; see them with `newsetl deadletters "
            f"--run {summary['run_id']} --list`, fetch the open fetch failures again with `--retry`\n")
    if summary.get("stale_sources"):
        buf.write("no new article for ingest.stale_after_hours or more (a moved feed, a changed site?): " + ", ".join(
            f"{name} ({hours:g} h)" for name, hours in summary["stale_sources"].items())
            + "; `newsetl sources` shows every source's last new article\n")
    if tot.get("rule_misses"):
        buf.write(f"{counted(int(tot['rule_misses']), 'document')} missed a field of their site's extraction rule ("
                  + ", ".join(f"{k} {v}" for k, v in sorted(summary.get("rule_miss_fields", {}).items()))
                  + "): has a layout changed? The process tasks' logs name the pages, the documents have rule_misses; "
                  "fix processing.extraction.site_rules\n")
    if tot["entity_errors"]:
        n = int(tot["entity_errors"])
        buf.write(f"{counted(n, 'document')} {'was' if n == 1 else 'were'} indexed without entities (entities_status "
                  "error: a NER model or server failed; the process tasks' logs say why): re-process them once it is "
                  "fixed\n")
    return buf.getvalue()


def batch_progress(storage: Storage, run_id: str) -> tuple[int, int]:
    """(batches the run started, batches whose load finished). A run starts from candidate batches (ingest) or,
    when it has none, from page batches (reprocess)."""
    started = len(storage.glob(f"{run_dir(run_id)}/candidates/*/*.jsonl")) or \
        len(storage.glob(f"{run_dir(run_id)}/pages/*/*.jsonl"))
    return started, len(storage.glob(f"{run_dir(run_id)}/results/load/*.json"))


def report(settings: Settings, run_id: str, *, fail_over_threshold: bool = True, expect_loaded: bool = True,
           replay: bool = False) -> dict:
    """Log the per-source table. Fail when a batch never finished loading (``expect_loaded``; the report runs even
    when upstream tasks failed, and must not turn such a run green), or when the dead-letter share passes
    ingest.dead_letter_threshold. The report is kept in the run's folder and by day (``pipeline.health``); an ingest
    run's report also names the sources that brought nothing new for ``ingest.stale_after_hours``."""
    from pipeline.health import report_day_path

    storage = storage_for(settings)
    letters = select_dead_letters(storage, run=run_id)    # counted here, and written to the dead-letter index below
    summary = summarize(storage, run_id, letters)
    summary["batches"], summary["batches_loaded"] = batch_progress(storage, run_id)
    # what housekeeping reads: a complete run's batches are never needed again (pipeline.housekeeping)
    summary["complete"] = not expect_loaded or summary["batches_loaded"] >= summary["batches"]
    summary["kind"] = "reprocess" if replay else "ingest" if expect_loaded else "dry_run"
    summary["finished_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    # kept under the day it was first written, so that a report written again (a retried task) replaces itself
    first = (storage.read_json_object(f"{run_dir(run_id)}/report.json") or {}).get("finished_at")
    if summary["kind"] == "ingest":
        summary["quiet_hours"], summary["stale_sources"] = _quiet_hours(settings, storage, summary)
    text = render_report(summary)
    log.info("\n%s", text)
    _write_json(storage, report_day_path((first or summary["finished_at"])[:10], run_id), summary)
    _write_json(storage, f"{run_dir(run_id)}/report.json", summary)
    if settings.index.record_runs:   # before any failure below: the failed runs are the ones looked for
        from pipeline.runs import try_record_run

        try_record_run(lambda: es_client(settings), settings.index.runs_index_name, summary,
                       letters_index=settings.index.dead_letters_index_name, storage=storage, letters=letters)
    missing = summary["batches"] - summary["batches_loaded"]
    if expect_loaded and missing > 0:
        raise IncompleteRun(f"{missing} of {counted(summary['batches'], 'batch', 'batches')} of run {run_id} never "
                            "finished loading: "
                            "see the failed fetch/process/load tasks; clear them to resume (finished work is kept)")
    share = summary["total"]["dead_share"]
    if fail_over_threshold and share > settings.ingest.dead_letter_threshold:
        raise DeadLetterThresholdExceeded(
            f"{share:.1%} of candidates were dead-lettered, above ingest.dead_letter_threshold="
            f"{settings.ingest.dead_letter_threshold:.0%}; see `newsetl deadletters --run {run_id}` (the files: "
            f"deadletter/ under {storage.root})"
        )
    return summary


def _write_json(storage: Storage, rel: str, value: dict) -> None:
    storage.write_json(rel, value, indent=2, sort_keys=True)


def _quiet_hours(settings: Settings, storage: Storage, summary: dict) -> tuple[dict[str, float], dict[str, float]]:
    """Of the run's sources, hours since each last indexed a new article (this run included; ``pipeline.health``),
    over twice the longest stale threshold, and those of them that are stale (``ingest.stale_after_hours``, plus
    the source's ``every``); empty when staleness is not judged (``stale_after_hours: null``)."""
    from pipeline.health import source_health
    from pipeline.settings import ConfigError
    from pipeline.sources import load_sources

    hours = settings.ingest.stale_after_hours
    if hours is None or not summary["sources"]:
        return {}, {}
    try:
        limits = _stale_after(load_sources(settings=settings), hours)
    except ConfigError:           # the sources file changed under the run: the common threshold
        limits = {}
    health = source_health(storage, hours=2 * max([hours, *limits.values()]), stale_after_hours=hours,
                           stale_after=limits, dead_threshold=settings.ingest.dead_letter_threshold, current=summary)
    mine = [h for h in health.sources if h.source in summary["sources"] and h.quiet_hours is not None]
    return {h.source: h.quiet_hours for h in mine}, {h.source: h.quiet_hours for h in mine if h.stale}


def source_health(settings: Settings, *, hours: float) -> dict:
    """Each configured source's health over the last ``hours`` (``pipeline.health``: ``newsetl sources``)."""
    from pipeline.health import source_health as health
    from pipeline.sources import load_sources

    sources = {s.name: s for s in load_sources(settings=settings) if s.enabled}
    storage = storage_for(settings)
    stale = settings.ingest.stale_after_hours
    out = health(storage, hours=hours, stale_after_hours=stale, stale_after=_stale_after(sources.values(), stale),
                 dead_threshold=settings.ingest.dead_letter_threshold, configured=list(sources)).to_dict()
    for row in out["sources"]:       # how often runs cover it (its ``every``), and when they next do
        s = sources.get(row["source"])
        due = due_at(s, last_discovered(storage, s.name)) if s is not None and s.every else None
        row["every"], row["next_due"] = (s.every if s else None), (due.isoformat(timespec="seconds") if due else None)
    return out


def _stale_after(sources, stale_after_hours: float | None) -> dict[str, float]:
    """A source read only ``every`` so long cannot bring something new more often: it is stale after
    ``ingest.stale_after_hours`` plus its ``every``."""
    if stale_after_hours is None:
        return {}
    return {s.name: stale_after_hours + s.every_delta().total_seconds() / 3600 for s in sources if s.every}


class SourcesUnhealthy(Exception):
    """A configured source is stale, failing or has not run in the window (``check_sources``). One line."""


def check_sources(settings: Settings, *, hours: float) -> dict:
    """The configured sources' health over the last ``hours`` (``source_health``); SourcesUnhealthy naming each one
    that is stale (no new article for ``ingest.stale_after_hours``), failing (dead letters above
    ``ingest.dead_letter_threshold`` of what it discovered) or never ran in the window. The news_health DAG's check
    (so Airflow's failure alerts reach someone); ``newsetl sources --check`` exits 1 on the same. Before the first
    ingest run ever (no report kept at all: a new installation) there is nothing to check."""
    health = source_health(settings, hours=hours)
    configured = sum(s["configured"] for s in health["sources"])
    if not any(s["runs"] for s in health["sources"]) and not storage_for(settings).listdir("reports"):
        return {"hours": hours, "sources": configured, "unhealthy": 0, "note": "no ingest run yet: nothing to check"}
    now = dt.datetime.now(dt.timezone.utc)
    wrong = []      # "<source>: <why>" for each configured source that needs a look
    for s in health["sources"]:
        waits = s["next_due"] is not None and dt.datetime.fromisoformat(s["next_due"]) > now   # its `every`
        why = [w for w, on in (("stale", s["stale"]), ("failing", s["failing"]),
                               ("no run", not s["runs"] and not waits)) if on]
        if s["configured"] and why:
            quiet = f" ({s['quiet_hours']:g} h without a new article)" if s["stale"] else ""
            wrong.append(f"{s['source']}: {', '.join(why)}{quiet}")
    if wrong:
        verb = "needs" if len(wrong) == 1 else "need"
        raise SourcesUnhealthy(f"{len(wrong)} of {counted(configured, 'source')} {verb} a look over the last "
                               f"{counted(hours / 24, 'day')}: {'; '.join(wrong)} — see `newsetl sources` and "
                               "Kibana's Source health")
    return {"hours": hours, "sources": configured, "unhealthy": 0}


class IndexNeedsAttention(Exception):
    """The news index cannot take or serve documents as it should (``check_index``). One line."""


WRITE_BLOCKS = ("index.blocks.write", "index.blocks.read_only", "index.blocks.read_only_allow_delete")


def check_index(settings: Settings) -> dict:
    """The news index as an operator must know it: IndexNeedsAttention naming each problem: no index behind an
    alias, a write index that refuses writes (the block Elasticsearch sets when its disk passes the flood-stage
    watermark: every load is then dead-lettered), a red cluster, and what ``newsetl index status`` reports (fields
    missing, an analyzer that needs a migrate, a migrate half done). The news_health DAG's ``check_index``."""
    from pipeline import admin

    idx = settings.index
    with _client(settings) as client:
        status = admin.index_status(client, settings)
        problems = list(status["problems"])
        for alias in (status["read_alias"], status["write_alias"]):
            if not alias["indices"]:
                problems.append(f"the alias {alias['name']} points at no index: run `newsetl index ensure`")
        labels = status["people_index"]
        people = [labels["name"]] if labels["enabled"] and labels["labels"] is not None else []
        for w in status["write_alias"]["indices"] + people:     # a load gets no label from a blocked people index
            flat = client.indices.get_settings(index=w, name="index.blocks.*", flat_settings=True)
            blocks = [k for k, v in (flat.get(w, {}).get("settings") or {}).items()
                      if k in WRITE_BLOCKS and str(v).lower() == "true"]
            if blocks:
                problems.append(f"{w} refuses writes ({', '.join(blocks)}), so every load is dead-lettered: when the "
                                "cluster's disk passed its flood-stage watermark, free space (Elasticsearch lifts "
                                "read_only_allow_delete itself below the high watermark); news_health then loads the "
                                "refused documents again")
        health = client.cluster.health()["status"]
        if health == "red":
            problems.append("the cluster is red: some shards are not allocated (GET _cluster/allocation/explain)")
        if settings.snapshots.enabled:
            from pipeline.snapshots import staleness

            stale = staleness(client, settings)
            if stale:
                problems.append(stale)
    if problems:
        raise IndexNeedsAttention(f"{idx.read_alias}: " + "; ".join(problems))
    return {"index": idx.read_alias, "indices": status["read_alias"]["indices"], "cluster": health}


def snapshot(settings: Settings, client=None) -> dict:
    """Snapshot the news index and its side indices, then keep the newest ``snapshots.keep``
    (``pipeline.snapshots.create``): the news_snapshot DAG and ``newsetl index snapshot``."""
    from pipeline.snapshots import create

    with _client(settings, client) as c:
        return create(c, settings)


def learn_gazetteer(settings: Settings, *, min_docs: int | None = None, min_sources: int | None = None,
                    output: str | None = None, dry_run: bool = False, force: bool = False, client=None) -> dict:
    """Learn the learned gazetteer again from the read alias (``pipeline.learned.learn``) and replace the file
    (``output``, else ``processing.entities.learned_gazetteer``, else the default path under the storage root)
    atomically, keeping the old one beside it (``learned.backup_path``): ``newsetl entities learn`` and the
    news_maintenance DAG. ``min_docs``/``min_sources`` default to ``processing.entities.learn_min_docs`` and
    ``learn_min_sources``. Raises ``learned.LearnedGazetteerShrinks``, the file untouched, when the new names would
    drop more than ``learn_max_loss`` of the file's and ``force`` is not set (a dry run only says so). Returns
    counts and paths only; a few of the names added and dropped go to the log."""
    from pipeline import learned

    ent = settings.processing.entities
    min_docs = ent.learn_min_docs if min_docs is None else min_docs
    min_sources = ent.learn_min_sources if min_sources is None else min_sources
    with _client(settings, client) as c:
        doc, left_out = learned.learn(c, settings, min_docs=min_docs, min_sources=min_sources)
    storage, rel = learned.output_location(settings, output)
    where = storage.local_path(rel) or storage.url(rel)
    try:
        previous = learned.previous_names(storage, rel)
    except learned.LearnedGazetteerError as e:      # a broken file protects nothing: it is replaced (and kept)
        log.warning("%s: it is replaced without the loss check", e)
        previous = None
    new = learned.names_of(doc)
    added, dropped = sorted(new - (previous or set())), sorted((previous or set()) - new)
    out = {"documents": doc["documents"], "counts": doc["counts"], "left_out": dict(sorted(left_out.items())),
           "previous": None if previous is None else len(previous), "added": len(added), "dropped": len(dropped),
           "path": where, "backup": None, "written": False, "forced": False, "learned_at": doc["learned_at"]}
    log.info("learned gazetteer: %s, %s from %s a model processed (min_docs %d, min_sources %d); %s",
             counted(doc["counts"]["person"], "person", "people"),
             counted(doc["counts"]["organization"], "organisation"), counted(doc["documents"], "document"), min_docs,
             min_sources, "no file before" if previous is None else
             f"{len(added)} added{_examples(added)}, {len(dropped)} dropped{_examples(dropped)} of the "
             f"{counted(len(previous), 'name')} of {where}")
    problem = learned.loss_problem(previous, len(dropped), ent.learn_max_loss, where=where,
                                   documents=doc["documents"])
    if problem and not force:
        if dry_run:
            out["refused"] = problem
            return out
        raise learned.LearnedGazetteerShrinks(problem)
    if problem:
        log.warning("forced%s: %s is replaced although the new names drop %d of its %d (the old file is kept as %s)",
                    " (a dry run)" if dry_run else "", where, len(dropped), len(previous),
                    storage.local_path(learned.backup_path(rel)) or storage.url(learned.backup_path(rel)))
        out["forced"] = True
    if not dry_run:
        out["path"], out["backup"] = learned.replace(doc, storage, rel, ent.learn_backups)
        out["written"] = True
    return out


def _examples(names: list[tuple[str, str]], n: int = 5) -> str:
    """The first ``n`` names of (type, name) pairs for a log line, as ``" (Olaf Scholz, NATO, …)"``."""
    if not names:
        return ""
    return f" ({', '.join(name for _, name in names[:n])}{', …' if len(names) > n else ''})"


def relabel_people(settings: Settings, client=None) -> dict:
    """Give the documents of the read alias that carry a people label since replaced the current one
    (``pipeline.people.relabel_index``; ``newsetl index relabel``)."""
    from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
    from pipeline.people import relabel_index

    with _client(settings, client) as client:
        try:
            return relabel_index(client, settings.index.read_alias, settings.index.people_index_name)
        except UNAVAILABLE_ERRORS as e:
            raise unavailable_from(client, e) from None


def enforce_removals(settings: Settings, client=None) -> dict:
    """Delete again from every version of the news index what ``newsetl remove`` took out and a version still holds
    (``pipeline.removals.enforce``): news_health's daily ``enforce_removals``. With
    ``storage.purge_removed_from_archive``, the raw archive's records of what was removed are purged too
    (``pipeline.removals.purge_archive``; counted under ``archive``)."""
    from pipeline.removals import enforce, purge_archive

    with _client(settings, client) as c:
        out = enforce(c, settings)
        if settings.storage.purge_removed_from_archive:
            out["archive"] = purge_archive(c, settings, storage_for(settings))
        return out


class AlertsUndelivered(Exception):
    """A watch's alerts did not reach a channel (``run_watches``); one line. They wait for the next run."""


def watch_names(settings: Settings, client=None) -> list[str]:
    """The enabled watches, the file's and the stored ones (``pipeline.watches.load_all``): those a run matches
    (news_alerts maps its deliveries over the names its matching returns). The cluster away: the file's only (a
    warning says so)."""
    from pipeline.watches import load_all

    with _client(settings, client) as c:
        return [w.name for w in load_all(settings, client=c, enabled_only=True)]


def run_watches(settings: Settings, names: list[str] | None = None, *, since: dt.datetime | None = None,
                dry_run: bool = False, settle: bool = False, client=None, match: bool = True,
                deliver: bool = True) -> dict:
    """Match, record and deliver the watches (the given ones, else every enabled one, of the watches file and the
    store: ``pipeline.watches.load_all``): the changes feed is read once for them all (``match_watches``), then each
    watch delivers (``deliver_watch``); with ``settle``, first wait until the last load's documents are in the
    changes feed (news_alerts runs right after a load). ``deliver`` False: match and record only (news_alerts'
    ``watches`` task); ``match`` False: deliver only (its ``run_watch`` task, one per watch). Raises
    AlertsUndelivered at the end when a channel refused alerts or a watch's search was refused (they wait for the
    next run; the other watches are done): news_alerts' task and `newsetl watch run` fail on it; a run that only
    matches does not raise (each watch's delivery reports its own). The answer's ``notes`` and ``shadowed``: what
    ``load_all`` reported."""
    from pipeline import watches as w

    storage = storage_for(settings)
    out: dict[str, Any] = {"watches": [], "waited_seconds": 0.0}
    with _client(settings, client) as c:
        chosen = w.load_all(settings, client=c, names=names, enabled_only=not names)    # the file's and the stored
        out["notes"], out["shadowed"] = chosen.notes, chosen.shadowed
        if settle and match and chosen and not dry_run:
            out["waited_seconds"] = round(w.settle(c, settings), 1)
        ready = w.prepare(c, settings) if chosen and not dry_run else None
        if match:
            out["watches"] = w.match_watches(c, storage, settings, list(chosen), since=since, dry_run=dry_run,
                                             ready=ready)
            if ready:
                w.refresh_alerts(c, settings)      # this run's records, for the deliveries and the next run
        else:
            out["watches"] = [{"watch": watch.name, "matched": 0, "new": 0, "delivered": 0, "pending": 0, "held": 0,
                               "errors": []} for watch in chosen]
        waiting = w.pending_records(c, settings, [watch.name for watch in chosen]) if deliver and ready else {}
        for watch, res in zip(chosen, out["watches"]):
            if deliver and ready:
                got = w.deliver_watch(c, storage, settings, watch, waiting=waiting.get(watch.name, []))
                res.update(delivered=got["delivered"], held=got["held"], pending=got["pending"], errors=got["errors"])
            log.info("watch %s: %d matched, %s, %d delivered, %d pending%s", watch.name, res["matched"],
                     counted(res["new"], "new alert"), res["delivered"], res["pending"],
                     "".join(f"; {e}" for e in res["errors"]))
        if deliver and ready:       # once for them all: the next run sees what this one wrote
            w.refresh_alerts(c, settings)
    failed = [f"{r['watch']}: {e}" for r in out["watches"] for e in r["errors"]] if deliver else []
    if failed:
        err = AlertsUndelivered(f"{counted(len(failed), 'channel')} refused alerts (or a watch's search was refused), "
                                "which wait for the next run: " + "; ".join(failed))
        err.summary = out
        raise err
    return out


def record_history(settings: Settings, *, days: float, client=None) -> dict:
    """Write the run reports kept under ``reports/`` of the last ``days`` into the runs index, and every dead letter
    of that window (those of runs without a report too: ``newsetl index load``, ``crawl``) into the dead-letter
    index, with every letter of the reported runs, whose rows the files no longer hold are deleted (letters a
    task's retry replaced after the report), then close every open letter whose URL the fetch ledger has archived
    since. Idempotent: the catch-up after the cluster was away when runs ended, and the backfill of older runs
    (``newsetl index runs``, the news_health DAG). Raises ``pipeline.runs.RunsIndexError`` for an index of that name
    that is not ours."""
    from pipeline.deadletter import read_dead_letters
    from pipeline.fetcher import Ledger
    from pipeline.health import reports_between
    from pipeline.runs import close_letters, record_dead_letters, record_runs, recordable

    storage = storage_for(settings)
    now = dt.datetime.now(dt.timezone.utc)
    since = now - dt.timedelta(days=days)
    reports = [r for r in reports_between(storage, since, now) if recordable(r) and r.get("sources")]
    index, letters_index = settings.index.runs_index_name, settings.index.dead_letters_index_name
    ledger = Ledger.load(storage)
    with _client(settings, client) as client:
        rows = record_runs(client, index, reports)
        # a run's rows the files no longer hold are deleted, but not those of a run whose files a prune may have
        # taken (storage.keep_dead_letters_days; a day's margin for a long run): those rows stay until their own limit
        keep = settings.storage.keep_dead_letters_days
        runs = {r["run_id"] for r in reports if keep is None or dt.datetime.fromisoformat(r["finished_at"]) >= now
                - dt.timedelta(days=keep - 1)}
        letters = record_dead_letters(client, letters_index, read_dead_letters(storage, since=since, whole_runs=runs),
                                      ledger, runs=runs)
        closed = close_letters(client, letters_index, ledger)
    return {"index": index, "runs": len(reports), "rows": rows, "days": days, "dead_letters_index": letters_index,
            "dead_letters": letters, "closed": closed}


def retry_refused_documents(settings: Settings, *, days: float) -> dict:
    """Load again the documents of the last ``days``' load dead letters whose reason the cluster caused, not the
    document (``deadletter.TRANSIENT_LOAD_REASONS``: a write block when its disk filled up, rejections under load):
    later runs would not bring them back, since their pages are archived. A document the index already has counts
    as unchanged; one refused again gets a new letter and is tried again next time. Letters of other reasons (a
    value the mapping refuses) wait for `newsetl deadletters --retry --stage load` once they are fixed. The
    news_health DAG's ``retry_refused_documents`` task."""
    from pipeline.deadletter import TRANSIENT_LOAD_REASONS, load_retry_documents, select_dead_letters
    from pipeline.load import bulk_load

    storage = storage_for(settings)
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    letters = select_dead_letters(storage, stage="load", reasons=TRANSIENT_LOAD_REASONS, since=since)
    docs = load_retry_documents(letters)
    out = {"letters": len(letters), "documents": len(docs)}
    if not docs:
        return out
    run_id = f"retry-load-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}"
    with _client(settings) as client:
        res = bulk_load(client, docs, settings, storage=storage, run_id=run_id)
    return {**out, "run_id": run_id, "created": res.created, "updated": res.updated, "unchanged": res.unchanged,
            "failed": res.failed}


def prune_storage(settings: Settings, *, exclude: list[str] | None = None, keep_days: float | None = None,
                  archive_days: float | None = None, history_days: float | None = None,
                  dead_letter_days: float | None = None, dry_run: bool = False) -> dict:
    """Remove the batch files of complete runs older than ``storage.keep_run_batches_days`` (or ``keep_days``), the
    raw archive's days older than ``storage.keep_archive_days`` (or ``archive_days``; null: none) and the dead-letter
    files older than ``storage.keep_dead_letters_days`` (or ``dead_letter_days``; null: none):
    ``pipeline.housekeeping``; and the rows of the runs and dead-letter indices older than
    ``index.keep_history_days`` (or ``history_days``; null: none): ``pipeline.runs.prune_history``. Returns the run
    ids pruned and kept unfinished, and the counts, with the archive's under ``archive``, the dead letters' under
    ``dead_letters`` and the indices' under ``history``. A cluster that cannot be reached leaves the history for the
    next prune, with a warning."""
    from pipeline.housekeeping import RunBatches, prune_archive, prune_dead_letters, prune_runs

    storage = storage_for(settings)
    batches = RunBatches(storage)       # runs/ listed once, for both
    days = settings.storage.keep_run_batches_days if keep_days is None else keep_days
    out = prune_runs(storage, days, exclude=exclude or (), dry_run=dry_run, batches=batches).to_dict()
    days = settings.storage.keep_archive_days if archive_days is None else archive_days
    out["archive"] = prune_archive(storage, days, dry_run=dry_run, batches=batches).to_dict()
    days = settings.storage.keep_dead_letters_days if dead_letter_days is None else dead_letter_days
    # a run whose batches stay (unfinished, or recent) keeps its letters: its report may be written again
    with_batches = [run for run in batches.by_run if run not in out["pruned"]] if days is not None else []
    out["dead_letters"] = prune_dead_letters(storage, days, dry_run=dry_run,
                                             keep_runs=[*(exclude or ()), *with_batches]).to_dict()
    out["history"] = _prune_history(settings, settings.index.keep_history_days if history_days is None
                                    else history_days, dry_run)
    return out


def _prune_history(settings: Settings, days: float | None, dry_run: bool) -> dict:
    from elasticsearch import ApiError, TransportError

    from pipeline.runs import RunsIndexError, prune_history, why_not_written

    if days is None:
        return {"keep_days": None, "deleted": {}}
    try:
        client = es_client(settings)
    except Exception as e:      # an Airflow connection that cannot be built, a bad URL
        log.warning("run history not pruned (%s): the next prune tries again", e)
        return {"keep_days": days, "deleted": {}, "error": str(e)}
    try:
        delivered = {"bool": {"must_not": [{"exists": {"field": "pending"}}]}}     # an alert still to send stays
        return prune_history(client, {settings.index.runs_index_name: "finished_at",
                                      settings.index.dead_letters_index_name: "at",
                                      settings.index.alerts_index_name: ("matched_at", delivered)},
                             days, dry_run=dry_run)
    except (ApiError, TransportError, RunsIndexError) as e:
        why = why_not_written(client, e)
        log.warning("run history not pruned (%s): the next prune tries again", why)
        return {"keep_days": days, "deleted": {}, "error": why}
    finally:
        client.close()


# ---------------------------------------------------------------- Elasticsearch client

@contextlib.contextmanager
def _client(settings: Settings, client=None):
    """``client``, or one of ``es_client``'s that is closed at the end."""
    if client is not None:
        yield client
        return
    own = es_client(settings)
    try:
        yield own
    finally:
        own.close()


def es_client(settings: Settings):
    """Inside an Airflow task: the Airflow connection (``elasticsearch.airflow_conn_id``) when it is defined;
    otherwise (and outside Airflow) the config file and environment."""
    from pipeline import es

    if os.environ.get("AIRFLOW_CTX_DAG_ID"):  # set by Airflow's task runner while a task executes
        try:
            return es.client_from_airflow(settings.elasticsearch.airflow_conn_id)
        except Exception as e:  # connection not defined: fall back to config, and say so
            if "isn't defined" not in str(e) and "not defined" not in str(e) and "not found" not in str(e).lower():
                raise
            log.info("Airflow connection %r not defined; using %s from config", settings.elasticsearch.airflow_conn_id,
                     settings.elasticsearch.url)
    return es.client_from_settings(settings)


@contextlib.contextmanager
def fetch_removals(settings: Settings, client=None):
    """The blocklist a fetch hands ``fetch_candidates(..., removals=…)`` (``removals.fetch_blocklist``), with the
    client that asks kept open until the fetch ends (a page's redirects are checked as they come). The fetch task
    and ``newsetl fetch``/``crawl`` both take it from here, so they leave out the same URLs. None when nothing was
    removed, and None with a warning when the cluster cannot be reached: the fetch goes on, since every load checks
    again."""
    from pipeline.removals import fetch_blocklist

    with _client(settings, client) as c:
        yield fetch_blocklist(c, settings)


# ---------------------------------------------------------------- stages

def ensure_index(settings: Settings) -> dict:
    from pipeline import admin

    res = admin.ensure_index(es_client(settings), settings)
    if res["added_fields"]:
        log.info("fields added to %s: %s", res["index"], ", ".join(res["added_fields"]))
    for problem in res["needs_migrate"]:   # the run goes on; an operator's `newsetl index migrate` settles it
        log.warning("index %s needs a migrate: %s", res["index"], problem)
    return {k: res[k] for k in ("index", "read_alias", "write_alias", "created")}


# the "source" of a run's retried fetch failures (a name no configured source can have: they start with a letter
# or digit)
RETRY_SOURCE = "@deadletters"


DISCOVERED_DIR = "sources"       # <name>.json: when a run last discovered the source (its ``every``)


def last_discovered(storage: Storage, name: str) -> dt.datetime | None:
    """When a run last began discovering the source ``name`` (not a dry run); None when none has."""
    rec = storage.read_json_object(f"{DISCOVERED_DIR}/{name}.json")
    try:
        return dt.datetime.fromisoformat(rec["started_at"]) if rec else None
    except (KeyError, TypeError, ValueError):
        return None


def due_at(source, last: dt.datetime | None) -> dt.datetime | None:
    """When a scheduled run next covers ``source``: None when every run does (no ``every``, or never discovered).
    A run that begins up to a tenth of ``every`` early (at most 15 minutes) covers it: runs do not start on the
    second, and a source due at 12:00:03 must not wait for the next run."""
    every = source.every_delta()
    if every is None or last is None:
        return None
    return last + every - min(every / 10, dt.timedelta(minutes=15))


def plan_sources(settings: Settings, names: list[str] | None = None, *, retry_dead_letters: bool = False,
                 now: dt.datetime | None = None) -> list[str]:
    """The source names a run covers: the given ones (each must exist), or every enabled source that is due (its
    ``every`` passed since a run last discovered it: ``due_at``); with ``retry_dead_letters``, also
    ``RETRY_SOURCE``, whose discovery is the open fetch failures (``discover``)."""
    from pipeline.settings import ConfigError
    from pipeline.sources import load_sources

    sources = load_sources(settings=settings)
    retry = [RETRY_SOURCE] if retry_dead_letters else []
    if not names:
        storage, now = storage_for(settings), now or dt.datetime.now(dt.timezone.utc)
        due = []
        for s in (s for s in sources if s.enabled):
            at = due_at(s, last_discovered(storage, s.name) if s.every else None)
            if at is not None and at > now:
                log.info("source %s is not due until %s (every %s)", s.name, at.isoformat(timespec="seconds"),
                         s.every)
                continue
            due.append(s.name)
        return due + retry
    known = {s.name for s in sources}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(None, "params.sources", f"unknown source(s) {unknown}", f"use some of {sorted(known)}")
    return list(names) + retry


def _known_in_index(settings: Settings):
    """is_known(ids) for discovery: ids already in the read alias (de-duplication against the index)."""
    def is_known(ids: list[str]) -> list[str]:
        if not ids:
            return []
        try:
            client = es_client(settings)
            res = client.mget(index=settings.index.name, ids=list(ids), source=False)
        except Exception as e:  # no index yet, or unreachable: the archive ledger still de-duplicates
            log.info("index lookup skipped during discovery: %s", e)
            return []
        return [d["_id"] for d in res["docs"] if d.get("found")]

    return is_known


def discover(settings: Settings, source_name: str, run_id: str, *, since: str | None = None,
             max_articles: int | None = None, refetch: bool = False, check_index: bool = True,
             dry_run: bool = False) -> list[str]:
    """Discover one source; write its candidates in batches of ``ingest.batch_size``; return the batch paths. When it
    is done (and the run is no dry run, and it did not fail without reading anything), the time it began is kept for
    the source's ``every`` (``plan_sources``)."""
    from pipeline.discover import discover_source, save_candidates
    from pipeline.sources import get_source

    storage = storage_for(settings)
    started = time.time()
    if source_name == RETRY_SOURCE:
        res = _retry_discovery(storage, max_articles, settings.fetch.give_up_after)
    else:
        source = get_source(source_name, settings=settings)
        with fetch_removals(settings) as removals:       # a removed domain's feeds and pages are not read
            res = discover_source(source, settings, storage, since=since, max_articles=max_articles,
                                  refetch=refetch, run_id=run_id, removals=removals,
                                  letters_part=f"{source_name}.discover",
                                  is_known=_known_in_index(settings) if check_index and not refetch else None)
    size = settings.ingest.batch_size
    paths = []
    for i in range(0, len(res.candidates), size):
        rel = _batch_path(run_id, "candidates", source_name, i // size)
        save_candidates(storage, rel, res.candidates[i:i + size])
        paths.append(rel)
    # an earlier try of this task that found more left batches this one does not hand on: nothing would fetch them,
    # and the report would count them as batches that never finished loading
    for rel in storage.glob(f"{run_dir(run_id)}/candidates/{source_name}/*.jsonl"):
        if rel not in paths:
            storage.remove(rel)
    _write_result(storage, run_id, "discover", source_name, "0000", {
        "discovered": len(res.candidates) + len(res.skipped), "candidates": len(res.candidates),
        "skipped": len(res.skipped), "filtered": len(res.filtered), "dead": len(res.dead_letters),
        "updated": len(res.updated),
        "not_modified_feeds": len(res.not_modified), "reasons": res.reasons, "batches": len(paths),
        "started": started, "finished": time.time()})
    # a discovery that read nothing and failed (a feed gone, a site down) does not count: the next run tries again
    failed = not (res.candidates or res.skipped or res.filtered) and res.dead_letters
    if not dry_run and source_name != RETRY_SOURCE and not failed:
        _write_json(storage, f"{DISCOVERED_DIR}/{source_name}.json", {
            "started_at": dt.datetime.fromtimestamp(started, dt.timezone.utc).isoformat(), "run_id": run_id})
    return paths


def run_batches(settings: Settings, run_id: str, per_source: list[list[str]]) -> list[str]:
    """The run's candidate batches (each source's, in plan order), each URL in the first batch that has it: when two
    sources list one article (a site's front-page and section feeds), or a dead-letter retry names a URL a source
    discovered again, it is fetched once, not twice by two fetch tasks at the same time. A later batch loses its
    copies, counted as skipped for its source (a ``discover`` result per batch, ``<num>-duplicates``); one left empty
    is removed. The result is written before the batch is rewritten, and a batch already rewritten has no copies
    left, so a retried task counts each copy once."""
    from pipeline.discover import load_candidates, save_candidates
    from pipeline.urls import doc_id

    storage = storage_for(settings)
    seen: set[str] = set()
    out = []
    for rel in (b for batches in per_source for b in batches):
        if not storage.exists(rel):      # emptied and removed by an earlier try of this task
            continue
        cands = load_candidates(storage, rel)
        keep = []
        for c in cands:
            did = doc_id(c.url)
            if did not in seen:
                seen.add(did)
                keep.append(c)
        if len(keep) < len(cands):
            source, num = rel.rsplit("/", 2)[-2], posixpath.basename(rel).removesuffix(".jsonl")
            _write_result(storage, run_id, "discover", source, f"{num}-duplicates",
                          {"discovered": 0, "skipped": len(cands) - len(keep), "duplicates": len(cands) - len(keep)})
            if keep:
                save_candidates(storage, rel, keep)
            else:
                storage.remove(rel)
        if keep:
            out.append(rel)
    return out


def _retry_discovery(storage: Storage, max_articles: int | None, give_up_after: int):
    """The open fetch failures of earlier runs as this run's candidates (``pipeline.deadletter.retry_selection``:
    once per URL, not those another try would not change, not those that have failed ``give_up_after`` times: these
    are counted as filtered, ``given_up``), as a DiscoveryResult of ``RETRY_SOURCE``."""
    from pipeline.deadletter import retry_selection
    from pipeline.discover import DiscoveryResult
    from pipeline.fetcher import Candidate

    selection = retry_selection(storage, give_up_after=give_up_after)
    res = DiscoveryResult(source=RETRY_SOURCE, seen=len(selection.records) + len(selection.given_up))
    cands = [Candidate.from_dict(r) for r in selection.records]
    res.candidates = cands[:max_articles] if max_articles else cands
    res.filtered = ([(c.url, "max_articles") for c in cands[len(res.candidates):]]
                    + [(url, "given_up") for url in selection.given_up])
    return res


def fetch_batch(settings: Settings, batch: str, run_id: str) -> str:
    """Fetch one candidate batch; archive pages to WARC; write the batch's page list; return its path."""
    from pipeline.discover import load_candidates
    from pipeline.fetcher import Ledger, fetch_candidates
    from pipeline.pacing import shared_dir

    storage = storage_for(settings)
    started = time.time()
    source, num = _batch_parts(batch)
    cands = load_candidates(storage, batch)
    pacing = shared_dir(settings.fetch.pacing_dir, storage.root)
    log.info("fetching %d candidates of %s; per-host pacing %s", len(cands), batch,
             f"shared with every fetch task through {pacing}" if pacing else "kept by this task alone")
    with fetch_removals(settings) as removals:     # what `newsetl remove` took out is not fetched (skipped "removed")
        res = fetch_candidates(cands, settings, storage, run_id=run_id, removals=removals,
                               letters_part=f"{source}.{num}")
    ledger = Ledger.load(storage)
    rows = []
    for o in res.outcomes:
        if o.state == "fetched" and o.warc_ref:
            rows.append({"url": o.final_url or o.url, "warc_ref": o.warc_ref, "doc_id": o.doc_id})
        elif o.state == "skipped" and o.reason == "already_archived" and o.warc_ref:
            entry = ledger.get(o.doc_id) or {}
            if entry.get("run") == run_id:  # fetched by an earlier attempt of this very task: still ours to process
                rows.append({"url": entry.get("final_url") or o.url, "warc_ref": o.warc_ref, "doc_id": o.doc_id})
    out = _batch_path(run_id, "pages", source, num)
    storage.write_jsonl(out, rows)
    c = res.counts
    _write_result(storage, run_id, "fetch", source, num, {
        "fetched": len(rows), "not_modified": c.get("not_modified", 0),
        "skipped": c.get("skipped", 0) - (len(rows) - c.get("fetched", 0)), "dead": c.get("dead_letter", 0),
        "reasons": res.reasons, "started": started, "finished": time.time()})
    return out


def process_batch(settings: Settings, pages: str, run_id: str, *, entities: bool = True) -> str:
    """Process one batch of archived pages into documents; rejected pages become dead letters. (Many batches:
    ``process_group``, one worker pool for all.)"""
    from pipeline.archive import iter_pages
    from pipeline.process import process_pages

    storage = storage_for(settings)
    started = time.time()
    docs = process_pages(iter_pages(storage, pages), settings.processing, entities=entities)
    return _write_batch(storage, run_id, pages, docs, started)


def _write_batch(storage: Storage, run_id: str, pages: str, docs: Iterable[dict], started: float) -> str:
    """The documents of the batch ``pages`` (the processed pages, in order): those with status ok into its documents
    file, the others into the dead letters, and its result (counts, entity statuses, site-rule misses); the file's
    path."""
    source, num = _batch_parts(pages)
    letters: list[DeadLetter] = []
    entity_status: Counter[str] = Counter()
    entity_error = ""
    missed: Counter[str] = Counter()     # site-rule fields that matched nothing, over the batch's documents
    missed_docs = 0

    def ok_docs():
        nonlocal entity_error, missed_docs
        for doc in docs:
            if doc.get("rule_misses"):
                missed.update(doc["rule_misses"])
                missed_docs += 1
            if doc.get("status") == "ok":
                es = doc.get("entities_status") or ""
                entity_status[es] += 1
                if es == "error" and not entity_error:
                    entity_error = doc.get("error") or ""
                yield doc
            else:
                letters.append(DeadLetter(stage="process", key=doc.get("url") or "", reason=doc.get("status") or "error",
                                          error=doc.get("error") or "", record={k: doc.get(k) for k in (
                                              "id", "url", "source", "status", "error")}))

    out = _batch_path(run_id, "docs", source, num)
    n = storage.write_jsonl(out, ok_docs())
    write_dead_letters(storage, "process", run_id, letters, part=f"{source}.{num}")   # a retry replaces them
    errors = entity_status.get("error", 0)
    if errors:   # indexed all the same (the text is searchable); the operator needs to know
        log.warning("%d of %s in %s got no entities (entities_status error), e.g.: %s", errors,
                    counted(n, "document"), pages, entity_error)
    _write_result(storage, run_id, "process", source, num, {
        "processed": n, "rejected": len(letters), "reasons": dict(Counter(d.reason for d in letters)),
        "entities": dict(entity_status), "entity_errors": errors, "rule_misses": missed_docs,
        "rule_miss_fields": dict(missed), "started": started, "finished": time.time()})
    return out


def process_groups(settings: Settings, pages: list[str]) -> list[list[str]]:
    """The fetched page batches in groups for the DAGs' ``process`` tasks, in order: consecutive batches together up
    to ``ingest.process_group_pages`` pages (a batch with more is a group alone; an empty one joins the group
    before). A ``process`` task starts a worker pool whose workers load the NER models, seconds each, and Airflow
    runs the tasks one at a time (``ingest.process_pool``): an hourly run's many small batches (one a source) would
    each pay that. A group pays it once (``process_group``). Every batch keeps its documents file, its results and
    its dead letters, so loading and the report see batches as before."""
    storage = storage_for(settings)

    def pages_in(rel: str) -> int:
        with storage.open(rel, "r", encoding="utf-8") as f:
            return sum(1 for line in f if line.strip())

    return consecutive_groups(pages, [pages_in(rel) for rel in pages], settings.ingest.process_group_pages)


def consecutive_groups(items: list, sizes: list[int], limit: int) -> list[list]:
    """``items`` in order, in groups of consecutive items whose ``sizes`` add up to ``limit`` at most: an item bigger
    than that is a group alone, and one of size 0 joins the group before it."""
    groups: list[list] = []
    total = 0
    for item, size in zip(items, sizes, strict=True):
        if not groups or (size and total + size > limit):
            groups.append([])
            total = 0
        groups[-1].append(item)
        total += size
    return groups


def process_group(settings: Settings, pages: list[str], run_id: str, *, entities: bool = True,
                  done: Callable[[], object] | None = None) -> list[str]:
    """What ``process_batch`` does for each batch of a group (``process_groups``; ``newsetl run`` and ``newsetl
    reprocess`` make all their batches one group), with the group's pages in one stream through one worker pool:
    the models loaded once, every core busy across the batches' ends (and for a group of batches smaller than the
    pool's read-ahead), the pool shut down at the end. Each batch gets its documents file, dead letters and result
    as ``process_batch`` writes them; ``done()`` is called after each (a progress bar). The documents files, in
    order."""
    from pipeline.archive import iter_pages
    from pipeline.process import process_pages

    storage = storage_for(settings)
    batch_of: deque[int] = deque()    # the batch of each page handed on, oldest first

    def feed():
        for i, rel in enumerate(pages):
            for page in iter_pages(storage, rel):
                batch_of.append(i)
                yield page

    docs = process_pages(feed(), settings.processing, entities=entities)      # one document a page, in order
    by_batch = itertools.groupby(((batch_of.popleft(), doc) for doc in docs), key=operator.itemgetter(0))
    outs = []
    try:
        ahead = next(by_batch, None)
        for i, rel in enumerate(pages):
            started = time.time()
            if ahead is not None and ahead[0] == i:       # written before the next batch is asked for
                outs.append(_write_batch(storage, run_id, rel, (doc for _, doc in ahead[1]), started))
                ahead = next(by_batch, None)
            else:                                         # no page (an empty batch, or every record purged)
                outs.append(_write_batch(storage, run_id, rel, (), started))
            done and done()
    finally:
        docs.close()
    return outs


def load_group(settings: Settings, docs: list[str], run_id: str, *, index: str | None = None,
               force: bool = False) -> dict:
    """``load_batch`` of each documents file of a group; the counts added up (XCom: counts only), and how many
    batches."""
    total: Counter[str] = Counter()
    indexes = set()
    for rel in docs:
        res = load_batch(settings, rel, run_id, index=index, force=force)
        indexes.add(res["index"])
        total.update({k: v for k, v in res.items() if isinstance(v, int)})
    return {"batches": len(docs), **total, "indexes": sorted(i for i in indexes if i)}


def load_batch(settings: Settings, docs: str, run_id: str, *, index: str | None = None, force: bool = False) -> dict:
    """Bulk-load one batch of documents (idempotent: unchanged content is not rewritten, unless ``force``: a replay
    in place writes every document again)."""
    from pipeline.load import bulk_load, read_jsonl_documents

    storage = storage_for(settings)
    started = time.time()
    source, num = _batch_parts(docs)
    res = bulk_load(es_client(settings), read_jsonl_documents(docs, storage), settings, storage=storage, run_id=run_id,
                    index=index, force=force, letters_part=f"{source}.{num}")
    counts = {"created": res.created, "updated": res.updated, "unchanged": res.unchanged, "failed": res.failed,
              "marked": res.marked, "removed": res.removed, "bytes": res.bytes, "index": res.index}
    _write_result(storage, run_id, "load", source, num, {**counts, "started": started, "finished": time.time()})
    return {"docs": docs, **counts}


# ---------------------------------------------------------------- reprocessing

def plan_reprocess(settings: Settings, run_id: str, *, since: str | None = None, until: str | None = None,
                   sites: list[str] | None = None) -> list[str]:
    """Page batches for a replay of the archive (fetch dates in [since, until]; ``sites``: only pages of these hosts
    or domains, a domain covering its subdomains): the newest copy of each article."""
    from pipeline.archive import iter_warc, list_warc_files
    from pipeline.settings.processing import site_covers, site_keys
    from pipeline.urls import doc_id, domain

    wanted = site_keys(sites or [])
    storage = storage_for(settings)
    started = time.time()
    latest: dict[str, dict] = {}
    for rel in list_warc_files(storage, since, until):
        for page in iter_warc(storage, rel):
            if wanted and not any(site_covers(key, domain(page.url)) for key in wanted):
                continue
            did = doc_id(page.url)
            prev = latest.get(did)
            if prev is None or (page.fetched_at or "") >= (prev["fetched_at"] or ""):
                latest[did] = {"url": page.url, "warc_ref": page.warc_ref, "doc_id": did, "source": page.source,
                               "fetched_at": page.fetched_at}
    by_source: dict[str, list[dict]] = {}
    for row in sorted(latest.values(), key=lambda r: r["warc_ref"]):
        by_source.setdefault(row["source"] or "archive", []).append(row)
    size = settings.ingest.batch_size
    paths = []
    for source, rows in sorted(by_source.items()):
        for i in range(0, len(rows), size):
            rel = _batch_path(run_id, "pages", source, i // size)
            storage.write_jsonl(rel, rows[i:i + size])
            paths.append(rel)
        _write_result(storage, run_id, "discover", source, "0000", {
            "discovered": len(rows), "candidates": len(rows), "started": started, "finished": time.time()})
        _write_result(storage, run_id, "fetch", source, "0000", {"fetched": len(rows)})
    return paths


def reprocess_index(settings: Settings, *, in_place: bool = False) -> str | None:
    """Where a replay loads: a new index version (``create_next_index``), or None in place: the write alias, so the
    documents are updated where they are (no new version, no swap)."""
    return None if in_place else create_next_index(settings)


def finish_reprocess(settings: Settings, index: str | None, *, swap: bool = True) -> dict:
    """The end of a replay: into a new version, first the documents the replay did not write are copied over from
    the current one (``admin.carry_over``: a replay of some days or sites loses none of the others), then the aliases
    are swapped to it (unless ``swap`` is off); nothing in place."""
    from pipeline import admin

    if index is None:
        return {"index": settings.index.write_alias_name, "swapped": False, "in_place": True}
    carried = admin.carry_over(es_client(settings), settings, index)
    if carried["copied"]:
        log.info("%d documents of %s the replay did not write copied into %s (%s); %d near duplicates marked again",
                 carried["copied"], carried["from"], index, carried["method"], carried["marked"])
    if not swap:
        return {"index": index, "swapped": False, "carried": carried["copied"]}
    return {**swap_to(settings, index), "carried": carried["copied"]}


def reprocess_pipeline(settings: Settings, *, since: str | None = None, until: str | None = None,
                       sites: list[str] | None = None, in_place: bool = False, swap: bool = True,
                       run_id: str | None = None, progress: bool = False) -> dict:
    """What news_reprocess does, in this process, with the same stage functions (``newsetl reprocess``)."""
    from contextlib import nullcontext

    run_id = run_id or new_run_id("reprocess")
    ensure_index(settings)
    index = reprocess_index(settings, in_place=in_place)
    batches = plan_reprocess(settings, run_id, since=since, until=until, sites=sites)
    with _progress() if progress else nullcontext(None) as p:
        docs = _process_all(p, settings, run_id, batches)
        _through(p, settings, run_id, docs, [
            ("load", lambda s, b, r: load_batch(s, b, r, index=index, force=in_place))])
    finished = finish_reprocess(settings, index, swap=swap)
    summary = report(settings, run_id, fail_over_threshold=False, replay=True)
    return {**summary, "reprocess": finished}


def create_next_index(settings: Settings) -> str:
    """Create the next index version from the current template and point the write alias at it (so loads during
    the replay land there too). The read alias stays where it is until ``swap_to``."""
    from pipeline import admin

    return admin.create_next_version(es_client(settings), settings)["index"]


def swap_to(settings: Settings, index: str) -> dict:
    """Point the read (and write) alias at ``index`` in one atomic request."""
    from pipeline import admin

    return admin.swap_aliases(es_client(settings), settings, index)


# ---------------------------------------------------------------- the whole pipeline in one process

def new_run_id(prefix: str = "cli") -> str:
    return f"{prefix}-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}"


def run_pipeline(settings: Settings, *, sources: list[str] | None = None, since: str | None = None,
                 max_articles: int | None = None, refetch: bool = False, dry_run: bool = False,
                 retry_dead_letters: bool = False, run_id: str | None = None, progress: bool = False,
                 fail_over_threshold: bool = True) -> dict:
    """What news_ingest does, in this process, with the same stage functions (for users without Airflow)."""
    from contextlib import nullcontext

    run_id = run_id or new_run_id()
    bar = _progress() if progress else nullcontext(None)
    with bar as p:
        if not dry_run:
            ensure_index(settings)
        names = plan_sources(settings, sources, retry_dead_letters=retry_dead_letters)
        task = p.add_task("discover", total=len(names)) if p else None
        found: list[list[str]] = []
        for name in names:
            found.append(discover(settings, name, run_id, since=since, max_articles=max_articles, refetch=refetch,
                                  dry_run=dry_run))
            p and p.advance(task)
        if not dry_run:
            batches = run_batches(settings, run_id, found)
            fetched = _through(p, settings, run_id, batches, [("fetch", fetch_batch)])
            _through(p, settings, run_id, _process_all(p, settings, run_id, fetched), [("load", load_batch)])
    prune_storage(settings, exclude=[run_id], dry_run=dry_run)   # a dry run only says what it would remove
    return report(settings, run_id, fail_over_threshold=fail_over_threshold, expect_loaded=not dry_run)


def _process_all(p, settings: Settings, run_id: str, batches: list[str]) -> list[str]:
    """Every batch of a run in this process as one group (``process_group``): one worker pool, whose workers load
    each NER model once for the run, with a progress bar of the batches when ``p`` is one. The documents files."""
    task = p.add_task("process", total=len(batches)) if p else None
    return process_group(settings, batches, run_id, done=(lambda: p.advance(task)) if p else None)


def _through(p, settings: Settings, run_id: str, batches: list[str], steps: list) -> list[str]:
    """Each batch through each (name, stage function) in turn, the output of one the input of the next, with a
    progress bar per stage when ``p`` is one. Returns the last stage's outputs."""
    for stage, fn in steps:
        task = p.add_task(stage, total=len(batches)) if p else None
        nxt = []
        for b in batches:
            nxt.append(fn(settings, b, run_id))
            p and p.advance(task)
        batches = nxt
    return batches


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=False)
