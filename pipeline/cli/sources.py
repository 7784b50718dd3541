"""``newsetl sources``: each configured source's health over the last days (``pipeline.health``).

Which sources still bring new articles, which went quiet (stale) and which fail, from the runs' reports.
"""
from __future__ import annotations

import json
import sys

from pipeline.wording import counted


def register(sub) -> None:
    p = sub.add_parser(
        "sources", help="each source's runs, new articles, dead letters and last new article over the last days",
        description="Add up the ingest runs' reports of the last --days per source: runs, discovered, indexed, dead "
        "letters, when it last brought a new article. A source quiet for ingest.stale_after_hours or more is stale; "
        "one whose dead-letter share passes ingest.dead_letter_threshold is failing. --check exits 1 when any is, or "
        "when a configured source did not run in the window.")
    p.add_argument("--days", type=float, default=7, help="the window, in days (default 7)")
    p.add_argument("--storage", metavar="ROOT", help="storage root (default: storage.root in config)")
    p.add_argument("--check", action="store_true", help="exit 1, with a line naming them, when a configured source is "
                   "stale, failing or did not run (for monitoring; what the news_health DAG checks)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_sources)


def cmd_sources(args) -> int:
    from pipeline import stages
    from pipeline.cli import UsageError, settings_for

    if args.days <= 0:
        raise UsageError(f"--days takes a number of days above 0, not {args.days:g}")
    settings = settings_for(args)
    health = stages.source_health(settings, hours=args.days * 24)
    if args.json:
        print(json.dumps(health, indent=2, sort_keys=True))
    else:
        print(render(health, settings.ingest.stale_after_hours), end="")
    if args.check:      # the news_health DAG's check: stale, failing, or a configured source that did not run
        try:
            stages.check_sources(settings, hours=args.days * 24)
        except stages.SourcesUnhealthy as e:
            sys.stderr.write(f"newsetl sources: {e}\n")
            return 1
    return 0


def render(health: dict, stale_after: float | None) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"sources over the last {counted(health['hours'] / 24, 'day')}")
    for col in ("source", "runs", "discovered", "indexed", "dead", "dead share", "last new article", "quiet",
                "every", "state"):
        table.add_column(col, justify="left" if col in ("source", "last new article", "every", "state") else "right")
    for s in health["sources"]:
        state = ", ".join(w for w, on in (("stale", s["stale"]), ("failing", s["failing"]),
                                          ("never ran", not s["runs"]), ("not configured", not s["configured"])) if on)
        every = s.get("every") or "each run"
        if s.get("next_due"):
            every += f", next {s['next_due'].replace('T', ' ')}"
        if not s["runs"]:
            table.add_row(s["source"], "0", "", "", "", "", "", "", every, state)
            continue
        table.add_row(s["source"], str(s["runs"]), str(s["discovered"]), str(s["indexed"]), str(s["dead_lettered"]),
                      f"{s['dead_share']:.1%}", (s["last_new_at"] or "none in the window").replace("T", " "),
                      f"{s['quiet_hours']:g} h", every, state or "ok")
    buf = StringIO()
    Console(file=buf, width=160, force_terminal=False).print(table)
    if stale_after is not None:
        buf.write(f"stale: no new article for {stale_after:g} h or more (ingest.stale_after_hours); failing: dead "
                  f"letters above ingest.dead_letter_threshold of what was discovered\n")
    return buf.getvalue()
