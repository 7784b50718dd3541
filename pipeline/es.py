"""The Elasticsearch client: from config/environment or from an Airflow connection, and what the cluster offers.

- ``client_from_settings(settings)``: URL, API key or basic auth, CA certificate, verification from the
  ``elasticsearch:`` config section (the NEWSETL_ES_* environment variables override it, see pipeline.settings).
- ``client_from_airflow(conn_id=None)``: the same from an Airflow connection (``elasticsearch_default`` unless
  configured): host/port/schema, login/password, extras ``api_key``, ``ca_certs``, ``verify_certs``.
- ``check_cluster(client)``: one call that turns "cannot reach / cannot log in" into ``ClusterUnavailable``
  whose message is one line naming the URL and what to do.
- ``capabilities(client)``: version, installed modules/plugins, whether ``_reindex`` and point-in-time exist.
  The local test node lacks analysis-common, painless, reindex and mapper-extras; a full cluster has them.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import elastic_transport
from elasticsearch import ApiError, AuthenticationException, AuthorizationException, Elasticsearch

from pipeline.settings.index import ElasticsearchSettings
from pipeline.wording import counted


class ClusterUnavailable(Exception):
    """The cluster cannot be used (unreachable, TLS, credentials). ``str(e)`` is one line: the URL and what to do."""

    def __init__(self, url: str, problem: str, fix: str):
        self.url = url
        self.problem = problem
        self.fix = fix
        super().__init__(f"Elasticsearch at {url} {problem} — {fix}")


def _es_settings(settings: Any) -> ElasticsearchSettings:
    from pipeline.settings import section

    return section(settings, ElasticsearchSettings, "elasticsearch")


def _redact(url: str) -> str:
    """The URL without any user:password part (safe to print)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        parts = parts._replace(netloc=host)
    return urlunsplit(parts)


def make_client(url: str, *, api_key: str | None = None, username: str | None = None, password: str | None = None,
                ca_certs: str | None = None, verify_certs: bool = True, request_timeout: float = 30.0,
                max_retries: int = 0) -> Elasticsearch:
    """An Elasticsearch client. Retries are left to the callers that know what is safe to retry (the loader)."""
    kw: dict[str, Any] = {"request_timeout": request_timeout, "max_retries": max_retries,
                          "retry_on_timeout": max_retries > 0}
    if api_key:
        kw["api_key"] = api_key
    elif username is not None:
        kw["basic_auth"] = (username, password or "")
    if url.startswith("https://"):
        kw["verify_certs"] = verify_certs
        if ca_certs:
            kw["ca_certs"] = ca_certs
        if not verify_certs:
            kw["ssl_show_warn"] = False
    return Elasticsearch(url, **kw)


def client_from_settings(settings: Any) -> Elasticsearch:
    """A client for the cluster named in the config (``Settings`` or its ``elasticsearch`` section)."""
    es = _es_settings(settings)
    return make_client(es.url, api_key=es.api_key, username=es.username, password=es.password,
                       ca_certs=es.ca_certs, verify_certs=es.verify_certs, request_timeout=es.request_timeout)


def airflow_connection_params(conn: Any) -> dict[str, Any]:
    """make_client() keyword arguments from an Airflow Connection object."""
    extra = conn.extra_dejson if hasattr(conn, "extra_dejson") else {}
    host = (conn.host or "127.0.0.1").strip()
    if "://" in host:
        url = host.rstrip("/")
        if conn.port and not urlsplit(url).port:
            url = f"{url}:{conn.port}"
    else:
        scheme = extra.get("scheme") or (conn.schema if conn.schema in ("http", "https") else None) or "http"
        url = f"{scheme}://{host}:{conn.port or 9200}"
    params: dict[str, Any] = {"url": url}
    if extra.get("api_key"):
        params["api_key"] = extra["api_key"]
    elif conn.login:
        params["username"] = conn.login
        params["password"] = conn.password or ""
    if extra.get("ca_certs"):
        params["ca_certs"] = extra["ca_certs"]
    if "verify_certs" in extra:
        v = extra["verify_certs"]
        params["verify_certs"] = v if isinstance(v, bool) else str(v).lower() not in ("false", "0", "no")
    if extra.get("request_timeout"):
        params["request_timeout"] = float(extra["request_timeout"])
    return params


def client_from_airflow(conn_id: str | None = None) -> Elasticsearch:
    """A client from an Airflow connection (``elasticsearch_default`` unless ``elasticsearch.airflow_conn_id`` or
    ``conn_id`` says otherwise). Works in a task and anywhere Airflow can resolve connections (env AIRFLOW_CONN_*)."""
    from airflow.sdk import BaseHook

    if conn_id is None:
        try:
            from pipeline.settings import load_settings

            conn_id = load_settings().elasticsearch.airflow_conn_id
        except Exception:  # no config file: the documented default
            conn_id = "elasticsearch_default"
    conn = BaseHook.get_connection(conn_id)
    return make_client(**airflow_connection_params(conn))


def client_url(client: Elasticsearch) -> str:
    try:
        nodes = client.transport.node_pool.all()
        return _redact(str(nodes[0].base_url)) if nodes else "<no node>"
    except Exception:
        return "<unknown>"


def unavailable_from(client: Elasticsearch, exc: BaseException) -> ClusterUnavailable:
    """Translate a transport/API exception into ClusterUnavailable (one line, URL, what to do)."""
    url = client_url(client)
    if isinstance(exc, elastic_transport.TlsError):
        return ClusterUnavailable(url, f"failed the TLS handshake ({_cause(exc)})",
                                  "set elasticsearch.ca_certs / NEWSETL_ES_CA_CERTS to the cluster's CA certificate "
                                  "(or verify_certs: false on a test cluster)")
    if isinstance(exc, AuthenticationException):
        return ClusterUnavailable(url, "rejected the credentials (401)",
                                  "set NEWSETL_ES_API_KEY, or elasticsearch.username/password")
    if isinstance(exc, AuthorizationException):
        return ClusterUnavailable(url, "refused the request (403)",
                                  "give the API key/user the cluster monitor and index manage privileges")
    if isinstance(exc, elastic_transport.ConnectionTimeout):
        return ClusterUnavailable(url, "did not answer in time",
                                  "check the cluster is up (make es-status) or raise elasticsearch.request_timeout")
    if isinstance(exc, elastic_transport.ConnectionError):
        return ClusterUnavailable(url, f"is unreachable ({_cause(exc)})",
                                  "start it (make es-start) or point elasticsearch.url / NEWSETL_ES_URL at a running cluster")
    if isinstance(exc, ApiError) and exc.meta.status == 429:
        return ClusterUnavailable(url, "is overloaded (HTTP 429: too many requests)",
                                  "lower index.load.workers / batch_bytes or give the cluster more capacity, then retry")
    if isinstance(exc, ApiError) and exc.meta.status in (502, 503, 504):
        return ClusterUnavailable(url, f"is not ready (HTTP {exc.meta.status})", "wait for the cluster to become healthy and retry")
    return ClusterUnavailable(url, f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                              "check the cluster logs")


def _cause(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None) or ()
    inner = errors[0] if errors else exc.__cause__ or exc.__context__
    text = str(inner or exc)
    # urllib3 messages are long; keep the part that matters
    for marker in ("Connection refused", "Name or service not known", "timed out", "No route to host",
                   "certificate verify failed", "Temporary failure in name resolution", "Connection reset"):
        if marker in text:
            return marker
    return (text.splitlines() or [type(exc).__name__])[0][:160]


UNAVAILABLE_ERRORS = (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout,
                      AuthenticationException, AuthorizationException)


def check_cluster(client: Elasticsearch) -> dict:
    """Cluster name, health and version (of the node answering) — or ClusterUnavailable.

    Uses ``_cluster/health`` and ``_nodes/_local``, not ``GET /``: the local test node has no rest-root module."""
    try:
        health = client.cluster.health()
        nodes = client.nodes.info(node_id="_local", metric="_none")["nodes"]
        node = next(iter(nodes.values()), {})
        return {"cluster_name": health.get("cluster_name"), "name": node.get("name"), "status": health.get("status"),
                "version": {"number": node.get("version", "0"), "build_flavor": node.get("build_flavor", "default")}}
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    except ApiError as e:
        raise unavailable_from(client, e) from None


@dataclass
class Capabilities:
    version: str
    major: int
    distribution: str = "elasticsearch"
    modules: set[str] = field(default_factory=set)
    plugins: set[str] = field(default_factory=set)
    reindex: bool = False

    @property
    def has_reindex(self) -> bool:
        return self.reindex or "reindex" in self.modules or "reindex" in self.plugins

    @property
    def has_analysis_common(self) -> bool:
        return "analysis-common" in self.modules

    @property
    def has_painless(self) -> bool:
        return "lang-painless" in self.modules

    def to_dict(self) -> dict:
        return {"version": self.version, "distribution": self.distribution, "reindex": self.has_reindex,
                "analysis_common": self.has_analysis_common, "painless": self.has_painless,
                "modules": sorted(self.modules), "plugins": sorted(self.plugins)}


def _probe_reindex(client: Elasticsearch) -> bool:
    """``POST _reindex`` with an empty body: 400 (validation: no source) when the API exists, 404/405 when not."""
    try:
        client.perform_request("POST", "/_reindex", headers={"accept": "application/json",
                                                               "content-type": "application/json"}, body={})
        return True
    except ApiError as e:
        return e.meta.status == 400
    except elastic_transport.TransportError:
        return False


_cap_lock = threading.Lock()
_cap_cache: dict[tuple[str, int], Capabilities] = {}


def capabilities(client: Elasticsearch, *, refresh: bool = False) -> Capabilities:
    """What the connected cluster offers. Modules/plugins are the intersection over all nodes (an API that one
    node lacks cannot be relied on). Cached per client."""
    key = (client_url(client), id(client))
    with _cap_lock:
        if not refresh and key in _cap_cache:
            return _cap_cache[key]
    info = check_cluster(client)
    ver = info.get("version", {}).get("number", "0")
    caps = Capabilities(version=ver, major=int(ver.split(".")[0] or 0),
                        distribution=info.get("version", {}).get("build_flavor", "default"))
    try:
        nodes = client.nodes.info(metric="plugins")["nodes"]
        mods: set[str] | None = None
        plugs: set[str] | None = None
        for n in nodes.values():
            m = {x["name"] for x in n.get("modules", [])}
            p = {x["name"] for x in n.get("plugins", [])}
            mods = m if mods is None else mods & m
            plugs = p if plugs is None else plugs & p
        caps.modules, caps.plugins = mods or set(), plugs or set()
    except ApiError:
        pass  # a restricted user: treat as "nothing optional" (the safe side)
    if not caps.modules:  # not listed (embedded node, restricted user): ask the API itself
        caps.reindex = _probe_reindex(client)
    with _cap_lock:
        _cap_cache[key] = caps
    return caps


_no_pit: set[str] = set()


def open_pit(client: Elasticsearch, index: str, keep_alive: str = "5m") -> str | None:
    """Open a point in time on ``index``; None when the cluster does not offer it (remembered per URL)."""
    url = client_url(client)
    if url in _no_pit:
        return None
    try:
        return client.open_point_in_time(index=index, keep_alive=keep_alive)["id"]
    except ApiError as e:
        text = str(e)
        if e.meta.status in (404, 405, 410) and "index_not_found" not in text or "no handler" in text \
                or "unrecognized" in text:
            _no_pit.add(url)
            return None
        raise


def close_pit(client: Elasticsearch, pit_id: str) -> None:
    try:
        client.close_point_in_time(id=pit_id)
    except (ApiError, elastic_transport.TransportError):
        pass  # it expires on its own


def delete_matching(client: Elasticsearch, index: str, query: dict, *, refresh: bool = True) -> int:
    """Delete the documents of ``index`` that ``query`` matches: a scan of their ids and bulk deletes, which every
    cluster offers (``_delete_by_query`` needs the reindex module, which the test node lacks). Returns how many
    went; one deleted meanwhile by someone else counts as gone; ``DeleteFailed`` when others could not be."""
    from elasticsearch import helpers

    actions = ({"_op_type": "delete", "_index": index, "_id": h["_id"]}
               for h in helpers.scan(client, index=index, query={"query": query, "_source": False}, size=1000))
    ok, errors = helpers.bulk(client, actions, raise_on_error=False)
    if refresh:
        client.indices.refresh(index=index)
    failed = [e for e in errors if next(iter(e.values())).get("status") != 404]
    if failed:
        raise DeleteFailed(f"{counted(len(failed), 'document')} of {index} could not be deleted: {failed[0]}")
    return ok + len(errors)


class DeleteFailed(RuntimeError):
    """``delete_matching``: some documents were not deleted (one line naming the index and the first error)."""
