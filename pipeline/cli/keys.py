"""``newsetl keys``: the API keys stored in the cluster (``pipeline.apikeys``): add, list, revoke, while
``newsetl serve`` runs."""
from __future__ import annotations

import contextlib
import json
import sys

from pipeline.cli import UsageError, index_errors, settings_for


def register(sub) -> None:
    p = sub.add_parser("keys", help="the API's keys stored in the cluster: made, listed and revoked without a "
                       "restart of newsetl serve")
    ksub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    ad = ksub.add_parser("add", help="make a key; it is printed once, on standard output (the index keeps its "
                         "digest only)")
    ad.add_argument("--name", required=True, help="who uses it (a service, a person): letters, digits, . _ -")
    ad.add_argument("--admin", action="store_true", help="a key that may also manage the stored watches and keys "
                    "(default: it reads)")
    ad.add_argument("--expires", metavar="SPAN|DATE", help="12h, 90d, 8w from now, or an ISO date or time "
                    "(default: until revoked)")
    ad.add_argument("--note", help="what it is for, who has it")
    ad.add_argument("--replace", action="store_true", help="a new key in place of the one of that name (the old "
                    "stops working, at once or after --grace)")
    ad.add_argument("--grace", metavar="SPAN", help="with --replace: the old key keeps working this long (12h, 7d) "
                    "beside the new one, so its service moves without downtime")
    for field, what in (("lang", "languages, ISO 639 codes: en,de"),
                        ("source", "source names or domains, as search --source: reuters.com,apnews.com"),
                        ("country", "countries or regions, ISO codes or names, as search --country: UA,PL,US-CA")):
        ad.add_argument(f"--scope-{field}", metavar="A,B", help=f"a key that reads sees only these {what} "
                        "(the scope options together: all must match), whatever it asks")
    ad.add_argument("--no-scope", action="store_true", help="with --replace: the new key sees everything (without "
                    "it and without --scope-*, a replacement keeps the old key's scope)")
    ad.add_argument("--json", action="store_true", help="the key and its record as JSON")
    ad.set_defaults(func=run_add)
    ls = ksub.add_parser("list", help="the stored keys (never the keys themselves): role, first characters, "
                         "created, expires, last used, scope")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    rv = ksub.add_parser("revoke", help="remove a stored key: servers stop taking it within "
                         "index.search.api_keys_refresh_seconds")
    rv.add_argument("--name", required=True)
    rv.set_defaults(func=run_revoke)


@contextlib.contextmanager
def _client(args):
    from pipeline import stages
    from pipeline.apikeys import KeyStoreError

    settings = settings_for(args)
    with index_errors(), stages._client(settings) as c:
        try:
            yield settings, c
        except KeyStoreError as e:
            raise UsageError(str(e)) from None


def _environment_names() -> list[str]:
    from pipeline.api import ApiKeysError, read_keys_of

    try:
        return list(read_keys_of())
    except ApiKeysError as e:
        raise UsageError(str(e)) from None


def _scope_of(args) -> dict | None:
    """The scope the --scope-* options give (``{}`` for --no-scope; None for neither), checked
    (``pipeline.apikeys.check_scope``); UsageError naming the option."""
    from pipeline.apikeys import SCOPE_FIELDS, KeyStoreError, check_scope

    given = {f: getattr(args, f"scope_{f}") for f in SCOPE_FIELDS if getattr(args, f"scope_{f}") is not None}
    if args.no_scope and given:
        raise UsageError("--no-scope with --scope-*: give one or the other")
    if args.no_scope:
        return {}
    if not given:
        return None
    try:
        return check_scope({f: [v for v in (x.strip() for x in value.split(",")) if v] or [value]
                            for f, value in given.items()})
    except KeyStoreError as e:
        raise UsageError(f"--scope-{str(e).removeprefix('scope.')}") from None


def run_add(args) -> int:
    from pipeline.apikeys import KeyStoreError, add_key, describe_scope, parse_expiry, parse_span

    try:
        expires = parse_expiry(args.expires)
    except KeyStoreError as e:
        raise UsageError(f"--expires: {e}") from None
    try:
        grace = parse_span(args.grace, "--grace")
    except KeyStoreError as e:
        raise UsageError(str(e)) from None
    if grace and not args.replace:
        raise UsageError("--grace is for a key made in place of another: add --replace")
    scope = _scope_of(args)
    if scope and args.admin:
        raise UsageError("--scope-* with --admin: an admin key reads everything; a scope is for a key that reads")
    if args.no_scope and not args.replace:
        raise UsageError("--no-scope is for a key made in place of another (--replace): a new key has no scope "
                         "unless --scope-* gives one")
    with _client(args) as (settings, c):
        key, doc = add_key(c, settings, args.name, role="admin" if args.admin else "read", expires=expires,
                           note=args.note, by="cli", replace=args.replace, grace=grace,
                           reserved=_environment_names(), scope=scope)
    if args.json:
        print(json.dumps({"key": key, **doc}, indent=2, ensure_ascii=False))
    else:
        print(key)
    until = f"until {doc['expires_at']}" if doc["expires_at"] else "until revoked"
    if grace:
        until += f"; the key it replaces works {args.grace} more"
    sees = f" only {describe_scope(doc['scope'])}" if doc.get("scope") else ""
    sys.stderr.write(f"{args.name}: a key that {'reads and manages watches and keys' if args.admin else 'reads'}"
                     f"{sees}, {until}; it is shown this once (give it to its user now)\n")
    if not args.admin and not settings.index.search.api_require_key and not _environment_names():
        sys.stderr.write("note: reading needs no key on this configuration (no NEWSETL_API_KEY[S], "
                         "index.search.api_require_key false): the key is accepted, not required\n")
        if doc.get("scope"):
            sys.stderr.write("note: so its scope holds nobody back: a caller without a key reads everything\n")
    return 0


def run_list(args) -> int:
    from pipeline.apikeys import describe_scope, list_keys

    with _client(args) as (settings, c):
        keys = list_keys(c, settings)
    if args.json:
        print(json.dumps(keys, indent=2, ensure_ascii=False))
        return 0
    if not keys:
        print(f"no stored keys in {settings.index.api_keys_index_name} (`newsetl keys add --name N` makes one)")
        return 0
    for k in keys:
        state = "EXPIRED" if k["expired"] else f"until {k['expires_at']}" if k["expires_at"] else "until revoked"
        if k["retiring"]:
            state = f"replaced, {state.lower() if k['expired'] else 'works ' + state}"
        used = f"last used {k['last_used_at']}" if k["last_used_at"] else "never used"
        note = f"  ({k['note']})" if k["note"] else ""
        scope = f"\tscope {describe_scope(k['scope'])}" if k.get("scope") else ""
        print(f"{k['name']}\t{k['role']}\t{k['hint']}…\tmade {k['created_at']} by {k['created_by']}\t{state}\t"
              f"{used}{scope}{note}")
    return 0


def run_revoke(args) -> int:
    from pipeline.apikeys import revoke_key

    with _client(args) as (settings, c):
        doc = revoke_key(c, settings, args.name)
    print(f"{args.name}: revoked (the {doc['role']} key {doc['hint']}…); a server stops taking it within "
          f"{settings.index.search.api_keys_refresh_seconds:g} s")
    return 0
