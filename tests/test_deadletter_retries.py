"""A retried task's dead letters replace those of its earlier attempt (``pipeline.deadletter``: one file a part of
a run, written whole): a retry adds no letter twice, keeps none its new attempt no longer has, and an attempt that
failed half-way loses none it may not have reached and keeps none it got through. Real HTTP server on 127.0.0.1,
real worker process, real Elasticsearch node; the storage root a real folder."""
from __future__ import annotations

import hashlib
import json

import pytest

from pipeline import stages
from pipeline.deadletter import DeadLetter, LetterFile, read_dead_letters, select_dead_letters, write_dead_letters
from pipeline.settings import load_settings
from pipeline.storage import Storage
from tests.cfgutil import pipeline_config
from tests.plugins.httpserver import Reply, html_page

ARTICLE = "\n\n".join(f"Paragraph {i} on the ferry timetable, the harbour works and the council vote this week, "
                      "long enough for the extraction to take it for an article." for i in range(8))


def _letters(storage: Storage, run: str) -> list[tuple[str, str, str]]:
    return sorted((d["stage"], d["key"], d["reason"]) for d in read_dead_letters(storage, run=run))


def _rows(es_client, index: str) -> list[tuple[str, str, str, str]]:
    es_client.indices.refresh(index=index)
    hits = es_client.search(index=index, size=100)["hits"]["hits"]
    return sorted((h["_source"]["run_id"], h["_source"]["stage"], h["_source"]["key"], h["_source"]["reason"])
                  for h in hits)


@pytest.mark.es
def test_each_stage_run_twice_leaves_each_failure_once(news_server, tmp_path, es_url, es_prefix, es_client):
    srv = news_server(hosts=1)
    good = srv.route("/news/good.html", Reply(body=html_page("Harbour vote", ARTICLE)))
    missing = srv.route("/news/missing.html", Reply(status=404, body="gone"))
    menu = srv.route("/news/menu.html", Reply(body="<html><body><a href='/'>Home</a></body></html>"))
    feed = srv.url("/feeds/gone.xml")                       # no route: 404
    cfg = pipeline_config(tmp_path, es_url, es_prefix, [
        {"name": "site", "kind": "urls", "urls": [good, missing, menu]},
        {"name": "lost", "kind": "rss", "url": feed}])
    settings = load_settings(cfg)
    storage = stages.storage_for(settings)
    run = "manual__2026-11-30T01:00:00+00:00"
    stages.ensure_index(settings)

    twice = lambda fn, *args: [fn(settings, *args, run) for _ in range(2)][-1]   # noqa: E731 (a task and its retry)
    per_source = [twice(stages.discover, name) for name in ("site", "lost")]
    batches = stages.run_batches(settings, run, per_source)
    pages = [twice(stages.fetch_batch, b) for b in batches]
    docs = twice(stages.process_group, pages)
    for d in docs:
        twice(stages.load_batch, d)

    assert _letters(storage, run) == [("fetch", feed, "http_404"), ("fetch", missing, "http_404"),
                                      ("process", menu, "not_article")]
    summary = stages.summarize(storage, run, select_dead_letters(storage, run=run))
    assert summary["dead_letter_records"] == 3
    assert summary["dead_letter_reasons"] == {"fetch/http_404": 2, "process/not_article": 1}
    assert summary["sources"]["site"]["dead_lettered"] == 2 and summary["sources"]["lost"]["dead_lettered"] == 1
    # one file a part: the source's discovery, each batch of each stage; no temporary file left
    names = sorted(p.relative_to(tmp_path / "store" / "deadletter").as_posix()
                   for p in (tmp_path / "store" / "deadletter").rglob("*") if p.is_file())
    stem = "manual__2026-11-30T01_00_00_00_00-" + hashlib.sha256(run.encode()).hexdigest()[:8]
    assert names == [f"fetch/{stem}/lost.discover.jsonl", f"fetch/{stem}/site.0000.jsonl",
                     f"process/{stem}/site.0001.jsonl"], names
    # the report writes them to the dead-letter index under the run's own id (the runs index's), once each
    letters_index = settings.index.dead_letters_index_name
    twice(lambda s, r: stages.report(s, r))
    assert _rows(es_client, letters_index) == [(run, *letter) for letter in _letters(storage, run)]

    # the page is back: the fetch task tried again fetches it, and its batch's letter goes
    srv.route("/news/missing.html", Reply(body=html_page("Ferry timetable", ARTICLE)))
    again = stages.fetch_batch(settings, batches[0], run)
    assert _letters(storage, run) == [("fetch", feed, "http_404"), ("process", menu, "not_article")]
    with storage.open(again, "r", encoding="utf-8") as f:
        assert {json.loads(line)["url"] for line in f} == {good, missing}

    # a document the mapping refuses: one load letter however often its batch is loaded, none once it is mended
    refused = {**next(storage.read_jsonl(docs[0])), "id": "f" * 64, "sentiment": 0.7}     # a new id: not unchanged
    rel = f"runs/{run}/docs/extra/0000.jsonl"
    storage.write_jsonl(rel, [refused])
    for _ in range(3):
        assert stages.load_batch(settings, rel, run)["failed"] == 1
    assert [k for s, k, _ in _letters(storage, run) if s == "load"] == [refused["id"]]
    # a load that dies after the mended document went in (the next one never sent) drops the letter it got through
    from pipeline.load import bulk_load
    mended = {k: v for k, v in refused.items() if k != "sentiment"}

    def dies_half_way():
        yield mended
        yield {**mended, "id": "e" * 64}   # its arrival sends the first (a batch of one)
        raise RuntimeError("killed")

    one_a_batch = load_settings(cfg, overrides={"index": {"load": {"batch_docs": 1}}})
    with pytest.raises(RuntimeError):
        bulk_load(stages.es_client(settings), dies_half_way(), one_a_batch, storage=storage, run_id=run,
                  letters_part="extra.0000")
    assert [s for s, _, _ in _letters(storage, run)] == ["fetch", "process"]
    assert es_client.get(index=settings.index.read_alias, id=mended["id"])["found"]
    storage.write_jsonl(rel, [mended])
    assert stages.load_batch(settings, rel, run)["unchanged"] == 1
    assert [s for s, _, _ in _letters(storage, run)] == ["fetch", "process"]
    # the report written again (the task cleared after the run) drops the rows of the letters the retries replaced
    stages.report(settings, run)
    assert _rows(es_client, letters_index) == [(run, "fetch", feed, "http_404"), (run, "process", menu, "not_article")]


def test_a_part_replaces_its_earlier_attempt_and_keeps_what_a_failed_one_did_not_reach(tmp_path):
    storage = Storage(tmp_path)
    letter = lambda key, reason: DeadLetter("fetch", key, reason, record={"url": key})  # noqa: E731

    def now() -> list[tuple[str, str]]:
        return sorted((d["key"], d["reason"]) for d in read_dead_letters(storage, "fetch", "r1"))

    rel, n = write_dead_letters(storage, "fetch", "r1", [letter("a", "timeout"), letter("b", "http_503")],
                                part="src.0000")
    assert (rel, n) == ("deadletter/fetch/r1/src.0000.jsonl", 2)
    write_dead_letters(storage, "fetch", "r1", [letter("z", "http_404")], part="src.0001")   # another batch
    write_dead_letters(storage, "fetch", "r1", [letter("b", "http_404")], part="src.0000")   # the retry
    assert now() == [("b", "http_404"), ("z", "http_404")]

    # an attempt that fails half-way: "a" was not reached again, so its letter stays; "c" and "b" are its own
    write_dead_letters(storage, "fetch", "r1", [letter("a", "timeout"), letter("b", "http_404")], part="src.0000")
    half = LetterFile(storage, "fetch", "r1", "src.0000")
    half.write([letter("c", "read_error"), letter("b", "http_500")])
    half.close(complete=False)
    assert now() == [("a", "timeout"), ("b", "http_500"), ("c", "read_error"), ("z", "http_404")]
    empty = LetterFile(storage, "fetch", "r1", "src.0000")     # failed before any failure: nothing is lost
    empty.close(complete=False)
    assert len(now()) == 4
    # one that got "a" through before failing: that letter goes, those it did not reach stay
    through = LetterFile(storage, "fetch", "r1", "src.0000")
    through.settle(["a"])
    through.close(complete=False)
    assert now() == [("b", "http_500"), ("c", "read_error"), ("z", "http_404")]
    write_dead_letters(storage, "fetch", "r1", [], part="src.0000", complete=False, settled=["b", "c"])
    assert now() == [("z", "http_404")] and not storage.exists("deadletter/fetch/r1/src.0000.jsonl")
    write_dead_letters(storage, "fetch", "r1", [letter("a", "timeout"), letter("b", "http_404")], part="src.0000")

    # a whole attempt with no failure removes the part's file; the other batch's stays
    assert write_dead_letters(storage, "fetch", "r1", [], part="src.0000")[1] == 0
    assert now() == [("z", "http_404")] and not storage.exists("deadletter/fetch/r1/src.0000.jsonl")
    assert not list(tmp_path.rglob("*.tmp-*"))

    # no part (a command run once): a file of its own each time, nothing replaced
    one, _ = write_dead_letters(storage, "fetch", "r1", [letter("m", "timeout")])
    two, _ = write_dead_letters(storage, "fetch", "r1", [letter("m", "timeout")])
    assert one != two and [k for k, _ in now()].count("m") == 2

    # each letter holds its run's id; two runs whose ids differ only where a file name cannot follow never share
    # a file: a scheduled run's ":" and "+" are "_" in its folder's name, with a hash of its id
    for run, key in (("scheduled__01:00+00:00", "p"), ("scheduled__01_00_00_00", "q")):
        write_dead_letters(storage, "process", run, [letter(key, "not_article")], part="s.0000")
    assert sorted(p.name for p in tmp_path.glob("deadletter/process/*")) == [
        "scheduled__01_00_00_00", f"scheduled__01_00_00_00-{hashlib.sha256(b'scheduled__01:00+00:00').hexdigest()[:8]}"]
    for run, key in (("scheduled__01:00+00:00", "p"), ("scheduled__01_00_00_00", "q")):
        assert [(d["run"], d["key"]) for d in read_dead_letters(storage, run=run)] == [(run, key)]

    # the earlier layout, one appended file a run, is read as before, with its run
    (tmp_path / "deadletter" / "load").mkdir(parents=True)
    (tmp_path / "deadletter" / "load" / "r0.jsonl").write_text(json.dumps(
        {"stage": "load", "key": "doc-1", "reason": "mapper_parsing_exception", "at": "2026-11-01T00:00:00+00:00",
         "record": None}) + "\n")
    assert [(d["run"], d["key"]) for d in read_dead_letters(storage, "load")] == [("r0", "doc-1")]
    assert {d["run"] for d in read_dead_letters(storage, "load")} | {d["run"] for d in read_dead_letters(
        storage, "fetch")} == {"r0", "r1"}
    assert [d["key"] for d in read_dead_letters(storage, run="r0")] == ["doc-1"]


def test_a_fetch_that_fails_half_way_keeps_its_batch_letters(news_server, tmp_path):
    from pipeline.fetcher import Candidate, fetch_candidates

    srv = news_server(hosts=1)
    a, b, c = (srv.url(f"/news/{n}.html") for n in "abc")           # no routes yet: 404 each
    settings = load_settings(overrides={"storage": {"root": str(tmp_path)}, "fetch": {
        "allow_addresses": ["127.0.0.1"], "min_delay": 0, "max_retries": 0}})
    storage = Storage(tmp_path)

    def fetch(urls, progress=None):
        return fetch_candidates([Candidate(url=u, source="s") for u in urls], settings, storage, run_id="r1",
                                progress=progress, letters_part="s.0000")

    def now() -> list[str]:
        return sorted(d["key"] for d in read_dead_letters(storage, "fetch", "r1"))

    assert fetch([a, b]).deadletter_file == "deadletter/fetch/r1/s.0000.jsonl" and now() == [a, b]

    def stop(outcome):                                               # the task dies after its first outcome
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        fetch([c], progress=stop)
    assert now() == [a, b, c]               # its own letter beside the earlier ones it may not have reached
    srv.route("/news/a.html", Reply(body=html_page("A", ARTICLE)))
    with pytest.raises(RuntimeError):       # one that fetched a before dying: a's letter goes, b's and c's stay
        fetch([a], progress=stop)
    assert now() == [b, c]
    srv.route("/news/b.html", Reply(body=html_page("B", ARTICLE)))
    srv.route("/news/c.html", Reply(body=html_page("C", ARTICLE)))
    res = fetch([a, b, c])                                           # a whole attempt: none left
    assert res.deadletter_file is None and now() == []
    assert not storage.exists("deadletter/fetch/r1/s.0000.jsonl")


def test_a_window_of_letters_opens_only_the_files_written_in_it(tmp_path):
    """`newsetl deadletters --since`, a retry's window and `newsetl index runs` read the files last written in the
    window (an hour's leeway between the workers' and the store's clocks), and every file of the runs asked for
    whole; the older files are listed, not opened."""
    import datetime as dt
    import os

    from pipeline.deadletter import iter_dead_letters

    storage = Storage(tmp_path)
    now = dt.datetime.now(dt.timezone.utc)
    since = now - dt.timedelta(days=1)

    def letters(run: str, key: str, at: dt.datetime, written: dt.datetime) -> None:
        rel, _ = write_dead_letters(storage, "fetch", run, [DeadLetter("fetch", key, "timeout", at=at.isoformat())],
                                    part="feed.0000")
        os.utime(tmp_path / rel, (written.timestamp(), written.timestamp()))

    old = now - dt.timedelta(days=40)
    letters("r-old", "old", old, old)
    letters("r-new", "new", now, now)
    letters("r-reported", "reported", old, old)
    # the worker's clock 10 minutes ahead of the store's: its letter is in the window, its file just before it
    letters("r-skewed", "skewed", since + dt.timedelta(minutes=10), since - dt.timedelta(minutes=20))
    junk = tmp_path / "deadletter/fetch/r-junk/feed.0000.jsonl"      # never opened in a window: not JSON
    junk.parent.mkdir(parents=True)
    junk.write_text("not a letter\n")
    os.utime(junk, (old.timestamp(), old.timestamp()))

    assert sorted(d["key"] for d in read_dead_letters(storage, since=since)) == ["new", "skewed"]
    assert sorted(d["key"] for d in read_dead_letters(storage, since=since, whole_runs=["r-reported"])) == [
        "new", "reported", "skewed"]
    assert [d["key"] for d in iter_dead_letters(storage, since=since, run="r-new")] == ["new"]
    assert [d["key"] for d in iter_dead_letters(storage, stage="process", since=since)] == []
    with pytest.raises(json.JSONDecodeError):                       # without a window every file is read
        list(read_dead_letters(storage))


def test_a_retry_with_a_failure_cap_reads_each_letter_file_once(tmp_path):
    """A scheduled retry (no run, no window) counts each URL's failures over every fetch letter and picks its letters
    from that one reading: each file is opened once, and the selection is what two readings gave."""
    from pipeline.deadletter import retry_selection, split_given_up

    class CountingOpens(Storage):
        def __init__(self, root):
            super().__init__(root)
            self.opened: list[str] = []

        def open(self, rel, *args, **kwargs):
            self.opened.append(rel)
            return super().open(rel, *args, **kwargs)

    storage = CountingOpens(tmp_path)
    down, flaky, gone = (f"http://h.example/{name}.html" for name in ("down", "flaky", "gone"))

    def fail(run: str, url: str, reason: str = "http_503") -> None:
        write_dead_letters(storage, "fetch", run, [DeadLetter("fetch", url, reason, record={"url": url})],
                           part=f"feed.{hashlib.sha1(url.encode()).hexdigest()[:4]}")

    for run in ("r1", "r2", "r3"):
        fail(run, down)
    fail("r2", flaky, "timeout")
    fail("r3", gone, "robots")                  # a lasting reason: left out unless asked for
    files = [rel for rel in storage.glob("deadletter/fetch/*/*.jsonl")]
    assert len(files) == 5

    for reasons in ((), ("http_503", "timeout"), ("timeout",), ("robots",)):
        storage.opened.clear()
        sel = retry_selection(storage, reasons=reasons, give_up_after=3)
        assert sorted(storage.opened) == sorted(files), reasons        # each file once, not twice
        twice = select_dead_letters(storage, stage="fetch", reasons=reasons)
        if not reasons:
            twice = [d for d in twice if d["reason"] != "robots"]
        kept, given_up = split_given_up(storage, twice, 3)
        assert ([d["key"] for d in sel.letters], sorted({d["key"] for d in given_up})) == (
            [d["key"] for d in kept], sel.given_up)
    assert retry_selection(storage, give_up_after=3).given_up == [down]
    assert [r["url"] for r in retry_selection(storage, give_up_after=3).records] == [flaky]
    assert [r["url"] for r in retry_selection(storage, reasons=["robots"], give_up_after=3).records] == [gone]
    # with a window or a run the selection reads its files and the count reads every file: both as before
    storage.opened.clear()
    assert [r["url"] for r in retry_selection(storage, run="r2", give_up_after=3).records] == [flaky]
    assert len(storage.opened) == 2 + len(files)
