"""``newsetl suggest TYPED [--field people] [--size N] [--query WORDS] [--lang L] [--source S] [--country C]
[--entity TYPE:NAME] [--tag T] [--since D] [--until D] [--originals] [--json]`` — the names with a word starting
with what was typed, case and accents aside (``pipeline.suggest``; ``GET /suggest``)."""
from __future__ import annotations

import json
import sys

from pipeline.cli import index_errors


def register(subparsers) -> None:
    from pipeline.suggest import FIELDS

    p = subparsers.add_parser(
        "suggest", help="the names with a word starting with what was typed (a search box's suggestions)",
        description="The values of FIELD one of whose words starts with TYPED, whatever the case and the accents, "
        "most articles first, over the articles the filters of `newsetl search` select.")
    p.add_argument("typed", metavar="TYPED", help="the start of a name, as a user types it (\"mül\", \"vladimir p\")")
    p.add_argument("--field", default="people", choices=list(FIELDS), help="where to look (default people: one "
                   "label per person)")
    p.add_argument("--size", type=int, default=10, help="names to list (default 10)")
    p.add_argument("--query", default="", help="only articles with these words (as `newsetl search`)")
    p.add_argument("--lang", help="language code(s), comma-separated")
    p.add_argument("--source", help="source name or domain (comma-separated)")
    p.add_argument("--country", help="articles naming a country or a place in it (ISO codes or names)")
    p.add_argument("--entity", action="append", default=[], metavar="TYPE:NAME", help="articles naming this entity "
                   "(repeatable)")
    p.add_argument("--tag", help="a tag or category of the page")
    p.add_argument("--since", help="published on or after (YYYY-MM-DD or ISO date-time)")
    p.add_argument("--until", help="published on or before")
    p.add_argument("--originals", action="store_true", help="leave the near duplicates out")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from pipeline.es import client_from_settings
    from pipeline.search import parse_entity
    from pipeline.settings import load_settings
    from pipeline.suggest import suggest

    settings = load_settings(args.config)
    client = client_from_settings(settings)
    try:
        with index_errors():
            res = suggest(client, settings, args.typed, field=args.field, size=args.size, query=args.query,
                          lang=args.lang, source=args.source, country=args.country, tag=args.tag,
                          since=args.since, until=args.until, originals=args.originals,
                          entities=[parse_entity(e) for e in args.entity])
    finally:
        client.close()
    if args.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for s in res["suggestions"]:
        print(f"{s['count']:>7}  {s['value']}")
    if not res["suggestions"]:
        print(f"no {res['field']} value has a word starting with {res['q']!r} in the {res['documents']} articles "
              "selected", file=sys.stderr)
    return 0
