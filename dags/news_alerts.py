"""news_alerts — the watches: saved searches that send alerts when new articles match them.

Runs whenever a load updates the index (the newsetl_index:<index name> asset news_ingest and news_reprocess
update), and also on alerts.schedule (@hourly), which delivers what a receiver refused before when no load comes.

watches (the enabled watches of config/watches.yaml and those stored in the watches index: `newsetl watch add`,
PUT /watches/{name}) → run_watch (mapped, one task per watch): wait until the last
load's articles are in the changes feed, find those that match the watch since its last run, record one alert per
article in the alerts index (an article alerts a watch once, however often it is loaded) and send what is not yet
delivered to the watch's channels (webhooks, folders). A channel that refuses fails the task (Airflow retries it;
the alerts wait in the index meanwhile), and only that watch's task. All logic lives in pipeline.stages (the same
as `newsetl watch run`); this file is wiring.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from pipeline.dagkit import alerts_schedule, alerts_settings, default_args

SETTINGS = alerts_settings()


@dag(
    dag_id="news_alerts",
    description="Send the alerts of the watches (saved searches) for newly loaded articles",
    schedule=alerts_schedule(SETTINGS),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,          # two runs of one watch at once would both read from its cursor
    default_args=default_args(SETTINGS),
    tags=["newsetl", "alerts"],
    doc_md=__doc__,
)
def news_alerts():
    from pipeline import stages

    @task
    def watches() -> list[str]:
        return stages.watch_names(SETTINGS)

    @task(map_index_template="{{ name }}")
    def run_watch(name: str) -> dict:
        res = stages.run_watches(SETTINGS, [name], settle=True)["watches"][0]
        return {k: res[k] for k in ("watch", "matched", "new", "delivered", "pending")}

    run_watch.expand(name=watches())


news_alerts_dag = news_alerts()
