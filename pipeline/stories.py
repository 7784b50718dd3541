"""Near-duplicate stories as an API key's scope sees them (``pipeline.apikeys``: a key that reads only some
languages, sources or countries).

The loader groups near duplicates over the whole index (``pipeline.neardup``): a group's first published member is
its original, every other member has ``duplicate_of`` (the original's id), and the original has ``copies``. Read
through a scope that leaves the original out, those marks would be wrong and would say too much: ``originals`` would
hide the whole story (each of its members inside the scope is a copy), a hit would name an id the key cannot read,
and ``sort=copies`` would order by counts of documents outside.

So within a scope a story's original is its first member *inside the scope* (the order of ``neardup._first``:
published first, undated last, then fetched first, then by id), and its copies are the other members inside:

- ``ScopedStories.heads``: a group whose original is outside -> its first member inside (the scope's original);
- ``ScopedStories.counts``: the scope's original -> how many other members of its group are inside (none: absent);
- ``ScopedStories.apply(doc)``: a hit or document as the scope sees it (``duplicate_of`` the scope's original,
  none for that original, ``copies`` counted inside).

One ``composite`` aggregation over the scope's marked documents (``duplicate_of`` and its count), one ``ids`` search
for which originals are inside, and for the others a ``collapse`` search for each group's first member inside: three
requests (more past 1,000 groups), whatever the size of the scope. A search needs the whole scope's (``originals``
and ``sort=copies`` before it runs): ``cached_stories`` keeps them until the index changes, so a search under a
scope costs one small request more, and the regrouping once a load (benchmarks/bench_scoped_search.py). ``groups``
restricts it to some stories: one document's. Past ``MAX_GROUPS`` stories the rest keep the index-wide marks
(``truncated``, and a warning logged).
"""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterable

from elasticsearch import Elasticsearch, NotFoundError

log = logging.getLogger(__name__)

MAX_GROUPS = 50_000     # stories of a scope regrouped at most (a painless sort's params hold their counts)
_PAGE = 1000
CACHE_SIZE = 64         # scopes whose stories a process keeps (``cached_stories``)
_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()
# (alias, IndexState) a caller has just asked for (``known_state``): ``cached_stories`` then asks no more
_KNOWN: ContextVar[tuple[str, "IndexState"] | None] = ContextVar("newsetl_known_index_state", default=None)
_FIRST = [{"published_at": {"order": "asc", "missing": "_last"}},       # neardup._first's order
          {"fetched_at": {"order": "asc", "missing": "_first"}}, {"id": {"order": "asc"}}]


@dataclass
class ScopedStories:
    heads: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False

    def original(self, doc_id: str, duplicate_of: str | None) -> str | None:
        """The ``duplicate_of`` a document has in the scope: None for an original (the scope's own included)."""
        if duplicate_of is None:
            return None
        head = self.heads.get(duplicate_of, duplicate_of)
        return None if head == doc_id else head

    def apply(self, doc: dict, doc_id: str) -> dict:
        """``doc`` (a hit or a document's source) with the scope's ``duplicate_of`` and ``copies``."""
        out = {k: v for k, v in doc.items() if k not in ("duplicate_of", "copies")}
        dup = self.original(doc_id, doc.get("duplicate_of"))
        if dup:
            out["duplicate_of"] = dup
        elif self.counts.get(doc_id):
            out["copies"] = self.counts[doc_id]
        return out

    def kept(self) -> list[str]:
        """The scope's originals that are copies index-wide: those ``originals`` must not leave out."""
        return sorted(set(self.heads.values()))


def _in(query: dict, filters: list[dict]) -> dict:
    return {"bool": {"filter": [query, *filters]}}


def scoped_stories(client: Elasticsearch, alias: str, filters: list[dict],
                   groups: Iterable[str] | None = None) -> ScopedStories:
    """The stories of the documents ``filters`` let through, as they see them (module docstring). ``groups``: only
    the stories of these originals (index-wide ids). No index: none (the search after it says so)."""
    try:
        return _scoped(client, alias, filters, groups)
    except NotFoundError as e:
        if "index_not_found" in str(e):
            return ScopedStories()
        raise


def _scoped(client: Elasticsearch, alias: str, filters: list[dict], groups: Iterable[str] | None) -> ScopedStories:
    marked: dict[str, int] = {}             # index-wide original -> its members inside the scope but itself
    query = {"terms": {"duplicate_of": sorted(set(groups))}} if groups is not None else \
        {"exists": {"field": "duplicate_of"}}
    after, out = None, ScopedStories()
    while True:
        comp: dict[str, Any] = {"size": _PAGE, "sources": [{"o": {"terms": {"field": "duplicate_of"}}}]}
        if after:
            comp["after"] = after
        resp = client.search(index=alias, size=0, query=_in(query, filters), aggs={"g": {"composite": comp}})
        agg = resp["aggregations"]["g"]
        marked.update((b["key"]["o"], b["doc_count"]) for b in agg["buckets"])
        after = agg.get("after_key")
        if not agg["buckets"] or not after:
            break
        if len(marked) >= MAX_GROUPS:
            out.truncated = True
            log.warning("a scope has more than %d near-duplicate stories: the rest keep their index-wide marks",
                        MAX_GROUPS)
            break
    originals = sorted(marked)
    inside: set[str] = set()
    for start in range(0, len(originals), _PAGE):
        part = originals[start:start + _PAGE]
        hits = client.search(index=alias, size=len(part), query=_in({"ids": {"values": part}}, filters),
                             source=False)["hits"]["hits"]
        inside.update(h["_id"] for h in hits)
    outside = [o for o in originals if o not in inside]
    for start in range(0, len(outside), _PAGE):
        part = outside[start:start + _PAGE]
        hits = client.search(index=alias, size=len(part), query=_in({"terms": {"duplicate_of": part}}, filters),
                             collapse={"field": "duplicate_of"}, sort=_FIRST, source=["duplicate_of"])["hits"]["hits"]
        out.heads.update((h["_source"]["duplicate_of"], h["_id"]) for h in hits)
    for orig, n in marked.items():
        if orig in inside:
            out.counts[orig] = n
        elif n > 1 and orig in out.heads:
            out.counts[out.heads[orig]] = n - 1
    return out


@dataclass(frozen=True)
class IndexState:
    """What changes whenever anything read through the alias may have: the concrete indices behind it (a replay's
    alias swap), the documents' number (a deletion) and their greatest ``indexed_at`` (a load, a near-duplicate
    marking, a label and a removal's re-marking stamp it). Two equal states: the same documents, as far as a search
    can tell. ``last_indexed``: epoch milliseconds (None for an empty index)."""
    indices: tuple[str, ...]
    documents: int
    last_indexed: float | None


def index_state(client: Elasticsearch, alias: str) -> IndexState:
    """The ``IndexState`` of ``alias``: one small search (``size: 0``, exact total, a ``max`` of ``indexed_at`` and
    the ``_index`` names), the cheap validator of every cache of what the index holds: the scopes' stories here and
    the API's ETags (``pipeline.api``). ``NotFoundError`` when the alias does not exist."""
    resp = client.search(index=alias, size=0, track_total_hits=True,
                         aggs={"t": {"max": {"field": "indexed_at"}}, "i": {"terms": {"field": "_index", "size": 100}}})
    return IndexState(tuple(sorted(b["key"] for b in resp["aggregations"]["i"]["buckets"])),
                      resp["hits"]["total"]["value"], resp["aggregations"]["t"].get("value"))


@contextmanager
def known_state(alias: str, state: IndexState):
    """Within this block (this thread or task), ``cached_stories`` of ``alias`` takes ``state`` as the index's state
    instead of asking for it: the API's conditional GET (``pipeline.api``) has just asked, for its ETag, so a scoped
    search costs one state request, not two."""
    token = _KNOWN.set((alias, state))
    try:
        yield
    finally:
        _KNOWN.reset(token)


def cached_stories(client: Elasticsearch, alias: str, filters: list[dict]) -> ScopedStories:
    """``scoped_stories`` of a whole scope, worked out again only when the index changed since (``index_state``:
    one small request, none within ``known_state``), so a key's searches with ``originals`` or ``sort=copies`` do
    not each regroup its stories. The last ``CACHE_SIZE`` scopes are kept, per process."""
    key = (alias, json.dumps(filters, sort_keys=True))
    known = _KNOWN.get()
    try:
        generation = known[1] if known is not None and known[0] == alias else index_state(client, alias)
    except NotFoundError as e:
        if "index_not_found" in str(e):
            return ScopedStories()
        raise
    with _LOCK:
        kept = _CACHE.get(key)
        if kept and kept[0] == generation:
            _CACHE.move_to_end(key)
            return kept[1]
    view = scoped_stories(client, alias, filters)
    with _LOCK:
        _CACHE[key] = (generation, view)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return view


def kept_originals(client: Elasticsearch, alias: str, filters: list[dict] | None, originals: bool) -> list[str]:
    """What ``build_query``'s ``keep`` needs for a search with ``originals`` under ``filters`` (none without)."""
    return cached_stories(client, alias, filters).kept() if originals and filters else []
