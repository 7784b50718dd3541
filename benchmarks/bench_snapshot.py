"""What snapshots cost (pipeline.snapshots: news_snapshot, `newsetl index snapshot|restore`), in one run of this
script against one node:

    .venv/bin/python benchmarks/bench_snapshot.py [--docs 20000] [--new 1000] [--docs-file F.jsonl]

Documents: the processed fundus corpus copied to --docs documents (benchmarks/bench_load.py: ``processed_fundus``,
``expand``), loaded with the people labels and the near-duplicate marking, as news_ingest's load does. Then, each
timed:

1. the first snapshot (every segment copied into the fs repository);
2. a load of --new new documents, then a second snapshot: incremental, only the new segments are copied;
3. a third snapshot with nothing new;
4. every index deleted, and the newest snapshot restored (``restore``: indices, aliases, template).

The repository's size on disk is given after each snapshot. The node is started with tools/elasticsearch-local/es-local
on a temporary folder (its path.repo) and stopped at the end; an external node cannot be measured on disk.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import expand, processed_fundus, start_node, stop_node  # noqa: E402


def du_bytes(path: str) -> int:
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True, check=True).stdout.split()[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--docs-file")
    args = ap.parse_args()

    from pipeline.admin import ensure_index
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.snapshots import create, restore
    from pipeline.storage import Storage

    pool = expand(processed_fundus(args.docs_file), args.docs + args.new)
    first, rest = pool[:args.docs], pool[args.docs:]
    url, state = start_node()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            name = f"bench-{uuid.uuid4().hex[:8]}-news"
            settings = load_settings(overrides={
                "elasticsearch": {"url": url}, "storage": {"root": str(Path(tmp) / "store")},
                "index": {"name": name},
                "snapshots": {"repository": f"{name}-repo", "type": "fs", "settings": {"location": f"{name}-repo"},
                              "keep": 10}})
            client = client_from_settings(settings)
            node = next(iter(client.nodes.info(metric="settings")["nodes"].values()))
            repo_dir = str(Path(node["settings"]["path"]["repo"][0]) / f"{name}-repo")
            storage = Storage(settings.storage.root)
            ensure_index(client, settings)
            t = time.perf_counter()
            bulk_load(client, first, settings, storage=storage, run_id="first")
            rows.append({"what": f"load of {len(first)} documents", "seconds": round(time.perf_counter() - t, 2)})

            def snap(what: str) -> None:
                t = time.perf_counter()
                res = create(client, settings)
                rows.append({"what": what, "seconds": round(time.perf_counter() - t, 2), "state": res["state"],
                             "indices": len(res["indices"]), "repository_mb": round(du_bytes(repo_dir) / 2**20, 1)})
                time.sleep(1.1)         # snapshot names are to the second

            snap("first snapshot")
            t = time.perf_counter()
            bulk_load(client, rest, settings, storage=storage, run_id="new")
            rows.append({"what": f"load of {len(rest)} new documents", "seconds": round(time.perf_counter() - t, 2)})
            snap(f"second snapshot (after {len(rest)} new)")
            snap("third snapshot (nothing new)")
            for index in client.indices.get(index=f"{name}*", expand_wildcards="all"):
                client.indices.delete(index=index)
            t = time.perf_counter()
            res = restore(client, settings)
            count = client.count(index=name)["count"]
            rows.append({"what": "restore into an empty cluster", "seconds": round(time.perf_counter() - t, 2),
                         "indices": len(res["restored"]), "documents": count})
            for index in client.indices.get(index=f"{name}*", expand_wildcards="all"):
                client.indices.delete(index=index)
            client.close()
    finally:
        stop_node(state)
    print(json.dumps({"docs": args.docs, "new": args.new, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
