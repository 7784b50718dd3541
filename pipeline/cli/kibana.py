"""``newsetl kibana``: import, build and check the Kibana saved objects (data views, searches, dashboards).

    newsetl kibana import [--url URL] [--file F] [--overwrite] [--space S] [--wait SECONDS]
    newsetl kibana build  [--out F] [--index NAME] [--runs-index NAME] [--dead-letters-index NAME]
                          [--removed-index NAME] [--alerts-index NAME]
    newsetl kibana check  [--file F]

Credentials: NEWSETL_KIBANA_API_KEY, or NEWSETL_KIBANA_USERNAME / NEWSETL_KIBANA_PASSWORD, else the Elasticsearch
credentials of the config (NEWSETL_ES_USERNAME / NEWSETL_ES_PASSWORD). URL: --url, NEWSETL_KIBANA_URL, or
http://127.0.0.1:5601.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.cli import UsageError
from pipeline.wording import counted


def register(subparsers) -> None:
    p = subparsers.add_parser("kibana", help="import / build / check the Kibana saved objects",
                              description="Kibana saved objects: data views over the read alias and the runs, "
                                          "dead-letter, removed and alerts indices, saved searches, the Rising names "
                                          "panels (Vega), and the 'News overview', 'What is rising' and 'Source "
                                          "health' dashboards.")
    sub = p.add_subparsers(dest="kibana_command", metavar="ACTION", parser_class=type(p))
    sub.required = True

    imp = sub.add_parser("import", help="send the NDJSON to Kibana's saved-objects import API")
    imp.add_argument("--url", help="Kibana base URL (default $NEWSETL_KIBANA_URL or http://127.0.0.1:5601)")
    imp.add_argument("--file", help="NDJSON file (default config/kibana/newsetl.ndjson)")
    imp.add_argument("--overwrite", action="store_true", help="replace objects that exist already (same id)")
    imp.add_argument("--space", help="Kibana space id (default: the default space)")
    imp.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                     help="first wait up to SECONDS for Kibana to report 'available'")
    imp.add_argument("--ca-certs", help="CA file for an https Kibana (default $NEWSETL_KIBANA_CA_CERTS)")
    imp.set_defaults(func=cmd_import)

    build = sub.add_parser("build", help="write the saved objects as NDJSON for the configured read alias")
    build.add_argument("--out", help="output file (default config/kibana/newsetl.ndjson; '-' for stdout)")
    build.add_argument("--index", help="read alias / index pattern the data view covers (default: index.name)")
    build.add_argument("--runs-index", help="the runs index the Source health data view covers (default: "
                       "index.runs_index, or <--index>-runs)")
    build.add_argument("--dead-letters-index", help="the dead-letter index its dead-letter data view covers "
                       "(default: index.dead_letters_index, or <--index>-deadletters)")
    build.add_argument("--removed-index", help="the removed index (newsetl remove) its removed-records data view "
                       "covers (default: index.removed_index, or <--index>-removed)")
    build.add_argument("--alerts-index", help="the alerts index (the watches' alerts) its alerts data view covers "
                       "(default: index.alerts_index, or <--index>-alerts)")
    build.set_defaults(func=cmd_build)

    check = sub.add_parser("check", help="check references, field names (against the generated mapping) and the "
                                         "Vega panels' requests")
    check.add_argument("--file", help="NDJSON file (default config/kibana/newsetl.ndjson)")
    check.set_defaults(func=cmd_check)


def _settings(args):
    from pipeline.settings import load_settings

    return load_settings(args.config) if getattr(args, "config", None) else load_settings()


def _settings_or_none(args):
    from pipeline.settings import ConfigError

    try:
        return _settings(args)
    except ConfigError:
        if getattr(args, "config", None):
            raise
        return None  # no config file: importing needs none


def cmd_import(args: argparse.Namespace) -> int:
    from pipeline import kibana

    settings = _settings_or_none(args)
    try:
        data = kibana.read_file(args.file)
        objects = kibana.read_ndjson(data)
    except kibana.KibanaError as e:
        raise UsageError(str(e)) from None
    if not objects:
        raise UsageError(f"{args.file or kibana.default_ndjson()}: no saved objects in the file")
    auth = kibana.auth_from_env(settings)
    verify = args.ca_certs or os.environ.get("NEWSETL_KIBANA_CA_CERTS") or True
    try:
        url = kibana.kibana_url(args.url)
        if args.wait:
            kibana.wait_for_kibana(url, timeout=args.wait, auth=auth, verify=verify)
        result = kibana.import_saved_objects(data, url, overwrite=args.overwrite, auth=auth, space=args.space,
                                             filename=Path(args.file or kibana.default_ndjson()).name, verify=verify)
    except kibana.KibanaError as e:
        sys.stderr.write(f"newsetl kibana import: {e}\n")
        return 1
    print(f"imported {counted(result.success_count, 'saved object')} into {url}"
          + (f" (space {args.space})" if args.space else ""))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline import kibana

    settings = _settings_or_none(args)
    index = args.index or (settings.index.read_alias if settings is not None else "news")
    configured = settings is not None and not args.index
    runs = args.runs_index or (settings.index.runs_index_name if configured else f"{index}-runs")
    letters = args.dead_letters_index or (settings.index.dead_letters_index_name if configured
                                          else f"{index}-deadletters")
    removed = args.removed_index or (settings.index.removed_index_name if configured else f"{index}-removed")
    alerts = args.alerts_index or (settings.index.alerts_index_name if configured else f"{index}-alerts")
    data = kibana.to_ndjson(kibana.build_saved_objects(index, runs, letters, removed, alerts))
    if args.out == "-":
        sys.stdout.write(data.decode("utf-8"))
        return 0
    out = Path(args.out) if args.out else kibana.default_ndjson()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    count = len(data.splitlines())
    print(f"wrote {counted(count, 'saved object')} for index {index!r}, runs index {runs!r}, dead-letter index "
          f"{letters!r}, removed index {removed!r} and alerts index {alerts!r} to {out}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline import kibana
    from pipeline.mapping import build_mappings

    settings = _settings(args)
    try:
        objects = kibana.read_ndjson(kibana.read_file(args.file))
    except kibana.KibanaError as e:
        raise UsageError(str(e)) from None
    problems = kibana.check_saved_objects(objects, build_mappings(settings))
    views = [o for o in objects if o.get("type") == "index-pattern"]
    wanted = {kibana.RUNS_VIEW_ID: ("runs index", settings.index.runs_index_name),
              kibana.LETTERS_VIEW_ID: ("dead-letter index", settings.index.dead_letters_index_name),
              kibana.REMOVED_VIEW_ID: ("removed index", settings.index.removed_index_name),
              kibana.ALERTS_VIEW_ID: ("alerts index", settings.index.alerts_index_name)}
    for v in views:
        what, want = wanted.get(v["id"], ("read alias", settings.index.read_alias))
        if v["attributes"].get("title") != want:
            problems.append(f"data view {v['id']!r} covers {v['attributes'].get('title')!r}, but the "
                            f"{what} is {want!r} (run: newsetl kibana build)")
    for p in problems:
        print(p)
    if problems:
        sys.stderr.write(f"newsetl kibana check: {counted(len(problems), 'problem')}\n")
        return 1
    print(f"ok: {counted(len(objects), 'saved object')}, references and fields check out")
    return 0
