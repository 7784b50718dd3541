"""``newsetl deadletters``: what failed, why, and a batch to fetch again.

The dead letters are the files ``deadletter/<stage>/<run>/<part>.jsonl`` under the storage root (``pipeline.deadletter``);
this command reads them through ``select_dead_letters``, ``summarize`` and ``retry_records`` and writes a retry
batch with ``pipeline.discover.save_candidates``, the same batch format ``newsetl fetch --candidates`` and the DAG's
fetch task read.
"""
from __future__ import annotations

import datetime as dt
import json
import sys

from pipeline.cli import UsageError, parse_since
from pipeline.wording import counted

STAGES = ("fetch", "process", "load")


def register(sub) -> None:
    p = sub.add_parser(
        "deadletters", help="count, list or retry the dead letters (what failed, with the reason)",
        description="Count the dead letters by stage and reason (default), list them (--list, one JSON object a "
        "line) or write the open fetch failures as a candidate batch to fetch again (--retry; then `newsetl fetch "
        "--candidates REL`), or with --stage load the documents the index refused as a batch to load again (then "
        "`newsetl index load REL`). Filters combine.")
    p.add_argument("--storage", metavar="ROOT", help="storage root (folder or fsspec URL); default from config")
    p.add_argument("--stage", choices=STAGES, help="only this stage")
    p.add_argument("--reason", action="append", metavar="CODE",
                   help="only this reason, e.g. timeout or http_503 (repeatable, or comma-separated)")
    p.add_argument("--run", metavar="RUN_ID", help="only this run")
    p.add_argument("--since", metavar="DATE", help="only letters written at or after this (ISO 8601 date or time)")
    p.add_argument("--open", action="store_true", help="leave out fetch failures whose URL has been fetched since "
                   "(a retry or a later run; the fetch ledger says so)")
    p.add_argument("--given-up", action="store_true", help="only the fetch failures of URLs a retry no longer "
                   "takes: they have failed fetch.give_up_after times (or --give-up-after N)")
    p.add_argument("--give-up-after", type=int, metavar="N", help="failures after which a URL is given up, instead "
                   "of fetch.give_up_after (0: never)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="print the letters, one JSON object a line")
    what.add_argument("--retry", action="store_true", help="write the open fetch failures' candidates as a batch "
                      "(without --reason: not those another try would not change, such as robots or not_html); with "
                      "--stage load, the refused documents, once each")
    p.add_argument("--out", metavar="REL", help="with --retry: batch path under the storage root "
                   "(default: runs/<retry run id>/candidates/retry.jsonl, or docs/retry.jsonl for --stage load)")
    p.add_argument("--json", action="store_true", help="print the counts (or the retry batch) as JSON")
    p.set_defaults(func=cmd_deadletters)


def cmd_deadletters(args) -> int:
    from pipeline.deadletter import open_letters, retry_selection, select_dead_letters, split_given_up, summarize
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    if args.retry and args.stage not in (None, "fetch", "load"):
        raise UsageError(f"--retry fetches or loads again: fetch and load dead letters can be retried, not "
                         f"{args.stage} (re-process pages with `newsetl reprocess`)")
    if args.out and not args.retry:
        raise UsageError("--out goes with --retry")
    if args.given_up and args.retry:
        raise UsageError("--given-up lists what a retry leaves out: use it without --retry")
    if args.give_up_after is not None and args.give_up_after < 0:
        raise UsageError(f"--give-up-after takes a number of failures, 0 or more, not {args.give_up_after}")
    settings = load_settings(getattr(args, "config", None))
    storage = Storage(args.storage or settings.storage.root)
    reasons = [r.strip() for item in args.reason or [] for r in item.split(",") if r.strip()]
    give_up_after = settings.fetch.give_up_after if args.give_up_after is None else args.give_up_after
    if args.retry and args.stage == "load":
        return _retry_load(storage, select_dead_letters(storage, stage="load", reasons=reasons, run=args.run,
                                                        since=parse_since(args.since)), args)
    if args.retry:
        return _retry(storage, retry_selection(storage, reasons=reasons, run=args.run, since=parse_since(args.since),
                                               give_up_after=give_up_after), args)
    letters = select_dead_letters(storage, stage=args.stage, reasons=reasons, run=args.run, since=parse_since(args.since))
    if args.open or args.given_up:
        letters = open_letters(storage, letters)
    if args.given_up:
        letters = split_given_up(storage, letters, give_up_after)[1]
    if args.list:
        for d in letters:
            sys.stdout.write(json.dumps(d, ensure_ascii=False, default=str) + "\n")
        return 0
    rows = summarize(letters)
    if args.json:
        sys.stdout.write(json.dumps({"total": len(letters), "rows": rows}, indent=1, ensure_ascii=False) + "\n")
        return 0
    if not letters:     # a line, not an empty table: say what was looked at
        narrowed = [f"{k} {v}" for k, v in (("stage", args.stage), ("run", args.run), ("since", args.since),
                                            ("reason", ",".join(reasons))) if v]
        state = " open" if args.open else " given up" if args.given_up else ""
        print(f"no{state} dead letters under {storage.root}" + (f" ({', '.join(narrowed)})" if narrowed else ""))
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"dead letters under {storage.root}: {len(letters)}")
    for col, justify in (("stage", "left"), ("reason", "left"), ("count", "right"), ("latest", "left"),
                         ("example", "left")):
        t.add_column(col, justify=justify, overflow="fold")
    for r in rows:
        t.add_row(r["stage"] or "", r["reason"] or "", str(r["count"]), r["latest"][:19], r["example"])
    Console().print(t)
    return 0


def _retry_batch(kind: str) -> str:
    """Where a retry batch goes by default: ``runs/retry__<UTC time>/<kind>/retry.jsonl``."""
    return f"runs/{dt.datetime.now(dt.timezone.utc):retry__%Y%m%dT%H%M%S}/{kind}/retry.jsonl"


def _retry(storage, selection, args) -> int:
    from pipeline.discover import save_candidates
    from pipeline.fetcher import Candidate

    letters, records = selection.letters, selection.records
    payload = {"letters": len(letters), "candidates": len(records), "candidates_file": None,
               "given_up": len(selection.given_up)}
    if records:
        rel = args.out or _retry_batch("candidates")
        payload["candidates_file"] = save_candidates(storage, rel, [Candidate.from_dict(r) for r in records])
    if args.json:
        sys.stdout.write(json.dumps(payload, indent=1) + "\n")
    elif records:
        sys.stdout.write(f"{counted(len(records), 'URL')} from {counted(len(letters), 'fetch dead letter')} "
                         f"written to {payload['candidates_file']}\nfetch them: newsetl fetch --candidates "
                         f"{payload['candidates_file']}\n")
    else:
        sys.stdout.write(f"nothing to retry: no candidate URL in the "
                         f"{counted(len(letters), 'matching fetch dead letter')}\n")
    if selection.given_up and not args.json:
        n = len(selection.given_up)
        sys.stdout.write(f"left out {counted(n, 'URL')} that {'has' if n == 1 else 'have'} failed too often "
                         "(fetch.give_up_after); list them: newsetl deadletters --given-up --list\n")
    return 0


def _retry_load(storage, letters: list[dict], args) -> int:
    from pipeline.deadletter import load_retry_documents

    docs = load_retry_documents(letters)
    payload = {"letters": len(letters), "documents": len(docs), "documents_file": None}
    if docs:
        payload["documents_file"] = args.out or _retry_batch("docs")
        storage.write_jsonl(payload["documents_file"], docs)
    if args.json:
        sys.stdout.write(json.dumps(payload, indent=1) + "\n")
    elif docs:
        sys.stdout.write(f"{counted(len(docs), 'document')} from {counted(len(letters), 'load dead letter')} "
                         f"written to {payload['documents_file']}\nload them (after fixing what refused them, e.g. "
                         f"`newsetl index migrate` after a mapping change): newsetl index load "
                         f"{payload['documents_file']}\n")
    else:
        sys.stdout.write(f"nothing to retry: no document in the {counted(len(letters), 'matching load dead letter')}\n")
    return 0
