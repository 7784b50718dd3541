"""The acceptance test: a 50-item feed, a fifth of the pages faulty; every URL ends in exactly one terminal state."""
from __future__ import annotations


import pytest

from pipeline.archive import iter_pages
from pipeline.deadletter import read_dead_letters
from pipeline.discover import discover_source
from pipeline.fetcher import fetch_candidates
from pipeline.sources import Source
from pipeline.storage import Storage
from tests.plugins.httpserver import (Reply, fail_then, fast_fetch_settings, html_page, huge, png, redirect, robots,
                                      rss_feed, slow)

N = 50
# page index -> (fault spec, expected state, expected reason, requests the server must see for it)
def _faults(srv):
    return {
        3: (fail_then(Reply(body=html_page("Recovered 429")), status=429, times=1, retry_after=1), "fetched", None),
        7: (fail_then(Reply(body=html_page("Recovered 500")), status=500, times=1), "fetched", None),
        11: (slow(5.0), "dead_letter", "timeout"),
        15: (huge(20 * 1024 * 1024), "dead_letter", "too_large"),
        19: (png(), "dead_letter", "not_html"),
        23: ([redirect("/loop/b.html")], "dead_letter", "redirect_loop"),
        27: (None, "dead_letter", "robots"),                      # path under /private/
        31: (redirect("http://10.0.0.1/news/x.html"), "dead_letter", "blocked_address"),
        35: (redirect("http://169.254.169.254/latest/meta-data/"), "dead_letter", "blocked_address"),
        39: (Reply(status=404, body="gone", content_type="text/plain"), "dead_letter", "http_404"),
    }


def _path(i: int) -> str:
    return f"/private/{i}.html" if i == 27 else f"/news/{i}.html"


@pytest.fixture
def faulty_site(news_server):
    srv = news_server(hosts=1)
    faults = _faults(srv)
    srv.route("/robots.txt", robots(disallow=["/private/"]))
    srv.route("/loop/b.html", redirect("/news/23.html"))
    items = []
    for i in range(N):
        path = _path(i)
        spec = faults[i][0] if i in faults else Reply(body=html_page(f"Article {i}"))
        if spec is not None:
            srv.route(path, spec)
        items.append({"url": srv.url(path), "title": f"Item {i}", "date": "Fri, 03 May 2024 10:00:00 GMT"})
    srv.route("/feed.xml", Reply(body=rss_feed(items), content_type="application/rss+xml", etag='"feed-v1"'))
    return srv, faults


def test_fifty_items_with_faults(faulty_site, tmp_path):
    srv, faults = faulty_site
    storage = Storage(tmp_path / "store")
    settings = fast_fetch_settings()
    source = Source(name="faulty", kind="rss", url=srv.url("/feed.xml"), language="en", tags=["test"])

    disc = discover_source(source, settings, storage, run_id="r1")
    assert len(disc.candidates) == N and not disc.dead_letters
    assert disc.candidates[0].hint_title == "Item 0" and disc.candidates[0].hint_published_at.startswith("2024-05-03")

    res = fetch_candidates(disc.candidates, settings, storage, run_id="r1")

    # exactly one terminal state per URL, nothing lost
    assert len(res.outcomes) == N
    assert sorted(o.url for o in res.outcomes) == sorted(c.url for c in disc.candidates)
    by_url = {o.url: o for o in res.outcomes}
    for i in range(N):
        o = by_url[srv.url(_path(i))]
        want_state, want_reason = (faults[i][1], faults[i][2]) if i in faults else ("fetched", None)
        assert (o.state, o.reason) == (want_state, want_reason), (i, o)
    assert res.counts == {"fetched": 42, "not_modified": 0, "skipped": 0, "dead_letter": 8}

    # retried ones succeeded where the server recovered
    assert by_url[srv.url("/news/3.html")].attempts == 2
    assert by_url[srv.url("/news/7.html")].attempts == 2
    r429 = srv.requests(path="/news/3.html")
    assert len(r429) == 2 and r429[1].started - r429[0].started >= 0.95      # Retry-After: 1 honoured
    assert len(srv.requests(path="/news/11.html")) == 3                       # 1 + max_retries on timeouts

    # the request log: no request to a disallowed path; blocked addresses never contacted
    assert srv.requests(path="/private/27.html") == []
    assert all(not r.path.startswith("/private/") for r in srv.requests())
    assert len(srv.requests(path="/robots.txt")) == 1    # kept in <storage root>/pacing: discovery and fetch share it

    # the 20 MB body was cut off while streaming, not read to the end
    big = srv.requests(path="/news/15.html")
    assert big and all(r.bytes_sent < 20 * 1024 * 1024 for r in big)

    # dead letters: one per dead URL, with the reason
    letters = list(read_dead_letters(storage, "fetch"))
    assert sorted((d["key"], d["reason"]) for d in letters) == sorted(
        (srv.url(_path(i)), faults[i][2]) for i in faults if faults[i][1] == "dead_letter")

    # pages come back from the archive, no network, with the feed's hints
    pages = list(iter_pages(storage, res.manifest))
    assert len(pages) == 42
    assert {p.hint_title for p in pages} >= {"Item 0", "Item 3", "Item 7"}
    assert all(p.source == "faulty" and p.hint_language == "en" and p.source_tags == ["test"] for p in pages)
    p0 = next(p for p in pages if p.url.endswith("/news/0.html"))
    assert p0.body == html_page("Article 0") and p0.encoding == "utf-8"


def test_blocked_redirect_makes_no_connection(faulty_site, tmp_path):
    """A redirect to 10.0.0.1 / 169.254.169.254 is refused before any connection attempt."""
    import asyncio

    from pipeline.fetcher import afetch_candidates, Candidate

    srv, _ = faulty_site
    sessions = []
    res = asyncio.run(afetch_candidates(
        [Candidate(srv.url("/news/31.html")), Candidate(srv.url("/news/35.html"))],
        fast_fetch_settings(), Storage(tmp_path / "s"), run_id="r", session_hook=sessions.append))
    assert [o.reason for o in res.outcomes] == ["blocked_address", "blocked_address"]
    connected = {ip for _, ip, _ in sessions[0].backend.connect_log}
    assert connected == {"127.0.0.1"}
