"""Bulk-load throughput: processed documents into Elasticsearch with one and with two client workers.

    .venv/bin/python benchmarks/bench_load.py [--docs 20000] [--workers 1,2] [--near-duplicates on,off] [--alike]
        [--people on,off] [--removals on,off] [--url URL] [--docs-file F.jsonl]

Documents: the fundus corpus (../shared/corpus/fundus) processed by the real processing stage (entities on),
then copied with new ids/URLs until --docs documents exist (so each is a real processed article, not a stub).
A copy's text is the article's words in another order (the same words and length, but no near duplicate of it),
unless ``--alike``: then every copy is the article's text, the worst case for the near-duplicate marking (each
document one of a group of ~docs/257). ``--near-duplicates on,off`` loads with the marking on and off;
``--people on,off`` with the people labels (pipeline.people, ``index.people_labels``) on and off;
``--removals on,off`` with and without a removed index (pipeline.removals: 1,000 removed articles and a removed
domain, none of them in the corpus, recorded before the load), so that each batch asks it about its ids.
``--docs-file`` reads/writes that processed corpus as JSONL so repeated runs skip processing.
Elasticsearch: --url, else $NEWSETL_ES_URL, else a node started with tools/elasticsearch-local/es-local on a
temporary data folder (stopped at the end). Each run loads into a fresh index (deleted afterwards) and reports
documents/s and MB/s (JSON bytes of the documents sent), measured around pipeline.load.bulk_load (incl. the
final refresh). A second load of the same documents (all unchanged) is timed too.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def processed_fundus(docs_file: str | None) -> list[dict]:
    if docs_file and os.path.exists(docs_file):
        with open(docs_file, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    from pipeline.page import Page
    from pipeline.process import process_pages
    from pipeline.settings import load_settings
    from tests.plugins.shared import FUNDUS, read_fundus_page

    rows = [json.loads(line) for line in open(FUNDUS / "manifest.jsonl", encoding="utf-8") if line.strip()]
    pages = [Page(url=r["url"], body=read_fundus_page(r), headers={"content-type": "text/html"},
                  source=r["publisher"]) for r in rows]
    docs = [d for d in process_pages(pages, load_settings().processing, entities=True) if d["status"] == "ok"]
    if docs_file:
        with open(docs_file, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return docs


def expand(base: list[dict], n: int, alike: bool = False) -> list[dict]:
    import random

    from pipeline.neardup import _WORD     # the words the marking reads (characters in Chinese and Japanese)

    out = []
    for i in range(n):
        d = dict(base[i % len(base)])
        if i >= len(base) and not alike and d.get("text"):
            words = _WORD.findall(d["text"])
            random.Random(i).shuffle(words)
            d["text"] = " ".join(words)
        d["url"] = d["canonical_url"] = f"{d['canonical_url']}#copy-{i}"
        d["id"] = hashlib.sha256(d["canonical_url"].encode()).hexdigest()
        d["content_hash"] = hashlib.sha256(f"{d['content_hash']}{i}".encode()).hexdigest()
        out.append(d)
    return out


def stop_node(state: str | None) -> None:
    """Stop the node ``start_node`` started (None: the benchmark was given one, nothing to stop)."""
    if state:
        subprocess.run(["bash", str(REPO / "tools/elasticsearch-local/es-local"), "stop", "--data", state],
                       capture_output=True, timeout=120)


@contextlib.contextmanager
def loaded_index(pool: list[dict], url: str | None = None) -> Iterator[tuple[Any, Any]]:
    """``(settings, client)`` of a fresh index (``bench-<random>-news``) on the node ``node_for(url)`` gives, with
    ``pool`` loaded (``bulk_load``: near duplicates marked, people labelled) and refreshed; afterwards its indices
    are deleted and a node started for it stopped."""
    from pipeline.admin import ensure_index
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    url, state = node_for(url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            name = f"bench-{uuid.uuid4().hex[:8]}-news"
            settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {"name": name},
                                                "storage": {"root": str(Path(tmp) / "store")}})
            client = client_from_settings(settings)
            try:
                ensure_index(client, settings)
                bulk_load(client, pool, settings, storage=Storage(settings.storage.root), run_id="bench")
                client.indices.refresh(index=name)
                yield settings, client
            finally:
                for index in client.indices.get(index=f"{name}*", expand_wildcards="all"):
                    client.indices.delete(index=index)
                client.close()
    finally:
        stop_node(state)


def node_for(url: str | None) -> tuple[str, str | None]:
    """The node a benchmark measures on: ``url`` (its --url), else $NEWSETL_ES_URL, else one ``start_node`` starts;
    ``(url, state)``, ``state`` None when the benchmark was given one (``stop_node`` then stops nothing)."""
    url = url or os.environ.get("NEWSETL_ES_URL")
    return (url, None) if url else start_node()


def start_node() -> tuple[str, str]:
    state = tempfile.mkdtemp(prefix="newsetl-bench-es-")
    p = subprocess.run(["bash", str(REPO / "tools/elasticsearch-local/es-local"), "start", "--data", state],
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        sys.exit(f"could not start the local node:\n{p.stdout}\n{p.stderr}")
    return p.stdout.strip().splitlines()[-1], state


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--url")
    ap.add_argument("--docs-file")
    ap.add_argument("--batch-bytes", type=int)
    ap.add_argument("--near-duplicates", default="on", help="on, off or on,off: the marking after the load")
    ap.add_argument("--alike", action="store_true", help="copies keep the article's text (all near duplicates)")
    ap.add_argument("--people", default="on", help="on, off or on,off: the people labels (index.people_labels)")
    ap.add_argument("--removals", default="off", help="on, off or on,off: a removed index the loader consults")
    args = ap.parse_args()

    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    t = time.monotonic()
    base = processed_fundus(args.docs_file)
    print(f"processed corpus: {len(base)} documents ({time.monotonic() - t:.1f} s)", file=sys.stderr)
    docs = expand(base, args.docs, args.alike)
    url, state = node_for(args.url)
    results = []
    try:
        runs = [(int(w), m == "on", p == "on", r == "on") for r in args.removals.split(",")
                for p in args.people.split(",") for m in args.near_duplicates.split(",") for w in args.workers.split(",")]
        for workers, marking, people, removals in runs:
            name = f"bench-{uuid.uuid4().hex[:8]}-news"
            over = {"elasticsearch": {"url": url},
                    "index": {"name": name, "people_labels": people,
                              "load": {"workers": workers, "near_duplicates": marking}}}
            if args.batch_bytes:
                over["index"]["load"]["batch_bytes"] = args.batch_bytes
            settings = load_settings(overrides=over)
            client = client_from_settings(settings)
            with tempfile.TemporaryDirectory() as tmp:
                storage = Storage(tmp)
                from pipeline.admin import ensure_index

                ensure_index(client, settings)  # not part of the measurement
                if removals:
                    from pipeline.removals import remove

                    gone = [hashlib.sha256(f"gone-{i}".encode()).hexdigest() for i in range(1000)]
                    remove(client, settings, ids=gone, domains=["removed.example"], reason="benchmark")
                r1 = bulk_load(client, docs, settings, storage=storage, run_id="bench")
                r2 = bulk_load(client, docs, settings, storage=storage, run_id="bench2")
            client.indices.delete(index=",".join(client.indices.get(index=f"{name}-v*")))
            if people:
                client.indices.delete(index=settings.index.people_index_name)
            if removals:
                client.indices.delete(index=settings.index.removed_index_name)
            client.indices.delete_index_template(name=name)
            for ct in ("settings", "mappings"):
                client.cluster.delete_component_template(name=f"{name}-{ct}")
            client.close()
            row = {"workers": workers, "near_duplicates": marking, "people": people, "removals": removals,
                   "alike": args.alike, "removed": r1.removed,
                   "marked": r1.marked, "relabelled": r1.relabelled,
                   "marking_seconds": r1.marking_seconds,
                   "docs": len(docs), "created": r1.created, "failed": r1.failed,
                   "seconds": r1.seconds, "docs_per_s": round(r1.created / r1.seconds, 1),
                   "mb_per_s": round(r1.bytes / r1.seconds / 1e6, 2), "mb": round(r1.bytes / 1e6, 1),
                   "unchanged_run_docs_per_s": round(r2.unchanged / r2.seconds, 1), "batches": r1.batches,
                   "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
            results.append(row)
            print(f"workers={workers} removals={'on' if removals else 'off'} people={'on' if people else 'off'} "
                  f"(relabelled {r1.relabelled}) "
                  f"near_duplicates={'on' if marking else 'off'} (marked {r1.marked} in "
                  f"{r1.marking_seconds} s): "
                  f"{row['created']} docs, {row['mb']} MB in {row['seconds']} s -> "
                  f"{row['docs_per_s']} docs/s, {row['mb_per_s']} MB/s; re-run (all unchanged) "
                  f"{row['unchanged_run_docs_per_s']} docs/s")
    finally:
        stop_node(state)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
