"""``newsetl extract [--url URL] [--no-entities] PATH...``: process HTML files, print one JSON document per line.

Each PATH is an ``.html`` / ``.html.gz`` file or ``-`` (standard input). Output is in input order, one JSON object
per input, the full processed document (pipeline.schema) with ``source`` = the PATH as given. Rejected inputs are
printed too, with their reason in ``status``; the exit code is 0 whenever every input could be read. Unusable
arguments or unreadable paths: one line on standard error, exit 2, nothing printed.

A NER model or server that failed (``entities_status: error``) is reported after the output, one line per reason on
standard error, with how many documents it left without entities; the exit code stays 0.

At most ``processing.extraction.max_bytes`` + 1 bytes of an input are read (decompressed), so a huge file costs
bounded memory and comes out as ``too_large``. ``NEWSETL_NOW`` (ISO 8601) fixes ``processed_at`` for reproducible
output.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Iterator

from pipeline.cli import UsageError, parse_instant
from pipeline.page import Page
from pipeline.wording import counted

PROGRESS_MIN_INPUTS = 20


def register(subparsers) -> None:
    p = subparsers.add_parser("extract", help="extract articles from HTML files and print JSON lines",
                              description="Extract title, text, metadata, language and entities from HTML files; "
                                          "print one JSON object per input, in input order.")
    p.add_argument("--url", help="the URL the page was fetched from (only with a single PATH)")
    p.add_argument("--no-entities", action="store_true", help="skip named-entity recognition")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: processing.workers)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="an .html or .html.gz file, or - for standard input")
    p.set_defaults(func=run)


def _check_paths(paths: list[str], url: str | None) -> None:
    if url is not None and len(paths) != 1:
        raise UsageError(f"--url is allowed with a single PATH only (got {len(paths)} paths)")
    if url is not None and not url.strip():
        raise UsageError("--url is empty")
    if paths.count("-") > 1:
        raise UsageError("standard input (-) can be given only once")
    for p in paths:
        if p == "-":
            continue
        path = Path(p)
        if not path.exists():
            raise UsageError(f"{p}: no such file")
        if not path.is_file():
            raise UsageError(f"{p}: not a regular file")
        if not os.access(path, os.R_OK):
            raise UsageError(f"{p}: permission denied")


def _read_limited(path: str, limit: int) -> tuple[bytes, str | None]:
    """At most ``limit`` bytes of the (decompressed) input; (bytes, error) where error names a corrupt gzip."""
    if path == "-":
        return sys.stdin.buffer.read(limit), None
    try:
        with open(path, "rb") as raw:
            magic = raw.read(2)
            raw.seek(0)
            if path.endswith(".gz") or magic == b"\x1f\x8b":
                try:
                    with gzip.GzipFile(fileobj=raw) as f:
                        return f.read(limit), None
                except (OSError, EOFError, zlib.error) as e:
                    return b"", f"not a readable gzip file: {e}"
            return raw.read(limit), None
    except OSError as e:
        raise UsageError(f"{path}: {e.strerror or e}") from None


def _now() -> dt.datetime | None:
    v = os.environ.get("NEWSETL_NOW")
    return parse_instant(v, f"NEWSETL_NOW={v!r} is not an ISO 8601 date-time") if v else None


def run(args) -> int:
    from pipeline.process import limit_blas_threads, process_pages
    from pipeline.settings import load_settings

    _check_paths(args.paths, args.url)
    now = _now()
    if args.workers is not None and args.workers < 0:
        raise UsageError("--workers must be 0 (all cores) or more")
    settings = load_settings(args.config).processing
    limit_blas_threads(settings.blas_threads)    # few inputs are processed in this process (no numpy loaded yet)
    limit = settings.extraction.max_bytes + 1
    bad_gzip: dict[int, str] = {}

    def pages() -> Iterator[Page]:
        for i, p in enumerate(args.paths):
            body, err = _read_limited(p, limit)
            if err:
                bad_gzip[i] = err
            if args.url:
                url = args.url
            elif p == "-":
                url = "file:///dev/stdin"
            else:
                url = Path(p).resolve().as_uri()
            yield Page(url=url, body=body, source=p, headers={}, status_code=None)

    out = sys.stdout
    progress = None
    if len(args.paths) >= PROGRESS_MIN_INPUTS and sys.stderr.isatty():
        from rich.progress import Progress
        from rich.console import Console

        progress = Progress(console=Console(file=sys.stderr), transient=True)
        task = progress.add_task("extracting", total=len(args.paths))
        progress.start()
    ner_errors: Counter = Counter()     # a model or server that failed: said once on stderr, after the output
    total = 0
    try:
        for i, doc in enumerate(process_pages(pages(), settings, entities=not args.no_entities,
                                              workers=args.workers, now=now)):
            if i in bad_gzip:
                doc["status"], doc["error"] = "bad_gzip", bad_gzip.pop(i)
            elif doc.get("entities_status") == "error":
                ner_errors[doc.get("error") or "unknown error"] += 1
            out.write(json.dumps(doc, ensure_ascii=False, sort_keys=False) + "\n")
            total += 1
            if progress:
                progress.advance(task)
        out.flush()
    finally:
        if progress:
            progress.stop()
    for error, n in ner_errors.most_common(5):
        print(f"newsetl extract: {n} of {counted(total, 'document')} without entities (entities_status error): {error}",
              file=sys.stderr)
    return 0
