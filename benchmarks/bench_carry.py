"""The cost of a partial replay into a new index version: what ``admin.carry_over`` adds before the swap.

    .venv/bin/python benchmarks/bench_carry.py [--docs 20000] [--replayed 0.1] [--near-duplicates on|off]
        [--url URL] [--docs-file F.jsonl]

The same documents as benchmarks/bench_load.py (the fundus corpus processed by the real processing stage, copied
with new ids until --docs exist; --docs-file caches it). They are loaded into a first index version; then a new
version is made (``admin.create_next_version``: the write alias moves) and a share of them (--replayed, as if one
site had been replayed) is loaded into it; then ``admin.carry_over`` copies the rest over. Printed: the load of
the first version (documents/s), the replayed load, and the carry-over (documents copied/s, and the seconds of the
near-duplicate marking of the new version it runs when it copied some). Elasticsearch: --url, $NEWSETL_ES_URL, or
a node started with tools/elasticsearch-local/es-local (without the reindex module: the copy is PIT + bulk).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import expand, processed_fundus, node_for, stop_node  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--replayed", type=float, default=0.1, help="share of the documents the replay writes")
    ap.add_argument("--near-duplicates", choices=["on", "off"], default="on")
    ap.add_argument("--url")
    ap.add_argument("--docs-file")
    args = ap.parse_args()

    from pipeline import admin
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    docs = expand(processed_fundus(args.docs_file), args.docs)
    replayed = docs[: int(len(docs) * args.replayed)]
    url, state = node_for(args.url)
    name = f"bench-{uuid.uuid4().hex[:8]}-news"
    settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {
        "name": name, "load": {"workers": 2, "near_duplicates": args.near_duplicates == "on"}}})
    client = client_from_settings(settings)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            storage = Storage(tmp)
            admin.ensure_index(client, settings)
            first = bulk_load(client, docs, settings, storage=storage, run_id="v1")
            new = admin.create_next_version(client, settings)["index"]
            replay = bulk_load(client, replayed, settings, storage=storage, run_id="replay", index=new)
            t = time.monotonic()
            carried = admin.carry_over(client, settings, new)
            seconds = time.monotonic() - t
        row = {"docs": len(docs), "replayed": len(replayed), "near_duplicates": args.near_duplicates,
               "first_load_docs_per_s": round(first.created / first.seconds, 1),
               "replay_docs_per_s": round(replay.created / replay.seconds, 1),
               "carried": carried["copied"], "method": carried["method"], "carry_seconds": round(seconds, 2),
               "carried_docs_per_s": round(carried["copied"] / seconds, 1), "marked": carried["marked"],
               "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        print(f"first version: {first.created} docs at {row['first_load_docs_per_s']} docs/s; replayed "
              f"{replay.created} at {row['replay_docs_per_s']} docs/s; carried over {row['carried']} "
              f"({row['method']}) in {row['carry_seconds']} s -> {row['carried_docs_per_s']} docs/s, "
              f"{row['marked']} near duplicates marked", file=sys.stderr)
        print(json.dumps(row))
    finally:
        for index in client.indices.get(index=f"{name}-v*"):
            client.indices.delete(index=index)
        client.indices.delete_index_template(name=name)
        for ct in ("settings", "mappings"):
            client.cluster.delete_component_template(name=f"{name}-{ct}")
        client.close()
        stop_node(state)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
