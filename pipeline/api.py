"""The search API for downstream services: ``newsetl serve`` answers HTTP with JSON, through ``pipeline.search``.

A service in any language gets what ``newsetl search`` gets (the same function, the same answer), without knowing the
index mapping, which changes with each index version: the name keys that join a person's spellings, the
per-language fields, originals only, facets, and cursor paging over one point in time.

- ``GET /search``: ``q`` (words; "a phrase", -word, a | b; empty: everything), ``lang``, ``source``, ``entity``
  (``TYPE:NAME``, repeatable: all must match), ``tag``, ``country`` (countries or first-level regions: DE, US-CA,
  Bayern), ``access`` (free, metered, paywalled, none; comma-separated: any), ``like`` (a document id),
  ``originals``, ``since``, ``until``, ``size``, ``after`` (the previous answer's ``next``), ``sort`` (relevance,
  date, copies), ``facets``, ``text`` (the whole text in each hit), ``near`` (``LAT,LON,KM``, ``50.45,30.52,100km``, or ``CITY,KM``, ``Kyiv,100``: a city among the article's
  places lies within KM km; ``/feed.atom`` takes it too, ``/trends`` and ``/suggest`` not yet). The answer is
  ``search()``'s dict (``pipeline.search``).
- ``GET /documents/{id}``: one document as indexed, without the search aids (per-language copies, name keys,
  MinHash bands, mention offsets); 410 with the reason when ``newsetl remove`` took it out.
- ``GET /trends``: ``field`` (people, organization, places, countries, tags…), ``window`` (24h), ``baseline`` (7d),
  ``at``, ``size``, ``min_count`` and the filters of ``/search``: the names rising in the window (``pipeline.trends``).
- ``GET /feed.atom``: the parameters of ``/search`` (``size`` up to 100, default 20; ``sort`` default date): the hits as
  an Atom feed, for a feed reader (``pipeline.feed``).
- ``GET /watches/{name}/feed.atom``: ``size``: the latest alerts of a watch as an Atom feed (a channel a feed reader
  polls).
- ``GET /suggest``: ``q`` (what a user has typed), ``field`` (people, organization, places, tags, source, authors…),
  ``size``, ``query`` (words) and the other filters of ``/search``: the values with a word starting with ``q``, case
  and accents aside, most articles first (``pipeline.suggest``).
- ``GET /changes``: ``after`` (the previous answer's ``next``) or ``since`` (where to start), ``size``: the documents in
  the order loads wrote them, for a service that keeps a copy in sync (``pipeline.changes``).
- ``GET /alerts``: ``watch``, ``pending`` (only those a channel still waits for), ``size``: the latest alerts of the
  watches, newest first (``pipeline.watches``).
- ``GET /watches``: the watches, the file's and the stored ones, each with its search, its ``origin`` (file or
  stored) and its channels masked (a webhook's host only, header values hidden: a Slack hook's URL is its secret);
  ``shadowed`` (stored watches the file's of that name hide) and ``notes``.
- ``PUT /watches/{name}``: store a watch (create, 201, or replace, 200), the body a watches.yaml entry as JSON
  (``WatchBody``); ``since``: where a new one starts (default now). ``DELETE /watches/{name}``: remove a stored one
  (``keep_state``, ``delete_alerts``: ``pipeline.watches.remove_watch``). Both need an **admin key**
  (``NEWSETL_API_ADMIN_KEYS``, comma-separated, or ``index.search.api_admin_keys``): without one configured they
  answer 403 saying so; without a key 401; with a key that only reads 403. 409 when the watches file has that name
  (it is authoritative), 404 for no such stored watch, 422 for a body that does not validate or a channel the API
  may not create (``pipeline.watches.check_api_watch``: webhooks only, none into the server's own network unless
  ``alerts.api_webhook_private_ok``), naming the field: ``{"error": "deliver[0].webhook: ...", "field":
  "deliver[0].webhook"}``.
- ``GET /keys``, ``POST /keys/{name}`` (body ``KeyBody``: ``expires``, ``note``, ``scope``), ``DELETE /keys/{name}``:
  the API keys stored in the cluster (``pipeline.apikeys``), with an admin key; the API makes keys that read only,
  and shows a key once, when it makes it.
- A stored key with a ``scope`` (``lang``, ``source``, ``country``): the middleware puts it in
  ``request.state.scope``; ``/search``, ``/feed.atom`` (its token too), ``/trends``, ``/suggest`` and
  ``/documents/{id}`` (404 outside it) AND its filter clauses (``pipeline.apikeys.scope_filters``) with the
  caller's; the routes it cannot restrict (``_unscoped``: ``/changes``, ``/alerts``, ``/watches…``) answer 403.
- ``GET /health``: 200 with the read alias, its documents and the cluster's version; 503 when the cluster or the
  alias is not there.
- ``GET /metrics``: Prometheus metrics of the API (``pipeline.apimetrics``; ``index.search.api_metrics``, else
  404): a key whenever reading needs one, never rate-limited; with ``newsetl serve --workers N`` the sum of all workers.
- Conditional GET: ``/search`` (not after a cursor), ``/feed.atom``, ``/suggest``, ``/documents/{id}`` and
  ``/trends`` with ``at`` send a weak ``ETag``, ``Last-Modified``, ``Cache-Control: private, no-cache`` and ``Vary``;
  a request whose ``If-None-Match`` (else ``If-Modified-Since``) matches gets ``304 Not Modified`` without the search
  running: one small request for the index's state (``conditional_headers``, ``not_modified``). After the key check
  and the rate limit, as any request.

Errors are ``{"error": "<one line>"}``: 400 for a bad request (what to change), 404 for an unknown document (410
for a removed one), 401
without the key, 429 when a client asks too often, 503 when Elasticsearch cannot be reached or the index does not
exist yet. With ``NEWSETL_API_KEY`` (or ``NEWSETL_API_KEYS``: ``name=key,…``, a key per service, ``read_keys_of``)
set, or ``index.search.api_require_key``, every request but ``/health`` needs a key (``Authorization: Bearer <key>``
or ``X-API-Key``): one of those or one stored in the cluster (``pipeline.apikeys``). A feed reader
sends no header, so a feed, ``*.atom``, also takes ``?token=``, the token of that feed alone
(``pipeline.feed.feed_token``; ``GET /watches`` and ``newsetl watch feed-url`` give the URLs), or ``?key=``, the key
itself, which then shows in the reader's URL and logs (taken, not advised; a feed's ``self`` link leaves it out).
Serve feeds over HTTPS either way. With ``index.search.api_rate_per_minute`` set, each known key, and each client
address for anything else, may make ``api_burst`` requests at once and that many a minute on average (a token
bucket each); beyond, 429 with ``Retry-After``. One worker
keeps the buckets in memory; ``newsetl serve --workers N`` keeps them in a SQLite file that all its workers share
(``SharedRateLimit``), so the limit holds for the server, not for each worker. What is still per server: several
servers (containers, hosts behind a load balancer) each count on their own, unless they run on one host and name the
same ``--rate-limit-dir`` on a local filesystem (SQLite's write-ahead log needs shared memory, which a network
filesystem does not give). When that file stays locked (an overloaded server) a request is refused with 503, not
let through uncounted. ``index.search.api_rate_store: elasticsearch`` keeps the buckets in the cluster instead
(``ClusterRateLimit``, the index ``index.rate_limit_index``): one limit for every server; the cluster unreachable, 503
likewise.
``/docs`` (Swagger UI), ``/redoc`` and ``/openapi.json`` describe the API. They need no key (the schema holds no
data; the key is given in the page, "Authorize"), and their scripts and styles come from the files fastapi-offline
ships, under ``/docs-assets``, not from a CDN, so they work on a machine without internet access.
The API only reads, but for the stored watches and keys, which an admin key may change. It binds 127.0.0.1 by default; to
serve others, give ``newsetl serve`` a certificate and its key
(``--ssl-certfile``/``--ssl-keyfile``: HTTPS) or put it behind a proxy that ends TLS. uvicorn takes the
client's address from the ``X-Forwarded-For`` of a proxy on 127.0.0.1 (``FORWARDED_ALLOW_IPS`` for one elsewhere).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import random
import re
import secrets
import sqlite3
import threading
import time
from contextlib import asynccontextmanager
from typing import Any, Callable

from fastapi import FastAPI, Query, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from pydantic import BaseModel, ConfigDict, Field

from pipeline.apikeys import KeyStoreError, StoredKeys, describe_scope, key_digest, scope_filters
from pipeline.apimetrics import METRICS_PATH
from pipeline.es import ClusterUnavailable, client_from_settings
from pipeline.feed import SEARCH_FEED, token_maker, token_under, watch_feed_path
from pipeline.settings import ConfigError
from pipeline.watches import WatchBody, WatchStoreError


class KeyScope(BaseModel):
    """What a key that reads may see: each field given must match (any of its values), whatever the caller asks."""
    model_config = ConfigDict(extra="forbid")
    lang: list[str] | None = Field(default=None, description="languages, ISO 639 codes (en, de)")
    source: list[str] | None = Field(default=None, description="source names or domains, as /search's source")
    country: list[str] | None = Field(default=None, description="ISO 3166 codes or names of countries or "
                                             "first-level regions (UA, US-CA), as /search's country")


class KeyBody(BaseModel):
    """``POST /keys/{name}``: what a new key that reads carries (all optional)."""
    model_config = ConfigDict(extra="forbid")
    expires: str | None = Field(default=None, description="a span from now (12h, 90d, 8w) or an ISO date or time; "
                                "none: the key works until revoked")
    note: str | None = Field(default=None, max_length=500, description="who has it, what for")
    scope: KeyScope | None = Field(default=None, description="what the key may see; {}: everything; not given: "
                                   "everything, or with replace=true what the key it replaces saw")


DOCS_ASSETS = "/docs-assets"
FEED_MAX = 100          # entries of one Atom feed
_OPEN = {"/health", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}


def _open(path: str) -> bool:
    """A path that needs no key: the health check, and the API's description with its scripts and styles."""
    return path in _OPEN or path.startswith(DOCS_ASSETS + "/")


def _declare_key(app: FastAPI) -> None:
    """Say in the OpenAPI schema that every operation but /health needs the key, in either header the middleware
    reads, so Swagger UI's "Authorize" sends it and generated clients know it."""
    make = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = make()
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "NEWSETL_API_KEY"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "NEWSETL_API_KEY"}}
        for path, ops in schema.get("paths", {}).items():
            for op in ops.values():
                op["security"] = [] if _open(path) else [{"bearer": []}, {"apiKey": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


RATE_DIR_ENV = "NEWSETL_API_RATE_LIMIT_DIR"     # the shared buckets' directory, as ``newsetl serve`` names it
BUSY_SECONDS = 1.0                              # the longest a check waits for each lock of the shared store

log = logging.getLogger(__name__)


class RateLimit:
    """A token bucket per client: ``burst`` requests at once, then ``per_minute`` a minute on average."""

    MAX_CLIENTS = 10_000        # beyond, the clients whose bucket is full again are forgotten
    blocking = False            # take() never waits: the middleware calls it on the event loop

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute, self.burst, self.clock = per_minute, burst, clock
        self.buckets: dict[str, tuple[float, float]] = {}     # client -> (tokens, when counted)
        self.lock = threading.Lock()

    def refill(self, tokens: float, then: float, now: float) -> float:
        """The tokens of a bucket at ``now`` that held ``tokens`` at ``then``: never more than the burst, and none
        added when the clock went back (a wall clock set back)."""
        return min(self.burst, tokens + max(0.0, now - then) * self.per_minute / 60)

    def _tokens(self, client: str, now: float) -> float:
        tokens, then = self.buckets.get(client, (self.burst, now))
        return self.refill(tokens, then, now)

    def take(self, client: str) -> float:
        """0 when ``client`` may make a request now (it is counted), else the seconds until it may."""
        now = self.clock()
        with self.lock:
            tokens = self._tokens(client, now)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                return 0.0
            self.buckets[client] = (tokens, now)
            if len(self.buckets) > self.MAX_CLIENTS:
                self.buckets = {c: b for c, b in self.buckets.items() if self._tokens(c, now) < self.burst}
            return (1 - tokens) * 60 / self.per_minute


class RateStoreError(Exception):
    """The shared buckets' file cannot be opened or used (one line naming it); ``busy``: it stayed locked."""

    def __init__(self, message: str, busy: bool = False):
        super().__init__(message)
        self.busy = busy


class SharedRateLimit(RateLimit):
    """``RateLimit`` with its buckets in a SQLite file (``ratelimit.sqlite3`` in ``directory``) that every process
    naming that directory shares: the workers of ``newsetl serve --workers N``, which makes the directory and names it
    to them in ``$NEWSETL_API_RATE_LIMIT_DIR``. Otherwise each worker would give a client its own ``burst``.

    Each check is one write transaction (``BEGIN IMMEDIATE``: read, refill, spend and write under the file's one
    write lock), so two workers cannot both spend a client's last token. The wait for the lock is bounded: this
    process's threads queue for the connection and then for the file, ``busy_seconds`` each; past that ``take``
    raises ``RateStoreError(busy=True)`` and the request is refused (503), never let through uncounted. The write-ahead
    log keeps readers and the writer apart and needs no fsync per check (``synchronous=NORMAL``): after a crash the
    latest counts may be lost, which only gives clients their tokens back. Only processes of one host can share the
    file: the log's index lives in shared memory, which a network filesystem does not give.

    ``clock`` defaults to the wall clock, which means the same to every process and after a restart; a clock that
    went back refills nothing. Past ``MAX_CLIENTS`` clients, the buckets that are full again are forgotten, when a new
    client is counted."""

    FILE = "ratelimit.sqlite3"
    blocking = True             # take() may wait for the file: the middleware runs it in a thread

    def __init__(self, directory: str, per_minute: float, burst: int, clock: Callable[[], float] = time.time,
                 busy_seconds: float = BUSY_SECONDS):
        self.per_minute, self.burst, self.clock, self.busy_seconds = per_minute, burst, clock, busy_seconds
        self.path = os.path.join(directory, self.FILE)
        self.lock = threading.Lock()       # one transaction at a time on the connection this process shares
        try:
            os.makedirs(directory, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=busy_seconds, isolation_level=None,
                                      check_same_thread=False)
        except FileExistsError:
            raise RateStoreError(f"cannot keep the rate limit's buckets in {self.path} ({directory} is not a "
                                 f"directory)") from None
        except (OSError, sqlite3.Error) as e:
            raise RateStoreError(f"cannot keep the rate limit's buckets in {self.path} ({_why(e)})") from None
        try:
            mode = self.db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise RateStoreError(f"cannot keep the rate limit's buckets in {self.path} (SQLite cannot use a "
                                     f"write-ahead log there, journal mode {mode!r})")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL NOT NULL, "
                            "at REAL NOT NULL) WITHOUT ROWID")
            self._write(self._forget_full, self.clock())        # a write now: a file it may only read fails here
        except sqlite3.Error as e:
            self.db.close()
            raise RateStoreError(f"cannot keep the rate limit's buckets in {self.path} ({_why(e)})") from None
        except RateStoreError:
            self.db.close()
            raise

    def take(self, client: str) -> float:
        """0 when ``client`` may make a request now (it is counted), else the seconds until it may;
        ``RateStoreError`` when the file stayed locked or failed (the request must then be refused)."""
        if not self.lock.acquire(timeout=self.busy_seconds):
            raise self._busy()
        try:
            now = self.clock()
            tokens = self._write(self._spend, client, now)
        except sqlite3.Error as e:
            if getattr(e, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                raise self._busy() from None
            raise RateStoreError(f"the rate limit's store {self.path} failed ({_why(e)}); the request was refused: "
                                 f"check that its directory (--rate-limit-dir) is writable, then restart newsetl "
                                 f"serve") from None
        finally:
            self.lock.release()
        return 0.0 if tokens >= 1 else (1 - tokens) * 60 / self.per_minute

    def _write(self, work: Callable, *args) -> Any:
        """``work(*args)`` in one write transaction (held under this process's lock)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            out = work(*args)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return out

    def _spend(self, client: str, now: float) -> float:
        """The client's tokens before this request; one spent when there is one."""
        row = self.db.execute("SELECT tokens, at FROM buckets WHERE client = ?", (client,)).fetchone()
        tokens = self.burst if row is None else self.refill(row[0], row[1], now)
        self.db.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)",
                        (client, tokens - 1 if tokens >= 1 else tokens, now))
        if row is None and self.db.execute("SELECT count(*) FROM buckets").fetchone()[0] > self.MAX_CLIENTS:
            self._forget_full(now)
        return tokens

    def _forget_full(self, now: float) -> None:
        # the refill of ``refill`` in SQL: the buckets that would be full again now
        self.db.execute("DELETE FROM buckets WHERE tokens + max(0.0, ? - at) * ? / 60 >= ?",
                        (now, self.per_minute, self.burst))

    def _busy(self) -> RateStoreError:
        return RateStoreError(f"the rate limit's store {self.path} stayed locked for over {self.busy_seconds:g} s "
                              f"(the server is overloaded): retry in 1 s", busy=True)


def _why(e: Exception) -> str:
    return (getattr(e, "strerror", None) or str(e)).replace("\n", " ")


RATE_MAPPING = {
    "dynamic": "strict",
    "properties": {
        "tokens": {"type": "double", "index": False},     # what the bucket held at ``at``
        "at": {"type": "double"},                          # when it was counted: epoch seconds (the sweep's range)
        "salt": {"type": "keyword", "index": False},       # the salt document's only field (ClusterRateLimit.SALT_ID)
    },
}


class ClusterRateLimit(RateLimit):
    """``RateLimit`` with its buckets in an Elasticsearch index (``index.rate_limit_index``, default
    ``<name>-ratelimit``: 1 shard, 0-1 replicas, made on first use), shared by every server of the cluster: several
    ``newsetl serve`` on several hosts behind a load balancer give a client ``burst`` requests in all, not ``burst``
    each (``index.search.api_rate_store: elasticsearch``).

    A bucket is one document. A check reads it (a realtime get), refills and spends a token, and writes it back only
    if nobody wrote it meanwhile (``if_seq_no``/``if_primary_term``; a new bucket with ``op_type=create``). A write
    that lost the race (409) reads again, up to ``CONFLICT_RETRIES`` times with a short random pause, so two servers
    can never both spend a client's last token: the count is exact. No painless script: the local node has no
    painless module, and a read-modify-write needs none. A refused request writes nothing; when what this server
    last saw of the bucket (its last read or write) already refuses it, it costs no round trip at all: other servers
    can only have spent more since, so such a refusal is never wrong (nor is anything granted without the cluster).
    The index keeps its translog with ``durability: async`` (fsync every 5 s, not per write): a node crash loses the
    last seconds of counts (clients get back tokens spent then), as the SQLite store's ``synchronous=NORMAL`` does.

    The document id is the SHA-256 of a random salt and the bucket (``key:<name>`` for a known key, else the client's
    address), never the address or key name in clear; the salt is a document of the index itself, made by the first
    server and read by the others. A server that finds the index deleted under it makes it again with the salt it
    knows (the buckets start full again, with the same ids on every server).

    Bounded waits and no free pass: each request to the cluster has ``timeout`` seconds and no retry; the cluster
    away, refusing, or the conflicts outlasting the retries, ``take`` raises ``RateStoreError`` and the request is
    refused with 503 (Retry-After: 1), never let through uncounted.

    The index stays small: a full bucket is the same as none, so after ``burst * 60 / per_minute`` seconds idle a
    document says nothing. Every ``SWEEP_SECONDS`` (each server, in a background thread) the documents idle that long
    are deleted (``sweep``: each delete names the version it saw, so a bucket spent meanwhile stays). The index
    thus holds about the clients seen in the last refill time plus ``SWEEP_SECONDS``.

    ``clock`` is the wall clock (the servers must agree on the time, NTP). A bucket's time never goes back: a server
    whose clock lags refills nothing until its clock passes the bucket's, one ahead refills early by its lead, once
    (the others then refill nothing until they catch up), so skew gives at most its lead's worth of extra tokens.

    A lease (``lease`` above 1, ``index.search.api_rate_lease``) saves a busy client's round trips: the write that
    spends a token takes up to ``lease`` of them, and this process spends the rest itself, under a lock, with no
    round trip (``_take_leased``). The count stays exact where it matters: a server only grants tokens it took from
    the shared bucket, so all servers together never grant more than it holds. The tokens a lease holds are missing
    from the bucket for the others, so a lease is kept small: it starts at 1 for a client this server has not just
    seen, doubles each time one is used up within ``LEASE_SECONDS`` (up to ``lease``) and halves when one is not;
    it is never more than ``burst // LEASE_SHARE`` nor half the tokens left (at least 1). A lease older than
    ``LEASE_SECONDS`` is not spent from: its unspent tokens go back to the bucket with this server's next write to
    it (no write of its own), or are lost until the bucket refills when that never comes (the client moved away, the
    process stopped, a write failed). A token spent from a lease was taken up to ``LEASE_SECONDS`` earlier, so a
    client who waited may get up to that time's refill (``per_minute * LEASE_SECONDS / 60``) sooner than a strict
    bucket gives it, never more in all. ``lease`` 1 is the exact check above, one round trip a granted request."""

    SALT_ID = "salt"
    CONFLICT_RETRIES = 10
    SWEEP_SECONDS = 600.0
    TIMEOUT = 5.0
    LEASE_SECONDS = 1.0         # a lease not used up in this time is not spent from (its rest goes back)
    LEASE_SHARE = 4             # a lease is at most burst // LEASE_SHARE tokens (and at most half those left)
    STRIPES = 64                # the leases' locks: one bucket's leases are spent under one of these
    blocking = True             # take() waits for the cluster: the middleware runs it in a thread

    def __init__(self, client: Callable[[], Any], index: str, per_minute: float, burst: int,
                 clock: Callable[[], float] = time.time, timeout: float = TIMEOUT, lease: int = 1):
        self.per_minute, self.burst, self.clock, self.timeout = per_minute, burst, clock, timeout
        self._client, self.index, self.lease = client, index, lease
        self.lock = threading.Lock()          # guards the salt's first reading and the sweep's start
        self._salt: str | None = None
        self._known: dict[str, tuple[float, float]] = {}      # bucket id -> (tokens, at) as this server last saw it
        self._swept_at: float | None = None
        self._sweeping = False
        # client -> its lease, in the stripe of its hash: each stripe's dict is read and changed under its lock only
        self._leases: list[tuple[threading.Lock, dict[str, _Lease]]] = [
            (threading.Lock(), {}) for _ in range(self.STRIPES)]

    def client(self) -> Any:
        return self._client().options(request_timeout=self.timeout, max_retries=0)

    def take(self, client: str) -> float:
        """0 when ``client`` may make a request now (it is counted), else the seconds until it may;
        ``RateStoreError`` when the cluster cannot count it (the request must then be refused)."""
        if self.lease > 1:
            return self._take_leased(client)
        tokens, _ = self._counted(client, 1, 0)
        return self._wait(tokens)

    def _wait(self, tokens: float) -> float:
        """0 for a bucket that held a token, else the seconds until it holds one."""
        return 0.0 if tokens >= 1 else (1 - tokens) * 60 / self.per_minute

    def _take_leased(self, client: str) -> float:
        """``take`` with a lease: a token of this process's live lease for ``client`` when it has one (no round
        trip), else a new lease from the cluster (``_counted``), its unspent expired tokens given back in the same
        write. One bucket's lease is spent and renewed under one lock, so threads never spend a token twice; a
        lease whose renewal failed is dropped (its tokens may have gone back, so they are never spent)."""
        lock, leases = self._leases[hash(client) % self.STRIPES]
        if not lock.acquire(timeout=self.timeout):
            raise RateStoreError(f"the rate limit's store {self.index}: this server's lease for one client stayed "
                                 f"locked for over {self.timeout:g} s (the server is overloaded): retry in 1 s",
                                 busy=True)
        try:
            now = self.clock()
            held = leases.pop(client, None)
            if held is not None and held.live(now, self.LEASE_SECONDS) and held.tokens >= 1:
                held.tokens -= 1
                leases[client] = held
                return 0.0
            size = self._next_size(held, now)
            tokens, taken = self._counted(client, size, held.tokens if held is not None else 0)
            if taken:
                if len(leases) >= self.MAX_CLIENTS // self.STRIPES:     # many clients: forget the dead leases
                    for c in [c for c, h in leases.items() if not h.live(now, self.LEASE_SECONDS)]:
                        del leases[c]
                leases[client] = _Lease(taken - 1, size, now)
            return self._wait(tokens)
        finally:
            lock.release()

    def _next_size(self, held: _Lease | None, now: float) -> int:
        """The lease to ask for: 1 for a client not seen lately, twice the last one when it was used up in time
        (a busy client), half when it outlived ``LEASE_SECONDS`` (never above ``lease``)."""
        if held is None:
            return 1
        if held.tokens < 1 and held.live(now, self.LEASE_SECONDS):
            return min(self.lease, held.size * 2)
        return max(1, held.size // 2)

    def _counted(self, client: str, want: int, back: int) -> tuple[float, int]:
        """``_spend`` of ``want`` tokens (``back`` given back) from ``client``'s bucket, with its retries: a lost race
        read again, a new index's shard waited for; ``RateStoreError`` when the cluster cannot count it."""
        from elasticsearch import ApiError, ConflictError
        from elastic_transport import TransportError

        starting = None         # the shard of an index made a moment ago, not ready yet (503): waited for too
        try:
            es = self.client()
            for attempt in range(self.CONFLICT_RETRIES + 1):
                if attempt:
                    time.sleep(random.uniform(0.001, 0.005 * attempt) + (0.05 if starting else 0.0))
                try:
                    spent = self._spend(es, self.bucket_id(es, client), want, back)
                except (ConflictError, _IndexGone):
                    continue
                except ApiError as e:
                    if e.meta.status != 503 or "no_shard_available" not in str(e):
                        raise
                    starting = e
                    continue
                self._maybe_sweep()
                return spent
            if starting is not None:
                raise starting
        except (ApiError, TransportError) as e:
            raise RateStoreError(self._failed(e)) from None
        raise RateStoreError(f"the rate limit's store {self.index} had {self.CONFLICT_RETRIES + 1} conflicting "
                             f"writes to one bucket in a row (the client is very busy): retry in 1 s", busy=True)

    def _spend(self, es: Any, doc_id: str, want: int = 1, back: int = 0) -> tuple[float, int]:
        """The bucket's tokens before this request, with ``back`` (an expired lease's unspent tokens) given back,
        and how many were taken: none when it holds less than one, else ``want`` or fewer (``_share``), written
        back if the document did not change. ``ConflictError`` when another server wrote it first."""
        from elasticsearch import NotFoundError

        known = self._known.get(doc_id)
        if known is not None and not back:     # refused on what this server last saw: others only spent more
            tokens = self.refill(*known, self.clock())
            if tokens < 1:
                return tokens, 0
        try:
            got = es.get(index=self.index, id=doc_id)
        except NotFoundError as e:
            if _index_missing(e):            # deleted under a running server: made again, with its salt, then retried
                self._restore(es)
                raise _IndexGone() from None
            got = None
        now = self.clock()
        if got is None:
            tokens = float(self.burst)
        else:
            # given back after the refill, capped by the burst: what the bucket would hold had they never left it
            tokens = min(self.burst, self.refill(got["_source"]["tokens"], got["_source"]["at"], now) + back)
            now = max(now, got["_source"]["at"])      # a server whose clock lags never moves the count back
        if tokens < 1:                       # refused: nothing to write (the bucket refills from what it holds)
            self._remember(doc_id, got["_source"]["tokens"], got["_source"]["at"])
            return tokens, 0
        taken = self._share(tokens, want)
        doc = {"tokens": tokens - taken, "at": now}
        if got is None:
            es.index(index=self.index, id=doc_id, document=doc, op_type="create")
        else:
            es.index(index=self.index, id=doc_id, document=doc, if_seq_no=got["_seq_no"],
                     if_primary_term=got["_primary_term"])
        self._remember(doc_id, doc["tokens"], doc["at"])
        return tokens, taken

    def _share(self, tokens: float, want: int) -> int:
        """How many of a bucket's ``tokens`` (at least 1) one write takes: ``want``, but never more than
        ``burst // LEASE_SHARE`` nor half of them, so that other servers, and a client's next requests elsewhere,
        still find some; at least the one this request spends."""
        return max(1, min(want, self.burst // self.LEASE_SHARE, int(tokens // 2)))

    def _remember(self, doc_id: str, tokens: float, at: float) -> None:
        """What this server last saw of a bucket (for refusals without a round trip); forgotten past MAX_CLIENTS."""
        if len(self._known) >= self.MAX_CLIENTS and doc_id not in self._known:
            self._known = {}
        self._known[doc_id] = (tokens, at)

    def bucket_id(self, es: Any, client: str) -> str:
        """The document id of ``client``'s bucket: its salted SHA-256 (no address nor key name in clear)."""
        return hashlib.sha256(f"{self.salt(es)}\n{client}".encode()).hexdigest()

    def salt(self, es: Any) -> str:
        """The index's salt: read once, made by the first server that finds none (the index made too)."""
        from elasticsearch import ConflictError, NotFoundError

        if self._salt is not None:
            return self._salt
        with self.lock:
            if self._salt is None:
                self._ensure(es)
                try:
                    self._salt = es.get(index=self.index, id=self.SALT_ID)["_source"]["salt"]
                except NotFoundError:
                    made = secrets.token_hex(16)
                    try:
                        es.index(index=self.index, id=self.SALT_ID, document={"salt": made}, op_type="create",
                                 refresh="wait_for")
                        self._salt = made
                    except ConflictError:     # another server made it meanwhile: theirs
                        self._salt = es.get(index=self.index, id=self.SALT_ID)["_source"]["salt"]
        return self._salt

    def _restore(self, es: Any) -> None:
        """The index was deleted: make it again with the salt this server knows (every server that ran before
        knows the same one, so their buckets keep their ids); a salt another server wrote first is taken instead."""
        from elasticsearch import ConflictError

        with self.lock:
            self._ensure(es)
            if self._salt is None:
                return
            try:
                es.index(index=self.index, id=self.SALT_ID, document={"salt": self._salt}, op_type="create",
                         refresh="wait_for")
            except ConflictError:
                self._salt = es.get(index=self.index, id=self.SALT_ID)["_source"]["salt"]

    def _ensure(self, es: Any) -> None:
        from pipeline.runs import RunsIndexError, ensure_side_index

        try:
            ensure_side_index(es, self.index, RATE_MAPPING, "the rate-limit index's", "index.rate_limit_index")
        except RunsIndexError as e:
            raise RateStoreError(f"the rate limit's store cannot be kept: {e}") from None
        # no fsync of the translog per write (every 5 s instead): 3 times faster a check; a node that crashes
        # loses the last seconds of counts, which only gives clients back tokens they spent then
        es.indices.put_settings(index=self.index, settings={"index.translog.durability": "async"})
        # made a moment ago, here or by another server: its shard may still be recovering, when a get answers 503
        # (no_shard_available); wait for it, as long as one request may take
        from elasticsearch import ApiError, NotFoundError

        deadline = time.monotonic() + self.timeout
        while True:
            try:
                es.get(index=self.index, id=self.SALT_ID)
                return
            except NotFoundError:
                return
            except ApiError as e:
                if e.meta.status != 503 or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _maybe_sweep(self) -> None:
        """Start a sweep in the background when the last one on this server is ``SWEEP_SECONDS`` old."""
        now = self.clock()
        with self.lock:
            if self._sweeping or (self._swept_at is not None and now - self._swept_at < self.SWEEP_SECONDS):
                return
            if self._swept_at is None:           # the first check: the next sweep one period from now
                self._swept_at = now
                return
            self._sweeping, self._swept_at = True, now
        threading.Thread(target=self._sweep_in_background, name="newsetl-rate-sweep", daemon=True).start()

    def _sweep_in_background(self) -> None:
        try:
            self.sweep()
        except Exception as e:      # the next period tries again; a failed sweep only leaves idle documents
            log.warning("the rate limit's sweep of %s failed: %s", self.index, _why(e))
        finally:
            with self.lock:
                self._sweeping = False

    def sweep(self, now: float | None = None) -> int:
        """Delete the buckets idle long enough to be full again (the salt stays); how many went. Each delete names
        the version the scan saw, so a bucket a server spent from meanwhile stays (it is no longer idle)."""
        from elasticsearch import helpers

        now = self.clock() if now is None else now
        full_after = self.burst * 60 / self.per_minute
        es = self._client().options(request_timeout=max(self.timeout, 30.0), max_retries=0)
        es.indices.refresh(index=self.index)
        idle = helpers.scan(es, index=self.index, size=1000, query={
            "query": {"range": {"at": {"lt": now - full_after}}}, "_source": False, "seq_no_primary_term": True})
        actions = ({"_op_type": "delete", "_index": self.index, "_id": h["_id"], "if_seq_no": h["_seq_no"],
                    "if_primary_term": h["_primary_term"]} for h in idle)
        ok, _ = helpers.bulk(es, actions, raise_on_error=False)     # a 409 (spent meanwhile) or 404 keeps it
        return ok

    def _failed(self, e: Exception) -> str:
        from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from

        if isinstance(e, UNAVAILABLE_ERRORS) or getattr(getattr(e, "meta", None), "status", 0) in (429, 502, 503,
                                                                                                  504):
            why = str(unavailable_from(self._client(), e))
        else:
            why = f"Elasticsearch refused it: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        return f"the rate limit's store, the index {self.index}, cannot count this request, so it was refused: {why}"


class _IndexGone(Exception):
    """The rate-limit index was deleted under a running server: the check makes it again and retries."""


class _Lease:
    """The tokens this process took from one bucket in the cluster and has not spent yet (``ClusterRateLimit``):
    ``size`` was asked for at ``at``."""

    __slots__ = ("tokens", "size", "at")

    def __init__(self, tokens: int, size: int, at: float):
        self.tokens, self.size, self.at = tokens, size, at

    def live(self, now: float, seconds: float) -> bool:
        """Still to be spent from: taken less than ``seconds`` ago (and not in the future: a clock set back)."""
        return self.at <= now < self.at + seconds


def _index_missing(e: Exception) -> bool:
    """Whether a 404 says the index is missing (not only the document)."""
    body = getattr(e, "body", None)
    return isinstance(body, dict) and (body.get("error") or {}).get("type") == "index_not_found_exception"


def rate_store_of(settings: Any, rate_limit_dir: str | None) -> str:
    """Where the rate limit's buckets live: ``index.search.api_rate_store`` when set, else ``sqlite`` when a
    directory is named for the file, else ``memory``."""
    return settings.index.search.api_rate_store or ("sqlite" if rate_limit_dir else "memory")


def rate_limit_for(settings: Any, client: Callable[[], Any], clock: Callable[[], float] | None = None,
                   rate_limit_dir: str | None = None) -> RateLimit | None:
    """The API's rate limit (None without ``index.search.api_rate_per_minute``), in the store ``rate_store_of``
    names: ``RateLimit`` in memory, ``SharedRateLimit`` in ``rate_limit_dir``, ``ClusterRateLimit`` in the
    rate-limit index through ``client()`` (the app's Elasticsearch client, made when the app starts).
    ``RateStoreError`` for a SQLite file that cannot be opened, or sqlite without a directory."""
    cfg = settings.index.search
    if not cfg.api_rate_per_minute:
        return None
    store = rate_store_of(settings, rate_limit_dir)
    if store == "elasticsearch":
        return ClusterRateLimit(client, settings.index.rate_limit_index_name, cfg.api_rate_per_minute, cfg.api_burst,
                                clock or time.time, lease=cfg.api_rate_lease)
    if store == "sqlite":
        if not rate_limit_dir:
            raise RateStoreError(f"index.search.api_rate_store is sqlite but no directory is named for its file: "
                                 f"start the API with newsetl serve (it makes one, or takes --rate-limit-dir), or "
                                 f"set ${RATE_DIR_ENV}")
        return SharedRateLimit(rate_limit_dir, cfg.api_rate_per_minute, cfg.api_burst, clock or time.time)
    return RateLimit(cfg.api_rate_per_minute, cfg.api_burst, clock or time.monotonic)


ADMIN_KEYS_ENV = "NEWSETL_API_ADMIN_KEYS"     # comma-separated: the keys that may change the stored watches
_WRITES = ("PUT", "DELETE", "POST", "PATCH")


def admin_keys_of(settings: Any) -> list[str]:
    """The admin keys: ``$NEWSETL_API_ADMIN_KEYS`` (comma-separated) when set, else ``index.search.api_admin_keys``."""
    env = os.environ.get(ADMIN_KEYS_ENV)
    keys = env.split(",") if env else list(settings.index.search.api_admin_keys)
    return [k.strip() for k in keys if k.strip()]


READ_KEYS_ENV = "NEWSETL_API_KEYS"     # comma-separated name=key: a key per service, each revoked on its own
_KEY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class ApiKeysError(ValueError):
    """``NEWSETL_API_KEYS`` cannot be read (one line naming the entry and the form)."""


def read_keys_of(api_key: str | None = None) -> dict[str, str]:
    """The keys that read, by name: ``$NEWSETL_API_KEY`` (or ``api_key``) as ``default``, and each ``name=key`` of
    ``$NEWSETL_API_KEYS`` (comma-separated: one key per downstream service, so that one is revoked without the
    others, and each has its own rate-limit bucket). ``ApiKeysError`` for an entry that is not ``name=key``, a name
    twice or a key twice."""
    default = api_key if api_key is not None else os.environ.get("NEWSETL_API_KEY") or None
    keys = {"default": default} if default else {}
    for entry in filter(None, (e.strip() for e in os.environ.get(READ_KEYS_ENV, "").split(","))):
        name, eq, value = entry.partition("=")
        name, value = name.strip(), value.strip()
        if not eq or not value or not _KEY_NAME.fullmatch(name):
            raise ApiKeysError(f"{READ_KEYS_ENV}: {name or entry[:20]!r} is not name=key (a name of letters, digits, "
                            f"'.', '_' or '-', then '=' and the key; entries separated by commas)")
        if name in keys:
            raise ApiKeysError(f"{READ_KEYS_ENV}: the name {name!r} twice" + (" (default is NEWSETL_API_KEY's)"
                                                                         if name == "default" else ""))
        if value in keys.values():
            raise ApiKeysError(f"{READ_KEYS_ENV}: the key of {name!r} is another name's too: give each its own")
        keys[name] = value
    return keys


def _which(given: str, keys: dict[str, str]) -> str | None:
    """The name of the key ``given`` is (each compared in constant time, and all of them), or None."""
    found = None
    for name, k in keys.items():
        if hmac.compare_digest(given.encode(), k.encode()):
            found = name
    return found


def _unscoped(path: str) -> str | None:
    """Why a key with a scope may not read ``path`` (a route whose answer its filters cannot restrict), or None."""
    if path == "/changes":
        return ("the changes feed cannot be restricted to a scope (its deletions, and the documents that leave the "
                "scope, would go unsaid): page through /search with its cursor instead")
    if path in ("/alerts", "/watches") or path.startswith("/watches/"):
        return "the watches and their alerts search the whole index, not a key's scope"
    return None


def _unknown_key(expired: Any, otherwise: str) -> str:
    """A 401's words: the stored key given has expired (``pipeline.apikeys.Found``), or ``otherwise``."""
    if expired is not None:
        return (f"the key {expired.name} expired on {expired.expires_at.date().isoformat()}: ask for a new one "
                "(newsetl keys add --replace)")
    return otherwise


def create_app(settings: Any, client_factory: Callable | None = None, api_key: str | None = None,
               clock: Callable[[], float] | None = None, rate_limit_dir: str | None = None,
               admin_keys: list[str] | None = None) -> FastAPI:
    """The app for ``settings`` (its read alias). ``client_factory``: makes the Elasticsearch client (default
    ``client_from_settings``); ``api_key``: default ``$NEWSETL_API_KEY`` (None or empty: no key needed);
    ``admin_keys``: the keys that may change the stored watches (default ``admin_keys_of``; none: those routes
    answer 403); ``clock``:
    the rate limit's (``index.search.api_rate_per_minute``; default ``time.monotonic``, ``time.time`` for shared
    buckets) and the stored keys' (``pipeline.apikeys.StoredKeys``: when to read them again); ``rate_limit_dir``: keep the buckets in ``SharedRateLimit``'s file there, shared with every process
    that names it (default: in this process's memory; ``index.search.api_rate_store`` chooses: ``rate_limit_for``).
    ``RateStoreError`` when that file cannot be opened."""
    from pipeline.changes import DEFAULT_PAGE, changes
    from pipeline.removals import record_of
    from pipeline.search import SearchError, get_document, parse_entity, search
    from pipeline.trends import BASELINE, MIN_COUNT, WINDOW, trends

    make_client = client_factory or (lambda: client_from_settings(settings))
    readers = read_keys_of(api_key)           # name -> key; the first (default) is NEWSETL_API_KEY's
    cfg = settings.index.search
    # reading needs a key when the environment sets one, or the configuration says so (the stored keys then)
    closed = bool(readers) or cfg.api_require_key
    admins = [k for k in (admin_keys if admin_keys is not None else admin_keys_of(settings)) if k]
    # each key's name; an admin key's has a ':', which no name of NEWSETL_API_KEYS or a stored key may
    every = {**readers, **{f"admin:{i + 1}": k for i, k in enumerate(admins)}}
    digest_of = {name: key_digest(k) for name, k in every.items()}
    stored = StoredKeys(lambda: state["client"], settings, refresh_seconds=cfg.api_keys_refresh_seconds,
                        reserved=list(readers), clock=clock or time.monotonic)
    limit = rate_limit_for(settings, lambda: state["client"], clock, rate_limit_dir)
    alias = settings.index.read_alias
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state["client"] = make_client()
        try:
            yield
        finally:
            state.pop("client").close()

    app = FastAPIOffline(title="newsetl search API", version=_version(), lifespan=lifespan,
                         description="Search the news articles newsetl indexed (see pipeline/api.py).",
                         static_url=DOCS_ASSETS)
    if closed or admins:
        _declare_key(app)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, e: ApiError):
        return JSONResponse({"error": str(e)}, status_code=e.status)

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(request: Request, e: RequestValidationError):
        first = e.errors()[0] if e.errors() else {}
        loc = tuple(first.get("loc", ()))
        if loc[:1] == ("body",):            # a watch that does not validate: 422, naming the field
            from pipeline.settings import _key_path

            field = _key_path(loc[1:]) or "body"
            msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
            return JSONResponse({"error": f"{field}: {msg}", "field": field}, status_code=422)
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "query")
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid')}"}, status_code=400)

    @app.exception_handler(ClusterUnavailable)
    async def _unavailable(request: Request, e: ClusterUnavailable):
        return JSONResponse({"error": str(e)}, status_code=503)

    @app.exception_handler(ConfigError)
    async def _bad_config(request: Request, e: ConfigError):     # the watches file: the server's, not the caller's
        return JSONResponse({"error": e.one_line()}, status_code=503)

    @app.exception_handler(WatchStoreError)
    async def _store_refused(request: Request, e: WatchStoreError):
        return JSONResponse({"error": str(e), "field": e.field}, status_code=e.status)

    @app.exception_handler(KeyStoreError)
    async def _key_refused(request: Request, e: KeyStoreError):
        return JSONResponse({"error": str(e)}, status_code=e.status)

    @app.exception_handler(SearchError)
    async def _bad_search(request: Request, e: SearchError):
        missing = "does not exist" in str(e)      # the index is not there yet: not the caller's fault
        return JSONResponse({"error": str(e)}, status_code=503 if missing else 400)

    @app.middleware("http")
    async def _key(request: Request, call_next):
        given = request.headers.get("x-api-key") or request.headers.get("authorization", "").removeprefix(
            "Bearer ").strip()
        if not given and request.url.path.endswith(".atom"):       # a feed reader sends no header
            given = request.query_params.get("key", "")
        named = _which(given, every) if given else None
        role = ("admin" if named.startswith("admin:") else "read") if named else None
        digest = digest_of[named] if named else None
        expired = scope = None
        if given and not named:             # a key of the API keys index (pipeline.apikeys)?
            found = await run_in_threadpool(stored.lookup, given)
            if found is not None and found.expired():
                expired = found
            elif found is not None:
                named, role, digest, scope = found.name, found.role, found.digest, found.scope
        request.state.key_digest = digest    # the feeds' tokens are made under the caller's key
        request.state.key_name = named       # who made a key (created_by); the metrics' key label
        request.state.scope = scope          # what that key may see (pipeline.apikeys.check_scope; None: all)
        # a scrape of /metrics is never limited, but with a key that is not one it is (guessing keys)
        scrape = cfg.api_metrics and request.url.path == METRICS_PATH and (named or not closed)
        if limit and request.url.path != "/health" and not scrape:  # before the key: guessing keys is limited too
            host = request.client.host if request.client else "unknown"
            # a known key's bucket is its own, wherever it comes from (services behind one proxy do not share);
            # anything else counts against its address
            bucket = f"key:{named}" if named else host
            try:
                wait = await run_in_threadpool(limit.take, bucket) if limit.blocking else limit.take(bucket)
            except RateStoreError as e:     # refused, not let through uncounted (SharedRateLimit)
                log.warning("%s", e)
                return JSONResponse({"error": str(e)}, status_code=503, headers={"Retry-After": "1"})
            if wait:
                who = f"the key {named}" if named else host
                request.state.rate_limited = "key" if named else "address"      # pipeline.apimetrics
                return JSONResponse({"error": f"too many requests from {who}: {limit.burst} at once, then "
                                              f"{limit.per_minute:g} a minute (index.search.api_rate_per_minute, "
                                              f"api_burst); retry in {math.ceil(wait)} s"},
                                    status_code=429, headers={"Retry-After": str(math.ceil(wait))})
        path = request.url.path
        if (request.method in _WRITES and path.startswith("/watches")) or path == "/keys" or \
                path.startswith("/keys/"):      # the stored watches and keys: admins
            what = "API keys" if path.startswith("/keys") else "watches"
            if not admins and not await run_in_threadpool(stored.has_admin):
                return JSONResponse({"error": f"managing {what} through the API is off: set {ADMIN_KEYS_ENV} (or "
                                              "index.search.api_admin_keys) to the keys that may, and restart "
                                              "newsetl serve, or make one with `newsetl keys add --admin`"},
                                    status_code=403)
            if not given:
                return JSONResponse({"error": "give an admin key: Authorization: Bearer <key> or X-API-Key"},
                                    status_code=401)
            if role != "admin":
                if role == "read":
                    return JSONResponse({"error": f"this key only reads: managing {what} needs an admin key "
                                                  f"({ADMIN_KEYS_ENV}, or `newsetl keys add --admin`)"},
                                        status_code=403)
                return JSONResponse({"error": _unknown_key(expired, "not an admin key")}, status_code=401)
        elif closed and not _open(path):
            token = request.query_params.get("token") if path.endswith(".atom") else None
            if token and not given:     # the feed's own token (pipeline.feed): that feed only
                known = list(digest_of.values()) + await run_in_threadpool(stored.digests)
                under = token_maker(token, request.scope["path"], known)
                if under:
                    # the scope of the key it was made under (a stored key's; the environment's have none)
                    maker = stored.found_by_digest(under)
                    request.state.scope = scope = maker.scope if maker else None
                    if scope and _unscoped(path):
                        return _scope_refused(maker.name, scope, path)
                    return await call_next(request)
                return JSONResponse({"error": "this token does not open this feed (a feed's token opens that "
                                              "feed only, and only under the API key it was made with): get "
                                              "its URL from GET /watches or newsetl watch feed-url"},
                                    status_code=401)
            if not named:          # any reading key, or an admin key (which reads too); ?key= on a feed
                return JSONResponse({"error": _unknown_key(expired, "give the API key: Authorization: Bearer <key> "
                                                                    "or X-API-Key")}, status_code=401)
        if scope and _unscoped(path):
            return _scope_refused(named, scope, path)
        return await call_next(request)

    def _scope_refused(name: str, scope: dict, path: str) -> JSONResponse:
        return JSONResponse({"error": f"the key {name} sees only part of the news ({describe_scope(scope)}): "
                                      f"{path} is refused to it: {_unscoped(path)}"}, status_code=403)

    def _filters(request: Request) -> list[dict] | None:
        """The filter clauses of the caller's key's scope (``pipeline.apikeys.scope_filters``); None without one."""
        return scope_filters(settings, getattr(request.state, "scope", None)) or None

    basis = answer_basis(settings)
    seen = StateClock()

    def _conditional(request: Request, produce: Callable[[], Any]) -> Response:
        """``produce()``'s answer (a dict, sent as JSON, or a Response) with its validators, or ``304 Not Modified``
        without running it when the caller already has it (``conditional_headers``, ``not_modified``). The key check
        and the rate limit ran before (the middleware): a 304 needs the key and counts as any request. The index's
        state costs one small request; without the index the route answers as it would (503)."""
        from elasticsearch import NotFoundError

        from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
        from pipeline.stories import index_state, known_state

        client = state["client"]
        asked_at = time.time()
        try:
            now = index_state(client, alias)
        except NotFoundError as e:
            if "index_not_found" not in str(e):
                raise
            return _as_response(produce())
        except UNAVAILABLE_ERRORS as e:
            raise unavailable_from(client, e) from None
        headers = conditional_headers(basis, request.url.path, request.query_params.multi_items(),
                                      getattr(request.state, "scope", None), now,
                                      modified=seen.modified(now, asked_at, time.time()))
        asked = not_modified(request.headers, headers)
        if asked is True:
            return Response(status_code=304, headers=headers)
        with known_state(alias, now):      # a scoped search's stories take this state: no second state request
            out = _as_response(produce())
        if asked is None and out.status_code == 200:       # If-None-Match: *, and there is an answer
            return Response(status_code=304, headers=headers)
        out.headers.update(headers)
        return out

    @app.get("/search")
    def search_(request: Request, q: str = "", lang: str | None = None, source: str | None = None,
                entity: list[str] = Query(default=[]), tag: str | None = None, country: str | None = None,
                near: str | None = None,
                like: str | None = None, originals: bool = False, since: str | None = None, until: str | None = None,
                size: int = 10, after: str | None = None, sort: str | None = None, facets: bool = False,
                text: bool = False, access: str | None = None) -> dict:
        def answer() -> dict:
            return search(state["client"], settings, q, lang=lang, source=source,
                          entities=[parse_entity(e) for e in entity], since=since, until=until, size=size, after=after,
                          facets=facets, sort=sort, tag=tag, country=country, like=like, originals=originals,
                          near=near, include_text=text, access=access, filters=_filters(request))

        # a later page reads the point in time its cursor names (which expires), not the index as it is now
        return answer() if after else _conditional(request, answer)

    @app.get("/trends")
    def trends_(request: Request, field: str = "people", window: str = WINDOW, baseline: str = BASELINE,
                at: str | None = None,
                size: int = 10, min_count: int = MIN_COUNT, q: str = "", lang: str | None = None, source: str | None = None,
                entity: list[str] = Query(default=[]), tag: str | None = None, country: str | None = None,
                originals: bool = False, access: str | None = None, near: str | None = None) -> dict:
        def answer() -> dict:
            return trends(state["client"], settings, field=field, window=window, baseline=baseline, at=at, size=size,
                          min_count=min_count, query=q, lang=lang, source=source, country=country, tag=tag,
                          entities=[parse_entity(e) for e in entity], originals=originals, access=access, near=near,
                          filters=_filters(request))

        # without ``at`` the window ends now: the answer changes with the clock, not only with the index
        return _conditional(request, answer) if at else answer()

    @app.get(SEARCH_FEED, response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
    def feed_(request: Request, q: str = "", lang: str | None = None, source: str | None = None,
              entity: list[str] = Query(default=[]), tag: str | None = None, country: str | None = None,
              near: str | None = None,
              originals: bool = False, since: str | None = None, until: str | None = None, size: int = 20,
              sort: str = "date", access: str | None = None) -> Response:
        import hashlib
        import json

        from pipeline.feed import atom

        if not 1 <= size <= FEED_MAX:
            raise ApiError(400, f"size must be between 1 and {FEED_MAX} (a feed's entries)")

        def answer() -> Response:
            res = search(state["client"], settings, q, lang=lang, source=source, since=since, until=until, size=size,
                         entities=[parse_entity(e) for e in entity], tag=tag, country=country, originals=originals,
                         near=near, sort=sort, access=access, filters=_filters(request))
            # the search's own parameters: not the key or the token, which name no search (and must not be shown)
            params = sorted((k, v) for k, v in request.query_params.multi_items() if k not in ("size", "key", "token"))
            what = "; ".join(f"{k}={v}" for k, v in params) or "every article"
            scoped = [request.state.scope] if request.state.scope else []       # a key's scope: another feed
            body = atom(res["hits"], title=f"newsetl: {what}", self_url=str(request.url.remove_query_params("key")),
                        generator=f"newsetl {_version()}", feed_id="urn:newsetl:feed:" + hashlib.sha256(
                            json.dumps([alias, params] + scoped).encode()).hexdigest()[:32])
            return Response(body, media_type="application/atom+xml; charset=utf-8")

        # a poll that finds the feed as it was: 304, without the search (conditional_headers)
        return _conditional(request, answer)

    @app.get("/watches/{name}/feed.atom", response_class=Response,
             responses={200: {"content": {"application/atom+xml": {}}}})
    def watch_feed(request: Request, name: str, size: int = 20) -> Response:
        from pipeline.feed import atom
        from pipeline.settings import ConfigError
        from pipeline.watches import alerts_listing, load_all

        if not 1 <= size <= FEED_MAX:
            raise ApiError(400, f"size must be between 1 and {FEED_MAX} (a feed's entries)")
        try:
            watch = next((w for w in load_all(settings, client=state["client"]) if w.name == name), None)
        except ConfigError as e:
            raise ApiError(503, str(e)) from None
        if watch is None:
            raise ApiError(404, f"no watch named {name!r} (GET /watches lists them; GET /alerts what they found)")
        # an alert's entry: the article, its time when it has none the time the watch found it
        hits = [{**a, "fetched_at": a.get("matched_at")}
                for a in alerts_listing(state["client"], settings, watch=name, size=size)]
        # what the feed is made of, without what a delivery changes (``pending``) and entries do not show
        shown = [{k: v for k, v in a.items() if k != "pending"} for a in hits]
        headers = content_headers(basis, request.url.path, request.query_params.multi_items(),
                                  [watch.description, shown])
        if not_modified(request.headers, headers) is not False:      # its tag, or * (there is a feed)
            return Response(status_code=304, headers=headers)
        body = atom(hits, title=f"newsetl watch {name}" + (f": {watch.description}" if watch.description else ""),
                    self_url=str(request.url.remove_query_params("key")), generator=f"newsetl {_version()}",
                    feed_id=f"urn:newsetl:watch:{alias}:{name}")
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)

    @app.get("/suggest")
    def suggest_(request: Request, q: str = "", field: str = "people", size: int = 10, query: str = "",
                 lang: str | None = None,
                 source: str | None = None, entity: list[str] = Query(default=[]), tag: str | None = None,
                 country: str | None = None, since: str | None = None, until: str | None = None,
                 originals: bool = False, access: str | None = None, near: str | None = None) -> dict:
        from pipeline.suggest import suggest

        return _conditional(request, lambda: suggest(
            state["client"], settings, q, field=field, size=size, query=query, lang=lang, source=source,
            country=country, entities=[parse_entity(e) for e in entity], tag=tag, since=since, until=until,
            originals=originals, access=access, near=near, filters=_filters(request)))

    @app.get("/changes")
    def changes_(after: str | None = None, since: str | None = None, size: int = DEFAULT_PAGE) -> dict:
        return changes(state["client"], settings, after=after, since=since, size=size)

    @app.get("/alerts")
    def alerts_(watch: str | None = None, pending: bool = False, size: int = 50) -> dict:
        from pipeline.watches import alerts_listing

        if not 1 <= size <= settings.index.search.max_size:
            raise ApiError(400, f"size must be between 1 and {settings.index.search.max_size} "
                                "(index.search.max_size)")
        return {"alerts": alerts_listing(state["client"], settings, watch=watch, pending=pending, size=size)}

    @app.get("/watches")
    def watches_(request: Request) -> dict:
        from pipeline.watches import public_view

        got = _all_watches()
        # the feeds' tokens under the caller's key (or NEWSETL_API_KEY's, on an API that reads without one)
        mine = getattr(request.state, "key_digest", None) or digest_of.get("default")
        return {"watches": [{**public_view(w, got.origin[w.name], got.meta.get(w.name)), "feed": _feed(w.name, mine)}
                            for w in got],
                "shadowed": got.shadowed, "notes": got.notes}

    @app.put("/watches/{name}", status_code=201, responses={
        200: {"description": "replaced"}, 201: {"description": "created"}, 401: {"description": "no admin key"},
        403: {"description": "a key that only reads, or no admin key configured"},
        409: {"description": "the watches file defines that name"},
        422: {"description": "the body does not validate, or a channel the API may not create"}})
    def put_watch_(name: str, body: WatchBody, since: str | None = None) -> JSONResponse:
        """Store a watch (create or replace): the body is a watches.yaml entry; only webhook channels."""
        import datetime as dt

        from pydantic import ValidationError

        from pipeline.settings import _key_path
        from pipeline.storage import Storage
        from pipeline.watches import STORED, Watch, check_api_watch, public_view, put_watch

        if body.name is not None and body.name != name:
            raise WatchStoreError(f"name: the body names {body.name!r}, the path {name!r}: give one name", 422,
                                  "name")
        try:
            watch = Watch.model_validate({**body.model_dump(mode="json"), "name": name})
        except ValidationError as e:
            err = e.errors()[0]
            field = _key_path(err["loc"])
            raise WatchStoreError(f"{field}: {err['msg'].removeprefix('Value error, ')}", 422, field) from None
        start = None
        if since:
            try:
                start = dt.datetime.fromisoformat(since.replace("Z", "+00:00"))
            except ValueError:
                raise ApiError(400, f"since {since!r} is not an ISO 8601 date or time") from None
            start = start if start.tzinfo else start.replace(tzinfo=dt.timezone.utc)
        check_api_watch(watch, settings)
        res = put_watch(state["client"], Storage(settings.storage.root), settings, watch, by="api", replace=True,
                        since=start)
        meta = {k: res["watch"][k] for k in ("created_at", "updated_at", "created_by")}
        return JSONResponse(public_view(watch, STORED, meta), status_code=201 if res["created"] else 200)

    @app.delete("/watches/{name}", responses={
        401: {"description": "no admin key"}, 403: {"description": "a key that only reads, or no admin key "
                                                                   "configured"},
        404: {"description": "no stored watch of that name"}, 409: {"description": "a watch of the watches file"}})
    def delete_watch(name: str, keep_state: bool = False, delete_alerts: bool = False) -> dict:
        """Remove a stored watch: its cursor too unless ``keep_state``; its alerts stay unless ``delete_alerts``."""
        from pipeline.storage import Storage
        from pipeline.watches import remove_watch

        return remove_watch(state["client"], Storage(settings.storage.root), settings, name, keep_state=keep_state,
                            delete_alerts=delete_alerts)

    @app.get("/keys", responses={401: {"description": "no admin key"}, 403: {"description": "a key that only "
                                                                                 "reads, or no admin key at all"}})
    def keys_() -> dict:
        """The API's keys: the stored ones (``pipeline.apikeys``: name, role, the key's first characters, note,
        created, expires, last used; never the key nor its digest) and the names of the environment's."""
        from pipeline.apikeys import list_keys

        env = [{"name": n, "role": "read", "origin": "environment"} for n in readers] + \
            [{"name": n, "role": "admin", "origin": "environment"} for n in every if n.startswith("admin:")]
        return {"keys": [{**k, "origin": "stored"} for k in list_keys(state["client"], settings)] + env,
                "reading_needs_a_key": closed}

    @app.post("/keys/{name}", status_code=201, responses={
        401: {"description": "no admin key"}, 403: {"description": "a key that only reads, or no admin key at all"},
        409: {"description": "a key of that name exists (replace=true makes a new one in its place), or the "
                             "environment has that name"}, 422: {"description": "a name or expiry that cannot be"}})
    def add_key_(request: Request, name: str, body: KeyBody | None = None, replace: bool = False,
                 grace: str | None = None) -> JSONResponse:
        """Make a key that reads, named ``name``; the answer holds the key, once (it is kept as a digest only).
        ``replace``: in place of the key of that name, which stops working at once, or after ``grace`` (12h, 7d:
        a rotation without downtime). Admin keys are made with ``newsetl keys add --admin`` only."""
        from pipeline.apikeys import add_key, parse_expiry, parse_span

        body = body or KeyBody()
        span = parse_span(grace)
        made, doc = add_key(state["client"], settings, name, role="read", expires=parse_expiry(body.expires),
                            note=body.note, by=f"api:{request.state.key_name}", replace=replace, grace=span,
                            reserved=list(every),
                            scope=None if body.scope is None else body.scope.model_dump(exclude_none=True))
        stored.learn(made, doc, keep_others=bool(span))
        if not closed:
            log.warning("API key %r made, but reading needs no key here (index.search.api_require_key)", name)
        return JSONResponse({"key": made, **doc, "reading_needs_a_key": closed}, status_code=201)

    @app.delete("/keys/{name}", responses={
        401: {"description": "no admin key"}, 403: {"description": "a key that only reads, or no admin key at all"},
        404: {"description": "no stored key of that name"}})
    def revoke_key_(name: str) -> dict:
        """Revoke the stored key ``name``: it stops working here at once, on other servers within
        ``index.search.api_keys_refresh_seconds``, with the feed tokens made under it."""
        from pipeline.apikeys import revoke_key

        if name in every:
            raise ApiError(409, f"{name!r} is a key of the server's environment: remove it there and restart")
        doc = revoke_key(state["client"], settings, name)
        stored.forget(name)
        return {"revoked": doc}

    def _feed(name: str, under: str | None) -> str:
        """A watch's feed as a path a feed reader can be given (with its token under the key whose digest is
        ``under``, when reading needs a key)."""
        from urllib.parse import quote

        path = watch_feed_path(name)
        return quote(path) + (f"?token={token_under(under, path)}" if closed and under else "")

    def _all_watches():
        from pipeline.watches import load_all

        return load_all(settings, client=state["client"])

    @app.get("/documents/{doc_id}")
    def document(request: Request, doc_id: str) -> dict:
        def answer() -> dict:
            scoped = _filters(request)  # outside the caller's scope: 404, as if there were none (not 403, nor 410)
            doc = get_document(state["client"], settings, doc_id, scoped)
            if doc is None:
                gone = None if scoped else record_of(state["client"], settings, doc_id)
                if gone:        # taken out for good: say so, and why, rather than "never there"
                    raise ApiError(410, f"document {doc_id!r} was removed on {gone.get('removed_at')}: "
                                        f"{gone.get('reason')}")
                raise ApiError(404, f"no document with id {doc_id!r} in {alias!r}")
            return doc

        return _conditional(request, answer)

    @app.get("/health")
    def health() -> JSONResponse:
        from pipeline.es import UNAVAILABLE_ERRORS, client_url

        client = state["client"]
        try:
            version = client.info()["version"]["number"]
            if not client.indices.exists_alias(name=alias):
                return JSONResponse({"status": "no_index", "index": alias, "cluster": version,
                                     "error": f"the read alias {alias!r} does not exist yet"}, status_code=503)
            count = client.count(index=alias)["count"]
        except UNAVAILABLE_ERRORS as e:
            return JSONResponse({"status": "unavailable", "index": alias, "error": f"Elasticsearch at "
                                 f"{client_url(client)} cannot be reached ({type(e).__name__})"}, status_code=503)
        return JSONResponse({"status": "ok", "index": alias, "documents": count, "cluster": version})

    if cfg.api_metrics:     # GET /metrics; its middleware added last, the outermost: it counts what _key refuses
        from pipeline.apimetrics import ApiMetrics

        ApiMetrics().install(app)
    return app


# Conditional GET (RFC 9110 section 13): /search (its first page), /feed.atom, /suggest, /documents/{id} and /trends
# with ``at``, validated before they run (the index's state); the watches' feeds by what they hold once read
# (``content_headers``: the alerts index has no ``IndexState``). Not where the answer depends on the clock (/trends
# without ``at``, a page of /search after a cursor, which reads a point in time that expires, /changes, whose
# ``until`` and cursor move with it), nor /alerts and the admin routes.
CACHE_CONTROL = "private, no-cache"     # a browser or reader may keep it, must ask again; no shared cache may keep it
VARY = "Authorization, X-API-Key"        # the answer depends on the key (its scope)


def answer_basis(settings: Any) -> str:
    """What every answer depends on beside the request and the index: a hash of the server's version and its whole
    configuration (a superset of what shapes an answer: a changed setting at worst costs each client one full
    answer, never a stale one)."""
    import hashlib

    return hashlib.sha256(f"{_version()}\n{settings.model_dump_json()}".encode()).hexdigest()


class StateClock:
    """When this process first saw the index's current state: the answers' ``Last-Modified``.

    The greatest ``indexed_at`` is not one: a deletion straight in the cluster, a replay's alias swap or a second
    load within the same second change the answers and leave it as it was, so a client sending only
    ``If-Modified-Since`` would get a 304 for a stale copy. The time a process first sees a state, rounded up to the
    second, is after the change that made it (the state request was sent after the change became visible). And
    ``modified`` gives it only to a request whose state request was sent in that second or later, so every copy a
    client holds is dated no later than the moment its state was seen current. Whatever state follows is then seen,
    and dated, strictly later: a 304 by date is never wrong, across servers and restarts too. What that costs: each
    server dates a state by its own clock, so a client moving between N servers, or after a restart, gets up to N
    full answers more; and an answer in the very second a state appears goes without a date (its ETag holds). Only
    the latest state per process is kept: one seen again after another is dated anew."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: Any = None
        self._since = 0.0

    def modified(self, now: Any, asked_at: float, answered_at: float) -> float | None:
        """The Last-Modified (epoch seconds, whole) of state ``now``, asked for at ``asked_at`` and known at
        ``answered_at`` (``time.time()``), or None: an empty index, or a state first seen in this very second."""
        if now.last_indexed is None:
            return None
        with self._lock:
            if now != self._state:
                self._state, self._since = now, float(math.ceil(answered_at))
            since = self._since
        return since if since <= asked_at else None


def conditional_headers(basis: str, path: str, params: Any, scope: dict | None, now: Any,
                        modified: float | None = None) -> dict[str, str]:
    """The validators of an answer: ``ETag``, ``Last-Modified`` (``modified``, epoch seconds: ``StateClock``),
    ``Cache-Control`` and ``Vary``.

    The ETag is a hash of what the answer depends on, all known before the search runs: ``basis`` (the server's
    version and configuration), the path, the query's parameters (as (name, value) pairs in sorted order; the key
    ``key=`` left out, which is a credential and not part of the answer, the feed's ``token=`` kept, since the feed's
    ``self`` link shows it), the key's ``scope`` and the index's state (``pipeline.stories.IndexState``: the concrete
    index, the documents' number and their greatest ``indexed_at``). Weak (``W/``): two answers with one ETag hold
    the same hits, but not the same bytes (``took_ms``; a feed with no entries is ``updated`` now)."""
    import datetime as dt
    from email.utils import format_datetime

    headers = _validators(basis, path, params, [scope, list(now.indices), now.documents, now.last_indexed])
    if modified is not None:
        when = dt.datetime.fromtimestamp(modified, dt.timezone.utc).replace(microsecond=0)
        headers["Last-Modified"] = format_datetime(when, usegmt=True)
    return headers


def content_headers(basis: str, path: str, params: Any, content: Any) -> dict[str, str]:
    """The validators of an answer known only once it is worked out (a watch's feed: its alerts are in the alerts
    index, which ``IndexState`` does not follow): an ``ETag`` hashing ``content`` (JSON-able: what the answer is
    made of) beside what ``conditional_headers`` hashes, ``Cache-Control`` and ``Vary``; no ``Last-Modified``. A 304
    then saves the bytes and the rendering, not the search."""
    return _validators(basis, path, params, content)


def _validators(basis: str, path: str, params: Any, rest: Any) -> dict[str, str]:
    """``ETag`` (weak: a hash of ``basis``, ``path``, the parameters in sorted order without the credential
    ``key=``, and ``rest``), ``Cache-Control`` and ``Vary``."""
    import json

    asked = sorted((k, v) for k, v in params if k != "key")
    what = json.dumps([basis, path, asked, rest], sort_keys=True, ensure_ascii=False, default=str)
    return {"ETag": f'W/"{hashlib.sha256(what.encode()).hexdigest()[:32]}"', "Cache-Control": CACHE_CONTROL,
            "Vary": VARY}


def not_modified(request_headers: Any, headers: dict[str, str]) -> bool | None:
    """Whether the caller's copy is the answer ``headers`` describe: ``If-None-Match`` when sent (a weak comparison,
    any of its tags; ``*``: None, "if there is an answer", which only running it tells), else ``If-Modified-Since``
    against ``Last-Modified`` (RFC 9110 13.2.2: the ETag takes precedence). A date that cannot be read is ignored."""
    import datetime as dt
    from email.utils import parsedate_to_datetime

    tags = request_headers.get("if-none-match")
    if tags is not None:
        if tags.strip() == "*":
            return None
        mine = headers["ETag"].removeprefix("W/")
        return any(t.strip().removeprefix("W/") == mine for t in tags.split(","))
    since, last = request_headers.get("if-modified-since"), headers.get("Last-Modified")
    if not since or not last:
        return False
    try:
        seen = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=dt.timezone.utc)
    return parsedate_to_datetime(last) <= seen


def _as_response(answer: Any) -> Response:
    """A route's answer as a Response: a dict as FastAPI would send it (JSON), a Response as it is."""
    return answer if isinstance(answer, Response) else JSONResponse(answer)


def _version() -> str:
    from pipeline import __version__

    return __version__


def app_from_environment() -> FastAPI:
    """The app for the configuration ``$NEWSETL_CONFIG`` names (or the default): ``newsetl serve --workers N`` and
    ``uvicorn --factory pipeline.api:app_from_environment``. The rate limit's buckets are shared through the
    directory ``$NEWSETL_API_RATE_LIMIT_DIR`` names (``newsetl serve`` sets it for its workers); without it, each
    worker of a bare ``uvicorn --workers N`` counts on its own."""
    from pipeline.settings import load_settings

    return create_app(load_settings(), rate_limit_dir=os.environ.get(RATE_DIR_ENV) or None)
