"""WARC files written by the fetcher are valid (warcio reads them) and give back the same bytes; works on fsspec roots."""
from __future__ import annotations

import datetime as dt
import gzip

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline.archive import WarcArchive, iter_pages, list_warc_files, read_page
from pipeline.fetcher import Candidate, fetch_candidates
from pipeline.page import Page
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, fast_fetch_settings, html_page
from tests.plugins.shared import read_fundus_page


def test_roundtrip_bytes_headers_and_validity(news_server, tmp_path):
    srv = news_server(hosts=1)
    bodies = {
        "/plain.html": html_page("plain"),
        "/latin1.html": "<html><head><meta charset=iso-8859-1></head><body>Gr\u00fc\u00dfe</body></html>".encode("latin-1"),
        "/bom.html": b"\xef\xbb\xbf<html><body>bom</body></html>",
    }
    for p, b in bodies.items():
        srv.route(p, Reply(body=b, content_type="text/html"))
    gz_body = html_page("compressed " * 50)
    srv.route("/gz.html", Reply(body=gz_body, gzip=True, content_type="text/html; charset=utf-8"))
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(srv.url(p)) for p in [*bodies, "/gz.html"]],
                           fast_fetch_settings(obey_robots=False), storage, run_id="w")
    assert res.counts["fetched"] == 4
    by_url = {o.url: o for o in res.outcomes}
    for p, b in bodies.items():
        page = read_page(storage, by_url[srv.url(p)].warc_ref)
        assert page.body == b and page.url == srv.url(p) and page.status_code == 200
        assert page.headers["content-type"] == "text/html"
    assert read_page(storage, by_url[srv.url("/latin1.html")].warc_ref).encoding == "iso8859-1"   # from <meta>
    assert read_page(storage, by_url[srv.url("/bom.html")].warc_ref).encoding == "utf-8"
    gz = read_page(storage, by_url[srv.url("/gz.html")].warc_ref)
    assert gz.body == gz_body and "content-encoding" not in gz.headers

    # valid WARC: plain warcio reads every record, digests check out, the archived payload is as served (gzip)
    (rel,) = res.warc_files
    with open(storage.local_path(rel), "rb") as f:
        recs = list(ArchiveIterator(f, check_digests=True))
    types = [r.rec_type for r in recs]
    assert types[0] == "warcinfo" and types.count("response") == 4
    with open(storage.local_path(rel), "rb") as f:
        for r in ArchiveIterator(f):
            if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI").endswith("/gz.html"):
                assert r.http_headers.get_header("Content-Encoding") == "gzip"
                assert gzip.decompress(r.raw_stream.read()) == gz_body
                assert r.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"

    # listing by date and reading whole files
    today = dt.datetime.now(dt.timezone.utc).date()
    assert list_warc_files(storage, today, today) == [rel]
    assert list_warc_files(storage, today + dt.timedelta(days=1)) == []
    assert len(list(iter_pages(storage, rel))) == 4
    assert len(list(iter_pages(storage, res.manifest))) == 4


@pytest.mark.parametrize("root", ["memory://newsetl-archive-test"])
def test_fsspec_root(root):
    """A non-local storage root (fsspec memory://, standing in for s3://) works the same way."""
    storage = Storage(root)
    storage.remove("")
    pages = [Page(url=f"https://example.org/a/{i}", body=f"<html>{i}</html>".encode() * (i + 1),
                  headers={"content-type": "text/html"}, source="mem", hint_title=f"T{i}") for i in range(5)]
    with WarcArchive(storage, "mem", max_bytes=600) as arch:   # small: forces roll-over to several files
        refs = [arch.write_page(p) for p in pages]
    assert len(arch.files) > 1 and not storage.glob("archive/*/*/*/*.open")
    back = list(iter_pages(storage, refs))
    assert [(p.url, p.body, p.hint_title, p.source) for p in back] == [(p.url, p.body, p.hint_title, p.source)
                                                                         for p in pages]
    assert sorted(list_warc_files(storage)) == sorted(arch.files)


@pytest.mark.shared
def test_fundus_pages_roundtrip(news_server, fundus_manifest, tmp_path):
    """Real pages (fundus corpus) served over HTTP come back from the archive byte for byte."""
    srv = news_server(hosts=1)
    rows = fundus_manifest[:40]
    served = srv.serve_fundus(rows, read_fundus_page)
    storage = Storage(tmp_path / "s")
    res = fetch_candidates([Candidate(u) for u, _ in served], fast_fetch_settings(obey_robots=False, min_delay=0),
                           storage, run_id="fundus")
    assert res.counts["fetched"] == len(rows)
    by_url = {p.url: p for p in iter_pages(storage, res.manifest)}
    for url, row in served:
        assert by_url[url].body == read_fundus_page(row)
