"""NER quality against small hand-annotated sets, one per language (not part of the test run).

    .venv/bin/python benchmarks/ner_quality.py            # every language with a gold file
    .venv/bin/python benchmarks/ner_quality.py es fr      # some of them
    .venv/bin/python benchmarks/ner_quality.py it         # Italian, opt-in: scored with {backend: corenlp}

``benchmarks/ner_gold_<lang>.json`` lists, for five (Japanese: eight; Chinese: the one) pages of the shared fundus corpus in that language, every person,
organisation, place and other proper name a careful reader marks in the page's extracted text (each entity once, by
its fullest name as written; German in the nominative; currencies, languages and nationality adjectives are not
marked: a facet should not show them). Each page goes through extraction and ``pipeline.entities.recognize`` with the
default configuration (for German and Spanish CoreNLP, started here unless NEWSETL_CORENLP_URL answers; spaCy for
English and French, jieba for Chinese), and the entities are compared per page as sets:

- strict: the same name (whitespace-normalised) and the same type; also per type;
- name: the same name, type aside;
- lenient name (German only): the same name once every word loses a final -e, -s, -n, -en or -es (so "Deutschen
  Bank", which a text that only declines it yields, counts for "Deutsche Bank", and "Niederlanden" for
  "Niederlande").

Micro precision and recall over a language's pages, then each page's misses and extras. Five pages are a small
sample: the figures say where each language's NER stands, not a benchmark score to tune against.
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
from pipeline.settings.processing import EntitySettings, ModelSpec  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402

GOLDS = Path(__file__).parent
# languages the default configuration leaves without NER but a deployment can switch on (docs/processing.md):
# scored with this recogniser
OPT_IN = {"it": ModelSpec(backend="corenlp", timeout=600)}
TYPES = ("person", "organization", "location", "misc")


def lenient(name: str) -> str:
    return " ".join(re.sub(r"(?:en|es|e|n|s)$", "", w) for w in name.lower().split())


def score(pairs: list[tuple[set, set]]) -> tuple[float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    n_pred, n_gold = sum(len(p) for _, p in pairs), sum(len(g) for g, _ in pairs)
    return tp / max(1, n_pred), tp / max(1, n_gold)


def evaluate(lang: str, settings: EntitySettings, rows: dict) -> int:
    gold = json.loads((GOLDS / f"ner_gold_{lang}.json").read_text(encoding="utf-8"))["pages"]
    spec = settings.models[lang]
    strict, names, loose, report = [], [], [], []
    for file, want in gold.items():
        r = rows[file]
        res = recognize(extract(read_fundus_page(r), r["url"]).text, lang, settings)
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
    model = spec.model if isinstance(spec.model, str) else (spec.model or [None])[0]
    print(f"{lang} NER, {spec.backend}{f' ({model})' if model else ''}, {len(gold)} hand-annotated fundus pages, "
          f"{n_gold} entities")
    rows_out = [("strict (name and type)", strict)]
    rows_out += [(f"  {t}", [({x for x in g if x[1] == t}, {x for x in p if x[1] == t}) for g, p in strict])
                 for t in TYPES]
    rows_out.append(("name, type aside", names))
    if lang == "de":
        rows_out.append(("lenient name (declension endings aside)", loose))
    for label, pairs in rows_out:
        p, r = score(pairs)
        print(f"  {label:<42} precision {p:.2f}  recall {r:.2f}  ({sum(len(g) for g, _ in pairs)} in the gold)")
    for file, missed, extra in report:
        print(f"{file}\n  missed: {missed}\n  extra:  {extra}")
    return 0


def main(argv: list[str]) -> int:
    langs = argv or sorted(p.stem.removeprefix("ner_gold_") for p in GOLDS.glob("ner_gold_*.json"))
    rows = {r["file"]: r for r in load_fundus_manifest()}
    settings = EntitySettings()
    settings = settings.model_copy(update={"models": {**{k: v for k, v in OPT_IN.items() if k in langs},
                                                      **settings.models}})
    need_corenlp = any(settings.models[lang].backend == "corenlp" for lang in langs)
    with corenlp_server(need_corenlp):
        for lang in langs:
            if evaluate(lang, settings, rows):
                return 1
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
