"""Watches (pipeline.watches, pipeline.notify, `newsetl watch`, the news_alerts DAG): saved searches that alert on
new articles, once each, through a real webhook receiver on 127.0.0.1 and folders, against a real Elasticsearch
node and real Airflow (``dag.test()``). A refused delivery waits and is sent again; a replay alerts nobody."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib.util
import json
import time
import uuid
from pathlib import Path

import httpx
import pytest
import yaml

from pipeline import stages
from pipeline.admin import create_next_version, swap_aliases
from pipeline.api import create_app
from pipeline.load import bulk_load
from pipeline.notify import message_id
from pipeline.settings import ConfigError, load_settings
from pipeline.settings.alerts import AlertsSettings
from pipeline.watches import alerts_listing, load_watches, read_state
from tests.cfgutil import pipeline_config, run_cli
from tests.plugins.docs import make_document
from tests.plugins.httpserver import Reply, html_page
from tests.test_api import served

REPO = Path(__file__).resolve().parents[1]
SECRET = "s3cret-for-the-test"
pytestmark = pytest.mark.es


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _doc(i: int, *, title: str, lang: str = "en", people=(), text: str = "", fetched: str | None = None) -> dict:
    doc = make_document(f"https://news.example.org/w/{i}", title=title, language=lang,
                        text=text or f"{title}. The story goes on about the week in the town. " * 6,
                        published_at=_now(), fetched_at=fetched or _now())
    doc["entities"] = {**doc["entities"], "person": list(people)}
    return doc


def _settings(index_settings, tmp_path: Path, watches: list[dict], **alerts):
    path = tmp_path / "watches.yaml"
    path.write_text(yaml.safe_dump({"watches": watches}))
    idx = index_settings.index
    return index_settings.model_copy(update={
        "index": idx.model_copy(update={"search": idx.search.model_copy(update={"changes_delay_seconds": 0.0})}),
        "alerts": AlertsSettings.model_validate({**index_settings.alerts.model_dump(), "watches_file": str(path),
                                                 **alerts})})


def _posts(srv, path: str) -> list[dict]:
    return [json.loads(r.body) for r in srv.requests(path=path) if r.method == "POST"]


def _alerts(client, settings, watch: str) -> list[dict]:
    client.indices.refresh(index=settings.index.alerts_index_name)
    return alerts_listing(client, settings, watch=watch, size=100)


def test_each_new_matching_article_alerts_once(news_server, index_client, index_settings, storage, tmp_path,
                                              monkeypatch):
    srv = news_server(hosts=1)
    hook = srv.route("/hook", Reply(status=204, content_type=None))
    settings = _settings(index_settings, tmp_path, [
        {"name": "harbour", "description": "English harbour news", "query": "harbour", "lang": "en",
         "deliver": [{"webhook": hook, "secret_env": "NEWSETL_TEST_HOOK_SECRET"}]},
        {"name": "odhiambo", "entities": ["person:Amina Odhiambo"], "deliver": [{"folder": "alerts/odhiambo"}]},
        {"name": "kept", "query": "council"}])                               # no channel: the alerts index only
    monkeypatch.setenv("NEWSETL_TEST_HOOK_SECRET", SECRET)
    before = [_doc(0, title="Harbour works begin"), _doc(1, title="Council meets")]
    bulk_load(index_client, before, settings, storage=storage, run_id="before")

    # a watch starts when it first runs: what was indexed before does not alert
    first = stages.run_watches(settings, client=index_client)
    assert [(r["watch"], r["matched"], r["new"]) for r in first["watches"]] == \
        [("harbour", 0, 0), ("odhiambo", 0, 0), ("kept", 0, 0)]
    assert _posts(srv, "/hook") == []
    assert read_state(storage, "harbour")["cursor"]

    time.sleep(1.1)            # fetched after the watches started (the test's fetch times are whole seconds)
    new = [_doc(2, title="Harbour crane arrives"), _doc(3, title="Harbour fees rise"),
           _doc(4, title="Hafen wächst", lang="de", text="Der Hafen harbour wächst in dieser Woche. " * 6),
           _doc(5, title="Council votes", people=["Amina Odhiambo"])]
    bulk_load(index_client, new, settings, storage=storage, run_id="new")
    res = {r["watch"]: r for r in stages.run_watches(settings, client=index_client)["watches"]}
    assert (res["harbour"]["new"], res["harbour"]["delivered"], res["harbour"]["pending"]) == (2, 2, 0)
    assert (res["odhiambo"]["new"], res["odhiambo"]["delivered"]) == (1, 1)
    assert (res["kept"]["new"], res["kept"]["delivered"], res["kept"]["pending"]) == (1, 0, 0)

    # the webhook: one signed message with the two English harbour stories, in the order they were loaded
    (req,) = [r for r in srv.requests(path="/hook") if r.method == "POST"]
    ts = req.headers["x-newsetl-timestamp"]
    assert req.headers["x-newsetl-signature"] == "sha256=" + hmac.new(
        SECRET.encode(), ts.encode() + b"." + req.body, hashlib.sha256).hexdigest()
    assert abs(int(ts) - time.time()) < 60
    msg = json.loads(req.body)
    assert (msg["watch"], msg["description"], msg["count"]) == ("harbour", "English harbour news", 2)
    assert req.headers["idempotency-key"] == msg["message_id"]          # a receiver can drop a message sent again
    assert sorted(a["id"] for a in msg["alerts"]) == sorted([new[0]["id"], new[1]["id"]])
    assert {a["title"] for a in msg["alerts"]} == {"Harbour crane arrives", "Harbour fees rise"}
    assert all(a["alert_id"] == f"harbour:{a['id']}" and a["url"].startswith("https://") for a in msg["alerts"])
    # the folder: one JSON file with the article naming the person
    (file,) = (tmp_path / "storage" / "alerts" / "odhiambo").rglob("*.json")
    got = json.loads(file.read_text())
    assert [a["id"] for a in got["alerts"]] == [new[3]["id"]] and got["alerts"][0]["people"] == ["Amina Odhiambo"]
    kept = _alerts(index_client, settings, "kept")
    assert [a["id"] for a in kept] == [new[3]["id"]] and kept[0]["delivered_at"] and not kept[0]["pending"]

    # written again with new content (a re-fetch), and again unchanged (a re-run): no alert again
    changed = [dict(d, text=d["text"] + " Updated.", content_hash="x" + d["content_hash"][1:]) for d in new]
    assert bulk_load(index_client, changed, settings, storage=storage, run_id="again").updated == 4
    bulk_load(index_client, changed, settings, storage=storage, run_id="again2")
    res = {r["watch"]: r for r in stages.run_watches(settings, client=index_client)["watches"]}
    assert res["harbour"]["matched"] == 2 and res["harbour"]["new"] == 0 and res["odhiambo"]["new"] == 0
    assert len(_posts(srv, "/hook")) == 1

    # a replay writes every article again into a new version: the feed restarts, and nobody is alerted again,
    # not even on the old articles fetched before the watches started
    version = create_next_version(index_client, settings)["index"]
    bulk_load(index_client, before + changed, settings, storage=storage, run_id="replay")
    swap_aliases(index_client, settings, version)
    res = {r["watch"]: r for r in stages.run_watches(settings, client=index_client)["watches"]}
    assert res["harbour"]["matched"] == 2 and all(r["new"] == 0 for r in res.values())
    assert len(_posts(srv, "/hook")) == 1 and len(list((tmp_path / "storage" / "alerts").rglob("*.json"))) == 1

    # a later article alerts as before
    bulk_load(index_client, [_doc(6, title="Harbour closes for the storm")], settings, storage=storage, run_id="z")
    stages.run_watches(settings, ["harbour"], client=index_client)
    assert [a["title"] for a in _posts(srv, "/hook")[-1]["alerts"]] == ["Harbour closes for the storm"]


def test_a_refused_delivery_waits_and_is_sent_again(news_server, index_client, index_settings, storage, tmp_path):
    srv = news_server(hosts=1)
    flaky = srv.route("/flaky", [Reply(status=503, body="busy, come back later"), Reply(status=200, body="ok")])
    good = srv.route("/good", Reply(status=200, body="ok"))
    settings = _settings(index_settings, tmp_path, [
        {"name": "all", "query": "storm", "max_per_message": 2, "deliver": [{"webhook": flaky}]},
        {"name": "slack", "query": "storm", "deliver": [{"webhook": good, "format": "slack"}]}])
    stages.run_watches(settings, client=index_client)
    time.sleep(1.1)
    docs = [_doc(i, title=f"Storm warning {i} & <more>") for i in range(3)]
    bulk_load(index_client, docs, settings, storage=storage, run_id="a")

    with pytest.raises(stages.AlertsUndelivered) as e:
        stages.run_watches(settings, client=index_client)
    assert "all: webhook http://127.0.0.1" in str(e.value) and "HTTP 503: busy, come back later" in str(e.value)
    res = {r["watch"]: r for r in e.value.summary["watches"]}
    assert (res["all"]["new"], res["all"]["delivered"], res["all"]["pending"]) == (3, 0, 3)
    assert (res["slack"]["new"], res["slack"]["delivered"]) == (3, 3)      # the other watch is not held up
    waiting = _alerts(index_client, settings, "all")
    assert len(waiting) == 3 and all(a["attempts"] == 1 and "HTTP 503" in a["last_error"] for a in waiting)
    with served(create_app(settings)) as base:          # the API lists the same
        got = httpx.get(f"{base}/alerts", params={"watch": "all", "pending": "true"}).json()["alerts"]
        assert [a["alert_id"] for a in got] == [a["alert_id"] for a in waiting]
        assert httpx.get(f"{base}/alerts", params={"pending": "true"}).json()["alerts"] == got   # slack has none
        assert httpx.get(f"{base}/alerts", params={"size": 0}).status_code == 400
    # Slack's shape: one text naming each article as a link, escaped
    (slack,) = _posts(srv, "/good")
    assert slack["text"].startswith("*slack*: 3 new articles")
    (posted,) = [r for r in srv.requests(path="/good") if r.method == "POST"]
    assert len(posted.headers["idempotency-key"]) == 16          # its message id, which a Slack body has no room for
    assert "Storm warning 0 &amp; &lt;more&gt;>" in slack["text"] and "<https://news.example.org/w/0|" in slack["text"]

    # the next run reads nothing new, and sends the three that waited: two messages of at most two
    res = stages.run_watches(settings, ["all"], client=index_client)["watches"][0]
    assert (res["matched"], res["new"], res["delivered"], res["pending"]) == (0, 0, 3, 0)
    sent = _posts(srv, "/flaky")
    assert [m["count"] for m in sent] == [2, 2, 1]      # the refused one, then the two that got through
    assert sorted(a["id"] for m in sent[1:] for a in m["alerts"]) == sorted(d["id"] for d in docs)
    assert sent[0]["message_id"] == sent[1]["message_id"]     # the same alerts: a receiver can tell a repeat
    assert all(a["delivered_at"] and not a["pending"] for a in _alerts(index_client, settings, "all"))

    # a channel taken out of the config: what waited for it is no longer pending
    stages.run_watches(settings, client=index_client)
    bulk_load(index_client, [_doc(9, title="Storm again")], settings, storage=storage, run_id="b")
    down = srv.route("/down", Reply(status=500))
    settings = _settings(index_settings, tmp_path, [{"name": "all", "query": "storm", "deliver": [{"webhook": down}]}])
    with pytest.raises(stages.AlertsUndelivered):
        stages.run_watches(settings, client=index_client)
    settings = _settings(index_settings, tmp_path, [{"name": "all", "query": "storm"}])
    assert stages.run_watches(settings, client=index_client)["watches"][0]["pending"] == 0


def test_settle_waits_for_the_last_load(index_client, index_settings, storage, tmp_path):
    """news_alerts runs right after a load: it waits until the feed lists that load's articles, so they alert in
    the same run, not an hour later."""
    settings = _settings(index_settings, tmp_path, [{"name": "w", "query": "harbour"}])
    settings = settings.model_copy(update={"index": settings.index.model_copy(update={
        "search": settings.index.search.model_copy(update={"changes_delay_seconds": 3.0})})})
    stages.run_watches(settings, client=index_client)
    time.sleep(1.1)
    bulk_load(index_client, [_doc(1, title="Harbour news")], settings, storage=storage, run_id="a")
    assert stages.run_watches(settings, client=index_client)["watches"][0]["matched"] == 0    # still on its way
    res = stages.run_watches(settings, settle=True, client=index_client)
    assert res["waited_seconds"] > 1 and res["watches"][0]["new"] == 1


BAD = [
    ({"name": "x", "entities": ["human:Olaf Scholz"]}, ["watches[0] (x).entities", "unknown entity type 'human'"]),
    ({"name": "x", "deliver": [{"webhook": "https://a.example/h", "folder": "alerts/x"}]},
     ["watches[0] (x).deliver[0]", "one of webhook: <URL>, email: [addresses] or folder: <path>"]),
    ({"name": "x", "deliver": [{"webhook": "ftp://a.example/h"}]}, ["deliver[0].webhook", "not an http:// or https://"]),
    ({"name": "x", "deliver": [{"folder": "../etc"}]}, ["deliver[0].folder", "under the storage root"]),
    ({"name": "x", "deliver": [{"webhook": "https://a.example/h", "secret_env": "hunter2 secret"}]},
     ["secret_env", "write the name, not the secret"]),
    ({"name": "x", "country": "Atlantis"}, ["watches[0] (x).country", "Atlantis"]),
    ({"name": "x", "deliver": [{"email": ["desk at example.org"]}]}, ["deliver[0].email", "not an e-mail address"]),
    ({"name": "x", "deliver": [{"email": ["a@example.org"], "format": "slack"}]}, ["a webhook's: remove them"]),
    ({"name": "x", "deliver": [{"folder": "a", "digest": "daily"}]}, ["deliver[0].digest", "like 1h, 6h, 1d"]),
    ({"name": "x", "qeury": "typo"}, ["watches[0] (x).qeury", "remove this key or correct its spelling"]),
]


@pytest.mark.parametrize("watch,words", BAD, ids=["entity", "two-targets", "scheme", "folder", "secret", "country",
                                                   "address", "mail-format", "digest", "typo"])
def test_config_errors_name_the_file_the_watch_and_the_key(tmp_path, watch, words):
    path = tmp_path / "watches.yaml"
    path.write_text(yaml.safe_dump({"watches": [watch]}))
    with pytest.raises(ConfigError) as e:
        load_watches(path)
    msg = str(e.value)
    assert "watches.yaml" in msg and all(w in msg for w in words), msg


def test_watches_file_lookup(tmp_path, monkeypatch):
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text("{}\n")
    assert load_watches(settings=load_settings(cfg)) == []             # no watches.yaml beside it: no watches
    (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": [{"name": "a"}, {"name": "b",
                                                                                        "enabled": False}]}))
    assert [w.name for w in load_watches(settings=load_settings(cfg), enabled_only=True)] == ["a"]
    (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": [{"name": "a"}, {"name": "a"}]}))
    with pytest.raises(ConfigError, match=r"watches\[1\] \(a\)\.name: duplicate name 'a'"):
        load_watches(settings=load_settings(cfg))
    cfg.write_text("alerts:\n  watches_file: elsewhere.yaml\n")       # a named file must exist
    with pytest.raises(ConfigError, match="elsewhere.yaml: file not found"):
        load_watches(settings=load_settings(cfg))
    monkeypatch.setenv("NEWSETL_WATCHES", str(tmp_path / "watches.yaml"))     # over alerts.watches_file
    with pytest.raises(ConfigError, match="duplicate name"):
        load_watches(settings=load_settings(cfg))
    (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": [{"name": "a"}]}))
    with pytest.raises(ConfigError, match="no watch named 'zz' — fix: use one of: a"):
        load_watches(settings=load_settings(cfg), names=["zz"])


def test_the_command(news_server, index_client, index_settings, storage, tmp_path):
    srv = news_server(hosts=1)
    hook = srv.route("/hook", [Reply(status=200), Reply(status=500, body="down"), Reply(status=200)])
    watches = tmp_path / "watches.yaml"
    watches.write_text(yaml.safe_dump({"watches": [{"name": "harbour", "query": "harbour",
                                                     "deliver": [{"webhook": hook}]}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": index_settings.elasticsearch.url},
                                   "index": {"name": index_settings.index.name,
                                             "search": {"changes_delay_seconds": 0}},
                                   "storage": {"root": index_settings.storage.root},
                                   "alerts": {"watches_file": str(watches)}}))
    settings = load_settings(cfg)
    p = run_cli(cfg, "watch", "test", "--name", "harbour")
    assert p.returncode == 0 and "delivered" in p.stdout, p.stderr
    assert json.loads(srv.requests(path="/hook")[0].body)["test"] is True
    bulk_load(index_client, [_doc(1, title="Harbour before", fetched="2024-01-01T00:00:00+00:00")], settings,
              storage=storage, run_id="a")
    # a dry run from a date: what would alert; nothing is recorded or sent, and the watch has not started
    p = run_cli(cfg, "watch", "run", "--dry-run", "--since", "2023-12-01")
    assert p.returncode == 0 and "harbour: 1 article would alert" in p.stdout and "Harbour before" in p.stdout
    assert read_state(storage, "harbour") is None and len(srv.requests(path="/hook")) == 1
    # a run started at that date alerts on it; the receiver refuses it: exit 1, and it waits
    p = run_cli(cfg, "watch", "run", "--since", "2023-12-01")
    assert p.returncode == 1 and "HTTP 500: down" in p.stderr and "1 new alert, 0 delivered, 1 waiting" in p.stdout
    p = run_cli(cfg, "watch", "alerts", "--pending")
    assert "Harbour before" in p.stdout and "waiting for 1 channel, 1 refused" in p.stdout and "HTTP 500" in p.stdout
    listed = json.loads(run_cli(cfg, "watch", "list", "--json").stdout)
    assert listed[0]["name"] == "harbour" and listed[0]["pending"] == 1 and listed[0]["started_at"].startswith("2023")
    p = run_cli(cfg, "watch", "run", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["watches"][0]["delivered"] == 1
    # reset: the watch starts again now; its alert is not made twice
    p = run_cli(cfg, "watch", "reset", "--name", "harbour")
    assert p.returncode == 0 and read_state(storage, "harbour") is None
    p = run_cli(cfg, "watch", "run", "--since", "2023-12-01", "--wait")
    assert p.returncode == 0 and "1 matched, 0 new alerts" in p.stdout
    assert "caught up to 20" in p.stdout and "what was loaded in the last 0 s comes next time" in p.stdout
    p = run_cli(cfg, "watch", "run", "--name", "nope")
    assert p.returncode == 2 and "no watch named 'nope'" in p.stderr


@pytest.mark.airflow
def test_news_alerts_after_news_ingest(news_server, tmp_path, es_url, es_prefix, airflow_db):
    """news_ingest loads two pages from the server; news_alerts, run before (the watch starts) and after, sends
    the one that matches to the webhook on the same server."""
    srv = news_server(hosts=1)
    def text(topic: str) -> str:
        return "\n\n".join(f"Paragraph {i} about the {topic} and the council vote this week, long enough for the "
                           "extraction to take it for an article." for i in range(8))

    urls = [srv.route("/news/ferry.html", Reply(body=html_page("The ferry timetable", text("ferry timetable")))),
            srv.route("/news/bridge.html", Reply(body=html_page("The bridge repairs", text("bridge repairs"))))]
    hook = srv.route("/hook", Reply(status=200))
    cfg = pipeline_config(tmp_path, es_url, es_prefix, [{"name": "local", "kind": "urls", "urls": urls}])
    conf = yaml.safe_load(cfg.read_text())
    conf["index"]["search"] = {"changes_delay_seconds": 1}
    cfg.write_text(yaml.safe_dump(conf))
    (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": [
        {"name": "ferries", "query": "ferry", "deliver": [{"webhook": hook}]}]}))

    def run(dag_file: str, attr: str):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("NEWSETL_CONFIG", str(cfg))
            mp.setenv("NEWSETL_SOURCES", str(tmp_path / "sources.yaml"))
            spec = importlib.util.spec_from_file_location(f"dag_{uuid.uuid4().hex[:6]}", REPO / "dags" / dag_file)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return getattr(mod, attr).test()

    assert run("news_alerts.py", "news_alerts_dag").state == "success"          # the watch starts
    time.sleep(1.1)
    assert run("news_ingest.py", "news_ingest_dag").state == "success"
    assert run("news_alerts.py", "news_alerts_dag").state == "success"
    (msg,) = _posts(srv, "/hook")
    assert [a["title"] for a in msg["alerts"]] == ["The ferry timetable"] and msg["watch"] == "ferries"
    assert run("news_alerts.py", "news_alerts_dag").state == "success"          # nothing new: nothing sent
    assert len(_posts(srv, "/hook")) == 1


class _Inbox:
    """An aiosmtpd handler keeping every mail it accepts."""

    def __init__(self):
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.mails.append((envelope.mail_from, envelope.rcpt_tos,
                           email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _parts(mail):
    """A watch's mail as received: its plain text (with \\n line ends) and its HTML part parsed (lxml), after checking
    that they are the two alternatives of a multipart/alternative message."""
    import lxml.html

    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    page = lxml.html.document_fromstring(mail.get_body(("html",)).get_content())
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n"), page


def _items(page) -> list:
    """The articles of a mail's HTML part: the items of its list."""
    (ol,) = page.xpath("//body//ol")
    return ol.xpath("./li")


@pytest.fixture
def smtp_server(tmp_path):
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that requires STARTTLS with a self-signed certificate and a login
    (newsetl / the password in NEWSETL_TEST_SMTP_PASSWORD); yields (port, certificate, inbox)."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from tests.netutil import free_port
    from tests.test_api import _self_signed

    tls = _self_signed(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(tls["cert"], tls["key"])

    def login(server, session, envelope, mechanism, auth_data):
        return AuthResult(handled=False, success=isinstance(auth_data, LoginPassword) and auth_data.login == b"newsetl"
                          and auth_data.password == b"mail-secret")

    inbox, port = _Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                            authenticator=login, auth_require_tls=True)
    controller.start()
    try:
        yield port, tls["cert"], inbox
    finally:
        controller.stop()


def test_email_through_starttls_and_a_daily_digest(smtp_server, index_client, index_settings, storage, tmp_path,
                                                   monkeypatch):
    from pipeline.watches import run_watch

    port, cert, inbox = smtp_server
    monkeypatch.setenv("NEWSETL_TEST_SMTP_USER", "newsetl")
    monkeypatch.setenv("NEWSETL_TEST_SMTP_PASSWORD", "wrong")
    settings = _settings(index_settings, tmp_path, [
        {"name": "mail", "description": "Storms, by mail", "query": "storm",
         "deliver": [{"email": ["desk@example.org", "night@example.org"]}]},
        {"name": "daily", "query": "storm", "deliver": [{"folder": "alerts/daily", "digest": "1d"}]}],
        smtp={"host": "127.0.0.1", "port": port, "security": "starttls", "ca_certs": str(cert),
              "username_env": "NEWSETL_TEST_SMTP_USER", "password_env": "NEWSETL_TEST_SMTP_PASSWORD",
              "sender": "newsetl@example.org"})
    watches = {w.name: w for w in load_watches(settings=settings)}
    t0 = dt.datetime.now(dt.timezone.utc)
    for w in watches.values():
        run_watch(index_client, storage, settings, w, now=t0)
    time.sleep(1.1)
    stories = [_doc(i, title=f"Storm {i} reaches the coast & the <harbour>") for i in range(2)]
    bulk_load(index_client, stories, settings, storage=storage, run_id="a")
    t1 = dt.datetime.now(dt.timezone.utc)

    # a refused login: the mail waits, with the server's answer
    res = run_watch(index_client, storage, settings, watches["mail"], now=t1)
    assert res["new"] == 2 and res["delivered"] == 0 and "refused" in res["errors"][0] and "535" in res["errors"][0]
    assert inbox.mails == []
    monkeypatch.setenv("NEWSETL_TEST_SMTP_PASSWORD", "mail-secret")
    res = run_watch(index_client, storage, settings, watches["mail"], now=t1)
    assert (res["delivered"], res["pending"]) == (2, 0)
    ((sender, rcpts, mail),) = inbox.mails
    assert sender == "newsetl@example.org" and rcpts == ["desk@example.org", "night@example.org"]
    assert mail["Subject"] == "newsetl: mail: 2 new articles" and mail["To"] == "desk@example.org, night@example.org"
    # plain text and HTML: each article's title (as it is in the text, escaped in the HTML), its link, its snippet
    body, page = _parts(mail)
    assert body.startswith("Storms, by mail") and "Storm 0 reaches the coast & the <harbour>" in body
    assert "https://news.example.org/w/1" in body and "\n  Storm 1 reaches the coast & the <harbour>. The story" in body
    html_text = mail.get_body(("html",)).get_content()
    assert "Storm 0 reaches the coast &amp; the &lt;harbour&gt;" in html_text and "<harbour>" not in html_text
    assert [h.text_content() for h in page.xpath("//h1")] == ["mail: 2 new articles"]
    assert "Storms, by mail" in page.xpath("//body")[0].text_content()
    assert sorted((a.get("href"), a.text_content()) for a in page.xpath("//a")) == \
        [(f"https://news.example.org/w/{i}", f"Storm {i} reaches the coast & the <harbour>") for i in range(2)]
    by_url = {d["canonical_url"]: d for d in stories}
    for li in _items(page):                  # source, site, language, date, and a snippet cut between two words
        (link,) = li.xpath(".//a")
        doc = by_url[link.get("href")]
        lines = [d.text_content() for d in li.xpath("./div")]
        assert lines[1] == f"example · news.example.org · en · {doc['published_at'][:10]}", lines
        cut, text = lines[2].removesuffix("…"), doc["text"]
        assert lines[2].endswith("…") and text.startswith(cut) and text[len(cut)] == " " and 250 < len(cut) <= 300
    # the footer names the watch, how to stop it and the message id the Message-ID carries
    footer = " ".join(p.text_content() for p in page.xpath("//hr/following-sibling::p"))
    msg_id = message_id([f"mail:{d['id']}" for d in stories])
    assert "for the watch mail; message " + msg_id in footer and "config/watches.yaml" in footer
    assert "newsetl watch list" in footer and f".{msg_id}@newsetl>" in mail["Message-ID"]
    assert f"watch mail, message {msg_id}" in body and "config/watches.yaml" in body
    assert not page.xpath("//img | //script | //link | //style")        # inline styles only, nothing to fetch

    # the digest: its first message at once, then nothing until a day has passed since it
    res = run_watch(index_client, storage, settings, watches["daily"], now=t1)
    assert (res["new"], res["delivered"], res["held"]) == (2, 2, 0)
    time.sleep(1.1)
    bulk_load(index_client, [_doc(i, title=f"Storm {i} again") for i in (5, 6, 7)], settings, storage=storage,
              run_id="b")
    t2 = dt.datetime.now(dt.timezone.utc)
    res = run_watch(index_client, storage, settings, watches["daily"], now=t2)
    assert (res["new"], res["delivered"], res["held"], res["pending"]) == (3, 0, 3, 3) and not res["errors"]
    files = sorted((tmp_path / "storage" / "alerts" / "daily").rglob("*.json"))
    assert len(files) == 1
    res = run_watch(index_client, storage, settings, watches["daily"], now=t1 + dt.timedelta(days=1, seconds=1))
    assert (res["delivered"], res["held"], res["pending"]) == (3, 0, 0)
    files = sorted((tmp_path / "storage" / "alerts" / "daily").rglob("*.json"))
    assert len(files) == 2 and json.loads(files[-1].read_text())["count"] == 3


def test_email_html_escapes_the_articles_and_a_digest_lists_them_all(smtp_server, index_client, index_settings,
                                                                    storage, tmp_path, monkeypatch):
    """Titles and texts are untrusted web content: in the HTML part they are text, never markup, and only an http(s)
    URL becomes a link. A daily digest's mail lists every article that waited, in both parts."""
    from pipeline.watches import run_watch

    port, cert, inbox = smtp_server
    monkeypatch.setenv("NEWSETL_TEST_SMTP_USER", "newsetl")
    monkeypatch.setenv("NEWSETL_TEST_SMTP_PASSWORD", "mail-secret")
    settings = _settings(index_settings, tmp_path, [
        {"name": "digest", "description": "Storms & <gales>, once a day", "query": "storm",
         "deliver": [{"email": ["desk@example.org"], "digest": "1d"}]}],
        smtp={"host": "127.0.0.1", "port": port, "security": "starttls", "ca_certs": str(cert),
              "username_env": "NEWSETL_TEST_SMTP_USER", "password_env": "NEWSETL_TEST_SMTP_PASSWORD",
              "sender": "newsetl@example.org"})
    (watch,) = load_watches(settings=settings)
    t0 = dt.datetime.now(dt.timezone.utc)
    run_watch(index_client, storage, settings, watch, now=t0)
    time.sleep(1.1)
    bulk_load(index_client, [_doc(0, title="Storm 0 comes first")], settings, storage=storage, run_id="a")
    t1 = dt.datetime.now(dt.timezone.utc)
    assert run_watch(index_client, storage, settings, watch, now=t1)["delivered"] == 1     # the first at once

    evil_title = 'Storm <script>alert(1)</script> "><img src=x onerror=alert(2)> & co'
    evil = _doc(9, title=evil_title, text="Storm <b>warning</b> & <a href='javascript:alert(4)'>click</a>. " * 3)
    evil["canonical_url"] = "javascript://news.example.org/%0Aalert(3)"
    later = [_doc(i, title=f"Storm {i} later") for i in (1, 2, 3)] + [evil]
    bulk_load(index_client, later, settings, storage=storage, run_id="b")
    res = run_watch(index_client, storage, settings, watch, now=dt.datetime.now(dt.timezone.utc))
    assert (res["new"], res["held"], len(inbox.mails)) == (4, 4, 1)
    res = run_watch(index_client, storage, settings, watch, now=t1 + dt.timedelta(days=1, seconds=1))
    assert (res["delivered"], res["pending"], len(inbox.mails)) == (4, 0, 2)
    mail = inbox.mails[-1][2]
    assert mail["Subject"] == "newsetl: digest: 4 new articles"

    body, page = _parts(mail)
    titles = [d["title"] for d in later]
    # the digest: every article in both parts, the count on top
    assert sorted(line for line in body.splitlines() if line.startswith("Storm ")) == sorted(titles)
    assert body.startswith("Storms & <gales>, once a day\n")
    assert [h.text_content() for h in page.xpath("//h1")] == ["digest: 4 new articles"]
    assert page.xpath("//body//p")[0].text_content() == "Storms & <gales>, once a day"
    items = _items(page)
    assert sorted(li.xpath("./div")[0].text_content() for li in items) == sorted(titles)
    # three links, one per article with an http(s) URL; the javascript: URL is no link, nowhere
    assert sorted(a.get("href") for a in page.xpath("//a")) == [f"https://news.example.org/w/{i}" for i in (1, 2, 3)]
    assert not [v for v in page.xpath("//@href | //@src") if not v.startswith("https://")]
    (bad,) = [li for li in items if li.xpath("./div")[0].text_content() == evil_title]
    assert not bad.xpath(".//a") and "javascript://" not in mail.get_body(("html",)).get_content()
    # the hostile title and text are text: no element, no attribute came from them
    assert not page.xpath("//script | //img | //b[contains(., 'warning')] | //@*[starts-with(name(), 'on')]")
    assert bad.xpath("./div")[-1].text_content().startswith("Storm <b>warning</b> & <a href='javascript:alert(4)'>")
    assert evil_title in body and "javascript://news.example.org/%0Aalert(3)" in body      # the text part: as it is


def test_email_needs_a_mail_server(tmp_path):
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text("{}\n")
    (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": [
        {"name": "m", "deliver": [{"email": "desk@example.org"}]}]}))
    with pytest.raises(ConfigError, match=r"watches\[0\] \(m\)\.deliver\[0\]: sends e-mail, but no mail server"):
        load_watches(settings=load_settings(cfg))
    cfg.write_text("alerts:\n  on_failure:\n    - email: [ops@example.org]\n")
    with pytest.raises(ConfigError, match=r"alerts: on_failure\[0\] sends e-mail: set alerts.smtp.host"):
        load_settings(cfg)
    cfg.write_text("alerts:\n  smtp: {host: mail.example.org}\n  on_failure:\n    - {folder: f, digest: 1d}\n")
    with pytest.raises(ConfigError, match="a failed task is told at once: remove digest"):
        load_settings(cfg)


def test_slack_links_only_plain_http_urls():
    from pipeline.notify import slack_text

    alerts = [{"id": "1", "title": "Fine", "url": "https://news.example.org/a?x=1"},
              {"id": "2", "title": "Script", "url": "javascript:alert(1)"},
              {"id": "3", "title": "Pipe", "url": "https://news.example.org/b|<https://evil.example|click>"}]
    text = slack_text("w", alerts)
    assert "<https://news.example.org/a?x=1|Fine>" in text
    assert "• Script" in text and "javascript:" not in text
    assert "• Pipe" in text and "evil.example" not in text
