"""What the watches cost (pipeline.watches: news_alerts after each load): the time of a run of W watches after a
load, beside the time of that load, and the shared reading (one read of the changes feed for all the watches,
``stages.run_watches``) beside the per-watch reading it replaced (each watch reading the feed with its own search,
``watches.run_watch`` one after the other), in one run of this script.

    .venv/bin/python benchmarks/bench_watches.py [--docs 20000] [--new 1000] [--watches 1,10,50,200] [--url URL]
        [--docs-file F.jsonl] [--channel none|folder] [--chunk N]

Documents: the processed fundus corpus copied to --docs documents (benchmarks/bench_load.py: ``processed_fundus``,
``expand``), loaded into a fresh index first. The watches are searches made from that corpus: its most frequent
people (an entity filter), its most frequent title words (a word query) and its languages (a language filter), in
turn, so that some match many articles and some few. There are two sets of the same watches, ``s<i>`` for the shared
reading and ``p<i>`` for the per-watch one, each alerting on its own; every watch starts before the first load.

For each count of watches: a load of --new new documents is timed (``bulk_load``, with the near-duplicate marking and
the people labels, as news_ingest's load does), then a run of that many watches of each set over them, per-watch
first, then shared (the changes feed read, the alert records written, and with ``--channel folder`` one JSON file per
message), with the requests each sent to Elasticsearch (counted on the client), and the ratio of the two times. The
two sets must record the same number of alerts (checked). Elasticsearch: --url, else $NEWSETL_ES_URL, else a node
started with tools/elasticsearch-local/es-local on a temporary folder (stopped at the end).
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


class Requests:
    """Counts the requests a client sends (its transport's ``perform_request``), to set beside the times."""

    def __init__(self, client):
        self.n = 0
        send = client.transport.perform_request

        def counted(*a, **kw):
            self.n += 1
            return send(*a, **kw)

        client.transport.perform_request = counted


def per_watch(client, storage, settings, names: list[str]) -> list[dict]:
    """The per-watch reading, as runs of the watches did before the shared one: ``run_watch`` one after the other,
    the alerts index refreshed once at the end."""
    from pipeline import watches as w

    chosen = w.load_watches(settings=settings, names=names)
    ready = w.prepare(client, settings)
    out = [w.run_watch(client, storage, settings, watch, ready=ready, refresh=False) for watch in chosen]
    w.refresh_alerts(client, settings)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--watches", default="1,10,50,200")
    ap.add_argument("--channel", default="none", choices=["none", "folder"])
    ap.add_argument("--url")
    ap.add_argument("--docs-file")
    ap.add_argument("--chunk", type=int, help="watches in one search of a page's matching (pipeline.watches._CHUNK; "
                    "1: a search per watch, to compare)")
    args = ap.parse_args()

    import yaml

    from pipeline import stages
    from pipeline.admin import ensure_index
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    if args.chunk:
        from pipeline import watches

        watches._CHUNK = args.chunk
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
            sent = Requests(client)
            storage = Storage(settings.storage.root)
            ensure_index(client, settings)
            most = max(counts)
            specs = watch_specs(base, most, args.channel)
            watches_file.write_text(yaml.safe_dump({"watches": [
                {**s, "name": f"{kind}{s['name'][1:]}", **({"deliver": [{"folder": f"alerts/{kind}{s['name'][1:]}"}]}
                                                           if s.get("deliver") else {})}
                for kind in ("p", "s") for s in specs]}))
            start = dt.datetime.now(dt.timezone.utc)
            stages.run_watches(settings, client=client, since=start)      # they start
            for d in pool:
                d["fetched_at"] = (start + dt.timedelta(seconds=1)).isoformat()     # fetched since
            t = time.perf_counter()
            bulk_load(client, first, settings, storage=storage, run_id="first")
            print(f"loaded {len(first)} documents in {time.perf_counter() - t:.1f} s", file=sys.stderr)

            def timed(run, names):
                n0, t0 = sent.n, time.perf_counter()
                res = run(names)
                return time.perf_counter() - t0, sent.n - n0, sum(r["new"] for r in res)

            def old(names):
                return per_watch(client, storage, settings, names)

            def new(names):
                return stages.run_watches(settings, names, client=client)["watches"]

            p_s, p_req, p_alerts = timed(old, [f"p{j}" for j in range(most)])
            s_s, s_req, s_alerts = timed(new, [f"s{j}" for j in range(most)])
            rows.append({"what": f"backlog: {most} watches over {len(first)} documents", "per_watch_s": round(p_s, 2),
                         "shared_s": round(s_s, 2), "per_watch/shared": round(p_s / s_s, 2),
                         "requests": f"{p_req} / {s_req}", "alerts": s_alerts})
            assert p_alerts == s_alerts, (p_alerts, s_alerts)
            for i, n in enumerate(counts):
                batch = rest[i * args.new:(i + 1) * args.new]
                t = time.perf_counter()
                bulk_load(client, batch, settings, storage=storage, run_id=f"new-{n}")
                load_s = time.perf_counter() - t
                p_s, p_req, p_alerts = timed(old, [f"p{j}" for j in range(n)])
                s_s, s_req, s_alerts = timed(new, [f"s{j}" for j in range(n)])
                assert p_alerts == s_alerts, (n, p_alerts, s_alerts)
                if n < most:       # the others catch up, untimed, so the next count starts level
                    per_watch(client, storage, settings, [f"p{j}" for j in range(n, most)])
                    stages.run_watches(settings, [f"s{j}" for j in range(n, most)], client=client)
                rows.append({"what": f"{n} watches after a load of {len(batch)}", "load_s": round(load_s, 2),
                             "per_watch_s": round(p_s, 2), "shared_s": round(s_s, 2),
                             "per_watch/shared": round(p_s / s_s, 2), "requests": f"{p_req} / {s_req}",
                             "shared/load": round(s_s / load_s, 3), "alerts": s_alerts})
                print(json.dumps(rows[-1]), file=sys.stderr)
            for index in client.indices.get(index=f"{name}*", expand_wildcards="all"):   # by name: no wildcards
                client.indices.delete(index=index)
            client.close()
    finally:
        stop_node(state)
    print(json.dumps({"docs": args.docs, "new": args.new, "channel": args.channel, "chunk": args.chunk, "rows": rows},
                     indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
