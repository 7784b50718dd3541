"""The raw archive: every fetched response (status, headers, body as served) in WARC files under the storage root.

Layout: ``archive/YYYY/MM/DD/<run>-<n>-<random>.warc.gz`` (UTC fetch date), one gzip member per record, so a
record is addressed by ``"<relative path>#<byte offset>"`` (``Page.warc_ref``) and read back with one seek. A file
is written under a ``.open`` name and renamed when complete, so readers (and the date listing) never see half a
file. Works on any storage root (local folder, ``s3://``, ``memory://``) because it only uses ``Storage``.

Article responses carry an extra WARC header ``X-Newsetl-Page`` with the page's metadata (source, feed title and
date hints, language hint, tags, charset), so a reprocess from the archive needs nothing else: no network, no
batch files. robots.txt, feeds and sitemaps are archived too, without that header.

How a response came over the wire is kept as the IIPC proposals for WARC 1.1 have it (``iipc/warc-specifications``
issues 42 and 86): one ``WARC-Protocol`` header per protocol layer, the application's first (``h2``, ``http/1.1``,
``http/1.0``), then TLS's on https (``tls/1.3``, ``tls/1.2``), and ``WARC-Cipher-Suite`` with the TLS cipher suite's
IANA name. Readers hand them back as ``Page.protocols`` and ``Page.cipher_suite`` (``record_protocols``); a record
without them (a ``resource``, an archive older than this) reads as ``[]`` and None.

Purging (``blank_records``, for ``newsetl remove --purge-archive``): a record is replaced in its file by a purge
notice of exactly the same length, a gzip member holding a WARC ``metadata`` record (``X-Newsetl-Purged``, nothing
of the page: no URL, no headers, no body) whose gzip header pads it out with a comment. Every other record keeps its
offset, so the refs the fetch ledger, the page manifests and the page batches of runs hold stay valid, with nothing
to rewrite besides the WARC file. The file is written anew under another name and then renamed over the old one.
Readers skip the notices (``iter_warc`` yields only responses and resources); ``read_page`` of a purged record
raises ``PurgedRecord``, and ``iter_pages`` leaves it out. The file keeps its size: the space is not given back.

The URL index (``url_index_path``): beside the archive, under ``warc-index/YYYY/MM/DD/<file>.json.gz``, one small
file per WARC file lists every URL its response and resource records name (as ``record_urls`` reads them back: the
target and where a redirect points) and the WARC file's size. ``WarcArchive`` writes it when it closes a file, just
before the rename that lists the file, so a listed file written by this code has its index; the archive purge
writes it for a file it read that had none (an archive older than the index). A purge only ever takes records out
of a file, so the index lists at least what the file holds, for good: the purge reads a file only when its index
names something removed (``pipeline.removals.purge_archive``), and reads any file with no index, or one whose
size is not the index's.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import os
import posixpath
import re
import struct
import uuid
import zlib
from typing import Iterable, Iterator
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.page import Page
from pipeline.storage import Storage, file_stem

ARCHIVE_DIR = "archive"
URL_INDEX_DIR = "warc-index"
PAGE_META_HEADER = "X-Newsetl-Page"
PURGED_HEADER = "X-Newsetl-Purged"
PROTOCOL_HEADER = "WARC-Protocol"           # repeated, one per layer (IIPC proposal, warc-specifications#42)
CIPHER_SUITE_HEADER = "WARC-Cipher-Suite"   # IANA name of the TLS cipher suite (warc-specifications#86)
log = logging.getLogger("newsetl.archive")
_DAY_RE = re.compile(r"(?:^|/)archive/(\d{4})/(\d{2})/(\d{2})(?:/|$)")
_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class WarcArchive:
    """Writes records for one run; rolls to a new file past ``max_bytes``. Use as a context manager."""

    def __init__(self, storage: Storage, run_id: str, *, max_bytes: int = 256 * 1024 * 1024):
        self.storage = storage
        self.run = file_stem(run_id) or "run"
        self.max_bytes = max_bytes
        self.files: list[str] = []          # completed files (relative paths)
        self._rel: str | None = None
        self._cm = None
        self._f = None
        self._writer: WARCWriter | None = None
        self._seq = 0
        self._urls: list[str] = []          # what the current file's records name (its URL index)

    # -- file handling
    def _open(self) -> None:
        now = _utcnow()
        self._seq += 1
        name = f"{self.run}-{self._seq:04d}-{uuid.uuid4().hex[:8]}.warc.gz"
        self._rel = posixpath.join(ARCHIVE_DIR, now.strftime("%Y/%m/%d"), name)
        self._cm = self.storage.open(self._rel + ".open", "wb")
        self._f = self._cm.__enter__()
        self._urls = []
        self._writer = WARCWriter(self._f, gzip=True)
        info = self._writer.create_warcinfo_record(name, {"software": "newsetl", "format": "WARC File Format 1.1"})
        self._writer.write_record(info)

    def close(self) -> list[str]:
        """Finish the current file; returns all completed files of this archive."""
        if self._f is not None:
            size = self._f.tell()
            self._cm.__exit__(None, None, None)
            try:        # before the rename: a file listed has its index (a failure costs only a read by a purge)
                write_url_index(self.storage, self._rel, size, self._urls)
            except Exception as e:  # noqa: BLE001 - the file is whole; only the purge's shortcut is lost
                log.warning("could not write the URL index of %s (%s): an archive purge will read the file",
                            self._rel, e)
            self.storage.fs.mv(self.storage.full(self._rel + ".open"), self.storage.full(self._rel))
            self.files.append(self._rel)
            self._f = self._cm = self._writer = None
            self._rel = None
        return self.files

    def __enter__(self) -> "WarcArchive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, record) -> str:
        if self._f is None:
            self._open()
        offset = self._f.tell()
        self._writer.write_record(record)
        # the URLs as written (warcio percent-encodes a header that is not ASCII), so as a reader reads them back
        self._urls.extend(record_targets(record))
        ref = f"{self._rel}#{offset}"
        if self._f.tell() >= self.max_bytes:
            self.close()
        return ref

    # -- records
    def write_response(self, url: str, status: int, reason: str, headers: Iterable[tuple[str, str]], body: bytes,
                       *, page_meta: dict | None = None, ip: str | None = None,
                       fetched_at: str | None = None, protocols: Iterable[str] = (),
                       cipher_suite: str | None = None) -> str:
        """Archive an HTTP response (``body`` as received, content-encoding intact). Returns its ref.

        ``protocols``: the ``WARC-Protocol`` values, application layer first (``("h2", "tls/1.3")``), one header
        each; ``cipher_suite``: the ``WARC-Cipher-Suite`` value. Both left out when not given."""
        hdrs = [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP]
        http_headers = StatusAndHeaders(f"{status} {reason or ''}".strip(), hdrs, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": _warc_date(fetched_at)}
        if ip:
            warc_headers["WARC-IP-Address"] = ip
        if page_meta is not None:
            warc_headers[PAGE_META_HEADER] = json.dumps(page_meta, ensure_ascii=True, separators=(",", ":"))
        rec = self._writer_or_open().create_warc_record(url, "response", payload=io.BytesIO(body),
                                                        length=len(body), http_headers=http_headers,
                                                        warc_headers_dict=warc_headers)
        for proto in protocols:         # a header repeated per layer: a dict cannot hold them, the list can
            rec.rec_headers.add_header(PROTOCOL_HEADER, proto)
        if cipher_suite:
            rec.rec_headers.add_header(CIPHER_SUITE_HEADER, cipher_suite)
        return self._write(rec)

    def write_resource(self, url: str, body: bytes, content_type: str = "text/html", *,
                       page_meta: dict | None = None, fetched_at: str | None = None) -> str:
        """Archive a page that did not come over HTTP (saved files)."""
        warc_headers = {"WARC-Date": _warc_date(fetched_at)}
        if page_meta is not None:
            warc_headers[PAGE_META_HEADER] = json.dumps(page_meta, ensure_ascii=True, separators=(",", ":"))
        rec = self._writer_or_open().create_warc_record(url, "resource", payload=io.BytesIO(body), length=len(body),
                                                        warc_content_type=content_type,
                                                        warc_headers_dict=warc_headers)
        return self._write(rec)

    def write_page(self, page: Page, *, raw_headers: Iterable[tuple[str, str]] | None = None,
                   raw_body: bytes | None = None, reason: str = "", ip: str | None = None) -> str:
        """Archive a Page (as a response when it has a status code, else as a resource); sets ``page.warc_ref``.
        A response keeps ``page.protocols`` and ``page.cipher_suite``; a resource came over no protocol."""
        meta = page_meta(page)
        if page.status_code is not None and (raw_headers is not None or page.headers):
            ref = self.write_response(page.url, page.status_code, reason,
                                      raw_headers if raw_headers is not None else page.headers.items(),
                                      raw_body if raw_body is not None else page.body,
                                      page_meta=meta, ip=ip, fetched_at=page.fetched_at,
                                      protocols=page.protocols, cipher_suite=page.cipher_suite)
        else:
            ctype = page.headers.get("content-type", "text/html")
            ref = self.write_resource(page.url, page.body, ctype, page_meta=meta, fetched_at=page.fetched_at)
        page.warc_ref = ref
        return ref

    def _writer_or_open(self) -> WARCWriter:
        if self._writer is None:
            self._open()
        return self._writer


def _warc_date(iso: str | None) -> str:
    t = dt.datetime.fromisoformat(iso) if iso else _utcnow()
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_META_KEYS = ("source", "fetched_at", "status_code", "hint_title", "hint_published_at", "hint_language",
              "source_tags", "encoding")


def page_meta(page: Page) -> dict:
    return {k: getattr(page, k) for k in _META_KEYS if hasattr(page, k) and getattr(page, k) not in (None, [], "")}


# ---------------------------------------------------------------- reading

def record_payload(record) -> bytes:
    """The payload of a record, de-chunked and content-decoded: a response is archived as served (Content-Encoding
    intact). gzip and deflate are decoded by warcio, as they always were; br and zstd here (warcio knows no zstd, and
    its br decoder does not work with brotli 1.2's API). A coding nobody here decodes comes back as stored, as warcio
    has always done; a br or zstd record without its package raises ValueError naming the package."""
    enc = ""
    if record.http_headers is not None and record.rec_type == "response":
        enc = (record.http_headers.get_header("content-encoding") or "").strip().lower()
    if enc not in ("br", "zstd"):
        return record.content_stream().read()
    stream = record.raw_stream
    if (record.http_headers.get_header("transfer-encoding") or "").strip().lower() == "chunked":
        stream = ChunkedDataReader(stream)      # a foreign WARC may keep the chunks; ours never does
    raw = stream.read()
    if not raw:
        return raw
    target = record.rec_headers.get_header("WARC-Target-URI")
    if enc == "zstd":
        try:
            import zstandard
        except ImportError:
            raise ValueError(f"the record of {target} is zstd-encoded: reading it needs the zstandard package") from None
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw), read_across_frames=True) as r:
            return r.read()
    try:
        import brotli
    except ImportError:
        raise ValueError(f"the record of {target} is br-encoded: reading it needs the brotli package") from None
    return brotli.decompress(raw)


def record_protocols(record) -> tuple[list[str], str | None]:
    """How a record's response came over the wire: its ``WARC-Protocol`` values in order (application layer first)
    and its ``WARC-Cipher-Suite``; ``([], None)`` for a record without them (a resource, an older archive)."""
    protocols: list[str] = []
    cipher: str | None = None
    for name, value in record.rec_headers.headers:
        name = name.lower()
        if name == PROTOCOL_HEADER.lower():
            # one header a layer, as the proposal settled; a comma list (written by some tools before) split up
            protocols.extend(v.strip() for v in value.split(",") if v.strip())
        elif name == CIPHER_SUITE_HEADER.lower() and cipher is None and value.strip():
            cipher = value.strip()
    return protocols, cipher


def _record_to_page(record, ref: str) -> Page:
    url = record.rec_headers.get_header("WARC-Target-URI")
    meta_raw = record.rec_headers.get_header(PAGE_META_HEADER)
    meta = json.loads(meta_raw) if meta_raw else {}
    body = record_payload(record)            # de-chunked and content-decoded
    headers: dict[str, str] = {}
    status = None
    if record.http_headers is not None and record.rec_type == "response":
        for k, v in record.http_headers.headers:
            headers[k.lower()] = v
        headers.pop("content-encoding", None)   # the body handed over is decoded
        headers.pop("content-length", None)
        try:
            status = int(record.http_headers.get_statuscode())
        except (TypeError, ValueError):
            status = None
    else:
        ctype = record.rec_headers.get_header("Content-Type")
        if ctype:
            headers["content-type"] = ctype
    if not meta.get("fetched_at"):
        d = record.rec_headers.get_header("WARC-Date")
        meta["fetched_at"] = d.replace("Z", "+00:00") if d else None
    kwargs = {k: v for k, v in meta.items() if k in Page.__dataclass_fields__}
    kwargs.setdefault("status_code", status)
    kwargs["protocols"], kwargs["cipher_suite"] = record_protocols(record)
    return Page(url=url, body=body, headers=headers, warc_ref=ref, **kwargs)


class PurgedRecord(ValueError):
    """The record at a ref was purged from the archive (``newsetl remove --purge-archive``)."""


def read_page(storage: Storage, ref: str) -> Page:
    """The page archived at ``ref`` (``"<path>#<offset>"``); ``PurgedRecord`` when it was purged."""
    rel, _, off = ref.rpartition("#")
    if not rel or not off.isdigit():
        raise ValueError(f"not a WARC reference (path#offset): {ref!r}")
    with storage.open(rel, "rb") as f:
        f.seek(int(off))
        for record in ArchiveIterator(f):
            if record.rec_headers.get_header(PURGED_HEADER):
                raise PurgedRecord(f"the record at {ref} was purged from the archive: its article was removed "
                                   "(newsetl remove)")
            return _record_to_page(record, ref)
    raise ValueError(f"no WARC record at {ref!r}")


def iter_warc(storage: Storage, rel: str, *, articles_only: bool = True) -> Iterator[Page]:
    """Pages in one archived WARC file: the article records (those carrying page metadata) by default."""
    with storage.open(rel, "rb") as f:
        it = ArchiveIterator(f)
        for record in it:
            if record.rec_type not in ("response", "resource"):
                continue
            if articles_only and not record.rec_headers.get_header(PAGE_META_HEADER):
                continue
            page = _record_to_page(record, "")       # first: asking warcio for the offset reads the record out
            page.warc_ref = f"{rel}#{it.get_record_offset()}"
            yield page


def iter_pages(storage: Storage, refs_or_paths: Iterable[str] | str) -> Iterator[Page]:
    """Pages from the archive, no network. Each item may be a ref (``path#offset``), an archived WARC file
    (all its article records), or a JSONL manifest written by the fetcher (one object with ``warc_ref`` a line).
    A record purged since (its article removed) is left out, with a log line."""
    if isinstance(refs_or_paths, str):
        refs_or_paths = [refs_or_paths]
    for item in refs_or_paths:
        if "#" in item and item.rpartition("#")[2].isdigit():
            yield from _unless_purged(storage, [item])
        elif item.endswith(".warc.gz") or item.endswith(".warc"):
            yield from iter_warc(storage, item)
        elif item.endswith(".jsonl"):
            with storage.open(item, "r", encoding="utf-8") as f:
                refs = [json.loads(line).get("warc_ref") for line in f if line.strip()]
            yield from _unless_purged(storage, [ref for ref in refs if ref])
        else:
            raise ValueError(f"not a WARC ref, WARC file or manifest: {item!r}")


def _unless_purged(storage: Storage, refs: list[str]) -> Iterator[Page]:
    for ref in refs:
        try:
            yield read_page(storage, ref)
        except PurgedRecord as e:
            log.info("%s; left out", e)


def _as_date(x) -> dt.date | None:
    if x is None:
        return None
    if isinstance(x, dt.datetime):
        return x.astimezone(dt.timezone.utc).date() if x.tzinfo else x.date()
    if isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x)[:10])


def archive_day(rel: str) -> dt.date | None:
    """The UTC day a path under the archive is filed under: a day folder (``archive/YYYY/MM/DD``), a WARC file in it,
    or a record's ref (``…warc.gz#offset``); None for anything else."""
    m = _DAY_RE.search(rel)
    return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None


def list_warc_files(storage: Storage, start=None, end=None) -> list[str]:
    """Archived WARC files (relative paths, sorted) whose fetch date (UTC) lies in [start, end], both inclusive and
    optional (dates, datetimes or ISO strings). Files still being written are not listed."""
    lo, hi = _as_date(start), _as_date(end)
    out = []
    for rel in storage.glob(f"{ARCHIVE_DIR}/*/*/*/*.warc.gz"):
        d = archive_day(rel)
        if d is None or (lo and d < lo) or (hi and d > hi):
            continue
        out.append(rel)
    return out


# ---------------------------------------------------------------- purging

def record_urls(storage: Storage, rel: str) -> list[tuple[int, int, list[str]]]:
    """Every response and resource record of one archived WARC file: ``(offset, length in the file, URLs)``, the
    URLs being the record's target and, for a redirect, where it points (the purge notices are no such records)."""
    rows, offsets = [], []
    with storage.open(rel, "rb") as f:
        it = ArchiveIterator(f)
        for record in it:
            offsets.append(it.get_record_offset())
            if record.rec_type not in ("response", "resource"):
                continue
            rows.append((offsets[-1], record_targets(record)))
    ends = dict(zip(offsets, offsets[1:] + [storage.fs.size(storage.full(rel))]))
    return [(off, ends[off] - off, urls) for off, urls in rows]


def record_targets(record) -> list[str]:
    """The URLs a response or resource record names: its target and, for a redirect, where it points (none for any
    other record)."""
    if record.rec_type not in ("response", "resource"):
        return []
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    urls = [url]
    where = record.http_headers.get_header("Location") if record.http_headers is not None else None
    if where and where.strip():
        urls.append(urljoin(url, where.strip()))
    return urls


def url_index_path(rel: str) -> str:
    """The URL index of the archived WARC file ``rel`` (``archive/YYYY/MM/DD/<name>``): ``warc-index/YYYY/MM/DD/
    <name>.json.gz``."""
    head, _, tail = rel.partition("/")
    if head != ARCHIVE_DIR or not tail:
        raise ValueError(f"not an archived WARC file: {rel!r}")
    return f"{URL_INDEX_DIR}/{tail}.json.gz"


def write_url_index(storage: Storage, rel: str, size: int, urls: Iterable[str]) -> str:
    """Write the URL index of the WARC file ``rel`` of ``size`` bytes holding records of ``urls`` (atomically);
    its path."""
    path = url_index_path(rel)
    doc = {"format": 1, "file": rel, "size": int(size), "urls": sorted(set(urls))}
    data = gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), mtime=0)
    with storage.atomic_write(path, "wb") as f:
        f.write(data)
    return path


def read_url_indexes(storage: Storage, files: dict[str, int]) -> dict[str, list[str]]:
    """The URLs the indexes of ``files`` (WARC file -> its size now) list, for each file that has an index written
    for a file of that size; a file with none (written before there were indexes, or whose index could not be
    written or read) is left out: it must be read. One listing of the indexes, and the ones there read at once (an
    object store's in parallel)."""
    if not files:
        return {}
    wanted = {url_index_path(rel): rel for rel in files}
    present = [p for p in storage.find(URL_INDEX_DIR) if p in wanted]
    out: dict[str, list[str]] = {}
    for start in range(0, len(present), 256):
        part = present[start:start + 256]
        try:
            got = storage.fs.cat([storage.full(p) for p in part], on_error="return")
        except Exception as e:  # noqa: BLE001 - then each is read alone
            log.debug("could not read %d URL indexes at once (%s)", len(part), e)
            got = {}
        for p in part:
            data = got.get(storage.full(p))
            if not isinstance(data, bytes):
                try:
                    with storage.open(p, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
            rel = wanted[p]
            urls = _index_urls(data, rel, files[rel])
            if urls is not None:
                out[rel] = urls
    return out


def _index_urls(data: bytes, rel: str, size: int) -> list[str] | None:
    """The URLs of a URL index, None when it is not one for the file ``rel`` of ``size`` bytes."""
    try:
        doc = json.loads(gzip.decompress(data))
    except (OSError, ValueError, EOFError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != 1 or doc.get("file") != rel or doc.get("size") != size:
        return None
    urls = doc.get("urls")
    return urls if isinstance(urls, list) and all(isinstance(u, str) for u in urls) else None


class FileChanged(ValueError):
    """A WARC file is no longer the version its records were read from (``blank_records(..., version=…)``): another
    purge wrote it again meanwhile. Nothing was written."""


def blank_records(storage: Storage, rel: str, spans: Iterable[tuple[int, int]], *,
                  version: str | None = None) -> str | None:
    """Write the WARC file ``rel`` again with each record of ``spans`` (``(offset, length)``, from ``record_urls``)
    replaced by a purge notice of the same length (module docstring): under a temporary name, then renamed over
    ``rel`` (``Storage.atomic_write``; on a local disk synced first), so a crash leaves the old file or the new one.
    A record too short to hold a notice raises ValueError before anything is written.

    ``version`` (``Storage.versions``): the version the spans were read from; when the file read now is another,
    ``FileChanged`` is raised and nothing written, so that what is written is exactly what was read, less the
    spans. Returns the version of the file written, for the archive purge's checkpoint: on a folder its size, time
    and inode (a rename keeps them); on an object store the MD5 of what was written, which is the ETag a listing
    shows only for an object uploaded in one piece: compare it with a later listing, never assume it."""
    at = _warc_date(None)
    notices = sorted((off, n, _purge_notice(n, f"{rel}#{off}", at)) for off, n in spans)
    with storage.open(rel, "rb") as src:
        if version is not None and storage.file_version(src) != version:
            raise FileChanged(f"{rel} was written again since its records were read: not purged this time")
        with storage.atomic_write(rel, "wb") as f:
            dst = f if storage.is_local else _Digesting(f)
            pos = 0
            for off, n, notice in notices:
                _copy(src, dst, off - pos, rel)
                src.seek(off + n)
                dst.write(notice)
                pos = off + n
            _copy(src, dst, None, rel)
            if storage.is_local:
                f.flush()
                os.fsync(f.fileno())
                written = storage.file_version(f)
            else:
                written = f"{dst.md5.hexdigest()}:{dst.size}"
    return written


class _Digesting:
    """A file being written, and the MD5 and size of what was written to it."""

    def __init__(self, f):
        self.f, self.md5, self.size = f, hashlib.md5(usedforsecurity=False), 0

    def write(self, data: bytes) -> None:
        self.md5.update(data)
        self.size += len(data)
        self.f.write(data)


def _copy(src, dst, n: int | None, rel: str) -> None:
    """``n`` bytes (None: the rest) from ``src`` to ``dst``."""
    while n is None or n > 0:
        chunk = src.read(1 << 20 if n is None else min(n, 1 << 20))
        if not chunk:
            if n:
                raise ValueError(f"{rel} ends before the records it was read with: changed meanwhile? Not purged")
            return
        dst.write(chunk)
        if n is not None:
            n -= len(chunk)


def _purge_notice(length: int, ref: str, date: str) -> bytes:
    """A gzip member of exactly ``length`` bytes holding a WARC metadata record that says a record was purged at
    ``ref``; the rest of the length is the gzip header's comment (FCOMMENT: spaces, ended by a zero byte), which
    every gzip reader skips. Its record id is derived from ``ref``."""
    rid = uuid.uuid5(uuid.NAMESPACE_URL, "newsetl-purged:" + ref)
    record = (f"WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\nWARC-Date: {date}\r\n"
              f"{PURGED_HEADER}: removed\r\nContent-Length: 0\r\n\r\n\r\n\r\n").encode("ascii")
    z = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = z.compress(record) + z.flush()
    pad = length - 10 - len(body) - 8
    if pad < 0:
        raise ValueError(f"the record at {ref} is {length} bytes, too short for a purge notice ({length - pad}): "
                         "not purged")
    head = bytes([0x1F, 0x8B, 8, 0x10 if pad else 0, 0, 0, 0, 0, 0, 255]) + (b" " * (pad - 1) + b"\0" if pad else b"")
    return head + body + struct.pack("<II", zlib.crc32(record), len(record))
