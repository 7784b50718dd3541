"""DAG integrity: every DAG file parses fast and cleanly, with sane retries, tags and owners, and no cycles.

Bad configuration must surface as a readable import error naming the file and the key.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugins.airflow_env import repo_config_env

REPO = Path(__file__).resolve().parents[1]
DAG_FILES = sorted(p for p in (REPO / "dags").glob("*.py") if not p.name.startswith("_"))

# Parse one DAG file the way the dag-processor does (Airflow already imported), in a fresh interpreter so that
# nothing cached by other tests hides the cost of the file's own imports.
_PARSE = r"""
import json, sys, time
import airflow.sdk
from airflow.dag_processing.dagbag import DagBag
t = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1], include_examples=False) if 'include_examples' in DagBag.__init__.__code__.co_varnames else DagBag(dag_folder=sys.argv[1])
dt = time.perf_counter() - t
out = {"seconds": dt, "errors": {str(k): v for k, v in bag.import_errors.items()}, "dags": {}}
def first_run(dag):
    # seconds from now to the first run the scheduler would make of the DAG just unpaused (its serialized
    # timetable, as the scheduler reads it; negative: in the past, so at once); None without a schedule
    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.timetables.base import TimeRestriction
    from airflow.utils import timezone
    tt = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag)).timetable
    if not tt.can_be_scheduled:
        return None
    info = tt.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(
        earliest=dag.start_date, latest=None, catchup=dag.catchup))
    return None if info is None else (info.run_after - timezone.utcnow()).total_seconds()
def weight(dag, t):
    # the priority the scheduler gives the task's instances in a pool's queue (airflow.task.priority_strategy)
    rule = str(getattr(t.weight_rule, "value", t.weight_rule))
    if rule == "absolute":
        return t.priority_weight
    assert rule == "downstream", rule
    return t.priority_weight + sum(dag.task_dict[i].priority_weight for i in t.get_flat_relative_ids(upstream=False))
for dag_id, dag in bag.dags.items():
    dag.check_cycle() if hasattr(dag, "check_cycle") else None
    out["dags"][dag_id] = {
        "first_run": first_run(dag),
        "tags": sorted(dag.tags or []),
        "params": {k: dag.params[k] for k in dag.params},
        "tasks": {t.task_id: {"retries": t.retries, "owner": t.owner, "pool": t.pool,
                              "per_run": t.max_active_tis_per_dagrun, "weight": weight(dag, t)} for t in dag.tasks},
    }
print("RESULT" + json.dumps(out))
"""


def parse_in_subprocess(path: Path, env_extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(env_extra or {})
    proc = subprocess.run([sys.executable, "-c", _PARSE, str(path)], capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
    assert line, f"parse failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads(line[len("RESULT"):])


@pytest.mark.airflow
@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_parses_cleanly_and_fast(path: Path, airflow_db):
    res = parse_in_subprocess(path)
    assert res["errors"] == {}
    assert res["dags"], f"{path.name} defines no DAG"
    assert res["seconds"] < 2.0, f"{path.name} took {res['seconds']:.2f}s to parse"
    from pipeline.dagkit import pools
    from pipeline.settings import fetch_tasks_per_run, load_settings

    known_pools = {"default_pool"} | {name for name, _, _ in pools(load_settings())}
    for dag_id, info in res["dags"].items():
        assert "newsetl" in info["tags"], dag_id
        assert {t["pool"] for t in info["tasks"].values()} <= known_pools, dag_id
        if "fetch" in info["tasks"]:  # fetch tasks of one run are capped (4 with the shared per-host clock)
            assert info["tasks"]["fetch"]["per_run"] == fetch_tasks_per_run(load_settings()) == 4
        if "process" in info["tasks"]:    # one processing task at a time across runs and DAGs fills the cores
            assert info["tasks"]["process"]["pool"] == load_settings().ingest.process_pool == "newsetl_process"
        for task_id, t in info["tasks"].items():
            if dag_id == "news_health" and task_id.startswith("check_"):   # a check: retrying only delays the alert
                assert t["retries"] == 0
                continue
            assert t["retries"] >= 2, f"{dag_id}.{task_id} retries={t['retries']}"
            assert t["owner"] and t["owner"] != "airflow", f"{dag_id}.{task_id} has no owner"


@pytest.mark.airflow
def test_a_replay_leaves_the_shared_pools_to_the_ingest_first(airflow_db):
    # news_reprocess's process and load tasks share their pools with news_ingest's; in a pool's queue Airflow runs
    # the higher weight first, so an hourly run's batches pass a long replay's
    res = parse_in_subprocess(REPO / "dags" / "news_ingest.py")["dags"]["news_ingest"]["tasks"]
    replay = parse_in_subprocess(REPO / "dags" / "news_reprocess.py")["dags"]["news_reprocess"]["tasks"]
    for task in ("process", "load"):
        assert res[task]["pool"] == replay[task]["pool"] != "default_pool"
        assert replay[task]["weight"] == 1 < res[task]["weight"], (task, res[task], replay[task])


def test_the_pools_are_listed_with_their_slots_for_airflow_init():
    # docker/airflow-init.sh reads these lines and runs `airflow pools set NAME SLOTS DESCRIPTION` for each
    out = subprocess.run([sys.executable, "-m", "pipeline.dagkit", "pools"], capture_output=True, text=True,
                         check=True, cwd=REPO, env=repo_config_env()).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(name, int(slots)) for name, slots, _ in rows] == [
        ("newsetl_fetch", 4), ("newsetl_load", 2), ("newsetl_process", 1)]
    assert all(desc.startswith("newsetl: ") for _, _, desc in rows)


def test_every_dag_is_there():
    names = {p.name for p in DAG_FILES}
    assert {"news_ingest.py", "news_reprocess.py", "news_health.py", "news_alerts.py",
            "news_snapshot.py", "news_maintenance.py"} <= names


BAD_CONFIGS = [
    # (file to break, YAML text, words the import error must contain)
    ("sources", "sources:\n  - name: x\n    kind: telegraph\n    url: https://example.org/feed\n", ["sources.yaml", "kind"]),
    ("sources", "sources:\n  - name: nourl\n    kind: rss\n", ["sources.yaml", "url"]),
    ("newsetl", "ingest:\n  schedule: every full moon\n", ["newsetl.yaml", "ingest.schedule"]),
]


@pytest.mark.airflow
def test_param_defaults_come_from_the_config(tmp_path, airflow_db):
    """news_ingest's retry_dead_letters defaults to ingest.retry_dead_letters; news_health's days to
    ingest.health_days; news_maintenance's min_docs and min_sources to processing.entities.learn_min_*."""
    default = parse_in_subprocess(REPO / "dags" / "news_ingest.py")["dags"]["news_ingest"]["params"]
    assert default["retry_dead_letters"] is False
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text("ingest:\n  retry_dead_letters: true\n  health_days: 3\n"
                   "processing:\n  entities:\n    learn_min_docs: 4\n    learn_min_sources: 3\n")
    env = {"NEWSETL_CONFIG": str(cfg), "NEWSETL_SOURCES": str(REPO / "config" / "sources.yaml")}
    assert parse_in_subprocess(REPO / "dags" / "news_ingest.py", env)["dags"]["news_ingest"]["params"][
        "retry_dead_letters"] is True
    assert parse_in_subprocess(REPO / "dags" / "news_health.py", env)["dags"]["news_health"]["params"]["days"] == 3
    learn = parse_in_subprocess(REPO / "dags" / "news_maintenance.py", env)["dags"]["news_maintenance"]
    assert (learn["params"]["min_docs"], learn["params"]["min_sources"]) == (4, 3)
    assert learn["params"]["force"] is False and set(learn["tasks"]) == {"learn_gazetteer"}
    assert learn["first_run"] is None                                 # the learned gazetteer is off: no schedule


@pytest.mark.airflow
def test_news_maintenance_runs_at_once_when_unpaused_not_a_week_later(tmp_path, airflow_db):
    """With the learned gazetteer on, the scheduler's first run of news_maintenance (catchup off, a start date in the
    past) is the latest past point of learn_schedule: due at once, so the first file is made when the DAG is
    unpaused, not a week later."""
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(f"processing:\n  entities:\n    learned_gazetteer: {tmp_path / 'learned.yaml'}\n")
    env = {"NEWSETL_CONFIG": str(cfg), "NEWSETL_SOURCES": str(REPO / "config" / "sources.yaml")}
    first = parse_in_subprocess(REPO / "dags" / "news_maintenance.py", env)["dags"]["news_maintenance"]["first_run"]
    assert first is not None and -7 * 86400 <= first <= 0, first            # @weekly: within the last week


@pytest.mark.airflow
@pytest.mark.parametrize("which,text,words", BAD_CONFIGS, ids=["unknown-kind", "no-url", "bad-schedule"])
def test_bad_config_is_a_readable_import_error(which, text, words, tmp_path, airflow_db):
    bad = tmp_path / f"{which}.yaml"
    bad.write_text(text)
    env = {"NEWSETL_CONFIG" if which == "newsetl" else "NEWSETL_SOURCES": str(bad)}
    res = parse_in_subprocess(REPO / "dags" / "news_ingest.py", env)
    assert not res["dags"]
    (err,) = res["errors"].values()
    for w in words:
        assert w in err, f"{w!r} not in import error:\n{err}"
    # readable: the message is the config error itself, not a pydantic or YAML stack trace from deep inside
    assert "pydantic" not in err and "site-packages" not in err, err
    lines = err.strip().splitlines()
    assert lines[-1].startswith("pipeline.dagkit.NewsetlConfigError: config error in "), err
    frames = [ln for ln in lines if ln.strip().startswith("File ")]
    assert all("/dags/" in f or "pipeline/dagkit.py" in f for f in frames), err


@pytest.mark.airflow
def test_a_bad_watches_file_is_news_alerts_import_error(tmp_path, airflow_db):
    bad = tmp_path / "watches.yaml"
    bad.write_text("watches:\n  - name: w\n    deliver:\n      - webhook: hooks.example.org/x\n")
    res = parse_in_subprocess(REPO / "dags" / "news_alerts.py", {"NEWSETL_WATCHES": str(bad)})
    assert not res["dags"]
    (err,) = res["errors"].values()
    assert "watches.yaml: watches[0] (w).deliver[0].webhook" in err and "not an http:// or https:// URL" in err
    assert err.strip().splitlines()[-1].startswith("pipeline.dagkit.NewsetlConfigError: config error in "), err
    # and a good one parses, on the index asset or alerts.schedule
    good = tmp_path / "ok.yaml"
    good.write_text("watches:\n  - {name: w, query: harbour}\n")
    res = parse_in_subprocess(REPO / "dags" / "news_alerts.py", {"NEWSETL_WATCHES": str(good)})
    assert res["errors"] == {} and set(res["dags"]["news_alerts"]["tasks"]) == {"watches", "run_watch"}
