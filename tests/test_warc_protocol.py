"""The archive says how each response came over the wire: WARC-Protocol (one header a layer, application first) and
WARC-Cipher-Suite (IANA name), as the IIPC proposals for WARC 1.1 have them; real servers on 127.0.0.1.

Plain HTTP/1.1 (the news server) and HTTP/1.0 (a small server here), HTTP/2 and HTTP/1.1 over TLS (hypercorn, the
helpers of test_fetch_encodings), TLS 1.3 and, with the client capped, TLS 1.2 (whose OpenSSL cipher name becomes the
IANA one). The headers are read back raw with warcio, and through the archive readers into pages; records without
them (older archives, resources) still read.
"""
from __future__ import annotations

import io
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.archive import WarcArchive, iter_pages, iter_warc, list_warc_files, read_page
from pipeline.fetcher import Candidate, fetch_candidates
from pipeline.page import Page
from pipeline.storage import Storage
from tests import test_fetch_encodings
from tests.plugins.httpserver import Reply, fast_fetch_settings, html_page

tls_server = test_fetch_encodings.tls_server      # its fixture: hypercorn over TLS, a certificate the fetcher trusts

TLS13_SUITES = {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"}


def _raw_protocols(storage: Storage, root) -> dict[str, tuple[list[str], list[str]]]:
    """Target URL -> (every WARC-Protocol value in order, every WARC-Cipher-Suite value) of each response record, as
    the file holds them (warcio, no newsetl reader)."""
    out = {}
    for rel in list_warc_files(storage):
        with open(root / rel, "rb") as f:
            for rec in ArchiveIterator(f):
                if rec.rec_type != "response":
                    continue
                hdrs = rec.rec_headers.headers
                out[rec.rec_headers.get_header("WARC-Target-URI")] = (
                    [v for k, v in hdrs if k.lower() == "warc-protocol"],
                    [v for k, v in hdrs if k.lower() == "warc-cipher-suite"])
    return out


def _fetch(urls, storage, **settings):
    res = fetch_candidates([Candidate(u) for u in urls], fast_fetch_settings(**settings), storage, run_id="proto")
    assert res.counts["fetched"] == len(urls), [(o.url, o.reason, o.error) for o in res.outcomes]
    return res


def _read_back(storage: Storage, res) -> dict[str, tuple[list[str], str | None]]:
    """URL -> (protocols, cipher suite) through each reader, checked to agree: by ref, manifest and WARC file."""
    by_ref = {o.url: read_page(storage, o.warc_ref) for o in res.outcomes}
    by_manifest = {p.url: p for p in iter_pages(storage, res.manifest)}
    by_file = {p.url: p for rel in res.warc_files for p in iter_warc(storage, rel)}
    got = {u: (p.protocols, p.cipher_suite) for u, p in by_ref.items()}
    assert {u: (p.protocols, p.cipher_suite) for u, p in by_manifest.items()} == got
    assert {u: (p.protocols, p.cipher_suite) for u, p in by_file.items()} == got
    return got


def test_plain_http11_is_recorded_without_tls_fields(news_server, tmp_path):
    srv = news_server(hosts=1)
    url = srv.route("/a.html", Reply(body=html_page("plain", "An article over plain HTTP/1.1.")))
    srv.route("/robots.txt", Reply(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    storage = Storage(tmp_path / "s")
    res = _fetch([url], storage)
    raw = _raw_protocols(storage, tmp_path / "s")
    assert raw[url] == (["http/1.1"], [])
    assert raw[srv.url("/robots.txt")] == (["http/1.1"], [])        # every response record, not only articles
    assert _read_back(storage, res) == {url: (["http/1.1"], None)}
    # the page the fetch handed over (its manifest line) says so too
    assert [(m["protocols"], m["cipher_suite"]) for m in storage.read_jsonl(res.manifest)] == [(["http/1.1"], None)]


class _Http10Handler(BaseHTTPRequestHandler):
    """Answers every GET with a small HTML page in HTTP/1.0 (BaseHTTPRequestHandler's own protocol_version)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        body = html_page("old", "An article from a server that speaks HTTP/1.0 only.")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_http10_server_is_recorded_as_http10(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Http10Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/old.html"
        storage = Storage(tmp_path / "s")
        res = _fetch([url], storage, obey_robots=False)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert _raw_protocols(storage, tmp_path / "s")[url] == (["http/1.0"], [])
    assert _read_back(storage, res) == {url: (["http/1.0"], None)}


def test_http2_over_tls_records_h2_tls_and_the_cipher_suite(tls_server, tmp_path):
    srv = tls_server()
    srv.routes["/a.html"] = (html_page("h2", "An article over HTTP/2."), "br")
    storage = Storage(tmp_path / "s")
    res = _fetch([srv.url("/a.html")], storage, http2=True, read_timeout=2.0)
    assert {e["version"] for e in srv.log} == {"2"}                      # robots.txt (a 404) and the page
    raw = _raw_protocols(storage, tmp_path / "s")
    assert set(raw) == {srv.url("/robots.txt"), srv.url("/a.html")}
    for protocols, ciphers in raw.values():
        assert protocols == ["h2", "tls/1.3"]
        assert len(ciphers) == 1 and ciphers[0] in TLS13_SUITES
    assert _read_back(storage, res) == {srv.url("/a.html"): (["h2", "tls/1.3"], raw[srv.url("/a.html")][1][0])}


def test_http11_over_tls_records_http11_and_tls(tls_server, tmp_path):
    srv = tls_server(h2=False)                                           # ALPN without h2
    srv.routes["/a.html"] = (html_page("tls", "An article over HTTPS, HTTP/1.1."), None)
    storage = Storage(tmp_path / "s")
    res = _fetch([srv.url("/a.html")], storage, http2=True, obey_robots=False, read_timeout=2.0)
    protocols, ciphers = _raw_protocols(storage, tmp_path / "s")[srv.url("/a.html")]
    assert protocols == ["http/1.1", "tls/1.3"] and len(ciphers) == 1 and ciphers[0] in TLS13_SUITES
    assert _read_back(storage, res) == {srv.url("/a.html"): (protocols, ciphers[0])}


def test_tls12_records_the_iana_name_of_the_cipher_suite(tls_server, tmp_path, monkeypatch):
    """TLS 1.2 (the client capped to it): OpenSSL calls the suite e.g. ECDHE-ECDSA-AES256-GCM-SHA384, the archive
    keeps IANA's TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (the test certificate has an EC key)."""
    real = httpx.create_ssl_context

    def tls12(*a, **kw):
        ctx = real(*a, **kw)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    monkeypatch.setattr(httpx, "create_ssl_context", tls12)
    srv = tls_server()
    srv.routes["/a.html"] = (html_page("tls12", "An article over TLS 1.2."), None)
    storage = Storage(tmp_path / "s")
    res = _fetch([srv.url("/a.html")], storage, http2=True, obey_robots=False, read_timeout=2.0)
    protocols, ciphers = _raw_protocols(storage, tmp_path / "s")[srv.url("/a.html")]
    assert protocols == ["h2", "tls/1.2"]
    assert len(ciphers) == 1 and ciphers[0].startswith("TLS_ECDHE_ECDSA_WITH_") and "-" not in ciphers[0], ciphers
    assert ciphers[0] in {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"}
    assert _read_back(storage, res) == {srv.url("/a.html"): (["h2", "tls/1.2"], ciphers[0])}


def test_every_suite_the_fetcher_offers_has_its_iana_name():
    from pipeline.fetcher import iana_cipher_suite, wire_protocols

    ctx = httpx.create_ssl_context()

    class Negotiated:          # what an ssl.SSLObject answers after a handshake that chose ``name``
        def __init__(self, name, version="TLSv1.2"):
            self.name, self.v, self.context = name, version, ctx

        def cipher(self):
            return (self.name, self.v, 256)

        def version(self):
            return self.v

    names = {c["name"]: iana_cipher_suite(Negotiated(c["name"])) for c in ctx.get_ciphers()}
    assert names and all(n.startswith("TLS_") and "-" not in n for n in names.values()), names
    assert names.get("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") == \
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    assert iana_cipher_suite(Negotiated("NOT-A-SUITE")) == "NOT-A-SUITE"       # unknown: OpenSSL's name, as is
    assert wire_protocols("HTTP/1.1") == (("http/1.1",), None)
    assert wire_protocols("HTTP/2", Negotiated("TLS_AES_128_GCM_SHA256", "TLSv1.3")) == (
        ("h2", "tls/1.3"), "TLS_AES_128_GCM_SHA256")


def test_records_without_the_fields_still_read(tmp_path):
    """A WARC written before newsetl recorded the protocol (warcio alone, as the archive used to), a resource record
    (a saved file: no protocol at all), and a page re-archived from a foreign WARC that says how its crawler got it."""
    storage = Storage(tmp_path / "s")
    old_rel = "archive/2024/05/01/old-0001-abcdef12.warc.gz"
    (tmp_path / "s" / "archive/2024/05/01").mkdir(parents=True)
    body = html_page("old", "Archived before WARC-Protocol.")
    with open(tmp_path / "s" / old_rel, "wb") as f:
        w = WARCWriter(f, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example.org/old", "response", payload=io.BytesIO(body),
                                            length=len(body), http_headers=http,
                                            warc_headers_dict={"X-Newsetl-Page": '{"source":"old"}'}))
    [page] = list(iter_warc(storage, old_rel))
    assert (page.url, page.body, page.protocols, page.cipher_suite) == ("https://news.example.org/old", body, [], None)
    assert read_page(storage, page.warc_ref).protocols == []

    with WarcArchive(storage, "res") as arch:
        ref = arch.write_page(Page(url="https://news.example.org/saved", body=body, status_code=None,
                                   headers={"content-type": "text/html"}))
    with open(tmp_path / "s" / ref.rpartition("#")[0], "rb") as f:
        f.seek(int(ref.rpartition("#")[2]))
        rec = next(iter(ArchiveIterator(f)))
        assert rec.rec_type == "resource" and rec.rec_headers.get_header("WARC-Protocol") is None
    assert (read_page(storage, ref).protocols, read_page(storage, ref).cipher_suite) == ([], None)

    # a foreign WARC (the warc source kind) whose record says how it was fetched: kept on the copy in our archive
    foreign = tmp_path / "foreign.warc.gz"
    with open(foreign, "wb") as f:
        w = WARCWriter(f, gzip=True)
        w.write_record(w.create_warcinfo_record("foreign.warc.gz", {"software": "another crawler"}))
        offset = f.tell()
        rec = w.create_warc_record("https://news.example.org/foreign", "response", payload=io.BytesIO(body),
                                   length=len(body), http_headers=StatusAndHeaders(
                                       "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"))
        for v in ("h2", "tls/1.3"):
            rec.rec_headers.add_header("WARC-Protocol", v)
        rec.rec_headers.add_header("WARC-Cipher-Suite", "TLS_AES_128_GCM_SHA256")
        w.write_record(rec)
    res = fetch_candidates([Candidate("https://news.example.org/foreign", source="w", kind="warc",
                                      location=f"{foreign}#{offset}")], fast_fetch_settings(), storage, run_id="w")
    assert res.counts["fetched"] == 1, res.outcomes
    assert _raw_protocols(storage, tmp_path / "s")["https://news.example.org/foreign"] == (
        ["h2", "tls/1.3"], ["TLS_AES_128_GCM_SHA256"])
    again = read_page(storage, res.outcomes[0].warc_ref)
    assert (again.protocols, again.cipher_suite) == (["h2", "tls/1.3"], "TLS_AES_128_GCM_SHA256")
