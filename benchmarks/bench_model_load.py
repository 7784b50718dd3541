"""What keeping compiled regular expressions between processes (``pipeline.regexcache``) saves: the NER models'
load time, and a processing pool's whole run.

    .venv/bin/python benchmarks/bench_model_load.py [--rounds 3] [--languages fr,en,ru,ja] [--no-pool]

Every measurement runs in a fresh Python process, and the two cases take turns (cold, warm, cold, warm, …) so that
this machine's drift falls on both alike:

- **warm**: ``$NEWSETL_CACHE_DIR`` as a machine has it after its first French load (filled once before the first
  round, not timed);
- **cold**: a copy of that folder without its ``regex`` part, as before this cache existed (the places tables,
  kept in the same folder, stay: only what ``regexcache`` keeps differs).

Measured: ``get_recognizer(language)`` for each language, imports included (the first spaCy model's time includes
importing spaCy), then (unless ``--no-pool``) ``process_pages`` over the fundus corpus (../shared/corpus/fundus) with
2 workers and entities, without the CoreNLP languages (as ``bench_process.py --no-corenlp``): a DAG ``process`` task's
work, pool start-up and every worker's model loads included. Prints each run and the medians.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_LOAD = """
import json, sys, time
from pipeline.entities import get_recognizer
from pipeline.settings.processing import EntitySettings
settings = EntitySettings()
took = {}
for lang in sys.argv[1].split(","):
    start = time.perf_counter()
    get_recognizer(lang, settings)
    took[lang] = time.perf_counter() - start
print(json.dumps(took))
"""

_POOL = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline.page import Page
from pipeline.process import process_pages
from pipeline.settings.processing import ProcessingSettings
from tests.plugins.shared import load_fundus_manifest, read_fundus_page
pages = [Page(url=r["url"], body=read_fundus_page(r), source=r["file"]) for r in load_fundus_manifest()]
settings = ProcessingSettings()
settings.entities.models = {k: v for k, v in settings.entities.models.items() if v.backend != "corenlp"}
start = time.perf_counter()
docs = list(process_pages(pages, settings, workers=2))
took = time.perf_counter() - start
print(json.dumps({"seconds": took, "docs": len(docs),
                  "french_ok": sum(d.get("language") == "fr" and d.get("entities_status") == "ok" for d in docs)}))
"""


def _run(script: str, args: list[str], cache: Path) -> dict:
    env = {**os.environ, "NEWSETL_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=REPO, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench_model_load: a measuring process failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--languages", default="fr,en,ru,ja")
    ap.add_argument("--no-pool", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-model-load-") as tmp:
        warm = Path(tmp) / "warm"
        _run(_LOAD, [args.languages], warm)                 # fills it: the places tables and the French pattern
        if not any((warm / "regex").glob("*.bin")):
            print("note: no pattern was long enough to keep (no French model?): both cases are the same")
        cold_template = Path(tmp) / "cold-template"
        shutil.copytree(warm, cold_template, ignore=shutil.ignore_patterns("regex"))

        def cold() -> Path:
            target = Path(tmp) / "cold"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(cold_template, target)
            return target

        loads: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}
        print(f"model loads in a fresh process ({args.languages}), {args.rounds} rounds:")
        for r in range(args.rounds):
            for case in ("cold", "warm"):
                took = _run(_LOAD, [args.languages], cold() if case == "cold" else warm)
                for lang, s in took.items():
                    loads[case].setdefault(lang, []).append(s)
                print(f"  round {r + 1} {case:<4} " + "  ".join(f"{lang} {s:5.2f} s" for lang, s in took.items()))
        for lang in loads["cold"]:
            c, w = statistics.median(loads["cold"][lang]), statistics.median(loads["warm"][lang])
            print(f"  median {lang}: cold {c:5.2f} s, warm {w:5.2f} s (cold − warm {c - w:+.2f} s, {c / w:.2f}x)")

        if args.no_pool:
            return 0
        pools: dict[str, list[float]] = {"cold": [], "warm": []}
        print(f"process_pages, 2 workers, fundus corpus, entities without CoreNLP, {args.rounds} rounds:")
        for r in range(args.rounds):
            for case in ("cold", "warm"):
                res = _run(_POOL, [str(REPO)], cold() if case == "cold" else warm)
                pools[case].append(res["seconds"])
                print(f"  round {r + 1} {case:<4} {res['seconds']:6.2f} s  {res['docs']} docs "
                      f"{res['docs'] / res['seconds']:5.1f} docs/s  (French with entities: {res['french_ok']})")
        c, w = statistics.median(pools["cold"]), statistics.median(pools["warm"])
        print(f"  median: cold {c:6.2f} s, warm {w:6.2f} s ({c - w:+.2f} s, {c / w:.3f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
