"""Filter Airflow's constraints file for installing this project (used by docker/install-project.sh at build time).

    python filter_constraints.py CONSTRAINTS PYPROJECT [--extra NAME]... [--exclude NAME]... > filtered.txt

Drops the pin of every package the project itself declares (pyproject's dependencies plus the named extras: the
project is the one source of truth for those) and of the packages named with --exclude (transitive dependencies
whose required versions moved with a project pin, e.g. elastic-transport with the elasticsearch client major).
Every other pin stays, so the rest of the environment is what Airflow was tested with.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_packages(pyproject: dict, extras: list[str]) -> set[str]:
    project = pyproject.get("project", {})
    reqs = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"filter_constraints: pyproject.toml has no extra {extra!r} (has {sorted(optional)})")
        reqs += optional[extra]
    out = set()
    for r in reqs:
        m = _NAME.match(r)
        if m:
            out.add(normalize(m.group(1)))
    return out


def filter_lines(lines: list[str], drop: set[str]) -> tuple[list[str], list[str]]:
    kept, dropped = [], []
    for line in lines:
        m = _NAME.match(line)
        if m and not line.lstrip().startswith("#") and normalize(m.group(1)) in drop:
            dropped.append(line.strip())
            continue
        kept.append(line)
    return kept, dropped


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("constraints")
    ap.add_argument("pyproject")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--exclude", action="append", default=[])
    args = ap.parse_args(argv)
    with open(args.pyproject, "rb") as f:
        drop = project_packages(tomllib.load(f), args.extra) | {normalize(n) for n in args.exclude if n}
    with open(args.constraints, encoding="utf-8") as f:
        kept, dropped = filter_lines(f.read().splitlines(keepends=True), drop)
    sys.stdout.write("".join(kept))
    for d in dropped:
        print(f"filter_constraints: not constraining {d} (the project pins it)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
