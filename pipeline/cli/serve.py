"""``newsetl serve``: the search API for downstream services (``pipeline.api``), over HTTP with JSON, or HTTPS with
``--ssl-certfile`` and ``--ssl-keyfile`` (or ``NEWSETL_API_SSL_CERTFILE`` / ``NEWSETL_API_SSL_KEYFILE``).

With a rate limit (``index.search.api_rate_per_minute``) and several workers, the workers share the clients' buckets
in a SQLite file (``pipeline.api.SharedRateLimit``) in ``--rate-limit-dir`` (or ``$NEWSETL_API_RATE_LIMIT_DIR``), else
in a private directory made for this run and removed when it ends; the directory reaches the workers, which uvicorn
starts afresh, in ``$NEWSETL_API_RATE_LIMIT_DIR``. With ``index.search.api_rate_store: elasticsearch`` every worker
and every server of the cluster shares them in the rate-limit index instead (``pipeline.api.ClusterRateLimit``).

With several workers and ``index.search.api_metrics`` on, ``GET /metrics`` adds up the numbers of all the workers:
they write them to files in a private directory made for this run (removed when it ends), named to them in
``$PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode, ``pipeline.apimetrics``); an inherited value
is replaced, since the directory must start empty. With one worker the app counts in its own registry."""
from __future__ import annotations

import os
import shutil
import tempfile

CERT_ENV = "NEWSETL_API_SSL_CERTFILE"
KEY_ENV = "NEWSETL_API_SSL_KEYFILE"


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="serve the search API (GET /search, /documents/{id}, /health, /metrics) over HTTP or HTTPS",
        description="Answer GET /search (the parameters of `newsetl search`), /documents/{id} and /health with JSON, "
        "from the read alias. It only reads, but for the watches stored in the cluster (PUT/DELETE /watches/{name}), "
        "which need one of NEWSETL_API_ADMIN_KEYS. With NEWSETL_API_KEY (or NEWSETL_API_KEYS: name=key,… one key per "
        "service) set, requests need a key (Authorization: Bearer, or X-API-Key). Binds 127.0.0.1 unless --host says otherwise. With --ssl-certfile and --ssl-keyfile it speaks "
        "HTTPS only.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 in a container)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--ssl-certfile", metavar="PEM", help=f"serve HTTPS with this certificate (PEM; the chain after "
                   f"it, if any), with --ssl-keyfile (default ${CERT_ENV})")
    p.add_argument("--ssl-keyfile", metavar="PEM", help=f"the certificate's private key (PEM, not encrypted) "
                   f"(default ${KEY_ENV})")
    p.add_argument("--rate-limit-dir", metavar="DIR", help="with index.search.api_rate_per_minute: keep the clients' "
                   "buckets in a SQLite file in DIR (made if missing; on a local filesystem), shared by the workers "
                   "and by every server on this host that names DIR (default $NEWSETL_API_RATE_LIMIT_DIR; else with "
                   "--workers above 1 a private directory removed at exit, with one worker in memory). Servers on "
                   "several hosts share one limit with index.search.api_rate_store: elasticsearch instead")
    p.set_defaults(func=cmd_serve)


def tls_files(certfile: str | None, keyfile: str | None) -> tuple[str, str] | None:
    """The certificate and key to serve HTTPS with, from the options or else the environment; None for plain HTTP.
    UsageError (one line) when only one is given, a file is missing or unreadable, the certificate file holds no
    certificate, or the key is no usable key or not the certificate's: checked by loading them with ``ssl`` as uvicorn
    will, so that the error says which file and why before anything starts."""
    from pipeline.cli import UsageError

    cert = (certfile, "--ssl-certfile") if certfile else (os.environ.get(CERT_ENV) or None, CERT_ENV)
    key = (keyfile, "--ssl-keyfile") if keyfile else (os.environ.get(KEY_ENV) or None, KEY_ENV)
    if not cert[0] and not key[0]:
        return None
    if not cert[0] or not key[0]:
        given = cert[1] if cert[0] else key[1]
        missing = "--ssl-keyfile (or $NEWSETL_API_SSL_KEYFILE)" if cert[0] else \
            "--ssl-certfile (or $NEWSETL_API_SSL_CERTFILE)"
        raise UsageError(f"{given} without {missing}: HTTPS needs both the certificate and its private key (PEM "
                         f"files); give neither to serve plain HTTP")
    for path, label in (cert, key):
        try:
            with open(path, "rb") as f:
                f.read(1)
        except FileNotFoundError:
            raise UsageError(f"{label} {path}: no such file") from None
        except OSError as e:
            raise UsageError(f"{label} {path}: cannot read it ({e.strerror or e})") from None
    import ssl

    try:          # parses every certificate of the file, as a client reads a CA file
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=cert[0])
    except (ssl.SSLError, ValueError) as e:
        raise UsageError(f"{cert[1]} {cert[0]}: not a PEM certificate ({_reason(e)})") from None
    try:
        # an encrypted key would make OpenSSL ask for its password on the terminal: answer with none instead
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert[0], key[0], password=lambda: b"")
    except ssl.SSLError as e:
        if getattr(e, "reason", None) == "KEY_VALUES_MISMATCH":
            raise UsageError(f"{key[1]} {key[0]}: this private key does not match the certificate in {cert[0]} "
                             f"(give the key the certificate was made for)") from None
        why = f" ({e.reason})" if getattr(e, "reason", None) else ""     # OpenSSL's "PEM lib" says nothing more
        raise UsageError(f"{key[1]} {key[0]}: no PEM private key in it, or an encrypted one (give the key "
                         f"unencrypted){why}") from None
    return cert[0], key[0]


def rate_limit_dir(option: str | None, workers: int, settings) -> tuple[str | None, bool]:
    """Where the workers share the rate limit's buckets, and whether it was made for this run (to remove at exit):
    ``--rate-limit-dir``, else ``$NEWSETL_API_RATE_LIMIT_DIR``, else a new private directory when there are several
    workers (or ``index.search.api_rate_store`` is sqlite); None when there is no limit, one worker keeps them in
    memory, or the cluster keeps them (api_rate_store elasticsearch: ``pipeline.api.ClusterRateLimit``). The store is
    opened here once, so that a directory it cannot be kept in is a UsageError (one line) before anything starts, not
    an error in each worker. UsageError too for --rate-limit-dir with a store that keeps no file, and for memory with
    several workers (each would count on its own)."""
    from pipeline.api import RATE_DIR_ENV, RateStoreError, SharedRateLimit
    from pipeline.cli import UsageError

    cfg = settings.index.search
    if not cfg.api_rate_per_minute:
        return None, False
    store = cfg.api_rate_store
    if store in ("memory", "elasticsearch"):
        if option:
            raise UsageError(f"--rate-limit-dir {option}: index.search.api_rate_store is {store}, which keeps no "
                             f"file: drop the option, or set api_rate_store to sqlite")
        if store == "memory" and workers > 1:
            raise UsageError(f"--workers {workers} with index.search.api_rate_store memory: each worker would count "
                             f"on its own and give a client {workers} times its limit: set api_rate_store to sqlite "
                             f"(or leave it out), or elasticsearch")
        return None, False          # the cluster's index (ClusterRateLimit), or one worker's memory
    given = (option, "--rate-limit-dir") if option else (os.environ.get(RATE_DIR_ENV) or None, f"${RATE_DIR_ENV}")
    made = False
    if given[0]:
        directory = given[0]
    elif workers > 1 or store == "sqlite":
        try:
            directory, made = tempfile.mkdtemp(prefix="newsetl-api-rate-"), True
        except OSError as e:
            raise UsageError(f"cannot make a directory for the workers' shared rate limit ({e.strerror or e}): set "
                             f"TMPDIR to a writable directory or give --rate-limit-dir") from None
    else:
        return None, False
    try:
        SharedRateLimit(directory, cfg.api_rate_per_minute, cfg.api_burst).db.close()
    except RateStoreError as e:
        if made:
            shutil.rmtree(directory, ignore_errors=True)
        raise UsageError(f"{given[1] if given[0] else 'the shared rate limit'} {directory}: {e}: give a writable "
                         f"directory on a local filesystem") from None
    return directory, made


def _reason(e: Exception) -> str:
    return str(getattr(e, "reason", None) or e).replace("\n", " ")


def cmd_serve(args) -> int:
    import uvicorn

    from pipeline.cli import UsageError, settings_for

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port between 1 and 65535")
    tls = tls_files(args.ssl_certfile, args.ssl_keyfile)
    ssl_kw = {"ssl_certfile": tls[0], "ssl_keyfile": tls[1]} if tls else {}
    settings = settings_for(args)       # a bad config is a one-line error now, not in each worker
    from pipeline.api import ApiKeysError, read_keys_of

    try:
        read_keys_of()                  # NEWSETL_API_KEYS likewise
    except ApiKeysError as e:
        raise UsageError(str(e)) from None
    rate_dir, made = rate_limit_dir(args.rate_limit_dir, args.workers, settings)
    metrics_dir = None
    try:
        from pipeline.apimetrics import MULTIPROC_ENV

        os.environ.pop(MULTIPROC_ENV, None)     # one worker: its own registry; several: the directory made here
        if args.workers > 1 and settings.index.search.api_metrics:
            try:
                metrics_dir = os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="newsetl-api-metrics-")
            except OSError as e:
                raise UsageError(f"cannot make a directory for the workers' metrics ({e.strerror or e}): set TMPDIR "
                                 f"to a writable directory, or index.search.api_metrics: false") from None
        if args.workers > 1:    # each worker process builds its own app (and client) from the environment
            from pipeline.api import RATE_DIR_ENV

            if getattr(args, "config", None):
                os.environ["NEWSETL_CONFIG"] = args.config
            if rate_dir:
                os.environ[RATE_DIR_ENV] = rate_dir
            uvicorn.run("pipeline.api:app_from_environment", factory=True, host=args.host, port=args.port,
                        workers=args.workers, **ssl_kw)
        else:
            from pipeline.api import create_app

            uvicorn.run(create_app(settings, rate_limit_dir=rate_dir), host=args.host, port=args.port, **ssl_kw)
    finally:
        if made:
            shutil.rmtree(rate_dir, ignore_errors=True)
        if metrics_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0
