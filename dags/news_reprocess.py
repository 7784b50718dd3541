"""news_reprocess — replay the raw archive through processing into a new index version, then swap the aliases.

For when extraction, NER or mappings improve. Manual only. Searches keep working throughout: the read alias
points at the old index until the new one is complete, then both aliases move in one atomic request.
No network is used: pages come from the WARC archive under the storage root. With `sites` only those sites' pages
are replayed, and with `in_place` they update the current index (after a site rule changed, say): no new version.
The same as `newsetl reprocess`.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from pipeline.dagkit import dag_settings, default_args, index_asset, task_context

SETTINGS = dag_settings()
INDEX_ASSET = index_asset(SETTINGS)


@dag(
    dag_id="news_reprocess",
    description="Replay the raw archive into a new index version and swap the aliases",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(SETTINGS),
    tags=["newsetl", "reprocess"],
    params={
        "since": Param(None, type=["null", "string"], description="first archive day to replay (YYYY-MM-DD); empty: all"),
        "until": Param(None, type=["null", "string"], description="last archive day to replay (YYYY-MM-DD); empty: all"),
        "swap": Param(True, type="boolean", description="move the read and write aliases to the new index when done"),
        "sites": Param([], type="array", description="only the pages of these hosts or domains (a domain covers "
                       "its subdomains); empty: every page"),
        "in_place": Param(False, type="boolean", description="update the documents in the current index (every "
                          "replayed one written again) instead of building a new version; no swap"),
    },
    doc_md=__doc__,
)
def news_reprocess():
    from pipeline import stages

    @task
    def create_index() -> str | None:
        _, params = task_context()
        return stages.reprocess_index(SETTINGS, in_place=bool(params.get("in_place")))

    @task
    def plan() -> list[list[str]]:
        run_id, params = task_context()
        batches = stages.plan_reprocess(SETTINGS, run_id, since=params.get("since"), until=params.get("until"),
                                        sites=params.get("sites"))
        return stages.process_groups(SETTINGS, batches)     # a process task a group of batches

    # a replay's processing and loading take a freed pool slot after news_ingest's (whose weights add up what
    # follows them: 3 and more), so a long replay does not hold fresh news back
    @task(pool=SETTINGS.ingest.process_pool, priority_weight=1, weight_rule="absolute")
    def process(pages: list[str]) -> list[str]:
        run_id, _ = task_context()
        return stages.process_group(SETTINGS, pages, run_id)

    @task(pool=SETTINGS.ingest.load_pool, priority_weight=1, weight_rule="absolute")
    def load(docs: list[str], index: str | None) -> dict:
        run_id, params = task_context()
        return stages.load_group(SETTINGS, docs, run_id, index=index, force=bool(params.get("in_place")))

    @task(outlets=[INDEX_ASSET])
    def swap(index: str | None) -> dict:
        _, params = task_context()
        return stages.finish_reprocess(SETTINGS, index, swap=params.get("swap", True))

    @task(trigger_rule="all_done")
    def report() -> dict:
        run_id, _ = task_context()
        return stages.report(SETTINGS, run_id, fail_over_threshold=True, replay=True)

    new_index = create_index()
    loaded = load.partial(index=new_index).expand(docs=process.expand(pages=plan()))
    done = swap(new_index)
    loaded >> done >> report()


news_reprocess_dag = news_reprocess()
