"""news_alerts — the watches: saved searches that send alerts when new articles match them.

Runs whenever a load updates the index (the newsetl_index:<index name> asset news_ingest and news_reprocess
update), and also on alerts.schedule (@hourly), which delivers what a receiver refused before when no load comes.

watches (the enabled watches of config/watches.yaml and those stored in the watches index: `newsetl watch add`,
PUT /watches/{name}): wait until the last load's articles are in the changes feed, read the feed once for all the
watches, find which watches each new article matches (each watch from its own cursor), record one alert per watch and
article in the alerts index (an article alerts a watch once, however often it is loaded) and move the cursors; its
XCom is the watches' names. → run_watch (mapped, one task per watch): send what the watch's channels have not had
yet (webhooks, mail, folders). A channel that refuses fails its watch's task (Airflow retries it; the alerts wait in
the alerts index meanwhile), and only that one; so does a watch whose search the cluster refused. All logic lives in
pipeline.stages.run_watches (the same as `newsetl watch run`, which does both steps); this file is wiring.
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
    max_active_runs=1,          # two runs at once would both read from the same cursors
    default_args=default_args(SETTINGS),
    tags=["newsetl", "alerts"],
    doc_md=__doc__,
)
def news_alerts():
    from pipeline import stages

    @task
    def watches() -> list[str]:
        """Match and record every enabled watch with one read of the changes feed; the names, to deliver."""
        return [r["watch"] for r in stages.run_watches(SETTINGS, settle=True, deliver=False)["watches"]]

    @task(map_index_template="{{ name }}")
    def run_watch(name: str) -> dict:
        """Deliver one watch's alerts (a refusing channel fails this task only)."""
        res = stages.run_watches(SETTINGS, [name], match=False)["watches"][0]
        return {k: res[k] for k in ("watch", "delivered", "pending", "held")}

    run_watch.expand(name=watches())


news_alerts_dag = news_alerts()
