"""Parse a DAG file as Airflow's dag-processor does, in a fresh interpreter: used by tests/test_dags_integrity.py
and benchmarks/bench_dag_parse.py. Needs no metadata database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Parse one DAG file the way the dag-processor does (Airflow already imported), in a fresh interpreter so that
# nothing cached by other tests hides the file's own imports: "modules" are the top-level packages the parse
# imported, "seconds" how long it took (for benchmarks/bench_dag_parse.py; tests do not time it).
_PARSE = r"""
import json, sys, time
import airflow.sdk
from airflow.dag_processing.dagbag import DagBag
before = set(sys.modules)
t = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1], include_examples=False) if 'include_examples' in DagBag.__init__.__code__.co_varnames else DagBag(dag_folder=sys.argv[1])
dt = time.perf_counter() - t
modules = sorted({m.split(".")[0] for m in set(sys.modules) - before if not m.startswith("unusual_prefix_")})
out = {"seconds": dt, "modules": modules, "errors": {str(k): v for k, v in bag.import_errors.items()}, "dags": {}}
def first_run(dag):
    # seconds from now to the first run the scheduler would make of the DAG just unpaused (its serialized
    # timetable, as the scheduler reads it; negative: in the past, so at once); None without a schedule
    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.timetables.base import TimeRestriction
    from airflow.utils import timezone
    tt = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag)).timetable
    if not tt.can_be_scheduled:
        return None
    info = tt.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(
        earliest=dag.start_date, latest=None, catchup=dag.catchup))
    return None if info is None else (info.run_after - timezone.utcnow()).total_seconds()
def weight(dag, t):
    # the priority the scheduler gives the task's instances in a pool's queue (airflow.task.priority_strategy)
    rule = str(getattr(t.weight_rule, "value", t.weight_rule))
    if rule == "absolute":
        return t.priority_weight
    assert rule == "downstream", rule
    return t.priority_weight + sum(dag.task_dict[i].priority_weight for i in t.get_flat_relative_ids(upstream=False))
for dag_id, dag in bag.dags.items():
    dag.check_cycle() if hasattr(dag, "check_cycle") else None
    out["dags"][dag_id] = {
        "first_run": first_run(dag),
        "tags": sorted(dag.tags or []),
        "params": {k: dag.params[k] for k in dag.params},
        "tasks": {t.task_id: {"retries": t.retries, "owner": t.owner, "pool": t.pool,
                              "per_run": t.max_active_tis_per_dagrun, "weight": weight(dag, t)} for t in dag.tasks},
    }
print("RESULT" + json.dumps(out))
"""


def parse_in_subprocess(path: Path, env_extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(env_extra or {})
    proc = subprocess.run([sys.executable, "-c", _PARSE, str(path)], capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError(f"parse of {path} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(line[len("RESULT"):])
