"""The changes feed (pipeline.changes, `newsetl changes`, GET /changes) over a real Elasticsearch node: every
document once in write order, a changed one again, nothing still on its way skipped, and a replay's swap restarting
the feed so that nothing written into the new index is missed."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pipeline.admin import create_next_version, migrate, swap_aliases
from pipeline.api import create_app
from pipeline.changes import changes, delay_seconds
from pipeline.load import bulk_load
from pipeline.search import SearchError
from pipeline.settings import load_settings
from tests.cfgutil import cli_config, cli_env, run_cli
from tests.plugins.docs import make_document
from tests.test_api import served

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.es


def _doc(i: int, text: str = "") -> dict:
    return make_document(f"https://feed.example.org/{i}", title=f"Story {i}",
                         text=text or f"Story {i} tells of the harbour and the council this week. " * 8,
                         published_at=f"2024-03-{i % 28 + 1:02d}T08:00:00+00:00")


def _settings(index_settings, delay: float | None = 0.0):
    return index_settings.model_copy(update={"index": index_settings.index.model_copy(update={
        "search": index_settings.index.search.model_copy(update={"changes_delay_seconds": delay})})})


def _follow(client, settings, cursor=None, size=3, **kw) -> tuple[list[dict], str, list[dict]]:
    """Every page up to caught up: (documents, the last cursor, the pages)."""
    docs, pages = [], []
    while True:
        page = changes(client, settings, after=cursor, size=size, **kw)
        pages.append(page)
        docs += page["documents"]
        cursor = page["next"]
        if not page["more"]:
            return docs, cursor, pages


def test_every_write_once_in_order_then_only_what_changed(index_client, index_settings, storage):
    settings = _settings(index_settings)
    assert bulk_load(index_client, [_doc(i) for i in range(7)], settings, storage=storage, run_id="a").created == 7
    docs, cursor, pages = _follow(index_client, settings)
    assert [len(p["documents"]) for p in pages] == [3, 3, 1] and [p["more"] for p in pages] == [True, True, False]
    assert sorted(d["id"] for d in docs) == sorted(_doc(i)["id"] for i in range(7))
    order = [(d["indexed_at"], d["id"]) for d in docs]
    assert order == sorted(order)
    assert all("entity_keys" not in d and "minhash_bands" not in d and d["text"] for d in docs)   # as /documents gives
    assert changes(index_client, settings, after=cursor)["documents"] == []

    # two new documents, one changed and one the same: the new and the changed are listed, the same one not
    changed = _doc(3, text="Story 3 was corrected: the harbour council met on Friday, not Thursday. " * 8)
    res = bulk_load(index_client, [_doc(7), changed, _doc(4), _doc(8)], settings, storage=storage, run_id="b")
    assert (res.created, res.updated, res.unchanged) == (2, 1, 1)
    docs, cursor, _ = _follow(index_client, settings, cursor)
    assert sorted(d["id"] for d in docs) == sorted([_doc(7)["id"], _doc(8)["id"], changed["id"]])
    assert next(d for d in docs if d["id"] == changed["id"])["text"].startswith("Story 3 was corrected")
    assert _follow(index_client, settings, cursor)[0] == []

    # from a start instead of a cursor: everything written since then
    assert len(changes(index_client, settings, since="2000-01-01", size=50)["documents"]) == 9
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    assert changes(index_client, settings, since=later.isoformat(), size=50)["documents"] == []


def test_documents_on_their_way_are_not_skipped(index_client, index_settings, storage):
    """The feed lists only what was stamped `changes_delay_seconds` ago: a consumer that asks right after a load gets
    nothing, and its cursor has not passed the documents, which the next answer after the delay lists."""
    settings = _settings(index_settings, delay=60.0)
    bulk_load(index_client, [_doc(i) for i in range(4)], settings, storage=storage, run_id="a")
    now = dt.datetime.now(dt.timezone.utc)
    early = changes(index_client, settings, now=now)
    assert early["documents"] == [] and not early["more"]
    assert dt.datetime.fromisoformat(early["until"]) < now - dt.timedelta(seconds=59)
    late = changes(index_client, settings, after=early["next"], now=now + dt.timedelta(seconds=61))
    assert len(late["documents"]) == 4


def test_a_long_load_stamps_each_request_when_it_is_sent(index_client, index_settings, storage):
    """indexed_at is the time of the bulk request, not of the load's start: a document sent a while into a load is
    not stamped earlier than a consumer may have read up to meanwhile."""
    settings = index_settings.model_copy(update={"index": index_settings.index.model_copy(update={
        "load": index_settings.index.load.model_copy(update={"batch_docs": 2, "workers": 1})})})

    def slow():
        for i in range(4):
            if i == 3:              # the first request (0, 1) goes when 2 comes; 2 and 3 go after the pause
                time.sleep(1.0)
            yield _doc(i)

    bulk_load(index_client, slow(), settings, storage=storage, run_id="slow")
    index_client.indices.refresh(index=settings.index.read_alias)
    stamps = {h["_id"]: dt.datetime.fromisoformat(h["_source"]["indexed_at"]) for h in index_client.search(
        index=settings.index.read_alias, size=10, _source=["indexed_at"])["hits"]["hits"]}
    first, second = [stamps[_doc(i)["id"]] for i in (0, 1)], [stamps[_doc(i)["id"]] for i in (2, 3)]
    assert min(second) - max(first) >= dt.timedelta(seconds=0.9)


def test_a_replay_swap_restarts_the_feed_and_a_migrate_does_not(index_client, index_settings, storage):
    settings = _settings(index_settings)
    bulk_load(index_client, [_doc(i) for i in range(5)], settings, storage=storage, run_id="a")
    docs, cursor, _ = _follow(index_client, settings, size=10)
    assert len(docs) == 5

    # a replay: a new version takes the write alias; the replayed pages (one changed) and a new article land there
    # while the consumer still reads the old version, whose cursor moves past their stamps
    new = create_next_version(index_client, settings)["index"]
    replayed = [_doc(i) for i in range(4)] + [_doc(2, text="Story 2, replayed with a better extraction. " * 8), _doc(9)]
    bulk_load(index_client, replayed, settings, storage=storage, run_id="replay")
    time.sleep(0.01)
    quiet = changes(index_client, settings, after=cursor)
    assert quiet["documents"] == [] and not quiet["restarted"]
    swap_aliases(index_client, settings, new)
    docs, cursor, pages = _follow(index_client, settings, quiet["next"], size=10)
    assert pages[0]["restarted"] is True
    assert sorted(d["id"] for d in docs) == sorted({d["id"] for d in replayed})
    assert next(d for d in docs if d["id"] == _doc(2)["id"])["text"].startswith("Story 2, replayed")
    assert _follow(index_client, settings, cursor)[0] == []

    # a migrate copies the documents as they are (their stamps kept): nothing to list again
    migrate(index_client, settings)
    page = changes(index_client, settings, after=cursor)
    assert page["documents"] == [] and page["restarted"] is False


def test_a_mark_and_a_relabel_list_the_documents_they_change(index_client, index_settings, storage):
    """A downstream copy learns of the near-duplicate marks and the people labels that later loads change on
    documents it already has: the marking and the relabelling stamp what they write (pipeline.neardup, .people)."""
    settings = _settings(index_settings)
    story = ("The harbour council voted on Tuesday to rebuild the old ferry pier before the summer season. Its "
             "timber piles had rotted through, and divers found two of them split below the waterline last winter. "
             "Fishermen asked for a wider landing stage, while the ferry company wants a covered waiting room. The "
             "work starts in April, costs about four million, and the regional fund pays half of it. Until then, "
             "boats dock at the northern quay, where parking is scarce and buses turn with difficulty.")
    original = make_document("https://feed.example.org/first", title="Pier vote", text=story,
                             published_at="2024-03-01T08:00:00+00:00", language="de",
                             entities={"person": ["Wladimir Putin"], "organization": [], "location": [], "misc": []})
    other = _doc(1)
    bulk_load(index_client, [original, other], settings, storage=storage, run_id="a")
    docs, cursor, _ = _follow(index_client, settings, size=10)
    first = {d["id"]: d for d in docs}
    assert first[original["id"]].get("copies") is None and first[original["id"]]["people"] == ["Wladimir Putin"]

    # a copy published a day later: it is listed (new), and so is the original, now counting one copy
    copy = make_document("https://elsewhere.example.net/pier", title="Pier vote", text=story,
                         published_at="2024-03-02T08:00:00+00:00")
    bulk_load(index_client, [copy], settings, storage=storage, run_id="b")
    docs, cursor, _ = _follow(index_client, settings, cursor, size=10)
    got = {d["id"]: d for d in docs}
    assert set(got) == {copy["id"], original["id"]}
    assert got[copy["id"]]["duplicate_of"] == original["id"] and got[original["id"]]["copies"] == 1

    # an English article names him as English reads his key: the label rises, and the German article that carried
    # the old one is listed again with the new
    english = make_document("https://feed.example.org/en", title="Kremlin", text="The Kremlin said so. " * 20,
                            entities={"person": ["Vladimir Putin"], "organization": [], "location": [], "misc": []})
    bulk_load(index_client, [english], settings, storage=storage, run_id="c")
    docs, cursor, _ = _follow(index_client, settings, cursor, size=10)
    got = {d["id"]: d for d in docs}
    assert set(got) == {english["id"], original["id"]}
    assert got[original["id"]]["people"] == ["Vladimir Putin"]
    assert other["id"] not in got and _follow(index_client, settings, cursor)[0] == []


def test_a_migrate_lists_the_documents_whose_places_or_people_it_changes(index_client, index_settings, storage):
    """A migrate that recomputes what the loader derives (a newer loader's places) stamps the documents whose
    people, places or countries change, and only those: after the swap the feed lists them (stamped after the
    consumer's cursor, or, when the new index is older than the cursor, from the feed's restart at its creation)."""
    settings = _settings(index_settings)
    old = make_document("https://feed.example.org/riots", title="Riots",
                        entities={"person": [], "organization": [], "location": ["Birmingham", "London"], "misc": []})
    bulk_load(index_client, [old, _doc(1)], settings, storage=storage, run_id="a")
    # as an older loader left it: Birmingham was no place then
    index_client.update(index=settings.index.write_alias_name, id=old["id"], doc={"places": ["London"]},
                        refresh=True)
    docs, cursor, _ = _follow(index_client, settings, size=10)
    assert {d["id"]: d["places"] for d in docs if d["id"] == old["id"]} == {old["id"]: ["London"]}
    migrate(index_client, settings, method="bulk")
    docs, cursor, _ = _follow(index_client, settings, cursor, size=10)
    assert [(d["id"], d["places"]) for d in docs] == [(old["id"], ["Birmingham (GB)", "London"])]


def test_bad_requests(index_client, index_settings, storage):
    settings = _settings(index_settings)
    with pytest.raises(SearchError, match="does not exist"):
        changes(index_client, settings)
    bulk_load(index_client, [_doc(1)], settings, storage=storage, run_id="a")
    with pytest.raises(SearchError, match="not valid"):
        changes(index_client, settings, after="garbage")
    with pytest.raises(SearchError, match="size must be between 1 and 500"):
        changes(index_client, settings, size=0)
    with pytest.raises(SearchError, match="either a cursor"):
        changes(index_client, settings, after=changes(index_client, settings)["next"], since="2024-01-01")
    with pytest.raises(SearchError, match="not a date"):
        changes(index_client, settings, since="yesterday")


def test_the_default_delay_follows_the_timeout_and_the_refresh_interval(tmp_path):
    assert delay_seconds(load_settings(overrides={"elasticsearch": {"request_timeout": 30},
                                                  "index": {"refresh_interval": "1s"}})) == 36.0
    assert delay_seconds(load_settings(overrides={"index": {"refresh_interval": "30s"}})) == 65.0
    assert delay_seconds(load_settings(overrides={"index": {"search": {"changes_delay_seconds": 600}}})) == 600.0
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text("index:\n  refresh_interval: 1 second\n")
    from pipeline.settings import ConfigError
    with pytest.raises(ConfigError, match="refresh_interval.*not an Elasticsearch time"):
        load_settings(cfg)


def test_over_http(index_client, index_settings, storage):
    settings = _settings(index_settings)
    bulk_load(index_client, [_doc(i) for i in range(5)], settings, storage=storage, run_id="a")
    with served(create_app(settings, api_key="")) as base:
        seen, after = [], None
        while True:
            r = httpx.get(f"{base}/changes", params={"size": 2, **({"after": after} if after else {})})
            assert r.status_code == 200, r.text
            page = r.json()
            seen += [d["id"] for d in page["documents"]]
            after = page["next"]
            if not page["more"]:
                break
        assert sorted(seen) == sorted(_doc(i)["id"] for i in range(5))
        r = httpx.get(f"{base}/changes", params={"after": "garbage"})
        assert r.status_code == 400 and "cursor is not valid" in r.json()["error"]
        r = httpx.get(f"{base}/changes", params={"size": 0})
        assert r.status_code == 400 and "size must be between" in r.json()["error"]


def test_cli_exports_what_is_new_at_each_run(index_client, index_settings, storage, tmp_path):
    settings = _settings(index_settings)
    cfg = cli_config(tmp_path, settings, search={"changes_delay_seconds": 0})
    state = tmp_path / "cursor"

    def cli(*args):
        return run_cli(cfg, "changes", *args)

    bulk_load(index_client, [_doc(i) for i in range(5)], settings, storage=storage, run_id="a")
    p = cli("--cursor-file", str(state), "--size", "2")
    assert p.returncode == 0, p.stderr
    assert sorted(json.loads(line)["id"] for line in p.stdout.splitlines()) == sorted(_doc(i)["id"] for i in range(5))
    assert "5 documents" in p.stderr and state.read_text().strip()
    p = cli("--cursor-file", str(state))
    assert p.returncode == 0 and p.stdout == "" and "0 documents; caught up to " in p.stderr
    assert "the last 0 s comes next time" in p.stderr
    bulk_load(index_client, [_doc(5)], settings, storage=storage, run_id="b")
    p = cli("--cursor-file", str(state))
    assert [json.loads(line)["id"] for line in p.stdout.splitlines()] == [_doc(5)["id"]]
    p = cli("--cursor-file", str(state), "--since", "2024-01-01")
    assert p.returncode == 2 and "already holds a cursor" in p.stderr
    p = cli("--limit", "2")
    assert p.returncode == 0 and len(p.stdout.splitlines()) == 2


def test_cli_follow_prints_what_loads_write_while_it_runs(index_client, index_settings, storage, tmp_path):
    settings = _settings(index_settings)
    cfg = cli_config(tmp_path, settings, search={"changes_delay_seconds": 0})
    bulk_load(index_client, [_doc(0)], settings, storage=storage, run_id="a")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(cfg), "changes", "--follow", "0.2",
                             "--cursor-file", str(tmp_path / "cursor")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, env=cli_env())
    try:
        assert json.loads(proc.stdout.readline())["id"] == _doc(0)["id"]
        bulk_load(index_client, [_doc(1)], settings, storage=storage, run_id="b")    # while it follows
        assert json.loads(proc.stdout.readline())["id"] == _doc(1)["id"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # the cursor it kept goes on after the first at least: the page of the second may have been printed but not yet
    # saved when the command was stopped, so it may come again (never skipped); then nothing more
    p = run_cli(cfg, "changes", "--cursor-file", str(tmp_path / "cursor"))
    assert p.returncode == 0 and [json.loads(line)["id"] for line in p.stdout.splitlines()] in ([], [_doc(1)["id"]])
    assert run_cli(cfg, "changes", "--cursor-file", str(tmp_path / "cursor")).stdout == ""
