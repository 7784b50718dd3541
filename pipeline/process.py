"""Batch processing: pages → documents (extract → language → entities → document), across all cores.

``process_page`` does one page in this process. ``process_pages`` does many: one document per page, in input order,
with a pool of worker processes that each load the NER models once (in the pool initialiser). Small batches (fewer
pages than ``workers × chunksize``) run in-process, where starting workers would cost more than it saves. Input is
consumed lazily with back-pressure, so a huge iterable never sits in memory at once.

Neither raises on content. Each document has ``status`` ``ok`` or a reason code: the extraction codes of
``pipeline.extract`` (``empty``, ``too_large``, ``not_html``, ``binary``, ``bad_encoding``, ``parse_error``,
``error_page``, ``not_article``, ``too_short``, ``http_error``) or ``error_extract`` / ``error_language`` /
``error_process`` when a step crashed (bug or pathological page); ``error`` then holds the message.
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import multiprocessing as mp
import os
import threading
import traceback
from typing import Iterable, Iterator

from pipeline.document import build_document
from pipeline.entities import EntityResult, preload, recognize
from pipeline.extract import Extraction, extract
from pipeline.language import identify
from pipeline.page import Page
from pipeline.settings.processing import ProcessingSettings

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
        ex = extract(page.body, page.url, page.headers, settings.extraction, page.status_code)
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


def _init_worker(settings: ProcessingSettings, entities: bool, now: dt.datetime | None) -> None:
    _worker.update(settings=settings, entities=entities, now=now)
    if entities and settings.entities.enabled:
        try:
            preload(settings.entities)
        except Exception:  # never fail here: multiprocessing.Pool would restart the worker forever. A model that
            # cannot load shows per document instead (entities_status "error" with the reason).
            log.exception("loading the NER models failed in worker %s", os.getpid())


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
    ctx = mp.get_context(settings.start_method)
    if settings.start_method == "forkserver":
        ctx.set_forkserver_preload(["pipeline.process"])
    in_flight = threading.Semaphore(n * settings.chunksize * 4)   # back-pressure: pages handed out, not yet yielded
    stop = threading.Event()

    def feed() -> Iterator[Page]:
        for page in pages:
            while not in_flight.acquire(timeout=0.2):
                if stop.is_set():
                    return
            if stop.is_set():
                return
            yield page

    pool = ctx.Pool(n, initializer=_init_worker, initargs=(settings, entities, now))
    finished = False
    try:
        for doc in pool.imap(_work, feed(), chunksize=settings.chunksize):
            in_flight.release()
            yield doc
        finished = True
    finally:
        stop.set()
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
