"""How far title-source rules get on the shared fundus corpus (an analysis, not part of the test run).

    .venv/bin/python benchmarks/fundus_title_rules.py

For every page it collects the title candidates the extractor sees (JSON-LD headline, og:title, twitter:title,
<title>, the first <h1>, trafilatura's title; site suffixes stripped as ``pipeline.extract`` does) and scores, with
the metric of ``tests/test_fundus_quality.py`` (whitespace-normalised exact match, truth re-paired):

- fixed source orders;
- "repeated more often" (shipped, ``extraction.title_tiebreak: occurrences``): where JSON-LD and og:title disagree,
  the one whose text the page's HTML repeats more often; with a check that it was not just picked for this corpus:
  the best of a family of such rules chosen on half of the publishers, scored on the other half (20 splits);
- "agree with <h1>": where JSON-LD and og:title disagree, the one equal to an <h1>;
- per-site rules: for each page, the source that matched the truth on every *other* page of its publisher
  (leave-one-out: never learnt from the page it is scored on), and the same fitted on all pages (in-sample: what
  fitting the test set would give; shown for comparison only).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import extract as E  # noqa: E402
from tests.test_fundus_quality import aligned_truth, norm_ws  # noqa: E402
from tests.plugins.shared import load_fundus_manifest, read_fundus_page  # noqa: E402

SOURCES = ("ld", "og", "tw", "title", "h1", "traf")


def collect() -> list[dict]:
    """Per page: publisher, truth title and the raw candidates (captured from a real extraction)."""
    rows = load_fundus_manifest()
    raw = {r["file"]: read_fundus_page(r) for r in rows}
    truth = aligned_truth(rows, raw)
    seen: dict = {}
    real = E._choose_title

    def spy(tree, ld, traf_title, site_name, url=None, settings=None, hint_title=None, html="", *args, **kw):
        found = E.title_candidates(tree, ld, traf_title)
        short = {"json_ld": "ld", "og_title": "og", "twitter_title": "tw", "html_title": "title", "h1": "h1",
                 "trafilatura": "traf"}
        seen.update({short[k]: found.get(k) for k in short})
        seen.update(h1s=[norm_ws("".join(h.itertext())) for h in tree.xpath("//h1")], host=E._host(url),
                    names=[n for n in (site_name, E._meta(tree, "og:site_name"), E._meta(tree, "application-name"))
                           if n], html=html, marked=E._marked_headlines(tree))
        return real(tree, ld, traf_title, site_name, url, settings, hint_title, html, *args, **kw)

    E._choose_title = spy
    pages = []
    try:
        for r, t in zip(rows, truth):
            seen.clear()
            E.extract(raw[r["file"]], r["url"])
            if seen:   # pages rejected before the title step have no candidates
                pages.append({"pub": r["publisher"], "truth": norm_ws(t["title"]), **seen})
    finally:
        E._choose_title = real
    for p in pages:
        values = [norm_ws(p[k]) for k in SOURCES]
        p["cand"] = {k: (E._strip_site(v, p["names"], [x for x in values + p["marked"] if x and x != v], p["host"])
                         if v else "")
                     for k, v in zip(SOURCES, values)}
    return pages


def by_order(p: dict, order: tuple[str, ...]) -> str:
    return next((p["cand"][k] for k in order if p["cand"][k]), "")


def repeated_more(p: dict, among: tuple[str, ...] = ("ld", "og"), scope: str = "all") -> str:
    """Where the candidates ``among`` disagree, the one the page's HTML (or its <body>) repeats most often."""
    cands = [p["cand"][k] for k in among if p["cand"][k]]
    if len(set(cands)) < 2:
        return by_order(p, SOURCES)
    html = p["html"]
    if scope == "body":
        html = html[max(html.lower().find("<body"), 0):]
    return max(cands, key=lambda c: (E._occurrences(html, c), -cands.index(c)))


def held_out_gain(pages: list[dict], splits: int = 20) -> tuple[float, int, int]:
    """The mean gain over the plain order of the best "repeated more often" variant chosen on half of the
    publishers, scored on the other half; and on how many of the halves the shipped variant was the one chosen."""
    import random

    family = {(among, scope): (lambda p, a=among, s=scope: repeated_more(p, a, s))
              for among in (("ld", "og"), ("ld", "og", "tw", "title", "h1")) for scope in ("all", "body")}
    family["order"] = lambda p: by_order(p, SOURCES)
    pubs = sorted({p["pub"] for p in pages})
    gains, shipped_chosen = [], 0
    for seed in range(splits):
        rnd = random.Random(seed)
        half = set(rnd.sample(pubs, len(pubs) // 2))
        for train_in in (True, False):
            train = [p for p in pages if (p["pub"] in half) == train_in]
            test = [p for p in pages if (p["pub"] in half) != train_in]
            best = max(family, key=lambda k: sum(family[k](p) == p["truth"] for p in train))
            shipped_chosen += best == (("ld", "og"), "all")
            gains.append(sum((family[best](p) == p["truth"]) - (family["order"](p) == p["truth"]) for p in test)
                         / len(test))
    return sum(gains) / len(gains), shipped_chosen, len(gains)


def agree_with_h1(p: dict) -> str:
    ld, og = p["cand"]["ld"], p["cand"]["og"]
    if ld and og and ld != og and og in p["h1s"] and ld not in p["h1s"]:
        return og
    return by_order(p, SOURCES)


def per_site(pages: list[dict], leave_one_out: bool) -> int:
    sites = defaultdict(list)
    for p in pages:
        sites[p["pub"]].append(p)
    hits = 0
    for p in pages:
        learn = [q for q in sites[p["pub"]] if q is not p or not leave_one_out]
        always = [k for k in SOURCES[:5] if learn and all(q["cand"][k] == q["truth"] for q in learn)]
        order = (always[0],) + SOURCES if always else SOURCES
        hits += by_order(p, order) == p["truth"]
    return hits


def main() -> int:
    pages = collect()
    n = 258
    rules = {
        "JSON-LD vs og:title: the one repeated more often (shipped)": repeated_more,
        "JSON-LD, og, twitter, <title>, h1, trafilatura": lambda p: by_order(p, SOURCES),
        "og:title first": lambda p: by_order(p, ("og", "ld", "tw", "title", "h1", "traf")),
        "<h1> first": lambda p: by_order(p, ("h1", "ld", "og", "tw", "title", "traf")),
        "JSON-LD vs og:title: the one equal to an <h1>": agree_with_h1,
    }
    print(f"{len(pages)} pages with title candidates, scored over {n}")
    for name, rule in rules.items():
        hits = sum(rule(p) == p["truth"] for p in pages)
        print(f"  {name:<58} {hits / n:.3f}")
    print(f"  {'per-site source, leave-one-out':<58} {per_site(pages, True) / n:.3f}")
    print(f"  {'per-site source fitted on all pages (test-set fit)':<58} {per_site(pages, False) / n:.3f}")
    gain, chosen, halves = held_out_gain(pages)
    print(f"  {'repeated more often: held-out gain over the plain order':<58} {gain:+.3f} "
          f"(the shipped variant chosen on {chosen} of {halves} halves)")
    any_hit = sum(any(v == p["truth"] for v in p["cand"].values()) for p in pages)
    print(f"  {'truth equals one of the candidates':<58} {any_hit / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
