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
place, its country and how many documents name it: the ones to read for precision. Each lower floor is counted
twice: as the loader places (a town under 15,000 people only beside its country, ``places.SMALL_TOWN_NEEDS_COUNTRY``)
and without that rule ("no rule"); ``--new`` lists the towns the rule leaves out too. ``--counties`` lists the
mentions that are US counties ("Cook County (US-IL)"), at the first floor.
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


def coverage(pages: list[list[str]], floor: int, rule: bool = True) -> dict:
    """Mentions and distinct names with a place, (page, place) pairs, what each name became, and the mentions that
    are US counties. ``rule``: a town under 15,000 people only beside its country (``towns_need_country``)."""
    from pipeline.places import _counties, place_facets, place_hits, place_points

    county_names = {name for name, _ in _counties(floor).values()}
    mentions = found = pairs = with_point = 0
    names: dict[str, list] = {}
    counties: list[list] = []
    every: list[list] = []
    for number, locations in enumerate(pages):
        hits = place_hits(locations, floor, towns_need_country=rule)
        mentions += len(locations)
        found += sum(hit is not None for hit in hits)
        counties += [[number, name, hit[0]] for name, hit in zip(locations, hits)
                     if hit and hit[0].split(" (US-")[0] in county_names]
        every += [[number, name, hit] for name, hit in zip(locations, hits)]
        places = place_facets(locations, floor, towns_need_country=rule)[0]
        pairs += len(places)
        with_point += bool(place_points(places, floor))
        for name, hit in zip(locations, hits):
            entry = names.setdefault(name, [list(hit) if hit else None, 0])
            entry[1] += 1
    return {"pages": len(pages), "mentions": mentions, "found": found, "distinct": len(names),
            "distinct_found": sum(1 for hit, _ in names.values() if hit), "pairs": pairs, "with_point": with_point,
            "names": names, "counties": counties, "hits": every}


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
    row = {"floor": floor, "rss_mb": resident, "read_s": read, "names": len(index),
           "points": len(places._points(floor)), "counties": len(places._counties(floor)),
           "per_doc_us": per_doc * 1e6, "fundus": coverage(fundus, floor), "gold": coverage(gold_pages(), floor)}
    if floor < places.CITY_MIN_POPULATION:      # the same floor without the rule for towns
        row.update({"fundus_all": coverage(fundus, floor, rule=False), "gold_all": coverage(gold_pages(), floor,
                                                                                           rule=False)})
    return row


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


def dropped_names(every: dict, kept: dict) -> list[tuple[str, list, int]]:
    """The mentions a floor places without the rule for towns (``every``) and leaves out with it (``kept``): (page
    and name, the place it was, 1), in page order."""
    return [(f"page {a[0]}: {a[1]}", a[2], 1) for a, b in zip(every["hits"], kept["hits"]) if a[2] and a[2] != b[2]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--floors", default="15000,5000,1000,500", help="the floors to measure, the first the base")
    ap.add_argument("--docs-file", default="/tmp/bench-docs.jsonl", help="the processed fundus corpus as JSONL "
                    "(written by processing the corpus when it does not exist)")
    ap.add_argument("--new", action="store_true", help="list the names each lower floor adds, and the towns "
                    "the rule leaves out")
    ap.add_argument("--counties", action="store_true", help="list the mentions that are US counties")
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
          f"{'points':>7} {'counties':>9} {'µs/doc':>7}")
    for r in rows:
        print(f"{r['floor']:>6} {r['build_s']:>8.1f} {r['peak_mb']:>8.0f} {r['rss_mb']:>10.0f} {r['cache_mb']:>9.1f} "
              f"{r['read_s']:>7.2f} {r['names']:>8} {r['points']:>7} {r['counties']:>9} {r['per_doc_us']:>7.1f}")
    for corpus in ("fundus", "gold"):
        first = rows[0][corpus]
        print(f"\n{corpus}: {first['pages']} pages, {first['mentions']} location mentions, {first['distinct']} "
              f"distinct names")
        print(f"{'floor':>14} {'mentions placed':>16} {'names placed':>13} {'(page, place)':>14} "
              f"{'pages w/ point':>15} {'counties':>9}")
        for r in rows:
            for key, label in ((corpus, str(r["floor"])), (f"{corpus}_all", f"{r['floor']} no rule")):
                if (c := r.get(key)):
                    print(f"{label:>14} {c['found']:>16} {c['distinct_found']:>13} {c['pairs']:>14} "
                          f"{c['with_point']:>15} {len(c['counties']):>9}")
        if args.counties:
            print(f"  counties at {rows[0]['floor']} ({len(first['counties'])} mentions):")
            for number, name, place in first["counties"]:
                print(f"    page {number:>4}  {name!r} → {place}")
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
                if (every := r.get(f"{corpus}_all")):
                    dropped = dropped_names(every, r[corpus])
                    print(f"  left out at {r['floor']} by the rule for towns ({len(dropped)} mentions; "
                          f"without the rule {len(new_names(first, every))} names are new):")
                    for name, hit, _ in dropped:
                        print(f"    {name} → {hit[0]} ({hit[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
