"""``newsetl changes [--since T | --after CURSOR | --cursor-file F] [--size N] [--follow SECONDS]`` — the documents
in the order loads wrote them, one JSON line each (``pipeline.changes``): an incremental export, or a copy kept in
sync by a cron job (``newsetl changes --cursor-file state >> news.jsonl``)."""
from __future__ import annotations

import json
import os
import sys
import time

from pipeline.cli import UsageError, index_client
from pipeline.wording import counted


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "changes", help="the documents in the order loads wrote them, as JSON lines (an incremental export)",
        description="Print every document written to the index since a point, one JSON line each, in the order "
        "loads wrote them (a changed document again), until caught up. With --cursor-file the next run goes on "
        "where this one stopped. The cursor is printed on standard error.")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--since", help="start with the documents written on or after this date or ISO date-time "
                       "(default: the first)")
    start.add_argument("--after", metavar="CURSOR", help="go on after this cursor (`next` of an earlier answer)")
    p.add_argument("--cursor-file", metavar="FILE", help="read the cursor from FILE when it exists, and write the new "
                   "one there after each page is printed (the next run goes on from it)")
    p.add_argument("--size", type=int, default=500, help="documents per request (default 500)")
    p.add_argument("--limit", type=int, help="stop after this many documents (the cursor stops there too)")
    p.add_argument("--follow", type=float, metavar="SECONDS", help="do not stop when caught up: ask again every "
                   "SECONDS (Ctrl-C to stop)")
    p.set_defaults(func=run)


def _read_cursor(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip() or None
    except FileNotFoundError:
        return None
    except OSError as e:
        raise UsageError(f"--cursor-file {path}: cannot be read ({e.strerror or e})") from None


def _write_cursor(path: str, cursor: str) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(cursor + "\n")
    os.replace(tmp, path)      # a run killed midway leaves the old cursor or the new one, never half of one


def run(args) -> int:
    from pipeline.changes import changes, delay_seconds

    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    after = args.after
    if args.cursor_file:
        saved = _read_cursor(args.cursor_file)
        if saved and (args.after or args.since):
            raise UsageError(f"--cursor-file {args.cursor_file} already holds a cursor: drop --after/--since, or "
                             "remove the file to start again")
        after = after or saved
    printed, since, cursor, page = 0, args.since, after, None
    with index_client(args) as (settings, client):
        try:
            while True:
                size = min(args.size, args.limit - printed) if args.limit else args.size
                page = changes(client, settings, after=cursor, since=None if cursor else since, size=size)
                for doc in page["documents"]:
                    sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
                sys.stdout.flush()           # printed before the cursor moves past it
                cursor, printed = page["next"], printed + len(page["documents"])
                if args.cursor_file:
                    _write_cursor(args.cursor_file, cursor)
                if args.limit and printed >= args.limit:
                    break
                if not page["more"]:
                    if args.follow is None:
                        break
                    time.sleep(args.follow)
        except KeyboardInterrupt:
            pass
        except BrokenPipeError:          # `| head`: the reader has gone; the cursor holds what was printed
            sys.stderr.close()
            return 0
    caught_up = f"; caught up to {page['until']} (what was written in the last {delay_seconds(settings):g} s comes " \
        "next time: index.search.changes_delay_seconds)" if page and not page["more"] else ""
    sys.stderr.write(f"{counted(printed, 'document')}{caught_up}; next: {cursor}\n")
    return 0
