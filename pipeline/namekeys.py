"""Name keys: one spelling for the ways languages and scripts write a name, so that search can join them.

``name_key("Владимир Путин", "ru")``, ``name_key("Vladimir Poutine", "fr")`` and ``name_key("Wladimir Putin",
"de")`` are all ``"vladimir putin"``; ``"Selenskyj"`` (de), ``"Zelensky"`` (en), ``"Зеленский"`` (ru) and
``"Зеленський"`` (uk) are all ``"zelensky"``. A key is lower-case ASCII words, spelt the way English writes
Russian names (BGN/PCGN-like: х kh, ж zh, ц ts, ч ch, ш sh, щ shch).

How a name is spelt depends on the language of the text that names it, so the loader keys every entity with its
document's language (``entity_keys``) and a search keys the name it is given under each rule set of
``QUERY_LANGUAGES`` (the analyst's spelling may be English, German or French). Each language's rules undo its own
spelling of foreign sounds (German "sch", "w", "j", "z"; French "ou", "ch", "j", a silent final "e"), then every
key goes through the same clean-up (final "-iy"/"-ij"/"-yy"/"-i" → "-y", doubled letters, "c" before a hard
vowel → "k", "x" → "ks"). Names that languages transcribe by sound ("Trump", "Трамп") do not meet; nor do scripts
other than Latin and Cyrillic.

A key is looser than a name: it is a search aid beside the exact names, never shown in a facet.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from pipeline.unionfind import components

# Cyrillic letters as English writes them in Russian names; Ukrainian differs in two letters (г h, и y).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j",
    "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}
_UKRAINIAN = {**_CYRILLIC, "г": "h", "и": "y"}
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_WORD_RE = re.compile(r"[^\W_]+")

# the spellings of an analyst's query that are tried: English (no rules), German, French
QUERY_LANGUAGES = ("en", "de", "fr")


def _german(w: str) -> str:
    w = w.replace("tsch", "\x01").replace("sch", "\x02").replace("ch", "kh")
    w = w.replace("\x01", "ch").replace("\x02", "sh").replace("w", "v").replace("j", "y").replace("z", "ts")
    return re.sub(r"^s(?=[aeiouy])", "z", w)


def _french(w: str) -> str:
    w = w.replace("ou", "u").replace("ch", "sh").replace("j", "zh")
    return re.sub(r"(?<=[^aeiouy])e$", "", w) if len(w) > 3 else w


_LANGUAGE_RULES = {"de": _german, "fr": _french}


def _common(w: str) -> str:
    w = w.replace("x", "ks").replace("ck", "k")
    w = re.sub(r"c(?![ehiy])", "k", w)
    w = re.sub(r"(.)\1+", r"\1", w)                   # doubled letters: "Zelenskyy", "Lukaschenko"
    w = re.sub(r"^ye", "e", w)                         # "Yeltsin", "Jelzin", "Ельцин"
    if len(w) > 3:
        w = re.sub(r"(?:iy|ij|yi|yj|ii|i)$", "y", w)   # "Zelenskiy", "Selenskyj", "Dmitri", "Zelenskyi"
    return re.sub(r"(?<=[aeiou])y", "i", w)            # "Shoygu" / "Choïgou", "Andrey" / "Andrei"


# Latin letters that Unicode does not decompose into a letter and a mark
_LATIN_EXTRA = str.maketrans({"ß": "ss", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
                              "ı": "i"})


def _ascii(word: str) -> str:
    word = word.translate(_LATIN_EXTRA)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and c.isalnum())


@functools.lru_cache(maxsize=65536)
def name_key(name: str, language: str = "en") -> str:
    """The key of ``name`` as a text in ``language`` writes it ("" when no word of it has a letter A to Z, a digit
    or a Cyrillic letter: other scripts are not keyed)."""
    out = []
    for word in _WORD_RE.findall(name):
        # "BBC", "WHO", "ФСБ", "G7", "40": spelt letter by letter, without the rules
        acronym = (len(word) <= 5 and word.isupper()) or any(c.isdigit() for c in word)
        word = word.lower()
        if _CYRILLIC_RE.search(word):
            table = _UKRAINIAN if language == "uk" else _CYRILLIC
            w = _ascii("".join(table.get(c, c) for c in word))
        else:
            w = _ascii(word)          # "" for a word of another script: no key
            if w and not acronym:
                w = _LANGUAGE_RULES.get(language, str)(w)
        if w:
            out.append(w if acronym else _common(w))
    return " ".join(out)


def query_keys(name: str) -> list[str]:
    """The keys a search for ``name`` looks for: its key under each of ``QUERY_LANGUAGES`` (one key for a name in
    Cyrillic, under the Russian and the Ukrainian table), distinct, in that order."""
    languages = ("ru", "uk") if _CYRILLIC_RE.search(name) else QUERY_LANGUAGES
    return [k for k in dict.fromkeys(name_key(name, lang) for lang in languages) if k]


def entity_keys(entities: dict[str, list[str]] | None, language: str | None) -> dict[str, list[str]]:
    """``{type: [key, …]}`` of a document's entity names, keyed in the document's language; each key once."""
    out: dict[str, list[str]] = {}
    for etype, names in (entities or {}).items():
        keys = [k for k in dict.fromkeys(name_key(n, language or "") for n in names or ()) if k]
        if keys:
            out[etype] = keys
    return out


def group_spellings(buckets: list[dict]) -> list[dict]:
    """Facet buckets of entity names (``{"key": name, "count": documents}``, most counted first) joined where they
    are one name's spellings (their ``query_keys`` meet: "Vladimir Putin", "Владимир Путин", "Wladimir Putin"):
    ``[{"key": the most counted spelling, "count": the counts summed, "spellings": [the buckets]}, …]``, most
    counted first. A document that writes two spellings counts twice."""
    first: dict[str, int] = {}
    pairs = []
    for i, bucket in enumerate(buckets):
        for key in query_keys(str(bucket["key"])):
            pairs.append((i, first.setdefault(key, i)))
    root = components(pairs, range(len(buckets)))
    groups: dict[int, list[dict]] = {}
    for i, bucket in enumerate(buckets):
        groups.setdefault(root[i], []).append(bucket)
    out = [{"key": max(g, key=lambda b: b["count"])["key"], "count": sum(b["count"] for b in g), "spellings": g}
           for g in groups.values()]
    return sorted(out, key=lambda g: -g["count"])


def spellings_of(label: str, buckets: list[dict]) -> list[dict]:
    """The facet buckets of entity names that are spellings of ``label`` (their ``query_keys`` meet its own), in
    their order."""
    keys = set(query_keys(label))
    return [b for b in buckets if keys & set(query_keys(str(b["key"])))]
