"""Settings of the processing stage (extract → language → entities → document). Owned by the processing core."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ProcessingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workers: int = 2
