"""Kibana saved objects (config/kibana/newsetl.ndjson) and the importer (pipeline.kibana, `newsetl kibana`).

Kibana itself cannot run here: the importer is tested against a small HTTP server on 127.0.0.1 that stands in for
Kibana and records the raw request (the one stand-in the project allows).
"""
from __future__ import annotations

import base64
import copy
import datetime as dt
import email.parser
import email.policy
import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from pipeline import kibana
from pipeline.mapping import build_mappings, mapping_field_paths
from pipeline.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
NDJSON = REPO / "config" / "kibana" / "newsetl.ndjson"


@pytest.fixture(scope="module")
def settings():
    return load_settings(REPO / "config" / "newsetl.yaml")


@pytest.fixture(scope="module")
def objects():
    return kibana.read_ndjson(NDJSON.read_bytes())


@pytest.fixture(scope="module")
def mappings(settings):
    return build_mappings(settings)


def by_type(objects, type_):
    return [o for o in objects if o["type"] == type_]


def lens_columns(obj):
    layers = obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
    return [c for layer in layers.values() for c in layer["columns"].values()]


# ------------------------------------------------------------------------------------------------ the NDJSON


def test_ndjson_parses_one_object_per_line():
    raw = NDJSON.read_bytes()
    assert raw.endswith(b"\n")
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) >= 10
    for n, line in enumerate(lines, 1):
        obj = json.loads(line)
        assert {"type", "id", "attributes", "references"} <= set(obj), f"line {n}"
        # every stringified JSON attribute parses too
        a = obj["attributes"]
        for key in ("panelsJSON", "optionsJSON", "fieldFormatMap"):
            if key in a:
                json.loads(a[key])
        if "kibanaSavedObjectMeta" in a:
            json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])


def test_ndjson_is_the_generated_objects_for_the_read_alias(settings):
    """The committed file is what `newsetl kibana build` writes for the configured read alias."""
    assert NDJSON.read_bytes() == kibana.to_ndjson(kibana.build_saved_objects(settings.index.read_alias))


def test_every_reference_resolves_within_the_file(objects):
    have = {(o["type"], o["id"]) for o in objects}
    assert len(have) == len(objects), "duplicate ids"
    n = 0
    for o in objects:
        for r in o["references"]:
            assert (r["type"], r["id"]) in have, (o["id"], r)
            n += 1
    assert n >= len(objects) - 1  # everything but the data view refers to something
    assert kibana.check_saved_objects(objects) == []


def test_every_field_named_exists_in_the_generated_mapping(objects, mappings):
    from pipeline.removals import REMOVED_MAPPING
    from pipeline.runs import DEAD_LETTERS_MAPPING, RUNS_MAPPING
    from pipeline.watches import ALERTS_MAPPING

    used = kibana.fields_used(objects)
    assert {u.data_view for u in used} == {kibana.DATA_VIEW_ID, kibana.RUNS_VIEW_ID, kibana.LETTERS_VIEW_ID,
                                           kibana.REMOVED_VIEW_ID, kibana.ALERTS_VIEW_ID}
    for view, mapping, some in ((kibana.DATA_VIEW_ID, mappings, {"published_at", "language", "domain", "title",
                                                                 "entities.person", "people",
                                                                 "entities.organization", "entities.location"}),
                                (kibana.RUNS_VIEW_ID, RUNS_MAPPING, {"finished_at", "source", "indexed",
                                                                     "dead_lettered", "quiet_hours", "stale"}),
                                (kibana.LETTERS_VIEW_ID, DEAD_LETTERS_MAPPING, {"at", "stage_reason", "host", "url",
                                                                                "open", "error", "run_id"}),
                                (kibana.REMOVED_VIEW_ID, REMOVED_MAPPING, {"removed_at", "kind", "domain", "url",
                                                                           "reason"}),
                                (kibana.ALERTS_VIEW_ID, ALERTS_MAPPING, {"matched_at", "watch", "title", "source",
                                                                         "language", "pending", "delivered_at",
                                                                         "attempts", "last_error", "url"})):
        fields = {u.field for u in used if u.data_view == view}
        assert fields >= some
        missing = sorted(fields - mapping_field_paths(mapping))
        assert not missing, f"fields not in the mapping of {view}: {missing}"
    assert kibana.check_saved_objects(objects, mappings) == []


def test_data_views_cover_the_read_alias_by_publication_date_and_the_runs_by_their_end(objects, settings):
    dv, runs, letters, removed, alerts = by_type(objects, "index-pattern")
    assert dv["attributes"]["title"] == settings.index.read_alias == "news"
    assert dv["attributes"]["timeFieldName"] == "published_at"
    assert runs["attributes"]["title"] == settings.index.runs_index_name == "news-runs"
    assert runs["attributes"]["timeFieldName"] == "finished_at"
    assert letters["attributes"]["title"] == settings.index.dead_letters_index_name == "news-deadletters"
    assert letters["attributes"]["timeFieldName"] == "at"
    assert removed["id"] == kibana.REMOVED_VIEW_ID
    assert removed["attributes"]["title"] == settings.index.removed_index_name == "news-removed"
    assert removed["attributes"]["timeFieldName"] == "removed_at"
    assert alerts["id"] == kibana.ALERTS_VIEW_ID
    assert alerts["attributes"]["title"] == settings.index.alerts_index_name == "news-alerts"
    assert alerts["attributes"]["timeFieldName"] == "matched_at"
    # every data view shows its url field as a link
    for view in (dv, letters, removed, alerts):
        assert json.loads(view["attributes"]["fieldFormatMap"])["url"] == {"id": "url"}, view["id"]


def test_saved_searches_latest_by_person_without_copies_and_most_copied(objects):
    searches = {o["id"]: o for o in by_type(objects, "search") if kibana.data_view_of(o) == kibana.DATA_VIEW_ID}
    assert len(searches) == 5
    most_copied = searches.pop("newsetl-most-copied-stories")["attributes"]
    for s in searches.values():
        assert s["attributes"]["sort"] == [["published_at", "desc"]]
        assert "title" in s["attributes"]["columns"]
    queries = {i: json.loads(s["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]
               for i, s in searches.items()}
    assert queries["newsetl-latest-articles"] == ""
    assert kibana.kql_fields(queries["newsetl-articles-mentioning-person"]) == {"entities.person"}
    assert kibana.kql_fields(queries["newsetl-articles-mentioning-person-any-script"]) == {"entity_keys.person"}
    assert kibana.kql_fields(queries["newsetl-latest-stories"]) == {"duplicate_of"}
    # the originals with the most near duplicates first, showing how many
    assert most_copied["sort"] == [["copies", "desc"], ["published_at", "desc"]]
    assert most_copied["columns"][:2] == ["title", "copies"]
    query = json.loads(most_copied["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]
    assert query == "copies > 0"


def test_dashboard_has_the_required_panels(objects):
    (dash,) = [o for o in by_type(objects, "dashboard") if o["id"] == "newsetl-news-overview"]
    panels = json.loads(dash["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in dash["references"]}
    targets = {(p["panelIndex"], refs[f"{p['panelIndex']}:{p['panelRefName']}"]["id"]) for p in panels}
    by_id = {o["id"]: o for o in objects}
    shown = [by_id[i] for _, i in targets]

    def lens_with(pred):
        return [o for o in shown if o["type"] == "lens" and pred(o)]

    def has_col(o, op, field):
        return any(c["operationType"] == op and c.get("sourceField") == field for c in lens_columns(o))

    # articles over time, by language; the most named people over time
    assert lens_with(lambda o: has_col(o, "date_histogram", "published_at") and has_col(o, "terms", "language"))
    assert lens_with(lambda o: has_col(o, "date_histogram", "published_at") and has_col(o, "terms", "people"))
    # top sources, people (one name across spellings) and their names as written, organisations, locations, the
    # pages' own tags and sections, authors
    for f in ("domain", "people", "entities.person", "entities.organization", "entities.location", "tags",
              "categories", "authors", "places", "countries", "regions"):
        assert lens_with(lambda o, f=f: has_col(o, "terms", f)), f
    # the most copied stories: originals by title, ordered by their copies
    (copied,) = lens_with(lambda o: has_col(o, "terms", "title.keyword") and has_col(o, "max", "copies"))
    assert copied["attributes"]["state"]["query"]["query"] == "copies > 0"
    assert [c["params"]["orderBy"] for c in lens_columns(copied) if c["operationType"] == "terms"] == [
        {"type": "column", "columnId": "copies"}]
    # language share
    assert lens_with(lambda o: o["attributes"]["visualizationType"] == "lnsPie" and has_col(o, "terms", "language"))
    # a table of articles
    assert any(o["type"] == "search" for o in shown)
    assert_no_overlap(panels)


def assert_no_overlap(panels):
    """Panels do not overlap on the 48-column grid."""
    cells = set()
    for p in panels:
        g = p["gridData"]
        mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not (mine & cells), p["panelIndex"]
        cells |= mine


def test_source_health_dashboard_shows_every_runs_chart_and_search(objects):
    (dash,) = [o for o in by_type(objects, "dashboard") if o["id"] == "newsetl-source-health"]
    panels = json.loads(dash["attributes"]["panelsJSON"])
    shown = {r["id"] for r in dash["references"]}
    runs = {o["id"] for o in objects if kibana.data_view_of(o) == kibana.RUNS_VIEW_ID and o["type"] != "index-pattern"}
    letters = {o["id"] for o in objects if kibana.data_view_of(o) == kibana.LETTERS_VIEW_ID
               and o["type"] != "index-pattern"}
    removed = {o["id"] for o in objects if kibana.data_view_of(o) == kibana.REMOVED_VIEW_ID
               and o["type"] != "index-pattern"}
    alerts = {o["id"] for o in objects if kibana.data_view_of(o) == kibana.ALERTS_VIEW_ID
              and o["type"] != "index-pattern"}
    assert shown == runs | letters | removed | alerts
    assert (len(runs), len(letters), len(removed), len(alerts)) == (6, 5, 1, 3)
    assert dash["attributes"]["timeFrom"] == "now-7d"
    by_id = {o["id"]: o for o in objects}
    table = by_id["newsetl-sources-table"]
    cols = {c["sourceField"]: c["operationType"] for c in lens_columns(table)}
    assert cols == {"source": "terms", "finished_at": "last_value", "quiet_hours": "last_value",
                    kibana.RECORDS: "count", "discovered": "sum", "indexed": "sum", "refetched": "sum",
                    "dead_lettered": "sum", "rule_misses": "sum"}
    # the articles fetched again because their listing said they were updated, per source and run
    assert {c["sourceField"]: c["operationType"] for c in lens_columns(by_id["newsetl-refetched-by-source"])} == {
        "finished_at": "date_histogram", "source": "terms", "refetched": "sum"}
    # the sources with the most dead letters first, and the charts read only ingest runs (a replay brings nothing)
    assert [c["params"]["orderBy"] for c in lens_columns(table) if c["operationType"] == "terms"] == [
        {"type": "column", "columnId": "dead"}]
    # not by a last value, which Elasticsearch cannot order buckets by: the check says so
    broken = copy.deepcopy(table)
    next(c for c in lens_columns(broken) if c["operationType"] == "terms")["params"]["orderBy"]["columnId"] = "last_run"
    assert "lens 'newsetl-sources-table': column 'source' orders by a last value ('last_run')" in \
        kibana.check_saved_objects([broken, by_id[kibana.RUNS_VIEW_ID]])
    for lens in by_type([by_id[i] for i in runs], "lens"):
        assert lens["attributes"]["state"]["query"]["query"] == 'kind : "ingest"', lens["id"]
    assert_no_overlap(panels)


def test_source_health_shows_the_removed_articles_and_domains_below_the_runs_and_dead_letters(objects):
    """What `newsetl remove` took out: one saved search over the removed index, below the runs and dead letters of
    Source health (the watches' section follows it)."""
    (dash,) = [o for o in by_type(objects, "dashboard") if o["id"] == "newsetl-source-health"]
    panels = json.loads(dash["attributes"]["panelsJSON"])
    refs = {r["name"]: r["id"] for r in dash["references"]}
    (search,) = [o for o in by_type(objects, "search") if kibana.data_view_of(o) == kibana.REMOVED_VIEW_ID]
    a = search["attributes"]
    assert a["title"] == "Removed articles and domains"
    assert a["columns"] == ["kind", "domain", "url", "reason", "removed_at"]
    assert a["sort"] == [["removed_at", "desc"]]
    assert json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"] == ""
    for words in ("kind domain", "newsetl remove --restore", "changes feed", "deletion"):
        assert words in a["description"], words
    # its panel spans the grid below every runs and dead-letter panel; the panels above stay where they were
    view_of = {o["id"]: kibana.data_view_of(o) for o in objects}
    (mine,) = [p for p in panels if refs[f"{p['panelIndex']}:{p['panelRefName']}"] == search["id"]]
    above = [p["gridData"] for p in panels if view_of[refs[f"{p['panelIndex']}:{p['panelRefName']}"]]
             in (kibana.RUNS_VIEW_ID, kibana.LETTERS_VIEW_ID)]
    g = mine["gridData"]
    assert (g["x"], g["w"]) == (0, 48)
    assert g["y"] == max(o["y"] + o["h"] for o in above)
    assert mine["type"] == "search" and len({p["panelIndex"] for p in panels}) == len(panels)


def test_source_health_ends_with_the_watches_alerts(objects):
    """The alerts index (pipeline.watches): a data view by matched_at, the alerts of the watches newest first, those a
    channel still waits for, and a chart per watch over time: the last section of Source health, below the removed
    articles (whether alerts reach their channels is an operator's concern, as the dead letters are)."""
    by_id = {o["id"]: o for o in objects}
    view = by_id[kibana.ALERTS_VIEW_ID]
    assert view["type"] == "index-pattern" and view["attributes"]["timeFieldName"] == "matched_at"
    mine = {o["id"]: o for o in objects if kibana.data_view_of(o) == kibana.ALERTS_VIEW_ID and o is not view}
    assert set(mine) == {kibana.ALERTS_SEARCH_ID, kibana.ALERTS_PENDING_ID, kibana.ALERTS_CHART_ID}

    every = mine[kibana.ALERTS_SEARCH_ID]["attributes"]
    assert every["title"] == "Alerts of the watches"
    assert every["columns"] == ["watch", "title", "source", "language", "pending", "delivered_at", "attempts",
                                "last_error"]
    assert every["sort"] == [["matched_at", "desc"]]
    assert json.loads(every["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"] == {"query": "",
                                                                                        "language": "kuery"}
    waiting = mine[kibana.ALERTS_PENDING_ID]["attributes"]
    assert waiting["title"] == "Alerts waiting for a channel"
    assert json.loads(waiting["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"] == {"query": "pending : *",
                                                                                          "language": "kuery"}
    assert kibana.kql_fields("pending : *") == {"pending"}
    assert waiting["sort"] == [["matched_at", "desc"]]
    assert {"watch", "pending", "attempts", "last_error"} <= set(waiting["columns"])
    chart = mine[kibana.ALERTS_CHART_ID]
    cols = {c["operationType"]: c for c in lens_columns(chart)}
    assert set(cols) == {"date_histogram", "terms", "count"}
    assert (cols["date_histogram"]["sourceField"], cols["terms"]["sourceField"]) == ("matched_at", "watch")
    (layer,) = chart["attributes"]["state"]["visualization"]["layers"]
    assert layer["splitAccessor"] == "watch" and layer["xAccessor"] == "date"

    (dash,) = [o for o in by_type(objects, "dashboard") if o["id"] == "newsetl-source-health"]
    panels = json.loads(dash["attributes"]["panelsJSON"])
    refs = {r["name"]: r["id"] for r in dash["references"]}
    grid = {refs[f"{p['panelIndex']}:{p['panelRefName']}"]: p["gridData"] for p in panels}
    assert len(grid) == len(panels) and set(mine) <= set(grid)
    bottom = max(g["y"] + g["h"] for i, g in grid.items() if i not in mine)
    # below every other panel: the chart and the waiting alerts side by side, then every alert the whole width
    chart, waiting, every = (grid[i] for i in (kibana.ALERTS_CHART_ID, kibana.ALERTS_PENDING_ID,
                                               kibana.ALERTS_SEARCH_ID))
    assert chart["y"] == waiting["y"] == bottom
    assert (chart["x"], chart["x"] + chart["w"], waiting["x"] + waiting["w"]) == (0, waiting["x"], 48)
    assert (every["x"], every["w"], every["y"]) == (0, 48, bottom + max(chart["h"], waiting["h"]))
    assert_no_overlap(panels)
    for words in ("watches", "alerts index"):
        assert words in dash["attributes"]["description"], words


def _compose_kibana_version() -> str:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    image = compose["services"]["kibana"]["image"]
    return image.rsplit(":", 1)[1]


def _v(s: str) -> tuple[int, ...]:
    return tuple(int(x) for x in s.split("."))


def test_objects_are_not_newer_than_the_compose_kibana(objects):
    version = _v(_compose_kibana_version())
    assert version[0] == 9
    for o in objects:
        assert _v(o["coreMigrationVersion"]) <= version, o["id"]
        # Kibana imports objects of the same or the previous major and migrates them; never newer ones
        assert version[0] - 1 <= _v(o["typeMigrationVersion"])[0] <= version[0], o["id"]


# ------------------------------------------------------------------------------------- the checks can fail


def test_check_catches_a_dangling_reference(objects):
    broken = copy.deepcopy(objects)
    lens = next(o for o in broken if o["type"] == "lens")
    lens["references"][0]["id"] = "no-such-data-view"
    problems = kibana.check_saved_objects(broken)
    assert any("no-such-data-view" in p and lens["id"] in p for p in problems)


def test_check_catches_a_panel_without_its_reference(objects):
    broken = copy.deepcopy(objects)
    dash = next(o for o in broken if o["type"] == "dashboard")
    dash["references"] = dash["references"][1:]
    assert any("panel" in p for p in kibana.check_saved_objects(broken))


def test_check_catches_unknown_and_unaggregatable_fields(objects, mappings):
    broken = copy.deepcopy(objects)
    lens = next(o for o in broken if o["id"] == "newsetl-top-persons")
    col = next(c for c in lens_columns(lens) if c["operationType"] == "terms")
    col["sourceField"] = "entities.people"
    search = next(o for o in broken if o["id"] == "newsetl-latest-articles")
    search["attributes"]["sort"] = [["text", "desc"]]
    problems = kibana.check_saved_objects(broken, mappings)
    assert any("'entities.people' is not in the index mapping" in p for p in problems)
    assert any("'text' (text) cannot be bucketed" in p for p in problems)


def test_check_reads_the_removed_view_against_the_removed_mapping(objects, mappings):
    """The removed search is checked against REMOVED_MAPPING: a news field, or one that is in no mapping, is
    reported; and its own fields are not read against the news mapping (which has no kind, reason or removed_at)."""
    assert not {"kind", "reason", "removed_at"} & mapping_field_paths(mappings)
    broken = copy.deepcopy(objects)
    removed = next(o for o in broken if kibana.data_view_of(o) == kibana.REMOVED_VIEW_ID and o["type"] == "search")
    removed["attributes"]["columns"] += ["title", "removed_by"]       # a news field, and one of no index
    removed["attributes"]["sort"] = [["published_at", "desc"]]
    view = next(o for o in broken if o["id"] == kibana.REMOVED_VIEW_ID)
    view["attributes"]["timeFieldName"] = "indexed_at"                  # in REMOVED_MAPPING: fine
    problems = kibana.check_saved_objects(broken, mappings)
    assert sorted(problems) == sorted(f"{removed['id']}: field {f!r} is not in the removed-index mapping"
                                      for f in ("title", "removed_by", "published_at"))


def test_check_reads_the_alerts_view_against_the_alerts_mapping(objects, mappings):
    """The alerts objects are checked against ALERTS_MAPPING (pipeline.watches): a news field, a field of no index,
    and a text field bucketed are reported; their own fields (watch, pending, matched_at...), which the news mapping
    does not have, are not."""
    assert not {"watch", "pending", "matched_at", "attempts", "last_error", "delivered_at"} & \
        mapping_field_paths(mappings)
    assert kibana.check_saved_objects(objects, mappings) == []
    broken = copy.deepcopy(objects)
    by_id = {o["id"]: o for o in broken}
    every = by_id[kibana.ALERTS_SEARCH_ID]["attributes"]
    every["columns"] += ["authors", "channel"]          # a news field, and one of no index
    every["sort"] = [["published", "desc"]]
    waiting = by_id[kibana.ALERTS_PENDING_ID]["attributes"]
    source = json.loads(waiting["kibanaSavedObjectMeta"]["searchSourceJSON"])
    source["query"]["query"] = "pending_channels : *"
    waiting["kibanaSavedObjectMeta"]["searchSourceJSON"] = json.dumps(source)
    chart = by_id[kibana.ALERTS_CHART_ID]
    next(c for c in lens_columns(chart) if c["operationType"] == "terms")["sourceField"] = "last_error"
    by_id[kibana.ALERTS_VIEW_ID]["attributes"]["timeFieldName"] = "delivered_at"      # in ALERTS_MAPPING: fine
    problems = kibana.check_saved_objects(broken, mappings)
    assert sorted(problems) == sorted(
        [f"{kibana.ALERTS_SEARCH_ID}: field {f!r} is not in the alerts-index mapping"
         for f in ("authors", "channel", "published")]
        + [f"{kibana.ALERTS_PENDING_ID}: field 'pending_channels' is not in the alerts-index mapping",
           f"{kibana.ALERTS_CHART_ID}: field 'last_error' (text) cannot be bucketed; use a keyword/date/numeric "
           f"field"])


# ------------------------------------------------------------------- the Rising names panels (Vega, trends)


def vega_of(obj) -> dict:
    """The parsed Vega-Lite spec of a Vega visualization saved object, read the way Kibana stores it."""
    state = json.loads(obj["attributes"]["visState"])
    assert state["type"] == "vega" and state["aggs"] == []
    return json.loads(state["params"]["spec"])


def set_spec(obj, spec) -> None:
    """Write ``spec`` (a dict, or the text of one) back into the saved object."""
    state = json.loads(obj["attributes"]["visState"])
    state["params"]["spec"] = spec if isinstance(spec, str) else json.dumps(spec)
    obj["attributes"]["visState"] = json.dumps(state)


def rising_agg(spec) -> dict:
    return spec["data"]["url"]["body"]["aggs"][kibana.RISING_AGG]["significant_terms"]


def test_rising_panels_count_what_newsetl_trends_counts(objects):
    """Three Vega-Lite panels, one per field, each a significant_terms over the read alias by the data view's time
    field, with pipeline.trends' field, minimum and score (its default, JLH), against its default baseline."""
    import inspect

    from pipeline import trends

    defaults = {k: p.default for k, p in inspect.signature(trends.trends).parameters.items()}
    assert (defaults["window"], defaults["baseline"], defaults["min_count"]) == \
        (trends.WINDOW, trends.BASELINE, trends.MIN_COUNT)
    by_id = {o["id"]: o for o in objects}
    view = by_id[kibana.DATA_VIEW_ID]["attributes"]
    assert [p[0] for p in kibana.RISING_PANELS] == ["newsetl-rising-people", "newsetl-rising-organizations",
                                                     "newsetl-rising-places"]
    for id_, title, key, label, _ in kibana.RISING_PANELS:
        obj = by_id[id_]
        assert obj["type"] == "visualization" and obj["typeMigrationVersion"] == "8.5.0"
        assert obj["references"] == []               # a Vega spec names its index itself
        assert title.startswith("Rising names: ")
        spec = vega_of(obj)
        assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
        url = spec["data"]["url"]
        assert url["index"] == view["title"] == "news"
        assert url["%context%"] is True and url["%timefield%"] == view["timeFieldName"] == "published_at"
        assert "query" not in url["body"]            # Kibana refuses %context% with a query of one's own
        agg = rising_agg(spec)
        assert agg["field"] == trends.FIELDS[key]
        assert agg["min_doc_count"] == defaults["min_count"] == 3
        assert agg["shard_min_doc_count"] == 1 and agg["size"] == 15
        # no heuristic named: Elasticsearch's default JLH, as pipeline.trends
        assert not {"jlh", "mutual_information", "chi_square", "gnd", "percentage", "script_heuristic"} & set(agg)
        # the background: the trends baseline (7d) before the time range, and the range
        assert agg["background_filter"] == {"range": {"published_at": {
            "gte": {"%timefilter%": "min", "shift": -7, "unit": "d"}, "lte": {"%timefilter%": "max"},
            "format": "epoch_millis"}}}
        assert defaults["baseline"] == "7d"
        assert spec["data"]["format"] == {"property": "aggregations.rising.buckets"}
        enc = spec["encoding"]
        assert enc["y"]["field"] == "key" and enc["y"]["sort"] == {"field": "score", "order": "descending"}
        assert enc["x"]["field"] == "doc_count"
        assert {t["field"] for t in enc["tooltip"]} == {"key", "doc_count", "before", "score"}
        assert f"newsetl trends --field {key}" in obj["attributes"]["description"]
    # another trends baseline would be written in the unit Kibana's shift takes
    assert [kibana._shift(b) for b in ("7d", "36h", "2w", "90m")] == [(-7, "d"), (-36, "h"), (-14, "d"), (-90, "m")]


def test_the_dashboards_show_the_rising_panels(objects):
    """News overview shows the rising people; What is rising (the trends window: the last 24h) shows all three and
    the latest articles; every panel's reference resolves to its Vega visualization."""
    by_id = {o["id"]: o for o in objects}
    shown = {}
    for dash_id in ("newsetl-news-overview", kibana.RISING_DASHBOARD_ID):
        dash = by_id[dash_id]
        panels = json.loads(dash["attributes"]["panelsJSON"])
        refs = {r["name"]: r for r in dash["references"]}
        shown[dash_id] = []
        for p in panels:
            ref = refs[f"{p['panelIndex']}:{p['panelRefName']}"]
            assert ref["type"] == p["type"] and by_id[ref["id"]]["type"] == ref["type"], p
            shown[dash_id].append(ref["id"])
            if ref["type"] == "visualization":
                assert [d["url"]["index"] for d in kibana.vega_requests(vega_of(by_id[ref["id"]]))] == ["news"]
        assert_no_overlap(panels)
    assert "newsetl-rising-people" in shown["newsetl-news-overview"]
    assert shown[kibana.RISING_DASHBOARD_ID] == ["newsetl-rising-people", "newsetl-rising-organizations",
                                                  "newsetl-rising-places", "newsetl-latest-articles"]
    rising = by_id[kibana.RISING_DASHBOARD_ID]["attributes"]
    assert rising["title"] == "What is rising" and rising["timeRestore"] is True
    assert (rising["timeFrom"], rising["timeTo"]) == ("now-24h", "now")
    # a panel without its reference, or pointing at a missing visualization, is reported
    broken = copy.deepcopy(objects)
    dash = next(o for o in broken if o["id"] == kibana.RISING_DASHBOARD_ID)
    dash["references"][1]["id"] = "newsetl-rising-nothing"
    assert kibana.check_saved_objects(broken) == [
        f"dashboard {kibana.RISING_DASHBOARD_ID!r}: reference '2:panel_2' -> visualization 'newsetl-rising-nothing' "
        f"is not in the file"]


def test_the_map_panel_is_a_vega_map_of_the_cities_on_news_overview(objects, mappings):
    """Where the news is: a Vega (not Vega-Lite) panel in Kibana's map mode, without a base map (no Elastic Maps
    Service needed), whose one request counts the articles per city point (geotile_grid on place_points, no
    geo_centroid: it would average an article's other cities in) under the dashboard's context and time range, and
    whose marks are placed with the projection Kibana injects; News overview shows it. A geo aggregation on a field
    that is not a geo_point, or on one not in the mapping, fails the check (drawn: tests/test_vega_render.py)."""
    by_id = {o["id"]: o for o in objects}
    obj = by_id[kibana.MAP_PANEL_ID]
    assert obj["type"] == "visualization" and obj["typeMigrationVersion"] == "8.5.0" and obj["references"] == []
    assert obj["attributes"]["title"] == "Where the news is"
    spec = vega_of(obj)
    assert spec["$schema"] == "https://vega.github.io/schema/vega/v5.json"
    host = spec["config"]["kibana"]
    assert host["type"] == "map" and host["mapStyle"] is False
    assert all(isinstance(host[k], (int, float)) for k in ("latitude", "longitude", "zoom"))
    # Kibana sizes the map and injects these; a spec's own would be kept and stop following the map
    assert not {"width", "height", "autosize", "projections"} & set(spec)
    assert not {s["name"] for s in spec.get("signals", [])} & {"latitude", "longitude", "zoom"}
    (request,) = kibana.vega_requests(spec)
    view = by_id[kibana.DATA_VIEW_ID]["attributes"]
    url = request["url"]
    assert url["index"] == view["title"] and url["%context%"] is True
    assert url["%timefield%"] == view["timeFieldName"] and "query" not in url["body"]
    wrapper = url["body"]["aggs"][kibana.MAP_AGG]
    tiles = wrapper["aggs"]["tiles"]["geotile_grid"]
    assert tiles == {"field": "place_points", "precision": 29, "size": kibana.MAP_TILES}
    assert "geo_centroid" not in json.dumps(url)
    assert request["format"] == {"property": f"aggregations.{kibana.MAP_AGG}"}
    geo = [t for d in spec["data"] + spec["marks"] for t in d.get("transform", [])
           if t["type"] in ("geopoint", "geoshape")]
    assert [t["projection"] for t in geo] == ["projection", "projection"]       # the circles, the graticule
    assert next(m for m in spec["marks"] if m["name"] == "circles")["encode"]["update"]["tooltip"] == {
        "signal": "{'Place': datum.places, 'Articles': datum.count}"}

    dash = by_id["newsetl-news-overview"]
    panels = {p["panelIndex"]: p for p in json.loads(dash["attributes"]["panelsJSON"])}
    (ref,) = [r for r in dash["references"] if r["id"] == kibana.MAP_PANEL_ID]
    shown = panels[ref["name"].split(":")[0]]
    assert ref["type"] == shown["type"] == "visualization" and shown["gridData"]["w"] == 48
    assert "(where the news is)" in dash["attributes"]["description"]

    for field, problem in (("places", "field 'places' (keyword) is not a geo_point; a geo aggregation needs one "
                                      "(place_points)"),
                           ("place_point", "field 'place_point' is not in the index mapping")):
        broken = copy.deepcopy(objects)
        target = next(o for o in broken if o["id"] == kibana.MAP_PANEL_ID)
        s = vega_of(target)
        s["data"][0]["url"]["body"]["aggs"][kibana.MAP_AGG]["aggs"]["tiles"]["geotile_grid"]["field"] = field
        set_spec(target, s)
        assert kibana.check_saved_objects(broken, mappings) == [f"{kibana.MAP_PANEL_ID}: {problem}"]
    broken = copy.deepcopy(objects)
    target = next(o for o in broken if o["id"] == kibana.MAP_PANEL_ID)
    s = vega_of(target)
    s["data"][0]["url"]["body"]["aggs"][kibana.MAP_AGG]["aggs"]["tiles"]["geotile_grid"].pop("field")
    set_spec(target, s)
    assert kibana.check_saved_objects(broken, mappings) == [
        f"visualization {kibana.MAP_PANEL_ID!r}: aggregation 'tiles' (geotile_grid) names no field"]


T0 = dt.datetime(2024, 6, 10, 12, 0, tzinfo=dt.timezone.utc)


def test_expand_vega_url_substitutes_like_kibana():
    """%timefield% and %context% become the context's bool with the time range in its must (ISO instants with
    milliseconds, strict_date_optional_time); %timefilter% min/max with a shift become epoch milliseconds; the
    dashboard-context clauses fill a query of one's own; Kibana's refusals are refused."""
    url = {"index": "news", "%context%": True, "%timefield%": "published_at", "body": {"aggs": {"a": {"terms": {
        "field": "x", "b": {"r": {"gte": {"%timefilter%": "min", "shift": -2, "unit": "h"},
                                  "lte": {"%timefilter%": "max"}}}}}}}}
    ctx = {"bool": {"must": [], "filter": [{"term": {"language": "de"}}], "should": [], "must_not": []}}
    out = kibana.expand_vega_url(url, T0 - dt.timedelta(days=1), T0, ctx)
    assert out["index"] == "news" and "%context%" not in out and "%timefield%" not in out
    assert out["body"]["query"] == {"bool": {
        "must": [{"range": {"published_at": {"gte": "2024-06-09T12:00:00.000Z", "lte": "2024-06-10T12:00:00.000Z",
                                             "format": "strict_date_optional_time"}}}],
        "filter": [{"term": {"language": "de"}}], "should": [], "must_not": []}}
    r = out["body"]["aggs"]["a"]["terms"]["b"]["r"]
    assert r == {"gte": int((T0 - dt.timedelta(days=1, hours=2)).timestamp() * 1000), "lte": int(T0.timestamp() * 1000)}
    assert url["%context%"] is True                       # the saved spec is left as it was
    # the time field only: just the range
    only_time = kibana.expand_vega_url({"index": "news", "%timefield%": "published_at"}, T0 - dt.timedelta(hours=1), T0)
    assert list(only_time["body"]["query"]) == ["range"]
    # a query of one's own with the context's clauses in it
    own = kibana.expand_vega_url({"index": "news", "body": {"query": {"bool": {
        "filter": ["%dashboard_context-filter_clause%", {"range": {"published_at": {"%timefilter%": True}}}],
        "must_not": ["%dashboard_context-must_not_clause%"]}}}}, T0 - dt.timedelta(hours=1), T0, ctx)
    assert own["body"]["query"]["bool"] == {"filter": [{"term": {"language": "de"}}, {"range": {"published_at": {
        "gte": "2024-06-10T11:00:00.000Z", "lte": "2024-06-10T12:00:00.000Z", "format": "strict_date_optional_time"}}}],
        "must_not": []}
    with pytest.raises(ValueError, match="must not be used when url.body.query is set"):
        kibana.expand_vega_url({"index": "news", "%context%": True, "body": {"query": {"match_all": {}}}}, T0, T0)
    with pytest.raises(ValueError, match="unit"):
        kibana.expand_vega_url({"body": {"aggs": {"a": {"x": {"%timefilter%": "min", "shift": 1, "unit": "year"}}}}},
                               T0, T0)
    with pytest.raises(ValueError, match="true, \"min\" or \"max\""):
        kibana.expand_vega_url({"body": {"aggs": {"a": {"x": {"%timefilter%": "start"}}}}}, T0, T0)


def broken_people_panel(objects, change):
    """The objects with the people panel's spec changed by ``change(spec)`` (which may return a new text)."""
    broken = copy.deepcopy(objects)
    obj = next(o for o in broken if o["id"] == "newsetl-rising-people")
    spec = vega_of(obj)
    set_spec(obj, change(spec) or spec)
    return broken


@pytest.mark.parametrize("change,problem", [
    (lambda s: rising_agg(s).update(field="entities.people"),
     "newsetl-rising-people: field 'entities.people' is not in the index mapping"),
    (lambda s: rising_agg(s).update(field="text"),
     "newsetl-rising-people: field 'text' (text) cannot be bucketed; use a keyword/date/numeric field"),
    (lambda s: rising_agg(s)["background_filter"]["range"].update(published=rising_agg(s)["background_filter"]
                                                                    ["range"].pop("published_at")),
     "newsetl-rising-people: field 'published' is not in the index mapping"),
    (lambda s: s["data"]["url"]["body"].update(query={"match_all": {}}),
     "visualization 'newsetl-rising-people': Kibana would refuse its request: url.%context% and url.%timefield% "
     "must not be used when url.body.query is set"),
    (lambda s: s["data"]["url"].update(index="news-v1"),
     "visualization 'newsetl-rising-people': queries 'news-v1', which no data view in the file covers (name the "
     "index of one: 'news', 'news-alerts', 'news-deadletters', 'news-removed', 'news-runs')"),
    (lambda s: s["data"]["url"].update({"%timefield%": "indexed_at"}),
     "visualization 'newsetl-rising-people': %timefield% 'indexed_at' is not the time field of data view "
     "'newsetl-news' ('published_at'): the dashboard's time range would select other articles than its other "
     "panels'"),
    (lambda s: s["data"]["format"].update(property="aggregations.trending.buckets"),
     "visualization 'newsetl-rising-people': format.property 'aggregations.trending.buckets' names no aggregation "
     "of its request (rising)"),
    (lambda s: rising_agg(s).update(feld=rising_agg(s).pop("field")),
     "visualization 'newsetl-rising-people': aggregation 'rising' (significant_terms) names no field"),
    (lambda s: rising_agg(s)["background_filter"]["range"]["published_at"]["gte"].update(unit="fortnight"),
     "visualization 'newsetl-rising-people': Kibana would refuse its request: unknown \"unit\" value 'fortnight': "
     "use week, day, hour, minute or second"),
    (lambda s: json.dumps(s)[:-1],
     "visualization 'newsetl-rising-people': the Vega spec is not strict JSON"),
    (lambda s: "{\n  $schema: https://vega.github.io/schema/vega-lite/v5.json\n}",     # HJSON, which Kibana reads
     "visualization 'newsetl-rising-people': the Vega spec is not strict JSON (line 2, column 3"),
])
def test_check_catches_a_broken_rising_panel(objects, mappings, change, problem):
    assert kibana.check_saved_objects(objects, mappings) == []
    problems = kibana.check_saved_objects(broken_people_panel(objects, change), mappings)
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_cli_check_reports_a_broken_rising_panel(tmp_path, objects):
    out = tmp_path / "objects.ndjson"
    out.write_bytes(kibana.to_ndjson(broken_people_panel(objects, lambda s: rising_agg(s).update(field="person"))))
    r = run_cli("kibana", "check", "--file", str(out))
    assert r.returncode == 1
    assert r.stdout.splitlines() == ["newsetl-rising-people: field 'person' is not in the index mapping"]


RISE_AT = T0


def _rising_docs() -> list[dict]:
    """Eight days of articles before RISE_AT. Every day three name nobody and two name Omar Daily and the City
    Council (three on the last day). On the last day: five name Nadia Surge, the Harbour Authority and Kyiv (Nadia
    once four days before), three German ones Jonas Neu, one Clara Once. A month before, four name Nadia Surge."""
    from tests.plugins.docs import make_document

    out = []

    def add(day, n, person=(), org=(), loc=(), lang="en"):
        published = RISE_AT - dt.timedelta(days=day, hours=1 + n % 20)
        out.append(make_document(
            f"https://rise.example.org/{day}/{n}", title=f"Dispatch {day}-{n}", language=lang,
            text=f"Dispatch {day}-{n} on the harbour, the council and the weather of the week. " * 6,
            published_at=published.isoformat(),
            entities={"person": list(person), "organization": list(org), "location": list(loc), "misc": []}))

    for day in range(8):
        for n in range(3):
            add(day, n)
        for n in (3, 4):
            add(day, n, ["Omar Daily"], ["City Council"])
    add(0, 5, ["Omar Daily"], ["City Council"])
    for n in range(5):
        add(0, 10 + n, ["Nadia Surge"], ["Harbour Authority"], ["Kyiv"])
    add(4, 10, ["Nadia Surge"])
    add(0, 20, ["Clara Once"])
    for n in range(3):
        add(0, 30 + n, ["Jonas Neu"], lang="de")
    for n in range(4):                 # a month before: outside the baseline, as in `newsetl trends`
        add(30, n, ["Nadia Surge"])
    return out


def run_panel(client, obj, time_min, time_max, context=None) -> list[dict]:
    """What a Rising panel shows: its request as Kibana expands it, sent to the node; the rows format.property
    picks."""
    spec = vega_of(obj)
    request = kibana.expand_vega_url(spec["data"]["url"], time_min, time_max, context)
    resp = client.search(index=request["index"], **request["body"])
    rows = resp.body if hasattr(resp, "body") else resp
    for part in spec["data"]["format"]["property"].split("."):
        rows = rows[part]
    return rows


@pytest.mark.es
def test_rising_panels_rank_the_rising_names_first_as_trends_does(index_settings, index_client, storage):
    """The panels' requests, expanded as Kibana does for the dashboard's last 24 hours, run on the real node over
    eight days of articles: the person, organisation and place that were rare and are everywhere today rank first,
    the ones named every day (more often today than the rising ones) do not rank, one named once is under the
    minimum; the people panel gives what `newsetl trends` gives. A dashboard query narrows the foreground only."""
    from pipeline.load import bulk_load
    from pipeline.trends import trends

    docs = _rising_docs()
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="t").created == len(docs)
    alias = index_settings.index.read_alias
    index_client.indices.refresh(index=alias)
    by_id = {o["id"]: o for o in kibana.build_saved_objects(alias)}
    people = by_id["newsetl-rising-people"]
    day = (RISE_AT - dt.timedelta(hours=24), RISE_AT)

    # what Kibana sends: the time range on the data view's time field in the context's must, the aggregation as saved
    request = kibana.expand_vega_url(vega_of(people)["data"]["url"], *day)
    assert request["index"] == alias
    assert request["body"]["query"] == {"bool": {"must": [{"range": {"published_at": {
        "gte": "2024-06-09T12:00:00.000Z", "lte": "2024-06-10T12:00:00.000Z", "format": "strict_date_optional_time"}}}],
        "filter": [], "should": [], "must_not": []}}
    assert request["body"]["aggs"]["rising"]["significant_terms"]["background_filter"]["range"]["published_at"] == {
        "gte": int((RISE_AT - dt.timedelta(days=8)).timestamp() * 1000), "lte": int(RISE_AT.timestamp() * 1000),
        "format": "epoch_millis"}

    rows = run_panel(index_client, people, *day)
    keys = [r["key"] for r in rows]
    assert keys == ["Nadia Surge", "Jonas Neu"]       # Omar Daily: three today, but every day; Clara Once: once
    nadia = rows[0]
    today = sum(1 for d in docs if dt.datetime.fromisoformat(d["published_at"]) >= day[0])
    assert (nadia["doc_count"], nadia["bg_count"] - nadia["doc_count"]) == (5, 1)
    # panel and API agree: the same names, counts and scores as `newsetl trends` (window 24h, baseline 7d)
    api = trends(index_client, index_settings, at=RISE_AT)
    assert (api["documents"], api["background"]) == (today, len(docs) - 4)       # not the month-old ones
    assert [(r["key"], r["doc_count"], r["bg_count"] - r["doc_count"], round(r["score"], 4)) for r in rows] == \
        [(t["key"], t["count"], t["baseline_count"], t["score"]) for t in api["trends"]]

    orgs = [r["key"] for r in run_panel(index_client, by_id["newsetl-rising-organizations"], *day)]
    assert orgs == ["Harbour Authority"]             # not the City Council, named every day
    places = run_panel(index_client, by_id["newsetl-rising-places"], *day)
    assert [(r["key"], r["doc_count"]) for r in places] == [("Kyiv", 5)]

    # the dashboard's query (KQL language : "de", as Kibana puts it in the context's filter) narrows the foreground;
    # the background stays every article of the period, so the German name rises, and Nadia, named in no German
    # article, is gone. `newsetl trends --lang de` narrows both, and nothing rises among three German articles.
    german = {"bool": {"must": [], "filter": [{"bool": {"should": [{"match_phrase": {"language": "de"}}],
                                                        "minimum_should_match": 1}}], "should": [], "must_not": []}}
    assert [r["key"] for r in run_panel(index_client, people, *day, german)] == ["Jonas Neu"]
    assert trends(index_client, index_settings, at=RISE_AT, lang="de")["trends"] == []
    # over the eight days nothing rises: they are about all of the background (the 7 days before them hold none)
    week = run_panel(index_client, people, RISE_AT - dt.timedelta(days=8), RISE_AT)
    assert week == []


@pytest.mark.es
def test_a_broken_rising_panel_fails_the_check_before_kibana_shows_it(index_settings, index_client, storage,
                                                                        objects, mappings):
    """A wrong field makes the real node answer with no bucket at all (an empty panel, no error: hence the check),
    a text field makes it refuse the request; the check names both."""
    from elasticsearch import BadRequestError

    from pipeline.load import bulk_load

    bulk_load(index_client, _rising_docs(), index_settings, storage=storage, run_id="t")
    alias = index_settings.index.read_alias
    index_client.indices.refresh(index=alias)
    day = (RISE_AT - dt.timedelta(hours=24), RISE_AT)
    mine = kibana.build_saved_objects(alias)
    assert run_panel(index_client, next(o for o in mine if o["id"] == "newsetl-rising-people"), *day)

    wrong = broken_people_panel(mine, lambda s: rising_agg(s).update(field="entities.people"))
    assert run_panel(index_client, next(o for o in wrong if o["id"] == "newsetl-rising-people"), *day) == []
    assert "newsetl-rising-people: field 'entities.people' is not in the index mapping" in \
        kibana.check_saved_objects(wrong, mappings)
    text = broken_people_panel(mine, lambda s: rising_agg(s).update(field="text"))
    with pytest.raises(BadRequestError):
        run_panel(index_client, next(o for o in text if o["id"] == "newsetl-rising-people"), *day)
    assert any("'text' (text) cannot be bucketed" in p for p in kibana.check_saved_objects(text, mappings))


def test_kql_fields():
    assert kibana.kql_fields('entities.person : "A: B" and (language:en or domain : x)') == {
        "entities.person", "language", "domain"}
    assert kibana.kql_fields("") == set()
    assert kibana.kql_fields("copies > 0 and word_count<=100 and x >= 2") == {"copies", "word_count", "x"}


# ------------------------------------------------------------------------------ the stand-in Kibana server


class StandIn:
    """An HTTP server on 127.0.0.1 that records every request and answers from a script."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: dict[str, list[tuple[int, bytes, str]]] = {}
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stand_in.requests.append({"method": self.command, "path": self.path,
                                          "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": body})
                path = urlsplit(self.path).path
                queue = stand_in.replies.get(path) or [(404, b'{"statusCode":404,"message":"Not Found"}',
                                                        "application/json")]
                status, payload, ctype = queue.pop(0) if len(queue) > 1 else queue[0]
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply(self, path: str, status: int, body, ctype: str = "application/json"):
        payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.replies.setdefault(path, []).append((status, payload, ctype))


@pytest.fixture
def stand_in():
    s = StandIn()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


IMPORT = "/api/saved_objects/_import"


def ok_body(objs):
    return {"success": True, "successCount": len(objs),
            "successResults": [{"type": o["type"], "id": o["id"], "meta": {}} for o in objs]}


def multipart_parts(request) -> dict[str, tuple[str | None, str, bytes]]:
    """name -> (filename, content type, payload bytes) of a recorded multipart/form-data request."""
    head = f"Content-Type: {request['headers']['content-type']}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request["body"])
    assert msg.is_multipart()
    out = {}
    for part in msg.iter_parts():
        disp = part.get("Content-Disposition")
        name = re.search(r'name="([^"]*)"', disp).group(1)
        out[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
    return out


def test_import_sends_multipart_file_with_xsrf_header_and_overwrite(stand_in, objects):
    data = NDJSON.read_bytes()
    stand_in.reply(IMPORT, 200, ok_body(objects))
    result = kibana.import_saved_objects(data, stand_in.url, overwrite=True,
                                         auth=kibana.KibanaAuth("elastic", "s3cret"))
    assert result.success_count == len(objects)
    (req,) = stand_in.requests
    assert req["method"] == "POST"
    parts = urlsplit(req["path"])
    assert parts.path == IMPORT
    assert parse_qs(parts.query) == {"overwrite": ["true"]}
    assert req["headers"]["kbn-xsrf"] == "true"
    assert req["headers"]["authorization"] == "Basic " + base64.b64encode(b"elastic:s3cret").decode()
    assert req["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    files = multipart_parts(req)
    assert set(files) == {"file"}
    filename, ctype, payload = files["file"]
    assert filename.endswith(".ndjson")
    assert payload == data  # the exact file bytes


def test_import_without_overwrite_space_and_api_key(stand_in, objects):
    stand_in.reply(f"/s/newsroom{IMPORT}", 200, ok_body(objects))
    kibana.import_saved_objects(b'{"type":"index-pattern","id":"x","attributes":{"title":"news"}}\n',
                                stand_in.url + "/", overwrite=False, space="newsroom",
                                auth=kibana.KibanaAuth(api_key="a2V5OnNlY3JldA=="))
    (req,) = stand_in.requests
    assert urlsplit(req["path"]).path == f"/s/newsroom{IMPORT}"
    assert "overwrite" not in parse_qs(urlsplit(req["path"]).query)
    assert req["headers"]["authorization"] == "ApiKey a2V5OnNlY3JldA=="
    assert multipart_parts(req)["file"][2].startswith(b'{"type":"index-pattern"')


def test_import_reports_refused_objects(stand_in):
    stand_in.reply(IMPORT, 200, {"success": False, "successCount": 1, "errors": [
        {"type": "lens", "id": "newsetl-top-persons", "error": {
            "type": "missing_references", "references": [{"type": "index-pattern", "id": "newsetl-news"}]}},
        {"type": "dashboard", "id": "newsetl-news-overview", "error": {"type": "conflict"}}]})
    with pytest.raises(kibana.KibanaError) as e:
        kibana.import_saved_objects(NDJSON.read_bytes(), stand_in.url)
    msg = str(e.value)
    assert "refused 2" in msg and "newsetl-top-persons" in msg and "missing index-pattern newsetl-news" in msg
    assert "--overwrite" in msg


@pytest.mark.parametrize("status,body,expect", [
    (401, {"statusCode": 401, "error": "Unauthorized"}, "refused the credentials"),
    (403, {"statusCode": 403}, "forbids the import"),
    (400, {"statusCode": 400, "message": "Invalid file extension .txt"}, "HTTP 400 Invalid file extension"),
    (502, b"<html>bad gateway</html>", "HTTP 502"),
    (200, {"hello": "world"}, "really Kibana"),
])
def test_import_http_errors_are_one_clear_line(stand_in, status, body, expect):
    stand_in.reply(IMPORT, status, body, "text/html" if isinstance(body, bytes) else "application/json")
    with pytest.raises(kibana.KibanaError) as e:
        kibana.import_saved_objects(b"{}\n", stand_in.url)
    assert expect in str(e.value) and "\n" not in str(e.value)


def test_import_unreachable_kibana_names_the_url():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(kibana.KibanaError) as e:
        kibana.import_saved_objects(b"{}\n", f"http://127.0.0.1:{port}", timeout=5)
    assert f"127.0.0.1:{port}" in str(e.value) and "NEWSETL_KIBANA_URL" in str(e.value)


def test_wait_for_kibana_polls_until_available(stand_in):
    stand_in.reply("/api/status", 503, b"<html>starting</html>", "text/html")
    stand_in.reply("/api/status", 503, {"status": {"overall": {"level": "unavailable"}}})
    stand_in.reply("/api/status", 503, {"status": {"overall": {"level": "critical"}}})
    stand_in.reply("/api/status", 200, {"status": {"overall": {"level": "available"}}})
    body = kibana.wait_for_kibana(stand_in.url, timeout=20, interval=0.05)
    assert body["status"]["overall"]["level"] == "available"
    assert [r["path"] for r in stand_in.requests] == ["/api/status"] * 4


def test_wait_for_kibana_accepts_degraded(stand_in):
    stand_in.reply("/api/status", 503, {"status": {"overall": {"level": "degraded"}}})
    assert kibana.wait_for_kibana(stand_in.url, timeout=5, interval=0.05)["status"]["overall"]["level"] == "degraded"


def test_wait_for_kibana_gives_up(stand_in):
    stand_in.reply("/api/status", 503, {"status": {"overall": {"level": "unavailable"}}})
    with pytest.raises(kibana.KibanaError, match="not available after"):
        kibana.wait_for_kibana(stand_in.url, timeout=0.3, interval=0.05)


# ------------------------------------------------------------------------------------------------- the CLI


def run_cli(*args, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSETL_KIBANA_", "NEWSETL_ES_"))}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, env=e, capture_output=True,
                          text=True, timeout=120)


def test_cli_import_uses_env_credentials(stand_in, objects):
    stand_in.reply(IMPORT, 200, ok_body(objects))
    r = run_cli("kibana", "import", "--url", stand_in.url, "--overwrite",
                env={"NEWSETL_KIBANA_USERNAME": "elastic", "NEWSETL_KIBANA_PASSWORD": "pw"})
    assert r.returncode == 0, r.stderr
    assert f"imported {len(objects)} saved objects" in r.stdout
    (req,) = stand_in.requests
    assert parse_qs(urlsplit(req["path"]).query) == {"overwrite": ["true"]}
    assert req["headers"]["authorization"] == "Basic " + base64.b64encode(b"elastic:pw").decode()
    assert multipart_parts(req)["file"][2] == NDJSON.read_bytes()


def test_cli_import_wait_then_file(stand_in, tmp_path):
    f = tmp_path / "one.ndjson"
    f.write_bytes(b'{"type":"index-pattern","id":"x","attributes":{"title":"news"},"references":[]}\n')
    stand_in.reply("/api/status", 200, {"status": {"overall": {"level": "available"}}})
    stand_in.reply(IMPORT, 200, {"success": True, "successCount": 1})
    r = run_cli("kibana", "import", "--url", stand_in.url, "--file", str(f), "--wait", "30")
    assert r.returncode == 0, r.stderr
    assert [urlsplit(q["path"]).path for q in stand_in.requests] == ["/api/status", IMPORT]
    assert "overwrite" not in urlsplit(stand_in.requests[1]["path"]).query
    assert multipart_parts(stand_in.requests[1])["file"][:1] == ("one.ndjson",)


def test_cli_import_failure_exits_1_with_one_line(stand_in):
    stand_in.reply(IMPORT, 401, {"statusCode": 401})
    r = run_cli("kibana", "import", "--url", stand_in.url)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "refused the credentials" in r.stderr


def test_cli_usage_errors_exit_2(tmp_path):
    r = run_cli("kibana", "import", "--file", str(tmp_path / "missing.ndjson"))
    assert r.returncode == 2 and "no such file" in r.stderr
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"type":"search"}\nnot json\n')
    r = run_cli("kibana", "import", "--file", str(bad))
    assert r.returncode == 2 and "line 2: not JSON" in r.stderr


def test_cli_build_and_check(tmp_path):
    out = tmp_path / "objects.ndjson"
    r = run_cli("kibana", "build", "--out", str(out), "--index", "articles")
    assert r.returncode == 0, r.stderr
    assert "removed index 'articles-removed'" in r.stdout
    objs = kibana.read_ndjson(out.read_bytes())
    titles = {v["id"]: v["attributes"]["title"] for v in by_type(objs, "index-pattern")}
    assert titles == {kibana.DATA_VIEW_ID: "articles", kibana.RUNS_VIEW_ID: "articles-runs",
                      kibana.LETTERS_VIEW_ID: "articles-deadletters", kibana.REMOVED_VIEW_ID: "articles-removed",
                      kibana.ALERTS_VIEW_ID: "articles-alerts"}
    r = run_cli("kibana", "check")
    assert r.returncode == 0, r.stdout + r.stderr
    # the check fails when the data view does not cover the configured read alias
    r = run_cli("kibana", "check", "--file", str(out))
    assert r.returncode == 1 and "'articles'" in r.stdout
    assert f"data view {kibana.REMOVED_VIEW_ID!r} covers 'articles-removed', but the removed index is " \
           f"'news-removed'" in r.stdout


def test_cli_build_removed_index_and_check_its_title(tmp_path):
    """--removed-index names the removed index; without --index it defaults to the configured one."""
    out = tmp_path / "objects.ndjson"
    r = run_cli("kibana", "build", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "removed index 'news-removed'" in r.stdout
    assert out.read_bytes() == NDJSON.read_bytes()
    r = run_cli("kibana", "build", "--out", str(out), "--removed-index", "takedowns")
    assert r.returncode == 0, r.stderr
    assert "removed index 'takedowns'" in r.stdout
    views = {v["id"]: v["attributes"]["title"] for v in by_type(kibana.read_ndjson(out.read_bytes()),
                                                                 "index-pattern")}
    assert views[kibana.REMOVED_VIEW_ID] == "takedowns" and views[kibana.DATA_VIEW_ID] == "news"
    # only the removed view is off: the check names it and the configured name, nothing else
    r = run_cli("kibana", "check", "--file", str(out))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"data view {kibana.REMOVED_VIEW_ID!r} covers 'takedowns', but the removed "
                                     f"index is 'news-removed' (run: newsetl kibana build)"]
    # and the library call takes it too, with <index>-removed by default
    by_id = {o["id"]: o for o in kibana.build_saved_objects("articles", removed_index="takedowns")}
    assert by_id[kibana.REMOVED_VIEW_ID]["attributes"]["title"] == "takedowns"
    by_id = {o["id"]: o for o in kibana.build_saved_objects("articles")}
    assert by_id[kibana.REMOVED_VIEW_ID]["attributes"]["title"] == "articles-removed"


def test_cli_build_alerts_index_and_check_its_title(tmp_path):
    """--alerts-index names the alerts index; without --index it defaults to the configured one (index.alerts_index,
    or <name>-alerts), and `kibana check` names a view that covers another."""
    out = tmp_path / "objects.ndjson"
    r = run_cli("kibana", "build", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "alerts index 'news-alerts'" in r.stdout
    assert out.read_bytes() == NDJSON.read_bytes()
    r = run_cli("kibana", "build", "--out", str(out), "--alerts-index", "watch-hits")
    assert r.returncode == 0, r.stderr
    assert "alerts index 'watch-hits'" in r.stdout and "removed index 'news-removed'" in r.stdout
    views = {v["id"]: v["attributes"]["title"] for v in by_type(kibana.read_ndjson(out.read_bytes()),
                                                                 "index-pattern")}
    assert views == {kibana.DATA_VIEW_ID: "news", kibana.RUNS_VIEW_ID: "news-runs",
                     kibana.LETTERS_VIEW_ID: "news-deadletters", kibana.REMOVED_VIEW_ID: "news-removed",
                     kibana.ALERTS_VIEW_ID: "watch-hits"}
    r = run_cli("kibana", "check", "--file", str(out))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"data view {kibana.ALERTS_VIEW_ID!r} covers 'watch-hits', but the alerts "
                                     f"index is 'news-alerts' (run: newsetl kibana build)"]
    # a config that names the alerts index: build follows it, and check accepts the file built for it
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"index": {"alerts_index": "watch-hits"}}))
    r = run_cli("--config", str(cfg), "kibana", "check", "--file", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_cli("--config", str(cfg), "kibana", "build", "--out", str(tmp_path / "configured.ndjson"))
    assert r.returncode == 0 and "alerts index 'watch-hits'" in r.stdout, r.stdout + r.stderr
    assert (tmp_path / "configured.ndjson").read_bytes() == out.read_bytes()
    # the library call, with <index>-alerts by default
    by_id = {o["id"]: o for o in kibana.build_saved_objects("articles", alerts_index="watch-hits")}
    assert by_id[kibana.ALERTS_VIEW_ID]["attributes"]["title"] == "watch-hits"
    by_id = {o["id"]: o for o in kibana.build_saved_objects("articles")}
    assert by_id[kibana.ALERTS_VIEW_ID]["attributes"]["title"] == "articles-alerts"


# ------------------------------------------------ the demo articles fill every panel (real Elasticsearch node)


@pytest.mark.es
@pytest.mark.slow
def test_demo_articles_fill_every_panel_and_search(index_settings, index_client, objects):
    """Process the shipped demo pages with the real processing stage, load them with the real loader, then run
    each saved object's aggregation / query against the read alias: on a first start every panel shows data."""
    from pipeline.load import bulk_load
    from pipeline.page import Page
    from pipeline.process import process_pages
    from pipeline.storage import Storage

    demo = REPO / "config" / "demo"
    urls = json.loads((demo / "urls.json").read_text())
    pages = [Page(url=url, body=(demo / "pages" / name).read_bytes(),
                  headers={"content-type": "text/html; charset=utf-8"}, source="demo",
                  fetched_at="2026-11-27T00:00:00+00:00", source_tags=["demo"]) for name, url in urls.items()]
    docs = list(process_pages(pages, index_settings.processing, entities=True,
                              now=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)))
    assert [d["status"] for d in docs] == ["ok"] * len(pages), [(d["url"], d["status"]) for d in docs]
    result = bulk_load(index_client, docs, index_settings, storage=Storage(index_settings.storage.root),
                       run_id="demo", refresh=True)
    assert result.failed == 0 and result.created == len(docs)
    alias = index_settings.index.read_alias
    # the demo's one story published twice: the later page is its copy, and the original counts it
    by_host = {urlsplit(d["url"]).hostname.split(".")[0]: d["id"] for d in docs if "aberdeen" in d["url"]
               or "torry" in d["url"]}
    assert result.marked == 1
    assert index_client.get(index=alias, id=by_host["northern-times"])["_source"]["duplicate_of"] == by_host["gazette"]
    assert index_client.get(index=alias, id=by_host["gazette"])["_source"]["copies"] == 1

    # the data view's time field is set on every demo document
    missing = index_client.count(index=alias, query={"bool": {"must_not": {"exists": {"field": "published_at"}}}})
    assert missing["count"] == 0

    def translate(query: str) -> dict:
        """The few KQL forms the saved objects use, as Elasticsearch queries."""
        m = re.fullmatch(r'\s*([\w.]+)\s*:\s*"([^"]+)"\s*', query)
        absent = re.fullmatch(r"\s*NOT\s+([\w.]+)\s*:\s*\*\s*", query)
        present = re.fullmatch(r"\s*([\w.]+)\s*:\s*\*\s*", query)
        above = re.fullmatch(r"\s*([\w.]+)\s*>\s*(\d+)\s*", query)
        assert m or absent or present or above or query == "", f"translate the KQL {query!r} here"
        if m and m.group(1).startswith("entity_keys."):      # a text field: KQL makes a phrase of the value
            return {"match_phrase": {m.group(1): m.group(2)}}
        return ({"term": {m.group(1): m.group(2)}} if m else
                {"bool": {"must_not": {"exists": {"field": absent.group(1)}}}} if absent else
                {"exists": {"field": present.group(1)}} if present else
                {"range": {above.group(1): {"gt": int(above.group(2))}}} if above else {"match_all": {}})

    news = [o for o in objects if kibana.data_view_of(o) == kibana.DATA_VIEW_ID]   # the runs: tests/test_runs.py
    for lens in by_type(news, "lens"):
        for col in lens_columns(lens):
            if col["operationType"] == "terms":
                agg = {"terms": {"field": col["sourceField"], "size": col["params"]["size"]}}
                floor = 5 if col["sourceField"] == "language" else 3
                if lens["attributes"]["state"]["query"]["query"] == "copies > 0":
                    floor = 1     # the demo holds one story published twice
            elif col["operationType"] == "date_histogram":
                agg = {"date_histogram": {"field": col["sourceField"], "calendar_interval": "week",
                                          "min_doc_count": 1}}
                floor = 2
            else:
                continue
            resp = index_client.search(index=alias, size=0, aggs={"a": agg},
                                       query=translate(lens["attributes"]["state"]["query"]["query"]))
            buckets = resp["aggregations"]["a"]["buckets"]
            assert len(buckets) >= floor, (lens["id"], col["sourceField"], buckets)
    langs = {b["key"] for b in index_client.search(index=alias, size=0, aggs={"l": {"terms": {"field": "language"}}})
             ["aggregations"]["l"]["buckets"]}
    assert {"en", "fr", "de", "ru", "es"} <= langs

    for search in by_type(news, "search"):
        src = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        es_query = translate(src["query"]["query"])
        hits = index_client.search(index=alias, query=es_query, sort=[{s[0]: s[1]} for s in search["attributes"]["sort"]],
                                   size=20)["hits"]["hits"]
        assert hits, search["id"]
        for column in search["attributes"]["columns"]:
            assert any(column.split(".")[0] in h["_source"] for h in hits), (search["id"], column)
        if search["id"] == "newsetl-articles-mentioning-person-any-script":    # typed in Latin letters, found in Cyrillic
            assert [h["_source"]["entities"]["person"][0] for h in hits] == ["Ильдар Сафин"]


@pytest.mark.es
def test_removed_search_lists_real_removal_records(index_settings, index_client, storage):
    """`newsetl remove` of one article and one domain over the real node: the removed search, run as Discover would
    (its query, its sort by removed_at), lists each record with every column it shows (a domain's has no url)."""
    from pipeline.load import bulk_load
    from pipeline.removals import remove
    from tests.plugins.docs import make_document

    docs = [make_document(f"https://{host}/story/{i}", title=f"Story {i} of {host}",
                          text=f"Story {i} of {host} tells of the harbour and the council this week. " * 8)
            for host in ("a.example", "b.example") for i in range(2)]
    bulk_load(index_client, docs, index_settings, storage=storage, run_id="r1")
    remove(index_client, index_settings, urls=[docs[0]["url"]], reason="court order")
    remove(index_client, index_settings, domains=["b.example"], reason="publisher opt-out")

    (search,) = [o for o in kibana.build_saved_objects(index_settings.index.read_alias,
                                                       removed_index=index_settings.index.removed_index_name)
                 if kibana.data_view_of(o) == kibana.REMOVED_VIEW_ID and o["type"] == "search"]
    a = search["attributes"]
    assert json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"] == ""
    hits = index_client.search(index=index_settings.index.removed_index_name, query={"match_all": {}},
                               sort=[{f: d} for f, d in a["sort"]], size=20)["hits"]["hits"]
    rows = [h["_source"] for h in hits]
    assert sorted((r["kind"], r["domain"], r["reason"]) for r in rows) == [
        ("document", "a.example", "court order"), ("document", "b.example", "publisher opt-out"),
        ("document", "b.example", "publisher opt-out"), ("domain", "b.example", "publisher opt-out")]
    assert rows[0]["reason"] == "publisher opt-out"                 # newest first: the domain's removal came last
    for r in rows:
        for column in a["columns"]:
            assert r.get(column) or (column == "url" and r["kind"] == "domain"), (r, column)


@pytest.mark.es
def test_alerts_searches_and_chart_list_real_alert_records(index_settings, index_client, storage, news_server):
    """Three watches run for real over articles loaded into the node (pipeline.watches.run_watch): one whose webhook
    refuses (HTTP 503), one delivering to a folder, one without a channel. The alerts searches, run as Discover would
    (their query, their sort by matched_at), and the per-watch chart's aggregation list what the watches recorded,
    with every column each shows; once the webhook accepts, nothing waits for a channel any more."""
    from pipeline.load import bulk_load
    from pipeline.watches import Watch, ensure_alerts_index, run_watch
    from tests.plugins.docs import make_document
    from tests.plugins.httpserver import Reply

    srv = news_server(hosts=1)
    hook = srv.route("/hook", [Reply(status=503, body="busy, come back later"), Reply(status=200, body="ok")])
    idx = index_settings.index
    settings = index_settings.model_copy(update={"index": idx.model_copy(update={    # the feed lists loads at once
        "search": idx.search.model_copy(update={"changes_delay_seconds": 0.0})})})
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    docs = [make_document(f"https://news.example.org/alerts/{i}", title=title, language=lang, published_at=now,
                          fetched_at=now, text=f"{title}. The story goes on about the week in the town. " * 6)
            for i, (title, lang) in enumerate((("Harbour crane arrives", "en"), ("Harbour fees rise", "en"),
                                               ("Council votes on the budget", "en"), ("Storm warning", "fr")))]
    bulk_load(index_client, docs, settings, storage=storage, run_id="alerts")
    index = ensure_alerts_index(index_client, settings)
    assert index == settings.index.alerts_index_name
    watches = [Watch.model_validate(w) for w in (
        {"name": "harbour", "query": "harbour", "deliver": [{"webhook": hook}]},
        {"name": "council", "query": "council", "deliver": [{"folder": "alerts/council"}]},
        {"name": "kept", "query": "storm"})]
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    runs = {w.name: run_watch(index_client, storage, settings, w, since=since) for w in watches}
    assert {n: (r["new"], r["delivered"], r["pending"]) for n, r in runs.items()} == {
        "harbour": (2, 0, 2), "council": (1, 1, 0), "kept": (1, 0, 0)}
    index_client.indices.refresh(index=index)

    objs = {o["id"]: o for o in kibana.build_saved_objects(settings.index.read_alias, alerts_index=index)}
    view = objs[kibana.ALERTS_VIEW_ID]["attributes"]
    assert view["title"] == index
    time_field = view["timeFieldName"]
    # the Source health dashboard's range (its last 7 days) on the view's time field holds every alert
    dash_from = objs["newsetl-source-health"]["attributes"]["timeFrom"]
    assert dash_from == "now-7d"
    in_range = index_client.count(index=index, query={"range": {time_field: {"gte": dash_from, "lte": "now"}}})
    assert in_range["count"] == 4

    def translate(kql: str) -> dict:
        """The KQL forms the alerts searches use, as Elasticsearch queries."""
        exists = re.fullmatch(r"\s*([\w.]+)\s*:\s*\*\s*", kql)
        assert exists or kql == "", f"translate the KQL {kql!r} here"
        return {"exists": {"field": exists.group(1)}} if exists else {"match_all": {}}

    def discover(search_id: str) -> list[dict]:
        a = objs[search_id]["attributes"]
        kql = json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]
        hits = index_client.search(index=index, query=translate(kql), sort=[{f: d} for f, d in a["sort"]],
                                   size=50)["hits"]["hits"]
        return [h["_source"] for h in hits]

    every = discover(kibana.ALERTS_SEARCH_ID)
    by_doc = {d["id"]: d for d in docs}
    assert sorted((r["watch"], r["title"]) for r in every) == [
        ("council", "Council votes on the budget"), ("harbour", "Harbour crane arrives"),
        ("harbour", "Harbour fees rise"), ("kept", "Storm warning")]
    stamps = [r["matched_at"] for r in every]
    assert stamps == sorted(stamps, reverse=True) and every[0]["watch"] == "kept"     # newest first: the last run
    for r in every:
        assert r["alert_id"] == f"{r['watch']}:{r['id']}" and r["title"] == by_doc[r["id"]]["title"]
        assert (r["source"], r["language"]) == (by_doc[r["id"]]["source"], by_doc[r["id"]]["language"])
        for column in objs[kibana.ALERTS_SEARCH_ID]["attributes"]["columns"]:
            assert column in r, (r, column)
        if r["watch"] == "harbour":          # refused: the webhook still to do, the attempt and the error
            assert len(r["pending"]) == 1 and r["pending"][0].startswith("webhook-") and not r["delivered_at"]
            assert r["attempts"] == 1 and "HTTP 503: busy, come back later" in r["last_error"]
        else:                                # delivered to the folder, or kept in the index only
            assert r["pending"] == [] and r["delivered_at"] and r["attempts"] == 0 and r["last_error"] is None

    waiting = discover(kibana.ALERTS_PENDING_ID)
    assert sorted(r["title"] for r in waiting) == ["Harbour crane arrives", "Harbour fees rise"]
    assert {r["watch"] for r in waiting} == {"harbour"}
    for r in waiting:
        for column in objs[kibana.ALERTS_PENDING_ID]["attributes"]["columns"]:
            assert r.get(column), (r, column)

    # the chart: alerts per watch over time (its date histogram on matched_at, split by its terms on watch)
    chart = objs[kibana.ALERTS_CHART_ID]
    cols = {c["operationType"]: c for c in lens_columns(chart)}
    got = index_client.search(index=index, size=0, aggs={"t": {
        "date_histogram": {"field": cols["date_histogram"]["sourceField"], "calendar_interval": "day",
                           "min_doc_count": 1},
        "aggs": {"w": {"terms": {"field": cols["terms"]["sourceField"],
                                 "size": cols["terms"]["params"]["size"]}}}}})["aggregations"]["t"]["buckets"]
    per_watch: dict[str, int] = {}
    for day in got:
        for b in day["w"]["buckets"]:
            per_watch[b["key"]] = per_watch.get(b["key"], 0) + b["doc_count"]
    assert per_watch == {"harbour": 2, "council": 1, "kept": 1}

    # the webhook accepts now: the next run sends what waited, and nothing waits for a channel any more
    again = run_watch(index_client, storage, settings, watches[0], since=since)
    assert (again["new"], again["delivered"], again["pending"]) == (0, 2, 0)
    index_client.indices.refresh(index=index)
    assert discover(kibana.ALERTS_PENDING_ID) == []
    delivered = [r for r in discover(kibana.ALERTS_SEARCH_ID) if r["watch"] == "harbour"]
    assert len(delivered) == 2 and all(r["delivered_at"] and r["attempts"] == 1 for r in delivered)
