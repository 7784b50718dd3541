"""What a key's scope costs a search (pipeline.stories: the near-duplicate stories as the scope sees them), in one run
of this script against one node:

    .venv/bin/python benchmarks/bench_scoped_search.py [--docs 20000] [--copy-every 5] [--docs-file F.jsonl] [--url URL]

Documents: the processed fundus corpus copied to --docs documents (benchmarks/bench_load.py: ``processed_fundus``,
``expand``: each copy's words shuffled, so no two are alike), spread over four sources in turn; every
--copy-every-th document takes the text of the one before it, so the loader marks it a near duplicate of it, and
half of those stories cross the scope's edge. The scope: two of the four sources (``scope_filters`` of a stored
key's scope). Timed, the median and 95th percentile of 20 runs each, over the same articles asked for by
``source`` (unscoped) and through the scope (scoped, with the scope's stories worked out): a search with its
facets, the same with ``originals``, and ``sort=copies`` with ``originals`` (these two after the first run read
the scope's stories from ``cached_stories``, the index unchanged); then the scope's stories worked out anew
(``scoped_stories``). Elasticsearch: --url, else $NEWSETL_ES_URL, else a node started with
tools/elasticsearch-local/es-local on a temporary folder (stopped at the end).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import expand, loaded_index, processed_fundus  # noqa: E402
from benchmarks.bench_suggest import median_p95, timed  # noqa: E402

SOURCES = ["src-a", "src-b", "src-c", "src-d"]


def corpus(base: list[dict], n: int, copy_every: int) -> list[dict]:
    pool = expand(base, n)
    for i, d in enumerate(pool):
        d["source"] = SOURCES[i % len(SOURCES)]
        if copy_every and i % copy_every == copy_every - 1:
            d["text"] = pool[i - 1]["text"]
    return pool


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--copy-every", type=int, default=5)
    ap.add_argument("--docs-file")
    ap.add_argument("--url")
    args = ap.parse_args()

    from pipeline.apikeys import scope_filters
    from pipeline.search import search
    from pipeline.stories import scoped_stories

    pool = corpus(processed_fundus(args.docs_file), args.docs, args.copy_every)
    out: dict = {"docs": args.docs, "copy_every": args.copy_every}
    with loaded_index(pool, args.url) as (settings, client):
        scope = scope_filters(settings, {"source": SOURCES[:2]})
        alias = settings.index.read_alias
        view = scoped_stories(client, alias, scope)
        out["scope"] = {"sources": SOURCES[:2], "stories_with_copies": len(view.counts),
                        "originals_outside": len(view.heads),
                        "marked": client.count(index=alias, query={"exists": {"field": "duplicate_of"}})["count"]}
        cases = {"facets": {"facets": True}, "facets_originals": {"facets": True, "originals": True},
                 "sort_copies_originals": {"sort": "copies", "originals": True}}
        for label, kw in cases.items():
            for scoped in (False, True):
                # the same articles either way: the two sources asked for, or the key's scope
                given = {"filters": scope} if scoped else {"source": ",".join(SOURCES[:2])}
                ms = timed(lambda kw=kw, g=given: search(client, settings, "", size=10, **g, **kw), 20)
                out[f"{label}_{'scoped' if scoped else 'unscoped'}"] = median_p95(ms)
            out[f"{label}_ratio"] = round(out[f"{label}_scoped"]["median_ms"]
                                          / out[f"{label}_unscoped"]["median_ms"], 2)
        out["scoped_stories_alone"] = median_p95(timed(lambda: scoped_stories(client, alias, scope), 20))
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
