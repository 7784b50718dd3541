"""The Vega panels of the Kibana objects (the Rising names panels), drawn with the real Vega libraries on real data.

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
    assert [o["id"] for o in panels] == [p[0] for p in kibana.RISING_PANELS]
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
