"""What is rising in the news: the people, organisations, places, countries or tags that the articles of a recent
window name far more often than those of the weeks before (``newsetl trends``, ``GET /trends``).

``trends(client, settings, field="people", window="24h", baseline="7d")`` compares the articles published in the
last ``window`` (the foreground) with those published in the ``baseline`` before it and the window together (the
background), with Elasticsearch's ``significant_terms`` aggregation (its default JLH score: a name must be both
more common than before and common enough to matter). A name written every day ranks below one that was rare and
now is everywhere, however often both appear. The same filters as a search narrow both sets (words, language,
source, country, entities, tag, originals), so "what rises in German sources about Ukraine" is one call::

    {"field": "people", "window": {"from", "to"}, "baseline": {"from", "to"}, "documents": 120, "background": 940,
     "trends": [{"key": "Boris Rising", "count": 14, "baseline_count": 2, "score": 3.1,
                 "per_day": 14.0, "baseline_per_day": 0.29}, ...]}

``count``: articles of the window naming it; ``baseline_count``: articles of the baseline naming it; ``per_day``
and ``baseline_per_day``: the same per day of each period. Only names in at least ``min_count`` articles of the
window are listed (default 3). Articles without a publication date are in neither set.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from elasticsearch import Elasticsearch

from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.search import SearchError, _search_alias, build_query
from pipeline.stories import kept_originals
from pipeline.settings.ingest import parse_duration

# what a trend may be counted on: the name a caller gives -> the field
FIELDS = {"people": "people", "person": "entities.person", "organization": "entities.organization",
          "location": "entities.location", "misc": "entities.misc", "places": "places", "countries": "countries",
          "regions": "regions", "tags": "tags", "categories": "categories", "source": "source"}


def _field(name: str) -> str:
    if name in FIELDS:
        return FIELDS[name]
    if name in FIELDS.values():        # the field's own name: entities.person
        return name
    raise SearchError(f"cannot count trends on {name!r}: use one of {', '.join(FIELDS)}")


def _period(value: str, what: str) -> dt.timedelta:
    d = parse_duration(value)
    if d is None or d <= dt.timedelta(0):
        raise SearchError(f"{what} {value!r} is not a duration: write it like 24h, 90m, 7d or 2w")
    return d


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        t = value
    else:
        try:
            t = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise SearchError(f"at {value!r} is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00Z)") from None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


WINDOW = "24h"          # the recent period, by default (the command, the API, Kibana's What is rising dashboard)
BASELINE = "7d"         # the period before it compared with
MIN_COUNT = 3           # the fewest articles of the window a name is listed with


def trends(client: Elasticsearch, settings: Any, *, field: str = "people", window: str = WINDOW,
           baseline: str = BASELINE, at: Any = None, size: int = 10, min_count: int = MIN_COUNT,
           query: str | None = "",
           lang: str | None = None, source: str | None = None, country: str | None = None,
           entities: Iterable[tuple[str, str]] | None = None, tag: str | None = None,
           originals: bool = False, access: str | None = None, near: str | None = None,
           filters: list[dict] | None = None) -> dict:
    """The names of ``field`` rising in the ``window`` that ends ``at`` (default now) against the ``baseline``
    before it (see the module docstring). ``filters``: more filter clauses for both sets (an API key's scope)."""
    idx = _index_settings(settings)
    f = _field(field)
    win, base = _period(window, "window"), _period(baseline, "baseline")
    if not isinstance(size, int) or not 1 <= size <= idx.search.max_size:
        raise SearchError(f"size must be between 1 and {idx.search.max_size} (index.search.max_size)")
    if not isinstance(min_count, int) or min_count < 1:
        raise SearchError("min_count must be 1 or more")
    end = _instant(at) if at else dt.datetime.now(dt.timezone.utc)
    start, base_start = end - win, end - win - base
    try:
        keep = kept_originals(client, idx.read_alias, filters, originals)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    common = {"lang": lang, "source": source, "entities": entities, "country": country, "tag": tag,
              "originals": originals, "access": access, "near": near, "filters": filters, "keep": keep}
    fg = build_query(settings, query, since=start, until=end, **common)
    bg = build_query(settings, query, since=base_start, until=end, **common)
    body = {"size": 0, "query": fg, "track_total_hits": True,
            "aggs": {"trends": {"significant_terms": {
                "field": f, "size": size, "min_doc_count": min_count, "shard_min_doc_count": 1,
                "background_filter": bg}}}}
    try:
        resp = _search_alias(client, idx.read_alias, body)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    agg = resp.get("aggregations", {}).get("trends", {})
    win_days, base_days = win.total_seconds() / 86400, base.total_seconds() / 86400
    out = []
    for b in agg.get("buckets", []):
        before = int(b["bg_count"]) - int(b["doc_count"])     # the background holds the window too
        out.append({"key": b["key"], "count": b["doc_count"], "baseline_count": before,
                    "score": round(float(b["score"]), 4), "per_day": round(b["doc_count"] / win_days, 2),
                    "baseline_per_day": round(before / base_days, 2)})
    return {"field": f, "window": {"from": start.isoformat(), "to": end.isoformat()},
            "baseline": {"from": base_start.isoformat(), "to": start.isoformat()},
            "documents": int(agg.get("doc_count", 0)), "background": int(agg.get("bg_count", 0)), "trends": out}
