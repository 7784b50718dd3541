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
    }


def safe_run_id(run_id: str) -> str:
    """An Airflow run id as a folder name under the storage root."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id).strip("_")[:120]
