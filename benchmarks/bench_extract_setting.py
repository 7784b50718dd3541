"""What one boolean extraction setting costs and gives on the shared fundus corpus (not part of the test run).

    .venv/bin/python benchmarks/bench_extract_setting.py join_split_body
    .venv/bin/python benchmarks/bench_extract_setting.py favor_precision --rounds 3

Extracts the 258 pages serially in this process with the setting off, then on, ``--rounds`` times alternately
(pages read into memory first), and prints each pass's time and, once per value, the fundus quality figures of
``tests/test_fundus_quality.py`` (title, date, body token precision and recall against the aligned truth).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.extract import extract  # noqa: E402
from pipeline.settings.processing import ExtractionSettings  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402
from tests.test_fundus_quality import aligned_truth, evaluate, summary  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("setting", help="a boolean field of processing.extraction, e.g. join_split_body")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if not isinstance(ExtractionSettings.model_fields.get(args.setting).default
                      if args.setting in ExtractionSettings.model_fields else None, bool):
        ap.error(f"{args.setting} is not a boolean field of processing.extraction")
    rows = load_fundus_manifest()
    raw = {r["file"]: read_fundus_page(r) for r in rows}
    truth = aligned_truth(rows, raw)
    times: dict[bool, list[float]] = {False: [], True: []}
    quality: dict[bool, dict] = {}
    for _ in range(args.rounds):
        for value in (False, True):
            settings = ExtractionSettings(**{args.setting: value})
            t0 = time.perf_counter()
            exs = [extract(raw[r["file"]], r["url"], settings=settings) for r in rows]
            times[value].append(time.perf_counter() - t0)
            if value not in quality:
                docs = [{"source": r["file"], "title": e.title, "authors": e.authors, "text": e.text,
                         "published_at": e.published_at, "language": None, "language_confidence": None,
                         "language_declared": None, "status": e.status} for r, e in zip(rows, exs)]
                res = summary(evaluate([{k: v for k, v in t.items() if k != "language"} for t in truth], docs))
                quality[value] = {k: round(v, 4) for k, v in res.items() if k != "language"}
    print(f"{len(rows)} pages, extraction only, serial, {args.rounds} rounds alternating")
    for value in (False, True):
        print(f"  {args.setting}={value!s:<5}  seconds per pass: {', '.join(f'{t:.2f}' for t in times[value])}  "
              f"quality: {quality[value]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
