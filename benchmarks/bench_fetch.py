"""Fetch throughput against the local test server with many hosts (one port each), politeness off and on.

The server runs in a separate process (``python -m tests.plugins.httpserver``) so it does not share the fetcher's
interpreter. Pages are archived to WARC and recorded in the ledger exactly as in a real run; each mode gets a fresh
storage root. Example (the figure the issue asks for)::

    .venv/bin/python benchmarks/bench_fetch.py --hosts 20 --pages 2000
    .venv/bin/python benchmarks/bench_fetch.py --hosts 20 --pages 200 --delay 0.2 --modes on   # politeness on

Politeness off = no delay between requests to a host and robots.txt not consulted (per-host concurrency stays 2);
on = ``--delay`` seconds between requests to a host, robots.txt fetched and obeyed. With politeness on the ceiling
is hosts / delay pages/s; the benchmark reports how close the fetcher gets to it.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.fetcher import Candidate, fetch_candidates  # noqa: E402
from pipeline.settings.fetch import FetchSettings  # noqa: E402
from pipeline.storage import Storage  # noqa: E402


def start_server(hosts: int, pages: int, size: int):
    proc = subprocess.Popen([sys.executable, "-m", "tests.plugins.httpserver", "--hosts", str(hosts),
                             "--pages", str(pages), "--size", str(size)], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    return proc, info


def run(urls: list[str], settings: FetchSettings, label: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-fetch-") as tmp:
        storage = Storage(tmp)
        t0 = time.perf_counter()
        res = fetch_candidates([Candidate(u, source="bench") for u in urls], settings, storage, run_id=label)
        dt = time.perf_counter() - t0
    out = {"mode": label, "pages": len(urls), "fetched": res.counts["fetched"], "seconds": round(dt, 2),
           "pages_per_s": round(res.counts["fetched"] / dt, 1), "reasons": res.reasons}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--size", type=int, default=20_000, help="bytes per page")
    ap.add_argument("--delay", type=float, default=0.1, help="min_delay with politeness on (s)")
    ap.add_argument("--concurrency", type=int, default=40, help="global concurrency (default 2 x 20 hosts)")
    ap.add_argument("--modes", default="off,on,on-unshared",
                    help="comma-separated: off (no delay, no robots), on (polite, per-host clock shared through lock "
                    "files under the storage root: the default), on-unshared (polite, clock in memory)")
    a = ap.parse_args(argv)
    proc, info = start_server(a.hosts, a.pages, a.size)
    try:
        urls = info["urls"]
        base = dict(allow_addresses=["127.0.0.1"], concurrency=a.concurrency, per_host_concurrency=2,
                    connect_timeout=5, read_timeout=10, total_timeout=30, max_retries=1, backoff_base=0.1)
        results = []
        for mode in a.modes.split(","):
            if mode == "off":
                s = FetchSettings(**base, min_delay=0.0, obey_robots=False)
            else:
                s = FetchSettings(**base, min_delay=a.delay, obey_robots=True,
                                  pacing_dir="off" if mode == "on-unshared" else "auto")
            r = run(urls, s, f"politeness-{mode}")
            if mode != "off":
                r["ceiling_pages_per_s"] = round(a.hosts / a.delay, 1)
            results.append(r)
            print(json.dumps(r), flush=True)
        print(f"# hosts={a.hosts} pages={a.pages} size={a.size} cpus={os.cpu_count()}", flush=True)
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
