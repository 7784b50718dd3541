"""Taking articles out of the index for good: a takedown (a court order, a withdrawn story) or a publisher that opts
out (``newsetl remove``).

``remove(client, settings, urls=[…] | ids=[…] | domains=[…], reason="…")``:

1. writes a record per article, and one per domain, to the removed index (``index.removed_index``, default
   ``<name>-removed``; it belongs to no version of the news index, so a replay or a migrate keeps it);
2. deletes the articles from every version of the news index (``<name>-v*``), the one being built by a replay too;
3. looks again once the index is refreshed, so that a load that checked its batch a moment before the record was
   written cannot leave one behind (``enforce``).

From then on the loader leaves out every document the removed index names, and every document of a removed domain or
its subdomains (``Blocklist``), whether an ingest run fetches it again or a replay reads it from the archive: counted
``removed`` in the load result, not indexed and not dead-lettered (it is meant). The changes feed lists each removed
article as ``{"id", "deleted": true, "url", "reason", "removed_at"}`` (``pipeline.changes``), so downstream copies
drop it too. ``restore`` lifts a record (a domain's, with the records of its articles); the articles come back with
the next load of them (``newsetl reprocess --in-place --site DOMAIN`` replays them from the archive).

The raw archive keeps the pages until ``storage.keep_archive_days`` prunes them: WARC files are not rewritten.
A removed article that was the original of near duplicates leaves them pointing at it until
``newsetl index mark-duplicates`` marks them again.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from elasticsearch import Elasticsearch, NotFoundError, helpers

from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.urls import doc_id
from pipeline.urls import domain as url_domain

REMOVED_MAPPING = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},           # the article's id; "domain:<domain>" for a domain
        "kind": {"type": "keyword"},         # document | domain
        "url": {"type": "keyword"},
        "domain": {"type": "keyword"},
        "reason": {"type": "keyword"},
        "removed_at": {"type": "date"},
        "indexed_at": {"type": "date"},      # = removed_at: where the changes feed lists the deletion
        "deleted": {"type": "boolean"},
    },
}
DOMAIN_PREFIX = "domain:"
_PAGE = 1000


class RemoveError(ValueError):
    """A removal that cannot be done as asked (nothing named, no reason, a bad domain); one line."""


def _domain(value: str) -> str:
    """A domain as the documents' ``domain`` field writes it: ``https://www.Example.com/x`` -> ``example.com``."""
    v = value.strip()
    d = url_domain(v if "://" in v else f"https://{v}")
    if not d or "." not in d:
        raise RemoveError(f"{value!r} is not a domain: write it like example.com")
    return d


def _under(d: str | None, domain: str) -> bool:
    """``d`` is ``domain`` or one of its subdomains."""
    return bool(d) and (d == domain or d.endswith("." + domain))


def _domain_query(domains: Iterable[str]) -> dict:
    should = []
    for d in domains:
        should += [{"term": {"domain": d}}, {"wildcard": {"domain": f"*.{d}"}}]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _versions(client: Elasticsearch, settings: Any) -> list[str]:
    from pipeline.admin import _versioned_indices

    return _versioned_indices(client, _index_settings(settings).name)


def _scan(client: Elasticsearch, index: str | list[str], query: dict, fields: list[str]) -> Iterator[dict]:
    """Every hit of ``query`` (``_id`` and ``fields``), in pages ordered by id."""
    after = None
    while True:
        kw: dict[str, Any] = {"search_after": after} if after else {}
        hits = client.search(index=index, query=query, size=_PAGE, sort=[{"id": "asc"}], _source=fields,
                             ignore_unavailable=True, allow_no_indices=True, **kw)["hits"]["hits"]
        yield from hits
        if len(hits) < _PAGE:
            return
        after = hits[-1]["sort"]


def _ensure(client: Elasticsearch, index: str) -> None:
    from pipeline.runs import ensure_side_index

    ensure_side_index(client, index, REMOVED_MAPPING, "the removed index's", "index.removed_index")


def _targets(client: Elasticsearch, versions: list[str], ids: list[str], domains: list[str],
             urls: list[str] = ()) -> dict[str, dict]:
    """id -> {url, domain} of the articles to remove: the ids given (found in a version or not), the articles whose
    ``url`` or ``canonical_url`` is one of ``urls`` (a feed's URL with its tracking query, the page's canonical
    one), and every article of the domains."""
    out = {i: {} for i in ids}
    queries = [{"ids": {"values": ids[i:i + _PAGE]}} for i in range(0, len(ids), _PAGE)]
    if urls:
        queries.append({"bool": {"should": [{"terms": {"url": list(urls)}}, {"terms": {"canonical_url": list(urls)}}],
                                 "minimum_should_match": 1}})
    if domains:
        queries.append(_domain_query(domains))
    for query in queries if versions else ():
        out.update(_found(client, versions, query))
    return out


_TARGET_FIELDS = ("url", "canonical_url", "domain")


def _found(client: Elasticsearch, versions: list[str], query: dict) -> dict[str, dict]:
    """id -> {url, canonical_url, domain} of the articles of ``query`` in the versions."""
    return {h["_id"]: {k: h["_source"].get(k) for k in _TARGET_FIELDS}
            for h in _scan(client, versions, query, list(_TARGET_FIELDS))}


def _delete(client: Elasticsearch, versions: list[str], ids: Iterable[str]) -> int:
    """Delete ``ids`` from every version; how many documents were deleted."""
    ids = list(ids)
    deleted = 0
    for index in versions:
        actions = ({"_op_type": "delete", "_index": index, "_id": i} for i in ids)
        for ok, item in helpers.streaming_bulk(client, actions, chunk_size=_PAGE, raise_on_error=False,
                                               raise_on_exception=False):
            if ok and item["delete"].get("result") == "deleted":
                deleted += 1
    if ids:
        for index in versions:
            client.indices.refresh(index=index)
    return deleted


def _records(targets: dict[str, dict], domains: list[str], reason: str, at: str) -> list[dict]:
    rec = {"reason": reason, "removed_at": at, "indexed_at": at, "deleted": True}
    out = [{"_id": i, "_source": {"id": i, "kind": "document", "url": t.get("url"), "domain": t.get("domain"),
                                  **rec}} for i, t in targets.items()]
    out += [{"_id": DOMAIN_PREFIX + d, "_source": {"id": DOMAIN_PREFIX + d, "kind": "domain", "domain": d, **rec}}
            for d in domains]
    return out


def _write(client: Elasticsearch, index: str, records: list[dict]) -> None:
    _ensure(client, index)
    helpers.bulk(client, ({"_index": index, **r} for r in records), chunk_size=_PAGE)
    client.indices.refresh(index=index)


def remove(client: Elasticsearch, settings: Any, *, ids: Iterable[str] = (), urls: Iterable[str] = (),
           domains: Iterable[str] = (), reason: str = "", dry_run: bool = False) -> dict:
    """Remove articles (by id or URL) and every article of ``domains`` (and their subdomains) from every version of
    the news index, and keep them out (see the module docstring). Returns ``{"removed": articles deleted,
    "records": articles recorded, "domains": [...], "not_indexed": [ids named but in no version]}``; with
    ``dry_run`` nothing is written and ``{"would_remove", "ids", "domains"}`` says what would go."""
    idx = _index_settings(settings)
    urls = [u.strip() for u in urls if u.strip()]
    wanted = list(dict.fromkeys([*(i.strip() for i in ids if i.strip()), *(doc_id(u) for u in urls)]))
    doms = list(dict.fromkeys(_domain(d) for d in domains))
    if not (wanted or doms):
        raise RemoveError("name what to remove: --id, --url or --domain")
    if not reason.strip():
        raise RemoveError("give the reason (--reason): it is kept with the record and shown to downstream services")
    try:
        versions = _versions(client, settings)
        targets = _targets(client, versions, wanted, doms, urls)
        found = {i for i, t in targets.items() if t}
        by_url = {t.get(k) for t in targets.values() for k in ("url", "canonical_url")}
        # an id computed from a URL that found the article under another id (its canonical URL) is no record
        for u in urls:
            if doc_id(u) not in found and u in by_url:
                targets.pop(doc_id(u), None)
        wanted = [i for i in wanted if i in targets]
        if dry_run:
            return {"would_remove": len(found), "ids": sorted(found)[:100], "domains": doms,
                    "not_indexed": [i for i in wanted if i not in found]}
        from pipeline.load import stamp_now

        _write(client, idx.removed_index_name, _records(targets, doms, reason.strip(), stamp_now()))
        deleted = _delete(client, versions, targets)
        # a load that checked its batch just before the records were written: look again, at this removal only
        deleted += _enforce(client, idx, versions, list(targets), dict.fromkeys(doms, reason.strip()))
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"removed": deleted, "records": len(targets), "domains": doms,
            "not_indexed": [i for i in wanted if i not in found]}


def enforce(client: Elasticsearch, settings: Any) -> dict:
    """Delete again what the removed index names and a version still holds (a load that checked its batch before a
    record was written, an index restored from a snapshot), recording the articles of removed domains. ``{"removed":
    n}``. Also the news_health DAG's daily ``enforce_removals``."""
    idx = _index_settings(settings)
    try:
        if not client.indices.exists(index=idx.removed_index_name):
            return {"removed": 0}
        versions = _versions(client, settings)
        if not versions:
            return {"removed": 0}
        reasons = {h["_source"]["domain"]: h["_source"].get("reason") or "" for h in _scan(
            client, idx.removed_index_name, {"term": {"kind": "domain"}}, ["domain", "reason"])}
        recorded = [h["_id"] for h in _scan(client, idx.removed_index_name, {"term": {"kind": "document"}}, [])]
        return {"removed": _enforce(client, idx, versions, recorded, reasons)}
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None


def _enforce(client: Elasticsearch, idx, versions: list[str], recorded: list[str], reasons: dict[str, str]) -> int:
    """Delete from the versions the ``recorded`` articles they still hold, and the articles of the domains of
    ``reasons`` (domain -> its reason), recording those first; how many were deleted."""
    left: dict[str, dict] = {}
    for i in range(0, len(recorded), _PAGE):
        left.update(_found(client, versions, {"ids": {"values": recorded[i:i + _PAGE]}}))
    if reasons:
        new = {i: t for i, t in _found(client, versions, _domain_query(reasons)).items() if i not in left}
        if new:
            from pipeline.load import stamp_now

            for d, reason in reasons.items():       # each article recorded with its domain's reason
                mine = {i: t for i, t in new.items() if _under(t.get("domain"), d)}
                if mine:
                    _write(client, idx.removed_index_name, _records(mine, [], reason, stamp_now()))
            left.update(new)
    return _delete(client, versions, left)


def restore(client: Elasticsearch, settings: Any, *, ids: Iterable[str] = (), urls: Iterable[str] = (),
            domains: Iterable[str] = ()) -> dict:
    """Lift removal records: the articles named, and each domain's record with those of its articles. They are
    indexed again by the next load of them. ``{"restored": records deleted}``."""
    idx = _index_settings(settings)
    names = [*(i.strip() for i in ids if i.strip()), *(doc_id(u) for u in urls if u.strip())]
    doms = [_domain(d) for d in domains]
    if not (names or doms):
        raise RemoveError("name what to restore: --id, --url or --domain")
    try:
        if not client.indices.exists(index=idx.removed_index_name):
            return {"restored": 0}
        names += [DOMAIN_PREFIX + d for d in doms]
        if doms:
            names += [h["_id"] for h in _scan(client, idx.removed_index_name, {"bool": {"filter": [
                {"term": {"kind": "document"}}, _domain_query(doms)]}}, [])]
        restored = 0
        for ok, item in helpers.streaming_bulk(
                client, ({"_op_type": "delete", "_index": idx.removed_index_name, "_id": i} for i in names),
                raise_on_error=False, raise_on_exception=False):
            restored += bool(ok and item["delete"].get("result") == "deleted")
        client.indices.refresh(index=idx.removed_index_name)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"restored": restored}


def record_of(client: Elasticsearch, settings: Any, doc_id: str) -> dict | None:
    """The removal record of the article ``doc_id``; None when it was not removed."""
    try:
        got = client.get(index=_index_settings(settings).removed_index_name, id=doc_id)
    except NotFoundError:
        return None
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return got["_source"] if got.get("found") and got["_source"].get("kind") == "document" else None


def listing(client: Elasticsearch, settings: Any, size: int = 100) -> list[dict]:
    """The removal records, domains first, then articles, the latest first."""
    idx = _index_settings(settings)
    try:
        resp = client.search(index=idx.removed_index_name, size=size, query={"match_all": {}},
                             sort=[{"kind": "desc"}, {"removed_at": "desc"}, {"id": "asc"}])
    except NotFoundError:
        return []
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return [h["_source"] for h in resp["hits"]["hits"]]


class Blocklist:
    """What a load must leave out: the removed domains (read once per load) and the articles the removed index
    names (one ``mget`` per batch)."""

    def __init__(self, client: Elasticsearch, index: str, domains: set[str]):
        self.client, self.index, self.domains = client, index, domains

    @classmethod
    def load(cls, client: Elasticsearch, settings: Any) -> "Blocklist | None":
        """None when nothing was ever removed (no removed index)."""
        index = _index_settings(settings).removed_index_name
        if not client.indices.exists(index=index):
            return None
        doms = {h["_source"]["domain"] for h in _scan(client, index, {"term": {"kind": "domain"}}, ["domain"])}
        return cls(client, index, doms)

    def blocked(self, docs: list[tuple[str, dict]]) -> set[str]:
        """The ids of ``(id, document)`` pairs that were removed."""
        out = {i for i, doc in docs if any(_under(doc.get("domain"), x) for x in self.domains)}
        rest = [i for i, _ in docs if i not in out]
        if rest:
            resp = self.client.mget(index=self.index, ids=rest, source=False)
            out |= {d["_id"] for d in resp["docs"] if d.get("found")}
        return out
