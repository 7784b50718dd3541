"""What `newsetl remove` takes out stays out of the fetch and the raw archive, and leaves no near duplicate pointing at
it: the real fetcher against a real HTTP server on 127.0.0.1, a real Elasticsearch node, WARC files on a local
folder and on a real S3 store (pipeline.removals, pipeline.archive, pipeline.fetcher, pipeline.neardup)."""
from __future__ import annotations

import gzip
import hashlib
import logging
import os
import signal
import subprocess
import sys
import time

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline import stages
from pipeline.archive import (PurgedRecord, WarcArchive, blank_records, iter_pages, iter_warc, list_warc_files,
                              read_page, record_urls)
from pipeline.es import make_client
from pipeline.fetcher import LEDGER_DIR, MANIFEST_DIR, Candidate, Ledger, fetch_candidates
from pipeline.load import bulk_load
from pipeline.removals import Blocklist, purge_archive, remove
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
    assert not storage.exists("deadletter/fetch/r1.jsonl")
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
    # nothing written by a dry run
    assert purge_archive(index_client, settings, storage, dry_run=True) == {
        "scanned": 1, "files": 1, "records": 5, "ledger_entries": 3, "dry_run": True}
    assert storage.fs.size(storage.full(rel)) == size and _refs(storage) == before

    # the two pages and the robots.txt of the removed domain, the removed article and the redirect to it
    assert purge_archive(index_client, settings, storage) == {
        "scanned": 1, "files": 1, "records": 5, "ledger_entries": 3, "dry_run": False}
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

    # a second purge changes nothing
    digest = hashlib.sha256(open(storage.local_path(rel), "rb").read()).hexdigest()
    ledger_files = {f: open(storage.local_path(f), "rb").read() for f in storage.listdir(LEDGER_DIR)}
    assert purge_archive(index_client, settings, storage) == {
        "scanned": 1, "files": 0, "records": 0, "ledger_entries": 0, "dry_run": False}
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
    assert purge_archive(index_client, settings, storage) == {
        "scanned": 1, "files": 1, "records": 1, "ledger_entries": 1, "dry_run": False}
    with pytest.raises(PurgedRecord):
        read_page(storage, refs[urls["a"]])
    assert read_page(storage, refs[urls["b"]]).body == body_b
    assert sorted(p.url for p in iter_warc(storage, res.warc_files[0])) == [urls["b"], urls["c"]]
    assert storage.find("archive").keys() == {res.warc_files[0]}          # no temporary file left behind
    assert purge_archive(index_client, settings, storage)["records"] == 0


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
    assert "purged 1 archived records in 1 of 2 WARC files and 1 fetch ledger entries" in p.stdout
    p = run_cli(cfg, "remove", "--purge-archive")
    assert p.returncode == 0 and "purged 0 archived records in 0 of 2 WARC files" in p.stdout
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
