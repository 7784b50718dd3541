"""``newsetl doctor``: can this installation work, and if not, what to fix.

The checks an operator would otherwise run one by one (``newsetl models``, ``newsetl index status --check``,
``newsetl index snapshots``, a look at the storage root and the mail server), each a plain function of the settings
that returns a ``Result``: ``ok``, ``warn`` (works, but something is missing or will bite later) or ``fail`` (this
part cannot work), what it found, and for warn and fail the fix: a command or the config key, naming the file. Each
check calls the functions the pipeline itself uses (``stages.check_index``, ``entities.check_models``,
``snapshots.staleness``, the ``Storage`` helpers, ``kibana.wait_for_kibana``), so the doctor cannot pass what the
pipeline would fail.

The checks are independent: ``run_checks`` starts each in its own daemon thread and waits for it at most its
``timeout`` (``CHECKS``), so a service that accepts a connection and never answers costs its check's time, not the
command. A check past its time is a fail (a warn for the optional ones), and its thread is left behind to die with
the process. Nothing here imports Airflow: the airflow check parses the DAG files in a child process.

Side effects, on purpose and small: the storage check writes, reads back and deletes one probe file under the
storage root; the snapshots check registers the snapshot repository when the cluster has none and
``snapshots.type`` is set, as the first snapshot would. Nothing is posted to a webhook and no mail is sent.
"""
from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from pipeline.settings import REPO_ROOT, ConfigError, Settings
from pipeline.wording import counted

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass
class Result:
    """What one check found. ``fix`` is empty when it is ok; ``skipped``: the check did not apply here (an optional
    part that is not installed or not configured), which is ok."""
    status: str
    summary: str
    fix: str | None = None
    name: str = ""
    seconds: float = 0.0
    skipped: bool = False
    config_error: str | None = field(default=None, repr=False)   # the one line of a ConfigError (exit 2)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("config_error")
        return {k: d[k] for k in ("name", "status", "summary", "fix", "seconds", "skipped")}


def ok(summary: str, *, skipped: bool = False) -> Result:
    return Result(OK, summary, skipped=skipped)


def warn(summary: str, fix: str) -> Result:
    return Result(WARN, summary, fix)


def fail(summary: str, fix: str) -> Result:
    return Result(FAIL, summary, fix)


def _shown(path: str | os.PathLike | None) -> str:
    """A path as the operator would type it: relative to the current directory when it lies below it."""
    if path is None:
        return "<none>"
    p = os.path.abspath(path)
    rel = os.path.relpath(p, os.getcwd())
    return p if rel.startswith("..") else rel


def _config(settings: Settings) -> str:
    return _shown(settings.config_file) if settings.config_file else "config/newsetl.yaml"


def _bounded(settings: Settings, timeout: float) -> Settings:
    """``settings`` with Elasticsearch requests that give up within the check's time (its own request_timeout when
    that is shorter), so the check can say what did not answer before the runner gives it up."""
    es = settings.elasticsearch
    return settings.model_copy(update={"elasticsearch": es.model_copy(
        update={"request_timeout": min(es.request_timeout, max(1.0, timeout - 1))})})


# ------------------------------------------------------------------------------------------------ config

def check_config(settings: Settings, timeout: float) -> Result:
    """newsetl.yaml (loaded before any check runs: a ConfigError there ends the command with exit 2), sources.yaml
    and watches.yaml load and validate."""
    from pipeline.sources import default_sources_path, load_sources
    from pipeline.watches import default_watches_path, load_watches

    src_path = default_sources_path(settings)
    w_path, named = default_watches_path(settings)
    try:
        sources = load_sources(settings=settings)
        watches = load_watches(settings=settings)
    except ConfigError as e:
        r = fail(f"{_shown(e.file) if e.file else 'config'}"
                 + (f": {e.key}" if e.key else "") + f": {e.problem}",
                 f"{e.fix} ({_shown(e.file)})" if e.fix else f"correct {_shown(e.file)}")
        r.config_error = e.one_line()
        return r
    enabled = sum(1 for s in sources if s.enabled)
    if watches:
        w_text = counted(len(watches), "watch", "watches")
    else:
        w_text = "no watches" if named or w_path.exists() else "absent: no watches"
    summary = (f"{_config(settings)}; {_shown(src_path)}: {counted(len(sources), 'source')} "
               f"({enabled} enabled); "
               f"{_shown(w_path)}: {w_text}")
    if not enabled:
        return warn(summary, f"enable or add a source in {_shown(src_path)} (runs have nothing to fetch)")
    return ok(summary)


# ------------------------------------------------------------------------------------------------ storage

def _nearest_existing(path: str) -> str:
    p = path
    while not os.path.exists(p):
        parent = os.path.dirname(p)
        if parent == p:
            break
        p = parent
    return p


def check_storage(settings: Settings, timeout: float) -> Result:
    """The storage root takes a file: write, read back and delete a probe with the ``Storage`` helpers the stages
    use (a folder or an object store alike). A local folder that does not exist yet is a warn when it can be
    created (the first run does), a fail when it cannot."""
    from pipeline.stages import storage_for

    root = settings.storage.root
    fix = (f"set storage.root in {_config(settings)} (or NEWSETL_STORAGE_ROOT) to a folder or s3:// URL this user "
           "can write")
    try:
        storage = storage_for(settings)
    except Exception as e:      # an unknown protocol, a missing s3fs
        return fail(f"{root}: not a usable storage root ({type(e).__name__}: {first_line(e)})", fix)
    where = storage.root
    if storage.is_local:
        base = storage.local_path("")
        if not os.path.isdir(base):
            if os.path.exists(base):
                return fail(f"{base} is a file, not a folder", fix)
            near = _nearest_existing(base)
            if os.path.isdir(near) and os.access(near, os.W_OK | os.X_OK):
                relative = "" if os.path.isabs(root) else (f" (storage.root {root!r} is resolved against the "
                                                            "current directory)")
                return warn(f"{base} does not exist yet{relative}; the first run creates it",
                            f"run from the folder the pipeline runs in, or `mkdir -p {base}`, or {fix}")
            return fail(f"{base} does not exist and cannot be created ({near} is "
                        + ("not a folder" if not os.path.isdir(near) else "not writable") + ")", fix)
    probe = f".newsetl-doctor-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
    token = uuid.uuid4().hex
    try:
        storage.write_json(probe, {"doctor": token})
    except Exception as e:
        return fail(f"{where}: cannot write ({type(e).__name__}: {first_line(e)})",
                    fix + ("" if storage.is_local else "; check the bucket exists and the credentials (AWS_* "
                           "environment) allow put, get and delete"))
    try:
        back = storage.read_json_object(probe)
        if not back or back.get("doctor") != token:
            return fail(f"{where}: a file written there does not read back", fix)
    finally:
        try:
            storage.remove(probe)
        except Exception as e:   # reported below only when the rest was fine
            removed_error = e
        else:
            removed_error = None
    if removed_error is not None:
        return fail(f"{where}: wrote and read a probe but cannot delete it ({type(removed_error).__name__}: "
                    f"{first_line(removed_error)}): pruning and dead-letter retries delete files", fix)
    free = ""
    if storage.is_local:
        import shutil

        free = f", {shutil.disk_usage(storage.local_path('')).free / 2**30:.1f} GiB free"
    return ok(f"{where}: wrote, read back and deleted a probe file{free}")


def first_line(e: BaseException) -> str:
    text = str(e).strip()
    return (text.splitlines() or [type(e).__name__])[0][:200]


# ------------------------------------------------------------------------------------------------ elasticsearch

def _client_major() -> tuple[str, int]:
    import elasticsearch

    version = elasticsearch.__versionstr__
    return version, int(version.split(".")[0])


def _server_version_plain(client, timeout: float) -> str | None:
    """The answering node's version, asked without the client's compatibility header: a cluster of another major
    refuses ``compatible-with=<client major>``, so ``check_cluster`` cannot tell it. The client turns every JSON
    media type into that header, so this goes through its transport, with its credentials (``_headers``). None when
    that fails too."""
    try:
        resp = client.transport.perform_request(
            "GET", "/_nodes/_local?filter_path=nodes.*.version",
            headers={**dict(client._headers), "accept": "application/json"}, request_timeout=timeout)
        nodes = (resp.body or {}).get("nodes") or {}
        return next(iter(nodes.values()), {}).get("version")
    except Exception:
        return None


def _major_mismatch(server: str, client_version: str) -> Result:
    return fail(f"the cluster runs Elasticsearch {server}, the Python client is elasticsearch {client_version}: "
                "their major versions must be equal",
                f"point elasticsearch.url / NEWSETL_ES_URL at an Elasticsearch {client_version.split('.')[0]}.x "
                "cluster (docker-compose.yml's image), or install the client of the cluster's major "
                f"(pip install 'elasticsearch>={server.split('.')[0]},<{int(server.split('.')[0]) + 1}'; pyproject "
                "pins the one the project is tested with)")


def check_elasticsearch(settings: Settings, timeout: float) -> Result:
    """The cluster answers, with the client's major version; its health; then what news_health's ``check_index``
    checks (aliases, write blocks, a red cluster, fields missing, analyzer drift, a migrate half done). No index
    yet is a warn: ``newsetl index ensure`` (or the first run) makes it."""
    from pipeline import stages
    from pipeline.es import UNAVAILABLE_ERRORS, ClusterUnavailable, check_cluster, client_url, unavailable_from

    bounded = _bounded(settings, timeout)
    # check_index's snapshot staleness is the snapshots check's line, not this one's too
    bounded = bounded.model_copy(update={"snapshots": bounded.snapshots.model_copy(update={"repository": None})})
    client_version, client_major = _client_major()
    client = stages.es_client(bounded)
    try:
        url = client_url(client)
        try:
            info = check_cluster(client)
        except ClusterUnavailable as e:
            # a cluster that answered, with an error: perhaps one of another major refusing the client's headers
            server = (_server_version_plain(client, bounded.elasticsearch.request_timeout)
                      if e.problem.startswith("failed:") else None)
            if server and int(server.split(".")[0]) != client_major:
                return _major_mismatch(server, client_version)
            return fail(f"{e.url} {e.problem}", e.fix)
        server = info["version"]["number"]
        if int(server.split(".")[0] or 0) != client_major:
            return _major_mismatch(server, client_version)
        head = f"{url}: Elasticsearch {server} (client {client_version}), cluster {info['status']}"
        idx = settings.index
        have = [a for a in (idx.read_alias, idx.write_alias_name) if client.indices.exists_alias(name=a)]
        if not have:
            if info["status"] == "red":
                return fail(f"{head}; some shards are not allocated", "GET _cluster/allocation/explain says why")
            return warn(f"{head}; no index yet: neither {idx.read_alias} nor {idx.write_alias_name} exists",
                        "`newsetl index ensure` (the first run does it too)")
        try:
            res = stages.check_index(bounded)
        except stages.IndexNeedsAttention as e:
            return fail(f"{head}; {e}", "each problem above names its fix; `newsetl index status` shows the details")
        indices = res["indices"]
        if info["status"] == "yellow" and indices:
            mine = client.cluster.health(index=",".join(indices))["status"]
            if mine != "green":
                return warn(f"{head}; {', '.join(indices)} is {mine}: replica shards are not allocated",
                            f"index.replicas in {_config(settings)} at most the number of nodes less one (0 on one "
                            f"node), applied with PUT {indices[0]}/_settings {{\"index.number_of_replicas\": 0}}, "
                            "or add nodes")
            head += " (other indices' replicas are not allocated)"
        return ok(f"{head}; {idx.read_alias} → {', '.join(indices)}")
    except ClusterUnavailable as e:
        return fail(f"{e.url} {e.problem}", e.fix)
    except UNAVAILABLE_ERRORS as e:
        u = unavailable_from(client, e)
        return fail(f"{u.url} {u.problem}", u.fix)
    finally:
        client.close()


# ------------------------------------------------------------------------------------------------ models

_MODEL_FIXES = {
    "corenlp": "`make corenlp-start` (Docker: `docker compose up -d corenlp`), or point NEWSETL_CORENLP_URL or "
               "processing.entities.models.{lang}.url in {config} at a running CoreNLP server",
    "spacy": "`pip install -e '.[models]'` (make setup), or name an installed spaCy package in "
             "processing.entities.models.{lang}.model in {config}",
    "natasha": "`pip install -e '.[models]'` (natasha)",
}


def check_models(settings: Settings, timeout: float) -> Result:
    """Each configured language's recogniser loads and answers on a sentence: what ``newsetl models`` does
    (``pipeline.entities.check_models``). One that cannot is a fail: its documents would get entities_status
    error. One that answers with nothing is a warn."""
    from pipeline.entities import check_models as try_models

    ent = settings.processing.entities
    if not ent.enabled:
        return ok("entities off (processing.entities.enabled: false): documents get no entities")
    if not ent.models:
        return ok("no language has a model (processing.entities.models is empty): documents get no_model")
    rows = try_models(ent)
    bad = [r for r in rows if r["status"] == "error"]
    empty = [r for r in rows if r["status"] == "empty"]
    good = [r for r in rows if r["status"] == "ok"]
    parts = []
    if good:
        parts.append("answer: " + ", ".join(f"{r['language']} ({r['model']})" for r in good))
    errors: dict[str, list[str]] = {}     # one line for the languages one server down stops
    for r in bad:
        errors.setdefault(r["error"], []).append(r["language"])
    parts += [f"{', '.join(langs)}: {error}" for error, langs in errors.items()]
    parts += [f"{r['language']} ({r['model']}) found nothing in its sample sentence" for r in empty]
    summary = "; ".join(parts)
    if bad:
        by: dict[str, list[str]] = {}
        for r in bad:
            by.setdefault(r["backend"], []).append(r["language"])
        fixes = [f"{', '.join(langs)}: " + _MODEL_FIXES[backend].format(
                     lang=langs[0] if len(langs) == 1 else "<lang>", config=_config(settings))
                 for backend, langs in by.items()]
        return fail(summary, "; ".join(fixes) + "; then `newsetl models`")
    if empty:
        return warn(summary, "`newsetl models` shows what each model found; name another model in "
                    f"processing.entities.models in {_config(settings)}")
    return ok(summary)


# ------------------------------------------------------------------------------------------------ snapshots

def check_snapshots(settings: Settings, timeout: float) -> Result:
    """Off is ok: snapshots are opt-in (the raw archive rebuilds the news index; docs/index.md). On: the
    repository exists or is registered now (``snapshots.ensure_repository``) and the cluster's nodes can write to it;
    the newest successful snapshot is younger than ``snapshots.stale_after_hours`` (``snapshots.staleness``, what
    check_index fails on). None yet is a warn, as no index yet is."""
    from pipeline import stages
    from pipeline.es import UNAVAILABLE_ERRORS, ClusterUnavailable, unavailable_from
    from pipeline.snapshots import SnapshotError, ensure_repository, last_success, staleness

    cfg = settings.snapshots
    if not cfg.enabled:
        return ok(f"off (snapshots.repository in {_config(settings)}, or NEWSETL_SNAPSHOT_REPOSITORY, is not set): "
                  "what lives only in the cluster (people labels, removals, alerts, stored watches and API keys, run "
                  "history) has no copy")
    bounded = _bounded(settings, timeout)
    client = stages.es_client(bounded)
    try:
        try:
            registered = ensure_repository(client, bounded)
            client.snapshot.verify_repository(name=cfg.repository)
        except SnapshotError as e:
            return fail(str(e), f"snapshots.repository / snapshots.type / snapshots.settings in {_config(settings)}")
        except UNAVAILABLE_ERRORS as e:
            raise unavailable_from(client, e) from None
        except Exception as e:      # verification refused: a node cannot write to the repository
            return fail(f"the repository {cfg.repository!r} does not verify: {_api_reason(e)}",
                        "every node must reach the repository's location (an fs location under each node's "
                        f"path.repo, shared); check snapshots.settings in {_config(settings)}")
        head = f"repository {cfg.repository!r}" + (" (registered now)" if registered else "")
        last = last_success(client, bounded)
        if last is None:
            return warn(f"{head}: no successful snapshot yet (news_health's check_index fails until one is taken)",
                        "`newsetl index snapshot` (news_snapshot takes one " + (cfg.schedule or "when triggered")
                        + ")")
        problem = staleness(client, bounded)
        if problem:
            return fail(problem, "see why news_snapshot did not take one (its task log in Airflow), then "
                        "`newsetl index snapshot`")
        age = (time.time() * 1000 - last["_start_ms"]) / 3_600_000
        limit = (f" (stale after {cfg.stale_after_hours:g})" if cfg.stale_after_hours is not None
                 else " (no staleness check: snapshots.stale_after_hours is null)")
        return ok(f"{head}: the newest successful snapshot, {last['snapshot']}, is {age:.1f} hours old{limit}")
    except ClusterUnavailable as e:
        return fail(f"cannot check the snapshots: {e.url} {e.problem}", e.fix)
    finally:
        client.close()


def _api_reason(e: BaseException) -> str:
    info = getattr(e, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        err = info["error"]
        cause = (err.get("root_cause") or [err])[0]
        return str(cause.get("reason") or err.get("reason") or first_line(e))[:300]
    return f"{type(e).__name__}: {first_line(e)}"


# ------------------------------------------------------------------------------------------------ alerts

def _smtp_reachable(smtp, timeout: float) -> None:
    """Open a session with the mail server as ``notify.send_mail`` does (``notify.smtp_session``: SMTPS, or
    STARTTLS, then the login when configured) and end it with NOOP and QUIT: nothing is sent. Raises what a delivery
    would meet."""
    import smtplib

    from pipeline.notify import smtp_session

    with smtp_session(smtp, timeout=timeout) as server:
        code, text = server.noop()
        if code != 250:
            raise smtplib.SMTPResponseException(code, text)


def check_alerts(settings: Settings, timeout: float) -> Result:
    """The channels of the enabled watches and of ``alerts.on_failure``. E-mail: the mail server ``alerts.smtp``
    takes a session (STARTTLS and the login when configured) without a mail being sent. Webhooks: only what can be
    told without calling them (the URL was validated on load; the signing secret's and headers' environment
    variables are set here); `newsetl watch test --name W` sends a real test message. Folders lie under the storage
    root, which the storage check writes to. The watches are the file's and those stored in the cluster
    (``pipeline.watches.load_all``): a stored one that no longer validates, or that the file's of the same name
    shadows, is a warning; the cluster away leaves the stored ones unchecked (the Elasticsearch check says why). A
    stored watch keeping webhook header values in clear (no NEWSETL_WATCH_SECRET_KEY when it was written) is a
    warning; an enabled one with a value that cannot be decrypted here (no key, a wrong one), or a key that is no
    Fernet key, is a failure."""
    import smtplib

    from pipeline.es import client_from_settings
    from pipeline.notify import DeliveryError, _env
    from pipeline.watches import SECRET_KEY_ENV, header_problem, load_all, watch_cipher

    client = client_from_settings(_bounded(settings, timeout))
    try:
        watches = load_all(settings, client=client, enabled_only=True)
    except ConfigError as e:
        return warn("not checked: the watches do not load (the config check says why)", e.fix or "see config")
    finally:
        client.close()
    stored = [w.name for w in watches if watches.origin.get(w.name) == "stored"]
    # the cluster away is the Elasticsearch check's failure, not one more here: the stored watches are then said
    # to be unchecked; a stored watch that does not validate, or that the file's shadows, is a warning
    notices = [n for n in watches.notes if not watches.unread or watches.unread not in n]
    notices += [f"stored watch {n} is shadowed by the watches file's of that name (not run)" for n in watches.shadowed]
    fixes = ["replace or remove the stored watches named (newsetl watch add --replace, newsetl watch remove --name "
             "N)"] if notices else []
    try:
        key_problem, has_key = None, watch_cipher() is not None
    except ConfigError as e:
        key_problem, has_key = e.problem, True
    if watches.in_clear:        # the headers a stored watch sends (a bearer token) readable by whoever reads the index
        how = "run newsetl watch reencrypt" if has_key else f"set {SECRET_KEY_ENV} and run newsetl watch reencrypt"
        notices += [f"stored watch {n} keeps webhook headers in clear: {how}" for n in watches.in_clear]
        fixes.append(("" if has_key else f"`newsetl watch new-key` makes a key: set {SECRET_KEY_ENV} to it where "
                      "newsetl and the tasks run, then ") + "`newsetl watch reencrypt` encrypts the stored headers")
    channels = [(f"watch {w.name}", ch) for w in watches for ch in w.deliver]
    channels += [(f"alerts.on_failure[{i}]", ch) for i, ch in enumerate(settings.alerts.on_failure)]
    mails = [(who, ch) for who, ch in channels if ch.email is not None]
    hooks = [(who, ch) for who, ch in channels if ch.webhook is not None]
    folders = [(who, ch) for who, ch in channels if ch.folder is not None]
    if not channels and not notices and not watches.unread and not key_problem:
        return ok(f"no channels ({counted(len(watches), 'enabled watch', 'enabled watches')}, alerts.on_failure "
                  "empty)")
    parts, problems = [], []
    if key_problem:
        problems.append((f"{SECRET_KEY_ENV}: {key_problem}", f"`newsetl watch new-key` makes one; set "
                         f"{SECRET_KEY_ENV} to it (new key first, old ones after, comma-separated)"))
    for w in watches:
        for ch in w.deliver:
            why = header_problem(w, ch)
            if why and not key_problem:
                problems.append((f"watch {w.name}: {ch.describe()}: {why}", f"set {SECRET_KEY_ENV} to the key the "
                                 "stored watches were written under (with the new key first when rotating), or "
                                 "store the watch again"))
    if stored:
        parts.append(f"{len(stored)} of the enabled watches stored in the cluster")
    if watches.unread:
        parts.append("the watches stored in the cluster not checked (not read: the elasticsearch check says why)")
    if mails:
        smtp = settings.alerts.smtp
        where = f"{smtp.host}:{smtp.port} ({smtp.security})"
        try:
            _smtp_reachable(smtp, min(settings.alerts.timeout_seconds, max(1.0, timeout - 1)))
        except DeliveryError as e:
            problems.append((f"e-mail ({', '.join(w for w, _ in mails)}): {e}",
                             "set the variable where the tasks run (and here)"))
        except (smtplib.SMTPException, OSError) as e:
            problems.append((f"the mail server {where} of alerts.smtp refused a session: {type(e).__name__}: "
                             f"{' '.join(str(e).split())[:200]}",
                             f"start the mail server, or correct alerts.smtp (host, port, security, username_env, "
                             f"password_env, ca_certs) in {_config(settings)}"))
        else:
            parts.append(f"mail server {where} takes a session"
                         + (" and the login" if smtp.username_env else "") + " (nothing sent)")
    for who, ch in hooks:
        try:
            for k, v in ch.headers.items():
                _env(v, f"{who}: the header {k}")
            if ch.secret_env and not os.environ.get(ch.secret_env):
                raise DeliveryError(f"{who}: the signing secret's variable {ch.secret_env} is not set or empty")
        except DeliveryError as e:
            problems.append((str(e), "set the variable where the tasks run (and here)"))
    if hooks:
        parts.append(f"{counted(len(hooks), 'webhook')} well formed, not called (`newsetl watch test --name W` sends "
                     "a test message)")
    if folders:
        parts.append(f"{counted(len(folders), 'folder')} under the storage root")
    if problems:
        return fail("; ".join([p for p, _ in problems] + notices + parts),
                    "; ".join(dict.fromkeys(f for _, f in problems)))
    if notices:
        return warn("; ".join(notices + parts), "; ".join(fixes))
    return ok("; ".join(parts) or f"no channels ({counted(len(watches), 'enabled watch', 'enabled watches')}, "
              "alerts.on_failure empty)")


# ------------------------------------------------------------------------------------------------ api keys

EXPIRY_WARN_DAYS = 7


def check_api(settings: Settings, timeout: float) -> Result:
    """The search API's keys (``newsetl serve``): the environment's (``NEWSETL_API_KEYS`` must read) and those stored
    in the cluster (``pipeline.apikeys``). A stored key that has expired, or expires within ``EXPIRY_WARN_DAYS``, is
    a warning (the keys a rotation replaced are not counted); so are stored keys that read while reading needs no
    key (accepted, not required). ``index.search.api_require_key`` with no key anywhere is a failure: every request
    but /health would be refused. The cluster away leaves the stored keys unchecked (the Elasticsearch check says
    why)."""
    import datetime as dt

    from pipeline.api import ApiKeysError, admin_keys_of, read_keys_of
    from pipeline.apikeys import list_keys
    from pipeline.times import parse_time
    from pipeline.es import UNAVAILABLE_ERRORS, client_from_settings

    try:
        readers = read_keys_of()
    except ApiKeysError as e:
        return fail(str(e), "write NEWSETL_API_KEYS as name=key,name=key (where newsetl serve runs)")
    admins = admin_keys_of(settings)
    required = settings.index.search.api_require_key
    closed = bool(readers) or required
    client = client_from_settings(_bounded(settings, timeout))
    try:
        keys = list_keys(client, settings)
    except UNAVAILABLE_ERRORS:
        keys = None
    finally:
        client.close()
    parts = ["reading needs a key" if closed else "reading needs no key (no NEWSETL_API_KEY[S], "
             "index.search.api_require_key false)"]
    if readers or admins:
        parts.append(f"{counted(len(readers), 'reading key')} and {counted(len(admins), 'admin key')} in the "
                     "environment")
    if keys is None:
        parts.append("the stored keys not checked (not read: the elasticsearch check says why)")
        return ok("; ".join(parts))
    live = [k for k in keys if not k["retiring"]]
    parts.append(counted(len(live), "stored key") + (f" ({sum(k['role'] == 'admin' for k in live)} admin)"
                                                 if live else ""))
    if required and not readers and not live:
        return fail("index.search.api_require_key is true and there is no key: every request but /health is "
                    "refused", f"`newsetl keys add --name NAME` makes one, or set api_require_key false in "
                    f"{_config(settings)}")
    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=EXPIRY_WARN_DAYS)
    notices, fixes = [], []
    for k in live:
        end = parse_time(k["expires_at"])
        if k["expired"]:
            notices.append(f"stored key {k['name']} expired on {end.date()}")
            fixes.append(f"revoke it (newsetl keys revoke --name {k['name']}) or make it anew (newsetl keys add "
                         f"--name {k['name']} --replace)")
        elif end and end <= soon:
            notices.append(f"stored key {k['name']} expires on {end.date()}")
            fixes.append(f"give its service a new one in time: newsetl keys add --name {k['name']} --replace "
                         "--grace 7d")
    readers_stored = [k["name"] for k in live if k["role"] == "read"]
    if readers_stored and not closed:
        n = len(readers_stored)
        notices.append(f"{counted(n, 'stored key')} that {'reads' if n == 1 else 'read'}, but reading needs no key "
                       "here: accepted, not required")
        fixes.append(f"set index.search.api_require_key: true in {_config(settings)} (or NEWSETL_API_KEY)")
    if notices:
        return warn("; ".join(notices + parts), "; ".join(dict.fromkeys(fixes)))
    return ok("; ".join(parts))


# ------------------------------------------------------------------------------------------------ airflow

# Parse the DAG folder as the dag-processor does, in a child process: Airflow's import (and the logging it sets up)
# stays out of this one, and a DAG file that hangs is killed with it. The last line of stdout is the result.
_PARSE_DAGS = r"""
import json, sys, time
t = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag
folder = sys.argv[1]
if not folder:
    from airflow.configuration import conf
    folder = conf.get("core", "dags_folder")
bag = DagBag(dag_folder=folder)
out = {"folder": folder, "dags": sorted(bag.dags), "seconds": time.perf_counter() - t,
       "errors": {str(k): str(v) for k, v in bag.import_errors.items()}}
try:    # the pools, from the metadata database the scheduler uses (AIRFLOW_HOME's configuration)
    from airflow.models.pool import Pool
    out["pools"] = {p.pool: p.slots for p in Pool.get_pools()}
except Exception as e:
    out["pools_error"] = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
print("RESULT" + json.dumps(out))
"""


def _dag_folder() -> str:
    """This checkout's dags/ when there is one (a local install), else Airflow's own dags_folder (the image puts
    the DAGs in /opt/airflow/dags): empty, for the child to ask Airflow."""
    here = REPO_ROOT / "dags"
    return str(here) if here.is_dir() and any(here.glob("news_*.py")) else ""


def _error_line(trace: str) -> str:
    lines = [ln.strip() for ln in trace.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "import error"


def check_airflow(settings: Settings, timeout: float) -> Result:
    """Optional: the DAG files import without errors here (Airflow's DagBag, as tests/test_dags_integrity.py parses
    them), with this config. Skipped when Airflow is not installed."""
    import importlib.util

    if importlib.util.find_spec("airflow") is None:
        return ok("skipped: airflow is not installed here (pip install -e '.[airflow]' to run the DAGs)",
                  skipped=True)
    env = dict(os.environ)
    if settings.config_file:
        env["NEWSETL_CONFIG"] = str(Path(settings.config_file).resolve())
    try:
        proc = subprocess.run([sys.executable, "-c", _PARSE_DAGS, _dag_folder()], capture_output=True, text=True,
                              env=env, timeout=max(1.0, timeout - 1), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return warn(f"parsing the DAGs took more than {timeout - 1:.0f} s",
                    "a DAG file does slow work at import: `airflow dags list-import-errors`")
    line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("RESULT")), None)
    if line is None:
        return warn(f"Airflow could not parse the DAGs: {_error_line(proc.stderr or proc.stdout)}",
                    "`airflow dags list-import-errors` (with AIRFLOW_HOME set as the scheduler has it)")
    res = json.loads(line[len("RESULT"):])
    if res["errors"]:
        errs = "; ".join(f"{_shown(f)}: {_error_line(t)}" for f, t in sorted(res["errors"].items()))
        n = len(res["errors"])
        return warn(f"{counted(n, 'DAG file')} {'does' if n == 1 else 'do'} not import: {errs}",
                    "fix what the error names (a config error names its file and key); `python <dag file>` shows "
                    "the whole traceback")
    if not res["dags"]:
        return warn(f"no DAG in {_shown(res['folder'])}", "point AIRFLOW__CORE__DAGS_FOLDER at the project's dags/")
    dags = (f"{counted(len(res['dags']), 'DAG')} {'imports' if len(res['dags']) == 1 else 'import'} from "
            f"{_shown(res['folder'])} ({', '.join(res['dags'])}) in "
            f"{res['seconds']:.1f} s")
    if "pools" not in res:
        return ok(f"{dags}; pools not checked: Airflow's metadata database cannot be read here "
                  f"({res.get('pools_error')})")
    from pipeline.dagkit import pools

    wanted = pools(settings)
    if missing := [name for name, _, _ in wanted if name not in res["pools"]]:
        return warn(f"{dags}; pool(s) {', '.join(missing)} missing in Airflow: their tasks would never be scheduled",
                    "create them: `docker compose run --rm airflow-init`, or `python -m pipeline.dagkit pools "
                    "--apply` where Airflow runs")
    have = ", ".join(f"{name} {res['pools'][name]}" + (f" (config: {slots})" if res["pools"][name] != slots else "")
                     for name, slots, _ in wanted)
    return ok(f"{dags}; pools: {have}")


# ------------------------------------------------------------------------------------------------ kibana

def check_kibana(settings: Settings, timeout: float) -> Result:
    """Optional: when NEWSETL_KIBANA_URL is set, Kibana answers ``/api/status`` as available
    (``kibana.wait_for_kibana``, one try, with the credentials ``newsetl kibana import`` uses)."""
    from pipeline import kibana

    if not os.environ.get("NEWSETL_KIBANA_URL"):
        return ok("skipped: NEWSETL_KIBANA_URL is not set", skipped=True)
    fix = ("is Kibana running (`docker compose ps kibana`)? Correct NEWSETL_KIBANA_URL, or the credentials "
           "NEWSETL_KIBANA_USERNAME/_PASSWORD (or _API_KEY)")
    try:
        url = kibana.kibana_url()
        verify = os.environ.get("NEWSETL_KIBANA_CA_CERTS") or True
        body = kibana.wait_for_kibana(url, timeout=0.001, interval=1.0, auth=kibana.auth_from_env(settings),
                                      verify=verify)
    except kibana.KibanaError as e:
        last = re.search(r"\(last: (.*)\)$", str(e))
        return warn(f"Kibana at {os.environ['NEWSETL_KIBANA_URL']} is not available"
                    + (f" ({last.group(1)})" if last else f": {e}"), fix)
    level = body["status"]["overall"]["level"]
    version = (body.get("version") or {}).get("number")
    head = f"Kibana{' ' + version if version else ''} at {url}: {level}"
    if level != "available":
        return warn(head, "`docker compose logs kibana` says which of its plugins is degraded")
    return ok(head)


# ------------------------------------------------------------------------------------------------ the registry

@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Settings, float], Result]
    timeout: float          # seconds the check may take
    optional: bool = False  # warn-only: what it finds, its errors and its time running out are warns
    hung_fix: str = ""      # the fix when it runs out of time
    details: str = ""       # the command that shows more (when the check itself breaks)


CHECKS: list[Check] = [
    Check("config", check_config, 15, hung_fix="a config file on a hung network mount? Check its path",
          details="`newsetl sources`"),
    Check("storage", check_storage, 30, hung_fix="the storage root does not answer: check the mount or the object "
          "store (AWS_ENDPOINT_URL)", details="`newsetl prune --dry-run`"),
    Check("elasticsearch", check_elasticsearch, 30, hung_fix="the cluster accepts connections but does not answer: "
          "check it (make es-status, docker compose ps elasticsearch) and elasticsearch.url",
          details="`newsetl index status --check`"),
    Check("models", check_models, 120, hung_fix="a CoreNLP server that accepts connections but does not answer "
          "(or loads a model very slowly): restart it (make corenlp-stop corenlp-start), then `newsetl models`",
          details="`newsetl models`"),
    Check("snapshots", check_snapshots, 30, hung_fix="the cluster does not answer snapshot requests: "
          "`newsetl index snapshots`", details="`newsetl index snapshots`"),
    Check("alerts", check_alerts, 30, hung_fix="the mail server (alerts.smtp) accepts connections but does not "
          "answer: check it", details="`newsetl watch test --name W`"),
    Check("api", check_api, 30, hung_fix="the cluster does not answer: `newsetl keys list`",
          details="`newsetl keys list`"),
    Check("airflow", check_airflow, 90, optional=True, hung_fix="`airflow dags list-import-errors`",
          details="`airflow dags list-import-errors`"),
    Check("kibana", check_kibana, 20, optional=True, hung_fix="Kibana does not answer: `docker compose ps kibana`",
          details="`newsetl kibana import --wait 30`"),
]
NAMES = [c.name for c in CHECKS]


def select(only: list[str] | None = None, skip: list[str] | None = None) -> list[Check]:
    """The checks named by ``only`` (else all) less those in ``skip``, in registry order; ValueError naming an
    unknown one."""
    for n in (only or []) + (skip or []):
        if n not in NAMES:
            raise ValueError(f"no check named {n!r}: use one of {', '.join(NAMES)}")
    return [c for c in CHECKS if (not only or c.name in only) and c.name not in (skip or [])]


def _run_one(check: Check, settings: Settings, timeout: float, out: dict) -> None:
    t = time.perf_counter()
    try:
        r = check.run(settings, timeout)
    except Exception as e:      # an answer nobody expected: say what it was, and where to look
        r = fail(f"the check itself failed: {type(e).__name__}: {first_line(e)}",
                 f"{check.details} shows the details")
    r.seconds = round(time.perf_counter() - t, 2)
    out["result"] = r


def run_checks(settings: Settings, checks: list[Check] | None = None, *, timeout: float | None = None,
               on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Run ``checks`` (default all) at once, each in a daemon thread given its own ``timeout`` (or the one given
    here), and return their results in registry order; ``on_result`` is called with each as soon as it and those
    before it are done (for printing line by line)."""
    # the modules the checks import, imported here first: threads importing one module at once can deadlock
    for module in ("pipeline.stages", "pipeline.entities", "pipeline.snapshots", "pipeline.watches",
                   "pipeline.notify", "pipeline.kibana", "pipeline.sources"):
        importlib.import_module(module)

    checks = CHECKS if checks is None else checks
    started = []
    for c in checks:
        limit = timeout if timeout is not None else c.timeout
        box: dict[str, Any] = {}
        th = threading.Thread(target=_run_one, args=(c, settings, limit, box), name=f"doctor-{c.name}", daemon=True)
        th.start()
        started.append((c, limit, box, th, time.monotonic()))
    results = []
    for c, limit, box, th, t0 in started:
        th.join(max(0.0, t0 + limit - time.monotonic()))
        r = box.get("result")
        if r is None:
            r = Result(WARN if c.optional else FAIL, f"no result within {limit:g} s (the check was given up)",
                       c.hung_fix, seconds=round(time.monotonic() - t0, 2))
        if c.optional and r.status == FAIL:
            r.status = WARN
        r.name = c.name
        results.append(r)
        if on_result:
            on_result(r)
    return results
