"""The changes feed: the documents of the read alias in the order loads wrote them, for a downstream service that
keeps a copy of the index (``newsetl changes``, ``GET /changes``).

``changes(client, settings, after=cursor)`` answers one page::

    {"documents": [{"id": …, the document as /documents/<id> gives it}, …],   # indexed_at, then id, ascending
     "next": "<cursor>",       # always given: ask with it for what comes after, now or later
     "more": true | false,     # a full page: ask again at once; false: caught up
     "until": "<ISO time>",    # this answer reads the documents stamped up to then (now less the delay):
                               # once more is false, the copy is complete up to it
     "restarted": true | false}

A document is listed each time a load writes it: when it is created, and again when it changes (new content or a new
pipeline version, a replay in place), and when a later load marks it a near duplicate or counts its copies
(``pipeline.neardup``) or raises one of its people labels (``pipeline.people.relabel``): those stamp what they write
too. A consumer that upserts each document by its id and follows ``next`` has every document as last written.
``newsetl index migrate`` copies the documents with their stamps, except those whose people, places, countries or
regions its copy recomputes differently (``admin._copy_with_bulk``): those are listed again.
An article ``newsetl remove`` takes out is listed as a deletion when it is removed: ``{"id", "deleted": true,
"url", "reason", "removed_at"}`` (``pipeline.removals``); delete it from the copy.

Why a document is not missed: the loader stamps ``indexed_at`` when it sends each bulk request (``load.stamp_now``),
and a request that succeeds is answered within ``elasticsearch.request_timeout``; the document is searchable one
``index.refresh_interval`` later. The feed only lists documents stamped ``index.search.changes_delay_seconds`` ago or
longer (default: that timeout plus that interval plus 5 s, for clocks a little apart), so a document still on its
way can no longer get a stamp the cursor has passed. With ``refresh_interval: -1`` documents become searchable when
their load ends: set ``changes_delay_seconds`` above the longest load.

A replay into a new index version (``newsetl reprocess``) writes every page it replays again, with new stamps, into
an index the read alias does not point to yet. The cursor remembers the index it read; when the read alias has moved
to another index, the feed starts again from that index's creation (less the delay): the replayed documents, and
those loaded meanwhile, are listed again (``restarted``); what a migrate copied unchanged keeps its stamp and is
not.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from pipeline.es import UNAVAILABLE_ERRORS, _es_settings, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.search import SEARCH_AIDS, SearchError, _date_bound

DEFAULT_PAGE = 100
_MARGIN_SECONDS = 5.0
_NO_REFRESH_DELAY = 3600.0      # refresh_interval -1 and no changes_delay_seconds: an hour (docs/index.md)


def delay_seconds(settings: Any) -> float:
    """How old a document's ``indexed_at`` must be before the feed lists it (see the module docstring)."""
    idx = _index_settings(settings)
    if idx.search.changes_delay_seconds is not None:
        return float(idx.search.changes_delay_seconds)
    try:
        timeout = _es_settings(settings).request_timeout
    except TypeError:           # given the index section only
        timeout = 30.0
    refresh = idx.refresh_seconds()
    return timeout + (_NO_REFRESH_DELAY if refresh is None else refresh) + _MARGIN_SECONDS


def _encode(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str) -> dict:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not (isinstance(data, dict) and data.get("v") == "c1" and isinstance(data.get("t"), int)
                and isinstance(data.get("i"), list) and (data.get("id") is None or isinstance(data["id"], str))):
            raise ValueError
        return data
    except (ValueError, TypeError):
        raise SearchError("the changes cursor is not valid: pass the `next` of the previous answer unchanged") from None


def _millis(t: dt.datetime) -> int:
    return int(t.timestamp() * 1000)


def _iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).isoformat(timespec="milliseconds")


def _read_indices(client: Elasticsearch, alias: str) -> list[str]:
    """The concrete indices behind the read alias, sorted."""
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        raise SearchError(f"the index {alias!r} does not exist: run `newsetl index ensure` and load documents") \
            from None


def _created_ms(client: Elasticsearch, indices: list[str]) -> int:
    """When the earliest of ``indices`` was created (epoch ms, the cluster's clock)."""
    got = client.indices.get_settings(index=",".join(indices), name="index.creation_date")
    return min(int(v["settings"]["index"]["creation_date"]) for v in got.values())


def _since_ms(since: Any) -> int:
    """``since`` (a date: its midnight UTC; a date-time without a zone: UTC) in epoch ms."""
    bound = _date_bound(since, "since", end=False) or ""
    start = dt.datetime.fromisoformat(bound if "T" in bound else bound + "T00:00:00")
    return _millis(start if start.tzinfo else start.replace(tzinfo=dt.timezone.utc))


def _after(t: int | None, last_id: str | None) -> list[dict]:
    """The filter for what comes after the position (t, last_id): a later stamp, or the same stamp and a later id
    (``last_id`` None: everything stamped at ``t`` was listed)."""
    if t is None:
        return []
    later = {"range": {"indexed_at": {"gt": t, "format": "epoch_millis"}}}
    if last_id is None:
        return [later]
    same = {"bool": {"filter": [{"range": {"indexed_at": {"gte": t, "lte": t, "format": "epoch_millis"}}},
                                {"range": {"id": {"gt": last_id}}}]}}
    return [{"bool": {"should": [later, same], "minimum_should_match": 1}}]


def _deletion(hit: dict) -> dict:
    src = hit.get("_source") or {}
    return {"id": hit["_id"], "deleted": True, "url": src.get("url"), "reason": src.get("reason"),
            "removed_at": src.get("removed_at")}


def _start(client: Elasticsearch, indices: list[str], after: str | None, since: Any, delay_ms: int,
           created: dict) -> tuple[int | None, str | None, bool]:
    """Where a read from ``after`` (a cursor) or ``since`` starts over ``indices`` (the read alias's now): the
    position (stamp, last id) and whether a replay restarted it. ``created``: a cache of index creation times, for a
    caller asking for many cursors (``starts``)."""
    if after:
        cur = _decode(after)
        t, last_id = cur["t"], cur.get("id")
        if cur["i"] != indices:      # a replay moved the read alias: what was written into its index again
            new = tuple(i for i in indices if i not in cur["i"]) or tuple(indices)
            if new not in created:
                created[new] = _created_ms(client, list(new))
            start = created[new] - delay_ms - 1
            if start < t:
                return start, None, True
        return t, last_id, False
    if since:
        return _since_ms(since) - 1, None, False
    return None, None, False


def position_key(pos: tuple[int | None, str | None]) -> tuple:
    """A position (stamp, last id) as a key that sorts in the feed's order: a last id None (everything stamped
    then was listed) comes after every id of that stamp, and no stamp at all (the beginning) first."""
    t, last_id = pos
    return (-1 if t is None else t, 1 if last_id is None else 0, last_id or "")


def starts(client: Elasticsearch, settings: Any, begins: list[tuple[str | None, Any]]) -> dict:
    """Where the feed would start for each of several readers at once (the watches: ``pipeline.watches``), each a
    (cursor, since) as ``changes`` takes them: ``{"indices": the read alias's, "positions": [(stamp, last id), …],
    "restarted": [bool, …]}``. The alias is read once for all."""
    idx = _index_settings(settings)
    delay_ms = int(delay_seconds(settings) * 1000)
    try:
        indices = _read_indices(client, idx.read_alias)
        created: dict = {}
        got = [_start(client, indices, after, since, delay_ms, created) for after, since in begins]
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"indices": indices, "positions": [(t, i) for t, i, _ in got], "restarted": [r for _, _, r in got]}


def cursor_at(pos: tuple[int | None, str | None], indices: list[str]) -> str:
    """The cursor of a position over ``indices`` (what ``starts`` gave): reading from it lists what comes after."""
    return _encode({"v": "c1", "t": pos[0], "id": pos[1], "i": list(indices)})


def position_of(cursor: str) -> tuple[int | None, str | None]:
    """The position (stamp, last id) a cursor holds (a bad one: SearchError)."""
    cur = _decode(cursor)
    return cur["t"], cur.get("id")


def changes(client: Elasticsearch, settings: Any, *, after: str | None = None, since: Any = None,
            size: int = DEFAULT_PAGE, now: dt.datetime | None = None, query: dict | None = None,
            deletions: bool = True, ids_only: bool = False) -> dict:
    """One page of the changes feed (see the module docstring). ``after``: the previous answer's ``next``; without
    it the feed starts at ``since`` (a date or ISO date-time of ``indexed_at``) or at the beginning. ``now``: the
    clock (tests). ``query``: only the documents it matches are listed (a watch's search, ``pipeline.watches``);
    the cursor still moves over the others. ``deletions`` False: no removed articles. ``ids_only``: each document
    as ``{"id"}`` alone (the watches' shared read, which fetches what it needs of the matches only)."""
    idx = _index_settings(settings)
    if not isinstance(size, int) or size < 1 or size > idx.search.max_size:
        raise SearchError(f"size must be between 1 and {idx.search.max_size} (index.search.max_size)")
    if after and since:
        raise SearchError("give either a cursor (after) or a start (since), not both: the cursor knows where it is")
    now = now or dt.datetime.now(dt.timezone.utc)
    delay_ms = int(delay_seconds(settings) * 1000)
    until = _millis(now) - delay_ms
    try:
        indices = _read_indices(client, idx.read_alias)
        t, last_id, restarted = _start(client, indices, after, since, delay_ms, {})
        removed = idx.removed_index_name     # the articles `newsetl remove` took out: listed as deletions
        where = [idx.read_alias] + ([removed] if deletions and client.indices.exists(index=removed) else [])
        body = {"size": size, "track_total_hits": False,
                "query": {"bool": {"filter": [{"range": {"indexed_at": {"lte": until, "format": "epoch_millis"}}},
                                              *_after(t, last_id), *([query] if query else [])],
                                   "must_not": [{"term": {"kind": "domain"}}]}},
                "sort": [{"indexed_at": {"order": "asc"}}, {"id": {"order": "asc"}}],
                "_source": False if ids_only else {"excludes": SEARCH_AIDS}}
        hits = client.search(index=where, **body)["hits"]["hits"]
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    more = len(hits) == size
    if hits:
        t, last_id = int(hits[-1]["sort"][0]), hits[-1]["sort"][1]
    if not more and (t is None or until >= t):
        t, last_id = until, None          # everything stamped up to `until` is listed
    return {"documents": [_deletion(h) if h["_index"] == removed else {**(h.get("_source") or {}), "id": h["_id"]}
                          for h in hits],
            "next": _encode({"v": "c1", "t": t, "id": last_id, "i": indices}),
            "more": more, "until": _iso(until), "restarted": restarted}
