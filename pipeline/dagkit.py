"""Wiring shared by the DAG files: settings loaded with readable import errors, default_args, pools, params.

No business logic lives here or in ``dags/``: tasks call ``pipeline.stages``. This module imports nothing heavy
(no spaCy, no Elasticsearch client), so a DAG file parses in about half a second on our 2-core machine
(benchmarks/bench_dag_parse.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pipeline.settings import ConfigError, Settings, load_settings
from pipeline.wording import counted


class NewsetlConfigError(Exception):
    """Shown by Airflow as the DAG file's import error: one readable line naming the file, the key and the fix."""


def dag_settings() -> Settings:
    """Load and validate config/newsetl.yaml and config/sources.yaml for a DAG file.

    On a bad config this raises ``NewsetlConfigError`` with only the config message and no chained traceback, so
    the Airflow UI's import error reads "config error in config/sources.yaml: sources[2].kind: …" instead of a
    pydantic stack trace.
    """
    try:
        settings = load_settings()
        from pipeline.sources import load_sources

        load_sources(settings=settings)  # validate now: a bad sources.yaml is an import error, not a failed task
    except ConfigError as e:
        raise NewsetlConfigError(e.one_line()) from None
    return settings


def default_args(settings: Settings) -> dict[str, Any]:
    ing = settings.ingest
    args = {
        "owner": ing.owner,
        "retries": ing.retries,
        "retry_delay": dt.timedelta(seconds=ing.retry_delay_seconds),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(seconds=ing.max_retry_delay_seconds),
        "execution_timeout": dt.timedelta(minutes=ing.task_timeout_minutes),
    }
    if settings.alerts.on_failure:
        args["on_failure_callback"] = failure_callback(settings)
    return args


def failure_callback(settings: Settings):
    """The ``on_failure_callback`` of every task when ``alerts.on_failure`` names channels: a task that failed for
    good (its retries used up) is told to each (``pipeline.notify.task_failure``: the DAG, the task, the run, the
    error and the log's URL). A channel that refuses is logged; the callback never raises."""
    def notify_failure(context) -> None:
        import logging

        from pipeline.notify import DeliveryError, deliver, task_failure
        from pipeline.storage import Storage

        log = logging.getLogger("newsetl.alerts")
        ti = context["ti"]
        error = context.get("exception")
        try:
            log_url = ti.log_url
        except Exception:                  # no [api] base_url: the message goes without the link
            log_url = None
        msg = task_failure(dag_id=ti.dag_id, task_id=ti.task_id, run_id=ti.run_id,
                                 map_index=getattr(ti, "map_index", None), try_number=getattr(ti, "try_number", None),
                                 error=" ".join(str(error or "failed").split())[:1000], log_url=log_url)
        storage = Storage(settings.storage.root)
        for channel in settings.alerts.on_failure:
            try:
                deliver(storage, channel, msg, settings.alerts)
            except DeliveryError as e:
                log.warning("could not tell %s that %s.%s failed: %s", channel.describe(), ti.dag_id, ti.task_id, e)
    return notify_failure


def index_asset(settings: Settings):
    """The Asset the loading DAGs update: downstream DAGs (news_alerts) are scheduled on index changes. Named after
    the index too (``newsetl_index:news``): Airflow wants one URI per asset name, and two configurations of one
    deployment (or of one test session) write two indices."""
    from airflow.sdk import Asset

    return Asset(name=f"newsetl_index:{settings.index.name}", uri=f"newsetl://elasticsearch/{settings.index.name}")


def task_context() -> tuple[str, dict]:
    """(run id usable as a folder name, params) of the running task."""
    from airflow.sdk import get_current_context

    ctx = get_current_context()
    return safe_run_id(ctx["run_id"]), dict(ctx["params"])


def safe_run_id(run_id: str) -> str:
    """An Airflow run id as a folder name under the storage root."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id).strip("_")[:120]


def pools(settings: Settings) -> list[tuple[str, int, str]]:
    """The Airflow pools the DAGs use: (name, slots, description). Created by docker/airflow-init.sh
    (``apply_pools``: ``python -m pipeline.dagkit pools --apply``)."""
    ing = settings.ingest
    return [(ing.fetch_pool, ing.fetch_pool_slots, "newsetl: discover/fetch tasks across runs (politeness budget)"),
            (ing.load_pool, ing.load_pool_slots, "newsetl: bulk-load tasks across runs (Elasticsearch write load)"),
            (ing.process_pool, ing.process_pool_slots,
             "newsetl: processing tasks across runs and DAGs (each fills the cores with processing.workers workers)")]


def apply_pools(settings: Settings) -> list[str]:
    """Create each pool of ``pools`` in Airflow's metadata database (the one AIRFLOW_HOME's configuration names, as
    the scheduler's), or set its slots and description to the config's; one line a pool, saying which."""
    from airflow.models.pool import Pool

    done = []
    for name, slots, desc in pools(settings):
        before = Pool.get_pool(name)
        was = None if before is None else before.slots
        Pool.create_or_update_pool(name, slots, desc, False)
        n = counted(slots, "slot")
        done.append(f"{name}: created with {n}" if was is None else
                    f"{name}: {n}" + (f" (was {was})" if was != slots else ", unchanged"))
    return done


if __name__ == "__main__":
    # `python -m pipeline.dagkit pools`: one "name<TAB>slots<TAB>description" line a pool;
    # `python -m pipeline.dagkit pools --apply`: create them in Airflow (or set their slots to the config's)
    import sys

    if sys.argv[1:] not in (["pools"], ["pools", "--apply"]):
        sys.exit("usage: python -m pipeline.dagkit pools [--apply]")
    settings = load_settings()
    if sys.argv[2:]:
        try:
            done = apply_pools(settings)
        except ImportError as e:
            sys.exit(f"pools --apply: Airflow cannot be imported here ({e}): run it where the scheduler runs")
        except Exception as e:      # the metadata database: not migrated, unreachable, read-only
            from pipeline.doctor import first_line

            sys.exit(f"pools --apply: Airflow's metadata database cannot take the pools ({first_line(e)}): run "
                     f"`airflow db migrate` with the AIRFLOW_HOME (or sql_alchemy_conn) the scheduler uses, then "
                     f"this again")
        print("\n".join(done))
    else:
        for name, slots, desc in pools(settings):
            print(f"{name}\t{slots}\t{desc}")


def alerts_schedule(settings: Settings):
    """news_alerts' schedule: every update of the index asset (a load), or also ``alerts.schedule`` (a preset, a
    cron expression or a duration), which delivers what a receiver refused before when no load comes."""
    from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, DeltaTriggerTimetable

    from pipeline.settings.ingest import parse_schedule

    asset = index_asset(settings)
    when = parse_schedule(settings.alerts.schedule)
    if when is None:
        return [asset]
    timetable = (DeltaTriggerTimetable(when) if isinstance(when, dt.timedelta)
                 else CronTriggerTimetable(when, timezone="UTC"))
    return AssetOrTimeSchedule(timetable=timetable, assets=[asset])


def alerts_settings() -> Settings:
    """``dag_settings`` for news_alerts: the watches file is validated too, so a bad one is the DAG's import
    error.

    A watch is validated with the search module, which imports the Elasticsearch client: 1.4 s more a parse on our
    2-core machine (benchmarks/bench_dag_parse.py), every time the dag-processor parses the file (every 30 s).
    So a watches file that passed once, unchanged, with the same settings and the same code, is not validated again:
    a marker named by a hash of the three (``_watches_marker``) says it passed. Any change to one of them validates
    again, and a file that fails leaves no marker."""
    settings = dag_settings()
    marker = _watches_marker(settings)
    if marker is not None and marker.exists():
        return settings
    try:
        from pipeline.watches import load_watches

        load_watches(settings=settings)
    except ConfigError as e:
        raise NewsetlConfigError(e.one_line()) from None
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:         # a read-only temp dir: validate at every parse, as before
            pass
        else:
            _prune_markers(marker.parent)
    return settings


KEEP_MARKERS = 16


def _prune_markers(folder: Path) -> None:
    """Remove all but the ``KEEP_MARKERS`` newest markers: each change to the watches file, the settings or the code
    writes a new one and leaves the one before behind. Enough stay for several deployments sharing the temp dir
    (one user, several configurations) not to remove each other's current marker."""
    try:
        found = sorted(((p.stat().st_mtime_ns, p) for p in folder.iterdir()), reverse=True)
    except OSError:
        return
    for _, old in found[KEEP_MARKERS:]:
        try:
            old.unlink()
        except OSError:     # gone already (another parse pruned it)
            pass


def _watches_marker(settings: Settings) -> Path | None:
    """The file whose existence says that the watches file as it is now passed validation with these settings and
    this code (every file of the ``pipeline`` package, by size and modification time): under the temp dir, named by
    a hash of all three. None when the watches file cannot be read (validation then says why)."""
    from pipeline import __version__
    from pipeline.settings.alerts import default_watches_path

    path, _ = default_watches_path(settings)
    h = hashlib.sha256()
    try:
        h.update(path.read_bytes() if path.exists() else b"(none)")
    except OSError:
        return None
    h.update(str(path.resolve()).encode() + b"\0" + settings.model_dump_json().encode() + __version__.encode())
    package = Path(__file__).resolve().parent
    sources = []
    for root, dirs, files in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__"]    # compiled copies come and go with imports, not changes
        sources += [os.path.join(root, name) for name in files if not name.endswith(".pyc")]
    for path_ in sorted(sources):
        st = os.stat(path_)
        h.update(f"{os.path.relpath(path_, package)} {st.st_size} {st.st_mtime_ns}\n".encode())
    return Path(tempfile.gettempdir()) / f"newsetl-{os.getuid()}" / "watches-valid" / h.hexdigest()[:32]
