"""What the API's rate limit costs in each store (pipeline.api: ``RateLimit`` in memory, ``SharedRateLimit`` in a
SQLite file, ``ClusterRateLimit`` in the cluster's rate-limit index), measured two ways in one run of this script:

    .venv/bin/python benchmarks/bench_rate_limit.py [--requests 2000] [--threads 1,4] [--leases 1,8] [--url URL]

- ``take``: the store's check called directly, ``--requests`` times from each of T threads (``--threads``), each
  thread its own client (bucket) with a burst large enough that every check is granted (the common path: for the
  cluster a get and a conditional index call). Checks a second and the latency of one check (mean, p50, p95).
- ``http``: the real API (``create_app`` under uvicorn on 127.0.0.1, one worker) answering a route that needs no
  cluster (an unknown path: 404), from T client threads on keep-alive connections, without a limit and with each
  store; requests a second and the mean latency, and the latency each store adds to a request (its mean minus the
  mean without a limit), and the 503s of a cluster's bucket that lost 11 races in a row (the T threads share the one
  bucket of 127.0.0.1).

The cluster's store is measured with each lease of ``--leases`` (``index.search.api_rate_lease``: the tokens one
write may take for this server to spend itself; 1 is a write each check), and its rows say how many writes the
buckets took per check (from the bucket documents' versions: a write each makes a version).

Elasticsearch: --url, else $NEWSETL_ES_URL, else a node started with tools/elasticsearch-local/es-local on a temporary
folder (stopped at the end). The rate-limit index is a fresh one of this run's name and is deleted at the end.
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import node_for, stop_node  # noqa: E402

STORES = ("memory", "sqlite", "elasticsearch")


def _variants(leases: list[int]) -> list[tuple[str, str, int]]:
    """(label, store, lease): memory and SQLite, then the cluster with each lease."""
    return [(s, s, 1) for s in STORES[:2]] + [(f"elasticsearch lease {n}", "elasticsearch", n) for n in leases]


def _run_threads(threads: int, work) -> tuple[float, list[float]]:
    """``work(i)`` in ``threads`` threads (each gives its latencies, seconds): wall time and all latencies."""
    out: list[list[float]] = [[] for _ in range(threads)]
    ts = [threading.Thread(target=lambda i=i: out.__setitem__(i, work(i))) for i in range(threads)]
    started = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.perf_counter() - started, [x for part in out for x in part]


def _row(what: str, threads: int, wall: float, lat: list[float]) -> dict:
    lat = sorted(lat)
    return {"what": what, "threads": threads, "per_s": len(lat) / wall, "mean_ms": statistics.fmean(lat) * 1000,
            "p50_ms": lat[len(lat) // 2] * 1000, "p95_ms": lat[int(len(lat) * 0.95)] * 1000}


def _limit(store: str, settings, client, directory: str):
    from pipeline.api import rate_limit_for

    return rate_limit_for(settings, lambda: client, rate_limit_dir=directory if store == "sqlite" else None)


def _writes(client, settings, buckets: list[str]) -> int:
    """The writes the cluster's buckets of these clients took: the sum of their documents' versions."""
    from pipeline.api import ClusterRateLimit

    index = settings.index.rate_limit_index_name
    salt = client.get(index=index, id=ClusterRateLimit.SALT_ID)["_source"]["salt"]
    ids = [hashlib.sha256(f"{salt}\n{b}".encode()).hexdigest() for b in buckets]     # ClusterRateLimit.bucket_id
    return sum(d["_version"] for d in client.mget(index=index, ids=ids)["docs"] if d.get("found"))


def bench_take(settings, client, requests: int, threads: int, directory: str, leases: list[int]) -> list[dict]:
    rows = []
    for label, store, lease in _variants(leases):
        limit = _limit(store, _with(settings, store, lease), client, directory)
        limit.take("warm-up")                       # the index and its salt made before the clock starts
        run = uuid.uuid4().hex[:6]

        def work(i: int) -> list[float]:
            lat = []
            for _ in range(requests):
                t = time.perf_counter()
                assert limit.take(f"client-{run}-{i}") == 0
                lat.append(time.perf_counter() - t)
            return lat

        row = _row(f"take {label}", threads, *_run_threads(threads, work))
        if store == "elasticsearch":
            row["writes"] = _writes(client, settings, [f"client-{run}-{i}" for i in range(threads)]) / \
                (threads * requests)
        rows.append(row)
    return rows


def bench_http(settings, client, requests: int, threads: int, directory: str, leases: list[int]) -> list[dict]:
    import httpx

    from pipeline.api import create_app
    from tests.test_api import served

    rows = []
    for label, store, lease in [("no limit", None, 1)] + _variants(leases):
        app_settings = _with(settings, store, lease) if store else settings
        before = _writes(client, settings, ["127.0.0.1"]) if store == "elasticsearch" else 0
        busy: list[int] = []        # 503s: the cluster's bucket lost too many races in a row (one bucket, T threads)
        with served(create_app(app_settings, api_key="", rate_limit_dir=directory if store == "sqlite" else None)) \
                as base:
            def work(i: int) -> list[float]:
                lat = []
                with httpx.Client(base_url=base, timeout=30) as http:
                    http.get("/warm-up")
                    for _ in range(requests):
                        t = time.perf_counter()
                        r = http.get("/nothing-here")
                        lat.append(time.perf_counter() - t)
                        if r.status_code == 503 and "conflicting writes" in r.text:
                            busy.append(1)
                        else:
                            assert r.status_code == 404, r.text
                return lat

            row = _row(f"http {label}", threads, *_run_threads(threads, work))
        row["503"] = len(busy)
        if store == "elasticsearch":          # one bucket, the address 127.0.0.1, for all the client threads
            row["writes"] = (_writes(client, settings, ["127.0.0.1"]) - before) / (threads * (requests + 1))
        rows.append(row)
    return rows


def _with(settings, store: str, lease: int = 1):
    from tests.plugins.api import with_search

    # a burst no thread of the benchmark exhausts: every check is granted (a get and a write for the cluster, or
    # a lease of ``lease`` tokens: a quarter of this burst is far more)
    return with_search(settings, api_rate_per_minute=60.0, api_burst=10_000_000, api_rate_store=store,
                       api_rate_lease=lease)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000, help="checks (take) or requests (http) per thread")
    ap.add_argument("--threads", default="1,4", help="client threads, comma-separated")
    ap.add_argument("--leases", default="1,8", help="the cluster store's leases (api_rate_lease), comma-separated")
    ap.add_argument("--url")
    args = ap.parse_args()
    from pipeline.es import make_client
    from pipeline.settings import load_settings

    url, state = node_for(args.url)
    name = f"bench-rl-{uuid.uuid4().hex[:6]}"
    settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {"name": name}})
    client = make_client(url, request_timeout=30)
    try:
        with tempfile.TemporaryDirectory(prefix="newsetl-bench-rate-") as directory:
            rows = []
            leases = [int(n) for n in args.leases.split(",")]
            for threads in (int(t) for t in args.threads.split(",")):
                rows += bench_take(settings, client, args.requests, threads, directory, leases)
                rows += bench_http(settings, client, max(1, args.requests // 4), threads, directory, leases)
        base = {r["threads"]: r["mean_ms"] for r in rows if r["what"] == "http no limit"}
        print(f"{'what':<30} {'threads':>7} {'per s':>9} {'mean ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'added ms':>8} "
              f"{'writes/check':>12} {'503s':>5}")
        for r in rows:
            added = f"{r['mean_ms'] - base[r['threads']]:8.2f}" if r["what"].startswith("http ") and \
                r["what"] != "http no limit" else ""
            writes = f"{r['writes']:12.3f}" if "writes" in r else ""
            print(f"{r['what']:<30} {r['threads']:>7} {r['per_s']:>9.0f} {r['mean_ms']:>8.2f} {r['p50_ms']:>7.2f} "
                  f"{r['p95_ms']:>7.2f} {added:>8} {writes:>12} {r.get('503', ''):>5}")
    finally:
        client.indices.delete(index=settings.index.rate_limit_index_name, ignore_unavailable=True)
        client.close()
        stop_node(state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
