"""The run history in Elasticsearch (pipeline.runs): each ingest or replay report becomes one row per source in the
runs index, against a real node; `newsetl index runs` writes the kept reports again; the Source health dashboard's
charts and searches find data in it."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import kibana, stages
from pipeline.health import reports_between
from pipeline.runs import RUNS_MAPPING, RunsIndexError, record_runs, run_rows
from pipeline.settings import ConfigError, load_settings
from tests.test_report import _result, _run

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(index_settings):
    return index_settings.model_copy(update={"ingest": index_settings.ingest.model_copy(
        update={"dead_letter_threshold": 0.3})})


def _rows(client, index: str) -> dict[str, dict]:
    client.indices.refresh(index=index)
    hits = client.search(index=index, size=100, query={"match_all": {}})["hits"]["hits"]
    return {h["_id"]: h["_source"] for h in hits}


def test_rows_of_a_report_one_per_source(tmp_path):
    settings = load_settings(overrides={"storage": {"root": str(tmp_path)}, "index": {"record_runs": False}})
    _run(tmp_path, "r1")
    _result(tmp_path, "r1", "discover", "quiet", "0000", discovered=4, skipped=4, dead=0)
    summary = stages.report(settings, "r1")
    rows = dict(run_rows(summary))
    assert set(rows) == {"r1/feed", "r1/quiet"}
    feed, quiet = rows["r1/feed"], rows["r1/quiet"]
    assert (feed["discovered"], feed["indexed"], feed["dead_lettered"], feed["marked"]) == (20, 19, 1, 3)
    assert feed["dead_share"] == 0.05 and feed["kind"] == "ingest" and feed["complete"] is True
    assert feed["finished_at"] == summary["finished_at"]
    # the hours each source has gone without a new article, as the report judged them (quiet: since this run)
    assert summary["quiet_hours"]["feed"] == 0.0 and quiet["quiet_hours"] == summary["quiet_hours"]["quiet"]
    assert feed["stale"] is False and quiet["stale"] is False
    # every field a row has is in the index's strict mapping
    assert set(feed) | set(quiet) <= set(RUNS_MAPPING["properties"])
    # a dry run writes nothing to a cluster, so it has no rows
    assert run_rows(stages.report(settings, "r1", expect_loaded=False)) == []


@pytest.mark.es
def test_each_report_is_recorded_once_failed_runs_too(settings, index_client):
    from pipeline.admin import index_status

    root = Path(settings.storage.root)
    index = settings.index.runs_index_name
    assert index_status(index_client, settings)["runs_index"] == {"name": index, "exists": False, "rows": 0,
                                                                   "last_run": None}
    _run(root, "r1")
    stages.report(settings, "r1")
    summary = stages.report(settings, "r1")          # written again (a retried report task): replaces its rows
    rows = _rows(index_client, index)
    assert list(rows) == ["r1/feed"] and rows["r1/feed"]["indexed"] == 19
    status = index_status(index_client, settings)["runs_index"]     # `newsetl index status` shows it
    assert (status["exists"], status["rows"]) == (True, 1)
    assert dt.datetime.fromisoformat(status["last_run"].replace("Z", "+00:00")) == \
        dt.datetime.fromisoformat(summary["finished_at"])
    # a run over the dead-letter threshold fails, and is recorded: it is the one an operator looks for, with the
    # reasons of its source's dead letters (each letter's record names its source)
    from pipeline.deadletter import DeadLetter, write_dead_letters
    from pipeline.storage import Storage

    _run(root, "r3", dead=7)
    write_dead_letters(Storage(root), "fetch", "r3", [
        DeadLetter("fetch", f"https://x.example/{i}", "http_404" if i < 5 else "timeout", record={"source": "feed"})
        for i in range(7)])
    write_dead_letters(Storage(root), "process", "r3", [
        DeadLetter("process", "https://y.example/1", "not_article", record={"source": "other"})])
    with pytest.raises(stages.DeadLetterThresholdExceeded):
        stages.report(settings, "r3")
    summary = json.loads((root / "runs" / "r3" / "report.json").read_text())
    assert summary["source_dead_letter_reasons"] == {"feed": {"fetch/http_404": 5, "fetch/timeout": 2},
                                                     "other": {"process/not_article": 1}}
    rows = _rows(index_client, index)
    assert rows["r3/feed"]["dead_lettered"] == 7 and rows["r3/feed"]["dead_share"] == 0.35
    assert rows["r3/feed"]["dead_letter_reasons"] == ["fetch/http_404", "fetch/timeout"]
    assert rows["r1/feed"]["dead_letter_reasons"] == []
    # a replay is recorded with its kind; a dry run is not recorded
    stages.report(settings, "r1", replay=True)
    _result(root, "dry", "discover", "feed", "0000", discovered=5, skipped=0, dead=0)
    stages.report(settings, "dry", expect_loaded=False)
    rows = _rows(index_client, index)
    assert rows["r1/feed"]["kind"] == "reprocess" and "dry/feed" not in rows and len(rows) == 2
    # the mapping is ours and strict
    mapping = index_client.indices.get_mapping(index=index)[index]["mappings"]
    assert mapping["dynamic"] == "strict" and mapping["properties"]["finished_at"]["type"] == "date"


@pytest.mark.es
def test_recording_can_be_turned_off(settings, index_client):
    off = settings.model_copy(update={"index": settings.index.model_copy(update={"record_runs": False})})
    _run(Path(settings.storage.root), "r1")
    stages.report(off, "r1")
    assert not index_client.indices.exists(index=settings.index.runs_index_name)


def test_an_unreachable_cluster_does_not_fail_the_run(tmp_path, caplog):
    from tests.netutil import free_port

    settings = load_settings(overrides={"storage": {"root": str(tmp_path)},
                                        "elasticsearch": {"url": f"http://127.0.0.1:{free_port()}"}})
    _run(tmp_path, "r1")
    with caplog.at_level(logging.WARNING, logger="pipeline.runs"):
        summary = stages.report(settings, "r1")
    assert summary["total"]["indexed"] == 19 and (tmp_path / "runs" / "r1" / "report.json").is_file()
    (warning,) = [r.getMessage() for r in caplog.records if r.name == "pipeline.runs"]
    assert "run r1 not written to news-runs" in warning and "newsetl index runs" in warning


@pytest.mark.es
def test_an_index_of_that_name_that_is_not_ours_is_a_clear_error(settings, index_client):
    index = settings.index.runs_index_name
    index_client.indices.create(index=index, mappings={"properties": {"indexed": {"type": "date"}}})
    summary = {"run_id": "r9", "kind": "ingest", "finished_at": "2026-11-29T06:00:00+00:00",
               "sources": {"feed": {"discovered": 3, "indexed": 3}}}
    with pytest.raises(RunsIndexError) as e:
        record_runs(index_client, index, [summary])
    assert f"{index} has a mapping that is not the runs index's" in str(e.value) and "[indexed]" in str(e.value)
    assert "index.runs_index" in str(e.value) and "\n" not in str(e.value)


def test_a_runs_index_inside_the_news_template_is_refused():
    with pytest.raises(ConfigError) as e:
        load_settings(overrides={"index": {"runs_index": "news-v9"}})
    assert "index.runs_index" in str(e.value) or "runs_index" in str(e.value)
    assert "news-runs" in str(e.value)
    assert load_settings(overrides={"index": {"name": "articles"}}).index.runs_index_name == "articles-runs"


@pytest.mark.es
def test_cli_writes_the_kept_reports_again(settings, index_client, tmp_path):
    root = Path(settings.storage.root)
    off = settings.model_copy(update={"index": settings.index.model_copy(update={"record_runs": False})})
    _run(root, "r1")
    stages.report(off, "r1")
    _run(root, "r2")
    _result(root, "r2", "discover", "other", "0000", discovered=2, skipped=2, dead=0)
    stages.report(off, "r2")
    # an old report, outside the window
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    p = root / "reports" / old.date().isoformat() / "r0.json"
    p.parent.mkdir(parents=True)
    p.write_text(json.dumps({"run_id": "r0", "kind": "ingest", "finished_at": old.isoformat(),
                             "sources": {"feed": {"discovered": 1}}}))
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": settings.elasticsearch.url},
                               "index": {"name": settings.index.name}, "storage": {"root": str(root)}}))

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "index", "runs", *args],
                              capture_output=True, text=True, cwd=REPO, timeout=120)

    for _ in range(2):   # twice: the same rows, not twice as many
        p = cli("--json")
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout) == {"index": settings.index.runs_index_name, "runs": 2, "rows": 3, "days": 30,
                                        "dead_letters_index": settings.index.dead_letters_index_name,
                                        "dead_letters": 0, "closed": 0}
    assert sorted(_rows(index_client, settings.index.runs_index_name)) == ["r1/feed", "r2/feed", "r2/other"]
    assert "3 rows" in cli().stdout
    assert cli("--days", "0").returncode == 2


# ------------------------------------------------------------------ the Source health dashboard on the real rows


def _translate(query: str) -> dict:
    """The KQL forms the Source health objects use, as Elasticsearch queries."""
    clauses = []
    for part in filter(None, (p.strip() for p in query.split(" and "))):
        field, op, value = (x.strip() for x in re.fullmatch(r"([\w.]+)\s*(:|>)\s*(.+)", part).groups())
        value = value.strip('"')
        if op == ">":
            clauses.append({"range": {field: {"gt": float(value)}}})
        elif value == "*":
            clauses.append({"exists": {"field": field}})
        else:
            clauses.append({"term": {field: {"true": True, "false": False}.get(value, value)}})
    return {"bool": {"filter": clauses}}


@pytest.mark.es
def test_every_source_health_panel_and_search_finds_rows(settings, index_client):
    root = Path(settings.storage.root)
    now = dt.datetime.now(dt.timezone.utc)
    # feed: new articles 60 h ago and none since, so the run of now finds it stale; broken dead-letters
    for run_id, hours_ago, sources in (("r60", 60, {"feed": (20, 20, 0)}),
                                       ("r1", 1, {"fresh": (5, 5, 0), "broken": (10, 2, 8)})):
        at = now - dt.timedelta(hours=hours_ago)
        p = root / "reports" / at.date().isoformat() / f"{run_id}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps({"run_id": run_id, "kind": "ingest", "finished_at": at.isoformat(), "sources": {
            name: {"discovered": c[0], "indexed": c[1], "dead_lettered": c[2]} for name, c in sources.items()},
            "quiet_hours": {name: 0.0 for name, c in sources.items() if c[1]}}))
    record_runs(index_client, settings.index.runs_index_name,
                reports_between(stages.storage_for(settings), now - dt.timedelta(days=3), now))
    _result(root, "quiet", "discover", "feed", "0000", discovered=20, skipped=20, dead=0)
    assert stages.report(settings, "quiet")["stale_sources"] == {"feed": 60.0}
    index = settings.index.runs_index_name
    assert len(_rows(index_client, index)) == 4

    objects = [o for o in kibana.build_saved_objects(settings.index.read_alias, index)
               if kibana.data_view_of(o) == kibana.RUNS_VIEW_ID]
    assert {o["type"] for o in objects} == {"index-pattern", "search", "lens"}
    for lens in [o for o in objects if o["type"] == "lens"]:
        state = lens["attributes"]["state"]
        (layer,) = state["datasourceStates"]["formBased"]["layers"].values()
        for col in layer["columns"].values():
            if col["operationType"] == "terms":
                agg = {"terms": {"field": col["sourceField"], "size": col["params"]["size"]}}
            elif col["operationType"] == "date_histogram":
                agg = {"date_histogram": {"field": col["sourceField"], "calendar_interval": "hour",
                                          "min_doc_count": 1}}
            elif col["operationType"] in ("sum", "last_value"):
                field = col["sourceField"]
                agg = {"terms": {"field": "source"}, "aggs": {"v": {"top_hits": {
                    "size": 1, "sort": [{col["params"]["sortField"]: "desc"}], "_source": [field]}}
                    if col["operationType"] == "last_value" else {"sum": {"field": field}}}}
            else:
                continue
            resp = index_client.search(index=index, size=0, aggs={"a": agg}, query=_translate(
                state["query"]["query"] + (" and " + col["filter"]["query"] if col.get("filter") else "")))
            buckets = resp["aggregations"]["a"]["buckets"]
            assert len(buckets) >= 2, (lens["id"], col["label"], buckets)
    searches = {o["id"]: o for o in objects if o["type"] == "search"}
    found = {}
    for sid, search in searches.items():
        src = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        hits = index_client.search(index=index, query=_translate(src["query"]["query"]),
                                   sort=[{s[0]: s[1]} for s in search["attributes"]["sort"]])["hits"]["hits"]
        found[sid] = [(h["_source"]["run_id"], h["_source"]["source"]) for h in hits]
        for column in search["attributes"]["columns"]:
            assert all(column in h["_source"] for h in hits), (sid, column)
    assert found == {"newsetl-stale-sources": [("quiet", "feed")],
                     "newsetl-runs-with-dead-letters": [("r1", "broken")]}


def test_check_reads_runs_fields_against_the_runs_mapping():
    """The news charts are checked against the news mapping, the Source health ones against the runs mapping."""
    from pipeline.mapping import build_mappings

    settings = load_settings()
    objects = kibana.build_saved_objects()
    assert kibana.check_saved_objects(objects, build_mappings(settings)) == []
    table = next(o for o in objects if o["id"] == "newsetl-sources-table")
    columns = next(iter(table["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()))["columns"]
    columns["dead"]["sourceField"] = "language"          # a news field, not a runs one
    columns["quiet"]["params"]["sortField"] = "published_at"
    problems = kibana.check_saved_objects(objects, build_mappings(settings))
    assert sorted(problems) == ["newsetl-sources-table: field 'language' is not in the runs mapping",
                                "newsetl-sources-table: field 'published_at' is not in the runs mapping"]
    # a table that does not list a column of its layer
    table["attributes"]["state"]["visualization"]["columns"].pop()
    assert "lens 'newsetl-sources-table': the table does not list every column of its layer" in \
        kibana.check_saved_objects(objects)
