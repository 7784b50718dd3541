"""Taking articles out of the index for good: a takedown (a court order, a withdrawn story) or a publisher that opts
out (``newsetl remove``).

``remove(client, settings, urls=[…] | ids=[…] | domains=[…], reason="…")``:

1. writes a record per article, and one per domain, to the removed index (``index.removed_index``, default
   ``<name>-removed``; it belongs to no version of the news index, so a replay or a migrate keeps it);
2. deletes the articles from every version of the news index (``<name>-v*``), the one being built by a replay too,
   and mends the near-duplicate marks they leave (``pipeline.neardup.forget``): the copies of a removed original
   are marked again among themselves, so the first published of them is the original of the others (a copy left
   alone is an original), and the original of a removed copy counts one copy fewer;
3. looks again once the index is refreshed, so that a load that checked its batch a moment before the record was
   written cannot leave one behind (``enforce``).

From then on nothing removed comes back. One test, ``Blocklist``, says what was: an article the removed index names,
or any page of a removed domain or its subdomains.

- The loader leaves such documents out, whether an ingest run fetched them again or a replay read them from the
  archive: counted ``removed`` in the load result, not indexed and not dead-lettered (it is meant).
- The fetcher does not request such candidates (the id of the candidate's canonical URL, or its host), nor follow
  a page's redirect to one (the redirect is not archived): they end ``skipped`` with the reason ``removed``, are
  not archived, and count as skipped in the run report (``stages.fetch_removals`` hands ``fetch_blocklist`` to the
  fetch task and to ``newsetl fetch``/``crawl``: one ``mget`` per fetch, and one per redirect). When the cluster
  cannot be reached for that check, the fetch goes on with a warning naming it: the pages are archived, and the
  loader, which cannot load without the cluster anyway, leaves them out later; the next purge takes them out of
  the archive.
- ``purge_archive`` (``--purge-archive``; daily in news_health with ``storage.purge_removed_from_archive``) takes
  the raw copies out of the archive: every response or resource record of a removed article or domain (the page,
  its redirects, a removed domain's robots.txt) is replaced in its WARC file by a purge notice of exactly the same
  length (``pipeline.archive.blank_records``). Why the same length: every other record keeps its offset, so the
  refs (``path#offset``) held by the fetch ledger, the fetcher's manifests, the page batches of runs, and runs
  under way that read them stay valid without rewriting any of them, and no race with a concurrent run can leave
  a ref pointing into the middle of a record. The price is that the file does not shrink. The file is written
  anew and renamed over the old (a crash leaves one or the other), on any storage root. A purged record reads as
  ``archive.PurgedRecord``; ``iter_pages`` and a replay leave it out. The fetch ledger's entries of the removed
  articles are dropped, for good (``Ledger.drop``'s tombstones: no compaction running meanwhile brings them back),
  so a restored article is discovered and fetched anew (while removed, the fetcher skips it). A second purge finds
  nothing to do, and reads no WARC file: a checkpoint (``PURGE_CHECKPOINT``) says what the last purge applied and
  which files and ledger segments (by version) then held nothing of it, so with nothing removed since only the
  files and segments new or written again since are looked at. Each WARC file has a URL index (written when the
  file is closed; ``pipeline.archive.url_index_path``), so a file is read only when its index names something
  removed (since the last purge, for a file that purge vouched for); a file with no index (archived before there
  were indexes) is read, and indexed. A new removal reads only the files that hold it, and every ledger segment.

The changes feed lists each removed article as ``{"id", "deleted": true, "url", "reason", "removed_at"}``
(``pipeline.changes``), so downstream copies drop it too. ``restore`` lifts a record (a domain's, with the records
of its articles); the articles come back with the next load of them (``newsetl reprocess --in-place --site DOMAIN``
replays them from the archive, unless it was purged: then only a new fetch brings them back).

An article whose canonical link names another URL than the one it was found under has the canonical URL's id; its
record keeps the id of the URL it was found under too (``url_id``), so the fetcher leaves that URL out as well.

Limits: an article never indexed has no such record: one removed by its canonical URL before it was ever loaded is
fetched under another URL once, and left out by the loader and the next purge. Until a
purge (or ``storage.keep_archive_days``), the archive holds the raw pages; a purge keeps the files' sizes, reads
every URL index of the archive and the whole fetch ledger after a new removal.
"""
from __future__ import annotations

import logging
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
        "url_id": {"type": "keyword"},       # the id of the URL it was found under, when its canonical link differs
        "domain": {"type": "keyword"},
        "reason": {"type": "keyword"},
        "removed_at": {"type": "date"},
        "indexed_at": {"type": "date"},      # = removed_at: where the changes feed lists the deletion
        "deleted": {"type": "boolean"},
    },
}
DOMAIN_PREFIX = "domain:"
log = logging.getLogger("newsetl.removals")
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
    """id -> {url, canonical_url, domain} of the articles of ``query`` in the versions; none when there is no version
    yet: a search of no index at all would search every index, the removed one too (whose domain records would be
    taken for articles of their domains, and written over as such)."""
    if not versions:
        return {}
    return {h["_id"]: {k: h["_source"].get(k) for k in _TARGET_FIELDS}
            for h in _scan(client, versions, query, list(_TARGET_FIELDS))}


def _delete(client: Elasticsearch, idx, versions: list[str], ids: Iterable[str]) -> tuple[int, int]:
    """Delete ``ids`` from every version, then mend the near-duplicate marks they leave (``neardup.forget``): their
    copies are marked again among themselves, and the originals of those that were copies count one fewer.
    (documents deleted, documents whose ``duplicate_of`` changed)."""
    from pipeline.neardup import forget

    ids = list(ids)
    deleted = remarked = 0
    for index in versions if ids else ():
        originals = _originals(client, index, ids)
        actions = ({"_op_type": "delete", "_index": index, "_id": i} for i in ids)
        gone = []
        for ok, item in helpers.streaming_bulk(client, actions, chunk_size=_PAGE, raise_on_error=False,
                                               raise_on_exception=False):
            if ok and item["delete"].get("result") == "deleted":
                gone.append(item["delete"]["_id"])
        client.indices.refresh(index=index)
        deleted += len(gone)
        if gone:
            remarked += forget(client, index, gone, originals,
                               min_bands=idx.load.near_duplicate_bands if idx.load.near_duplicates else None)
    return deleted, remarked


def _originals(client: Elasticsearch, index: str, ids: list[str]) -> set[str]:
    """The originals (``duplicate_of``) of the documents ``ids`` of ``index`` that are near duplicates."""
    out = set()
    for start in range(0, len(ids), _PAGE):
        docs = client.mget(index=index, ids=ids[start:start + _PAGE], source_includes=["duplicate_of"])["docs"]
        out |= {d["_source"]["duplicate_of"] for d in docs if d.get("found") and d["_source"].get("duplicate_of")}
    return out


def _records(targets: dict[str, dict], domains: list[str], reason: str, at: str) -> list[dict]:
    rec = {"reason": reason, "removed_at": at, "indexed_at": at, "deleted": True}
    out = [{"_id": i, "_source": {"id": i, "kind": "document", "url": t.get("url"), "domain": t.get("domain"),
                                  **({"url_id": doc_id(t["url"])} if t.get("url") and doc_id(t["url"]) != i else {}),
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
        deleted, remarked = _delete(client, idx, versions, targets)
        # a load that checked its batch just before the records were written: look again, at this removal only
        again = _enforce(client, idx, versions, list(targets), dict.fromkeys(doms, reason.strip()))
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"removed": deleted + again["removed"], "records": len(targets), "domains": doms,
            "not_indexed": [i for i in wanted if i not in found], "remarked": remarked + again["remarked"]}


def enforce(client: Elasticsearch, settings: Any) -> dict:
    """Delete again what the removed index names and a version still holds (a load that checked its batch before a
    record was written, an index restored from a snapshot), recording the articles of removed domains. ``{"removed":
    documents deleted, "remarked": near duplicates marked again}``. Also the news_health DAG's daily
    ``enforce_removals``."""
    idx = _index_settings(settings)
    try:
        if not client.indices.exists(index=idx.removed_index_name):
            return {"removed": 0, "remarked": 0}
        versions = _versions(client, settings)
        if not versions:
            return {"removed": 0, "remarked": 0}
        reasons = {h["_source"]["domain"]: h["_source"].get("reason") or "" for h in _scan(
            client, idx.removed_index_name, {"term": {"kind": "domain"}}, ["domain", "reason"])}
        recorded = [h["_id"] for h in _scan(client, idx.removed_index_name, {"term": {"kind": "document"}}, [])]
        return _enforce(client, idx, versions, recorded, reasons)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None


def _enforce(client: Elasticsearch, idx, versions: list[str], recorded: list[str], reasons: dict[str, str]) -> dict:
    """Delete from the versions the ``recorded`` articles they still hold, and the articles of the domains of
    ``reasons`` (domain -> its reason), recording those first. ``{"removed", "remarked"}`` (``_delete``)."""
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
    deleted, remarked = _delete(client, idx, versions, left)
    return {"removed": deleted, "remarked": remarked}


PURGE_CHECKPOINT = "state/purge/archive.json"


def purge_archive(client: Elasticsearch, settings: Any, storage: Any = None, *, dry_run: bool = False) -> dict:
    """Purge from the raw archive every record of what was removed (``newsetl remove --purge-archive``, and news_health
    daily with ``storage.purge_removed_from_archive``): each response or resource record whose URL, or the URL a
    redirect points to, ``Blocklist.blocked_urls`` names (an article with a record, by its id or its record's URL;
    any page, robots.txt or feed of a removed domain) is replaced in its file by a purge notice of the same length
    (``pipeline.archive.blank_records``: crash-safe, every other ref unchanged), and the fetch ledger's entries of
    removed articles are dropped (``Ledger.drop``: for good, whatever compaction runs meanwhile). Idempotent: a
    second purge finds nothing.

    Incremental: the checkpoint (``PURGE_CHECKPOINT``, written atomically, never by a dry run) says what the last
    purge applied (the blocklist's domains and ids), which WARC files then held nothing of it, each with its
    version (``Storage.versions``: it changes whenever a file is written again, even with the same size, as
    ``blank_records`` does), and which ledger segments held nothing of it, with theirs. With nothing removed since
    (a restore only lifts something: what the files lack, they still lack), a file or segment of that version is not
    read at all. Any other WARC file is first looked up in its URL index (``pipeline.archive.url_index_path``: the
    URLs its records name, written when the file was closed): one that the checkpoint vouched for at this version
    is read only when its index names something removed since that purge; any other file (new, or written again)
    only when its index names anything removed. A file with no index for its size (archived before there were
    indexes) is read, and its index written from what was read. A new removal thus reads only the files that hold
    it (and the indexes of the others); the ledger's segments are all read then (an index of them would be about
    as large as they are). A file ``storage.keep_archive_days`` pruned leaves the checkpoint with the listing, and
    its day's indexes go too. The checkpoint vouches only for what was read: the version listed before a file (or its
    index) was read (had the file been written again in between, that version is not the file's any longer, and the
    next purge reads it), or the version ``blank_records`` wrote from exactly what was read (else it refuses:
    ``FileChanged``, and the file waits for the next purge).

    ``storage``: the storage root (default ``storage.root``). Returns ``{"scanned": WARC files read, "read": their
    paths, "skipped": files not read, nor their index (the checkpoint vouches for them), "indexed": files not read
    because their index names nothing removed (since), "files": files written again, "records": records purged,
    "ledger_entries": entries dropped, "ledger_read": ledger segments read, "ledger_skipped": segments not read
    (the checkpoint vouches for them), "dry_run"}`` (``dry_run``: what would be)."""
    from pipeline.archive import (ARCHIVE_DIR, FileChanged, blank_records, read_url_indexes, record_urls,
                                  write_url_index)
    from pipeline.storage import Storage

    storage = storage or Storage(settings.storage.root)
    out = {"scanned": 0, "read": [], "skipped": 0, "indexed": 0, "files": 0, "records": 0, "ledger_entries": 0,
           "ledger_read": 0, "ledger_skipped": 0, "dry_run": dry_run}
    try:
        blocklist = Blocklist.load(client, settings, every_article=True)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    if blocklist is None:
        return out
    last = _checkpoint(storage)
    nothing = not (blocklist.domains or blocklist.ids)          # all restored: no record can be purged
    new = last is None or _new_removals(blocklist, last)
    known = last["files"] if last else {}                       # file -> a version that held nothing of `last`
    test = _UrlTest(blocklist, last)
    clean: dict[str, str] = {}          # file -> a version of it that holds nothing the blocklist names
    todo: dict[str, str | None] = {}
    for rel, version in _warc_versions(storage).items():
        if version is not None and (nothing or (not new and known.get(rel) == version)):
            out["skipped"] += 1
            clean[rel] = version
        else:
            todo[rel] = version
    sizes = {rel: n for rel, n in storage.find(ARCHIVE_DIR).items() if rel in todo} if todo else {}
    indexes = read_url_indexes(storage, sizes)
    for rel, version in todo.items():
        urls = indexes.get(rel)
        if urls is not None:
            # vouched for at this version by the last purge: only what was removed since can be in it
            if not test.hits(urls, since_last=version is not None and known.get(rel) == version):
                out["indexed"] += 1
                if version is not None:
                    clean[rel] = version
                continue
        try:
            records = record_urls(storage, rel)
        except FileNotFoundError:          # its day pruned meanwhile (storage.keep_archive_days)
            continue
        except OSError as e:
            if _written_meanwhile(e):
                continue
            raise
        out["scanned"] += 1
        out["read"].append(rel)
        if urls is None and not dry_run and rel in sizes:      # an older file: indexed from now on
            try:
                write_url_index(storage, rel, sizes[rel], (u for _, _, us in records for u in us))
            except OSError as e:
                log.warning("could not write the URL index of %s (%s): the next purge reads it again", rel, e)
        gone = blocklist.blocked_urls({u for _, _, urls in records for u in urls})
        doomed = [(off, n) for off, n, urls in records if gone.intersection(urls)]
        if not doomed:
            if version is not None:
                clean[rel] = version
            continue
        if not dry_run:
            try:
                written = blank_records(storage, rel, doomed, version=version)
            except (FileChanged, FileNotFoundError) as e:
                log.warning("%s: left for the next purge", e)
                continue
            except OSError as e:
                if not _written_meanwhile(e):
                    raise
                log.warning("%s was written again while it was read: left for the next purge", rel)
                continue
            if written is not None:
                clean[rel] = written
        out["files"] += 1
        out["records"] += len(doomed)
    ledger = _purge_ledger(storage, blocklist, last, nothing or not new, dry_run, out)
    if not dry_run:
        from pipeline.load import stamp_now

        storage.write_json(PURGE_CHECKPOINT, {
            "format": 1, "at": stamp_now(), "domains": sorted(blocklist.domains), "ids": sorted(blocklist.ids),
            "files": clean, "ledger": ledger})
    if out["records"] or out["ledger_entries"]:
        log.info("%s %d records in %d of %d WARC files read (%d not read: nothing removed since they were; %d not "
                 "read: their index names nothing removed) and %d fetch ledger entries of removed articles",
                 "would purge" if dry_run else "purged", out["records"], out["files"], out["scanned"],
                 out["skipped"], out["indexed"], out["ledger_entries"])
    return out


def _purge_ledger(storage: Any, blocklist: "Blocklist", last: dict | None, unchanged_only: bool, dry_run: bool,
                  out: dict) -> dict[str, str]:
    """Drop the fetch ledger's entries of removed articles (``Ledger.drop``), reading only the segments the last
    purge's checkpoint does not vouch for when nothing was removed since (``unchanged_only``); counts into ``out``.
    The segments that now hold nothing removed -> their versions (listed before they were read), for the
    checkpoint."""
    from pipeline.fetcher import LEDGER_DIR, Ledger

    versions = {rel: v for rel, v in storage.versions(LEDGER_DIR).items()
                if rel.endswith(".jsonl") and rel.count("/") == LEDGER_DIR.count("/") + 1}
    vouched = last.get("ledger") if last and isinstance(last.get("ledger"), dict) else {}
    nothing = not (blocklist.domains or blocklist.ids)

    def unchanged(rel: str) -> bool:
        v = versions.get(rel)
        return unchanged_only and v is not None and (nothing or vouched.get(rel) == v)

    report: dict = {}
    out["ledger_entries"] = Ledger.drop(storage, lambda e: bool(blocklist.blocked_urls(
        u for u in (e.get("url"), e.get("final_url")) if u)), dry_run=dry_run, unchanged=unchanged, report=report)
    read = report.get("read", [])
    out["ledger_read"] = len(read)
    out["ledger_skipped"] = sum(1 for rel in versions if rel not in read and unchanged(rel))
    written = set(report.get("written", ()))
    return {rel: v for rel, v in versions.items() if v is not None and rel not in written
            and (rel in read or unchanged(rel))}


class _UrlTest:
    """Whether a WARC file's URL index names anything removed (as ``Blocklist.blocked_urls`` says of the URLs: the
    id of the URL, or its domain), or anything removed since the purge of the checkpoint ``last``."""

    def __init__(self, blocklist: "Blocklist", last: dict | None):
        self.blocklist = blocklist
        self.before_ids = set(last["ids"]) if last else set()
        self.before_domains = set(last["domains"]) if last else set()
        self._domains: dict[str, tuple[bool, bool]] = {}

    def _domain(self, d: str) -> tuple[bool, bool]:
        """(``d`` is under a removed domain, under one the last purge applied)."""
        got = self._domains.get(d)
        if got is None:
            got = self._domains[d] = (any(_under(d, x) for x in self.blocklist.domains),
                                      any(_under(d, x) for x in self.before_domains))
        return got

    def hits(self, urls: Iterable[str], *, since_last: bool) -> bool:
        ids = self.blocklist.ids
        for u in urls:
            i = doc_id(u)
            now, before = self._domain(url_domain(u))
            if not (now or i in ids):
                continue
            if not since_last or not (before or i in self.before_ids):
                return True
        return False


def _checkpoint(storage: Any) -> dict | None:
    """The last purge's checkpoint (``purge_archive``); None when there is none, or none this code reads (then every
    file is read, and the checkpoint written anew)."""
    cp = storage.read_json_object(PURGE_CHECKPOINT)
    if not cp or cp.get("format") != 1 or not isinstance(cp.get("files"), dict) or not all(
            isinstance(cp.get(k), list) for k in ("domains", "ids")):
        return None
    return cp


def _new_removals(blocklist: "Blocklist", last: dict) -> bool:
    """Something was removed since the purge of the checkpoint ``last``: a domain that is not one it applied nor under
    one, or an article id it did not apply."""
    domains = set(last["domains"])
    if any(d not in domains and not any(_under(d, x) for x in domains) for d in blocklist.domains):
        return True
    return not blocklist.ids <= set(last["ids"])


def _warc_versions(storage: Any) -> dict[str, str | None]:
    """The archived WARC files (as ``archive.list_warc_files`` lists them: no file still being written, no temporary
    copy) -> their versions, from one listing."""
    from pipeline.archive import ARCHIVE_DIR, archive_day

    return {rel: v for rel, v in storage.versions(ARCHIVE_DIR).items()
            if rel.endswith(".warc.gz") and rel.count("/") == 4 and archive_day(rel)}


def _written_meanwhile(e: OSError) -> bool:
    """An object store's file written again while it was read (s3fs pins its reads to the ETag it opened:
    ``FileExpired``)."""
    return type(e).__name__ == "FileExpired"


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
    """What must stay out: the removed domains (read once, at ``load``) and the removed articles. The loader asks about
    its documents (``blocked``, one ``mget`` per batch), the fetcher about its candidate URLs (``blocked_urls``, one
    ``mget`` per fetch), both through ``removed``: one test of "was this removed". Loaded with ``every_article``
    (the archive purge, which asks about every record of the archive), the articles' ids are read once and held in
    memory, with the ids of the URLs their records name (a page whose canonical link gave the article another id)."""

    def __init__(self, client: Elasticsearch, index: str, domains: set[str], ids: set[str] | None = None):
        self.client, self.index, self.domains, self.ids = client, index, domains, ids

    @classmethod
    def load(cls, client: Elasticsearch, settings: Any, *, every_article: bool = False) -> "Blocklist | None":
        """None when nothing was ever removed (no removed index)."""
        index = _index_settings(settings).removed_index_name
        if not client.indices.exists(index=index):
            return None
        doms = {h["_source"]["domain"] for h in _scan(client, index, {"term": {"kind": "domain"}}, ["domain"])}
        ids = None
        if every_article:
            ids = set()
            for h in _scan(client, index, {"term": {"kind": "document"}}, ["url"]):
                ids.add(h["_id"])
                if h["_source"].get("url"):
                    ids.add(doc_id(h["_source"]["url"]))
        return cls(client, index, doms, ids)

    def removed(self, pairs: Iterable[tuple[str, str | None]]) -> set[str]:
        """The ids of ``(id, domain)`` pairs that were removed: the id has a record, or the domain is a removed one
        or one of its subdomains."""
        pairs = list(pairs)
        out = {i for i, d in pairs if any(_under(d, x) for x in self.domains)}
        rest = list(dict.fromkeys(i for i, _ in pairs if i not in out))
        if self.ids is not None:
            return out | self.ids.intersection(rest)
        for start in range(0, len(rest), _PAGE):
            resp = self.client.mget(index=self.index, ids=rest[start:start + _PAGE], source=False)
            out |= {d["_id"] for d in resp["docs"] if d.get("found")}
        return out

    def domain_removed(self, url: str) -> bool:
        """Whether ``url``'s host is a removed domain or one of its subdomains (no request: the domains are read at
        ``load``). Discovery asks it before it reads a feed, a sitemap or a page of a source."""
        host = url_domain(url)
        return any(_under(host, x) for x in self.domains)

    def blocked(self, docs: list[tuple[str, dict]]) -> set[str]:
        """The ids of ``(id, document)`` pairs that were removed."""
        return self.removed((i, doc.get("domain")) for i, doc in docs)

    def blocked_urls(self, urls: Iterable[str]) -> set[str]:
        """The URLs of ``urls`` that were removed: the id of the canonical URL (``pipeline.urls.doc_id``, the
        fetcher's and the ledger's id) has a record, or its domain was removed, or a removed article was found under
        it (its canonical link named another URL, so its id is another: the record's ``url_id``, or, for a record
        written before there was one, its ``url``)."""
        keys = {u: (doc_id(u), url_domain(u)) for u in urls}
        gone = self.removed(keys.values())
        out = {u for u, (i, _) in keys.items() if i in gone}
        rest = {u: i for u, (i, _) in keys.items() if u not in out}
        if rest and self.ids is None:       # (with every_article, ids holds the ids of the records' URLs too)
            out |= self._found_under(rest)
        return out

    def _found_under(self, urls: dict[str, str]) -> set[str]:
        """Those of ``urls`` (URL -> its id) that a removed article was found under."""
        items, out = list(urls.items()), set()
        for start in range(0, len(items), _PAGE):
            part = dict(items[start:start + _PAGE])
            query = {"bool": {"filter": [{"term": {"kind": "document"}}], "minimum_should_match": 1, "should": [
                {"terms": {"url_id": sorted(set(part.values()))}}, {"terms": {"url": sorted(part)}}]}}
            hits = self.client.search(index=self.index, size=2 * len(part), query=query,
                                      source=["url", "url_id"])["hits"]["hits"]
            ids = {h["_source"].get("url_id") for h in hits} | {doc_id(h["_source"]["url"]) for h in hits
                                                                 if h["_source"].get("url")}
            out |= {u for u, i in part.items() if i in ids}
        return out


def fetch_blocklist(client: Elasticsearch, settings: Any) -> Blocklist | None:
    """The blocklist a fetch leaves its candidates out by; None when nothing was removed, and None with a warning
    when the cluster cannot say: the fetch goes on (the pages are archived), since every load checks again."""
    from elasticsearch import ApiError, TransportError

    try:
        return Blocklist.load(client, settings)
    except (ApiError, TransportError) as e:
        why = unavailable_from(client, e) if isinstance(e, UNAVAILABLE_ERRORS) else e   # names the cluster's URL
        log.warning("could not read the removed articles and domains (%s): fetching without leaving them out; "
                    "the loader still leaves them out of the index", why)
        return None
