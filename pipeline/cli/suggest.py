"""``newsetl suggest TYPED [--field people] [--size N] [--query WORDS] [--lang L] [--source S] [--country C]
[--entity TYPE:NAME] [--tag T] [--since D] [--until D] [--originals] [--json]`` — the names with a word starting
with what was typed, case and accents aside (``pipeline.suggest``; ``GET /suggest``)."""
from __future__ import annotations

import sys

from pipeline.cli import add_filters, filters_of, index_client, print_json
from pipeline.wording import counted


def register(subparsers) -> None:
    from pipeline.suggest import FIELDS

    p = subparsers.add_parser(
        "suggest", help="the names with a word starting with what was typed (a search box's suggestions)",
        description="The values of FIELD one of whose words starts with TYPED, whatever the case and the accents "
        "(Latin typing also finds Cyrillic spellings, and Cyrillic typing Latin ones), most articles first, over the articles the filters of `newsetl search` select.")
    p.add_argument("typed", metavar="TYPED", help="the start of a name, as a user types it (\"mül\", \"vladimir p\")")
    p.add_argument("--field", default="people", choices=list(FIELDS), help="where to look (default people: one "
                   "label per person)")
    p.add_argument("--size", type=int, default=10, help="names to list (default 10)")
    p.add_argument("--query", default="", help="only articles with these words (as `newsetl search`)")
    add_filters(p, dates=True)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from pipeline.suggest import suggest

    with index_client(args) as (settings, client):
        res = suggest(client, settings, args.typed, field=args.field, size=args.size, query=args.query,
                      **filters_of(args))
    if args.json:
        return print_json(res)
    for s in res["suggestions"]:
        print(f"{s['count']:>7}  {s['value']}")
    if not res["suggestions"]:
        print(f"no {res['field']} value has a word starting with {res['q']!r} in the "
              f"{counted(res['documents'], 'article')} selected", file=sys.stderr)
    return 0
