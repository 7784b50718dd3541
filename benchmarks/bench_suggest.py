"""What a suggestion costs (pipeline.suggest: GET /suggest, newsetl suggest), beside a search with its facets, in one
run of this script against one node:

    .venv/bin/python benchmarks/bench_suggest.py [--docs 20000] [--extra-names 0] [--docs-file F.jsonl] [--url URL]
                                                 [--cyrillic]

Documents: the processed fundus corpus copied to --docs documents (benchmarks/bench_load.py: ``processed_fundus``,
``expand``; the copies keep their names, so the fields have the corpus's distinct values). Typed texts: the first 1,
2 and 3 letters of the most frequent words of each field's values (20 each). For each field: the median and the
95th percentile of ``suggest`` over them, and of ``search("", facets=True)`` (ten facets over every document) for
scale, and the number of distinct values the expression is tested against. ``--extra-names N`` gives each document
five more people, made-up names out of N distinct ones, to see the cost grow with the field's distinct values.
``--cyrillic`` times the same starts typed in Cyrillic too (``in_cyrillic``), whose expressions hold each letter's
English, German and French spellings: ``cyrillic_median_ms`` and ``cyrillic_p95_ms``. Elasticsearch: --url, else
$NEWSETL_ES_URL, else a node started with tools/elasticsearch-local/es-local on a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import expand, loaded_index, processed_fundus  # noqa: E402


_SYLLABLES = ["ka", "lo", "mi", "ter", "san", "dro", "vel", "ni", "bor", "est", "ul", "ra", "gen", "ho", "pi", "zu"]


def made_up_name(j: int) -> str:
    """A first name and a surname out of syllables, one for each ``j`` (16 ** 6 of them)."""
    digits = [(j >> (4 * k)) & 15 for k in range(6)]
    first = "".join(_SYLLABLES[d] for d in digits[:2]).capitalize()
    return f"{first} {''.join(_SYLLABLES[d] for d in digits[2:]).capitalize()}"


def in_cyrillic(word: str) -> str:
    """A Latin word's letters in Cyrillic, one by one, the first Russian letter English writes so ("put" → "пут");
    letters no Russian one is written as alone ("c", "h", "w", "x") stay."""
    from pipeline.namekeys import _CYRILLIC

    back: dict[str, str] = {}
    for cyrillic, latin in _CYRILLIC.items():
        if len(latin) == 1 and "а" <= cyrillic <= "я":
            back.setdefault(latin, cyrillic)
    return "".join(back.get(c, c) for c in word)


def timed(fn, n: int = 1) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def median_p95(ms: list[float]) -> dict:
    """The median and the 95th percentile of timings in milliseconds, rounded to 0.1."""
    return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(sorted(ms)[int(0.95 * (len(ms) - 1))], 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--docs-file")
    ap.add_argument("--url")
    ap.add_argument("--extra-names", type=int, default=0)
    ap.add_argument("--cyrillic", action="store_true", help="time the starts typed in Cyrillic too")
    args = ap.parse_args()

    from pipeline.search import search
    from pipeline.suggest import FIELDS, suggest

    base = processed_fundus(args.docs_file)
    pool = expand(base, args.docs)
    if args.extra_names:
        for i, d in enumerate(pool):
            made = [made_up_name((i * 5 + k) % args.extra_names) for k in range(5)]
            d["entities"] = {**d["entities"], "person": [*d["entities"]["person"], *made]}
    rows = []
    with loaded_index(pool, args.url) as (settings, client):
        name = settings.index.name
        facets = timed(lambda: search(client, settings, "", facets=True, size=10), 20)
        for field in ("people", "organization", "places", "tags", "authors"):
            f = FIELDS[field]
            values = [h["key"] for h in client.search(index=name, size=0, aggs={"v": {"terms": {
                "field": f, "size": 5000}}})["aggregations"]["v"]["buckets"]]
            distinct = client.search(index=name, size=0, aggs={"c": {"cardinality": {"field": f}}})[
                "aggregations"]["c"]["value"]
            words = [w for w, _ in Counter(w.lower() for v in values for w in v.split() if w[:1].isalpha())
                     .most_common(20)]
            typed = [w[:k] for w in words for k in (1, 2, 3)]
            ms = [timed(lambda t=t: suggest(client, settings, t, field=field))[0] for t in typed]
            rows.append({"field": field, "distinct_values": distinct, "typed": len(typed),
                         **{f"suggest_{k}": v for k, v in median_p95(ms).items()}})
            if args.cyrillic:
                ms = [timed(lambda t=t: suggest(client, settings, in_cyrillic(t), field=field))[0] for t in typed]
                rows[-1].update({f"cyrillic_{k}": v for k, v in median_p95(ms).items()})
    print(json.dumps({"docs": args.docs, "extra_names": args.extra_names,
                      "search_with_facets_median_ms": round(statistics.median(facets), 1),
                      "rows": rows}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
