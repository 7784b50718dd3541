"""GET /metrics (pipeline.apimetrics): the API's Prometheus metrics, under uvicorn on 127.0.0.1 over a real
Elasticsearch node. Exact counts by method, route template and status after known requests (searches, a document,
a 404, 401s, 403, 429s, 503s), the histogram agreeing, key names, the rate-limited counter by bucket kind; the key
rule and the setting that turns it off; and `newsetl serve --workers 2` answering, from either worker, the numbers of
both (prometheus_client's multiprocess mode), a killed worker's counts kept."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from pipeline.api import RATE_DIR_ENV, create_app
from pipeline.apimetrics import MULTIPROC_ENV
from tests.netutil import free_port
from tests.plugins.api import with_search
from tests.test_api import _env_without_tls, served

REPO = Path(__file__).resolve().parents[1]
REQUESTS = "newsetl_api_requests_total"


def _samples(text: str) -> dict[str, dict[tuple, float]]:
    """Sample name -> {the labels as sorted (name, value) pairs: value}, from the text exposition."""
    out: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return out


def _by(samples: dict, name: str, *labels: str) -> dict:
    """One sample's values keyed by the values of ``labels`` (one label: the bare value), zeros left out."""
    got = {}
    for key, value in samples.get(name, {}).items():
        d = dict(key)
        k = tuple(d[label] for label in labels)
        if value:
            got[k[0] if len(k) == 1 else k] = value
    return got


def _requests(samples: dict) -> dict:
    return _by(samples, REQUESTS, "method", "route", "status")


def _check_histogram(samples: dict) -> None:
    """The duration histogram's count per route is the requests' count per route, and its +Inf bucket the same."""
    per_route: dict[str, float] = {}
    for (_, route, _), n in _requests(samples).items():
        per_route[route] = per_route.get(route, 0) + n
    assert _by(samples, "newsetl_api_request_duration_seconds_count", "route") == per_route
    inf = {k: v for k, v in _by(samples, "newsetl_api_request_duration_seconds_bucket", "route", "le").items()
           if k[1] == "+Inf"}
    assert {route: v for (route, _), v in inf.items()} == per_route


@pytest.mark.es
def test_metrics_count_each_route_status_and_key(api_loaded, index_settings, monkeypatch):
    """Known requests, then one scrape: the exact counts by method, route template and status (the refusals of the
    key check and the rate limit included), the histogram agreeing, the key names, the 429s by bucket kind; no raw
    id in any label; the scrape itself, with a key whose bucket is empty, is answered and not counted."""
    monkeypatch.setenv("NEWSETL_API_KEYS", "svc-a=key-of-a,svc-b=key-of-b")
    now = [0.0]
    limited = with_search(index_settings, api_rate_per_minute=6, api_burst=3)
    doc = api_loaded[0]["id"]
    with served(create_app(limited, api_key="the-default", admin_keys=["the-admin"], clock=lambda: now[0])) as base:
        def get(path, key=None, **params):
            return httpx.get(f"{base}{path}", params=params, headers={"X-API-Key": key} if key else {}).status_code

        # svc-a: three searches (its burst), then 429 from its key's bucket
        assert [get("/search", "key-of-a", q="harbour"), get("/search", "key-of-a", q="council", size=2),
                get("/search", "key-of-a"), get("/search", "key-of-a")] == [200, 200, 200, 429]
        # svc-b: a document, an unknown one, and a change of watches it may not make (403)
        assert [get(f"/documents/{doc}", "key-of-b"), get("/documents/nope", "key-of-b")] == [200, 404]
        assert httpx.delete(f"{base}/watches/storms", headers={"X-API-Key": "key-of-b"}).status_code == 403
        assert get("/watches/storms/feed.atom", "the-admin") == 404          # admin:1 reads too; no such watch
        # no key, a wrong key, a path no route has: 401 each, the address's three; then 429 from that bucket
        assert [get("/search"), get("/search", "wrong"), get(f"/nothing/{doc}"), get("/search")] == \
            [401, 401, 401, 429]
        assert get("/health") == 200                                         # never limited, counted
        r = httpx.get(f"{base}/metrics", headers={"Authorization": "Bearer key-of-a"})   # svc-a's bucket is empty
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        got = _samples(r.text)
        assert _requests(got) == {
            ("GET", "/search", "200"): 3, ("GET", "/search", "429"): 2, ("GET", "/search", "401"): 2,
            ("GET", "/documents/{doc_id}", "200"): 1, ("GET", "/documents/{doc_id}", "404"): 1,
            ("DELETE", "/watches/{name}", "403"): 1, ("GET", "/watches/{name}/feed.atom", "404"): 1,
            ("GET", "unmatched", "401"): 1, ("GET", "/health", "200"): 1}
        _check_histogram(got)
        assert _by(got, "newsetl_api_key_requests_total", "key") == {"svc-a": 4, "svc-b": 3, "admin:1": 1,
                                                                     "none": 5}
        assert _by(got, "newsetl_api_rate_limited_total", "bucket") == {"key": 1, "address": 1}
        assert got["newsetl_api_requests_in_progress"] == {(): 0}             # the scrape is not in progress
        assert doc not in r.text and "nope" not in r.text and "storms" not in r.text and "nothing" not in r.text
        assert got["process_cpu_seconds_total"] and got["python_info"]       # the default collectors
        # a scrape neither counts nor spends: the same numbers again
        again = _samples(httpx.get(f"{base}/metrics", headers={"X-API-Key": "key-of-a"}).text)
        assert _requests(again) == _requests(got)


def test_metrics_need_a_key_when_reading_does_and_can_be_off(tmp_path):
    """The key rule of every other route; 503s from a cluster that is away are counted; a wrong key on /metrics still
    counts against the address's bucket (guessing keys), a right one never; api_metrics: false is a 404."""
    from pipeline.settings import load_settings

    away = load_settings(overrides={"elasticsearch": {"url": f"http://127.0.0.1:{free_port()}", "request_timeout": 2},
                                    "storage": {"root": str(tmp_path)},
                                    "index": {"search": {"api_rate_per_minute": 6, "api_burst": 3}}})
    assert away.index.search.api_metrics is True                    # on by default
    with served(create_app(away, api_key="s3cret", clock=lambda: 0.0)) as base:
        assert httpx.get(f"{base}/search", params={"q": "x"}, headers={"X-API-Key": "s3cret"}).status_code == 503
        schema = httpx.get(f"{base}/openapi.json").json()                                  # the address: 1 of 3
        assert schema["paths"]["/metrics"]["get"]["security"] == [{"bearer": []}, {"apiKey": []}]
        assert httpx.get(f"{base}/metrics").status_code == 401                               # 2 of 3
        assert httpx.get(f"{base}/metrics", headers={"X-API-Key": "wrong"}).status_code == 401    # 3 of 3
        assert httpx.get(f"{base}/metrics").status_code == 429                               # guessing is limited
        for _ in range(5):                                            # the key's bucket (3) never stops a scrape
            r = httpx.get(f"{base}/metrics", headers={"Authorization": "Bearer s3cret"})
            assert r.status_code == 200
        assert _requests(_samples(r.text)) == {("GET", "/search", "503"): 1, ("GET", "/openapi.json", "200"): 1}
    with served(create_app(away, api_key="")) as base:                # reading needs no key: nor do the metrics
        assert httpx.get(f"{base}/metrics").status_code == 200
    off = with_search(away, api_metrics=False)
    with served(create_app(off, api_key="")) as base:
        assert httpx.get(f"{base}/metrics").status_code == 404
        assert "/metrics" not in httpx.get(f"{base}/openapi.json").json()["paths"]
    with served(create_app(off, api_key="s3cret")) as base:
        assert httpx.get(f"{base}/metrics").status_code == 401
        assert httpx.get(f"{base}/metrics", headers={"X-API-Key": "s3cret"}).status_code == 404


def _ask(port: int, path: str, server: subprocess.Popen, key: str | None = None) -> tuple[int, str, int]:
    """GET ``path`` on a connection of its own: the status, the body, and the pid of the worker of ``server`` that
    answered (the child holding the other end of the still open connection)."""
    import http.client

    import psutil

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"X-API-Key": key} if key else {})
        r = conn.getresponse()
        body = r.read().decode()
        mine = conn.sock.getsockname()
        workers = [child.pid for child in psutil.Process(server.pid).children()
                   if any(c.raddr and tuple(c.raddr) == mine for c in child.net_connections(kind="tcp"))]
        assert len(workers) == 1, (mine, workers)
        return r.status, body, workers[0]
    finally:
        conn.close()


@pytest.mark.es
def test_newsetl_serve_workers_add_up_their_metrics(api_loaded, index_settings, tmp_path):
    """`newsetl serve --workers 2`: requests answered by both workers are all counted in one /metrics answer,
    whichever worker gives it; the workers share a private directory the command makes and removes at exit; a
    worker killed and started anew loses none of its counts, and its in-progress gauge is marked dead."""
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": index_settings.elasticsearch.url},
                               "index": {"name": index_settings.index.name},
                               "storage": {"root": index_settings.storage.root}}))
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = _env_without_tls(TMPDIR=str(temp), NEWSETL_API_KEYS="svc-a=key-of-a", NEWSETL_API_KEY="the-default",
                           **{MULTIPROC_ENV: str(tmp_path / "not-this-one")})     # an inherited one is replaced
    env.pop(RATE_DIR_ENV, None)
    log = tmp_path / "serve.log"
    port = free_port()
    counted: dict[tuple, int] = {}

    def ask(path: str, key: str | None = "key-of-a", route: str | None = None) -> tuple[int, str, int]:
        status, body, worker = _ask(port, path, proc, key)
        if route:
            counted[("GET", route, str(status))] = counted.get(("GET", route, str(status)), 0) + 1
        return status, body, worker

    def until_answered_by(want: set[int] | int) -> set[int]:
        """/health (counted) until ``want`` workers (a number), or a worker not in ``want`` (a set), answered."""
        seen: set[int] = set()
        deadline = time.monotonic() + 90
        while (len(seen) < want) if isinstance(want, int) else not (seen - want):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                status, _, worker = ask("/health", None, "/health")
                assert status == 200
                seen.add(worker)
            except OSError:
                time.sleep(0.2)
        return seen

    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port", str(port),
                                 "--workers", "2"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        workers = until_answered_by(2)
        dirs = list(temp.glob("newsetl-api-metrics-*"))
        assert len(dirs) == 1 and os.stat(dirs[0]).st_mode & 0o077 == 0      # private to the user that serves
        assert not (tmp_path / "not-this-one").exists()

        # searches and unknown documents until each worker answered both kinds, and a 401 without a key
        answered: dict[str, set[int]] = {"/search": set(), "/documents/{doc_id}": set()}
        while min(len(w) for w in answered.values()) < 2:
            assert sum(counted.values()) < 300, f"one worker answered every request: {answered}"
            status, body, worker = ask("/search?q=council", route="/search")
            assert status == 200 and json.loads(body)["total"] == 6
            answered["/search"].add(worker)
            status, _, worker = ask(f"/documents/missing-{len(counted)}", route="/documents/{doc_id}")
            assert status == 404
            answered["/documents/{doc_id}"].add(worker)
        assert ask("/search", None, "/search")[0] == 401

        def scrape_from_both() -> dict:
            """/metrics until each live worker has answered it; each answer the same, every request counted."""
            seen, first = set(), None
            while len(seen) < 2:
                status, body, worker = ask("/metrics", "the-default")
                assert status == 200, body
                got = _samples(body)
                assert _requests(got) == counted, (worker, body)
                _check_histogram(got)
                assert _by(got, "newsetl_api_key_requests_total", "key") == {
                    "svc-a": sum(n for (_, r, s), n in counted.items() if r != "/health" and s != "401"),
                    "none": sum(n for (_, r, s), n in counted.items() if r == "/health" or s == "401")}
                ours = {k: v for k, v in got.items() if k.startswith("newsetl_api_")}
                assert first is None or ours == {k: v for k, v in first.items() if k.startswith("newsetl_api_")}
                first = first or got
                seen.add(worker)
            return first

        got = scrape_from_both()
        assert got["process_cpu_seconds_total"] and got["python_info"]          # the server's processes, summed
        assert not [v for series in got.values() for labels in series for _, v in labels if "missing-" in v]

        # one worker killed: uvicorn starts another; the dead one's counts stay, its live gauge goes at a scrape
        dead = sorted(workers)[0]
        os.kill(dead, signal.SIGKILL)
        assert (dirs[0] / f"gauge_livesum_{dead}.db").exists()
        until_answered_by(workers)                     # until a new worker answers
        got = scrape_from_both()
        assert not (dirs[0] / f"gauge_livesum_{dead}.db").exists()
        assert (dirs[0] / f"counter_{dead}.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0, log.read_text()
    assert not list(temp.glob("newsetl-api-metrics-*")), "the metrics' directory outlived the server"
