"""The Vega panels of the Kibana objects (the Rising names panels, the map "Where the news is"), drawn with the real
Vega libraries on real data.

Kibana cannot run here; its Vega panel is vega + vega-lite (5.x) plus the data loading of its VegaParser.
tools/vega/render.mjs (node, with tools/vega's pinned vega/vega-lite, installed by `make setup`) does that part:
it puts each Elasticsearch response in place of the request's url, compiles Vega-Lite to Vega with Kibana's sizing,
runs the view headless and reports the SVG, warnings, errors and what each mark drew. The requests are the panels'
own, expanded as Kibana expands them (pipeline.kibana.expand_vega_url) and sent to the test node over articles
loaded there. Without node (or without `make setup`'s npm install) the tests skip, and fail under CI=true or
REQUIRE_SHARED_CORPUS=1.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline import kibana
from tests.test_kibana import RISE_AT, _rising_docs

REPO = Path(__file__).resolve().parents[1]
VEGA_TOOL = REPO / "tools" / "vega"
RENDER = VEGA_TOOL / "render.mjs"
DAY = (RISE_AT - dt.timedelta(hours=24), RISE_AT)
WIDTH, HEIGHT = 400, 300


def _node() -> str:
    """The node binary, once tools/vega's packages are installed; else skip, or fail where CI must not skip."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "node is not installed (install Node.js 18+ with npm, then `make setup`)"
    elif not (VEGA_TOOL / "node_modules" / "vega-lite").is_dir():
        problem = "tools/vega's npm packages are not installed (run `make setup`, or `npm ci --prefix tools/vega`)"
    if problem:
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_SHARED_CORPUS") == "1":
            pytest.fail(problem + " and CI=true or REQUIRE_SHARED_CORPUS=1")
        pytest.skip(problem)
    return node


def render(spec: dict, data: list[dict], width: int = WIDTH, height: int = HEIGHT) -> dict:
    """What tools/vega/render.mjs reports for ``spec`` given ``data``: [{"url": <as in the spec>, "response": ...}]."""
    r = subprocess.run([_node(), str(RENDER)], input=json.dumps({"spec": spec, "data": data, "width": width,
                                                                  "height": height}),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def vega_panels(objects: list[dict]) -> list[dict]:
    """Every Vega visualization among the saved objects (pipeline.kibana.vega_spec reads them as Kibana does)."""
    return [o for o in objects if kibana.vega_spec(o) is not None]


def fetch(client, spec: dict, time_min: dt.datetime, time_max: dt.datetime, context: dict | None = None) -> list[dict]:
    """Each Elasticsearch request of ``spec`` as Kibana expands it for the time range and context, run on the node:
    the renderer's ``data``."""
    out = []
    for entry in kibana.vega_requests(spec):
        request = kibana.expand_vega_url(entry["url"], time_min, time_max, context)
        resp = client.search(index=request["index"], **request["body"])
        out.append({"url": entry["url"], "response": resp.body if hasattr(resp, "body") else resp})
    return out


def rows_of(spec: dict, data: list[dict]) -> list[dict]:
    """The rows the spec's one request gives: its response at format.property (Vega's JSON reader)."""
    (entry,) = kibana.vega_requests(spec)
    rows = data[0]["response"]
    for part in entry["format"]["property"].split("."):
        rows = rows[part]
    return rows


def bars(result: dict) -> list[dict]:
    """The bar mark's items, top to bottom."""
    (mark,) = [m for m in result["marks"] if m["type"] == "rect"]
    return sorted(mark["items"], key=lambda it: it["y"])


def axis(result: dict, scale: str) -> dict:
    """The labelled axis of ``scale`` (Vega-Lite adds a grid-only one without labels or title)."""
    (found,) = [a for a in result["axes"] if a["scale"] == scale and (a["labels"] or a["title"])]
    return found


def drew_cleanly(result: dict) -> bool:
    return not result["errors"] and not result["warnings"] and not result["missing_fields"] and \
        result["svg"].startswith("<svg")


@pytest.fixture
def loaded(index_settings, index_client, storage):
    """The Rising test articles (tests/test_kibana.py) on the node; the objects built for its read alias."""
    from pipeline.load import bulk_load

    docs = _rising_docs()
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="t").created == len(docs)
    alias = index_settings.index.read_alias
    index_client.indices.refresh(index=alias)
    return index_client, kibana.build_saved_objects(alias)


@pytest.mark.es
def test_every_vega_panel_draws_the_names_its_request_returns(loaded):
    """Each Vega panel, on what its request returns for the dashboard's last 24 hours: Vega-Lite compiles, Vega runs
    with no error or warning, every encoded field is in the rows; one bar per bucket, labelled with the bucket's key,
    the most significant on top, as long as its article count (whole-article ticks on the count axis), and the
    tooltip shows the bucket's numbers."""
    client, objects = loaded
    panels = vega_panels(objects)
    assert [o["id"] for o in panels] == [p[0] for p in kibana.RISING_PANELS] + [kibana.MAP_PANEL_ID]
    panels = panels[:-1]                     # the map: test_the_map_draws_a_circle_per_city_where_the_city_is
    expected = {"newsetl-rising-people": ["Nadia Surge", "Jonas Neu"],
                "newsetl-rising-organizations": ["Harbour Authority"],
                "newsetl-rising-places": ["Kyiv"]}
    for obj in panels:
        oid = obj["id"]
        spec = kibana.vega_spec(obj)
        data = fetch(client, spec, *DAY)
        rows = rows_of(spec, data)
        keys = [r["key"] for r in rows]
        assert keys == expected[oid], oid                      # real buckets came back
        assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)

        result = render(spec, data)
        assert drew_cleanly(result), (oid, result["errors"], result["warnings"], result["missing_fields"])
        assert f'width="{WIDTH}" height="{HEIGHT}"' in result["svg"]          # Kibana's sizing: the panel's size
        for key in keys:
            assert f">{key}</text>" in result["svg"], (oid, key)

        drawn = bars(result)
        assert [b["datum"]["key"] for b in drawn] == keys, oid                # the order of the scores
        assert axis(result, "y")["labels"] == keys, oid
        # bar length: the article count, on one scale for all bars, from 0
        assert all(b["x"] == 0 and b["width"] > 0 for b in drawn), oid
        per_article = {round(b["width"] / r["doc_count"], 3) for b, r in zip(drawn, rows)}
        assert len(per_article) == 1, (oid, per_article)
        x_axis = axis(result, "x")
        assert x_axis["title"] == "Articles in the time range"
        assert all(label.isdigit() for label in x_axis["labels"]), (oid, x_axis["labels"])
        assert int(x_axis["labels"][-1]) >= max(r["doc_count"] for r in rows)
        label = next(p[3] for p in kibana.RISING_PANELS if p[0] == oid)
        for b, r in zip(drawn, rows):
            tip = b["tooltip"]
            assert tip[label] == r["key"]
            assert tip["Articles in the time range"] == str(r["doc_count"])
            assert tip["Score (JLH)"] == f"{r['score']:.3f}"
            (before,) = [v for k, v in tip.items() if k.startswith("Other articles naming it")]
            assert before == str(r["bg_count"] - r["doc_count"])


@pytest.mark.es
def test_the_people_panel_draws_the_dashboard_query_and_an_empty_range(loaded):
    """Under the dashboard query language : "de" the people panel draws the German name only; over the eight days,
    when nothing rises, it draws no bar, and no error or warning (an empty chart with its count axis)."""
    client, objects = loaded
    spec = kibana.vega_spec(next(o for o in objects if o["id"] == "newsetl-rising-people"))
    german = {"bool": {"must": [], "filter": [{"bool": {"should": [{"match_phrase": {"language": "de"}}],
                                                        "minimum_should_match": 1}}], "should": [], "must_not": []}}
    result = render(spec, fetch(client, spec, *DAY, german))
    assert drew_cleanly(result), result
    assert [b["datum"]["key"] for b in bars(result)] == ["Jonas Neu"]

    data = fetch(client, spec, RISE_AT - dt.timedelta(days=8), RISE_AT)
    assert rows_of(spec, data) == []
    result = render(spec, data)
    # no "Infinite extent" warning (Kibana shows Vega's warnings in the panel): the count axis still spans 0..3
    assert drew_cleanly(result), result
    assert bars(result) == [] and not any(a["labels"] for a in result["axes"] if a["scale"] == "y")
    assert axis(result, "x")["labels"] == ["0", "1", "2", "3"]


@pytest.mark.es
def test_a_broken_spec_is_reported_by_the_renderer(loaded):
    """The renderer can fail the check: on the same real response, a format.property naming no aggregation of the
    request is an error and draws nothing; a wrong count field draws no bar, a wrong name field bars labelled
    "undefined", and both are reported as missing fields; a response that is not the spec's request's is an error."""
    client, objects = loaded
    spec = kibana.vega_spec(next(o for o in objects if o["id"] == "newsetl-rising-people"))
    data = fetch(client, spec, *DAY)
    assert drew_cleanly(render(spec, data))

    def broken(change) -> dict:
        s = copy.deepcopy(spec)
        change(s)
        return render(s, data)           # the url is unchanged, so the same response is fed

    wrong_property = broken(lambda s: s["data"]["format"].update(property="aggregations.trending.buckets"))
    assert not drew_cleanly(wrong_property)
    assert any("buckets" in e for e in wrong_property["errors"]), wrong_property["errors"]
    assert all(not m["items"] for m in wrong_property["marks"])

    wrong_count = broken(lambda s: s["encoding"]["x"].update(field="count"))
    assert not drew_cleanly(wrong_count)
    assert bars(wrong_count) == []
    assert wrong_count["missing_fields"] == ['no row of the data has the field "count"']

    wrong_name = broken(lambda s: s["encoding"]["y"].update(field="name"))
    assert not drew_cleanly(wrong_name)
    assert wrong_name["missing_fields"] == ['no row of the data has the field "name"']
    assert axis(wrong_name, "y")["labels"] != ["Nadia Surge", "Jonas Neu"]

    other = copy.deepcopy(spec)
    other["data"]["url"]["body"]["aggs"]["rising"]["significant_terms"]["size"] = 5
    unanswered = render(other, data)
    assert any("no response given for its url" in e for e in unanswered["errors"]), unanswered["errors"]


# ------------------------------------------------------------------ the map: Where the news is (Vega, map mode)

MAP_W, MAP_H = 800, 400
# the map's articles, each of the last day: (url part, locations, language); the first names two cities
MAP_ARTICLES = (("kyiv-paris", ["Kyiv", "Paris"], "en"), ("kyiv", ["Kyiv", "Ukraine"], "en"),
                ("kyiv-uk", ["Київ"], "uk"), ("paris", ["Paris", "France"], "fr"), ("oslo", ["Oslo", "Norway"], "en"),
                ("rome", ["Rome", "Italy"], "it"), ("italy", ["Italy"], "en"), ("regions", ["Ukraine", "Bavaria"], "en"))
# what the circles' tooltips say. Norway is named by the Oslo article alone, so counting cannot tell the city from
# it (places_map_spec): both are listed. Italy is named by an article of its own too, so Rome's is Rome.
MAP_COUNTS = {"Kyiv": 3, "Paris": 2, "Norway, Oslo": 1, "Rome": 1}
MAP_CITIES = {"Kyiv": "Kyiv", "Paris": "Paris", "Norway, Oslo": "Oslo", "Rome": "Rome"}
MAP_OLD = 3                  # articles naming Oslo a month before: outside the last day


def _map_docs() -> list[dict]:
    from tests.plugins.docs import make_document

    def doc(name, locations, lang, published):
        return make_document(f"https://map.example.org/{name}", title=f"News from {name}", language=lang,
                             text=f"A report filed from {name} about the day's events there. " * 6,
                             published_at=published.isoformat(),
                             entities={"person": [], "organization": [], "location": locations, "misc": []})

    docs = [doc(name, locations, lang, RISE_AT - dt.timedelta(hours=2 + n))
            for n, (name, locations, lang) in enumerate(MAP_ARTICLES)]
    return docs + [doc(f"oslo-old-{n}", ["Oslo"], "en", RISE_AT - dt.timedelta(days=30, hours=n))
                   for n in range(MAP_OLD)]


@pytest.fixture
def mapped(index_settings, index_client, storage):
    """The map's test articles on the node; the objects built for its read alias; the map panel's spec."""
    from pipeline.load import bulk_load

    docs = _map_docs()
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="map").created == len(docs)
    alias = index_settings.index.read_alias
    index_client.indices.refresh(index=alias)
    objects = kibana.build_saved_objects(alias)
    return index_client, kibana.vega_spec(next(o for o in objects if o["id"] == kibana.MAP_PANEL_ID))


def mark(result: dict, name: str) -> list[dict]:
    """The items of the spec's mark ``name``."""
    (found,) = [m for m in result["marks"] if m["name"] == name]
    return found["items"]


def circles(result: dict) -> dict[str, dict]:
    """The map's circles by the place their tooltip names."""
    return {c["tooltip"]["Place"]: c for c in mark(result, "circles")}


def projected(lat: float, lon: float, view: dict, width: int = MAP_W, height: int = MAP_H) -> tuple[float, float]:
    """Where Kibana's map projection puts a point: a mercator of 512 * 2^zoom / 2π px a radian, centred on the view's
    latitude and longitude in the middle of the panel (SVG coordinates: y grows southwards)."""
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)

    def merc_y(la: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(la) / 2))

    return (width / 2 + scale * math.radians(lon - view["longitude"]),
            height / 2 - scale * (merc_y(lat) - merc_y(view["latitude"])))


@pytest.mark.es
def test_the_map_draws_a_circle_per_city_where_the_city_is(mapped):
    """The map panel, on what its request returns for the dashboard's last 24 hours, drawn in Kibana's map mode (the
    projection render.mjs stands in for, no base map): one circle per city, an article naming Kyiv and Paris counted
    at both; each circle at its city's GeoNames point as Kibana's projection puts it (Kyiv east of Paris, Oslo north
    of Rome), its area the article count, the city's name in the tooltip and beside it; no Vega error or warning."""
    from pipeline.places import place_facets, place_points

    client, spec = mapped
    assert spec["$schema"] == "https://vega.github.io/schema/vega/v5.json"
    assert spec["config"]["kibana"] == {"type": "map", "latitude": 35, "longitude": 15, "zoom": 1, "mapStyle": False}
    data = fetch(client, spec, *DAY)

    # the node: a multi-valued geo_point puts its article in the tile of each of its points, once per tile
    tiles = data[0]["response"]["aggregations"][kibana.MAP_AGG]["tiles"]["buckets"]
    assert sorted(t["doc_count"] for t in tiles) == sorted(MAP_COUNTS.values())
    with_point = sum(1 for _, locations, _ in MAP_ARTICLES if place_points(place_facets(locations)[0]))
    assert with_point == 6 and sum(t["doc_count"] for t in tiles) == 7         # kyiv-paris in two tiles
    # ... and a geo_centroid below a tile averages all the points of its articles: Kyiv's is pulled towards Paris,
    # which is why the panel puts a circle at its tile's centre
    request = kibana.expand_vega_url(spec["data"][0]["url"], *DAY)
    request["body"]["aggs"][kibana.MAP_AGG]["aggs"]["tiles"]["aggs"]["centroid"] = {
        "geo_centroid": {"field": "place_points"}}
    resp = client.search(index=request["index"], **request["body"])
    kyiv_tile = max(resp["aggregations"][kibana.MAP_AGG]["tiles"]["buckets"], key=lambda t: t["doc_count"])
    (kyiv,) = place_points(["Kyiv"])
    assert kyiv_tile["centroid"]["location"]["lon"] < kyiv["lon"] - 5

    result = render(spec, data, MAP_W, MAP_H)
    assert drew_cleanly(result), (result["errors"], result["warnings"], result["missing_fields"])
    assert result["map"] == {"latitude": 35, "longitude": 15, "zoom": 1, "mapStyle": False}
    assert f'width="{MAP_W}" height="{MAP_H}"' in result["svg"]
    drawn = circles(result)
    assert {place: c["tooltip"]["Articles"] for place, c in drawn.items()} == MAP_COUNTS
    # where the map puts each city's point
    for place, c in drawn.items():
        (point,) = place_points([MAP_CITIES[place]])
        x, y = projected(point["lat"], point["lon"], result["map"])
        assert (abs(c["x"] - x), abs(c["y"] - y)) < (0.5, 0.5), (place, c["x"], c["y"], x, y)
        assert 0 < c["x"] < MAP_W and 0 < c["y"] < MAP_H, place
    assert drawn["Paris"]["x"] < drawn["Rome"]["x"] < drawn["Kyiv"]["x"]        # west to east
    assert drawn["Norway, Oslo"]["y"] < drawn["Paris"]["y"] < drawn["Rome"]["y"]        # north to south
    # the area is the article count (one scale from 0), the small circles drawn over the large
    per_article = {round(c["size"] / c["tooltip"]["Articles"], 3) for c in drawn.values()}
    assert len(per_article) == 1, per_article
    assert [c["tooltip"]["Articles"] for c in mark(result, "circles")] == sorted(MAP_COUNTS.values(), reverse=True)
    # the names beside the circles, to the right of each (no base map to read them from)
    labels = {t["text"]: t for t in mark(result, "labels")}
    assert set(labels) == set(MAP_COUNTS)
    for place, t in labels.items():
        assert t["x"] > drawn[place]["x"] and t["y"] == drawn[place]["y"], place
    assert len(mark(result, "grid")) > 0


@pytest.mark.es
def test_the_map_follows_the_dashboard_query_and_time_range(mapped):
    """Under the dashboard query language : "uk" the map draws Kyiv alone, once; over the last 31 days Oslo has the
    month-old articles too (and is told from Norway); a range without articles draws no circle, and no error or
    warning."""
    client, spec = mapped
    ukrainian = {"bool": {"must": [], "filter": [{"bool": {"should": [{"match_phrase": {"language": "uk"}}],
                                                           "minimum_should_match": 1}}], "should": [], "must_not": []}}
    result = render(spec, fetch(client, spec, *DAY, ukrainian), MAP_W, MAP_H)
    assert drew_cleanly(result), result
    assert {p: c["tooltip"]["Articles"] for p, c in circles(result).items()} == {"Kyiv": 1}

    result = render(spec, fetch(client, spec, RISE_AT - dt.timedelta(days=31), RISE_AT), MAP_W, MAP_H)
    assert drew_cleanly(result), result
    # Norway is no longer named by the same articles as Oslo: the month-old ones name Oslo alone
    assert {p: c["tooltip"]["Articles"] for p, c in circles(result).items()} == {
        "Kyiv": 3, "Paris": 2, "Oslo": 1 + MAP_OLD, "Rome": 1}

    result = render(spec, fetch(client, spec, RISE_AT - dt.timedelta(days=60), RISE_AT - dt.timedelta(days=50)),
                    MAP_W, MAP_H)
    assert drew_cleanly(result), result
    assert mark(result, "circles") == [] and mark(result, "labels") == []


@pytest.mark.es
def test_a_broken_map_spec_is_reported_by_the_renderer(mapped):
    """The renderer can fail the map: without Kibana's map mode there is no projection "projection" (an error, no
    circle); a format.property naming no aggregation of the request is an error; a wrong position field is a
    missing field; a request that is not the spec's (another precision) has no response."""
    client, spec = mapped
    data = fetch(client, spec, *DAY)
    assert drew_cleanly(render(spec, data, MAP_W, MAP_H))

    def broken(change) -> dict:
        s = copy.deepcopy(spec)
        change(s)
        return render(s, data, MAP_W, MAP_H)       # the url is unchanged, so the same response is fed

    no_map = broken(lambda s: s["config"].pop("kibana"))
    assert not drew_cleanly(no_map) and no_map["map"] is None
    assert any("projection" in e for e in no_map["errors"]), no_map["errors"]

    wrong_property = broken(lambda s: s["data"][0]["format"].update(property="aggregations.places"))
    assert not drew_cleanly(wrong_property)
    assert all(not m["items"] for m in wrong_property["marks"] if m["name"] in ("circles", "labels"))

    wrong_field = broken(lambda s: next(m for m in s["marks"] if m["name"] == "circles")["encode"]["update"]["x"]
                         .update(field="lon_x"))
    assert not drew_cleanly(wrong_field)
    assert wrong_field["missing_fields"] == ['no row of the data has the field "lon_x"']

    other = copy.deepcopy(spec)
    other["data"][0]["url"]["body"]["aggs"][kibana.MAP_AGG]["aggs"]["tiles"]["geotile_grid"]["precision"] = 7
    unanswered = render(other, data, MAP_W, MAP_H)
    assert any("no response given for its url" in e for e in unanswered["errors"]), unanswered["errors"]


def test_without_node_the_render_tests_skip_here_and_fail_in_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("REQUIRE_SHARED_CORPUS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="node is not installed"):
        _node()
    for var, value in (("CI", "true"), ("REQUIRE_SHARED_CORPUS", "1")):
        with monkeypatch.context() as m:
            m.setenv(var, value)
            with pytest.raises(pytest.fail.Exception, match="install Node.js 18"):
                _node()
