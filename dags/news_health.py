"""news_health — the daily look at the sources and the index, where Airflow's failure alerts can reach someone.

- record_history: the run reports and dead letters of the last days written into the runs and dead-letter indices
  (idempotent: it catches up what a report could not write while the cluster was away, and closes the letters of
  URLs archived since).
- retry_refused_documents: the documents the cluster refused for its own reasons (a write block when its disk
  filled up, rejections under load) in those days are loaded again.
- relabel_people: the documents that still carry a people label a better spelling has replaced get the current
  one (a load does this itself; this mends what a load could not, e.g. when the cluster refused it).
- enforce_removals: what `newsetl remove` took out and a version of the index still holds (a load that checked
  its batch just before the removal) is deleted again; with storage.purge_removed_from_archive, its raw pages are
  purged from the WARC archive too.
- check_index: fails when an alias points at no index, the write index refuses writes (the block Elasticsearch sets
  when its disk fills up), the cluster is red, `newsetl index status` names a problem, or (with snapshots.repository
  set) the newest successful snapshot is older than snapshots.stale_after_hours.
- check_sources: fails, naming them, when a configured source is stale (no new article for
  ingest.stale_after_hours), failing (dead letters above ingest.dead_letter_threshold) or did not run in the window
  (ingest.health_days).

Schedule: ingest.health_schedule (@daily). All logic lives in pipeline.stages (the same as `newsetl index runs`,
`newsetl index relabel` and `newsetl sources --check`); this file is wiring.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from pipeline.dagkit import dag_settings, default_args
from pipeline.settings.ingest import parse_schedule

SETTINGS = dag_settings()


@dag(
    dag_id="news_health",
    description="Catch up the run history in Elasticsearch; fail when a source is stale, failing or idle",
    schedule=parse_schedule(SETTINGS.ingest.health_schedule),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(SETTINGS),
    tags=["newsetl", "health"],
    params={
        "days": Param(SETTINGS.ingest.health_days, type="number", exclusiveMinimum=0,
                      description="the window over the run reports, in days"),
        "history_days": Param(2, type="number", exclusiveMinimum=0,
                              description="the reports and dead letters of these last days are written again"),
    },
    doc_md=__doc__,
)
def news_health():
    from pipeline import stages
    from pipeline.dagkit import task_context

    @task
    def record_history() -> dict:
        if not SETTINGS.index.record_runs:
            return {"skipped": "index.record_runs is false"}
        _, params = task_context()
        return stages.record_history(SETTINGS, days=float(params["history_days"]))

    @task
    def retry_refused_documents() -> dict:
        _, params = task_context()
        return stages.retry_refused_documents(SETTINGS, days=float(params["history_days"]))

    @task
    def relabel_people() -> dict:
        if not SETTINGS.index.people_labels:
            return {"skipped": "index.people_labels is false"}
        return stages.relabel_people(SETTINGS)

    @task
    def enforce_removals() -> dict:
        return stages.enforce_removals(SETTINGS)

    @task(retries=0)        # a check: a retry would only delay the alert
    def check_index() -> dict:
        return stages.check_index(SETTINGS)

    @task(retries=0)        # a stale source is still stale a minute later: fail at once, and let the alert go out
    def check_sources() -> dict:
        _, params = task_context()
        return stages.check_sources(SETTINGS, hours=float(params["days"]) * 24)

    record_history()
    retry_refused_documents()
    relabel_people()
    enforce_removals()
    check_index()
    check_sources()


news_health_dag = news_health()
