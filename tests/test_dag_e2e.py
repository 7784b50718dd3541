"""End to end through real Airflow (``dag.test()``), a real HTTP server on 127.0.0.1 and the real local
Elasticsearch node: news_ingest twice, a load killed half-way and re-run, news_reprocess with searches running,
and ``newsetl run`` giving the same index contents as the DAG.

The feed serves pages of ../shared/corpus/fundus and the seed article wrapped in a minimal HTML page.
"""
from __future__ import annotations

import html
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from tests.plugins.es import delete_by_prefix
from tests.plugins.httpserver import NewsServer, Reply, rss_feed
from tests.plugins.shared import load_fundus_manifest, read_fundus_page

pytestmark = [pytest.mark.es, pytest.mark.airflow, pytest.mark.shared, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
N_FUNDUS = 24          # a spread of languages; enough for several mapped batches of 8
VOLATILE = {"processed_at", "fetched_at", "indexed_at", "_seq_no"}   # differ between two runs by design


NER_LANGUAGES = ("en", "fr", "ru", "de", "es")     # config/newsetl.yaml's entity models


def stable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in VOLATILE}


def _pick_fundus(rows: list[dict], n: int) -> list[dict]:
    """A deterministic spread: round-robin over languages, so the ones with NER models are included."""
    by_lang: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: r["file"]):
        by_lang.setdefault(r.get("language") or "und", []).append(r)
    out, i = [], 0
    langs = sorted(by_lang, key=lambda l: (l not in NER_LANGUAGES, l))
    while len(out) < n and any(by_lang.values()):
        lang = langs[i % len(langs)]
        if by_lang[lang]:
            out.append(by_lang[lang].pop(0))
        i += 1
    return out


def _seed_html(seed: str) -> bytes:
    lines = [ln.strip() for ln in seed.strip().splitlines()]
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in "\n".join(lines).split("\n\n") if p.strip()
                      and not p.startswith("http"))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Lukashenko suggests Russia join "
            f"Belarus</title></head><body><article><h1>Lukashenko suggests Russia join Belarus</h1>{paras}"
            f"</article></body></html>").encode()


class Env:
    """Config files, server and index names of one pipeline 'installation' used by the tests."""

    def __init__(self, tmp: Path, es_url: str, feed_url: str, prefix: str, name: str):
        self.tmp = tmp
        self.index = f"{prefix}{name}"
        self.storage = tmp / f"storage-{name}"
        self.config = tmp / f"newsetl-{name}.yaml"
        self.sources = tmp / f"sources-{name}.yaml"
        self.config.write_text(yaml.safe_dump({
            "storage": {"root": str(self.storage)},
            "elasticsearch": {"url": es_url},
            "index": {"name": self.index, "load": {"batch_docs": 5}},
            "fetch": {"min_delay": 0.02, "allow_addresses": ["127.0.0.1"], "backoff_base": 0.05,
                      "read_timeout": 5, "total_timeout": 20, "max_retries": 1},
            "processing": {"workers": 2},
            "ingest": {"batch_size": 8, "dead_letter_threshold": 0.5},
        }))
        self.sources.write_text(yaml.safe_dump({"sources": [
            {"name": "e2e", "kind": "rss", "url": feed_url, "tags": ["test"]}]}))

    def environ(self) -> dict[str, str]:
        return {"NEWSETL_CONFIG": str(self.config), "NEWSETL_SOURCES": str(self.sources)}

    def settings(self):
        from pipeline.settings import load_settings

        return load_settings(self.config)


@pytest.fixture(scope="module")
def world(es_url, es_client, airflow_db, tmp_path_factory, corenlp_url):
    rows = _pick_fundus(load_fundus_manifest(), N_FUNDUS)
    from tests.plugins.shared import SEED_DIR, require_shared

    require_shared(SEED_DIR)
    seed = sorted(SEED_DIR.glob("*.txt"))[0].read_text(encoding="utf-8")
    srv = NewsServer(1)
    served = srv.serve_fundus(rows, read_fundus_page, prefix="/news")
    seed_url = srv.route("/news/seed/lukashenko-union-state.html", Reply(body=_seed_html(seed))) or \
        srv.url("/news/seed/lukashenko-union-state.html")
    now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    items = [{"url": u, "title": r["title"], "date": format_datetime(now - timedelta(minutes=i))}
             for i, (u, r) in enumerate(served)]
    items.append({"url": seed_url, "title": "Lukashenko suggests Russia join Belarus", "date": format_datetime(now)})
    gone_url = srv.route("/news/gone.html", Reply(status=404, body=b"not here"))   # one page the feed lists is gone
    items.append({"url": gone_url, "title": "Gone", "date": format_datetime(now - timedelta(hours=1))})
    srv.route("/feed.xml", Reply(body=rss_feed(items), content_type="application/rss+xml", etag='"feed-v1"'))
    prefix = f"e2e-{uuid.uuid4().hex[:8]}-"
    tmp = tmp_path_factory.mktemp("e2e")
    w = {"server": srv, "rows": rows, "served": served, "seed_url": seed_url, "gone_url": gone_url,
         "urls": [i["url"] for i in items],
         "prefix": prefix, "es": es_client,
         "dag": Env(tmp, es_url, srv.url("/feed.xml"), prefix, "dag"),
         "cli": Env(tmp, es_url, srv.url("/feed.xml"), prefix, "cli")}
    yield w
    srv.close()
    delete_by_prefix(es_client, prefix)


def _load_dag(path: Path, env: Env, monkeypatch):
    for k, v in env.environ().items():
        monkeypatch.setenv(k, v)
    name = f"dag_{path.stem}_{uuid.uuid4().hex[:6]}"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from airflow.sdk import DAG

    dags = [v for v in vars(mod).values() if isinstance(v, DAG)]
    assert len(dags) == 1, f"{path.name} should define exactly one DAG"
    return mod, dags[0]


def _run_dag(dag_file: str, env: Env, conf: dict | None = None, extra_env: dict | None = None):
    """Parse the DAG file with ``env``'s config (as the dag-processor would) and run it once with dag.test()."""
    with pytest.MonkeyPatch.context() as mp:
        for k, v in (extra_env or {}).items():
            mp.setenv(k, v)
        _, dag = _load_dag(REPO / "dags" / dag_file, env, mp)
        return dag.test(run_conf=conf or {})


def _all_docs(es, index: str) -> dict[str, dict]:
    es.indices.refresh(index=index)
    out = {}
    resp = es.search(index=index, query={"match_all": {}}, size=1000, seq_no_primary_term=True,
                     sort=[{"id": "asc"}])
    for h in resp["hits"]["hits"]:
        assert h["_id"] not in out
        out[h["_id"]] = {"_seq_no": h["_seq_no"], **h["_source"]}
    return out


def _report(env: Env, dr) -> dict:
    from pipeline.dagkit import safe_run_id

    p = env.storage / "runs" / safe_run_id(dr.run_id) / "report.json"
    return json.loads(p.read_text())


def _run_row(es, env: Env, report: dict) -> dict:
    runs = env.settings().index.runs_index_name
    es.indices.refresh(index=runs)
    return es.get(index=runs, id=f"{report['run_id']}/e2e")["_source"]


def _dead_letters(env: Env, dr) -> list[dict]:
    from pipeline.dagkit import safe_run_id
    from pipeline.deadletter import read_dead_letters
    from pipeline.storage import Storage

    return list(read_dead_letters(Storage(env.storage), run=safe_run_id(dr.run_id)))


@pytest.fixture(scope="module")
def first_run(world):
    return _run_dag("news_ingest.py", world["dag"])


def test_first_run_indexes_every_article(world, first_run):
    es, env = world["es"], world["dag"]
    assert first_run.state == "success"
    rep = _report(env, first_run)
    tot = rep["total"]
    n = len(world["urls"])
    docs = _all_docs(es, env.index)
    letters = _dead_letters(env, first_run)

    # every URL of the feed ends either indexed or dead-lettered with a reason — nothing vanishes
    indexed_urls = {d["url"] for d in docs.values()}
    dead_urls = {l["key"] for l in letters}
    assert set(world["urls"]) == indexed_urls | dead_urls
    assert not indexed_urls & dead_urls
    assert all(l["reason"] for l in letters)

    # the report's counts match what happened
    assert tot["discovered"] == n and tot["fetched"] == n - 1
    assert (world["gone_url"], "fetch", "http_404") in {(d["key"], d["stage"], d["reason"]) for d in letters}
    assert tot["processed"] == len(docs) == tot["indexed"]
    assert tot["dead_lettered"] == len(letters) == rep["dead_letter_records"]
    assert tot["unchanged"] == 0
    assert tot["entity_errors"] == 0       # every language with a model got its entities (de: the CoreNLP server)
    assert len(docs) >= n * 0.8
    # the run is in the runs index (Kibana's Source health): one row for its one source, the report's counts
    row = _run_row(es, env, rep)
    assert (row["indexed"], row["dead_lettered"], row["kind"], row["stale"]) == (
        tot["indexed"], tot["dead_lettered"], "ingest", False)
    # and so are its dead letters, one document each, with their reasons (Kibana charts them by reason and host)
    letters_index = env.settings().index.dead_letters_index_name
    es.indices.refresh(index=letters_index)
    indexed_letters = [h["_source"] for h in es.search(index=letters_index, size=100, query={
        "term": {"run_id": rep["run_id"]}})["hits"]["hits"]]
    assert sorted((d["key"], d["stage_reason"]) for d in indexed_letters) == sorted(
        (d["key"], f"{d['stage']}/{d['reason']}") for d in letters)

    # language and entities on every document; the ones with a NER model got entities
    by_url = {d["url"]: d for d in docs.values()}
    truth = {u: r.get("language") for u, r in world["served"]}
    agree = [by_url[u]["language"] == lang for u, lang in truth.items() if lang and u in by_url]
    assert sum(agree) >= len(agree) - 1, "language disagrees with the corpus on more than one page"
    for d in docs.values():
        assert d["language"] and d["language"] != "und"
        assert set(d["entities"]) == {"person", "organization", "location", "misc"}
        if d["language"] in NER_LANGUAGES:   # de, es: the CoreNLP server
            assert d["entities_status"] == "ok"
            assert any(d["entities"].values()), d["url"]

    # searchable: the seed article by its entity and a title word
    from pipeline.search import search

    res = search(es, env.settings(), "Lukashenko", entities=[("person", "Vladimir Putin")])
    assert [h["url"] for h in res["hits"]] == [world["seed_url"]]
    seed = by_url[world["seed_url"]]
    assert seed["language"] == "en"
    assert {"Alexander Lukashenko", "Vladimir Putin"} <= set(seed["entities"]["person"])


def test_second_run_adds_and_rewrites_nothing(world, first_run, es_url):
    es, env, srv = world["es"], world["dag"], world["server"]
    before = _all_docs(es, env.index)
    srv.reset_log()
    # inside Airflow the client comes from the connection elasticsearch_default: the config's URL is made useless
    # (a closed port) for this run, so the run can only succeed through the connection
    from urllib.parse import urlsplit

    from tests.netutil import free_port

    u = urlsplit(es_url)
    conn = json.dumps({"conn_type": "elasticsearch", "host": f"{u.scheme}://{u.hostname}", "port": u.port})
    dr = _run_dag("news_ingest.py", env, extra_env={"AIRFLOW_CONN_ELASTICSEARCH_DEFAULT": conn,
                                                    "NEWSETL_ES_URL": f"http://127.0.0.1:{free_port()}"})
    assert dr.state == "success"
    after = _all_docs(es, env.index)
    assert after == before                       # same documents, same _seq_no: nothing rewritten
    rep = _report(env, dr)["total"]
    assert rep["fetched"] == rep["indexed"] == 0
    # the report reached the runs index through the connection too (the feed was not modified: nothing discovered)
    row = _run_row(es, env, _report(env, dr))
    assert (row["run_id"], row["discovered"], row["indexed"]) == (_report(env, dr)["run_id"], rep["discovered"], 0)
    # no article was requested again; the feed was asked conditionally
    paths = [r.path for r in srv.requests()]
    assert all(not p.startswith("/news/") for p in paths), paths
    feed = srv.requests(path="/feed.xml")
    assert feed and feed[-1].headers.get("if-none-match") == '"feed-v1"'


def test_load_killed_half_way_and_rerun_loses_and_duplicates_nothing(world, first_run, tmp_path):
    """A load task SIGKILLed after part of its batch reached the index, then re-run on the same batch."""
    from pipeline.dagkit import safe_run_id

    es, env = world["es"], world["dag"]
    settings = env.settings()
    run = safe_run_id(first_run.run_id)
    batches = sorted((env.storage / "runs" / run / "docs").glob("*/*.jsonl"))
    lines = [l for b in batches for l in b.read_text().splitlines() if l.strip()]
    assert len(lines) >= 10
    # the batch, as one file under the storage root (what a load task reads)
    rel = f"runs/{run}/docs/killtest/0000.jsonl"
    (env.storage / rel).parent.mkdir(parents=True, exist_ok=True)
    (env.storage / rel).write_text("\n".join(lines) + "\n")
    target = f"{env.index}-v90"        # matches the index template: same settings and mappings, no alias
    es.indices.create(index=target)
    try:
        _kill_and_rerun(es, env, settings, run, rel, lines, target, tmp_path)
    finally:
        es.indices.delete(index=target)


def _kill_and_rerun(es, env, settings, run, rel, lines, target, tmp_path):
    from pipeline import stages


    # the killed attempt reads its batch through a FIFO: we feed half the documents, wait until they are in the
    # index, then SIGKILL the task in the middle of its batch
    fifo_rel = f"runs/{run}/docs/killtest/0001.jsonl"
    fifo = env.storage / fifo_rel
    os.mkfifo(fifo)
    code = ("import sys; from pipeline import stages; from pipeline.settings import load_settings; "
            "s = load_settings(sys.argv[1]); "
            "stages.load_batch(s, sys.argv[2], sys.argv[3], index=sys.argv[4])")
    proc = subprocess.Popen([sys.executable, "-c", code, str(env.config), fifo_rel, run + "-killed", target],
                            cwd=REPO, env={**os.environ, **env.environ()})
    half = len(lines) // 2
    fd, deadline = None, time.time() + 120
    while fd is None:  # opening a FIFO for writing needs its reader: wait for the task, but not forever
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            assert proc.poll() is None, "the load task died before reading its batch"
            assert time.time() < deadline, "the load task never opened its batch"
            time.sleep(0.05)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines[:half]) + "\n")
        f.flush()
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            es.indices.refresh(index=target)
            if es.count(index=target)["count"] >= 5:   # at least one bulk request of batch_docs=5 landed
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the load task ended before it was killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    es.indices.refresh(index=target)
    partial = es.count(index=target)["count"]
    assert 0 < partial < len(lines)

    # the retry: the same task over the whole batch
    res = stages.load_batch(settings, rel, run + "-retry", index=target)
    es.indices.refresh(index=target)
    ids = [json.loads(l)["id"] for l in lines]
    assert es.count(index=target)["count"] == len(set(ids)) == len(ids)
    assert res["unchanged"] == partial and res["created"] == len(ids) - partial and res["failed"] == 0


def test_reprocess_builds_v2_and_swaps_while_searching(world, first_run):
    es, env = world["es"], world["dag"]
    before = _all_docs(es, env.index)
    old = set(es.indices.get_alias(name=env.index))
    errors, counts, stop = [], [], threading.Event()

    def searcher():
        from elasticsearch import Elasticsearch

        c = Elasticsearch(es.transport.node_pool.get().base_url)
        while not stop.is_set():
            try:
                counts.append(c.count(index=env.index)["count"])
                c.search(index=env.index, query={"match": {"text": "the"}}, size=1)
            except Exception as e:  # any failed search during the swap is a failure
                errors.append(repr(e))
            time.sleep(0.02)

    t = threading.Thread(target=searcher, daemon=True)
    t.start()
    try:
        dr = _run_dag("news_reprocess.py", env)
    finally:
        stop.set()
        t.join(10)
    assert dr.state == "success"
    assert errors == []
    assert counts and min(counts) == max(counts) == len(before)
    new = set(es.indices.get_alias(name=env.index))
    assert new != old and new == {f"{env.index}-v2"}
    after = _all_docs(es, env.index)
    assert set(after) == set(before)
    assert all(stable(after[i]) == stable(before[i]) for i in before)


def test_reprocess_in_place_for_one_site_updates_the_current_index(world, first_run):
    """news_reprocess with {"in_place": true, "sites": [the test server's host]}: no new version, no swap; every
    replayed document written again into the index the aliases point at, with the same content."""
    es, env = world["es"], world["dag"]
    before = _all_docs(es, env.index)
    aliases = es.indices.get_alias(name=env.index)
    dr = _run_dag("news_reprocess.py", env, conf={"in_place": True, "sites": ["127.0.0.1"]})
    assert dr.state == "success"
    assert es.indices.get_alias(name=env.index) == aliases
    after = _all_docs(es, env.index)
    assert set(after) == set(before) and all(stable(after[i]) == stable(before[i]) for i in before)
    assert all(after[i]["_seq_no"] > before[i]["_seq_no"] for i in before)      # written again
    assert _report(env, dr)["total"]["indexed"] == len(before)


def test_newsetl_run_gives_the_same_index_as_the_dag(world, first_run):
    es, dag_env, cli_env = world["es"], world["dag"], world["cli"]
    proc = subprocess.run([str(Path(sys.executable).with_name("newsetl")), "run", "--json"], cwd=REPO,
                          env={**os.environ, **cli_env.environ()}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["total"]["discovered"] == len(world["urls"])
    dag_docs, cli_docs = _all_docs(es, dag_env.index), _all_docs(es, cli_env.index)
    assert set(dag_docs) == set(cli_docs)
    diffs = [i for i in dag_docs if stable(dag_docs[i]) != stable(cli_docs[i])]
    assert not diffs, (stable(dag_docs[diffs[0]]), stable(cli_docs[diffs[0]]))


def test_a_later_run_prunes_the_batches_of_old_complete_runs(world, first_run):
    """The prune task, beside the report: the first run's report made eight days old, the next run removes its
    batches (the default keeps them 7 days) and keeps its report, results and archive. Last in this file: the tests
    above read the first run's batches."""
    from pipeline.dagkit import safe_run_id

    env = world["dag"]
    run = env.storage / "runs" / safe_run_id(first_run.run_id)
    assert list(run.glob("docs/*/*.jsonl")) and list(run.glob("candidates/*/*.jsonl"))
    old = time.time() - 8 * 86400
    os.utime(run / "report.json", (old, old))
    dr = _run_dag("news_ingest.py", env)
    assert dr.state == "success"
    ti = dr.get_task_instance("prune")
    assert ti.state == "success"
    assert not [p for kind in ("candidates", "pages", "docs") for p in run.glob(f"{kind}/**/*") if p.is_file()]
    assert (run / "report.json").is_file() and list(run.glob("results/*/*.json"))
    assert list((env.storage / "archive").rglob("*.warc.gz"))
    assert (env.storage / "runs" / safe_run_id(dr.run_id) / "report.json").is_file()
