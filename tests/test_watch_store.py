"""Watches stored in the cluster (the watches index; pipeline.watches.load_all, `newsetl watch add|remove|enable|
disable`, GET/PUT/DELETE /watches, news_alerts), against the real Elasticsearch node, a webhook receiver on
127.0.0.1, uvicorn, the command in its own process and `dag.test()`: a stored watch alerts as a file's does; the
file keeps its names; the API writes only with an admin key, only webhooks, none into the server's network unless
allowed, and never shows a channel's secret; removing a watch clears its cursor; without the cluster (or with a
watches index that refuses to be read) the file's watches still load and run."""
from __future__ import annotations

import importlib.util
import json
import time
import uuid
from pathlib import Path

import httpx
import pytest
import yaml

from pipeline import stages
from pipeline.api import create_app
from pipeline.load import bulk_load
from pipeline.settings import load_settings
from pipeline.watches import (WATCHES_MAPPING, Watch, WatchStoreError, alerts_listing, load_all, put_watch,
                              read_state, remove_watch, state_path)
from tests.cfgutil import run_cli
from tests.netutil import free_port
from tests.plugins.httpserver import Reply
from tests.test_api import served
from tests.test_watches import _doc, _posts, _settings

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.es
ADMIN = {"Authorization": "Bearer admin-key-1"}
READER = {"X-API-Key": "reader-key"}


def _config(tmp_path: Path, settings, watches: list[dict], es_url: str | None = None) -> Path:
    """A newsetl.yaml (and the watches file beside it) for a command in its own process against ``settings``'
    cluster (or ``es_url``), index and storage; the changes feed without delay."""
    (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": watches}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": es_url or settings.elasticsearch.url},
                                   "index": {"name": settings.index.name, "search": {"changes_delay_seconds": 0}},
                                   "storage": {"root": settings.storage.root},
                                   "alerts": {"watches_file": str(tmp_path / "watches.yaml")}}))
    return cfg


def test_the_mapping_holds_every_key_of_a_watch():
    """The index is strict: a key a watches.yaml entry may have that the mapping lacks would refuse every write."""
    assert set(Watch.model_fields) <= set(WATCHES_MAPPING["properties"])
    assert {"created_at", "updated_at", "created_by"} <= set(WATCHES_MAPPING["properties"])


def test_added_with_the_command_a_watch_alerts_through_a_webhook(news_server, index_client, index_settings, storage,
                                                                 tmp_path):
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    cfg = _config(tmp_path, index_settings, [{"name": "harbour", "query": "harbour"}])
    settings = load_settings(cfg)
    bulk_load(index_client, [_doc(0, title="Storm hits the coast")], settings, storage=storage, run_id="before")

    p = run_cli(cfg, "watch", "add", "--name", "storms", "storm", "--lang", "en", "--webhook", hook,
                "--description", "Storms in English", "--by", "desk")
    assert p.returncode == 0 and "storms: stored in " + settings.index.watches_index_name in p.stdout, p.stderr
    assert index_client.indices.get_mapping(index=settings.index.watches_index_name)[
        settings.index.watches_index_name]["mappings"]["dynamic"] == "strict"
    doc = index_client.get(index=settings.index.watches_index_name, id="storms")["_source"]
    assert (doc["query"], doc["lang"], doc["created_by"]) == ("storm", "en", "desk")
    assert [c["webhook"] for c in doc["deliver"]] == [hook] and doc["created_at"] == doc["updated_at"]
    assert read_state(storage, "storms")["started_at"]           # it starts now: the storm before does not alert
    stages.run_watches(settings, client=index_client)            # and the file's watch starts at its first run
    # the file's names are the file's; a stored name is taken until replaced
    p = run_cli(cfg, "watch", "add", "--name", "harbour", "ships")
    assert p.returncode == 2 and "defines a watch named 'harbour'" in p.stderr, p.stderr
    p = run_cli(cfg, "watch", "add", "--name", "storms", "gale")
    assert p.returncode == 2 and "a stored watch named 'storms' exists" in p.stderr and "--replace" in p.stderr
    p = run_cli(cfg, "watch", "add", "--name", "bad", "--entity", "human:Olaf")
    assert p.returncode == 2 and "entities" in p.stderr and "unknown entity type 'human'" in p.stderr
    listed = {r["name"]: r for r in json.loads(run_cli(cfg, "watch", "list", "--json").stdout)}
    assert {n: r["origin"] for n, r in listed.items()} == {"harbour": "file", "storms": "stored"}
    assert listed["storms"]["channels"] == [f"webhook {hook.split('/hook')[0]}/… (json)"]
    p = run_cli(cfg, "watch", "list")
    assert "storms [stored]: last run" in p.stdout and "harbour [file]: last run" in p.stdout

    time.sleep(1.1)             # fetched after the watch started (the test's fetch times are whole seconds)
    new = [_doc(1, title="Storm closes the harbour"), _doc(2, title="Storm warning for Sunday"),
           _doc(3, title="Sturm an der Küste", lang="de", text="Der Sturm storm kommt. " * 8)]
    bulk_load(index_client, new, settings, storage=storage, run_id="new")
    p = run_cli(cfg, "watch", "run", "--json")
    assert p.returncode == 0, p.stderr
    res = {r["watch"]: r for r in json.loads(p.stdout)["watches"]}
    assert (res["storms"]["new"], res["storms"]["delivered"]) == (2, 2) and res["harbour"]["new"] == 1
    (msg,) = _posts(srv, "/hook")
    assert (msg["watch"], msg["description"]) == ("storms", "Storms in English")
    assert sorted(a["id"] for a in msg["alerts"]) == sorted(d["id"] for d in new[:2])

    # disabled, it does not run; enabled again, it goes on from its cursor
    assert run_cli(cfg, "watch", "disable", "--name", "storms").returncode == 0
    assert [w.name for w in load_all(settings, client=index_client, enabled_only=True)] == ["harbour"]
    p = run_cli(cfg, "watch", "disable", "--name", "harbour")
    assert p.returncode == 2 and "set its enabled: there" in p.stderr
    assert run_cli(cfg, "watch", "enable", "--name", "storms").returncode == 0
    assert stages.run_watches(settings, ["storms"], client=index_client)["watches"][0]["matched"] == 0

    # removed: the cursor goes, the alerts stay (history); added again it starts afresh
    assert storage.exists(state_path("storms"))
    p = run_cli(cfg, "watch", "remove", "--name", "storms")
    assert p.returncode == 0 and "its cursor cleared, its alerts kept" in p.stdout, p.stderr
    assert not storage.exists(state_path("storms"))
    index_client.indices.refresh(index=settings.index.alerts_index_name)
    assert len(alerts_listing(index_client, settings, watch="storms")) == 2
    assert [w.name for w in load_all(settings, client=index_client)] == ["harbour"]
    p = run_cli(cfg, "watch", "remove", "--name", "storms")
    assert p.returncode == 2 and "no stored watch named 'storms'" in p.stderr
    p = run_cli(cfg, "watch", "remove", "--name", "harbour")
    assert p.returncode == 2 and "remove it there" in p.stderr


def test_the_api_adds_replaces_and_removes_watches_with_an_admin_key(news_server, index_client, index_settings,
                                                                    storage, tmp_path):
    srv = news_server(hosts=1)
    hook = srv.route("/hook/T000/B000/secret-path", Reply(status=200, body="ok"))
    settings = _settings(index_settings, tmp_path, [{"name": "harbour", "query": "harbour"}],
                         api_webhook_private_ok=True)           # the receiver is on 127.0.0.1
    entry = {"description": "Ferries, for the ferry service", "query": "ferry", "lang": "en",
             "deliver": [{"webhook": hook + "?token=tok-in-the-url",
                          "headers": {"Authorization": "Bearer header-secret-123"}}]}
    with served(create_app(settings, api_key="reader-key", admin_keys=["admin-key-1", "admin-key-2"])) as base:
        url = f"{base}/watches/ferries"
        r = httpx.put(url, json=entry)
        assert r.status_code == 401 and "admin key" in r.json()["error"]
        r = httpx.put(url, json=entry, headers=READER)
        assert r.status_code == 403 and "this key only reads" in r.json()["error"]
        r = httpx.put(url, json=entry, headers={"X-API-Key": "guess"})
        assert r.status_code == 401
        assert httpx.get(f"{base}/watches").status_code == 401                  # reading needs the reading key
        r = httpx.put(url, json=entry, headers=ADMIN)
        assert r.status_code == 201, r.text
        created = r.json()
        assert (created["origin"], created["created_by"], created["query"]) == ("stored", "api", "ferry")

        # the listing: both origins, no secret of a channel
        r = httpx.get(f"{base}/watches", headers=READER)
        assert r.status_code == 200
        got = {w["name"]: w for w in r.json()["watches"]}
        assert {n: w["origin"] for n, w in got.items()} == {"harbour": "file", "ferries": "stored"}
        (ch,) = got["ferries"]["deliver"]
        assert ch["webhook"] == hook.split("/hook")[0] + "/…" and ch["headers"] == {"Authorization": "***"}
        for secret in ("secret-path", "tok-in-the-url", "header-secret-123", "T000"):
            assert secret not in r.text and secret not in json.dumps(created)
        assert httpx.get(f"{base}/watches", headers={"X-API-Key": "admin-key-2"}).status_code == 200   # admins read

        # replaced: the new search, the same creation
        time.sleep(0.01)
        r = httpx.put(url, json={**entry, "name": "ferries", "query": "ferry | harbour"}, headers=ADMIN)
        assert r.status_code == 200 and r.json()["query"] == "ferry | harbour"
        assert r.json()["created_at"] == created["created_at"] and r.json()["updated_at"] > created["updated_at"]
        stored = index_client.get(index=settings.index.watches_index_name, id="ferries")["_source"]
        assert stored["deliver"][0]["headers"] == {"Authorization": "Bearer header-secret-123"}   # kept, to send

        # refused: the file's name, a folder, a header reading the server's environment, bodies that do not validate
        r = httpx.put(f"{base}/watches/harbour", json={"query": "x"}, headers=ADMIN)
        assert r.status_code == 409 and "defines a watch named 'harbour'" in r.json()["error"]
        for body, status, field, words in (
                ({"deliver": [{"folder": "alerts/x"}]}, 422, "deliver[0].folder", "webhooks only"),
                ({"deliver": [{"email": ["desk@example.org"]}]}, 422, "deliver[0].email", "webhooks only"),
                ({"deliver": [{"webhook": hook, "headers": {"X-Token": "${NEWSETL_ES_PASSWORD}"}}]}, 422,
                 "deliver[0].headers.X-Token", "environment"),
                ({"deliver": [{"webhook": hook, "secret_env": "NEWSETL_ES_PASSWORD"}]}, 422, "deliver[0].secret_env",
                 "NEWSETL_WEBHOOK_"),
                ({"deliver": [{"webhook": "ftp://example.org/x"}]}, 422, "deliver[0].webhook",
                 "not an http:// or https:// URL"),
                ({"qeury": "typo"}, 422, "qeury", "Extra inputs are not permitted"),
                ({"entities": ["human:Olaf Scholz"]}, 422, "entities", "unknown entity type 'human'"),
                ({"max_per_message": 0}, 422, "max_per_message", "greater than or equal to 1"),
                ({"name": "other"}, 422, "name", "give one name")):
            r = httpx.put(f"{base}/watches/refused", json=body, headers=ADMIN)
            assert r.status_code == status and r.json()["field"] == field and words in r.json()["error"], (body, r.text)
            assert r.json()["error"].startswith(field + ":")
        r = httpx.put(f"{base}/watches/bad%20name", json={}, headers=ADMIN)
        assert r.status_code == 422 and r.json()["field"] == "name"
        assert not index_client.exists(index=settings.index.watches_index_name, id="refused")
        r = httpx.delete(f"{base}/watches/harbour", headers=ADMIN)
        assert r.status_code == 409 and "remove it there" in r.json()["error"]
        assert httpx.delete(f"{base}/watches/nope", headers=ADMIN).status_code == 404
        assert httpx.delete(f"{base}/watches/ferries", headers=READER).status_code == 403

        # the stored watch alerts as the file's does
        stages.run_watches(settings, client=index_client)       # the file's watch starts at its first run
        time.sleep(1.1)
        bulk_load(index_client, [_doc(1, title="Ferry timetable changes"), _doc(2, title="Harbour fees")], settings,
                  storage=storage, run_id="a")
        res = {r["watch"]: r for r in stages.run_watches(settings, client=index_client)["watches"]}
        assert (res["ferries"]["new"], res["ferries"]["delivered"], res["harbour"]["new"]) == (2, 2, 1)
        (req,) = [q for q in srv.requests(prefix="/hook/T000/B000/secret-path") if q.method == "POST"]
        assert req.path.endswith("?token=tok-in-the-url")
        assert req.headers["authorization"] == "Bearer header-secret-123"
        assert sorted(a["title"] for a in json.loads(req.body)["alerts"]) == ["Ferry timetable changes",
                                                                              "Harbour fees"]
        assert read_state(storage, "ferries")["cursor"]

        # removed: its cursor with it, its alerts kept unless asked
        r = httpx.delete(url, headers=ADMIN)
        assert r.status_code == 200 and r.json()["state_removed"] and r.json()["alerts_deleted"] == 0
        assert read_state(storage, "ferries") is None
        assert [w["name"] for w in httpx.get(f"{base}/watches", headers=READER).json()["watches"]] == ["harbour"]
        index_client.indices.refresh(index=settings.index.alerts_index_name)
        assert len(alerts_listing(index_client, settings, watch="ferries")) == 2
        assert httpx.put(url, json=entry, headers=ADMIN).status_code == 201
        r = httpx.delete(url, params={"delete_alerts": "true"}, headers=ADMIN)
        assert r.status_code == 200 and r.json()["alerts_deleted"] == 2

        # the schema shows the routes and the body
        schema = httpx.get(f"{base}/openapi.json").json()
        assert {"put", "delete"} <= set(schema["paths"]["/watches/{name}"]) and "get" in schema["paths"]["/watches"]
        body = schema["paths"]["/watches/{name}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"].endswith("/WatchBody")
        assert {"query", "deliver", "entities"} <= set(schema["components"]["schemas"]["WatchBody"]["properties"])

    with served(create_app(settings, api_key="reader-key", admin_keys=[])) as base:     # writes not enabled
        r = httpx.put(f"{base}/watches/ferries", json=entry, headers=READER)
        assert r.status_code == 403 and "NEWSETL_API_ADMIN_KEYS" in r.json()["error"]


def test_a_webhook_into_the_servers_network_is_refused_unless_allowed(news_server, index_client, index_settings,
                                                                     tmp_path):
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=200))
    settings = _settings(index_settings, tmp_path, [])
    assert settings.alerts.api_webhook_private_ok is False                  # the default
    with served(create_app(settings, api_key="", admin_keys=["admin-key-1"])) as base:
        for url, words in ((hook, "127.0.0.1 is loopback"), ("http://10.1.2.3/hook", "10.1.2.3 is private"),
                           ("http://169.254.169.254/latest/meta-data", "(169.254.169.254 is "),
                           (f"http://localhost:{free_port()}/x", "localhost is no public address (")):
            r = httpx.put(f"{base}/watches/inside", json={"deliver": [{"webhook": url}]}, headers=ADMIN)
            assert r.status_code == 422 and r.json()["field"] == "deliver[0].webhook", r.text
            assert words in r.json()["error"] and "alerts.api_webhook_private_ok" in r.json()["error"]
        assert not index_client.indices.exists(index=settings.index.watches_index_name)
    allowed = _settings(index_settings, tmp_path, [], api_webhook_private_ok=True)
    with served(create_app(allowed, api_key="", admin_keys=["admin-key-1"])) as base:
        r = httpx.put(f"{base}/watches/inside", json={"deliver": [{"webhook": hook}]}, headers=ADMIN)
        assert r.status_code == 201, r.text


def test_a_watch_written_through_the_api_posts_only_to_a_public_address_at_each_delivery(
        news_server, index_client, index_settings, storage, tmp_path):
    """The address of an API-written watch's webhook is checked again at each delivery, on the connection itself (a
    name can resolve elsewhere after the check when it was stored: DNS rebinding). One written by the command, which
    the operator runs, is not; alerts.api_webhook_private_ok turns the check off."""
    import datetime as dt

    from pipeline.stages import AlertsUndelivered

    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    allowed = _settings(index_settings, tmp_path, [], api_webhook_private_ok=True)
    with served(create_app(allowed, api_key="", admin_keys=["admin-key-1"])) as base:
        r = httpx.put(f"{base}/watches/via-api", json={"query": "storm", "deliver": [{"webhook": hook}]},
                      headers=ADMIN)
        assert r.status_code == 201, r.text
    put_watch(index_client, storage, allowed, Watch.model_validate(
        {"name": "via-cli", "query": "storm", "deliver": [{"webhook": hook}]}), by="cli")
    # the same watch replaced by the command stays guarded: it was written through the API once
    assert index_client.get(index=allowed.index.watches_index_name, id="via-api")["_source"]["api_written"] is True

    strict = _settings(index_settings, tmp_path, [])        # api_webhook_private_ok false: as when the address moved
    got = load_all(strict, client=index_client)
    assert {w.name: [c._guarded for c in w.deliver] for w in got} == {"via-api": [True], "via-cli": [False]}
    later = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)).isoformat()   # fetched after both started
    assert bulk_load(index_client, [_doc(1, title="Storm hits the coast", fetched=later)], strict, storage=storage,
                     run_id="guard").created == 1
    with pytest.raises(AlertsUndelivered):
        stages.run_watches(strict, client=index_client)
    posts = _posts(srv, "/hook")
    assert [p["watch"] for p in posts] == ["via-cli"]        # the API's watch did not reach 127.0.0.1
    index_client.indices.refresh(index=strict.index.alerts_index_name)
    waiting = alerts_listing(index_client, strict, watch="via-api", pending=True, size=10)
    assert len(waiting) == 1 and "127.0.0.1 is loopback" in waiting[0]["last_error"], waiting
    # allowed again: the alert that waited goes out at the next run
    stages.run_watches(allowed, client=index_client)
    assert sorted(p["watch"] for p in _posts(srv, "/hook")) == ["via-api", "via-cli"]


def test_the_file_keeps_its_names_and_a_stored_watch_it_takes_is_shadowed(index_client, index_settings, storage,
                                                                          tmp_path):
    settings = _settings(index_settings, tmp_path, [{"name": "harbour", "query": "harbour"}])
    put_watch(index_client, storage, settings, Watch(name="gales", query="gale"), by="test")
    with pytest.raises(WatchStoreError) as e:
        put_watch(index_client, storage, settings, Watch(name="harbour", query="ships"), by="test")
    assert e.value.status == 409
    # the file takes the name later: its watch runs, the stored one is reported, not run, not an error
    cfg = _config(tmp_path, settings, [{"name": "harbour", "query": "harbour"}, {"name": "gales", "query": "storm"}])
    settings = load_settings(cfg)
    got = load_all(settings, client=index_client)
    assert [(w.name, w.query, got.origin[w.name]) for w in got] == [("harbour", "harbour", "file"),
                                                                     ("gales", "storm", "file")]
    assert got.shadowed == ["gales"]
    p = run_cli(cfg, "watch", "list")
    assert p.returncode == 0 and "warning: the stored watch 'gales' is shadowed" in p.stdout, p.stderr
    assert "gales [file]" in p.stdout
    res = stages.run_watches(settings, client=index_client)
    assert [r["watch"] for r in res["watches"]] == ["harbour", "gales"] and res["shadowed"] == ["gales"]
    # removing the shadowed copy leaves the file's watch its cursor
    assert read_state(storage, "gales")["last_run_at"]
    out = remove_watch(index_client, storage, settings, "gales")
    assert out["removed"] and out["shadowed"] and not out["state_removed"] and read_state(storage, "gales")
    assert load_all(settings, client=index_client).shadowed == []


def test_without_the_cluster_the_files_watches_still_load_and_run(news_server, index_client, index_settings, storage,
                                                                  tmp_path):
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=200))
    settings = _settings(index_settings, tmp_path, [{"name": "harbour", "query": "harbour",
                                                     "deliver": [{"webhook": hook}]}])
    put_watch(index_client, storage, settings, Watch(name="gales", query="gale"), by="test")

    # the cluster away: the file's watches load, list and take a test message; a note says what is missing
    (tmp_path / "away").mkdir()
    away = _config(tmp_path / "away", settings, [{"name": "harbour", "query": "harbour",
                                                  "deliver": [{"webhook": hook}]}],
                   es_url=f"http://127.0.0.1:{free_port()}")
    got = load_all(load_settings(away))
    assert [w.name for w in got] == ["harbour"] and "unreachable" in got.notes[0]
    p = run_cli(away, "watch", "list")
    assert p.returncode == 0 and "harbour [file]" in p.stdout and "stored watches were not read" in p.stdout, p.stderr
    p = run_cli(away, "watch", "test", "--name", "harbour")
    assert p.returncode == 0 and "delivered" in p.stdout and _posts(srv, "/hook")[0]["test"] is True, p.stderr
    p = run_cli(away, "watch", "run")
    assert p.returncode == 1 and "unreachable" in p.stderr         # a run needs the cluster, and says so

    # the cluster up but the watches index refusing to be read (closed): the file's watch runs and alerts
    stages.run_watches(settings, client=index_client)
    index_client.indices.close(index=settings.index.watches_index_name)
    time.sleep(1.1)
    bulk_load(index_client, [_doc(1, title="Harbour reopens")], settings, storage=storage, run_id="a")
    res = stages.run_watches(settings, client=index_client)
    assert [(r["watch"], r["new"], r["delivered"]) for r in res["watches"]] == [("harbour", 1, 1)]
    assert "the stored watches were not read" in res["notes"][0]
    assert [a["title"] for a in _posts(srv, "/hook")[-1]["alerts"]] == ["Harbour reopens"]
    index_client.indices.open(index=settings.index.watches_index_name)
    assert [w.name for w in load_all(settings, client=index_client)] == ["harbour", "gales"]


@pytest.mark.airflow
def test_news_alerts_runs_a_stored_watch(news_server, index_client, index_settings, storage, tmp_path, airflow_db):
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=200))
    cfg = _config(tmp_path, index_settings, [])
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": []}))     # the DAG file validates it
    settings = load_settings(cfg)
    bulk_load(index_client, [_doc(0, title="An old ferry story")], settings, storage=storage, run_id="old")
    put_watch(index_client, storage, settings, Watch(name="ferries", query="ferry", deliver=[{"webhook": hook}]),
              by="test")
    time.sleep(1.1)
    bulk_load(index_client, [_doc(1, title="The ferry timetable"), _doc(2, title="The bridge")], settings,
              storage=storage, run_id="new")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSETL_CONFIG", str(cfg))
        spec = importlib.util.spec_from_file_location(f"dag_{uuid.uuid4().hex[:6]}", REPO / "dags" / "news_alerts.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        assert mod.news_alerts_dag.test().state == "success"
    (msg,) = _posts(srv, "/hook")
    assert msg["watch"] == "ferries" and [a["title"] for a in msg["alerts"]] == ["The ferry timetable"]
