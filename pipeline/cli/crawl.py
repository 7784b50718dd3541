"""``newsetl discover``, ``newsetl fetch`` and ``newsetl crawl`` (both in one go).

They call the stage functions the DAG calls: ``pipeline.discover.discover_source`` and
``pipeline.fetcher.fetch_candidates``, with the blocklist of ``pipeline.stages.fetch_removals`` as the fetch task
(what ``newsetl remove`` took out is not requested); progress bars and summary tables come from rich.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from pipeline.cli import UsageError, parse_since


def _common(p: argparse.ArgumentParser, *, discover: bool) -> None:
    p.add_argument("--sources", metavar="FILE", help="sources.yaml (default: config/sources.yaml)")
    p.add_argument("--storage", metavar="ROOT", help="storage root (folder or fsspec URL); default from config")
    p.add_argument("--run-id", help="run id (default: a UTC timestamp)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON instead of a table")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    if discover:
        p.add_argument("--source", "-s", action="append", metavar="NAME",
                       help="only this source (repeatable; default: every enabled source)")
        p.add_argument("--since", metavar="DATE", help="leave out items dated before this (ISO 8601 date or time)")
        p.add_argument("--max-articles", type=int, metavar="N", help="at most N new articles per source")
        p.add_argument("--refetch", action="store_true", help="fetch again what is already archived "
                       "(conditional GET: unchanged pages end as not_modified)")


def register(sub) -> None:
    p = sub.add_parser("discover", help="find new article URLs of the configured sources",
                       description="Discover candidate article URLs and write them as a JSONL batch under the "
                       "storage root (printed at the end); `newsetl fetch --candidates` takes it.")
    _common(p, discover=True)
    p.add_argument("--out", metavar="REL", help="batch path under the storage root "
                   "(default: runs/<run-id>/candidates/discovered.jsonl)")
    p.set_defaults(func=cmd_discover)

    p = sub.add_parser("fetch", help="fetch a batch of candidate URLs into the WARC archive",
                       description="Fetch candidates (a JSONL batch from `newsetl discover`, or URLs given with "
                       "--url) politely; pages go to the WARC archive, failures to dead letters.")
    _common(p, discover=False)
    p.add_argument("--candidates", metavar="REL", action="append", help="candidate batch under the storage root")
    p.add_argument("--url", action="append", help="a URL to fetch (repeatable)")
    p.add_argument("--refetch", action="store_true", help="fetch even when already archived")
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("crawl", help="discover and fetch the configured sources in one go")
    _common(p, discover=True)
    p.set_defaults(func=cmd_crawl)


# ------------------------------------------------------------------ helpers

def _setup(args):
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    settings = load_settings(getattr(args, "config", None))
    storage = Storage(args.storage or settings.storage.root)
    run_id = args.run_id or dt.datetime.now(dt.timezone.utc).strftime("manual__%Y%m%dT%H%M%S")
    return settings, storage, run_id


def _sources(args, settings):
    from pipeline.sources import load_sources

    all_sources = load_sources(args.sources, settings=settings)
    if args.source:
        by_name = {s.name: s for s in all_sources}
        missing = [n for n in args.source if n not in by_name]
        if missing:
            raise UsageError(f"no source named {missing[0]!r} (known: {', '.join(by_name) or 'none'})")
        return [by_name[n] for n in args.source]
    chosen = [s for s in all_sources if s.enabled]
    if not chosen:
        raise UsageError("no enabled source in the sources file")
    return chosen


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _discover_all(args, settings, storage, run_id, console):
    from pipeline.discover import discover_source
    from pipeline.stages import fetch_removals

    since = parse_since(getattr(args, "since", None))
    results = []
    with fetch_removals(settings) as removals:      # a removed domain's feeds and pages are not read, as in the DAG
        for src in _sources(args, settings):
            with console.status(f"discovering {src.name} ({src.kind})…", spinner="dots") if not args.no_progress \
                    else _null():
                results.append(discover_source(src, settings, storage, since=since, max_articles=args.max_articles,
                                               refetch=args.refetch, run_id=run_id, removals=removals))
    return results


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def _discovery_table(results):
    from rich.table import Table

    t = Table(title="discovery")
    for col in ("source", "seen", "candidates", "of them updated", "skipped", "filtered", "dead letters",
                "not modified", "reasons"):
        t.add_column(col, justify="right" if col not in ("source", "reasons") else "left")
    for r in results:
        c = r.counts
        t.add_row(r.source, str(c["seen"]), str(c["candidates"]), str(c["updated"]), str(c["skipped"]),
                  str(c["filtered"]),
                  str(c["dead_letter"]), str(c["not_modified"]),
                  ", ".join(f"{k} {v}" for k, v in sorted(r.reasons.items())))
    return t


def _fetch(cands, settings, storage, run_id, args, console):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.fetcher import fetch_candidates
    from pipeline.stages import fetch_removals

    if not cands:
        return fetch_candidates(cands, settings, storage, run_id=run_id)
    # what `newsetl remove` took out is not requested (skipped "removed"), read as the fetch task reads it; a
    # cluster that cannot be reached: a warning, and the fetch goes on, as in the fetch task
    with fetch_removals(settings) as removals:
        if args.no_progress:
            return fetch_candidates(cands, settings, storage, run_id=run_id, removals=removals)
        with Progress(TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.fields[last]}"), console=console, transient=True) as prog:
            task = prog.add_task("fetch", total=len(cands), last="")
            return fetch_candidates(cands, settings, storage, run_id=run_id, removals=removals,
                                    progress=lambda o: prog.update(task, advance=1,
                                                                   last=f"{o.state} {o.reason or ''}"))


def _fetch_table(res):
    from collections import defaultdict

    from rich.table import Table

    from pipeline.fetcher import STATES

    t = Table(title=f"fetch (run {res.run_id})")
    t.add_column("state")
    t.add_column("count", justify="right")
    t.add_column("reasons")
    reasons = defaultdict(lambda: defaultdict(int))
    for o in res.outcomes:
        if o.reason:
            reasons[o.state][o.reason] += 1
    for st in STATES:
        t.add_row(st, str(res.counts[st]), ", ".join(f"{k} {v}" for k, v in sorted(reasons[st].items())))
    return t


def _print(console, args, payload, *tables):
    if args.json:
        sys.stdout.write(json.dumps(payload, indent=1, default=str) + "\n")
        return
    from rich.console import Console

    out = Console()
    for t in tables:
        out.print(t)
    for k in ("candidates_file", "manifest", "deadletter_file"):
        if payload.get(k):
            out.print(f"{k.replace('_', ' ')}: {payload[k]}")


# ------------------------------------------------------------------ commands

def cmd_discover(args) -> int:
    from pipeline.discover import save_candidates

    settings, storage, run_id = _setup(args)
    console = _console()
    results = _discover_all(args, settings, storage, run_id, console)
    cands = [c for r in results for c in r.candidates]
    rel = args.out or f"runs/{run_id}/candidates/discovered.jsonl"
    save_candidates(storage, rel, cands)
    payload = {"run_id": run_id, "candidates_file": rel, "sources": [r.summary() for r in results],
               "deadletter_file": next((r.deadletter_file for r in results if r.deadletter_file), None)}
    _print(console, args, payload, _discovery_table(results))
    return 0


def cmd_fetch(args) -> int:
    from pipeline.discover import load_candidates
    from pipeline.fetcher import Candidate

    settings, storage, run_id = _setup(args)
    if not args.candidates and not args.url:
        raise UsageError("give --candidates REL (from `newsetl discover`) or --url URL")
    cands = []
    for rel in args.candidates or []:
        if not storage.exists(rel):
            raise UsageError(f"no candidate batch {rel!r} under {storage.root}")
        cands.extend(load_candidates(storage, rel))
    cands.extend(Candidate(url=u, source="cli") for u in args.url or [])
    if args.refetch:
        for c in cands:
            c.refetch = True
    res = _fetch(cands, settings, storage, run_id, args, _console())
    _print(_console(), args, res.summary(), _fetch_table(res))
    return 0


def cmd_crawl(args) -> int:
    settings, storage, run_id = _setup(args)
    console = _console()
    results = _discover_all(args, settings, storage, run_id, console)
    cands = [c for r in results for c in r.candidates]
    res = _fetch(cands, settings, storage, run_id, args, console)
    payload = {"sources": [r.summary() for r in results], **res.summary()}
    payload["deadletter_file"] = res.deadletter_file or next(
        (r.deadletter_file for r in results if r.deadletter_file), None)
    _print(console, args, payload, _discovery_table(results), _fetch_table(res))
    return 0
