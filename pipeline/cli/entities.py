"""``newsetl entities learn [--min-docs N] [--min-sources N] [--output PATH] [--dry-run] [--json]`` — the learned
gazetteer: the people and organisations the models found in the indexed news, written as a YAML gazetteer that
processing applies to the languages without a model (``processing.entities.learned_gazetteer``;
``pipeline.learned``)."""
from __future__ import annotations

from pipeline.cli import UsageError, index_client, print_json


def register(subparsers) -> None:
    from pipeline.learned import DEFAULT_RELATIVE_PATH, MIN_DOCS, MIN_SOURCES

    p = subparsers.add_parser("entities", help="the learned gazetteer: names the models found, for the languages "
                              "without a model")
    sub = p.add_subparsers(dest="entities_command", metavar="ACTION", parser_class=type(p))
    lr = sub.add_parser(
        "learn", help="write the people and organisations the models found in the index as a gazetteer",
        description="Count the people and organisations of the documents a NER model processed (entities_status "
        "ok) in the read alias and write those found often enough, by enough sources, as a gazetteer for the "
        "languages without a model (processing.entities.learned_gazetteer).")
    lr.add_argument("--min-docs", type=int, default=MIN_DOCS, metavar="N",
                    help=f"documents a name must be in (default {MIN_DOCS})")
    lr.add_argument("--min-sources", type=int, default=MIN_SOURCES, metavar="N",
                    help=f"sources those documents must come from (default {MIN_SOURCES})")
    lr.add_argument("--output", metavar="PATH", help="where to write it (default: the path of "
                    f"processing.entities.learned_gazetteer, else {DEFAULT_RELATIVE_PATH} under storage.root)")
    lr.add_argument("--dry-run", action="store_true", help="count and say where it would go, write nothing")
    lr.add_argument("--json", action="store_true", help="print the counts as JSON")
    lr.set_defaults(func=run_learn)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def run_learn(args) -> int:
    from pipeline.learned import learn, output_location, write

    if args.min_docs < 1 or args.min_sources < 1:
        raise UsageError("--min-docs and --min-sources must be 1 or more")
    with index_client(args) as (settings, client):
        doc, dropped = learn(client, settings, min_docs=args.min_docs, min_sources=args.min_sources)
    storage, rel = output_location(settings, args.output)
    where = (storage.local_path(rel) or storage.url(rel))
    if not args.dry_run:
        where = write(doc, storage, rel)
    summary = {"documents": doc["documents"], "counts": doc["counts"], "left_out": dict(sorted(dropped.items())),
               "path": where, "written": not args.dry_run, "learned_at": doc["learned_at"]}
    if args.json:
        return print_json(summary)
    left = ", ".join(f"{k} {v}" for k, v in summary["left_out"].items()) or "none"
    print(f"{doc['counts']['person']} people, {doc['counts']['organization']} organisations from "
          f"{doc['documents']} documents a model processed (left out: {left})")
    print(f"{'would write' if args.dry_run else 'written to'} {where}")
    return 0
