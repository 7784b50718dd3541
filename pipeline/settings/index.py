"""Settings of the index layer: the Elasticsearch connection and the index layout. Owned by the index layer."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ElasticsearchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = "http://127.0.0.1:9200"
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = None
    verify_certs: bool = True
    request_timeout: float = 30.0
    airflow_conn_id: str = "elasticsearch_default"


class IndexSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "news"
