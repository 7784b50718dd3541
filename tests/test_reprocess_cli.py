"""`newsetl reprocess` (pipeline.stages.reprocess_pipeline, what the news_reprocess DAG does): the archived demo
pages replayed into a new index version with the aliases swapped, or only some sites' pages updated in place after
a site rule was added. Real Elasticsearch node, real archive, no network."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
GAZETTE = "gazette.demo.newsetl.example"
pytestmark = pytest.mark.es


def _config(path: Path, tmp_path: Path, es_url: str, prefix: str, rules: dict | None = None) -> Path:
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "demo", "kind": "files",
                                                    "path": str(REPO / "config/demo/pages"),
                                                    "url_map": str(REPO / "config/demo/urls.json")}]}))
    path.write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "storage")}, "elasticsearch": {"url": es_url},
        "index": {"name": f"{prefix}news"}, "fetch": {"sources_file": str(sources)},
        "processing": {"workers": 1, "extraction": {"site_rules": rules or {}}},
        "ingest": {"dead_letter_threshold": 1.0}}))
    return path


def _cli(cfg: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_ES_")}
    return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=900)


def _docs(es, alias: str) -> dict[str, dict]:
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, size=100, seq_no_primary_term=True, query={"match_all": {}})["hits"]["hits"]
    return {h["_source"]["url"]: {"_seq_no": h["_seq_no"], "_index": h["_index"], **h["_source"]} for h in hits}


def test_replay_in_place_for_one_site_then_into_a_new_version(tmp_path, es_url, es_client, es_prefix):
    from pipeline.settings import load_settings
    from pipeline.stages import run_pipeline

    plain = _config(tmp_path / "plain.yaml", tmp_path, es_url, es_prefix)
    run_pipeline(load_settings(plain), run_id="first")
    alias = f"{es_prefix}news"
    before = _docs(es_client, alias)
    pages = len(json.loads((REPO / "config/demo/urls.json").read_text()))
    gazette = {u for u in before if f"//{GAZETTE}/" in u}
    # the links of each gazette page's header: what the rule below takes as its tags
    files = {url: name for name, url in json.loads((REPO / "config/demo/urls.json").read_text()).items()}
    nav = {u: [a.text_content() for a in lxml.html.parse(str(REPO / "config/demo/pages" / files[u])).xpath(
        "//header[@class='site-header']/nav/a")] for u in gazette}
    assert len(before) == pages and len(gazette) == 3 and all(before[u]["tags"] != nav[u] for u in gazette)

    # a rule for the gazette, replayed in place for that site only: its three documents are written again with the
    # rule's tags (which the content hash does not cover), the others are not touched, no new index is made
    ruled = _config(tmp_path / "ruled.yaml", tmp_path, es_url, es_prefix,
                    {GAZETTE: {"tags": "header.site-header nav a"}})
    p = _cli(ruled, "reprocess", "--in-place", "--site", GAZETTE, "--json")
    assert p.returncode == 0, p.stderr[-3000:]
    summary = json.loads(p.stdout)
    assert summary["reprocess"] == {"index": f"{alias}-write", "swapped": False, "in_place": True}
    assert (summary["total"]["processed"], summary["total"]["indexed"], summary["total"]["unchanged"]) == (3, 3, 0)
    after = _docs(es_client, alias)
    assert {u: after[u]["tags"] for u in gazette} == nav
    assert all(after[u]["_seq_no"] == before[u]["_seq_no"] for u in before if u not in gazette)
    assert {d["_index"] for d in after.values()} == {d["_index"] for d in before.values()}

    # the whole archive into a new version, aliases swapped: the same documents, the rule still applied
    p = _cli(ruled, "reprocess")
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.rstrip().endswith(f"aliases moved to {alias}-v2")
    assert set(es_client.indices.get_alias(name=alias)) == {f"{alias}-v2"}
    again = _docs(es_client, alias)
    assert set(again) == set(before) and {u: again[u]["tags"] for u in gazette} == nav

    # only the gazette into a new version, aliases swapped: before the swap the other sites' documents are copied
    # over as they were, so nothing leaves the search (a replay of some sites or days used to drop all the others)
    p = _cli(ruled, "reprocess", "--site", GAZETTE, "--json")
    assert p.returncode == 0, p.stderr[-3000:]
    done = json.loads(p.stdout)["reprocess"]
    assert (done["index"], done["carried"]) == (f"{alias}-v3", len(before) - len(gazette))
    third = _docs(es_client, alias)
    assert set(third) == set(before) and {d["_index"] for d in third.values()} == {f"{alias}-v3"}
    kept = ("title", "text", "authors", "tags", "entities", "places", "duplicate_of", "copies")
    assert all({k: third[u].get(k) for k in kept} == {k: again[u].get(k) for k in kept} for u in before)
    assert all(third[u]["indexed_at"] == again[u]["indexed_at"] for u in before if u not in gazette)
    # the demo's story published twice: the gazette's page (replayed) is still the original of the other site's
    # copy (carried over), and counts it
    (original,) = [u for u in gazette if "aberdeen" in u]
    (copy,) = [u for u in before if third[u].get("duplicate_of")]
    assert third[copy]["duplicate_of"] == third[original]["id"] and third[original]["copies"] == 1


def test_a_run_keeps_one_worker_pool_from_batch_to_batch_and_ends_it(tmp_path, es_url, es_prefix):
    # three batches of the demo's pages through two workers: the same two worker processes serve every batch (their
    # NER models loaded once: the run's batches are one group, stages.process_group), and none is left when the run
    # ends
    from pipeline.settings import load_settings
    from pipeline.stages import run_pipeline
    from tests.procutil import live_pool_workers, watching_pool_workers

    cfg = _config(tmp_path / "pool.yaml", tmp_path, es_url, es_prefix)
    data = yaml.safe_load(cfg.read_text())
    data["processing"].update(workers=2, chunksize=1)
    data["ingest"]["batch_size"] = 5
    cfg.write_text(yaml.safe_dump(data))

    with watching_pool_workers() as seen:
        summary = run_pipeline(load_settings(cfg), run_id="pooled")
    pages = len(json.loads((REPO / "config/demo/urls.json").read_text()))
    assert summary["total"]["processed"] == pages and summary["batches"] == 3
    assert len(seen) == 2, seen
    assert not live_pool_workers()


@pytest.mark.parametrize("args,words", [
    (["--in-place", "--no-swap"], "--no-swap is for a new index version"),
    (["--site", "https://example.com/x"], "--site: 'https://example.com/x' is not a host name"),
])
def test_unusable_arguments_exit_2_with_one_line(tmp_path, es_url, args, words):
    p = _cli(_config(tmp_path / "c.yaml", tmp_path, es_url, "unused-"), "reprocess", *args)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and words in p.stderr, p.stderr
