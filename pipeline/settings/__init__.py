"""Configuration: YAML files in ``config/``, validated on load with pydantic.

Every error names the file, the key and what to do about it (``ConfigError``).
Each stage owns one section model in a module of this package:

- ``processing.py``: extraction, language, entities, workers
- ``index.py``: Elasticsearch connection and index layout
- ``fetch.py``: fetcher politeness, limits, SSRF allow-list, sources (``config/sources.yaml``)
- ``ingest.py``: DAG schedule, batch sizes, report thresholds
- ``alerts.py``: the watches (saved searches that send alerts) and news_alerts
- ``snapshots.py``: the snapshots of the indices (news_snapshot, ``newsetl index snapshot``)

``load_settings()`` reads ``config/newsetl.yaml`` (or ``$NEWSETL_CONFIG``) and applies environment overrides
(``NEWSETL_STORAGE_ROOT``, ``NEWSETL_ES_URL``, ``NEWSETL_ES_API_KEY``, ``NEWSETL_ES_USERNAME``,
``NEWSETL_ES_PASSWORD``, ``NEWSETL_ES_CA_CERTS``, ``NEWSETL_SNAPSHOT_REPOSITORY``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.settings.alerts import AlertsSettings
from pipeline.settings.fetch import FetchSettings
from pipeline.settings.index import ElasticsearchSettings, IndexSettings
from pipeline.settings.ingest import IngestSettings
from pipeline.settings.processing import ProcessingSettings
from pipeline.settings.snapshots import SnapshotSettings
from pipeline.wording import counted

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_DIR = REPO_ROOT / "config"

M = TypeVar("M", bound=BaseModel)


class ConfigError(Exception):
    """A configuration problem a user can fix: which file, which key, what is wrong, what to do."""

    def __init__(self, file: str | os.PathLike | None, key: str | None, problem: str, fix: str | None = None):
        self.file = str(file) if file is not None else None
        self.key = key
        self.problem = problem
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.file or "<config>"
        if self.key:
            where += f": {self.key}"
        msg = f"config error in {where}: {self.problem}"
        if self.fix:
            msg += f" — fix: {self.fix}"
        return msg


class StorageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root: str = Field(
        default="./var/storage",
        description="Where batches, the raw WARC archive and dead letters live: a folder, or an fsspec URL "
        "such as s3://bucket/prefix. Relative paths are resolved against the current directory.",
    )
    keep_run_batches_days: float | None = Field(
        default=7, ge=0,
        description="Remove the batch files (runs/<run_id>/candidates, pages, docs) of a complete run this many days "
        "after its report; its report, the archive and the dead letters stay. null: keep them for ever "
        "(pipeline.housekeeping; `newsetl prune`).",
    )
    keep_archive_days: float | None = Field(
        default=None, ge=1,
        description="Remove the raw archive's days (archive/YYYY/MM/DD) this many days old, except those a replay "
        "still in progress reads. A replay into a new version then copies the documents whose pages are gone over "
        "as they are. null: keep the archive for ever (pipeline.housekeeping; `newsetl prune`).",
    )
    keep_dead_letters_days: float | None = Field(
        default=None, ge=1,
        description="Remove the dead-letter files (deadletter/<stage>/<run>/<part>.jsonl) last written this many days "
        "ago, but those of a run whose batches are still there. `newsetl deadletters`, a retry of dead letters and "
        "fetch.give_up_after's count then see no failure that old. null: keep them for ever (pipeline.housekeeping; "
        "`newsetl prune`).",
    )
    purge_removed_from_archive: bool = Field(
        default=False,
        description="news_health's daily enforce_removals also purges from the raw archive the records of what "
        "`newsetl remove` took out (each WARC file holding one is written again; every other record keeps its "
        "place), as `newsetl remove --purge-archive` does; it reads the whole archive (pipeline.removals).",
    )


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    storage: StorageSettings = StorageSettings()
    elasticsearch: ElasticsearchSettings = ElasticsearchSettings()
    index: IndexSettings = IndexSettings()
    processing: ProcessingSettings = ProcessingSettings()
    fetch: FetchSettings = FetchSettings()
    ingest: IngestSettings = IngestSettings()
    alerts: AlertsSettings = AlertsSettings()
    snapshots: SnapshotSettings = SnapshotSettings()
    # Where this was loaded from (not a YAML key).
    config_file: str | None = Field(default=None, exclude=True)


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_FIXES = {
    "missing": "add this key",
    "extra_forbidden": "remove this key or correct its spelling",
    "int_parsing": "use a whole number",
    "int_type": "use a whole number",
    "float_parsing": "use a number",
    "bool_parsing": "use true or false",
    "literal_error": "use one of the allowed values",
    "enum": "use one of the allowed values",
    "string_type": "use a string (quote it in YAML)",
    "list_type": "use a YAML list",
    "dict_type": "use a YAML mapping",
    "model_type": "use a YAML mapping",
    "url_parsing": "use a full URL such as https://example.org/feed.xml",
    "url_scheme": "use an http:// or https:// URL",
}


def config_error_from_validation(file: str | os.PathLike | None, exc: ValidationError, prefix: str = "") -> ConfigError:
    """Turn the first pydantic error into a ConfigError naming file, key and fix."""
    err = exc.errors()[0]
    key = _key_path(tuple(p for p in ((prefix,) if prefix else ()) + tuple(err["loc"])))
    problem = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if "input" in err and err["type"] not in ("missing",) and not isinstance(err["input"], (dict, list)):
        problem += f" (got {err['input']!r})"
    fix = _FIXES.get(err["type"])
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        fix = f"use one of {ctx['expected']}"
    more = len(exc.errors()) - 1
    if more:
        problem += f" (and {counted(more, 'more problem')} in this file)"
    return ConfigError(file, key or None, problem, fix)


def read_yaml(path: str | os.PathLike) -> Any:
    p = Path(path)
    if not p.exists():
        raise ConfigError(p, None, "file not found", "create it (see config/ in the repository) or point NEWSETL_CONFIG at it")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise ConfigError(p, where, f"not valid YAML: {getattr(e, 'problem', e)}", "fix the YAML syntax") from None


def load_model(path: str | os.PathLike, model: type[M], data: Any = None, prefix: str = "") -> M:
    """Validate ``data`` (or the YAML at ``path``) into ``model``; errors become ConfigError."""
    if data is None:
        data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(path, prefix or None, f"expected a mapping, got {type(data).__name__}", "use key: value pairs")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise config_error_from_validation(path, e, prefix) from None


def load_named_list(path: str | os.PathLike, key: str, model: type[M], *, extra: dict | None = None) -> list[M]:
    """Read a YAML file whose one top-level key ``key`` holds a list of mappings, each with its own ``name``
    (``sources.yaml``, ``watches.yaml``), and validate each into ``model`` (``extra``: keys added to each item,
    which the file itself may not set). Errors name the file, the item (``sources[2] (name)``) and the key."""
    p = Path(path)
    data = read_yaml(p)
    if not isinstance(data, dict) or key not in data:
        raise ConfigError(p, None, f"expected a mapping with the key '{key}'", f"start the file with '{key}:' "
                          f"followed by a list of {key}")
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise ConfigError(p, key, f"expected a list of {key}", "use a YAML list ('- name: ...')")
    unknown = set(data) - {key}
    if unknown:
        raise ConfigError(p, sorted(unknown)[0], "unknown top-level key", f"only '{key}' is allowed")
    out: list[M] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        label = f"{key}[{i}]"
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            label = f"{key}[{i}] ({item['name']})"
        if not isinstance(item, dict):
            raise ConfigError(p, label, f"expected a mapping, got {type(item).__name__}", "use key: value pairs")
        for k in extra or {}:
            if k in item:
                raise ConfigError(p, f"{label}.{k}", "not a configurable key", "remove it")
        try:
            obj = model.model_validate({**item, **(extra or {})})
        except ValidationError as e:
            raise config_error_from_validation(p, e, prefix=label) from None
        name = getattr(obj, "name")
        if name in seen:
            raise ConfigError(p, f"{label}.name", f"duplicate name {name!r}", "give each one its own name")
        seen.add(name)
        out.append(obj)
    return out


_ENV = {
    "NEWSETL_STORAGE_ROOT": ("storage", "root"),
    "NEWSETL_ES_URL": ("elasticsearch", "url"),
    "NEWSETL_ES_API_KEY": ("elasticsearch", "api_key"),
    "NEWSETL_ES_USERNAME": ("elasticsearch", "username"),
    "NEWSETL_ES_PASSWORD": ("elasticsearch", "password"),
    "NEWSETL_ES_CA_CERTS": ("elasticsearch", "ca_certs"),
    "NEWSETL_SNAPSHOT_REPOSITORY": ("snapshots", "repository"),
}


def config_path() -> Path:
    return Path(os.environ.get("NEWSETL_CONFIG") or DEFAULT_CONFIG_DIR / "newsetl.yaml")


def config_dir() -> Path:
    """The configuration's folder: ``$NEWSETL_CONFIG``'s, else ``config/`` of this checkout. ``sources.yaml``,
    ``watches.yaml`` and ``kibana/`` are looked for there when nothing names them. An installed package (the image's
    ``pip install .``) has no checkout beside it: ``DEFAULT_CONFIG_DIR`` would point into site-packages, so the
    image sets ``NEWSETL_CONFIG`` and everything follows it."""
    return config_path().parent


def load_settings(path: str | os.PathLike | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Load ``config/newsetl.yaml`` (or ``path``/``$NEWSETL_CONFIG``), apply env and explicit overrides.

    ``overrides`` is a nested dict merged over the file, used by tests and the CLI.
    """
    p = Path(path) if path else config_path()
    data = read_yaml(p)
    if not isinstance(data, dict):
        raise ConfigError(p, None, "expected a mapping at the top level", "use key: value pairs")
    for env, (section, key) in _ENV.items():
        if os.environ.get(env):
            data.setdefault(section, {})
            if data[section] is None:
                data[section] = {}
            data[section][key] = os.environ[env]
    if overrides:
        data = deep_merge(data, overrides)
    s = load_model(p, Settings, data)
    s.config_file = str(p)
    _check_fetch_pacing(p, s)
    return s


def shares_fetch_clock(s: Settings) -> bool:
    """Whether every fetching process shares the per-host clock (``pipeline.pacing``)."""
    from pipeline.pacing import shared_dir

    return shared_dir(s.fetch.pacing_dir, s.storage.root) is not None


def fetch_tasks_per_run(s: Settings) -> int:
    """``ingest.fetch_tasks_per_run``, or when unset: 4 with a shared per-host clock, else 1."""
    if s.ingest.fetch_tasks_per_run is not None:
        return s.ingest.fetch_tasks_per_run
    return 4 if shares_fetch_clock(s) else 1


def _check_fetch_pacing(path: Path, s: Settings) -> None:
    """Several fetch tasks at once are polite only when they share the per-host clock."""
    if fetch_tasks_per_run(s) > 1 and not shares_fetch_clock(s):
        why = ("fetch.pacing_dir is off" if s.fetch.pacing_dir == "off"
               else f"fetch.pacing_dir is auto and storage.root {s.storage.root!r} is not a local folder")
        raise ConfigError(path, "ingest.fetch_tasks_per_run",
                          f"{s.ingest.fetch_tasks_per_run} fetch tasks at once would each pace hosts on their own "
                          f"({why})", "set fetch.pacing_dir to a directory every worker can lock (a volume they "
                          "share), or fetch_tasks_per_run: 1")


def section(settings: Any, model: type[M], name: str) -> M:
    """``settings.<name>`` when given the whole Settings, or ``settings`` itself when it already is that section."""
    if isinstance(settings, model):
        return settings
    sec = getattr(settings, name, None)
    if isinstance(sec, model):
        return sec
    raise TypeError(f"expected pipeline.settings.Settings or {model.__name__}, got {type(settings).__name__}")


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out
