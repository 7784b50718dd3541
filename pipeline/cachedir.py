"""Where newsetl keeps what it builds once a machine and every later process reads back: ``$NEWSETL_CACHE_DIR``,
else ``~/.cache/newsetl``. The places tables live there (``pipeline.places``, ``pipeline.georegions``), and the
programs of long regular expressions (``pipeline.regexcache``)."""
from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path | None:
    """The cache folder, or None when ``NEWSETL_CACHE_DIR`` is unset and the user has no home directory (a service
    account without one): callers then build what they need in memory, as for a folder they cannot write."""
    root = os.environ.get("NEWSETL_CACHE_DIR")
    if root:
        return Path(root)
    try:
        return Path.home() / ".cache" / "newsetl"
    except RuntimeError:        # no HOME and no entry in the user database
        return None
