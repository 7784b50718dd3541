"""Time per document of CoreNLP NER by language on the shared fundus corpus (not part of the test run).

    .venv/bin/python benchmarks/bench_corenlp.py                  # de, es, it
    .venv/bin/python benchmarks/bench_corenlp.py --languages it --max-chars 3000
    .venv/bin/python benchmarks/bench_corenlp.py --url http://127.0.0.1:9137 --rounds 3  # a running server

Extracts the corpus's pages of each language, then sends each text through ``pipeline.entities.recognize`` with the
CoreNLP backend, one request at a time (serial: the time one worker waits per document). The server is started
for the run from tools/corenlp-local (or --url, or NEWSETL_CORENLP_URL when one answers there); each language's
model is loaded by a warm-up request before the clock starts, and with --rounds N the texts go through N times
(the later rounds run on code the JVM has compiled; each round is printed). To compare the Italian model as shipped
with the indexed one, time a server started with ``CORENLP_STOCK_MODELS=1 tools/corenlp-local/corenlp-local start
--port P --data D`` against a plain one, each by --url (docs/processing.md, "the CoreNLP backend").
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_process import corenlp_server  # noqa: E402
from pipeline.entities import recognize  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.settings.processing import EntitySettings, ModelSpec  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402

WARM_UP = {"de": "Angela Merkel sprach in Berlin.", "es": "Angela Merkel habló en Madrid.",
           "it": "Angela Merkel ha parlato a Roma.", "fr": "Angela Merkel a parlé à Paris.",
           "zh": "默克尔在北京讲话。"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--languages", default="de,es,it", help="comma-separated corpus languages to time")
    ap.add_argument("--max-chars", type=int, default=EntitySettings().max_chars,
                    help="characters of text NER reads (processing.entities.max_chars)")
    ap.add_argument("--url", help="a running CoreNLP server to time (default: start one)")
    ap.add_argument("--rounds", type=int, default=1, help="times each language's texts are sent")
    args = ap.parse_args()
    langs = args.languages.split(",")
    texts: dict[str, list[str]] = {lang: [] for lang in langs}
    for r in load_fundus_manifest():
        if r.get("language") in texts:
            e = extract(read_fundus_page(r), r["url"])
            if e.status == "ok":
                texts[r["language"]].append(e.text)
    settings = EntitySettings(models={lang: ModelSpec(backend="corenlp") for lang in langs},
                              max_chars=args.max_chars)
    with (_given_server(args.url) if args.url else corenlp_server(True)) as (url, _pid):
        print(f"CoreNLP {url}, max_chars {args.max_chars}")
        for lang in langs:
            r = recognize(WARM_UP.get(lang, "Angela Merkel, Berlin."), lang, settings)
            if r.status != "ok":
                print(f"  {lang}: {r.status} {r.error}")
                texts[lang] = []
        for _ in range(args.rounds):
            for lang, docs in texts.items():
                if not docs:
                    continue
                t0 = time.perf_counter()
                n_ok = sum(recognize(t, lang, settings).status == "ok" for t in docs)
                dt = time.perf_counter() - t0
                chars = sum(min(len(t), args.max_chars) for t in docs) / len(docs)
                print(f"  {lang}: {len(docs):4d} docs ({n_ok} ok), {chars:7.0f} chars read on average, "
                      f"{dt:7.2f} s, {1000 * dt / len(docs):8.0f} ms/doc, {len(docs) / dt:6.1f} docs/s")
    return 0


@contextlib.contextmanager
def _given_server(url: str):
    """The server at ``url``, as ``corenlp_server`` yields one (recognize finds it through NEWSETL_CORENLP_URL)."""
    os.environ["NEWSETL_CORENLP_URL"] = url
    yield url, None


if __name__ == "__main__":
    raise SystemExit(main())
