"""Source health (pipeline.health, `newsetl sources`, the stale sources in each run's report): which sources still
bring new articles, which went quiet and which fail, from the runs' reports kept by day."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import stages
from pipeline.health import report_day_path, source_health
from pipeline.settings import load_settings
from pipeline.storage import Storage
from tests.test_report import _result, _run

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _past(root: Path, run_id: str, hours_ago: float, sources: dict, kind: str = "ingest") -> None:
    """A report as stages.report keeps it by day, written ``hours_ago``."""
    at = NOW - dt.timedelta(hours=hours_ago)
    rows = {name: {"discovered": c[0], "indexed": c[1], "dead_lettered": c[2], "unchanged": 0, "fetched": c[1],
                   "skipped": c[0] - c[1] - c[2]} for name, c in sources.items()}
    path = root / report_day_path(at.date().isoformat(), run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"run_id": run_id, "kind": kind, "finished_at": at.isoformat(), "sources": rows}))


@pytest.fixture
def history(tmp_path):
    """feed: 20 new articles 60 h ago, none since; fresh: new ones an hour ago; broken: 8 of 10 dead-lettered;
    newbie: first ran 2 h ago, nothing new yet. A replay and a dry run of feed, which count for nothing; a run of 9
    days ago, outside the window."""
    global NOW      # "now" of this test, not of the collection minutes before: a report judges by the clock
    NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    _past(tmp_path, "r-old", 9 * 24, {"gone": (5, 5, 0)})
    _past(tmp_path, "r60", 60, {"feed": (20, 20, 0), "fresh": (3, 3, 0)})
    _past(tmp_path, "r50", 50, {"feed": (20, 0, 0)})
    _past(tmp_path, "replay", 5, {"feed": (30, 30, 0)}, kind="reprocess")
    _past(tmp_path, "dry", 4, {"feed": (30, 30, 0)}, kind="dry_run")
    _past(tmp_path, "r2", 2, {"feed": (20, 0, 0), "newbie": (4, 0, 0), "broken": (10, 2, 8)})
    _past(tmp_path, "r1", 1, {"fresh": (5, 2, 0)})
    return tmp_path


def test_stale_failing_and_never_ran_sources(history):
    h = source_health(Storage(history), hours=7 * 24, stale_after_hours=48, dead_threshold=0.5,
                      configured=["feed", "fresh", "broken", "newbie", "idle"], now=NOW)
    rows = {s.source: s for s in h.sources}
    assert set(rows) == {"feed", "fresh", "broken", "newbie", "idle"}          # "gone" ran before the window
    assert (h.stale, h.failing, h.never_ran) == (["feed"], ["broken"], ["idle"])
    feed = rows["feed"]
    assert (feed.runs, feed.discovered, feed.indexed, feed.quiet_hours) == (3, 60, 20, 60.0)
    assert feed.last_new_at == (NOW - dt.timedelta(hours=60)).isoformat()
    assert (rows["fresh"].quiet_hours, rows["fresh"].stale) == (1.0, False)
    assert (rows["newbie"].quiet_hours, rows["newbie"].stale) == (2.0, False)    # quiet since its first run only
    assert rows["broken"].dead_share == 0.8 and not rows["broken"].stale
    assert [s.source for s in h.sources][:2] == ["feed", "broken"]                # the ones to look at first
    # a shorter window: feed's new articles fall out of it, and it is quiet since its first run in the window
    short = {s.source: s for s in source_health(Storage(history), hours=55, stale_after_hours=48, dead_threshold=0.5,
                                                 now=NOW).sources}
    assert (short["feed"].indexed, short["feed"].quiet_hours, short["feed"].stale) == (0, 50.0, True)
    assert source_health(Storage(history), hours=7 * 24, stale_after_hours=None, dead_threshold=0.5,
                         now=NOW).stale == []


def test_the_run_report_names_the_stale_sources_and_is_kept_by_day(history):
    settings = load_settings(overrides={"storage": {"root": str(history)}, "index": {"record_runs": False}})
    # a run in which feed finds only what it had: nothing new for 60 h, its report says so
    _result(history, "quiet", "discover", "feed", "0000", discovered=20, skipped=20, dead=0)
    summary = stages.report(settings, "quiet")
    assert summary["kind"] == "ingest" and summary["stale_sources"] == {"feed": 60.0}
    text = stages.render_report(summary)
    assert "no new article for ingest.stale_after_hours or more" in text and "feed (60 h)" in text
    kept = list(history.glob("reports/*/quiet.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == summary
    # written again (a retried report task): the same file by day, not a second one
    stages.report(settings, "quiet")
    assert len(list(history.glob("reports/*/quiet.json"))) == 1
    # a run in which feed brings new articles: not stale any more
    _run(history, "now")
    assert stages.report(settings, "now")["stale_sources"] == {}
    # a dry run's and a replay's reports are kept, but judge nothing
    _result(history, "dry", "discover", "feed", "0000", discovered=20, skipped=0, dead=0)
    summary = stages.report(settings, "dry", expect_loaded=False)
    assert summary["kind"] == "dry_run" and "stale_sources" not in summary
    assert "stale_sources" not in stages.report(settings, "now", replay=True)


def test_cli(history, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {name: feed, kind: rss, url: 'https://example.org/feed.xml'}\n"
                       "  - {name: idle, kind: rss, url: 'https://example.org/idle.xml'}\n")
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"storage": {"root": str(history)}, "fetch": {"sources_file": str(sources)}}))

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "sources", *args],
                              capture_output=True, text=True, cwd=REPO, timeout=120)

    p = cli("--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["stale"], out["failing"], out["never_ran"]) == (["feed"], ["broken"], ["idle"])
    p = cli("--check")              # the news_health DAG's check: the configured sources only (broken is not)
    assert p.returncode == 1 and "feed: stale" in p.stderr and "idle: no run" in p.stderr and "broken" not in p.stderr
    p = cli("--check", "--days", "0.01")     # a window without any run
    assert p.returncode == 1 and "feed: no run" in p.stderr
    text = cli().stdout
    assert "feed" in text and "stale" in text and "never ran" in text and "not configured" in text
    p = cli("--days", "0")
    assert p.returncode == 2 and "--days takes a number of days above 0" in p.stderr


def test_a_source_read_every_few_days_is_judged_by_its_every(history, tmp_path):
    """feed is quiet for 60 h: stale when read every run, not when read once a week (it is stale after 48 h plus a
    week); weekly, whose last discovery was 9 days ago and which is not due yet, is no "no run" in a 7-day window,
    while monthly-but-overdue is."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"name": "feed", "kind": "rss", "url": "https://example.org/feed.xml", "every": "1w"},
        {"name": "weekly", "kind": "rss", "url": "https://example.org/w.xml", "every": "2w"},
        {"name": "overdue", "kind": "rss", "url": "https://example.org/o.xml", "every": "1w"}]}))
    settings = load_settings(overrides={"storage": {"root": str(history)}, "index": {"record_runs": False},
                                        "fetch": {"sources_file": str(sources)}})
    (history / "sources").mkdir()
    for name, days in (("weekly", 9), ("overdue", 8)):
        (history / "sources" / f"{name}.json").write_text(json.dumps(
            {"started_at": (NOW - dt.timedelta(days=days)).isoformat()}))
    rows = {r["source"]: r for r in stages.source_health(settings, hours=7 * 24)["sources"]}
    assert rows["feed"]["quiet_hours"] == 60.0 and not rows["feed"]["stale"]
    with pytest.raises(stages.SourcesUnhealthy) as e:
        stages.check_sources(settings, hours=7 * 24)
    assert "overdue: no run" in str(e.value) and "weekly" not in str(e.value) and "feed" not in str(e.value)
    # the run report judges it the same way
    _result(history, "quiet", "discover", "feed", "0000", discovered=20, skipped=20, dead=0)
    summary = stages.report(settings, "quiet")
    assert summary["quiet_hours"]["feed"] == 60.0 and summary["stale_sources"] == {}
    # read every run again, it is stale
    sources.write_text(yaml.safe_dump({"sources": [{"name": "feed", "kind": "rss",
                                                    "url": "https://example.org/feed.xml"}]}))
    assert stages.report(settings, "quiet")["stale_sources"] == {"feed": 60.0}
