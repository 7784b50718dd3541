"""Short texts and their near copies (pipeline.neardup's ``x-`` and ``v-`` bands): precision, size and load time.

    .venv/bin/python benchmarks/bench_short_copies.py [--words 30] [--offsets 100] [--docs-file F.jsonl]
        [--load N] [--url URL]

Briefs: the fundus corpus (../shared/corpus/fundus, processed as in benchmarks/bench_load.py) cut into short texts:
each article's title with ``--words`` of its text's words, from each of its first ``--offsets`` word offsets (so
one article gives many briefs: a window moved by one word has lost a word at its start and gained one at its end,
two edits, so it is a copy; moved by two words or more, four edits or more, no copy). Two briefs are joined as the
marking joins them: a band in common and, unless it is the exact band, two word edits apart or fewer
(``neardup.within_edits``, what the marking reads in the index). Counted, without an index:

- the pairs of briefs sharing a band (the candidates the marking reads), and of those joined: two briefs of the
  same words (an article saying a passage twice), two briefs of one article two edits apart (a window moved by
  one word), and the false joins: of two articles, or of one article more than two edits apart by the plain edit
  distance (there should be none);
- one- and two-edit copies of each article's first brief (a word changed at a random place, a word added, a word
  dropped, the first word changed as a dateline would be, a title word changed; two words changed, one changed and
  one added, one dropped here and one added there, a dateline of two words for one): how many are joined to their
  brief (all should) and to another article's brief (none should);
- three-edit copies (three words changed; two changed and one added; a dateline of three words for one): how many
  are joined to their brief (none should);
- the first briefs of more than ``SHORT_MAX_WORDS`` title and text words (the exact band only: no copy of them but
  an exact one is joined);
- the bands a brief has, the JSON bytes of its ``minhash_bands`` (a long text's 32 bands for comparison), and the
  time to compute them: with the two-edit bands (loader 10), with loader 9's one-edit bands (``w-``: each word
  blanked, a blank put in before each word and at the end; rebuilt here, ``one_edit_bands``), and the exact band
  only (``SHORT_MAX_WORDS`` 0, as the loader before version 9).

``--load N``: N briefs (windows of the articles half a brief apart; every tenth document instead a one- or
two-edit copy of the brief before it) loaded into a fresh index with the marking on, once with each of the three
schemes, on --url, $NEWSETL_ES_URL, or a node started for the run; prints documents/s, the marking's time, the
documents marked (with the two-edit bands: the N / 10 copies, no more, but those of a brief past
``SHORT_MAX_WORDS``; with loader 9's: the one-edit copies only), and the disk size of ``minhash_bands`` (the index's
``_disk_usage``).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import node_for, processed_fundus, stop_node  # noqa: E402
from pipeline import neardup  # noqa: E402
from pipeline.neardup import _WORD, _sequence, _sequence_hash, text_bands, within_edits  # noqa: E402
# the plain word edit distance (every cell of the table), to check the joins ``within_edits`` allowed
from tests.test_neardup import _levenshtein as distance  # noqa: E402


def articles(docs: list[dict]) -> list[dict]:
    """One per id (the corpus's article crawled twice is one), those with a title and text."""
    by_id = {d["id"]: d for d in docs if d.get("text") and d.get("title")}
    return list(by_id.values())


def brief(doc: dict, offset: int, words: int) -> tuple[str, str] | None:
    """``(title, text)``: the title and ``words`` of the text's words from ``offset`` (None past the text's end)."""
    found = _WORD.findall(doc["text"])
    if offset + words > len(found):
        return None
    return doc["title"], " ".join(found[offset:offset + words])


def edited(title: str, text: str, kind: str, rnd: random.Random, filler: list[str]) -> tuple[str, str]:
    """A copy of a brief with one or two word edits of ``kind`` (its title and text re-spelt as their words)."""
    t, w = _WORD.findall(title), _WORD.findall(text)

    def new_word() -> str:
        return rnd.choice(filler) + "q"         # one word (Latin letters) no brief has at that place

    def change(seq, at=None):
        at = rnd.randrange(len(seq)) if at is None else at
        seq[at] = new_word()
        return at

    if kind == "changed":
        change(w)
    elif kind == "added":
        w.insert(rnd.randrange(len(w) + 1), new_word())
    elif kind == "dropped":
        del w[rnd.randrange(len(w))]
    elif kind == "dateline":
        change(w, 0)
    elif kind == "title word":
        change(t)
    elif kind == "two changed":
        at = change(w)
        change(w, rnd.choice([i for i in range(len(w)) if i != at]))
    elif kind == "changed and added":
        at = change(w)
        w.insert(rnd.choice([i for i in range(len(w) + 1) if i not in (at, at + 1)]), new_word())
    elif kind == "dropped and added":
        at = rnd.randrange(len(w))
        del w[at]
        w.insert(rnd.choice([i for i in range(len(w) + 1) if i != at]), new_word())
    elif kind == "two-word dateline":
        w[:1] = [new_word(), new_word()]
    elif kind == "three changed":
        for at in rnd.sample(range(len(w)), 3):
            change(w, at)
    elif kind == "two changed and added":
        first, second = rnd.sample(range(len(w)), 2)
        change(w, first)
        change(w, second)
        w.insert(rnd.choice([i for i in range(len(w) + 1) if i not in (first, first + 1, second, second + 1)]),
                 new_word())
    elif kind == "three-word dateline":
        w[:1] = [new_word(), new_word(), new_word()]
    return " ".join(t), " ".join(w)


def _filler(arts: list[dict]) -> list[str]:
    """Words of Latin letters from the titles, to make new words of."""
    return sorted({w for d in arts for w in _WORD.findall(d["title"]) if w.isascii() and w.isalpha()})


ONE_EDIT = ("changed", "added", "dropped", "dateline", "title word")
TWO_EDITS = ("two changed", "changed and added", "dropped and added", "two-word dateline")
THREE_EDITS = ("three changed", "two changed and added", "three-word dateline")


def _brief_words(title: str, text: str) -> list[str]:
    return _sequence(title, text)


def one_edit_bands(sequence: list[str]) -> list[str]:
    """Loader 9's one-edit bands of a short text (``w-``), rebuilt to measure them beside the two-edit ones: the
    words with each in turn blanked, then with a blank put in before each and at the end (the end of the title
    never blanked)."""
    blank = "\x1d"
    out = [[*sequence[:i], blank, *sequence[i + 1:]] for i, word in enumerate(sequence) if word != "\x1e"]
    out += [[*sequence[:i], blank, *sequence[i:]] for i in range(len(sequence) + 1)]
    return ["w-" + _sequence_hash(words) for words in out]


# the short-text schemes measured: (name, SHORT_MAX_WORDS, the bands of a sequence after its exact band)
SCHEMES = (("two-edit bands (loader 10)", neardup.SHORT_MAX_WORDS, neardup._segment_bands),
           ("one-edit bands (loader 9)", neardup.SHORT_MAX_WORDS, one_edit_bands),
           ("exact band only (loader 8)", 0, neardup._segment_bands))


@contextlib.contextmanager
def scheme(cap: int, bands: Callable[[list[str]], list[str]]) -> Iterator[None]:
    """Within it, text_bands (and so the loader) makes a short text's bands that way: up to ``cap`` words, ``bands``
    after its exact band."""
    kept = neardup.SHORT_MAX_WORDS, neardup._segment_bands
    neardup.SHORT_MAX_WORDS, neardup._segment_bands = cap, bands
    try:
        yield
    finally:
        neardup.SHORT_MAX_WORDS, neardup._segment_bands = kept


def joined(bands: list[str], words: list[str], other_bands: set[str], other_words: list[str]) -> bool:
    """Whether the marking joins two short texts: the exact band in common, or another band and two edits apart or
    fewer."""
    shared = set(bands) & other_bands
    return bool(shared) and (any(b.startswith("x-") for b in shared) or within_edits(words, other_words))


def measure(docs: list[dict], words: int, offsets: int) -> dict:
    rnd = random.Random(7)
    arts = articles(docs)
    filler = _filler(arts)
    holders: dict[str, set] = defaultdict(set)
    briefs: dict[tuple, tuple[str, str]] = {}
    words_of: dict[tuple, list[str]] = {}
    bands_of: dict[tuple, set[str]] = {}
    sizes, n_bands = [], []
    for a, d in enumerate(arts):
        for off in range(offsets):
            b = brief(d, off, words)
            if b is None:
                break
            bands = text_bands(b[1], b[0])
            if not bands:
                continue
            briefs[(a, off)] = b
            words_of[(a, off)], bands_of[(a, off)] = _brief_words(*b), set(bands)
            n_bands.append(len(bands))
            sizes.append(len(json.dumps(bands)))
            for band in bands:
                holders[band].add((a, off))
    pairs = {tuple(sorted(p)) for ids in holders.values() if len(ids) > 1
             for p in ((x, y) for x in ids for y in ids if x < y)}
    t0 = time.perf_counter()
    joins = {(x, y) for x, y in pairs if joined(bands_of[x], words_of[x], bands_of[y], words_of[y])}
    reading_ms = (time.perf_counter() - t0) * 1000
    # two briefs of the same words: an article saying a passage twice
    same_words = {p for p in joins if words_of[p[0]] == words_of[p[1]]}
    apart = {p: distance(words_of[p[0]], words_of[p[1]]) for p in joins - same_words}
    out = {"articles": len(arts), "briefs": len(briefs), "words": words,
           "bands_mean": round(sum(n_bands) / len(n_bands), 1), "bands_max": max(n_bands),
           "json_bytes_mean": round(sum(sizes) / len(sizes)), "json_bytes_long_text": len(json.dumps(
               text_bands(max(arts, key=lambda d: len(d["text"]))["text"]))),
           "pairs_sharing_a_band": len(pairs), "ms_to_tell_them": round(reading_ms),
           "joins_of_the_same_words": len(same_words),
           "joins_one_article_two_edits_apart": sum(1 for (x, y), n in apart.items() if x[0] == y[0] and n <= 2),
           "joins_one_article_offsets_one_apart": sum(1 for x, y in apart if x[0] == y[0] and abs(x[1] - y[1]) == 1),
           "false_joins_two_articles": sum(1 for x, y in apart if x[0] != y[0]),
           "false_joins_one_article": sum(1 for (x, y), n in apart.items() if x[0] == y[0] and n > 2)}
    firsts = {a: b for (a, off), b in briefs.items() if off == 0}
    out["first_briefs_over_short_max_words"] = sum(1 for b in firsts.values() if len(_brief_words(*b)) - 1 >
                                                   neardup.SHORT_MAX_WORDS)
    for kind in ONE_EDIT + TWO_EDITS + THREE_EDITS:
        to_brief = wrong = 0
        for a, (title, text) in firsts.items():
            t, x = edited(title, text, kind, rnd, filler)
            bands, seq = text_bands(x, t), _brief_words(t, x)
            others = {i for band in bands for i in holders.get(band, ())
                      if joined(bands, seq, bands_of[i], words_of[i])}
            to_brief += (a, 0) in others
            wrong += any(i[0] != a for i in others)
        out[kind] = {"copies": len(firsts), "joined_to_their_brief": to_brief, "joined_to_another_article": wrong}
    # time to compute a brief's bands, in each scheme, and their number
    sample = list(briefs.values())[:5000]
    for label, cap, make in SCHEMES:
        with scheme(cap, make):
            t0 = time.perf_counter()
            for title, text in sample:
                text_bands(text, title)
            out[f"ms_{label}"] = round((time.perf_counter() - t0) / len(sample) * 1000, 3)
            out[f"bands_mean_{label}"] = round(sum(len(text_bands(x, t)) for t, x in sample) / len(sample), 1)
    return out


def brief_docs(docs: list[dict], n: int, words: int) -> list[dict]:
    """``n`` brief documents: windows of the articles, every tenth a one- or two-edit copy of the brief before
    it."""
    rnd = random.Random(11)
    arts = articles(docs)
    filler = _filler(arts)
    out_docs = []
    for off in range(0, 10_000, words // 2):     # windows half a brief apart: many edits, no copies of each other
        for d in arts:
            if len(out_docs) >= n:
                break
            b = brief(d, off, words)
            if b is None:
                continue
            title, text = b
            if len(out_docs) % 10 == 9:         # every tenth a one- or two-edit copy of the brief before it
                prev = out_docs[-1]
                title, text = edited(prev["title"], prev["text"], rnd.choice(ONE_EDIT + TWO_EDITS), rnd, filler)
            url_ = f"{d['canonical_url']}#brief-{len(out_docs)}"
            out_docs.append({**d, "title": title, "text": text, "url": url_, "canonical_url": url_,
                             "id": hashlib.sha256(url_.encode()).hexdigest(),
                             "content_hash": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
                             "word_count": len(text.split())})
    return out_docs


def load_briefs(docs: list[dict], n: int, words: int, url: str | None) -> list[dict]:
    """``n`` brief documents (``brief_docs``) loaded in each scheme (``SCHEMES``); a row per load."""
    from pipeline.admin import ensure_index
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    out_docs = brief_docs(docs, n, words)
    # the copies no scheme joins (they have the exact band only): of a brief past SHORT_MAX_WORDS (a long
    # headline); and the copies one edit from their brief (loader 9's bands join these only)
    over = sum(1 for i, d in enumerate(out_docs) if i % 10 == 9 and len(_brief_words(
        out_docs[i - 1]["title"], out_docs[i - 1]["text"])) - 1 > neardup.SHORT_MAX_WORDS)
    one_edit = sum(1 for i, d in enumerate(out_docs) if i % 10 == 9 and within_edits(
        _brief_words(d["title"], d["text"]), _brief_words(out_docs[i - 1]["title"], out_docs[i - 1]["text"]), 1))
    url, state = node_for(url)
    rows = []
    try:
        for label, cap, make in SCHEMES:
            name = f"bench-{uuid.uuid4().hex[:8]}-news"
            settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {
                "name": name, "people_labels": False, "load": {"near_duplicates": True}}})
            client = client_from_settings(settings)
            try:
                ensure_index(client, settings)
                with tempfile.TemporaryDirectory() as tmp, scheme(cap, make):
                    r = bulk_load(client, out_docs, settings, storage=Storage(tmp), run_id="bench")
                write = settings.index.write_alias_name
                client.indices.forcemerge(index=write, max_num_segments=1)
                usage = client.perform_request("POST", f"/{write}/_disk_usage",
                                               params={"run_expensive_tasks": "true"},
                                               headers={"accept": "application/json"}).body
                (stats,) = [v for k, v in usage.items() if not k.startswith("_")]
                field = stats["fields"].get("minhash_bands", {})
                rows.append({"bands": label, "docs": len(out_docs), "created": r.created, "failed": r.failed,
                             "copies": len(out_docs) // 10, "of_them_one_edit": one_edit,
                             "of_briefs_over_short_max_words": over, "marked": r.marked, "seconds": r.seconds,
                             "marking_seconds": r.marking_seconds,
                             "docs_per_s": round(r.created / r.seconds, 1), "mb_sent": round(r.bytes / 1e6, 2),
                             "minhash_bands_disk_mb": round(field.get("total_in_bytes", 0) / 1e6, 2)})
                print(json.dumps(rows[-1]), file=sys.stderr)
            finally:
                client.indices.delete(index=",".join(client.indices.get(index=f"{name}-v*")))
                client.indices.delete_index_template(name=name)
                for ct in ("settings", "mappings"):
                    client.cluster.delete_component_template(name=f"{name}-{ct}")
                client.close()
    finally:
        stop_node(state)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=30, help="text words of a brief (a short text: under 43)")
    ap.add_argument("--offsets", type=int, default=100, help="briefs an article gives at most (one per offset)")
    ap.add_argument("--docs-file", help="the processed corpus as JSONL (written the first time)")
    ap.add_argument("--load", type=int, default=0, help="briefs to load into an index, in each scheme")
    ap.add_argument("--url")
    args = ap.parse_args()
    if not 0 < args.words < neardup.MIN_SHINGLES + neardup.SHINGLE_WORDS - 1:
        ap.error(f"--words {args.words}: a short text has 1 to {neardup.MIN_SHINGLES + neardup.SHINGLE_WORDS - 2} "
                 f"words; give fewer")
    docs = processed_fundus(args.docs_file)
    result = measure(docs, args.words, args.offsets)
    if args.load:
        result["loads"] = load_briefs(docs, args.load, args.words, args.url)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
