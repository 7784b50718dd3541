"""``newsetl remove (--url U | --id ID | --domain D)... --reason TEXT [--dry-run] [--purge-archive] | --restore ... |
--list | --enforce [--purge-archive] | --purge-archive [--dry-run] [--json]`` — take articles out of the index for
good, and out of the raw archive, or put them back (``pipeline.removals``)."""
from __future__ import annotations

import json

from pipeline.cli import Failed, UsageError
from pipeline.wording import counted


def register(sub) -> None:
    p = sub.add_parser(
        "remove", help="take articles or a whole domain out of the index for good (a takedown, a publisher's "
        "opt-out), or put them back",
        description="Delete the articles named (or every article of a domain and its subdomains) from every version "
        "of the index, and record them in the removed index so that no load indexes them again (an ingest run or a "
        "replay); the changes feed lists them as deletions. --restore lifts the records: the articles come back "
        "with the next load of them (`newsetl reprocess --in-place --site DOMAIN`). --purge-archive also purges the "
        "raw archive's copies of everything removed so far, for good: a restore cannot replay them.")
    p.add_argument("--url", action="append", default=[], help="an article's URL (repeatable)")
    p.add_argument("--id", action="append", default=[], help="an article's id (repeatable)")
    p.add_argument("--domain", action="append", default=[], help="every article of this domain and its subdomains, "
                   "now and later (repeatable)")
    p.add_argument("--reason", default="", help="why (kept with the record, given to downstream services)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true", help="say what would be removed; change nothing")
    what.add_argument("--restore", action="store_true", help="lift the records of the articles or domains named")
    what.add_argument("--list", action="store_true", help="list the records (domains first, the latest first)")
    what.add_argument("--enforce", action="store_true", help="delete again what a version of the index still holds "
                      "of what was removed (what news_health does daily)")
    p.add_argument("--purge-archive", action="store_true", help="then purge the raw archive's records of "
                   "everything removed so far (alone: only that); with --dry-run, count them")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from pipeline.es import ClusterUnavailable, client_from_settings
    from pipeline.removals import RemoveError, enforce, listing, purge_archive, remove, restore
    from pipeline.settings import load_settings

    named = bool(args.url or args.id or args.domain)
    if (args.list or args.enforce) and named:
        raise UsageError("--list and --enforce take no --url, --id or --domain")
    if args.purge_archive and (args.list or args.restore):
        raise UsageError("--purge-archive goes with a removal, --enforce, or alone, not with --list or --restore")
    settings = load_settings(args.config)
    client = client_from_settings(settings)
    try:
        if args.list:
            records = listing(client, settings, size=1000)
            print(json.dumps(records, indent=2, ensure_ascii=False) if args.json else _records(records))
            return 0
        if args.enforce:
            res = enforce(client, settings)
        elif args.restore:
            res = restore(client, settings, ids=args.id, urls=args.url, domains=args.domain)
        elif named or not args.purge_archive:
            res = remove(client, settings, ids=args.id, urls=args.url, domains=args.domain, reason=args.reason,
                         dry_run=args.dry_run)
        else:
            res = {}
        if args.purge_archive:
            res["archive"] = purge_archive(client, settings, dry_run=args.dry_run)
    except RemoveError as e:
        raise UsageError(str(e)) from None
    except ClusterUnavailable as e:
        raise Failed(str(e)) from None
    finally:
        client.close()
    print(json.dumps(res, indent=2, ensure_ascii=False) if args.json else _summary(args, res))
    return 0


def _records(records: list[dict]) -> str:
    lines = [f"{r.get('removed_at')}  {r.get('kind'):8}  "
             f"{r.get('domain') if r.get('kind') == 'domain' else r.get('url') or r.get('id')}  ({r.get('reason')})"
             for r in records]
    return "\n".join(lines) or "nothing removed"


def _summary(args, res: dict) -> str:
    archive = _archive(res["archive"]) if "archive" in res else ""
    if args.enforce:
        again = f"{counted(res['removed'], 'document')} deleted again"
        return "; ".join(x for x in (again, _remarked(res), archive) if x)
    if args.restore:
        return (f"{counted(res['restored'], 'record')} lifted; the articles come back with the next load of them "
                "(newsetl reprocess --in-place --site DOMAIN)")
    if "records" not in res and "would_remove" not in res:       # --purge-archive alone
        return archive
    domains = f"the domains {', '.join(res['domains'])} kept out" if res["domains"] else ""
    n = len(res["not_indexed"])
    absent = f"{n} named {'is' if n == 1 else 'are'} in no version of the index" if n else ""
    head = f"would remove {counted(res['would_remove'], 'article')}" if args.dry_run else \
        f"removed {counted(res['removed'], 'article')}, {res['records']} recorded"
    return "; ".join(x for x in (head, domains, absent, _remarked(res), archive) if x)


def _remarked(res: dict) -> str:
    n = res.get("remarked")
    return f"{n} of their near duplicates marked again" if n else ""


def _archive(a: dict) -> str:
    verb = "would purge" if a["dry_run"] else "purged"
    skipped, indexed, read = a.get("skipped") or 0, a.get("indexed") or 0, a.get("read") or []
    unread = [f"{skipped} not read again: unchanged since a purge, and nothing new removed" if skipped else "",
              f"{indexed} not read: their URL index names nothing removed" if indexed else ""]
    unread = "; ".join(x for x in unread if x)
    names = ", ".join(read[:5]) + (f" and {len(read) - 5} more" if len(read) > 5 else "")
    ledger = a.get("ledger_read"), a.get("ledger_skipped")
    return (f"{verb} {counted(a['records'], 'archived record')} in {a['files']} of "
            f"{counted(a['scanned'], 'WARC file')} read"
            + (f" ({unread})" if unread else "")
            + f" and {counted(a['ledger_entries'], 'fetch ledger entry', 'fetch ledger entries')}"
            + (f" ({counted(ledger[0], 'ledger file')} read, {ledger[1]} not)" if ledger[0] is not None and ledger[1]
               else "")
            + (f"; read: {names}" if names else ""))
