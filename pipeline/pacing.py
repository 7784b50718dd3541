"""Per-host politeness clocks: when a host may next be contacted, and how many requests are in flight to it.

Two kinds, one interface (``try_start``, ``sent``, ``release``, ``slot``; ``robots``/``keep_robots``):

- ``ProcessClock``: in memory, shared by every fetch session of one process (the default when nothing is shared).
- ``SharedClock``: lock files in a directory, shared by every process that points at it: mapped Airflow ``fetch``
  tasks on one machine, Celery workers whose containers mount one volume, two ``newsetl fetch`` in two terminals.
  ``<dir>/<host>.clock`` holds the wall-clock time of the last request to the host; ``<dir>/<host>.slot<i>``
  are held (``flock``) while a request is in flight, so at most ``per_host_concurrency`` are, across processes;
  ``<dir>/<host>.robots.json`` keeps the host's robots.txt for ``fetch.robots_cache_hours`` (RFC 9309 allows a
  day), so the processes of a run, and the runs of a day, ask for it once (``robots_turn``: one asks, the others
  wait for its copy).

A host's files are removed once it has gone unasked for a day (or ``robots_cache_hours`` when longer; ``prune``,
run as each fetch session starts), so the directory holds the hosts of recent runs, not of every run ever. Every
locker checks that the file it locked is still the one at its path (``_locked``), so removal never leaves two
processes each holding "the" lock of a host.

A turn is held until its request has left. ``try_start`` grants a turn and marks it pending; until ``sent`` (the
request's headers are out) or ``release`` (the request ended without leaving), every other request to the host waits,
whatever the delay. Without that, a request that took its turn and then waited (for a core, a connection) could leave
together with the next one, which got its own turn a delay later: on a busy 2-core machine, three processes fetching
one host sent two requests 0.3 ms apart with a delay of 50 ms (tests/test_fetch_politeness.py, 6 runs of 20).
A shared clock's pending turn names the process it was granted to (``_owner``: the machine's boot id, its pid
namespace and the pid): a process on the same machine that finds that process gone (killed between its turn and its
request, by the OOM killer or ``airflow tasks clear``) frees the host at once. A turn of a process on another machine
(Celery workers sharing a volume) cannot be checked, and expires after ``_HOLD`` seconds, so a process killed there
holds the host up that long at most.

``fetch.pacing_dir`` picks one (see ``pacing_for``): ``auto`` (default) shares a clock under the storage root when it
is a local folder, ``off`` keeps it per process, a path shares it there. ``flock`` needs a local or POSIX file
system: a directory on NFS or an object store does not synchronise anything.
"""
from __future__ import annotations

import asyncio
import fcntl
import glob
import hashlib
import json
import os
import re
import threading
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator

# how long a process waits before it tries again for a free in-flight slot held by another process, or for the host's
# turn while another request holds it (pending)
_SLOT_POLL = 0.02
# how long a turn may stay pending (granted, request not yet out) before others stop waiting for it: longer than a
# connection takes to open (fetch.connect_timeout), short enough that a killed process holds a host up briefly
_HOLD = 30.0


def _decide(last: float | None, pending: tuple[float, str] | None, now: float, delay: float) -> tuple[bool, float]:
    """Whether a request may start now, else how long to wait: (True, 0) or (False, seconds). ``last``: when the last
    request to the host started; ``pending``: (expiry, turn) of a granted turn whose request has not left yet."""
    if delay <= 0:          # nothing to space (politeness off): a pending turn holds nobody up
        return True, 0.0
    if pending is not None and now < pending[0] <= now + _HOLD + delay:   # (beyond that: the wall clock went back)
        return False, max(_SLOT_POLL, (last or now) + delay - now)
    # a "last" more than one delay ahead means the wall clock was set back: do not wait for it to catch up
    if last is None or last > now + delay or now >= last + delay:
        return True, 0.0
    return False, last + delay - now


class _TurnRules:
    """The turn rules both clocks follow; each keeps the state its own way (``_update``: a host's "last" and
    "pending", changed under its lock)."""

    def _update(self, key: str, decide) -> float:
        raise NotImplementedError

    def try_start(self, key: str, delay: float, turn: str = "") -> float:
        """0 when a request to ``key`` may start now (its turn ``turn`` is recorded and, with a delay, pending until
        ``sent`` or ``release``), else the seconds to wait before asking again."""
        def decide(last, pending, now):
            ok, wait = _decide(last, pending, now, delay)
            return ((now, (now + _HOLD, turn) if delay > 0 else pending) if ok else None), wait
        return self._update(key, decide)

    def sent(self, key: str, turn: str = "") -> None:
        """The request's headers have just left: count the delay from now, and let the next turn be granted."""
        def decide(last, pending, now):
            return (max(last or 0.0, now), None if pending is None or pending[1] == turn else pending), 0.0
        self._update(key, decide)

    def release(self, key: str, turn: str = "") -> None:
        """The request of ``turn`` is over; when it never left (its turn still pending), free the host's turn and
        count the delay from now."""
        def decide(last, pending, now):
            if pending is None or pending[1] != turn:
                return None, 0.0
            return (max(last or 0.0, now), None), 0.0
        self._update(key, decide)


class ProcessClock(_TurnRules):
    """The clock of one process (monotonic time); in-flight limits are left to the session's semaphores."""

    def __init__(self) -> None:
        self._state: dict[str, tuple[float, tuple[float, str] | None]] = {}   # host -> (last, pending)
        self._lock = threading.Lock()

    def _update(self, key: str, decide) -> float:
        with self._lock:
            last, pending = self._state.get(key, (None, None))
            new, result = decide(last, pending, time.monotonic())
            if new is not None:
                self._state[key] = new
            return result

    @asynccontextmanager
    async def slot(self, key: str, limit: int) -> AsyncIterator[None]:
        yield

    def robots(self, key: str, max_age: float) -> dict | None:
        """Nothing is kept across sessions in memory (a port reused by another server must not inherit rules)."""
        return None

    @asynccontextmanager
    async def robots_turn(self, key: str) -> AsyncIterator[None]:
        yield

    def keep_robots(self, key: str, status: int, body: str) -> None:
        pass


class SharedClock(_TurnRules):
    """The clock of every process that uses ``directory`` (wall-clock time, ``flock``-ed files)."""

    def __init__(self, directory: str) -> None:
        os.makedirs(directory, exist_ok=True)
        self.directory = directory

    def _path(self, key: str) -> str:
        # readable for an operator, and unique whatever the key holds (IPv6 brackets, ports)
        safe = re.sub(r"[^A-Za-z0-9.-]", "_", key)[:80]
        return os.path.join(self.directory, f"{safe}-{hashlib.sha1(key.encode()).hexdigest()[:8]}")

    def _update(self, key: str, decide) -> float:
        """Under the host's lock: ``decide(last, pending, now) -> (new state or None, result)``; returns ``result``.
        The file holds "<last> [<pending expiry> <pending turn> <its owner>]" (wall-clock seconds; ``_owner``). A
        pending turn whose owner is gone (``_gone``) is dropped before ``decide`` sees it."""
        fd = _locked(self._path(key) + ".clock")
        try:
            parts = os.pread(fd, 256, 0).split()
            try:
                last = float(parts[0]) if parts else None
                pending = (float(parts[1]), parts[2].decode()) if len(parts) in (3, 4) else None
                owner = parts[3].decode() if len(parts) == 4 else None
            except (ValueError, UnicodeDecodeError):   # a torn or foreign file: start afresh, not refuse to fetch
                last, pending, owner = None, None, None
            if pending is not None and owner is not None and _gone(owner):
                pending = None      # its process died before its request left: nobody will send or release it
            new, result = decide(last, pending, time.time())
            if new is not None:
                new_last, new_pending = new
                if new_pending is not None and new_pending != pending:
                    owner = _owner()    # a turn granted now, to this process
                text = repr(new_last) + ("" if new_pending is None else
                                         f" {new_pending[0]!r} {new_pending[1]} {owner or '-'}")
                os.pwrite(fd, text.encode().ljust(256), 0)
            return result
        finally:
            os.close(fd)            # releases the lock

    @asynccontextmanager
    async def slot(self, key: str, limit: int) -> AsyncIterator[None]:
        base = self._path(key)
        async with _first_free(f"{base}.slot{i}" for i in range(limit)):
            yield

    @asynccontextmanager
    async def robots_turn(self, key: str) -> AsyncIterator[None]:
        """Held while one process looks for the kept robots.txt of ``key`` and fetches it when there is none, so
        processes that start together ask the host once."""
        async with _first_free([self._path(key) + ".robots.lock"]):
            yield

    def robots(self, key: str, max_age: float) -> dict | None:
        """The robots.txt answer kept for ``key`` (``scheme://host:port``), when younger than ``max_age`` seconds:
        ``{"status": …, "body": …}``."""
        try:
            with open(self._path(key) + ".robots.json", encoding="utf-8") as f:
                kept = json.load(f)
        except (OSError, ValueError):
            return None
        age = time.time() - float(kept.get("fetched", 0))
        if not (0 <= age < max_age) or not isinstance(kept.get("status"), int) or not isinstance(kept.get("body"), str):
            return None
        return kept

    def prune(self, max_idle: float) -> int:
        """Remove the files of every host whose clock has not moved for ``max_idle`` seconds; returns how many hosts.
        A host's files go only while this process holds all of their locks (a host in use is left alone), the clock
        last, so a process that comes back for the host starts with fresh files."""
        removed = 0
        for name in os.listdir(self.directory):
            if not name.endswith(".clock"):
                continue
            base = os.path.join(self.directory, name.removesuffix(".clock"))
            try:
                if time.time() - os.stat(base + ".clock").st_mtime < max_idle:
                    continue
            except FileNotFoundError:
                continue
            locks = [*sorted(glob.glob(glob.escape(base) + ".slot*")), base + ".robots.lock", base + ".clock"]
            held = []
            try:
                for path in locks:
                    fd = _locked(path, wait=False)
                    if fd is None:      # a request or a robots.txt fetch is under way
                        break
                    held.append(fd)
                else:
                    if time.time() - os.fstat(held[-1]).st_mtime >= max_idle:   # still idle now that it is ours
                        for path in [base + ".robots.json", *locks]:
                            try:
                                os.unlink(path)
                            except FileNotFoundError:
                                pass
                        removed += 1
            finally:
                for fd in held:
                    os.close(fd)
        return removed

    def keep_robots(self, key: str, status: int, body: str) -> None:
        path = self._path(key) + ".robots.json"
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"key": key, "fetched": time.time(), "status": status, "body": body}, f)
        os.replace(tmp, path)     # readers see the old file or the new one, never half of one


_MACHINE: str | None = None


def _machine() -> str:
    """What two processes share when each can see the other's pid: the kernel's boot id and the pid namespace (a
    container has its own); the host name where ``/proc`` has neither."""
    global _MACHINE
    if _MACHINE is None:
        try:
            with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
                _MACHINE = f"{f.read().strip()}.{os.stat('/proc/self/ns/pid').st_ino}"
        except OSError:
            import socket
            _MACHINE = re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname()) or "unknown"
    return _MACHINE


def _owner() -> str:
    """This process, as a pending turn names it: ``<machine>/<pid>`` (the pid read now: a forked child is another)."""
    return f"{_machine()}/{os.getpid()}"


def _gone(owner: str) -> bool:
    """Whether the process a pending turn names has surely ended: it ran on this machine and its pid is free, or
    a zombie. A process elsewhere, or one this user may not signal, counts as alive (its turn expires after
    ``_HOLD``)."""
    machine, _, pid = owner.rpartition("/")
    if machine != _machine() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:     # killed but not yet reaped by its parent
            return f.read().rsplit(b")", 1)[-1].split()[:1] == [b"Z"]
    except OSError:
        return False


@asynccontextmanager
async def _first_free(paths) -> AsyncIterator[None]:
    """Hold an exclusive ``flock`` on the first of ``paths`` that is free, waiting (without blocking the event loop)
    until one is."""
    paths = list(paths)
    while True:
        for path in paths:
            fd = _locked(path, wait=False)
            if fd is None:
                continue
            try:
                yield
            finally:
                os.close(fd)
            return
        await asyncio.sleep(_SLOT_POLL)


def _locked(path: str, wait: bool = True) -> int | None:
    """A descriptor holding an exclusive ``flock`` on the file now at ``path`` (created when missing); None when
    ``wait`` is false and another holds it. When ``prune`` removed the file between our open and our lock, the lock
    guards a file no one else can find: it is dropped and the new file at ``path`` locked instead."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            here, now = os.fstat(fd), os.stat(path)
        except BlockingIOError:
            os.close(fd)
            return None
        except FileNotFoundError:
            here = now = None
        if here is not None and (here.st_dev, here.st_ino) == (now.st_dev, now.st_ino):
            return fd
        os.close(fd)


PROCESS_CLOCK = ProcessClock()


def shared_dir(setting: str, storage_root: str | None) -> str | None:
    """The directory of the shared clock ``fetch.pacing_dir`` names: none for ``off``; for ``auto``,
    ``<storage root>/pacing`` when the root is a local folder (a path or ``file://``), else none; else the path."""
    if setting == "off":
        return None
    if setting != "auto":
        return os.path.abspath(os.path.expanduser(setting))
    if not storage_root or ("://" in storage_root and not storage_root.startswith("file://")):
        return None
    return os.path.join(os.path.abspath(storage_root.removeprefix("file://")), "pacing")


def pacing_for(setting: str, storage=None, prune_after: float | None = None) -> ProcessClock | SharedClock:
    """The clock ``fetch.pacing_dir`` asks for (``shared_dir``), or the process's own when nothing is shared; a
    shared one first loses the hosts idle for ``prune_after`` seconds (``SharedClock.prune``)."""
    path = shared_dir(setting, storage.root if storage is not None else None)
    if not path:
        return PROCESS_CLOCK
    clock = SharedClock(path)
    if prune_after is not None:
        clock.prune(prune_after)
    return clock
