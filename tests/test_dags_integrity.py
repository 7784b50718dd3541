"""DAG integrity: every DAG file parses cleanly without the processing stack, with sane retries, tags and owners, and
no cycles.

Bad configuration must surface as a readable import error naming the file and the key.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.dagparse import parse_in_subprocess
from tests.plugins.airflow_env import repo_config_env

REPO = Path(__file__).resolve().parents[1]
DAG_FILES = sorted(p for p in (REPO / "dags").glob("*.py") if not p.name.startswith("_"))

# What a DAG file must not import when the dag-processor parses it (every 30 s, each file): the processing stack,
# which the tasks import when they run (seconds of imports and models), and the index client with the search module's
# numpy. news_alerts validates the watches file at parse time (a bad watch is the DAG's import error) with the search
# module, which imports the client: it does so once for a watches file, settings and code, and its later parses skip
# it (pipeline.dagkit.alerts_settings). How long a parse takes is measured by benchmarks/bench_dag_parse.py, not here.
PROCESSING_STACK = {"spacy", "thinc", "trafilatura", "justext", "htmldate", "courlan", "lxml", "langdetect", "natasha",
                    "feedparser", "warcio", "protego"}
CLIENT_STACK = {"elasticsearch", "elastic_transport", "aiohttp", "numpy"}


@pytest.mark.airflow
@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_parses_cleanly_and_lightly(path: Path, airflow_db, tmp_path):
    own_tmp = {"TMPDIR": str(tmp_path)}           # where news_alerts keeps its marker of a validated watches file
    first = parse_in_subprocess(path, own_tmp)
    res = parse_in_subprocess(path, own_tmp)      # as the dag-processor parses it again and again
    assert res["errors"] == {}
    assert res["dags"], f"{path.name} defines no DAG"
    assert "pipeline" in res["modules"]         # the list is what the parse added
    heavy = set(res["modules"]) & (PROCESSING_STACK | CLIENT_STACK)
    assert not heavy, f"{path.name} imports {sorted(heavy)} at parse time: import them inside the tasks"
    assert not set(first["modules"]) & PROCESSING_STACK
    if path.name == "news_alerts.py":           # the first parse validated the watches file, with the client
        assert set(first["modules"]) >= CLIENT_STACK and list(tmp_path.glob("newsetl-*/watches-valid/*"))
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


def test_the_pools_are_listed_with_their_slots():
    # one line a pool, for a script of one's own; docker/airflow-init.sh runs `pools --apply` (tests/test_doctor.py)
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
    env = {"NEWSETL_WATCHES": str(good), "TMPDIR": str(tmp_path)}
    res = parse_in_subprocess(REPO / "dags" / "news_alerts.py", env)
    assert res["errors"] == {} and set(res["dags"]["news_alerts"]["tasks"]) == {"watches", "run_watch"}
    # the good file passed once and is not validated again; changed, it is: a bad watch is the import error at once
    assert "elasticsearch" not in parse_in_subprocess(REPO / "dags" / "news_alerts.py", env)["modules"]
    good.write_text("watches:\n  - {name: w, query: harbour, entities: [planet:Mars]}\n")
    (err,) = parse_in_subprocess(REPO / "dags" / "news_alerts.py", env)["errors"].values()
    assert "watches[0] (w).entities" in err, err
    # and so is the same file under other settings: Pahalgam (9,264 people) is a place at a floor of 5,000, not at
    # the default 15,000
    good.write_text("watches:\n  - {name: w, query: harbour, near: 'Pahalgam,10'}\n")
    config = yaml.safe_load((REPO / "config" / "newsetl.yaml").read_text())
    config.setdefault("index", {})["places"] = {"min_city_population": 5000}
    lower = tmp_path / "newsetl.yaml"
    lower.write_text(yaml.safe_dump(config))
    lower_env = {**env, "NEWSETL_CONFIG": str(lower), "NEWSETL_SOURCES": str(REPO / "config" / "sources.yaml")}
    assert parse_in_subprocess(REPO / "dags" / "news_alerts.py", lower_env)["errors"] == {}
    (err,) = parse_in_subprocess(REPO / "dags" / "news_alerts.py", env)["errors"].values()
    assert "'Pahalgam' is no place" in err and "min_city_population 15000" in err, err


def test_the_watches_marker_ignores_compiled_files(tmp_path):
    # an import that writes a .pyc (the parse that validates the watches loads the search module) changes no code:
    # the next parse must find the marker
    from pipeline import dagkit
    from pipeline.settings import load_settings

    settings = load_settings()
    before = dagkit._watches_marker(settings)
    cache = Path(dagkit.__file__).parent / "__pycache__"
    made = not cache.exists()
    cache.mkdir(exist_ok=True)
    pyc = cache / "newsetl_marker_check.cpython-311.pyc"
    try:
        pyc.write_bytes(b"compiled")
        assert dagkit._watches_marker(settings) == before
    finally:
        pyc.unlink()
        if made:
            cache.rmdir()
    (Path(dagkit.__file__).parent / "settings" / "alerts.py").touch()      # a changed source file does count
    assert dagkit._watches_marker(settings) != before


def test_old_watches_markers_are_pruned_when_a_new_one_is_written(tmp_path, monkeypatch):
    import tempfile

    from pipeline import dagkit

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / f"newsetl-{os.getuid()}" / "watches-valid"
    folder.mkdir(parents=True)
    old = []
    for i in range(20):                       # markers of earlier watches files, settings or code, oldest first
        marker = folder / f"{i:032x}"
        marker.touch()
        os.utime(marker, ns=(1_700_000_000_000_000_000 + i, 1_700_000_000_000_000_000 + i))
        old.append(marker)
    dagkit.alerts_settings()                  # validates, writes its marker, prunes the oldest
    current = dagkit._watches_marker(dagkit.dag_settings())
    assert current.exists()
    kept = sorted(p for p in folder.iterdir() if p != current)
    assert len(kept) == dagkit.KEEP_MARKERS - 1 and kept == old[-(dagkit.KEEP_MARKERS - 1):]
    dagkit.alerts_settings()                  # found: nothing written, nothing removed
    assert sorted(folder.iterdir()) == sorted([*kept, current])


@pytest.mark.airflow
def test_pools_apply_without_a_migrated_database_says_so_in_one_line(tmp_path):
    # an AIRFLOW_HOME whose metadata database was never migrated: no traceback, the command that fixes it
    env = {**repo_config_env(), "AIRFLOW_HOME": str(tmp_path)}
    env.pop("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", None)
    r = subprocess.run([sys.executable, "-m", "pipeline.dagkit", "pools", "--apply"], capture_output=True, text=True,
                       timeout=120, cwd=REPO, env=env)
    assert r.returncode == 1 and r.stdout == "", (r.stdout, r.stderr)
    (line,) = [ln for ln in r.stderr.splitlines() if ln.startswith("pools --apply:")]
    assert "no such table: slot_pool" in line and "airflow db migrate" in line, r.stderr
    assert "Traceback" not in r.stderr
