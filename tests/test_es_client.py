"""Clients from config/environment and from an Airflow connection; one clear error for an unusable cluster."""
from __future__ import annotations

import json

import pytest

from tests.netutil import free_port

from pipeline.es import (ClusterUnavailable, airflow_connection_params, capabilities, check_cluster,
                         client_from_airflow, client_from_settings, make_client)
from pipeline.settings import load_settings




@pytest.mark.es
def test_client_from_settings_and_env(es_url, monkeypatch):
    monkeypatch.setenv("NEWSETL_ES_URL", es_url)
    monkeypatch.setenv("NEWSETL_ES_USERNAME", "elastic")
    monkeypatch.setenv("NEWSETL_ES_PASSWORD", "secret")
    settings = load_settings()
    assert settings.elasticsearch.url == es_url.rstrip("/")
    client = client_from_settings(settings)
    info = check_cluster(client)
    assert info["version"]["number"].split(".")[0] in ("8", "9")
    assert capabilities(client).major == int(info["version"]["number"].split(".")[0])
    client.close()


@pytest.mark.es
def test_client_from_airflow_connection(es_url, monkeypatch):
    host, port = es_url.split("://")[1].split(":")
    monkeypatch.setenv("AIRFLOW_CONN_NEWSETL_ES_TEST", json.dumps(
        {"conn_type": "generic", "host": host, "port": int(port), "extra": {"request_timeout": 20}}))
    client = client_from_airflow("newsetl_es_test")
    assert check_cluster(client)["cluster_name"]
    client.close()


def test_airflow_connection_params():
    from airflow.sdk import Connection

    c = Connection(conn_id="x", conn_type="generic", host="es.internal", port=9243, schema="https",
                   extra=json.dumps({"api_key": "aWQ6a2V5", "ca_certs": "/etc/ca.pem", "verify_certs": "true"}))
    assert airflow_connection_params(c) == {"url": "https://es.internal:9243", "api_key": "aWQ6a2V5",
                                            "ca_certs": "/etc/ca.pem", "verify_certs": True}
    c = Connection(conn_id="y", conn_type="generic", host="http://10.0.0.5", port=9200, login="u", password="p")
    assert airflow_connection_params(c) == {"url": "http://10.0.0.5:9200", "username": "u", "password": "p"}


def test_unreachable_cluster_is_one_line_naming_url():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterUnavailable) as e:
        check_cluster(make_client(url, username="u", password="p"))
    msg = str(e.value)
    assert msg.startswith(f"Elasticsearch at {url} is unreachable") and "\n" not in msg
    assert "make es-start" in msg and "NEWSETL_ES_URL" in msg


def test_bad_connection_settings_are_config_errors(tmp_path):
    from tests.cfgutil import config_error, load_config_text

    assert "elasticsearch.url" in config_error(tmp_path, "elasticsearch:\n  url: 127.0.0.1:9200\n")
    assert "username and password" in config_error(tmp_path, "elasticsearch:\n  username: only-me\n")
    assert "index.name" in config_error(tmp_path, "index:\n  languages: [en, \"no\", no]\n  name: News\n")
    assert load_config_text(tmp_path, "index:\n  languages: [en, no]\n").index.languages == ["en", "no"]


@pytest.mark.es
def test_a_command_run_by_an_airflow_task_keeps_its_output_apart_from_the_logs(es_url, es_prefix, tmp_path):
    """`newsetl run --json` from a BashOperator (the task's AIRFLOW_CTX_* inherited): the cluster comes from the
    Airflow connection (the config's URL is a closed port), and Airflow's logging, imported for it, goes to standard
    error, so standard output is the JSON report alone."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    from urllib.parse import urlsplit

    import yaml

    repo = Path(__file__).resolve().parents[1]
    page = sorted((repo / "config/demo/pages").iterdir())[0]
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / page.name).write_bytes(page.read_bytes())
    urls = json.loads((repo / "config/demo/urls.json").read_text())
    (tmp_path / "urls.json").write_text(json.dumps({page.name: urls[page.name]}))
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "one", "kind": "files", "path": str(tmp_path / "pages"), "url_map": str(tmp_path / "urls.json")}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")}, "elasticsearch": {"url": f"http://127.0.0.1:{free_port()}"},
        "index": {"name": f"{es_prefix}ctx"}, "processing": {"workers": 1, "entities": {"enabled": False}}}))
    u = urlsplit(es_url)
    env = {**os.environ, "AIRFLOW_CTX_DAG_ID": "news_tools", "AIRFLOW_CTX_TASK_ID": "bash",
           "AIRFLOW_CONN_ELASTICSEARCH_DEFAULT": json.dumps({"conn_type": "elasticsearch", "host": u.hostname,
                                                             "port": u.port}),
           "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO"}      # Airflow's default (the test session's is WARNING)
    env.pop("NEWSETL_ES_URL", None)
    p = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "run", "--json"], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    assert json.loads(p.stdout)["total"]["indexed"] == 1
    assert "[info" in p.stderr         # the logs are there, on standard error
