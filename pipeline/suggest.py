"""What a search box offers while a user types: the people, organisations, places, tags, sources or authors whose
name has a word starting with the typed text (``newsetl suggest``, ``GET /suggest``).

``suggest(client, settings, "mul", field="people")`` answers::

    {"field": "people", "q": "mul", "documents": 3120,
     "suggestions": [{"value": "Thomas Müller", "count": 41}, {"value": "Gerd Müller", "count": 12}, ...]}

- **What matches:** a value one of whose words starts with the typed text, whatever the case and the accents:
  "put" and "PUT" find "Vladimir Putin", "muller" and "Mül" find "Thomas Müller", "lo" finds "Élodie Lorrain" and
  "Le Locle". Words start at the value's start or after a space, a hyphen, an apostrophe, a slash or a period
  ("lud" finds "Anna Müller-Lüdenscheid"). Several typed words must follow each other as written ("vladimir p").
- **Counted over** the articles the filters of a search select (words, language, source, country, entities, tag,
  dates, originals only), most articles first, then alphabetically; ``documents`` is how many articles that is.
- **Fields:** those of ``pipeline.trends`` (people, person, organization, location, misc, places, countries, tags,
  categories, source) and authors and domain.

How: a ``terms`` aggregation on the field, its ``include`` a Lucene regular expression built from the typed text, in
which each letter is a class of its cases and of the Latin letters with accents that Unicode decomposes to it.
Elasticsearch tests the expression against each distinct value of the field, so the cost follows the field's
number of distinct values, not the number of articles (benchmarks/bench_suggest.py).

Limits: only Latin letters fold their accents (a Cyrillic, Greek or Han value matches its own script as typed, in
either case); a person's other spellings are not joined here ("Путин" does not find the label "Vladimir Putin":
``people`` holds one label per person, mostly Latin; search by entity joins them).
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Any, Iterable

from elasticsearch import Elasticsearch

from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.search import SearchError, _search_alias, build_query
from pipeline.trends import FIELDS as TREND_FIELDS

FIELDS = {**TREND_FIELDS, "authors": "authors", "domain": "domain"}
MAX_TYPED = 60                  # characters: a search box's suggestion, not a query
_WORD_START = "(.*[ \\-'’/.])?"   # the value's start, or just after one of these
_RESERVED = set('.?+*|{}[]()"\\#@&<>~')


def _field(name: str) -> str:
    if name in FIELDS:
        return FIELDS[name]
    if name in FIELDS.values():
        return name
    raise SearchError(f"cannot suggest from {name!r}: use one of {', '.join(FIELDS)}")


@functools.lru_cache(maxsize=1)
def _accented() -> dict[str, str]:
    """An ASCII letter (lower case) → every Latin letter whose canonical decomposition starts with it, both cases
    ("u" → "uUùúûüÙÚÛÜ…")."""
    out: dict[str, set[str]] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if base.isascii() and base.isalpha() and ch != base:
            out.setdefault(base, set()).update(c for c in (ch, ch.lower(), ch.upper()) if len(c) == 1)
    return {b: "".join(sorted(chars | {b, b.upper()})) for b, chars in out.items()}


def _letter(ch: str) -> str:
    """The regular expression of one typed character: a class of its cases (and accents, for a Latin letter), or
    the character itself, escaped when Lucene reserves it."""
    if ch.isspace():
        return " "
    base = unicodedata.normalize("NFD", ch)[0].lower()
    if base.isascii() and base.isalpha():
        return f"[{_accented().get(base, base + base.upper())}]"
    if ch.isalpha() and ch.lower() != ch.upper():
        return f"[{ch.lower()}{ch.upper()}]"
    return "\\" + ch if ch in _RESERVED else ch


def pattern(typed: str) -> str:
    """The ``include`` expression for ``typed``: a word of the value starts with it (case and accents aside)."""
    return _WORD_START + "".join(_letter(ch) for ch in " ".join(typed.split())) + ".*"


def suggest(client: Elasticsearch, settings: Any, typed: str, *, field: str = "people", size: int = 10,
            query: str | None = "", lang: str | None = None, source: str | None = None,
            country: str | None = None, entities: Iterable[tuple[str, str]] | None = None, tag: str | None = None,
            since: Any = None, until: Any = None, originals: bool = False) -> dict:
    """The values of ``field`` with a word starting with ``typed`` (see the module docstring)."""
    idx = _index_settings(settings)
    f = _field(field)
    typed = " ".join((typed or "").split())
    if not typed:
        raise SearchError("q is empty: type the start of a name")
    if len(typed) > MAX_TYPED:
        raise SearchError(f"q is longer than {MAX_TYPED} characters: suggestions are for the start of a name")
    if not isinstance(size, int) or not 1 <= size <= idx.search.max_size:
        raise SearchError(f"size must be between 1 and {idx.search.max_size} (index.search.max_size)")
    body = {"size": 0, "track_total_hits": True,
            "query": build_query(settings, query, lang=lang, source=source, country=country, entities=entities,
                                 tag=tag, since=since, until=until, originals=originals),
            "aggs": {"s": {"terms": {"field": f, "include": pattern(typed), "size": size,
                                     "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}
    try:
        resp = _search_alias(client, idx.read_alias, body)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    buckets = resp.get("aggregations", {}).get("s", {}).get("buckets", [])
    return {"field": f, "q": typed, "documents": int(resp["hits"]["total"]["value"]),
            "suggestions": [{"value": b["key"], "count": b["doc_count"]} for b in buckets]}
