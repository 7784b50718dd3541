"""`newsetl discover`, `newsetl fetch` and `newsetl crawl` against the local server."""
from __future__ import annotations

import json

import yaml

from pipeline.cli import main
from tests.plugins.httpserver import Reply, html_page, robots, rss_feed


def _config(tmp_path, srv):
    items = [{"url": srv.route(f"/n/{i}.html", Reply(body=html_page(f"N{i}"))), "title": f"N{i}"} for i in range(3)]
    srv.route("/robots.txt", robots())
    srv.route("/feed.xml", Reply(body=rss_feed(items), content_type="application/rss+xml"))
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "local", "kind": "rss", "url": srv.url("/feed.xml"), "language": "en"},
        {"name": "unused", "kind": "urls", "urls": ["https://example.invalid/x"], "enabled": False}]}))
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")},
        "fetch": {"min_delay": 0.02, "read_timeout": 1.0, "allow_addresses": ["127.0.0.1"]}}))
    return ["--config", str(tmp_path / "newsetl.yaml")]


def test_crawl_then_nothing_new(news_server, tmp_path, capsys):
    srv = news_server(hosts=1)
    cfg = _config(tmp_path, srv)
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"]["fetched"] == 3 and out["sources"][0]["counts"]["candidates"] == 3
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sources"][0]["reasons"] == {"already_archived": 3}
    assert sum(out["counts"].values()) == 0          # nothing handed to the fetcher


def test_discover_then_fetch(news_server, tmp_path, capsys):
    srv = news_server(hosts=1)
    cfg = _config(tmp_path, srv)
    assert main(cfg + ["discover", "--source", "local", "--json", "--no-progress", "--run-id", "r1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["candidates_file"] == "runs/r1/candidates/discovered.jsonl"
    assert main(cfg + ["fetch", "--candidates", out["candidates_file"], "--json", "--no-progress"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["counts"] == {"fetched": 3, "not_modified": 0, "skipped": 0, "dead_letter": 0}


def test_usage_errors(news_server, tmp_path, capsys):
    srv = news_server(hosts=1)
    cfg = _config(tmp_path, srv)
    assert main(cfg + ["crawl", "--source", "nope"]) == 2
    assert "no source named 'nope'" in capsys.readouterr().err
    assert main(cfg + ["fetch"]) == 2
    assert main(cfg + ["crawl", "--since", "yesterday"]) == 2


def test_crawl_leaves_out_what_was_removed(news_server, tmp_path, capsys, es_url, es_prefix, es_client):
    """`newsetl crawl` reads the removed index as a DAG's fetch does: the removed article gets no request."""
    from pipeline.removals import remove
    from pipeline.settings import load_settings
    from pipeline.urls import doc_id

    srv = news_server(hosts=1)
    cfg = _config(tmp_path, srv)
    conf = yaml.safe_load((tmp_path / "newsetl.yaml").read_text())
    conf.update(elasticsearch={"url": es_url}, index={"name": f"{es_prefix}news"})
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump(conf))
    gone = srv.url("/n/1.html")
    assert remove(es_client, load_settings(tmp_path / "newsetl.yaml"), ids=[doc_id(gone)], reason="test")[
        "records"] == 1                   # never indexed: removed by its id
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"]["fetched"] == 2 and out["counts"]["skipped"] == 1
    assert not srv.requests(path="/n/1.html") and len(srv.requests(path="/n/0.html")) == 1
