"""Search for downstream services and analysts: full text, filters, facets, highlights, deep pagination.

``search(client, settings, query, ...)`` returns a plain dict (the same thing ``newsetl search --json`` prints)::

    {"total": 42, "total_relation": "eq", "took_ms": 3,
     "hits": [{"id", "score", "title", "url", "source", "domain", "language", "published_at", "authors",
               "site_name", "word_count", "entities", "access", "highlight": {"title": [...], "text": [...]}}, ...],
     "facets": {"language": [{"key": "en", "count": 30}, ...], "source": [...], "domain": [...],
                "categories": [...], "tags": [...], "places": [...], "countries": [...], "regions": [...],
                "access": [...],
                "entities.person": [...], ...,
                "stories": [{"key": "<id of an original>", "count": 3, "title": "...", "url": "..."}, ...],
                "people": [{"key": "Vladimir Putin", "count": 14, "spellings": [{"key": "Владимир Путин", ...}, ...]}],
                "published_at": [{"key": "2024-05-01", "count": 7}, ...]} | None,
     "next": "<opaque cursor>" | None}

Full text: ``simple_query_string`` (all words required; "quoted phrases", ``-word``, ``a | b`` work) over ``title``
(boosted), ``description``, ``text`` and the per-language copies ``title_<lang>``/``text_<lang>``. An empty query
(or ``*``) matches everything and sorts by date.

Paging: pass the previous answer's ``next`` as ``after``. Sort is ``[_score,] published_at desc, id asc`` (id breaks
ties, so every document appears exactly once), or with ``sort="copies"`` ``copies desc, published_at desc, id asc``.
From the second page on, the pages read one point in time (PIT) when the cluster offers it, so documents loaded
meanwhile do not shift them; the PIT is closed on the last page and otherwise expires after
``index.search.pit_keep_alive``. Without PIT (or when it expired) ``search_after`` runs on
the alias directly.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from typing import Any, Iterable

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from pipeline.es import UNAVAILABLE_ERRORS, close_pit, open_pit, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.namekeys import group_spellings, query_keys, spellings_of
from pipeline.neardup import copy_counts
from pipeline.names import alias_group
from pipeline.places import country_codes, near_point
from pipeline.schema import ACCESS_VALUES, ENTITY_TYPES
from pipeline.stories import ScopedStories, cached_stories, scoped_stories

HIT_FIELDS = ["id", "url", "canonical_url", "title", "description", "source", "domain", "language",
              "published_at", "authors", "site_name", "categories", "tags", "word_count", "entities", "people", "places",
              "countries", "regions", "place_points", "duplicate_of", "fetched_at", "access"]
LIKE_MINIMUM_SHOULD_MATCH = "30%"   # of the terms that set the liked document apart, a hit holds this share
PEOPLE_SPREAD = 5      # the people facet reads this many times facet_size names to join their spellings
ENTITY_ALIASES = {"per": "person", "people": "person", "org": "organization", "organisation": "organization",
                  "loc": "location", "place": "location", "gpe": "location"}


# what the loader adds to a document for search only, never part of an answer: the per-language copies, the name
# keys, the mention offsets and the MinHash bands
SEARCH_AIDS = ["text_*", "title_*", "entity_mentions", "entity_keys", "minhash_bands"]


class SearchError(ValueError):
    """A bad search request (date, entity type, cursor, size) or a missing index; one line."""


def parse_entity(spec: str) -> tuple[str, str]:
    """``"person:Vladimir Putin"`` -> ``("person", "Vladimir Putin")``."""
    if ":" not in spec:
        raise SearchError(f"entity {spec!r}: use TYPE:NAME, TYPE one of {', '.join(ENTITY_TYPES)}")
    etype, name = spec.split(":", 1)
    etype = ENTITY_ALIASES.get(etype.strip().lower(), etype.strip().lower())
    name = name.strip().strip('"').strip("'").strip()
    if etype not in ENTITY_TYPES:
        raise SearchError(f"unknown entity type {etype!r}: use one of {', '.join(ENTITY_TYPES)}")
    if not name:
        raise SearchError(f"entity {spec!r}: the name is empty")
    return etype, name


def _date_bound(value: str | dt.date | dt.datetime | None, what: str, end: bool) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat() + ("||/d" if end else "")
    s = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            dt.date.fromisoformat(s)
        except ValueError:
            raise SearchError(f"{what} {s!r} is not a real date") from None
        return s + ("||/d" if end else "")  # an end date includes that whole day
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise SearchError(f"{what} {s!r} is not a date: use YYYY-MM-DD or an ISO 8601 date-time") from None


def _encode_cursor(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict:
    try:
        pad = "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(cursor + pad))
        if not isinstance(data, dict) or data.get("v") != 1 or not isinstance(data.get("a"), list):
            raise ValueError
        return data
    except (ValueError, TypeError):
        raise SearchError("the cursor is not valid: pass the `next` value of the previous page unchanged") from None


def entity_filter(etype: str, name: str, entity_settings: Any = None) -> dict:
    """Documents with an entity of ``etype`` named ``name`` in any case, or whose name holds ``name``'s words in
    that order ("putin" finds "Vladimir Putin"; "Vladimir Putin" not "Vladimir Vladimirovich Putin"): the exact
    keyword, or a phrase in one name's ``.words`` (an index made before that sub-field still matches exactly).
    A name the entity aliases join with others finds them all, in every language ("USA": "United States",
    "Vereinigte Staaten", "États-Unis"…; ``pipeline.names.alias_group``). So does a name spelt another way in
    another language or in Cyrillic: a phrase of its keys in ``entity_keys`` ("Putin": "Владимир Путин",
    "Vladimir Poutine"; "Zelensky": "Selenskyj"; ``pipeline.namekeys``; documents loaded before the keys have none:
    ``newsetl index migrate`` adds them)."""
    names = sorted(alias_group(name, entity_settings), key=lambda n: (n != name, n))
    return {"bool": {"should": [
        *({"term": {f"entities.{etype}": {"value": n, "case_insensitive": True}}} for n in names),
        {"match_phrase": {f"entities.{etype}.words": name}},
        *({"match_phrase": {f"entity_keys.{etype}": k}} for k in query_keys(name))], "minimum_should_match": 1}}


# ``access=none`` (or ``unknown``): the page declares nothing, or was processed before 0.2.9
ACCESS_UNDECLARED = ("none", "unknown")


def access_filter(access: str) -> dict:
    """Documents whose page declares any of the comma-separated ``access`` values (free, metered, paywalled; none
    or unknown: it declares nothing). SearchError naming the allowed values for anything else."""
    values = [v.strip().lower() for v in str(access).split(",") if v.strip()]
    bad = [v for v in values if v not in ACCESS_VALUES and v not in ACCESS_UNDECLARED]
    if bad or not values:
        raise SearchError(f"access {access!r}: use {', '.join(ACCESS_VALUES)} or none (not declared); "
                          f"comma-separated: any of them")
    should: list[dict] = []
    declared = [v for v in ACCESS_VALUES if v in values]
    if declared:
        should.append({"terms": {"access": declared}})
    if any(v in ACCESS_UNDECLARED for v in values):
        should.append({"bool": {"must_not": [{"exists": {"field": "access"}}]}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def build_query(settings: Any, query: str | None, *, lang: str | None = None, source: str | None = None,
                entities: Iterable[tuple[str, str]] | None = None, since=None, until=None,
                tag: str | None = None, country: str | None = None, like: str | None = None, near: str | None = None,
                originals: bool = False, access: str | None = None, filters: list[dict] | None = None,
                keep: Iterable[str] = ()) -> dict:
    """The Elasticsearch query (bool: full text must + filters). ``like``: the id of a document whose title and
    text the hits resemble (``more_like_this``; the document itself is not a hit). ``originals``: no near duplicate
    of another document (``duplicate_of``: ``pipeline.neardup``), but those of ``keep`` (a scope's own originals:
    ``pipeline.stories.kept_originals``). ``filters``: more filter clauses, ANDed with the rest (an API key's scope:
    ``pipeline.apikeys.scope_filters``)."""
    idx = _index_settings(settings)
    boost = idx.search.title_boost
    extra, filters = list(filters or []), []
    langs = list(idx.languages)
    if lang:
        codes = [c.strip().lower() for c in str(lang).split(",") if c.strip()]
        filters.append({"terms": {"language": codes}})
        langs = [c for c in langs if c in codes]
    if source:
        names = [s.strip() for s in str(source).split(",") if s.strip()]
        filters.append({"bool": {"should": [{"terms": {"source": names}}, {"terms": {"domain": names}}],
                                 "minimum_should_match": 1}})
    if tag:            # the page's own keywords or sections, as written: any of them
        names = [t.strip() for t in str(tag).split(",") if t.strip()]
        filters.append({"bool": {"should": [{"terms": {"tags": names}}, {"terms": {"categories": names}}],
                                 "minimum_should_match": 1}})
    if access:         # free, metered, paywalled as the page declares it, none: it declares nothing; any of them
        filters.append(access_filter(access))
    if country:        # a place in the country or region, or it, in any language (pipeline.places): any of them
        filters.append(area_filter(country))
    if near:           # a city among the article's places within the radius ("LAT,LON,KM" or "CITY,KM")
        try:
            lat, lon, km = near_point(near, idx.places.min_city_population)   # the towns the loader knew
        except ValueError as e:
            raise SearchError(str(e)) from None
        filters.append({"geo_distance": {"distance": f"{km:g}km", "place_points": {"lat": lat, "lon": lon},
                                         "ignore_unmapped": True}})      # an index from before: no hit
    for etype, name in entities or ():
        if etype not in ENTITY_TYPES:
            raise SearchError(f"unknown entity type {etype!r}: use one of {', '.join(ENTITY_TYPES)}")
        filters.append(entity_filter(etype, name, getattr(getattr(settings, "processing", None), "entities", None)))
    rng: dict[str, str] = {}
    lo, hi = _date_bound(since, "since", False), _date_bound(until, "until", True)
    if lo:
        rng["gte"] = lo
    if hi:
        rng["lte"] = hi
    if rng:
        filters.append({"range": {"published_at": rng}})
    filters += extra
    must: list[dict] = []
    q = (query or "").strip()
    if q and q != "*":
        fields = [f"title^{boost}", "description^1.5", "text"]
        for c in langs:
            fields += [f"title_{c}^{boost}", f"text_{c}"]
        must.append({"simple_query_string": {"query": q, "fields": fields, "default_operator": "and",
                                             "lenient": True}})
    if like:           # articles like one in the index: the terms that set its title and text apart
        must.append({"more_like_this": {
            "fields": ["title", "text", *(f"{f}_{c}" for c in idx.languages for f in ("title", "text"))],
            "like": [{"_index": idx.read_alias, "_id": like}], "min_term_freq": 1, "min_doc_freq": 1,
            "max_query_terms": 40, "minimum_should_match": LIKE_MINIMUM_SHOULD_MATCH}})
    out: dict = {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}
    if originals:      # the copies of a story left out: the original (first published) stays
        copy = {"exists": {"field": "duplicate_of"}}
        keep = sorted(keep)
        out["bool"]["must_not"] = [{"bool": {"filter": [copy], "must_not": [{"ids": {"values": keep}}]}}
                                   if keep else copy]
    return out


def _sort(mode: str, scoped: bool = False) -> list:
    """``scoped``: the copies a scope sees are the score (``_by_copies``), not the stored index-wide ones."""
    date = {"published_at": {"order": "desc", "missing": "_last"}}
    tie = {"id": {"order": "asc"}}
    if mode == "copies" and scoped:
        return ["_score", date, tie]
    if mode == "copies":     # the most copied originals first (pipeline.neardup); an index from before has no field
        return [{"copies": {"order": "desc", "missing": "_last", "unmapped_type": "integer"}}, date, tie]
    return ["_score", date, tie] if mode == "relevance" else [date, tie]


def _by_copies(query: dict, counts: dict[str, int]) -> dict:
    """``query`` scored by the copies a scope sees (``pipeline.stories``) plus one, for ``sort=copies`` under a
    scope: one weight per count, each on the ids of that many copies, and 1 for the others. Weights and filters,
    no script: a cluster without painless runs it too."""
    by_count: dict[int, list[str]] = {}
    for doc_id, n in counts.items():
        by_count.setdefault(n, []).append(doc_id)
    functions = [{"filter": {"ids": {"values": sorted(ids)}}, "weight": n + 1}
                 for n, ids in sorted(by_count.items(), reverse=True)]
    return {"function_score": {"query": query, "functions": [*functions, {"weight": 1}], "score_mode": "first",
                               "boost_mode": "replace"}}


def area_codes(spec: str) -> tuple[list[str], list[str]]:
    """What ``country=`` names, comma-separated: countries (ISO 3166-1 alpha-2 codes or names in any language:
    ``pipeline.places.country_codes``) and first-level regions (ISO 3166-2 codes or names: "US-CA", "Bayern",
    "Kharkiv Oblast": ``pipeline.georegions.region_code``), as (country codes, region codes), each once. Raises
    ``ValueError`` naming an item that is neither."""
    from pipeline.georegions import region_code

    countries: list[str] = []
    regions: list[str] = []
    for item in (part.strip() for part in str(spec).split(",")):
        if not item:
            continue
        try:
            countries += [c for c in country_codes(item) if c not in countries]
        except ValueError as e:
            code = region_code(item)
            if code is None:
                raise ValueError(f"{e}; or a first-level region's ISO 3166-2 code (US-CA, DE-BY…) or name "
                                 f"(California, Bayern…)") from None
            if code not in regions:
                regions.append(code)
    return countries, regions


def area_filter(spec: str) -> dict:
    """The filter of ``country=`` (``area_codes``): the article names one of the countries or a place in it
    (``countries``), or one of the regions or a place in it (``regions``). ``SearchError`` for what is neither."""
    try:
        countries, regions = area_codes(spec)
    except ValueError as e:
        raise SearchError(str(e)) from None
    clauses = ([{"terms": {"countries": countries}}] if countries else []) + (
        [{"terms": {"regions": regions}}] if regions else [])
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _facet_aggs(idx, facet_size: int) -> dict:
    aggs: dict[str, dict] = {f: {"terms": {"field": f, "size": facet_size}}
                             for f in ("language", "source", "domain", "authors", "categories", "tags", "places",
                                       "countries", "regions", "access")}
    for t in ENTITY_TYPES:
        aggs[f"entities.{t}"] = {"terms": {"field": f"entities.{t}", "size": facet_size}}
    # people: the labels (pipeline.people), and more names than shown, so that each label finds its spellings (or,
    # in an index without labels, the spellings find each other); ``_facets`` shows facet_size of the names as
    # entities.person and joins them into the people facet
    aggs["people"] = {"terms": {"field": "people", "size": facet_size}}
    aggs["entities.person"]["terms"]["size"] = max(facet_size, min(facet_size * PEOPLE_SPREAD, 1000))
    # stories: the originals with the most near duplicates among the hits (``search`` names them by their titles)
    aggs["duplicate_of"] = {"terms": {"field": "duplicate_of", "size": facet_size}}
    aggs["published_at"] = {"date_histogram": {"field": "published_at",
                                               "calendar_interval": idx.search.date_interval,
                                               "min_doc_count": 1, "format": "yyyy-MM-dd"}}
    return aggs


def _hit(h: dict, include_text: bool) -> dict:
    src = h.get("_source") or {}
    out = {"id": h.get("_id"), "score": h.get("_score")}
    for f in HIT_FIELDS:
        if f != "id" and f in src:
            out[f] = src[f]
    if include_text:
        out["text"] = src.get("text")
    hl: dict[str, list[str]] = {}
    for field, frags in (h.get("highlight") or {}).items():
        base = "title" if field.startswith("title") else "text" if field.startswith("text") else field
        bucket = hl.setdefault(base, [])
        for fr in frags:
            if fr not in bucket:
                bucket.append(fr)
    out["highlight"] = hl
    return out


def search(client: Elasticsearch, settings: Any, query: str | None = "", *, lang: str | None = None,
           source: str | None = None, entities: Iterable[tuple[str, str]] | None = None, since=None, until=None,
           size: int = 10, after: str | None = None, facets: bool = False, sort: str | None = None,
           facet_size: int | None = None, include_text: bool = False, tag: str | None = None,
           country: str | None = None, like: str | None = None, originals: bool = False, near: str | None = None,
           access: str | None = None, filters: list[dict] | None = None) -> dict:
    """Search the read alias. See the module docstring for the answer's shape.

    ``entities``: (type, name) pairs that must all match (``entity_filter``: the name in any case, or its words).
    ``tag``: a tag or category the page gives itself, as written (comma-separated: any of them).
    ``country``: ISO codes or country names (comma-separated: any of them); the article names the country or a city
    in it (``countries``, ``pipeline.places``). First-level regions too, by ISO 3166-2 code or name ("US-CA",
    "Bayern"): the article names the region or a place in it (``regions``, ``pipeline.georegions``).
    ``near``: ``"LAT,LON,KM"`` ("50.45,30.52,100km") or ``"CITY,KM"`` ("Kyiv,100"): a city among the article's places
    lies within KM km of the point (``place_points``, ``pipeline.places.near_point``).
    ``like``: a document's id: articles like it (its title and text), the most alike first.
    ``originals``: leave out the near duplicates of other documents (wire copies: ``pipeline.neardup``).
    ``access``: free, metered, paywalled as the page declares it, or none (comma-separated: any of them).
    ``since``/``until``: dates (``YYYY-MM-DD``, whole days) or ISO date-times on ``published_at``.
    ``sort``: ``relevance`` (default with a query), ``date`` (default without) or ``copies`` (the originals with the
    most near duplicates first, then by date). ``after``: a cursor.
    ``filters``: more filter clauses ANDed with the rest (an API key's scope): the hits, the facets, the copies
    counted, the stories' titles and ``like``'s document, all within them."""
    idx = _index_settings(settings)
    if not isinstance(size, int) or size < 0 or size > idx.search.max_size:
        raise SearchError(f"size must be between 0 and {idx.search.max_size} (index.search.max_size)")
    entities = [tuple(e) for e in (entities or [])]
    asked = dict(lang=lang, source=source, entities=entities, since=since, until=until, tag=tag, country=country,
                 like=like, originals=originals, access=access, near=near, filters=filters)
    q = build_query(settings, query, **asked)
    has_text = bool((query or "").strip()) and (query or "").strip() != "*"
    mode = sort or ("relevance" if has_text or like else "date")
    if mode not in ("relevance", "date", "copies"):
        raise SearchError("sort must be relevance, date or copies")
    view = None         # a scope's stories (pipeline.stories): its own originals and copies
    if filters:
        try:
            view = cached_stories(client, idx.read_alias, filters)
        except UNAVAILABLE_ERRORS as e:
            raise unavailable_from(client, e) from None
    fingerprint_q = q       # the cursor's: not the scope's originals, which a load between two pages may change
    if view and originals and view.heads:
        q = build_query(settings, query, **asked, keep=view.kept())
    if like and not _exists(client, idx.read_alias, like, filters):
        raise SearchError(f"no document with id {like!r} in {idx.read_alias!r}: give the id of an indexed article "
                          f"(the `id` of a hit)")
    fingerprint = hashlib.sha256(json.dumps([fingerprint_q, mode], sort_keys=True).encode()).hexdigest()[:16]
    cur = _decode_cursor(after) if after else None
    if cur and cur.get("f") != fingerprint:
        raise SearchError("the cursor belongs to a different query: repeat the same query and filters with it")

    scoped_copies = bool(view) and mode == "copies"
    body: dict[str, Any] = {"query": _by_copies(q, view.counts) if scoped_copies else q, "size": size,
                            "sort": _sort(mode, scoped_copies), "track_total_hits": True,
                            "_source": {"excludes": SEARCH_AIDS + ([] if include_text else ["text"])}}
    if has_text:
        hl_fields = {"title": {"number_of_fragments": 0}, "text": {}}
        for c in idx.languages:
            hl_fields[f"title_{c}"] = {"number_of_fragments": 0}
            hl_fields[f"text_{c}"] = {}
        body["highlight"] = {"fields": hl_fields, "fragment_size": 160, "number_of_fragments": 2,
                             "require_field_match": False}
    if facets:
        body["aggs"] = _facet_aggs(idx, facet_size or idx.search.facet_size)
    pit = None
    if cur:
        body["search_after"] = cur["a"]
        pit = cur.get("p")
        if not pit and idx.search.use_pit:
            pit = open_pit(client, idx.read_alias, idx.search.pit_keep_alive)
    try:
        resp, pit = _run(client, idx, body, pit)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    hits = resp["hits"]["hits"]
    nxt = None
    if size and len(hits) == size:
        nxt = _encode_cursor({"v": 1, "a": hits[-1]["sort"], "p": pit, "f": fingerprint})
    elif pit:
        close_pit(client, pit)
    total = resp["hits"].get("total") or {}
    out_hits = [_hit(h, include_text) for h in hits]
    out_facets = _facets(resp.get("aggregations") or {}, facet_size or idx.search.facet_size) if facets else None
    try:
        buckets = out_facets.pop("duplicate_of", []) if out_facets is not None else []
        if view:
            out_hits = [view.apply(h, h["id"]) for h in out_hits]
        else:
            _add_copies(client, idx.read_alias, out_hits)
        if out_facets is not None:
            if view:
                buckets = _scoped_buckets(client, idx.read_alias, buckets, view, q)
            out_facets["stories"] = _stories(client, idx.read_alias, buckets, filters)
            if "published_at" in out_facets:   # last, after people and stories, as before they were added
                out_facets["published_at"] = out_facets.pop("published_at")
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {
        "total": int(total.get("value", 0)),
        "total_relation": total.get("relation", "eq"),
        "took_ms": resp.get("took"),
        "hits": out_hits,
        "facets": out_facets,
        "next": nxt,
    }


def _add_copies(client: Elasticsearch, alias: str, hits: list[dict]) -> None:
    """``copies`` on each hit that has near duplicates in the index: how many (``pipeline.neardup``)."""
    ids = [h["id"] for h in hits if not h.get("duplicate_of")]
    if not ids:
        return
    counts = copy_counts(client, alias, ids)
    for h in hits:
        if counts.get(h["id"]):
            h["copies"] = counts[h["id"]]


def _scoped_buckets(client: Elasticsearch, alias: str, buckets: list[dict], view: ScopedStories,
                    query: dict) -> list[dict]:
    """The stories facet's buckets (index-wide originals, how many hits are marked their copies) as a scope sees
    them (``pipeline.stories``): a story whose original is outside it is its first member inside, which is then no
    copy of its own; a story left with no copy among the hits is none."""
    heads = {b["key"]: view.heads[b["key"]] for b in buckets if b["key"] in view.heads}
    hit = set()
    if heads:       # which of those first members are hits themselves (each counted among its story's copies)
        found = client.search(index=alias, size=len(heads), source=False, query={"bool": {"filter": [
            query, {"ids": {"values": sorted(heads.values())}}]}})["hits"]["hits"]
        hit = {h["_id"] for h in found}
    out = []
    for b in buckets:
        head = heads.get(b["key"], b["key"])
        count = b["count"] - (head != b["key"] and head in hit)
        if count:
            out.append({**b, "key": head, "count": count})
    return sorted(out, key=lambda b: (-b["count"], b["key"]))


def _stories(client: Elasticsearch, alias: str, buckets: list[dict], filters: list[dict] | None = None) -> list[dict]:
    """The ``duplicate_of`` buckets (original id, how many of the hits are its copies) with the originals' titles
    and URLs (with ``filters``, only of the originals within them: the others' are None)."""
    if not buckets:
        return []
    ids = [b["key"] for b in buckets]
    if filters:
        docs = {h["_id"]: h.get("_source") or {} for h in client.search(
            index=alias, size=len(ids), query={"bool": {"filter": [{"ids": {"values": ids}}, *filters]}},
            source_includes=["title", "url"])["hits"]["hits"]}
    else:
        docs = {d["_id"]: d.get("_source") or {} for d in client.mget(
            index=alias, ids=ids, source_includes=["title", "url"])["docs"] if d.get("found")}
    return [{**b, "title": docs.get(b["key"], {}).get("title"), "url": docs.get(b["key"], {}).get("url")}
            for b in buckets]


def _exists(client: Elasticsearch, alias: str, doc_id: str, filters: list[dict] | None = None) -> bool:
    try:
        if filters:
            return bool(client.count(index=alias, query={"bool": {"filter": [{"ids": {"values": [doc_id]}},
                                                                              *filters]}})["count"])
        return bool(client.exists(index=alias, id=doc_id))
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    except NotFoundError:
        return False


def _run(client: Elasticsearch, idx, body: dict, pit: str | None) -> tuple[Any, str | None]:
    """(response, the PIT id to continue with or None)."""
    if pit:
        try:
            resp = client.search(**body, pit={"id": pit, "keep_alive": idx.search.pit_keep_alive})
            return resp, resp.get("pit_id") or pit
        except NotFoundError:
            pass  # the point in time expired: continue on the live alias (same sort, same search_after)
        except ApiError as e:
            if "search_context_missing" not in str(e) and "No search context" not in str(e):
                raise
    return _search_alias(client, idx.read_alias, body), None


def _search_alias(client: Elasticsearch, alias: str, body: dict) -> Any:
    """A search of the read alias; SearchError when there is no such index yet."""
    try:
        return client.search(index=alias, **body)
    except NotFoundError as e:
        if "index_not_found" in str(e):
            raise SearchError(f"the index {alias!r} does not exist: run `newsetl index ensure` and load "
                              "documents") from None
        raise


def get_document(client: Elasticsearch, settings: Any, doc_id: str, filters: list[dict] | None = None) -> dict | None:
    """One document of the read alias as indexed, without the search aids (``SEARCH_AIDS``); None when there is
    none (with ``filters``: none within them). SearchError when the index does not exist, ClusterUnavailable when
    the cluster cannot be reached."""
    alias = _index_settings(settings).read_alias
    ids = {"ids": {"values": [doc_id]}}
    try:
        hits = _search_alias(client, alias, {"size": 1, "query": {"bool": {"filter": [ids, *filters]}} if filters
                                             else ids,
                                             "_source": {"excludes": SEARCH_AIDS}})["hits"]["hits"]
        if not hits:
            return None
        doc = hits[0]["_source"]
        if filters:     # its story's marks as the scope sees them (pipeline.stories)
            view = scoped_stories(client, alias, filters, groups=[doc.get("duplicate_of") or doc_id])
            doc = view.apply(doc, doc_id)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return doc


def _facets(aggs: dict, facet_size: int) -> dict:
    out = {}
    for name, agg in aggs.items():
        out[name] = [{"key": b.get("key_as_string", b["key"]), "count": b["doc_count"]} for b in agg.get("buckets", [])]
    if "entities.person" in out:   # one entry per person, its spellings in every language and script joined
        names, labels = out["entities.person"], out.get("people")
        out["entities.person"] = names[:facet_size]
        # the loader's labels count each document once under the name every document gives the person; an index
        # loaded without them (index.people_labels off, or before loader 4) joins the top names' spellings here
        out["people"] = [{**b, "spellings": spellings_of(b["key"], names)} for b in labels] if labels else \
            group_spellings(names)[:facet_size]
    return out


def iter_all(client: Elasticsearch, settings: Any, query: str | None = "", *, page_size: int = 100, **kw):
    """Every hit of a search, page by page (follows the cursor)."""
    after = None
    while True:
        res = search(client, settings, query, size=page_size, after=after, **kw)
        yield from res["hits"]
        after = res["next"]
        if not after:
            return
