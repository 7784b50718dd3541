"""The run history in Elasticsearch: one document per source and run, for Kibana's "Source health" dashboard.

Every ingest or replay run's report (``stages.report``) is also written to the runs index (``index.runs_index``,
default ``<index.name>-runs``; ``index.record_runs: false`` turns it off): for each source of the run, what it
discovered, fetched, indexed, left unchanged, skipped and dead-lettered, the documents that missed a field of their
site rule, its dead-letter share, and whether it was
stale (no new article for ``ingest.stale_after_hours``) with the hours it had been quiet. A run that failed its
threshold is recorded too: those are the runs an operator looks for. Dry runs touch no cluster and are not recorded.

A row's id is ``<run_id>/<source>``: a report written again (a retried task) replaces its rows, never adds to them.
When the cluster cannot be reached at report time the run goes on (its report is kept under ``reports/``) and a
warning says so; ``newsetl index runs`` writes the kept reports of the last days into the index again, and
``newsetl index status`` shows the index's rows and last run (``runs_status``).

The index is a plain index with a fixed mapping (``RUNS_MAPPING``): unlike the news index it has no versions or
aliases, since rows are never re-processed; an added field is put into the mapping of the index in place.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from pipeline.admin import api_reason
from pipeline.stages import REPORT_COLUMNS

log = logging.getLogger(__name__)

COUNTS = REPORT_COLUMNS   # the report's per-source counts, each a field


class RunsIndexError(Exception):
    """The runs index refused its mapping or rows (an index of that name that is not ours). ``str()`` is one line."""


RUNS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "run_id": {"type": "keyword"},
        "kind": {"type": "keyword"},            # ingest | reprocess
        "source": {"type": "keyword"},
        "finished_at": {"type": "date"},        # when the report was written (the data view's time field)
        "complete": {"type": "boolean"},        # every batch of the run finished loading
        **{c: {"type": "long"} for c in COUNTS},
        "dead_share": {"type": "float"},        # dead_lettered / discovered
        "seconds": {"type": "float"},           # first batch start to last batch end, for this source
        "docs_per_second": {"type": "float"},
        "stale": {"type": "boolean"},           # no new article for ingest.stale_after_hours, this run included
        "quiet_hours": {"type": "float"},       # hours since the source last indexed a new article
        "dead_letter_reasons": {"type": "keyword"},   # the source's dead letters' "<stage>/<reason>" in this run
    },
}


def run_rows(summary: dict) -> list[tuple[str, dict]]:
    """(id, document) for each source of a run's report; none for a dry run or a report without a time."""
    if summary.get("kind") not in ("ingest", "reprocess") or not summary.get("finished_at"):
        return []
    stale = summary.get("stale_sources") or {}
    quiet = summary.get("quiet_hours") or {}
    reasons = summary.get("source_dead_letter_reasons") or {}
    rows = []
    for source, counts in sorted((summary.get("sources") or {}).items()):
        doc = {"run_id": summary["run_id"], "kind": summary["kind"], "source": source,
               "finished_at": summary["finished_at"], "complete": bool(summary.get("complete", True)),
               **{c: int(counts.get(c) or 0) for c in COUNTS},
               "dead_share": float(counts.get("dead_share") or 0.0), "seconds": float(counts.get("seconds") or 0.0),
               "docs_per_second": float(counts.get("docs_per_second") or 0.0), "stale": source in stale,
               "dead_letter_reasons": sorted(reasons.get(source) or ())}
        hours = quiet.get(source, stale.get(source))
        if hours is not None:
            doc["quiet_hours"] = float(hours)
        rows.append((f"{summary['run_id']}/{source}", doc))
    return rows


def ensure_runs_index(client: Elasticsearch, index: str) -> bool:
    """Create the runs index if it is missing (True when created); put fields added since into its mapping."""
    if client.indices.exists(index=index):
        try:
            client.indices.put_mapping(index=index, properties=RUNS_MAPPING["properties"])
        except ApiError as e:
            if e.meta.status != 400:
                raise
            raise RunsIndexError(f"{index} has a mapping that is not the runs index's ({api_reason(e)}): delete it, or "
                                 "set index.runs_index to another name") from None
        return False
    try:
        client.indices.create(index=index, mappings=RUNS_MAPPING,
                              settings={"number_of_shards": 1, "auto_expand_replicas": "0-1"})
    except ApiError as e:
        if e.meta.status == 400 and "resource_already_exists" in str(e):   # created meanwhile by another task
            return False
        raise
    return True


def record_runs(client: Elasticsearch, index: str, summaries: Iterable[dict], *, refresh: bool = True) -> int:
    """Write the rows of these reports (idempotent: one row per run and source); returns how many rows."""
    ensure_runs_index(client, index)
    actions = [{"_index": index, "_id": rid, "_source": doc} for s in summaries for rid, doc in run_rows(s)]
    if not actions:
        return 0
    ok, errors = helpers.bulk(client, actions, raise_on_error=False, refresh="wait_for" if refresh else False)
    if errors:
        first = next(iter(errors[0].values()))
        raise RunsIndexError(f"{len(errors)} of {len(actions)} run rows were refused by {index}: "
                             f"{(first.get('error') or {}).get('reason', first)}")
    return ok


def try_record_run(client_factory, index: str, summary: dict) -> bool:
    """Record one run's report, logging a warning instead of failing when the cluster refuses or cannot be reached
    (the report itself is kept under ``reports/``, and ``newsetl index runs`` writes it later)."""
    if not run_rows(summary):
        return False
    try:
        client = client_factory()
    except Exception as e:   # an Airflow connection that cannot be built, a bad URL
        log.warning("run %s not written to %s (%s): write it later with `newsetl index runs`",
                    summary.get("run_id"), index, e)
        return False
    try:
        record_runs(client, index, [summary])
        return True
    except (ApiError, TransportError, RunsIndexError) as e:
        log.warning("run %s not written to %s (%s): write it later with `newsetl index runs`",
                    summary.get("run_id"), index, str(e).splitlines()[0] if str(e) else type(e).__name__)
        return False
    finally:
        client.close()


def runs_status(client: Elasticsearch, index: str) -> dict:
    """``newsetl index status``: whether the runs index exists, its rows and its last run's end."""
    if not client.indices.exists(index=index):
        return {"name": index, "exists": False, "rows": 0, "last_run": None}
    resp = client.search(index=index, size=0, track_total_hits=True,
                         aggs={"last": {"max": {"field": "finished_at"}}})
    return {"name": index, "exists": True, "rows": resp["hits"]["total"]["value"],
            "last_run": resp["aggregations"]["last"].get("value_as_string")}
