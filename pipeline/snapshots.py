"""Snapshots of newsetl's indices in an Elasticsearch snapshot repository, and their restore.

The raw archive can rebuild the news index (a replay), but not what lives only in the cluster: the people labels,
the removed articles and domains (without them a replay would bring taken-down articles back), the alerts the
watches sent, the watches and API keys stored in the cluster (``newsetl watch add``, ``newsetl keys add``), the run
history.
A snapshot keeps all of it, in one consistent copy taken by the cluster itself.

- ``create`` snapshots the indices behind the read and write aliases (both during a replay) and the side indices
  that exist (``ROLES``), without the cluster's global state, and waits for the end (``snapshots.timeout_minutes``).
  The snapshot's metadata records which index each alias pointed at and the side indices' names, so a restore can
  put the aliases back as they were. After a success, the snapshots of this index beyond the newest
  ``snapshots.keep`` successful ones are deleted; snapshots of other indices in the same repository are never touched
  (they carry another ``newsetl_index`` in their metadata, or none).
- ``listing`` gives this index's snapshots, oldest first; ``last_success`` the newest that succeeded.
- ``restore`` brings back a snapshot's indices (all, or the roles named). Indices of the same names that exist are
  refused unless ``replace``: they are then closed and restored over (Elasticsearch restores into a closed index of
  the same shard count); if the restore is refused, they are opened again. When the news index is restored, both
  aliases are moved to the indices the snapshot recorded in one atomic request, and a newer version they pointed at is
  left in place (reported). Documents fetched after the snapshot are in the raw archive: ``newsetl reprocess
  --in-place --since <the snapshot's day>`` loads them again.

The repository is registered on first use when ``snapshots.type`` is set (an ``fs`` location must lie under the
node's ``path.repo``); else it must exist. The news_snapshot DAG and ``newsetl index snapshot|snapshots|restore``
call these functions; news_health's ``check_index`` fails when the last success is older than
``snapshots.stale_after_hours``.
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from pipeline.admin import AdminError
from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.wording import counted

ROLES = ("news", "people", "removed", "runs", "deadletters", "alerts", "watches", "apikeys")
_DONE = ("SUCCESS", "PARTIAL", "FAILED", "INCOMPATIBLE")


class SnapshotError(AdminError):
    """A snapshot or a restore that cannot be done as asked; one line saying why and what to do."""


def _cfg(settings: Any):
    cfg = settings.snapshots
    if not cfg.enabled:
        raise SnapshotError("no snapshot repository is configured: set snapshots.repository (and snapshots.type and "
                            "settings to register it) in config/newsetl.yaml")
    return cfg


def _side(idx) -> dict[str, str]:
    return {"people": idx.people_index_name, "removed": idx.removed_index_name, "runs": idx.runs_index_name,
            "deadletters": idx.dead_letters_index_name, "alerts": idx.alerts_index_name,
            "watches": idx.watches_index_name, "apikeys": idx.api_keys_index_name}


def _alias(client: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def _reason(e: ApiError) -> str:
    info = e.info if isinstance(e.info, dict) else {}
    err = info.get("error") if isinstance(info.get("error"), dict) else {}
    cause = (err.get("root_cause") or [err])[0] if err else {}
    return cause.get("reason") or err.get("reason") or str(e).splitlines()[0]


def ensure_repository(client: Elasticsearch, settings: Any) -> bool:
    """Make sure the repository exists; True when it was registered now."""
    cfg = _cfg(settings)
    try:
        client.snapshot.get_repository(name=cfg.repository)
        return False
    except NotFoundError:
        if cfg.type is None:
            raise SnapshotError(f"the cluster has no snapshot repository {cfg.repository!r}: register it (PUT "
                                f"_snapshot/{cfg.repository}), or set snapshots.type and snapshots.settings so "
                                "newsetl registers it") from None
    try:
        client.snapshot.create_repository(name=cfg.repository,
                                          repository={"type": cfg.type, "settings": dict(cfg.settings)})
    except ApiError as e:
        hint = (" (an fs location must be under the path.repo of every node: add it there and restart them)"
                if cfg.type == "fs" else "")
        raise SnapshotError(f"the cluster refused the repository {cfg.repository!r} of type {cfg.type}: "
                            f"{_reason(e)}{hint}") from None
    return True


def _ours(snap: dict, name: str) -> bool:
    return (snap.get("metadata") or {}).get("newsetl_index") == name


def _summary(s: dict) -> dict:
    meta = s.get("metadata") or {}
    start = s.get("start_time_in_millis")
    end = s.get("end_time_in_millis")
    return {"snapshot": s["snapshot"], "state": s.get("state"), "start": s.get("start_time"),
            "end": s.get("end_time"), "seconds": round((end - start) / 1000, 1) if start and end else None,
            "indices": sorted(s.get("indices") or []), "read": meta.get("read", []), "write": meta.get("write", []),
            "side": meta.get("side", {}), "pipeline_version": meta.get("pipeline_version"),
            "shards": s.get("shards", {}), "failures": [f.get("reason") for f in s.get("failures") or []],
            "_start_ms": start or 0}


def listing(client: Elasticsearch, settings: Any) -> list[dict]:
    """This index's snapshots in the repository, oldest first."""
    cfg, idx = _cfg(settings), _index_settings(settings)
    try:
        got = client.snapshot.get(repository=cfg.repository, snapshot="*", ignore_unavailable=True)
    except NotFoundError:
        return []           # no repository yet: nothing taken
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    out = [_summary(s) for s in got.get("snapshots", []) if _ours(s, idx.name)]
    return sorted(out, key=lambda s: (s["_start_ms"], s["snapshot"]))


def last_success(client: Elasticsearch, settings: Any) -> dict | None:
    done = [s for s in listing(client, settings) if s["state"] == "SUCCESS"]
    return done[-1] if done else None


def _snapshot_name(client: Elasticsearch, repository: str, base: str) -> str:
    name, n = base, 1
    while True:
        try:
            client.snapshot.get(repository=repository, snapshot=name)
        except NotFoundError:
            return name
        n += 1
        name = f"{base}-{n}"


def create(client: Elasticsearch, settings: Any, *, now: dt.datetime | None = None, poll_seconds: float = 0.2) -> dict:
    """Snapshot the news index and the side indices, wait for the end, then apply ``snapshots.keep``. Raises
    SnapshotError when the snapshot does not succeed (it is kept, for its failures to be read) or takes longer than
    ``snapshots.timeout_minutes``."""
    cfg, idx = _cfg(settings), _index_settings(settings)
    from pipeline import __version__

    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        ensure_repository(client, settings)
        read, write = _alias(client, idx.read_alias), _alias(client, idx.write_alias_name)
        if not read:
            raise SnapshotError(f"the read alias {idx.read_alias!r} points at no index: nothing to snapshot "
                                "(`newsetl index ensure`, then load documents)")
        side = {role: name for role, name in _side(idx).items() if client.indices.exists(index=name)}
        indices = sorted(set(read) | set(write) | set(side.values()))
        name = _snapshot_name(client, cfg.repository, f"{idx.name}-{now:%Y.%m.%d-%H.%M.%S}".lower())
        metadata = {"newsetl_index": idx.name, "read": read, "write": write, "side": side,
                    "pipeline_version": __version__}
        started = time.monotonic()
        client.snapshot.create(repository=cfg.repository, snapshot=name, indices=indices,
                               include_global_state=False, ignore_unavailable=False, partial=False,
                               metadata=metadata, wait_for_completion=False)
        deadline = started + cfg.timeout_minutes * 60
        while True:
            snap = client.snapshot.get(repository=cfg.repository, snapshot=name)["snapshots"][0]
            if snap.get("state") in _DONE:
                break
            if time.monotonic() > deadline:
                raise SnapshotError(f"snapshot {name} still runs after {counted(cfg.timeout_minutes, 'minute')} "
                                    "(snapshots.timeout_minutes): it goes on in the cluster; see `newsetl index "
                                    "snapshots`")
            time.sleep(poll_seconds)
            poll_seconds = min(poll_seconds * 1.5, 5.0)     # a small snapshot ends within a second, a big one takes hours
        out = {k: v for k, v in _summary(snap).items() if not k.startswith("_")}
        out["repository"] = cfg.repository
        if snap["state"] != "SUCCESS":
            why = "; ".join(f for f in out["failures"] if f) or "no reason given"
            raise SnapshotError(f"snapshot {name} of {', '.join(indices)} ended {snap['state']}: {why}")
        out["deleted"] = _retain(client, settings)
        return out
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    except ApiError as e:
        raise _refused(client, e, "the snapshot") from None


def _refused(client: Elasticsearch, e: ApiError, what: str) -> Exception:
    if e.meta.status in (429, 502, 503, 504):
        return unavailable_from(client, e)
    return SnapshotError(f"the cluster refused {what}: {_reason(e)}")


def _retain(client: Elasticsearch, settings: Any) -> list[str]:
    """Delete this index's snapshots but the newest ``snapshots.keep`` successful ones (and any still running)."""
    cfg = settings.snapshots
    ours = listing(client, settings)
    kept = {s["snapshot"] for s in [s for s in ours if s["state"] == "SUCCESS"][-cfg.keep:]}
    doomed = [s["snapshot"] for s in ours if s["snapshot"] not in kept and s["state"] in _DONE]
    if doomed:
        client.snapshot.delete(repository=cfg.repository, snapshot=doomed)
    return doomed


def _find(client: Elasticsearch, settings: Any, snapshot: str | None) -> dict:
    ours = listing(client, settings)
    idx = _index_settings(settings)
    if snapshot in (None, "latest"):
        done = [s for s in ours if s["state"] == "SUCCESS"]
        if not done:
            raise SnapshotError(f"no successful snapshot of {idx.name!r} in {settings.snapshots.repository!r}: "
                                "take one with `newsetl index snapshot`")
        return done[-1]
    for s in ours:
        if s["snapshot"] == snapshot:
            if s["state"] not in ("SUCCESS", "PARTIAL"):
                raise SnapshotError(f"snapshot {snapshot} ended {s['state']}: it cannot be restored; pick another "
                                    "(`newsetl index snapshots`)")
            return s
    raise SnapshotError(f"no snapshot {snapshot!r} of {idx.name!r} in {settings.snapshots.repository!r}: "
                        "`newsetl index snapshots` lists them")


def restore(client: Elasticsearch, settings: Any, snapshot: str | None = None, *, only: list[str] | None = None,
            replace: bool = False) -> dict:
    """Restore ``snapshot`` (default: the newest that succeeded): the indices of the roles in ``only`` (default all
    it holds). See the module docstring for ``replace`` and the aliases."""
    cfg, idx = _cfg(settings), _index_settings(settings)
    roles = list(only or ROLES)
    for r in roles:
        if r not in ROLES:
            raise SnapshotError(f"unknown part {r!r}: name some of {', '.join(ROLES)}")
    try:
        snap = _find(client, settings, snapshot)
        targets: list[str] = []
        if "news" in roles:
            targets += sorted(set(snap["read"]) | set(snap["write"]))
        targets += [snap["side"][r] for r in roles if r != "news" and r in snap["side"]]
        targets = [t for t in dict.fromkeys(targets) if t in snap["indices"]]
        if not targets:
            raise SnapshotError(f"snapshot {snap['snapshot']} holds none of {', '.join(roles)}")
        existing = [t for t in targets if client.indices.exists(index=t)]
        if existing and not replace:
            raise SnapshotError(f"{', '.join(existing)} exist{'s' if len(existing) == 1 else ''}: restoring over "
                                f"{'it' if len(existing) == 1 else 'them'} loses what was written since "
                                f"{snap['start']}; pass --replace to do so, or delete them first")
        if existing:
            client.indices.close(index=existing, wait_for_active_shards="0")
        try:
            client.snapshot.restore(repository=cfg.repository, snapshot=snap["snapshot"], indices=targets,
                                    include_aliases=False, include_global_state=False, wait_for_completion=True)
        except ApiError as e:
            if existing:
                client.indices.open(index=existing)
            raise SnapshotError(f"the cluster refused to restore {snap['snapshot']}: {_reason(e)}"
                                + (f" ({', '.join(existing)} opened again as they were)" if existing else "")) \
                from None
        client.cluster.health(index=targets, wait_for_status="yellow", timeout="60s")
        out = {"snapshot": snap["snapshot"], "taken": snap["start"], "restored": targets, "replaced": existing,
               "aliases": None, "left": []}
        if "news" in roles:
            out["aliases"], out["left"] = _point_aliases(client, idx, snap)
        return out
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    except ApiError as e:
        raise _refused(client, e, "the restore") from None


def _point_aliases(client: Elasticsearch, idx, snap: dict) -> tuple[dict, list[str]]:
    """Move the read and write aliases to the indices the snapshot recorded, in one request; the indices they
    pointed at besides (a version newer than the snapshot) are left where they are and named."""
    from pipeline.admin import put_templates

    read, write = idx.read_alias, idx.write_alias_name
    now_read, now_write = _alias(client, read), _alias(client, write)
    actions = ([{"remove": {"index": i, "alias": read}} for i in now_read]
               + [{"remove": {"index": i, "alias": write}} for i in now_write]
               + [{"add": {"index": i, "alias": read}} for i in snap["read"]]
               + [{"add": {"index": i, "alias": write, "is_write_index": True}} for i in snap["write"]])
    client.indices.update_aliases(actions=actions)
    put_templates(client, idx)          # a cluster rebuilt from nothing has no template for the next version
    left = sorted((set(now_read) | set(now_write)) - set(snap["read"]) - set(snap["write"]))
    return {read: snap["read"], write: snap["write"]}, left


def staleness(client: Elasticsearch, settings: Any, now: dt.datetime | None = None) -> str | None:
    """The problem ``check_index`` reports when snapshots are configured and the newest successful one is older
    than ``snapshots.stale_after_hours`` (or there is none); None when all is well or the check is off."""
    cfg = settings.snapshots
    if not cfg.enabled or cfg.stale_after_hours is None:
        return None
    last = last_success(client, settings)
    now = now or dt.datetime.now(dt.timezone.utc)
    if last is None:
        return (f"no successful snapshot in the repository {cfg.repository!r} (news_snapshot, or `newsetl index "
                "snapshot`)")
    age = (now.timestamp() * 1000 - last["_start_ms"]) / 3_600_000
    if age > cfg.stale_after_hours:
        return (f"the newest successful snapshot, {last['snapshot']}, is {counted(round(age), 'hour')} old (more than "
                f"snapshots.stale_after_hours {cfg.stale_after_hours:g}): see why news_snapshot did not take one")
    return None
