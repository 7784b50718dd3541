"""``newsetl tags sitewide [--min-docs N] [--min-share S] [--site DOMAIN] [--yaml] [--json]`` — the tags a site
puts on (nearly) every article, and the site rules that drop them (``pipeline.sitetags``)."""
from __future__ import annotations

from pipeline.cli import index_client, print_json
from pipeline.wording import counted


def register(subparsers) -> None:
    from pipeline.sitetags import MIN_DOCS, MIN_SHARE

    p = subparsers.add_parser("tags", help="the tags of the indexed articles: those a site puts on every page")
    sub = p.add_subparsers(dest="tags_command", metavar="ACTION", parser_class=type(p))
    sw = sub.add_parser(
        "sitewide", help="the tags a site puts on (nearly) every article, and the site rules that drop them",
        description="Per site (domain) with --min-docs tagged articles or more in the read alias, the tags on at "
        "least --min-share of them: its sections or its own name written into every page's keywords. Put the "
        "printed rules (--yaml) in the config under processing.extraction.site_rules, then `newsetl reprocess "
        "--site DOMAIN --in-place` to drop them from what is indexed. Nothing is changed by this command.")
    sw.add_argument("--min-docs", type=int, default=MIN_DOCS, metavar="N",
                    help=f"tagged articles a site needs (default {MIN_DOCS})")
    sw.add_argument("--min-share", type=float, default=MIN_SHARE, metavar="S",
                    help=f"share of them a tag must be on, above 0 and at most 1 (default {MIN_SHARE})")
    sw.add_argument("--site", metavar="DOMAIN", help="only this site (its domain, as the domain facet shows it)")
    out = sw.add_mutually_exclusive_group()
    out.add_argument("--yaml", action="store_true", help="print only the site rules, as YAML for the config")
    out.add_argument("--json", action="store_true", help="print the answer as JSON")
    sw.set_defaults(func=run_sitewide)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def run_sitewide(args) -> int:
    from pipeline.sitetags import rules_yaml, sitewide_tags

    with index_client(args) as (settings, client):
        res = sitewide_tags(client, settings, min_docs=args.min_docs, min_share=args.min_share, site=args.site)
    if args.json:
        return print_json(res)
    if args.yaml:
        if res["sites"]:
            print(rules_yaml(res, settings), end="")
        return 0
    print(f"{counted(res['documents'], 'tagged article')} read; the tags on {res['min_share']:.0%} or more of a "
          f"site's tagged articles, for the sites with {res['min_docs']} or more:")
    if not res["sites"]:
        print("  none")
        return 0
    for s in res["sites"]:
        had = " (has a site rule: --yaml adds these to it)" if s["rule"] else ""
        print(f"  {s['domain']}, {counted(s['documents'], 'tagged article')}{had}:")
        for t in s["tags"]:
            print(f"    {t['tag']}: {t['documents']} ({t['share']:.0%})")
    print("Drop them: put the rules of `newsetl tags sitewide --yaml` under processing.extraction.site_rules, then "
          "`newsetl reprocess --site DOMAIN --in-place`.")
    return 0
