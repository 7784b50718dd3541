"""What the watches cost (pipeline.watches: news_alerts after each load): the time of a run of W watches after a
load, beside the time of that load, in one run of this script.

    .venv/bin/python benchmarks/bench_watches.py [--docs 20000] [--new 1000] [--watches 1,10,50] [--url URL]
        [--docs-file F.jsonl] [--channel none|folder]

Documents: the processed fundus corpus copied to --docs documents (benchmarks/bench_load.py: ``processed_fundus``,
``expand``), loaded into a fresh index first. The watches are searches made from that corpus: its most frequent
people (an entity filter), its most frequent title words (a word query) and its languages (a language filter), in
turn, so that some match many articles and some few. Every watch starts before the first load.

For each count of watches: a load of --new new documents is timed (``bulk_load``, with the near-duplicate marking and
the people labels, as news_ingest's load does), then one run of all the watches over them (``stages.run_watches``:
the changes feed read with each watch's search, the alert records written, and with ``--channel folder`` one JSON
file per message), and the ratio of the two. Elasticsearch: --url, else $NEWSETL_ES_URL, else a node started with
tools/elasticsearch-local/es-local on a temporary folder (stopped at the end).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import expand, processed_fundus, node_for, stop_node  # noqa: E402


def watch_specs(docs: list[dict], n: int, channel: str) -> list[dict]:
    """``n`` watches from the corpus: people, title words and languages, in turn."""
    from pipeline.neardup import _WORD

    people = [p for p, _ in Counter(p for d in docs for p in d["entities"]["person"]).most_common(n)]
    words = [w for w, _ in Counter(w for d in docs for w in set(_WORD.findall((d.get("title") or "").lower()))
                                   if len(w) > 5).most_common(n)]
    langs = [lang for lang, _ in Counter(d["language"] for d in docs).most_common(n)]
    out = []
    for i in range(n):
        kind = i % 3
        spec: dict = {"name": f"w{i}"}
        if kind == 0 and people:
            spec["entities"] = [f"person:{people[i // 3 % len(people)]}"]
        elif kind == 1 and words:
            spec["query"] = words[i // 3 % len(words)]
        else:
            spec["lang"] = langs[i // 3 % len(langs)]
        if channel == "folder":
            spec["deliver"] = [{"folder": f"alerts/w{i}"}]
        out.append(spec)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--watches", default="1,10,50")
    ap.add_argument("--channel", default="none", choices=["none", "folder"])
    ap.add_argument("--url")
    ap.add_argument("--docs-file")
    args = ap.parse_args()

    import yaml

    from pipeline import stages
    from pipeline.admin import ensure_index
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    base = processed_fundus(args.docs_file)
    counts = [int(w) for w in args.watches.split(",")]
    pool = expand(base, args.docs + args.new * len(counts))
    first, rest = pool[:args.docs], pool[args.docs:]
    url, state = node_for(args.url)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            name = f"bench-{uuid.uuid4().hex[:8]}-news"
            watches_file = Path(tmp) / "watches.yaml"
            settings = load_settings(overrides={
                "elasticsearch": {"url": url}, "storage": {"root": str(Path(tmp) / "store")},
                "index": {"name": name, "search": {"changes_delay_seconds": 0}},
                "alerts": {"watches_file": str(watches_file)}})
            client = client_from_settings(settings)
            storage = Storage(settings.storage.root)
            ensure_index(client, settings)
            most = max(counts)
            watches_file.write_text(yaml.safe_dump({"watches": watch_specs(base, most, args.channel)}))
            start = dt.datetime.now(dt.timezone.utc)
            stages.run_watches(settings, client=client, since=start)      # they start
            for d in pool:
                d["fetched_at"] = (start + dt.timedelta(seconds=1)).isoformat()     # fetched since
            t = time.perf_counter()
            bulk_load(client, first, settings, storage=storage, run_id="first")
            print(f"loaded {len(first)} documents in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            t = time.perf_counter()
            res = stages.run_watches(settings, client=client)
            rows.append({"what": f"backlog: {most} watches over {len(first)} documents",
                         "seconds": round(time.perf_counter() - t, 2),
                         "alerts": sum(r["new"] for r in res["watches"])})
            for i, n in enumerate(counts):
                batch = rest[i * args.new:(i + 1) * args.new]
                t = time.perf_counter()
                bulk_load(client, batch, settings, storage=storage, run_id=f"new-{n}")
                load_s = time.perf_counter() - t
                names = [f"w{j}" for j in range(n)]
                t = time.perf_counter()
                res = stages.run_watches(settings, names, client=client)
                watch_s = time.perf_counter() - t
                if n < most:       # the others catch up, untimed, so the next count starts level
                    stages.run_watches(settings, [f"w{j}" for j in range(n, most)], client=client)
                rows.append({"what": f"{n} watches after a load of {len(batch)}", "load_s": round(load_s, 2),
                             "watches_s": round(watch_s, 2), "per_watch_ms": round(1000 * watch_s / n, 1),
                             "watches/load": round(watch_s / load_s, 3),
                             "alerts": sum(r["new"] for r in res["watches"])})
            for index in client.indices.get(index=f"{name}*", expand_wildcards="all"):   # by name: no wildcards
                client.indices.delete(index=index)
            client.close()
    finally:
        stop_node(state)
    print(json.dumps({"docs": args.docs, "new": args.new, "channel": args.channel, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
