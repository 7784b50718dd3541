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

The same report also writes the run's dead letters, one document each, to the dead-letter index
(``index.dead_letters_index``, default ``<index.name>-deadletters``; ``DEAD_LETTERS_MAPPING``): when, which run and
source, stage and reason, the URL and its host, the error. So Kibana can count letters by reason, host or source and
list the failing URLs, which the per-source rows above cannot. A fetch failure of a candidate URL is ``open`` until
the URL is archived (the fetch ledger has it, as ``newsetl deadletters`` judges); the report of the run that
archives it closes its letters (``closed_at``, ``closed_by``). The files under ``deadletter/`` stay the record; the
index is a view of them that ``newsetl index runs`` can always write again. A run's report also deletes the run's
rows its files no longer hold: a task retried after an earlier report replaced its letters (``pipeline.deadletter``).

A letter is never closed before it was written: ``closed_at >= at``. When the ledger's copy of the URL was
archived after the letter (a retry, a later run), ``closed_at`` is that fetch's time and ``closed_by`` its run. When it
was archived before (a re-fetch of an archived page that failed; a run that archived the URL while another's report
still saw it open), the letter was never open: ``closed_at`` is its own ``at`` and ``closed_by`` its own run. Every
path (``letter_rows``, ``close_letters``) takes the state from ``closed_state``, so a letter written again keeps it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from pipeline.admin import api_reason
from pipeline.deadletter import candidate_url, run_ids
from pipeline.stages import REPORT_COLUMNS
from pipeline.wording import counted

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


def recordable(summary: dict) -> bool:
    """Whether a report goes into the run history: an ingest or replay run's, with its time (a dry run touches no
    cluster)."""
    return summary.get("kind") in ("ingest", "reprocess") and bool(summary.get("finished_at"))


def run_rows(summary: dict) -> list[tuple[str, dict]]:
    """(id, document) for each source of a run's report; none for a dry run or a report without a time."""
    if not recordable(summary):
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
    return ensure_side_index(client, index, RUNS_MAPPING, "the runs index's", "index.runs_index")


def ensure_side_index(client: Elasticsearch, index: str, mapping: dict, what: str, setting: str) -> bool:
    """Create an index beside the news index (runs, dead letters, people labels) with ``mapping``, or add its new
    fields in place; True when created. RunsIndexError when an index of that name has another mapping."""
    if client.indices.exists(index=index):
        try:
            client.indices.put_mapping(index=index, properties=mapping["properties"])
        except ApiError as e:
            if e.meta.status != 400:
                raise
            raise RunsIndexError(f"{index} has a mapping that is not {what} ({api_reason(e)}): delete it, or "
                                 f"set {setting} to another name") from None
        return False
    try:
        client.indices.create(index=index, mappings=mapping,
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
    return _bulk(client, index, actions, "run row", refresh)


def _bulk(client: Elasticsearch, index: str, actions: Iterable[dict], what: str, refresh: bool) -> int:
    """Run ``actions``; returns how many succeeded. ``what``: what each acts on, in the singular ("run row"), for
    the error."""
    # one refresh at the end: refresh=wait_for on the bulk requests would wait for a refresh after each chunk of 500;
    # none when there was nothing to write
    ok, errors = helpers.bulk(client, actions, raise_on_error=False)
    if refresh and (ok or errors):
        client.indices.refresh(index=index)
    if errors:
        first = next(iter(errors[0].values()))
        verb = "was" if len(errors) == 1 else "were"
        raise RunsIndexError(f"{len(errors)} of {counted(ok + len(errors), what)} {verb} refused by {index}: "
                             f"{(first.get('error') or {}).get('reason', first)}")
    return ok


def try_record_run(client_factory, index: str, summary: dict, *, letters_index: str | None = None,
                   storage=None, letters: Iterable[dict] = ()) -> bool:
    """Record one run's report, and with ``letters_index`` its dead ``letters`` (the ones the report counted),
    closing the earlier letters of the URLs it archived (the fetch ledger under ``storage`` says which), logging a
    warning instead of failing when the cluster refuses or cannot be reached (the report itself is kept under
    ``reports/``, and ``newsetl index runs`` writes it later). A dry run writes nothing."""
    if not recordable(summary):
        return False
    try:
        client = client_factory()
    except Exception as e:   # an Airflow connection that cannot be built, a bad URL
        log.warning("run %s not written to %s (%s): write it later with `newsetl index runs`",
                    summary.get("run_id"), index, e)
        return False
    try:
        record_runs(client, index, [summary])
        if letters_index and storage is not None:
            from pipeline.fetcher import Ledger

            ledger = Ledger.load(storage)
            index = letters_index
            record_dead_letters(client, letters_index, letters, ledger, runs=[summary["run_id"]])
            close_letters(client, letters_index, ledger, run_id=summary["run_id"])
        return True
    except (ApiError, TransportError, RunsIndexError) as e:
        log.warning("run %s not written to %s (%s): write it later with `newsetl index runs`",
                    summary.get("run_id"), index, why_not_written(client, e))
        return False
    finally:
        client.close()


def why_not_written(client: Elasticsearch, e: Exception) -> str:
    """One line for a warning: an unreachable cluster as ``pipeline.es`` says it (the URL and what to do), else the
    error's first line."""
    from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from

    if isinstance(e, UNAVAILABLE_ERRORS):
        return str(unavailable_from(client, e))
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def runs_status(client: Elasticsearch, index: str) -> dict:
    """``newsetl index status``: whether the runs index exists, its rows and its last run's end."""
    if not client.indices.exists(index=index):
        return {"name": index, "exists": False, "rows": 0, "last_run": None}
    resp = client.search(index=index, size=0, track_total_hits=True,
                         aggs={"last": {"max": {"field": "finished_at"}}})
    return {"name": index, "exists": True, "rows": resp["hits"]["total"]["value"],
            "last_run": resp["aggregations"]["last"].get("value_as_string")}


# ------------------------------------------------------------------------------------------- the dead letters

ERROR_CHARS = 2000      # an error message is cut to this many characters in the index (the file keeps all of it)

DEAD_LETTERS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "at": {"type": "date"},                 # when the letter was written (the data view's time field)
        "run_id": {"type": "keyword"},
        "source": {"type": "keyword"},          # the source the failed URL, page or document came from
        "stage": {"type": "keyword"},           # fetch | process | load
        "phase": {"type": "keyword"},           # discover: a feed or sitemap failed, not an article URL
        "reason": {"type": "keyword"},          # http_404, timeout, not_article, mapper_parsing_exception...
        "stage_reason": {"type": "keyword"},    # "<stage>/<reason>", as the report and the runs index name it
        "key": {"type": "keyword", "ignore_above": 4096},   # the URL or document id the letter is filed under
        "url": {"type": "keyword", "ignore_above": 4096},
        "host": {"type": "keyword"},
        "doc_id": {"type": "keyword"},          # the id of the URL's document (pipeline.urls.doc_id)
        "error": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
        "open": {"type": "boolean"},            # a fetch failure not yet archived by a later fetch (fetch only)
        "closed_at": {"type": "date"},          # when a later run archived the URL; `at` if archived before it
        "closed_by": {"type": "keyword"},       # that run; the letter's own if archived before it
    },
}


def closed_state(at: str | None, run: str | None, entry: dict) -> dict:
    """``open``, ``closed_at`` and ``closed_by`` of a fetch letter (written ``at`` by ``run``) whose URL the ledger
    ``entry`` archived: closed when and by the run that archived it, or, archived before the letter was written, at
    the letter's own time by its own run (module docstring)."""
    fetched = entry.get("fetched_at")
    if at and fetched and _instant(fetched) < _instant(at):
        closed_at, closed_by = at, run
    else:
        closed_at, closed_by = fetched, entry.get("run")
    return {"open": False, **{k: v for k, v in (("closed_at", closed_at), ("closed_by", closed_by)) if v}}


def _instant(iso: str) -> dt.datetime:
    # ISO times compared as instants, not strings: "Z" or another offset, or none (read as UTC); an unreadable one
    # as the earliest, so that it never moves a closed_at before the letter
    try:
        t = dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def letter_rows(letters: Iterable[dict], ledger=None) -> Iterator[tuple[str, dict]]:
    """(id, document) for each dead letter (as ``deadletter.read_dead_letters`` gives them, with ``run``). The id
    hashes the run, stage, key, reason and time, so a letter written again keeps its row. With the fetch ledger, a
    fetch failure of a candidate URL is ``open`` unless the ledger has archived the URL (``closed_state``)."""
    from pipeline.urls import doc_id

    for d in letters:
        rec = d.get("record") if isinstance(d.get("record"), dict) else {}
        run, stage, reason = str(d.get("run") or ""), str(d.get("stage") or ""), str(d.get("reason") or "")
        key, at = str(d.get("key") or ""), d.get("at") or None
        url = rec.get("url") if isinstance(rec.get("url"), str) else key if key.startswith(("http://", "https://")) \
            else None
        doc = {"at": at, "run_id": run, "source": rec.get("source") or None, "stage": stage,
               "phase": rec.get("phase") or None, "reason": reason, "stage_reason": f"{stage}/{reason}", "key": key,
               "url": url, "host": (urlsplit(url).hostname or None) if url else None,
               "error": str(d.get("error") or "")[:ERROR_CHARS]}
        candidate = candidate_url(d)
        if candidate is not None:
            doc["doc_id"] = doc_id(candidate)
            if ledger is not None:
                entry = ledger.get(doc["doc_id"])
                doc.update({"open": True} if entry is None else closed_state(at, run, entry))
        elif url:
            doc["doc_id"] = rec.get("id") if stage != "fetch" and isinstance(rec.get("id"), str) else None
        rid = hashlib.sha256("\x1f".join((run, stage, key, reason, str(at))).encode("utf-8")).hexdigest()[:32]
        yield rid, {k: v for k, v in doc.items() if v is not None}


def record_dead_letters(client: Elasticsearch, index: str, letters: Iterable[dict], ledger=None, *,
                        refresh: bool = True, runs: Iterable[str] = ()) -> int:
    """Write these dead letters to the dead-letter index (idempotent: one row per letter), streamed; returns how
    many. ``letters`` hold all the letters of each of ``runs``: those runs' rows that are not among them are
    deleted, the letters of a task's attempt that a retry replaced after they were written here
    (``pipeline.deadletter``)."""
    ensure_side_index(client, index, DEAD_LETTERS_MAPPING, "the dead-letter index's", "index.dead_letters_index")
    ids: set[str] = set()

    def actions():
        for rid, doc in letter_rows(letters, ledger):
            ids.add(rid)
            yield {"_index": index, "_id": rid, "_source": doc}

    n = _bulk(client, index, actions(), "dead letter", refresh)
    names = sorted(run_ids(runs))
    stale = [h["_id"] for i in range(0, len(names), CLOSE_CHUNK)
             for h in helpers.scan(client, index=index, size=1000, query={
                 "query": {"terms": {"run_id": names[i:i + CLOSE_CHUNK]}}, "_source": False})
             if h["_id"] not in ids]
    _bulk(client, index, ({"_op_type": "delete", "_index": index, "_id": i} for i in stale), "replaced dead letter",
          refresh)
    return n


CLOSE_CHUNK = 5000


def close_letters(client: Elasticsearch, index: str, ledger, *, run_id: str | None = None,
                  refresh: bool = True) -> int:
    """Close the open fetch failures whose URL the ledger has archived: those archived by ``run_id`` (a report:
    one terms query per few thousand URLs it fetched), or, without it, every open one (a scan of the open rows,
    for ``newsetl index runs``). Returns how many letters were closed."""
    if not client.indices.exists(index=index):
        return 0
    if run_id is not None:
        fetched = [did for did, e in ledger.entries.items() if e.get("run") == run_id]
        hits = [h for i in range(0, len(fetched), CLOSE_CHUNK)
                for h in _open_rows(client, index, {"terms": {"doc_id": fetched[i:i + CLOSE_CHUNK]}})]
    else:
        hits = [h for h in _open_rows(client, index, None) if h["_source"].get("doc_id") in ledger]
    # the state letter_rows gives the same letter: an open row may be younger than the URL's archived copy (its
    # run's report saw the ledger before the archiving run wrote it), and then it was never open
    actions = [{"_op_type": "update", "_index": index, "_id": h["_id"], "doc": closed_state(
        h["_source"].get("at"), h["_source"].get("run_id"), ledger.get(h["_source"]["doc_id"]) or {})} for h in hits]
    return _bulk(client, index, actions, "closed dead letter", refresh)


def _open_rows(client: Elasticsearch, index: str, query: dict | None) -> Iterable[dict]:
    q = {"bool": {"filter": [{"term": {"open": True}}] + ([query] if query else [])}}
    return helpers.scan(client, index=index, query={"query": q, "_source": ["doc_id", "at", "run_id"]}, size=1000)


def letters_status(client: Elasticsearch, index: str) -> dict:
    """``newsetl index status``: whether the dead-letter index exists, its letters, the open fetch failures among
    them and the newest letter."""
    if not client.indices.exists(index=index):
        return {"name": index, "exists": False, "letters": 0, "open": 0, "latest": None}
    resp = client.search(index=index, size=0, track_total_hits=True, aggs={
        "latest": {"max": {"field": "at"}}, "open": {"filter": {"term": {"open": True}}}})
    return {"name": index, "exists": True, "letters": resp["hits"]["total"]["value"],
            "open": resp["aggregations"]["open"]["doc_count"],
            "latest": resp["aggregations"]["latest"].get("value_as_string")}


# --------------------------------------------------------------------------------------------------- retention

def prune_history(client: Elasticsearch, indices: dict[str, str | tuple[str, dict]], days: float | None, *,
                  dry_run: bool = False, now=None) -> dict:
    """Delete the run rows, dead letters and delivered alerts older than ``days`` (``index.keep_history_days``; None:
    keep them): ``indices`` maps each index to its time field (``finished_at``, ``at``), or to its time field and a
    query the rows to delete must match too (``pipeline.es.delete_matching``). Returns the count per index, of what
    was (with ``dry_run``: would be) deleted."""
    import datetime as dt

    from pipeline.es import DeleteFailed, delete_matching

    out: dict[str, Any] = {"keep_days": days, "deleted": {}}
    if days is None:
        return out
    cutoff = ((now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)).isoformat()
    for index, spec in indices.items():
        if not client.indices.exists(index=index):
            continue
        field, also = spec if isinstance(spec, tuple) else (spec, None)
        query = {"bool": {"filter": [{"range": {field: {"lt": cutoff}}}, *([also] if also else [])]}}
        if dry_run:
            out["deleted"][index] = client.count(index=index, query=query)["count"]
            continue
        try:
            out["deleted"][index] = delete_matching(client, index, query)
        except DeleteFailed as e:
            raise RunsIndexError(f"old rows: {e}") from None
    return out
