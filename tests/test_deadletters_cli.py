"""`newsetl deadletters`: counts by stage and reason, listing with filters, and a retry batch that `newsetl fetch`
takes, against dead letters made by real fetches from the local server."""
from __future__ import annotations

import json

import pytest
import yaml

from pipeline.cli import main
from pipeline.deadletter import DeadLetter, write_dead_letters
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, html_page, robots


def _setup(tmp_path, srv) -> list[str]:
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")},
        "fetch": {"min_delay": 0.01, "read_timeout": 1.0, "max_retries": 0, "allow_addresses": ["127.0.0.1"]}}))
    srv.route("/robots.txt", robots(disallow=["/private/"]))
    return ["--config", str(tmp_path / "newsetl.yaml")]


def test_counts_list_and_retry_of_real_fetch_failures(news_server, tmp_path, capsys, monkeypatch):
    srv = news_server(hosts=1)
    cfg = _setup(tmp_path, srv)
    busy = srv.route("/news/busy.html", Reply(status=503, body="busy"))
    gone = srv.route("/news/gone.html", Reply(status=404, body="gone"))
    ok = srv.route("/news/ok.html", Reply(body=html_page("Fine")))
    hidden = srv.url("/private/x.html")
    for run in ("r1", "r2"):              # the busy page fails in both runs: it is retried once
        assert main(cfg + ["fetch", "--url", busy, "--url", gone, "--url", ok, "--url", hidden, "--run-id", run,
                           "--refetch", "--json", "--no-progress"]) == 0
        assert json.loads(capsys.readouterr().out)["counts"]["dead_letter"] == 3
    # a load failure too, written as the loader writes them
    write_dead_letters(Storage(tmp_path / "store"), "load", "r2",
                       [DeadLetter("load", "doc-1", "mapper_parsing_exception", "bad date", {"id": "doc-1"})])

    assert main(cfg + ["deadletters", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 7
    assert [(r["stage"], r["reason"], r["count"]) for r in out["rows"]] == [
        ("fetch", "http_404", 2), ("fetch", "http_503", 2), ("fetch", "robots", 2),
        ("load", "mapper_parsing_exception", 1)]
    assert {r["reason"]: r["example"] for r in out["rows"]}["robots"] == hidden

    # listing with filters: reason (repeatable or comma-separated), run, stage
    assert main(cfg + ["deadletters", "--list", "--reason", "http_404,robots", "--run", "r1"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((d["key"], d["run"]) for d in listed) == [(gone, "r1"), (hidden, "r1")]
    assert main(cfg + ["deadletters", "--list", "--stage", "load"]) == 0
    assert [json.loads(line)["key"] for line in capsys.readouterr().out.splitlines()] == ["doc-1"]
    assert main(cfg + ["deadletters", "--json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == {"total": 0, "rows": []}

    # the busy server is fine again: its URL, once, in a batch that `newsetl fetch` takes
    srv.route("/news/busy.html", Reply(body=html_page("Busy no more")))
    assert main(cfg + ["deadletters", "--retry", "--reason", "http_503", "--json"]) == 0
    retry = json.loads(capsys.readouterr().out)
    assert (retry["letters"], retry["candidates"]) == (2, 1)
    assert main(cfg + ["fetch", "--candidates", retry["candidates_file"], "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"] == {"fetched": 1, "not_modified": 0, "skipped": 0,
                                                            "dead_letter": 0}
    # without --reason a retry leaves out what another try would not change (robots), and the 404 stays in
    assert main(cfg + ["deadletters", "--retry", "--json", "--out", "runs/again/candidates/retry.jsonl"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["candidates"] == 1 and again["candidates_file"] == "runs/again/candidates/retry.jsonl"
    assert [json.loads(line)["url"] for line in (tmp_path / "store" / again["candidates_file"]).read_text().splitlines()
            ] == [gone]
    # the busy page's letters are closed now; a second retry finds nothing left to fetch
    assert main(cfg + ["deadletters", "--open", "--json"]) == 0
    assert [(r["reason"], r["count"]) for r in json.loads(capsys.readouterr().out)["rows"]] == [
        ("http_404", 2), ("robots", 2), ("mapper_parsing_exception", 1)]
    assert main(cfg + ["deadletters", "--retry", "--reason", "http_503", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"letters": 0, "candidates": 0, "candidates_file": None,
                                                     "given_up": 0}
    # the table for people (as wide as a wide terminal: rich reads COLUMNS)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(cfg + ["deadletters"]) == 0
    table = capsys.readouterr().out
    assert "http_503" in table and "mapper_parsing_exception" in table


def test_usage_errors_and_nothing_to_retry(news_server, tmp_path, capsys):
    srv = news_server(hosts=1)
    cfg = _setup(tmp_path, srv)
    assert main(cfg + ["deadletters", "--retry", "--stage", "process"]) == 2
    assert "fetch and load dead letters can be retried" in capsys.readouterr().err
    assert main(cfg + ["deadletters", "--since", "last week"]) == 2
    assert "not an ISO 8601 date" in capsys.readouterr().err
    # nothing to show: one line that says where it looked, not an empty table
    assert main(cfg + ["deadletters", "--stage", "load", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == (f"no dead letters under {tmp_path / 'store'} (stage load, since "
                                       "2999-01-01)\n")
    assert main(cfg + ["deadletters", "--out", "x.jsonl"]) == 2
    with pytest.raises(SystemExit) as e:                                  # one or the other (argparse)
        main(cfg + ["deadletters", "--list", "--retry"])
    assert e.value.code == 2
    capsys.readouterr()
    # discovery's letters (an unreachable feed) hold no candidate: nothing is written
    write_dead_letters(Storage(tmp_path / "store"), "fetch", "d1", [DeadLetter(
        "fetch", "https://feeds.example.invalid/rss.xml", "dns_error", "no such host",
        {"source": "offline", "phase": "discover", "what": "feed"})])
    assert main(cfg + ["deadletters", "--retry"]) == 0
    assert capsys.readouterr().out == "nothing to retry: no candidate URL in the 1 matching fetch dead letter\n"
    assert not list((tmp_path / "store").glob("runs/*/candidates/retry.jsonl"))


def test_a_run_retries_the_open_fetch_failures_as_a_source_of_its_own(news_server, tmp_path, capsys):
    from pipeline import stages
    from pipeline.settings import load_settings

    srv = news_server(hosts=1)
    cfg = _setup(tmp_path, srv)
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "quiet", "kind": "urls", "urls": ["https://example.invalid/a"], "enabled": False}]}))
    busy = srv.route("/news/busy.html", Reply(status=503, body="busy"))
    hidden = srv.url("/private/x.html")
    assert main(cfg + ["fetch", "--url", busy, "--url", hidden, "--run-id", "r1", "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["dead_letter"] == 2

    # `newsetl run --retry-dead-letters --dry-run`: the plan has the source @deadletters, with the busy URL only
    assert main(cfg + ["run", "--retry-dead-letters", "--dry-run", "--json", "--run-id", "dry"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["sources"]) == [stages.RETRY_SOURCE]
    assert report["sources"][stages.RETRY_SOURCE]["discovered"] == 1
    # ingest.retry_dead_letters makes it the default of `newsetl run` (and of the DAG's param); --no-... overrides it
    conf = yaml.safe_load((tmp_path / "newsetl.yaml").read_text())
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump({**conf, "ingest": {"retry_dead_letters": True}}))
    assert main(cfg + ["run", "--dry-run", "--json", "--run-id", "dry2"]) == 0
    assert list(json.loads(capsys.readouterr().out)["sources"]) == [stages.RETRY_SOURCE]
    assert main(cfg + ["run", "--no-retry-dead-letters", "--dry-run", "--json", "--run-id", "dry3"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"] == {}
    (tmp_path / "newsetl.yaml").write_text(yaml.safe_dump(conf))
    # without it, nothing is planned (the only source is disabled)
    settings = load_settings(str(tmp_path / "newsetl.yaml"))
    assert stages.plan_sources(settings) == []
    assert stages.plan_sources(settings, retry_dead_letters=True) == [stages.RETRY_SOURCE]

    # the stage functions a DAG run calls: the retried URL is fetched once the server answers
    srv.route("/news/busy.html", Reply(body=html_page("Busy no more")))
    batches = stages.discover(settings, stages.RETRY_SOURCE, "r2")
    assert len(batches) == 1
    pages = stages.fetch_batch(settings, batches[0], "r2")
    assert [json.loads(line)["url"] for line in (tmp_path / "store" / pages).read_text().splitlines()] == [busy]
    # and a later retry has nothing left to fetch (robots.txt's refusal is not retried)
    assert stages.discover(settings, stages.RETRY_SOURCE, "r3") == []


def test_a_url_that_keeps_failing_is_given_up(news_server, tmp_path, capsys):
    from pipeline import stages
    from pipeline.settings import load_settings

    srv = news_server(hosts=1)
    cfg = _setup(tmp_path, srv)
    cfg_file = tmp_path / "newsetl.yaml"
    conf = yaml.safe_load(cfg_file.read_text())
    conf["fetch"]["give_up_after"] = 3
    cfg_file.write_text(yaml.safe_dump(conf))
    down = srv.route("/news/down.html", Reply(status=503, body="down"))
    flaky = srv.route("/news/flaky.html", Reply(status=503, body="busy"))
    # three runs: the first two fail both pages, the third fails only `down` (flaky is not asked for)
    for run, urls in (("r1", [down, flaky]), ("r2", [down, flaky]), ("r3", [down])):
        assert main(cfg + ["fetch", *[a for u in urls for a in ("--url", u)], "--run-id", run, "--refetch", "--json",
                           "--no-progress"]) == 0
        assert json.loads(capsys.readouterr().out)["counts"]["dead_letter"] == len(urls)

    # down has failed 3 times (give_up_after): a retry takes flaky only and says what it left out
    assert main(cfg + ["deadletters", "--retry", "--json"]) == 0
    retry = json.loads(capsys.readouterr().out)
    assert (retry["letters"], retry["candidates"], retry["given_up"]) == (2, 1, 1)
    assert [json.loads(line)["url"] for line in (tmp_path / "store" / retry["candidates_file"]).read_text()
            .splitlines()] == [flaky]
    assert main(cfg + ["deadletters", "--retry"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 URL from 2 fetch dead letters written to ")
    assert "left out 1 URL that has failed too often" in out
    # --given-up lists the given-up URL's letters, all three; --give-up-after overrides the setting
    assert main(cfg + ["deadletters", "--given-up", "--list"]) == 0
    assert [json.loads(line)["run"] for line in capsys.readouterr().out.splitlines()] == ["r1", "r2", "r3"]
    assert main(cfg + ["deadletters", "--retry", "--json", "--give-up-after", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["candidates"] == 2
    assert main(cfg + ["deadletters", "--retry", "--json", "--give-up-after", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["candidates"] == 0
    assert main(cfg + ["deadletters", "--given-up", "--retry"]) == 2
    assert "use it without --retry" in capsys.readouterr().err
    assert main(cfg + ["deadletters", "--give-up-after", "-1"]) == 2
    capsys.readouterr()

    # a DAG run's retry source: flaky is fetched again, down is counted as filtered (given_up), not lost
    settings = load_settings(str(cfg_file))
    srv.route("/news/flaky.html", Reply(body=html_page("Flaky no more")))
    batches = stages.discover(settings, stages.RETRY_SOURCE, "r4")
    assert len(batches) == 1
    assert [json.loads(line)["url"] for line in (tmp_path / "store" / batches[0]).read_text().splitlines()] == [flaky]
    result = next((tmp_path / "store" / "runs" / "r4").rglob("discover*/*.json"))
    summary = json.loads(result.read_text())
    assert (summary["filtered"], summary["reasons"]) == (1, {"given_up": 1})


@pytest.mark.es
def test_documents_the_index_refused_are_loaded_again_once_it_takes_them(index_settings, index_client, tmp_path,
                                                                          capsys, make_doc):
    """The cluster's disk filled up: the write index is blocked and every document of a load is dead-lettered
    (cluster_block_exception). Once the block is lifted, `deadletters --retry --stage load` gives the documents
    back as a batch under the storage root, and `index load` takes it from there."""
    from pipeline.admin import ensure_index

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": index_settings.elasticsearch.url},
                                   "index": {"name": index_settings.index.name},
                                   "storage": {"root": index_settings.storage.root}}))
    args = ["--config", str(cfg)]
    ensure_index(index_client, index_settings)
    write_index = next(iter(index_client.indices.get_alias(name=index_settings.index.write_alias_name)))
    docs = [make_doc(f"https://news.example.org/full/{i}") for i in range(4)]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    index_client.indices.put_settings(index=write_index, settings={"index.blocks.write": True})
    try:
        assert main(args + ["index", "load", str(tmp_path / "docs.jsonl"), "--run-id", "full", "--json"]) == 1
        assert json.loads(capsys.readouterr().out)["failed"] == 4
    finally:
        index_client.indices.put_settings(index=write_index, settings={"index.blocks.write": False})
    assert main(args + ["deadletters", "--stage", "load", "--json"]) == 0
    assert [(r["reason"], r["count"]) for r in json.loads(capsys.readouterr().out)["rows"]] == [
        ("cluster_block_exception", 4)]

    assert main(args + ["deadletters", "--retry", "--stage", "load", "--json"]) == 0
    retry = json.loads(capsys.readouterr().out)
    assert (retry["letters"], retry["documents"]) == (4, 4)
    assert retry["documents_file"].startswith("runs/retry__") and retry["documents_file"].endswith("/docs/retry.jsonl")
    # the file is under the storage root, not here: `index load` finds it there
    assert main(args + ["index", "load", retry["documents_file"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 4
    index_client.indices.refresh(index=index_settings.index.read_alias)
    assert index_client.count(index=index_settings.index.read_alias)["count"] == 4
    # a second retry gives the same documents back; loading them again changes nothing
    assert main(args + ["deadletters", "--retry", "--stage", "load", "--json", "--out", "again.jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 4
    assert main(args + ["index", "load", "again.jsonl", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 4
    # pages are re-processed, not retried
    assert main(args + ["deadletters", "--retry", "--stage", "process"]) == 2
    assert "newsetl reprocess" in capsys.readouterr().err
    assert main(args + ["index", "load", "nowhere.jsonl"]) == 2
    assert "no such file, here or under the storage root" in capsys.readouterr().err


@pytest.mark.es
def test_news_health_loads_again_what_the_cluster_refused_for_its_own_reasons(index_settings, index_client,
                                                                               make_doc):
    """stages.retry_refused_documents (news_health's task): the write-blocked documents go in once the block is
    lifted; the one whose value the mapping refuses is left for a person to fix; a second pass changes nothing."""
    from pipeline import stages
    from pipeline.admin import ensure_index
    from pipeline.load import bulk_load
    from pipeline.storage import Storage

    storage = Storage(index_settings.storage.root)
    ensure_index(index_client, index_settings)
    write_index = next(iter(index_client.indices.get_alias(name=index_settings.index.write_alias_name)))
    docs = [make_doc(f"https://news.example.org/blocked/{i}") for i in range(3)]
    index_client.indices.put_settings(index=write_index, settings={"index.blocks.write": True})
    try:
        assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="blocked").failed == 3
    finally:
        index_client.indices.put_settings(index=write_index, settings={"index.blocks.write": False})
    bad = make_doc("https://news.example.org/bad-date", published_at="the day before yesterday")
    assert bulk_load(index_client, [bad], index_settings, storage=storage, run_id="bad").failed == 1

    res = stages.retry_refused_documents(index_settings, days=2)
    assert (res["letters"], res["documents"], res["created"], res["failed"]) == (3, 3, 3, 0)
    index_client.indices.refresh(index=index_settings.index.read_alias)
    ids = {h["_id"] for h in index_client.search(index=index_settings.index.read_alias, size=10)["hits"]["hits"]}
    assert ids == {d["id"] for d in docs}                 # not the bad date: a person fixes that one
    again = stages.retry_refused_documents(index_settings, days=2)
    assert (again["unchanged"], again["failed"]) == (3, 0)
    assert stages.retry_refused_documents(index_settings, days=2)["letters"] == 3    # no new letters were written
