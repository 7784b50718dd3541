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

- **Across Latin and Cyrillic:** plain Latin typing also finds the Cyrillic spelling as English transliterates it
  ("put" finds "Путин", "sholts" finds "Шольц": a soft sign may come between letters), and Cyrillic typing the
  Latin one ("Пут" finds "Vladimir Putin"): the expression is the two alternatives.

Limits: only Latin letters fold their accents; only the English transliteration joins the two scripts ("Scholz" is
not found from "Шольц"); Greek, Han and other scripts match as typed, in either case.
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Any, Iterable

from elasticsearch import Elasticsearch

from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.namekeys import _CYRILLIC, _CYRILLIC_RE
from pipeline.search import SearchError, _search_alias, build_query
from pipeline.stories import kept_originals
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


# Latin letters (lower case, longest first) → the Cyrillic letters an English transliteration writes with them; a
# typed Latin word also finds its Cyrillic spelling ("put" → "Путин", "zelensk" → "Зеленский")
_TO_CYRILLIC = {
    "shch": "щ", "zh": "ж", "kh": "х", "ts": "ц|тс", "ch": "ч", "sh": "ш", "yu": "ю", "ya": "я", "ye": "е|є|йе",
    "yo": "ё|йо", "yi": "ї|ий",
    "a": "а", "b": "б", "v": "в", "w": "в", "g": "г|ґ", "h": "х|г", "d": "д", "e": "е|э|ё|є", "z": "з", "i": "и|і|ы",
    "y": "й|ы|и", "j": "й|ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
    "t": "т", "u": "у", "f": "ф", "c": "ц|к|с", "x": "кс", "q": "к",
}
_CYRILLIC_CONSONANTS = set("бвгґджзклмнпрстфхцчшщ")


def _cyrillic(typed: str) -> str | None:
    """The expression of a typed Latin word as Cyrillic spells it (each Latin letter or digraph a class of the
    letters it transliterates, in both cases; a soft or hard sign may follow a consonant: "sholts" finds "Шольц"),
    or None when ``typed`` has anything but ASCII letters and spaces."""
    t = typed.lower()
    if not t or not all(c == " " or (c.isascii() and c.isalpha()) for c in t):
        return None
    out, i = [], 0
    while i < len(t):
        if t[i] == " ":
            out.append(" ")
            i += 1
            continue
        latin = next(k for k in sorted(_TO_CYRILLIC, key=len, reverse=True) if t.startswith(k, i))
        cyrs = _TO_CYRILLIC[latin].split("|")
        letters = "".join(c + c.upper() for c in cyrs if len(c) == 1)
        alts = [f"[{letters}]"] if letters else []
        alts += ["".join(f"[{c}{c.upper()}]" for c in cyr) for cyr in cyrs if len(cyr) > 1]
        soft = "[ьъЬЪ]?" if any(cyr[-1] in _CYRILLIC_CONSONANTS for cyr in cyrs) else ""
        out.append((alts[0] if len(alts) == 1 else "(" + "|".join(alts) + ")") + soft)
        i += len(latin)
    return "".join(out)


def _latin(typed: str) -> str | None:
    """A typed word in Cyrillic as English transliterates it ("Пут" → "put"), or None when it has no Cyrillic."""
    if not _CYRILLIC_RE.search(typed):
        return None
    return "".join(_CYRILLIC.get(c, c) for c in typed.lower())


def pattern(typed: str) -> str:
    """The ``include`` expression for ``typed``: a word of the value starts with it (case and accents aside), or
    with its spelling in the other script (Latin typed finds Cyrillic, Cyrillic typed finds Latin)."""
    typed = " ".join(typed.split())
    as_typed = "".join(_letter(ch) for ch in typed)
    other = _cyrillic(typed)
    if other is None and (latin := _latin(typed)) is not None:
        other = "".join(_letter(ch) for ch in latin)
    if other is None or other == as_typed:
        return _WORD_START + as_typed + ".*"
    return _WORD_START + f"({as_typed}|{other})" + ".*"


def suggest(client: Elasticsearch, settings: Any, typed: str, *, field: str = "people", size: int = 10,
            query: str | None = "", lang: str | None = None, source: str | None = None,
            country: str | None = None, entities: Iterable[tuple[str, str]] | None = None, tag: str | None = None,
            since: Any = None, until: Any = None, originals: bool = False, access: str | None = None,
            near: str | None = None, filters: list[dict] | None = None) -> dict:
    """The values of ``field`` with a word starting with ``typed`` (see the module docstring). ``filters``: more
    filter clauses on the articles counted (an API key's scope)."""
    idx = _index_settings(settings)
    f = _field(field)
    typed = " ".join((typed or "").split())
    if not typed:
        raise SearchError("q is empty: type the start of a name")
    if len(typed) > MAX_TYPED:
        raise SearchError(f"q is longer than {MAX_TYPED} characters: suggestions are for the start of a name")
    if not isinstance(size, int) or not 1 <= size <= idx.search.max_size:
        raise SearchError(f"size must be between 1 and {idx.search.max_size} (index.search.max_size)")
    try:
        keep = kept_originals(client, idx.read_alias, filters, originals)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    body = {"size": 0, "track_total_hits": True,
            "query": build_query(settings, query, lang=lang, source=source, country=country, entities=entities,
                                 tag=tag, since=since, until=until, originals=originals, access=access,
                                 near=near, filters=filters, keep=keep),
            "aggs": {"s": {"terms": {"field": f, "include": pattern(typed), "size": size,
                                     "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}
    try:
        resp = _search_alias(client, idx.read_alias, body)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    buckets = resp.get("aggregations", {}).get("s", {}).get("buckets", [])
    return {"field": f, "q": typed, "documents": int(resp["hits"]["total"]["value"]),
            "suggestions": [{"value": b["key"], "count": b["doc_count"]} for b in buckets]}
