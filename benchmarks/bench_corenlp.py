"""Time per document of CoreNLP NER by language on the shared fundus corpus (not part of the test run).

    .venv/bin/python benchmarks/bench_corenlp.py                  # de, es, it
    .venv/bin/python benchmarks/bench_corenlp.py --languages it --max-chars 3000

Extracts the corpus's pages of each language, then sends each text through ``pipeline.entities.recognize`` with the
CoreNLP backend, one request at a time (serial: the time one worker waits per document). The server is started
for the run from tools/corenlp-local (or NEWSETL_CORENLP_URL when one answers there); each language's model is
loaded by a warm-up request before the clock starts. This is the figure behind Italian being opt-in
(docs/processing.md).
"""
from __future__ import annotations

import argparse
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
    with corenlp_server(True) as (url, _pid):
        print(f"CoreNLP {url}, max_chars {args.max_chars}")
        for lang in langs:
            r = recognize(WARM_UP.get(lang, "Angela Merkel, Berlin."), lang, settings)
            if r.status != "ok":
                print(f"  {lang}: {r.status} {r.error}")
                texts[lang] = []
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


if __name__ == "__main__":
    raise SystemExit(main())
