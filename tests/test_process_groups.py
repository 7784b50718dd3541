"""The DAGs' process and load tasks over groups of fetched batches (pipeline.stages.process_groups, process_group,
load_group): one worker pool a group, every batch still with its own documents file, results and report rows.
Real worker processes, real archive of the demo pages, real Elasticsearch node."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pipeline import stages
from pipeline.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


def _config(tmp_path: Path, es_url: str = "http://127.0.0.1:1", prefix: str = "unused-", **ingest) -> Path:
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "demo", "kind": "files",
                                                    "path": str(REPO / "config/demo/pages"),
                                                    "url_map": str(REPO / "config/demo/urls.json")}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "storage")}, "elasticsearch": {"url": es_url},
        "index": {"name": f"{prefix}news"}, "fetch": {"sources_file": str(sources)},
        "processing": {"workers": 2, "chunksize": 1},
        "ingest": {"dead_letter_threshold": 1.0, **ingest}}))
    return cfg


def test_batches_are_grouped_in_order_up_to_the_page_limit(tmp_path):
    settings = load_settings(_config(tmp_path, process_group_pages=100))
    storage = stages.storage_for(settings)
    sizes = [30, 50, 20, 0, 10, 250, 40, 60, 1]
    paths = []
    for i, n in enumerate(sizes):
        rel = f"runs/r/pages/demo/{i:04d}.jsonl"
        storage.write_jsonl(rel, ({"warc_ref": f"x.warc.gz#{k}"} for k in range(n)))
        paths.append(rel)
    groups = stages.process_groups(settings, paths)
    # 30+50+20 fill a group; the empty batch joins it; a batch over the limit is a group alone
    assert [[sizes[paths.index(p)] for p in g] for g in groups] == [[30, 50, 20, 0], [10], [250], [40, 60], [1]]
    assert [p for g in groups for p in g] == paths
    one = load_settings(_config(tmp_path, process_group_pages=1))      # each batch alone, the empty one aside
    assert [[sizes[paths.index(p)] for p in g] for g in stages.process_groups(one, paths)] == [
        [30], [50], [20, 0], [10], [250], [40], [60], [1]]
    assert stages.process_groups(settings, []) == []


@pytest.mark.es
def test_a_group_is_processed_by_one_pool_and_loaded_batch_by_batch(tmp_path, es_url, es_prefix):
    from tests.procutil import live_pool_workers, watching_pool_workers

    settings = load_settings(_config(tmp_path, es_url, es_prefix, batch_size=5, process_group_pages=10))
    run_id = "grouped"
    stages.ensure_index(settings)
    pages = [stages.fetch_batch(settings, b, run_id)
             for b in stages.run_batches(settings, run_id, [stages.discover(settings, "demo", run_id)])]
    urls = json.loads((REPO / "config/demo/urls.json").read_text())
    storage = stages.storage_for(settings)

    def count(rel: str) -> int:
        with storage.open(rel, "r", encoding="utf-8") as f:
            return sum(1 for line in f if line.strip())

    assert [count(p) for p in pages] == [5, 5, 4] and len(urls) == 14
    groups = stages.process_groups(settings, pages)
    assert groups == [pages[:2], pages[2:]]

    seen: list[set[int]] = []
    docs = []
    for group in groups:
        with watching_pool_workers() as workers:
            docs.append(stages.process_group(settings, group, run_id))
        seen.append(workers)
        assert not live_pool_workers()       # the group's pool ended with the task
    # one pool of two workers for the two batches of the first group, another for the second
    assert [len(s) for s in seen] == [2, 2] and not seen[0] & seen[1], seen
    # each batch its own documents file and result, as a task a batch wrote them
    assert [[count(d) for d in g] for g in docs] == [[5, 5], [4]]
    assert [d.split("/")[-3:] for d in docs[0]] == [["docs", "demo", "0000.jsonl"], ["docs", "demo", "0001.jsonl"]]
    loaded = [stages.load_group(settings, g, run_id) for g in docs]
    assert [(r["batches"], r["created"], r["failed"]) for r in loaded] == [(2, 10, 0), (1, 4, 0)]
    assert loaded[0]["indexes"] == loaded[1]["indexes"] == [f"{es_prefix}news-write"]     # the write alias
    rep = stages.report(settings, run_id, fail_over_threshold=False)
    assert (rep["total"]["fetched"], rep["total"]["processed"], rep["total"]["indexed"]) == (14, 14, 14)
    # a retried group loads nothing twice
    again = stages.load_group(settings, docs[0], run_id)
    assert (again["created"], again["unchanged"]) == (0, 10)


@pytest.mark.es
def test_a_group_of_small_batches_and_an_empty_one_keeps_both_workers_busy(tmp_path, es_url, es_prefix):
    # batches of 3 pages, each under what process_pages hands to a pool (workers × chunksize: 8 here, as by
    # default), so each alone would be processed in the calling process on one core: the group's pages go through
    # the pool as one stream. An empty batch among them gets its empty documents file and its result
    from tests.procutil import live_pool_workers, watching_pool_workers

    settings = load_settings(_config(tmp_path, es_url, es_prefix, batch_size=3, process_group_pages=100))
    settings.processing.chunksize = 4
    run_id = "small"
    pages = [stages.fetch_batch(settings, b, run_id)
             for b in stages.run_batches(settings, run_id, [stages.discover(settings, "demo", run_id)])]
    storage = stages.storage_for(settings)
    empty = f"runs/{run_id}/pages/demo/0099.jsonl"
    storage.write_jsonl(empty, iter(()))
    group = pages[:2] + [empty] + pages[2:]
    assert stages.process_groups(settings, group) == [group]

    with watching_pool_workers() as seen:
        docs = stages.process_group(settings, group, run_id)
    assert len(seen) == 2 and not live_pool_workers(), seen
    counts = []
    for d in docs:
        with storage.open(d, "r", encoding="utf-8") as f:
            counts.append(sum(1 for line in f if line.strip()))
    assert counts == [3, 3, 0, 3, 3, 2] and docs[2].endswith("/docs/demo/0099.jsonl")
    results = {(r["stage"], r["batch"]): r for r in stages.read_results(storage, run_id)}
    assert results[("process", "0099")]["processed"] == 0
    assert sum(r["processed"] for (stage, _), r in results.items() if stage == "process") == 14
    # the same documents as a batch at a time
    alone = stages.process_batch(settings, pages[0], run_id + "-alone")
    with storage.open(alone, "r", encoding="utf-8") as f, storage.open(docs[0], "r", encoding="utf-8") as g:
        mine, theirs = ([json.loads(line) for line in h if line.strip()] for h in (f, g))
    drop = ("processed_at",)
    assert [{k: v for k, v in d.items() if k not in drop} for d in mine] == [
        {k: v for k, v in d.items() if k not in drop} for d in theirs]
    # newsetl run and reprocess: the run's batches as one group, with the progress bar moved on batch by batch
    import io

    with stages._progress() as bar:
        bar.console.file = io.StringIO()
        outs = stages._process_all(bar, settings, run_id + "-bar", group)
        (task,) = bar.tasks
        assert (task.description, task.total, task.completed) == ("process", 6, 6)
    assert [o.rsplit("/", 1)[1] for o in outs] == [d.rsplit("/", 1)[1] for d in docs]
