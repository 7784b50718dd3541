"""Settings of the Airflow DAGs and `newsetl run`. Owned by the DAG layer."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class IngestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schedule: str = "@hourly"
