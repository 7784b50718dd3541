"""Bytes on the wire and decode time for the content codings the fetcher asks for, on real news pages.

Every page of the fundus corpus (``../shared/corpus/fundus/*/*.html.gz``, decompressed in memory, never copied) is
compressed as a server would send it: gzip level 6, brotli quality 5, zstd level 3 (common server settings). Printed:
total bytes per coding and the ratio to the HTML and to gzip; decode time per MB of HTML, both with the library alone
(one call a page) and through the fetcher's own bounded decoder (``pipeline.fetcher.BodyDecoder``, fed 16 KiB
chunks as they come off the socket). Best of ``--repeat`` runs. Not a test; example::

    .venv/bin/python benchmarks/bench_encodings.py            # --json for one JSON line
"""
from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import sys
import time
import zlib
from pathlib import Path

import brotli
import zstandard

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.fetcher import BodyDecoder  # noqa: E402

CHUNK = 16 * 1024
CODINGS = {
    "gzip": (lambda b: gzip.compress(b, compresslevel=6, mtime=0), lambda b: zlib.decompress(b, zlib.MAX_WBITS | 16)),
    "br": (lambda b: brotli.compress(b, quality=5), brotli.decompress),
    "zstd": (zstandard.ZstdCompressor(level=3).compress, zstandard.ZstdDecompressor().decompress),
}


def load_pages(corpus: Path) -> list[bytes]:
    files = sorted(glob.glob(str(corpus / "*" / "*.html.gz")))
    if not files:
        raise SystemExit(f"no pages under {corpus}/*/*.html.gz (set --corpus or NEWSETL_SHARED_DIR)")
    pages = []
    for f in files:
        with open(f, "rb") as fh:
            pages.append(gzip.decompress(fh.read()))
    return pages


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    shared = Path(os.environ.get("NEWSETL_SHARED_DIR", REPO.parent / "shared"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=shared / "corpus" / "fundus")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    pages = load_pages(a.corpus)
    html = sum(len(p) for p in pages)
    mb = html / 1e6
    out = {"pages": len(pages), "html_bytes": html, "codings": {}}
    for name, (comp, decomp) in CODINGS.items():
        t0 = time.perf_counter()
        bodies = [comp(p) for p in pages]
        compress_s = time.perf_counter() - t0
        assert [decomp(b) for b in bodies] == pages

        def library():
            for b in bodies:
                decomp(b)

        def fetcher():
            for b in bodies:
                d = BodyDecoder(name, 10 * 1024 * 1024)
                for i in range(0, len(b), CHUNK):
                    d.feed(b[i:i + CHUNK])
                d.finish()

        out["codings"][name] = {
            "bytes": sum(len(b) for b in bodies),
            "compress_ms_per_mb": round(compress_s * 1000 / mb, 2),
            "decode_ms_per_mb_library": round(best(library, a.repeat) * 1000 / mb, 2),
            "decode_ms_per_mb_fetcher": round(best(fetcher, a.repeat) * 1000 / mb, 2),
        }
    gz = out["codings"]["gzip"]["bytes"]
    for c in out["codings"].values():
        c["ratio_to_html"] = round(c["bytes"] / html, 4)
        c["ratio_to_gzip"] = round(c["bytes"] / gz, 4)
    if a.json:
        print(json.dumps(out))
        return 0
    print(f"{out['pages']} fundus pages, {html:,} bytes of HTML ({mb:.1f} MB)")
    print(f"{'coding':<22}{'bytes':>12}{'/HTML':>8}{'/gzip':>8}{'compress ms/MB':>16}{'decode ms/MB lib':>18}"
          f"{'fetcher':>9}")
    labels = {"gzip": "gzip (level 6)", "br": "brotli (quality 5)", "zstd": "zstd (level 3)"}
    for name, c in out["codings"].items():
        print(f"{labels[name]:<22}{c['bytes']:>12,}{c['ratio_to_html']:>8.3f}{c['ratio_to_gzip']:>8.3f}"
              f"{c['compress_ms_per_mb']:>16.2f}{c['decode_ms_per_mb_library']:>18.2f}"
              f"{c['decode_ms_per_mb_fetcher']:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
