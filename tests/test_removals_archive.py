"""What `newsetl remove` takes out stays out of the fetch and the raw archive, and leaves no near duplicate pointing at
it: the real fetcher against a real HTTP server on 127.0.0.1, a real Elasticsearch node, WARC files on a local
folder and on a real S3 store (pipeline.removals, pipeline.archive, pipeline.fetcher, pipeline.neardup)."""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline import stages
from pipeline.archive import (URL_INDEX_DIR, FileChanged, PurgedRecord, WarcArchive, blank_records, iter_pages,
                              iter_warc, list_warc_files, read_page, read_url_indexes, record_urls, url_index_path,
                              write_url_index)
from pipeline.deadletter import read_dead_letters
from pipeline.es import make_client
from pipeline.fetcher import LEDGER_DIR, MANIFEST_DIR, Candidate, Ledger, fetch_candidates
from pipeline.housekeeping import prune_archive
from pipeline.load import bulk_load
from pipeline.removals import PURGE_CHECKPOINT, Blocklist, purge_archive, remove, restore
from pipeline.settings import load_settings
from pipeline.storage import Storage
from pipeline.urls import doc_id
from tests.cfgutil import cli_config, run_cli
from tests.netutil import free_port
from tests.plugins.httpserver import Reply, html_page, redirect, robots
from tests.test_neardup import OTHER, STORY

pytestmark = pytest.mark.es

REMOVED_HOST = 0        # served as http://127.0.0.1:<port>/…: the domain "127.0.0.1" is removed
KEPT_HOST = 1           # served as http://localhost:<port>/…: one article of it is removed


def _settings(es_url, es_prefix, root, **storage) -> object:
    return load_settings(overrides={
        "elasticsearch": {"url": es_url, "api_key": None, "username": None, "password": None},
        "index": {"name": f"{es_prefix}news", "write_alias": None},
        "storage": {"root": str(root), **storage},
        "fetch": {"allow_addresses": ["127.0.0.1"], "min_delay": 0, "max_retries": 0, "read_timeout": 2.0},
        "processing": {"workers": 1, "entities": {"enabled": False}},
        "ingest": {"dead_letter_threshold": 1.0}})


@pytest.fixture
def settings(es_url, es_prefix, tmp_path):
    return _settings(es_url, es_prefix, tmp_path / "storage")


def _story(i: int) -> bytes:
    words = ["harbour", "council", "bridge", "ferry", "market", "school", "river", "station"]
    text = "\n\n".join(f"Report {i}, part {k}: the {words[(i + k) % 8]} of town {i * 7 + k} was in the news on "
                       f"day {k} because {words[(i * k) % 8]} matters to {i + k} people there." for k in range(12))
    return html_page(f"Story number {i}", text)


@pytest.fixture
def site(news_server):
    """Two hosts of one server: host 0 under the name 127.0.0.1 (its domain gets removed), host 1 under the name
    localhost: a, b, c, and /old-a redirecting to a (a gets removed). Returns (server, {name: URL})."""
    srv = news_server(hosts=2)
    srv.route("/robots.txt", robots(), host=None)
    urls = {}
    for i in range(2):
        srv.route(f"/gone/{i}.html", Reply(body=_story(10 + i)), host=REMOVED_HOST)
        urls[f"gone{i}"] = srv.url(f"/gone/{i}.html", REMOVED_HOST)
    kept = f"http://localhost:{srv.ports[KEPT_HOST]}"
    for i, name in enumerate("abc"):
        srv.route(f"/{name}.html", Reply(body=_story(i)), host=KEPT_HOST)
        urls[name] = f"{kept}/{name}.html"
    srv.route("/old-a", redirect("/a.html", 301), host=KEPT_HOST)
    urls["old-a"] = f"{kept}/old-a"
    return srv, urls


def _fetch(settings, run_id: str, urls: list[str]) -> tuple[str, dict]:
    """One fetch task of the pipeline over ``urls``: (its page batch, its result counts)."""
    storage = stages.storage_for(settings)
    batch = stages._batch_path(run_id, "candidates", "site", 0)
    storage.write_jsonl(batch, [Candidate(u, source="site").to_dict() for u in urls])
    pages = stages.fetch_batch(settings, batch, run_id)
    return pages, next(r for r in stages.read_results(storage, run_id) if r["stage"] == "fetch")


def _ids(client, alias: str) -> set[str]:
    client.indices.refresh(index=alias)
    return {h["_id"] for h in client.search(index=alias, size=100, _source=False)["hits"]["hits"]}


def test_the_fetcher_does_not_request_what_was_removed(site, settings, index_client, caplog):
    srv, urls = site
    stages.ensure_index(settings)
    remove(index_client, settings, domains=["127.0.0.1"], urls=[urls["a"]], reason="court order")
    srv.reset_log()
    pages, counts = _fetch(settings, "r1", [urls[k] for k in ("gone0", "gone1", "a", "old-a", "b", "c")])

    # no request at all to the removed domain, not even for its robots.txt; none for the removed article, not
    # even through a redirect to it (the redirect is asked for: only its answer says where it goes)
    assert srv.requests(host=REMOVED_HOST) == []
    assert sorted(r.path for r in srv.requests(host=KEPT_HOST)) == ["/b.html", "/c.html", "/old-a", "/robots.txt"]
    # skipped "removed", counted in the run's report; nothing archived of them, no dead letter
    assert (counts["fetched"], counts["skipped"], counts["dead"], counts["reasons"]) == (2, 4, 0, {"removed": 4})
    storage = stages.storage_for(settings)
    assert sorted(p.url for p in iter_pages(storage, pages)) == [urls["b"], urls["c"]]
    (rel,) = list_warc_files(storage)
    archived = {u for _, _, us in record_urls(storage, rel) for u in us}
    assert archived == {urls["b"], urls["c"], f"{urls['b'].rsplit('/', 1)[0]}/robots.txt"}
    assert list(read_dead_letters(storage, run="r1")) == []
    assert stages.summarize(storage, "r1", [])["sources"]["site"]["skipped"] == 4

    # the removed article under a URL with a tracking query: the same canonical URL, the same id
    tracked = fetch_candidates([Candidate(urls["a"] + "?utm_source=feed")], settings, storage, run_id="r2",
                               removals=Blocklist.load(index_client, settings))
    assert [(o.state, o.reason) for o in tracked.outcomes] == [("skipped", "removed")]

    # the cluster cannot be reached: the fetch goes on (the loader still leaves them out), with a warning
    away = settings.model_copy(update={"elasticsearch": settings.elasticsearch.model_copy(
        update={"url": f"http://127.0.0.1:{free_port()}"})})
    caplog.set_level(logging.WARNING, logger="newsetl.removals")
    _, counts = _fetch(away, "r3", [urls["gone0"]])
    assert counts["fetched"] == 1 and len(srv.requests(host=REMOVED_HOST, path="/gone/0.html")) == 1
    assert "fetching without leaving them out" in caplog.text
    # ...or goes away after the blocklist was read: the same
    caplog.set_level(logging.WARNING, logger="newsetl.fetcher")
    gone_away = Blocklist(make_client(f"http://127.0.0.1:{free_port()}"), "removed", set())
    res = fetch_candidates([Candidate(urls["gone1"])], settings, storage, run_id="r4", removals=gone_away)
    assert res.counts["fetched"] == 1 and "could not check 1 URLs against the removed articles" in caplog.text


def _refs(storage: Storage) -> dict[str, str]:
    """Every ref the ledger, the fetcher's manifests and the runs' page batches hold: ref -> the URL it was for."""
    refs = {e["warc_ref"]: e["final_url"] for e in Ledger.load(storage).entries.values()}
    for rel in storage.glob(f"{MANIFEST_DIR}/*.jsonl") + storage.glob("runs/*/pages/*/*.jsonl"):
        refs.update((row["warc_ref"], row["url"]) for row in storage.read_jsonl(rel))
    return refs


def test_an_article_found_under_another_url_than_its_canonical_one_is_not_fetched_there_again(
        site, settings, index_client):
    """The page /b.html names /canonical-b as its canonical URL: the article's id is that URL's. Removed, the record
    keeps the id of /b.html too, so the next discovery of /b.html is not requested; an old record (written before
    url_id) is found by its url."""
    from tests.plugins.docs import make_document

    srv, urls = site
    stages.ensure_index(settings)
    canonical = urls["b"].replace("/b.html", "/canonical-b")
    doc = make_document(urls["b"], canonical_url=canonical)
    assert doc["id"] != doc_id(urls["b"])
    bulk_load(index_client, [doc], settings, storage=stages.storage_for(settings), run_id="load")
    remove(index_client, settings, ids=[doc["id"]], reason="withdrawn")
    srv.reset_log()
    got = fetch_candidates([Candidate(urls["b"]), Candidate(urls["c"])], settings, stages.storage_for(settings),
                           run_id="r1", removals=Blocklist.load(index_client, settings))
    assert [(o.url, o.state, o.reason) for o in got.outcomes if o.state == "skipped"] == [
        (urls["b"], "skipped", "removed")]
    assert "/b.html" not in [r.path for r in srv.requests(host=KEPT_HOST)]
    # a record written before url_id existed: found by the URL it keeps
    index = settings.index.removed_index_name
    old = {k: v for k, v in index_client.get(index=index, id=doc["id"])["_source"].items() if k != "url_id"}
    index_client.index(index=index, id=doc["id"], document=old, refresh=True)
    assert "url_id" not in index_client.get(index=index, id=doc["id"])["_source"]
    assert Blocklist.load(index_client, settings).blocked_urls([urls["b"], urls["c"]]) == {urls["b"]}


def test_purge_takes_the_removed_out_of_the_archive_and_keeps_every_other_ref(site, settings, index_client):
    srv, urls = site
    storage = stages.storage_for(settings)
    stages.ensure_index(settings)
    order = ["gone0", "gone1", "old-a", "b", "c"]
    pages, _ = _fetch(settings, "r1", [urls[k] for k in order])
    docs = stages.process_batch(settings, pages, "r1", entities=False)
    assert stages.load_batch(settings, docs, "r1")["created"] == 5
    a_id = doc_id(urls["a"])
    kept_ids = {doc_id(urls["b"]), doc_id(urls["c"])}

    before = _refs(storage)
    bodies = {ref: read_page(storage, ref).body for ref in before}
    (rel,) = list_warc_files(storage)
    size = storage.fs.size(storage.full(rel))
    all_urls = [u for _, _, us in record_urls(storage, rel) for u in us]
    assert {urls[k] for k in order} | {urls["a"]} <= set(all_urls)

    res = remove(index_client, settings, ids=[a_id], domains=["127.0.0.1"], reason="court order")
    assert res["removed"] == 3
    # nothing written by a dry run, not even the checkpoint
    assert _core(purge_archive(index_client, settings, storage, dry_run=True)) == _purged(
        scanned=1, files=1, records=5, ledger_entries=3, dry_run=True)
    assert storage.fs.size(storage.full(rel)) == size and _refs(storage) == before
    assert not storage.exists(PURGE_CHECKPOINT)

    # the two pages and the robots.txt of the removed domain, the removed article and the redirect to it
    assert _core(purge_archive(index_client, settings, storage)) == _purged(
        scanned=1, files=1, records=5, ledger_entries=3)
    left = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
            for r in ArchiveIterator(open(storage.local_path(rel), "rb"), check_digests=True)]
    gone = {urls["gone0"], urls["gone1"], urls["a"], urls["old-a"], srv.url("/robots.txt", REMOVED_HOST)}
    assert not gone & {u for _, u in left}
    assert [t for t, _ in left].count("metadata") == 5        # the purge notices
    assert sorted(p.url for p in iter_warc(storage, rel)) == [urls["b"], urls["c"]]
    assert storage.fs.size(storage.full(rel)) == size          # every record kept its place...
    plain = gzip.decompress(open(storage.local_path(rel), "rb").read())      # any gzip reader reads it whole
    assert plain.count(b"\r\nWARC-Type: ") == len(left) and b"Report 1," in plain and b"Report 10," not in plain

    # ...so every ref left reads back the same bytes; the removed ones say they were purged
    for ref, url in before.items():
        if url in gone:
            with pytest.raises(PurgedRecord):
                read_page(storage, ref)
        else:
            assert read_page(storage, ref).body == bodies[ref] and read_page(storage, ref).url == url
    ledger = Ledger.load(storage)
    assert set(ledger.entries) == kept_ids                     # the removed articles' entries dropped
    # the run's page batch still lists them: processing it again leaves them out
    again = stages.process_batch(settings, pages, "r1-again", entities=False)
    assert {d["id"] for d in storage.read_jsonl(again)} == kept_ids

    # a replay into a new version indexes the others, and meets nothing removed
    summary = stages.reprocess_pipeline(settings)
    assert _ids(index_client, settings.index.read_alias) == kept_ids
    assert summary["reprocess"]["index"].endswith("-v2") and summary["total"]["indexed"] == 2

    # a second purge changes nothing, and does not read the file it wrote (nothing was removed since)
    digest = hashlib.sha256(open(storage.local_path(rel), "rb").read()).hexdigest()
    ledger_files = {f: open(storage.local_path(f), "rb").read() for f in storage.listdir(LEDGER_DIR)}
    assert _core(purge_archive(index_client, settings, storage)) == _purged(skipped=1)
    assert hashlib.sha256(open(storage.local_path(rel), "rb").read()).hexdigest() == digest
    assert {f: open(storage.local_path(f), "rb").read() for f in storage.listdir(LEDGER_DIR)} == ledger_files

    # and the next discovery of them: skipped as removed (no longer "already archived"), the removed article not
    # requested even through the redirect, nothing archived again
    srv.reset_log()
    _, counts = _fetch(settings, "r2", [urls[k] for k in order])
    assert counts["reasons"] == {"removed": 3, "already_archived": 2}
    assert srv.requests(host=REMOVED_HOST) == [] and not srv.requests(host=KEPT_HOST, path="/a.html")
    assert list_warc_files(storage) == [rel]


def test_purge_on_an_object_store(site, es_url, es_prefix, s3_root, index_client):
    srv, urls = site
    settings = _settings(es_url, es_prefix, s3_root)
    storage = Storage(s3_root)
    stages.ensure_index(settings)
    res = fetch_candidates([Candidate(urls[k]) for k in ("a", "b", "c")], settings, storage, run_id="s3")
    refs = {o.url: o.warc_ref for o in res.outcomes}
    body_b = read_page(storage, refs[urls["b"]]).body
    remove(index_client, settings, urls=[urls["a"]], reason="withdrawn")
    assert _core(purge_archive(index_client, settings, storage)) == _purged(
        scanned=1, files=1, records=1, ledger_entries=1)
    with pytest.raises(PurgedRecord):
        read_page(storage, refs[urls["a"]])
    assert read_page(storage, refs[urls["b"]]).body == body_b
    assert sorted(p.url for p in iter_warc(storage, res.warc_files[0])) == [urls["b"], urls["c"]]
    assert storage.find("archive").keys() == {res.warc_files[0]}          # no temporary file left behind
    # the file it wrote is vouched for by the version the store lists (its ETag: the MD5 of what was written)
    assert _core(purge_archive(index_client, settings, storage)) == _purged(skipped=1)


def test_the_daily_enforce_purges_when_configured_and_the_command_does(site, es_url, es_prefix, tmp_path,
                                                                       index_client):
    srv, urls = site
    settings = _settings(es_url, es_prefix, tmp_path / "storage", purge_removed_from_archive=True)
    storage = stages.storage_for(settings)
    stages.ensure_index(settings)
    fetch_candidates([Candidate(urls[k]) for k in ("a", "b")], settings, storage, run_id="d1")
    remove(index_client, settings, urls=[urls["a"]], reason="withdrawn")
    out = stages.enforce_removals(settings)
    assert out["archive"]["records"] == 1 and out["removed"] == 0
    off = settings.model_copy(update={"storage": settings.storage.model_copy(
        update={"purge_removed_from_archive": False})})
    assert "archive" not in stages.enforce_removals(off)

    fetch_candidates([Candidate(urls["c"])], settings, storage, run_id="d2")
    cfg = cli_config(tmp_path, settings)
    p = run_cli(cfg, "remove", "--url", urls["c"], "--reason", "withdrawn", "--purge-archive", "--dry-run")
    assert p.returncode == 0 and "would remove 0 articles" in p.stdout and "would purge 0 archived" in p.stdout
    p = run_cli(cfg, "remove", "--url", urls["c"], "--reason", "withdrawn", "--purge-archive")
    assert p.returncode == 0, p.stderr
    # the first file's URL index names nothing removed since: only the second is read
    (second,) = [f for f in list_warc_files(storage) if "/d2-" in f]
    assert ("purged 1 archived record in 1 of 1 WARC file read (1 not read: their URL index names nothing "
            f"removed) and 1 fetch ledger entry; read: {second}") in p.stdout
    p = run_cli(cfg, "remove", "--purge-archive", "--json")      # nothing removed since: no file read
    assert p.returncode == 0 and json.loads(p.stdout)["archive"] == {
        "scanned": 0, "read": [], "skipped": 2, "indexed": 0, "files": 0, "records": 0, "ledger_entries": 0,
        "ledger_read": 1, "ledger_skipped": 1, "dry_run": False}
    p = run_cli(cfg, "remove", "--purge-archive")
    assert ("purged 0 archived records in 0 of 0 WARC files read (2 not read again: unchanged since a purge, and "
            "nothing new removed)") in p.stdout
    p = run_cli(cfg, "remove", "--list", "--purge-archive")
    assert p.returncode == 2 and "--purge-archive goes with" in p.stderr


def test_a_purge_killed_while_it_writes_leaves_the_old_file_whole(settings):
    """A purge killed (SIGKILL) while it writes the new file: the old file is still there, whole, the half-written
    copy is never listed, and a purge after it does the work."""
    storage = stages.storage_for(settings)
    with WarcArchive(storage, "big") as archive:
        kept = archive.write_resource("https://kept.example/big", os.urandom(48 << 20), page_meta={"source": "s"})
        gone = archive.write_resource("https://gone.example/x", b"<html>gone</html>", page_meta={"source": "s"})
    rel = archive.files[0]
    original = hashlib.sha256(open(storage.local_path(rel), "rb").read()).hexdigest()
    (span,) = [(off, n) for off, n, u in record_urls(storage, rel) if u == ["https://gone.example/x"]]
    code = (f"from pipeline.archive import blank_records; from pipeline.storage import Storage; "
            f"blank_records(Storage({storage.root!r}), {rel!r}, [{span!r}])")
    proc = subprocess.Popen([sys.executable, "-c", code])
    folder = os.path.dirname(storage.local_path(rel))

    def half_written() -> bool:
        for name in os.listdir(folder):
            try:
                if ".tmp-" in name and os.path.getsize(os.path.join(folder, name)) > 1 << 20:
                    return True
            except FileNotFoundError:       # renamed meanwhile: the purge finished
                pass
        return False

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if half_written():
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the purge finished before it was killed: make the record bigger"
    # the old file, untouched, and still read as it was
    assert hashlib.sha256(open(storage.local_path(rel), "rb").read()).hexdigest() == original
    assert read_page(storage, gone).url == "https://gone.example/x"
    assert list_warc_files(storage) == [rel]        # the half-written copy is never listed
    blank_records(storage, rel, [span])
    with pytest.raises(PurgedRecord):
        read_page(storage, gone)
    assert len(read_page(storage, kept).body) == 48 << 20


def test_a_record_too_short_for_a_notice_is_refused_and_nothing_is_written(settings):
    storage = stages.storage_for(settings)
    with WarcArchive(storage, "small") as archive:
        ref = archive.write_resource("https://a.example/x", b"<html>x</html>", page_meta={"source": "s"})
    rel, _, off = ref.rpartition("#")
    before = open(storage.local_path(rel), "rb").read()
    with pytest.raises(ValueError, match="too short for a purge notice"):
        blank_records(storage, rel, [(int(off), 100)])
    assert open(storage.local_path(rel), "rb").read() == before
    assert storage.glob("archive/*/*/*/*") == [rel]


def test_blank_records_refuses_a_file_written_again_since_its_records_were_read(settings):
    storage = stages.storage_for(settings)
    with WarcArchive(storage, "v") as archive:
        archive.write_resource("https://a.example/x", _story(1), page_meta={"source": "s"})
    rel = archive.files[0]
    (span,) = [(off, n) for off, n, _ in record_urls(storage, rel)]
    version = storage.versions("archive")[rel]
    before = open(storage.local_path(rel), "rb").read()
    with pytest.raises(FileChanged, match="written again since its records were read"):
        blank_records(storage, rel, [span], version="another version")
    assert open(storage.local_path(rel), "rb").read() == before
    # the version it returns is the one the next listing gives: a rename keeps it
    assert blank_records(storage, rel, [span], version=version) == storage.versions("archive")[rel] != version


# ------------------------------------------------------------------ the fetch ledger: dropped entries stay dropped

@pytest.fixture(params=["folder", "s3"])
def root(request, tmp_path) -> str:
    """A storage root: a local folder, then a fresh prefix of the real S3 store."""
    return str(tmp_path / "storage") if request.param == "folder" else request.getfixturevalue("s3_root")


def test_a_compaction_that_read_the_ledger_before_a_purge_brings_nothing_back(site, root, es_url, es_prefix,
                                                                             index_client, monkeypatch):
    """The race, played deterministically: a compaction has read the ledger's segments, a purge drops the entry of
    a removed article, then the compaction writes its merged copy (the dropped entry in it) and deletes the
    segments. The entry stays dropped, so the article, once restored, is fetched again, and that new entry is kept,
    through the compactions after it too."""
    srv, urls = site
    settings = _settings(es_url, es_prefix, root)
    storage = Storage(root)
    stages.ensure_index(settings)
    for k in ("a", "b", "c"):                   # three fetch calls: three segments
        fetch_candidates([Candidate(urls[k])], settings, storage, run_id=f"f-{k}")
    a_id = doc_id(urls["a"])
    first_ref = Ledger.load(storage).get(a_id)["warc_ref"]
    remove(index_client, settings, urls=[urls["a"]], reason="withdrawn")

    real_compact, purges = Ledger.compact, []

    def stale_compaction(self, *args):
        if not purges:          # it has read every segment: the purge runs now, before it writes
            purges.append(purge_archive(index_client, settings, storage))
        real_compact(self, *args)

    monkeypatch.setattr(Ledger, "COMPACT_AT", 2)
    monkeypatch.setattr(Ledger, "compact", stale_compaction)
    stale = Ledger.load(storage)
    assert purges[0]["ledger_entries"] == 1 and a_id in stale.entries      # read before the purge
    written_back = {e["warc_ref"] for rel in storage.listdir(LEDGER_DIR, "compact-*.jsonl")
                    for e in storage.read_jsonl(rel) if e["id"] == a_id}
    assert written_back == {first_ref}            # the race: the merged copy holds the dropped entry again...
    assert set(Ledger.load(storage).entries) == {doc_id(urls["b"]), doc_id(urls["c"])}      # ...which stays dropped
    # while removed it is skipped as removed, not as already archived
    again = fetch_candidates([Candidate(urls["a"])], settings, storage, run_id="f-a2",
                             removals=Blocklist.load(index_client, settings))
    assert [(o.state, o.reason) for o in again.outcomes] == [("skipped", "removed")]

    # restored: fetched anew (the old entry would say "already archived"), and the new entry is kept
    assert restore(index_client, settings, urls=[urls["a"]])["restored"] == 1
    srv.reset_log()
    anew = fetch_candidates([Candidate(urls["a"])], settings, storage, run_id="f-a3",
                            removals=Blocklist.load(index_client, settings))
    assert [o.state for o in anew.outcomes] == ["fetched"] and srv.requests(host=KEPT_HOST, path="/a.html")
    new_ref = anew.outcomes[0].warc_ref
    assert new_ref != first_ref
    # the next load compacts (three files now: the merged copy, the tombstones, the new segment): it writes the new
    # entry and not the stale one, and keeps the tombstone, which is younger than TOMBSTONE_DAYS
    assert len(storage.listdir(LEDGER_DIR)) == 3
    assert Ledger.load(storage).get(a_id)["warc_ref"] == new_ref
    files = storage.listdir(LEDGER_DIR)
    assert len(files) == 2 and sum(f.endswith(Ledger.TOMBSTONE_SUFFIX) for f in files) == 1
    assert {e["warc_ref"] for f in files if f.endswith(".jsonl") for e in storage.read_jsonl(f)
            if e["id"] == a_id} == {new_ref}
    assert Ledger.load(storage).get(a_id)["warc_ref"] == new_ref
    assert purge_archive(index_client, settings, storage)["ledger_entries"] == 0


def _entry(did: str, n: int) -> dict:
    return {"id": did, "url": f"https://ledger.example/{did}", "final_url": f"https://ledger.example/{did}",
            "warc_ref": f"archive/2026/11/29/r{n}-0001-abcdef01.warc.gz#{n * 1000}",
            "fetched_at": f"2026-11-29T0{n}:00:00+00:00"}


def _physical(storage: Storage) -> list[str]:
    """The ids of every entry the ledger's segments hold, tombstoned or not."""
    return sorted(e["id"] for rel in storage.listdir(LEDGER_DIR, "*.jsonl") for e in storage.read_jsonl(rel))


def test_two_purges_at_once_lose_neither_drop(root):
    """The first purge has read a segment when a second one drops another entry from it; the first then writes the
    segment from what it read, the second's entry in it. It stays dropped."""
    storage = Storage(root)
    Ledger.append(storage, "r1", [_entry("x", 1), _entry("y", 1), _entry("z", 1)])
    second = []

    def gone_x(e: dict) -> bool:
        if not second:          # asked once the segments are read, before anything is written
            second.append(Ledger.drop(storage, lambda e: e["id"] == "y"))
        return e["id"] == "x"

    assert Ledger.drop(storage, gone_x) == 1 and second == [1]
    assert _physical(storage) == ["y", "z"]              # the first purge wrote y back...
    assert set(Ledger.load(storage).entries) == {"z"}    # ...yet it stays dropped


class _CompactsUnderThePurge(Storage):
    """The real storage root, where a compaction merges every segment into one and deletes them just after a purge
    listed them, before it reads the first."""

    def __init__(self, root: str):
        super().__init__(root)
        self.compacted = False

    def read_jsonl(self, rel: str):
        if rel.endswith(".jsonl") and not self.compacted:
            self.compacted = True
            plain = Storage(self.root)
            Ledger.load(plain).compact(plain, plain.listdir(LEDGER_DIR, "*.jsonl"))
        return super().read_jsonl(rel)


def test_a_purge_drops_the_entries_a_compaction_merged_after_it_listed_the_segments(root):
    Ledger.append(Storage(root), "r1", [_entry("x", 1), _entry("y", 1)])
    Ledger.append(Storage(root), "r2", [_entry("z", 2)])
    storage = _CompactsUnderThePurge(root)
    assert Ledger.drop(storage, lambda e: e["id"] == "x") == 1 and storage.compacted
    assert _physical(storage) == ["y", "z"] and set(Ledger.load(storage).entries) == {"y", "z"}


def test_a_tombstone_is_forgotten_by_a_compaction_once_old(root, monkeypatch):
    storage = Storage(root)
    Ledger.append(storage, "r1", [_entry("x", 1), _entry("y", 1)])
    assert Ledger.drop(storage, lambda e: e["id"] == "x") == 1
    Ledger.append(storage, "stale", [_entry("x", 1)])       # what a stale compaction writes back
    Ledger.append(storage, "r2", [_entry("x", 2)])          # and a fetch after a restore
    monkeypatch.setattr(Ledger, "COMPACT_AT", 0)
    assert Ledger.load(storage).get("x") == _entry("x", 2)  # compacts: the tombstone is young, kept
    assert sorted(f.rpartition(".")[2] for f in storage.listdir(LEDGER_DIR)) == ["dropped", "jsonl"]
    Ledger.append(storage, "stale", [_entry("x", 1)])
    monkeypatch.setattr(Ledger, "TOMBSTONE_DAYS", 0)
    assert Ledger.load(storage).get("x") == _entry("x", 2)  # the compaction leaves the stale copy out, then forgets
    assert [f.rpartition(".")[2] for f in storage.listdir(LEDGER_DIR)] == ["jsonl"]
    assert _physical(storage) == ["x", "y"] and Ledger.load(storage).get("x") == _entry("x", 2)


# ------------------------------------------------------------------ the purge reads what it has not read since

class _ReadCounting(Storage):
    """The real storage root, listing the WARC files opened for reading."""

    def __init__(self, root: str):
        super().__init__(root)
        self.warc_reads: list[str] = []
        self.ledger_reads: list[str] = []

    @contextmanager
    def open(self, rel: str, mode: str = "rb", **kw):
        if rel.endswith(".warc.gz") and "r" in mode:
            self.warc_reads.append(rel)
        if rel.startswith(LEDGER_DIR) and rel.endswith(".jsonl") and "r" in mode:
            self.ledger_reads.append(rel)
        with super().open(rel, mode, **kw) as f:
            yield f


def _warc(storage: Storage, run: str, urls: list[str]) -> str:
    """One WARC file with a page for each of ``urls``, as a fetch writes it."""
    with WarcArchive(storage, run) as archive:
        for i, u in enumerate(urls):
            archive.write_resource(u, _story(i), page_meta={"source": "s"})
    return archive.files[0]


def _urls(storage: Storage, rel: str) -> list[str]:
    return [p.url for p in iter_warc(storage, rel)]


def _purged(**counts) -> dict:
    return {"scanned": 0, "skipped": 0, "indexed": 0, "files": 0, "records": 0, "ledger_entries": 0,
            "dry_run": False, **counts}


def _core(res: dict) -> dict:
    """A purge's result without the list of files read and the ledger's counts (asserted apart)."""
    assert res["scanned"] == len(res["read"])
    return {k: v for k, v in res.items() if k not in ("read", "ledger_read", "ledger_skipped")}


def test_a_purge_reads_only_the_files_new_or_written_since_unless_something_new_was_removed(
        root, es_url, es_prefix, index_client):
    settings = _settings(es_url, es_prefix, root)
    storage = _ReadCounting(root)
    stages.ensure_index(settings)
    u = {k: f"https://news.example/{k}" for k in "abcdef"}
    f1, f2, f3 = _warc(storage, "w1", [u["a"], u["b"]]), _warc(storage, "w2", [u["c"], u["d"]]), \
        _warc(storage, "w3", [u["e"]])
    remove(index_client, settings, urls=[u["a"]], reason="withdrawn")

    def purge(**kw) -> dict:
        storage.warc_reads.clear()
        res = purge_archive(index_client, settings, storage, **kw)
        assert sorted(res["read"]) == sorted(set(storage.warc_reads))       # the files read are the files opened
        return _core(res)

    # the files' URL indexes say which holds the removed article: only it is read
    assert purge(dry_run=True) == _purged(scanned=1, indexed=2, files=1, records=1, dry_run=True)
    assert not storage.exists(PURGE_CHECKPOINT)               # a dry run leaves no checkpoint...
    assert purge(dry_run=True)["indexed"] == 2                # ...so the next looks at every index again
    assert purge() == _purged(scanned=1, indexed=2, files=1, records=1) and _urls(storage, f1) == [u["b"]]

    # nothing removed since: no WARC file is opened, the one the purge wrote included
    assert purge() == _purged(skipped=3) and storage.warc_reads == []
    if storage.is_local:
        # a file garbled in place with its version kept: a purge reading it would fail on it
        path = storage.local_path(f2)
        st, good = os.stat(path), open(path, "rb").read()
        for content in (b"\0" * len(good), good):
            with open(path, "r+b") as f:
                f.write(content)
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            assert purge() == _purged(skipped=3) and storage.warc_reads == []
        assert _urls(storage, f2) == [u["c"], u["d"]]

    # a new file holding an article removed before (fetched while the cluster could not be asked): read, purged
    f4 = _warc(storage, "w4", [u["a"], u["f"]])
    assert purge() == _purged(scanned=1, skipped=3, files=1, records=1) and set(storage.warc_reads) == {f4}
    assert _urls(storage, f4) == [u["f"]]
    # a new removal: only the old file holding it is read (f1 and f4 name a, purged before: not read again)
    remove(index_client, settings, urls=[u["c"]], reason="withdrawn")
    assert purge() == _purged(scanned=1, indexed=3, files=1, records=1) and set(storage.warc_reads) == {f2}
    assert _urls(storage, f2) == [u["d"]]
    assert purge() == _purged(skipped=4) and storage.warc_reads == []
    # a file written again since (by another purge: the same size): looked up in its index again
    (span,) = [(off, n) for off, n, _ in record_urls(storage, f3)]
    blank_records(storage, f3, [span])
    assert purge() == _purged(indexed=1, skipped=3) and storage.warc_reads == []
    # ...and read when it has no index
    storage.remove(url_index_path(f3))
    blank_records(storage, f3, [span])
    assert purge() == _purged(scanned=1, skipped=3) and set(storage.warc_reads) == {f3}
    # a day pruned (storage.keep_archive_days): its files leave the checkpoint
    storage.remove(f1)
    assert purge() == _purged(skipped=3) and storage.warc_reads == []
    assert set(storage.read_json_object(PURGE_CHECKPOINT)["files"]) == {f2, f3, f4}


def test_after_a_restore_the_purge_keeps_the_article_until_it_is_removed_again(es_url, es_prefix, tmp_path,
                                                                               index_client):
    settings = _settings(es_url, es_prefix, tmp_path / "storage")
    storage = _ReadCounting(settings.storage.root)
    stages.ensure_index(settings)
    a, b, g = "https://news.example/a", "https://news.example/b", "https://gone.example/x"
    f1 = _warc(storage, "w1", [a, b, g])
    remove(index_client, settings, domains=["gone.example"], reason="opt-out")
    remove(index_client, settings, urls=[a], reason="withdrawn")

    def purge() -> dict:
        storage.warc_reads.clear()
        return _core(purge_archive(index_client, settings, storage))

    assert purge() == _purged(scanned=1, files=1, records=2) and _urls(storage, f1) == [b]
    restore(index_client, settings, urls=[a])
    assert purge() == _purged(skipped=1) and storage.warc_reads == []         # a restore removes nothing
    f2 = _warc(storage, "w2", [a, "https://www.gone.example/y"])              # fetched again once restored
    assert purge() == _purged(scanned=1, skipped=1, files=1, records=1) and _urls(storage, f2) == [a]
    remove(index_client, settings, urls=[a], reason="withdrawn again")
    assert purge() == _purged(scanned=2, files=1, records=1) and _urls(storage, f2) == []
    assert sorted(set(storage.warc_reads)) == [f1, f2]       # both name a, removed anew
    assert purge() == _purged(skipped=2) and storage.warc_reads == []
    # a subdomain of a removed domain removed too is nothing new: its pages were purged already
    remove(index_client, settings, domains=["www.gone.example"], reason="opt-out")
    assert purge() == _purged(skipped=2) and storage.warc_reads == []


def test_a_domain_removed_before_the_index_exists_stays_a_domain(es_url, es_prefix, tmp_path, index_client):
    """With no version of the news index yet, the removal's second look (``_enforce``) searched no index, i.e. every
    index: it took the domain's own record for an article of the domain and wrote it over as one."""
    settings = _settings(es_url, es_prefix, tmp_path / "storage")
    remove(index_client, settings, urls=["https://kept.example/a"], domains=["gone.example"], reason="opt-out")
    blocklist = Blocklist.load(index_client, settings, every_article=True)
    assert blocklist.domains == {"gone.example"}
    assert blocklist.blocked_urls(["https://www.gone.example/x", "https://kept.example/b"]) == {
        "https://www.gone.example/x"}


# ------------------------------------------------------------------ the purge reads only the files that hold the removed

def _bytes(storage: Storage) -> dict[str, bytes]:
    """Every WARC file's bytes (read past the counting storage)."""
    plain = Storage(storage.root)
    return {rel: plain.fs.cat(plain.full(rel)) for rel in list_warc_files(plain)}


def _entries(urls: list[str]) -> list[dict]:
    return [{"id": doc_id(u), "url": u, "final_url": u, "warc_ref": f"archive/x#{n}",
             "fetched_at": f"2026-11-29T00:00:0{n}+00:00"} for n, u in enumerate(urls)]


def test_a_new_removal_reads_only_the_files_that_hold_it(root, es_url, es_prefix, index_client):
    """An article removed after the archive was purged once: the purge reads only the file holding it (its URL
    index says so), blanks its record and leaves every other file as it was, byte for byte; a domain removed later:
    only the files holding its pages (a subdomain's too) are read. With nothing removed since, the ledger's segments
    the last purge read are not read again."""
    settings = _settings(es_url, es_prefix, root)
    storage = _ReadCounting(root)
    stages.ensure_index(settings)
    u = {k: f"https://news.example/{k}" for k in "abcde"}
    g1, g2, k1 = "https://gone.example/1", "https://www.gone.example/2", "https://kept.example/1"
    f1, f2 = _warc(storage, "w1", [u["a"], u["b"]]), _warc(storage, "w2", [u["c"], u["d"]])
    f3, f4 = _warc(storage, "w3", [g1, u["e"]]), _warc(storage, "w4", [k1, g2])
    seg1 = Ledger.append(storage, "w1", _entries([u["a"], u["b"], g1]))
    seg2 = Ledger.append(storage, "w2", _entries([u["c"], u["d"], k1, g2]))
    assert set(read_url_indexes(storage, storage.find("archive"))) == {f1, f2, f3, f4}    # indexed when closed
    remove(index_client, settings, urls=["https://news.example/never-fetched"], reason="withdrawn")

    def purge() -> dict:
        storage.warc_reads.clear()
        storage.ledger_reads.clear()
        return purge_archive(index_client, settings, storage)

    res = purge()           # the first purge: no checkpoint, yet no WARC file read, their indexes name nothing
    assert _core(res) == _purged(indexed=4) and storage.warc_reads == []
    assert (res["ledger_read"], res["ledger_skipped"]) == (2, 0)
    res = purge()
    assert _core(res) == _purged(skipped=4) and storage.warc_reads == []
    assert (res["ledger_read"], res["ledger_skipped"], storage.ledger_reads) == (0, 2, [])

    before = _bytes(storage)
    c_ref = next(f"{f2}#{off}" for off, _, us in record_urls(storage, f2) if us == [u["c"]])
    remove(index_client, settings, urls=[u["c"]], reason="withdrawn")
    res = purge()
    assert _core(res) == _purged(scanned=1, indexed=3, files=1, records=1, ledger_entries=1)
    assert res["read"] == [f2] and set(storage.warc_reads) == {f2}         # only f2 opened
    assert res["ledger_read"] == 2          # a new removal: every segment is read (the ledger has no index)
    with pytest.raises(PurgedRecord):
        read_page(storage, c_ref)
    assert _urls(storage, f2) == [u["d"]]
    after = _bytes(storage)
    assert {rel: b for rel, b in after.items() if rel != f2} == {rel: b for rel, b in before.items() if rel != f2}
    assert len(after[f2]) == len(before[f2]) and after[f2] != before[f2]
    assert set(Ledger.load(storage).entries) == {doc_id(x) for x in (u["a"], u["b"], g1, u["d"], k1, g2)}
    # nothing removed since: the segment written again is read once more, the other not
    res = purge()
    assert _core(res) == _purged(skipped=4) and storage.warc_reads == []
    assert (res["ledger_read"], res["ledger_skipped"], storage.ledger_reads) == (1, 1, [seg2])
    assert (purge()["ledger_read"], storage.ledger_reads) == (0, [])

    # a domain: only the files holding its pages, and its subdomain's, are read
    before = _bytes(storage)
    remove(index_client, settings, domains=["gone.example"], reason="opt-out")
    res = purge()
    assert _core(res) == _purged(scanned=2, indexed=2, files=2, records=2, ledger_entries=2)
    assert sorted(res["read"]) == sorted(set(storage.warc_reads)) == sorted([f3, f4])
    assert (_urls(storage, f3), _urls(storage, f4)) == ([u["e"]], [k1])
    after = _bytes(storage)
    assert (after[f1], after[f2]) == (before[f1], before[f2])
    assert set(Ledger.load(storage).entries) == {doc_id(x) for x in (u["a"], u["b"], u["d"], k1)}
    assert seg1 in storage.listdir(LEDGER_DIR)


def test_a_file_archived_before_the_url_index_is_read_and_indexed(root, es_url, es_prefix, index_client):
    """A WARC file without an index (written before there were indexes), or with an index that is not for the file as
    it is (another size), is read: nothing is missed. The purge writes the index of a file it read without one."""
    settings = _settings(es_url, es_prefix, root)
    storage = _ReadCounting(root)
    stages.ensure_index(settings)
    u = {k: f"https://news.example/{k}" for k in "abcdef"}
    old, f2, f3 = (_warc(storage, "w1", [u["a"], u["b"]]), _warc(storage, "w2", [u["c"], u["d"]]),
                   _warc(storage, "w3", [u["e"], u["f"]]))
    storage.remove(url_index_path(old))             # as an archive written before this code
    size = storage.find("archive")[f3]
    write_url_index(storage, f3, size + 1, [])       # an index naming nothing, but not for this file
    assert set(read_url_indexes(storage, storage.find("archive"))) == {f2}

    def purge() -> dict:
        storage.warc_reads.clear()
        return purge_archive(index_client, settings, storage)

    remove(index_client, settings, urls=[u["c"], u["f"]], reason="withdrawn")
    res = purge()
    assert _core(res) == _purged(scanned=3, files=2, records=2)
    assert sorted(res["read"]) == sorted(set(storage.warc_reads)) == sorted([old, f2, f3])
    assert (_urls(storage, f2), _urls(storage, f3)) == ([u["d"]], [u["e"]])
    # the old file was indexed from what was read (the other index, not for its file, is left as it was)
    assert read_url_indexes(storage, storage.find("archive"))[old] == sorted([u["a"], u["b"]])
    # so a removal of what it holds reads it alone now
    remove(index_client, settings, urls=[u["a"]], reason="withdrawn")
    res = purge()
    assert _core(res) == _purged(scanned=1, indexed=2, files=1, records=1) and set(storage.warc_reads) == {old}
    assert _urls(storage, old) == [u["b"]]
    # a removal of something the bad index does not name, but its file holds: read all the same
    remove(index_client, settings, urls=[u["e"]], reason="withdrawn")
    res = purge()
    assert _core(res) == _purged(scanned=1, indexed=2, files=1, records=1) and set(storage.warc_reads) == {f3}
    assert _urls(storage, f3) == []


def test_a_page_found_under_another_url_is_purged_reading_only_its_file(site, root, es_url, es_prefix,
                                                                        index_client):
    """The records of a removed article under the URLs it was found under: /old-a, redirecting to /a.html (removed by
    its URL), and /b.html, whose article has its canonical URL's id (removed by that id: its record keeps the id of
    /b.html, ``url_id``). Each purge reads only the file holding them."""
    from tests.plugins.docs import make_document

    srv, urls = site
    settings = _settings(es_url, es_prefix, root)
    storage = _ReadCounting(root)
    stages.ensure_index(settings)
    files = {}
    for k in ("old-a", "b", "c"):
        res = fetch_candidates([Candidate(urls[k])], settings, storage, run_id=f"f-{k}")
        (files[k],) = res.warc_files
    canonical = urls["b"].replace("/b.html", "/canonical-b")
    doc = make_document(urls["b"], canonical_url=canonical)
    bulk_load(index_client, [doc], settings, storage=storage, run_id="load")
    remove(index_client, settings, urls=["https://news.example/never-fetched"], reason="withdrawn")
    assert _core(purge_archive(index_client, settings, storage)) == _purged(indexed=3, ledger_entries=0)

    def purge() -> dict:
        storage.warc_reads.clear()
        return purge_archive(index_client, settings, storage)

    remove(index_client, settings, ids=[doc["id"]], reason="withdrawn")
    assert doc["id"] != doc_id(urls["b"])
    res = purge()
    assert _core(res) == _purged(scanned=1, indexed=2, files=1, records=1, ledger_entries=1)
    assert set(storage.warc_reads) == {files["b"]} and _urls(storage, files["b"]) == []

    left = [us for _, _, us in record_urls(storage, files["old-a"])]
    assert [urls["old-a"], urls["a"]] in left and [urls["a"]] in left     # the redirect and the page
    remove(index_client, settings, urls=[urls["a"]], reason="withdrawn")
    res = purge()
    assert _core(res) == _purged(scanned=1, indexed=2, files=1, records=2, ledger_entries=1)
    assert set(storage.warc_reads) == {files["old-a"]}
    assert {u for _, _, us in record_urls(storage, files["old-a"]) for u in us} <= {
        f"{urls['a'].rsplit('/', 1)[0]}/robots.txt"}
    assert _urls(storage, files["c"]) == [urls["c"]]


def test_the_url_indexes_of_a_pruned_day_go_with_it(tmp_path, es_url, es_prefix, index_client, monkeypatch):
    settings = _settings(es_url, es_prefix, tmp_path / "storage")
    storage = Storage(settings.storage.root)
    stages.ensure_index(settings)
    monkeypatch.setattr("pipeline.archive._utcnow", lambda: dt.datetime(2026, 1, 2, 12, tzinfo=dt.timezone.utc))
    old = _warc(storage, "w0", ["https://news.example/old"])
    monkeypatch.undo()
    new = _warc(storage, "w1", ["https://news.example/new"])
    remove(index_client, settings, urls=["https://news.example/x"], reason="withdrawn")
    purge_archive(index_client, settings, storage)
    assert storage.exists(url_index_path(old)) and storage.exists(url_index_path(new))
    # storage.keep_archive_days: the old day goes, with its indexes
    pruned = prune_archive(storage, 30, now=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    assert pruned.days == ["2026-01-02"] and not storage.exists(old)
    assert not storage.exists(url_index_path(old)) and storage.exists(url_index_path(new))
    assert _core(purge_archive(index_client, settings, storage)) == _purged(skipped=1)
    assert storage.listdir(f"{URL_INDEX_DIR}/2026/01") == []


# ------------------------------------------------------------------ near duplicates of a removed original

BRIDGE = STORY[:4]      # tests/test_neardup.py's story
HARBOUR = OTHER         # and its other story
ORCHARD = [
    "Apple growers in the Vale of Amber picked their largest harvest in a decade this autumn, the growers' "
    "cooperative said, after a warm spring and a summer with just enough rain in the right weeks.",
    "Prices at the farm gate fell by a fifth as a result, and several growers left fruit on the trees rather than "
    "pay pickers for a crop that would not cover its costs, the cooperative's chairwoman said.",
    "The cider makers of the vale bought more than usual, and the cooperative is talking to two supermarkets "
    "about selling the smaller apples that do not meet their standards in bags under its own name.",
]


def _news(make_doc, host: str, paragraphs: list[str], published: str) -> dict:
    return make_doc(f"https://{host}/story", title=host, text="\n\n".join(paragraphs), published_at=published)


def test_removing_an_original_makes_one_of_its_copies_the_original(make_doc, index_client, index_settings,
                                                                      storage):
    original = _news(make_doc, "first.example", BRIDGE, "2024-05-01T08:00:00+00:00")
    copy1 = _news(make_doc, "second.example", BRIDGE + ["Reporting by the Riverton Herald."],
                  "2024-05-01T09:00:00+00:00")
    copy2 = _news(make_doc, "third.example", BRIDGE[:3] + [BRIDGE[3] + " Both were outvoted."],
                  "2024-05-01T10:00:00+00:00")
    lone_original = _news(make_doc, "harbour.example", HARBOUR, "2024-05-01T08:00:00+00:00")
    lone_copy = _news(make_doc, "ferry.example", HARBOUR + ["With reporting from the islands."],
                      "2024-05-01T09:00:00+00:00")
    orchard = _news(make_doc, "orchard.example", ORCHARD, "2024-05-01T08:00:00+00:00")
    orchard_copy = _news(make_doc, "cider.example", ORCHARD + ["The vale's cider festival is in October."],
                         "2024-05-01T09:00:00+00:00")
    docs = [original, copy1, copy2, lone_original, lone_copy, orchard, orchard_copy]
    alias = index_settings.index.read_alias
    bulk_load(index_client, docs, index_settings, storage=storage, run_id="dup")

    def marks() -> dict[str, tuple]:
        index_client.indices.refresh(index=alias)
        return {h["_source"]["domain"]: (h["_source"].get("duplicate_of"), h["_source"].get("copies"))
                for h in index_client.search(index=alias, size=20)["hits"]["hits"]}

    assert marks() == {"first.example": (None, 2), "second.example": (original["id"], None),
                       "third.example": (original["id"], None), "harbour.example": (None, 1),
                       "ferry.example": (lone_original["id"], None), "orchard.example": (None, 1),
                       "cider.example": (orchard["id"], None)}
    res = remove(index_client, index_settings, ids=[original["id"], lone_original["id"], orchard_copy["id"]],
                 reason="withdrawn")
    assert res["removed"] == 3 and res["remarked"] == 3
    # the first published copy is the original now, the other points at it; a copy alone is an original; the
    # original of a removed copy counts it no more
    assert marks() == {"second.example": (None, 1), "third.example": (copy1["id"], None),
                       "ferry.example": (None, None), "orchard.example": (None, None)}
    # with the marking off, a copy of a removed original is still not left pointing at it
    off = index_settings.model_copy(update={"index": index_settings.index.model_copy(update={
        "load": index_settings.index.load.model_copy(update={"near_duplicates": False})})})
    res = remove(index_client, off, ids=[copy1["id"]], reason="withdrawn")
    assert res["remarked"] == 1 and marks() == {"third.example": (None, None), "ferry.example": (None, None),
                                                "orchard.example": (None, None)}
