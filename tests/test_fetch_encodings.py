"""Content codings (gzip, deflate, br, zstd) and HTTP/2: real servers on 127.0.0.1.

br and zstd pages are decoded while streaming, archived as served and read back from the archive as the same bytes;
a decompression bomb ends as too_large, a corrupt body as read_error naming its coding, a coding we cannot decode as
an unsupported_encoding dead letter. HTTP/2 (fetch.http2) against hypercorn over TLS with a certificate made here: one
connection per host multiplexes the requests, the per-host pacing and in-flight limit still hold, and HTTP/1.1
servers (plain http, or TLS without h2 in ALPN) still answer with it on.
"""
from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import tracemalloc

import brotli
import pytest
import zstandard
from pydantic import ValidationError

from pipeline.archive import iter_pages, iter_warc, list_warc_files, read_page
from pipeline.deadletter import read_dead_letters
from pipeline.fetcher import Candidate, fetch_candidates
from pipeline.settings.fetch import FetchSettings
from pipeline.storage import Storage
from tests.netutil import free_port
from tests.plugins.httpserver import Reply, encode, fast_fetch_settings, html_page

CODINGS = ("gzip", "deflate", "br", "zstd")


def _page(name: str) -> bytes:
    return html_page(f"A {name} article", f"Text of the {name} article, long enough to compress well. " * 60)


def _raw_records(storage: Storage, tmp_root) -> dict[str, tuple[str | None, bytes]]:
    """Target URL -> (Content-Encoding, payload as stored) of every response record, read without decoding."""
    from warcio.archiveiterator import ArchiveIterator

    out = {}
    for rel in list_warc_files(storage):
        with open(tmp_root / rel, "rb") as f:
            for rec in ArchiveIterator(f):
                if rec.rec_type == "response":
                    out[rec.rec_headers.get_header("WARC-Target-URI")] = (
                        rec.http_headers.get_header("Content-Encoding"), rec.raw_stream.read())
    return out


def test_br_and_zstd_pages_are_decoded_archived_as_served_and_read_back(news_server, tmp_path):
    srv = news_server(hosts=1)
    urls = {enc: srv.route(f"/{enc}.html", Reply(body=_page(enc), encoding=enc)) for enc in CODINGS}
    urls["identity"] = srv.route("/plain.html", Reply(body=_page("identity")))
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(u) for u in urls.values()], fast_fetch_settings(obey_robots=False), storage,
                           run_id="enc")
    assert res.counts["fetched"] == 5, [(o.url, o.reason, o.error) for o in res.outcomes]
    # asked for every coding installed, in order
    assert {r.headers.get("accept-encoding") for r in srv.requests()} == {"gzip, deflate, br, zstd"}

    # the archive keeps each body as served (its Content-Encoding and the compressed bytes) ...
    stored = _raw_records(storage, tmp_path / "s")
    for enc in CODINGS:
        assert stored[urls[enc]] == (enc, encode(_page(enc), enc)), enc
    assert stored[urls["identity"]] == (None, _page("identity"))
    # ... and every reader hands back the decoded page: by ref, through the manifest, and by WARC file
    by_ref = {o.url: read_page(storage, o.warc_ref).body for o in res.outcomes}
    by_manifest = {p.url: p.body for p in iter_pages(storage, res.manifest)}
    by_file = {p.url: p.body for rel in res.warc_files for p in iter_warc(storage, rel)}
    want = {u: _page(enc) for enc, u in urls.items()}
    assert by_ref == want and by_manifest == want and by_file == want
    pages = {p.url: p for p in iter_pages(storage, res.manifest)}
    assert all("content-encoding" not in p.headers and p.encoding == "utf-8" for p in pages.values())


def test_accept_encoding_is_sent_as_configured_and_an_unasked_coding_is_still_decoded(news_server, tmp_path):
    srv = news_server(hosts=1)
    url = srv.route("/a.html", Reply(body=_page("zstd"), encoding="zstd"))   # sent whatever we asked for
    for n, (asked, header) in enumerate([(["gzip"], "gzip"), ([], "identity"), (["br", "GZIP", "br"], "br, gzip")]):
        srv.reset_log()
        res = fetch_candidates([Candidate(url)], fast_fetch_settings(obey_robots=False, accept_encodings=asked),
                               Storage(tmp_path / f"s{n}"), run_id=f"ae{n}")
        assert [r.headers.get("accept-encoding") for r in srv.requests()] == [header]
        assert res.counts["fetched"] == 1
        assert read_page(Storage(tmp_path / f"s{n}"), res.outcomes[0].warc_ref).body == _page("zstd")


def test_accept_encodings_setting_is_checked(monkeypatch):
    assert FetchSettings().accept_encoding_header == "gzip, deflate, br, zstd"
    with pytest.raises(ValidationError, match="'compress' is not a content coding the fetcher can decode"):
        FetchSettings(accept_encodings=["gzip", "compress"])
    import pipeline.settings.fetch as fs

    real = fs.installed
    monkeypatch.setattr(fs, "installed", lambda mod: mod != "zstandard" and real(mod))
    with pytest.raises(ValidationError, match="zstd needs the zstandard package, which is not installed"):
        FetchSettings(accept_encodings=["gzip", "zstd"])
    assert FetchSettings().accept_encoding_header == "gzip, deflate, br"     # the default asks for what is there
    monkeypatch.setattr(fs, "installed", lambda mod: mod != "h2" and real(mod))
    with pytest.raises(ValidationError, match="HTTP/2 needs the h2 package"):
        FetchSettings(http2=True)


def test_decompression_bombs_end_as_too_large_within_bounded_memory(news_server, tmp_path):
    """256 MB of decoded HTML in a few KB of br or zstd: refused past max_body_bytes (1 MB), and the fetch never
    holds much more than that (an unbounded decoder would allocate the 256 MB)."""
    srv = news_server(hosts=1)
    filler = b"<html><body>" + b"<p>" + b"a" * (256 * 1024 * 1024) + b"</p></body></html>"
    bombs = {"br": brotli.compress(filler, quality=5), "zstd": zstandard.ZstdCompressor(level=3).compress(filler),
             "gzip": gzip.compress(filler, compresslevel=6)}
    del filler
    assert all(len(b) < 1024 * 1024 for b in bombs.values())          # the body itself is within the limit
    urls = {enc: srv.route(f"/bomb-{enc}.html", Reply(body=b, headers={"Content-Encoding": enc}))
            for enc, b in bombs.items()}
    s = fast_fetch_settings(obey_robots=False, max_body_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        res = fetch_candidates([Candidate(u) for u in urls.values()], s, Storage(tmp_path / "s"), run_id="bomb")
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert {o.url: o.reason for o in res.outcomes} == {u: "too_large" for u in urls.values()}
    assert all("decoded body" in o.error and "exceeds 1048576 bytes" in o.error for o in res.outcomes)
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    assert all(len(srv.requests(path=f"/bomb-{enc}.html")) == 1 for enc in bombs)      # not retried


def test_corrupt_or_truncated_bodies_are_read_errors_naming_the_coding(news_server, tmp_path):
    srv = news_server(hosts=1)
    good_br, good_zstd = encode(_page("x"), "br"), encode(_page("x"), "zstd")
    cases = {
        "/corrupt-br.html": (b"this was never brotli " * 20, "br", "corrupt brotli body"),
        "/truncated-br.html": (good_br[: len(good_br) // 2], "br", "truncated brotli body"),
        "/corrupt-zstd.html": (b"this was never zstd " * 20, "zstd", "corrupt zstd body"),
        "/truncated-zstd.html": (good_zstd[: len(good_zstd) // 2], "zstd", "truncated zstd body"),
        "/corrupt-gzip.html": (b"\x1f\x8b\x08\x00" + b"\xff" * 40, "gzip", "corrupt gzip body"),
    }
    urls = {srv.route(p, Reply(body=body, headers={"Content-Encoding": enc})): words
            for p, (body, enc, words) in cases.items()}
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(u) for u in urls], fast_fetch_settings(obey_robots=False), storage, run_id="c")
    for o in res.outcomes:
        assert (o.state, o.reason) == ("dead_letter", "read_error"), o
        assert urls[o.url] in o.error and o.url in o.error, o.error
    assert not list_warc_files(storage)                  # nothing half-decoded was archived


def test_a_coding_we_cannot_decode_is_an_unsupported_encoding_dead_letter(news_server, tmp_path):
    srv = news_server(hosts=1)
    weird = srv.route("/compress.html", Reply(body=b"\x1f\x9d\x90<html>" * 50, headers={"Content-Encoding": "compress"}))
    # a redirect's empty body needs no decoding, whatever it says
    hop = srv.route("/hop.html", Reply(status=302, headers={"Location": "/ok.html", "Content-Encoding": "compress"}))
    srv.route("/ok.html", Reply(body=_page("ok"), encoding="br"))
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(weird), Candidate(hop)], fast_fetch_settings(obey_robots=False), storage,
                           run_id="u")
    by = {o.url: o for o in res.outcomes}
    assert (by[weird].state, by[weird].reason) == ("dead_letter", "unsupported_encoding")
    assert "Content-Encoding 'compress' cannot be decoded; we asked for gzip, deflate, br, zstd" in by[weird].error
    assert by[hop].state == "fetched" and read_page(storage, by[hop].warc_ref).body == _page("ok")
    letters = list(read_dead_letters(storage, "fetch"))
    assert [(d["key"], d["reason"]) for d in letters] == [(weird, "unsupported_encoding")]
    assert len(srv.requests(path="/compress.html")) == 1


# ------------------------------------------------------------------------------------------------- HTTP/2

class TLSServer:
    """hypercorn over TLS on 127.0.0.1 (in a thread): ALPN offers h2 and http/1.1 (or http/1.1 only). Serves
    ``routes`` (path -> (body, Content-Encoding or None)); 404 elsewhere. Each request is logged with the HTTP version,
    the client's port (one a connection), and when it arrived and was answered."""

    def __init__(self, cert, key, *, h2: bool = True, delay: float = 0.0):
        from hypercorn.config import Config

        self.routes: dict[str, tuple[bytes, str | None]] = {}
        self.log: list[dict] = []
        self.delay = delay
        self.port = free_port()
        cfg = Config()
        cfg.bind = [f"127.0.0.1:{self.port}"]
        cfg.certfile, cfg.keyfile = str(cert), str(key)
        cfg.alpn_protocols = ["h2", "http/1.1"] if h2 else ["http/1.1"]
        cfg.accesslog = cfg.errorlog = None
        self.cfg = cfg
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("hypercorn did not start")

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    async def _app(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        entry = {"path": scope["path"], "version": scope["http_version"], "client_port": scope["client"][1],
                 "started": time.monotonic(), "accept_encoding": dict(scope["headers"]).get(b"accept-encoding")}
        self.log.append(entry)
        if scope["path"] not in self.routes:
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"not found"})
        else:
            body, enc = self.routes[scope["path"]]
            if self.delay:
                await asyncio.sleep(self.delay)
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            if enc:
                body = encode(body, enc)
                headers.append((b"content-encoding", enc.encode()))
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        entry["finished"] = time.monotonic()

    def _run(self):
        from hypercorn.asyncio import serve

        async def main():
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            await serve(self._app, self.cfg, shutdown_trigger=self._stop.wait)

        asyncio.run(main())

    def max_in_flight(self) -> int:
        done = [e for e in self.log if "finished" in e]
        return max((sum(1 for q in done if q["started"] <= e["started"] < q["finished"]) for e in done), default=0)

    def min_gap(self) -> float:
        starts = sorted(e["started"] for e in self.log)
        return min((b - a for a, b in zip(starts, starts[1:])), default=float("inf"))

    def close(self):
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)


@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    """Factory of TLSServer; the fetcher trusts their certificate (SSL_CERT_FILE, read by httpx's SSL context)."""
    from tests.test_api import _self_signed

    tls = _self_signed(tmp_path)          # a certificate for 127.0.0.1 (its own CA) and its key
    cert, key = tls["cert"], tls["key"]
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    made = []

    def make(**kw) -> TLSServer:
        made.append(TLSServer(cert, key, **kw))
        return made[-1]

    yield make
    for s in made:
        s.close()


def test_http2_multiplexes_one_connection_and_keeps_the_pacing(tls_server, tmp_path):
    srv = tls_server(delay=0.25)
    pages = {f"/news/{i}.html": _page(f"h2 {i}") for i in range(6)}
    for i, (path, body) in enumerate(pages.items()):
        srv.routes[path] = (body, ("br", "zstd", None)[i % 3])
    urls = [srv.url(p) for p in pages]
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(u) for u in urls], fast_fetch_settings(http2=True, read_timeout=2.0), storage,
                           run_id="h2")
    assert res.counts["fetched"] == 6, [(o.url, o.reason, o.error) for o in res.outcomes]
    assert {e["version"] for e in srv.log} == {"2"}                      # robots.txt and the pages, all over h2
    assert len({e["client_port"] for e in srv.log}) == 1                 # on one connection
    assert srv.max_in_flight() == 2                                      # two streams at once on it, never more
    assert srv.min_gap() >= 0.04                                         # min_delay 0.05 between two starts
    assert {e["accept_encoding"] for e in srv.log} == {b"gzip, deflate, br, zstd"}
    assert {p.url: p.body for p in iter_pages(storage, res.manifest)} == {srv.url(p): b for p, b in pages.items()}


def test_http2_off_by_default_and_http1_servers_still_answer_with_it_on(tls_server, news_server, tmp_path):
    h2srv = tls_server()
    h1srv = tls_server(h2=False)                                         # TLS, ALPN without h2
    plain = news_server(hosts=1)                                         # http://: never h2
    for s in (h2srv, h1srv):
        s.routes["/a.html"] = (_page("tls"), "br")
    plain.route("/a.html", Reply(body=_page("plain"), encoding="zstd"))
    # the same h2-capable server gets HTTP/1.1 while fetch.http2 is off (the default)
    res = fetch_candidates([Candidate(h2srv.url("/a.html"))], fast_fetch_settings(obey_robots=False),
                           Storage(tmp_path / "off"), run_id="off")
    assert res.counts["fetched"] == 1 and {e["version"] for e in h2srv.log} == {"1.1"}
    storage = Storage(tmp_path / "on")
    res = fetch_candidates([Candidate(h1srv.url("/a.html")), Candidate(plain.url("/a.html"))],
                           fast_fetch_settings(obey_robots=False, http2=True), storage, run_id="on")
    assert res.counts["fetched"] == 2, [(o.url, o.reason, o.error) for o in res.outcomes]
    assert {e["version"] for e in h1srv.log} == {"1.1"} and len(plain.requests()) == 1
    assert {p.url: p.body for p in iter_pages(storage, res.manifest)} == {
        h1srv.url("/a.html"): _page("tls"), plain.url("/a.html"): _page("plain")}
