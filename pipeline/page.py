"""The unit that flows from fetch (or a file, or the raw archive) into processing: one fetched page."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Page:
    url: str                                   # the URL the page was fetched from (after redirects)
    body: bytes                                # the raw bytes as served (not decoded)
    headers: dict[str, str] = field(default_factory=dict)  # HTTP response headers (lower-cased names)
    source: str = ""                           # configured source name, or the PATH given to `newsetl extract`
    fetched_at: str | None = None              # ISO 8601, UTC
    status_code: int | None = 200
    # Hints from discovery, used when the page itself says nothing (feed item title and date, source language)
    hint_title: str | None = None
    hint_published_at: str | None = None
    hint_language: str | None = None
    source_tags: list[str] = field(default_factory=list)
    warc_ref: str | None = None                # "<warc path relative to storage root>#<offset>" when archived
    encoding: str | None = None                # charset found by the fetcher (BOM, Content-Type or <meta>), if any
    # How the response came over the wire (the archive's WARC-Protocol and WARC-Cipher-Suite headers): the protocol
    # layers, application first ("h2", "tls/1.3"; "http/1.1"), and the TLS cipher suite's IANA name; empty / None
    # where unknown (saved files, archives written before newsetl recorded them)
    protocols: list[str] = field(default_factory=list)
    cipher_suite: str | None = None

    def meta(self) -> dict[str, Any]:
        """Everything but the body (what batch manifests carry)."""
        d = asdict(self)
        d.pop("body")
        return d
