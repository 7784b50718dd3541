"""URL canonicalisation and document ids (shared by processing and the fetcher).

``canonicalize`` relies on courlan for the heavy lifting (scheme and host case, default ports, query sorting,
tracking parameters) and adds what courlan leaves: the fragment is dropped and a few more tracking parameters go.
Non-HTTP URLs (``file:``…) are returned stripped but otherwise unchanged.
"""
from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

# courlan removes utm_*, fbclid, gclid and friends; these are seen on news sites too.
_EXTRA_TRACKING = {"ref", "ref_src", "ref_url", "rss", "cmpid", "ito", "icid", "ns_mchannel", "ns_source",
                   "ns_campaign", "ns_linkname", "ns_fee", "mc_cid", "mc_eid", "xtor", "at_medium", "at_campaign",
                   "share", "smid", "wt_mc", "wt.mc_id", "ocid", "cid", "igshid", "s_cid", "sc_cid", "taid"}


def canonicalize(url: str) -> str:
    """The normalised form of ``url`` used for identity: same article, same string."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    try:
        norm = normalize_url(url, strict=False, trailing_slash=True)
    except Exception:  # courlan rejects some odd URLs; fall back to the plain split
        norm = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))
    p = urlsplit(norm)
    query = [(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True)
             if k.lower() not in _EXTRA_TRACKING and not k.lower().startswith("utm_")]
    return urlunsplit((p.scheme, p.netloc, p.path or "/", urlencode(query), ""))


def doc_id(url: str) -> str:
    """SHA-256 hex digest of the canonical form of ``url``."""
    return hashlib.sha256(canonicalize(url).encode("utf-8")).hexdigest()


def domain(url: str) -> str:
    """Host of ``url``, lower-cased, without a leading ``www.`` (empty for non-HTTP URLs)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
