"""How precise the learned gazetteer (pipeline/learned.py, ``newsetl entities learn``) is, and what it gives the
languages without a model, on the processed fundus corpus:

    .venv/bin/python benchmarks/bench_learned_gazetteer.py [--docs /tmp/bench-docs.jsonl] [--min-docs 5 3 2]
        [--min-sources 2] [--corenlp | --no-corenlp] [--save F.jsonl] [--examples 12]

--docs: processed documents, one JSON line each (``newsetl extract`` over the fundus pages). Documents of German or
Spanish whose entities failed (``entities_status: error``: no CoreNLP server when they were processed) are run again
through ``pipeline.entities.recognize`` with a CoreNLP server this script starts (tools/corenlp-local) and stops,
unless --no-corenlp; --save writes the documents so completed, for the next run's --docs.

Precision, leave-one-out: for each English, French or German document a model processed, the gazetteer is learned
(``counts_from_documents`` + ``select``, the function logic of ``newsetl entities learn``) from every other
document, and its Latin-script names are matched in the document's text as processing matches them
(``apply_gazetteer``, whole words, as written). A hit is right when the model found that name with that type in
the document (strict); ``any type``: the model found the name with another type; ``overlapping``: the model found a
name of that type containing the hit's words or contained in it ("Olaf Scholz" / "Bundeskanzler Olaf Scholz").

Then the gazetteer learned from all of them is applied to the pages in languages without a model, through
``recognize`` with ``processing.entities.learned_gazetteer`` set (places_without_model off): the pages that gain
people or organisations, and some hits with their sentence, for reading.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.learned import (LEARNED_TYPES, NameCount, counts_from_documents, learned_document,  # noqa: E402
                              script_of, select, write)
from pipeline.names import apply_gazetteer, place_gazetteer  # noqa: E402

CORENLP = REPO / "tools" / "corenlp-local" / "corenlp-local"
MODEL_LANGUAGES = ("en", "fr", "de")
NO_MODEL = ("nl", "pt", "pl", "sv", "no", "da", "tr", "it", "cs")


def rerun_failed(docs: list[dict]) -> int:
    """Run the entities again, with a CoreNLP server started here, for the documents whose model failed."""
    from pipeline.entities import recognize
    from pipeline.settings import load_settings

    failed = [d for d in docs if d.get("entities_status") == "error" and d.get("text")]
    if not failed:
        return 0
    data = Path(tempfile.mkdtemp(prefix="bench-corenlp-"))
    port = "9517"
    start = subprocess.run(["bash", str(CORENLP), "start", "--data", str(data), "--port", port, "--timeout", "180",
                            "--watch-pid", str(os.getpid())], capture_output=True, text=True, timeout=900)
    if start.returncode != 0:
        sys.exit(f"CoreNLP did not start: {start.stdout}{start.stderr}")
    try:
        os.environ["NEWSETL_CORENLP_URL"] = start.stdout.strip().splitlines()[-1].strip()
        ent = load_settings().processing.entities
        for d in failed:
            res = recognize(d["text"], d["language"], ent)
            by_type = {t: [e["name"] for e in res.entities if e["type"] == t]
                       for t in ("person", "organization", "location", "misc")}
            d.update(entities=by_type, entity_mentions=res.entities, entities_status=res.status, error=res.error)
    finally:
        subprocess.run(["bash", str(CORENLP), "stop", "--data", str(data)], capture_output=True, timeout=120)
    return len(failed)


class Counts:
    """The per-name counts of ``counts_from_documents``, kept so that one document's part can be taken out."""

    def __init__(self, docs: list[dict]):
        self.ok = [d for d in docs if d.get("entities_status") == "ok"]
        self.docs: Counter = Counter()
        self.sources: dict[tuple, Counter] = {}
        self.languages: dict[tuple, Counter] = {}
        for d in self.ok:
            for key in self.keys(d):
                self.docs[key] += 1
                self.sources.setdefault(key, Counter())[d.get("source")] += 1
                self.languages.setdefault(key, Counter())[d.get("language")] += 1

    @staticmethod
    def keys(d: dict) -> set[tuple[str, str]]:
        return {(n, t) for t, names in (d.get("entities") or {}).items() for n in set(names or [])}

    def name_count(self, name: str, t: str, without: dict | None = None) -> NameCount:
        minus = self.keys(without) if without else set()

        def less(key, counter: Counter, value) -> Counter:
            c = Counter(counter)
            if key in minus:
                c[value] -= 1
            return +c

        src = less((name, t), self.sources.get((name, t), Counter()), without and without.get("source"))
        lng = less((name, t), self.languages.get((name, t), Counter()), without and without.get("language"))
        as_types = {x: self.docs[name, x] - ((name, x) in minus) for x in ("person", "organization", "location",
                                                                             "misc")}
        return NameCount(name, t, sum(src.values()), len(src), len(+lng), {x: n for x, n in as_types.items() if n})

    def learned(self, min_docs: int, min_sources: int, without: dict | None = None) -> dict[str, str]:
        names = [self.name_count(n, t, without) for (n, t) in self.docs if t in LEARNED_TYPES]
        kept, _ = select(names, min_docs=min_docs, min_sources=min_sources)
        return {c.name: c.type for c in kept}


def latin(learned: dict[str, str], language: str) -> dict[str, str]:
    places = set(place_gazetteer(language))
    return {n: t for n, t in learned.items() if script_of(n) == "LATIN" and n not in places}


def precision(counts: Counts, min_docs: int, min_sources: int) -> dict:
    base = counts.learned(min_docs, min_sources)
    out = Counter()
    wrong: list[str] = []
    for d in counts.ok:
        if d.get("language") not in MODEL_LANGUAGES:
            continue
        mine = counts.keys(d)
        # only the names of this document change when it is left out
        learned = dict(base)
        for (n, _t) in mine:
            learned.pop(n, None)
        touched = [counts.name_count(n, t, d) for (n, t) in mine if t in LEARNED_TYPES]
        kept, _ = select(touched, min_docs=min_docs, min_sources=min_sources)
        learned.update({c.name: c.type for c in kept})
        found = {(m.text, m.type) for m in apply_gazetteer([], d["text"], latin(learned, d["language"]))}
        ents = d.get("entities") or {}
        for name, t in sorted(found):
            out["hits"] += 1
            out[f"hits_{t}"] += 1
            if name in (ents.get(t) or []):
                out["same"] += 1
                out[f"same_{t}"] += 1
                continue
            if any(name in (ents.get(x) or []) for x in ents):
                out["other_type"] += 1
            words = set(name.split())
            if any(words <= set(e.split()) or set(e.split()) <= words for e in ents.get(t) or []
                   if set(e.split()) & words):
                out["overlapping"] += 1
            elif len(wrong) < 15:
                wrong.append(f"{d['language']} {d['source']}: {name} ({t})")
        out["documents"] += 1
    hits = out["hits"] or 1
    return {"min_docs": min_docs, "min_sources": min_sources, "names": len(base),
            "people": sum(t == "person" for t in base.values()),
            "organisations": sum(t == "organization" for t in base.values()),
            "documents": out["documents"], "hits": out["hits"],
            "precision_strict": round(out["same"] / hits, 3),
            "precision_with_overlap": round((out["same"] + out["overlapping"]) / hits, 3),
            "hits_model_typed_otherwise": out["other_type"],
            "person": f"{out['same_person']}/{out['hits_person']}",
            "organization": f"{out['same_organization']}/{out['hits_organization']}",
            "not_found_by_the_model": wrong}


def sentence(text: str, name: str) -> str:
    i = text.find(name)
    start = max(text.rfind(". ", 0, i) + 2, text.rfind("\n", 0, i) + 1, i - 160)
    ends = [j for j in (text.find(". ", i), text.find("\n", i)) if j >= 0]
    stop = min(ends + [i + 200])
    return re.sub(r"\s+", " ", text[start:stop + 1]).strip()


def no_model_pages(docs: list[dict], min_docs: int, min_sources: int, examples: int) -> dict:
    from pipeline.entities import recognize
    from pipeline.settings.processing import EntitySettings

    total, counts = counts_from_documents(docs)
    kept, _ = select(counts, min_docs=min_docs, min_sources=min_sources)
    path = Path(tempfile.mkdtemp(prefix="bench-learned-")) / "learned.yaml"
    from pipeline.storage import Storage

    write(learned_document(kept, documents=total, min_docs=min_docs, min_sources=min_sources),
          Storage(path.parent), path.name)
    settings = EntitySettings(learned_gazetteer=str(path))
    pages = [d for d in docs if d.get("language") in NO_MODEL and d.get("text")]
    gained, shown = [], []
    for d in pages:
        res = recognize(d["text"], d["language"], settings)
        names = [(e["name"], e["type"]) for e in res.entities if e["type"] in LEARNED_TYPES]
        if names:
            gained.append(f"{d['language']} {d['source']}: " + ", ".join(f"{n} ({t})" for n, t in names))
            for n, t in names:
                if len(shown) < examples:
                    shown.append(f"{d['language']} {d['source']} {n} ({t}): …{sentence(d['text'], n)}…")
    return {"min_docs": min_docs, "min_sources": min_sources, "names": len(kept), "pages": len(pages),
            "pages_gaining": len(gained), "gained": gained, "examples": shown}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default="/tmp/bench-docs.jsonl")
    ap.add_argument("--min-docs", type=int, nargs="+", default=[5, 3, 2])
    ap.add_argument("--min-sources", type=int, default=2)
    ap.add_argument("--corenlp", action=argparse.BooleanOptionalAction, default=True,
                    help="run the failed German/Spanish entities again with a CoreNLP server started here")
    ap.add_argument("--save", help="write the documents (with their entities run again) here")
    ap.add_argument("--examples", type=int, default=12)
    args = ap.parse_args()
    docs = [json.loads(line) for line in open(args.docs, encoding="utf-8") if line.strip()]
    if args.corenlp:
        print(f"entities run again with CoreNLP: {rerun_failed(docs)} documents", file=sys.stderr)
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    status = Counter((d.get("language"), d.get("entities_status")) for d in docs
                     if d.get("language") in MODEL_LANGUAGES)
    print("documents:", len(docs), "by language and entities_status (en/fr/de):", dict(sorted(status.items())))
    counts = Counts(docs)
    for m in args.min_docs:
        print(json.dumps(precision(counts, m, args.min_sources), ensure_ascii=False, indent=1))
    for m in args.min_docs:
        print(json.dumps(no_model_pages(docs, m, args.min_sources, args.examples), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
