"""A real HTTP/1.1 server on 127.0.0.1 for tests and benchmarks: several "hosts" (one port each), routes from a
dict, fault injection, conditional GET, and a request log with timestamps and per-host concurrency.

Usage in a test::

    def test_x(news_server):
        srv = news_server(hosts=2)                     # started now, stopped at teardown
        srv.route("/robots.txt", robots(disallow=["/private/"]))
        srv.route("/feed.xml", Reply(body=rss_feed([...]), content_type="application/rss+xml", etag='"v1"'))
        srv.route("/a/1.html", fail_then(Reply(body=b"<html>..."), status=500, times=1), host=1)
        url = srv.url("/feed.xml")                     # http://127.0.0.1:<port of host 0>/feed.xml
        ...
        assert srv.max_concurrency(0) <= 2 and srv.min_gap(0) >= 0.05
        assert not srv.requests(path="/private/x.html")

A route spec is a ``Reply``, ``bytes``/``str`` (an HTML 200), a list of specs (the n-th request gets the n-th, the
last repeats) or a callable ``(Request) -> spec``. Routes registered with ``host=None`` serve on every host.
``serve_fundus`` serves pages of the shared fundus corpus at their original paths.

Run stand-alone (benchmarks: keeps the server out of the measured process)::

    python -m tests.plugins.httpserver --hosts 20 --pages 500     # prints one JSON line with the base URLs
"""
from __future__ import annotations

import argparse
import gzip
import json
import select
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from xml.sax.saxutils import escape

import pytest

PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
             b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0               # seconds before the status line (the client sees a slow server)
    stream_bytes: int = 0            # instead of body: stream this many filler bytes in chunks
    chunk_delay: float = 0.0         # pause between streamed chunks
    etag: str | None = None          # conditional GET: If-None-Match match -> 304
    last_modified: str | None = None  # conditional GET: If-Modified-Since equal -> 304
    gzip: bool = False               # send the body with Content-Encoding: gzip
    encoding: str | None = None      # send the body encoded so (gzip, deflate, br, zstd; ``encode``), with that header


@dataclass
class Request:
    host: int                        # index of the host (port) it came to
    port: int
    method: str
    path: str
    headers: dict[str, str]
    started: float                   # time.monotonic() of its arrival (kernel receive timestamp when available)
    wall: float                      # time.time() of the same moment
    active: int = 0                  # live count of requests being handled on this host (itself included)
    finished: float | None = None
    status: int | None = None
    aborted: bool = False            # the client went away before the response was complete
    bytes_sent: int = 0
    body: bytes = b""                # what a POST sent


def encode(body: bytes, encoding: str) -> bytes:
    """``body`` in the content coding ``encoding``: gzip, deflate (zlib), br (brotli, quality 5) or zstd (level 3)."""
    import zlib

    if encoding == "gzip":
        return gzip.compress(body, mtime=0)      # the same bytes every time: a test can compare what was archived
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        import brotli
        return brotli.compress(body, quality=5)
    if encoding == "zstd":
        import zstandard
        return zstandard.ZstdCompressor(level=3).compress(body)
    raise ValueError(f"cannot encode a body as {encoding!r}")


def rss_feed(items: list[dict], title: str = "Test feed") -> bytes:
    """RSS 2.0 from dicts with url, title, date (RFC 822 string) and optional guid."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
             '<link>http://127.0.0.1/</link><description>test</description>']
    for it in items:
        parts.append("<item>")
        if it.get("title"):
            parts.append(f"<title>{escape(it['title'])}</title>")
        parts.append(f"<link>{escape(it['url'])}</link>")
        if it.get("date"):
            parts.append(f"<pubDate>{escape(it['date'])}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def atom_feed(items: list[dict], title: str = "Test feed") -> bytes:
    """Atom from dicts with url, title, date (ISO 8601)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>'
             f'{escape(title)}</title><id>urn:test</id><updated>2024-05-01T00:00:00Z</updated>']
    for i, it in enumerate(items):
        parts.append(f'<entry><id>urn:item:{i}</id><title>{escape(it.get("title", ""))}</title>'
                     f'<link href="{escape(it["url"])}"/>')
        if it.get("date"):
            parts.append(f"<updated>{escape(it['date'])}</updated><published>{escape(it['date'])}</published>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def dated_atom_feed(items: list[dict]) -> "Reply":
    """An Atom feed Reply from dicts with url, title, published and updated (datetimes): entries whose update time
    can differ from their publication (discovery's ``refetch_updated_days``). An item without ``published`` (or with
    None) is an entry with ``<updated>`` alone."""
    entries = "".join(
        f'<entry><id>urn:item:{i}</id><title>{escape(it.get("title", ""))}</title><link href="{escape(it["url"])}"/>'
        + (f'<published>{it["published"].isoformat()}</published>' if it.get("published") else "")
        + f'<updated>{it["updated"].isoformat()}</updated></entry>'
        for i, it in enumerate(items))
    newest = max(it["updated"] for it in items).isoformat()
    return Reply(body=('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>f'
                       f"</title><id>urn:f</id><updated>{newest}</updated>{entries}</feed>"),
                 content_type="application/atom+xml")


def sitemap(urls: list[dict], news: bool = False) -> bytes:
    """A urlset from dicts with url, lastmod, and (news=True) title, date, language."""
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>']
    for u in urls:
        parts.append(f"<url><loc>{escape(u['url'])}</loc>")
        if u.get("lastmod"):
            parts.append(f"<lastmod>{u['lastmod']}</lastmod>")
        if news:
            parts.append("<news:news><news:publication><news:name>Test</news:name>"
                         f"<news:language>{u.get('language', 'en')}</news:language></news:publication>"
                         f"<news:publication_date>{u.get('date', '')}</news:publication_date>"
                         f"<news:title>{escape(u.get('title', ''))}</news:title></news:news>")
        parts.append("</url>")
    parts.append("</urlset>")
    return "".join(parts).encode("utf-8")


def sitemap_index(urls: list[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{body}</sitemapindex>").encode()


def robots(disallow: list[str] = (), crawl_delay: float | None = None, agent: str = "*") -> Reply:
    lines = [f"User-agent: {agent}"] + [f"Disallow: {d}" for d in disallow]
    if crawl_delay is not None:
        lines.append(f"Crawl-delay: {crawl_delay}")
    return Reply(body="\n".join(lines) + "\n", content_type="text/plain")


def html_page(title: str, text: str = "", lang: str = "en") -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>" for p in (text or f"{title}. " * 20).split("\n\n"))
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><article><h1>{escape(title)}</h1>{paras}</article></body></html>").encode("utf-8")


# fault builders ------------------------------------------------------------------------------------------------

def fail_then(ok: Any, status: int = 500, times: int = 1, retry_after: float | None = None) -> list:
    """``times`` failures with ``status`` (and a Retry-After header), then ``ok`` for good."""
    hdr = {"Retry-After": str(int(retry_after) if float(retry_after).is_integer() else retry_after)} \
        if retry_after is not None else {}
    return [Reply(status=status, body=f"error {status}", content_type="text/plain", headers=hdr)] * times + [ok]


def slow(seconds: float, then: Any = b"<html>late</html>") -> Reply:
    r = then if isinstance(then, Reply) else Reply(body=then)
    return Reply(**{**r.__dict__, "delay": seconds})


def huge(nbytes: int = 20 * 1024 * 1024, content_type: str = "text/html", send_length: bool = False) -> Reply:
    return Reply(stream_bytes=nbytes, content_type=content_type,
                 headers={"Content-Length": str(nbytes)} if send_length else {})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, body=b"", headers={"Location": location})


def png() -> Reply:
    return Reply(body=PNG_BYTES, content_type="image/png")


# the server ----------------------------------------------------------------------------------------------------

_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsetl-testserver"

    def log_message(self, *a):  # quiet
        pass

    def setup(self):
        super().setup()
        try:  # the kernel stamps each packet on arrival: the log's start times do not depend on thread scheduling
            self.connection.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        except OSError:
            pass

    def handle_one_request(self):
        self._arrival = None
        try:
            select.select([self.connection], [], [])
            _, anc, _, _ = self.connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(data) >= 16:
                    sec, nsec = struct.unpack("qq", data[:16])
                    self._arrival = sec + nsec / 1e9
        except (OSError, ValueError):
            pass
        super().handle_one_request()

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def do_POST(self):                 # a webhook receiver: the request's body is kept in the log (Request.body)
        self._serve(head=False)

    def _client_gone(self) -> bool:
        try:
            r, _, _ = select.select([self.connection], [], [], 0)
            return bool(r) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _serve(self, head: bool):
        srv: NewsServer = self.server.news  # type: ignore[attr-defined]
        hidx = self.server.host_index  # type: ignore[attr-defined]
        req = srv._begin(hidx, self.server.server_address[1], self.command, self.path,
                         {k.lower(): v for k, v in self.headers.items()}, getattr(self, "_arrival", None))
        if self.command == "POST":
            req.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            spec = srv._resolve(hidx, self.path.split("?", 1)[0], req)
            self._reply(spec, req, head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout):
            req.aborted = True
            self.close_connection = True
        finally:
            srv._end(req)

    def _reply(self, r: Reply, req: Request, head: bool):
        if r.delay:
            until = time.monotonic() + r.delay
            while time.monotonic() < until:
                if self._client_gone():
                    req.aborted = True
                    self.close_connection = True
                    return
                time.sleep(0.01)
        body = r.body.encode("utf-8") if isinstance(r.body, str) else r.body
        inm, ims = req.headers.get("if-none-match"), req.headers.get("if-modified-since")
        status = r.status
        if status == 200 and ((r.etag and inm and r.etag in [t.strip() for t in inm.split(",")])
                              or (r.last_modified and ims and ims == r.last_modified and not inm)):
            status, body = 304, b""
        if r.gzip and body and status != 304:
            body = gzip.compress(body)
        if r.encoding and body and status != 304:
            body = encode(body, r.encoding)
        req.status = status
        self.send_response(status)
        if r.content_type and status != 304:
            self.send_header("Content-Type", r.content_type)
        if r.etag:
            self.send_header("ETag", r.etag)
        if r.last_modified:
            self.send_header("Last-Modified", r.last_modified)
        if r.gzip and status != 304:
            self.send_header("Content-Encoding", "gzip")
        if r.encoding and status != 304:
            self.send_header("Content-Encoding", r.encoding)
        for k, v in r.headers.items():
            self.send_header(k, v)
        if r.stream_bytes and status != 304:
            if "Content-Length" not in r.headers:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if head:
                return
            chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
            sent, chunked = 0, "Content-Length" not in r.headers
            while sent < r.stream_bytes:
                piece = chunk[: r.stream_bytes - sent]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                if sent + len(piece) >= r.stream_bytes and not chunked:
                    req.finished = time.monotonic()
                sent += len(piece)
                req.bytes_sent = sent
                if r.chunk_delay:
                    time.sleep(r.chunk_delay)
            if chunked:
                req.finished = time.monotonic()
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            return
        if "Content-Length" not in r.headers:
            self.send_header("Content-Length", str(len(body)))
        # "finished" is stamped before the last bytes go out, so the client can never have the whole response
        # (and send its next request) before the log counts this one as done
        req.finished = time.monotonic()
        self.end_headers()
        if not head and body:
            self.wfile.write(body)
            req.bytes_sent = len(body)
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def server_bind(self):
        try:  # accepted sockets inherit it, so even the first request of a connection gets its arrival stamp
            self.socket.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        except OSError:
            pass
        super().server_bind()


class NewsServer:
    def __init__(self, hosts: int = 1, *, keep_log: bool = True):
        self.routes: dict[tuple[int | None, str], Any] = {}
        self.counts: dict[tuple[int, str], int] = {}
        self.log: list[Request] = []
        self.keep_log = keep_log
        self.total = 0
        self._lock = threading.Lock()
        self._active: dict[int, int] = {}
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        for i in range(hosts):
            s = _Server(("127.0.0.1", 0), _Handler)
            s.news = self
            s.host_index = i
            t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            t.start()
            self._servers.append(s)
            self._threads.append(t)

    # -- addresses
    @property
    def ports(self) -> list[int]:
        return [s.server_address[1] for s in self._servers]

    def base(self, host: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[host]}"

    def url(self, path: str, host: int = 0) -> str:
        return self.base(host) + path

    def host_of(self, url_or_port) -> int:
        port = url_or_port if isinstance(url_or_port, int) else int(url_or_port.split("://", 1)[1].split("/")[0]
                                                                    .rsplit(":", 1)[1])
        return self.ports.index(port)

    # -- routes
    def route(self, path: str, spec: Any, host: int | None = 0) -> str:
        """Serve ``spec`` at ``path`` on host ``host`` (None: every host). Returns the URL (on host 0 if None)."""
        self.routes[(host, path)] = spec
        return self.url(path, host or 0)

    def routes_from(self, mapping: dict[str, Any], host: int | None = 0) -> None:
        for p, spec in mapping.items():
            self.route(p, spec, host)

    def serve_fundus(self, rows: list[dict], read: Callable[[dict], bytes], host: int = 0,
                     prefix: str = "") -> list[tuple[str, dict]]:
        """Serve fundus pages (gzip files read by ``read``) at their original paths. Returns (local URL, row)."""
        from urllib.parse import urlsplit

        out = []
        for i, row in enumerate(rows):
            p = urlsplit(row["url"])
            path = f"{prefix}/{i}{p.path or '/'}"
            self.route(path, (lambda req, r=row: Reply(body=read(r))), host)
            out.append((self.url(path, host), row))
        return out

    def _resolve(self, hidx: int, path: str, req: Request) -> Reply:
        spec = self.routes.get((hidx, path), self.routes.get((None, path)))
        with self._lock:
            n = self.counts.get((hidx, path), 0)
            self.counts[(hidx, path)] = n + 1
        if spec is None:
            return Reply(status=404, body="not found", content_type="text/plain")
        while True:
            if isinstance(spec, list):
                spec = spec[min(n, len(spec) - 1)]
            elif callable(spec) and not isinstance(spec, Reply):
                try:
                    spec = spec(req)
                except TypeError:
                    spec = spec()
            else:
                break
        if isinstance(spec, (bytes, str)):
            spec = Reply(body=spec)
        return spec

    # -- the log
    def _begin(self, hidx, port, method, path, headers, arrival: float | None = None) -> Request:
        now_m, now_w = time.monotonic(), time.time()
        started = now_m - max(0.0, now_w - arrival) if arrival else now_m
        with self._lock:
            a = self._active.get(hidx, 0) + 1
            self._active[hidx] = a
            req = Request(hidx, port, method, path, headers, started, arrival or now_w, active=a)
            self.total += 1
            if self.keep_log:
                self.log.append(req)
        return req

    def _end(self, req: Request) -> None:
        with self._lock:
            self._active[req.host] -= 1
            if req.finished is None or req.aborted:
                req.finished = time.monotonic()

    def requests(self, host: int | None = None, path: str | None = None, prefix: str | None = None) -> list[Request]:
        with self._lock:
            log = list(self.log)
        return [r for r in log if (host is None or r.host == host) and (path is None or r.path == path)
                and (prefix is None or r.path.startswith(prefix))]

    def max_concurrency(self, host: int | None = None) -> int:
        """Most requests in flight at once on ``host`` (None: on any one host), from the logged intervals
        [arrival of the request, response complete]."""
        hosts = [host] if host is not None else sorted({r.host for r in self.requests()})
        best = 0
        for h in hosts:
            reqs = self.requests(h)
            for r in reqs:
                n = sum(1 for q in reqs if q.started <= r.started and (q.finished is None or q.finished > r.started))
                best = max(best, n)
        return best

    def min_gap(self, host: int) -> float:
        """Smallest time between the starts of two requests to ``host`` (inf when fewer than two)."""
        starts = sorted(r.started for r in self.requests(host))
        return min((b - a for a, b in zip(starts, starts[1:])), default=float("inf"))

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.counts.clear()

    def close(self) -> None:
        for s in self._servers:
            s.shutdown()
            s.server_close()


@pytest.fixture
def news_server():
    """Factory: ``news_server(hosts=1)`` starts a NewsServer on 127.0.0.1; all are stopped at teardown."""
    made: list[NewsServer] = []

    def make(hosts: int = 1, **kw) -> NewsServer:
        s = NewsServer(hosts, **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def serve_pages(srv: NewsServer, n: int, size: int = 20_000, hosts: int | None = None) -> list[str]:
    """Register ``n`` synthetic article pages spread round-robin over the hosts; returns their URLs."""
    k = hosts or len(srv.ports)
    body = html_page("Benchmark article", "Lorem ipsum dolor sit amet. " * max(1, size // 28))
    urls = []
    for i in range(n):
        h = i % k
        urls.append(srv.route(f"/news/{i}.html", Reply(body=body), host=h))
    return urls


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Serve synthetic news pages on 127.0.0.1 (one port per host).")
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--size", type=int, default=20_000, help="bytes per page")
    a = ap.parse_args(argv)
    srv = NewsServer(a.hosts, keep_log=False)
    urls = serve_pages(srv, a.pages, a.size)
    srv.route("/robots.txt", robots(), host=None)
    print(json.dumps({"hosts": [srv.base(i) for i in range(a.hosts)], "urls": urls}), flush=True)
    try:
        sys.stdin.read()      # serve until stdin closes (the parent exits or closes the pipe)
    finally:
        srv.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def fast_fetch_settings(**over):
    """FetchSettings for tests: 127.0.0.1 allow-listed (and nothing else), small delays and timeouts."""
    from pipeline.settings.fetch import FetchSettings

    base = dict(min_delay=0.05, connect_timeout=1.0, read_timeout=0.3, total_timeout=3.0, max_retries=2,
                backoff_base=0.05, backoff_max=0.2, max_retry_after=5.0, allow_addresses=["127.0.0.1"])
    base.update(over)
    return FetchSettings(**base)
