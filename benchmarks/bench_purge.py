"""The archive purge of removed articles (``pipeline.removals.purge_archive``): a first purge, and the daily purge after
it, with and without the checkpoint that lets it read only what it has not read since.

    .venv/bin/python benchmarks/bench_purge.py [--copies 10] [--remove 0.01] [--root ROOT] [--url URL]

The archive: the fundus corpus (../shared/corpus/fundus, 258 real pages of 40-odd publishers) written --copies times,
one WARC file per copy as one fetch run writes it (each copy's URLs are the pages' with ``-c<n>`` added to the
path), and a fetch ledger entry for each page. Removed before the first purge: --remove of the articles (by URL,
the first of each copy's pages in a fixed random order) and every page of one publisher's domain. Then, each timed:

1. ``first``: the first purge, no checkpoint: every file holds a removed article (its URL index says so), so every
   file is read, the removed records purged;
2. ``nothing new``: the daily purge with nothing removed since: no file read, no ledger segment either;
3. ``nothing new, no checkpoint``: the same with the checkpoint deleted first: every file read again (each index
   names an article removed, purged already), nothing found, which is what every purge did before the checkpoint;
4. ``new file``: one more copy written (a day's fetch, removed pages in it too): only that file read;
5. ``new removal``: one more article removed (of the first copy): only the first copy's file read (the URL
   indexes of the others name nothing removed since);
6. ``new removal, no indexes``: another article removed (of the second copy), the purge made to ignore the URL
   indexes (``read_url_indexes`` returning none, no index written): every file read, as before the indexes;
7. ``nothing new``: again, no file read.

Printed: for each, the seconds, the WARC files read, not read by the checkpoint (``skipped``) and not read by
their URL index (``indexed``), the MB read, the ledger segments read, and the records and ledger entries purged,
then one JSON line. (Each copy holds every publisher, so a new domain removal would read every file
here.) Storage: a new folder or prefix under --root (a folder or s3://…; removed at the end),
else a temporary folder (files freshly written, so in the page cache: the reads cost CPU, not the disk).
Elasticsearch (the removed index): --url, $NEWSETL_ES_URL, or a node started with tools/elasticsearch-local/es-local
on a temporary data folder (stopped at the end)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import node_for, stop_node  # noqa: E402
from pipeline.storage import Storage  # noqa: E402


class CountingStorage(Storage):
    """The real storage root, noting the WARC files opened for reading."""

    def __init__(self, root: str):
        super().__init__(root)
        self.read: list[str] = []

    @contextmanager
    def open(self, rel: str, mode: str = "rb", **kw):
        if rel.endswith(".warc.gz") and "r" in mode:
            self.read.append(rel)
        with super().open(rel, mode, **kw) as f:
            yield f


def _copy_url(url: str, n: int) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, f"{p.path.rstrip('/')}-c{n}", p.query, ""))


def write_copy(storage: Storage, pages: list[tuple[str, bytes]], n: int) -> str:
    """One WARC file holding every page under its ``n``-th URL, and the ledger segment a fetch would write."""
    from pipeline.archive import WarcArchive
    from pipeline.fetcher import Ledger
    from pipeline.urls import canonicalize, doc_id

    entries = []
    with WarcArchive(storage, f"copy{n}", max_bytes=1 << 40) as archive:
        for url, body in pages:
            u = _copy_url(url, n)
            ref = archive.write_response(u, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body,
                                         page_meta={"source": "fundus"})
            entries.append({"id": doc_id(u), "url": canonicalize(u), "final_url": u, "warc_ref": ref,
                            "fetched_at": dt.datetime.now(dt.timezone.utc).isoformat(), "run": f"copy{n}"})
    Ledger.append(storage, f"copy{n}", entries)
    return archive.files[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=10, help="WARC files, each the whole corpus once")
    ap.add_argument("--remove", type=float, default=0.01, help="share of the articles removed by URL")
    ap.add_argument("--root", help="storage root (default: a temporary folder)")
    ap.add_argument("--url", help="Elasticsearch (default: $NEWSETL_ES_URL, else a local node started here)")
    args = ap.parse_args()

    from pipeline.es import client_from_settings
    from pipeline.removals import PURGE_CHECKPOINT, purge_archive, remove
    from pipeline.settings import load_settings
    from tests.plugins.shared import FUNDUS, read_fundus_page, require_shared

    require_shared(FUNDUS / "manifest.jsonl")
    rows = [json.loads(line) for line in open(FUNDUS / "manifest.jsonl", encoding="utf-8") if line.strip()]
    pages = [(r["url"], read_fundus_page(r)) for r in rows]
    domains = sorted({urlsplit(u).hostname.removeprefix("www.") for u, _ in pages})
    gone_domain = domains[len(domains) // 2]

    url, state = node_for(args.url)
    name = f"bench-{uuid.uuid4().hex[:8]}-news"
    tmp = None if args.root else tempfile.TemporaryDirectory(prefix="newsetl-bench-purge-")
    root = f"{args.root.rstrip('/')}/bench-purge-{uuid.uuid4().hex[:8]}" if args.root else tmp.name
    settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {"name": name},
                                        "storage": {"root": root}})
    client = client_from_settings(settings)
    storage = CountingStorage(root)
    results = []
    try:
        for n in range(args.copies):
            write_copy(storage, pages, n)
        sizes = {rel: size for rel, size in storage.find("archive").items() if rel.endswith(".warc.gz")}
        order = random.Random(7).sample(range(len(pages)), len(pages))
        picked = order[:max(1, round(len(pages) * args.remove))]
        urls = [_copy_url(pages[i][0], n) for n in range(args.copies) for i in picked]
        remove(client, settings, urls=urls, domains=[gone_domain], reason="benchmark")

        def timed(label: str, *, no_indexes: bool = False) -> None:
            import pipeline.archive as archive

            storage.read.clear()
            sizes.update({rel: size for rel, size in storage.find("archive").items() if rel.endswith(".warc.gz")})
            real = archive.read_url_indexes, archive.write_url_index
            if no_indexes:          # the purge before the URL indexes: every file read after a new removal
                archive.read_url_indexes, archive.write_url_index = (lambda *a: {}), (lambda *a: None)
            try:
                t = time.perf_counter()
                res = purge_archive(client, settings, storage)
                seconds = time.perf_counter() - t
            finally:
                archive.read_url_indexes, archive.write_url_index = real
            mb = sum(sizes[rel] for rel in set(storage.read)) / 1e6
            row = {"run": label, "seconds": round(seconds, 3), "read": res["scanned"], "skipped": res["skipped"],
                   "indexed": res["indexed"], "mb_read": round(mb, 1), "ledger_read": res["ledger_read"],
                   "records": res["records"], "ledger_entries": res["ledger_entries"]}
            results.append(row)
            print(f"{label:28} {seconds:7.3f} s  read {res['scanned']:3} files ({mb:6.1f} MB), skipped "
                  f"{res['skipped']:3}, by index {res['indexed']:3}; {res['ledger_read']:3} ledger segments read; "
                  f"purged {res['records']:4} records, {res['ledger_entries']:4} ledger entries", file=sys.stderr)

        index_mb = sum(storage.find("warc-index").values()) / 1e6
        print(f"archive: {len(pages)} pages x {args.copies} files, {sum(sizes.values()) / 1e6:.1f} MB (URL indexes "
              f"{index_mb:.2f} MB); removed {len(urls)} articles by URL and the domain {gone_domain}", file=sys.stderr)
        timed("first")
        timed("nothing new")
        storage.remove(PURGE_CHECKPOINT)
        timed("nothing new, no checkpoint")
        write_copy(storage, pages, args.copies)
        timed("new file")
        remove(client, settings, urls=[_copy_url(pages[order[-1]][0], 0)], reason="benchmark")
        timed("new removal")
        remove(client, settings, urls=[_copy_url(pages[order[-2]][0], 1)], reason="benchmark")
        timed("new removal, no indexes", no_indexes=True)
        timed("nothing new")
        print(json.dumps({"pages": len(pages), "files": args.copies, "mb": round(sum(sizes.values()) / 1e6, 1),
                          "index_mb": round(index_mb, 2), "runs": results,
                          "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}))
    finally:
        client.indices.delete(index=f"{name}-removed", ignore_unavailable=True)
        client.close()
        stop_node(state)
        if tmp:
            tmp.cleanup()
        else:
            Storage(root).remove("")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
