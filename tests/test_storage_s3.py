"""An s3:// storage root on a real S3-compatible store (SeaweedFS, tests/plugins/s3.py): the Storage operations
every stage uses, the WARC archive, and a whole ``newsetl run`` whose batches, archive, ledger, results and dead
letters all live in the bucket."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from pipeline.archive import WarcArchive, iter_pages, list_warc_files
from pipeline.deadletter import DeadLetter, read_dead_letters, write_dead_letters
from pipeline.housekeeping import prune_dead_letters
from pipeline.page import Page
from pipeline.storage import Storage
from tests.plugins.es import delete_by_prefix
from tests.plugins.httpserver import NewsServer, Reply

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.s3


def test_storage_operations(s3_root):
    s = Storage(s3_root)
    assert not s.is_local and s.listdir("") == []
    assert s.write_jsonl("runs/r1/docs/a.jsonl", [{"n": i} for i in range(3)]) == 3
    assert [r["n"] for r in s.read_jsonl("runs/r1/docs/a.jsonl")] == [0, 1, 2]
    assert not s.glob("runs/r1/docs/*.tmp-*")                      # the temporary name is gone after the move
    for i in range(3):                                              # a file opened to append to
        with s.open("logs/r1.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps({"i": i}) + "\n")
    assert [r["i"] for r in s.read_jsonl("logs/r1.jsonl")] == [0, 1, 2]
    # a batch's dead letters replace those of its earlier attempt, and go when an attempt has none
    for keys in (["a", "b"], ["b"]):
        write_dead_letters(s, "fetch", "r1", [DeadLetter("fetch", k, "timeout") for k in keys], part="src.0000")
        assert [d["key"] for d in read_dead_letters(s, "fetch", "r1")] == keys
    write_dead_letters(s, "fetch", "r1", [], part="src.0000")
    assert list(read_dead_letters(s, "fetch", "r1")) == [] and not s.glob("deadletter/fetch/r1/*")
    with s.atomic_write("state/ledger.json", "w") as f:
        f.write('{"v": 1}')
    with s.atomic_write("state/ledger.json", "w") as f:           # replaced, not appended to
        f.write('{"v": 2}')
    with s.open("state/ledger.json", "r") as f:
        assert json.load(f) == {"v": 2}
    assert s.glob("*/*/docs/*.jsonl") == ["runs/r1/docs/a.jsonl"]
    assert s.listdir("logs", "*.jsonl") == ["logs/r1.jsonl"]
    size = len("".join(json.dumps({"n": i}) + "\n" for i in range(3)))
    assert s.find("runs") == {"runs/r1/docs/a.jsonl": size} and s.find("nothing-here") == {}
    # with the objects' times, from the same listing: a prune of dead letters that old, or none
    ((rel, (n, written)),) = s.find_modified("runs").items()
    now = dt.datetime.now(dt.timezone.utc)
    assert (rel, n) == ("runs/r1/docs/a.jsonl", size) and now - dt.timedelta(minutes=5) < written <= now
    write_dead_letters(s, "load", "r2", [DeadLetter("load", "d", "mapper_parsing_exception")], part="src.0000")
    assert [d["key"] for d in read_dead_letters(s, since=now - dt.timedelta(hours=1))] == ["d"]   # by its time
    assert list(read_dead_letters(s, since=now + dt.timedelta(hours=2))) == []
    assert prune_dead_letters(s, 1).files == 0
    assert prune_dead_letters(s, 1, now=now + dt.timedelta(days=2)).files == 1 and not s.find("deadletter")
    s.remove("runs")
    assert not s.exists("runs/r1/docs/a.jsonl") and s.glob("runs/**/*.jsonl") == []


def test_warc_archive(s3_root):
    s = Storage(s3_root)
    pages = [Page(url=f"https://example.org/a/{i}", body=f"<html><p>page {i}</p></html>".encode() * (40 * (i + 1)),
                  headers={"content-type": "text/html"}, source="s3", hint_title=f"T{i}") for i in range(6)]
    with WarcArchive(s, "s3", max_bytes=2000) as arch:             # small segments: several files, rolled over
        refs = [arch.write_page(p) for p in pages]
    assert len(arch.files) > 1 and not s.glob("archive/*/*/*/*.open")
    assert sorted(list_warc_files(s)) == sorted(arch.files)
    back = list(iter_pages(s, refs))
    assert [(p.url, p.body, p.hint_title) for p in back] == [(p.url, p.body, p.hint_title) for p in pages]


@pytest.mark.es
def test_newsetl_run_keeps_everything_in_the_bucket(s3_root, es_url, es_client, es_prefix, tmp_path):
    """The demo pages plus one URL that 404s: documents land in Elasticsearch, everything else in the bucket; a second
    run indexes nothing twice."""
    from pipeline.settings import load_settings
    from pipeline.stages import run_pipeline

    srv = NewsServer(1)
    srv.route("/gone.html", Reply(status=404, body=b"not here"))
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"name": "demo", "kind": "files", "path": str(REPO / "config/demo/pages"),
         "url_map": str(REPO / "config/demo/urls.json")},
        {"name": "broken", "kind": "urls", "urls": [srv.url("/gone.html")]}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({
        "storage": {"root": s3_root}, "elasticsearch": {"url": es_url}, "index": {"name": f"{es_prefix}news"},
        "fetch": {"sources_file": str(sources), "allow_addresses": ["127.0.0.1"], "min_delay": 0,
                  "max_retries": 0},
        "processing": {"workers": 1}, "ingest": {"dead_letter_threshold": 1.0}}))
    settings = load_settings(cfg)
    demo_pages = len(json.loads((REPO / "config/demo/urls.json").read_text()))
    try:
        first = run_pipeline(settings, run_id="s3-first")
        es_client.indices.refresh(index=f"{es_prefix}news")
        assert es_client.count(index=f"{es_prefix}news")["count"] == demo_pages
        s = Storage(s3_root)
        assert s.exists("runs/s3-first/report.json") and list_warc_files(s)
        letters = list(read_dead_letters(s, run="s3-first"))
        assert [(d["key"], d["reason"]) for d in letters] == [(srv.url("/gone.html"), "http_404")], letters
        assert first["sources"]["demo"]["indexed"] == demo_pages

        second = run_pipeline(settings, run_id="s3-second")
        es_client.indices.refresh(index=f"{es_prefix}news")
        assert es_client.count(index=f"{es_prefix}news")["count"] == demo_pages
        assert second["sources"]["demo"].get("indexed", 0) == 0

        # housekeeping in the bucket: a run that keeps batches no time removes those of the complete runs before it
        assert s.glob("runs/s3-first/candidates/*/*") and s.glob("runs/s3-first/docs/*/*")
        run_pipeline(load_settings(cfg, overrides={"storage": {"keep_run_batches_days": 0}}), run_id="s3-third")
        assert not s.glob("runs/s3-first/*/*/*.jsonl") and s.exists("runs/s3-first/report.json")
        assert s.glob("runs/s3-first/results/*/*.json") and list_warc_files(s) and list(read_dead_letters(s, run="s3-first"))
    finally:
        srv.close()
        delete_by_prefix(es_client, es_prefix)
