"""`newsetl discover`, `newsetl fetch` and `newsetl crawl` against the local server."""
from __future__ import annotations

import json
import subprocess
import sys

import yaml

from pipeline.cli import main
from tests.plugins.httpserver import Reply, dated_atom_feed, html_page, robots, rss_feed


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


# ------------------------------------------------------------------ what `newsetl remove` took out
# Host 0 of the server is asked for as 127.0.0.1 (the domain removed), host 1 as localhost (one article of it
# removed). A subdomain of a removed domain cannot be served here (nothing resolves a made-up name to 127.0.0.1): the
# proof it was left out is its outcome, skipped "removed" before any lookup, where a lookup would end as a dead letter.
GONE_HOST, KEPT_HOST = 0, 1
SUBDOMAIN_URL = "http://news.removed.test/story.html"


def _removals_site(news_server, tmp_path, es_url, es_prefix, es_client, *, cluster: str | None = None):
    """(server, {name: URL}, the command's --config arguments): the pages, a feed on the kept host that links to
    every one of them, and the removals (the domain 127.0.0.1, removed.test, and the kept host's /a.html) made
    on the test node; ``cluster``: the URL the command is given for Elasticsearch instead of the node's."""
    from pipeline.removals import remove
    from pipeline.settings import load_settings

    srv = news_server(hosts=2)
    srv.route("/robots.txt", robots(), host=None)
    kept = f"http://localhost:{srv.ports[KEPT_HOST]}"
    urls = {"gone": srv.route("/gone.html", Reply(body=html_page("Gone")), host=GONE_HOST),
            "sub": SUBDOMAIN_URL, "a": f"{kept}/a.html", "b": f"{kept}/b.html"}
    for name in "ab":
        srv.route(f"/{name}.html", Reply(body=html_page(f"Story {name}")), host=KEPT_HOST)
    items = [{"url": urls[k], "title": k} for k in ("gone", "sub", "a", "b")]
    srv.route("/feed.xml", Reply(body=rss_feed(items), content_type="application/rss+xml"), host=KEPT_HOST)
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "mixed", "kind": "rss", "url": f"{kept}/feed.xml", "language": "en"}]}))
    conf = {"storage": {"root": str(tmp_path / "store")}, "index": {"name": f"{es_prefix}news"},
            "elasticsearch": {"url": es_url},
            "fetch": {"min_delay": 0, "max_retries": 0, "read_timeout": 2.0, "allow_addresses": ["127.0.0.1"]}}
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump(conf))
    res = remove(es_client, load_settings(tmp_path / "newsetl.yaml"), urls=[urls["a"]],
                 domains=["127.0.0.1", "removed.test"], reason="court order")
    assert (res["records"], res["domains"]) == (1, ["127.0.0.1", "removed.test"])
    if cluster:
        conf["elasticsearch"]["url"] = cluster
        (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump(conf))
    return srv, urls, ["--config", str(tmp_path / "newsetl.yaml")]


def _archived(tmp_path) -> set[str]:
    """Every URL the WARC files under the test's storage root hold a record of."""
    from pipeline.archive import list_warc_files, record_urls
    from pipeline.storage import Storage

    storage = Storage(str(tmp_path / "store"))
    return {u for rel in list_warc_files(storage) for _, _, us in record_urls(storage, rel) for u in us}


def test_fetch_leaves_out_what_was_removed(news_server, tmp_path, capsys, monkeypatch, es_url, es_prefix,
                                           es_client):
    """`newsetl fetch` of a removed article, a page of a removed domain, one of its subdomain's and an allowed page
    requests and archives the allowed page alone; the others are skipped "removed", counted in its report."""
    from pipeline.fetcher import Ledger
    from pipeline.storage import Storage

    srv, urls, cfg = _removals_site(news_server, tmp_path, es_url, es_prefix, es_client)
    srv.reset_log()
    args = [a for k in ("gone", "sub", "a", "b") for a in ("--url", urls[k])]
    assert main(cfg + ["fetch", "--json", "--no-progress", "--run-id", "r1", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"fetched": 1, "not_modified": 0, "skipped": 3, "dead_letter": 0}
    assert out["reasons"] == {"removed": 3} and out["deadletter_file"] is None
    # the access log: no request to the removed domain (not even its robots.txt), none for the removed article
    assert srv.requests(host=GONE_HOST) == []
    assert sorted(r.path for r in srv.requests(host=KEPT_HOST)) == ["/b.html", "/robots.txt"]
    # the archive, the manifest and the ledger hold the allowed page alone
    assert _archived(tmp_path) == {urls["b"], urls["b"].replace("/b.html", "/robots.txt")}
    storage = Storage(str(tmp_path / "store"))
    assert [row["url"] for row in storage.read_jsonl(out["manifest"])] == [urls["b"]]
    assert {e["url"] for e in Ledger.load(storage).entries.values()} == {urls["b"]}

    # the table says the same: the skipped, with their reason
    monkeypatch.setenv("COLUMNS", "200")
    assert main(cfg + ["fetch", "--no-progress", "--run-id", "r2", *args]) == 0
    table = capsys.readouterr().out
    assert "already_archived 1, removed 3" in table
    assert srv.requests(host=GONE_HOST) == [] and len(srv.requests(host=KEPT_HOST, path="/b.html")) == 1


def test_crawl_does_not_request_the_links_to_a_removed_domain(news_server, tmp_path, capsys, es_url, es_prefix,
                                                             es_client):
    """A feed that links to pages of a removed domain, of its subdomain, to a removed article and to an allowed page:
    `newsetl crawl` lists the removed domain's two as skipped `removed` when it discovers them, the removed article
    when it would fetch it, and fetches the allowed one alone."""
    srv, urls, cfg = _removals_site(news_server, tmp_path, es_url, es_prefix, es_client)
    srv.reset_log()
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    found = out["sources"][0]
    assert (found["counts"]["candidates"], found["counts"]["skipped"], found["reasons"]) == (2, 2, {"removed": 2})
    assert (out["counts"]["fetched"], out["counts"]["skipped"], out["reasons"]) == (1, 1, {"removed": 1})
    assert srv.requests(host=GONE_HOST) == []
    assert sorted(r.path for r in srv.requests(host=KEPT_HOST)) == ["/b.html", "/feed.xml", "/robots.txt"]
    assert urls["b"] in _archived(tmp_path) and not {urls[k] for k in ("gone", "sub", "a")} & _archived(tmp_path)


def test_discovery_reads_no_feed_of_a_removed_domain(news_server, tmp_path, capsys, es_url, es_prefix, es_client):
    """A source whose feed is in a removed domain: `newsetl discover` (as the DAG's discover task,
    ``stages.fetch_removals``) does not request it, and says so (skipped `removed`), where it used to read the feed
    and list its articles for the fetch to refuse one by one."""
    srv, urls, cfg = _removals_site(news_server, tmp_path, es_url, es_prefix, es_client)
    gone_feed = srv.route("/feed.xml", Reply(body=rss_feed([{"url": urls["gone"], "title": "gone"}]),
                                             content_type="application/rss+xml"), host=GONE_HOST)
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "away", "kind": "rss", "url": gone_feed, "language": "en"}]}))
    srv.reset_log()
    assert main(cfg + ["discover", "--json", "--no-progress"]) == 0
    found = json.loads(capsys.readouterr().out)["sources"][0]
    assert (found["counts"]["candidates"], found["reasons"]) == (0, {"removed": 1})
    assert srv.requests(host=GONE_HOST) == []


def test_fetch_goes_on_with_a_warning_when_the_cluster_cannot_be_reached(news_server, tmp_path, es_url, es_prefix,
                                                                         es_client):
    """As the fetch task does: the removals cannot be read, so `newsetl fetch` (in its own process) says so on
    standard error, naming the cluster, and fetches; the loader, which needs the cluster, still leaves them out, and
    the next purge takes them out of the archive."""
    from tests.cfgutil import REPO, cli_env
    from tests.netutil import free_port

    away = f"http://127.0.0.1:{free_port()}"
    srv, urls, cfg = _removals_site(news_server, tmp_path, es_url, es_prefix, es_client, cluster=away)
    srv.reset_log()
    p = subprocess.run([sys.executable, "-m", "pipeline", *cfg, "fetch", "--json", "--no-progress",
                        "--url", urls["gone"], "--url", urls["b"]], capture_output=True, text=True, cwd=REPO,
                       env=cli_env(), timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["counts"]["fetched"] == 2
    assert f"Elasticsearch at {away}" in p.stderr and "fetching without leaving them out" in p.stderr
    assert len(srv.requests(host=GONE_HOST, path="/gone.html")) == 1


def test_crawl_fetches_an_article_again_when_its_feed_says_it_was_updated(news_server, tmp_path, capsys):
    import datetime as dt
    import time

    srv = news_server(hosts=1)
    cfg = _config(tmp_path, srv)
    page = srv.url("/n/0.html")
    published = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)

    def feed(updated: dt.datetime) -> Reply:
        return dated_atom_feed([{"url": page, "title": "N0", "published": published, "updated": updated}])

    srv.route("/feed.xml", feed(published))
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["fetched"] == 1
    srv.route("/feed.xml", feed(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)))
    srv.route("/n/0.html", Reply(body=html_page("N0, corrected")))
    time.sleep(1.1)
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["sources"][0]["counts"]["updated"], out["counts"]["fetched"]) == (1, 1)
    assert main(cfg + ["crawl", "--json", "--no-progress"]) == 0     # fetched after the update: not again
    assert json.loads(capsys.readouterr().out)["sources"][0]["reasons"] == {"already_archived": 1}
