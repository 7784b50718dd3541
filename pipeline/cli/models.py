"""``newsetl models``: is every configured NER model (or server) there and working? One line per language."""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("models", help="load and try the NER model of every configured language",
                       description="Load each language's recogniser (processing.entities.models) and run it on one "
                       "sentence in that language. Exit 1 when one cannot load or run (its documents would get "
                       "entities_status error), 0 otherwise.")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_models)


def cmd_models(args) -> int:
    from pipeline.entities import check_models
    from pipeline.settings import load_settings

    settings = load_settings(args.config)
    rows = check_models(settings.processing.entities)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in rows:
            detail = r["error"] or (", ".join(r["entities"]) if r["entities"] else "no entity found in the sample")
            print(f"{r['language']:<4} {r['backend']:<8} {r['status']:<6} {r['seconds']:6.2f}s  {r['model']}: {detail}")
    failed = [r["language"] for r in rows if r["status"] == "error"]
    if failed:
        sys.stderr.write(f"newsetl models: no working recogniser for {', '.join(failed)}: their documents get "
                         "entities_status error (see docs/processing.md)\n")
    return 1 if failed else 0
