"""``newsetl watch list | run | alerts | test | reset`` — the watches: saved searches that send alerts when new
articles match them (``pipeline.watches``; the news_alerts DAG runs the same ``stages.run_watches``)."""
from __future__ import annotations

import json

from pipeline.cli import Failed, UsageError, index_errors, parse_since


def register(sub) -> None:
    p = sub.add_parser(
        "watch", help="saved searches that send alerts (webhooks, folders) when new articles match them",
        description="The watches of config/watches.yaml (alerts.watches_file): each run finds the articles loaded "
        "since the last that match a watch's search, records one alert per article in the alerts index and sends "
        "those not yet delivered to the watch's channels. news_alerts runs them after every load.")
    wsub = p.add_subparsers(dest="watch_command", metavar="ACTION", required=True)

    ls = wsub.add_parser("list", help="the watches, their channels, where each stands and what waits to be sent")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)

    rn = wsub.add_parser("run", help="run the watches now (every enabled one, or those named)")
    rn.add_argument("--name", action="append", default=[], help="a watch (repeatable; a disabled one too)")
    rn.add_argument("--since", help="where a watch that never ran starts (ISO date or time; default now)")
    rn.add_argument("--dry-run", action="store_true", help="list what would alert; record and send nothing")
    rn.add_argument("--wait", action="store_true", help="first wait until the last load's articles are in the "
                    "changes feed (index.search.changes_delay_seconds after it), as news_alerts does")
    rn.add_argument("--json", action="store_true")
    rn.set_defaults(func=run_watches)

    al = wsub.add_parser("alerts", help="the latest alerts (of one watch; --pending: those not delivered yet)")
    al.add_argument("--name", help="one watch")
    al.add_argument("--pending", action="store_true", help="only the alerts a channel still waits for")
    al.add_argument("--size", type=int, default=20)
    al.add_argument("--json", action="store_true")
    al.set_defaults(func=run_alerts)

    ts = wsub.add_parser("test", help="send a test message to each channel of a watch (records nothing)")
    ts.add_argument("--name", required=True)
    ts.set_defaults(func=run_test)

    rs = wsub.add_parser("reset", help="forget where a watch stands: its next run starts again (now, or --since); "
                         "the articles it alerted on before do not alert again")
    rs.add_argument("--name", required=True)
    rs.set_defaults(func=run_reset)


def _settings(args):
    from pipeline.settings import load_settings

    return load_settings(args.config)


def run_list(args) -> int:
    from pipeline import stages
    from pipeline.watches import load_watches, pending_counts, read_state

    settings = _settings(args)
    watches = load_watches(settings=settings)
    storage = stages.storage_for(settings)
    from pipeline.es import ClusterUnavailable

    note = None
    try:
        with stages._client(settings) as c:
            waiting = pending_counts(c, settings)
    except ClusterUnavailable as e:      # the watches are still listed; what waits is unknown
        waiting, note = None, str(e)
    rows = []
    for w in watches:
        st = read_state(storage, w.name) or {}
        rows.append({"name": w.name, "enabled": w.enabled, "description": w.description,
                     "channels": [ch.describe() for ch in w.deliver], "started_at": st.get("started_at"),
                     "last_run_at": st.get("last_run_at"), "caught_up_to": st.get("until"),
                     "pending": waiting.get(w.name, 0) if waiting is not None else None})
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if note:
        print(f"(what waits to be sent is unknown: {note})")
    if not rows:
        print("no watches: add some to config/watches.yaml (docs/index.md, \"Watches and alerts\")")
    for r in rows:
        state = f"last run {r['last_run_at']}" if r["last_run_at"] else "never ran"
        print(f"{r['name']}{'' if r['enabled'] else ' (disabled)'}: {state}; {'?' if r['pending'] is None else r['pending']} alerts waiting; "
              f"channels: {', '.join(r['channels']) or 'none (alerts index only)'}")
    return 0


def run_watches(args) -> int:
    from pipeline import stages

    settings = _settings(args)
    since = parse_since(args.since)
    failed = None
    with index_errors():
        try:
            res = stages.run_watches(settings, args.name or None, since=since, dry_run=args.dry_run,
                                     settle=args.wait)
        except stages.AlertsUndelivered as e:
            res, failed = e.summary, str(e)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        for r in res["watches"]:
            if args.dry_run:
                print(f"{r['watch']}: {r['matched']} articles would alert")
                for a in r["alerts"]:
                    print(f"  {(a.get('published_at') or '')[:10]}  {a.get('title')}  {a.get('url')}")
            else:
                held = f" ({r['held']} held for a digest)" if r.get("held") else ""
                print(f"{r['watch']}: {r['matched']} matched, {r['new']} new alerts, {r['delivered']} delivered, "
                      f"{r['pending']} waiting{held}")
        if not res["watches"]:
            print("no enabled watches")
        until = min((r["until"] for r in res["watches"] if r.get("until")), default=None)
        if until and not args.dry_run:
            from pipeline.changes import delay_seconds

            print(f"caught up to {until}; what was loaded in the last {delay_seconds(settings):g} s comes next "
                  "time (index.search.changes_delay_seconds; --wait waits for it)")
    if failed:
        raise Failed(failed)
    return 0


def run_alerts(args) -> int:
    from pipeline import stages
    from pipeline.watches import alerts_listing

    if not 1 <= args.size <= 1000:
        raise UsageError("--size takes 1 to 1000")
    settings = _settings(args)
    with index_errors(), stages._client(settings) as c:
        rows = alerts_listing(c, settings, watch=args.name, pending=args.pending, size=args.size)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        state = f"waiting for {len(r['pending'])} channel(s), {r.get('attempts') or 0} refused" if r.get("pending") \
            else f"delivered {r.get('delivered_at')}"
        print(f"{r['matched_at']}  {r['watch']}  {r.get('title')}  {r.get('url')}  ({state})")
        if r.get("last_error") and r.get("pending"):
            print(f"    last error: {r['last_error']}")
    if not rows:
        print("no alerts")
    return 0


def run_test(args) -> int:
    from pipeline import stages
    from pipeline.notify import DeliveryError, deliver, watch_message
    from pipeline.watches import load_watches

    settings = _settings(args)
    watch = load_watches(settings=settings, names=[args.name])[0]
    if not watch.deliver:
        raise UsageError(f"the watch {watch.name} has no channel (deliver:): its alerts stay in the alerts index")
    sample = {"alert_id": f"{watch.name}:test", "id": "test", "title": "A test message from newsetl",
              "url": None, "source": "newsetl", "language": "en", "published_at": None,
              "description": "This message checks the channel; it is no article.", "people": [], "matched_at": None}
    bad = []
    for ch in watch.deliver:
        try:
            deliver(stages.storage_for(settings), ch, watch_message(watch.name, watch.description, [sample], test=True),
                    settings.alerts)
            print(f"{ch.describe()}: delivered")
        except DeliveryError as e:
            bad.append(str(e))
            print(f"{ch.describe()}: FAILED: {e}")
    if bad:
        raise Failed(f"{len(bad)} of {len(watch.deliver)} channels refused the test message")
    return 0


def run_reset(args) -> int:
    from pipeline import stages
    from pipeline.watches import load_watches, state_path

    settings = _settings(args)
    watch = load_watches(settings=settings, names=[args.name])[0]
    storage = stages.storage_for(settings)
    if storage.exists(state_path(watch.name)):
        storage.remove(state_path(watch.name))
        print(f"{watch.name}: its next run starts again (now, or --since)")
    else:
        print(f"{watch.name}: it never ran; nothing to reset")
    return 0
