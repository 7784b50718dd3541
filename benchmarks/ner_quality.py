"""NER quality against small hand-annotated sets, one per language (not part of the test run).

    .venv/bin/python benchmarks/ner_quality.py            # every language with a gold file
    .venv/bin/python benchmarks/ner_quality.py es fr      # some of them
    .venv/bin/python benchmarks/ner_quality.py it         # Italian (CoreNLP, its gazettes indexed)
    .venv/bin/python benchmarks/ner_quality.py ko --baseline   # Korean: Kiwi's proper nouns (NNP) as misc, no rules
    .venv/bin/python benchmarks/ner_quality.py ko --time       # also the recogniser's load time and its speed

``benchmarks/ner_gold_<lang>.json`` lists, for five (Japanese: eight; Chinese: the one; Korean: four) pages of the shared fundus corpus in that language, every person,
organisation, place and other proper name a careful reader marks in the page's extracted text (each entity once, by
its fullest name as written; German in the nominative; currencies, languages and nationality adjectives are not
marked: a facet should not show them). Each page goes through extraction and ``pipeline.entities.recognize`` with the
default configuration (for German, Spanish and Italian CoreNLP, started here unless NEWSETL_CORENLP_URL answers; spaCy for
English and French, jieba for Chinese, Kiwi for Korean), and the entities are compared per page as sets:

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
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_process import corenlp_server  # noqa: E402
from pipeline import entities  # noqa: E402
from pipeline.entities import recognize  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.names import Mention  # noqa: E402
from pipeline.settings.processing import EntitySettings, ModelSpec  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402

GOLDS = Path(__file__).parent
# languages the default configuration leaves without NER but a deployment can switch on (docs/processing.md):
# scored with this recogniser
OPT_IN = {"zh": ModelSpec(backend="jieba"), "ko": ModelSpec(backend="kiwi")}
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


class UntypedKiwi:
    """The Korean baseline: every proper noun Kiwi tags (NNP), as it writes it, typed misc; none of our rules."""

    name = "kiwi:NNP-as-misc"

    def __init__(self):
        from pipeline.entities import KiwiRecognizer

        self._kiwi = KiwiRecognizer()

    def mentions(self, text: str) -> list[Mention]:
        return [Mention(form, "misc", start, end) for form, tag, start, end, _ in self._kiwi.tokens(text)
                if tag == "NNP"]


def timing(lang: str, settings: EntitySettings, rows: dict, runs: int = 20) -> None:
    """The recogniser's load (in this process, first use) and its time per 1,000 characters of the gold pages'
    text (the median of ``runs`` passes over them; the model's own work, not the name rules after it)."""
    t = time.perf_counter()
    rec = entities.get_recognizer(lang, settings)
    load = time.perf_counter() - t
    gold = json.loads((GOLDS / f"ner_gold_{lang}.json").read_text(encoding="utf-8"))["pages"]
    texts = [extract(read_fundus_page(rows[f]), rows[f]["url"]).text for f in gold]
    chars = sum(len(x) for x in texts)
    passes = []
    for _ in range(runs):
        t = time.perf_counter()
        for x in texts:
            rec.mentions(x)
        passes.append(time.perf_counter() - t)
    median = statistics.median(passes)
    print(f"{lang} {rec.name}: load {load:.2f} s; {len(texts)} pages, {chars} characters: {median * 1000:.0f} ms a "
          f"pass (median of {runs}), {median * 1000 / chars * 1000:.1f} ms per 1,000 characters")


def main(argv: list[str]) -> int:
    import argparse

    known = sorted(p.stem.removeprefix("ner_gold_") for p in GOLDS.glob("ner_gold_*.json"))
    parser = argparse.ArgumentParser(description="NER quality against the hand-annotated pages of "
                                                 "benchmarks/ner_gold_<lang>.json (not part of the test run).")
    parser.add_argument("langs", nargs="*", metavar="LANG",
                        help=f"languages with a gold file (default: all of them: {', '.join(known)})")
    parser.add_argument("--baseline", action="store_true", help="Korean: Kiwi's proper nouns as misc, no rules")
    parser.add_argument("--time", action="store_true", help="also the recogniser's load time and its speed")
    args = parser.parse_args(argv)
    if unknown := [lang for lang in args.langs if lang not in known]:
        parser.error(f"no gold file for {', '.join(unknown)}: use one of {', '.join(known)}")
    baseline, timed = args.baseline, args.time
    langs = args.langs or known
    rows = {r["file"]: r for r in load_fundus_manifest()}
    settings = EntitySettings()
    settings = settings.model_copy(update={"models": {**{k: v for k, v in OPT_IN.items() if k in langs},
                                                      **settings.models}})
    if baseline:    # the recogniser get_recognizer hands out for ko: put in its cache, as a worker would hold it
        spec = settings.models["ko"]
        entities._cache[(spec.backend, spec.model)] = UntypedKiwi()
    need_corenlp = any(settings.models[lang].backend == "corenlp" for lang in langs)
    with corenlp_server(need_corenlp):
        for lang in langs:
            if timed:
                timing(lang, settings, rows)
            if evaluate(lang, settings, rows):
                return 1
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
