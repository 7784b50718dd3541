"""Near-duplicate articles: one story published again with small changes (a wire copy on several sites, a corrected
version at a new URL), found by the text and marked in the index.

Each document's text gets a MinHash signature (``datasketch``) of its word shingles (``SHINGLE_WORDS`` words in a
row, lower case), cut into ``BANDS`` bands of ``ROWS`` values; the loader stores a short hash of each band in
``minhash_bands``. Two texts share a band with a probability of J ** ROWS, where J is the Jaccard similarity of their
shingle sets, so the number of bands they share tells how alike they are without comparing the texts: with 32 bands
of 4 rows, texts that share 10 bands or more (``index.load.near_duplicate_bands``) are near duplicates, which holds
nine times in ten for J = 0.8 and about one time in 300 for J = 0.6 (a binomial of 32 draws, p = J ** 4).

After a load, ``mark_near_duplicates`` asks the index, for each document written, for the documents sharing that many
bands (itself among them); of that group the one published first (then indexed first, then the smallest id) is the
original, and every other member gets ``duplicate_of``: the original's id. A search can then leave the copies out
(``newsetl search --originals``; in Kibana the filter ``NOT duplicate_of:*``). A text of fewer than ``MIN_SHINGLES``
different shingles gets no bands: a short text (a photo caption, a live ticker's line, one sentence said again and
again) shares too much with too many others to tell a copy.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable

from elasticsearch import Elasticsearch, helpers

NUM_PERM = 128
ROWS = 4
BANDS = NUM_PERM // ROWS
SHINGLE_WORDS = 4
MIN_SHINGLES = 40
_WORD = re.compile(r"\w+")
_SEED = 1   # fixed: every process must hash alike, or no two documents would ever share a band


def text_bands(text: str | None) -> list[str]:
    """The ``BANDS`` band hashes of a text ("<band>-<16 hex digits>"), or ``[]`` for a text of fewer than
    ``MIN_SHINGLES`` different shingles."""
    from datasketch import MinHash

    words = _WORD.findall((text or "").casefold())
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}
    if len(shingles) < MIN_SHINGLES:
        return []
    signature = MinHash(num_perm=NUM_PERM, seed=_SEED)
    signature.update_batch(list(shingles))
    values = signature.hashvalues
    return [f"{band}-{hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
            for band in range(BANDS)]


def _first(hit: dict) -> tuple:
    """The order of a group's members: published first (undated last), then indexed first, then by id."""
    src = hit.get("_source") or {}
    return (src.get("published_at") is None, src.get("published_at") or "", src.get("indexed_at") or "", hit["_id"])


def mark_near_duplicates(client: Elasticsearch, index: str, ids: Iterable[str], *, min_bands: int,
                         chunk: int = 200, group_size: int = 100) -> int:
    """Mark the near duplicates of the documents ``ids`` in ``index`` (refreshed first, so that a load's documents
    find each other): in each group of documents sharing ``min_bands`` bands, every member but the original gets
    ``duplicate_of`` (the original's id) and the original loses it. Only what changes is written, so marking again
    changes nothing, and a load run again (its documents unchanged) finishes a marking an error cut short. Returns
    how many documents changed. A group is read up to ``group_size`` members; ids are taken in sorted order, so the
    same load marks alike each time. ``duplicate_of`` names an original, never another copy: when an earlier copy
    turns up, the copies of the old original are pointed at the new one too (``_follow_originals``)."""
    client.indices.refresh(index=index)
    wanted: dict[tuple[str, str], str | None] = {}
    have: dict[tuple[str, str], str | None] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), chunk):
        part = ordered[start:start + chunk]
        docs = client.mget(index=index, ids=part, source_includes=["minhash_bands"])["docs"]
        bands = [(d["_id"], d["_source"]["minhash_bands"]) for d in docs
                 if d.get("found") and (d.get("_source") or {}).get("minhash_bands")]
        if not bands:
            continue
        searches: list[dict] = []
        for _, doc_bands in bands:
            searches += [{"index": index}, {
                "size": group_size, "_source": ["published_at", "indexed_at", "duplicate_of"],
                "query": {"bool": {"should": [{"term": {"minhash_bands": b}} for b in doc_bands],
                                   "minimum_should_match": min(min_bands, len(doc_bands))}}}]
        for (doc_id, _), resp in zip(bands, client.msearch(searches=searches)["responses"]):
            if "error" in resp:
                raise RuntimeError(f"near-duplicate search for {doc_id} failed: {resp['error']}")
            group = resp["hits"]["hits"]
            if len(group) < 2:
                continue
            original = min(group, key=_first)
            for hit in group:
                key = (hit["_index"], hit["_id"])
                have.setdefault(key, (hit.get("_source") or {}).get("duplicate_of"))
                wanted[key] = None if hit is original else original["_id"]
    _follow_originals(client, index, wanted, have)
    actions = [{"_op_type": "update", "_index": idx, "_id": doc_id, "doc": {"duplicate_of": to}}
               for (idx, doc_id), to in sorted(wanted.items()) if have.get((idx, doc_id)) != to]
    if actions:
        helpers.bulk(client, actions, refresh=True)
    return len(actions)



def _follow_originals(client: Elasticsearch, index: str, wanted: dict, have: dict) -> None:
    """Make every ``duplicate_of`` name an original: the documents marked copies of one that is now a copy itself
    (in the index, or in another group of this marking) are pointed at its original."""
    parent = {doc_id: to for (_, doc_id), to in wanted.items()}
    demoted = sorted(doc_id for doc_id, to in parent.items() if to)
    for start in range(0, len(demoted), 1000):
        query = {"terms": {"duplicate_of": demoted[start:start + 1000]}}
        for hit in helpers.scan(client, index=index, query={"query": query}, _source=["duplicate_of"]):
            key = (hit["_index"], hit["_id"])
            if key not in wanted:
                have[key] = wanted[key] = hit["_source"].get("duplicate_of")

    def root(doc_id: str) -> str:
        seen = set()
        while parent.get(doc_id) and doc_id not in seen:
            seen.add(doc_id)
            doc_id = parent[doc_id]
        return doc_id

    for key, to in wanted.items():
        if to:
            wanted[key] = root(to)
