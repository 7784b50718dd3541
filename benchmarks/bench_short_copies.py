"""Short texts and their near copies (pipeline.neardup's ``x-`` and ``w-`` bands): precision, size and load time.

    .venv/bin/python benchmarks/bench_short_copies.py [--words 30] [--offsets 100] [--docs-file F.jsonl]
        [--load N] [--url URL]

Briefs: the fundus corpus (../shared/corpus/fundus, processed as in benchmarks/bench_load.py) cut into short texts:
each article's title with ``--words`` of its text's words, from each of its first ``--offsets`` word offsets (so
one article gives many briefs, each two word edits or more from the others: a window moved by one word has lost a
word at its start and gained one at its end). Counted, without an index:

- false joins: pairs of briefs sharing a band, of two articles and of one article (there should be none; two
  briefs of the same words, where an article says a passage twice, are counted apart);
- one-edit copies of each article's first brief (a word changed at a random place, a word added, a word dropped,
  the first word changed as a dateline would be, a title word changed): how many share a band with their brief
  (all should) and with another article's brief (none should);
- two-edit copies (two words changed; one changed and one added; one dropped here and one added there): how many
  share a band with their brief (none should);
- the first briefs of more than ``SHORT_MAX_WORDS`` title and text words (the exact band only: no one-edit copy
  of them is joined);
- the bands a brief has, the JSON bytes of its ``minhash_bands`` (a long text's 32 bands for comparison), and the
  time to compute them, with and without the one-edit bands (``SHORT_MAX_WORDS`` 0: the exact band only, as the
  loader before version 9).

``--load N``: N briefs (windows of the articles half a brief apart; every tenth document instead a one-edit copy
of the brief before it) loaded into a fresh index with the marking on, once with the one-edit bands and once
without, on --url, $NEWSETL_ES_URL, or a node started for the run; prints documents/s, the marking's time, the
documents marked (with the one-edit bands: the N / 10 copies, no more, but those of a brief past
``SHORT_MAX_WORDS``), and the disk size of ``minhash_bands``
(the index's ``_disk_usage``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import node_for, processed_fundus, stop_node  # noqa: E402
from pipeline import neardup  # noqa: E402
from pipeline.neardup import _WORD, _words, text_bands  # noqa: E402


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
    return " ".join(t), " ".join(w)


def _filler(arts: list[dict]) -> list[str]:
    """Words of Latin letters from the titles, to make new words of."""
    return sorted({w for d in arts for w in _WORD.findall(d["title"]) if w.isascii() and w.isalpha()})


ONE_EDIT = ("changed", "added", "dropped", "dateline", "title word")
TWO_EDITS = ("two changed", "changed and added", "dropped and added")


def _brief_words(title: str, text: str) -> list[str]:
    return [*_words(title), "|", *_words(text)]


def measure(docs: list[dict], words: int, offsets: int) -> dict:
    rnd = random.Random(7)
    arts = articles(docs)
    filler = _filler(arts)
    holders: dict[str, set] = defaultdict(set)
    briefs: dict[tuple, tuple[str, str]] = {}
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
            n_bands.append(len(bands))
            sizes.append(len(json.dumps(bands)))
            for band in bands:
                holders[band].add((a, off))
    pairs = {tuple(sorted(p)) for ids in holders.values() if len(ids) > 1
             for p in ((x, y) for x in ids for y in ids if x < y)}
    # two briefs of the same words: an article saying a passage twice
    same_words = {p for p in pairs if _brief_words(*briefs[p[0]]) == _brief_words(*briefs[p[1]])}
    false_other = sum(1 for x, y in pairs - same_words if x[0] != y[0])
    false_same = sum(1 for x, y in pairs - same_words if x[0] == y[0])
    out = {"articles": len(arts), "briefs": len(briefs), "words": words,
           "bands_mean": round(sum(n_bands) / len(n_bands), 1), "bands_max": max(n_bands),
           "json_bytes_mean": round(sum(sizes) / len(sizes)), "json_bytes_long_text": len(json.dumps(
               text_bands(max(arts, key=lambda d: len(d["text"]))["text"]))),
           "false_joins_two_articles": false_other, "false_joins_one_article": false_same,
           "joins_of_the_same_words": len(same_words)}
    firsts = {a: b for (a, off), b in briefs.items() if off == 0}
    out["first_briefs_over_short_max_words"] = sum(1 for b in firsts.values() if len(_brief_words(*b)) - 1 >
                                                   neardup.SHORT_MAX_WORDS)
    for kind in ONE_EDIT + TWO_EDITS:
        joined = wrong = 0
        for a, (title, text) in firsts.items():
            t, x = edited(title, text, kind, rnd, filler)
            others = {i for band in text_bands(x, t) for i in holders.get(band, ())}
            joined += (a, 0) in others
            wrong += any(i[0] != a for i in others)
        out[kind] = {"copies": len(firsts), "joined_to_their_brief": joined, "joined_to_another_article": wrong}
    # time to compute a brief's bands, with and without the one-edit bands
    sample = list(briefs.values())[:5000]
    for label, cap in (("ms_with_one_edit_bands", neardup.SHORT_MAX_WORDS), ("ms_exact_band_only", 0)):
        kept, neardup.SHORT_MAX_WORDS = neardup.SHORT_MAX_WORDS, cap
        try:
            t0 = time.perf_counter()
            for title, text in sample:
                text_bands(text, title)
            out[label] = round((time.perf_counter() - t0) / len(sample) * 1000, 3)
        finally:
            neardup.SHORT_MAX_WORDS = kept
    return out


def brief_docs(docs: list[dict], n: int, words: int) -> list[dict]:
    """``n`` brief documents: windows of the articles, every tenth a one-edit copy of the brief before it."""
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
            if len(out_docs) % 10 == 9:         # every tenth a one-edit copy of the brief before it
                prev = out_docs[-1]
                title, text = edited(prev["title"], prev["text"], rnd.choice(ONE_EDIT), rnd, filler)
            url_ = f"{d['canonical_url']}#brief-{len(out_docs)}"
            out_docs.append({**d, "title": title, "text": text, "url": url_, "canonical_url": url_,
                             "id": hashlib.sha256(url_.encode()).hexdigest(),
                             "content_hash": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
                             "word_count": len(text.split())})
    return out_docs


def load_briefs(docs: list[dict], n: int, words: int, url: str | None) -> list[dict]:
    """``n`` brief documents (``brief_docs``) loaded with and without the one-edit bands; a row per load."""
    from pipeline.admin import ensure_index
    from pipeline.es import client_from_settings
    from pipeline.load import bulk_load
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    out_docs = brief_docs(docs, n, words)
    # the copies the one-edit bands cannot join: of a brief past SHORT_MAX_WORDS (a long headline)
    over = sum(1 for i, d in enumerate(out_docs) if i % 10 == 9 and len(_brief_words(
        out_docs[i - 1]["title"], out_docs[i - 1]["text"])) - 1 > neardup.SHORT_MAX_WORDS)
    url, state = node_for(url)
    rows = []
    try:
        for label, cap in (("one-edit bands", neardup.SHORT_MAX_WORDS), ("exact band only", 0)):
            kept, neardup.SHORT_MAX_WORDS = neardup.SHORT_MAX_WORDS, cap
            name = f"bench-{uuid.uuid4().hex[:8]}-news"
            settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {
                "name": name, "people_labels": False, "load": {"near_duplicates": True}}})
            client = client_from_settings(settings)
            try:
                ensure_index(client, settings)
                with tempfile.TemporaryDirectory() as tmp:
                    r = bulk_load(client, out_docs, settings, storage=Storage(tmp), run_id="bench")
                write = settings.index.write_alias_name
                client.indices.forcemerge(index=write, max_num_segments=1)
                usage = client.perform_request("POST", f"/{write}/_disk_usage",
                                               params={"run_expensive_tasks": "true"},
                                               headers={"accept": "application/json"}).body
                (stats,) = [v for k, v in usage.items() if not k.startswith("_")]
                field = stats["fields"].get("minhash_bands", {})
                rows.append({"bands": label, "docs": len(out_docs), "created": r.created, "failed": r.failed,
                             "one_edit_copies": len(out_docs) // 10,
                             "of_briefs_over_short_max_words": over, "marked": r.marked, "seconds": r.seconds,
                             "marking_seconds": r.marking_seconds,
                             "docs_per_s": round(r.created / r.seconds, 1), "mb_sent": round(r.bytes / 1e6, 2),
                             "minhash_bands_disk_mb": round(field.get("total_in_bytes", 0) / 1e6, 2)})
                print(json.dumps(rows[-1]), file=sys.stderr)
            finally:
                neardup.SHORT_MAX_WORDS = kept
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
    ap.add_argument("--load", type=int, default=0, help="briefs to load into an index, with and without")
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
