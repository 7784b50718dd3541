"""German NER quality against a small hand-annotated set (not part of the test run).

    .venv/bin/python benchmarks/ner_quality.py

``benchmarks/ner_gold_de.json`` lists, for five German pages of the shared fundus corpus, every person,
organisation, place and other proper name a careful reader marks (each entity once, in the nominative; currencies,
languages and nationality adjectives are not marked: a facet should not show them). Each
page goes through extraction and ``pipeline.entities.recognize`` with the default configuration (CoreNLP, started
here unless NEWSETL_CORENLP_URL answers), and the entities are compared per page as sets:

- strict: the same name (whitespace-normalised) and the same type;
- name: the same name, type aside;
- lenient name: the same name once every word loses a final -e, -s, -n, -en or -es (so "Deutschen Bank", which a
  text that only declines it yields, counts for "Deutsche Bank", and "Niederlanden" for "Niederlande").

Micro precision and recall over all pages, then each page's misses and extras. Five pages are a small sample: the
figures say where German NER stands, not a benchmark score to tune against.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_process import corenlp_server  # noqa: E402
from pipeline.entities import recognize  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.settings.processing import EntitySettings  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402

GOLD = Path(__file__).with_name("ner_gold_de.json")
TYPES = ("person", "organization", "location", "misc")


def lenient(name: str) -> str:
    return " ".join(re.sub(r"(?:en|es|e|n|s)$", "", w) for w in name.lower().split())


def score(pairs: list[tuple[set, set]]) -> tuple[float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    n_pred, n_gold = sum(len(p) for _, p in pairs), sum(len(g) for g, _ in pairs)
    return tp / max(1, n_pred), tp / max(1, n_gold)


def main() -> int:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["pages"]
    rows = {r["file"]: r for r in load_fundus_manifest()}
    settings = EntitySettings()
    strict, names, loose, report = [], [], [], []
    with corenlp_server(True) as (url, _pid):
        for file, want in gold.items():
            r = rows[file]
            text = extract(read_fundus_page(r), r["url"]).text
            res = recognize(text, "de", settings)
            if res.status != "ok":
                print(f"{file}: {res.status} {res.error}")
                return 1
            g = {(" ".join(n.split()), t) for t in TYPES for n in want[t]}
            p = {(" ".join(e["name"].split()), e["type"]) for e in res.entities}
            strict.append((g, p))
            names.append(({n for n, _ in g}, {n for n, _ in p}))
            loose.append(({lenient(n) for n, _ in g}, {lenient(n) for n, _ in p}))
            report.append((file, sorted(g - p), sorted(p - g)))
    n_gold = sum(len(g) for g, _ in strict)
    print(f"German NER, CoreNLP ({url}), {len(gold)} hand-annotated fundus pages, {n_gold} entities")
    for label, pairs in (("strict (name and type)", strict), ("name, type aside", names),
                         ("lenient name (declension endings aside)", loose)):
        p, r = score(pairs)
        print(f"  {label:<42} precision {p:.2f}  recall {r:.2f}")
    for file, missed, extra in report:
        print(f"{file}\n  missed: {missed}\n  extra:  {extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
