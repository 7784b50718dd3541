"""Small network helpers for tests."""
import random
import socket

_GIVEN: set[int] = set()     # the ports this process handed out, never handed out twice


def _ephemeral_low() -> int:
    """The first port of the kernel's ephemeral range (what bind to port 0 and outgoing connections take)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (bound, read, released), taken below the ephemeral
    range. A port from that range (bind to port 0) may be taken by any outgoing connection between this call and the
    server's own bind, several seconds later for an Elasticsearch node: in CI a node then failed to start with
    "BindHttpException: Failed to bind to 127.0.0.1:45031". A port below the range is only ever taken by a bind
    that names it."""
    high = _ephemeral_low() - 1
    low = max(1024, high - 12000)
    for _ in range(500):
        port = random.randint(low, high)
        if port in _GIVEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:             # in use, or in TIME_WAIT: another
                continue
        _GIVEN.add(port)
        return port
    raise RuntimeError(f"no free TCP port on 127.0.0.1 between {low} and {high}")
