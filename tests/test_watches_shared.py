"""The watches' shared reading (pipeline.watches.match_watches, then deliver_watch): a run reads the changes feed once
for all its watches, each from its own cursor, and gives the alerts and cursors that each watch's own reading
(``run_watch``) gives; matching and delivery are apart, so that delivery after a crash or a refusal sends exactly the
recorded alerts; news_alerts fails only the task of the watch whose channel refuses. Against the real Elasticsearch
node, a webhook receiver on 127.0.0.1 and real Airflow (``dag.test()``)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import time
import uuid
from pathlib import Path

import pytest
import yaml

from pipeline import stages
from pipeline.changes import position_of
from pipeline.load import bulk_load
from pipeline.settings import load_settings
from pipeline.watches import Watch, alerts_listing, load_watches, put_watch, read_state, run_watch, state_path
from tests.plugins.httpserver import Reply
from tests.test_watch_store import _config
from tests.test_watches import _doc, _posts, _settings

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.es


def _ids(client, settings, watch: str) -> set[str]:
    """The article ids of a watch's alert records."""
    client.indices.refresh(index=settings.index.alerts_index_name)
    return {a["id"] for a in alerts_listing(client, settings, watch=watch, size=100)}


def _start(storage, name: str, started: dt.datetime) -> None:
    """A watch's state as a watch added at ``started`` has it (no cursor yet)."""
    storage.write_json(state_path(name), {"name": name, "started_at": started.isoformat(timespec="milliseconds"),
                                          "cursor": None, "until": None, "last_run_at": None, "sent": {}})


def test_watches_with_different_cursors_get_what_each_own_reading_gets(index_client, index_settings, storage,
                                                                       tmp_path):
    """Three watches, one running since before the last load, one added since, one started a month ago, read the feed
    once (pages of two documents, so that page ends fall between their positions), each alerting on exactly what
    the same watch reading the feed on its own alerts on; their cursors end at the same place."""
    specs = [{"name": n, "query": "harbour"} for n in ("early", "late", "month")]
    settings = _settings(index_settings, tmp_path, specs + [{**s, "name": s["name"] + "-solo"} for s in specs],
                         page_size=2)
    solo = {w.name: w for w in load_watches(settings=settings) if w.name.endswith("-solo")}
    ten_days = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=10)).isoformat()
    old = [_doc(0, title="Harbour dredging ends", fetched=ten_days), _doc(1, title="Council budget", fetched=ten_days)]
    bulk_load(index_client, old, settings, storage=storage, run_id="old")
    stages.run_watches(settings, ["early"], client=index_client)                      # early starts now
    run_watch(index_client, storage, settings, solo["early-solo"])
    time.sleep(1.1)
    first = [_doc(2, title="Harbour crane arrives"), _doc(3, title="Council votes")]
    bulk_load(index_client, first, settings, storage=storage, run_id="first")
    assert stages.run_watches(settings, ["early"], client=index_client)["watches"][0]["new"] == 1
    assert run_watch(index_client, storage, settings, solo["early-solo"])["new"] == 1
    time.sleep(1.1)
    now = dt.datetime.now(dt.timezone.utc)
    for name in ("late", "late-solo"):          # added after the first load
        _start(storage, name, now)
    for name in ("month", "month-solo"):        # started a month ago, never run
        _start(storage, name, now - dt.timedelta(days=30))
    time.sleep(1.1)
    second = [_doc(4, title="Harbour fees rise"), _doc(5, title="Harbour closes"), _doc(6, title="Council sits")]
    bulk_load(index_client, second, settings, storage=storage, run_id="second")

    res = {r["watch"]: r for r in stages.run_watches(settings, ["early", "late", "month"],
                                                     client=index_client)["watches"]}
    for name in ("early", "late", "month"):
        own = run_watch(index_client, storage, settings, solo[f"{name}-solo"])
        assert (res[name]["matched"], res[name]["new"]) == (own["matched"], own["new"])
        assert _ids(index_client, settings, name) == _ids(index_client, settings, f"{name}-solo")
    harbour = [d["id"] for d in old + first + second if "Harbour" in d["title"]]
    assert _ids(index_client, settings, "early") == set(harbour[1:])          # before it: no; since its start: yes
    assert _ids(index_client, settings, "late") == set(harbour[2:])           # only what came after it was added
    assert _ids(index_client, settings, "month") == set(harbour)              # the month's, the old one too
    assert (res["early"]["new"], res["late"]["new"], res["month"]["new"]) == (2, 2, 4)
    ends = {position_of(read_state(storage, n)["cursor"]) for n in ("early", "late", "month")}
    assert len(ends) == 1                                                     # caught up together

    again = stages.run_watches(settings, ["early", "late", "month"], client=index_client)["watches"]
    assert [(r["matched"], r["new"]) for r in again] == [(0, 0)] * 3


def test_a_watch_added_between_runs(news_server, index_client, index_settings, storage, tmp_path):
    """A stored watch added after a run starts then: the next run (one read for both) alerts it on what came after,
    and alerts the older watch on the new article only."""
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    later = srv.route("/later", Reply(status=204, content_type=None))
    settings = _settings(index_settings, tmp_path, [{"name": "harbour", "query": "harbour",
                                                     "deliver": [{"webhook": hook}]}])
    stages.run_watches(settings, client=index_client)
    time.sleep(1.1)
    d1 = _doc(1, title="Harbour crane arrives")
    bulk_load(index_client, [d1], settings, storage=storage, run_id="one")
    assert stages.run_watches(settings, client=index_client)["watches"][0]["new"] == 1
    put_watch(index_client, storage, settings, Watch(name="added", query="harbour", deliver=[{"webhook": later}]),
              by="test")
    time.sleep(1.1)
    d2 = _doc(2, title="Harbour fees rise")
    bulk_load(index_client, [d2], settings, storage=storage, run_id="two")
    res = {r["watch"]: r for r in stages.run_watches(settings, client=index_client)["watches"]}
    assert (res["harbour"]["new"], res["harbour"]["delivered"]) == (1, 1)
    assert (res["added"]["new"], res["added"]["delivered"]) == (1, 1)
    assert [[a["id"] for a in m["alerts"]] for m in _posts(srv, "/hook")] == [[d1["id"]], [d2["id"]]]
    assert [[a["id"] for a in m["alerts"]] for m in _posts(srv, "/later")] == [[d2["id"]]]


def test_delivery_after_a_crash_sends_exactly_the_recorded_alerts(news_server, index_client, index_settings,
                                                                  storage, tmp_path):
    """Matching records the alerts and moves the cursors; a crash before delivery loses nothing: matching again
    from the old cursor records nothing twice, and the delivery run later, and one retried after a refusal, send
    exactly the recorded alerts, once."""
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    flaky = srv.route("/flaky", [Reply(status=503, body="busy"), Reply(status=200, body="ok")])
    settings = _settings(index_settings, tmp_path, [
        {"name": "hook", "query": "storm", "deliver": [{"webhook": hook}]},
        {"name": "flaky", "query": "storm", "deliver": [{"webhook": flaky}]}])
    stages.run_watches(settings, client=index_client)
    before = read_state(storage, "hook")
    time.sleep(1.1)
    docs = [_doc(1, title="Storm warning"), _doc(2, title="Storm passes"), _doc(3, title="Council sits")]
    bulk_load(index_client, docs, settings, storage=storage, run_id="a")

    res = stages.run_watches(settings, deliver=False, client=index_client)       # the match step alone
    assert [(r["watch"], r["matched"], r["new"]) for r in res["watches"]] == [("hook", 2, 2), ("flaky", 2, 2)]
    assert _posts(srv, "/hook") == [] and _posts(srv, "/flaky") == []
    recorded = _ids(index_client, settings, "hook")
    assert recorded == {docs[0]["id"], docs[1]["id"]} == _ids(index_client, settings, "flaky")
    assert read_state(storage, "hook")["cursor"] != before["cursor"]
    # the process dies before the cursor is written: the next match reads the same articles, and records none again
    storage.write_json(state_path("hook"), before)
    again = {r["watch"]: r for r in stages.run_watches(settings, deliver=False, client=index_client)["watches"]}
    assert (again["hook"]["matched"], again["hook"]["new"], again["flaky"]["matched"]) == (2, 0, 0)

    got = stages.run_watches(settings, ["hook"], match=False, client=index_client)["watches"][0]
    assert (got["delivered"], got["pending"]) == (2, 0)
    ((msg,),) = [_posts(srv, "/hook")]
    assert {a["id"] for a in msg["alerts"]} == recorded
    with pytest.raises(stages.AlertsUndelivered, match="flaky: webhook .*HTTP 503"):
        stages.run_watches(settings, ["flaky"], match=False, client=index_client)
    got = stages.run_watches(settings, ["flaky"], match=False, client=index_client)["watches"][0]     # retried
    assert (got["delivered"], got["pending"]) == (2, 0)
    assert [{a["id"] for a in m["alerts"]} for m in _posts(srv, "/flaky")] == [recorded, recorded]

    res = stages.run_watches(settings, client=index_client)             # a whole run: nothing new, nothing sent
    assert all((r["matched"], r["new"], r["delivered"]) == (0, 0, 0) for r in res["watches"])
    assert len(_posts(srv, "/hook")) == 1 and len(_posts(srv, "/flaky")) == 2


@pytest.mark.airflow
def test_news_alerts_matches_once_and_fails_only_the_refused_watchs_task(news_server, index_client, index_settings,
                                                                          storage, tmp_path, airflow_db):
    """news_alerts: the `watches` task matches every watch, then one `run_watch` task per watch delivers; a webhook
    that refuses fails its watch's task only, and the other watch's message goes."""
    srv = news_server(hosts=1)
    good = srv.route("/good", Reply(status=204, content_type=None))
    down = srv.route("/down", Reply(status=500, body="down"))
    cfg = _config(tmp_path, index_settings, [{"name": "good", "query": "ferry", "deliver": [{"webhook": good}]},
                                             {"name": "down", "query": "ferry", "deliver": [{"webhook": down}]}])
    conf = yaml.safe_load(cfg.read_text())
    conf["ingest"] = {"retries": 2, "retry_delay_seconds": 1, "max_retry_delay_seconds": 1}     # retried quickly
    cfg.write_text(yaml.safe_dump(conf))
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": []}))
    settings = load_settings(cfg)
    stages.run_watches(settings, client=index_client)            # they start
    time.sleep(1.1)
    ferry = _doc(1, title="The ferry timetable")
    bulk_load(index_client, [ferry, _doc(2, title="The bridge")], settings, storage=storage, run_id="new")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSETL_CONFIG", str(cfg))
        spec = importlib.util.spec_from_file_location(f"dag_{uuid.uuid4().hex[:6]}", REPO / "dags" / "news_alerts.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        dr = mod.news_alerts_dag.test()
    assert dr.state == "failed"
    states = {(ti.task_id, ti.map_index): ti.state for ti in dr.get_task_instances()}
    assert states == {("watches", -1): "success", ("run_watch", 0): "success", ("run_watch", 1): "failed"}
    ((msg,),) = [_posts(srv, "/good")]
    assert msg["watch"] == "good" and [a["id"] for a in msg["alerts"]] == [ferry["id"]]
    assert len(_posts(srv, "/down")) == 3               # the task and its two retries, each sending what waits
    waiting = alerts_listing(index_client, settings, watch="down", pending=True)
    assert [a["id"] for a in waiting] == [ferry["id"]] and "HTTP 500" in waiting[0]["last_error"]
    assert read_state(storage, "down")["cursor"] == read_state(storage, "good")["cursor"]


def test_a_watch_whose_search_the_cluster_refuses_keeps_its_cursor_and_the_others_go_on(index_client, index_settings,
                                                                                        storage, tmp_path):
    """A search the cluster refuses (more source names than a terms query may hold, index.max_terms_count) fails
    that watch only: the others of the shared read record their alerts, it keeps its cursor and the reason, its
    delivery fails naming it; alone in a run, the same. Its search fixed, it gets what it missed."""
    huge = ",".join(f"site{i}.example" for i in range(70000))
    specs = [{"name": "storm", "query": "storm"}, {"name": "huge", "query": "storm", "source": huge}]
    settings = _settings(index_settings, tmp_path, specs)
    stages.run_watches(settings, client=index_client)
    before = read_state(storage, "huge")
    time.sleep(1.1)
    doc = _doc(1, title="Storm warning")
    bulk_load(index_client, [doc], settings, storage=storage, run_id="a")

    with pytest.raises(stages.AlertsUndelivered, match="huge: .*the cluster refused its search") as e:
        stages.run_watches(settings, client=index_client)
    res = {r["watch"]: r for r in e.value.summary["watches"]}
    assert (res["storm"]["new"], res["storm"]["errors"]) == (1, [])
    assert res["huge"]["new"] == 0 and read_state(storage, "huge")["cursor"] == before["cursor"]
    assert "refused its search" in read_state(storage, "huge")["match_error"]
    with pytest.raises(stages.AlertsUndelivered, match="huge: .*the cluster refused its search"):
        stages.run_watches(settings, ["huge"], client=index_client)           # alone: the same
    assert read_state(storage, "huge")["cursor"] == before["cursor"]

    settings = _settings(index_settings, tmp_path, [specs[0], {"name": "huge", "query": "storm",
                                                               "source": "site1.example,news.example.org"}])
    res = {r["watch"]: r for r in stages.run_watches(settings, client=index_client)["watches"]}
    assert (res["huge"]["new"], res["huge"]["errors"], res["storm"]["new"]) == (1, [], 0)
    assert "match_error" not in read_state(storage, "huge") and _ids(index_client, settings, "huge") == {doc["id"]}
