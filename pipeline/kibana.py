"""Kibana saved objects for the news index, and their importer.

- ``build_saved_objects(index_name)``: the data views (the read alias, and the runs, dead-letter, removed and alerts
  side indices), the saved searches, the Lens visualizations, the Vega "Rising names" panels (Lens has no
  significant_terms: they count what ``newsetl trends`` counts, pipeline.trends), the Vega map "Where the news is"
  (the cities named, in Kibana's map mode: ``places_map_spec``) and the dashboards, as Kibana
  saved-object dicts (the 8.x shape, which Kibana 9 imports and migrates). ``to_ndjson()`` writes them as the
  export/import format; ``config/kibana/newsetl.ndjson`` is that output for the read alias ``news`` (regenerate it
  with ``newsetl kibana build``; a test keeps the two equal).
- ``check_saved_objects(objects, mappings)``: every reference resolves to an object in the set, every field named
  exists in the mapping of the index its data view covers (the news mapping, or the runs, dead-letter, removed or
  alerts index's) and is aggregatable where it is bucketed, panels point at their references; a Vega panel's spec is
  strict JSON, each Elasticsearch request in it queries the index of a data view in the set (by its time field),
  expands the way Kibana expands ``%context%``, ``%timefield%`` and ``%timefilter%`` (``expand_vega_url``), and its
  fields are checked like the others'.
- ``import_saved_objects(...)``: ``POST {kibana}/api/saved_objects/_import`` (multipart field ``file``, header
  ``kbn-xsrf``), with clear errors for an unreachable Kibana, refused credentials and per-object failures.

Kibana cannot run in the test environment; the importer is tested against a local HTTP server that records the
request, and the Vega panels' requests, expanded as Kibana's Vega parser expands them, run on the real test node
(tests/test_kibana.py).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

import httpx

from pipeline.wording import counted


def default_ndjson() -> Path:
    """The saved objects' file: ``kibana/newsetl.ndjson`` in the configuration's folder (``config/`` of a checkout,
    or beside ``$NEWSETL_CONFIG``: ``pipeline.settings.config_dir``)."""
    from pipeline.settings import config_dir

    return config_dir() / "kibana" / "newsetl.ndjson"

DEFAULT_URL = "http://127.0.0.1:5601"

# Saved-object ids are stable so a re-import overwrites instead of duplicating.
DATA_VIEW_ID = "newsetl-news"
RUNS_VIEW_ID = "newsetl-runs"      # the runs index (pipeline.runs): one row per run and source
LETTERS_VIEW_ID = "newsetl-deadletters"   # the dead-letter index (pipeline.runs): one document per dead letter
REMOVED_VIEW_ID = "newsetl-removed"   # the removed index (pipeline.removals): one record per article or domain
ALERTS_VIEW_ID = "newsetl-alerts"     # the alerts index (pipeline.watches): one record per watch and article
# Migration versions the objects are written for: Kibana applies every migration newer than these on import.
CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSION = {"index-pattern": "8.0.0", "search": "8.0.0", "lens": "8.9.0", "dashboard": "8.7.0",
                          "visualization": "8.5.0"}   # the last migration of legacy visualizations (Vega's type)
PANEL_VERSION = "8.8.0"

# The person the "articles mentioning a person" search starts with (one of the demo articles'); edit it in Kibana.
DEMO_PERSON = "Amina Odhiambo"
# and the name the "any language or script" search starts with, spelt as a name key (a demo article names him in
# Cyrillic: Ильдар Сафин)
DEMO_PERSON_KEY = "ildar safin"

RECORDS = "___records___"

# The news data view's time field: what the dashboards' time range filters on (and pipeline.trends' periods).
NEWS_TIME_FIELD = "published_at"

# The "Rising names" panels (Vega-Lite; pipeline.trends): (saved-object id, title, the trends field name
# (pipeline.trends.FIELDS), what one bar is, what the bars are).
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
RISING_PANELS = (("newsetl-rising-people", "Rising names: people", "people", "Person", "people"),
                 ("newsetl-rising-organizations", "Rising names: organisations", "organization", "Organisation",
                  "organisations"),
                 ("newsetl-rising-places", "Rising names: places", "places", "Place", "places"))
RISING_SIZE = 15            # bars per panel
RISING_AGG = "rising"       # the significant_terms aggregation's name in the request
RISING_DASHBOARD_ID = "newsetl-rising"

# The "Where the news is" panel (Vega in Kibana's map mode; places_map_spec): a circle per city the articles name
VEGA_SCHEMA = "https://vega.github.io/schema/vega/v5.json"
MAP_PANEL_ID = "newsetl-places-map"
MAP_TITLE = "Where the news is"
MAP_AGG = "map"             # the request's one top-level aggregation: the articles with a point, and below it
MAP_TILES = 300             # circles at most: the cities named by the most articles
MAP_PRECISION = 29          # geotile_grid's finest tiles (~4 cm): one tile per city point (places_map_spec)
MAP_LABELS = 12             # the most named cities get their name written beside the circle
MAP_NAMES = 1000            # the names counted over all the articles, to tell a tile's city (places_map_spec)
MAP_VIEW = {"latitude": 35, "longitude": 15, "zoom": 1}     # the initial view: most of the inhabited world

# Kibana status levels in which the saved-objects API works.
UP_LEVELS = ("available", "degraded")  # Lens' pseudo-field for "count of documents"

# Field types Kibana can bucket (terms / date_histogram) on.
AGGREGATABLE_TYPES = {"keyword", "date", "date_nanos", "integer", "long", "short", "byte", "float", "double",
                      "half_float", "scaled_float", "boolean", "ip", "constant_keyword"}
# Aggregations that need a geo_point field (the Vega map's geotile_grid), and the field types they take
GEO_AGGS = {"geotile_grid", "geohash_grid", "geohex_grid", "geo_centroid", "geo_bounds"}
GEO_TYPES = {"geo_point"}


class KibanaError(Exception):
    """The import could not be done or Kibana refused (some of) it. ``str()`` is one line saying what to do."""


# ----------------------------------------------------------------------------------------------- saved objects


def _obj(type_: str, id_: str, attributes: dict, references: list[dict] | None = None) -> dict:
    return {
        "type": type_,
        "id": id_,
        "attributes": attributes,
        "references": references or [],
        "coreMigrationVersion": CORE_MIGRATION_VERSION,
        "typeMigrationVersion": TYPE_MIGRATION_VERSION[type_],
        "managed": False,
    }


def _count(label: str = "Articles") -> dict:
    return {"label": label, "dataType": "number", "operationType": "count", "isBucketed": False, "scale": "ratio",
            "sourceField": RECORDS, "params": {"emptyAsNull": True}, "customLabel": True}


def _max(field_name: str, label: str) -> dict:
    return {"label": label, "dataType": "number", "operationType": "max", "isBucketed": False, "scale": "ratio",
            "sourceField": field_name, "params": {"emptyAsNull": True}, "customLabel": True}


def _sum(field_name: str, label: str) -> dict:
    return {**_max(field_name, label), "operationType": "sum"}


def _last(field_name: str, label: str, sort_field: str, data_type: str = "number") -> dict:
    """The value of the newest row by ``sort_field`` (Lens' "Last value")."""
    return {"label": label, "dataType": data_type, "operationType": "last_value", "isBucketed": False,
            "scale": "ratio" if data_type == "number" else "interval", "sourceField": field_name,
            "filter": {"query": f"{field_name}: *", "language": "kuery"},
            "params": {"sortField": sort_field, "showArrayValues": False}, "customLabel": True}


def _terms(field_name: str, label: str, size: int, order_by: str, other: bool = True) -> dict:
    return {"label": label, "dataType": "string", "operationType": "terms", "scale": "ordinal",
            "sourceField": field_name, "isBucketed": True, "customLabel": True,
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": other, "missingBucket": False,
                       "parentFormat": {"id": "terms"}}}


def _date_histogram(field_name: str, label: str) -> dict:
    return {"label": label, "dataType": "date", "operationType": "date_histogram", "scale": "interval",
            "sourceField": field_name, "isBucketed": True, "customLabel": True,
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def _lens(id_: str, title: str, description: str, vis_type: str, layer_id: str, columns: dict[str, dict],
          visualization: dict, data_view_id: str, query: str = "") -> dict:
    state = {
        "datasourceStates": {"formBased": {"layers": {layer_id: {
            "columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}},
        "visualization": visualization,
        "query": {"query": query, "language": "kuery"},
        "filters": [],
        "internalReferences": [],
        "adHocDataViews": {},
    }
    return _obj("lens", id_, {"title": title, "description": description, "visualizationType": vis_type,
                              "state": state},
                [{"type": "index-pattern", "id": data_view_id, "name": f"indexpattern-datasource-layer-{layer_id}"}])


def _xy(layer_id: str, series: str, x: str | None, y: str, split: str | None, legend: bool) -> dict:
    layer: dict[str, Any] = {"layerId": layer_id, "layerType": "data", "seriesType": series, "accessors": [y]}
    if x:
        layer["xAccessor"] = x
    if split:
        layer["splitAccessor"] = split
    return {"legend": {"isVisible": legend, "position": "right"}, "valueLabels": "hide",
            "preferredSeriesType": series, "fittingFunction": "None", "layers": [layer],
            "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True}}


def _top_terms(id_: str, title: str, field_name: str, label: str, size: int, dv: str) -> dict:
    layer = f"{id_}-layer"
    columns = {"terms": _terms(field_name, label, size, "count", other=False), "count": _count()}
    return _lens(id_, title, f"Top {size} values of {field_name} among the articles in the time range.",
                 "lnsXY", layer, columns, _xy(layer, "bar_horizontal", "terms", "count", None, False), dv)


def trends_defaults() -> dict[str, Any]:
    """The defaults of ``pipeline.trends`` that the Rising panels share with ``newsetl trends``: ``window`` (the What
    is rising dashboard's time range), ``baseline`` (the days before the range the panels compare with) and
    ``min_count`` (the fewest articles of the range a name is listed with)."""
    from pipeline.trends import BASELINE, MIN_COUNT, WINDOW

    return {"window": WINDOW, "baseline": BASELINE, "min_count": MIN_COUNT}


# Kibana's %timefilter% shift units (its Vega ES query parser), largest first; weeks are written as days
_SHIFT_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def _shift(duration: str) -> tuple[int, str]:
    """A duration of pipeline.trends ("7d", "36h") as a %timefilter% shift back: (-7, "d"), (-36, "h")."""
    from pipeline.settings.ingest import parse_duration

    d = parse_duration(duration)
    if d is None or d.total_seconds() <= 0:
        raise ValueError(f"{duration!r} is not a duration")
    seconds = int(d.total_seconds())
    unit, size = next((u, n) for u, n in _SHIFT_UNITS if seconds % n == 0)
    return -(seconds // size), unit


def _spoken(duration: str) -> str:
    """"7d" as "7 days", "24h" as "24 hours", "1h" as "1 hour"."""
    n, unit = _shift(duration)
    word = {"d": "day", "h": "hour", "m": "minute", "s": "second"}[unit]
    return f"{-n} {word}{'' if n == -1 else 's'}"


def rising_spec(index_name: str, field_name: str, label: str, plural: str) -> dict:
    """The Vega-Lite spec of a Rising panel: the names of ``field_name`` that the articles of the dashboard's time
    range, query and filters (the foreground: ``%context%``, ``%timefield%``) name unusually often compared with the
    articles of the trends baseline before the range and the range together (the background: a range on the time
    field from the range's start shifted back by the baseline to its end). The aggregation is ``newsetl trends``':
    significant_terms with the default JLH score, ``min_count`` articles at least, ``shard_min_doc_count`` 1."""
    d = trends_defaults()
    shift, unit = _shift(d["baseline"])
    before = f"the {_spoken(d['baseline'])} before"
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"The {plural} that the articles of the time range name unusually often compared with "
                       f"{before} the range and the range together (newsetl trends; at least {d['min_count']} "
                       f"articles).",
        "data": {
            "url": {
                "index": index_name,
                "%context%": True,                  # the dashboard's query and filters ...
                "%timefield%": NEWS_TIME_FIELD,     # ... and its time range: the foreground
                "body": {"size": 0, "aggs": {RISING_AGG: {"significant_terms": {
                    "field": field_name, "size": RISING_SIZE, "min_doc_count": d["min_count"],
                    "shard_min_doc_count": 1,
                    "background_filter": {"range": {NEWS_TIME_FIELD: {
                        "gte": {"%timefilter%": "min", "shift": shift, "unit": unit},
                        "lte": {"%timefilter%": "max"},
                        "format": "epoch_millis"}}}}}}},
            },
            "format": {"property": f"aggregations.{RISING_AGG}.buckets"},
            "name": RISING_AGG,                     # the rows, for the x domain's expression
        },
        # the background holds the range too: what it holds besides the foreground
        "transform": [{"calculate": "datum.bg_count - datum.doc_count", "as": "before"}],
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "key", "type": "nominal", "title": None,
                  "sort": {"field": "score", "order": "descending"}},     # the most significant first
            # whole articles: "d" makes Vega-Lite step the ticks by 1 at least (no 0.5, 1.5 ... for small counts);
            # the domain from 0 to the largest count (min_count when nothing rises) is computed from the rows, not
            # by Vega's extent of the bars, which warns "Infinite extent" in the panel when there is no bar
            "x": {"field": "doc_count", "type": "quantitative", "title": "Articles in the time range",
                  "axis": {"format": "d"}, "scale": {"nice": True, "domain": [0, {
                      "expr": f"max({d['min_count']}, extent(pluck(data('{RISING_AGG}'), 'doc_count'))[1] || 0)"}]}},
            "tooltip": [
                {"field": "key", "type": "nominal", "title": label},
                {"field": "doc_count", "type": "quantitative", "title": "Articles in the time range"},
                {"field": "before", "type": "quantitative",
                 "title": f"Other articles naming it ({before}, or outside the query)"},
                {"field": "score", "type": "quantitative", "format": ".3f", "title": "Score (JLH)"},
            ],
        },
    }


def _rising(id_: str, title: str, field_key: str, label: str, plural: str, index_name: str) -> dict:
    """A Rising panel: a legacy "visualization" saved object of type vega whose spec is ``rising_spec`` as JSON."""
    from pipeline.trends import FIELDS

    field_name = FIELDS[field_key]
    d = trends_defaults()
    spec = json.dumps(rising_spec(index_name, field_name, label, plural), indent=2, ensure_ascii=False)
    description = (f"The {RISING_SIZE} {plural} ({field_name}) that the articles of the time range, query and "
                   f"filters name most unusually often compared with the articles of the {_spoken(d['baseline'])} "
                   f"before the range and the range together, the most significant first (significant_terms, JLH "
                   f"score, at least {d['min_count']} articles): what `newsetl trends --field {field_key} --window "
                   f"<the range> --baseline {d['baseline']}` lists. The query and filters narrow the range's "
                   f"articles only. Bar: articles of the range naming it. Narrow a long range to a day or a week.")
    return _vega_vis(id_, title, description, spec)


def _vega_vis(id_: str, title: str, description: str, spec: str) -> dict:
    """A legacy "visualization" saved object of type vega: the panel Kibana draws from ``spec`` (JSON text)."""
    vis_state = {"title": title, "type": "vega", "aggs": [], "params": {"spec": spec}}
    return _obj("visualization", id_, {
        "title": title,
        "description": description,
        "visState": json.dumps(vis_state, separators=(",", ":"), ensure_ascii=False),
        "uiStateJSON": "{}",
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
            {"query": {"query": "", "language": "kuery"}, "filter": []}, separators=(",", ":"))},
    })


def places_map_spec(index_name: str) -> dict:
    """The Vega spec of the "Where the news is" panel: a circle per city that the articles of the dashboard's time
    range, query and filters (``%context%``, ``%timefield%``) name, at the city's GeoNames point (``place_points``),
    its area proportional to the articles naming it; the name beside the most named, and in the tooltip.

    Kibana's Vega "map" mode (``config.kibana.type: "map"``): Kibana draws the map, injects the signals ``latitude``,
    ``longitude`` and ``zoom`` and a mercator projection named ``projection`` that follows them and the panel's size,
    and the marks are placed with it (the ``geopoint`` transform), so they follow the map as it is panned and zoomed.
    Plain Vega: Kibana compiles a Vega-Lite map spec too, but Vega writes the tile arithmetic, the name lookup and
    the sizes below directly. ``mapStyle: false``: no base map. With ``true`` (Kibana's default) the panel asks
    Elastic Maps Service for its tiles (even with ``map.includeElasticMapsService: false``, elastic/kibana#202706),
    and a Kibana that cannot reach it (air-gapped, a compose stack offline) warns instead of drawing the panel; so
    the marks make sense on their own: labels, a 30° graticule for the bearings, the counts in the tooltip.

    The request: one ``filter`` aggregation (the articles naming a place; its one bucket is the panel's one row)
    holding a ``geotile_grid`` on ``place_points`` at the finest precision, so that a tile is one city's point (the
    points are those of a fixed table of cities, so the tiles are at most its cities), with below each tile the
    names (``places``) its articles name, and beside the tiles the article count of each name. Checked on the node
    (tests/test_vega_render.py): ``place_points`` holds several points per article, and geotile_grid counts an
    article once in each tile one of its points falls in (an article naming Kyiv and Paris counts once at Kyiv and
    once at Paris, not at a point between them). A ``geo_centroid`` below a tile would NOT give the city's point: it
    averages every point of the tile's articles, their other cities' too (Kyiv's tile centroid is pulled west
    towards Paris), so the point is the tile's centre, computed from its key (``z/x/y``). The names below a tile are
    every place its articles name (Paris in Kyiv's tile, for the article naming both): the tile's city is the name
    that every article of the tile names and that no article outside the tile names (its count over all the
    articles, ``names``, is its count in the tile). A place named by exactly the same articles as the city cannot
    be told from it by counting, and is listed with it (one article naming Rome and Italy, and nothing else naming
    Italy: "Italy, Rome")."""
    tiles, names = "tiles", "names"
    size_px = "max(24, scale('size', datum.count))"     # the circle's area: the article count, at least a dot
    return {
        "$schema": VEGA_SCHEMA,
        "description": f"The cities the articles of the time range name, each a circle as large as the number of "
                       f"articles naming it ({MAP_TILES} at most, the most named; countries and regions have no "
                       f"point).",
        "config": {"kibana": {"type": "map", **MAP_VIEW, "mapStyle": False}},
        "data": [
            {
                "name": "articles",
                "url": {
                    "index": index_name,
                    "%context%": True,                  # the dashboard's query and filters ...
                    "%timefield%": NEWS_TIME_FIELD,     # ... and its time range
                    "body": {"size": 0, "aggs": {MAP_AGG: {
                        "filter": {"exists": {"field": "places"}},      # the articles naming a place
                        "aggs": {
                            tiles: {"geotile_grid": {"field": "place_points", "precision": MAP_PRECISION,
                                                     "size": MAP_TILES},
                                    "aggs": {names: {"terms": {"field": "places", "size": 10}}}},
                            names: {"terms": {"field": "places", "size": MAP_NAMES}},
                        }}}},
                },
                "format": {"property": f"aggregations.{MAP_AGG}"},      # one row: doc_count, tiles and names
            },
            {   # each name and the articles naming it (with a point or not)
                "name": "named",
                "source": "articles",
                "transform": [{"type": "flatten", "fields": [f"{names}.buckets"], "as": ["name"]},
                              {"type": "project", "fields": ["name.key", "name.doc_count"], "as": ["key", "total"]}],
            },
            {   # the name(s) of each tile: named by every article of the tile, by no article outside it
                "name": "tile_names",
                "source": "articles",
                "transform": [
                    {"type": "flatten", "fields": [f"{tiles}.buckets"], "as": ["tile"]},
                    {"type": "flatten", "fields": [f"tile.{names}.buckets"], "as": ["name"]},
                    {"type": "project", "fields": ["tile.key", "tile.doc_count", "name.key", "name.doc_count"],
                     "as": ["tile", "articles", "name", "here"]},
                    {"type": "lookup", "from": "named", "key": "key", "fields": ["name"], "values": ["total"],
                     "as": ["total"], "default": None},
                    {"type": "filter", "expr": "datum.here === datum.articles && "
                                               "(datum.total == null || datum.total === datum.here)"},
                    {"type": "aggregate", "groupby": ["tile"], "ops": ["values"], "fields": ["name"],
                     "as": ["names"]},
                    {"type": "formula", "as": "label", "expr": "join(pluck(datum.names, 'name'), ', ')"},
                ],
            },
            {   # a row per tile: its centre (the key is z/x/y), its count, its name(s), its place on the map
                "name": "cities",
                "source": "articles",
                "transform": [
                    {"type": "flatten", "fields": [f"{tiles}.buckets"], "as": ["tile"]},
                    {"type": "formula", "as": "key", "expr": "datum.tile.key"},
                    {"type": "formula", "as": "count", "expr": "datum.tile.doc_count"},
                    {"type": "formula", "as": "zxy", "expr": "split(datum.key, '/')"},
                    {"type": "formula", "as": "lon",
                     "expr": "(toNumber(datum.zxy[1]) + 0.5) / pow(2, toNumber(datum.zxy[0])) * 360 - 180"},
                    {"type": "formula", "as": "lat",   # the inverse of Web Mercator's y
                     "expr": "(2 * atan(exp(PI * (1 - 2 * (toNumber(datum.zxy[2]) + 0.5) / "
                             "pow(2, toNumber(datum.zxy[0]))))) - PI / 2) * 180 / PI"},
                    {"type": "lookup", "from": "tile_names", "key": "tile", "fields": ["key"],
                     "values": ["label"], "as": ["places"], "default": None},
                    {"type": "formula", "as": "places",     # none found (a name beyond the counted ones): the top
                     "expr": f"datum.places || (length(datum.tile.{names}.buckets) ? "
                             f"datum.tile.{names}.buckets[0].key : 'a place')"},
                    {"type": "geopoint", "projection": "projection", "fields": ["lon", "lat"], "as": ["x", "y"]},
                    {"type": "window", "sort": {"field": "count", "order": "descending"}, "ops": ["row_number"],
                     "as": ["rank"]},
                ],
            },
            {"name": "labelled", "source": "cities",
             "transform": [{"type": "filter", "expr": f"datum.rank <= {MAP_LABELS}"}]},
            {"name": "graticule", "transform": [{"type": "graticule", "step": [30, 30]}]},
        ],
        # the area: 0 to the largest count (1 when no article names a city: Vega's extent of no data would warn
        # "Infinite extent" in the panel)
        "scales": [{"name": "size", "type": "linear", "zero": True, "range": [0, 1600], "domain": {
            "signal": "[0, max(1, extent(pluck(data('cities'), 'count'))[1] || 0)]"}}],
        "marks": [
            {"type": "shape", "name": "grid", "from": {"data": "graticule"},
             "encode": {"update": {"stroke": {"value": "#c5ccd6"}, "strokeWidth": {"value": 0.5},
                                   "fill": {"value": None}}},
             "transform": [{"type": "geoshape", "projection": "projection"}]},
            {"type": "symbol", "name": "circles", "from": {"data": "cities"},
             "sort": {"field": "datum.count", "order": "descending"},      # the small circles over the large
             "encode": {"update": {
                 "shape": {"value": "circle"},
                 "x": {"field": "x"}, "y": {"field": "y"},
                 "size": {"signal": size_px},
                 "fill": {"value": "#6092c0"}, "fillOpacity": {"value": 0.55},
                 "stroke": {"value": "#1f4e79"}, "strokeWidth": {"value": 1},
                 "tooltip": {"signal": "{'Place': datum.places, 'Articles': datum.count}"},
             }}},
            {"type": "text", "name": "labels", "from": {"data": "labelled"}, "interactive": False,
             "encode": {"update": {
                 "x": {"signal": f"datum.x + sqrt({size_px} / PI) + 3"}, "y": {"field": "y"},
                 "text": {"field": "places"}, "baseline": {"value": "middle"}, "fontSize": {"value": 11},
                 "fill": {"value": "#343741"},
             }}},
        ],
    }


def _places_map(index_name: str) -> dict:
    """The "Where the news is" panel: a legacy "visualization" saved object of type vega (``places_map_spec``)."""
    spec = json.dumps(places_map_spec(index_name), indent=2, ensure_ascii=False)
    description = (f"The cities that the articles of the time range, query and filters name (places that are cities, "
                   f"at their GeoNames point: place_points), each a circle whose area is the number of articles "
                   f"naming it; an article naming two cities counts at both. The {MAP_TILES} most named are drawn, "
                   f"the {MAP_LABELS} most named labelled; the tooltip gives the name and the count. Countries and "
                   f"regions have no point: see Top places and Top countries. No base map (it needs Elastic Maps "
                   f"Service; set \"mapStyle\": true in the spec where Kibana reaches it).")
    return _vega_vis(MAP_PANEL_ID, MAP_TITLE, description, spec)


COLUMNS = ["title", "domain", "language", "authors", "entities.person", "url"]


def _search(id_: str, title: str, description: str, query: str, dv: str, columns: list[str] = COLUMNS,
            sort: list[list[str]] | None = None) -> dict:
    source = {"query": {"query": query, "language": "kuery"}, "filter": [], "highlightAll": True,
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return _obj("search", id_, {
        "title": title,
        "description": description,
        "columns": columns,
        "sort": sort or [["published_at", "desc"]],
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source, separators=(",", ":"))},
    }, [{"type": "index-pattern", "id": dv, "name": "kibanaSavedObjectMeta.searchSourceJSON.index"}])


def build_saved_objects(index_name: str = "news", runs_index: str | None = None,
                        letters_index: str | None = None, removed_index: str | None = None,
                        alerts_index: str | None = None) -> list[dict]:
    """Every saved object of the project, for the read alias ``index_name``, the runs index (default
    ``<index_name>-runs``), the dead-letter index (default ``<index_name>-deadletters``), the removed index
    (default ``<index_name>-removed``) and the alerts index (default ``<index_name>-alerts``); dependencies come
    first."""
    dv = DATA_VIEW_ID
    objects: list[dict] = []
    objects.append(_obj("index-pattern", dv, {
        "title": index_name,
        "name": "News articles (newsetl)",
        "timeFieldName": NEWS_TIME_FIELD,
        "fieldFormatMap": json.dumps({"url": {"id": "url"}, "canonical_url": {"id": "url"},
                                      "top_image": {"id": "url"}}, separators=(",", ":")),
    }))
    objects.append(_search("newsetl-latest-articles", "Latest articles",
                           "Newest articles first, with their site, language, authors and people.", "", dv))
    objects.append(_search("newsetl-articles-mentioning-person", "Articles mentioning a person",
                           "Articles whose entities name one person. Change the name in the query bar "
                           "(entities.person : \"...\" for the exact name, entities.person.words : \"...\" for a "
                           "word or words of it, any case) and save.", f'entities.person : "{DEMO_PERSON}"', dv))
    objects.append(_search("newsetl-articles-mentioning-person-any-script",
                           "Articles mentioning a person, any language or script",
                           "Articles naming one person however their language writes the name: entity_keys.person "
                           "holds each person's name key, spelt about the way English writes names (\"Владимир "
                           "Путин\", \"Wladimir Putin\" and \"Vladimir Poutine\" are all vladimir putin; a Slavic "
                           "surname folds z into s and zh into sh: \"Selenskyj\", \"Zelensky\" and \"Зеленський\" "
                           "are selensky). Type a name, or a word of it, that way and save; or filter on people, "
                           "one label per person.",
                           f'entity_keys.person : "{DEMO_PERSON_KEY}"', dv))
    objects.append(_search("newsetl-latest-stories", "Latest stories, copies left out",
                           "Newest articles first, without the near duplicates of others (wire copies, second "
                           "crawls: duplicate_of names the first published).", "NOT duplicate_of : *", dv))
    objects.append(_search("newsetl-most-copied-stories", "Most copied stories",
                           "The originals with the most near duplicates first (copies: how many other articles "
                           "are marked copies of it; see them with duplicate_of : \"<the original's id>\").",
                           "copies > 0", dv, ["title", "copies", "domain", "language", "published_at", "url"],
                           [["copies", "desc"], ["published_at", "desc"]]))

    layer = "newsetl-over-time-layer"
    objects.append(_lens(
        "newsetl-articles-over-time", "Articles over time by language",
        "Articles per publication date, stacked by detected language.", "lnsXY", layer,
        {"date": _date_histogram("published_at", "Published"), "lang": _terms("language", "Language", 10, "count"),
         "count": _count()},
        _xy(layer, "bar_stacked", "date", "count", "lang", True), dv))
    layer = "newsetl-persons-over-time-layer"
    objects.append(_lens(
        "newsetl-persons-over-time", "People in the news over time",
        "Articles per publication date naming each of the five most named people of the time range.", "lnsXY", layer,
        {"date": _date_histogram("published_at", "Published"), "person": _terms("people", "Person", 5, "count",
                                                                                 other=False), "count": _count()},
        _xy(layer, "line", "date", "count", "person", True), dv))
    objects.append(_top_terms("newsetl-top-sources", "Top sources", "domain", "Site", 10, dv))
    # people: one name per person in every language and script (pipeline.people); the names as written beside it
    objects.append(_top_terms("newsetl-top-persons", "Top people, any spelling", "people", "Person", 15, dv))
    objects.append(_top_terms("newsetl-top-person-names", "Top person names as written", "entities.person", "Name",
                              15, dv))
    objects.append(_top_terms("newsetl-top-organizations", "Top organisations", "entities.organization",
                              "Organisation", 15, dv))
    objects.append(_top_terms("newsetl-top-locations", "Top locations", "entities.location", "Location", 15, dv))
    objects.append(_top_terms("newsetl-top-places", "Top places, any language", "places", "Place", 15, dv))
    objects.append(_top_terms("newsetl-top-countries", "Top countries (ISO code)", "countries", "Country", 15, dv))
    objects.append(_top_terms("newsetl-top-regions", "Top regions (ISO 3166-2)", "regions", "Region", 15, dv))
    layer = "newsetl-most-copied-layer"
    objects.append(_lens(
        "newsetl-most-copied", "Most copied stories",
        "The originals (by title) with the most near duplicates among the articles in the time range.", "lnsXY",
        layer, {"title": _terms("title.keyword", "Story", 10, "copies", other=False), "copies": _max("copies", "Copies")},
        _xy(layer, "bar_horizontal", "title", "copies", None, False), dv, query="copies > 0"))
    layer = "newsetl-access-by-source-layer"
    objects.append(_lens(
        "newsetl-access-by-source", "Free, metered or paywalled, by source",
        "Articles per site, stacked by what the page declares (access: free, metered, paywalled; the pages that "
        "declare nothing are left out). Pages processed before pipeline version 0.2.9 have no access.", "lnsXY",
        layer, {"site": _terms("domain", "Site", 10, "count", other=False),
                "access": _terms("access", "Access", 3, "count", other=False), "count": _count()},
        _xy(layer, "bar_horizontal_stacked", "site", "count", "access", True), dv, query="access : *"))
    objects.append(_top_terms("newsetl-top-tags", "Top tags", "tags", "Tag", 15, dv))
    objects.append(_top_terms("newsetl-top-sections", "Top sections", "categories", "Section", 10, dv))
    objects.append(_top_terms("newsetl-top-authors", "Top authors", "authors", "Author", 15, dv))
    layer = "newsetl-language-share-layer"
    objects.append(_lens(
        "newsetl-language-share", "Language share", "Share of articles per detected language.", "lnsPie", layer,
        {"lang": _terms("language", "Language", 12, "count"), "count": _count()},
        {"shape": "donut", "layers": [{"layerId": layer, "layerType": "data", "primaryGroups": ["lang"],
                                       "metrics": ["count"], "numberDisplay": "percent",
                                       "categoryDisplay": "default", "legendDisplay": "default",
                                       "nestedLegend": False}]}, dv))

    objects += [_rising(*panel, index_name) for panel in RISING_PANELS]
    objects.append(_places_map(index_name))

    # (panel index, object type, object id, x, y, w, h); the grid is 48 columns wide
    layout = [
        ("1", "lens", "newsetl-articles-over-time", 0, 0, 32, 14),
        ("2", "lens", "newsetl-language-share", 32, 0, 16, 14),
        ("3", "lens", "newsetl-top-sources", 0, 14, 12, 15),
        ("4", "lens", "newsetl-top-persons", 12, 14, 12, 15),
        ("5", "lens", "newsetl-top-organizations", 24, 14, 12, 15),
        ("6", "lens", "newsetl-top-locations", 36, 14, 12, 15),
        ("8", "lens", "newsetl-top-tags", 0, 29, 16, 15),
        ("9", "lens", "newsetl-top-sections", 16, 29, 16, 15),
        ("10", "lens", "newsetl-top-authors", 32, 29, 16, 15),
        ("11", "lens", "newsetl-top-places", 0, 44, 12, 15),
        ("12", "lens", "newsetl-top-countries", 12, 44, 12, 15),
        ("19", "lens", "newsetl-top-regions", 24, 44, 12, 15),
        ("15", "lens", "newsetl-top-person-names", 36, 44, 12, 15),
        ("18", "visualization", MAP_PANEL_ID, 0, 59, 48, 22),      # below the places and countries
        ("13", "lens", "newsetl-most-copied", 0, 81, 32, 15),
        ("17", "lens", "newsetl-access-by-source", 32, 81, 16, 15),
        ("14", "lens", "newsetl-persons-over-time", 0, 96, 32, 15),
        ("16", "visualization", RISING_PANELS[0][0], 32, 96, 16, 15),
        ("7", "search", "newsetl-latest-articles", 0, 111, 48, 18),
    ]
    objects.append(_dashboard(
        "newsetl-news-overview", "News overview",
        "Articles over time by language, top sources, people (one name in any spelling or script), organisations "
        "and locations, language share, top tags and sections (the pages' own keywords), top authors, top places, "
        "countries and regions (ISO 3166-2: US-CA, DE-BY) named in any language, the person names as the articles "
        "write them, the cities named on a map "
        "(where the news is), the most copied "
        "stories, which sites' articles are free, metered or paywalled, the most named people over time, the people rising in the time range (narrow it to a day or a "
        "week) and the latest articles.", layout, "now-2y"))
    d = trends_defaults()
    objects.append(_dashboard(
        RISING_DASHBOARD_ID, "What is rising",
        f"The people, organisations and places that the articles of the time range (by default the last "
        f"{_spoken(d['window'])}, as `newsetl trends`) name unusually often compared with the "
        f"{_spoken(d['baseline'])} before it, "
        f"and the latest articles. Type a query or add a filter to ask what rises among some articles only.",
        [("1", "visualization", RISING_PANELS[0][0], 0, 0, 16, 20),
         ("2", "visualization", RISING_PANELS[1][0], 16, 0, 16, 20),
         ("3", "visualization", RISING_PANELS[2][0], 32, 0, 16, 20),
         ("4", "search", "newsetl-latest-articles", 0, 20, 48, 18)], f"now-{d['window']}"))
    return objects + _source_health_objects(runs_index or f"{index_name}-runs",
                                            letters_index or f"{index_name}-deadletters",
                                            removed_index or f"{index_name}-removed",
                                            alerts_index or f"{index_name}-alerts")


def _dashboard(id_: str, title: str, description: str, layout: list[tuple], time_from: str) -> dict:
    """A dashboard of ``layout``: (panel index, object type, object id, x, y, w, h) on the 48-column grid."""
    panels, refs = [], []
    for i, type_, obj_id, x, y, w, h in layout:
        panels.append({"version": PANEL_VERSION, "type": type_, "gridData": {"x": x, "y": y, "w": w, "h": h, "i": i},
                       "panelIndex": i, "embeddableConfig": {"enhancements": {}}, "panelRefName": f"panel_{i}"})
        refs.append({"name": f"{i}:panel_{i}", "type": type_, "id": obj_id})
    return _obj("dashboard", id_, {
        "title": title,
        "description": description,
        "panelsJSON": json.dumps(panels, separators=(",", ":")),
        "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                                   "syncTooltips": False, "hidePanelTitles": False}, separators=(",", ":")),
        "timeRestore": True,
        "timeFrom": time_from,
        "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 60000},
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
            {"query": {"query": "", "language": "kuery"}, "filter": []}, separators=(",", ":"))},
    }, refs)


INGEST_RUNS = 'kind : "ingest"'


def _source_health_objects(runs_index: str, letters_index: str, removed_index: str, alerts_index: str) -> list[dict]:
    """The runs, dead-letter, removed and alerts data views, their searches and charts, and the "Source health"
    dashboard (pipeline.runs, pipeline.removals, pipeline.watches)."""
    dv = RUNS_VIEW_ID
    objects = [_obj("index-pattern", dv, {"title": runs_index, "name": "Runs by source (newsetl)",
                                          "timeFieldName": "finished_at"})]
    objects += _dead_letter_objects(letters_index)
    objects += _removed_objects(removed_index)
    objects += _alerts_objects(alerts_index)
    by_time = [["finished_at", "desc"]]
    objects.append(_search(
        "newsetl-stale-sources", "Stale sources",
        "Sources that brought no new article for ingest.stale_after_hours (a moved feed, a changed site), newest run "
        "first: quiet_hours says for how long.", f"{INGEST_RUNS} and stale : true", dv,
        ["source", "quiet_hours", "discovered", "indexed", "dead_lettered", "run_id"], by_time))
    objects.append(_search(
        "newsetl-runs-with-dead-letters", "Runs with dead letters",
        "Each run and source that dead-lettered something, newest first; `newsetl deadletters --run <run_id> --list` "
        "shows the URLs and reasons.", "dead_lettered > 0", dv,
        ["source", "dead_lettered", "dead_letter_reasons", "dead_share", "discovered", "run_id"], by_time))
    for id_, title, field_name, what in (
            ("newsetl-new-articles-by-source", "New articles per source", "indexed",
             "Articles created or updated per ingest run, stacked by source."),
            ("newsetl-refetched-by-source", "Refetched articles per source", "refetched",
             "Archived articles fetched again per ingest run because their feed or sitemap listed them as updated "
             "(fetch.refetch_updated_days), stacked by source: corrections and developing stories."),
            ("newsetl-dead-letters-by-source", "Dead letters per source", "dead_lettered",
             "URLs and pages dead-lettered per ingest run, stacked by source.")):
        layer = f"{id_}-layer"
        objects.append(_lens(
            id_, title, what, "lnsXY", layer,
            {"date": _date_histogram("finished_at", "Run"), "source": _terms("source", "Source", 10, "value"),
             "value": _sum(field_name, title.split(" per ")[0])},
            _xy(layer, "bar_stacked", "date", "value", "source", True), dv, query=INGEST_RUNS))
    layer = "newsetl-sources-table-layer"
    columns = {"source": _terms("source", "Source", 100, "dead", other=False),
               "last_run": _last("finished_at", "Last run", "finished_at", "date"),
               "quiet": _last("quiet_hours", "Hours without a new article", "finished_at"),
               "runs": _count("Runs"),
               "discovered": _sum("discovered", "Discovered"),
               "indexed": _sum("indexed", "New or updated"),
               "refetched": _sum("refetched", "Fetched again (listed as updated)"),
               "dead": _sum("dead_lettered", "Dead letters"),
               "misses": _sum("rule_misses", "Site-rule misses")}
    objects.append(_lens(
        "newsetl-sources-table", "Sources at a glance",
        "Per source over the time range, the most dead letters first: its last run, the hours since it last brought "
        "a new article (as of that run), how many runs, what they discovered, indexed, fetched again because their "
        "feed said they were updated, and dead-lettered, and the documents that missed a field of their site's "
        "extraction rule.", "lnsDatatable", layer, columns,
        {"layerId": layer, "layerType": "data", "columns": [{"columnId": c} for c in columns]}, dv,
        query=INGEST_RUNS))
    objects.append(_dashboard(
        "newsetl-source-health", "Source health",
        "Per source and ingest run (the runs index, written by each run's report): new articles, articles fetched "
        "again and dead letters over time, every source's last run and quiet hours, the stale sources and the runs with dead letters; "
        "then the dead letters themselves (the dead-letter index): by reason over time, the hosts that fail most, "
        "the fetch failures still open (per source, and each) and the latest letters; what `newsetl remove` took out "
        "of the index, and why (the removed index); last, the watches: their alerts per watch over time, those a "
        "channel still waits for (with the attempts and the last error) and every alert (the alerts index).",
        [("1", "lens", "newsetl-sources-table", 0, 0, 48, 16),
         ("2", "lens", "newsetl-new-articles-by-source", 0, 16, 16, 15),
         ("15", "lens", "newsetl-refetched-by-source", 16, 16, 16, 15),
         ("3", "lens", "newsetl-dead-letters-by-source", 32, 16, 16, 15),
         ("4", "search", "newsetl-stale-sources", 0, 31, 24, 15),
         ("5", "search", "newsetl-runs-with-dead-letters", 24, 31, 24, 15),
         ("6", "lens", "newsetl-dead-letters-by-reason", 0, 46, 24, 15),
         ("7", "lens", "newsetl-dead-letters-by-host", 24, 46, 24, 15),
         ("10", "lens", "newsetl-open-failures-by-source", 0, 61, 16, 15),
         ("8", "search", "newsetl-open-fetch-failures", 16, 61, 32, 15),
         ("9", "search", "newsetl-latest-dead-letters", 0, 76, 48, 15),
         ("11", "search", REMOVED_SEARCH_ID, 0, 91, 48, 15),
         # the watches (pipeline.watches): whether their alerts reach their channels is an operator's concern, as
         # the dead letters are
         ("12", "lens", ALERTS_CHART_ID, 0, 106, 24, 15),
         ("13", "search", ALERTS_PENDING_ID, 24, 106, 24, 15),
         ("14", "search", ALERTS_SEARCH_ID, 0, 121, 48, 15)], "now-7d"))
    return objects


OPEN_FETCH_FAILURES = 'stage : "fetch" and open : true'


def _side_view(id_: str, index: str, name: str, time_field: str) -> dict:
    """The data view of a side index whose ``url`` field is shown as a link."""
    return _obj("index-pattern", id_, {"title": index, "name": name, "timeFieldName": time_field,
                                       "fieldFormatMap": json.dumps({"url": {"id": "url"}}, separators=(",", ":"))})


def _dead_letter_objects(letters_index: str) -> list[dict]:
    """The dead-letter data view, its charts by reason and by host, and its searches (pipeline.runs)."""
    dv = LETTERS_VIEW_ID
    objects = [_side_view(dv, letters_index, "Dead letters (newsetl)", "at")]
    layer = "newsetl-dead-letters-by-reason-layer"
    objects.append(_lens(
        "newsetl-dead-letters-by-reason", "Dead letters by reason",
        "Dead letters over time, stacked by stage and reason (fetch/http_404, fetch/timeout, process/not_article...).",
        "lnsXY", layer, {"date": _date_histogram("at", "Written"),
                         "reason": _terms("stage_reason", "Stage and reason", 10, "count"),
                         "count": _count("Dead letters")},
        _xy(layer, "bar_stacked", "date", "count", "reason", True), dv))
    layer = "newsetl-dead-letters-by-host-layer"
    objects.append(_lens(
        "newsetl-dead-letters-by-host", "Hosts with the most dead letters",
        "The 15 hosts whose URLs failed most in the time range, each bar split by stage and reason.", "lnsXY", layer,
        {"host": _terms("host", "Host", 15, "count", other=False),
         "reason": _terms("stage_reason", "Stage and reason", 5, "count"), "count": _count("Dead letters")},
        _xy(layer, "bar_horizontal_stacked", "host", "count", "reason", True), dv))
    layer = "newsetl-open-failures-by-source-layer"
    objects.append(_lens(
        "newsetl-open-failures-by-source", "Open fetch failures per source",
        "The sources with the most URLs whose fetch failed and that no later fetch has archived: what a dead-letter "
        "retry would take on.", "lnsXY", layer,
        {"source": _terms("source", "Source", 15, "count", other=False), "count": _count("Open fetch failures")},
        _xy(layer, "bar_horizontal", "source", "count", None, False), dv, query=OPEN_FETCH_FAILURES))
    by_time = [["at", "desc"]]
    objects.append(_search(
        "newsetl-open-fetch-failures", "Open fetch failures",
        "URLs whose fetch failed and that no later fetch has archived, newest first: `newsetl deadletters --retry` "
        "(or the news_ingest DAG with retry_dead_letters) fetches them again, and that run's report closes them.",
        OPEN_FETCH_FAILURES, dv, ["source", "stage_reason", "url", "error", "run_id"], by_time))
    objects.append(_search(
        "newsetl-latest-dead-letters", "Latest dead letters",
        "Every dead letter, newest first: what failed (the URL or document id), at which stage, why, and the run.",
        "", dv, ["source", "stage_reason", "key", "error", "run_id"], by_time))
    return objects


REMOVED_SEARCH_ID = "newsetl-removed-articles"


def _removed_objects(removed_index: str) -> list[dict]:
    """The removed index's data view and its one saved search (pipeline.removals, `newsetl remove`)."""
    dv = REMOVED_VIEW_ID
    return [
        _side_view(dv, removed_index, "Removed articles and domains (newsetl)", "removed_at"),
        _search(
            REMOVED_SEARCH_ID, "Removed articles and domains",
            "What `newsetl remove` took out of the index for good, newest first. A record is either one article "
            "(kind document: its id, url and domain) or a whole publisher (kind domain, id domain:<domain>, no url), "
            "which keeps out its subdomains and its later articles too; reason is what the operator gave. "
            "`newsetl remove --restore` lifts a record (a domain's with those of its articles), and the articles "
            "come back with their next load. The changes feed lists each removed article as a deletion "
            "(deleted: true, with its reason and removed_at), so downstream copies drop it.",
            "", dv, ["kind", "domain", "url", "reason", "removed_at"], [["removed_at", "desc"]]),
    ]


ALERTS_SEARCH_ID = "newsetl-watch-alerts"
ALERTS_PENDING_ID = "newsetl-alerts-pending"
ALERTS_CHART_ID = "newsetl-alerts-per-watch"
# KQL for "a channel still waits for it": delivery takes each channel off ``pending`` and leaves an empty list,
# which the index holds as no value (pipeline.watches._deliver, alerts_listing)
PENDING_ALERTS = "pending : *"


def _alerts_objects(alerts_index: str) -> list[dict]:
    """The alerts index's data view, its two saved searches and its chart per watch (pipeline.watches)."""
    dv = ALERTS_VIEW_ID
    by_match = [["matched_at", "desc"]]
    layer = f"{ALERTS_CHART_ID}-layer"
    return [
        _side_view(dv, alerts_index, "Alerts of the watches (newsetl)", "matched_at"),
        _search(
            ALERTS_SEARCH_ID, "Alerts of the watches",
            "Every alert the watches (config/watches.yaml, `newsetl watch`, the news_alerts DAG) recorded, newest "
            "first: one record per watch and article (alert_id <watch>:<article id>), made when the watch first "
            "matched the article (matched_at). pending lists the channels still to deliver it (none: delivered at "
            "delivered_at, or a watch without a channel, whose alerts stay here); attempts and last_error are its "
            "refused deliveries. `newsetl watch alerts` and GET /alerts list the same.",
            "", dv, ["watch", "title", "source", "language", "pending", "delivered_at", "attempts", "last_error"],
            by_match),
        _search(
            ALERTS_PENDING_ID, "Alerts waiting for a channel",
            "The alerts a channel (a webhook or a folder, in pending) still waits for, newest first: a receiver "
            "refused them (attempts, and last_error: when and why) and the next run of the watch sends them again, "
            "oldest first; until then its runs fail, so that Airflow alerts someone. Taking a channel out of the "
            "watch takes it off its alerts.",
            PENDING_ALERTS, dv, ["watch", "pending", "attempts", "last_error", "title", "source"], by_match),
        _lens(
            ALERTS_CHART_ID, "Alerts per watch",
            "The alerts the watches recorded over time (matched_at), stacked by watch.", "lnsXY", layer,
            {"date": _date_histogram("matched_at", "Matched"), "watch": _terms("watch", "Watch", 10, "count"),
             "count": _count("Alerts")},
            _xy(layer, "bar_stacked", "date", "count", "watch", True), dv),
    ]


def to_ndjson(objects: Iterable[dict]) -> bytes:
    """One JSON object per line, keys sorted, UTF-8, final newline (stable output: diffs stay readable)."""
    return "".join(json.dumps(o, sort_keys=True, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")


def read_file(path: str | os.PathLike | None = None) -> bytes:
    """The bytes of an NDJSON file (default config/kibana/newsetl.ndjson); KibanaError when it is missing."""
    p = Path(path) if path else default_ndjson()
    if not p.is_file():
        raise KibanaError(f"{p}: no such file — give the NDJSON of saved objects (default {default_ndjson()})")
    return p.read_bytes()


def read_ndjson(data: bytes | str) -> list[dict]:
    """Parse NDJSON bytes/text; an unparsable line raises KibanaError naming the line."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise KibanaError(f"line {n}: not JSON ({e.msg})") from None
        if not isinstance(obj, dict):
            raise KibanaError(f"line {n}: expected a JSON object")
        out.append(obj)
    return out


# ----------------------------------------------------------------------------------------------------- checks


def _mapping_types(mappings: dict) -> dict[str, str]:
    """dotted path -> mapping type (objects without a type are 'object'; multi-fields included)."""
    m = mappings.get("mappings", mappings)
    out: dict[str, str] = {}

    def walk(props: dict, prefix: str) -> None:
        for name, spec in props.items():
            path = prefix + name
            if "properties" in spec:
                walk(spec["properties"], path + ".")
            else:
                out[path] = spec.get("type", "object")
            for sub, sspec in (spec.get("fields") or {}).items():
                out[f"{path}.{sub}"] = sspec.get("type", "object")

    walk(m.get("properties", {}), "")
    return out


_KQL_FIELD = re.compile(r"(?:^|[\s(])([A-Za-z_@][\w.@]*)\s*(?::|[<>]=?)")


def kql_fields(query: str) -> set[str]:
    """Field names a KQL query names (``field : value``, ``field > 0``); quoted values are ignored."""
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', query)
    return set(_KQL_FIELD.findall(unquoted))


@dataclass
class FieldUse:
    object_id: str
    field: str
    bucketed: bool = False  # used in a terms / date_histogram bucket or a sort (must be aggregatable)
    data_view: str | None = None  # the data view the object reads
    geo: bool = False       # the field of a geo aggregation (GEO_AGGS: must be a geo_point)


def data_view_of(o: dict) -> str | None:
    if o.get("type") == "index-pattern":
        return o.get("id")
    return next((r.get("id") for r in o.get("references", []) if r.get("type") == "index-pattern"), None)


def fields_used(objects: list[dict]) -> list[FieldUse]:
    """Every index field the saved objects name, whether it is bucketed on, and the data view it is read from (for
    a Vega panel, which has no reference, the data view whose title is the index its request names)."""
    titles = {o.get("attributes", {}).get("title"): o.get("id") for o in objects if o.get("type") == "index-pattern"}
    uses: list[FieldUse] = []
    for o in objects:
        start = len(uses)
        _object_fields(o, uses, titles)
        for use in uses[start:]:
            if use.data_view is None:
                use.data_view = data_view_of(o)
    return uses


def _object_fields(o: dict, uses: list[FieldUse], titles: dict[str, str] | None = None) -> None:
    a, oid = o.get("attributes", {}), o.get("id", "?")
    if o.get("type") == "visualization":
        try:
            spec = vega_spec(o)
        except ValueError:
            return                                  # check_saved_objects reports it
        for data in vega_requests(spec or {}):
            url = data["url"]
            view = (titles or {}).get(url.get("index"))
            body = url.get("body") if isinstance(url.get("body"), dict) else {}
            found = [FieldUse(oid, url["%timefield%"], True)] if url.get("%timefield%") else []
            found += [FieldUse(oid, f) for f in sorted(_query_fields(body.get("query")))]
            found += _agg_field_uses(oid, body.get("aggs"))
            for use in found:
                use.data_view = view
            uses += found
        return
    if o.get("type") == "index-pattern":
        if a.get("timeFieldName"):
            uses.append(FieldUse(oid, a["timeFieldName"], True))
        uses += [FieldUse(oid, f) for f in json.loads(a.get("fieldFormatMap") or "{}")]
    elif o.get("type") == "search":
        uses += [FieldUse(oid, c) for c in a.get("columns", [])]
        uses += [FieldUse(oid, s[0], True) for s in a.get("sort", [])]
        src = json.loads(a.get("kibanaSavedObjectMeta", {}).get("searchSourceJSON") or "{}")
        uses += [FieldUse(oid, f) for f in kql_fields((src.get("query") or {}).get("query", ""))]
    elif o.get("type") == "lens":
        state = a.get("state", {})
        for layer in state.get("datasourceStates", {}).get("formBased", {}).get("layers", {}).values():
            for col in layer.get("columns", {}).values():
                f = col.get("sourceField")
                if f and f != RECORDS:
                    uses.append(FieldUse(oid, f, bool(col.get("isBucketed"))))
                if col.get("params", {}).get("sortField"):       # last_value: the newest by this field
                    uses.append(FieldUse(oid, col["params"]["sortField"], True))
                uses += [FieldUse(oid, f) for f in kql_fields((col.get("filter") or {}).get("query", ""))]
        uses += [FieldUse(oid, f) for f in kql_fields((state.get("query") or {}).get("query", ""))]


# ------------------------------------------------------------------------------------------------ Vega panels

_TIMEFILTER = "%timefilter%"
_CONTEXT_CLAUSES = {"%dashboard_context-must_clause%": "must", "%dashboard_context-filter_clause%": "filter",
                    "%dashboard_context-must_not_clause%": "must_not"}
# the units of a %timefilter% shift (Kibana's default: days)
_SHIFT_MS = {u: n * 1000 for u, n in (("w", 604800), ("week", 604800), ("d", 86400), ("day", 86400),
                                      ("h", 3600), ("hour", 3600), ("m", 60), ("minute", 60), ("s", 1),
                                      ("second", 1))}
# query clauses whose keys are field names; aggregations that need a field
_QUERY_FIELD_KEYS = {"range", "term", "terms", "match", "match_phrase", "match_phrase_prefix", "match_bool_prefix",
                     "prefix", "wildcard", "regexp", "fuzzy"}
_QUERY_OPTIONS = {"boost", "_name", "case_insensitive"}
_FIELD_AGGS = {"terms", "significant_terms", "significant_text", "rare_terms", "date_histogram", "histogram",
               "auto_date_histogram", "min", "max", "sum", "avg", "stats", "cardinality", "value_count",
               "percentiles"} | GEO_AGGS


def empty_context() -> dict:
    """Kibana's dashboard context for an empty query bar and no filter (what ``%context%: true`` stands for)."""
    return {"bool": {"must": [], "filter": [], "should": [], "must_not": []}}


def _ms(t: dt.datetime) -> int:
    t = t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
    return int(round(t.timestamp() * 1000))


def _iso_ms(ms: int | float) -> str:
    """An epoch-milliseconds instant the way Kibana writes it (moment's toISOString: UTC, milliseconds, Z)."""
    t = dt.datetime.fromtimestamp(int(ms) // 1000, dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{int(ms) % 1000:03d}Z"


def expand_vega_url(url: dict, time_min: dt.datetime, time_max: dt.datetime, context: dict | None = None) -> dict:
    """The request Kibana's Vega panel sends for a data ``url`` object, ``{"index": ..., "body": ...}``, for the
    dashboard time range ``time_min``..``time_max`` and the dashboard context ``context`` (its query bar and filters
    as one bool query, default ``empty_context()``), following Kibana's Vega ES query parser:

    - ``%timefield%: F``: the query is a range on F from the start to the end of the time range (gte, lte,
      ``strict_date_optional_time``); ``%context%: true``: the query is the context, with that range added to its
      ``must``. Neither may be used with a ``body.query`` of one's own (Kibana refuses it);
    - in ``body.query`` (when there is no ``%context%``), the ``%dashboard_context-must_clause%``, ``-filter_clause%``
      and ``-must_not_clause%`` items of an array are replaced by the context's clauses;
    - in the query and in ``body.aggs``, ``{"%timefilter%": true}`` becomes that range and
      ``{"%timefilter%": "min" | "max", "shift": N, "unit": U}`` the start or end in epoch milliseconds, moved by N
      units (w, d, h, m, s; default d).

    ValueError, with Kibana's reason, where Kibana would refuse the spec."""
    url = copy.deepcopy(url)
    ctx = context if context is not None else empty_context()
    bounds = {"min": _ms(time_min), "max": _ms(time_max)}
    if "%context_query%" in url:
        raise ValueError("the legacy %context_query% is not supported here: write \"%context%\": true and "
                         "\"%timefield%\"")
    use_context = url.pop("%context%", None)
    timefield = url.pop("%timefield%", None)
    uses_context = use_context is not None or timefield is not None
    body = url.setdefault("body", {})
    if not isinstance(body, dict):
        raise ValueError("url.body must be an object")
    if "query" in body:
        if uses_context:
            raise ValueError("url.%context% and url.%timefield% must not be used when url.body.query is set")
        _inject(body["query"], True, bounds, ctx)
    elif uses_context:
        if timefield:
            body["query"] = {"range": {timefield: _range_filter({_TIMEFILTER: True}, bounds)}}
        if use_context:
            query = copy.deepcopy(ctx)
            if timefield:
                query["bool"].setdefault("must", []).append(body["query"])
            body["query"] = query
    if "aggs" in body:
        _inject(body["aggs"], False, bounds, ctx)
    return url


def _time_bound(opts: dict, which: str, bounds: dict[str, int]) -> int | float:
    result = bounds[which]
    shift = opts.get("shift")
    if shift:
        if isinstance(shift, bool) or not isinstance(shift, (int, float)):
            raise ValueError('"shift" must be a numeric value')
        unit = opts.get("unit") or "d"
        if unit not in _SHIFT_MS:
            raise ValueError(f'unknown "unit" value {unit!r}: use week, day, hour, minute or second')
        result += shift * _SHIFT_MS[unit]
    return result


def _range_filter(obj: dict, bounds: dict[str, int]) -> dict:
    obj["gte"] = _iso_ms(_time_bound(obj, "min", bounds))
    obj["lte"] = _iso_ms(_time_bound(obj, "max", bounds))
    obj["format"] = "strict_date_optional_time"
    for k in (_TIMEFILTER, "shift", "unit"):
        obj.pop(k, None)
    return obj


def _inject(obj: Any, is_query: bool, bounds: dict[str, int], ctx: dict) -> None:
    if isinstance(obj, list):
        pos = 0
        while pos < len(obj):
            item = obj[pos]
            if is_query and isinstance(item, str) and item in _CONTEXT_CLAUSES:
                clause = copy.deepcopy(ctx.get("bool", {}).get(_CONTEXT_CLAUSES[item]))
                clause = clause if isinstance(clause, list) else [clause] if clause else []
                obj[pos:pos + 1] = clause
                pos += len(clause)
            else:
                _inject(item, is_query, bounds, ctx)
                pos += 1
    elif isinstance(obj, dict):
        for prop in list(obj):
            sub = obj[prop]
            if not isinstance(sub, dict) or _TIMEFILTER not in sub:
                _inject(sub, is_query, bounds, ctx)
            elif sub[_TIMEFILTER] in ("min", "max"):
                obj[prop] = _time_bound(sub, sub[_TIMEFILTER], bounds)
            elif sub[_TIMEFILTER] is True:
                _range_filter(sub, bounds)
            else:
                raise ValueError('"%timefilter%" must be set to true, "min" or "max"')


def vega_spec(o: dict) -> dict | None:
    """The parsed spec of a Vega visualization saved object; None for a visualization of another type. ValueError
    when its visState or spec does not parse (the spec must be strict JSON here; Kibana reads HJSON too)."""
    if o.get("type") != "visualization":
        return None
    try:
        state = json.loads(o.get("attributes", {}).get("visState") or "")
    except json.JSONDecodeError as e:
        raise ValueError(f"visState is not JSON ({e.msg})") from None
    if not isinstance(state, dict) or state.get("type") != "vega":
        return None
    spec = (state.get("params") or {}).get("spec")
    if not isinstance(spec, str):
        raise ValueError("visState.params.spec is not a string")
    try:
        parsed = json.loads(spec)
    except json.JSONDecodeError as e:
        raise ValueError(f"the Vega spec is not strict JSON (line {e.lineno}, column {e.colno}: {e.msg}); Kibana "
                         f"reads HJSON too, but this check reads JSON only: write the spec as JSON") from None
    if not isinstance(parsed, dict):
        raise ValueError("the Vega spec is not a JSON object")
    return parsed


def vega_requests(spec: dict) -> list[dict]:
    """The data entries of a Vega or Vega-Lite spec whose ``url`` is an object, Kibana's Elasticsearch requests
    (in ``data`` at the top, of layers or of concatenated views)."""
    found: list[dict] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, dict) and url.get("%type%", "elasticsearch") == "elasticsearch":
                found.append(node)
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def _query_fields(node: Any) -> set[str]:
    """The fields an Elasticsearch query names (range, term, match... keys; exists' field)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _QUERY_FIELD_KEYS and isinstance(v, dict):
                found |= {f for f in v if f not in _QUERY_OPTIONS and not f.startswith("%")}
            elif k == "exists" and isinstance(v, dict) and isinstance(v.get("field"), str):
                found.add(v["field"])
            else:
                found |= _query_fields(v)
    elif isinstance(node, list):
        for v in node:
            found |= _query_fields(v)
    return found


def _agg_field_uses(oid: str, aggs: Any) -> list[FieldUse]:
    """The fields of an aggregations object: each aggregation's field (bucketed: it needs doc values, except
    significant_text's; a geo aggregation's must be a geo_point), and the fields of its filters (filter, filters,
    background_filter)."""
    uses: list[FieldUse] = []
    for agg in (aggs or {}).values() if isinstance(aggs, dict) else ():
        for kind, params in (agg.items() if isinstance(agg, dict) else ()):
            if kind in ("aggs", "aggregations"):
                uses += _agg_field_uses(oid, params)
            elif kind == "filter":
                uses += [FieldUse(oid, f) for f in sorted(_query_fields(params))]
            elif kind == "filters" and isinstance(params, dict):
                uses += [FieldUse(oid, f) for f in sorted(_query_fields(params.get("filters")))]
            elif isinstance(params, dict):
                if isinstance(params.get("field"), str) and kind in GEO_AGGS:
                    uses.append(FieldUse(oid, params["field"], geo=True))
                elif isinstance(params.get("field"), str):
                    uses.append(FieldUse(oid, params["field"], kind != "significant_text"))
                uses += [FieldUse(oid, f) for f in sorted(_query_fields(params.get("background_filter")))]
    return uses


def _agg_problems(aggs: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(aggs, dict):
        return ["body.aggs is not an object"]
    for name, agg in aggs.items():
        kinds = [k for k in (agg if isinstance(agg, dict) else {}) if k not in ("aggs", "aggregations", "meta")]
        if len(kinds) != 1:
            problems.append(f"aggregation {name!r} needs one type, has {kinds or 'none'}")
            continue
        kind, params = kinds[0], agg[kinds[0]]
        if kind in _FIELD_AGGS and not (isinstance(params, dict) and (params.get("field") or params.get("script"))):
            problems.append(f"aggregation {name!r} ({kind}) names no field")
        for sub in ("aggs", "aggregations"):
            if sub in agg:
                problems += _agg_problems(agg[sub])
    return problems


def _vega_problems(o: dict, views: dict[str, dict]) -> list[str]:
    """What Kibana would refuse, or what reads the wrong index, in a Vega panel (the fields: check_saved_objects)."""
    where = f"visualization {o.get('id')!r}"
    try:
        spec = vega_spec(o)
    except ValueError as e:
        return [f"{where}: {e}"]
    problems: list[str] = []
    now = dt.datetime.now(dt.timezone.utc)
    for data in vega_requests(spec or {}):
        url = data["url"]
        index, timefield = url.get("index"), url.get("%timefield%")
        view = views.get(index)
        if not index:
            problems.append(f"{where}: its Elasticsearch request names no index")
        elif view is None:
            problems.append(f"{where}: queries {index!r}, which no data view in the file covers (name the index of "
                            f"one: {', '.join(repr(t) for t in sorted(views))})")
        elif timefield and timefield != view.get("attributes", {}).get("timeFieldName"):
            problems.append(f"{where}: %timefield% {timefield!r} is not the time field of data view "
                            f"{view.get('id')!r} ({view.get('attributes', {}).get('timeFieldName')!r}): the "
                            f"dashboard's time range would select other articles than its other panels'")
        try:
            request = expand_vega_url(url, now - dt.timedelta(days=1), now)
        except ValueError as e:
            problems.append(f"{where}: Kibana would refuse its request: {e}")
            continue
        aggs = request["body"].get("aggs", {})
        problems += [f"{where}: {p}" for p in _agg_problems(aggs)]
        prop = str((data.get("format") or {}).get("property") or "")
        parts = prop.split(".")
        if parts[0] == "aggregations" and (len(parts) < 2 or parts[1] not in (aggs or {})):
            problems.append(f"{where}: format.property {prop!r} names no aggregation of its request "
                            f"({', '.join(aggs or {}) or 'none'})")
    return problems


def check_saved_objects(objects: list[dict], mappings: dict | None = None) -> list[str]:
    """Problems found in a set of saved objects (empty when fine).

    Checks: unique ids; every reference (top-level, search index refs, Lens layer refs, dashboard panel refs)
    resolves to an object of that type in the set; Lens layers/accessors are consistent; a Vega panel's spec parses,
    its requests query a data view's index by its time field and expand as Kibana expands them, their aggregations
    name fields and ``format.property`` one of them; with ``mappings``, every field named exists in it, and bucketed
    fields are aggregatable types."""
    problems: list[str] = []
    have = {(o.get("type"), o.get("id")) for o in objects}
    views = {o.get("attributes", {}).get("title"): o for o in objects if o.get("type") == "index-pattern"}
    seen: set = set()
    for o in objects:
        key = (o.get("type"), o.get("id"))
        where = f"{key[0]} {key[1]!r}"
        for k in ("type", "id", "attributes"):
            if k not in o:
                problems.append(f"{where}: missing {k!r}")
        if key in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(key)
        refs = o.get("references", [])
        names = {r.get("name") for r in refs}
        for r in refs:
            if (r.get("type"), r.get("id")) not in have:
                problems.append(f"{where}: reference {r.get('name')!r} -> {r.get('type')} {r.get('id')!r} "
                                f"is not in the file")
        a = o.get("attributes", {})
        if o.get("type") in ("search", "dashboard", "visualization"):
            raw = a.get("kibanaSavedObjectMeta", {}).get("searchSourceJSON")
            try:
                src = json.loads(raw) if raw else {}
            except json.JSONDecodeError:
                problems.append(f"{where}: searchSourceJSON is not JSON")
                src = {}
            if src.get("indexRefName") and src["indexRefName"] not in names:
                problems.append(f"{where}: indexRefName {src['indexRefName']!r} has no reference")
            if o.get("type") == "search" and not src.get("indexRefName") and not src.get("index"):
                problems.append(f"{where}: a saved search needs a data view (indexRefName)")
        if o.get("type") == "dashboard":
            try:
                panels = json.loads(a.get("panelsJSON") or "[]")
            except json.JSONDecodeError:
                problems.append(f"{where}: panelsJSON is not JSON")
                panels = []
            for p in panels:
                ref = p.get("panelRefName")
                if not ref:
                    problems.append(f"{where}: panel {p.get('panelIndex')!r} has no panelRefName")
                elif f"{p.get('panelIndex')}:{ref}" not in names:
                    problems.append(f"{where}: panel {p.get('panelIndex')!r} refers to {ref!r}, "
                                    f"which is not among its references")
                g = p.get("gridData", {})
                if not (0 <= g.get("x", -1) and g.get("w", 0) > 0 and g.get("x", 0) + g.get("w", 0) <= 48):
                    problems.append(f"{where}: panel {p.get('panelIndex')!r} does not fit the 48-column grid")
        if o.get("type") == "visualization":
            problems += _vega_problems(o, views)
        if o.get("type") == "lens":
            state = a.get("state", {})
            layers = state.get("datasourceStates", {}).get("formBased", {}).get("layers", {})
            if not layers:
                problems.append(f"{where}: no formBased layers")
            for lid, layer in layers.items():
                if f"indexpattern-datasource-layer-{lid}" not in names:
                    problems.append(f"{where}: layer {lid!r} has no data view reference")
                if set(layer.get("columnOrder", [])) != set(layer.get("columns", {})):
                    problems.append(f"{where}: layer {lid!r} columnOrder differs from its columns")
                for cid, col in layer.get("columns", {}).items():
                    ob = col.get("params", {}).get("orderBy", {})
                    if ob.get("type") == "column" and ob.get("columnId") not in layer.get("columns", {}):
                        problems.append(f"{where}: column {cid!r} orders by missing column {ob.get('columnId')!r}")
                    elif ob.get("type") == "column" and \
                            layer["columns"][ob["columnId"]].get("operationType") == "last_value":
                        # Elasticsearch cannot order buckets by a top hit, and Lens does not offer it
                        problems.append(f"{where}: column {cid!r} orders by a last value ({ob['columnId']!r})")
            for vl in state.get("visualization", {}).get("layers", []):
                lid = vl.get("layerId")
                if lid not in layers:
                    problems.append(f"{where}: visualization layer {lid!r} has no datasource layer")
                    continue
                cols = layers[lid].get("columns", {})
                accessors = (vl.get("accessors", []) + vl.get("primaryGroups", []) + vl.get("metrics", [])
                             + [vl[k] for k in ("xAccessor", "splitAccessor") if vl.get(k)])
                for acc in accessors:
                    if acc not in cols:
                        problems.append(f"{where}: accessor {acc!r} is not a column of layer {lid!r}")
            if a.get("visualizationType") == "lnsDatatable":      # a table: one layer, its columns listed
                vis = state.get("visualization", {})
                if vis.get("layerId") not in layers:
                    problems.append(f"{where}: table layer {vis.get('layerId')!r} has no datasource layer")
                else:
                    listed = [c.get("columnId") for c in vis.get("columns", [])]
                    for acc in listed:
                        if acc not in layers[vis["layerId"]].get("columns", {}):
                            problems.append(f"{where}: table column {acc!r} is not a column of its layer")
                    if set(listed) != set(layers[vis["layerId"]].get("columns", {})):
                        problems.append(f"{where}: the table does not list every column of its layer")
    if mappings is not None:
        from pipeline.removals import REMOVED_MAPPING
        from pipeline.runs import DEAD_LETTERS_MAPPING, RUNS_MAPPING
        from pipeline.watches import ALERTS_MAPPING

        view_types = {RUNS_VIEW_ID: ("runs", _mapping_types(RUNS_MAPPING)),
                      LETTERS_VIEW_ID: ("dead-letter", _mapping_types(DEAD_LETTERS_MAPPING)),
                      REMOVED_VIEW_ID: ("removed-index", _mapping_types(REMOVED_MAPPING)),
                      ALERTS_VIEW_ID: ("alerts-index", _mapping_types(ALERTS_MAPPING))}
        news = ("index", _mapping_types(mappings))
        for use in fields_used(objects):
            what, types = view_types.get(use.data_view, news)
            if use.field not in types:
                problems.append(f"{use.object_id}: field {use.field!r} is not in the {what} mapping")
            elif use.geo and types[use.field] not in GEO_TYPES:
                problems.append(f"{use.object_id}: field {use.field!r} ({types[use.field]}) is not a geo_point; "
                                f"a geo aggregation needs one (place_points)")
            elif use.bucketed and types[use.field] not in AGGREGATABLE_TYPES:
                problems.append(f"{use.object_id}: field {use.field!r} ({types[use.field]}) cannot be bucketed; "
                                f"use a keyword/date/numeric field")
    return problems


# --------------------------------------------------------------------------------------------------- importer


@dataclass
class KibanaAuth:
    username: str | None = None
    password: str | None = None
    api_key: str | None = None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"ApiKey {self.api_key}"} if self.api_key else {}

    def httpx_auth(self) -> httpx.BasicAuth | None:
        if self.api_key or not self.username:
            return None
        return httpx.BasicAuth(self.username, self.password or "")


def auth_from_env(settings: Any = None) -> KibanaAuth:
    """Credentials from NEWSETL_KIBANA_API_KEY or NEWSETL_KIBANA_USERNAME/_PASSWORD; else the Elasticsearch
    credentials of the settings (Kibana accepts the same users)."""
    env = os.environ
    if env.get("NEWSETL_KIBANA_API_KEY"):
        return KibanaAuth(api_key=env["NEWSETL_KIBANA_API_KEY"])
    if env.get("NEWSETL_KIBANA_USERNAME"):
        return KibanaAuth(env["NEWSETL_KIBANA_USERNAME"], env.get("NEWSETL_KIBANA_PASSWORD", ""))
    es = getattr(settings, "elasticsearch", None)
    if es is not None:
        if es.api_key:
            return KibanaAuth(api_key=es.api_key)
        if es.username:
            return KibanaAuth(es.username, es.password)
    return KibanaAuth()


def kibana_url(url: str | None = None) -> str:
    u = (url or os.environ.get("NEWSETL_KIBANA_URL") or DEFAULT_URL).strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", u):
        raise KibanaError(f"{u!r} is not a Kibana URL — use one such as {DEFAULT_URL}")
    return u


def _redact(url: str) -> str:
    p = urlsplit(url)
    return url.replace(f"{p.username}:{p.password}@", "") if p.password else url


@dataclass
class ImportResult:
    success_count: int
    results: list[dict] = field(default_factory=list)
    raw: dict = field(default_factory=dict)


def _describe_errors(errors: list[dict]) -> str:
    parts = []
    for e in errors[:5]:
        err = e.get("error", {})
        kind = err.get("type", "error")
        detail = ""
        if kind == "missing_references":
            detail = " (missing " + ", ".join(f"{r.get('type')} {r.get('id')}" for r in err.get("references", [])) + ")"
        elif kind == "conflict":
            detail = " (exists already: import with --overwrite)"
        elif err.get("message"):
            detail = f" ({err['message']})"
        parts.append(f"{e.get('type')} {e.get('id')!r}: {kind}{detail}")
    more = f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def import_saved_objects(ndjson: bytes, url: str | None = None, *, overwrite: bool = True,
                         auth: KibanaAuth | None = None, space: str | None = None, filename: str = "newsetl.ndjson",
                         timeout: float = 60.0, verify: bool | str = True) -> ImportResult:
    """Send ``ndjson`` to Kibana's saved-objects import API; raise KibanaError unless every object was imported."""
    base = kibana_url(url)
    path = (f"/s/{space}" if space and space != "default" else "") + "/api/saved_objects/_import"
    auth = auth or KibanaAuth()
    params = {"overwrite": "true"} if overwrite else {}
    try:
        resp = httpx.post(base + path, params=params, headers={"kbn-xsrf": "true", **auth.headers()},
                          files={"file": (filename, ndjson, "application/ndjson")}, auth=auth.httpx_auth(),
                          timeout=timeout, verify=verify)
    except httpx.HTTPError as e:
        raise KibanaError(f"cannot reach Kibana at {_redact(base)} ({type(e).__name__}: {e}) — is it running "
                          f"(docker compose ps kibana)? Set --url or NEWSETL_KIBANA_URL") from None
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if resp.status_code == 401:
        raise KibanaError(f"Kibana at {_redact(base)} refused the credentials (401) — set NEWSETL_KIBANA_USERNAME/"
                          f"NEWSETL_KIBANA_PASSWORD (or NEWSETL_KIBANA_API_KEY)")
    if resp.status_code == 403:
        raise KibanaError(f"Kibana at {_redact(base)} forbids the import (403): the user needs the saved-objects "
                          f"management privilege")
    if resp.status_code != 200:
        msg = body.get("message") if isinstance(body, dict) else None
        raise KibanaError(f"Kibana import failed: HTTP {resp.status_code} {msg or resp.text[:200].strip()}")
    if not isinstance(body, dict) or "success" not in body:
        raise KibanaError(f"Kibana answered 200 without an import result — is {_redact(base)} really Kibana?")
    if not body.get("success"):
        errors = body.get("errors") or []
        raise KibanaError(f"Kibana imported {counted(body.get('successCount', 0), 'object')} and refused "
                          f"{len(errors)}: {_describe_errors(errors)}")
    return ImportResult(success_count=int(body.get("successCount", 0)), results=body.get("successResults") or [],
                        raw=body)


def wait_for_kibana(url: str | None = None, *, timeout: float = 300.0, auth: KibanaAuth | None = None,
                    interval: float = 5.0, verify: bool | str = True) -> dict:
    """Poll ``GET /api/status`` until Kibana reports level ``available`` (or ``degraded``, which Kibana answers with
    HTTP 503 but which still serves the saved-objects API); KibanaError after ``timeout`` seconds."""
    base = kibana_url(url)
    auth = auth or KibanaAuth()
    deadline = time.monotonic() + timeout
    last = "no answer"
    while True:
        try:
            r = httpx.get(base + "/api/status", headers=auth.headers(), auth=auth.httpx_auth(), timeout=10,
                          verify=verify)
            body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
            level = ((body.get("status") or {}).get("overall") or {}).get("level") if isinstance(body, dict) else None
            if level in UP_LEVELS:
                return body
            last = f"HTTP {r.status_code}, level {level!r}"
        except (httpx.HTTPError, ValueError) as e:
            last = f"{type(e).__name__}"
        if time.monotonic() + interval > deadline:
            raise KibanaError(f"Kibana at {_redact(base)} not available after {timeout:.0f}s (last: {last})")
        time.sleep(interval)
