"""Helpers for tests that watch the processing pool's worker processes."""
from __future__ import annotations

import psutil


def pool_workers() -> list[psutil.Process]:
    """The worker processes of this process's pools: the children of our forkserver (a pool being shut down meanwhile
    may lose some: a process that is gone is skipped)."""
    out = []
    for p in psutil.Process().children():
        try:
            if "forkserver" in " ".join(p.cmdline()):
                out.extend(p.children())
        except (psutil.Error, OSError):
            pass
    return out


def live_pool_workers() -> set[int]:
    """The pids of the pool workers that are running (not zombies)."""
    out = set()
    for w in pool_workers():
        try:
            if w.status() != psutil.STATUS_ZOMBIE:
                out.add(w.pid)
        except (psutil.Error, OSError):
            pass
    return out
