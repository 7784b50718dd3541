"""API keys stored in the cluster: made, listed and revoked while ``newsetl serve`` runs, without a restart.

``NEWSETL_API_KEY``, ``NEWSETL_API_KEYS`` and ``NEWSETL_API_ADMIN_KEYS`` set keys in the server's environment; a
change to them needs a restart. The keys here live in the API keys index (``index.api_keys_index``, default
``<name>-apikeys``), one document per key, its name as id:

- ``newsetl keys add --name svc-a [--admin] [--expires 90d] [--note …]`` makes a key and prints it once; the index
  keeps only its SHA-256 digest (a key is 256 random bits: a digest cannot be turned back into it) and its first
  characters (``hint``), so that a key found in a log can be named;
- ``newsetl keys list`` shows them (never the digest), with when each was last used; ``newsetl keys revoke``
  removes one; ``newsetl keys add --replace --grace 24h`` rotates one without downtime: the old key keeps working
  for that long beside the new one (``retiring``), under the same name and rate-limit bucket;
- the API does the same for a key that reads: ``GET /keys``, ``POST /keys/{name}``, ``DELETE /keys/{name}``, with
  an admin key. An admin key is made only with the command (whoever holds one cannot make more);
- a key that reads may carry a ``scope`` (``check_scope``: ``lang``, ``source``, ``country``, each a list): the API
  ANDs its filter clauses (``scope_filters``, the search's own) with whatever that key asks, and refuses it the
  routes it cannot restrict. A replacement (``replace``) given no scope keeps the old key's.

The server (``StoredKeys``) reads the index when it starts, and again every ``index.search.api_keys_refresh_seconds``
(30): a key revoked elsewhere stops working within that time; a key it does not know makes it read the index at
once (at most once every ``MISS_RELOAD_SECONDS``), so that a key made a moment ago works at once. The cluster away
at a reading keeps the keys it knew. A name that the environment gives a key too (``default``, a
``NEWSETL_API_KEYS`` entry) is the environment's: the stored key of that name is left out, with a warning.

Stored keys that read close nothing by themselves: the API asks for a key to read only when the environment sets
one or ``index.search.api_require_key`` is true. Otherwise a half-made setup (the keys index deleted, the cluster
away when the server starts) would open it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import threading
import time
from typing import Any, Callable

from pipeline.times import parse_time

log = logging.getLogger(__name__)

PREFIX = "nk_"                      # every stored key starts so: a key found in a log is recognisable
HINT_CHARS = 8                      # the key's first characters kept beside its digest (prefix and 5 more)
ROLES = ("read", "admin")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")      # as NEWSETL_API_KEYS's names (no ':', admin:N's)
MISS_RELOAD_SECONDS = 2.0
LAST_USED_GRAIN = 60.0              # a key's last_used_at is written at most this often (each server)

KEYS_MAPPING = {
    "dynamic": "strict",
    "properties": {
        "name": {"type": "keyword"},
        "role": {"type": "keyword"},
        "digest": {"type": "keyword"},
        "hint": {"type": "keyword"},
        "note": {"type": "text"},
        "created_at": {"type": "date"},
        "created_by": {"type": "keyword"},
        "expires_at": {"type": "date"},
        "last_used_at": {"type": "date"},
        "retiring": {"type": "boolean"},     # a key replaced with a grace period: it works until expires_at
        "scope": {"properties": {"lang": {"type": "keyword"}, "source": {"type": "keyword"},
                                 "country": {"type": "keyword"}}},       # what a key that reads may see (check_scope)
    },
}
_SHOWN = ("name", "role", "hint", "note", "created_at", "created_by", "expires_at", "last_used_at", "retiring",
          "scope")
SCOPE_FIELDS = ("lang", "source", "country")     # as the search's filters of those names take them
SCOPE_MAX_VALUES = 100                           # values of one scope field
SCOPE_MAX_CHARS = 100                            # characters of one value
_LANG_CODE = re.compile(r"([a-z]{2,3})(-[a-z0-9]{2,8})?")     # en, de, zh-cn (as langdetect writes it)


class KeyStoreError(Exception):
    """A key that cannot be made or revoked as asked (one line); ``status``: the API's answer (404 no such stored
    key, 409 the name is taken, 422 a value that cannot be)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def key_digest(key: str) -> str:
    """The SHA-256 of a key, in hex: what the keys index keeps, and what a feed's token is made under."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A fresh key: ``nk_`` and 43 URL-safe characters (256 random bits)."""
    return PREFIX + secrets.token_urlsafe(32)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


_SPAN = re.compile(r"(\d+)\s*([hdw])")


def parse_span(value: str | None, what: str = "grace") -> dt.timedelta | None:
    """A span such as ``12h``, ``7d``, ``2w``; None when not given; ``KeyStoreError`` naming ``what`` else."""
    if not value:
        return None
    m = _SPAN.fullmatch(value.strip().lower())
    if not m:
        raise KeyStoreError(f"{what} {value!r} is not a span: 12h, 7d, 2w")
    return dt.timedelta(hours=int(m[1]) * {"h": 1, "d": 24, "w": 168}[m[2]])


def parse_expiry(value: str | None, now: dt.datetime | None = None) -> dt.datetime | None:
    """``--expires``: a span from now (``12h``, ``90d``, ``8w``) or an ISO date or time (a date: its end, UTC).
    None when not given; ``KeyStoreError`` for anything else or a time already past."""
    if not value:
        return None
    now = now or _now()
    if _SPAN.fullmatch(value.strip().lower()):
        at = now + parse_span(value)
    else:
        text = value.strip()
        at = parse_time(text)
        if at is None:
            raise KeyStoreError(f"expires {value!r} is neither a span (12h, 90d, 8w) nor an ISO date or time")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            at = at + dt.timedelta(days=1)        # a date: the key works through that day
    if at <= now:
        raise KeyStoreError(f"expires {value!r} is already past")
    return at


def check_scope(scope: Any) -> dict[str, list[str]] | None:
    """A key's scope as stored, or None for none (None or ``{}``). Known fields only (``SCOPE_FIELDS``), each a
    non-empty list of up to ``SCOPE_MAX_VALUES`` strings of up to ``SCOPE_MAX_CHARS`` characters without a comma;
    ``lang``: ISO 639 codes (lower-cased; a region after a hyphen, ``zh-cn``); ``country``: ISO 3166 codes or names
    of countries or first-level regions, kept as codes (``pipeline.search.area_codes``); duplicates dropped.
    ``KeyStoreError`` (422) naming the field."""
    from babel import Locale

    from pipeline.search import area_codes

    if scope is None:
        return None
    if not isinstance(scope, dict):
        raise KeyStoreError(f"scope: an object of {', '.join(SCOPE_FIELDS)}, each a list of values")
    unknown = sorted(str(k) for k in scope if k not in SCOPE_FIELDS)
    if unknown:
        raise KeyStoreError(f"scope.{unknown[0]}: not a scope field (use {', '.join(SCOPE_FIELDS)})")
    out: dict[str, list[str]] = {}
    for field in SCOPE_FIELDS:
        values = scope.get(field)
        if values is None:
            continue
        if not isinstance(values, (list, tuple)) or not values or len(values) > SCOPE_MAX_VALUES:
            raise KeyStoreError(f"scope.{field}: a list of 1 to {SCOPE_MAX_VALUES} values")
        kept: list[str] = []
        for v in values:
            text = v.strip() if isinstance(v, str) else ""
            if not text or len(text) > SCOPE_MAX_CHARS or "," in text:
                raise KeyStoreError(f"scope.{field}: {str(v)[:40]!r} is not a value (a string of 1 to "
                                    f"{SCOPE_MAX_CHARS} characters, no comma)")
            if field == "lang":
                text = text.lower()
                m = _LANG_CODE.fullmatch(text)
                if not m or m[1] == "und" or not Locale.parse("en").languages.get(m[1]):
                    raise KeyStoreError(f"scope.lang: {v!r} is not an ISO 639 language code (en, de, zh-cn)")
                got = [text]
            elif field == "country":
                try:
                    got = [code for codes in area_codes(text) for code in codes]
                except ValueError as e:
                    raise KeyStoreError(f"scope.country: {e}") from None
            else:
                got = [text]
            kept += [g for g in got if g not in kept]
        out[field] = kept
    return out or None


def scope_filters(settings: Any, scope: dict | None) -> list[dict]:
    """The filter clauses of a key's scope: those ``pipeline.search.build_query`` makes of its ``lang``, ``source``
    and ``country`` filters (any of a field's values, every field), to be ANDed with what the caller asks; [] for
    no scope."""
    from pipeline.search import build_query

    if not scope:
        return []
    given = {f: ",".join(scope[f]) for f in SCOPE_FIELDS if scope.get(f)}
    return build_query(settings, None, **given)["bool"]["filter"]


def describe_scope(scope: dict | None) -> str:
    """``lang=en,de; source=reuters.com`` (as ``keys list`` and a scoped key's 403 show it); "" for no scope."""
    return "; ".join(f"{f}={','.join(scope[f])}" for f in SCOPE_FIELDS if (scope or {}).get(f))


def _index(settings: Any) -> str:
    return settings.index.api_keys_index_name


def ensure_keys_index(client: Any, settings: Any) -> str:
    from pipeline.runs import ensure_side_index

    index = _index(settings)
    ensure_side_index(client, index, KEYS_MAPPING, "the API keys index's", "index.api_keys_index")
    return index


def add_key(client: Any, settings: Any, name: str, *, role: str = "read", expires: dt.datetime | None = None,
            note: str | None = None, by: str = "cli", replace: bool = False, grace: dt.timedelta | None = None,
            reserved: tuple[str, ...] | list[str] = (), scope: dict | None = None) -> tuple[str, dict]:
    """Make a key named ``name`` and store its digest: ``(key, its document without the digest)``. The key is not
    kept anywhere: give it to its user now. ``replace``: a new key for a name that has one; the old stops working
    at once, or with ``grace`` after that span (a rotation without downtime: the service moves to the new key
    meanwhile; ``_retire``). ``reserved``: the names the environment's keys have (409). ``scope``: what a key that
    reads may see (``check_scope``; ``{}``: no scope); None: none, or with ``replace`` the old key's."""
    from elasticsearch import ConflictError, NotFoundError

    if not NAME.fullmatch(name or ""):
        raise KeyStoreError(f"name {name!r}: letters, digits, '.', '_' or '-' (up to 64, a letter or digit first)")
    if role not in ROLES:
        raise KeyStoreError(f"role {role!r}: one of {', '.join(ROLES)}")
    if name in reserved:
        raise KeyStoreError(f"the name {name!r} is a key of the server's environment (NEWSETL_API_KEY[S]): "
                            "choose another", 409)
    given, scope = scope, check_scope(scope)
    if scope and role != "read":
        raise KeyStoreError("scope: an admin key reads everything; a scope is for a key that reads")
    index = ensure_keys_index(client, settings)
    if given is None and replace:       # a rotation: the new key sees what the old one saw
        try:
            scope = check_scope(client.get(index=index, id=name)["_source"].get("scope"))
        except NotFoundError:
            scope = None
        if scope and role != "read":
            raise KeyStoreError(f"the key {name!r} has a scope, which an admin key cannot have: drop it "
                                "explicitly (--no-scope; the API: \"scope\": {})")
    key = new_key()
    doc = {"name": name, "role": role, "digest": key_digest(key), "hint": key[:HINT_CHARS], "note": note,
           "created_at": _iso(_now()), "created_by": by, "expires_at": _iso(expires) if expires else None,
           "scope": scope}
    if grace and not replace:
        raise KeyStoreError("grace is for a key made in place of another (replace)")
    if replace and grace:
        _retire(client, index, name, grace)
    try:
        client.index(index=index, id=name, document=doc, op_type="index" if replace else "create",
                     refresh="wait_for")
    except ConflictError:
        raise KeyStoreError(f"a key named {name!r} exists: revoke it first, or make a new one in its place "
                            "(--replace; the old stops working)", 409) from None
    return key, {k: doc.get(k) for k in _SHOWN}


def _retire(client: Any, index: str, name: str, grace: dt.timedelta) -> None:
    """Keep the key of ``name`` working for ``grace`` more (never past its own expiry), as a document of its own,
    ``<name>~<its first characters>`` (no name has a ``~``), ``retiring``; the retiring copies of ``name`` that have
    expired are deleted. Written before the new key replaces the old: a crash between leaves the old one working."""
    from elasticsearch import NotFoundError

    from pipeline.es import delete_matching

    delete_matching(client, index, {"bool": {"filter": [
        {"term": {"name": name}}, {"term": {"retiring": True}}, {"range": {"expires_at": {"lte": "now"}}}]}})
    try:
        old = client.get(index=index, id=name)["_source"]
    except NotFoundError:
        return
    until = _now() + grace
    own = parse_time(old.get("expires_at"))
    retiring = {**old, "expires_at": _iso(min(until, own) if own else until), "retiring": True}
    client.index(index=index, id=_doc_id(retiring), refresh="wait_for", document=retiring)


def _doc_id(doc: dict) -> str:
    """A key's document id: its name, or for a retiring key ``<name>~<its first characters after nk_>``."""
    return f"{doc['name']}~{doc['hint'][len(PREFIX):]}" if doc.get("retiring") else doc["name"]


def revoke_key(client: Any, settings: Any, name: str) -> dict:
    """Remove the stored key ``name``, and its retiring ones (it stops working at once here, within
    api_keys_refresh_seconds on other servers): its document as it was, without the digest. ``KeyStoreError`` 404
    when there is none."""
    from elasticsearch import NotFoundError

    from pipeline.es import delete_matching

    index = _index(settings)
    try:
        doc = client.get(index=index, id=name)["_source"]
        delete_matching(client, index, {"term": {"name": name}})
    except NotFoundError:
        raise KeyStoreError(f"no stored key named {name!r} (`newsetl keys list` shows them; a key of the "
                            "environment is removed there, and the server restarted)", 404) from None
    return {k: doc.get(k) for k in _SHOWN}


def _docs(client: Any, settings: Any) -> list[dict]:
    from elasticsearch import helpers

    index = _index(settings)
    if not client.indices.exists(index=index):
        return []
    return sorted((h["_source"] for h in helpers.scan(client, index=index, query={"query": {"match_all": {}}})),
                  key=lambda d: (str(d.get("name")), bool(d.get("retiring")), str(d.get("expires_at"))))


def list_keys(client: Any, settings: Any, now: dt.datetime | None = None) -> list[dict]:
    """The stored keys (never their digests), by name, each with ``expired``."""
    now = now or _now()
    out = []
    for d in _docs(client, settings):
        row = {k: d.get(k) for k in _SHOWN}
        exp = parse_time(d.get("expires_at"))
        row["expired"] = bool(exp and exp <= now)
        out.append(row)
    return out


class Found:
    """A stored key a caller gave: its name and role, when it stops working (None: never), and its scope (None:
    none; ``check_scope``)."""

    __slots__ = ("name", "role", "digest", "expires_at", "doc_id", "scope")

    def __init__(self, name: str, role: str, digest: str, expires_at: dt.datetime | None, doc_id: str | None = None,
                 scope: dict | None = None):
        self.name, self.role, self.digest, self.expires_at = name, role, digest, expires_at
        self.doc_id = doc_id or name
        self.scope = scope or None

    def expired(self, now: dt.datetime | None = None) -> bool:
        return bool(self.expires_at and self.expires_at <= (now or _now()))


class StoredKeys:
    """The API server's view of the keys index: ``lookup(key)`` finds a key by its digest. Read at the first
    lookup, again every ``refresh_seconds``, and at once (at most every ``MISS_RELOAD_SECONDS``) for a key of
    the ``nk_`` form it does not know. The cluster away keeps the keys known. ``reserved``: the environment's key
    names (a stored key of such a name is left out). Thread-safe: the API calls it from its thread pool."""

    def __init__(self, client: Callable[[], Any], settings: Any, *, refresh_seconds: float = 30.0,
                 reserved: tuple[str, ...] | list[str] = (), clock: Callable[[], float] = time.monotonic):
        self._client, self.settings = client, settings
        self.refresh_seconds, self.reserved, self.clock = refresh_seconds, set(reserved), clock
        self._by_digest: dict[str, Found] = {}
        self._loaded_at: float | None = None
        self._tried_at: float | None = None
        self._used: dict[str, float] = {}           # document id -> when last written as used (clock)
        self._pending: dict[str, str] = {}          # document id -> ISO time of its last use, not written yet
        self._lock = threading.Lock()
        self.admins = 0                              # how many admin keys the index holds (0: no admin there)

    def reload(self) -> bool:
        """Read the index now; False (the keys known kept) when it cannot be read."""
        from pipeline.es import UNAVAILABLE_ERRORS

        self._tried_at = self.clock()
        try:
            client = self._client()
            self._flush(client)
            docs = _docs(client, self.settings)
        except UNAVAILABLE_ERRORS as e:
            log.warning("the API keys index cannot be read (%s): the keys known stay", type(e).__name__)
            return False
        except Exception as e:     # a refused request: the keys known stay, the server goes on
            log.warning("the API keys index cannot be read (%s): the keys known stay", e)
            return False
        found: dict[str, Found] = {}
        for d in docs:
            name, role, digest = d.get("name"), d.get("role"), d.get("digest")
            if not (name and role in ROLES and digest):
                continue
            if name in self.reserved:
                log.warning("stored API key %r is left out: the environment gives a key that name", name)
                continue
            try:        # a scope that does not validate (written by hand): the key is left out, not widened
                scope = check_scope(d.get("scope"))
                if scope and role != "read":
                    raise KeyStoreError("an admin key with a scope")
            except KeyStoreError as e:
                log.warning("stored API key %r is left out: its scope cannot be (%s)", name, e)
                continue
            found[digest] = Found(name, role, digest, parse_time(d.get("expires_at")), _doc_id(d), scope)
        with self._lock:
            self._by_digest = found
            self.admins = sum(f.role == "admin" for f in found.values())
            self._loaded_at = self._tried_at
        return True

    def _stale(self) -> bool:
        return self._loaded_at is None or self.clock() - self._loaded_at >= self.refresh_seconds

    def _fresh(self) -> None:
        """Read the index again when the last reading is older than ``refresh_seconds`` (not more than once a
        second while the cluster is away)."""
        if self._stale() and (self._tried_at is None or self.clock() - self._tried_at >= 1.0):
            self.reload()

    def lookup(self, key: str) -> Found | None:
        """The stored key ``key`` is (expired ones too: the caller says so), or None."""
        self._fresh()
        digest = key_digest(key)
        found = self._by_digest.get(digest)
        if found is None and key.startswith(PREFIX) and (self._tried_at is None or
                                                          self.clock() - self._tried_at >= MISS_RELOAD_SECONDS):
            self.reload()
            found = self._by_digest.get(digest)
        if found is not None and not found.expired():
            self._note_use(found.doc_id)
        return found

    def digests(self) -> list[str]:
        """The digests of the keys that work now (a feed token is made under one)."""
        self._fresh()
        now = _now()
        return [d for d, f in self._by_digest.items() if not f.expired(now)]

    def found_by_digest(self, digest: str) -> Found | None:
        """The stored key of that digest (a feed token's: its scope), or None."""
        return self._by_digest.get(digest)

    def has_admin(self) -> bool:
        """Whether the index holds an admin key (read again, as for an unknown key, while it holds none)."""
        if self._loaded_at is None or (not self.admins and self.clock() - (self._tried_at or 0) >=
                                       MISS_RELOAD_SECONDS):
            self.reload()
        return self.admins > 0

    def learn(self, key: str, doc: dict, *, keep_others: bool = False) -> None:
        """A key this server just made: known at once, without reading the index; the others of its name are
        forgotten unless ``keep_others`` (a replacement with a grace period: the old one still works)."""
        found = Found(doc["name"], doc["role"], key_digest(key), parse_time(doc.get("expires_at")),
                      scope=doc.get("scope"))
        with self._lock:
            if not keep_others:
                self._by_digest = {d: f for d, f in self._by_digest.items() if f.name != found.name}
            self._by_digest[found.digest] = found

    def forget(self, name: str) -> None:
        with self._lock:
            self._by_digest = {d: f for d, f in self._by_digest.items() if f.name != name}

    def _note_use(self, doc_id: str) -> None:
        now = self.clock()
        if now - self._used.get(doc_id, -LAST_USED_GRAIN) >= LAST_USED_GRAIN:
            self._used[doc_id] = now
            with self._lock:
                self._pending[doc_id] = _iso(_now())

    def _flush(self, client: Any) -> None:
        """Write the last uses noted since the last reading (one small update per key; a key revoked meanwhile
        is skipped)."""
        from elasticsearch import NotFoundError

        with self._lock:
            pending, self._pending = self._pending, {}
        for doc_id, at in pending.items():
            try:
                client.update(index=_index(self.settings), id=doc_id, doc={"last_used_at": at})
            except NotFoundError:
                pass
