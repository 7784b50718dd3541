"""``newsetl entities learn [--min-docs N] [--min-sources N] [--output PATH] [--dry-run] [--force] [--json]`` — the
learned gazetteer: the people and organisations the models found in the indexed news, written as a YAML gazetteer
that processing applies to the languages without a model (``processing.entities.learned_gazetteer``;
``pipeline.learned``). It goes through ``pipeline.stages.learn_gazetteer``, as the news_maintenance DAG does."""
from __future__ import annotations

from pipeline.cli import Failed, UsageError, index_client, print_json
from pipeline.wording import counted


def register(subparsers) -> None:
    from pipeline.learned import DEFAULT_RELATIVE_PATH, MIN_DOCS, MIN_SOURCES

    p = subparsers.add_parser("entities", help="the learned gazetteer: names the models found, for the languages "
                              "without a model")
    sub = p.add_subparsers(dest="entities_command", metavar="ACTION", parser_class=type(p))
    lr = sub.add_parser(
        "learn", help="write the people and organisations the models found in the index as a gazetteer",
        description="Count the people and organisations of the documents a NER model processed (entities_status "
        "ok) in the read alias and write those found often enough, by enough sources, as a gazetteer for the "
        "languages without a model (processing.entities.learned_gazetteer). The file it replaces is kept beside it "
        "(NAME.previous.yaml); when the new names would drop more than processing.entities.learn_max_loss of its "
        "names, it is left as it was and the command exits 1, unless --force.")
    lr.add_argument("--min-docs", type=int, metavar="N", help="documents a name must be in (default "
                    f"processing.entities.learn_min_docs, {MIN_DOCS})")
    lr.add_argument("--min-sources", type=int, metavar="N", help="sources those documents must come from (default "
                    f"processing.entities.learn_min_sources, {MIN_SOURCES})")
    lr.add_argument("--output", metavar="PATH", help="where to write it (default: the path of "
                    f"processing.entities.learned_gazetteer, else {DEFAULT_RELATIVE_PATH} under storage.root)")
    lr.add_argument("--dry-run", action="store_true", help="count and say where it would go, write nothing")
    lr.add_argument("--force", action="store_true", help="replace the file even when the new names drop more than "
                    "processing.entities.learn_max_loss of its names (refused otherwise, exit 1)")
    lr.add_argument("--json", action="store_true", help="print the counts as JSON")
    lr.set_defaults(func=run_learn)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def run_learn(args) -> int:
    from pipeline import stages
    from pipeline.learned import LearnedGazetteerShrinks

    if (args.min_docs is not None and args.min_docs < 1) or (args.min_sources is not None and args.min_sources < 1):
        raise UsageError("--min-docs and --min-sources must be 1 or more")
    with index_client(args) as (settings, client):
        try:
            summary = stages.learn_gazetteer(settings, min_docs=args.min_docs, min_sources=args.min_sources,
                                             output=args.output, dry_run=args.dry_run, force=args.force,
                                             client=client)
        except LearnedGazetteerShrinks as e:
            raise Failed(str(e)) from None
    if args.json:
        return print_json(summary)
    counts = summary["counts"]
    left = ", ".join(f"{k} {v}" for k, v in summary["left_out"].items()) or "none"
    print(f"{counted(counts['person'], 'person', 'people')}, {counted(counts['organization'], 'organisation')} from "
          f"{counted(summary['documents'], 'document')} a model processed (left out: {left})")
    if summary["previous"] is not None:
        kept = f"; the old file kept as {summary['backup']}" if summary["backup"] else ""
        print(f"{summary['added']} added, {summary['dropped']} dropped of the {counted(summary['previous'], 'name')} "
              f"of the file there{kept}")
    if summary.get("refused"):        # a dry run: the real one would fail
        print(f"would refuse to replace it: {summary['refused']}")
    else:
        print(f"{'would write' if args.dry_run else 'written to'} {summary['path']}")
    return 0
