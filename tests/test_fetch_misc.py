"""Fetcher details: a failing host is paused, total timeout, Content-Length too large, 5xx dead-lettered after retries."""
from __future__ import annotations

from pipeline.fetcher import Candidate, fetch_candidates
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, fast_fetch_settings, html_page, huge


def test_failing_host_is_paused(news_server, tmp_path):
    srv = news_server(hosts=2)
    bad = [srv.route(f"/x/{i}.html", Reply(status=503, body="down", content_type="text/plain")) for i in range(8)]
    good = srv.route("/ok.html", Reply(body=html_page("ok")), host=1)
    s = fast_fetch_settings(obey_robots=False, max_retries=1, host_failure_limit=3, per_host_concurrency=1)
    res = fetch_candidates([Candidate(u) for u in bad] + [Candidate(good)], s, Storage(tmp_path / "s"), run_id="p")
    reasons = [o.reason for o in res.outcomes if o.url in bad]
    assert reasons.count("http_503") == 3 and reasons.count("host_paused") == 5
    assert len(srv.requests(host=0)) < 8 * 2           # the rest were never asked for (or not retried)
    assert res.counts["fetched"] == 1 and len(res.outcomes) == 9


def test_total_timeout_and_declared_length(news_server, tmp_path):
    srv = news_server(hosts=1)
    # bytes keep coming (no read timeout) but the whole response takes too long
    trickle = srv.route("/trickle.html", Reply(stream_bytes=64 * 1024 * 40, chunk_delay=0.1))
    declared = srv.route("/big.html", huge(11 * 1024 * 1024, send_length=True))
    s = fast_fetch_settings(obey_robots=False, total_timeout=0.5, max_retries=0)
    res = fetch_candidates([Candidate(trickle), Candidate(declared)], s, Storage(tmp_path / "s"), run_id="t")
    assert {o.url: o.reason for o in res.outcomes} == {trickle: "timeout", declared: "too_large"}
    big = srv.requests(path="/big.html")[0]     # refused on the declared length: the client hung up at once
    assert big.aborted and big.bytes_sent < 11 * 1024 * 1024   # (kernel socket buffers absorb a few MB)
