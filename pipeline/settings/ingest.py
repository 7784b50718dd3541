"""Settings of the Airflow DAGs and `newsetl run` (section ``ingest:`` of config/newsetl.yaml)."""
from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_PRESETS = {"@once", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@continuous"}
_CRON_FIELD = re.compile(r"^[\d\*/,\-A-Za-z?LW#]+$")
_DURATION = re.compile(r"^(\d+)\s*(s|m|h|d|w)$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: str | None) -> dt.timedelta | None:
    """``"30m"``, ``"6h"``, ``"7d"``, ``"2w"`` as a timedelta; None when ``value`` is not one."""
    m = _DURATION.match(str(value or "").strip())
    return dt.timedelta(**{_UNITS[m.group(2)]: int(m.group(1))}) if m else None


def parse_schedule(value: str | None) -> str | dt.timedelta | None:
    """What a DAG's ``schedule`` gets: None (manual), a preset, a cron string, or a timedelta ("30m", "6h")."""
    if value is None or str(value).strip().lower() in ("", "none", "manual", "null"):
        return None
    v = str(value).strip()
    return parse_duration(v) or v


def check_schedule(cls, v: str | None) -> str | None:
    """A pydantic validator of a DAG schedule setting (see ``parse_schedule``): a preset, a cron expression, a
    duration or null."""
    if v is None:
        return v
    s = str(v).strip()
    if s.lower() in ("", "none", "manual", "null") or s in _PRESETS or _DURATION.match(s):
        return s
    parts = s.split()
    if len(parts) in (5, 6) and all(_CRON_FIELD.match(p) for p in parts):
        try:
            from croniter import croniter

            if not croniter.is_valid(s):
                raise ValueError
        except ImportError:  # croniter ships with Airflow; without Airflow the shape check above stands
            pass
        except ValueError:
            raise ValueError(f"{s!r} is not a valid cron expression") from None
        return s
    raise ValueError(
        f"{s!r} is not a schedule: use a preset such as @hourly or @daily, a cron expression such as "
        "'0 * * * *', a duration such as 30m or 6h, or null for manual runs"
    )


class IngestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schedule: str | None = Field(
        default="@hourly",
        description="When news_ingest runs: a preset (@hourly, @daily…), a 5-field cron expression, a duration "
        "such as 30m or 6h, or null for manual runs only.",
    )
    batch_size: int = Field(default=50, ge=1, le=10_000, description="URLs (and pages) per mapped batch")
    process_group_pages: int = Field(
        default=200, ge=1, le=100_000,
        description="the DAGs' process and load tasks take consecutive fetched batches together up to this many "
        "pages: a process task starts a worker pool that loads the NER models (seconds a worker), once a group "
        "instead of once a batch; 1: each batch alone")
    max_active_runs: int = Field(default=1, ge=1)
    retries: int = Field(default=3, ge=2, description="retries of every task (exponential backoff)")
    retry_delay_seconds: int = Field(default=30, ge=1)
    max_retry_delay_seconds: int = Field(default=600, ge=1)
    task_timeout_minutes: int = Field(default=120, ge=1, description="execution_timeout of every task: a hung "
                                      "task fails (and retries) instead of blocking the run")
    fetch_tasks_per_run: int | None = Field(
        default=None, ge=1,
        description="fetch tasks of one run that may run at once. They share the per-host clock and in-flight slots "
        "of fetch.pacing_dir, so batches of one source stay polite together; more than 1 needs a shared clock. "
        "Unset: 4 when the clock is shared, else 1")
    fetch_pool: str = Field(default="newsetl_fetch", description="Airflow pool bounding fetch tasks across runs")
    fetch_pool_slots: int = Field(default=4, ge=1)
    load_pool: str = Field(default="newsetl_load", description="Airflow pool bounding bulk-load tasks across runs")
    load_pool_slots: int = Field(default=2, ge=1)
    process_pool: str = Field(default="newsetl_process", description="Airflow pool bounding processing tasks across "
                              "runs and DAGs (news_ingest, news_reprocess)")
    process_pool_slots: int = Field(
        default=1, ge=1,
        description="processing tasks at once: each starts processing.workers worker processes (one per core by "
        "default, about 1.2 GB each with their NER models), so one task fills a machine's cores; with several Airflow "
        "worker machines (Celery), one slot per machine")
    dead_letter_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="the report task fails the run when dead letters / candidates exceeds this share",
    )
    stale_after_hours: float | None = Field(
        default=48, gt=0,
        description="a source that brought no new article for this long is named in the run's report and flagged "
        "by `newsetl sources` (a moved feed, a changed site); null: not checked")
    retry_dead_letters: bool = Field(
        default=False,
        description="every news_ingest run (its param's default) and `newsetl run` also fetch again the open fetch "
        "failures of earlier runs (timeouts, 5xx, 404s...; not robots or not_html), as the source @deadletters, until "
        "a URL has failed fetch.give_up_after times")
    health_schedule: str | None = Field(
        default="@daily",
        description="When news_health runs (it writes the reports and dead letters the cluster missed into their "
        "indices, and fails when a source is stale, failing or never ran): as schedule; null: manual runs only")
    health_days: float = Field(default=7, gt=0, description="news_health's window over the run reports, in days")
    owner: str = "newsetl"

    _schedules = field_validator("schedule", "health_schedule")(check_schedule)
