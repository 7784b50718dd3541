"""Settings of sources and fetching. Owned by the fetcher."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FetchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_agent: str = "newsetl/0.1 (+https://github.com/newsetl/newsetl)"
