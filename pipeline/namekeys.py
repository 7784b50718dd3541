"""Name keys: one spelling for the ways languages and scripts write a name, so that search can join them.

``name_key("Владимир Путин", "ru")``, ``name_key("Vladimir Poutine", "fr")``, ``name_key("Wladimir Putin", "de")``
and ``name_key("Władimir Putin", "pl")`` are all ``"vladimir putin"``; ``"Serguéi Lavrov"`` (es), ``"Siergiej
Ławrow"`` (pl), ``"Sergej Lawrow"`` (de) and ``"Сергей Лавров"`` (ru) are all ``"sergei lavrov"``. A key is
lower-case ASCII words, spelt the way English writes Russian names (BGN/PCGN-like: х kh, ж zh, ц ts, ч ch, ш sh,
щ shch).

How a name is spelt depends on the language of the text that names it, so the loader keys every entity with its
document's language (``entity_keys``) and a search keys the name it is given under each rule set of
``QUERY_LANGUAGES``. Each language's rules undo its own spelling of foreign sounds: German ("sch", "tsch", "w",
"j", "z"), French and Portuguese ("ch", "j", "gu" before e/i, "tch", an initial "i" before a vowel; French "ou"
and a silent final "e"), Spanish ("j" х, "gu"), Italian ("j", "gh"), Polish ("sz", "cz", "ż", "ch", "w", "j", "ie"
after a consonant), Czech and Slovak ("č", "š", "ž", "ch", "j", the "-ová" added to "-ova"), Dutch and the
Scandinavian languages ("sj", "zj", "tsj"/"tj", "ch", "j", Dutch "oe"). Other languages get none. Then every key
goes through the same clean-up (final "-iy"/"-ij"/"-yy"/"-i" → "-y", "-iya" → "-ia", doubled letters, "c" before
a hard vowel → "k", "x" → "ks").

Three sounds are written alike by some languages: German writes both з and с as an initial "S" ("Selenskyj",
"Sergej") and both ж and ш as "sch" ("Prigoschin", "Schoigu"); Spanish writes the Ukrainian и and the Russian ы as
"i" ("Volodímir", "Kadírov"). A word with a Slavic surname's ending (-sky, -ov, -ev, -ova, -ny, -enko, -ich,
-myr…) therefore has those folded: an initial "z" before a vowel → "s", a "y" between consonants → "i", and "zh" →
"sh" (this one in -in and -ina words too): "Zelensky" is ``selensky``, "Prigozhin" ``prigoshin``. Other words keep
them apart, so "Zara" and "Sara" do not meet, nor "Byrd" and "Bird". Chinese names in pinyin ("Xi Jinping", "Wang
Yi") are spelt alike by every language, so no language's rules touch a name that reads as one.

Limits: names that languages transcribe by sound ("Trump", "Трамп"), a language's own form of a first name
("Volodymyr" and "Vladimir", "Borys" and "Boris", "Alexander" and "Aleksandr"), Ukrainian г and и read in a
Russian name ("Пригожин" in a Ukrainian text is ``pryhoshyn``), ё written "o" ("Gorbatschow",
"Gorbachev"), German "s" for з inside a word ("Ramsan"), and scripts other than Latin and Cyrillic. A language's
rules apply to every name of its texts, so a German, Spanish or Polish name in its own language's text may be keyed
differently from the same spelling in an English one ("Olaf Scholz": ``olaf sholts`` in German, ``olaf scholz`` in
English); the people labels join those spelt alike (pipeline.people). And a reading may join two names: Spanish
"Jan" is ``khan``, Dutch "Joe" ``yu`` (so a query of one word is not read as Spanish or Dutch: ``query_keys``), and the
Slavic folds make "Sakharov" and "Zakharov" one.

A key is looser than a name: it is a search aid beside the exact names, never shown in a facet.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable

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
# Ukrainian writes the Russian е after a consonant as є ("Пєсков", "Медведєв"): Russian "e", not "ye"
_UK_SOFT_E = re.compile(r"(?<=[бвгґджзклмнпрстфхцчшщ])є")
_WORD_RE = re.compile(r"[^\W_]+")

# the spellings of an analyst's query, and of a facet's names (group_spellings), that are tried: English (no rules)
# and the languages whose rules leave English names alone but for "j" and "ch". Not Spanish nor Dutch: they would
# read "Jan" as "Khan" and "Joe" as "Yu" (Slovak, Danish and Norwegian share the Czech and Swedish rules).
QUERY_LANGUAGES = ("en", "de", "fr", "it", "pt", "pl", "cs", "sv")


def _speller(*rules: tuple[str, str]) -> Callable[[str], str]:
    """A language's rules: (regular expression, English spelling) pairs tried in one pass over a word, the first
    that matches at a place winning; what a rule writes is not read again ("tsch" → "ch" is not then "kh")."""
    regex = re.compile("|".join(f"({pattern})" for pattern, _ in rules))
    spelt = [english for _, english in rules]
    return lambda w: regex.sub(lambda m: spelt[m.lastindex - 1], w)


# German: ч tsch, ш and ж sch, х ch, в w, й/я/ю/е j, ц z. An initial "s" stays: German writes с ("Sergej") and з
# ("Selenskyj") alike, and _slavic folds "z" where it must.
_german = _speller(("tsch", "ch"), ("sch", "sh"), ("ch", "kh"), ("w", "v"), ("j", "y"), ("z", "ts"))
# French and Portuguese: ш ch, ж j, "gu" a hard g before e/i ("Sergueï", "Evgueni"), an initial "i" before a vowel
# й ("Iouri", "Ievgueni"; not "Ian"), ч tch in a Russian name ("Ianoukovitch", "Gorbatchev"; "Mitchell" is not
# "Michel"), and a final "-ich"/"-ych" is ч as English writes it ("Abramovich", "Yanukovych"); French also у ou and a
# silent final "e" ("Poutine", "Eltsine")
_ROMANCE = ((r"tch(?=\w*(?:[oe]v|sk[iy]|ine|enko)$)|tch$", "ch"), (r"(?<=[iy])ch$", "ch"), ("ch", "sh"),
            ("j", "zh"), (r"gu(?=[ei])", "g"), (r"^i(?=[aeou]\w{3})", "y"))
_french = _speller(*_ROMANCE, ("ou", "u"), (r"(?<=\w\w[^aeiouy])e$", ""))
_portuguese = _speller(*_ROMANCE)
# Spanish: х j ("Zajárova", "Jodorkovski", "Jamenei"), "gu" ("Serguéi"); Italian: й j ("Aleksej"), "gh" ("Serghei")
_spanish = _speller(("j", "kh"), (r"gu(?=[ei])", "g"))
_italian = _speller(("j", "y"), (r"gh(?=[ei])", "g"))
# Polish: щ szcz, ш sz, ч cz, ж ż, х ch, в w, й j; и after ż/sz/cz/c y ("Prigożyn", "Jelcyn"); е after a consonant
# ie, in a Russian name, one ending in й or a Slavic ending ("Siergiej", "Pieskow", "Miedwiediew"; "Pieter" and
# "Olivier" keep theirs). A "c" else stays: "Macron". "ł" is "l" already (_LATIN_EXTRA).
_POLISH_E = r"(?<=[^aeiouy])(?=\w*(?:j|[oe]wa?|[iy]na?)$)ie(?=[^aeiouy])"
_polish = _speller(("szcz", "shch"), ("szy", "shi"), ("sz", "sh"), ("czy", "chi"), ("cz", "ch"), ("ch", "kh"),
                   ("ży", "zhi"), ("ż", "zh"), ("cy", "tsi"), (_POLISH_E, "e"), ("w", "v"), ("j", "y"))
# Czech and Slovak: ч č, ш š, ж ž, х ch, ц c before i/y ("Jelcin"; "Macron" stays), й j, and the "-ová" added to a
# Russian woman's "-ova"/"-eva"/"-ina" ("Zacharovová"; "Navrátilová" keeps hers)
_czech = _speller(("ch", "kh"), (r"c(?=[iy])", "ts"), ("č", "ch"), ("š", "sh"), ("ž", "zh"), ("j", "y"),
                  (r"(?<=[oe]v|in)ova$", "a"))
# Dutch and the Scandinavian languages: щ sjtsj, ш sj, ж zj, ч tsj (Swedish and Danish tj), х ch, й j
_SJ = (("sjtsj", "shch"), ("tsj", "ch"), ("sj", "sh"), ("zj", "zh"), ("ch", "kh"), ("j", "y"))
_nordic = _speller(("sjtj", "shch"), ("tj", "ch"), *_SJ)
# Dutch у oe, in a Russian name: one with a "j" or a Slavic ending ("Poetin", "Sjojgoe", "Loekasjenko"); Dutch
# names keep theirs ("Hoekstra", "Koen")
_DUTCH_RUSSIAN = re.compile(r"j|(?:in|[oe]va?|sk[iy]|enko)$")
_dutch_sounds = _speller(*_SJ)
_dutch_u = _speller(*_SJ, ("oe", "u"))


def _dutch(w: str) -> str:
    return (_dutch_u if _DUTCH_RUSSIAN.search(w) else _dutch_sounds)(w)


_LANGUAGE_RULES = {"de": _german, "fr": _french, "pt": _portuguese, "es": _spanish, "it": _italian, "pl": _polish,
                   "cs": _czech, "sk": _czech, "nl": _dutch, "sv": _nordic, "no": _nordic, "da": _nordic}
# the letters whose marks a language's rules read: kept through the ASCII folding until the rules have spelt them
_KEEP_MARKS = {"pl": "ż", "cs": "čšž", "sk": "čšž"}


def _common(w: str) -> str:
    w = w.replace("x", "ks").replace("ck", "k")
    w = re.sub(r"c(?![ehiy])", "k", w)
    w = re.sub(r"(.)\1+", r"\1", w)                   # doubled letters: "Zelenskyy", "Lukaschenko"
    w = re.sub(r"^ye", "e", w)                         # "Yeltsin", "Jelzin", "Ельцин"
    if len(w) > 4:
        w = re.sub(r"iya$", "ia", w)                   # "Mariya", "Марія", "Marija" / "Maria"; "Yuliya" / "Yulia"
    if len(w) > 3:
        w = re.sub(r"(?:iy|ij|yi|yj|ii|i)$", "y", w)   # "Zelenskiy", "Selenskyj", "Dmitri", "Zelenskyi"
    return re.sub(r"(?<=[aeiou])y", "i", w)            # "Shoygu" / "Choïgou", "Andrey" / "Andrei"


# A Slavic surname's ending, once the rules and the clean-up have spelt it: -sky/-ska/-skaya, -ov(a), -ev(a),
# -enko, -ich/-ych, -ny, -mir/-myr ("Volodymyr"). The "zh" fold also takes -in(a)/-yn(a) ("Prigozhin"), the others
# not ("Sarina" is not "Zarina", "Robyn" not "Robin").
_SLAVIC_END = re.compile(r"(?:sk[aiy]|skaia|[oe]va?|enko|[iy]ch|ny|m[iy]r)$")
_SLAVIC_ZH_END = re.compile(rf"{_SLAVIC_END.pattern}|(?:[iy]na?)$")


def _slavic(w: str) -> str:
    """Fold what some languages cannot tell apart in a Slavic name: German writes з and с as an initial "S"
    ("Selenskyj", "Sergej") and ж and ш as "sch" ("Prigoschin", "Schoigu"); Spanish writes и and ы as "i"
    ("Volodímir", "Kadírov"). Only in words with a Slavic surname's ending: "Zara" and "Sara" stay apart."""
    if len(w) < 5 or not _SLAVIC_ZH_END.search(w):
        return w
    w = w.replace("zh", "sh")
    if _SLAVIC_END.search(w):
        w = re.sub(r"^z(?=[aeiouy])", "s", w)
        w = re.sub(r"(?<=[^aeiouy])y(?=[^aeiouy])", "i", w)
    return w


# Latin letters that Unicode does not decompose into a letter and a mark
_LATIN_EXTRA = str.maketrans({"ß": "ss", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
                              "ı": "i"})


def _ascii(word: str, keep: str = "") -> str:
    """``word`` in ASCII letters and digits, marks dropped, but for the letters of ``keep``."""
    out = []
    for c in word.translate(_LATIN_EXTRA):
        if c in keep:
            out.append(c)
        else:
            out.extend(d for d in unicodedata.normalize("NFKD", c) if d.isascii() and d.isalnum())
    return "".join(out)


# Pinyin: a syllable (initial and final, loosely: some pairs pinyin lacks pass too), and the common Chinese
# surnames that open a name in it ("Xi Jinping", "Wang Yi", "Lin Jian")
_PINYIN = re.compile(r"""(?:
      (?:zh|ch|sh|[bpmfdtnlgkhrzcs])?(?:uang|uai|uan|ang|eng|ong|ai|ei|ao|ou|an|en|ua|uo|ui|un|a|o|e|u)
    | (?:[bpmdtnljqx])(?:iang|iong|iao|ian|ing|ia|ie|iu|in|i)
    | (?:zh|ch|sh|[rzcs])i
    | [jqxy](?:uan|ue|un|u)
    | y(?:ang|ing|ong|ao|ou|an|in|a|o|e|i)
    | w(?:ang|eng|ai|ei|an|en|a|o|u)
    | er){1,2}""", re.VERBOSE)
_CHINESE_SURNAMES = frozenset(
    "bai cai cao chen cheng cui deng ding dong du fan feng fu gao guo han he hou hu huang jiang jin kong li liang "
    "lin liu lu luo ma mao meng pan peng qian qin ren shen shi song su sun tan tang tian wang wei wu xi xiao xie xu "
    "yang yao ye yu yuan zeng zhang zhao zheng zhong zhou zhu".split())


def _pinyin(words: list[str]) -> bool:
    """A Chinese name in pinyin: a common surname, then one or two given names of pinyin syllables."""
    folded = [_ascii(w.lower()) for w in words]
    return (2 <= len(folded) <= 3 and folded[0] in _CHINESE_SURNAMES
            and all(_PINYIN.fullmatch(w) for w in folded[1:]))


@functools.lru_cache(maxsize=65536)
def name_key(name: str, language: str = "en") -> str:
    """The key of ``name`` as a text in ``language`` writes it ("" when no word of it has a letter A to Z, a digit
    or a Cyrillic letter: other scripts are not keyed)."""
    words = _WORD_RE.findall(name)
    chinese = _pinyin(words)
    # a language's rules undo its spelling of foreign sounds; pinyin is spelt alike by all languages
    rules = None if chinese else _LANGUAGE_RULES.get(language)
    out = []
    for word in words:
        # "BBC", "WHO", "ФСБ", "G7", "40": spelt letter by letter, without the rules
        acronym = (len(word) <= 5 and word.isupper()) or any(c.isdigit() for c in word)
        word = word.lower()
        if _CYRILLIC_RE.search(word):
            if language == "uk":
                word = _UK_SOFT_E.sub("е", word)
            table = _UKRAINIAN if language == "uk" else _CYRILLIC
            w = _ascii("".join(table.get(c, c) for c in word))
        elif rules and not acronym:
            # the letters whose marks the rules read reach them ("ž"), the rest in ASCII ("Serguéi": "e" before it)
            w = _ascii(rules(_ascii(word, _KEEP_MARKS.get(language, ""))))
        else:
            w = _ascii(word)          # "" for a word of another script: no key
        if w and not acronym:
            w = _common(w)
            w = w if chinese else _slavic(w)
        if w:
            out.append(w)
    return " ".join(out)


# read into a query of a whole name only: "Jose Mujica" must find the Spanish texts' "José Mujica" (``khose
# mukhika``), but "Jan" alone must not find every "Khan"
FULL_NAME_LANGUAGES = ("es", "nl")


def query_keys(name: str) -> list[str]:
    """The keys a search for ``name`` looks for: its key under each of ``QUERY_LANGUAGES``, and for a name of two
    words or more under ``FULL_NAME_LANGUAGES`` too (one key for a name in Cyrillic, under the Russian and the
    Ukrainian table), distinct, in that order."""
    if _CYRILLIC_RE.search(name):
        languages: tuple[str, ...] = ("ru", "uk")
    else:
        languages = QUERY_LANGUAGES + (FULL_NAME_LANGUAGES if len(_WORD_RE.findall(name)) > 1 else ())
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
