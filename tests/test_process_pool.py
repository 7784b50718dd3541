"""The worker pool under failure: a worker killed mid-batch, and a page that runs past processing.page_timeout.

Both with real worker processes; each batch must still yield one document per page, in input order.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time

import psutil

from pipeline.page import Page
from pipeline.process import process_pages
from pipeline.settings.processing import ProcessingSettings
from tests.procutil import pool_workers

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
ARTICLES = ["en_article.html", "fr_article.html", "de_latin1.html", "ru_cp1251.html"]


def _pages(pages_dir, n: int) -> list[Page]:
    out = []
    for i in range(n):
        name = ARTICLES[i % len(ARTICLES)]
        out.append(Page(url=f"https://news.example.org/{i}/{name}", body=(pages_dir / name).read_bytes(),
                        headers={"content-type": "text/html"}, source=f"p{i}"))
    return out


def _slow_page(i: int) -> Page:
    """A real page that takes trafilatura many seconds (about 6 MB of paragraphs): no test hook involved."""
    paras = "".join(f"<div><p>Paragraph {k} of a very long page about the city council budget.</p></div>"
                    for k in range(60000))
    body = f"<html><head><title>Long</title></head><body><article>{paras}</article></body></html>".encode()
    return Page(url=f"https://news.example.org/{i}/slow.html", body=body, headers={"content-type": "text/html"},
                source=f"p{i}")


def _busy(p: psutil.Process) -> bool:
    try:
        return p.cpu_percent(interval=0.2) > 50
    except (psutil.Error, OSError):   # gone meanwhile
        return False


def test_a_killed_worker_costs_no_page(pages_dir):
    settings = ProcessingSettings(workers=2, chunksize=1)
    pages = _pages(pages_dir, 24)
    # a slow page early on keeps a worker busy, so the kill lands while pages are in flight
    pages[3] = _slow_page(3)
    killed: list[int] = []

    def killer():
        deadline = time.time() + 60
        while time.time() < deadline and not killed:
            busy = [p for p in pool_workers() if _busy(p)]
            if busy:
                os.kill(busy[0].pid, signal.SIGKILL)
                killed.append(busy[0].pid)
            time.sleep(0.1)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    docs = list(process_pages(pages, settings, entities=False, now=NOW))
    t.join(5)
    assert killed, "no busy worker was found to kill"
    assert [d["source"] for d in docs] == [p.source for p in pages]        # one each, in order
    statuses = [d["status"] for d in docs]
    assert statuses.count("ok") == len(pages), statuses                    # the killed page was re-run


def test_a_page_past_the_timeout_yields_error_timeout_and_the_rest_go_on(pages_dir):
    settings = ProcessingSettings(workers=2, chunksize=1, page_timeout=3)
    pages = _pages(pages_dir, 12)
    pages[5] = _slow_page(5)
    t0 = time.monotonic()
    docs = list(process_pages(pages, settings, entities=False, now=NOW))
    took = time.monotonic() - t0
    assert [d["source"] for d in docs] == [p.source for p in pages]
    assert docs[5]["status"] == "error_timeout" and "page_timeout=3" in docs[5]["error"]
    assert all(d["status"] == "ok" for i, d in enumerate(docs) if i != 5)
    assert took < 60   # the slow page alone takes several times the timeout; nobody waited for it
    # its worker was killed: no process of ours is still chewing on it
    time.sleep(0.5)
    assert not [p for p in pool_workers() if _busy(p)]


def test_workers_see_the_callers_environment_as_it_is_now(pages_dir, monkeypatch):
    # the forkserver is started by the process's first pool and keeps that moment's environment; workers must use
    # the caller's NEWSETL_* variables of each call (where the CoreNLP server is), not that snapshot
    pages = [p for p in _pages(pages_dir, 8) if p.url.endswith("de_latin1.html")] * 4
    errors = {}
    for port in (9, 7):      # both closed here: the error names the URL the worker asked
        monkeypatch.setenv("NEWSETL_CORENLP_URL", f"http://127.0.0.1:{port}")
        docs = list(process_pages(pages, ProcessingSettings(workers=2, chunksize=1), now=NOW))
        assert [d["entities_status"] for d in docs] == ["error"] * len(pages)
        errors[port] = {d["error"] for d in docs}
    assert all("127.0.0.1:9 " in e for e in errors[9]) and all("127.0.0.1:7 " in e for e in errors[7]), errors


def test_workers_keep_the_numeric_libraries_to_one_thread(pages_dir):
    # each worker process already has a core: OpenBLAS's own threads on top only fight over them (processing.blas_threads)
    if (os.cpu_count() or 1) < 2:
        import pytest

        pytest.skip("OpenBLAS starts no extra thread on one core")
    pages = [p for p in _pages(pages_dir, 8) if p.url.endswith("en_article.html")] * 4   # English: spaCy, numpy

    def worker_threads(blas_threads: int) -> int:
        docs = process_pages(pages, ProcessingSettings(workers=2, chunksize=1, blas_threads=blas_threads), now=NOW)
        for _ in range(4):                  # both workers have loaded the English model by now
            assert next(docs)["entities_status"] == "ok"
        most = max(w.num_threads() for w in pool_workers())
        assert len(list(docs)) == len(pages) - 4
        return most

    assert worker_threads(1) == 1
    assert worker_threads(0) > 1            # OpenBLAS's default: a thread per core
