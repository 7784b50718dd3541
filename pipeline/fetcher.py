"""The polite, SSRF-safe fetcher: candidates in, pages archived to WARC, one terminal state per URL out.

Every candidate URL ends as exactly one of:

- ``fetched``: the response is archived (``warc_ref``) and listed in the run's page manifest;
- ``not_modified``: a re-fetch answered 304 to our conditional GET;
- ``skipped``: we already have it (``already_archived``), it repeats an earlier candidate (``duplicate``), or
  ``newsetl remove`` took it out for good (``removed``: its id has a removal record, or its domain or a parent domain
  was removed; not requested, not archived, no dead letter). The caller hands over the ``removals`` to check
  (``pipeline.removals.Blocklist``, one ``mget`` for the whole call, and one for each redirect of a page, whose
  target is checked before the redirect is archived or followed); when the cluster cannot answer, the candidates
  are fetched all the same, with a warning: every load leaves the removed out again.
- ``dead_letter``: with a reason — ``robots``, ``blocked_address``, ``blocked_scheme``, ``dns_error``,
  ``connect_error``, ``timeout``, ``http_<code>``, ``too_large``, ``not_html``, ``redirect_loop``,
  ``too_many_redirects``, ``host_paused``, ``robots_unavailable``, ``read_error``, ``unsupported_encoding``,
  ``invalid_url``, ``file_missing`` — written to ``deadletter/fetch/<run>/<part>.jsonl`` (``pipeline.deadletter``).

Politeness: at most ``per_host_concurrency`` (≤ 2) requests in flight per host (scheme-less ``host:port``), at least
``min_delay`` seconds (``host_min_delay``'s for a host listed there) between the starts of two requests to one host
(a larger robots.txt Crawl-delay wins, capped by
``max_crawl_delay``), ``concurrency`` requests overall, robots.txt obeyed (fetched once per host and session, or
kept for ``robots_cache_hours`` in a shared ``pacing_dir``).
The per-host clock (``pipeline.pacing``) is shared by every process using the same ``pacing_dir`` (by default the
storage root's, when it is a local folder), else process-wide: mapped fetch tasks of one source, and discovery
followed by fetching, stay polite together.

The core is async (httpx); ``fetch_candidates`` is the plain function Airflow tasks and the CLI call.
"""
from __future__ import annotations

import asyncio
import codecs
import datetime as dt
import email.utils
import itertools
import logging
import os
import random
import re
import threading
import uuid
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from pipeline.archive import WarcArchive, record_payload, record_protocols
from pipeline.deadletter import DeadLetter, write_dead_letters
from pipeline.pacing import pacing_for
from pipeline.page import Page
from pipeline.settings.fetch import FetchSettings
from pipeline.ssrf import AddressPolicy, FetchRefused, GuardedBackend, precheck_url
from pipeline.storage import Storage, file_stem
from pipeline.times import parse_time
from pipeline.wording import counted

try:
    from pipeline.urls import canonicalize, doc_id
except ImportError:  # pragma: no cover - urls.py is written by the processing stage
    import hashlib

    def canonicalize(url: str) -> str:
        return url.split("#", 1)[0].strip()

    def doc_id(url: str) -> str:
        return hashlib.sha256(canonicalize(url).encode()).hexdigest()

STATES = ("fetched", "not_modified", "skipped", "dead_letter")
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
MANIFEST_DIR = "manifests/fetch"
LEDGER_DIR = "ledger/fetch"
log = logging.getLogger("newsetl.fetcher")
# the ids of this process's turns at the hosts' clocks (pipeline.pacing: pending until the request leaves)
_TURNS = itertools.count()


@dataclass
class _Turn:
    id: str
    sent: bool = False      # its request's headers left (the clock was told)


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _fetch_settings(settings) -> FetchSettings:
    from pipeline.settings import section

    return section(settings, FetchSettings, "fetch")


# ------------------------------------------------------------------ data passed between stages

@dataclass
class Candidate:
    """A URL to fetch, with what discovery knew about it. JSON-serialisable (``to_dict``/``from_dict``)."""
    url: str
    source: str = ""
    hint_title: str | None = None
    hint_published_at: str | None = None
    hint_language: str | None = None
    source_tags: list[str] = field(default_factory=list)
    kind: str = "http"             # http | file (saved page at ``location``) | warc (``location`` = "file#offset")
    location: str | None = None
    refetch: bool = False
    etag: str | None = None        # for a conditional re-fetch
    last_modified: str | None = None
    first_fetched_at: str | None = None     # a re-fetch: when the article was first fetched (carried to its new entry)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], False)}

    @classmethod
    def from_dict(cls, d: dict) -> "Candidate":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    @property
    def doc_id(self) -> str:
        return doc_id(self.url)


@dataclass
class Outcome:
    url: str
    state: str                      # one of STATES
    reason: str | None = None       # for skipped and dead_letter
    error: str = ""
    final_url: str | None = None
    status_code: int | None = None
    warc_ref: str | None = None
    doc_id: str | None = None
    attempts: int = 0

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass
class FetchResult:
    run_id: str
    outcomes: list[Outcome] = field(default_factory=list)
    warc_files: list[str] = field(default_factory=list)     # archived this run (relative to the storage root)
    manifest: str | None = None       # JSONL of fetched pages' metadata (with warc_ref): input for processing
    deadletter_file: str | None = None
    ledger_segment: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(o.state for o in self.outcomes)
        return {s: c.get(s, 0) for s in STATES}

    @property
    def reasons(self) -> dict[str, int]:
        return dict(Counter(o.reason for o in self.outcomes if o.reason))

    @property
    def refs(self) -> list[str]:
        return [o.warc_ref for o in self.outcomes if o.state == "fetched" and o.warc_ref]

    def summary(self) -> dict:
        return {"run_id": self.run_id, "counts": self.counts, "reasons": self.reasons, "warc_files": self.warc_files,
                "manifest": self.manifest, "deadletter_file": self.deadletter_file}


# ------------------------------------------------------------------ the ledger of what is archived

class Ledger:
    """Canonical URLs already fetched, under ``ledger/fetch/`` of the storage root.

    Append-only JSONL segments, one per fetch call (``<run>-<random>.jsonl``), so concurrent workers never write
    the same object and it works on object stores without append (s3). Loading reads every segment and keeps, for each
article, its latest entry (``confirmed_at``: the last fetch, or a later check answered 304), whatever order the
segments are listed in (a manual run's name sorts before a scheduled one's); past
    ``COMPACT_AT`` files, ``compact`` merges them into one (safe to run concurrently: merged segments are only
    deleted after the merged copy is written). A file a concurrent compaction deleted after the folder was listed is
    found again in the merged copy: the folder is listed again until nothing read vanished.

    Dropping entries (the archive purge, ``drop``) leaves tombstones beside the segments (``<time>-<random>.dropped``,
    one line per entry dropped: its ``id``, ``warc_ref``, ``fetched_at`` and ``dropped_at``), written before any
    segment loses the entry; ``load`` reads them after every segment and leaves out each entry a tombstone names,
    wherever it was read. Why: a compaction that read the segments before the purge writes its merged copy after it,
    entries the purge dropped included, and so does a purge that rewrites a segment it read before another purge
    dropped from it. No lock can keep them apart on an object store; the tombstone outlives the stale copy instead.
    It names the entry itself, not its article, so what a fetch writes after a restore (another ``warc_ref``) is kept
    whatever the machines' clocks say. A compaction writes no tombstoned entry (the stale copies it read go with the
    files it deletes) and carries over the tombstones younger than ``TOMBSTONE_DAYS``: only a compaction that read the
    segments that long before a purge and writes its copy after it could bring a dropped entry back.
    """
    COMPACT_AT = 200
    TOMBSTONE_DAYS = 30
    SEGMENTS = "*.jsonl"
    TOMBSTONE_SUFFIX = ".dropped"

    def __init__(self, entries: dict[str, dict] | None = None, dropped: dict[tuple, dict] | None = None):
        self.entries: dict[str, dict] = entries or {}
        self.dropped: dict[tuple, dict] = dropped or {}      # the tombstones read: key (``_key``) -> its line

    @staticmethod
    def _key(e: dict) -> tuple:
        """What names one entry: its article's id, and its record and time (another for each fetch)."""
        return e.get("id"), e.get("warc_ref"), e.get("fetched_at")

    @staticmethod
    def confirmed_at(e: dict) -> dt.datetime:
        """When an entry was last confirmed: its fetch, or a later conditional check that answered 304
        (``checked_at``); the earliest time when neither can be read."""
        times = [t for t in (parse_time(e.get("fetched_at")), parse_time(e.get("checked_at"))) if t is not None]
        return max(times, default=dt.datetime.min.replace(tzinfo=dt.timezone.utc))

    @staticmethod
    def first_fetch(e: dict) -> str | None:
        """When the entry's article was first fetched, as stored: ``first_fetched_at``, which a re-fetch's entry
        carries on from the entry before it (``Candidate.first_fetched_at``), else its ``fetched_at`` (an article
        fetched once, or an entry older than the field)."""
        return e.get("first_fetched_at") or e.get("fetched_at")

    @staticmethod
    def _read(storage: Storage, pattern: str, skip: Callable[[str], bool] | None = None) -> dict[str, list[dict]]:
        """The files of the ledger matching ``pattern`` -> their lines, in listing order. A file deleted after the
        listing (merged by a concurrent compaction, which writes its merged copy first) is read in that copy: the
        folder is listed again, and the files not seen yet read, until none vanished (such a file maps to []).
        ``skip``: says which files not to read (left out)."""
        files: dict[str, list[dict]] = {}
        while True:
            vanished = False
            for rel in storage.listdir(LEDGER_DIR, pattern):
                if rel in files or (skip is not None and skip(rel)):
                    continue
                try:
                    files[rel] = list(storage.read_jsonl(rel))
                except FileNotFoundError:
                    files[rel], vanished = [], True
            if not vanished:
                return files

    @classmethod
    def load(cls, storage: Storage) -> "Ledger":
        entries: dict[str, dict] = {}
        shadowed: dict[str, list[dict]] = {}    # id -> the other entries read: a tombstone may bring one back
        segs = cls._read(storage, cls.SEGMENTS)
        for e in (e for rows in segs.values() for e in rows):
            kept = entries.get(e["id"])
            if kept is None or cls.confirmed_at(e) >= cls.confirmed_at(kept):     # the latest fetch (or check) wins
                if kept is not None:
                    shadowed.setdefault(e["id"], []).append(kept)
                entries[e["id"]] = e
            else:
                shadowed.setdefault(e["id"], []).append(e)
        # listed after every segment was read: the tombstones of a purge done before the load began are all there
        tombs = cls._read(storage, "*" + cls.TOMBSTONE_SUFFIX)
        dropped = {cls._key(t): t for rows in tombs.values() for t in rows}
        for did in {k[0] for k in dropped}:
            alive = [e for e in (*shadowed.get(did, ()), *((entries[did],) if did in entries else ()))
                     if cls._key(e) not in dropped]
            if alive:
                entries[did] = max(reversed(alive), key=cls.confirmed_at)    # the latest; on a tie the one read last
            else:
                entries.pop(did, None)
        led = cls(entries, dropped)
        if len(segs) + len(tombs) > cls.COMPACT_AT:
            led.compact(storage, list(segs), list(tombs))
        return led

    def compact(self, storage: Storage, segments: list[str], tombstones: list[str] = ()) -> None:
        """Write the entries loaded (no tombstoned one) as one segment, and the tombstones younger than
        ``TOMBSTONE_DAYS`` as one file, then delete ``segments`` and ``tombstones`` (the files they were read from)."""
        now = dt.datetime.now(dt.timezone.utc)
        stem = f"{LEDGER_DIR}/compact-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        storage.write_jsonl(stem + ".jsonl", self.entries.values())
        young = [t for t in self.dropped.values() if not self._expired(t, now)]
        if young:
            storage.write_jsonl(stem + self.TOMBSTONE_SUFFIX, young)
        for s in (*segments, *tombstones):
            try:
                storage.remove(s)
            except FileNotFoundError:
                pass

    @classmethod
    def _expired(cls, tombstone: dict, now: dt.datetime) -> bool:
        """The tombstone is older than ``TOMBSTONE_DAYS`` (one whose time cannot be read is kept)."""
        try:
            at = dt.datetime.fromisoformat(tombstone["dropped_at"])
        except (KeyError, TypeError, ValueError):
            return False
        return at.tzinfo is not None and now - at > dt.timedelta(days=cls.TOMBSTONE_DAYS)

    def __contains__(self, did: str) -> bool:
        return did in self.entries

    @classmethod
    def drop(cls, storage: Storage, gone: Callable[[dict], bool], *, dry_run: bool = False,
             unchanged: Callable[[str], bool] | None = None, report: dict | None = None) -> int:
        """Take the entries ``gone`` says out of the ledger for good; how many went (``dry_run``: would go; an entry
        dropped before is not counted again). The archive purge drops the entries of removed articles, so that after
        a restore they are discovered and fetched anew. One tombstone file names them all and is written first (the
        class docstring: a concurrent compaction or purge cannot bring them back); then each segment that holds one
        is written again without it (atomically), so the ledger's files keep nothing of a removed article but its id,
        record ref and fetch time.

        ``unchanged``: the segments not to read, because the caller knows they hold nothing ``gone`` names (the
        archive purge's checkpoint: unchanged since a purge, and nothing new removed). ``report``: filled with
        ``read`` (the segments read) and ``written`` (those written again)."""
        segs = cls._read(storage, cls.SEGMENTS, unchanged)
        # read after the segments, as load does: an entry some purge dropped meanwhile counts as dropped before
        before = {cls._key(t) for rows in cls._read(storage, "*" + cls.TOMBSTONE_SUFFIX).values() for t in rows}
        doomed = {cls._key(e): e for rows in segs.values() for e in rows if gone(e)}
        new = [e for k, e in doomed.items() if k not in before]
        if report is not None:
            report["read"], report["written"] = list(segs), []
        if dry_run or not doomed:
            return len(new)
        if new:
            at = _now_iso()
            storage.write_jsonl(f"{LEDGER_DIR}/{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}-"
                                f"{uuid.uuid4().hex[:8]}{cls.TOMBSTONE_SUFFIX}",
                                ({"id": e["id"], "warc_ref": e.get("warc_ref"), "fetched_at": e.get("fetched_at"),
                                  "dropped_at": at} for e in new))
        for rel, rows in segs.items():
            kept = [e for e in rows if cls._key(e) not in doomed]
            if len(kept) < len(rows):
                if report is not None:
                    report["written"].append(rel)
                storage.write_jsonl(rel, kept)
        return len(new)

    def get(self, did: str) -> dict | None:
        return self.entries.get(did)

    @staticmethod
    def append(storage: Storage, run_id: str, new: list[dict]) -> str | None:
        if not new:
            return None
        rel = f"{LEDGER_DIR}/{file_stem(run_id)}-{uuid.uuid4().hex[:8]}.jsonl"
        storage.write_jsonl(rel, new)
        return rel


# ------------------------------------------------------------------ charset

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HDR_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def detect_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset a page declares: byte-order mark, then the Content-Type header, then ``<meta>`` (first 4 KiB)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return name
    for m in (_HDR_CHARSET.search(content_type or ""), _META_CHARSET.search(body[:4096])):
        if m:
            label = m.group(1).decode("ascii", "ignore") if isinstance(m.group(1), bytes) else m.group(1)
            try:
                return codecs.lookup(label.strip().lower()).name
            except LookupError:
                continue
    return None


# ------------------------------------------------------------------ content codings

try:
    import brotli
except ImportError:  # pragma: no cover - a dependency; without it br is neither asked for nor decoded
    brotli = None
try:
    import zstandard
except ImportError:  # pragma: no cover - likewise for zstd
    zstandard = None

_OUT_STEP = 1 << 20          # decoded bytes produced at a time (a decompression bomb never gets further than this)
_ZSTD_IN_STEP = 64           # compressed bytes fed to zstd at a time: at most ~2 MiB of output each (128 KiB a block)
_ZSTD_MAX_WINDOW = 1 << 23   # RFC 9659: an HTTP zstd window is at most 8 MiB; a larger one is refused, not allocated
_CODING_NAMES = {"br": "brotli", "zstd": "zstd", "gzip": "gzip", "deflate": "deflate"}


class _TooLarge(Exception):
    pass


class BodyDecoder:
    """Decodes a body as its chunks arrive (``feed``), never holding more than ``limit`` decoded bytes plus one step:
    a decoded size past ``limit`` raises FetchRefused ``too_large``, a corrupt (or, for br and zstd, truncated) body
    ``read_error`` naming the coding, and a coding the fetcher cannot decode ``unsupported_encoding`` (raised by the
    body's first chunk; an empty body needs no decoding). ``finish`` returns the decoded body."""

    def __init__(self, encoding: str | None, limit: int, *, what: str = "body", asked: str | None = None):
        self.encoding = (encoding or "").strip().lower()
        self.limit = limit
        self.what = what
        self.parts: list[bytes] = []
        self.size = 0
        self.fed = 0
        self.head, self.raw_tried = b"", False
        enc = self.encoding
        if enc in ("", "identity"):
            self.kind = "identity"
        elif enc in ("gzip", "x-gzip"):
            self.kind, self.d = "gzip", zlib.decompressobj(zlib.MAX_WBITS | 32)
        elif enc == "deflate":
            self.kind, self.d = "deflate", zlib.decompressobj()
        elif enc == "br" and brotli is not None:
            self.kind, self.d = "br", brotli.Decompressor()
        elif enc == "zstd" and zstandard is not None:
            self.kind = "zstd"
            self.dctx = zstandard.ZstdDecompressor(max_window_size=_ZSTD_MAX_WINDOW)
            self.d = self.dctx.decompressobj()
        else:
            missing = {"br": "brotli", "zstd": "zstandard"}.get(enc)
            hint = f" (decoding it needs the {missing} package, which is not installed)" if missing else ""
            # raised by the first byte of the body: an empty one (a 304, a redirect) needs no decoding
            self.kind = "unsupported"
            self.error = FetchRefused("unsupported_encoding", f"{what}: Content-Encoding {encoding!r} cannot be "
                                      f"decoded{hint}" + (f"; we asked for {asked}" if asked else ""))

    def _out(self, data: bytes) -> None:
        if data:
            self.size += len(data)
            if self.size > self.limit:
                raise _TooLarge
            self.parts.append(data)

    def _corrupt(self, why: str, err: Exception | None = None) -> FetchRefused:
        name = _CODING_NAMES.get(self.kind, self.kind)
        detail = f" ({err})" if err is not None and str(err) else ""
        return FetchRefused("read_error", f"{self.what}: {why} {name} body{detail}")

    def feed(self, data: bytes) -> None:
        if not data:
            return
        self.fed += len(data)
        try:
            if self.kind == "identity":
                self._out(data)
            elif self.kind == "unsupported":
                raise self.error
            elif self.kind in ("gzip", "deflate"):
                self._zlib(data)
            elif self.kind == "br":
                try:
                    self._out(self.d.process(data, output_buffer_limit=_OUT_STEP))
                    while not self.d.can_accept_more_data():
                        self._out(self.d.process(b"", output_buffer_limit=_OUT_STEP))
                except brotli.error as e:
                    raise self._corrupt("corrupt", e) from None
            else:
                self._zstd(data)
        except _TooLarge:
            raise FetchRefused("too_large", f"{self.what}: decoded body ({self.encoding}) exceeds {self.limit} "
                               "bytes") from None

    def _zlib(self, data: bytes) -> None:
        if self.kind == "deflate" and not self.raw_tried and self.size == 0:
            self.head += data       # kept until the first output: the stream may be raw deflate (no zlib header)
        while data:
            try:
                out = self.d.decompress(data, _OUT_STEP)
            except zlib.error as e:
                if self.kind == "deflate" and not self.raw_tried and self.size == 0:
                    self.raw_tried, self.d = True, zlib.decompressobj(-zlib.MAX_WBITS)
                    data, self.head = self.head, b""
                    continue
                raise self._corrupt("corrupt", e) from None
            self._out(out)
            # what did not fit in one step waits in unconsumed_tail; data past the end of the stream is ignored
            data = self.d.unconsumed_tail

    def _zstd(self, data: bytes) -> None:
        for i in range(0, len(data), _ZSTD_IN_STEP):
            piece = data[i:i + _ZSTD_IN_STEP]
            while piece:
                if self.d.eof:            # another frame follows the one that ended
                    self.d = self.dctx.decompressobj()
                try:
                    self._out(self.d.decompress(piece))
                except zstandard.ZstdError as e:
                    raise self._corrupt("corrupt", e) from None
                piece = self.d.unused_data if self.d.eof else b""

    def finish(self) -> bytes:
        if self.fed:
            if self.kind == "br" and not self.d.is_finished():
                raise self._corrupt("truncated")
            if self.kind == "zstd" and not self.d.eof:
                raise self._corrupt("truncated")
        return b"".join(self.parts)


def decode_content(raw: bytes, encoding: str | None, limit: int, what: str = "body") -> bytes:
    """``raw`` decoded as its Content-Encoding says, bounded by ``limit`` (``BodyDecoder``)."""
    dec = BodyDecoder(encoding, limit, what=what)
    dec.feed(raw)
    return dec.finish()


# ------------------------------------------------------------------ the session

@dataclass
class Response:
    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    raw: bytes                      # as received (content-encoding intact)
    body: bytes                     # decoded
    ip: str | None = None
    fetched_at: str = ""
    attempts: int = 1
    warc_ref: str | None = None
    protocols: tuple[str, ...] = ()         # WARC-Protocol values: ("h2", "tls/1.3"), ("http/1.1",) (wire_protocols)
    cipher_suite: str | None = None         # WARC-Cipher-Suite: the TLS cipher suite's IANA name, on https

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


# httpx's Response.http_version -> the WARC-Protocol identifier (IIPC proposal: the ALPN ids, h2c for HTTP/2 in clear)
_HTTP_PROTOCOLS = {"HTTP/1.0": "http/1.0", "HTTP/1.1": "http/1.1", "HTTP/2": "h2", "HTTP/3": "h3"}
# ssl.SSLObject.version() -> the WARC-Protocol identifier
_TLS_PROTOCOLS = {"TLSv1": "tls/1.0", "TLSv1.1": "tls/1.1", "TLSv1.2": "tls/1.2", "TLSv1.3": "tls/1.3",
                  "SSLv3": "ssl/3", "SSLv2": "ssl/2"}
# IANA code point -> IANA name of the TLS 1.2 cipher suites the fetcher's SSL context (httpx's, on OpenSSL 3) offers,
# and a few more in common use. OpenSSL names TLS 1.3 suites as IANA does, older ones its own way
# ("ECDHE-RSA-AES128-GCM-SHA256"); its code point comes from OpenSSL itself (SSLContext.get_ciphers), so a name is
# never guessed. Any other suite is kept under OpenSSL's name.
_IANA_CIPHER_SUITES = {
    0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
    0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", 0x006B: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384",
    0x009E: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009F: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    0xC023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xC024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    0xC027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    0xCCAA: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
}


def iana_cipher_suite(ssl_object) -> str | None:
    """The IANA name of the cipher suite an ``ssl.SSLObject`` (or ``SSLSocket``) negotiated; OpenSSL's name where
    none is known here; None before a handshake."""
    negotiated = ssl_object.cipher()
    if not negotiated:
        return None
    name = negotiated[0]
    if name.startswith("TLS_"):           # TLS 1.3: OpenSSL uses the IANA names
        return name
    for c in ssl_object.context.get_ciphers():
        if c.get("name") == name:
            return _IANA_CIPHER_SUITES.get(c.get("id", 0) & 0xFFFF, name)
    return name


def wire_protocols(http_version: str, ssl_object=None) -> tuple[tuple[str, ...], str | None]:
    """The ``WARC-Protocol`` values (application layer first, then TLS) and the ``WARC-Cipher-Suite`` of a response
    that came as ``http_version`` (httpx's ``Response.http_version``) over ``ssl_object`` (the connection's
    ``network_stream.get_extra_info("ssl_object")``, None in clear)."""
    app = _HTTP_PROTOCOLS.get(http_version, http_version.lower())
    if app == "h2" and ssl_object is None:
        app = "h2c"
    if ssl_object is None:
        return ((app,) if app else ()), None
    version = ssl_object.version()
    tls = _TLS_PROTOCOLS.get(version, version.lower()) if version else None
    return tuple(p for p in (app, tls) if p), iana_cipher_suite(ssl_object)


class _HostState:
    def __init__(self, key: str, settings: FetchSettings):
        self.key = key
        self.sem = asyncio.Semaphore(settings.per_host_concurrency)
        self.throttle = asyncio.Lock()
        self.robots_lock = asyncio.Lock()
        self.robots: Protego | None = None
        self.robots_error: FetchRefused | None = None
        self.robots_done = False
        self.min_delay = self.delay = settings.min_delay_for(key)
        self.failures = 0
        self.paused: str | None = None


class _Timeout(Exception):
    pass


class FetchSession:
    """One run's HTTP machinery: a shared connection pool behind the SSRF guard, host states, robots cache."""

    def __init__(self, settings, archive: WarcArchive | None = None, storage: Storage | None = None):
        self.s = _fetch_settings(settings)
        self.archive = archive
        # a host's files stay while its robots.txt copy may still be used, and at least a day
        self.clock = pacing_for(self.s.pacing_dir, storage, prune_after=max(self.s.robots_cache_hours, 24) * 3600)
        self.policy = AddressPolicy(self.s.allow_addresses)
        self.backend = GuardedBackend(self.policy)
        transport = httpx.AsyncHTTPTransport(retries=0)
        transport._pool = httpcore.AsyncConnectionPool(     # same pool httpx builds, with our network backend
            ssl_context=httpx.create_ssl_context(), max_connections=self.s.concurrency + 8,
            max_keepalive_connections=self.s.concurrency + 8, keepalive_expiry=15.0, http1=True,
            http2=self.s.http2,     # offered by ALPN on https; one connection per host then multiplexes its requests
            retries=0, network_backend=self.backend)
        self.client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(connect=self.s.connect_timeout, read=self.s.read_timeout,
                                  write=self.s.read_timeout, pool=self.s.total_timeout),
            headers={"User-Agent": self.s.user_agent_header, "Accept-Encoding": self.s.accept_encoding_header,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
        self.global_sem = asyncio.Semaphore(self.s.concurrency)
        self.hosts: dict[str, _HostState] = {}
        self.request_count = 0
        self.removed: Callable[[str], bool] | None = None   # a page's redirect to a URL it names is not followed

    async def __aenter__(self) -> "FetchSession":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    def host(self, url: str) -> _HostState:
        key = urlsplit(url).netloc.lower()
        h = self.hosts.get(key)
        if h is None:
            h = self.hosts[key] = _HostState(key, self.s)
        return h

    # -- politeness
    async def _wait_turn(self, h: _HostState, turn: str) -> None:
        """Wait until the host's clock grants ``turn``: the delay since its last request has passed and no other
        granted request to it is still to leave (``pipeline.pacing``)."""
        async with h.throttle:
            while (wait := self.clock.try_start(h.key, h.delay, turn)) > 0:
                await asyncio.sleep(wait)

    async def robots_allows(self, url: str) -> None:
        """Raise FetchRefused('robots') when robots.txt disallows ``url`` (or the reason robots could not be read)."""
        if not self.s.obey_robots:
            return
        h = self.host(url)
        async with h.robots_lock:
            if not h.robots_done:
                await self._load_robots(url, h)
                h.robots_done = True
        if h.robots_error is not None:
            raise FetchRefused(h.robots_error.reason, str(h.robots_error))
        if h.robots is not None and not h.robots.can_fetch(url, self.s.robots_token):
            raise FetchRefused("robots", f"robots.txt of {h.key} disallows {urlsplit(url).path or '/'}")

    async def _load_robots(self, url: str, h: _HostState) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        cache_key = f"{parts.scheme}://{h.key}"
        if self.s.robots_cache_hours > 0:
            async with self.clock.robots_turn(cache_key):    # other processes wait while one asks the host
                kept = self.clock.robots(cache_key, self.s.robots_cache_hours * 3600)
                if kept is None:
                    await self._fetch_robots(robots_url, cache_key, h)
                else:            # fetched by this or another process less than robots_cache_hours ago
                    self._apply_robots(h, kept["status"], kept["body"])
        else:
            await self._fetch_robots(robots_url, cache_key, h)

    async def _fetch_robots(self, robots_url: str, cache_key: str, h: _HostState) -> None:
        try:
            r = await self.get(robots_url, kind="robots")
        except FetchRefused as e:
            if e.reason.startswith("http_5") or e.reason == "http_429":
                h.robots_error = FetchRefused("robots_unavailable", f"{robots_url}: {e}")
            elif e.reason in ("too_large", "not_html", "redirect_loop", "too_many_redirects", "read_error",
                              "unsupported_encoding"):
                h.robots = None   # unusable robots.txt: treated as absent
            else:
                h.robots_error = e
            return
        if 200 <= r.status < 300 or 400 <= r.status < 500:   # a robots.txt, or none: remembered (not an error)
            body = r.body.decode("utf-8", "replace") if 200 <= r.status < 300 else ""
            if self.s.robots_cache_hours > 0:
                self.clock.keep_robots(cache_key, r.status, body)
            self._apply_robots(h, r.status, body)
        else:
            h.robots_error = FetchRefused("robots_unavailable", f"{robots_url} answered {r.status}")

    def _apply_robots(self, h: _HostState, status: int, body: str) -> None:
        if 200 <= status < 300:
            h.robots = Protego.parse(body)
            cd = h.robots.crawl_delay(self.s.robots_token)
            if cd:
                h.delay = max(h.min_delay, min(float(cd), self.s.max_crawl_delay))
        else:
            h.robots = None       # no robots.txt (4xx): everything allowed

    # -- requests
    async def get(self, url: str, *, kind: str = "page", headers: dict | None = None,
                  meta: dict | None = None) -> Response:
        """GET ``url`` following redirects ourselves (each hop checked: scheme, address, robots).

        ``kind``: ``page`` (an article: HTML only, archived with ``meta``), ``feed`` (feeds, sitemaps), ``robots``.
        Returns the final response (any status but 429/5xx, which raise after the retries); raises FetchRefused.
        """
        seen = {canonicalize(url)}
        current = url
        attempts = 0
        for _hop in range(self.s.max_redirects + 1):
            precheck_url(current, self.policy)
            h = self.host(current)
            if h.paused:
                raise FetchRefused("host_paused", f"{h.key} paused for this run: {h.paused}")
            if kind != "robots":
                await self.robots_allows(current)
            # the host's own headers (fetch.host_headers) for this hop only: a redirect elsewhere does not carry them
            extra = self.s.headers_for(urlsplit(current).netloc)
            r = await self._with_retries(current, h, kind, {**extra, **(headers or {})} or None)
            attempts += r.attempts
            r.attempts = attempts
            if r.status in REDIRECTS and r.header("location"):
                nxt = urljoin(current, r.header("location").strip())
                if kind == "page" and self.removed is not None and await asyncio.to_thread(self.removed, nxt):
                    raise FetchRefused("removed", f"{current} redirects to {nxt}, which was removed (newsetl remove)")
                self._archive(r, None)
                key = canonicalize(nxt)
                if key in seen or nxt == current:
                    raise FetchRefused("redirect_loop", f"redirect loop: {current} -> {nxt}")
                seen.add(key)
                current = nxt
                continue
            if kind == "page" and 200 <= r.status < 300:
                enc = detect_charset(r.body, r.header("content-type"))
                meta = {**(meta or {}), "fetched_at": r.fetched_at, "status_code": r.status,
                        **({"encoding": enc} if enc else {})}
            else:
                meta = None
            r.warc_ref = self._archive(r, meta)
            return r
        raise FetchRefused("too_many_redirects", f"more than {counted(self.s.max_redirects, 'redirect')} from {url}")

    def _archive(self, r: Response, meta: dict | None) -> str | None:
        if self.archive is None:
            return None
        return self.archive.write_response(r.url, r.status, r.reason, r.headers, r.raw, page_meta=meta, ip=r.ip,
                                           fetched_at=r.fetched_at, protocols=r.protocols,
                                           cipher_suite=r.cipher_suite)

    async def _with_retries(self, url: str, h: _HostState, kind: str, headers: dict | None) -> Response:
        attempt = 0
        while True:
            attempt += 1
            retry_after = None
            try:
                r = await self._once(url, h, kind, headers)
                if r.status == 429 or r.status >= 500:
                    reason, err = f"http_{r.status}", f"{url} answered {r.status}"
                    retry_after = _retry_after(r.header("retry-after"))
                else:
                    h.failures = 0
                    r.attempts = attempt
                    return r
            except _Timeout as e:
                reason, err = "timeout", str(e)
            except httpx.TimeoutException as e:
                reason, err = "timeout", f"{type(e).__name__} for {url}"
            except (httpx.ConnectError, OSError) as e:
                reason, err = "connect_error", f"{url}: {e or type(e).__name__}"
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as e:
                reason, err = "read_error", f"{url}: {e or type(e).__name__}"
            if retry_after is not None and retry_after > self.s.max_retry_after:
                attempt = self.s.max_retries + 1   # too long to wait: give up now
                err += f" (Retry-After {retry_after:.0f}s exceeds max_retry_after)"
            if attempt > self.s.max_retries:
                if reason != "read_error":
                    h.failures += 1
                    if h.failures >= self.s.host_failure_limit and not h.paused:
                        h.paused = f"{counted(h.failures, 'consecutive failure')}, last: {reason}"
                e = FetchRefused(reason, err + f" (after {counted(attempt, 'attempt')})")
                e.attempts = attempt
                raise e
            backoff = min(self.s.backoff_max, self.s.backoff_base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
            await asyncio.sleep(max(backoff, retry_after or 0.0))

    async def _once(self, url: str, h: _HostState, kind: str, headers: dict | None) -> Response:
        async with h.sem:
            if h.paused:   # paused while this request waited for its turn
                raise FetchRefused("host_paused", f"{h.key} paused for this run: {h.paused}")
            async with self.global_sem, self.clock.slot(h.key, self.s.per_host_concurrency):
                turn = _Turn(f"{os.getpid()}.{next(_TURNS)}")
                await self._wait_turn(h, turn.id)
                self.request_count += 1
                fetched_at = _now_iso()
                try:
                    async with asyncio.timeout(self.s.total_timeout):
                        return await self._stream(url, kind, headers, fetched_at, turn)
                except TimeoutError:
                    raise _Timeout(f"{url}: no complete response within {self.s.total_timeout}s") from None
                finally:
                    if not turn.sent:       # the request never left: free the host's turn
                        self.clock.release(h.key, turn.id)

    async def _stream(self, url: str, kind: str, headers: dict | None, fetched_at: str, turn: _Turn) -> Response:
        limit = self.s.max_body_bytes
        key = urlsplit(url).netloc.lower()
        clock = self.clock

        async def trace(event: str, info: dict) -> None:
            # The politeness clock counts from when the request really left (a new connection or a busy event
            # loop can hold it after its turn was granted), and the turn stays pending until then, so the server
            # never sees two closer than the delay.
            if event in ("http11.send_request_headers.complete", "http2.send_request_headers.complete"):
                clock.sent(key, turn.id)
                turn.sent = True

        async with self.client.stream("GET", url, headers=headers, extensions={"trace": trace}) as resp:
            status = resp.status_code
            hdrs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw]
            ctype = resp.headers.get("content-type", "")
            if kind == "page" and 200 <= status < 300 and ctype:
                mime = ctype.split(";", 1)[0].strip().lower()
                if mime not in HTML_TYPES:
                    raise FetchRefused("not_html", f"{url} is {mime or 'untyped'}, not HTML")
            clen = resp.headers.get("content-length")
            if clen and clen.isdigit() and int(clen) > limit:
                raise FetchRefused("too_large", f"{url}: Content-Length {clen} exceeds {limit} bytes")
            chunks, size = [], 0
            # decoded as it arrives: a decompression bomb ends (too_large) after at most ``limit`` decoded bytes, and
            # a coding we cannot decode before its body is read
            decoder = BodyDecoder(resp.headers.get("content-encoding"), limit, what=url,
                                  asked=self.s.accept_encoding_header)
            if status not in REDIRECTS:
                async for chunk in resp.aiter_raw():
                    size += len(chunk)
                    if size > limit:
                        raise FetchRefused("too_large", f"{url}: body exceeds {limit} bytes")
                    chunks.append(chunk)
                    decoder.feed(chunk)
            raw = b"".join(chunks)
            body = decoder.finish()
            if kind == "page" and 200 <= status < 300 and not ctype:
                head = body[:512].lstrip().lower()
                if not (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
                    raise FetchRefused("not_html", f"{url} has no Content-Type and does not look like HTML")
            ip, ssl_object = None, None
            # httpcore hands the connection's stream over on HTTP/1.1 and HTTP/2 alike (the one a stream of h2 shares)
            stream = resp.extensions.get("network_stream")
            if stream is not None:
                addr = stream.get_extra_info("server_addr")
                ip = addr[0] if addr else None
                ssl_object = stream.get_extra_info("ssl_object")
            protocols, cipher = wire_protocols(resp.http_version, ssl_object)
            return Response(url=url, status=status, reason=resp.reason_phrase, headers=hdrs, raw=raw, body=body,
                            ip=ip, fetched_at=fetched_at, protocols=protocols, cipher_suite=cipher)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        t = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (t - dt.datetime.now(dt.timezone.utc)).total_seconds())


# ------------------------------------------------------------------ the stage

def _page_from(c: Candidate, url: str, body: bytes, headers: dict[str, str], status: int | None,
               fetched_at: str) -> Page:
    p = Page(url=url, body=body, headers=headers, source=c.source, fetched_at=fetched_at, status_code=status,
             hint_title=c.hint_title, hint_published_at=c.hint_published_at, hint_language=c.hint_language,
             source_tags=list(c.source_tags))
    p.encoding = detect_charset(body, headers.get("content-type"))
    return p


def _local_candidate(c: Candidate, archive: WarcArchive) -> tuple[Page, str]:
    """Pages of the ``files`` and ``warc`` kinds: read from disk, archived as they are."""
    if c.kind == "file":
        try:
            with open(c.location, "rb") as f:
                body = f.read()
        except OSError as e:
            raise FetchRefused("file_missing", f"{c.location}: {e.strerror or e}") from None
        if c.location.endswith(".gz"):
            body = zlib.decompress(body, zlib.MAX_WBITS | 32)
        page = _page_from(c, c.url, body, {"content-type": "text/html"}, None, _now_iso())
        page.status_code = None
        ref = archive.write_page(page)
        page.status_code = 200
        return page, ref
    if c.kind == "warc":
        from warcio.archiveiterator import ArchiveIterator

        path, _, off = (c.location or "").rpartition("#")
        try:
            with open(path, "rb") as f:
                f.seek(int(off))
                rec = next(iter(ArchiveIterator(f)))
                body = record_payload(rec)
                hdrs = [(k, v) for k, v in (rec.http_headers.headers if rec.http_headers else [])
                        if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
                status = int(rec.http_headers.get_statuscode()) if rec.http_headers else 200
        except (OSError, ValueError, StopIteration) as e:
            raise FetchRefused("file_missing", f"{c.location}: {e}") from None
        page = _page_from(c, c.url, body, {k.lower(): v for k, v in hdrs}, status, _now_iso())
        page.protocols, page.cipher_suite = record_protocols(rec)    # how that crawl fetched it, where it says
        ref = archive.write_page(page, raw_headers=hdrs, raw_body=body)
        return page, ref
    raise FetchRefused("invalid_candidate", f"unknown candidate kind {c.kind!r}")


def _removed(urls: list[str], removals) -> set[str]:
    """The URLs ``removals`` (a ``pipeline.removals.Blocklist``) says were removed; none, with a warning, when the
    cluster cannot answer."""
    if removals is None or not urls:
        return set()
    from elasticsearch import ApiError, TransportError

    try:
        return removals.blocked_urls(urls)
    except (ApiError, TransportError) as e:
        log.warning("could not check %d URLs against the removed articles (%s): fetching them all the same; "
                    "the loader still leaves the removed out of the index", len(urls), e)
        return set()


async def afetch_candidates(candidates: Iterable[Candidate | dict], settings, storage: Storage, *, run_id: str,
                            progress: Callable[[Outcome], None] | None = None,
                            session_hook: Callable[[FetchSession], None] | None = None,
                            removals=None, letters_part: str | None = None) -> FetchResult:
    """The async core of ``fetch_candidates``."""
    s = _fetch_settings(settings)
    cands = [c if isinstance(c, Candidate) else Candidate.from_dict(c) for c in candidates]
    gone = _removed([c.url for c in cands], removals)
    ledger = Ledger.load(storage)
    result = FetchResult(run_id=run_id)
    letters: list[DeadLetter] = []
    settled: list[str] = []     # URLs got through: an earlier attempt's letters of them go, even if this one fails
    new_entries: list[dict] = []
    pages_meta: list[dict] = []
    seen: set[str] = set()
    complete = False      # every candidate reached: the batch's letters replace an earlier attempt's whole

    def finish(c: Candidate, o: Outcome) -> None:
        result.outcomes.append(o)
        if o.state == "dead_letter":
            letters.append(DeadLetter(stage="fetch", key=c.url, reason=o.reason or "error", error=o.error,
                                      record=c.to_dict()))
        else:
            settled.append(c.url)
        if progress:
            progress(o)

    def fetched(c: Candidate, did: str, page: Page, ref: str, etag=None, last_modified=None, attempts=0):
        new_entries.append({"id": did, "url": canonicalize(c.url), "final_url": page.url, "warc_ref": ref,
                            "fetched_at": page.fetched_at, "etag": etag, "last_modified": last_modified,
                            "source": c.source, "run": run_id,
                            **({"first_fetched_at": c.first_fetched_at} if c.first_fetched_at else {})})
        meta = page.meta()
        meta["doc_id"] = did
        pages_meta.append(meta)
        finish(c, Outcome(c.url, "fetched", final_url=page.url, status_code=page.status_code, warc_ref=ref,
                          doc_id=did, attempts=attempts))

    archive = WarcArchive(storage, run_id, max_bytes=s.warc_max_bytes)
    todo: list[tuple[Candidate, str]] = []
    for c in cands:
        did = doc_id(c.url)
        if did in seen:
            finish(c, Outcome(c.url, "skipped", reason="duplicate", doc_id=did))
            continue
        seen.add(did)
        if c.url in gone:
            finish(c, Outcome(c.url, "skipped", reason="removed", doc_id=did))
            continue
        if did in ledger and not c.refetch:
            finish(c, Outcome(c.url, "skipped", reason="already_archived", doc_id=did,
                              warc_ref=ledger.get(did).get("warc_ref")))
            continue
        if c.kind != "http":
            try:
                page, ref = _local_candidate(c, archive)
            except FetchRefused as e:
                finish(c, Outcome(c.url, "dead_letter", reason=e.reason, error=str(e), doc_id=did))
            else:
                fetched(c, did, page, ref)
            continue
        todo.append((c, did))

    try:
        async with FetchSession(s, archive, storage) as sess:
            if removals is not None:
                sess.removed = lambda url: bool(_removed([url], removals))
            if session_hook:
                session_hook(sess)

            async def one(c: Candidate, did: str) -> None:
                headers = {}
                if c.refetch:
                    known = ledger.get(did) or {}
                    etag, lm = c.etag or known.get("etag"), c.last_modified or known.get("last_modified")
                    if etag:
                        headers["If-None-Match"] = etag
                    if lm:
                        headers["If-Modified-Since"] = lm
                meta = {k: v for k, v in (("source", c.source), ("hint_title", c.hint_title),
                                          ("hint_published_at", c.hint_published_at),
                                          ("hint_language", c.hint_language),
                                          ("source_tags", c.source_tags)) if v}
                try:
                    r = await _get_page(sess, c.url, headers, meta)
                except FetchRefused as e:
                    if e.reason == "removed":    # redirected to a removed article: meant, no dead letter
                        finish(c, Outcome(c.url, "skipped", reason="removed", error=str(e), doc_id=did))
                    else:
                        finish(c, Outcome(c.url, "dead_letter", reason=e.reason, error=str(e), doc_id=did,
                                          attempts=getattr(e, "attempts", 0)))
                    return
                except Exception as e:  # never lose a URL to a surprise
                    finish(c, Outcome(c.url, "dead_letter", reason="error", error=f"{type(e).__name__}: {e}",
                                      doc_id=did))
                    return
                if r.status == 304:
                    if did in ledger:   # checked now: a listing's "updated" earlier than this asks no more
                        new_entries.append({**ledger.get(did), "checked_at": _now_iso(), "run": run_id})
                    finish(c, Outcome(c.url, "not_modified", status_code=304, final_url=r.url, doc_id=did,
                                      attempts=r.attempts))
                    return
                if not 200 <= r.status < 300:
                    finish(c, Outcome(c.url, "dead_letter", reason=f"http_{r.status}",
                                      error=f"{r.url} answered {r.status} {r.reason}", status_code=r.status,
                                      final_url=r.url, doc_id=did, attempts=r.attempts))
                    return
                hd = {}
                for k, v in r.headers:
                    hd[k.lower()] = v
                hd.pop("content-encoding", None)
                hd.pop("content-length", None)
                hd.pop("transfer-encoding", None)
                page = _page_from(c, r.url, r.body, hd, r.status, r.fetched_at)
                page.warc_ref = r.warc_ref
                page.protocols, page.cipher_suite = list(r.protocols), r.cipher_suite
                fetched(c, did, page, r.warc_ref, r.header("etag"), r.header("last-modified"), r.attempts)

            await asyncio.gather(*(one(c, did) for c, did in todo))
        complete = True
    finally:
        result.warc_files = archive.close()
        result.ledger_segment = Ledger.append(storage, run_id, new_entries)
        if pages_meta:
            rel = f"{MANIFEST_DIR}/{file_stem(run_id)}-{uuid.uuid4().hex[:8]}.jsonl"
            storage.write_jsonl(rel, pages_meta)
            result.manifest = rel
        rel, n = write_dead_letters(storage, "fetch", run_id, letters, part=letters_part, complete=complete,
                                    settled=settled)
        result.deadletter_file = rel if n else None
    return result


async def _get_page(sess: FetchSession, url: str, headers: dict, meta: dict) -> Response:
    return await sess.get(url, kind="page", headers=headers or None, meta=meta)


def run_sync(coro):
    """Run a coroutine from plain code (Airflow tasks, the CLI), even when an event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    out: dict[str, Any] = {}

    def target():
        try:
            out["v"] = asyncio.run(coro)
        except BaseException as e:  # re-raised in the caller's thread
            out["e"] = e
    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "e" in out:
        raise out["e"]
    return out["v"]


def fetch_candidates(candidates: Iterable[Candidate | dict], settings, storage: Storage, *, run_id: str,
                     progress: Callable[[Outcome], None] | None = None, removals=None,
                     letters_part: str | None = None) -> FetchResult:
    """Fetch every candidate (``Candidate`` or its dict form); each ends in exactly one terminal state.

    ``settings``: the full Settings or its ``fetch`` section. Pages are archived to WARC under ``storage``;
    ``result.manifest`` lists them (with ``warc_ref``) for ``pipeline.archive.iter_pages``; dead letters go to
    ``deadletter/fetch/<run_id>/<letters_part>.jsonl``, replacing an earlier attempt's (a DAG task's batch), or to a
    file of their own without ``letters_part`` (``pipeline.deadletter``); the ledger records what was fetched so it
    is not fetched again.
    ``removals``: a ``pipeline.removals.Blocklist`` (``removals.fetch_blocklist``): the candidates it names are
    skipped as ``removed``, never requested.
    """
    return run_sync(afetch_candidates(candidates, settings, storage, run_id=run_id, progress=progress,
                                      removals=removals, letters_part=letters_part))
