"""``newsetl index ensure|status|migrate|swap|load|mark-duplicates|relabel|runs|snapshot|snapshots|restore|template``
— the index layout, loading and snapshots (pipeline.admin, .load, .snapshots)."""
from __future__ import annotations

import json
import sys

from pipeline.wording import counted


def register(subparsers) -> None:
    p = subparsers.add_parser("index", help="create, inspect, migrate and load the Elasticsearch index",
                              description="Manage the versioned index <name>-vN behind the read alias <name> and "
                              "the write alias <name>-write.")
    sub = p.add_subparsers(dest="index_command", metavar="ACTION", parser_class=type(p))
    e = sub.add_parser("ensure", help="create template, index and aliases if missing (idempotent)")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=run_ensure)
    s = sub.add_parser("status", help="cluster, template, aliases, document counts, pending migrations")
    s.add_argument("--json", action="store_true")
    s.add_argument("--check", action="store_true", help="exit 1, with a line naming each problem, when an alias has "
                   "no index, the write index refuses writes (a full disk), the cluster is red or a problem is listed "
                   "(for monitoring; what the news_health DAG checks)")
    s.set_defaults(func=run_status)
    m = sub.add_parser("migrate", help="copy into <name>-vN+1 from the current template and swap the aliases")
    m.add_argument("--to", type=int, metavar="N", help="target version (default: next)")
    m.add_argument("--method", choices=["auto", "reindex", "bulk"], default="auto",
                   help="auto: _reindex when the cluster has it, language copies are unchanged and every "
                        "document has its entity keys, else PIT+bulk (which recomputes both)")
    m.add_argument("--delete-old", action="store_true", help="delete the old index after the swap")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=run_migrate)
    sw = sub.add_parser("swap", help="point the read and write aliases at INDEX in one atomic request "
                        "(finishes a news_reprocess run with swap=false)")
    sw.add_argument("target", metavar="INDEX", help="concrete index, e.g. news-v2")
    sw.add_argument("--json", action="store_true")
    sw.set_defaults(func=run_swap)
    ld = sub.add_parser("load", help="bulk-load processed documents from JSONL files")
    ld.add_argument("files", nargs="+", metavar="FILE", help="JSONL files of documents (one object a line): a local "
                    "path, or one under the storage root (e.g. what `newsetl deadletters --retry --stage load` wrote)")
    ld.add_argument("--run-id", help="names the dead-letter file (default: load-<UTC time>)")
    ld.add_argument("--workers", type=int, help="concurrent bulk requests (default index.load.workers)")
    ld.add_argument("--json", action="store_true")
    ld.set_defaults(func=run_load)
    md = sub.add_parser("mark-duplicates", help="mark the near duplicates of every document in the index (a load "
                        "marks those it writes; this after the marking was off or cut short)")
    md.add_argument("--json", action="store_true")
    md.set_defaults(func=run_mark_duplicates)
    rl = sub.add_parser("relabel", help="give the documents that carry a people label since replaced by a better "
                        "spelling the new one (a load does this itself; this after its relabelling failed)")
    rl.add_argument("--json", action="store_true")
    rl.set_defaults(func=run_relabel)
    rn = sub.add_parser("runs", help="write the run reports kept under reports/ into the runs index and the dead "
                        "letters into the dead-letter index (the Source health dashboard): a backfill, or after the "
                        "cluster was away when a run ended; also closes the letters of URLs archived since")
    rn.add_argument("--days", type=float, default=30, help="reports and dead letters of the last DAYS days "
                    "(default 30)")
    rn.add_argument("--json", action="store_true")
    rn.set_defaults(func=run_runs)
    sn = sub.add_parser("snapshot", help="snapshot the news index and its side indices (people labels, removals, "
                        "alerts, run history) into snapshots.repository, wait for the end, keep the newest "
                        "snapshots.keep")
    sn.add_argument("--json", action="store_true")
    sn.set_defaults(func=run_snapshot)
    sl = sub.add_parser("snapshots", help="list this index's snapshots, oldest first")
    sl.add_argument("--json", action="store_true")
    sl.set_defaults(func=run_snapshots)
    rs = sub.add_parser("restore", help="restore a snapshot's indices and put the aliases back as it recorded them",
                        description="Restore SNAPSHOT (default: the newest that succeeded). Documents fetched after "
                        "it are in the raw archive: `newsetl reprocess --in-place --since <its day>` loads them "
                        "again.")
    rs.add_argument("snapshot", nargs="?", default="latest", metavar="SNAPSHOT",
                    help="a name from `newsetl index snapshots`, or latest (default)")
    rs.add_argument("--only", metavar="PARTS", help="comma-separated parts to restore (default all the snapshot "
                    "holds): news, people, removed, runs, deadletters, alerts, watches")
    rs.add_argument("--replace", action="store_true", help="restore over indices of the same names that exist "
                    "(closed first; what was written to them since the snapshot is lost)")
    rs.add_argument("--json", action="store_true")
    rs.set_defaults(func=run_restore)
    t = sub.add_parser("template", help="print the generated templates (JSON)")
    t.add_argument("--detect", action="store_true", help="use the analyzers the connected cluster offers")
    t.set_defaults(func=run_template)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def _emit(obj: dict, as_json: bool, human) -> None:
    if as_json:
        json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        human(obj)


def _with_cluster(args, fn):
    """Load settings, make a client, run fn(client, settings); ClusterUnavailable/AdminError -> one line, exit 1."""
    from pipeline.admin import AdminError
    from pipeline.es import ClusterUnavailable, client_from_settings
    from pipeline.settings import load_settings

    settings = load_settings(args.config)
    client = client_from_settings(settings)
    try:
        return fn(client, settings)
    except (ClusterUnavailable, AdminError) as e:
        sys.stderr.write(f"newsetl index {args.index_command}: {e}\n")
        return 1
    finally:
        client.close()


def run_ensure(args) -> int:
    from pipeline.admin import ensure_index

    def go(client, settings):
        res = ensure_index(client, settings)

        def human(r):
            print(f"index {r['index']} ({'created' if r['created'] else 'exists'}), read alias {r['read_alias']}, "
                  f"write alias {r['write_alias']}, template {r['template']}")
            if r["added_fields"]:
                print(f"added fields: {', '.join(r['added_fields'])}")
            for p in r["needs_migrate"]:
                print(f"needs migrate: {p}")
        _emit(res, args.json, human)
        return 0
    return _with_cluster(args, go)


def run_status(args) -> int:
    from pipeline.admin import index_status

    def go(client, settings):
        res = index_status(client, settings)
        res["snapshots"] = _snapshot_status(client, settings)

        def human(r):
            c = r["cluster"]
            print(f"cluster {r['url']}: Elasticsearch {c['version']}; reindex {'yes' if c['reindex'] else 'no'}")
            t = r["template"]
            print(f"template: {'present' if t['present'] else 'missing'}"
                  f"{', up to date' if t['up_to_date'] else (', outdated (run ensure)' if t['present'] else '')}")
            print(f"read alias {r['read_alias']['name']} -> {', '.join(r['read_alias']['indices']) or '(none)'}; "
                  f"write alias {r['write_alias']['name']} -> {', '.join(r['write_alias']['indices']) or '(none)'}")
            for i in r["indices"]:
                print(f"  {i['name']}: {counted(i['documents'], 'document')}, {i['bytes']} bytes"
                      f"{' [' + ', '.join(i['aliases']) + ']' if i['aliases'] else ''}"
                      + (f"; {i['older_loader']} from an older loader (`newsetl index migrate` brings them up to "
                         f"date)" if i["older_loader"] else ""))
            print("languages: " + ", ".join(f"{k}={v}" for k, v in r["languages"].items()))
            rn = r["runs_index"]
            print(f"runs index {rn['name']}: " + (
                f"{counted(rn['rows'], 'row')} (run x source), last run {rn['last_run']}" if rn["exists"]
                else "none yet (the first run's report makes it)"))
            dl = r["dead_letters_index"]
            print(f"dead-letter index {dl['name']}: " + (
                "none yet (the first run's report makes it)" if not dl["exists"] else "no letters" if not dl["letters"]
                else f"{counted(dl['letters'], 'letter')}, {counted(dl['open'], 'open fetch failure')}, the newest at "
                f"{dl['latest']}"))
            pi = r["people_index"]
            print(f"people index {pi['name']}: " + ("off (index.people_labels)" if not pi["enabled"] else
                                                     "none yet (the first load makes it)" if pi["labels"] is None
                                                     else f"{counted(pi['labels'], 'person', 'people')} labelled"))
            rm = r["removed_index"]
            print(f"removed index {rm['name']}: " + (
                f"{counted(rm['articles'], 'article')} and {counted(rm['domains'], 'domain')} taken out (newsetl "
                "remove --list)" if rm["articles"] or rm["domains"] else "nothing removed"))
            sn = r["snapshots"]
            print("snapshots: " + ("off (snapshots.repository)" if not sn["repository"] else
                                   f"none in {sn['repository']} yet" if not sn["last_success"] else
                                   f"{sn['count']} in {sn['repository']}, the newest success {sn['last_success']} "
                                   f"taken {sn['last_success_at']}"))
            for p in r["problems"]:
                print(f"problem: {p}")
        _emit(res, args.json, human)
        if args.check:
            from pipeline import stages

            try:
                stages.check_index(settings)
            except stages.IndexNeedsAttention as e:
                sys.stderr.write(f"newsetl index status: {e}\n")
                return 1
        return 0
    return _with_cluster(args, go)


def _snapshot_status(client, settings) -> dict:
    from pipeline.snapshots import listing

    cfg = settings.snapshots
    if not cfg.enabled:
        return {"repository": None, "count": 0, "last_success": None, "last_success_at": None}
    snaps = listing(client, settings)
    done = [s for s in snaps if s["state"] == "SUCCESS"]
    return {"repository": cfg.repository, "count": len(snaps),
            "last_success": done[-1]["snapshot"] if done else None, "last_success_at": done[-1]["start"] if done else None}


def run_migrate(args) -> int:
    from pipeline.admin import migrate

    def go(client, settings):
        res = migrate(client, settings, args.to, method=args.method, delete_old=args.delete_old)
        _emit(res, args.json, lambda r: print(
            f"migrated {r['from']} -> {r['to']} ({r['method']}): {r['copied']} copied, {r['skipped']} already there, "
            f"{counted(r['documents'], 'document')}, {r['seconds']} s"
            f"{'; old index deleted' if r['deleted_old'] else ''}"))
        return 0
    return _with_cluster(args, go)


def run_swap(args) -> int:
    from pipeline.admin import swap_aliases

    def go(client, settings):
        res = swap_aliases(client, settings, args.target)
        _emit(res, args.json, lambda r: print(
            f"aliases now on {r['index']} ({counted(r['documents'], 'document')}); before: "
            f"{', '.join(r['previous']) or '-'}"))
        return 0
    return _with_cluster(args, go)


def run_relabel(args) -> int:
    def go(client, settings):
        from pipeline import stages

        _emit(stages.relabel_people(settings, client), args.json, lambda r: print(
            f"{counted(r['relabelled'], 'document')} of {r['index']} given their people's current labels "
            f"({counted(r['replaced_labels'], 'label')} replaced since "
            f"{'it was' if r['replaced_labels'] == 1 else 'they were'} written, in {r['people_index']})"))
        return 0
    return _with_cluster(args, go)


def run_mark_duplicates(args) -> int:
    from pipeline.mapping import _index_settings
    from pipeline.neardup import mark_index

    def go(client, settings):
        import elastic_transport
        from elasticsearch import NotFoundError

        from pipeline.admin import AdminError
        from pipeline.es import check_cluster, unavailable_from

        idx = _index_settings(settings)
        check_cluster(client)
        try:
            res = {"index": idx.write_alias_name, **mark_index(client, idx.write_alias_name,
                                                               min_bands=idx.load.near_duplicate_bands)}
        except NotFoundError:
            raise AdminError(f"{idx.write_alias_name} does not exist: nothing to mark (`newsetl index ensure`, then "
                             f"load documents)") from None
        except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as e:
            raise unavailable_from(client, e) from None
        _emit(res, args.json, lambda r: print(
            f"{counted(r['checked'], 'document')} checked in {r['index']}: {counted(r['marked'], 'near duplicate')} "
            "marked or changed"))
        return 0
    return _with_cluster(args, go)


def run_load(args) -> int:
    import datetime as dt
    import itertools
    import os

    from pipeline.cli import UsageError
    from pipeline.load import bulk_load, read_jsonl_documents
    from pipeline.storage import Storage

    from pipeline.settings import load_settings

    run_id = args.run_id or "load-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    storage = Storage(load_settings(args.config).storage.root)
    for f in args.files:
        if not os.path.isfile(f) and not storage.exists(f):
            raise UsageError(f"{f}: no such file, here or under the storage root {storage.root}")

    def go(client, settings):
        docs = itertools.chain.from_iterable(
            read_jsonl_documents(f) if os.path.isfile(f) else read_jsonl_documents(f, storage) for f in args.files)
        res = bulk_load(client, docs, settings, storage=storage, run_id=run_id, workers=args.workers)
        _emit(res.to_dict(), args.json, lambda r: print(
            f"{r['created']} created, {r['updated']} updated, {r['unchanged']} unchanged, {r['failed']} failed, "
            f"{r['skipped']} skipped (status not ok) into {r['index']} in {r['seconds']} s"
            + (f"; {counted(r['marked'], 'near duplicate')} marked or changed" if r["marked"] else "")
            + (f"; dead letters: {storage.root}/{r['dead_letters']}" if r["dead_letters"] else "")))
        return 0 if res.failed == 0 else 1
    return _with_cluster(args, go)


def run_runs(args) -> int:
    from pipeline.cli import UsageError
    from pipeline.runs import RunsIndexError

    if args.days <= 0:
        raise UsageError("--days must be more than 0")

    def go(client, settings):
        from pipeline import stages
        from pipeline.admin import AdminError
        from pipeline.es import check_cluster

        check_cluster(client)
        try:
            res = stages.record_history(settings, days=args.days, client=client)
        except RunsIndexError as e:
            raise AdminError(str(e)) from None
        _emit(res, args.json, lambda r: print(
            f"{counted(r['runs'], 'run')} of the last {counted(r['days'], 'day')} written to {r['index']}: "
            f"{counted(r['rows'], 'row')} (one per run and source); {counted(r['dead_letters'], 'dead letter')} to "
            f"{r['dead_letters_index']}"
            + (f", {counted(r['closed'], 'earlier one')} closed (their URLs archived since)" if r["closed"] else "")))
        return 0
    return _with_cluster(args, go)


def run_snapshot(args) -> int:
    def go(client, settings):
        from pipeline import stages

        _emit(stages.snapshot(settings, client), args.json, lambda r: print(
            f"snapshot {r['snapshot']} in {r['repository']}: {r['state']} in {r['seconds']} s, "
            f"{counted(len(r['indices']), 'index', 'indices')} ({', '.join(r['indices'])})"
            + (f"; deleted the older {', '.join(r['deleted'])} (snapshots.keep)" if r["deleted"] else "")))
        return 0
    return _with_cluster(args, go)


def run_snapshots(args) -> int:
    from pipeline.snapshots import listing

    def go(client, settings):
        rows = [{k: v for k, v in s.items() if not k.startswith("_")} for s in listing(client, settings)]

        def human(r):
            if not r["snapshots"]:
                print(f"no snapshot of {settings.index.name} in {settings.snapshots.repository} yet "
                      "(`newsetl index snapshot`)")
            for s in r["snapshots"]:
                print(f"{s['snapshot']}  {s['state']:<11} {s['start']}  {s['seconds']} s  read {','.join(s['read'])}"
                      f"  {counted(len(s['indices']), 'index', 'indices')}"
                      + (f"  failures: {'; '.join(s['failures'])}" if s["failures"] else ""))
        _emit({"repository": settings.snapshots.repository, "snapshots": rows}, args.json, human)
        return 0
    return _with_cluster(args, go)


def run_restore(args) -> int:
    from pipeline.snapshots import restore

    only = [p.strip() for p in args.only.split(",") if p.strip()] if args.only else None

    def go(client, settings):
        res = restore(client, settings, args.snapshot, only=only, replace=args.replace)

        def human(r):
            print(f"restored {', '.join(r['restored'])} from {r['snapshot']} (taken {r['taken']})"
                  + (f", over the indices that were there: {', '.join(r['replaced'])}" if r["replaced"] else ""))
            if r["aliases"]:
                print("aliases: " + "; ".join(f"{a} -> {', '.join(i)}" for a, i in r["aliases"].items()))
                print(f"documents fetched after {r['taken'][:10]} are in the raw archive: `newsetl reprocess "
                      f"--in-place --since {r['taken'][:10]}` loads them again")
            if r["left"]:
                print(f"left as they were (the aliases pointed at them before): {', '.join(r['left'])}")
        _emit(res, args.json, human)
        return 0
    return _with_cluster(args, go)


def run_template(args) -> int:
    from pipeline import mapping
    from pipeline.settings import load_settings

    settings = load_settings(args.config)
    analyzers = None
    if args.detect:
        from pipeline.admin import _detect_for

        def go(client, s):
            return _detect_for(client, s.index)
        analyzers = _with_cluster(args, go)
        if analyzers == 1:
            return 1
    tpl = mapping.build_template(settings, analyzers)
    json.dump(tpl, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
