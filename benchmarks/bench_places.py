"""The places tables at each floor of GeoNames cities (``index.places.min_city_population``): what they find, what
they cost.

    .venv/bin/python benchmarks/bench_places.py [--floors 15000,5000,1000,500] [--docs-file F.jsonl] [--new]

For each floor, in a fresh process with an empty cache folder (so the tables are built, as on a new machine, and
nothing else is in memory): the time to build the tables and that process's peak memory (RSS), the cache file's
size; then in a second process, as a loader reads them, the time to read the cache and the memory (RSS) the tables
hold, the time ``place_facets`` and ``place_points`` take a document (the loader's share), and the coverage:

- fundus: the location entities of the fundus corpus (../shared/corpus/fundus) as the real processing stage finds
  them (benchmarks/bench_load.py: ``processed_fundus``; ``--docs-file`` reads or writes them as JSONL): how many
  (document, location) mentions and distinct names get a place, the (document, place) pairs, and the documents
  with a point on the map;
- gold: the hand-annotated location entities of benchmarks/ner_gold_*.json, each page's list as a document's.

``--new`` lists, for each lower floor, the names that get a place there and not at the first floor, with the
place, its country and how many documents name it: the ones to read for precision.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def gold_pages() -> list[list[str]]:
    """The location lists of the hand-annotated pages, one per page."""
    out = []
    for path in sorted((REPO / "benchmarks").glob("ner_gold_*.json")):
        for page in json.loads(path.read_text(encoding="utf-8"))["pages"].values():
            if page.get("location"):
                out.append(page["location"])
    return out


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def coverage(pages: list[list[str]], floor: int) -> dict:
    """Mentions and distinct names with a place, (page, place) pairs, and what each name became."""
    from pipeline.places import place_facets, place_hits, place_points

    mentions = found = pairs = with_point = 0
    names: dict[str, list] = {}
    for locations in pages:
        hits = place_hits(locations, floor)
        mentions += len(locations)
        found += sum(hit is not None for hit in hits)
        places = place_facets(locations, floor)[0]
        pairs += len(places)
        with_point += bool(place_points(places, floor))
        for name, hit in zip(locations, hits):
            entry = names.setdefault(name, [list(hit) if hit else None, 0])
            entry[1] += 1
    return {"pages": len(pages), "mentions": mentions, "found": found, "distinct": len(names),
            "distinct_found": sum(1 for hit, _ in names.values() if hit), "pairs": pairs, "with_point": with_point,
            "names": names}


def build(floor: int) -> dict:
    """Build one floor's tables in this (fresh) process; the cache folder is empty, and written here."""
    from pipeline import places

    start = time.perf_counter()
    places._tables(floor)
    built = time.perf_counter() - start
    return {"build_s": built, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "cache_mb": places._cache_file(floor).stat().st_size / 2**20}


def child(floor: int, docs_file: str) -> dict:
    """One floor, measured in a fresh process that reads the tables ``build`` kept, as a loader does."""
    from pipeline import places

    before = _rss_mb()
    start = time.perf_counter()
    index = places._tables(floor)[0]
    read = time.perf_counter() - start
    resident = _rss_mb() - before
    docs = [json.loads(line) for line in open(docs_file, encoding="utf-8") if line.strip()]
    fundus = [(d.get("entities") or {}).get("location") or [] for d in docs]
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for locations in fundus:
            places.place_points(places.place_facets(locations, floor)[0], floor)
    per_doc = (time.perf_counter() - start) / (rounds * len(fundus))
    return {"floor": floor, "rss_mb": resident, "read_s": read, "names": len(index),
            "points": len(places._points(floor)),
            "per_doc_us": per_doc * 1e6, "fundus": coverage(fundus, floor), "gold": coverage(gold_pages(), floor)}


def run_floor(floor: int, docs_file: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsetl-bench-places-") as cache:
        row = {}
        for step in ("--build", "--child"):
            out = subprocess.run([sys.executable, __file__, step, str(floor), "--docs-file", docs_file],
                                 env={**os.environ, "NEWSETL_CACHE_DIR": cache}, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"floor {floor} failed:\n{out.stderr}")
            row.update(json.loads(out.stdout.splitlines()[-1]))
        return row


def new_names(base: dict, other: dict) -> list[tuple[str, list, int]]:
    """The names that have a place at ``other``'s floor and none (or another) at ``base``'s, most named first."""
    out = []
    for name, (hit, count) in other["names"].items():
        if hit and base["names"][name][0] != hit:
            out.append((name, hit, count))
    return sorted(out, key=lambda row: (-row[2], row[0]))


def lost_names(base: dict, other: dict) -> list[tuple[str, list, int]]:
    """The names that had a place at ``base``'s floor and have none at ``other``'s (a smaller town in the way)."""
    return sorted(((name, hit, count) for name, (hit, count) in base["names"].items()
                   if hit and not other["names"][name][0]), key=lambda row: (-row[2], row[0]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--floors", default="15000,5000,1000,500", help="the floors to measure, the first the base")
    ap.add_argument("--docs-file", default="/tmp/bench-docs.jsonl", help="the processed fundus corpus as JSONL "
                    "(written by processing the corpus when it does not exist)")
    ap.add_argument("--new", action="store_true", help="list the names each lower floor adds")
    ap.add_argument("--build", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        print(json.dumps(build(args.build)))
        return 0
    if args.child:
        print(json.dumps(child(args.child, args.docs_file), ensure_ascii=False))
        return 0
    if not os.path.exists(args.docs_file):
        from benchmarks.bench_load import processed_fundus

        processed_fundus(args.docs_file)
    rows = [run_floor(int(floor), args.docs_file) for floor in args.floors.split(",")]
    print(f"{'floor':>6} {'build s':>8} {'peak MB':>8} {'tables MB':>10} {'cache MB':>9} {'read s':>7} {'names':>8} "
          f"{'points':>7} {'µs/doc':>7}")
    for r in rows:
        print(f"{r['floor']:>6} {r['build_s']:>8.1f} {r['peak_mb']:>8.0f} {r['rss_mb']:>10.0f} {r['cache_mb']:>9.1f} "
              f"{r['read_s']:>7.2f} {r['names']:>8} {r['points']:>7} {r['per_doc_us']:>7.1f}")
    for corpus in ("fundus", "gold"):
        first = rows[0][corpus]
        print(f"\n{corpus}: {first['pages']} pages, {first['mentions']} location mentions, {first['distinct']} "
              f"distinct names")
        print(f"{'floor':>6} {'mentions placed':>16} {'names placed':>13} {'(page, place)':>14} {'pages w/ point':>15}")
        for r in rows:
            c = r[corpus]
            print(f"{r['floor']:>6} {c['found']:>16} {c['distinct_found']:>13} {c['pairs']:>14} {c['with_point']:>15}")
        if args.new:
            for r in rows[1:]:
                added = new_names(first, r[corpus])
                print(f"  new at {r['floor']} ({len(added)} names, {sum(n for *_, n in added)} mentions):")
                for name, hit, count in added:
                    print(f"    {count:>3}  {name!r} → {hit[0]} ({hit[1]})")
                lost = lost_names(first, r[corpus])
                print(f"  lost at {r['floor']} ({len(lost)} names):")
                for name, hit, count in lost:
                    print(f"    {count:>3}  {name!r} was {hit[0]} ({hit[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
