"""What a poll costs answered in full (200) and answered ``304 Not Modified`` (pipeline.api's conditional GET), over
one loaded index:

    .venv/bin/python benchmarks/bench_conditional.py [--docs 20000] [--polls 60] [--docs-file F.jsonl] [--url URL]

Documents: the processed fundus corpus copied to --docs documents (benchmarks/bench_load.py: ``processed_fundus``,
``expand``). The API (``create_app``, no key) runs under uvicorn on 127.0.0.1 in a thread of this process; one HTTP
client with a kept-alive connection polls each URL --polls times without a validator (200: the search runs and the
whole answer is sent) and --polls times with the ETag of the first answer (304: one small request to the cluster
for the index's state, no body). For each: the median and 95th percentile of the time per request, in ms, and the
bytes of the body. Elasticsearch: --url, else $NEWSETL_ES_URL, else a node started with
tools/elasticsearch-local/es-local on a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import expand, loaded_index, processed_fundus  # noqa: E402
from benchmarks.bench_suggest import median_p95  # noqa: E402

URLS = ["/feed.atom", "/feed.atom?q=government&lang=en", "/search?q=government&facets=true&size=20",
        "/suggest?q=a&field=people"]


def _times(http, url: str, headers: dict, polls: int, status: int) -> tuple[list[float], int]:
    """The milliseconds of ``polls`` requests of ``url`` (each must answer ``status``) and the last body's bytes."""
    out, size = [], 0
    for _ in range(polls):
        t = time.perf_counter()
        r = http.get(url, headers=headers)
        out.append((time.perf_counter() - t) * 1000)
        if r.status_code != status:
            raise RuntimeError(f"{url}: {r.status_code}, not {status}: {r.text[:200]}")
        size = len(r.content)
    return out, size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--polls", type=int, default=60)
    ap.add_argument("--docs-file")
    ap.add_argument("--url")
    args = ap.parse_args()

    import httpx

    from pipeline.api import create_app
    from tests.test_api import served

    pool = expand(processed_fundus(args.docs_file), args.docs)
    rows = []
    with loaded_index(pool, args.url) as (settings, client):
        with served(create_app(settings, api_key="")) as base, httpx.Client(base_url=base, timeout=120) as http:
            for url in URLS:
                first = http.get(url)           # also warms the caches of the node and the server
                if first.status_code != 200 or "etag" not in first.headers:
                    raise RuntimeError(f"{url}: {first.status_code} {first.text[:200]}")
                full, full_bytes = _times(http, url, {}, args.polls, 200)
                cond, cond_bytes = _times(http, url, {"If-None-Match": first.headers["etag"]}, args.polls, 304)
                rows.append({"url": url, "200": {**median_p95(full), "bytes": full_bytes},
                             "304": {**median_p95(cond), "bytes": cond_bytes},
                             "speedup_median": round(statistics.median(full) / statistics.median(cond), 1)})
    print(json.dumps({"docs": args.docs, "polls": args.polls, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
