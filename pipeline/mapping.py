"""The index template, generated from config and from what the connected cluster offers.

One composable index template (``<name>``, pattern ``<name>-v*``) made of two component templates:
``<name>-settings`` (shards, replicas, refresh, custom analyzers) and ``<name>-mappings`` (``dynamic: strict``,
an explicit mapping for every field of pipeline.schema.DOCUMENT_FIELDS, plus the per-language copies
``title_<lang>``/``text_<lang>`` for the configured languages).

Per-language analysis, in order of preference for each configured language:

1. an override from ``index.analyzers`` (e.g. ``ja: kuromoji``), used as given;
2. the cluster's language analyzer (``english``, ``german``… from the analysis-common module; ``kuromoji``,
   ``nori``, ``smartcn``, ``polish``, ``ukrainian`` from plugins) — when ``detect_analyzers`` found it;
3. a custom analyzer ``newsetl_<lang>`` = standard tokenizer + lowercase + that language's stop words, built from
   filters in the server core (no stemming) — when the core ``stop`` filter is available;
4. ``standard``.

``detect_analyzers(client)`` probes the cluster with ``_analyze``, so the same code generates a template the local
node (no analysis-common) accepts and one that uses the full language analyzers on a complete cluster.
"""
from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from pipeline.schema import DOCUMENT_FIELDS, ENTITY_TYPES
from pipeline.settings.index import IndexSettings

# Bumped when the generated template changes shape in a way that needs a migrate (not for additive changes).
TEMPLATE_VERSION = 1

# ISO 639-1 -> analyzer name; the analysis-common module provides these unless noted.
LANGUAGE_ANALYZERS: dict[str, str] = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "bn": "bengali", "bg": "bulgarian", "ca": "catalan",
    "cs": "czech", "da": "danish", "nl": "dutch", "en": "english", "et": "estonian", "fi": "finnish",
    "fr": "french", "gl": "galician", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lv": "latvian", "lt": "lithuanian", "no": "norwegian",
    "nb": "norwegian", "fa": "persian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "ckb": "sorani", "es": "spanish", "sv": "swedish", "tr": "turkish", "th": "thai",
    # plugins (analysis-kuromoji, analysis-nori, analysis-smartcn, analysis-stempel, analysis-ukrainian)
    "ja": "kuromoji", "ko": "nori", "zh": "smartcn", "pl": "polish", "uk": "ukrainian",
}
# when the plugin is missing, analysis-common's bigram analyzer still beats `standard` for CJK
SECOND_CHOICE: dict[str, str] = {"ja": "cjk", "ko": "cjk", "zh": "cjk"}

# Lucene's predefined stop-word sets, usable with the core `stop` filter (`stopwords: _german_`).
STOPWORD_SETS: dict[str, str] = {
    "ar": "_arabic_", "hy": "_armenian_", "eu": "_basque_", "bn": "_bengali_", "bg": "_bulgarian_",
    "ca": "_catalan_", "cs": "_czech_", "da": "_danish_", "nl": "_dutch_", "en": "_english_", "et": "_estonian_",
    "fi": "_finnish_", "fr": "_french_", "gl": "_galician_", "de": "_german_", "el": "_greek_", "hi": "_hindi_",
    "hu": "_hungarian_", "id": "_indonesian_", "ga": "_irish_", "it": "_italian_", "lv": "_latvian_",
    "lt": "_lithuanian_", "no": "_norwegian_", "nb": "_norwegian_", "fa": "_persian_", "pt": "_portuguese_",
    "ro": "_romanian_", "ru": "_russian_", "sr": "_serbian_", "ckb": "_sorani_", "es": "_spanish_",
    "sv": "_swedish_", "tr": "_turkish_", "th": "_thai_",
}

# Pseudo-names detect_analyzers() adds when core token filters can build custom analyzers.
CORE_STOP_FILTER = "filter:stop"

KEYWORD = {"type": "keyword", "ignore_above": 1024}
URL = {"type": "keyword", "ignore_above": 8191}
DATE = {"type": "date"}  # strict_date_optional_time||epoch_millis: ISO 8601 as the documents carry it

# The mapping of every document field (pipeline.schema.DOCUMENT_FIELDS). Strings that are facets are keywords.
FIELD_MAPPINGS: dict[str, dict] = {
    "id": {"type": "keyword"},
    "url": URL,
    "canonical_url": URL,
    "domain": KEYWORD,
    "source": KEYWORD,
    "source_tags": KEYWORD,
    "title": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 512}}},
    "description": {"type": "text"},
    "text": {"type": "text"},
    "authors": KEYWORD,
    "published_at": DATE,
    "modified_at": DATE,
    "site_name": KEYWORD,
    "categories": KEYWORD,
    "tags": KEYWORD,
    "top_image": URL,
    "access": KEYWORD,     # free | metered | paywalled, as the page declares it (pipeline.extract.page_access)
    "language": KEYWORD,
    "language_confidence": {"type": "float"},
    "language_declared": KEYWORD,
    # each name a keyword (facets, exact filters) with its words beside it (``entities.person.words``: a phrase
    # query finds "Putin" in "Vladimir Putin", in any case; KQL ``entities.person.words : putin`` in Kibana)
    "entities": {"type": "object", "dynamic": "strict",
                 "properties": {t: {**KEYWORD, "fields": {"words": {"type": "text"}}} for t in ENTITY_TYPES}},
    "entity_mentions": {"type": "object", "enabled": False},  # stored in _source, not indexed
    "entities_status": KEYWORD,
    "word_count": {"type": "integer"},
    "content_hash": {"type": "keyword"},
    "pipeline_version": KEYWORD,
    "fetched_at": DATE,
    "processed_at": DATE,
    "rule_misses": KEYWORD,
    "status": KEYWORD,
    "error": KEYWORD,
}
# Added by the loader (not part of the processed document). FILLED_BY_LOADER: derived from fields every document
# has, so an index that gains one in place needs a migrate (``--method bulk``) to fill it for the documents there.
FILLED_BY_LOADER = frozenset({"entity_keys", "people", "places", "countries", "regions", "place_points",
                              "minhash_bands", "loader_version"})
# What the loader derives has a version: a document indexed by an older loader (a lower ``loader_version``, or none:
# 1 keyed the names, 2 added places and countries, 3 GeoNames cities, US states and Länder among the places, and the
# text bands of near duplicates, 4 the people labels, regions of other countries among the places and the exact
# band of a short text, 5 name keys with rules for more languages, 6 a city of a name several bear read from the
# rest of the document, and the first-level regions of 13 more countries, 7 the regions of 58 more countries
# (Vietnam's provinces since 2025, Norway's counties since 2024, Iraq's, Syria's, Thailand's, Romania's…),
# the coordinates of the cities among the places (place_points) and
# region names read from the document's other places, 8 the regions of 10 more countries (the Sahel, Libya,
# Moldova, Bosnia, Serbia's districts, the Caucasus, Uzbekistan) and Finnish and Hungarian case endings, 9 a short
# text's one-edit bands (w-: its near copies, a word changed, added or dropped) and the text's words lowered after
# they are found, not before, US counties among the places ("Los Angeles County", "Orange County (US-CA)") and,
# below the default floor of cities, a town under 15,000 people only beside its country, 10 a short text's
# two-edit bands (v- for w-: its near copies two word edits apart or fewer), and the UK's counties and France's
# newer collectivities among the places, with Michigan's "Clare County" and its like read from the document, and
# Germany's and Austria's districts: "Landkreis Harburg", "Bezirk Kufstein", and a city's numbered districts,
# boroughs named after it and smaller cities bearing its name as another name no rivals of it: "Lyon", "Hamburg",
# "Philadelphia", 11 the first-level regions of the places as ISO 3166-2 codes (regions: "DE-BY" for "Munich",
# "Bavaria" or "Landkreis Harburg"'s Land, "US-CA" for "Orange County (US-CA)"), 12 the regions of Taiwan's, the
# Palestinian territories', Serbia's and North Macedonia's cities: "TW-TPE", "PS-HBN", the territories ISO 3166-2
# lists under another country: "US-PR" for San Juan, "CN-HK" for Hong Kong, and a city's own name
# without its accents among the places: "Tulkarm", "Lodz", 13 a big city's own name no longer taken by a foreign
# city's other name unlike its own: "Zaragoza" (Tijuana's), "Sakata" (Jakarta's)) is brought up to date by a migrate
# that copies with bulk.
LOADER_VERSION = 13
LOADER_FIELDS: dict[str, dict] = {
    "indexed_at": DATE,
    # the keys of the entity names (pipeline.namekeys: "Владимир Путин", "Wladimir Putin", "Vladimir Poutine" →
    # "vladimir putin"), words for phrase queries; a search aid, not a facet
    "entity_keys": {"type": "object", "dynamic": "strict",
                    "properties": {t: {"type": "text"} for t in ENTITY_TYPES}},
    # one label per person whatever the spelling or script ("Wladimir Putin", "Владимир Путин" → "Vladimir Putin"),
    # the same in every document (pipeline.people): the people facet
    "people": KEYWORD,
    # the locations pipeline.places names, one name whatever the article's language ("Moskau", "Москва" → "Moscow"),
    # and the ISO 3166-1 alpha-2 codes of their countries: facets, and the join key of Kibana Maps
    "places": KEYWORD,
    "countries": KEYWORD,
    # the ISO 3166-2 codes of the first-level regions the places name or lie in ("US-CA", "DE-BY": pipeline.georegions):
    # a facet, the filter ``country=DE-BY``, and the join key of region layers in Kibana Maps
    "regions": KEYWORD,
    # the GeoNames coordinates of the cities among the places, in their order (none for a country or a region):
    # the geo filter ``near`` (pipeline.search) and Kibana Maps' documents and clusters layers
    "place_points": {"type": "geo_point"},
    # the MinHash bands of the text (pipeline.neardup), the id of the original of which the document is a near
    # duplicate (set after a load; no value: an original, or a document without a copy), and on an original how many
    # documents are marked its copies (no value: none)
    "minhash_bands": {"type": "keyword", "doc_values": False},
    "duplicate_of": KEYWORD,
    "copies": {"type": "integer"},
    "loader_version": {"type": "short"},
}


def _index_settings(settings: Any) -> IndexSettings:
    from pipeline.settings import section

    return section(settings, IndexSettings, "index")


def _probe(client: Elasticsearch, body: dict) -> bool:
    try:
        client.indices.analyze(text="The probe texts", **body)
        return True
    except ApiError as e:
        if e.meta.status in (400, 404):
            return False
        raise


def detect_analyzers(client: Elasticsearch, candidates: set[str] | None = None) -> set[str]:
    """The analyzers (of ``candidates``; default: every language analyzer this module knows) the cluster offers,
    plus ``"filter:stop"`` when the core stop/lowercase filters can build custom analyzers. Found by ``_analyze``."""
    from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from

    names = set(candidates) if candidates is not None else (
        set(LANGUAGE_ANALYZERS.values()) | set(SECOND_CHOICE.values()) | {"standard"})
    found: set[str] = set()
    try:
        for name in sorted(names):
            if name == CORE_STOP_FILTER:
                continue
            if _probe(client, {"analyzer": name}):
                found.add(name)
        if _probe(client, {"tokenizer": "standard",
                           "filter": ["lowercase", {"type": "stop", "stopwords": "_english_"}]}):
            found.add(CORE_STOP_FILTER)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return found


def language_plan(settings: Any, analyzers: set[str] | None) -> dict[str, dict]:
    """For each configured language: ``{"analyzer": name, "kind": override|language|core_stop|standard}``.

    ``analyzers`` is what detect_analyzers() found; None means "not detected": only ``standard`` is assumed
    (the safe choice; the template then works on any cluster)."""
    idx = _index_settings(settings)
    have = analyzers or set()
    plan: dict[str, dict] = {}
    for lang in idx.languages:
        if lang in idx.analyzers:
            plan[lang] = {"analyzer": idx.analyzers[lang], "kind": "override"}
            continue
        choice = None
        for name in (LANGUAGE_ANALYZERS.get(lang), SECOND_CHOICE.get(lang)):
            if name and name in have:
                choice = {"analyzer": name, "kind": "language"}
                break
        if choice is None and CORE_STOP_FILTER in have and lang in STOPWORD_SETS:
            choice = {"analyzer": f"newsetl_{lang}", "kind": "core_stop", "stopwords": STOPWORD_SETS[lang]}
        plan[lang] = choice or {"analyzer": "standard", "kind": "standard"}
    return plan


def build_analysis(plan: dict[str, dict]) -> dict:
    """The ``index.analysis`` settings for the custom analyzers a plan needs (may be empty)."""
    analyzer: dict[str, dict] = {}
    filt: dict[str, dict] = {}
    for lang, p in plan.items():
        if p["kind"] == "core_stop":
            filt[f"newsetl_{lang}_stop"] = {"type": "stop", "stopwords": p["stopwords"]}
            analyzer[p["analyzer"]] = {"type": "custom", "tokenizer": "standard",
                                       "filter": ["lowercase", f"newsetl_{lang}_stop"]}
    return {"analyzer": analyzer, "filter": filt} if analyzer else {}


def build_mappings(settings: Any, analyzers: set[str] | None = None) -> dict:
    """The index mappings: strict, every document field, language copies for the configured languages."""
    missing = [f for f in DOCUMENT_FIELDS if f not in FIELD_MAPPINGS]
    if missing:
        raise ValueError(f"pipeline.mapping has no mapping for document field(s) {missing}: add them to FIELD_MAPPINGS")
    props: dict[str, dict] = {f: copy.deepcopy(FIELD_MAPPINGS[f]) for f in DOCUMENT_FIELDS}
    props.update(copy.deepcopy(LOADER_FIELDS))
    plan = language_plan(settings, analyzers)
    for lang, p in plan.items():
        props[f"title_{lang}"] = {"type": "text", "analyzer": p["analyzer"]}
        props[f"text_{lang}"] = {"type": "text", "analyzer": p["analyzer"]}
    return {
        "dynamic": "strict",
        "_meta": {"managed_by": "newsetl", "template_version": TEMPLATE_VERSION,
                  "languages": {lang: p["analyzer"] for lang, p in plan.items()}},
        "properties": props,
    }


def build_index_settings(settings: Any, analyzers: set[str] | None = None) -> dict:
    """Index settings: shards, replicas, refresh interval (the ``-settings`` component template)."""
    idx = _index_settings(settings)
    return {"index": {"number_of_shards": idx.shards, "number_of_replicas": idx.replicas,
                      "refresh_interval": idx.refresh_interval}}


def build_analysis_settings(settings: Any, analyzers: set[str] | None = None) -> dict:
    """The custom analyzers the mappings use. They travel in the ``-mappings`` component template with the fields
    that reference them (Elasticsearch validates each component template on its own)."""
    analysis = build_analysis(language_plan(settings, analyzers))
    return {"index": {"analysis": analysis}} if analysis else {}


def _hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


def build_template(settings: Any, analyzers: set[str] | None = None) -> dict:
    """Bodies of the component templates and of the composable index template::

        {"component_templates": {"<name>-settings": {...}, "<name>-mappings": {...}},
         "index_template": {"name": "<name>", "body": {...}}, "hash": "<digest of all of it>"}

    Each body is what ``PUT _component_template/<n>`` / ``PUT _index_template/<n>`` take."""
    idx = _index_settings(settings)
    settings_ct = {"template": {"settings": build_index_settings(idx)},
                   "version": TEMPLATE_VERSION, "_meta": {"managed_by": "newsetl"}}
    mappings_tpl: dict[str, Any] = {"mappings": build_mappings(idx, analyzers)}
    analysis = build_analysis_settings(idx, analyzers)
    if analysis:
        mappings_tpl["settings"] = analysis
    mappings_ct = {"template": mappings_tpl,
                   "version": TEMPLATE_VERSION, "_meta": {"managed_by": "newsetl"}}
    names = [f"{idx.name}-settings", f"{idx.name}-mappings"]
    digest = _hash([settings_ct, mappings_ct, names])
    for ct in (settings_ct, mappings_ct):
        ct["_meta"]["hash"] = digest
    index_template = {
        "index_patterns": [f"{idx.name}-v*"],
        "composed_of": names,
        "priority": 200,
        "version": TEMPLATE_VERSION,
        "_meta": {"managed_by": "newsetl", "hash": digest, "read_alias": idx.read_alias,
                  "write_alias": idx.write_alias_name},
    }
    return {"component_templates": dict(zip(names, (settings_ct, mappings_ct))),
            "index_template": {"name": idx.template_name, "body": index_template},
            "hash": digest}


def mapping_field_paths(mappings: dict) -> set[str]:
    """Every dotted field path of a mappings body (or a get_mapping()/template response holding one):
    leaf fields, multi-field sub-fields (``title.keyword``) and disabled objects (``entity_mentions``)."""
    m = mappings
    # accept {"mappings": {...}} and {"<index>": {"mappings": {...}}}
    if "properties" not in m:
        if "mappings" in m:
            m = m["mappings"]
        elif len(m) == 1 and isinstance(next(iter(m.values())), dict) and "mappings" in next(iter(m.values())):
            m = next(iter(m.values()))["mappings"]
    out: set[str] = set()

    def walk(props: dict, prefix: str) -> None:
        for name, spec in props.items():
            path = f"{prefix}{name}"
            if "properties" in spec:
                walk(spec["properties"], path + ".")
            else:
                out.add(path)
            for sub in (spec.get("fields") or {}):
                out.add(f"{path}.{sub}")

    walk(m.get("properties", {}), "")
    return out


def language_fields(settings: Any) -> list[str]:
    """The per-language copy fields for the configured languages (title_en, text_en, …)."""
    idx = _index_settings(settings)
    return [f"{kind}_{lang}" for lang in idx.languages for kind in ("title", "text")]
