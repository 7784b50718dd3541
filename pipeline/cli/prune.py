"""``newsetl prune``: remove the batch files of complete runs once they are old, and the raw archive's old days and
the old dead letters when ``storage.keep_archive_days`` and ``storage.keep_dead_letters_days`` are set
(``pipeline.housekeeping``).

The news_ingest DAG and ``newsetl run`` do the same after every run, through ``pipeline.stages.prune_storage``.
"""
from __future__ import annotations

import json

from pipeline.cli import UsageError, settings_for
from pipeline.wording import counted


def register(sub) -> None:
    p = sub.add_parser(
        "prune", help="remove the batch files of complete runs older than storage.keep_run_batches_days (and the "
        "archive's days older than storage.keep_archive_days)",
        description="Remove runs/<run_id>/candidates, pages and docs of every complete run whose report is older "
        "than storage.keep_run_batches_days (or --keep-days). Reports and the dead letters stay; runs that never "
        "finished are kept and listed. The raw archive is kept unless storage.keep_archive_days (or --archive-days) "
        "is set: then its days that old go, except those a replay in progress reads. The dead letters are kept unless "
        "storage.keep_dead_letters_days (or --dead-letter-days) is set: then the files last written that long ago "
        "go, but those of a run whose batches are still there. With index.keep_history_days (or --history-days), "
        "the rows of the runs and dead-letter indices that old are deleted too.")
    p.add_argument("--storage", metavar="ROOT", help="storage root (folder or fsspec URL); default from config")
    p.add_argument("--keep-days", type=float, metavar="N", help="instead of storage.keep_run_batches_days")
    p.add_argument("--archive-days", type=float, metavar="N", help="instead of storage.keep_archive_days (1 or more)")
    p.add_argument("--history-days", type=float, metavar="N", help="instead of index.keep_history_days (1 or more): "
                   "the runs and dead-letter indices' rows that old")
    p.add_argument("--dead-letter-days", type=float, metavar="N", help="instead of storage.keep_dead_letters_days "
                   "(1 or more)")
    p.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_prune)


def cmd_prune(args) -> int:
    from pipeline import stages

    if args.keep_days is not None and args.keep_days < 0:
        raise UsageError(f"--keep-days takes a number of days, 0 or more, not {args.keep_days:g}")
    for name, value in (("--archive-days", args.archive_days), ("--history-days", args.history_days),
                        ("--dead-letter-days", args.dead_letter_days)):
        if value is not None and value < 1:
            raise UsageError(f"{name} takes a number of days, 1 or more, not {value:g}")
    settings = settings_for(args)
    res = stages.prune_storage(settings, keep_days=args.keep_days, archive_days=args.archive_days,
                               history_days=args.history_days, dead_letter_days=args.dead_letter_days,
                               dry_run=args.dry_run)
    if args.json:
        print(json.dumps(res, indent=2, sort_keys=True))
        return 0
    verb = "would remove" if args.dry_run else "removed"
    _print_archive(res["archive"], verb)
    _print_dead_letters(res["dead_letters"], verb)
    _print_history(res["history"], "would delete" if args.dry_run else "deleted")
    if res["keep_days"] is None:
        print("storage.keep_run_batches_days is null: run batches are kept for ever (give --keep-days N)")
        return 0
    print(f"{verb} the batches of {counted(len(res['pruned']), 'complete run')} older than "
          f"{counted(res['keep_days'], 'day')}: {counted(res['files'], 'file')}, {res['bytes'] / 1e6:.1f} MB; "
          f"{counted(res['recent'], 'complete run')} {'is' if res['recent'] == 1 else 'are'} more recent")
    if res["unfinished"]:
        print(f"kept {counted(len(res['unfinished']), 'older run')} that never finished (clear their failed tasks to "
              f"resume them, or delete runs/<run_id>): {', '.join(res['unfinished'])}")
    return 0


def _print_archive(res: dict, verb: str) -> None:
    if res["keep_days"] is None:
        return      # the default: the archive is kept for ever, nothing to say
    print(f"{verb} {counted(len(res['days']), 'day')} of the raw archive older than "
          f"{counted(res['keep_days'], 'day')}: {counted(res['files'], 'file')}, {res['bytes'] / 1e6:.1f} MB")
    if res["in_use"]:
        print(f"kept {counted(len(res['in_use']), 'old archive day')} a run that has not finished reads: "
              f"{', '.join(res['in_use'])}")



def _print_dead_letters(res: dict, verb: str) -> None:
    if res["keep_days"] is None:
        return      # the default: the dead letters are kept for ever
    print(f"{verb} {counted(res['files'], 'dead-letter file')} of {counted(res['runs'], 'run')} older than "
          f"{counted(res['keep_days'], 'day')}: {res['bytes'] / 1e6:.1f} MB"
          + (f"; kept {counted(res['kept'], 'file')} of runs whose batches are still there" if res["kept"] else ""))


def _print_history(res: dict, verb: str) -> None:
    if res["keep_days"] is None:
        return      # the default: the run history is kept for ever
    if res.get("error"):
        print(f"the run history was not pruned ({res['error']}): the next prune tries again")
        return
    print(f"{verb} the rows older than {counted(res['keep_days'], 'day')} of the run history: " + (", ".join(
        f"{n} from {index}" for index, n in sorted(res["deleted"].items())) or "none (no index yet)"))
