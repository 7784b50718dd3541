"""The ``newsetl`` command line. Each sub-command lives in its own module here and registers itself.

Sub-commands call the stage functions in ``pipeline.stages`` (the same ones the DAG tasks call), never their own
copies. Usage errors exit 2 with one line on standard error; ``ConfigError`` and connection errors likewise, naming
the file/key or the URL and what to do.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import sys

from pipeline import __version__

# module name in pipeline.cli -> it defines register(subparsers)
COMMAND_MODULES = ["extract", "search", "index", "crawl", "run", "kibana", "models", "deadletters", "prune", "reprocess", "sources",
                   "serve", "changes", "trends", "suggest", "remove", "watch", "keys", "doctor", "entities", "tags"]


class UsageError(Exception):
    """Unusable arguments or inputs: printed as one line, exit code 2."""


class Failed(Exception):
    """The work failed (the cluster cannot be reached, the index is not there): printed as one line, exit code 1."""


@contextlib.contextmanager
def index_errors():
    """For a command that reads the index: an unreachable cluster or a missing index fails it (exit 1), a bad
    request (a cursor, a date, a size) is a usage error (exit 2); each one line."""
    from pipeline.es import ClusterUnavailable
    from pipeline.search import SearchError

    try:
        yield
    except ClusterUnavailable as e:
        raise Failed(str(e)) from None
    except SearchError as e:
        if "does not exist" in str(e):
            raise Failed(str(e)) from None
        raise UsageError(str(e)) from None


@contextlib.contextmanager
def index_client(args: argparse.Namespace):
    """``(settings, client)`` for a command that reads the index, inside ``index_errors``; the client is closed
    at the end."""
    from pipeline.es import client_from_settings
    from pipeline.settings import load_settings

    settings = load_settings(args.config)
    client = client_from_settings(settings)
    try:
        with index_errors():
            yield settings, client
    finally:
        client.close()


def add_filters(p: argparse.ArgumentParser, *, dates: bool = False) -> None:
    """The filters of ``newsetl search`` that ``trends`` and ``suggest`` take too (``filters_of`` reads them)."""
    p.add_argument("--lang", help="language code(s), comma-separated")
    p.add_argument("--source", help="source name or domain (comma-separated)")
    p.add_argument("--country", help="articles naming a country or a first-level region, or a place in it "
                   "(ISO 3166 codes or names: DE, US-CA, Bayern)")
    p.add_argument("--entity", action="append", default=[], metavar="TYPE:NAME", help="articles naming this entity "
                   "(repeatable)")
    p.add_argument("--tag", help="a tag or category of the page")
    if dates:
        p.add_argument("--since", help="published on or after (YYYY-MM-DD or ISO date-time)")
        p.add_argument("--until", help="published on or before")
    p.add_argument("--originals", action="store_true", help="leave the near duplicates out (wire copies count once)")
    p.add_argument("--access", help="free, metered or paywalled as the page declares it, none: it declares nothing "
                   "(comma-separated: any of them)")
    p.add_argument("--near", metavar="LAT,LON,KM", help="a city among the article's places lies within KM km of the "
                   "point, or of a city: CITY,KM")


def filters_of(args: argparse.Namespace) -> dict:
    """The keyword arguments of ``pipeline.search``'s functions for the filters ``add_filters`` added."""
    from pipeline.search import parse_entity

    out = {"lang": args.lang, "source": args.source, "country": args.country, "tag": args.tag,
           "originals": args.originals, "entities": [parse_entity(e) for e in args.entity]}
    for key in ("since", "until"):
        if hasattr(args, key):
            out[key] = getattr(args, key)
    if getattr(args, "access", None):   # checked, like near, before anything is asked of the cluster
        from pipeline.search import access_filter

        access_filter(args.access)
        out["access"] = args.access
    if getattr(args, "near", None):     # `newsetl search --near`: checked before anything is asked of the cluster
        from pipeline.places import near_point
        from pipeline.search import SearchError

        try:        # the towns the loader placed: index.places.min_city_population
            near_point(args.near, settings_for(args).index.places.min_city_population)
        except ValueError as e:
            raise SearchError(str(e)) from None
        out["near"] = args.near
    return out


def print_feed_url(option: str, base: str, path: str, params: dict | None = None) -> int:
    """Print the URL of the feed at ``path`` on the API at ``base`` (``option`` gave it), with the token the server
    with this environment's NEWSETL_API_KEY takes (``pipeline.feed.feed_url``), and on standard error what a reader
    of it should know; 0, for a command to return. UsageError for a base without its scheme."""
    from pipeline.feed import feed_url

    if not base.startswith(("http://", "https://")):
        raise UsageError(f"{option} {base!r}: give the API's address with its scheme, e.g. https://news.example:8000")
    key = os.environ.get("NEWSETL_API_KEY") or None
    print(feed_url(base, path, key, params))
    if not key:
        sys.stderr.write("NEWSETL_API_KEY is not set here: the URL has no token (a server without a key needs "
                         "none; one with a key refuses it)\n")
    elif base.startswith("http://") and not base.startswith(("http://127.", "http://localhost")):
        sys.stderr.write("the token travels in the URL: serve the API over HTTPS (newsetl serve --ssl-certfile)\n")
    return 0


def print_json(obj) -> int:
    """``obj`` as indented JSON on standard output (non-ASCII as written); 0, for a command to return."""
    import json

    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


def parse_instant(value: str, error: str) -> dt.datetime:
    """An ISO 8601 date or time ("Z" for UTC) as an aware datetime, UTC when it names no zone; UsageError(``error``)
    when it is none."""
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(error) from None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def parse_since(value: str | None) -> dt.datetime | None:
    """A ``--since`` argument as an aware datetime (``parse_instant``); None when not given."""
    if not value:
        return None
    return parse_instant(value, f"--since {value!r} is not an ISO 8601 date or time (e.g. 2024-05-01)")


def settings_for(args):
    """The settings of a command: ``--config`` (or the default), with ``--storage ROOT`` over ``storage.root``
    where the command has that option and it was given."""
    from pipeline.settings import load_settings

    root = getattr(args, "storage", None)
    return load_settings(getattr(args, "config", None), overrides={"storage": {"root": root}} if root else None)


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="newsetl", description="News ETL: fetch, process, index and search news articles.")
    parser.add_argument("--version", action="version", version=f"newsetl {__version__}")
    parser.add_argument("--config", help="path of newsetl.yaml (default: config/newsetl.yaml or $NEWSETL_CONFIG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"pipeline.cli.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"pipeline.cli.{name}":
                continue  # command not built yet
            raise
        mod.register(sub)
    return parser


def logs_to_stderr_under_airflow() -> None:
    """A command run by an Airflow task (a BashOperator: the task's ``AIRFLOW_CTX_*`` are inherited) reads the
    Airflow connection (``stages.es_client``), and importing Airflow points its logging, ours included, at standard
    output, where it would mix with the command's output (``--json``). So set Airflow's logging up first, on standard
    error (the task log shows both)."""
    if not os.environ.get("AIRFLOW_CTX_DAG_ID"):
        return
    try:
        from airflow.sdk.log import configure_logging
    except ImportError:     # no Airflow here: nothing will point logging at standard output
        return
    configure_logging(output=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    from pipeline.settings import ConfigError

    logs_to_stderr_under_airflow()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except UsageError as e:
        sys.stderr.write(f"newsetl {args.command}: error: {e}\n")
        return 2
    except Failed as e:
        sys.stderr.write(f"newsetl {args.command}: {e}\n")
        return 1
    except ConfigError as e:
        sys.stderr.write(f"newsetl {args.command}: {e.one_line()}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
