"""What grouping the DAGs' batches saves (not part of the test run): the fundus corpus cut into small batches, as an
hourly run's one batch a source, processed with a new worker pool a batch (a ``process`` task a batch, before the
twenty-seventh session) and with one pool a group of batches up to ``ingest.process_group_pages`` pages (what
``stages.process_group`` does: the group's pages through ``process_pages`` in one stream).

    NEWSETL_SHARED_DIR=../shared .venv/bin/python -u benchmarks/bench_groups.py
    .venv/bin/python -u benchmarks/bench_groups.py --batch-pages 13 --group-pages 200 --rounds 2

The corpus stays in its order (by country, so a batch holds one or two languages, like a source's). NER for en, fr,
ja and ru (no CoreNLP server: de/es/it have no entities here, in both ways alike). The two ways alternate, round
after round, on the same machine; each checks that it gives the same documents as the other.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ["NEWSETL_BENCH_NO_CORENLP"] = "1"        # read by bench_settings, here and in every worker
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_process import NOW, bench_settings, load_pages  # noqa: E402
from pipeline.process import process_pages  # noqa: E402
from pipeline.stages import consecutive_groups  # noqa: E402


def cut(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def a_pool_a_batch(batches, settings) -> list[dict]:
    return [d for b in batches for d in process_pages(b, settings, now=NOW)]


def a_pool_a_group(groups, settings) -> list[dict]:
    return [d for group in groups for d in process_pages([p for b in group for p in b], settings, now=NOW)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch-pages", type=int, default=13, help="pages a batch (default 13: the corpus in 20)")
    ap.add_argument("--group-pages", type=int, default=200, help="ingest.process_group_pages (default 200)")
    ap.add_argument("--rounds", type=int, default=2, help="each way this many times, alternating")
    ap.add_argument("--limit", type=int, help="only the first N pages")
    args = ap.parse_args()
    pages = load_pages(args.limit)
    settings = bench_settings()
    batches = cut(pages, args.batch_pages)
    groups = consecutive_groups(batches, [len(b) for b in batches], args.group_pages)   # as process_groups
    print(f"{len(pages)} fundus pages in {len(batches)} batches of up to {args.batch_pages}, {len(groups)} groups of "
          f"up to {args.group_pages} pages; workers: {settings.workers or os.cpu_count()}; NER: "
          f"{', '.join(sorted(settings.entities.models))}")
    seen = {}
    for r in range(1, args.rounds + 1):
        for name, run in (("a pool a batch", lambda: a_pool_a_batch(batches, settings)),
                          ("a pool a group", lambda: a_pool_a_group(groups, settings))):
            t = time.perf_counter()
            docs = run()
            took = time.perf_counter() - t
            print(f"  round {r}, {name:<15} {len(docs):4d} docs {took:7.1f} s {len(docs) / took:6.1f} docs/s",
                  flush=True)
            key = json.dumps(docs, sort_keys=True, default=str)
            seen.setdefault(key, []).append(name)
    if len(seen) != 1:
        print("the two ways gave different documents", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
