"""Prometheus metrics of the search API: ``GET /metrics`` (``pipeline.api`` wires it in when
``index.search.api_metrics`` is on; ``newsetl serve --workers N`` gives its workers a directory to share them in).

- ``newsetl_api_requests_total{method, route, status}``: every answer but ``/metrics``'s own, refused ones too (401,
  403 from the key check, 429 from the rate limit, 503 from the cluster). ``route`` is the route's template
  (``/documents/{doc_id}``, ``/watches/{name}``), never the path asked for; a path no route has is ``unmatched``, a
  method outside the usual seven ``other``: the series stay bounded whatever clients send.
- ``newsetl_api_request_duration_seconds{route}``: a histogram of the time to the answer's last byte.
- ``newsetl_api_rate_limited_total{bucket}``: the 429s by the kind of bucket that was empty, ``key`` (a known key's)
  or ``address`` (anything else's); never the address itself.
- ``newsetl_api_key_requests_total{key}``: the requests by the name of the key they carried (``default`` and the
  ``NEWSETL_API_KEYS`` names, ``admin:N``, the stored keys' names); ``none`` without a known key (an unknown or
  expired key, a feed's token). Bounded by the keys that exist.
- ``newsetl_api_requests_in_progress``: the requests being answered now.
- The process and platform collectors: ``process_*`` (CPU, memory, open files, start time), ``python_info``,
  ``python_gc_*`` for one process.

One process (``newsetl serve``, ``create_app``): each app has a registry of its own. Several workers: when
``$PROMETHEUS_MULTIPROC_DIR`` named a directory as prometheus_client was first imported (``newsetl serve --workers
N`` makes a private one, and removes it at exit), every worker writes its numbers to files there and ``/metrics``,
whichever worker answers, adds up the files of all of them (prometheus_client's multiprocess mode): the server's
numbers. The counts of a worker that died stay in the sum; its in-progress gauge is dropped (``mark_process_dead``)
at the next scrape. ``process_*`` are then summed over the server's processes (the supervisor and its children).
"""
from __future__ import annotations

import os
import re
import time
from typing import Any

METRICS_PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"      # prometheus_client's own name for the shared directory
PREFIX = "newsetl_api_"
# seconds: a search answers in milliseconds, facets and feeds in tens to hundreds, a cluster in trouble in seconds
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
UNMATCHED = "unmatched"
ANONYMOUS = "none"
_LIVE_FILE = re.compile(r"gauge_live\w*?_(\d+)\.db")


def shared_directory() -> str | None:
    """The directory the workers share their numbers in, when prometheus_client is in multiprocess mode (which it
    decides once, when first imported, from ``$PROMETHEUS_MULTIPROC_DIR``); None: this process counts on its own."""
    from prometheus_client import values

    if values.ValueClass is values.MutexValue:
        return None
    directory = os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower())
    if not directory:
        raise RuntimeError(f"prometheus_client was imported with ${MULTIPROC_ENV} set, which is gone now: set it "
                           f"before the first import and keep it")
    return directory


class ApiMetrics:
    """The API's metrics; ``install(app)`` adds the middleware that counts and ``GET /metrics``."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
        from prometheus_client import GCCollector, PlatformCollector, ProcessCollector

        self.directory = shared_directory()
        # one process: a registry of this app's own (several apps in one process, as in the tests, stay apart);
        # several: no registry, a scrape reads the shared files
        own = None if self.directory else CollectorRegistry()
        self.registry = own
        self.requests = Counter(PREFIX + "requests", "API requests answered, by method, route template and status "
                                "(401/403: the key check, 429: the rate limit, 503: Elasticsearch unavailable)",
                                ["method", "route", "status"], registry=own)
        self.duration = Histogram(PREFIX + "request_duration_seconds", "Time to answer an API request, by route "
                                  "template", ["route"], buckets=BUCKETS, registry=own)
        self.limited = Counter(PREFIX + "rate_limited", "Requests refused by the rate limit (429), by the kind of "
                               "bucket: a known key's or a client address's", ["bucket"], registry=own)
        self.by_key = Counter(PREFIX + "key_requests", "API requests by the name of the key they carried (none: "
                              "without a known key)", ["key"], registry=own)
        self.in_progress = Gauge(PREFIX + "requests_in_progress", "API requests being answered now", registry=own,
                                 multiprocess_mode="livesum")
        for bucket in ("key", "address"):       # both series from the start, at 0
            self.limited.labels(bucket)
        if own is not None:
            ProcessCollector(registry=own)
            PlatformCollector(registry=own)
            GCCollector(registry=own)

    def install(self, app: Any) -> None:
        """The counting middleware, outermost (call it after every other middleware is added, so that what those
        refuse is counted with its status), and ``GET /metrics``."""
        from fastapi.responses import Response

        app.add_middleware(_Counting, metrics=self, routes=app.router.routes)

        def metrics_():
            body, media_type = self.exposition()
            return Response(body, media_type=media_type)

        app.add_api_route(METRICS_PATH, metrics_, methods=["GET"], response_class=Response, response_model=None,
                          summary="Prometheus metrics of the API", description="The text exposition format; needs "
                          "a key whenever reading needs one; never rate-limited (pipeline/apimetrics.py).",
                          responses={200: {"content": {"text/plain": {}}}})

    def observe(self, method: str, route: str, status: int, seconds: float, key: str | None,
                limited: str | None) -> None:
        self.requests.labels(method if method in METHODS else "other", route, str(status)).inc()
        self.duration.labels(route).observe(seconds)
        self.by_key.labels(key or ANONYMOUS).inc()
        if limited:
            self.limited.labels(limited).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The metrics in Prometheus's text format, and its media type: this app's, or all the workers'."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, PlatformCollector, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        if self.registry is not None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        self.forget_dead()
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=self.directory)
        registry.register(_ServerProcesses())
        PlatformCollector(registry=registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST

    def forget_dead(self) -> None:
        """``mark_process_dead`` for each worker whose live gauge is still in the directory but which is gone (or whose
        pid another process, not a sibling, has now), as prometheus_client's documentation asks of a server that
        starts workers anew; their counters and histograms stay in the sum."""
        from prometheus_client.multiprocess import mark_process_dead

        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for pid in {int(m[1]) for m in map(_LIVE_FILE.fullmatch, names) if m} - {os.getpid()}:
            if not _sibling(pid):
                mark_process_dead(pid, self.directory)


def _sibling(pid: int) -> bool:
    """``pid`` is a live process of this server: a child of this worker's parent, not a zombie."""
    import psutil

    try:
        proc = psutil.Process(pid)
        return proc.ppid() == os.getppid() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class _ServerProcesses:
    """``process_*`` of the whole server in multiprocess mode: this worker's parent (the supervisor) and its children
    (the workers), summed; the start time is the supervisor's."""

    def collect(self):
        import psutil
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        try:
            root = psutil.Process(os.getppid())
            procs = [root, *root.children()]
        except psutil.Error:
            root = psutil.Process()
            procs = [root]
        cpu = rss = vms = fds = 0.0
        for proc in procs:
            try:
                with proc.oneshot():
                    times, memory = proc.cpu_times(), proc.memory_info()
                    cpu += times.user + times.system
                    rss, vms = rss + memory.rss, vms + memory.vms
                    fds += proc.num_fds() if hasattr(proc, "num_fds") else 0
            except psutil.Error:
                continue
        yield CounterMetricFamily("process_cpu_seconds", "CPU time of the server's processes, user and system, "
                                  "in seconds", value=cpu)
        yield GaugeMetricFamily("process_resident_memory_bytes", "Resident memory of the server's processes",
                                value=rss)
        yield GaugeMetricFamily("process_virtual_memory_bytes", "Virtual memory of the server's processes", value=vms)
        yield GaugeMetricFamily("process_open_fds", "Open file descriptors of the server's processes", value=fds)
        try:
            yield GaugeMetricFamily("process_start_time_seconds", "Start of the server (its supervisor process), "
                                    "seconds since the epoch", value=root.create_time())
        except psutil.Error:
            pass


class _Counting:
    """ASGI middleware: each request's route template, status, duration and key into ``ApiMetrics`` (not
    ``/metrics``'s). The route is the one the router chose (``scope["route"]``); for a request refused before routing
    (the key check, the rate limit), the one it would have chosen."""

    def __init__(self, app: Any, metrics: ApiMetrics, routes: list) -> None:
        self.app, self.metrics, self.routes = app, metrics, routes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] == METRICS_PATH:      # a scrape is not counted
            await self.app(scope, receive, send)
            return
        status = 500            # an exception that escapes: the server's 500

        async def sending(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            self.metrics.in_progress.dec()
            route = self._template(scope)
            if route != METRICS_PATH:
                state = scope.get("state") or {}
                self.metrics.observe(scope["method"], route, status, seconds, state.get("key_name"),
                                     state.get("rate_limited"))

    def _template(self, scope) -> str:
        route = scope.get("route")
        if route is None:           # not routed: what the router would have chosen (a full match, else a partial)
            from starlette.routing import Match

            partial = None
            for candidate in self.routes:
                match, _ = candidate.matches(scope)
                if match is Match.FULL:
                    route = candidate
                    break
                if match is Match.PARTIAL and partial is None:
                    partial = candidate
            route = route or partial
        return getattr(route, "path_format", None) or UNMATCHED
