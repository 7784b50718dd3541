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
again and again has too few). Its words are the title's, an end-of-title mark, and the text's, in order
(``_sequence``): its ``x-`` band is a hash of that sequence, and its ``v-`` bands (``_segment_bands``) find the
texts at most ``EDITS`` (2) word edits from it (a word changed, added or dropped, twice). Cut a sequence of n words
into three parts by position (``_bounds``): two edits leave one part whole, and it is found in the other sequence
moved by d words, |d| + |m - n - d| <= 2 for the other's length m (each edit moves what follows it by one word at
most). So a text's ``v-`` bands are hashes of its parts for each length m within two of its own (the part number
and m in the hash) and of its words at each place such a part can have moved to: 31 at most, whatever the length;
the part of one text, for its own length, is always among the other's. A shared ``v-`` band says only that one
part is alike (a headline and a few words), so the marking reads both texts then and joins them when they are two
edits apart or fewer (``within_edits``, on the title and text in the index): no text further apart, by
construction. An ``x-`` band (no edit) joins without reading, and so does a ``w-`` band, the one-edit bands of a
document loaded by loader 9 (each a hash of the words with one blanked or one blank put in) until a migrate
recomputes them. So one shared band is all the marking asks of a short text (``_bands_needed``), and a short text
joins its copies two words apart or fewer (a corrected figure, another dateline of one or two words, "said" for
"says", a word more in the headline, a word moved from the headline into the text) and no other text. A long text
has only numbered bands, so it never meets a short one. Three edits or more are no copy (a group can still join two
texts through a third two edits from each; a ticker's template that differs by two figures is two edits, as two
corrected figures are). In Chinese and Japanese a "word" is a character, so an edit is one character. A text of
more than ``SHORT_MAX_WORDS`` title and text words (a long headline with a short text, or a long text saying few
things many times) gets its ``x-`` band only, as before. The marking asks ``_TERMS_ASKED`` bands a query, each
document's in one query (``_parts``). Measured on the fundus corpus cut into briefs
(``benchmarks/bench_short_copies.py``, docs/index.md): no two briefs more than two edits apart are joined, and
every copy one or two edits from a brief within the bound is.
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
SHORT_MAX_WORDS = 80     # and the most title and text words it may have for its two-edit bands (31 at most)
EDITS = 2                # the word edits two short texts may be apart to be copies
_TITLE_END = "\x1e"      # between the title's words and the text's (never a word: _WORD finds none)
_SURE = ("x-", "w-")     # a short text's bands that join without reading the texts (w-: loader 9's one-edit bands)
_SEQUENCES_KEPT = 100_000
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
    ``SHORT_MAX_WORDS`` words or fewer, its two-edit bands (``_segment_bands``)."""
    if len(set(words)) < SHORT_MIN_WORDS:
        return []
    heading = _words(title)
    sequence = [*heading, _TITLE_END, *words]
    bands = ["x-" + _sequence_hash(sequence)]
    if len(heading) + len(words) <= SHORT_MAX_WORDS:
        bands += _segment_bands(sequence)
    return bands


def _sequence(title: str | None, text: str | None) -> list[str]:
    """The words a short text's bands are made of: the title's, the end of the title, the text's."""
    return [*_words(title), _TITLE_END, *_words(text)]


def _bounds(length: int) -> list[int]:
    """Where the ``EDITS + 1`` parts of a sequence of ``length`` words begin, and where the last ends."""
    return [length * i // (EDITS + 1) for i in range(EDITS + 2)]


def _segment_bands(sequence: list[str]) -> list[str]:
    """The ``v-`` bands of a sequence of n words: for each length m of another sequence that can be ``EDITS`` edits
    from it (n - 2 to n + 2), for each of the three parts of m words (``_bounds``), the words of this sequence where
    that part can be after the edits, moved by d (|d| words added or dropped before it, |n - m - d| after: 2 at
    most together), each hashed with m and the part's number. A sequence within two edits of this one has one part
    no edit touched (two edits touch two parts at most), and that part's band, for its own length and d = 0, is
    among these: so the two share a band. Each band once, in the order made."""
    n = len(sequence)
    bands: dict[str, None] = {}
    for m in range(max(1, n - EDITS), n + EDITS + 1):
        bounds = _bounds(m)
        for part in range(EDITS + 1):
            start, end = bounds[part], bounds[part + 1]
            for d in range(-EDITS, EDITS + 1):
                if start < end and abs(d) + abs(n - m - d) <= EDITS and start + d >= 0 and end + d <= n:
                    bands["v-" + _sequence_hash([str(m), str(part), *sequence[start + d:end + d]])] = None
    return list(bands)


def within_edits(a: list[str], b: list[str], edits: int = EDITS) -> bool:
    """Whether the word sequences ``a`` and ``b`` are ``edits`` word edits apart or fewer (a word changed, added or
    dropped: the Levenshtein distance over words). The words both begin and end with are left aside first; the
    distances are then computed on the diagonals within ``edits`` of the middle only, and the answer is no as soon
    as a row has none within ``edits``: a few microseconds for two different briefs."""
    if abs(len(a) - len(b)) > edits:
        return False
    start, end_a, end_b = 0, len(a), len(b)
    while start < min(end_a, end_b) and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        return max(len(a), len(b)) <= edits
    over = edits + 1
    previous = [j if j <= edits else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        row = [over] * (len(b) + 1)
        row[0] = i if i <= edits else over
        for j in range(max(1, i - edits), min(len(b), i + edits) + 1):
            row[j] = min(previous[j - 1] + (a[i - 1] != b[j - 1]), previous[j] + 1, row[j - 1] + 1, over)
        if min(row) > edits:
            return False
        previous = row
    return previous[-1] <= edits


def _sequence_hash(sequence: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(sequence).encode(), digest_size=8).hexdigest()


def _bands_needed(bands: list[str], min_bands: int) -> int:
    """How many bands a document must share with another to be marked alike: ``min_bands`` of a long text's
    MinHash bands (fewer when it has fewer), one of a short text's (``x-``, ``v-``, loader 9's ``w-``: only another
    short text has them; a ``v-`` one only, and the two texts are read to tell: ``_alike``)."""
    if any(band.startswith(("x-", "v-", "w-")) for band in bands):
        return 1
    return min(min_bands, len(bands))


def _alike(doc_id: str, bands: list[str], holders: dict[str, list[str]], min_bands: int
           ) -> tuple[list[str], list[str]]:
    """The documents sharing enough bands with ``doc_id`` (``_bands_needed``): those alike, and those of a short
    text sharing ``v-`` bands only, whose texts must be read to tell (``_verified``)."""
    shared = Counter(other for band in bands for other in holders.get(band, ()))
    needed = _bands_needed(bands, min_bands)
    alike = [other for other, n in shared.items() if n >= needed and other != doc_id]
    if not alike or not any(band.startswith("v-") for band in bands):
        return alike, []
    sure = {other for band in bands if band.startswith(_SURE) for other in holders.get(band, ())}
    return [other for other in alike if other in sure], [other for other in alike if other not in sure]


def _verified(client: Elasticsearch, index: str, pairs: list[tuple[str, str]],
              sequences: dict[str, list[str] | None]) -> list[tuple[str, str]]:
    """Of ``pairs`` of short texts sharing a ``v-`` band, those ``EDITS`` word edits apart or fewer
    (``within_edits``), their titles and texts read from the index (those not in ``sequences`` yet, kept there; a
    document gone since: ``None``, alike none)."""
    wanted = sorted({doc_id for pair in pairs for doc_id in pair} - set(sequences))
    for start in range(0, len(wanted), 1000):
        for d in client.mget(index=index, ids=wanted[start:start + 1000], source_includes=["title", "text"])["docs"]:
            src = d.get("_source") or {}
            sequences[d["_id"]] = _sequence(src.get("title"), src.get("text")) if d.get("found") else None
    return [(a, b) for a, b in pairs if sequences.get(a) is not None and sequences.get(b) is not None
            and within_edits(sequences[a], sequences[b])]


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
    read a big group once for each of its members). Two short texts sharing ``v-`` bands only are read (their titles
    and texts, once a marking) and joined when two word edits apart or fewer (``_verified``).
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
    sequences: dict[str, list[str] | None] = {}    # the words of the short texts read to tell (_verified)
    for start in range(0, len(ordered), chunk):
        docs = client.mget(index=index, ids=ordered[start:start + chunk], source_includes=["minhash_bands"])["docs"]
        bands = {d["_id"]: d["_source"]["minhash_bands"] for d in docs
                 if d.get("found") and (d.get("_source") or {}).get("minhash_bands")}
        if len(asked) > _BANDS_KEPT:
            asked, holders, found = set(), {}, {}
        if len(sequences) > _SEQUENCES_KEPT:
            sequences = {}
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
        chunk_pairs, to_read = [], []
        for doc_id, doc_bands in bands.items():
            alike, unsure = _alike(doc_id, doc_bands, holders, min_bands)
            chunk_pairs += [(doc_id, other) for other in alike]
            to_read += [(doc_id, other) for other in unsure]
        for doc_id, other in chunk_pairs + _verified(client, index, to_read, sequences):
            members[doc_id], members[other] = found[doc_id], found[other]
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
    """The bands of a chunk's documents not in ``asked``, in parts of ``_TERMS_ASKED`` bands at most (a short text
    has up to 32 bands), each document's in one part: the index then returns a document of the chunk once, not
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
