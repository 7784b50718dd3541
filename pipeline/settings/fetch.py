"""Settings of sources and fetching (the ``fetch:`` section of newsetl.yaml). Owned by the fetcher.

The sources themselves live in ``config/sources.yaml`` (see ``pipeline.sources``); ``sources_file`` says where.
"""
from __future__ import annotations

import importlib.util
import ipaddress
import os
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.settings.hosts import most_specific


_TOKEN_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# headers the fetcher sets (or HTTP itself needs): not to be replaced per host
_OWN_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "accept-encoding", "te", "upgrade"}
_ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# the content codings the fetcher can decode, and the package each needs beyond the standard library
CONTENT_CODINGS = {"gzip": None, "deflate": None, "br": "brotli", "zstd": "zstandard"}


def installed(module: str | None) -> bool:
    """``module`` can be imported here (None: a standard-library coding, always there)."""
    return module is None or importlib.util.find_spec(module) is not None


def default_codings() -> list[str]:
    """gzip and deflate, and br and zstd when their packages are installed."""
    return [c for c, mod in CONTENT_CODINGS.items() if installed(mod)]


def _host_key(host: str) -> str:
    key = host.strip().lower().rstrip(".")
    if not re.fullmatch(r"[a-z0-9.-]+(?::\d{1,5})?", key) or key.startswith("."):
        raise ValueError(f"{host!r} is not a host name: write it as example.com (or example.com:8080), "
                         "without scheme or path")
    return key


def _expand(value: str, where: str) -> str:
    """``${NAME}`` in a header value replaced by that environment variable; ValueError naming it when unset."""
    def var(m: re.Match) -> str:
        if m.group(1) not in os.environ:
            raise ValueError(f"{where}: the environment variable {m.group(1)} is not set (export it where the "
                             f"fetch runs, or write the value itself)")
        return os.environ[m.group(1)]

    out = _ENV_RE.sub(var, value)
    if "\r" in out or "\n" in out:
        raise ValueError(f"{where}: a header value cannot hold a line break")
    return out


class FetchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources_file: str | None = Field(
        default=None, description="Path of sources.yaml; default: sources.yaml beside newsetl.yaml")
    # Identity
    user_agent: str = Field(default="newsetl/0.1", description="Product token and version sent as User-Agent")
    contact_url: str = Field(default="https://github.com/newsetl/newsetl",
                             description="Where site owners learn about the crawler; appended to the User-Agent")
    # Politeness
    min_delay: float = Field(default=1.0, ge=0, description="Seconds between two requests to one host")
    host_min_delay: dict[str, float] = Field(
        default_factory=dict, description="Seconds between two requests to a host and its subdomains, instead of "
        "min_delay: {'example.com': 5} (a key may name a port too: 'example.com:8080'; the most specific key wins; a "
        "larger robots.txt Crawl-delay still wins)")
    host_headers: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Extra request headers per host (and its subdomains; a key may name a "
        "port; the most specific key wins), e.g. a subscriber's cookie or a token: {'example.com': {'Cookie': "
        "'${EXAMPLE_COOKIE}'}}. ${NAME} is read from the environment when the config loads, so the secret stays out "
        "of the file. Sent to that host only, never after a redirect to another one; never archived")
    max_crawl_delay: float = Field(default=30.0, ge=0,
                                   description="Upper bound on a robots.txt Crawl-delay (a larger one is capped)")
    per_host_concurrency: int = Field(default=2, ge=1, le=2, description="Parallel requests to one host (at most 2)")
    concurrency: int = Field(default=16, ge=1, description="Parallel requests overall")
    obey_robots: bool = Field(default=True, description="Fetch, cache per host and obey robots.txt")
    robots_cache_hours: float = Field(
        default=24, ge=0, description="Keep a host's robots.txt this long in pacing_dir, shared by the processes and "
        "runs that use it (0, or no shared pacing_dir: fetched once per session)")
    pacing_dir: str = Field(
        default="auto", description="Where the per-host clocks live so that processes pace together: 'auto' (under a "
        "local storage root, else per process), 'off' (per process) or a directory every fetching process can lock")
    # Timeouts (seconds)
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=20.0, gt=0)
    total_timeout: float = Field(default=60.0, gt=0, description="Whole request, body included")
    # Limits
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0, description="Bodies larger than this: too_large")
    max_redirects: int = Field(default=10, ge=0)
    # Transport
    accept_encodings: list[str] | None = Field(
        default=None, description="Content codings asked for (Accept-Encoding), in this order: gzip, deflate, br "
        "(needs the brotli package), zstd (needs zstandard); [] asks for identity only. Default: gzip, deflate, and br "
        "and zstd when their package is installed (both are dependencies of newsetl). A body in any coding the "
        "fetcher can decode is decoded even when not asked for; one it cannot: unsupported_encoding")
    http2: bool = Field(
        default=False, description="Offer HTTP/2 (ALPN, https only; needs the h2 package): a host that accepts it "
        "gets one connection that multiplexes its requests; per-host pacing and concurrency are unchanged. A host "
        "that does not, and every http:// URL, stays on HTTP/1.1")
    # Retries on 429, 5xx and timeouts: exponential backoff with jitter, Retry-After honoured
    max_retries: int = Field(default=3, ge=0)
    backoff_base: float = Field(default=1.0, ge=0, description="First backoff in seconds; doubles each attempt")
    backoff_max: float = Field(default=60.0, ge=0)
    max_retry_after: float = Field(default=120.0, ge=0,
                                   description="A Retry-After longer than this ends the URL (http_429/http_503)")
    give_up_after: int = Field(
        default=5, ge=0, description="A dead-letter retry (newsetl deadletters --retry, the DAG param "
        "retry_dead_letters) leaves out a URL whose fetch has failed this many times, over every run (0: no cap)")
    host_failure_limit: int = Field(default=5, ge=1,
                                    description="Consecutive failures after which a host is paused for the run")
    # SSRF guard: addresses or networks that may be contacted although not public (e.g. 127.0.0.1 in tests)
    allow_addresses: list[str] = Field(default_factory=list)
    # Raw archive
    warc_max_bytes: int = Field(default=256 * 1024 * 1024, gt=0, description="Roll over to a new WARC file past this")
    # Discovery
    max_sitemaps: int = Field(default=50, ge=1, description="Child sitemaps followed per sitemap source and run")
    refetch_updated_days: float | None = Field(
        default=2.0, gt=0, description="An article already archived is fetched again (a conditional GET) when its "
        "feed entry's <updated> or its sitemap entry's <lastmod> is later than its fetch, if the feed or sitemap "
        "gives its publication date and that is at most this many days old (corrections, a developing story), or, "
        "where it gives none, our first fetch of it is; a listing that stamps all its entries with one time "
        "(the time it was made) gives no update times; null: an article is fetched once")

    @field_validator("allow_addresses")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        for item in v:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)") from None
        return v

    @field_validator("accept_encodings")
    @classmethod
    def _codings(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        out: list[str] = []
        for item in v:
            c = str(item).strip().lower()
            if c == "identity":
                continue            # always acceptable; [] (or only identity) asks for nothing else
            if c not in CONTENT_CODINGS:
                raise ValueError(f"{item!r} is not a content coding the fetcher can decode (one of: "
                                 f"{', '.join(CONTENT_CODINGS)})")
            if not installed(CONTENT_CODINGS[c]):
                raise ValueError(f"{c} needs the {CONTENT_CODINGS[c]} package, which is not installed here (pip "
                                 f"install {CONTENT_CODINGS[c]}, or leave {c} out of fetch.accept_encodings)")
            if c not in out:
                out.append(c)
        return out

    @field_validator("http2")
    @classmethod
    def _http2(cls, v: bool) -> bool:
        if v and not installed("h2"):
            raise ValueError("HTTP/2 needs the h2 package, which is not installed here (pip install 'httpx[http2]', "
                             "or set fetch.http2: false)")
        return v

    @property
    def codings(self) -> list[str]:
        """The content codings asked for, in order (``accept_encodings`` or the default)."""
        return default_codings() if self.accept_encodings is None else list(self.accept_encodings)

    @property
    def accept_encoding_header(self) -> str:
        return ", ".join(self.codings) or "identity"

    @field_validator("host_min_delay")
    @classmethod
    def _host_delays(cls, v: dict[str, float]) -> dict[str, float]:
        out = {}
        for host, delay in v.items():
            if delay < 0:
                raise ValueError(f"{host!r}: the delay must be 0 seconds or more, not {delay}")
            out[_host_key(host)] = float(delay)
        return out

    @field_validator("host_headers")
    @classmethod
    def _host_headers(cls, v: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        out = {}
        for host, headers in v.items():
            checked = {}
            for name, value in headers.items():
                if not _TOKEN_RE.fullmatch(name):
                    raise ValueError(f"{host!r}: {name!r} is not a header name")
                if name.lower() in _OWN_HEADERS:
                    raise ValueError(f"{host!r}: {name} is set by the fetcher itself and cannot be given here")
                checked[name] = _expand(str(value), f"{host!r}: {name}")
            out[_host_key(host)] = checked
        return out

    def min_delay_for(self, netloc: str) -> float:
        """The delay between two requests to ``netloc`` (host[:port]): ``host_min_delay``'s most specific key (the
        host with its port, the host, then each parent domain), else ``min_delay``."""
        key = most_specific(self.host_min_delay, netloc)
        return self.min_delay if key is None else self.host_min_delay[key]

    def headers_for(self, netloc: str) -> dict[str, str]:
        """The extra request headers for ``netloc`` (``host_headers``' most specific key), else none."""
        key = most_specific(self.host_headers, netloc)
        return self.host_headers[key] if key else {}

    @field_validator("pacing_dir")
    @classmethod
    def _pacing_dir(cls, v: str) -> str:
        if not v.strip() or "://" in v:
            raise ValueError(f"{v!r} is not 'auto', 'off' or a local directory (a lock-file directory such as "
                             "/var/lib/newsetl/pacing; object stores cannot hold locks)")
        return v

    @property
    def user_agent_header(self) -> str:
        return f"{self.user_agent} (+{self.contact_url})" if self.contact_url else self.user_agent

    @property
    def robots_token(self) -> str:
        return self.user_agent.split("/", 1)[0].strip() or "*"
