"""SSRF guard: the fetcher only talks to public addresses over http(s).

The check happens on the address actually connected to: ``GuardedBackend`` is an httpcore network backend that
resolves the host itself, refuses any address that is not public (loopback, private, link-local, multicast,
reserved, unspecified, shared/CGNAT, IPv4-mapped or -translated forms of those) unless the configured allow-list
contains it, and then connects to that very IP. DNS rebinding between a check and the connection cannot slip
through, and a redirect to a literal private IP (``http://10.0.0.1/``) is refused before any connection attempt.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Iterable
from urllib.parse import urlsplit

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """A URL the fetcher will not request; ``reason`` is the dead-letter reason."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class BlockedAddress(FetchRefused):
    def __init__(self, message: str):
        super().__init__("blocked_address", message)


class DNSError(FetchRefused):
    def __init__(self, message: str):
        super().__init__("dns_error", message)


_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class AddressPolicy:
    """Which addresses may be contacted: public ones, plus the allow-list (IPs or networks)."""

    def __init__(self, allow: Iterable[str] = ()):
        self.allow = [ipaddress.ip_network(a, strict=False) for a in allow]

    def _allowed(self, ip: IPAddress) -> bool:
        return any(ip.version == n.version and ip in n for n in self.allow)

    def check(self, ip: IPAddress | str) -> str | None:
        """None when ``ip`` may be contacted, else why not."""
        ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
        if self._allowed(ip):
            return None
        inner = None
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.teredo:
                return f"{ip} is a Teredo tunnel address"
            inner = ip.ipv4_mapped or ip.sixtofour
            if inner is None and ip in ipaddress.ip_network("64:ff9b::/96"):   # NAT64
                inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            if inner is not None and self._allowed(inner):
                return None
        cand = inner if inner is not None else ip     # an embedded IPv4 address is judged as itself
        for attr in ("is_loopback", "is_private", "is_link_local", "is_multicast", "is_reserved",
                     "is_unspecified", "is_site_local"):
            if getattr(cand, attr, False):
                return f"{ip} is {attr[3:].replace('_', '-')}"
        if isinstance(cand, ipaddress.IPv4Address) and cand in _CGNAT:
            return f"{ip} is shared address space"
        if not cand.is_global:
            return f"{ip} is not a public address"
        return None


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused("blocked_scheme", f"only http and https URLs are fetched, not {scheme or 'no scheme'!r}")


def literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def precheck_url(url: str, policy: AddressPolicy) -> None:
    """Refuse before any connection: wrong scheme, missing host, literal blocked IP."""
    check_scheme(url)
    host = urlsplit(url).hostname
    if not host:
        raise FetchRefused("invalid_url", f"no host in {url!r}")
    ip = literal_ip(host)
    if ip is not None:
        why = policy.check(ip)
        if why:
            raise BlockedAddress(f"refused {url}: {why}")


async def resolve(host: str, port: int, policy: AddressPolicy) -> str:
    """The first permitted address of ``host``; BlockedAddress when none is, DNSError when it does not resolve."""
    ip = literal_ip(host)
    if ip is not None:
        return _permitted(host, [ip], policy)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise DNSError(f"cannot resolve {host!r}: {e}") from None
    return _permitted(host, _addresses(host, infos), policy)


def resolve_sync(host: str, port: int, policy: AddressPolicy) -> str:
    """``resolve`` for code that is not async (the alerts' webhooks)."""
    return _permitted(host, lookup_sync(host, port), policy)


def lookup_sync(host: str, port: int) -> list[IPAddress]:
    """Every address of ``host`` (itself when it is an IP literal); DNSError when it does not resolve."""
    ip = literal_ip(host)
    if ip is not None:
        return [ip]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise DNSError(f"cannot resolve {host!r}: {e}") from None
    return _addresses(host, infos)


def _addresses(host: str, infos: list) -> list[IPAddress]:
    addrs: list[IPAddress] = []
    for info in infos:
        a = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if a not in addrs:
            addrs.append(a)
    if not addrs:
        raise DNSError(f"{host!r} has no addresses")
    return addrs


def _permitted(host: str, addrs: list[IPAddress], policy: AddressPolicy) -> str:
    reasons = []
    for a in addrs:
        why = policy.check(a)
        if why is None:
            return str(a)
        reasons.append(why)
    raise BlockedAddress(f"refused {host}: " + "; ".join(reasons))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, then connect to the checked IP. Keeps a log of every address connected to."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None):
        from httpcore._backends.auto import AutoBackend

        self.policy = policy
        self.inner = inner or AutoBackend()
        self.connect_log: list[tuple[str, str, int]] = []   # (host asked for, IP connected to, port)

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        ip = await resolve(host, port, self.policy)
        self.connect_log.append((host, ip, port))
        return await self.inner.connect_tcp(ip, port, timeout=timeout, local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise BlockedAddress("unix sockets are never contacted")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedSyncBackend(httpcore.NetworkBackend):
    """``GuardedBackend`` for httpx's blocking client: the connection goes to the address that was checked, so a name
    that resolves elsewhere a moment later (DNS rebinding) cannot lead it into a private network."""

    def __init__(self, policy: AddressPolicy):
        from httpcore._backends.sync import SyncBackend

        self.policy = policy
        self.inner = SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        ip = resolve_sync(host, port, self.policy)
        return self.inner.connect_tcp(ip, port, timeout=timeout, local_address=local_address,
                                      socket_options=socket_options)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise BlockedAddress("unix sockets are never contacted")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)
