"""``newsetl watch list | run | alerts | test | reset | add | remove | enable | disable | new-key | reencrypt`` —
the watches: saved searches that send alerts when new articles match them (``pipeline.watches``; the news_alerts DAG
runs the same ``stages.run_watches``). ``add``, ``remove``, ``enable`` and ``disable`` change the watches stored in
the cluster (the watches index), not the watches file, which stays the operator's. ``new-key`` prints a key for
NEWSETL_WATCH_SECRET_KEY, which encrypts the stored webhooks' header values; ``reencrypt`` rewrites them all under
its first key."""
from __future__ import annotations

import contextlib
import json
import sys

from pipeline.cli import Failed, UsageError, add_filters, index_errors, parse_since
from pipeline.wording import counted


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

    ad = wsub.add_parser("add", help="store a watch in the cluster (no file to edit): a search as `newsetl search` "
                         "takes it and where its alerts go",
                         description="Store a watch in the watches index (index.watches_index). It starts now (or "
                         "--since): the articles already indexed do not alert. A name of the watches file is "
                         "refused: the file is authoritative.")
    ad.add_argument("query", nargs="*", help="words, as `newsetl search` takes them (\"a phrase\", -word, a | b)")
    ad.add_argument("--name", required=True, help="the watch's name (letters, digits, '.', '_', '-')")
    ad.add_argument("--description", help="what it is for (shown in its messages)")
    add_filters(ad)
    ad.add_argument("--webhook", action="append", default=[], metavar="URL", help="post its alerts to this URL "
                    "(repeatable)")
    ad.add_argument("--format", choices=("json", "slack"), default="json", help="the webhooks' message shape")
    ad.add_argument("--secret-env", metavar="VAR", help="sign the webhooks' messages with the secret in this "
                    "environment variable")
    ad.add_argument("--folder", action="append", default=[], metavar="PATH", help="write its alerts as JSON files "
                    "into this folder under the storage root (repeatable)")
    ad.add_argument("--digest", metavar="DURATION", help="at most one message per channel this often (1d, 6h)")
    ad.add_argument("--max-per-message", type=int, help="alerts in one message (default alerts.max_per_message)")
    ad.add_argument("--since", help="start from this date or time instead of now (ISO 8601)")
    ad.add_argument("--disabled", action="store_true", help="store it switched off (`newsetl watch enable` later)")
    ad.add_argument("--replace", action="store_true", help="replace the stored watch of that name (its cursor "
                    "stays)")
    ad.add_argument("--by", default="cli", help="who adds it, kept as created_by (default cli)")
    ad.add_argument("--json", action="store_true")
    ad.set_defaults(func=run_add)

    rm = wsub.add_parser("remove", help="remove a stored watch; its cursor goes too, its alerts stay (history)")
    rm.add_argument("--name", required=True)
    rm.add_argument("--keep-state", action="store_true", help="keep its cursor: added again under this name, it "
                    "goes on where it stopped")
    rm.add_argument("--delete-alerts", action="store_true", help="delete its alert records too")
    rm.set_defaults(func=run_remove)

    fu = wsub.add_parser("feed-url", help="the URL of a watch's Atom feed for a feed reader, with the token that "
                         "opens that feed alone (made from NEWSETL_API_KEY)")
    fu.add_argument("--name", required=True)
    fu.add_argument("--base", default="http://127.0.0.1:8000", help="where `newsetl serve` answers (scheme, host "
                    "and port; default http://127.0.0.1:8000)")
    fu.set_defaults(func=run_feed_url)

    for action, enabled in (("enable", True), ("disable", False)):
        en = wsub.add_parser(action, help=f"{action} a stored watch (a file's: edit its enabled: there)")
        en.add_argument("--name", required=True)
        en.set_defaults(func=run_enable, enabled=enabled)

    nk = wsub.add_parser("new-key", help="print a fresh key for NEWSETL_WATCH_SECRET_KEY (a Fernet key), which "
                         "encrypts the stored webhooks' header values")
    nk.set_defaults(func=run_new_key)

    re_ = wsub.add_parser("reencrypt", help="rewrite every stored watch's webhook header values under the first key "
                          "of NEWSETL_WATCH_SECRET_KEY (those in clear encrypted, those under an older key of it "
                          "encrypted again)",
                          description="Encrypt the header values of the stored watches that are in clear, and "
                          "encrypt again under the first key those encrypted under another key of "
                          "NEWSETL_WATCH_SECRET_KEY (comma-separated: new key first, old keys after). Exits 1 naming "
                          "each watch a value of which no key decrypts (it is left as it is).")
    re_.add_argument("--json", action="store_true")
    re_.set_defaults(func=run_reencrypt)


def _settings(args):
    from pipeline.settings import load_settings

    return load_settings(args.config)


def _watches(settings, names: list[str] | None = None):
    """The file's and the stored watches (``pipeline.watches.load_all``; the cluster away: the file's, with a
    note)."""
    from pipeline import stages
    from pipeline.watches import load_all

    with stages._client(settings) as c:
        return load_all(settings, client=c, names=names)


def run_list(args) -> int:
    from pipeline import stages
    from pipeline.watches import pending_counts, read_state

    settings = _settings(args)
    watches = _watches(settings)
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
        rows.append({"name": w.name, "origin": watches.origin.get(w.name), "enabled": w.enabled,
                     "description": w.description,
                     "channels": [ch.describe() for ch in w.deliver], "started_at": st.get("started_at"),
                     "last_run_at": st.get("last_run_at"), "caught_up_to": st.get("until"),
                     "pending": waiting.get(w.name, 0) if waiting is not None else None})
    warnings = list(watches.notes) + [
        f"the stored watch {n!r} is shadowed by the watches file's of that name and does not run: remove it "
        f"(newsetl watch remove --name {n}) or rename it" for n in watches.shadowed]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        return 0
    for w in warnings:
        print(f"warning: {w}")
    if note and not watches.notes:
        print(f"(what waits to be sent is unknown: {note})")
    if not rows:
        print("no watches: add some to config/watches.yaml, or `newsetl watch add` (docs/index.md, \"Watches and "
              "alerts\")")
    for r in rows:
        state = f"last run {r['last_run_at']}" if r["last_run_at"] else "never ran"
        print(f"{r['name']} [{r['origin']}]{'' if r['enabled'] else ' (disabled)'}: {state}; "
              f"{'? alerts' if r['pending'] is None else counted(r['pending'], 'alert')} waiting; "
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
        for note in res.get("notes") or []:
            print(f"warning: {note}")
        for r in res["watches"]:
            if args.dry_run:
                print(f"{r['watch']}: {counted(r['matched'], 'article')} would alert")
                for a in r["alerts"]:
                    print(f"  {(a.get('published_at') or '')[:10]}  {a.get('title')}  {a.get('url')}")
            else:
                held = f" ({r['held']} held for a digest)" if r.get("held") else ""
                print(f"{r['watch']}: {r['matched']} matched, {counted(r['new'], 'new alert')}, "
                      f"{r['delivered']} delivered, {r['pending']} waiting{held}")
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
        state = f"waiting for {counted(len(r['pending']), 'channel')}, {r.get('attempts') or 0} refused" \
            if r.get("pending") else f"delivered {r.get('delivered_at')}"
        print(f"{r['matched_at']}  {r['watch']}  {r.get('title')}  {r.get('url')}  ({state})")
        if r.get("last_error") and r.get("pending"):
            print(f"    last error: {r['last_error']}")
    if not rows:
        print("no alerts")
    return 0


def run_test(args) -> int:
    from pipeline import stages
    from pipeline.notify import DeliveryError, deliver, watch_message

    settings = _settings(args)
    watch = _watches(settings, [args.name])[0]
    if not watch.deliver:
        raise UsageError(f"the watch {watch.name} has no channel (deliver:): its alerts stay in the alerts index")
    sample = {"alert_id": f"{watch.name}:test", "id": "test", "title": "A test message from newsetl",
              "url": None, "source": "newsetl", "language": "en", "published_at": None,
              "description": "This message checks the channel; it is no article.", "people": [], "matched_at": None}
    from pipeline.watches import header_problem

    bad = []
    for ch in watch.deliver:
        try:
            problem = header_problem(watch, ch)       # a stored header that cannot be decrypted: not sent
            if problem:
                raise DeliveryError(f"{ch.describe()}: {problem}")
            deliver(stages.storage_for(settings), ch, watch_message(watch.name, watch.description, [sample], test=True),
                    settings.alerts)
            print(f"{ch.describe()}: delivered")
        except DeliveryError as e:
            bad.append(str(e))
            print(f"{ch.describe()}: FAILED: {e}")
    if bad:
        raise Failed(f"{len(bad)} of {counted(len(watch.deliver), 'channel')} refused the test message")
    return 0


def run_feed_url(args) -> int:
    """Print the feed's URL; the token is the one ``newsetl serve`` with the same NEWSETL_API_KEY takes."""
    from pipeline.cli import print_feed_url
    from pipeline.feed import watch_feed_path

    watch = _watches(_settings(args), [args.name])[0]
    return print_feed_url("--base", args.base, watch_feed_path(watch.name))


def run_reset(args) -> int:
    from pipeline import stages
    from pipeline.watches import state_path

    settings = _settings(args)
    watch = _watches(settings, [args.name])[0]
    storage = stages.storage_for(settings)
    if storage.exists(state_path(watch.name)):
        storage.remove(state_path(watch.name))
        print(f"{watch.name}: its next run starts again (now, or --since)")
    else:
        print(f"{watch.name}: it never ran; nothing to reset")
    return 0


@contextlib.contextmanager
def _store_errors():
    """A stored watch refused as asked: a usage error (exit 2), one line; the cluster away: exit 1."""
    from pipeline.watches import WatchStoreError

    with index_errors():
        try:
            yield
        except WatchStoreError as e:
            raise UsageError(str(e)) from None


def run_add(args) -> int:
    from pydantic import ValidationError

    from pipeline import stages
    from pipeline.settings import _key_path
    from pipeline.watches import Watch, put_watch

    settings = _settings(args)
    since = parse_since(args.since)
    channel = {k: v for k, v in (("format", args.format), ("secret_env", args.secret_env),
                                 ("digest", args.digest)) if v not in (None, "json")}
    deliver = [{"webhook": u, **channel} for u in args.webhook] + \
        [{"folder": f, **({"digest": args.digest} if args.digest else {})} for f in args.folder]
    if (args.format != "json" or args.secret_env) and not args.webhook:
        raise UsageError("--format and --secret-env are a webhook's: give --webhook URL")
    spec = {"name": args.name, "description": args.description, "enabled": not args.disabled,
            "query": " ".join(args.query) or None, "lang": args.lang, "source": args.source, "tag": args.tag,
            "country": args.country, "entities": list(args.entity), "originals": args.originals,
            "access": args.access, "near": args.near, "deliver": deliver, "max_per_message": args.max_per_message}
    try:
        watch = Watch.model_validate(spec)
    except ValidationError as e:
        err = e.errors()[0]
        raise UsageError(f"{_key_path(err['loc'])}: {err['msg'].removeprefix('Value error, ')}") from None
    with _store_errors(), stages._client(settings) as c:
        res = put_watch(c, stages.storage_for(settings), settings, watch, by=args.by, replace=args.replace,
                        since=since)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
        return 0
    from pipeline.watches import read_state

    started = (read_state(stages.storage_for(settings), watch.name) or {}).get("started_at")
    print(f"{watch.name}: {'stored' if res['created'] else 'replaced'} in "
          f"{settings.index.watches_index_name}{'' if watch.enabled else ' (disabled)'}; it alerts on articles "
          f"fetched from {started}")
    return 0


def run_remove(args) -> int:
    from pipeline import stages
    from pipeline.watches import remove_watch

    settings = _settings(args)
    with _store_errors(), stages._client(settings) as c:
        res = remove_watch(c, stages.storage_for(settings), settings, args.name, keep_state=args.keep_state,
                           delete_alerts=args.delete_alerts)
    if res["shadowed"]:
        print(f"{args.name}: the stored copy is removed; the watches file's watch of that name stays, with its "
              "cursor and alerts")
        return 0
    what = ["its cursor " + ("kept" if args.keep_state else "cleared" if res["state_removed"] else "(none)"),
            f"{counted(res['alerts_deleted'], 'alert')} deleted" if args.delete_alerts else "its alerts kept"]
    print(f"{args.name}: removed; {', '.join(what)}")
    return 0


def run_enable(args) -> int:
    from pipeline import stages
    from pipeline.watches import set_enabled

    settings = _settings(args)
    with _store_errors(), stages._client(settings) as c:
        set_enabled(c, settings, args.name, args.enabled)
    print(f"{args.name}: {'enabled' if args.enabled else 'disabled'}")
    return 0


def run_new_key(args) -> int:
    """Print a fresh Fernet key: NEWSETL_WATCH_SECRET_KEY=<it> (or <it>,<the old key> when rotating)."""
    from pipeline.watches import new_key

    print(new_key())
    return 0


def run_reencrypt(args) -> int:
    from pipeline import stages
    from pipeline.watches import reencrypt_watches

    settings = _settings(args)
    with index_errors(), stages._client(settings) as c:
        res = reencrypt_watches(c, settings)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        print(f"{res['index']}: {counted(res['watches'], 'stored watch', 'stored watches')}, {res['rewritten']} "
              f"rewritten under the first key of NEWSETL_WATCH_SECRET_KEY: {counted(res['encrypted'], 'header value')} "
              f"encrypted ({'was' if res['encrypted'] == 1 else 'were'} in clear), {res['reencrypted']} encrypted "
              "again")
    if res["failed"]:
        raise Failed(f"{counted(len(res['failed']), 'stored watch', 'stored watches')} left unchanged: " + "; ".join(
            f"{n}: {why}" for n, why in res["failed"].items()))
    return 0
