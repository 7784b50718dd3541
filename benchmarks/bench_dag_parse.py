"""How long each DAG file takes to parse, as Airflow's dag-processor parses it (not part of the test run).

    .venv/bin/python benchmarks/bench_dag_parse.py [--rounds 5] [--cold] [dags/news_alerts.py ...]

Each parse runs in a fresh interpreter that has imported Airflow already, as the dag-processor's child has
(``tests/dagparse.py``, which tests/test_dags_integrity.py uses to check what a parse imports). The files take turns,
round after round, so a slow moment of the machine falls on all of them; the table gives each file's median and
fastest parse, and the packages its parse imports beyond Airflow's. The dag-processor parses every file again every
``[dag_processor] min_file_process_interval`` (30 s by default), so a file's parse time is a steady share of a core.

news_alerts validates the watches file at its first parse and keeps a marker of it under the temp dir
(``pipeline.dagkit.alerts_settings``); the rounds after the first find it. ``--cold`` gives every parse an empty temp
dir of its own, as after a change of the watches file, the settings or the code.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.dagparse import parse_in_subprocess  # noqa: E402

# the packages a parse imports that are not the standard library's nor Airflow's own (what a DAG file adds)
_OWN = {"airflow", "packaging", "pipeline"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="DAG files (default: every file in dags/)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cold", action="store_true", help="no marker of a validated watches file (a fresh temp dir)")
    args = ap.parse_args()
    files = [Path(f).resolve() for f in args.files] or sorted(p for p in (REPO / "dags").glob("*.py")
                                                                if not p.name.startswith("_"))
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="newsetl-bench-airflow-"))
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")
    times: dict[Path, list[float]] = {f: [] for f in files}
    added: dict[Path, list[str]] = {}
    for r in range(args.rounds):
        for f in files:
            with tempfile.TemporaryDirectory() as tmp:
                res = parse_in_subprocess(f, {"TMPDIR": tmp} if args.cold else None)
            if res["errors"]:
                sys.exit(f"{f.name}: {res['errors']}")
            times[f].append(res["seconds"])
            stdlib = set(sys.stdlib_module_names)
            added[f] = [m for m in res["modules"] if m not in stdlib and m not in _OWN and not m.startswith("_")]
        print(f"# round {r + 1} of {args.rounds} done", file=sys.stderr)
    print(f"| DAG file | median s | fastest s | packages its parse adds (rounds: {args.rounds}) |")
    print("| --- | --- | --- | --- |")
    for f in files:
        print(f"| {f.name} | {statistics.median(times[f]):.2f} | {min(times[f]):.2f} | "
              f"{', '.join(added[f]) or '-'} |")
    print(f"# cpus={os.cpu_count()} python={sys.version.split()[0]}")


if __name__ == "__main__":
    main()
