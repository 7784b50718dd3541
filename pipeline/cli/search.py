"""``newsetl search QUERY [--lang L] [--source S] [--entity TYPE:NAME ...] [--tag T] [--country C] [--access A] [--near LAT,LON,KM] [--like ID] [--originals] [--since DATE] [--until DATE] [--size N]
[--after CURSOR] [--facets] [--json] [--all --format csv|jsonl|atom]`` — search the index (pipeline.search); with
``--all --format csv`` an export of every hit; ``--format atom`` a feed."""
from __future__ import annotations

import json
import re
import sys

from pipeline.cli import UsageError, filters_of, index_client, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser("search", help="search the indexed articles",
                              description="Full-text search over title (boosted), description, text and the "
                              "per-language fields, with filters, facets and cursor paging.")
    p.add_argument("query", nargs="?", default="", help="words to find (all required); \"a phrase\", -word, a | b; "
                   "empty or * for everything")
    p.add_argument("--lang", help="language code(s), comma-separated")
    p.add_argument("--source", help="source name or domain (comma-separated for several)")
    p.add_argument("--entity", action="append", default=[], metavar="TYPE:NAME",
                   help="entity that must be present, e.g. person:\"Vladimir Putin\"; any case, and a word or words "
                        "of a name match it: person:putin; so do its spellings in other languages and in Cyrillic "
                        "(\"Wladimir Putin\", \"Владимир Путин\") and, for places, its names in other languages "
                        "(repeatable)")
    p.add_argument("--tag", help="a tag or category of the page, as written (comma-separated: any of them)")
    p.add_argument("--country", help="the article names the country or a city in it: ISO codes or names in any "
                   "language (DE, UA, Deutschland, Украина); or a first-level region (US-CA, DE-BY, Bayern); "
                   "comma-separated: any of them")
    p.add_argument("--access", help="free, metered or paywalled, as the page declares it; none: it declares nothing "
                   "(comma-separated: any of them)")
    p.add_argument("--like", metavar="ID", help="articles like the one with this id (the `id` of a hit): the terms "
                   "that set its title and text apart, the most alike first")
    p.add_argument("--originals", action="store_true", help="leave out the near duplicates of other articles "
                   "(wire copies; the first published stays)")
    p.add_argument("--near", metavar="LAT,LON,KM", help="a city among the article's places lies within KM km of "
                   "the point: 50.45,30.52,100km (or 100), or a city's name for the point: Kyiv,100")
    p.add_argument("--since", help="published on or after DATE (YYYY-MM-DD or ISO date-time)")
    p.add_argument("--until", help="published on or before DATE (a date includes that whole day)")
    p.add_argument("--size", type=int, default=10, help="hits per page (default 10)")
    p.add_argument("--after", metavar="CURSOR", help="the `next` cursor printed by the previous page")
    p.add_argument("--sort", choices=["relevance", "date", "copies"],
                   help="default: relevance with a query, date without; copies: the most copied stories first")
    p.add_argument("--facets", action="store_true", help="also print facet counts")
    p.add_argument("--json", action="store_true", help="print hits, total, facets and the next cursor as JSON")
    p.add_argument("--all", action="store_true", help="every hit, page after page (one point in time), not one page: "
                   "with --format, an export")
    p.add_argument("--format", choices=["csv", "jsonl", "atom"], help="the hits as CSV (one row each: "
                   + ", ".join(CSV_COLUMNS) + "; lists joined with ' | '), as JSON lines (each hit whole), or as an "
                   "Atom feed (what GET /feed.atom serves), without totals or facets")
    p.add_argument("--feed-url", metavar="BASE", help="print the URL of this search's Atom feed on the API at BASE "
                   "(e.g. https://news.example:8000) for a feed reader, with the token of that feed when "
                   "NEWSETL_API_KEY is set; searches nothing")
    p.set_defaults(func=run)


# the columns of --format csv: what a spreadsheet of articles needs
CSV_COLUMNS = ["id", "published_at", "source", "domain", "language", "title", "url", "authors", "people", "places",
               "countries", "tags", "categories", "word_count", "duplicate_of", "copies", "access"]


def run(args) -> int:
    from pipeline.search import SearchError, iter_all, search

    try:            # a bad filter (entity, access, near) is a usage error before anything is asked of the cluster
        filters = filters_of(args)
    except SearchError as e:
        raise UsageError(str(e)) from None
    if args.feed_url:
        return _print_feed_url(args)
    if args.format and (args.json or args.facets):
        raise UsageError("--format prints the hits only: drop --json and --facets")
    if args.all and not args.format:
        raise UsageError("--all needs --format csv, jsonl or atom (an export of every hit)")
    filters.update(sort=args.sort, like=args.like)
    with index_client(args) as (settings, client):
        if args.format:
            hits = iter_all(client, settings, args.query, page_size=settings.index.search.max_size,
                            **filters) if args.all else \
                search(client, settings, args.query, size=args.size, after=args.after, **filters)["hits"]
            return write_hits(hits, args.format)
        res = search(client, settings, args.query, size=args.size, after=args.after, facets=args.facets,
                     **filters)
    if args.json:
        return print_json(res)
    print_human(res)
    return 0


def _print_feed_url(args) -> int:
    from pipeline.cli import print_feed_url
    from pipeline.feed import SEARCH_FEED

    if args.like or args.after or args.all or args.format or args.json or args.facets:
        raise UsageError("--feed-url takes the words and the filters of a search only (the feed is the newest "
                         "first, or --sort)")
    params = {"q": args.query, "lang": args.lang, "source": args.source, "entity": args.entity, "tag": args.tag,
              "country": args.country, "access": args.access, "since": args.since, "until": args.until, "sort": args.sort,
              "originals": "true" if args.originals else None, "near": args.near}
    return print_feed_url("--feed-url", args.feed_url, SEARCH_FEED, params)


def write_hits(hits, fmt: str) -> int:
    """Print ``hits`` as CSV rows (``CSV_COLUMNS``) or JSON lines, as they come (an export never holds them all)."""
    import csv

    if fmt == "atom":
        return _write_atom(hits)
    if fmt == "jsonl":
        for h in hits:
            h.pop("highlight", None)
            sys.stdout.write(json.dumps(h, ensure_ascii=False) + "\n")
        return 0
    out = csv.writer(sys.stdout)
    out.writerow(CSV_COLUMNS)
    for h in hits:
        out.writerow([" | ".join(map(str, v)) if isinstance(v, list) else "" if v is None else v
                      for v in (h.get(c) for c in CSV_COLUMNS)])
    return 0


def _write_atom(hits) -> int:
    import hashlib

    from pipeline import __version__
    from pipeline.feed import atom

    what = " ".join(sys.argv[1:]) or "search"
    feed_id = "urn:newsetl:feed:" + hashlib.sha256(what.encode()).hexdigest()[:32]
    sys.stdout.buffer.write(atom(hits, title=f"newsetl {what}", self_url=feed_id, feed_id=feed_id,
                                 generator=f"newsetl {__version__}"))
    sys.stdout.flush()
    return 0


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", fragment.replace("<em>", "[").replace("</em>", "]")).strip()


def print_human(res: dict) -> None:
    out = sys.stdout
    rel = "" if res["total_relation"] == "eq" else "+"
    out.write(f"{res['total']}{rel} result{'s' if res['total'] != 1 else ''}\n")
    for n, h in enumerate(res["hits"], 1):
        meta = " · ".join(str(x) for x in (h.get("source"), (h.get("published_at") or "")[:10], h.get("language")) if x)
        out.write(f"\n{n}. {h.get('title') or '(no title)'}\n   {meta}\n   {h.get('url', '')}\n")
        if h.get("duplicate_of"):
            out.write(f"   near duplicate of {h['duplicate_of']}\n")
        if h.get("copies"):
            out.write(f"   {h['copies']} near duplicate{'s' if h['copies'] != 1 else ''} elsewhere\n")
        for frag in (h.get("highlight", {}).get("text") or [])[:2]:
            out.write(f"   … {_plain(frag)} …\n")
    if res.get("facets"):
        out.write("\nfacets:\n")
        for name, buckets in res["facets"].items():
            if buckets:
                shown = ", ".join(f"{b.get('title') or b['key']} ({b['count']}{_spellings(b)})" for b in buckets)
                out.write(f"  {name}: {shown}\n")
    if res.get("next"):
        out.write(f"\nnext page: --after {res['next']}\n")


def _spellings(bucket: dict) -> str:
    """": Владимир Путин 3, Wladimir Putin 2" for a person facet entry that joins spellings; "" otherwise."""
    others = [b for b in bucket.get("spellings", ()) if b["key"] != bucket["key"]]
    return (": " + ", ".join(f"{b['key']} {b['count']}" for b in others)) if others else ""
