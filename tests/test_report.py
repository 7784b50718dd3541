"""The run report (pipeline.stages.report): counts per source from the stages' result files, and the two ways it
fails a run: batches that never finished loading, and a dead-letter share over the threshold."""
from __future__ import annotations

import json

import pytest

from pipeline import stages
from pipeline.settings import load_settings


@pytest.fixture
def settings(tmp_path):
    return load_settings(overrides={"storage": {"root": str(tmp_path)}, "ingest": {"dead_letter_threshold": 0.3},
                                    "index": {"record_runs": False}})   # the runs index: tests/test_runs.py


def _result(root, run, stage, source, num, **counts):
    p = root / "runs" / run / "results" / stage / f"{source}.{num}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"stage": stage, "source": source, "batch": num, "started": 100.0, "finished": 110.0,
                             **counts}))


def _batch(root, run, kind, source, num):
    p = root / "runs" / run / kind / source / f"{num}.jsonl"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("{}\n")


def _run(root, run, loads=("0000", "0001"), dead=1):
    for num in ("0000", "0001"):
        _batch(root, run, "candidates", "feed", num)
    _result(root, run, "discover", "feed", "0000", discovered=20, skipped=0, dead=0)
    for num in ("0000", "0001"):
        _result(root, run, "fetch", "feed", num, fetched=10 - (dead if num == "0000" else 0), dead=dead if num == "0000" else 0)
        _result(root, run, "process", "feed", num, processed=10 - (dead if num == "0000" else 0), rejected=0,
                entity_errors=2 if num == "0001" else 0)
    for num in loads:
        _result(root, run, "load", "feed", num, created=10 - (dead if num == "0000" else 0), updated=0,
                unchanged=0, failed=0, marked=3 if num == "0001" else 0)


def test_counts_per_source_and_report_file(settings, tmp_path):
    _run(tmp_path, "r1")
    summary = stages.report(settings, "r1")
    row = summary["sources"]["feed"]
    assert (row["discovered"], row["fetched"], row["processed"], row["indexed"], row["dead_lettered"]) == (20, 19, 19, 19, 1)
    assert row["docs_per_second"] == 1.9   # 19 documents over the 10 s the batches spanned
    assert row["marked"] == summary["total"]["marked"] == 3   # near duplicates marked after the loads
    assert (summary["batches"], summary["batches_loaded"]) == (2, 2)
    assert json.loads((tmp_path / "runs" / "r1" / "report.json").read_text())["total"]["indexed"] == 19
    text = stages.render_report(summary)
    assert "feed" in text and "marked" in text
    # the run's dead letters by stage and reason, with the command that shows them
    assert summary["dead_letter_records"] == 0 and "dead letters by stage" not in text
    from pipeline.deadletter import DeadLetter, write_dead_letters
    from pipeline.storage import Storage
    write_dead_letters(Storage(tmp_path), "fetch", "r1", [DeadLetter("fetch", "https://x.example/1", "http_404")])
    write_dead_letters(Storage(tmp_path), "fetch", "r0", [DeadLetter("fetch", "https://x.example/2", "timeout")])
    summary = stages.report(settings, "r1")
    assert (summary["dead_letter_records"], summary["dead_letter_reasons"]) == (1, {"fetch/http_404": 1})
    text = stages.render_report(summary)
    assert "fetch/http_404 1" in text and "newsetl deadletters --run r1 --list" in text
    # documents indexed without entities are counted and called out, without failing the run
    assert row["entity_errors"] == summary["total"]["entity_errors"] == 2
    assert "2 documents were indexed without entities" in text


def test_a_batch_that_never_loaded_fails_the_report(settings, tmp_path):
    _run(tmp_path, "r2", loads=("0000",))
    with pytest.raises(stages.IncompleteRun, match="1 of 2 batches of run r2 never finished loading"):
        stages.report(settings, "r2")
    # a dry run loads nothing by design
    assert stages.report(settings, "r2", expect_loaded=False)["batches_loaded"] == 1


def test_dead_letter_share_over_the_threshold_fails_the_report(settings, tmp_path):
    _run(tmp_path, "r3", dead=7)      # 7 of 20 = 35 % > 30 %
    with pytest.raises(stages.DeadLetterThresholdExceeded, match="35.0% of candidates"):
        stages.report(settings, "r3")
    assert stages.report(settings, "r3", fail_over_threshold=False)["total"]["dead_share"] == 0.35


def test_a_retried_discovery_that_finds_less_leaves_no_batch_of_the_first_try(tmp_path):
    import yaml

    sources = tmp_path / "sources.yaml"

    def listing(*urls: str) -> None:
        sources.write_text(yaml.safe_dump({"sources": [{"name": "list", "kind": "urls", "urls": list(urls)}]}))

    settings = load_settings(overrides={"storage": {"root": str(tmp_path / "store")},
                                        "fetch": {"sources_file": str(sources)},
                                        "ingest": {"batch_size": 2}, "index": {"record_runs": False}})
    listing(*(f"https://x.example/{i}" for i in range(5)))
    first = stages.discover(settings, "list", "r1", check_index=False)
    assert len(first) == 3
    listing("https://x.example/9")            # the task tried again after the list changed
    again = stages.discover(settings, "list", "r1", check_index=False)
    storage = stages.storage_for(settings)
    assert again == first[:1] and storage.glob("runs/r1/candidates/*/*.jsonl") == again
    assert [c["url"] for c in storage.read_jsonl(again[0])] == ["https://x.example/9"]
    assert stages.batch_progress(storage, "r1") == (1, 0)     # the report waits for the one batch handed on
