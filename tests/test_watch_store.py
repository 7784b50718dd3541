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


# -- webhook header values encrypted at rest (NEWSETL_WATCH_SECRET_KEY) ----------------------------------------------

KEY_ENV = "NEWSETL_WATCH_SECRET_KEY"
TOKEN = "Bearer header-secret-456"


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _raw(client, settings, name: str) -> dict:
    """A stored watch's document as the index holds it."""
    return client.get(index=settings.index.watches_index_name, id=name)["_source"]


def _hook_watch(name: str, hook: str, value: str = TOKEN, query: str = "storm") -> Watch:
    return Watch.model_validate({"name": name, "query": query,
                                 "deliver": [{"webhook": hook, "headers": {"Authorization": value}}]})


def _later() -> str:
    """A fetch time after every watch of the test started."""
    import datetime as dt

    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)).isoformat()


def _auth(srv, path: str) -> list[str | None]:
    """The Authorization header of each message the receiver got at ``path``."""
    return [q.headers.get("authorization") for q in srv.requests(path=path) if q.method == "POST"]


def test_with_a_key_header_values_are_stored_encrypted_and_sent_in_clear(news_server, index_client, index_settings,
                                                                         storage, tmp_path, monkeypatch):
    """Written through the API, the command's store or enabled again, a header value is never in the index in
    clear (nor shown as ciphertext by the API); a delivery, and `newsetl watch test`, send the clear value."""
    from cryptography.fernet import Fernet

    from pipeline.watches import set_enabled

    key = _fernet_key()
    monkeypatch.setenv(KEY_ENV, key)
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    cfg = _config(tmp_path, index_settings, [])
    settings = load_settings(cfg).model_copy(deep=True)
    settings.alerts.api_webhook_private_ok = True          # the receiver is on 127.0.0.1
    with served(create_app(settings, api_key="reader-key", admin_keys=["admin-key-1"])) as base:
        r = httpx.put(f"{base}/watches/via-api", headers=ADMIN, json={
            "query": "storm", "deliver": [{"webhook": hook, "headers": {"Authorization": TOKEN, "X-Team": "desk"}}]})
        assert r.status_code == 201, r.text
        listed = httpx.get(f"{base}/watches", headers=READER)
        assert listed.status_code == 200
        (w,) = listed.json()["watches"]
        assert w["deliver"][0]["headers"] == {"Authorization": "***", "X-Team": "***"}
        for text in (r.text, listed.text):      # no clear value, and no ciphertext either
            assert "header-secret-456" not in text and "gAAAA" not in text and '"enc"' not in text
    put_watch(index_client, storage, settings, _hook_watch("via-store", hook), by="test")

    for name in ("via-api", "via-store"):
        raw = _raw(index_client, settings, name)
        headers = raw["deliver"][0]["headers"]
        assert "header-secret-456" not in json.dumps(raw) and set(headers["Authorization"]) == {"enc"}, raw
        assert Fernet(key.encode()).decrypt(headers["Authorization"]["enc"].encode()).decode() == TOKEN
    assert _raw(index_client, settings, "via-api")["deliver"][0]["headers"]["X-Team"] != "desk"
    assert load_all(settings, client=index_client).in_clear == []

    # a watch stored before the key, in clear, is encrypted when it is enabled again (a rewrite of it)
    monkeypatch.delenv(KEY_ENV)
    put_watch(index_client, storage, settings, _hook_watch("old", hook), by="test")
    assert _raw(index_client, settings, "old")["deliver"][0]["headers"] == {"Authorization": TOKEN}
    assert load_all(settings, client=index_client).in_clear == ["old"]
    monkeypatch.setenv(KEY_ENV, key)
    set_enabled(index_client, settings, "old", True)
    assert set(_raw(index_client, settings, "old")["deliver"][0]["headers"]["Authorization"]) == {"enc"}

    # delivered: the receiver gets the clear value
    assert bulk_load(index_client, [_doc(1, title="Storm hits the coast", fetched=_later())], settings,
                     storage=storage, run_id="enc").created == 1
    res = stages.run_watches(settings, client=index_client)
    assert {r["watch"]: r["delivered"] for r in res["watches"]} == {"old": 1, "via-api": 1, "via-store": 1}
    assert _auth(srv, "/hook") == [TOKEN] * 3
    assert {json.loads(q.body)["watch"]: q.headers.get("x-team") for q in srv.requests(path="/hook")}[
        "via-api"] == "desk"
    p = run_cli(cfg, "watch", "test", "--name", "via-store")         # the command's own process, the same key
    assert p.returncode == 0 and "delivered" in p.stdout, p.stdout + p.stderr
    assert _auth(srv, "/hook")[-1] == TOKEN


def test_a_header_no_key_decrypts_makes_its_alerts_wait_and_the_other_watches_deliver(
        news_server, index_client, index_settings, storage, tmp_path, monkeypatch):
    """A wrong key, or none: the run goes on with the other watches; that watch's channel is not sent to (neither
    without its header nor with its ciphertext), its alerts wait with a reason naming the variable, and are sent at
    the next run that has the key."""
    from pipeline.stages import AlertsUndelivered

    first, second = _fernet_key(), _fernet_key()
    srv = news_server(hosts=1)
    hook_a = srv.route("/hook-a", Reply(status=204, content_type=None))
    hook_b = srv.route("/hook-b", Reply(status=204, content_type=None))
    cfg = _config(tmp_path, index_settings, [])
    settings = load_settings(cfg)
    monkeypatch.setenv(KEY_ENV, first)
    put_watch(index_client, storage, settings, _hook_watch("sealed", hook_a), by="test")
    monkeypatch.setenv(KEY_ENV, second)                  # the first key lost: only the second here
    put_watch(index_client, storage, settings, _hook_watch("open", hook_b, "Bearer other-token"), by="test")
    assert bulk_load(index_client, [_doc(1, title="Storm hits the coast", fetched=_later())], settings,
                     storage=storage, run_id="wrong").created == 1

    with pytest.raises(AlertsUndelivered) as e:
        stages.run_watches(settings, client=index_client)
    assert "sealed: " in str(e.value) and KEY_ENV in str(e.value) and "open: " not in str(e.value)
    res = {r["watch"]: r for r in e.value.summary["watches"]}
    assert (res["open"]["delivered"], res["sealed"]["delivered"], res["sealed"]["pending"]) == (1, 0, 1)
    assert _auth(srv, "/hook-b") == ["Bearer other-token"] and _auth(srv, "/hook-a") == []
    index_client.indices.refresh(index=settings.index.alerts_index_name)
    (waiting,) = alerts_listing(index_client, settings, watch="sealed", pending=True)
    assert waiting["attempts"] == 1 and "cannot be decrypted" in waiting["last_error"], waiting
    assert f"no key of {KEY_ENV} decrypts it" in waiting["last_error"]
    # the test message is refused the same way, nothing sent
    p = run_cli(cfg, "watch", "test", "--name", "sealed")
    assert p.returncode == 1 and "FAILED" in p.stdout and KEY_ENV in p.stdout, p.stdout + p.stderr
    assert _auth(srv, "/hook-a") == []

    # no key at all: the same, with that reason; and the listing still masks (no placeholder, no ciphertext)
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(AlertsUndelivered):
        stages.run_watches(settings, ["sealed"], client=index_client)
    (waiting,) = alerts_listing(index_client, settings, watch="sealed", pending=True)
    assert waiting["attempts"] == 2 and f"{KEY_ENV} is not set here" in waiting["last_error"], waiting
    assert _auth(srv, "/hook-a") == []

    # the lost key back (after the new one): the alert that waited goes out, with the clear header
    monkeypatch.setenv(KEY_ENV, f"{second},{first}")
    res = stages.run_watches(settings, client=index_client)
    assert {r["watch"]: (r["delivered"], r["pending"]) for r in res["watches"]} == {"open": (0, 0),
                                                                                     "sealed": (1, 0)}
    assert _auth(srv, "/hook-a") == [TOKEN]


def test_rotation_and_reencrypt(news_server, index_client, index_settings, storage, tmp_path, monkeypatch):
    """Keys "new,old" decrypt what the old one encrypted; `newsetl watch reencrypt` puts every stored header under
    the new key (and encrypts those in clear), after which the old key can go; it refuses without a key and names
    a watch that no key decrypts."""
    from cryptography.fernet import Fernet, InvalidToken

    old, new = _fernet_key(), _fernet_key()
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    cfg = _config(tmp_path, index_settings, [])
    settings = load_settings(cfg)

    p = run_cli(cfg, "watch", "new-key")
    assert p.returncode == 0 and Fernet(p.stdout.strip().encode()), p.stderr       # a valid key
    assert run_cli(cfg, "watch", "new-key").stdout != p.stdout                     # a fresh one each time

    monkeypatch.delenv(KEY_ENV, raising=False)
    put_watch(index_client, storage, settings, _hook_watch("in-clear", hook), by="test")
    put_watch(index_client, storage, settings, Watch(name="no-headers", query="storm"), by="test")
    p = run_cli(cfg, "watch", "reencrypt")
    assert p.returncode == 2 and KEY_ENV in p.stderr and "new-key" in p.stderr, p.stdout + p.stderr
    monkeypatch.setenv(KEY_ENV, old)
    put_watch(index_client, storage, settings, _hook_watch("under-old", hook), by="test")

    # rotation: the new key first, the old one after; what the old key encrypted still decrypts
    monkeypatch.setenv(KEY_ENV, f"{new},{old}")
    got = {w.name: w for w in load_all(settings, client=index_client)}
    assert got["under-old"].deliver[0].headers == {"Authorization": TOKEN}
    before = _raw(index_client, settings, "under-old")["deliver"][0]["headers"]["Authorization"]["enc"]
    p = run_cli(cfg, "watch", "reencrypt", "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    res = json.loads(p.stdout)
    assert (res["watches"], res["rewritten"], res["encrypted"], res["reencrypted"], res["failed"]) == (3, 2, 1, 1, {})
    for name in ("in-clear", "under-old"):
        token = _raw(index_client, settings, name)["deliver"][0]["headers"]["Authorization"]["enc"]
        assert Fernet(new.encode()).decrypt(token.encode()).decode() == TOKEN
        with pytest.raises(InvalidToken):
            Fernet(old.encode()).decrypt(token.encode())
    assert _raw(index_client, settings, "under-old")["deliver"][0]["headers"]["Authorization"]["enc"] != before
    p = run_cli(cfg, "watch", "reencrypt")
    assert p.returncode == 0 and "2 rewritten" in p.stdout and "0 header values encrypted" in p.stdout, p.stdout

    # the old key gone: delivery still has the clear value
    monkeypatch.setenv(KEY_ENV, new)
    assert bulk_load(index_client, [_doc(1, title="Storm hits the coast", fetched=_later())], settings,
                     storage=storage, run_id="rot").created == 1
    res = stages.run_watches(settings, client=index_client)
    assert {r["watch"]: r["delivered"] for r in res["watches"]} == {"in-clear": 1, "no-headers": 0, "under-old": 1}
    assert _auth(srv, "/hook") == [TOKEN, TOKEN]

    # a key that opens nothing: exit 1 naming each such watch, which is left as it was
    monkeypatch.setenv(KEY_ENV, old)
    kept = _raw(index_client, settings, "in-clear")
    p = run_cli(cfg, "watch", "reencrypt")
    assert p.returncode == 1 and "in-clear: " in p.stderr and "under-old: " in p.stderr, p.stdout + p.stderr
    assert f"decrypted by no key of {KEY_ENV}" in p.stderr
    assert _raw(index_client, settings, "in-clear") == kept
    monkeypatch.setenv(KEY_ENV, "not-a-key")
    p = run_cli(cfg, "watch", "reencrypt")
    assert p.returncode == 2 and f"{KEY_ENV}: its key #1 is not a Fernet key" in p.stderr, p.stderr


def test_the_doctor_warns_of_headers_in_clear_and_fails_on_one_it_cannot_decrypt(index_client, index_settings,
                                                                                   storage, tmp_path, monkeypatch):
    def alerts_line() -> tuple[int, dict]:
        p = run_cli(cfg, "doctor", "--only", "alerts", "--json")
        (line,) = [r for r in json.loads(p.stdout) if r["name"] == "alerts"]
        return p.returncode, line

    monkeypatch.delenv(KEY_ENV, raising=False)
    cfg = _config(tmp_path, index_settings, [])
    settings = load_settings(cfg)
    put_watch(index_client, storage, settings, _hook_watch("clear", "https://hooks.example.org/a"), by="test")
    put_watch(index_client, storage, settings, Watch(name="plain", query="storm", deliver=[
        {"webhook": "https://hooks.example.org/b"}]), by="test")
    code, line = alerts_line()
    assert line["status"] == "warn" and code == 0, line
    assert ("stored watch clear keeps webhook headers in clear: set NEWSETL_WATCH_SECRET_KEY and run newsetl watch "
            "reencrypt") in line["summary"] and "plain" not in line["summary"], line
    assert "newsetl watch new-key" in line["fix"] and "newsetl watch reencrypt" in line["fix"], line

    key = _fernet_key()
    monkeypatch.setenv(KEY_ENV, key)
    code, line = alerts_line()              # the key set, the value still in clear
    assert line["status"] == "warn" and "clear keeps webhook headers in clear: run newsetl watch reencrypt" in \
        line["summary"], line
    assert run_cli(cfg, "watch", "reencrypt").returncode == 0
    code, line = alerts_line()
    assert (code, line["status"]) == (0, "ok") and "in clear" not in line["summary"], line

    monkeypatch.setenv(KEY_ENV, _fernet_key())          # a wrong key: that watch cannot deliver
    code, line = alerts_line()
    assert (code, line["status"]) == (1, "fail"), line
    assert "watch clear: webhook https://hooks.example.org/… (json): the header Authorization cannot be decrypted" \
        in line["summary"] and KEY_ENV in line["fix"], line
    monkeypatch.delenv(KEY_ENV)
    code, line = alerts_line()
    assert line["status"] == "fail" and f"{KEY_ENV} is not set here" in line["summary"], line
    monkeypatch.setenv(KEY_ENV, "not-a-key")
    code, line = alerts_line()
    assert line["status"] == "fail" and f"{KEY_ENV}: its key #1 is not a Fernet key" in line["summary"], line
    assert "newsetl watch new-key" in line["fix"], line
