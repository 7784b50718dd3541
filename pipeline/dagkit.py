"""Wiring shared by the DAG files: settings loaded with readable import errors, default_args, pools, params.

No business logic lives here or in ``dags/``: tasks call ``pipeline.stages``. This module imports nothing heavy
(no spaCy, no Elasticsearch client), so a DAG file parses in well under two seconds.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.settings import ConfigError, Settings, load_settings


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

        load_sources()  # validate now, so a bad sources.yaml is an import error, not a failed task
    except ConfigError as e:
        raise NewsetlConfigError(e.one_line()) from None
    return settings


def default_args(settings: Settings) -> dict[str, Any]:
    ing = settings.ingest
    return {
        "owner": ing.owner,
        "retries": ing.retries,
        "retry_delay": dt.timedelta(seconds=ing.retry_delay_seconds),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(seconds=ing.max_retry_delay_seconds),
        "execution_timeout": dt.timedelta(minutes=ing.task_timeout_minutes),
    }


def index_asset(settings: Settings):
    """The Asset both DAGs update: downstream DAGs can be scheduled on index changes."""
    from airflow.sdk import Asset

    return Asset(name="newsetl_index", uri=f"newsetl://elasticsearch/{settings.index.name}")


def task_context() -> tuple[str, dict]:
    """(run id usable as a folder name, params) of the running task."""
    from airflow.sdk import get_current_context

    ctx = get_current_context()
    return safe_run_id(ctx["run_id"]), dict(ctx["params"])


def safe_run_id(run_id: str) -> str:
    """An Airflow run id as a folder name under the storage root."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id).strip("_")[:120]


def pools(settings: Settings) -> list[tuple[str, int, str]]:
    """The Airflow pools the DAGs use: (name, slots, description). Created by docker/airflow-init.sh."""
    ing = settings.ingest
    return [(ing.fetch_pool, ing.fetch_pool_slots, "newsetl: discover/fetch tasks across runs (politeness budget)"),
            (ing.load_pool, ing.load_pool_slots, "newsetl: bulk-load tasks across runs (Elasticsearch write load)")]


if __name__ == "__main__":  # `python -m pipeline.dagkit pools`: one "name<TAB>slots<TAB>description" line a pool
    import sys

    if sys.argv[1:] != ["pools"]:
        sys.exit("usage: python -m pipeline.dagkit pools")
    for name, slots, desc in pools(load_settings()):
        print(f"{name}\t{slots}\t{desc}")
