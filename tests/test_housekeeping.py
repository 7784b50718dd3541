"""Housekeeping (pipeline.housekeeping, `newsetl prune`): the batch files of complete runs go once they are old;
reports, unfinished runs, the archive and the dead letters stay, unless the archive's and the dead letters' limits
are set."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import stages
from pipeline.housekeeping import prune_runs
from pipeline.settings import load_settings
from pipeline.storage import Storage
from tests.test_report import _batch, _run

REPO = Path(__file__).resolve().parents[1]
LATER = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=8)     # a week and a day after the runs below


@pytest.fixture
def root(tmp_path):
    """Four runs: r-done and r-dry complete (reported), r-broken with a batch never loaded (reported), r-running
    without a report yet; plus a dead letter, an archive file and the batch `newsetl deadletters --retry` writes,
    which housekeeping never touches."""
    settings = load_settings(overrides={"storage": {"root": str(tmp_path)}, "index": {"record_runs": False}})
    _run(tmp_path, "r-done")
    _batch(tmp_path, "r-done", "pages", "feed", "0000")
    _batch(tmp_path, "r-done", "docs", "feed", "0000")
    stages.report(settings, "r-done")
    _run(tmp_path, "r-dry", loads=())
    stages.report(settings, "r-dry", expect_loaded=False)              # a dry run: discovered only, complete
    _run(tmp_path, "r-broken", loads=("0000",))
    with pytest.raises(stages.IncompleteRun):
        stages.report(settings, "r-broken")
    _batch(tmp_path, "r-running", "candidates", "feed", "0000")
    for rel in ("deadletter/fetch/r-done.jsonl", "archive/feed/2026/11/a.warc.gz",
                "runs/retry__x/candidates/retry.jsonl"):                 # a manual command's batch: left alone
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("kept\n")
    return tmp_path


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_old_complete_runs_lose_their_batches_and_keep_their_report(root):
    before = _files(root)
    storage = Storage(root)
    # a week old at most: nothing goes
    fresh = prune_runs(storage, 7)
    assert (fresh.pruned, fresh.recent, fresh.unfinished, _files(root)) == ([], 2, [], before)
    # a dry run a week and a day later says what would go, and removes nothing
    dry = prune_runs(storage, 7, now=LATER, dry_run=True)
    assert dry.pruned == ["r-done", "r-dry"] and dry.files == 6 and dry.bytes == 6 * len("{}\n")
    assert dry.unfinished == ["r-broken", "r-running"] and _files(root) == before
    # then for real: the complete runs' candidates, pages and docs are gone, nothing else
    res = prune_runs(storage, 7, now=LATER)
    assert (res.pruned, res.files, res.unfinished) == (dry.pruned, dry.files, dry.unfinished)
    gone = before - _files(root)
    assert gone == {f for f in before if f.startswith(("runs/r-done/", "runs/r-dry/"))
                    and f.split("/")[2] in ("candidates", "pages", "docs")}
    for run in ("r-done", "r-dry"):
        assert (root / "runs" / run / "report.json").is_file() and list((root / "runs" / run / "results").rglob("*"))
    assert json.loads((root / "runs" / "r-done" / "report.json").read_text())["complete"] is True
    assert (root / "deadletter/fetch/r-done.jsonl").is_file() and (root / "archive/feed/2026/11/a.warc.gz").is_file()
    # again: nothing left to remove; the unfinished runs are still listed
    again = prune_runs(storage, 7, now=LATER)
    assert (again.pruned, again.files, again.unfinished) == ([], 0, ["r-broken", "r-running"])


def test_kept_for_ever_excluded_and_unreadable_reports(root):
    storage = Storage(root)
    assert prune_runs(storage, None, now=LATER).pruned == []                    # null: never pruned
    assert prune_runs(storage, 7, now=LATER, exclude=["r-done"]).pruned == ["r-dry"]
    (root / "runs" / "r-done" / "report.json").write_text("{not json")
    res = prune_runs(storage, 7, now=LATER)
    assert res.pruned == [] and "r-done" in res.unfinished                     # unreadable: kept, listed
    # a report from before the "complete" key: its batch counts say it
    (root / "runs" / "r-done" / "report.json").write_text(json.dumps({"batches": 2, "batches_loaded": 2}))
    assert prune_runs(storage, 7, now=LATER).pruned == ["r-done"]


def test_the_stage_uses_the_configured_days(root):
    settings = load_settings(overrides={"storage": {"root": str(root), "keep_run_batches_days": 0}})
    res = stages.prune_storage(settings, exclude=["r-dry"])
    assert res["pruned"] == ["r-done"] and res["keep_days"] == 0
    assert not (root / "runs" / "r-done" / "docs").exists() and (root / "runs" / "r-dry" / "candidates").exists()
    with pytest.raises(Exception, match="keep_run_batches_days"):
        load_settings(overrides={"storage": {"root": str(root), "keep_run_batches_days": -1}})


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", "prune", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_cli(root):
    p = _cli("--storage", str(root), "--keep-days", "0", "--dry-run")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [
        "would remove the batches of 2 complete runs older than 0 days: 6 files, 0.0 MB; 0 complete runs are more "
        "recent",
        "kept 2 older runs that never finished (clear their failed tasks to resume them, or delete runs/<run_id>): "
        "r-broken, r-running"]
    p = _cli("--storage", str(root), "--keep-days", "0", "--json")
    assert json.loads(p.stdout)["pruned"] == ["r-done", "r-dry"] and not (root / "runs/r-done/docs").exists()
    p = _cli("--storage", str(root), "--keep-days", "-1")
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "--keep-days takes a number of days" in p.stderr


def test_archive_days_go_once_old_unless_a_replay_in_progress_reads_them(tmp_path, monkeypatch):
    """storage.keep_archive_days: whole days of the raw archive go once that old; a day an unfinished run's page
    batches name is kept; a complete run's do not count; null keeps everything."""
    from pipeline.archive import WarcArchive, list_warc_files
    from pipeline.housekeeping import prune_archive
    from pipeline.page import Page

    storage = Storage(tmp_path)
    now = dt.datetime(2026, 11, 29, 6, 0, tzinfo=dt.timezone.utc)
    refs = {}
    for day in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-19", "2026-11-20", "2026-11-28"):
        # the archive files a day's fetches under that day (UTC): the clock set to it
        monkeypatch.setattr("pipeline.archive._utcnow", lambda d=day: dt.datetime.fromisoformat(f"{d}T12:00:00+00:00"))
        with WarcArchive(storage, f"r{day}") as arch:
            refs[day] = arch.write_page(Page(url=f"https://news.example.org/{day}", body=b"<html>x</html>",
                                             headers={"content-type": "text/html"}, source="feed",
                                             fetched_at=f"{day}T12:00:00+00:00"))
    assert len(list_warc_files(storage)) == 6
    # a replay in progress reads 1 November; one that finished read 2 November
    storage.write_jsonl("runs/replay-now/pages/feed/0000.jsonl", [{"warc_ref": refs["2026-11-01"]}])
    storage.write_jsonl("runs/replay-done/pages/feed/0000.jsonl", [{"warc_ref": refs["2026-11-02"]}])
    (tmp_path / "runs/replay-done/report.json").write_text(json.dumps({"complete": True}))

    assert prune_archive(storage, None, now=now).days == []                    # null: kept for ever
    dry = prune_archive(storage, 9, now=now, dry_run=True)
    # 9 days before 29 Nov 06:00 is 20 Nov 06:00: the 20th is not wholly that old yet, the 19th is
    assert (dry.days, dry.in_use, dry.files) == (["2026-11-02", "2026-11-03", "2026-11-19"], ["2026-11-01"], 3)
    assert len(list_warc_files(storage)) == 6
    res = prune_archive(storage, 9, now=now)
    assert res.days == dry.days and res.bytes > 0
    assert sorted(rel.split("/")[3] for rel in list_warc_files(storage)) == ["01", "20", "28"]
    assert not (tmp_path / "archive/2026/11/19").exists() and (tmp_path / "archive/2026/11/20").is_dir()
    assert prune_archive(storage, 9, now=now).days == []                       # again: nothing more


def test_the_cli_prunes_the_archive_when_told(root):
    day = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)).date()
    old = root / f"archive/{day:%Y/%m/%d}/r-old-0.warc.gz"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x" * 1000)
    p = _cli("--storage", str(root), "--keep-days", "30", "--dry-run")
    assert p.returncode == 0 and "raw archive" not in p.stdout and old.exists()   # not configured: kept for ever
    p = _cli("--storage", str(root), "--keep-days", "30", "--archive-days", "30")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == "removed 1 day of the raw archive older than 30 days: 1 file, 0.0 MB"
    assert not old.exists() and (root / "archive/feed/2026/11/a.warc.gz").exists()   # not an archive day: left
    p = _cli("--storage", str(root), "--archive-days", "0.5")
    assert p.returncode == 2 and "--archive-days takes a number of days, 1 or more" in p.stderr
    with pytest.raises(Exception, match="keep_archive_days"):
        load_settings(overrides={"storage": {"root": str(root), "keep_archive_days": 0}})


class CountingStorage(Storage):
    """A real storage root that notes each recursive listing (``find``) it is asked for."""

    def __init__(self, root):
        super().__init__(root)
        self.finds: list[str] = []

    def find(self, rel: str = "") -> dict[str, int]:
        self.finds.append(rel)
        return super().find(rel)


def test_a_prune_lists_runs_once_and_prunes_what_its_two_parts_prune_alone(root, tmp_path_factory, monkeypatch):
    """stages.prune_storage walks runs/ once for the old runs' batches and for the archive days unfinished runs read,
    with the results prune_runs and then prune_archive give with a listing each."""
    import shutil

    from pipeline.housekeeping import prune_archive, prune_dead_letters

    today = dt.datetime.now(dt.timezone.utc).date()
    days = {k: today - dt.timedelta(days=n) for k, n in (("read", 40), ("replayed", 41), ("idle", 42))}
    for day in days.values():
        (root / f"archive/{day:%Y/%m/%d}").mkdir(parents=True)
        (root / f"archive/{day:%Y/%m/%d}/r-{day}-0.warc.gz").write_bytes(b"x" * 100)
    # the unfinished run reads one old day; the complete run, pruned first, read another: that day goes
    storage = Storage(root)
    storage.write_jsonl("runs/r-broken/pages/feed/0000.jsonl",
                        [{"warc_ref": f"archive/{days['read']:%Y/%m/%d}/r-{days['read']}-0.warc.gz#0"}])
    storage.write_jsonl("runs/r-done/pages/feed/0000.jsonl",
                        [{"warc_ref": f"archive/{days['replayed']:%Y/%m/%d}/r-{days['replayed']}-0.warc.gz#0"}])
    twin = tmp_path_factory.mktemp("twin") / "root"
    shutil.copytree(root, twin)
    settings = load_settings(overrides={"storage": {"root": str(root), "keep_run_batches_days": 0,
                                                    "keep_archive_days": 30}, "index": {"record_runs": False}})
    counting = CountingStorage(root)
    monkeypatch.setattr(stages, "storage_for", lambda s: counting)

    for dry_run in (True, False):
        counting.finds.clear()
        out = stages.prune_storage(settings, dry_run=dry_run)
        assert counting.finds.count("runs") == 1, counting.finds
        alone = prune_runs(Storage(twin), 0, dry_run=dry_run).to_dict()
        alone["archive"] = prune_archive(Storage(twin), 30, dry_run=dry_run).to_dict()
        alone["dead_letters"] = prune_dead_letters(Storage(twin), None, dry_run=dry_run).to_dict()
        assert {k: v for k, v in out.items() if k != "history"} == alone
        assert (out["pruned"], out["unfinished"]) == (["r-done", "r-dry"], ["r-broken", "r-running"])
        assert (out["archive"]["days"], out["archive"]["in_use"]) == (
            [days["idle"].isoformat(), days["replayed"].isoformat()], [days["read"].isoformat()])
    assert _files(root) == _files(twin)
    assert not (root / f"archive/{days['replayed']:%Y/%m/%d}").exists() and (root / "runs/r-broken/pages").is_dir()
    assert (root / f"archive/{days['read']:%Y/%m/%d}/r-{days['read']}-0.warc.gz").is_file()


def test_old_dead_letters_go_when_told_unless_their_run_keeps_its_batches(root):
    """storage.keep_dead_letters_days: the dead-letter files last written that long ago go (both layouts, a
    scheduled run's folder too), from one listing; those of a run whose batches are still there, and newer ones,
    stay; null keeps everything. Through `newsetl prune` and the stages' prune, which keeps the letters of the runs
    it keeps unfinished."""
    import os

    from pipeline.deadletter import DeadLetter, read_dead_letters, write_dead_letters
    from pipeline.housekeeping import prune_dead_letters

    storage = Storage(root)
    scheduled = "scheduled__2026-10-01T00:00:00+00:00"
    for run, part, key in (("r-old", "feed.0000", "a"), ("r-old", "feed.0001", "b"), (scheduled, "feed.discover", "c"),
                           ("r-broken", "feed.0000", "d"), ("r-new", "feed.0000", "e")):
        write_dead_letters(storage, "fetch", run, [DeadLetter("fetch", key, "timeout")], part=part)
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)).timestamp()
    for p in (root / "deadletter").rglob("*.jsonl"):
        if "r-new" not in str(p):                # r-done's file of the earlier layout is old too
            os.utime(p, (old, old))
    before = _files(root)

    assert prune_dead_letters(storage, None).files == 0 and _files(root) == before       # null: kept for ever
    dry = prune_dead_letters(storage, 30, dry_run=True, keep_runs=["r-broken"])
    assert (dry.files, dry.runs, dry.kept) == (4, 3, 1) and _files(root) == before
    res = prune_dead_letters(storage, 30, keep_runs=["r-broken"])
    assert (res.files, res.runs, res.kept, res.bytes) == (4, 3, 1, dry.bytes) and res.bytes > 0
    assert sorted(p.relative_to(root / "deadletter").as_posix() for p in (root / "deadletter").rglob("*")) == [
        "fetch", "fetch/r-broken", "fetch/r-broken/feed.0000.jsonl", "fetch/r-new", "fetch/r-new/feed.0000.jsonl"]
    assert sorted(d["key"] for d in read_dead_letters(storage)) == ["d", "e"]
    assert prune_dead_letters(storage, 30).files == 1          # r-broken not kept this time
    assert sorted(d["key"] for d in read_dead_letters(storage)) == ["e"]

    # the stages' prune (news_ingest's prune task, `newsetl prune`) keeps the letters of the runs it keeps
    write_dead_letters(storage, "fetch", "r-broken", [DeadLetter("fetch", "d", "timeout")], part="feed.0000")
    write_dead_letters(storage, "load", "r-done", [DeadLetter("load", "f", "mapper_parsing_exception")],
                       part="feed.0000")
    for p in (root / "deadletter").rglob("*.jsonl"):
        if "r-new" not in str(p):
            os.utime(p, (old, old))
    p = _cli("--storage", str(root), "--keep-days", "0", "--dead-letter-days", "30", "--dry-run")
    assert p.returncode == 0, p.stderr
    assert "would remove 1 dead-letter file of 1 run older than 30 days: 0.0 MB; kept 1 file of runs whose " \
        "batches are still there" in p.stdout.splitlines()
    p = _cli("--storage", str(root), "--keep-days", "0", "--dead-letter-days", "30", "--json")
    out = json.loads(p.stdout)
    assert out["pruned"] == ["r-done", "r-dry"] and out["unfinished"] == ["r-broken", "r-running"]
    assert (out["dead_letters"]["files"], out["dead_letters"]["kept"]) == (1, 1)
    assert sorted(d["key"] for d in read_dead_letters(storage)) == ["d", "e"]
    p = _cli("--storage", str(root), "--dead-letter-days", "0.5")
    assert p.returncode == 2 and "--dead-letter-days takes a number of days, 1 or more" in p.stderr
    with pytest.raises(Exception, match="keep_dead_letters_days"):
        load_settings(overrides={"storage": {"root": str(root), "keep_dead_letters_days": 0}})
