"""A source's ``every``: a scheduled run covers it only when that long has passed since a run last discovered it
(``stages.plan_sources``, which the news_ingest DAG's ``plan`` task and ``newsetl run`` call); a run that names it
covers it anyway, a dry run does not count, and a run with no source due ends green. Real HTTP server on 127.0.0.1,
real Elasticsearch node, real Airflow (``dag.test()``)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import uuid
from pathlib import Path

import pytest
import yaml

from pipeline import stages
from pipeline.settings import ConfigError, load_settings
from pipeline.sources import load_sources
from tests.cfgutil import pipeline_config
from tests.plugins.httpserver import Reply, html_page

REPO = Path(__file__).resolve().parents[1]
TEXT = "\n\n".join(f"Paragraph {i} about the ferry timetable, the harbour works and the council vote this week, "
                   "long enough for the extraction to take it for an article." for i in range(8))


def test_due_times(tmp_path):
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "wire", "kind": "urls", "urls": ["https://a.example/1"]},
        {"name": "weekly", "kind": "urls", "urls": ["https://a.example/2"], "every": "6h"},
        {"name": "off", "kind": "urls", "urls": ["https://a.example/3"], "every": "1d", "enabled": False}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"storage": {"root": str(tmp_path / "store")}}))
    settings = load_settings(cfg)
    storage = stages.storage_for(settings)
    t0 = dt.datetime(2026, 5, 1, 12, 0, 7, tzinfo=dt.timezone.utc)
    assert stages.plan_sources(settings, now=t0) == ["wire", "weekly"]        # never discovered: due
    (tmp_path / "store" / "sources").mkdir(parents=True)
    (tmp_path / "store" / "sources" / "weekly.json").write_text(f'{{"started_at": "{t0.isoformat()}"}}')
    assert stages.last_discovered(storage, "weekly") == t0
    for later, plan in ((dt.timedelta(hours=1), ["wire"]), (dt.timedelta(hours=5, minutes=44), ["wire"]),
                        (dt.timedelta(hours=5, minutes=45), ["wire", "weekly"]),   # 15 min early is on time
                        (dt.timedelta(hours=6), ["wire", "weekly"])):
        assert stages.plan_sources(settings, now=t0 + later) == plan, later
    # a run that names it covers it whenever
    assert stages.plan_sources(settings, ["weekly"], now=t0 + dt.timedelta(hours=1)) == ["weekly"]
    # a short every: a tenth of it early (6 minutes of an hour)
    weekly = next(s for s in load_sources(settings=settings) if s.name == "weekly")
    hourly = weekly.model_copy(update={"every": "1h"})
    assert stages.due_at(hourly, t0) == t0 + dt.timedelta(minutes=54)


def test_a_bad_every_names_the_source_and_the_fix(tmp_path):
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "wire", "kind": "urls", "urls": ["https://a.example/1"], "every": "twice a day"}]}))
    with pytest.raises(ConfigError) as e:
        load_sources(tmp_path / "sources.yaml")
    msg = str(e.value)
    assert "sources.yaml" in msg and "wire" in msg and "every" in msg and "write it like 30m, 6h" in msg


@pytest.mark.es
def test_runs_cover_a_source_as_often_as_it_asks(news_server, tmp_path, es_url, es_prefix, es_client):
    srv = news_server(hosts=1)
    urls = [srv.route(f"/news/{n}.html", Reply(body=html_page(f"Story {n}", TEXT))) for n in ("a", "b")]
    cfg = pipeline_config(tmp_path, es_url, es_prefix, [
        {"name": "wire", "kind": "urls", "urls": [urls[0]]},
        {"name": "slow", "kind": "urls", "urls": [urls[1]], "every": "6h"}])
    settings = load_settings(cfg)
    dry = stages.run_pipeline(settings, run_id="dry", dry_run=True)        # a dry run does not count
    assert set(dry["sources"]) == {"wire", "slow"}
    first = stages.run_pipeline(settings, run_id="r1")
    assert set(first["sources"]) == {"wire", "slow"} and first["total"]["indexed"] == 2
    second = stages.run_pipeline(settings, run_id="r2")
    assert set(second["sources"]) == {"wire"}                             # slow is not due for six hours
    rows = {r["source"]: r for r in stages.source_health(settings, hours=24)["sources"]}   # `newsetl sources`
    began = stages.last_discovered(stages.storage_for(settings), "slow")
    assert (rows["slow"]["every"], rows["wire"]["every"], rows["wire"]["next_due"]) == ("6h", None, None)
    assert rows["slow"]["next_due"] == (began + dt.timedelta(hours=5, minutes=45)).isoformat(timespec="seconds")
    forced = stages.run_pipeline(settings, sources=["slow"], run_id="r3")
    assert set(forced["sources"]) == {"slow"} and forced["sources"]["slow"]["discovered"] == 1


@pytest.mark.es
def test_a_source_that_failed_is_tried_again_at_the_next_run(news_server, tmp_path, es_url, es_prefix):
    srv = news_server(hosts=1)
    feed = srv.url("/gone.xml")                 # not routed: 404
    cfg = pipeline_config(tmp_path, es_url, es_prefix, [{"name": "slow", "kind": "rss", "url": feed, "every": "1d"}])
    settings = load_settings(cfg)
    first = stages.run_pipeline(settings, run_id="r1", fail_over_threshold=False)
    assert first["sources"]["slow"]["dead_lettered"] == 1
    assert stages.last_discovered(stages.storage_for(settings), "slow") is None
    assert stages.plan_sources(settings) == ["slow"]


@pytest.mark.es
@pytest.mark.airflow
def test_the_dag_skips_what_is_not_due_and_a_run_with_nothing_due_is_green(news_server, tmp_path, es_url,
                                                                            es_prefix, airflow_db):
    srv = news_server(hosts=1)
    url = srv.route("/news/a.html", Reply(body=html_page("Story a", TEXT)))
    cfg = pipeline_config(tmp_path, es_url, es_prefix, [{"name": "slow", "kind": "urls", "urls": [url], "every": "1d"}])

    def run():
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("NEWSETL_CONFIG", str(cfg))
            mp.setenv("NEWSETL_SOURCES", str(tmp_path / "sources.yaml"))
            spec = importlib.util.spec_from_file_location(f"dag_ingest_{uuid.uuid4().hex[:6]}",
                                                          REPO / "dags" / "news_ingest.py")
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod.news_ingest_dag.test()

    first = run()
    assert first.state == "success"
    assert stages.last_discovered(stages.storage_for(load_settings(cfg)), "slow") is not None
    second = run()
    assert second.state == "success"
    fetched = [r.path for r in srv.requests() if r.path == "/news/a.html"]
    assert len(fetched) == 1                                              # the second run fetched nothing
    from pipeline.dagkit import safe_run_id
    import json
    report = json.loads((tmp_path / "store" / "runs" / safe_run_id(second.run_id) / "report.json").read_text())
    assert report["sources"] == {}
