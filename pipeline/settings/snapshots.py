"""Settings of the snapshots of newsetl's indices (section ``snapshots:`` of config/newsetl.yaml;
``pipeline.snapshots``, the news_snapshot DAG, ``newsetl index snapshot``)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.settings.index import check_name
from pipeline.settings.ingest import check_schedule


class SnapshotSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    repository: str | None = Field(default=None, description="the snapshot repository's name in the cluster "
                                   "(env NEWSETL_SNAPSHOT_REPOSITORY); null: no snapshots (news_snapshot skips, `newsetl index snapshot` says how to start)")
    type: str | None = Field(default=None, description="register the repository with this type when the cluster "
                             "does not have it (fs, s3, gcs, azure, …); null: it must exist already")
    settings: dict[str, Any] = Field(default_factory=dict, description="the repository's settings when it is "
                                     "registered (fs: location, a folder under the node's path.repo; s3: bucket, "
                                     "base_path, client, …)")
    schedule: str | None = Field(default="@daily", description="news_snapshot's schedule (null: by hand only)")
    keep: int = Field(default=14, ge=1, description="the newest snapshots of this index kept; older ones are "
                      "deleted after each snapshot that succeeds")
    stale_after_hours: float | None = Field(default=48, gt=0, description="news_health's check_index fails when "
                                            "the newest successful snapshot is older (null: no check)")
    timeout_minutes: float = Field(default=120, gt=0, description="how long a snapshot may take before the task "
                                   "fails (the snapshot goes on in the cluster)")

    _schedule = field_validator("schedule")(check_schedule)

    @field_validator("repository")
    @classmethod
    def _name(cls, v: str | None) -> str | None:
        return check_name(v, "a repository name")

    @model_validator(mode="after")
    def _registered(self):
        if self.type == "fs" and not self.settings.get("location"):
            raise ValueError("an fs repository needs settings.location: a folder under the node's path.repo "
                             "(e.g. settings: {location: newsetl})")
        return self

    @property
    def enabled(self) -> bool:
        return self.repository is not None
