"""The learned gazetteer: the people and organisations the NER models found in the indexed news, written as a
gazetteer that processing applies to the languages without a model (``processing.entities.learned_gazetteer``).

Learning (``newsetl entities learn``) reads the read alias with one aggregation per entity type over the
documents a model processed (``entities_status: ok``): each name's documents, its sources (cardinality) and its
languages. A name is kept when

- it is in at least ``min_docs`` documents from at least ``min_sources`` sources;
- a person's name has two words or more (one word, "Martin", "Hunt", is too ambiguous across languages) and starts
  and ends with a capital; an organisation's has two words or more, or is an acronym of three capital letters or
  more ("NATO", "ÖVP") found in documents of two languages or more;
- it is no common word of the target languages: not every word of it a stop word (spaCy's lists) or a CLDR
  language, currency, month or weekday name, not a country's or world region's name, and not an acronym that is a
  common word of the languages most news without a model is in (``ACRONYM_LANGUAGES``: "DIE", "ALLE");
- most of the documents naming it (two thirds) give it that type ("Jordan", person and place, is out).

Each spelling counts on its own ("Volodymyr Zelensky" and "Wolodymyr Selenskyj" are two entries when each passes),
because the gazetteer matches names as written. The file lists each name with its counts and the date learned, in
a deterministic order (type, then name).

Applying: ``learned_for(language, settings)`` gives the names that fit a language: its script only (Latin names for
Latin-script languages, Cyrillic ones for Cyrillic), none for languages written without spaces, less the names the
deployment's gazetteer lists (it wins, "drop" included) and the language's CLDR places. The file is read once per
process and read again when it is replaced or its modification time changes.

Keeping it fresh: ``pipeline.stages.learn_gazetteer`` (``newsetl entities learn`` and the news_maintenance DAG)
learns it again and ``replace``s the file atomically, keeping the old one beside it, unless the new one would drop
more than ``processing.entities.learn_max_loss`` of its names (``LearnedGazetteerShrinks``) and it is not forced.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import posixpath
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from pipeline.wording import counted

SETTING = "processing.entities.learned_gazetteer"
MIN_DOCS = 5              # documents naming it, by default
MIN_SOURCES = 2           # sources among them
MIN_ACRONYM_LANGUAGES = 2     # languages an acronym must be found in
MIN_ACRONYM_LETTERS = 3
TYPE_SHARE = 2 / 3        # share of the documents naming it that give it the type
MAX_NAMES = 20_000        # names per type the aggregation returns at most
LEARNED_TYPES = ("person", "organization")
ALL_TYPES = ("person", "organization", "location", "misc")
# where `newsetl entities learn` writes by default, under the storage root
DEFAULT_RELATIVE_PATH = "entities/learned-gazetteer.yaml"
# Latin-script languages a learned name may be applied to: its words must not be common words in any of them
TARGET_LANGUAGES = ("nl", "pt", "pl", "sv", "no", "da", "tr", "it", "cs", "fi", "ro", "hu", "id", "sk", "hr", "sl",
                    "ca", "lt", "lv", "et", "is", "sw")
# the languages most news without a model is in: an acronym must be no stop word of theirs ("DIE", "ALLE", "CHE");
# the stop words of every target language would be too many for acronyms (Slovenian "nato", then)
ACRONYM_LANGUAGES = ("nl", "pt", "pl", "sv", "no", "da", "tr", "it", "cs")
# ISO 639-1 codes spaCy keeps its stop words under another name
_SPACY_CODE = {"no": "nb"}
# a language's script (CLDR's likely subtags) -> the first word of the Unicode names of its letters
_SCRIPT_NAMES = {"Latn": "LATIN", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC", "Hebr": "HEBREW",
                 "Deva": "DEVANAGARI", "Beng": "BENGALI", "Geor": "GEORGIAN", "Armn": "ARMENIAN", "Taml": "TAMIL",
                 "Telu": "TELUGU", "Gujr": "GUJARATI", "Guru": "GURMUKHI", "Sinh": "SINHALA", "Ethi": "ETHIOPIC"}


class LearnedGazetteerError(RuntimeError):
    """The learned gazetteer named by the setting cannot be read: the message names the setting and the fix."""


@dataclass
class NameCount:
    """What the index says about one name as one type: its documents, sources and languages (how many of each),
    and the documents that give it each type (for the type agreement)."""
    name: str
    type: str
    documents: int
    sources: int
    languages: int
    as_types: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------- counting

def aggregation(entity_type: str, min_docs: int, max_names: int = MAX_NAMES) -> dict:
    """The search body: the names of ``entity_type`` in ``min_docs`` documents or more that a model processed, each
    with the cardinality of its sources and of its languages (metrics: one bucket per name, within the cluster's
    ``search.max_buckets``)."""
    agg = {"terms": {"field": f"entities.{entity_type}", "size": max_names, "shard_size": max_names,
                     "min_doc_count": min_docs, "order": [{"_count": "desc"}, {"_key": "asc"}]},
           "aggs": {"sources": {"cardinality": {"field": "source"}},
                    "languages": {"cardinality": {"field": "language"}}}}
    return {"size": 0, "track_total_hits": True, "query": {"term": {"entities_status": "ok"}},
            "aggs": {entity_type: agg}}


def type_aggregation(names: list[str]) -> dict:
    """The search body counting, for ``names``, the documents a model processed that give each of them each type."""
    aggs = {t: {"terms": {"field": f"entities.{t}", "include": names, "size": max(len(names), 1)}}
            for t in ALL_TYPES}
    return {"size": 0, "query": {"term": {"entities_status": "ok"}}, "aggs": aggs}


def counts_from_index(client: Any, settings: Any, min_docs: int = MIN_DOCS,
                      max_names: int = MAX_NAMES) -> tuple[int, list[NameCount]]:
    """(documents a model processed, the names in ``min_docs`` of them or more) from the read alias.
    SearchError when the index does not exist, ClusterUnavailable when the cluster cannot be reached."""
    from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
    from pipeline.mapping import _index_settings
    from pipeline.search import _search_alias

    alias = _index_settings(settings).read_alias
    try:
        out = []
        for t in LEARNED_TYPES:
            resp = _search_alias(client, alias, aggregation(t, min_docs, max_names))
            out += [NameCount(b["key"], t, b["doc_count"], b["sources"]["value"], b["languages"]["value"])
                    for b in resp["aggregations"][t]["buckets"]]
        names = sorted({c.name for c in out})
        as_types: dict[str, dict[str, int]] = {}
        for i in range(0, len(names), 5000):
            part = _search_alias(client, alias, type_aggregation(names[i:i + 5000]))
            for t in ALL_TYPES:
                for b in part["aggregations"][t]["buckets"]:
                    as_types.setdefault(b["key"], {})[t] = b["doc_count"]
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    for c in out:
        c.as_types = as_types.get(c.name, {c.type: c.documents})
    total = resp["hits"]["total"]["value"]
    return total, out


def counts_from_documents(docs: Iterable[dict], min_docs: int = 1) -> tuple[int, list[NameCount]]:
    """What ``counts_from_index`` gives, from processed documents (a JSONL of ``newsetl extract``, a benchmark)."""
    docs_of: dict[tuple[str, str], int] = Counter()
    sources: dict[tuple[str, str], set] = {}
    languages: dict[tuple[str, str], set] = {}
    total = 0
    for d in docs:
        if d.get("entities_status") != "ok":
            continue
        total += 1
        for t in ALL_TYPES:
            for name in set((d.get("entities") or {}).get(t) or []):
                docs_of[name, t] += 1
                sources.setdefault((name, t), set()).add(d.get("source"))
                languages.setdefault((name, t), set()).add(d.get("language"))
    as_types: dict[str, dict[str, int]] = {}
    for (name, t), n in docs_of.items():
        as_types.setdefault(name, {})[t] = n
    out = [NameCount(name, t, n, len(sources[name, t]), len(languages[name, t] - {None, ""}), as_types[name])
           for (name, t), n in docs_of.items() if t in LEARNED_TYPES and n >= min_docs]
    out.sort(key=lambda c: (LEARNED_TYPES.index(c.type), -c.documents, c.name))
    return total, out


# --------------------------------------------------------------------------------------------------- selecting

@functools.lru_cache(maxsize=8)
def common_words(languages: tuple[str, ...] = TARGET_LANGUAGES) -> frozenset[str]:
    """The words (case-folded) that are common words in one of ``languages``: spaCy's stop words, and the CLDR
    names of languages, currencies, months and weekdays."""
    from pipeline.names import locale_names

    words: set[str] = set()
    for lang in languages:
        try:
            words |= {w.casefold() for w in importlib.import_module(
                f"spacy.lang.{_SPACY_CODE.get(lang, lang)}.stop_words").STOP_WORDS}
        except (ImportError, AttributeError):
            pass
        _, other, days = locale_names(lang)
        words |= other | days
    return frozenset(words)


@functools.lru_cache(maxsize=8)
def place_names(languages: tuple[str, ...] = TARGET_LANGUAGES) -> frozenset[str]:
    """The countries' and world regions' names (case-folded) in ``languages`` and in English."""
    from pipeline.names import place_gazetteer

    return frozenset(n.casefold() for lang in (*languages, "en") for n in place_gazetteer(lang))


def is_acronym(name: str) -> bool:
    """One word of ``MIN_ACRONYM_LETTERS`` capital letters or more, and letters only ("NATO", "ÖVP"; not "G20")."""
    return (" " not in name and len(name) >= MIN_ACRONYM_LETTERS and name.isalpha() and name.isupper())


def _capitalised(word: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return bool(first) and (first.isupper() or not first.islower())   # a script without case passes


def shape_problem(c: NameCount) -> str | None:
    """Why the name's form rules it out for its type (a reason), or None."""
    words = c.name.split()
    if c.type == "person":
        if len(words) < 2:
            return "one_word_person"
        if any(ch.isdigit() for ch in c.name):
            return "digits"
        if not (_capitalised(words[0]) and _capitalised(words[-1])):
            return "not_a_name"
        return None
    if len(words) >= 2:
        return None if _capitalised(words[0]) else "not_a_name"
    if not is_acronym(c.name):
        return "one_word_organization"
    if c.languages < MIN_ACRONYM_LANGUAGES:
        return "acronym_in_one_language"
    return None


def common_problem(name: str, common: frozenset[str], places: frozenset[str],
                   acronym_common: frozenset[str] = frozenset()) -> str | None:
    """Why ``name`` is a common word or a place of the target languages (a reason), or None. An acronym is checked
    against ``acronym_common`` only."""
    folded = name.casefold()
    if folded in places:
        return "place"
    if is_acronym(name):
        return "common_words" if folded in acronym_common else None
    words = re.findall(r"\w+", folded)
    if not words or all(w in common for w in words):
        return "common_words"
    return None


def select(counts: Iterable[NameCount], *, min_docs: int = MIN_DOCS, min_sources: int = MIN_SOURCES,
           languages: tuple[str, ...] = TARGET_LANGUAGES) -> tuple[list[NameCount], Counter]:
    """(the names kept, in the file's order; the names left out counted by reason)."""
    common, places = common_words(tuple(languages)), place_names(tuple(languages))
    acronym_common = common_words(tuple(x for x in ACRONYM_LANGUAGES if x in languages))
    kept, dropped = [], Counter()
    for c in counts:
        if c.documents < min_docs:
            reason = "few_documents"
        elif c.sources < min_sources:
            reason = "few_sources"
        else:
            reason = shape_problem(c) or common_problem(c.name, common, places, acronym_common)
            if reason is None and c.documents < TYPE_SHARE * sum(c.as_types.values()):
                reason = "type_disputed"
        if reason:
            dropped[reason] += 1
        else:
            kept.append(c)
    kept.sort(key=lambda c: (LEARNED_TYPES.index(c.type), c.name.casefold(), c.name))
    return kept, dropped


def learned_document(kept: list[NameCount], *, documents: int, min_docs: int, min_sources: int,
                     now: dt.datetime | None = None, index: str | None = None) -> dict:
    """The YAML file's content: when and from what it was learned, the thresholds, and the names by type."""
    now = now or dt.datetime.now(dt.timezone.utc)
    names: dict[str, list[dict]] = {t: [] for t in LEARNED_TYPES}
    for c in kept:
        names[c.type].append({"name": c.name, "documents": c.documents, "sources": c.sources,
                              "languages": c.languages})
    return {"learned_at": now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
            "index": index, "documents": documents,
            "thresholds": {"min_docs": min_docs, "min_sources": min_sources,
                           "min_acronym_languages": MIN_ACRONYM_LANGUAGES},
            "counts": {t: len(v) for t, v in names.items()},
            "names": names}


def dump(doc: dict) -> str:
    """The learned gazetteer as YAML text (keys in the document's order, non-ASCII as written)."""
    head = "# the learned gazetteer: written by `newsetl entities learn`; processing.entities.learned_gazetteer\n"
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)


def learn(client: Any, settings: Any, *, min_docs: int = MIN_DOCS, min_sources: int = MIN_SOURCES,
          now: dt.datetime | None = None) -> tuple[dict, Counter]:
    """(the learned gazetteer's content, the names left out by reason) from the read alias."""
    from pipeline.mapping import _index_settings

    total, counts = counts_from_index(client, settings, min_docs)
    kept, dropped = select(counts, min_docs=min_docs, min_sources=min_sources,
                           languages=target_languages(settings))
    return learned_document(kept, documents=total, min_docs=min_docs, min_sources=min_sources, now=now,
                            index=_index_settings(settings).read_alias), dropped


def target_languages(settings: Any) -> tuple[str, ...]:
    """``TARGET_LANGUAGES`` less those the settings give a model."""
    ent = _entity_settings(settings)
    return tuple(x for x in TARGET_LANGUAGES if x not in ent.models)


def _entity_settings(settings: Any):
    return getattr(getattr(settings, "processing", settings), "entities", settings)


def output_location(settings: Any, output: str | None = None) -> tuple[Any, str]:
    """(Storage, relative path) where the learned gazetteer is written: ``output``, else the setting's path, else
    ``DEFAULT_RELATIVE_PATH`` under the storage root."""
    from pipeline.storage import Storage

    target = output or _entity_settings(settings).learned_gazetteer
    if target:
        if "://" in str(target):
            root, rel = str(target).rsplit("/", 1)
            return Storage(root), rel
        p = Path(target).expanduser().resolve()
        return Storage(p.parent), p.name
    return Storage(settings.storage.root), DEFAULT_RELATIVE_PATH


def write(doc: dict, storage: Any, rel: str) -> str:
    """Write ``doc`` at ``rel`` under ``storage`` (atomically); its full path or URL."""
    storage.makedirs(rel.rsplit("/", 1)[0] if "/" in rel else "")
    with storage.atomic_write(rel, "wb") as f:
        f.write(dump(doc).encode("utf-8"))
    return storage.local_path(rel) or storage.url(rel)


# ------------------------------------------------------------------------------------------- replacing a file

class LearnedGazetteerShrinks(RuntimeError):
    """A newly learned gazetteer would drop too many of the names of the file it replaces
    (``processing.entities.learn_max_loss``): the file is left as it was. One line naming the fix."""


def backup_path(rel: str, generation: int = 1) -> str:
    """Where the file ``rel`` is kept before a new one replaces it: beside it, ``.previous`` before the suffix
    (``entities/learned-gazetteer.previous.yaml``); the one before that ``.previous-2``, and so on
    (``processing.entities.learn_backups`` of them)."""
    head, ext = posixpath.splitext(rel)
    return f"{head}.previous{ext}" if generation == 1 else f"{head}.previous-{generation}{ext}"


def names_of(doc: dict) -> set[tuple[str, str]]:
    """The (type, name) pairs a learned gazetteer's content lists."""
    return {(t, str(row["name"])) for t in LEARNED_TYPES for row in (doc.get("names") or {}).get(t) or []}


def previous_names(storage: Any, rel: str) -> set[tuple[str, str]] | None:
    """The (type, name) pairs of the learned gazetteer at ``rel``, None when there is no file.
    LearnedGazetteerError when it cannot be read as one."""
    if not storage.exists(rel):
        return None
    try:
        with storage.open(rel, "r", encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        return names_of(doc)
    except (OSError, yaml.YAMLError, AttributeError, TypeError, KeyError) as e:
        raise LearnedGazetteerError(f"{storage.local_path(rel) or storage.url(rel)} is not a learned gazetteer "
                                    f"({type(e).__name__})") from None


def loss_problem(previous: set | None, dropped: int, max_loss: float, *, where: str, documents: int) -> str | None:
    """Why a new file that drops ``dropped`` of the ``previous`` names must not replace it (one line naming the
    setting and the fix), or None when it may."""
    if not previous or dropped / len(previous) <= max_loss:
        return None
    return (f"{where}: the new learned gazetteer would drop {dropped} of the {counted(len(previous), 'name')} of the "
            f"file there ({dropped / len(previous):.0%}, more than processing.entities.learn_max_loss {max_loss:.0%}), "
            f"learned from {counted(documents, 'document')} a model processed: the index may have been recreated or "
            "the cluster may have answered with little, so the file is left as it was. If the drop is expected (higher "
            "min_docs or min_sources, an index rebuilt on purpose), run again with force (the news_maintenance "
            "DAG's force param, `newsetl entities learn --force`)")


def replace(doc: dict, storage: Any, rel: str, backups: int = 1) -> tuple[str, str | None]:
    """Write ``doc`` at ``rel`` (``write``: a temporary file renamed over it, so a reader sees the old file or the
    new one, never half of one, and the worker processes see a new file and read it again), after keeping the file
    there as ``backup_path(rel)``, the backups before it moved one generation back (``.previous`` to
    ``.previous-2``…) and those past ``backups`` removed. (its path, the backup's path or None when there was no
    file). Each copy is written whole under a temporary name first: a run killed half-way leaves every generation
    readable, at worst two of them the same."""
    backup = None
    if storage.exists(rel):
        stale = backups + 1
        while storage.exists(backup_path(rel, stale)):      # fewer kept than before: the oldest go
            storage.remove(backup_path(rel, stale))
            stale += 1
        for generation in range(backups - 1, 0, -1):
            if storage.exists(backup_path(rel, generation)):
                _copy(storage, backup_path(rel, generation), backup_path(rel, generation + 1))
        back = backup_path(rel)
        _copy(storage, rel, back)
        backup = storage.local_path(back) or storage.url(back)
    return write(doc, storage, rel), backup


def _copy(storage: Any, src: str, dst: str) -> None:
    with storage.open(src, "rb") as f:
        data = f.read()
    with storage.atomic_write(dst, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------------------------------- applying

_cache: dict[str, tuple[tuple, dict[str, str]]] = {}
_lock = threading.Lock()


def read_names(path: str) -> dict[str, str]:
    """``{name: type}`` of the learned gazetteer at ``path``, read again only when it was replaced (a new inode: the
    atomic write of ``replace``) or its modification time or size changed. LearnedGazetteerError naming the setting
    when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise LearnedGazetteerError(f"{SETTING}: {path}: {e.strerror or e}: run `newsetl entities learn` to "
                                    f"write it, or set {SETTING} to null") from None
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)     # a file renamed over it is a new inode, whatever its time
    hit = _cache.get(path)
    if hit and hit[0] == stamp:
        return hit[1]
    with _lock:
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
            names = {}
            for t in LEARNED_TYPES:
                for row in (doc.get("names") or {}).get(t) or []:
                    names.setdefault(str(row["name"]), t)
        except (OSError, yaml.YAMLError, AttributeError, TypeError, KeyError) as e:
            raise LearnedGazetteerError(f"{SETTING}: {path} is not a learned gazetteer ({type(e).__name__}: "
                                        f"{str(e).splitlines()[0] if str(e) else ''}): write it again with "
                                        f"`newsetl entities learn`") from None
        _cache[path] = (stamp, names)
        _for_language.cache_clear()
        return names


def script_of(name: str) -> str | None:
    """The first word of the Unicode names of the letters of ``name`` ("LATIN", "CYRILLIC") when they share one."""
    scripts = {unicodedata.name(c, "?").split()[0] for c in name if c.isalpha()}
    return scripts.pop() if len(scripts) == 1 else None


@functools.lru_cache(maxsize=1)
def _likely_subtags() -> dict:
    from babel.core import get_global

    return get_global("likely_subtags")


def language_script(language: str) -> str | None:
    """The script ``language`` is written in ("LATIN" for nl), None when unknown or written without spaces."""
    from pipeline.names import _UNSPACED_LANGUAGES

    if not language or language in _UNSPACED_LANGUAGES or language == "und":
        return None
    tag = _likely_subtags().get(language) or ""
    parts = tag.split("_")
    return _SCRIPT_NAMES.get(parts[1]) if len(parts) > 1 else None


@functools.lru_cache(maxsize=256)
def _for_language(path: str, stamp: tuple, language: str, deployment: tuple) -> dict[str, str]:
    from pipeline.names import place_gazetteer

    script = language_script(language)
    if script is None:
        return {}
    taken = {n for n, _ in deployment} | set(place_gazetteer(language))
    return {n: t for n, t in _cache[path][1].items() if n not in taken and script_of(n) == script}


def learned_for(language: str, entity_settings: Any) -> dict[str, str]:
    """The learned names that apply to a text in ``language`` (``{name: type}``; empty when the setting is off):
    the names in its script, less those the deployment's gazetteer lists for it (which wins) and its CLDR places.
    LearnedGazetteerError when the file cannot be read."""
    path = entity_settings.learned_gazetteer
    if not path:
        return {}
    path = str(Path(path).expanduser())
    read_names(path)
    stamp = _cache[path][0]
    deployment = tuple(sorted(entity_settings.gazetteer_for(language).items()))
    return _for_language(path, stamp, language, deployment)
