"""The news_health DAG with real Airflow (dag.test()) and a real Elasticsearch node: it writes the run history the
cluster missed into the runs and dead-letter indices, and fails, naming them, when a configured source is stale,
failing or idle; `stages.check_sources` is what it calls."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from pipeline import stages
from pipeline.deadletter import DeadLetter, write_dead_letters
from pipeline.load import bulk_load
from pipeline.people import PeopleLabels
from pipeline.settings import load_settings
from pipeline.storage import Storage
from tests.plugins.docs import make_document

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime.now(dt.timezone.utc)


def _report(root: Path, run_id: str, hours_ago: float, sources: dict[str, tuple[int, int]]) -> Path:
    """Write an ingest run's report finished ``hours_ago``, under the day it finished on; its path."""
    at = NOW - dt.timedelta(hours=hours_ago)
    p = root / "reports" / at.date().isoformat() / f"{run_id}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"run_id": run_id, "kind": "ingest", "finished_at": at.isoformat(), "complete": True,
                             "sources": {name: {"discovered": d, "indexed": i, "skipped": d - i}
                                         for name, (d, i) in sources.items()}}))
    return p


def _install(tmp_path: Path, es_url: str, es_prefix: str, names: list[str]) -> dict[str, str]:
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": n, "kind": "urls", "urls": [f"https://{n}.example/a"]} for n in names]}))
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")}, "elasticsearch": {"url": es_url},
        "index": {"name": f"{es_prefix}news"}}))
    return {"NEWSETL_CONFIG": str(tmp_path / "newsetl.yaml"), "NEWSETL_SOURCES": str(tmp_path / "sources.yaml")}


def _run(env: dict[str, str], conf: dict | None = None):
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        spec = importlib.util.spec_from_file_location(f"dag_news_health_{uuid.uuid4().hex[:6]}",
                                                      REPO / "dags" / "news_health.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.news_health_dag.test(run_conf=conf or {})


@pytest.fixture
def history(tmp_path):
    """fresh brought new articles an hour ago; quiet last did 60 hours ago (stale after 48 h); idle never ran."""
    root = tmp_path / "store"
    _report(root, "r60", 60, {"fresh": (5, 5), "quiet": (5, 5)})
    _report(root, "r1", 1, {"fresh": (4, 3), "quiet": (4, 0)})
    write_dead_letters(Storage(root), "fetch", "r1", [DeadLetter("fetch", "https://fresh.example/x", "timeout",
                                                                 record={"url": "https://fresh.example/x",
                                                                         "source": "fresh"})])
    return root


@pytest.mark.es
@pytest.mark.airflow
def test_the_dag_catches_up_the_history_and_fails_for_a_stale_or_idle_source(history, tmp_path, es_url, es_prefix,
                                                                              es_client, airflow_db):
    from pipeline.admin import ensure_index

    env = _install(tmp_path, es_url, es_prefix, ["fresh", "quiet", "idle"])
    settings = load_settings(env["NEWSETL_CONFIG"])
    ensure_index(es_client, settings)       # the index is fine: check_index passes
    # a document whose people label was replaced without its relabelling (only the registry saw the new spelling)
    ru = make_document("https://news.example.org/health/ru", language="ru", entities={
        "person": ["Владимир Путин"], "organization": [], "location": [], "misc": []})
    bulk_load(es_client, [ru], settings, storage=Storage(tmp_path / "load"), run_id="ru")
    PeopleLabels(es_client, settings.index.people_index_name).label([{**ru, "language": "en", "entities": {
        "person": ["Vladimir Putin"]}}])
    dr = _run(env, {"history_days": 3})
    assert dr.state == "failed"
    assert dr.get_task_instance("relabel_people").state == "success"
    assert es_client.get(index=settings.index.read_alias, id=ru["id"])["_source"]["people"] == ["Vladimir Putin"]
    assert dr.get_task_instance("record_history").state == "success"
    assert dr.get_task_instance("check_index").state == "success"
    assert dr.get_task_instance("retry_refused_documents").state == "success"     # none to load again
    assert dr.get_task_instance("check_sources").state == "failed"
    runs, letters = f"{es_prefix}news-runs", f"{es_prefix}news-deadletters"
    for index in (runs, letters):
        es_client.indices.refresh(index=index)
    assert sorted(h["_id"] for h in es_client.search(index=runs)["hits"]["hits"]) == [
        "r1/fresh", "r1/quiet", "r60/fresh", "r60/quiet"]
    (letter,) = [h["_source"] for h in es_client.search(index=letters)["hits"]["hits"]]
    assert (letter["run_id"], letter["stage_reason"], letter["open"]) == ("r1", "fetch/timeout", True)
    # what the task raised: each source that needs a look, and why
    with pytest.raises(stages.SourcesUnhealthy) as e:
        stages.check_sources(load_settings(env["NEWSETL_CONFIG"]), hours=7 * 24)
    msg = str(e.value)
    assert msg.startswith("2 of 3 sources need a look over the last 7 days:")
    assert "quiet: stale (" in msg and "idle: no run" in msg and "fresh" not in msg and "\n" not in msg

    # with only the healthy source configured, the run succeeds
    env = _install(tmp_path, es_url, es_prefix, ["fresh"])
    dr = _run(env)
    assert dr.state == "success"
    assert stages.check_sources(load_settings(env["NEWSETL_CONFIG"]), hours=7 * 24) == {
        "hours": 168, "sources": 1, "unhealthy": 0}


def test_a_failing_source_is_named_too(tmp_path):
    root = tmp_path / "store"
    # the report's own path: an hour ago is yesterday's folder just after midnight
    p = _report(root, "r1", 1, {"broken": (10, 2)})
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "broken", "kind": "urls", "urls": ["https://broken.example/a"]}]}))
    settings = load_settings(overrides={"storage": {"root": str(root)}, "fetch": {
        "sources_file": str(tmp_path / "sources.yaml")}})
    # 8 of 10 dead-lettered: above ingest.dead_letter_threshold (0.5)
    report = json.loads(p.read_text())
    report["sources"]["broken"]["dead_lettered"] = 8
    p.write_text(json.dumps(report))
    with pytest.raises(stages.SourcesUnhealthy) as e:
        stages.check_sources(settings, hours=24)
    assert "1 of 1 source needs a look over the last 1 day: broken: failing" in str(e.value)


def test_before_the_first_ingest_run_there_is_nothing_to_check(tmp_path):
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "new", "kind": "urls", "urls": ["https://new.example/a"]}]}))
    settings = load_settings(overrides={"storage": {"root": str(tmp_path / "store")}, "fetch": {
        "sources_file": str(tmp_path / "sources.yaml")}})
    assert stages.check_sources(settings, hours=24)["note"].startswith("no ingest run yet")
    # once runs have been kept, a window without any is a failure (the ingest DAG paused or broken)
    _report(tmp_path / "store", "old", 24 * 10, {"new": (3, 3)})
    with pytest.raises(stages.SourcesUnhealthy, match="new: no run"):
        stages.check_sources(settings, hours=24)


@pytest.mark.es
def test_check_index_names_a_write_block_and_a_missing_index(index_settings, index_client):
    from pipeline.admin import ensure_index

    with pytest.raises(stages.IndexNeedsAttention) as e:           # nothing there yet
        stages.check_index(index_settings)
    assert "points at no index: run `newsetl index ensure`" in str(e.value)
    ensure_index(index_client, index_settings)
    ok = stages.check_index(index_settings)
    assert ok["index"] == index_settings.index.read_alias and ok["cluster"] in ("green", "yellow")
    write_index = next(iter(index_client.indices.get_alias(name=index_settings.index.write_alias_name)))
    cfg = index_settings.storage.root + ".yaml"
    Path(cfg).write_text(json.dumps({"elasticsearch": {"url": index_settings.elasticsearch.url},
                                     "index": {"name": index_settings.index.name}}))

    def cli():
        return subprocess.run([sys.executable, "-m", "pipeline", "--config", cfg, "index", "status", "--check"],
                              capture_output=True, text=True, cwd=REPO, timeout=120)

    assert cli().returncode == 0
    index_client.indices.put_settings(index=write_index, settings={"index.blocks.read_only_allow_delete": True})
    try:
        cli_check = cli()
        with pytest.raises(stages.IndexNeedsAttention) as e:
            stages.check_index(index_settings)
    finally:
        index_client.indices.put_settings(index=write_index, settings={"index.blocks.read_only_allow_delete": None})
    msg = str(e.value)
    assert f"{write_index} refuses writes (index.blocks.read_only_allow_delete)" in msg and "\n" not in msg
    assert cli_check.returncode == 1 and "refuses writes" in cli_check.stderr
    assert stages.check_index(index_settings)["indices"] == [write_index]


@pytest.mark.es
@pytest.mark.airflow
def test_a_task_that_fails_for_good_is_told_to_the_alerts_channels(history, tmp_path, es_url, es_prefix, es_client,
                                                                    airflow_db, news_server):
    """alerts.on_failure: the check that fails posts a Slack text to a webhook on 127.0.0.1 and writes a JSON message
    to a folder; a channel that refuses changes nothing else; the tasks that succeed send nothing."""
    from pipeline.admin import ensure_index
    from tests.plugins.httpserver import Reply

    srv = news_server(hosts=1)
    hook, down = srv.route("/hook", Reply(status=200)), srv.route("/down", Reply(status=500))
    env = _install(tmp_path, es_url, es_prefix, ["fresh", "quiet"])
    conf = yaml.safe_load((tmp_path / "newsetl.yaml").read_text())
    conf["alerts"] = {"on_failure": [{"webhook": down}, {"webhook": hook, "format": "slack"},
                                     {"folder": "alerts/failures"}]}
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump(conf))
    ensure_index(es_client, load_settings(env["NEWSETL_CONFIG"]))
    dr = _run(env)
    assert dr.state == "failed" and dr.get_task_instance("check_sources").state == "failed"
    assert dr.get_task_instance("check_index").state == "success"
    (post,) = [r for r in srv.requests(path="/hook") if r.method == "POST"]
    text = json.loads(post.body)["text"]
    assert text.startswith("*newsetl*: task `news_health.check_sources` failed (run ")
    assert "1 of 2 sources needs a look" in text and "quiet: stale" in text
    assert len([r for r in srv.requests(path="/down") if r.method == "POST"]) == 1
    (file,) = (tmp_path / "store" / "alerts" / "failures").rglob("*.json")
    msg = json.loads(file.read_text())
    assert (msg["event"], msg["dag_id"], msg["task_id"], msg["run_id"]) == ("task_failed", "news_health",
                                                                            "check_sources", dr.run_id)
    assert "quiet: stale" in msg["error"]
