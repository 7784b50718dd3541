"""``newsetl reprocess``: replay the raw archive through processing (what the news_reprocess DAG does).

Into a new index version whose aliases are swapped at the end, or ``--in-place`` into the current one; ``--site``
replays only some sites' pages. The same stage functions as the DAG (``pipeline.stages.reprocess_pipeline``).
"""
from __future__ import annotations

import json
import sys

from pipeline.cli import UsageError, settings_for
from pipeline.wording import counted


def register(sub) -> None:
    p = sub.add_parser(
        "reprocess", help="replay the archived pages through processing, into a new index version or in place",
        description="Process the archived pages again (no network) and load them: into a new index version, then "
        "move the aliases to it (searches never stop), or with --in-place into the current index, every replayed "
        "document written again. Exit 1 when the cluster is unavailable or a batch fails to load.")
    p.add_argument("--since", metavar="DATE", help="first archive day to replay (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="last archive day to replay (YYYY-MM-DD)")
    p.add_argument("--site", action="append", metavar="HOST", help="only the pages of this host or domain (a domain "
                   "covers its subdomains; repeatable)")
    p.add_argument("--in-place", action="store_true", help="update the current index instead of building a new "
                   "version (after a site rule or an extraction fix for some sites)")
    p.add_argument("--no-swap", action="store_true", help="build the new version but leave the aliases where they "
                   "are (inspect it, then `newsetl index swap NAME`)")
    p.add_argument("--storage", metavar="ROOT", help="storage root (default: storage.root in config)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_reprocess)


def cmd_reprocess(args) -> int:
    from pipeline import stages
    from pipeline.admin import AdminError
    from pipeline.es import ClusterUnavailable
    from pipeline.settings.processing import site_keys

    if args.in_place and args.no_swap:
        raise UsageError("--no-swap is for a new index version; --in-place builds none")
    try:
        site_keys(args.site or [])
    except ValueError as e:
        raise UsageError(f"--site: {e}") from None
    settings = settings_for(args)
    try:
        summary = stages.reprocess_pipeline(settings, since=args.since, until=args.until, sites=args.site,
                                            in_place=args.in_place, swap=not args.no_swap,
                                            progress=sys.stderr.isatty() and not args.json)
    except (ClusterUnavailable, AdminError, stages.IncompleteRun) as e:
        sys.stderr.write(f"newsetl reprocess: {e}\n")
        return 1
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
        return 0
    print(stages.render_report(summary), end="")
    done = summary["reprocess"]
    if done.get("carried"):
        print(f"{counted(done['carried'], 'document')} the replay did not cover copied into {done['index']} as "
              f"{'it was' if done['carried'] == 1 else 'they were'}")
    if done.get("in_place"):
        print(f"updated in place: {done['index']}")
    elif done.get("swapped", True) is False:
        print(f"built {done['index']}; the aliases stay where they are: `newsetl index swap {done['index']}`")
    else:
        print(f"aliases moved to {done.get('index')}")
    return 0
