"""``newsetl trends [QUERY] [--field people] [--window 24h] [--baseline 7d] [--at T] [--size N] [--min-count N]
[--lang L] [--source S] [--country C] [--entity TYPE:NAME] [--tag T] [--originals] [--json]`` — the names rising
in the news (``pipeline.trends``)."""
from __future__ import annotations

from pipeline.cli import add_filters, filters_of, index_client, print_json
from pipeline.times import parse_time
from pipeline.wording import counted


def register(subparsers) -> None:
    from pipeline.trends import BASELINE, FIELDS, MIN_COUNT, WINDOW

    p = subparsers.add_parser(
        "trends", help="the people, organisations, places or tags rising in the news",
        description="The names that the articles of the last WINDOW name far more often than those of the BASELINE "
        "before it (Elasticsearch's significant_terms), narrowed by the filters of `newsetl search`.")
    p.add_argument("query", nargs="?", default="", help="only articles with these words (as `newsetl search`)")
    p.add_argument("--field", default="people", choices=list(FIELDS), help="what to count (default people: one "
                   "label per person, any spelling)")
    p.add_argument("--window", default=WINDOW, help=f"the recent period, ending --at (default {WINDOW}; 90m, 7d, "
                   "2w…)")
    p.add_argument("--baseline", default=BASELINE, help=f"the period before it to compare with (default {BASELINE})")
    p.add_argument("--at", help="the end of the window (ISO date-time; default now)")
    p.add_argument("--size", type=int, default=10, help="names to list (default 10)")
    p.add_argument("--min-count", type=int, default=MIN_COUNT, help=f"articles of the window a name needs (default "
                   f"{MIN_COUNT})")
    add_filters(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from pipeline.trends import trends

    with index_client(args) as (settings, client):
        res = trends(client, settings, field=args.field, window=args.window, baseline=args.baseline,
                     at=args.at, size=args.size, min_count=args.min_count, query=args.query,
                     **filters_of(args))
    if args.json:
        return print_json(res)
    print(f"{res['field']} rising from {_minute(res['window']['from'])} to {_minute(res['window']['to'])} "
          f"({counted(res['documents'], 'article')}) against the "
          f"{counted(res['background'] - res['documents'], 'article')} since {_minute(res['baseline']['from'])}:")
    if not res["trends"]:
        print("  nothing rises")
    for t in res["trends"]:
        print(f"  {t['key']}: {counted(t['count'], 'article')} ({t['per_day']:g} a day; before "
              f"{t['baseline_per_day']:g} a day)")
    return 0


def _minute(iso: str) -> str:
    """An ISO time of the answer as a person reads it: "2026-11-30 07:01 UTC" (``--json`` keeps it whole)."""
    import datetime as dt

    t = parse_time(iso)
    return str(iso) if t is None else f"{t.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
