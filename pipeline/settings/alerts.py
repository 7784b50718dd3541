"""Settings of the watches and their alerts, and of the messages on failed tasks (section ``alerts:`` of
config/newsetl.yaml; ``pipeline.watches``, ``pipeline.notify``)."""
from __future__ import annotations

import hashlib
import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.settings.ingest import check_schedule


class Channel(BaseModel):
    """Where messages go (a watch's alerts, ``alerts.on_failure``): exactly one of ``webhook`` and ``folder``
    (``pipeline.notify`` sends them)."""
    model_config = ConfigDict(extra="forbid")

    webhook: str | None = None                  # http(s) URL
    format: Literal["json", "slack"] = "json"   # webhook: the message's shape
    secret_env: str | None = None               # webhook: the environment variable holding the signing secret
    headers: dict[str, str] = Field(default_factory=dict)   # webhook: more headers; ${VAR} reads the environment
    folder: str | None = None                   # a folder under the storage root

    @field_validator("webhook")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"{v!r} is not an http:// or https:// URL")
        return v

    @field_validator("folder")
    @classmethod
    def _relative(cls, v: str | None) -> str | None:
        if v is not None and (not v.strip() or v.startswith("/") or ".." in v.split("/")):
            raise ValueError(f"{v!r} must be a folder under the storage root, such as alerts/ukraine")
        return v.strip("/") if v else v

    @field_validator("secret_env")
    @classmethod
    def _env_name(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v):
            raise ValueError(f"{v!r} is not an environment variable's name (write the name, not the secret)")
        return v

    @model_validator(mode="after")
    def _one_target(self) -> "Channel":
        if (self.webhook is None) == (self.folder is None):
            raise ValueError("give a channel either webhook: <URL> or folder: <path>, one per list item")
        if self.folder is not None and (self.secret_env or self.headers or self.format != "json"):
            raise ValueError("format, secret_env and headers are a webhook's: remove them from a folder channel")
        return self

    @property
    def key(self) -> str:
        """A stable name for the channel, without secrets (a Slack hook's URL is one): ``webhook-<hash>`` or
        ``folder:<path>``. Alerts not yet delivered name the channels still to do by it."""
        if self.folder is not None:
            return f"folder:{self.folder}"
        return "webhook-" + hashlib.sha256(self.webhook.encode()).hexdigest()[:12]

    def describe(self) -> str:
        """The channel in a message, without the webhook's path and query (which may hold a secret)."""
        if self.folder is not None:
            return f"folder {self.folder}"
        return f"webhook {urlsplit(self.webhook).scheme}://{urlsplit(self.webhook).netloc}/… ({self.format})"



class AlertsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    watches_file: str | None = Field(
        default=None,
        description="the watches (saved searches that send alerts): a YAML file, relative to this config file; "
        "null: watches.yaml beside it ($NEWSETL_WATCHES overrides both). A missing default file means no watches.")
    schedule: str | None = Field(
        default="@hourly",
        description="news_alerts runs whenever a load updates the index (the newsetl_index asset) and also on this "
        "schedule, which delivers what a receiver refused before: as ingest.schedule; null: on index updates only")
    timeout_seconds: float = Field(default=10, gt=0, le=300, description="how long a webhook may take to answer")
    max_per_message: int = Field(default=20, ge=1, le=500, description="alerts in one webhook message or file; a "
                                 "watch may set its own")
    page_size: int = Field(default=500, ge=1, le=10_000, description="documents the changes feed reads at a time")
    on_failure: list[Channel] = Field(default_factory=list, description="where a message goes when a task of a "
                                      "newsetl DAG fails for good (its retries used up): webhooks (format json or "
                                      "slack) and folders, as a watch's channels; empty: Airflow's own alerts only")

    _schedule = field_validator("schedule")(check_schedule)
