"""``newsetl search QUERY [--lang L] [--source S] [--entity TYPE:NAME ...] [--tag T] [--country C] [--access A] [--near LAT,LON,KM] [--like ID] [--originals] [--since DATE] [--until DATE] [--size N]
[--after CURSOR] [--facets] [--json] [--all --format csv|jsonl|atom [--columns C,...]]`` — search the index
(pipeline.search); with ``--all --format csv`` an export of every hit (``--columns`` picks its columns); ``--format
atom`` a feed."""
from __future__ import annotations

import json
import re
import sys

from pipeline.cli import UsageError, filters_of, index_client, print_json
from pipeline.wording import counted


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
    p.add_argument("--columns", metavar="C,...", help="the columns of --format csv, in this order: any of "
                   + ", ".join(COLUMN_CHOICES) + "; starting with + they come after the default ones "
                   "(+regions,text)")
    p.add_argument("--feed-url", metavar="BASE", help="print the URL of this search's Atom feed on the API at BASE "
                   "(e.g. https://news.example:8000) for a feed reader, with the token of that feed when "
                   "NEWSETL_API_KEY is set; searches nothing")
    p.set_defaults(func=run)


# the columns of --format csv: what a spreadsheet of articles needs. Fixed, so that a spreadsheet or a script
# reading them by position keeps working when a version adds a field; --columns asks for others.
CSV_COLUMNS = ["id", "published_at", "source", "domain", "language", "title", "url", "authors", "people", "places",
               "countries", "tags", "categories", "word_count", "duplicate_of", "copies", "access"]
# what --columns may name: a hit's fields (pipeline.search.HIT_FIELDS), its score, its near copies, its text, and
# each entity type's names on their own ("person" for entities.person)
ENTITY_COLUMNS = ("person", "organization", "location", "misc")
COLUMN_CHOICES = ["id", "url", "canonical_url", "title", "description", "source", "domain", "language", "published_at",
                  "fetched_at", "authors", "site_name", "categories", "tags", "word_count", *ENTITY_COLUMNS,
                  "entities", "people", "places", "countries", "regions", "place_points", "duplicate_of", "copies",
                  "access", "score", "text"]


def csv_columns(spec: str | None) -> list[str]:
    """The columns ``--columns`` asks for (``CSV_COLUMNS`` without it; "+a,b": those and then a and b), each once;
    a usage error naming the choices for a column that is none of ``COLUMN_CHOICES``."""
    if spec is None:
        return list(CSV_COLUMNS)
    spec = spec.strip()
    extra = spec.startswith("+")
    asked = [c.strip().removeprefix("entities.") for c in spec.lstrip("+").split(",") if c.strip()]
    unknown = [c for c in asked if c not in COLUMN_CHOICES]
    if unknown:
        raise UsageError(f"--columns: no column {', '.join(map(repr, unknown))}; choose among "
                         + ", ".join(COLUMN_CHOICES))
    if not asked:
        raise UsageError("--columns needs at least one column, e.g. --columns id,title,regions or +regions")
    return list(dict.fromkeys([*CSV_COLUMNS, *asked] if extra else asked))


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
    if args.columns is not None and args.format != "csv":
        raise UsageError("--columns picks the columns of --format csv")
    columns = csv_columns(args.columns)
    filters.update(sort=args.sort, like=args.like)
    with index_client(args) as (settings, client):
        if args.format:
            text = args.format == "csv" and "text" in columns    # the text only where a column prints it
            hits = iter_all(client, settings, args.query, page_size=settings.index.search.max_size,
                            include_text=text, **filters) if args.all else \
                search(client, settings, args.query, size=args.size, after=args.after, include_text=text,
                       **filters)["hits"]
            return write_hits(hits, args.format, columns)
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


def write_hits(hits, fmt: str, columns: list[str] | None = None) -> int:
    """Print ``hits`` as CSV rows (``columns``, ``CSV_COLUMNS`` by default) or JSON lines, as they come (an export
    never holds them all)."""
    import csv

    if fmt == "atom":
        return _write_atom(hits)
    if fmt == "jsonl":
        for h in hits:
            h.pop("highlight", None)
            sys.stdout.write(json.dumps(h, ensure_ascii=False) + "\n")
        return 0
    columns = columns or CSV_COLUMNS
    out = csv.writer(sys.stdout)
    out.writerow(columns)
    for h in hits:
        out.writerow([_cell(_column(h, c)) for c in columns])
    return 0


def _column(hit: dict, column: str):
    """A hit's value for a column: an entity type's names from its entities, else the field."""
    if column in ENTITY_COLUMNS:
        return (hit.get("entities") or {}).get(column)
    return hit.get(column)


def _cell(value) -> str:
    """A CSV cell: a list of names or codes joined with " | ", a list or object of more (place points, entities)
    as JSON, nothing for none."""
    if value is None:
        return ""
    if isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
        return " | ".join(map(str, value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


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
    # not "eq": the total is a lower bound (ES stops counting), so "10000+ results"
    out.write((counted(res["total"], "result") if res["total_relation"] == "eq" else f"{res['total']}+ results") + "\n")
    for n, h in enumerate(res["hits"], 1):
        meta = " · ".join(str(x) for x in (h.get("source"), (h.get("published_at") or "")[:10], h.get("language")) if x)
        out.write(f"\n{n}. {h.get('title') or '(no title)'}\n   {meta}\n   {h.get('url', '')}\n")
        if h.get("duplicate_of"):
            out.write(f"   near duplicate of {h['duplicate_of']}\n")
        if h.get("copies"):
            out.write(f"   {counted(h['copies'], 'near duplicate')} elsewhere\n")
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
