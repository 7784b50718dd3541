"""news_ingest — discover, fetch, process and index news articles on a schedule.

ensure_index → plan → discover (mapped per source) → batches → fetch (mapped per batch) → groups → process
(mapped per group of batches) → load (mapped) → report, and beside the report prune (the batch files of complete
runs older than storage.keep_run_batches_days). Batches are files under the storage root; XCom carries only paths and counts.
All logic lives in pipeline.stages (shared with `newsetl run`); this file is wiring.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from pipeline.dagkit import dag_settings, default_args, index_asset, task_context
from pipeline.settings import fetch_tasks_per_run
from pipeline.settings.ingest import parse_schedule

SETTINGS = dag_settings()
INDEX_ASSET = index_asset(SETTINGS)


@dag(
    dag_id="news_ingest",
    description="Discover, fetch, process and index news articles",
    schedule=parse_schedule(SETTINGS.ingest.schedule),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=SETTINGS.ingest.max_active_runs,
    default_args=default_args(SETTINGS),
    tags=["newsetl", "ingest"],
    params={
        "sources": Param([], type="array", description="source names to run (empty: every enabled source)"),
        "since": Param(None, type=["null", "string"], description="ignore items published before this date (ISO 8601)"),
        "max_articles": Param(None, type=["null", "integer"], minimum=1, description="cap per source for this run"),
        "refetch": Param(False, type="boolean", description="fetch again URLs already in the archive"),
        "dry_run": Param(False, type="boolean", description="discover only: fetch nothing, write nothing to the index"),
        "retry_dead_letters": Param(SETTINGS.ingest.retry_dead_letters, type="boolean", description="also fetch "
                                    "again the open fetch failures of earlier runs (timeouts, 5xx…; not robots or "
                                    "not_html), as the source @deadletters (default: ingest.retry_dead_letters)"),
    },
    doc_md=__doc__,
)
def news_ingest():
    from pipeline import stages

    @task
    def ensure_index() -> dict:
        _, params = task_context()
        if params.get("dry_run"):
            return {"skipped": "dry_run"}
        return stages.ensure_index(SETTINGS)

    @task
    def plan() -> list[str]:
        _, params = task_context()
        return stages.plan_sources(SETTINGS, params.get("sources") or None,
                                   retry_dead_letters=bool(params.get("retry_dead_letters")))

    @task(pool=SETTINGS.ingest.fetch_pool)
    def discover(source: str) -> list[str]:
        run_id, params = task_context()
        return stages.discover(SETTINGS, source, run_id, since=params.get("since"),
                               max_articles=params.get("max_articles"), refetch=bool(params.get("refetch")),
                               dry_run=bool(params.get("dry_run")))

    @task
    def batches(per_source: list[list[str]]) -> list[str]:
        run_id, params = task_context()
        if params.get("dry_run"):
            return []
        return stages.run_batches(SETTINGS, run_id, list(per_source))

    @task(pool=SETTINGS.ingest.fetch_pool, max_active_tis_per_dagrun=fetch_tasks_per_run(SETTINGS))
    def fetch(batch: str) -> str:
        run_id, _ = task_context()
        return stages.fetch_batch(SETTINGS, batch, run_id)

    @task
    def groups(fetched: list[str]) -> list[list[str]]:
        return stages.process_groups(SETTINGS, list(fetched))

    @task(pool=SETTINGS.ingest.process_pool)
    def process(pages: list[str]) -> list[str]:
        run_id, _ = task_context()
        return stages.process_group(SETTINGS, pages, run_id)

    @task(pool=SETTINGS.ingest.load_pool, outlets=[INDEX_ASSET])
    def load(docs: list[str]) -> dict:
        run_id, _ = task_context()
        return stages.load_group(SETTINGS, docs, run_id)

    @task(trigger_rule="all_done")
    def report() -> dict:
        run_id, params = task_context()
        return stages.report(SETTINGS, run_id, fail_over_threshold=True, expect_loaded=not params.get("dry_run"))

    @task(trigger_rule="all_done")
    def prune() -> dict:
        run_id, params = task_context()
        return stages.prune_storage(SETTINGS, exclude=[run_id], dry_run=bool(params.get("dry_run")))

    ready = ensure_index()
    sources = plan()
    ready >> sources
    found = discover.expand(source=sources)
    fetched = fetch.expand(batch=batches(found))
    loaded = load.expand(docs=process.expand(pages=groups(fetched)))
    loaded >> [report(), prune()]     # both leaves: a failed report fails the run


news_ingest_dag = news_ingest()
