"""Benchmark of the processing core on the shared fundus corpus (not part of the test run).

    .venv/bin/python benchmarks/bench_process.py                 # full corpus, all cores, with profile
    .venv/bin/python benchmarks/bench_process.py --limit 20 --repeat 1 --no-profile   # smoke run
    .venv/bin/python benchmarks/bench_process.py --only de/,at/,ch/ --repeat 1 --no-baseline --no-profile

Reports, in one run:

- per stage, serial in this process (documents/s): extract, language, entities (documents with a model),
  and end-to-end ``process_page``; then each stage alone on N worker processes (warm pool);
- end-to-end with entities through ``process_pages`` with N workers (default: all cores), and each worker's peak
  RSS (read from /proc/<pid>/status VmHWM of the pool's children);
- the naive serial baseline written here: trafilatura ``bare_extraction`` (defaults, metadata on) + langdetect on
  the full text + the full spaCy pipeline (every component) for en/fr, and with a CoreNLP server CoreNLP's full
  default pipelines for de/es, one process;
- the speed-up of end-to-end over the baseline, and where one worker spends its time (cProfile, top functions).

German and Spanish entities come from a Stanford CoreNLP server (the default configuration): the
benchmark starts tools/corenlp-local on a free port for the run (or uses NEWSETL_CORENLP_URL when a server answers there) and
reports its peak RSS; it runs on the same cores, so its CPU time is in every figure. ``--no-corenlp`` leaves those
languages without a model (the configuration of the first benchmarks: NER for en, fr, ru only).

Pages are read into memory first, so disk and gzip are not measured. The pipeline's workers (and this benchmark's
stage pool) keep OpenBLAS to ``processing.blas_threads`` threads; this process, where the serial figures and the
naive baseline run, keeps the libraries' defaults (the baseline is "library defaults"). To compare with every part
on one BLAS thread, run the benchmark with ``OPENBLAS_NUM_THREADS=1`` in the environment.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import importlib.util
import io
import os
import pstats
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402

from pipeline.entities import preload, recognize  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.language import identify  # noqa: E402
from pipeline.page import Page  # noqa: E402
from pipeline.process import process_page, process_pages, resolve_workers  # noqa: E402
from pipeline.settings.processing import ProcessingSettings  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


def load_pages(limit: int | None, only: str | None = None) -> list[Page]:
    rows = load_fundus_manifest()
    if only:   # comma-separated prefixes of the corpus' file names, e.g. "de/,at/,ch/"
        rows = [r for r in rows if r["file"].startswith(tuple(only.split(",")))]
    rows = rows[:limit] if limit else rows
    return [Page(url=r["url"], body=read_fundus_page(r), source=r["file"]) for r in rows]


def timed(label: str, n: int, fn) -> float:
    t = time.perf_counter()
    fn()
    dt_ = time.perf_counter() - t
    rate = n / dt_ if dt_ else float("inf")
    print(f"  {label:<44} {n:5d} docs {dt_:8.2f} s {rate:9.1f} docs/s")
    return rate


def naive_baseline(pages: list[Page], corenlp_url: str | None) -> None:
    """What a first attempt looks like: library defaults, full text everywhere, full spaCy pipelines; with a CoreNLP
    server, de/es through CoreNLP's full pipeline of the language (tokenize, ssplit, mwt, pos, ner, depparse), the
    counterpart of "every spaCy component"."""
    import httpx
    import spacy
    import trafilatura
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    from pipeline.settings.processing import EntitySettings

    nlps = {}      # the spaCy languages, each with the first installed of its configured models (as the pipeline)
    for lang, spec in EntitySettings().models.items():
        if spec.backend == "spacy":
            names = [spec.model] if isinstance(spec.model, str) else spec.model
            name = next((n for n in names if importlib.util.find_spec(n)), None)
            if name:
                nlps[lang] = spacy.load(name)
    for p in pages:
        doc = trafilatura.bare_extraction(p.body, url=p.url, with_metadata=True)
        text = (doc.text if doc else "") or ""
        try:
            lang = detect(text) if text else "und"
        except Exception:
            lang = "und"
        if lang in nlps and text:
            list(nlps[lang](text).ents)
        elif lang in CORENLP_LANGUAGES and text and corenlp_url:
            httpx.post(corenlp_url, params={"properties": baseline_props(lang)}, content=text.encode(),
                       timeout=600).json()


CORENLP_LANGUAGES = ("de", "es")   # the default configuration's CoreNLP languages (Italian is opt-in)


def baseline_props(lang: str) -> str:
    """CoreNLP's full pipeline for ``lang`` as its default properties name it (German's exactly; Spanish's without
    lemma and kbp, whose models the jar lacks), NER with its numeric classifiers on; no SUTime, whose Spanish rules
    are not in the jars."""
    return ('{"pipelineLanguage": "%s", "outputFormat": "json", "ner.useSUTime": "false", '
            '"annotators": "tokenize,ssplit,mwt,pos,ner,depparse"}' % lang)


def bench_settings() -> ProcessingSettings:
    """The default settings; without the CoreNLP backend when NEWSETL_BENCH_NO_CORENLP is set (read again in each
    worker process, which inherits the variable)."""
    settings = ProcessingSettings()
    if os.environ.get("NEWSETL_BENCH_NO_CORENLP"):
        settings.entities.models = {k: v for k, v in settings.entities.models.items() if v.backend != "corenlp"}
    return settings


_STAGE_SETTINGS = bench_settings()


def _answers(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url + "/ready", timeout=2).text.strip() == "ready"
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def corenlp_server(enabled: bool):
    """Yields the URL of a CoreNLP server for the run (started here unless NEWSETL_CORENLP_URL answers) and its pid
    (None for a server this run did not start), or (None, None) when disabled."""
    if not enabled:
        os.environ["NEWSETL_BENCH_NO_CORENLP"] = "1"
        yield None, None
        return
    url = os.environ.get("NEWSETL_CORENLP_URL", "")
    if url and _answers(url):
        yield url, None
        return
    from tests.netutil import free_port
    from tests.plugins.corenlp import CORENLP_LOCAL
    from tests.plugins.localserver import local_server

    port = free_port()
    with local_server(CORENLP_LOCAL, "--port", str(port), start_timeout=120) as url:
        os.environ["NEWSETL_CORENLP_URL"] = url
        pid = next(p.pid for p in psutil.process_iter(["cmdline"])
                   if "StanfordCoreNLPServer" in " ".join(p.info["cmdline"] or []) and str(port) in p.info["cmdline"])
        yield url, pid


def _stage_init() -> None:
    from pipeline.process import limit_blas_threads

    limit_blas_threads(_STAGE_SETTINGS.blas_threads)    # as the pipeline's own workers do
    preload(_STAGE_SETTINGS.entities)


def _stage_warm(_: int) -> None:
    time.sleep(0.3)   # keeps each worker busy a moment, so that every worker of the pool has started


def _stage_extract(page: Page):
    return extract(page.body, page.url, page.headers, _STAGE_SETTINGS.extraction).status


def _stage_language(args: tuple) -> str:
    text, declared, title = args
    return identify(text, declared, _STAGE_SETTINGS.language, title=title).code


def _stage_entities(args: tuple) -> str:
    text, lang = args
    return recognize(text, lang, _STAGE_SETTINGS.entities).status


def pooled_stages(workers: int, pages: list[Page], lang_inputs: list[tuple], ner_inputs: list[tuple]) -> None:
    """Each stage alone on ``workers`` processes (models loaded and pool started before the clock starts)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=mp.get_context("forkserver"), initializer=_stage_init) as pool:
        list(pool.map(_stage_warm, range(workers * 2)))
        timed("extract", len(pages), lambda: list(pool.map(_stage_extract, pages, chunksize=4)))
        timed("language", len(lang_inputs), lambda: list(pool.map(_stage_language, lang_inputs, chunksize=8)))
        timed(f"entities (docs with a model: {len(ner_inputs)})", len(ner_inputs),
              lambda: list(pool.map(_stage_entities, ner_inputs, chunksize=2)))


class ChildPeak:
    """Samples the pool's worker processes and keeps each one's peak RSS (VmHWM)."""

    def __init__(self):
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            for c in me.children(recursive=True):
                try:
                    with open(f"/proc/{c.pid}/status") as f:
                        for line in f:
                            if line.startswith("VmHWM:"):
                                self.peaks[c.pid] = max(self.peaks.get(c.pid, 0), int(line.split()[1]) * 1024)
                except OSError:
                    pass
            self._stop.wait(0.2)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages")
    ap.add_argument("--only", default=None, help="only pages whose file starts with one of these comma-separated "
                    "prefixes (e.g. de/,at/,ch/: a batch in one language)")
    ap.add_argument("--workers", type=int, default=None, help="pool size (default: processing.workers, 0 = cores)")
    ap.add_argument("--repeat", type=int, default=2, help="pass the corpus this many times through the pool")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-corenlp", action="store_true", help="no de/es NER (no CoreNLP server)")
    args = ap.parse_args()
    with corenlp_server(not args.no_corenlp) as (url, server_pid):
        run(args, url, server_pid)
    return 0


def server_peak_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 2**10


def run(args, corenlp_url: str | None, server_pid: int | None) -> None:
    settings = bench_settings()
    pages = load_pages(args.limit, args.only)
    n = len(pages)
    workers = resolve_workers(args.workers, settings)
    print(f"fundus pages: {n}, cores: {os.cpu_count()}, workers: {workers}, "
          f"NER: {', '.join(sorted(settings.entities.models))}"
          + (f" (de/es: CoreNLP {corenlp_url})" if corenlp_url else ""))
    # model loading is not part of the per-document figures; each worker of the pool pays it again when it first
    # meets a language, inside the end-to-end figure
    took = preload(settings.entities)
    print("NER models loaded in this process (imports included): "
          + ", ".join(f"{lang} {s:.1f} s" for lang, s in took.items()))
    if corenlp_url:   # the server loads each language's model on its first request
        for lang, text in (("de", "Angela Merkel sprach in Berlin."), ("es", "Angela Merkel habló en Madrid.")):
            recognize(text, lang, settings.entities)

    print("per stage, serial, this process:")
    extractions = []
    timed("extract", n, lambda: extractions.extend(
        extract(p.body, p.url, p.headers, settings.extraction) for p in pages))
    ok = [e for e in extractions if e.status == "ok"]
    langs = []
    timed("language", len(ok), lambda: langs.extend(
        identify(e.text, e.declared_languages, settings.language, title=e.title) for e in ok))
    with_model = [(e, lang) for e, lang in zip(ok, langs) if lang.code in settings.entities.models]
    timed(f"entities (docs with a model: {len(with_model)})", len(with_model), lambda: [
        recognize(e.text, lang.code, settings.entities) for e, lang in with_model])
    serial_rate = timed("end-to-end process_page (entities)", n, lambda: [
        process_page(p, settings, now=NOW) for p in pages])

    if workers > 1:
        print(f"per stage, {workers} worker processes (warm pool: start-up and model loading not counted):")
        pooled_stages(workers, pages, [(e.text, e.declared_languages, e.title) for e in ok],
                      [(e.text, lang.code) for e, lang in with_model])

    print(f"end-to-end, process_pages with {workers} workers (pool start-up included), entities on:")
    big = pages * args.repeat
    with ChildPeak() as peaks:
        pool_rate = timed(f"process_pages x{args.repeat}", len(big), lambda: list(
            process_pages(big, settings, workers=workers, now=NOW)))
    for pid, peak in sorted(peaks.peaks.items()):
        print(f"  worker pid {pid}: peak RSS {peak / 2**20:7.1f} MiB")
    if peaks.peaks:
        print(f"  max peak RSS per worker: {max(peaks.peaks.values()) / 2**20:.1f} MiB")
    if server_pid:   # before the baseline loads CoreNLP's full pipelines into it
        print(f"  CoreNLP server (de/es NER, not a worker): peak RSS {server_peak_mib(server_pid):.1f} MiB")

    if not args.no_baseline:
        print("naive serial baseline (bare_extraction defaults + langdetect on full text + full spaCy pipeline "
              "for en/fr):")
        base_rate = timed("naive baseline", n, lambda: naive_baseline(pages, None))
        print(f"speed-up end-to-end (pool) over naive baseline: {pool_rate / base_rate:.2f}x "
              f"(serial process_page: {serial_rate / base_rate:.2f}x)")
        if corenlp_url:   # de/es NER in both: the baseline's through CoreNLP's every annotator
            import httpx

            print("the same + CoreNLP's full pipelines for de/es (every annotator, as spaCy's):")
            for lang in CORENLP_LANGUAGES:   # their models load before the clock starts
                httpx.post(corenlp_url, params={"properties": baseline_props(lang)}, content="Merkel, Berlin.".encode(),
                           timeout=600).raise_for_status()
            base_de = timed("naive baseline with de/es NER", n, lambda: naive_baseline(pages, corenlp_url))
            print(f"speed-up end-to-end (pool) over it: {pool_rate / base_de:.2f}x "
                  f"(serial process_page: {serial_rate / base_de:.2f}x)")

    if not args.no_profile:
        print("profile of one worker's work (process_page over the corpus, cumulative time, top 25):")
        prof = cProfile.Profile()
        prof.enable()
        for p in pages:
            process_page(p, settings, now=NOW)
        prof.disable()
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(25)
        print("\n".join(s.getvalue().splitlines()[:60]))


if __name__ == "__main__":
    raise SystemExit(main())
