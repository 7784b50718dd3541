"""One way to run a tools/*-local server for a test session (Elasticsearch, the S3 store, CoreNLP).

``local_server(tool, ...)`` starts the wrapper with a temporary ``--data`` folder and ``--watch-pid`` (the server
dies with the session even if pytest is killed), yields the URL the wrapper prints as its last line, and stops it
afterwards. A server that cannot be built or started FAILS the fixture with the wrapper's output and the log's
tail: tests that need a real server never skip.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(tool: Path, *args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(tool), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _tail(data: Path) -> str:
    logs = sorted(data.glob("*.log"))
    return "\n".join(f"--- {log.name} ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                     for log in logs) or "(no log)"


@contextmanager
def local_server(tool: Path, *start_args: str, start_timeout: float, build_timeout: float = 600):
    """Start ``tool`` (``start --data D --timeout S --watch-pid P`` + ``start_args``), yield its URL, stop it."""
    name = tool.name
    data = Path(tempfile.mkdtemp(prefix=f"newsetl-test-{name}-"))
    args = ["start", "--data", str(data), "--timeout", str(int(start_timeout)), "--watch-pid", str(os.getpid()),
            *start_args]
    try:
        try:
            proc = _run(tool, *args, timeout=start_timeout + build_timeout)   # + room for a first build
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"{name} start did not return within {exc.timeout}s\n{_tail(data)}", pytrace=False)
        lines = proc.stdout.strip().splitlines()
        url = lines[-1].strip() if lines else ""
        if proc.returncode != 0 or not url.startswith("http://127.0.0.1:"):
            pytest.fail(f"could not start {name} ({tool}; exit {proc.returncode}):\n--- stdout ---\n{proc.stdout}"
                        f"\n--- stderr ---\n{proc.stderr}\n{_tail(data)}", pytrace=False)
        yield url
    finally:
        stop = _run(tool, "stop", "--data", str(data), timeout=90)
        shutil.rmtree(data, ignore_errors=True)
        if stop.returncode != 0:   # the session is over: report, without turning passed tests into errors
            print(f"\n{name} stop failed ({stop.returncode}): {stop.stdout}{stop.stderr}")
