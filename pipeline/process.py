"""Batch processing: pages → documents (extract → language → entities → document), across all cores.

``process_page`` does one page in this process. ``process_pages`` does many: one document per page, in input order,
with a pool of worker processes that each load a language's NER model once, when they first need it; the pool is
shut down at the end of the call, so a caller with many batches hands them all to one call
(``pipeline.stages.process_group``: a DAG task's group of batches, a whole ``newsetl run``). Small batches (fewer
pages than ``workers × chunksize``) run in-process, where starting workers would cost more than it saves. Input is
consumed lazily with back-pressure, so a huge iterable never sits in memory at once. A page that runs longer than
``processing.page_timeout`` yields ``error_timeout``; a page that kills its worker yields ``error_process``; neither
hangs the batch nor costs the other pages their documents (see ``_pooled``).

Neither raises on content. Each document has ``status`` ``ok`` or a reason code: the extraction codes of
``pipeline.extract`` (``empty``, ``too_large``, ``not_html``, ``binary``, ``bad_encoding``, ``parse_error``,
``error_page``, ``not_article``, ``too_short``, ``http_error``) or ``error_extract`` / ``error_language`` /
``error_process`` when a step crashed (bug or pathological page); ``error`` then holds the message.
"""
from __future__ import annotations

import collections
import datetime as dt
import itertools
import logging
import multiprocessing as mp
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from pipeline.document import build_document
from pipeline.entities import EntityResult, recognize
from pipeline.extract import Extraction, extract
from pipeline.language import identify
from pipeline.page import Page
from pipeline.settings.processing import ProcessingSettings
from pipeline.wording import counted

log = logging.getLogger(__name__)


def _short_error(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
    return f"{type(e).__name__}: {e}{where}"[:1000]


def process_page(page: Page, settings: ProcessingSettings | None = None, *, entities: bool = True,
                 now: dt.datetime | None = None) -> dict:
    """One page → one document dict (see pipeline.schema). Never raises on content."""
    settings = settings or ProcessingSettings()
    try:
        ex = extract(page.body, page.url, page.headers, settings.extraction, page.status_code,
                     hint_title=page.hint_title)
    except Exception as e:  # a bug or a pathological page: keep the page, say what happened
        log.exception("extraction crashed on %s", page.url)
        return build_document(page, Extraction(), None, None, now, status="error_extract", error=_short_error(e))
    if ex.status != "ok":
        return build_document(page, ex, None, None, now)
    declared = list(ex.declared_languages)
    if not declared and page.hint_language:
        declared = [page.hint_language.split("-")[0].lower()]
    try:
        lang = identify(ex.text, declared, settings.language, title=ex.title)
    except Exception as e:
        log.exception("language identification crashed on %s", page.url)
        return build_document(page, ex, None, None, now, status="error_language", error=_short_error(e))
    ents = recognize(ex.text, lang.code, settings.entities, enabled=entities)
    try:
        return build_document(page, ex, lang, ents, now, error=ents.error if ents.status == "error" else None)
    except Exception as e:
        log.exception("document assembly crashed on %s", page.url)
        return build_document(page, ex, lang, EntityResult("error", [], None), now, status="error_process",
                              error=_short_error(e))


# ------------------------------------------------------------------ worker pool

_worker: dict = {}


def _newsetl_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("NEWSETL_")}


def _init_worker(settings: ProcessingSettings, entities: bool, now: dt.datetime | None,
                 env: dict[str, str] | None = None) -> None:
    """Nothing is loaded here: a worker loads a language's NER model the first time it meets that language, then
    keeps it (``entities.get_recognizer``). A batch from a German source never loads the en/fr/ru models:
    ``benchmarks/bench_process.py --only de/,at/,ch/ --repeat 1`` (99 pages, 2 workers) ran in 2.0 s with workers
    of 160 MiB, against 5.1 s and ~500 MiB when every model was loaded up front (2026-11-28). A model that cannot
    load shows per document (entities_status ``error`` with the reason), once tried per worker.

    ``env`` is the caller's ``NEWSETL_*`` environment as it is now (``NEWSETL_CORENLP_URL``…): a forkserver worker
    would otherwise see the environment of the moment the forkserver started, the first pool of the process."""
    if env is not None:
        for key in [k for k in os.environ if k.startswith("NEWSETL_") and k not in env]:
            del os.environ[key]
        os.environ.update(env)
    limit_blas_threads(settings.blas_threads)
    _worker.update(settings=settings, entities=entities, now=now)


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads(threads: int) -> None:
    """Let the numeric libraries under the NER models use at most ``threads`` threads (0: leave them be). Each
    worker is one process per core already; OpenBLAS's own thread pool on top only makes them fight over the cores:
    spaCy's English NER took 5.0 s on 50 fundus texts with OpenBLAS's default and 4.1 s with one thread, alone or two
    processes side by side (2026-11-28, 2 cores). The variables are read when numpy loads, which in a worker is at
    its first NER model (``pipeline.process`` imports no numpy); a value already in the environment wins."""
    if threads:
        for var in BLAS_THREAD_VARIABLES:
            os.environ.setdefault(var, str(threads))


def _kill(pool: ProcessPoolExecutor) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except Exception:
            pass
    pool.shutdown(wait=True, cancel_futures=True)


def _work(page: Page) -> dict:
    try:
        return process_page(page, _worker["settings"], entities=_worker["entities"], now=_worker["now"])
    except Exception as e:  # process_page guards each step; this is the last line of defence
        return build_document(page, Extraction(), None, None, _worker["now"], status="error_process",
                              error=_short_error(e))


def resolve_workers(workers: int | None, settings: ProcessingSettings) -> int:
    n = settings.workers if workers is None else workers
    return max(1, n or os.cpu_count() or 1)


def process_pages(pages: Iterable[Page], settings: ProcessingSettings | None = None, *, entities: bool = True,
                  workers: int | None = None, now: dt.datetime | None = None) -> Iterator[dict]:
    """One document per page, in input order. ``workers`` overrides ``processing.workers`` (0 = all cores)."""
    settings = settings or ProcessingSettings()
    n = resolve_workers(workers, settings)
    it = iter(pages)
    head = list(itertools.islice(it, n * settings.chunksize)) if n > 1 else []
    if n <= 1 or len(head) < n * settings.chunksize:
        for page in itertools.chain(head, it):
            yield process_page(page, settings, entities=entities, now=now)
        return
    yield from _pooled(itertools.chain(head, it), settings, entities, n, now)


def _pooled(pages: Iterator[Page], settings: ProcessingSettings, entities: bool, n: int,
            now: dt.datetime | None) -> Iterator[dict]:
    """Documents of ``pages`` in input order from a pool of ``n`` worker processes, with these guarantees:

    - back-pressure: at most ``n × chunksize × 2`` pages are read ahead of what has been yielded;
    - a page still running after ``processing.page_timeout`` seconds yields ``error_timeout``; its worker is killed
      and the pool restarted (the other pages are resubmitted, unharmed);
    - a worker that dies (killed, out of memory, a crash in C code) breaks the pool: the pages that were in flight
      are run again one at a time in a fresh pool, so the page that kills a worker again is identified and yields
      ``error_process``, and every other page still gets its document. Nothing hangs, nothing is lost.
    """
    ctx = mp.get_context(settings.start_method)
    if settings.start_method == "forkserver":
        ctx.set_forkserver_preload(["pipeline.process"])
    window = max(n, n * settings.chunksize * 2)
    timeout = settings.page_timeout or None
    pending: collections.deque[list] = collections.deque()   # [page, future or None], oldest first
    suspects = 0   # how many pages at the head must run one at a time (they were in flight when a worker died)
    it = iter(pages)
    exhausted = False

    env = _newsetl_env()

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker, initargs=(settings, entities, now, env))

    def restart(pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        _kill(pool)
        for entry in pending:
            entry[1] = None
        return new_pool()

    pool = new_pool()
    try:
        while True:
            while not exhausted and len(pending) < window:
                page = next(it, None)
                if page is None:
                    exhausted = True
                else:
                    pending.append([page, None])
            if not pending:
                return
            for entry in itertools.islice(pending, 0, 1 if suspects else len(pending)):
                if entry[1] is None:
                    entry[1] = pool.submit(_work, entry[0])
            page, fut = pending[0]
            try:
                doc = fut.result(timeout=timeout)
            except FuturesTimeout:
                log.warning("page %s took longer than %ss: its worker is killed", page.url, timeout)
                doc = build_document(page, Extraction(), None, None, now, status="error_timeout",
                                     error=f"processing took longer than processing.page_timeout={timeout}s")
                pending.popleft()
                pool = restart(pool)
                suspects = max(0, suspects - 1)
            except BrokenProcessPool:
                if suspects:   # it ran alone: this page kills its worker
                    log.error("a worker died processing %s", page.url)
                    doc = build_document(page, Extraction(), None, None, now, status="error_process",
                                         error="the worker process died while processing this page "
                                               "(killed, out of memory, or a crash)")
                    pending.popleft()
                    suspects -= 1
                    pool = restart(pool)
                else:
                    log.warning("a worker died; re-running the %s in flight one at a time",
                                counted(len(pending), "page"))
                    suspects = sum(1 for e in pending if e[1] is not None)
                    pool = restart(pool)
                    continue
            else:
                pending.popleft()
                suspects = max(0, suspects - 1)
            yield doc
    finally:
        _kill(pool)
