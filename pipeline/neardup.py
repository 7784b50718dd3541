"""Near-duplicate articles: one story published again with small changes (a wire copy on several sites, a corrected
version at a new URL), found by the text and marked in the index.

Each document's text gets a MinHash signature of its word shingles (``SHINGLE_WORDS`` words in a row, lower case;
in Chinese and Japanese, where words are not spaced, characters), cut into ``BANDS`` bands of ``ROWS`` values; the
loader stores a short hash of each band in ``minhash_bands``. Two texts share a band with a probability of J ** ROWS,
where J is the Jaccard similarity of their shingle sets, so the number of bands they share tells how alike they are
without comparing the texts: with 32 bands of 4 rows, texts that share 10 bands or more
(``index.load.near_duplicate_bands``) are near duplicates, which holds nine times in ten for J = 0.8 and about one
time in 300 for J = 0.6 (a binomial of 32 draws, p = J ** 4).

The signature is computed here with numpy, not with ``datasketch``, which hashes every shingle with sha1 in Python
(1 ms a document: the loader's bottleneck, docs/index.md, Benchmark). Each word is hashed once (crc32), a shingle's
32-bit hash is mixed from its words' in numpy, and the 128 hash functions are multiply-add-shift ones (h -> the high
32 bits of a h + b mod 2**64, a odd; 128 pairs (a, b) drawn once from a fixed seed): ~0.4 ms a document.

After a load, ``mark_near_duplicates`` asks the index, for each document the load wrote, for the documents sharing
that many bands; the documents so joined, directly or through others (A like B, B like C), are one group, and of that
group the one published first (then fetched first, then the smallest id) is the original. Every other member gets
``duplicate_of``: the original's id, and the original gets ``copies``: how many documents are marked its copies
(counted in the index after each marking). A search can then leave the copies out (``newsetl search --originals``;
in Kibana the filter ``NOT duplicate_of:*``) or put the most copied stories first (``newsetl search --sort copies``;
the Kibana search and chart "Most copied stories"). A text of fewer than ``MIN_SHINGLES`` different shingles gets no
MinHash bands: a short text (a photo caption, a live ticker's line, a wire brief) shares too much with too many others
to tell a near copy. It gets exact bands instead, when it has ``SHORT_MIN_WORDS`` different words (one sentence said
again and again has too few). Its words are the title's, an end-of-title mark, and the text's, in order: its ``x-``
band is a hash of that sequence, and each of its ``w-`` bands a hash of it with one word blanked (replaced by a
blank) or one blank put in (before each word, and at the end). Two sequences one word edit apart share one band:
"said" and "says" at one place share the sequence with that word blanked; a word added or dropped, the shorter
with a blank put in where the longer has the word blanked. Two sequences two edits apart share none, by
construction (a blanked sequence holds all words but one where they were, so both texts agree everywhere else;
the plain deletion neighbourhood, each sequence without one word, would join those too: a word dropped at one
place and another added elsewhere leave the same sequence), and an ``x-`` band (no blank) never equals a ``w-``
one. So one shared band is all the marking asks of a short text (``_bands_needed``), and a short text joins its
copies with one word changed, added or dropped (a corrected figure, another one-word dateline, "said" for "says",
a word more in the headline) and no other text. A long text has only numbered bands, so it never meets a short
one. Two edits or more are no copy (a dateline of two words replaced by one of one word is two; a group can still
join two texts through a third one edit from each; a ticker's template that differs by one figure is one edit, as a
corrected figure is). In Chinese and Japanese a "word" is a character, so an edit is one character. A text of more
than ``SHORT_MAX_WORDS`` title and text words (a long headline with a short text, or a long text saying few things
many times) gets its ``x-`` band only: up to 2 n + 3 bands for n words, 163 at most, bounds what is stored and
asked (``_TERMS_ASKED`` bands a query, each document's in one query: ``_parts``). Marking a short text costs about
three times what a long one does (its ~85 bands asked, against 32). Measured on the fundus corpus cut into
briefs (``benchmarks/bench_short_copies.py``, docs/index.md): no two briefs of different articles, or of one
article's text two words or more apart, share a band, and every one-edit copy of a brief within the bound does.
"""
from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections import Counter
from typing import Iterable, Iterator

import numpy as np
from elasticsearch import Elasticsearch, helpers

from pipeline.unionfind import components

NUM_PERM = 128
ROWS = 4
BANDS = NUM_PERM // ROWS
SHINGLE_WORDS = 4
MIN_SHINGLES = 40
SHORT_MIN_WORDS = 15     # a shorter text: different words it needs for its exact band
SHORT_MAX_WORDS = 80     # and the most title and text words it may have for its one-edit bands (163 at most)
_TITLE_END = "\x1e"      # between the title's words and the text's (never a word: _WORD finds none)
_BLANK = "\x1d"          # a blanked word of the one-edit bands
_TERMS_ASKED = 16_384    # bands one query asks at most (the index refuses more than 65,536: max_terms_count)
# a word, or one character of the scripts written without spaces (Han, kana)
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+")
_SEED = 1   # fixed: every process must hash alike, or no two documents would ever share a band
_BANDS_KEPT = 2_000_000
_LOW32 = np.uint64((1 << 32) - 1)
_32 = np.uint64(32)


@functools.lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The 128 (a, b) of the hash family, a odd; numpy's legacy RandomState draws the same numbers in every
    version."""
    rng = np.random.RandomState(_SEED)
    a = rng.randint(0, 1 << 63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    return a, rng.randint(0, 1 << 63, NUM_PERM, dtype=np.uint64) * np.uint64(2)


def _words(text: str | None) -> list[str]:
    """The text's words in lower case: found first, then lowered, since lowering can split a word ("İzmir" lowered
    is "i", a combining dot, "zmir")."""
    return [word.casefold() for word in _WORD.findall(text or "")]


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """The distinct 32-bit hashes of the text's shingles: crc32 of each word, four of them mixed in uint64."""
    ids = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE_WORDS + 1
    mixed = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):      # wrapping at 2**64 is the mixing
        for k in range(SHINGLE_WORDS):
            mixed = mixed * np.uint64(0x9E3779B97F4A7C15) + ids[k:k + n]
    return np.unique((mixed >> _32) ^ (mixed & _LOW32))


def text_bands(text: str | None, title: str | None = None) -> list[str]:
    """The ``BANDS`` band hashes of a text ("<band>-<16 hex digits>"); for a text of fewer than ``MIN_SHINGLES``
    different shingles, its exact band (``_exact_band``: with ``title``), or ``[]``."""
    words = _words(text)
    hashes = _shingle_hashes(words) if len(words) >= MIN_SHINGLES + SHINGLE_WORDS - 1 else ()
    if len(hashes) < MIN_SHINGLES:
        return _short_bands(words, title)
    a, b = _permutations()
    with np.errstate(over="ignore"):
        values = np.multiply.outer(hashes, a)
        values += b
        values >>= _32
    values = values.min(axis=0)
    return [f"{band}-{hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
            for band in range(BANDS)]


def _short_bands(words: list[str], title: str | None) -> list[str]:
    """A short text's bands, for one of ``SHORT_MIN_WORDS`` different words or more (else ``[]``): its exact band,
    ``"x-<16 hex digits>"``, a hash of the title's and the text's words in order, then, when those are
    ``SHORT_MAX_WORDS`` words or fewer, its one-edit bands (``_blanked``)."""
    if len(set(words)) < SHORT_MIN_WORDS:
        return []
    heading = _words(title)
    sequence = [*heading, _TITLE_END, *words]
    bands = ["x-" + _sequence_hash(sequence)]
    if len(heading) + len(words) <= SHORT_MAX_WORDS:
        bands += ["w-" + _sequence_hash(blanked) for blanked in _blanked(sequence)]
    return bands


def _blanked(sequence: list[str]) -> Iterator[list[str]]:
    """The sequence with one word replaced by a blank (each word in turn), then with one blank put in (before each
    word in turn, and at the end): two sequences one word edit apart (a word changed, added or dropped) have one
    of these in common, and two further apart none. The end of the title is never blanked: a word moved from the
    title to the text is two edits (dropped, and added)."""
    for i, word in enumerate(sequence):
        if word != _TITLE_END:
            yield [*sequence[:i], _BLANK, *sequence[i + 1:]]
    for i in range(len(sequence) + 1):
        yield [*sequence[:i], _BLANK, *sequence[i:]]


def _sequence_hash(sequence: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(sequence).encode(), digest_size=8).hexdigest()


def _bands_needed(bands: list[str], min_bands: int) -> int:
    """How many bands a document must share with another to be marked alike: ``min_bands`` of a long text's
    MinHash bands (fewer when it has fewer), one of a short text's (``x-`` and ``w-``: only another short text has
    them, and each says the whole sequence of words, or all of it but one word)."""
    if any(band.startswith(("x-", "w-")) for band in bands):
        return 1
    return min(min_bands, len(bands))


def _first(hit: dict) -> tuple:
    """The order of a group's members: published first (undated last), then fetched first, then by id. Not by
    ``indexed_at``: a mark, a label or a replay stamps that again, and the original must not change with it."""
    src = hit.get("_source") or {}
    return (src.get("published_at") is None, src.get("published_at") or "", src.get("fetched_at") or "", hit["_id"])


def _updates(index_ids: Iterable[tuple[str, str, dict]]) -> Iterator[dict]:
    """Partial-update actions, each stamped ``indexed_at`` as it is handed to the bulk helper (which sends them a
    chunk at a time), so the changes feed lists the document again (``pipeline.changes``): a downstream copy learns
    its new ``duplicate_of`` or ``copies``."""
    from pipeline.load import stamp_now     # (load imports this module)

    for index, doc_id, fields in index_ids:
        yield {"_op_type": "update", "_index": index, "_id": doc_id, "doc": {**fields, "indexed_at": stamp_now()}}


def mark_near_duplicates(client: Elasticsearch, index: str, ids: Iterable[str], *, min_bands: int,
                         chunk: int = 1000) -> int:
    """Mark the near duplicates of the documents ``ids`` in ``index`` (refreshed first, so that a load's documents
    find each other): in each group of documents sharing ``min_bands`` bands, every member but the original gets
    ``duplicate_of`` (the original's id) and the original loses it; then the originals' ``copies`` are counted
    (``_count_copies``). Only what changes is written, so marking again changes nothing. Returns how many documents'
    ``duplicate_of`` changed.

    The ids are read ``chunk`` at a time, in sorted order (the same load marks alike each time): one ``terms`` query
    finds every document holding one of the chunk's bands not asked before, and the bands each shares with each of
    the chunk's documents are counted here (a query per document, with ``minimum_should_match``, took longer, and
    read a big group once for each of its members).
    ``duplicate_of`` names an original, never another copy: when an earlier copy turns up, the copies of the old
    original are pointed at the new one too (``_follow_originals``)."""
    client.indices.refresh(index=index)
    wanted: dict[tuple[str, str], str | None] = {}
    have: dict[tuple[str, str], str | None] = {}
    ordered = sorted(set(ids))
    # what the index answered for the bands asked so far (it does not change while marking): a band's holders where
    # it has two or more, and the hits they came in; a band asked with one holder needs no asking again. Forgotten
    # past _BANDS_KEPT bands, to bound the memory of marking a big index.
    asked: set[str] = set()
    holders: dict[str, list[str]] = {}
    found: dict[str, dict] = {}
    members: dict[str, dict] = {}          # the documents alike another: their hits, kept till the groups are made
    pairs: list[tuple[str, str]] = []      # (a document, one alike it)
    for start in range(0, len(ordered), chunk):
        docs = client.mget(index=index, ids=ordered[start:start + chunk], source_includes=["minhash_bands"])["docs"]
        bands = {d["_id"]: d["_source"]["minhash_bands"] for d in docs
                 if d.get("found") and (d.get("_source") or {}).get("minhash_bands")}
        if len(asked) > _BANDS_KEPT:
            asked, holders, found = set(), {}, {}
        for part in _parts(bands.values(), asked):
            held: dict[str, list[str]] = {}
            for hit in helpers.scan(client, index=index, size=1000, query={
                    "query": {"terms": {"minhash_bands": sorted(part)}},
                    "_source": ["minhash_bands", "published_at", "fetched_at", "duplicate_of"]}):
                for band in hit["_source"].pop("minhash_bands", None) or ():
                    if band in part:
                        held.setdefault(band, []).append(hit["_id"])
                found.setdefault(hit["_id"], hit)
            holders.update((band, ids_) for band, ids_ in held.items() if len(ids_) > 1)
            asked |= part
        for doc_id, doc_bands in bands.items():
            shared = Counter(other for band in doc_bands for other in holders.get(band, ()))
            needed = _bands_needed(doc_bands, min_bands)
            alike = [other for other, n in shared.items() if n >= needed and other != doc_id]
            if alike:
                members[doc_id] = found[doc_id]
                for other in alike:
                    members[other] = found[other]
                    pairs.append((doc_id, other))
    # one story, one original: documents joined through others (A like B, B like C) are one group whatever the order
    # they were read in, and its first published is the original of all
    groups: dict[str, list[dict]] = {}
    for doc_id, root in components(pairs).items():
        groups.setdefault(root, []).append(members[doc_id])
    for group in groups.values():
        original = min(group, key=_first)
        for hit in group:
            key = (hit["_index"], hit["_id"])
            have.setdefault(key, hit["_source"].get("duplicate_of"))
            wanted[key] = None if hit is original else original["_id"]
    _follow_originals(client, index, wanted, have)
    actions = [(idx, doc_id, {"duplicate_of": to})
               for (idx, doc_id), to in sorted(wanted.items()) if have.get((idx, doc_id)) != to]
    if actions:
        helpers.bulk(client, _updates(actions), refresh=True)
    # the originals' copy counts: of every group member, the originals they left, and the documents written
    check = {doc_id for _, doc_id in wanted} | {to for to in have.values() if to}
    _count_copies(client, index, check, ordered)
    return len(actions)


def _parts(chunk: Iterable[list[str]], asked: set[str]) -> Iterator[set[str]]:
    """The bands of a chunk's documents not in ``asked``, in parts of ``_TERMS_ASKED`` bands at most (short texts
    have up to 163 bands), each document's in one part: the index then returns a document of the chunk once, not
    once a part. The caller adds each part to ``asked`` before asking for the next."""
    part: set[str] = set()
    for doc_bands in chunk:
        new = set(doc_bands) - asked - part
        if part and len(part) + len(new) > _TERMS_ASKED:
            yield part
            new -= asked          # now with the part just asked
            part = set()
        part |= new
    if part:
        yield part


def copy_counts(client: Elasticsearch, index: str, ids: list[str]) -> dict[str, int]:
    """How many documents of ``index`` are marked near duplicates of each of ``ids`` (those with none left out).
    (Under an API key's scope the copies are counted by ``pipeline.stories``.)"""
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 1000):
        part = ids[start:start + 1000]
        resp = client.search(index=index, size=0, query={"terms": {"duplicate_of": part}},
                             aggs={"c": {"terms": {"field": "duplicate_of", "size": len(part)}}})
        counts.update((b["key"], b["doc_count"]) for b in resp["aggregations"]["c"]["buckets"])
    return counts


def _count_copies(client: Elasticsearch, index: str, check: set[str], written: list[str]) -> None:
    """Set ``copies`` (how many documents are marked its near duplicates) on each document of ``check`` and of
    ``written`` that has copies, and clear it on those of ``check`` that have none any more: counted in the index,
    after the marks were written, so that it always agrees with ``duplicate_of``. Only what changes is written."""
    counts = copy_counts(client, index, sorted(check | set(written)))
    ids = sorted(check | set(counts))
    actions = []
    for start in range(0, len(ids), 1000):
        for d in client.mget(index=index, ids=ids[start:start + 1000], source_includes=["copies"])["docs"]:
            if not d.get("found"):
                continue      # an original deleted since: its copies keep its id
            want = counts.get(d["_id"]) or None
            if (d.get("_source") or {}).get("copies") != want:
                actions.append((d["_index"], d["_id"], {"copies": want}))
    if actions:
        helpers.bulk(client, _updates(actions), refresh=True)


def mark_index(client: Elasticsearch, index: str, *, min_bands: int) -> dict:
    """Mark every document of ``index`` that has bands (``newsetl index mark-duplicates``): after the marking was
    off, or cut short by an error (a load marks only the documents it writes). ``{"checked", "marked"}``."""
    client.indices.refresh(index=index)
    ids = [hit["_id"] for hit in helpers.scan(client, index=index, _source=False,
                                              query={"query": {"exists": {"field": "minhash_bands"}}})]
    return {"checked": len(ids), "marked": mark_near_duplicates(client, index, ids, min_bands=min_bands)}


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


def forget(client: Elasticsearch, index: str, gone: Iterable[str], originals: Iterable[str] = (), *,
           min_bands: int | None) -> int:
    """Mend the marks after the documents ``gone`` were deleted from ``index`` (``newsetl remove``). Their copies
    (``duplicate_of`` one of them) are marked again among themselves (``mark_near_duplicates``), so the first
    published of them becomes the original of the others. A copy alike none of the others left is an original now:
    its ``duplicate_of`` is cleared. ``originals``, those of the deleted documents that were copies themselves, get
    their ``copies`` counted again. ``min_bands`` None (the marking is off): the copies are only cleared. Returns
    how many documents' ``duplicate_of`` changed."""
    gone = sorted(set(gone))
    client.indices.refresh(index=index)
    changed = 0
    orphans = _copies_of(client, index, gone)
    if orphans and min_bands:
        changed += mark_near_duplicates(client, index, orphans, min_bands=min_bands)
    left = _copies_of(client, index, gone) if orphans else []
    if left:
        helpers.bulk(client, _updates((index, i, {"duplicate_of": None}) for i in left), refresh=True)
        changed += len(left)
    if originals:
        _count_copies(client, index, set(originals), [])
    return changed


def _copies_of(client: Elasticsearch, index: str, ids: list[str]) -> list[str]:
    """The documents of ``index`` marked near duplicates of one of ``ids`` (sorted)."""
    out = set()
    for start in range(0, len(ids), 1000):
        query = {"terms": {"duplicate_of": ids[start:start + 1000]}}
        out |= {hit["_id"] for hit in helpers.scan(client, index=index, query={"query": query}, _source=False)}
    return sorted(out)
