"""``newsetl serve``: the search API for downstream services (``pipeline.api``), over HTTP with JSON."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="serve the search API (GET /search, /documents/{id}, /health) over HTTP",
        description="Answer GET /search (the parameters of `newsetl search`), /documents/{id} and /health with JSON, "
        "from the read alias. Read-only. With NEWSETL_API_KEY set, requests need it (Authorization: Bearer, or "
        "X-API-Key). Binds 127.0.0.1 unless --host says otherwise.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 in a container)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    import uvicorn

    from pipeline.cli import UsageError, settings_for

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port between 1 and 65535")
    settings_for(args)      # a bad config is a one-line error now, not in each worker
    if args.workers > 1:    # each worker process builds its own app (and client) from the environment
        import os

        if getattr(args, "config", None):
            os.environ["NEWSETL_CONFIG"] = args.config
        uvicorn.run("pipeline.api:app_from_environment", factory=True, host=args.host, port=args.port,
                    workers=args.workers)
    else:
        from pipeline.api import create_app

        uvicorn.run(create_app(settings_for(args)), host=args.host, port=args.port)
    return 0
