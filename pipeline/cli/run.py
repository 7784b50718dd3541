"""``newsetl run``: the whole pipeline (discover → fetch → process → load → report) in one process.

The same stage functions as the news_ingest DAG (``pipeline.stages``), for users without Airflow.
"""
from __future__ import annotations

import argparse
import json
import sys

from pipeline.cli import settings_for


def register(sub) -> None:
    p = sub.add_parser("run", help="run the whole pipeline once, without Airflow",
                       description="Discover, fetch, process and index the configured sources, then print the "
                       "run's report. Exit 1 when the dead-letter share passes ingest.dead_letter_threshold.")
    p.add_argument("--source", "-s", action="append", metavar="NAME",
                   help="only this source (repeatable; default: every enabled source)")
    p.add_argument("--since", metavar="DATE", help="leave out items published before this date (ISO 8601)")
    p.add_argument("--max-articles", type=int, metavar="N", help="at most N new articles per source")
    p.add_argument("--refetch", action="store_true", help="fetch again what is already archived")
    p.add_argument("--dry-run", action="store_true", help="discover only: fetch nothing, write nothing to the index")
    p.add_argument("--retry-dead-letters", action=argparse.BooleanOptionalAction, default=None,
                   help="also fetch again the open fetch failures of earlier runs (as the source @deadletters; see "
                   "`newsetl deadletters --retry`); default: ingest.retry_dead_letters")
    p.add_argument("--storage", metavar="ROOT", help="storage root (default: storage.root in config)")
    p.add_argument("--run-id", help="run id (default: cli-<UTC timestamp>)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_run)


def cmd_run(args) -> int:
    from pipeline import stages
    from pipeline.es import ClusterUnavailable

    settings = settings_for(args)
    try:
        summary = stages.run_pipeline(settings, sources=args.source, since=args.since, max_articles=args.max_articles,
                                      refetch=args.refetch, dry_run=args.dry_run,
                                      retry_dead_letters=settings.ingest.retry_dead_letters
                                      if args.retry_dead_letters is None else args.retry_dead_letters,
                                      run_id=args.run_id,
                                      progress=sys.stderr.isatty() and not args.json, fail_over_threshold=False)
    except ClusterUnavailable as e:
        sys.stderr.write(f"newsetl run: {e}\n")
        return 1
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
    else:
        print(stages.render_report(summary), end="")
    share = summary["total"]["dead_share"]
    if share > settings.ingest.dead_letter_threshold:
        sys.stderr.write(f"newsetl run: {share:.1%} of candidates were dead-lettered (threshold "
                         f"{settings.ingest.dead_letter_threshold:.0%}); see `newsetl deadletters --run {summary['run_id']}`\n")
        return 1
    return 0
