"""news_maintenance — upkeep of what processing reads besides the pages: the learned gazetteer, kept fresh.

learn_gazetteer: the people and organisations the NER models found in the index (the documents a model processed,
in processing.entities.learn_min_docs documents or more from learn_min_sources sources or more) are learned again
and written where processing.entities.learned_gazetteer says. The file is replaced atomically (a temporary file
renamed over it: the processing workers read the new one at their next page) and the old one is kept beside it as
<name>.previous.yaml. When the new names would drop more than processing.entities.learn_max_loss of the file's
names (an index just recreated, a cluster that answered with little), the task fails at once, without retries,
naming the numbers, and the file is left as it was; trigger the DAG with {"force": true} when the drop is expected.
The task log says how many names were added and dropped, with a few of each; XCom holds the counts and the paths.

With processing.entities.learned_gazetteer null (the feature off), nothing reads the file: the DAG has no schedule
and a run by hand is skipped, saying what to set (`newsetl entities learn` writes the default path if you want to
look at a file first).

Schedule: processing.entities.learn_schedule (@weekly; null: manual only). Not on the index asset: every load
updates it, and learning aggregates the whole index, for names that need five documents from two sources to
change; and a replay into a new index version updates it too, the moment a learned file is least to be trusted.
All logic lives in pipeline.stages (the same as `newsetl entities learn`); this file is wiring.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from pipeline.dagkit import dag_settings, default_args
from pipeline.settings.ingest import parse_schedule

SETTINGS = dag_settings()
ENT = SETTINGS.processing.entities


@dag(
    dag_id="news_maintenance",
    description="Learn the learned gazetteer again from the index; refuse to replace it with a much smaller one",
    schedule=parse_schedule(ENT.learn_schedule) if ENT.learned_gazetteer else None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(SETTINGS),
    tags=["newsetl", "maintenance"],
    params={
        "min_docs": Param(ENT.learn_min_docs, type="integer", minimum=1,
                          description="documents a name must be in (processing.entities.learn_min_docs)"),
        "min_sources": Param(ENT.learn_min_sources, type="integer", minimum=1,
                             description="sources those documents must come from "
                                         "(processing.entities.learn_min_sources)"),
        "dry_run": Param(False, type="boolean", description="learn and compare, write nothing"),
        "force": Param(False, type="boolean", description="replace the file even when the new names drop more "
                                                          "than processing.entities.learn_max_loss of its names"),
    },
    doc_md=__doc__,
)
def news_maintenance():
    from pipeline import stages
    from pipeline.dagkit import task_context

    @task
    def learn_gazetteer() -> dict:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        from pipeline.learned import SETTING, LearnedGazetteerShrinks

        if not ENT.learned_gazetteer:
            raise AirflowSkipException(f"{SETTING} is null: the learned gazetteer is off and nothing reads it; set "
                                       "it to a path (e.g. var/storage/entities/learned-gazetteer.yaml) to have "
                                       "this DAG keep it fresh")
        _, params = task_context()
        try:
            return stages.learn_gazetteer(SETTINGS, min_docs=int(params["min_docs"]),
                                          min_sources=int(params["min_sources"]),
                                          dry_run=bool(params["dry_run"]), force=bool(params["force"]))
        except LearnedGazetteerShrinks as e:
            raise AirflowFailException(str(e)) from None     # a retry would learn the same: fail at once

    learn_gazetteer()


news_maintenance_dag = news_maintenance()
