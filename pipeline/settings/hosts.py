"""Per-host settings (fetch.host_min_delay, fetch.host_headers, processing.extraction.site_rules, …): which key of
a table keyed by host or domain applies to a host."""
from __future__ import annotations

import re
from typing import Iterable


def most_specific(keys: Iterable[str], netloc: str) -> str | None:
    """Of ``keys`` (hosts or domains, some with a port), the most specific one that covers ``netloc`` (host[:port]):
    the host with its port, then the host, then each parent domain; None when none does."""
    keys = set(keys)
    netloc = netloc.lower()
    host = netloc.rsplit(":", 1)[0] if re.search(r":\d+$", netloc) else netloc
    labels = host.split(".")
    for key in [netloc] + [".".join(labels[i:]) for i in range(len(labels))]:
        if key in keys:
            return key
    return None
