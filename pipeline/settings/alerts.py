"""Settings of the watches and their alerts, and of the messages on failed tasks (section ``alerts:`` of
config/newsetl.yaml; ``pipeline.watches``, ``pipeline.notify``)."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from pipeline.settings.ingest import check_schedule


_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _env_name(v: str | None) -> str | None:
    if v is not None and not _ENV_NAME.fullmatch(v):
        raise ValueError(f"{v!r} is not an environment variable's name (write the name, not the secret)")
    return v


class Channel(BaseModel):
    """Where messages go (a watch's alerts, ``alerts.on_failure``): exactly one of ``webhook``, ``email`` and
    ``folder`` (``pipeline.notify`` sends them)."""
    model_config = ConfigDict(extra="forbid")

    webhook: str | None = None                  # http(s) URL
    format: Literal["json", "slack"] = "json"   # webhook: the message's shape
    secret_env: str | None = None               # webhook: the environment variable holding the signing secret
    headers: dict[str, str] = Field(default_factory=dict)   # webhook: more headers; ${VAR} reads the environment
    email: list[str] | None = None              # addresses, through alerts.smtp
    folder: str | None = None                   # a folder under the storage root
    digest: str | None = None                   # a watch's channel: at most one message this often ("1d", "6h")
    # set by pipeline.watches.load_all, never from input: a webhook a watch written through the API posts to, which
    # connects only to a public address it checked (pipeline.notify.post_webhook; alerts.api_webhook_private_ok)
    _guarded: bool = PrivateAttr(default=False)

    @field_validator("webhook")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"{v!r} is not an http:// or https:// URL")
        return v

    @field_validator("email", mode="before")
    @classmethod
    def _addresses(cls, v):
        if isinstance(v, str):
            v = [v]
        if isinstance(v, list):
            if not v:
                raise ValueError("give at least one address")
            for a in v:
                if not isinstance(a, str) or not _ADDRESS.match(a.strip()):
                    raise ValueError(f"{a!r} is not an e-mail address such as desk@example.org")
            v = [a.strip() for a in v]
        return v

    @field_validator("folder")
    @classmethod
    def _relative(cls, v: str | None) -> str | None:
        if v is not None and (not v.strip() or v.startswith("/") or ".." in v.split("/")):
            raise ValueError(f"{v!r} must be a folder under the storage root, such as alerts/ukraine")
        return v.strip("/") if v else v

    _secret = field_validator("secret_env")(lambda cls, v: _env_name(v))

    @field_validator("digest")
    @classmethod
    def _digest(cls, v: str | None) -> str | None:
        from pipeline.settings.ingest import parse_duration

        if v is not None and parse_duration(v) is None:
            raise ValueError(f"{v!r} is not a duration: write it like 1h, 6h, 1d or 1w")
        return v

    @model_validator(mode="after")
    def _one_target(self) -> "Channel":
        if sum(x is not None for x in (self.webhook, self.email, self.folder)) != 1:
            raise ValueError("give a channel one of webhook: <URL>, email: [addresses] or folder: <path>, one per "
                             "list item")
        if self.webhook is None and (self.secret_env or self.headers or self.format != "json"):
            raise ValueError("format, secret_env and headers are a webhook's: remove them from this channel")
        return self

    @property
    def key(self) -> str:
        """A stable name for the channel, without secrets (a Slack hook's URL is one): ``webhook-<hash>``,
        ``email-<hash>`` or ``folder:<path>``. Alerts not yet delivered name the channels still to do by it."""
        if self.folder is not None:
            return f"folder:{self.folder}"
        if self.email is not None:
            return "email-" + hashlib.sha256(",".join(sorted(a.lower() for a in self.email)).encode()).hexdigest()[:12]
        return "webhook-" + hashlib.sha256(self.webhook.encode()).hexdigest()[:12]

    def describe(self) -> str:
        """The channel in a message, without the webhook's path and query (which may hold a secret)."""
        if self.folder is not None:
            return f"folder {self.folder}"
        if self.email is not None:
            return f"email to {', '.join(self.email)}"
        return f"webhook {urlsplit(self.webhook).scheme}://{urlsplit(self.webhook).netloc}/… ({self.format})"

    def digest_delta(self):
        from pipeline.settings.ingest import parse_duration

        return parse_duration(self.digest) if self.digest else None


class SmtpSettings(BaseModel):
    """The mail server e-mail channels send through."""
    model_config = ConfigDict(extra="forbid")
    host: str | None = Field(default=None, description="the SMTP server; null: no e-mail channels")
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls (port 587), ssl (SMTPS, port 465) or none (a relay on localhost)")
    username_env: str | None = Field(default=None, description="the environment variable holding the login")
    password_env: str | None = Field(default=None, description="the environment variable holding the password")
    sender: str = Field(default="newsetl@localhost", description="the From: address")
    ca_certs: str | None = Field(default=None, description="a PEM file of the CA that signed the server's "
                                 "certificate (a private one); null: the system's")

    _envs = field_validator("username_env", "password_env")(lambda cls, v: _env_name(v))


class AlertsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    watches_file: str | None = Field(
        default=None,
        description="the watches (saved searches that send alerts): a YAML file, relative to this config file; "
        "null: watches.yaml beside it ($NEWSETL_WATCHES overrides both). A missing default file means no watches.")
    schedule: str | None = Field(
        default="@hourly",
        description="news_alerts runs whenever a load updates the index (the newsetl_index:<index name> asset) and "
        "also on this schedule, which delivers what a receiver refused before: as ingest.schedule; null: on index "
        "updates only")
    timeout_seconds: float = Field(default=10, gt=0, le=300, description="how long a webhook may take to answer")
    max_per_message: int = Field(default=20, ge=1, le=500, description="alerts in one webhook message or file; a "
                                 "watch may set its own")
    page_size: int = Field(default=500, ge=1, le=10_000, description="documents the changes feed reads at a time")
    on_failure: list[Channel] = Field(default_factory=list, description="where a message goes when a task of a "
                                      "newsetl DAG fails for good (its retries used up): webhooks (format json or "
                                      "slack), e-mail and folders, as a watch's channels; empty: Airflow's own alerts "
                                      "only")
    smtp: SmtpSettings = SmtpSettings()
    api_webhook_private_ok: bool = Field(
        default=False, description="a watch added through the API (PUT /watches/{name}) may post to a webhook whose "
        "host resolves to a private, loopback or link-local address. Off: the API would let any holder of an admin "
        "key make the server send requests into its own network (SSRF); turn it on only where that network is the "
        "receivers' (a test, a closed deployment)")

    @model_validator(mode="after")
    def _failure_channels(self) -> "AlertsSettings":
        for i, ch in enumerate(self.on_failure):
            if ch.digest:
                raise ValueError(f"on_failure[{i}]: a failed task is told at once: remove digest")
            if ch.email is not None and not self.smtp.host:
                raise ValueError(f"on_failure[{i}] sends e-mail: set alerts.smtp.host (and its port, security, "
                                 "sender)")
        return self

    _schedule = field_validator("schedule")(check_schedule)


def default_watches_path(settings=None) -> tuple[Path, bool]:
    """The watches file, and whether it was named (``$NEWSETL_WATCHES``, ``alerts.watches_file``): a named file must
    exist, the default ``watches.yaml`` beside the config may be missing (no watches)."""
    from pipeline.settings import config_dir

    if os.environ.get("NEWSETL_WATCHES"):
        return Path(os.environ["NEWSETL_WATCHES"]), True
    cfg_dir = Path(settings.config_file).parent if getattr(settings, "config_file", None) else config_dir()
    named = getattr(getattr(settings, "alerts", None), "watches_file", None)
    if named:
        p = Path(named)
        return (p if p.is_absolute() else cfg_dir / p), True
    return cfg_dir / "watches.yaml", False
