"""What the run history costs a run's report: its rows and dead letters written to Elasticsearch (pipeline.runs).

    .venv/bin/python benchmarks/bench_history.py [--letters 20000] [--ledger 200000] [--url URL]

A storage root is filled with a fetch ledger of --ledger archived URLs and one run's --letters fetch dead letters
(timeouts and 404s over 50 hosts), and an earlier run's letters of a tenth as many URLs that this run archived (the
ledger says so), which its report closes. Then, timed apart:

- the report's part: ``try_record_run`` (the run's rows, its letters written with their open state, the earlier
  letters of the URLs it archived closed), as the ``report`` task does it;
- the catch-up: ``stages.record_history`` over the same storage (``newsetl index runs``, news_health), which also
  scans every open letter against the ledger;
- the loading of the ledger alone (``Ledger.load``), which both start with.

Elasticsearch: --url, $NEWSETL_ES_URL, or a node started with tools/elasticsearch-local/es-local.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import node_for, stop_node  # noqa: E402


def fill(root: Path, letters: int, ledger: int) -> dict:
    from pipeline.deadletter import DeadLetter, write_dead_letters
    from pipeline.fetcher import Ledger
    from pipeline.storage import Storage
    from pipeline.urls import canonicalize, doc_id

    storage = Storage(root)
    failed = [f"https://host{i % 50}.example/news/{i}.html" for i in range(letters)]
    retried = [f"https://host{i % 50}.example/retried/{i}.html" for i in range(letters // 10)]
    archived = [f"https://host{i % 50}.example/archive/{i}.html" for i in range(ledger - len(retried))]
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    entries = [{"id": doc_id(u), "url": canonicalize(u), "fetched_at": now, "run": "older"} for u in archived]
    entries += [{"id": doc_id(u), "url": canonicalize(u), "fetched_at": now, "run": "bench"} for u in retried]
    Ledger.append(storage, "older", entries)
    # an earlier run's letters (an hour before) of the URLs this run archived: the report closes them
    hour_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)).isoformat()
    write_dead_letters(storage, "fetch", "earlier", [
        DeadLetter("fetch", u, "timeout", "timed out", {"url": u, "source": f"s{i % 5}"}, at=hour_ago)
        for i, u in enumerate(retried)])
    write_dead_letters(storage, "fetch", "bench", [
        DeadLetter("fetch", u, "http_404" if i % 3 else "timeout", f"{u} answered 404", {"url": u, "source": f"s{i % 5}"})
        for i, u in enumerate(failed)])
    report = {"run_id": "bench", "kind": "ingest", "finished_at": now, "complete": True,
              "sources": {f"s{i}": {"discovered": letters // 5, "dead_lettered": letters // 5} for i in range(5)}}
    p = root / "reports" / now[:10] / "bench.json"
    p.parent.mkdir(parents=True)
    p.write_text(json.dumps(report))
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--letters", type=int, default=20000)
    ap.add_argument("--ledger", type=int, default=200000)
    ap.add_argument("--url")
    args = ap.parse_args()

    from pipeline import stages
    from pipeline.es import client_from_settings
    from pipeline.fetcher import Ledger
    from pipeline.runs import record_dead_letters, try_record_run
    from pipeline.settings import load_settings
    from pipeline.storage import Storage

    url, state = node_for(args.url)
    name = f"bench-{uuid.uuid4().hex[:8]}-news"
    client = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            report = fill(root, args.letters, args.ledger)
            settings = load_settings(overrides={"elasticsearch": {"url": url}, "index": {"name": name},
                                                "storage": {"root": tmp}})
            client = client_from_settings(settings)
            storage = Storage(root)
            letters_index = settings.index.dead_letters_index_name
            # the earlier run's letters are in the index, open, before this run's report
            from pipeline.deadletter import select_dead_letters

            record_dead_letters(client, letters_index, select_dead_letters(storage, run="earlier"), Ledger())
            t = time.monotonic()
            Ledger.load(storage)
            ledger_s = time.monotonic() - t
            t = time.monotonic()
            assert try_record_run(lambda: client_from_settings(settings), settings.index.runs_index_name, report,
                                  letters_index=letters_index, storage=storage,
                                  letters=select_dead_letters(storage, run="bench"))
            report_s = time.monotonic() - t
            closed = client.count(index=letters_index, query={"term": {"closed_by": "bench"}})["count"]
            t = time.monotonic()
            res = stages.record_history(settings, days=1, client=client)
            history_s = time.monotonic() - t
        row = {"letters": args.letters, "ledger": args.ledger, "ledger_load_s": round(ledger_s, 2),
               "report_s": round(report_s, 2), "report_letters_per_s": round(args.letters / report_s),
               "closed_by_report": closed, "record_history_s": round(history_s, 2),
               "history_letters": res["dead_letters"], "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        print(f"ledger of {args.ledger} URLs loaded in {row['ledger_load_s']} s; the report wrote {args.letters} letters "
              f"and closed {closed} earlier ones in {row['report_s']} s ({row['report_letters_per_s']} letters/s); the "
              f"catch-up wrote {res['dead_letters']} letters again in {row['record_history_s']} s", file=sys.stderr)
        print(json.dumps(row))
    finally:
        if client is not None:
            for index in (f"{name}-runs", f"{name}-deadletters"):
                client.indices.delete(index=index, ignore_unavailable=True)
            client.close()
        stop_node(state)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
