"""Helpers for tests that watch the processing pool's worker processes."""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

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


@contextlib.contextmanager
def watching_pool_workers(every: float = 0.05) -> Iterator[set[int]]:
    """A set that collects, while the block runs, the pid of every pool worker seen running (a thread looks every
    ``every`` seconds)."""
    seen: set[int] = set()
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            seen.update(live_pool_workers())
            time.sleep(every)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        stop.set()
        watcher.join(5)
