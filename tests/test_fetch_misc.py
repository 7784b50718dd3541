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


def test_a_hosts_own_headers_go_to_that_host_only_and_stay_out_of_the_archive(news_server, tmp_path, monkeypatch):
    """fetch.host_headers: a subscriber's cookie for one host (its value from the environment) is sent to that host,
    robots.txt included, and not to the host a redirect leads to; the archive keeps no request header."""
    from pipeline.archive import list_warc_files

    srv = news_server(hosts=2)
    srv.route("/robots.txt", Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain"), host=None)

    def members_only(req):
        if req.headers.get("cookie") != "session=s3cr3t":
            return Reply(status=403, body="subscribers only", content_type="text/plain")
        return Reply(body=html_page("For subscribers", "The whole article. " * 40))

    paywalled = srv.route("/premium.html", members_only)
    moved = srv.route("/moved.html", Reply(status=302, headers={"Location": srv.url("/elsewhere.html", host=1)}))
    srv.route("/elsewhere.html", Reply(body=html_page("Elsewhere", "Another site's page. " * 40)), host=1)
    monkeypatch.setenv("NEWSETL_TEST_COOKIE", "s3cr3t")
    s = fast_fetch_settings(host_headers={f"127.0.0.1:{srv.ports[0]}": {"Cookie": "session=${NEWSETL_TEST_COOKIE}",
                                                                        "X-Api-Key": "k1"}})
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(paywalled), Candidate(moved)], s, storage, run_id="h")
    assert res.counts["fetched"] == 2, [(o.url, o.reason) for o in res.outcomes]
    host0 = srv.requests(host=0)
    assert host0 and all(r.headers.get("cookie") == "session=s3cr3t" and r.headers.get("x-api-key") == "k1"
                         for r in host0)                                      # robots.txt, the page, the redirect
    host1 = srv.requests(host=1)
    assert host1 and not any("cookie" in r.headers or "x-api-key" in r.headers for r in host1)
    archived = b"".join((tmp_path / "s" / rel).read_bytes() for rel in list_warc_files(storage))
    import gzip as gz
    assert b"s3cr3t" not in gz.decompress(archived) and b"For subscribers" in gz.decompress(archived)
    # without the header the host refuses: the same page is a dead letter
    res = fetch_candidates([Candidate(paywalled)], fast_fetch_settings(), Storage(tmp_path / "t"), run_id="n")
    assert [o.reason for o in res.outcomes] == ["http_403"]


def test_host_headers_are_checked_when_the_config_loads(monkeypatch):
    import pytest
    from pydantic import ValidationError

    from pipeline.settings.fetch import FetchSettings

    monkeypatch.delenv("NEWSETL_TEST_UNSET", raising=False)
    for headers, words in [({"example.com": {"Cookie": "${NEWSETL_TEST_UNSET}"}},
                            "the environment variable NEWSETL_TEST_UNSET is not set"),
                           ({"example.com": {"Host": "other.org"}}, "Host is set by the fetcher itself"),
                           ({"example.com": {"Bad Name": "x"}}, "'Bad Name' is not a header name"),
                           ({"example.com": {"X-A": "a\r\nX-B: b"}}, "cannot hold a line break"),
                           ({"https://example.com": {"X-A": "a"}}, "is not a host name")]:
        with pytest.raises(ValidationError, match=words):
            FetchSettings(host_headers=headers)
    s = FetchSettings(host_headers={"Example.com": {"X-A": "1"}, "news.example.com": {"X-A": "2"}})
    assert (s.headers_for("www.example.com"), s.headers_for("news.example.com:443"), s.headers_for("other.org")) == (
        {"X-A": "1"}, {"X-A": "2"}, {})
