"""news_snapshot — a snapshot of the news index and what lives only in the cluster, kept for a restore.

snapshot: the indices behind the read and write aliases and the side indices (people labels, removed articles and
domains, alerts, run history and dead letters) into the repository snapshots.repository, waiting for the end; then
the snapshots of this index beyond the newest snapshots.keep successful ones are deleted. A snapshot that fails or
outlasts snapshots.timeout_minutes fails the task (Airflow retries it), and news_health's check_index fails once the
newest success is older than snapshots.stale_after_hours.

Schedule: snapshots.schedule (@daily) when snapshots.repository is set; without a repository the DAG only runs by
hand and its task says what to configure. Restores are done by hand: `newsetl index restore` (docs/index.md,
"Snapshots"). All logic lives in pipeline.snapshots (the same as `newsetl index snapshot`); this file is wiring.
"""
from __future__ import annotations

import datetime as dt

import pendulum
from airflow.sdk import dag, task

from pipeline.dagkit import dag_settings, default_args
from pipeline.settings.ingest import parse_schedule

SETTINGS = dag_settings()
CFG = SETTINGS.snapshots


@dag(
    dag_id="news_snapshot",
    description="Snapshot the news index and its side indices; keep the newest snapshots.keep",
    schedule=parse_schedule(CFG.schedule) if CFG.enabled else None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(SETTINGS),
    tags=["newsetl", "snapshots"],
    doc_md=__doc__,
)
def news_snapshot():
    from pipeline import stages

    @task(execution_timeout=dt.timedelta(minutes=CFG.timeout_minutes + 5))
    def snapshot() -> dict:
        if not CFG.enabled:
            return {"skipped": "snapshots.repository is not set in config/newsetl.yaml"}
        res = stages.snapshot(SETTINGS)
        return {k: res[k] for k in ("snapshot", "state", "seconds", "indices", "deleted")}

    snapshot()


news_snapshot_dag = news_snapshot()
