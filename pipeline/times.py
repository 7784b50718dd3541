"""Stored times read back: one way to turn an ISO time from a file or the index into an aware datetime."""
from __future__ import annotations

import datetime as dt
from typing import Any


def parse_time(value: Any) -> dt.datetime | None:
    """A stored ISO time ("Z" for UTC) as an aware datetime, UTC when it names no zone; None for none or junk."""
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
