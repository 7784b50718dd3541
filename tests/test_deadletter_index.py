"""The dead letters in Elasticsearch (pipeline.runs): each run's report writes its dead letters, one document each, to
the dead-letter index; the run that archives a failed URL later closes its letters; `newsetl index runs` writes them
again; the Source health dashboard's dead-letter charts and searches find them. Real node, real HTTP server."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import kibana
from pipeline.deadletter import DeadLetter, write_dead_letters
from pipeline.fetcher import Ledger
from pipeline.runs import DEAD_LETTERS_MAPPING, ERROR_CHARS, letter_rows, record_dead_letters
from pipeline.settings import ConfigError, load_settings
from pipeline.storage import Storage
from pipeline.urls import doc_id
from tests.plugins.httpserver import Reply, html_page, robots
from tests.test_runs import _translate

REPO = Path(__file__).resolve().parents[1]

ARTICLE = "\n\n".join(f"Paragraph {i} of a story about the harbour, the council and the weather this week, long "
                      "enough to be read as an article by the extraction." for i in range(8))


def test_rows_name_the_stage_reason_url_and_source_of_every_kind_of_letter():
    fetch = {"stage": "fetch", "key": "https://a.example/x", "reason": "http_503", "error": "busy " * 1000,
             "at": "2026-11-29T06:00:00+00:00", "run": "r1",
             "record": {"url": "https://a.example/x", "source": "site"}}
    feed = {"stage": "fetch", "key": "https://a.example/rss", "reason": "dns_error", "error": "no such host",
            "at": "2026-11-29T06:00:01+00:00", "run": "r1",
            "record": {"source": "site", "phase": "discover", "what": "feed"}}
    page = {"stage": "process", "key": "https://b.example/menu", "reason": "not_article", "error": "",
            "at": "2026-11-29T06:00:02+00:00", "run": "r1",
            "record": {"id": doc_id("https://b.example/menu"), "url": "https://b.example/menu", "source": "other"}}
    load = {"stage": "load", "key": "doc-1", "reason": "mapper_parsing_exception", "error": "bad date",
            "at": "2026-11-29T06:00:03+00:00", "run": "r1", "record": {"id": "doc-1", "source": "other"}}
    rows = dict(letter_rows([fetch, feed, page, load], Ledger()))
    assert len(rows) == 4
    f, d, p, ld = rows.values()
    assert (f["stage_reason"], f["url"], f["host"], f["source"], f["open"]) == (
        "fetch/http_503", "https://a.example/x", "a.example", "site", True)
    assert f["doc_id"] == doc_id("https://a.example/x") and len(f["error"]) == ERROR_CHARS
    # a feed that failed is no candidate: it has no open/closed state, and says it failed in discovery
    assert (d["phase"], d["url"], "open" in d, "doc_id" in d) == ("discover", "https://a.example/rss", False, False)
    assert (p["stage_reason"], p["source"], p["doc_id"], "open" in p) == (
        "process/not_article", "other", doc_id("https://b.example/menu"), False)
    # a load failure is filed under a document id, not a URL
    assert (ld["key"], "url" in ld, "host" in ld) == ("doc-1", False, False)
    for row in rows.values():
        assert set(row) <= set(DEAD_LETTERS_MAPPING["properties"])
    # the same letter gives the same id (a report written again replaces its rows); the ledger closes a fetch letter
    ledger = Ledger({f["doc_id"]: {"id": f["doc_id"], "fetched_at": "2026-11-29T07:00:00+00:00", "run": "r2"}})
    again = dict(letter_rows([fetch], ledger))
    assert list(again) == list(rows)[:1]
    assert {k: again[list(rows)[0]][k] for k in ("open", "closed_at", "closed_by")} == {
        "open": False, "closed_at": "2026-11-29T07:00:00+00:00", "closed_by": "r2"}


def test_a_letter_never_closes_before_it_was_written():
    """A URL archived before its letter was written (a failed re-fetch of an archived page): the letter was never
    open, closed at its own time by its own run. Times are compared as instants, whatever their offset."""
    url = "https://a.example/x"
    letter = {"stage": "fetch", "key": url, "reason": "http_503", "at": "2026-11-29T06:00:00+00:00", "run": "r2",
              "record": {"url": url, "source": "site"}}
    # 07:30 at +02:00 is 05:30 UTC: before the letter, though its text sorts after it
    for fetched_at, run in (("2026-11-28T06:00:00+00:00", "r1"), ("2026-11-29T07:30:00+02:00", "r1")):
        (row,) = dict(letter_rows([letter], Ledger({doc_id(url): {"id": doc_id(url), "fetched_at": fetched_at,
                                                                  "run": run}}))).values()
        assert {k: row[k] for k in ("open", "closed_at", "closed_by")} == {
            "open": False, "closed_at": letter["at"], "closed_by": "r2"}, fetched_at
    # archived after the letter, at 06:30 UTC: closed then by the run that archived it
    (row,) = dict(letter_rows([letter], Ledger({doc_id(url): {"id": doc_id(url), "run": "r3",
                                                              "fetched_at": "2026-11-29T08:30:00+02:00"}}))).values()
    assert (row["open"], row["closed_at"], row["closed_by"]) == (False, "2026-11-29T08:30:00+02:00", "r3")


def _rows(client, index: str) -> list[dict]:
    client.indices.refresh(index=index)
    return [h["_source"] for h in client.search(index=index, size=100, sort=[{"at": "asc"}])["hits"]["hits"]]


@pytest.fixture
def site(news_server, tmp_path, es_url, es_prefix):
    """A `urls` source on the local server: an article, a busy page (503), a gone one (404), a menu page (not an
    article) and one that robots.txt refuses."""
    srv = news_server(hosts=1)
    srv.route("/robots.txt", robots(disallow=["/private/"]))
    urls = {"ok": srv.route("/news/ok.html", Reply(body=html_page("Harbour council meets", ARTICLE))),
            "busy": srv.route("/news/busy.html", Reply(status=503, body="busy")),
            "gone": srv.route("/news/gone.html", Reply(status=404, body="gone")),
            "menu": srv.route("/news/menu.html", Reply(body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>")),
            "hidden": srv.url("/private/x.html")}
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "site", "kind": "urls", "urls": list(urls.values())}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")}, "elasticsearch": {"url": es_url},
        "index": {"name": f"{es_prefix}news"},
        "fetch": {"allow_addresses": ["127.0.0.1"], "min_delay": 0, "max_retries": 0, "read_timeout": 2.0},
        "processing": {"workers": 1, "entities": {"enabled": False}}, "ingest": {"dead_letter_threshold": 1.0}}))
    return {"server": srv, "urls": urls, "cfg": cfg, "settings": load_settings(cfg)}


@pytest.mark.es
def test_a_run_writes_its_letters_and_the_run_that_archives_a_url_closes_them(site, es_client):
    from pipeline.admin import index_status
    from pipeline.stages import report, run_pipeline

    settings, urls = site["settings"], site["urls"]
    index = settings.index.dead_letters_index_name
    assert index_status(es_client, settings)["dead_letters_index"] == {
        "name": index, "exists": False, "letters": 0, "open": 0, "latest": None}
    run_pipeline(settings, run_id="r1")
    rows = _rows(es_client, index)
    by_url = {r["url"]: r for r in rows}
    assert sorted((r["stage_reason"], r["url"]) for r in rows) == sorted([
        ("fetch/http_503", urls["busy"]), ("fetch/http_404", urls["gone"]), ("fetch/robots", urls["hidden"]),
        ("process/not_article", urls["menu"])])
    assert all((r["run_id"], r["source"], r["host"]) == ("r1", "site", "127.0.0.1") for r in rows)
    assert [by_url[urls[k]]["open"] for k in ("busy", "gone", "hidden")] == [True, True, True]
    assert "open" not in by_url[urls["menu"]] and "503" in by_url[urls["busy"]]["error"]
    status = index_status(es_client, settings)["dead_letters_index"]
    assert (status["exists"], status["letters"], status["open"]) == (True, 4, 3)
    # the report written again (a retried task) replaces its letters' rows
    report(settings, "r1", fail_over_threshold=False)
    assert len(_rows(es_client, index)) == 4

    # the busy page is fine again: the next run archives it, and its report closes r1's letter
    site["server"].route("/news/busy.html", Reply(body=html_page("Busy no more", ARTICLE)))
    sources = Path(site["cfg"]).parent / "sources.yaml"      # the retry alone: the source itself is switched off
    sources.write_text(yaml.safe_dump({"sources": [{"name": "site", "kind": "urls", "urls": list(urls.values()),
                                                    "enabled": False}]}))
    run_pipeline(load_settings(site["cfg"]), run_id="r2", retry_dead_letters=True)
    rows = _rows(es_client, index)
    r1 = {r["url"]: r for r in rows if r["run_id"] == "r1"}
    assert (r1[urls["busy"]]["open"], r1[urls["busy"]]["closed_by"]) == (False, "r2")
    assert r1[urls["busy"]]["closed_at"] >= r1[urls["busy"]]["at"]
    assert r1[urls["gone"]]["open"] is True and r1[urls["hidden"]]["open"] is True
    # r2 tried the gone and refused URLs again (the menu page is archived: not fetched again)
    # r2 retried the open letters but the refused one (robots.txt would refuse it again): the gone page failed again
    assert [(r["stage_reason"], r["url"]) for r in rows if r["run_id"] == "r2"] == [("fetch/http_404", urls["gone"])]
    assert index_status(es_client, settings)["dead_letters_index"]["open"] == 3

    # the dashboard's dead-letter charts and searches on these rows
    objects = [o for o in kibana.build_saved_objects(settings.index.read_alias, settings.index.runs_index_name, index)
               if kibana.data_view_of(o) == kibana.LETTERS_VIEW_ID]
    assert {o["type"] for o in objects} == {"index-pattern", "lens", "search"}
    for lens in [o for o in objects if o["type"] == "lens"]:
        (layer,) = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()
        for col in layer["columns"].values():
            if col["operationType"] == "terms":
                agg = {"terms": {"field": col["sourceField"], "size": col["params"]["size"]}}
            elif col["operationType"] == "date_histogram":
                agg = {"date_histogram": {"field": col["sourceField"], "fixed_interval": "1h", "min_doc_count": 1}}
            else:
                continue
            kql = lens["attributes"]["state"]["query"]["query"]
            buckets = es_client.search(index=index, size=0, aggs={"a": agg}, query=_translate(kql) if kql else {
                "match_all": {}})["aggregations"]["a"]["buckets"]
            assert buckets, (lens["id"], col["label"])
            if lens["id"] == "newsetl-open-failures-by-source":
                assert {b["key"]: b["doc_count"] for b in buckets} == {"site": 3}
            if col["sourceField"] == "stage_reason":
                assert {b["key"]: b["doc_count"] for b in buckets} == {
                    "fetch/http_404": 2, "fetch/robots": 1, "fetch/http_503": 1, "process/not_article": 1}
    found = {}
    for search in [o for o in objects if o["type"] == "search"]:
        src = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        query = _translate(src["query"]["query"]) if src["query"]["query"] else {"match_all": {}}
        hits = es_client.search(index=index, query=query, size=100,
                                sort=[{s[0]: s[1]} for s in search["attributes"]["sort"]])["hits"]["hits"]
        found[search["id"]] = sorted((h["_source"]["run_id"], h["_source"]["stage_reason"]) for h in hits)
        for column in search["attributes"]["columns"]:
            assert all(column in h["_source"] for h in hits if column != "url" or h["_source"]["stage"] == "fetch"), \
                (search["id"], column)
    assert found["newsetl-open-fetch-failures"] == [("r1", "fetch/http_404"), ("r1", "fetch/robots"),
                                                    ("r2", "fetch/http_404")]
    assert len(found["newsetl-latest-dead-letters"]) == 5


@pytest.mark.es
def test_a_failed_refetch_of_an_archived_page_was_never_open_on_every_path(site, es_client):
    """r1 archives the article; r2 re-fetches it and fails: its letter is closed from the start, at its own time by
    r2. A letter a report wrote open, though the URL's archived copy is older (that report saw the ledger before the
    archiving run wrote it), is closed the same way by the archiving run's report and by `newsetl index runs`; and
    writing the letters again keeps that state."""
    from pipeline.runs import close_letters
    from pipeline.stages import record_history, run_pipeline

    settings, ok = site["settings"], site["urls"]["ok"]
    index = settings.index.dead_letters_index_name
    run_pipeline(settings, run_id="r1")
    storage = Storage(settings.storage.root)
    archived = Ledger.load(storage).get(doc_id(ok))
    assert archived["run"] == "r1"
    site["server"].route("/news/ok.html", Reply(status=503, body="busy"))
    run_pipeline(settings, run_id="r2", refetch=True)
    (r2,) = [r for r in _rows(es_client, index) if (r["run_id"], r["url"]) == ("r2", ok)]
    assert (r2["stage_reason"], r2["open"], r2["closed_by"], r2["closed_at"]) == (
        "fetch/http_503", False, "r2", r2["at"])
    # the ledger's copy is older than the letter: the old code closed it at that time, by r1
    assert dt.datetime.fromisoformat(archived["fetched_at"]) < dt.datetime.fromisoformat(r2["at"])

    # letters of later runs whose reports saw no ledger entry yet: written open
    later = [{"stage": "fetch", "key": ok, "reason": "timeout", "run": run, "at": dt.datetime.now(
        dt.timezone.utc).isoformat(), "record": {"url": ok, "source": "site"}} for run in ("r3", "r4")]
    record_dead_letters(es_client, index, later[:1], Ledger())
    assert [r["open"] for r in _rows(es_client, index) if r["run_id"] == "r3"] == [True]
    # the archiving run's report closes its URLs' open letters: this one at its own time, by its own run
    assert close_letters(es_client, index, Ledger.load(storage), run_id="r1") == 1
    record_dead_letters(es_client, index, later[1:], Ledger())
    assert record_history(settings, days=1, client=es_client)["closed"] == 1     # `newsetl index runs`: the scan
    rows = _rows(es_client, index)
    for letter in later:
        (row,) = [r for r in rows if r["run_id"] == letter["run"]]
        assert (row["open"], row["closed_at"], row["closed_by"]) == (False, letter["at"], letter["run"])
    # written again from the ledger, every letter keeps its state
    record_dead_letters(es_client, index, later, Ledger.load(storage))
    assert _rows(es_client, index) == rows
    closed = [r for r in rows if r.get("open") is False]
    assert len(closed) >= 3
    assert all(dt.datetime.fromisoformat(r["closed_at"]) >= dt.datetime.fromisoformat(r["at"]) for r in closed)


@pytest.mark.es
def test_cli_writes_the_letters_again_and_closes_what_the_ledger_archived(site, es_client, tmp_path):
    from pipeline.stages import run_pipeline

    off = load_settings(site["cfg"], overrides={"index": {"record_runs": False}})
    run_pipeline(off, run_id="r1")
    index = off.index.dead_letters_index_name
    assert not es_client.indices.exists(index=index)            # turned off: nothing written
    store = Storage(off.storage.root)
    # a letter of a run without a report (`newsetl index load`) is written too
    write_dead_letters(store, "load", "load-1", [DeadLetter("load", "doc-1", "mapper_parsing_exception", "bad date",
                                                            {"id": "doc-1", "source": "files"})])
    # an old letter outside the window, written while its URL was not archived yet; the ledger has it now
    ok = site["urls"]["ok"]
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)).isoformat()
    record_dead_letters(es_client, index, [{"stage": "fetch", "key": ok, "reason": "timeout", "at": old, "run": "r0",
                                            "record": {"url": ok, "source": "site"}}], Ledger())
    assert _rows(es_client, index)[0]["open"] is True

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(site["cfg"]), "index", "runs", *args],
                              capture_output=True, text=True, cwd=REPO, timeout=120)

    p = cli("--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["runs"], out["dead_letters"], out["closed"], out["dead_letters_index"]) == (1, 5, 1, index)
    rows = _rows(es_client, index)
    assert len(rows) == 6 and rows[0]["run_id"] == "r0" and rows[0]["open"] is False
    assert rows[0]["closed_by"] == "r1"
    assert {r["run_id"] for r in rows} == {"r0", "r1", "load-1"}
    p = cli()                                                   # again: the same rows, nothing left to close
    assert p.returncode == 0 and "5 dead letters to" in p.stdout and "closed" not in p.stdout
    assert p.stdout.startswith("1 run of the last 30 days written to "), p.stdout     # one run: in the singular
    assert len(_rows(es_client, index)) == 6

    # a task of r1 cleared after its report, whose new attempt failed at none of its part's URLs: `index runs`
    # deletes the rows of the letters that attempt removed; those of other parts, of r0 and of load-1 stay
    part = sorted(Path(off.storage.root, "deadletter").glob("*/r1/*.jsonl"))[0]
    gone = {json.loads(line)["key"] for line in part.read_text().splitlines() if line.strip()}
    write_dead_letters(store, part.parent.parent.name, "r1", [], part=part.stem)
    assert not part.exists() and gone
    p = cli("--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["dead_letters"] == 5 - len(gone)
    assert _rows(es_client, index) == [r for r in rows if not (r["run_id"] == "r1" and r["key"] in gone)]
    # where a prune takes old letter files (storage.keep_dead_letters_days), a run whose files it may have taken
    # keeps its rows: a file gone, its rows stay until index.keep_history_days
    from pipeline.stages import record_history
    kept = _rows(es_client, index)
    part = sorted(Path(off.storage.root, "deadletter").glob("*/r1/*.jsonl"))[0]
    part.unlink()
    pruning = load_settings(site["cfg"], overrides={"storage": {"keep_dead_letters_days": 1}})
    assert record_history(pruning, days=30, client=es_client)["runs"] == 1
    assert _rows(es_client, index) == kept


@pytest.mark.es
def test_an_index_of_that_name_that_is_not_ours_is_a_clear_error(index_settings, index_client):
    from pipeline.runs import RunsIndexError

    index = index_settings.index.dead_letters_index_name
    index_client.indices.create(index=index, mappings={"properties": {"reason": {"type": "long"}}})
    with pytest.raises(RunsIndexError) as e:
        record_dead_letters(index_client, index, [{"stage": "fetch", "key": "k", "reason": "timeout", "run": "r"}])
    assert f"{index} has a mapping that is not the dead-letter index's" in str(e.value)
    assert "index.dead_letters_index" in str(e.value) and "\n" not in str(e.value)


def test_a_dead_letter_index_inside_the_news_template_or_on_the_runs_index_is_refused():
    with pytest.raises(ConfigError) as e:
        load_settings(overrides={"index": {"dead_letters_index": "news-v3"}})
    assert "dead_letters_index" in str(e.value) and "news-deadletters" in str(e.value)
    with pytest.raises(ConfigError) as e:
        load_settings(overrides={"index": {"dead_letters_index": "news-runs"}})
    assert "give them two names" in str(e.value)
    assert load_settings(overrides={"index": {"name": "articles"}}).index.dead_letters_index_name == \
        "articles-deadletters"


# ------------------------------------------------------------------ retention: index.keep_history_days


@pytest.mark.es
def test_old_run_rows_and_letters_are_deleted_at_the_prune(index_settings, index_client, tmp_path):
    from pipeline import stages
    from pipeline.runs import record_runs

    now = dt.datetime.now(dt.timezone.utc)
    runs, letters = index_settings.index.runs_index_name, index_settings.index.dead_letters_index_name
    record_runs(index_client, runs, [{"run_id": f"r{d}", "kind": "ingest", "finished_at": (
        now - dt.timedelta(days=d)).isoformat(), "sources": {"feed": {"discovered": 1}}} for d in (1, 29, 31, 90)])
    record_dead_letters(index_client, letters, [
        {"stage": "fetch", "key": f"https://x.example/{d}", "reason": "timeout", "run": f"r{d}",
         "at": (now - dt.timedelta(days=d)).isoformat(), "record": {"url": f"https://x.example/{d}"}}
        for d in (1, 31, 31.5, 90)])
    # the watches' alerts: a delivered one goes when it is old, one a channel still waits for stays
    from pipeline.watches import ensure_alerts_index

    alerts = ensure_alerts_index(index_client, index_settings)
    for name, days, pending in (("old-sent", 40, []), ("old-waiting", 40, ["webhook-x"]), ("new-sent", 2, [])):
        index_client.index(index=alerts, id=f"w:{name}", document={
            "alert_id": f"w:{name}", "watch": "w", "id": name, "pending": pending,
            "matched_at": (now - dt.timedelta(days=days)).isoformat()}, refresh=True)
    # not configured: nothing goes
    assert stages.prune_storage(index_settings)["history"] == {"keep_days": None, "deleted": {}}
    dry = stages.prune_storage(index_settings, history_days=30, dry_run=True)["history"]
    assert dry == {"keep_days": 30, "deleted": {runs: 2, letters: 3, alerts: 1}}
    assert index_client.count(index=runs)["count"] == 4
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": index_settings.elasticsearch.url},
                               "index": {"name": index_settings.index.name, "keep_history_days": 30},
                               "storage": {"root": index_settings.storage.root}}))
    p = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "prune", "--json"],
                       capture_output=True, text=True, cwd=REPO, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["history"] == {"keep_days": 30, "deleted": {runs: 2, letters: 3, alerts: 1}}
    assert sorted(h["_source"]["run_id"] for h in index_client.search(index=runs)["hits"]["hits"]) == ["r1", "r29"]
    assert sorted(h["_id"] for h in index_client.search(index=alerts)["hits"]["hits"]) == ["w:new-sent",
                                                                                           "w:old-waiting"]
    assert [r["run_id"] for r in _rows(index_client, letters)] == ["r1"]
    p = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "prune"],
                       capture_output=True, text=True, cwd=REPO, timeout=120)
    assert p.returncode == 0 and f"deleted the rows older than 30 days of the run history: 0 from {alerts}, " \
        f"0 from {letters}, 0 from {runs}" in p.stdout, p.stdout


def test_an_unreachable_cluster_leaves_the_history_for_the_next_prune(tmp_path, caplog):
    import logging

    from pipeline import stages
    from tests.netutil import free_port

    settings = load_settings(overrides={"storage": {"root": str(tmp_path)}, "index": {"keep_history_days": 30},
                                        "elasticsearch": {"url": f"http://127.0.0.1:{free_port()}",
                                                          "request_timeout": 2}})
    with caplog.at_level(logging.WARNING):
        res = stages.prune_storage(settings)
    assert res["history"]["keep_days"] == 30 and res["history"]["deleted"] == {} and res["history"]["error"]
    assert any("run history not pruned" in r.getMessage() for r in caplog.records)
    with pytest.raises(ConfigError) as e:
        load_settings(overrides={"index": {"keep_history_days": 0}})
    assert "keep_history_days" in str(e.value)
