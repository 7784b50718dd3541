"""``newsetl doctor``: whether this installation can work, one line per check, and what to fix (``pipeline.doctor``).

For an operator after ``docker compose up`` and for a newcomer after ``make setup``: the checks that ``newsetl
models``, ``newsetl index status --check`` and a look at the storage root and the mail server would each give, at
once and each within its time. Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for unusable
arguments or configuration (with the config error's one line, as every command).
"""
from __future__ import annotations

import json
import sys

from pipeline.cli import UsageError

_MARK = {"ok": "ok", "warn": "warn", "fail": "FAIL"}


def _names(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


def register(sub) -> None:
    from pipeline.doctor import NAMES

    p = sub.add_parser(
        "doctor", help="check that this installation can work (config, storage, Elasticsearch, models, snapshots, "
        "alerts, Airflow, Kibana) and say what to fix",
        description="Run independent checks, each within its own time, and print one line each: ok, warn or FAIL, "
        "what it found, and for warn and FAIL the fix (a command, or the config key and its file). Checks: "
        + ", ".join(NAMES) + ". Exit 0 when none failed (warnings allowed), 1 when one did, 2 for unusable "
        "arguments or configuration.")
    p.add_argument("--json", action="store_true", help="print the results as a JSON list")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--only", action="append", metavar="NAMES", help="run only these checks (comma-separated, "
                       "repeatable)")
    which.add_argument("--skip", action="append", metavar="NAMES", help="leave these checks out (comma-separated, "
                       "repeatable)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="give every check this long (default: each "
                   "its own, from 15 s for config to 120 s for the NER models)")
    p.set_defaults(func=cmd_doctor)


def _line(r) -> str:
    text = f"{_MARK[r.status]:<5} {r.name:<14} {r.summary}"
    if r.fix and r.status != "ok":
        text += f" — fix: {r.fix}"
    return text


def cmd_doctor(args) -> int:
    from pipeline import doctor
    from pipeline.cli import settings_for

    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g}: give a number of seconds above 0")
    try:
        checks = doctor.select(_names(args.only), _names(args.skip))
    except ValueError as e:
        raise UsageError(str(e)) from None
    if not checks:
        raise UsageError("--skip leaves no check to run")
    settings = settings_for(args)     # a ConfigError in newsetl.yaml ends here: exit 2, one line
    printer = None if args.json else (lambda r: print(_line(r), flush=True))
    results = doctor.run_checks(settings, checks, timeout=args.timeout, on_result=printer)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "warn", "fail")}
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        print(f"doctor: {counts['ok']} ok, {counts['warn']} warn, {counts['fail']} FAIL")
    config = next((r for r in results if r.config_error), None)
    if config:
        sys.stderr.write(f"newsetl doctor: {config.config_error}\n")
        return 2
    return 1 if counts["fail"] else 0
