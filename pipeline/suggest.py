"""What a search box offers while a user types: the people, organisations, places, tags, sources or authors whose
name has a word starting with the typed text (``newsetl suggest``, ``GET /suggest``).

``suggest(client, settings, "mul", field="people")`` answers::

    {"field": "people", "q": "mul", "documents": 3120,
     "suggestions": [{"value": "Thomas Müller", "count": 41}, {"value": "Gerd Müller", "count": 12}, ...]}

- **What matches:** a value one of whose words starts with the typed text, whatever the case and the accents:
  "put" and "PUT" find "Vladimir Putin", "muller" and "Mül" find "Thomas Müller", "lo" finds "Élodie Lorrain" and
  "Le Locle". Words start at the value's start or after a space, a hyphen, an apostrophe, a slash or a period
  ("lud" finds "Anna Müller-Lüdenscheid"). Several typed words must follow each other as written ("vladimir p").
- **Other scripts' variants:** Greek folds its case, the tonos and the dialytika, and the final sigma ("αθη" and
  "ΑΘΗ" find "Αθήνα", "μητσοτακησ" finds "Μητσοτάκης"); a hiragana finds its katakana and back ("ぷーち" finds
  "プーチン"); a Han character its simplified and traditional forms as OpenCC converts it alone ("习近" finds
  "習近平", "台湾" finds "臺灣" and "台灣").
- **Counted over** the articles the filters of a search select (words, language, source, country, entities, tag,
  dates, originals only), most articles first, then alphabetically; ``documents`` is how many articles that is.
- **Fields:** those of ``pipeline.trends`` (people, person, organization, location, misc, places, countries,
  regions, tags, categories, source) and authors and domain.

How: a ``terms`` aggregation on the field, its ``include`` a Lucene regular expression built from the typed text, in
which each letter is a class of its variants: its cases and the Latin or Greek letters with marks that Unicode
decomposes to it, a kana's other kana, a Han character's other forms. Elasticsearch tests the expression against
each distinct value of the field, so the cost follows the field's number of distinct values, not the number of
articles (benchmarks/bench_suggest.py).

- **Across Latin and Cyrillic:** plain Latin typing also finds the Cyrillic spelling as English, German or French
  transliterates it ("put" and "pout" find "Путин", "sholts", "schol" and "chol" find "Шольц": a soft sign may come
  between letters; "zelensk" and "selensk" find "Зеленский": German writes з "s" at a word's start before a vowel,
  not for a lone "s"; "joukov" finds "Жуков", "iouri" "Юрий", "serguei" "Сергей", and "poutine" "Путин": French's
  final "e" may be silent). The end of the typed text may be a digraph cut short, as the user is still typing it
  ("lukas" finds "Лукашенко" and "Лукас", "khrushc" "Хрущёв", "mik" "Михаил", "tsc" "Чайковский"), but a typed
  text of one letter is that letter: "s" finds "Сафин", not "Шольц" ("sh" and "sc" do), as it is not з either, the
  sibilants of three tables flooding a first keystroke. Cyrillic typing finds the Latin spelling as English, German
  and French write it: each Cyrillic letter is the alternatives of its spellings, pipeline.namekeys' tables and its
  German and French rules read backwards ("Пут" finds "Putin" and "Poutine", "Шол" "Scholz", "Зеленс" "Zelensky"
  and "Selenskyj", "Юри" "Iouri", "Пёт" "Pyotr", "Pjotr" and "Piotr"). е and ё find each other, typed or
  transliterated, as Russian mostly writes ё as е ("семе", "СЕМЁ", "semen" and "semyon" find "Семён" and
  "Семен"). The expression is the two alternatives, at most about 255 characters a typed letter (30 typed "щё":
  15,259 characters).

Limits: Latin and Greek letters fold their marks, Cyrillic ones do not but for е and ё ("и" does not find "й"), nor
does polytonic Greek; a typed е does not find Latin "yo" ("Пет" finds "Петр" and "Пётр", not "Pyotr"). Typing with
Latin accents ("mül") is not looked up in Cyrillic: pipeline.namekeys gives no reading of ü, ö or ä (it drops their
marks), and Russian writes them by sound ("Мюллер", "Кёльн", "Гендель"), not by one table. Latin typing is read
one way, the longest digraph first ("tch" is ч or тч, not тш), and French rules apply to every name, where
namekeys keeps some for Russian ones. Names that a language transcribes by sound ("Trump", "Трамп") or by other
rules (Polish, Czech, Spanish) meet only where their letters happen to. A Han character converts alone, not as its
word would (and matches as typed where the ``opencc`` package is missing). Arabic, Hebrew, Korean and the other
scripts match as typed.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from typing import Any, Iterable

from elasticsearch import Elasticsearch

from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.namekeys import _CYRILLIC, _CYRILLIC_RE, _UKRAINIAN
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


def _base(ch: str) -> str:
    """A letter without its marks, in lower case ("É" → "e", "Ά" → "α"); Greek's final sigma is a sigma."""
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return "σ" if base == "ς" else base


def _folds(base: str) -> bool:
    """Whether a letter's accents and marks fold: a Latin letter A to Z or a Greek one α to ω."""
    return base.isalpha() and (base.isascii() or "α" <= base <= "ω")


@functools.lru_cache(maxsize=1)
def _accented() -> dict[str, str]:
    """A base letter (lower case, ASCII or Greek) → every Latin or Greek letter whose canonical decomposition starts
    with it, both cases ("u" → "uUùúûüÙÚÛÜ…", "ι" → "ιΙίΊϊΪΐ", "σ" → "σΣς"). Polytonic Greek is not among them."""
    out: dict[str, set[str]] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00), *range(0x370, 0x400)]:
        ch = chr(cp)
        base = _base(ch)
        if _folds(base) and ch != base:
            out.setdefault(base, set()).update(c for c in (ch, ch.lower(), ch.upper()) if len(c) == 1)
    return {b: "".join(sorted(chars | {b, b.upper()})) for b, chars in out.items()}


_HIRAGANA = "".join(map(chr, [*range(0x3041, 0x3097), 0x309D, 0x309E]))
_KANA_STEP = 0x60                           # a hiragana and its katakana are this far apart in Unicode
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_CHINESE_SCRIPTS = ("s2t", "s2tw", "s2hk", "t2s")   # OpenCC's conversions a typed character goes through


@functools.lru_cache(maxsize=1)
def _opencc() -> list[Any]:
    """OpenCC's converters between simplified and traditional Chinese, loaded on the first Han character typed;
    none when the package is missing (Han characters then match as typed)."""
    try:
        import opencc
    except ImportError:
        return []
    return [opencc.OpenCC(name) for name in _CHINESE_SCRIPTS]


@functools.lru_cache(maxsize=4096)
def _han(ch: str) -> str:
    """A Han character and its simplified and traditional forms ("习" → "习習", "台" → "台臺"), one by one: the
    character as OpenCC converts it alone, out of a word's context."""
    forms = [ch, *(c.convert(ch) for c in _opencc())]
    return "".join(dict.fromkeys(f for f in forms if len(f) == 1))


def _letter(ch: str) -> str:
    """The regular expression of one typed character: a class of its cases (and accents, for a Latin or a Greek
    letter; the katakana of a hiragana and back; the simplified and traditional forms of a Han character), or the
    character itself, escaped when Lucene reserves it."""
    if ch.isspace():
        return " "
    base = _base(ch)
    if _folds(base):
        return f"[{_accented().get(base, base + base.upper())}]"
    if ch in _HIRAGANA:
        return f"[{ch}{chr(ord(ch) + _KANA_STEP)}]"
    if ord(ch) >= _KANA_STEP and chr(ord(ch) - _KANA_STEP) in _HIRAGANA:
        return f"[{chr(ord(ch) - _KANA_STEP)}{ch}]"
    if _HAN_RE.fullmatch(ch):
        forms = _han(ch)
        return forms if len(forms) == 1 else f"[{forms}]"
    if ch.isalpha() and ch.lower() != ch.upper():
        return _cased(ch)
    return "\\" + ch if ch in _RESERVED else ch


# Russian mostly writes ё as е ("Семен" for "Семён"): each finds the other, typed or transliterated
_YO = {"е": "еЕёЁ", "ё": "еЕёЁ"}


def _cased(ch: str) -> str:
    """A class of a letter's two cases ("ш" → "[шШ]"), е and ё in one ("[еЕёЁ]")."""
    return f"[{_YO.get(ch.lower(), ch.lower() + ch.upper())}]"


# Latin letters (lower case) → the Cyrillic letters an English, a German or a French transliteration writes with
# them; a typed Latin word also finds its Cyrillic spelling ("put" → "Путин", "zelensk" and "selensk" →
# "Зеленский", "schol" → "Шольц", "pout" → "Путин"). German: щ schtsch, ч tsch, ш and ж sch, х ch, ц z, я/ю/е/ё
# ja/ju/je/jo, and an initial "s" before a vowel is з too (_cyrillic). French (namekeys' rules read backwards): щ
# chtch, ч tch, ш ch, ж j, у ou, г "gu" before e and i, an initial "i" before a vowel й (_INITIAL), a silent final
# "e". A digraph keeps its letters' own reading where Cyrillic has it ("ts" тс, "tch" тч, "ou" оу)
_TO_CYRILLIC = {
    "shch": "щ", "zh": "ж", "kh": "х", "ts": "ц|тс", "ch": "ч|х|ш", "sh": "ш", "yu": "ю", "ya": "я", "ye": "е|є|йе",
    "yo": "ё|йо", "yi": "ї|ий",
    "schtsch": "щ", "tsch": "ч", "sch": "ш|ж|сч", "ja": "я|жа", "ju": "ю|жу", "je": "е|є|же", "jo": "ё|жо",
    "chtch": "щ", "tch": "ч|тч", "ou": "у|оу", "jou": "жу",
    "a": "а", "b": "б", "v": "в", "w": "в", "g": "г|ґ", "h": "х|г", "d": "д", "e": "е|э|ё|є", "z": "з|ц",
    "i": "и|і|ы|й", "y": "й|ы|и", "j": "й|ј|ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
    "s": "с", "t": "т", "u": "у", "f": "ф", "c": "ц|к|с", "x": "кс", "q": "к",
}
# French writes a word's first й "i" before a vowel ("Iouri", "Ianoukovitch", "Ievgueni", "Iossif")
_INITIAL = {"iou": "ю|иу", "ia": "я|иа|йа", "ie": "е|є|ие", "io": "ё|ио|йо"}
_INSIDE = sorted(_TO_CYRILLIC, key=len, reverse=True)
_AT_START = sorted([*_TO_CYRILLIC, *_INITIAL], key=len, reverse=True)
_LONGEST = len(_AT_START[0])
_CYRILLIC_CONSONANTS = set("бвгґджзклмнпрстфхцчшщ")
_VOWELS = set("aeiouy")


def _keys(t: str, i: int) -> list[str]:
    """The Latin letters and digraphs that may be read at ``t[i]``, the longest first (a word's first "ia", "io"…
    too)."""
    return _AT_START if i == 0 or t[i - 1] == " " else _INSIDE


def _read(key: str) -> list[str]:
    """The Cyrillic spellings of a Latin letter or digraph (a word's first "ia", "io"…: _keys gives them there)."""
    return (_INITIAL.get(key) or _TO_CYRILLIC[key]).split("|")


def _alternatives(cyrs: list[str], soft: bool = True) -> str:
    """One expression for Cyrillic spellings: the one-letter ones in a class, in both cases, the longer ones beside
    it; a soft or hard sign may follow a consonant ("sholts" finds "Шольц")."""
    letters = "".join(dict.fromkeys(_cased(c)[1:-1] for c in cyrs if len(c) == 1))
    alts = [f"[{letters}]"] if letters else []
    alts += ["".join(map(_cased, cyr)) for cyr in cyrs if len(cyr) > 1]
    signs = "[ьъЬЪ]?" if soft and any(cyr[-1] in _CYRILLIC_CONSONANTS for cyr in cyrs) else ""
    return (alts[0] if len(alts) == 1 else "(" + "|".join(alts) + ")") + signs


def _token(t: str, i: int) -> tuple[str, str]:
    """The Latin letter or digraph read at ``t[i]`` (the longest) and its expression in Cyrillic."""
    if t.startswith("gu", i) and t[i + 2:i + 3] in ("e", "i"):
        return "gu", _alternatives(["г", "гу"])         # French "Sergueï", "Evgueni"
    latin = next(k for k in _keys(t, i) if t.startswith(k, i))
    cyrs = _read(latin)
    if latin == "s" and (i == 0 or t[i - 1] == " ") and t[i + 1:i + 2] in _VOWELS:
        cyrs.append("з")        # German "Selenskyj", "Sacharowa"; not for a lone "s", which would flood
    expr = _alternatives(cyrs)
    if latin == "e" and i == len(t) - 1 and i - t.rfind(" ", 0, i) > 3 and t[i - 1] not in _VOWELS:
        expr = f"({expr})?"     # French "Poutine", "Eltsine": a final "e" may be silent
    return latin, expr


def _cut_short(t: str, i: int) -> str | None:
    """The expression of the Cyrillic letters whose Latin spelling starts with ``t[i:]``, the end of the typed text,
    and is longer: the user is still typing it ("s" of "sh", "sch"; "shc" of "shch"; "t" of "ts", "tsch"; French "gu"
    of "gue"); None if there are none."""
    rest = t[i:]
    cyrs = [c for k in _keys(t, i) if k.startswith(rest) and k != rest for c in _read(k)]
    if rest == "gu":
        cyrs.append("г")        # French "gu" before e and i: "Evgu" of "Evgueni"
    return _alternatives(list(dict.fromkeys(cyrs)), soft=False) if cyrs else None


def _cyrillic(typed: str) -> str | None:
    """The expression of a typed Latin word as Cyrillic spells it (each Latin letter or digraph a class of the
    letters it transliterates, in both cases; a soft or hard sign may follow a consonant: "sholts" finds "Шольц";
    the end may be a digraph cut short: "lukas" finds "Лукашенко"), or None when ``typed`` has anything but ASCII
    letters and spaces."""
    t = typed.lower()
    if not t or not all(c == " " or (c.isascii() and c.isalpha()) for c in t):
        return None
    starts, exprs, i = [], [], 0
    while i < len(t):
        latin, expr = (" ", " ") if t[i] == " " else _token(t, i)
        starts.append(i)
        exprs.append(expr)
        i += len(latin)
    # the last letters typed may start a longer digraph: each way to read them is an alternative of the end. Not
    # for a text of one letter, which would flood like a lone "s" read as з ("s" stays с, "sh" finds ш and щ)
    ends = [(j, cut) for j in range(len(starts) - 1, -1, -1) if 1 < len(t) and " " not in t[starts[j]:]
            and len(t) - starts[j] < _LONGEST and (cut := _cut_short(t, starts[j]))]
    if not ends:
        return "".join(exprs)
    m = min(j for j, _ in ends)
    tails = ["".join(exprs[m:])] + ["".join(exprs[m:j]) + cut for j, cut in ends]
    return "".join(exprs[:m]) + "(" + "|".join(tails) + ")"


# namekeys' German and French rules read backwards: the English spelling of a Cyrillic sound (namekeys._CYRILLIC)
# → how German and French write it. German also writes з "s" and ж "sch" (namekeys folds them in a Slavic name,
# _slavic); French writes г "gu" before е and и ("Sergueï", _spellings).
_GERMAN_SPELLING = {"shch": "schtsch", "ch": "tsch", "sh": "sch", "zh": "sch", "kh": "ch", "ts": "z", "v": "w",
                    "y": "j", "z": "s"}
_FRENCH_SPELLING = {"shch": "chtch", "ch": "tch", "sh": "ch", "zh": "j", "u": "ou", "y": "i"}
_VOWEL_Y = set("ыи")        # their "y" is a vowel, not the glide that German writes "j" and French "i"


def _respelt(english: str, rules: dict[str, str]) -> str:
    """An English spelling with a language's spellings put in, the longest first ("shch" → "schtsch")."""
    out, i = [], 0
    while i < len(english):
        part = next((k for k in sorted(rules, key=len, reverse=True) if english.startswith(k, i)), english[i])
        out.append(rules.get(part, part))
        i += len(part)
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _spellings(c: str, before: str, after: str) -> tuple[str, ...]:
    """The Latin spellings of a Cyrillic letter (lower case) between ``before`` and ``after``: English, Russian's
    and Ukrainian's (namekeys' tables: г g and h, и i and y), then German and French ("ш" → "sh", "sch", "ch";
    "у" → "u", "ou"; "ё" → "e", "yo", "jo", "io"); none for a soft or a hard sign."""
    english = list(dict.fromkeys((_CYRILLIC[c], _UKRAINIAN[c])))
    if c in "еє" and not before.isalpha():
        english.append("ye")                # a word's first е: "Yeltsin", "Jelzin" (and "Eltsine")
    out = [*english]
    if c not in _VOWEL_Y:
        out += [_respelt(e, rules) for rules in (_GERMAN_SPELLING, _FRENCH_SPELLING) for e in english]
    if c == "г" and after and after in "еиэєі":
        out.append("gu")
    if c == "ё":        # "Pyotr", "Pjotr", "Piotr"; German "o" after a hushing letter ("Gorbatschow")
        out += ["yo", "jo", "io", *(["o"] if before and before in "жчшщ" else [])]
    return tuple(s for s in dict.fromkeys(out) if s)


def _one_of(spellings: Iterable[str]) -> str:
    """One expression for a letter's Latin spellings, kept short: what they all start or end with once, the
    one-letter rests in one class, the longer ones beside it (those differing in their first letter only in one: "yo",
    "jo", "io" → "[YyJjIi…][Oo…]"), an empty one making it optional ("yu", "ju", "iou" → "([YyJjIi…]|[Ii…][Oo…])[Uu…]";
    "u", "ou" → "([Oo…])?[Uu…]")."""
    spellings = list(spellings)
    if len(spellings) == 1:
        return "".join(map(_letter, spellings[0]))
    head = len(os.path.commonprefix(spellings))
    tail = len(os.path.commonprefix([s[head:][::-1] for s in spellings]))
    rests = list(dict.fromkeys(s[head:len(s) - tail] for s in spellings))
    singles = "".join(_letter(r)[1:-1] for r in rests if len(r) == 1)
    firsts: dict[str, str] = {}         # the longer rests that differ in their first letter only share the rest
    for r in rests:
        if len(r) > 1:
            firsts[r[1:]] = firsts.get(r[1:], "") + _letter(r[0])[1:-1]
    alts = ([f"[{singles}]"] if singles else []) + [f"[{f}]" + "".join(map(_letter, r)) for r, f in firsts.items()]
    middle = alts[0] if len(alts) == 1 else "(" + "|".join(alts) + ")"
    if "" in rests:
        middle = f"({middle})?" if len(alts) == 1 else middle + "?"
    first = spellings[0]
    return "".join(map(_letter, first[:head])) + middle + "".join(map(_letter, first[len(first) - tail:]))


def _latin(typed: str) -> str | None:
    """The expression of a typed word in Cyrillic as English, German and French transliterate it ("Пут" finds
    "Putin" and "Poutine", "Шол" "Scholz"), or None when it has no Cyrillic."""
    if not _CYRILLIC_RE.search(typed):
        return None
    t = typed.lower()
    out = []
    for i, c in enumerate(t):
        if c not in _CYRILLIC:
            out.append(_letter(c))
        elif spellings := _spellings(c, t[i - 1:i] if i else "", t[i + 1:i + 2]):
            # й after и or ы may be left out: "Юрий" is "Iouri", "Juri" and "Yuriy", "Чайковский" "Tschaikowski"
            optional = c == "й" and i and t[i - 1] in "иы"
            out.append(f"({_one_of(spellings)})?" if optional else _one_of(spellings))
    return "".join(out)


def pattern(typed: str) -> str:
    """The ``include`` expression for ``typed``: a word of the value starts with it (case and accents aside), or
    with its spelling in the other script (Latin typed finds Cyrillic, Cyrillic typed finds Latin)."""
    typed = " ".join(typed.split())
    as_typed = "".join(_letter(ch) for ch in typed)
    other = _cyrillic(typed)
    if other is None:
        other = _latin(typed)
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
