"""Sources that list the same article (a site's front-page and section feeds), or a dead-letter retry of a URL a
source discovers again: one run fetches each URL once (``stages.run_batches``, which the DAG's ``batches`` task and
``newsetl run`` call), the copies are counted as skipped for the later source, and nothing is dead-lettered twice.
Real HTTP server on 127.0.0.1, real Elasticsearch node."""
from __future__ import annotations

import json

import pytest

from pipeline import stages
from pipeline.settings import load_settings
from tests.cfgutil import pipeline_config
from tests.plugins.httpserver import Reply, dated_atom_feed, html_page

ARTICLE = "\n\n".join(f"Paragraph {i} about the ferry timetable, the harbour works and the council vote this week, "
                      "long enough for the extraction to take it for an article." for i in range(8))


@pytest.mark.es
def test_two_sources_listing_one_article_fetch_it_once(news_server, tmp_path, es_url, es_prefix, es_client):
    srv = news_server(hosts=1)
    a, b, both = (srv.route(f"/news/{n}.html", Reply(body=html_page(f"Story {n}", ARTICLE))) for n in ("a", "b", "both"))
    busy = srv.route("/news/busy.html", Reply(status=503, body="busy"))
    cfg = pipeline_config(tmp_path, es_url, es_prefix, [
        {"name": "front", "kind": "urls", "urls": [a, both, busy]},
        {"name": "world", "kind": "urls", "urls": [both, busy]},        # both copies: its only batch empties
        {"name": "local", "kind": "urls", "urls": [busy, b, both]}])
    summary = stages.run_pipeline(load_settings(cfg), run_id="r1")
    paths = sorted(r.path for r in srv.requests() if r.path.startswith("/news/"))
    assert paths == ["/news/a.html", "/news/b.html", "/news/both.html", "/news/busy.html"]   # each once
    front, world, local = (summary["sources"][n] for n in ("front", "world", "local"))
    assert (front["discovered"], front["fetched"], front["indexed"], front["dead_lettered"]) == (3, 2, 2, 1)
    assert (world["discovered"], world["skipped"], world["fetched"], world["dead_lettered"]) == (2, 2, 0, 0)
    assert (local["discovered"], local["skipped"], local["indexed"], local["dead_lettered"]) == (3, 2, 1, 0)
    assert summary["complete"] is True and summary["dead_letter_records"] == 1
    store = tmp_path / "store" / "runs" / "r1"
    assert not (store / "candidates" / "world").exists() or not list((store / "candidates" / "world").iterdir())
    es_client.indices.refresh(index=f"{es_prefix}news")
    assert es_client.count(index=f"{es_prefix}news")["count"] == 3


def test_run_batches_counts_each_copy_once_when_the_task_is_tried_again(tmp_path):
    from pipeline.discover import load_candidates, save_candidates
    from pipeline.fetcher import Candidate
    from pipeline.storage import Storage

    settings = load_settings(overrides={"storage": {"root": str(tmp_path)}, "index": {"record_runs": False}})
    storage = Storage(tmp_path)

    def batch(source: str, num: int, *urls: str) -> str:
        rel = f"runs/r1/candidates/{source}/{num:04d}.jsonl"
        save_candidates(storage, rel, [Candidate(url=u, source=source) for u in urls])
        return rel

    per_source = [[batch("one", 0, "https://x.example/1", "https://x.example/2")],
                  [batch("two", 0, "https://x.example/2?utm_source=feed", "https://x.example/3"),
                   batch("two", 1, "https://x.example/1")]]
    first = stages.run_batches(settings, "r1", per_source)
    assert first == ["runs/r1/candidates/one/0000.jsonl", "runs/r1/candidates/two/0000.jsonl"]
    assert [c.url for c in load_candidates(storage, first[1])] == ["https://x.example/3"]   # the same URL, tracked
    assert not storage.exists("runs/r1/candidates/two/0001.jsonl")
    again = stages.run_batches(settings, "r1", per_source)          # a retried task: nothing changes
    assert again == first
    results = sorted(p.name for p in (tmp_path / "runs" / "r1" / "results" / "discover").iterdir())
    assert results == ["two.0000-duplicates.json", "two.0001-duplicates.json"]
    counted = [json.loads(p.read_text())["skipped"] for p in (tmp_path / "runs" / "r1" / "results" / "discover").iterdir()]
    assert sorted(counted) == [1, 1]


@pytest.mark.es
def test_a_run_replaces_an_article_its_feed_lists_as_updated(news_server, tmp_path, es_url, es_prefix, es_client):
    """The whole way (fetch.refetch_updated_days): the second run fetches the corrected article although the index
    has it, and the index holds one document, the corrected one; a third run with the same feed fetches nothing."""
    import datetime as dt
    import time

    srv = news_server(hosts=1)
    page = srv.route("/news/ferry.html", Reply(body=html_page("Ferry timetable changes", ARTICLE)))
    published = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)

    def feed(updated: dt.datetime) -> Reply:
        return dated_atom_feed([{"url": page, "title": "Ferry", "published": published, "updated": updated}])

    srv.route("/feed.xml", feed(published))
    settings = load_settings(pipeline_config(tmp_path, es_url, es_prefix,
                                             [{"name": "harbour", "kind": "rss", "url": srv.url("/feed.xml")}]))
    assert stages.run_pipeline(settings, run_id="r1")["sources"]["harbour"]["indexed"] == 1
    srv.route("/feed.xml", feed(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)))
    srv.route("/news/ferry.html", Reply(body=html_page("Ferry timetable changes again, corrected", ARTICLE)))
    time.sleep(1.1)
    second = stages.run_pipeline(settings, run_id="r2")["sources"]["harbour"]
    assert (second["refetched"], second["fetched"], second["indexed"]) == (1, 1, 1)
    es_client.indices.refresh(index=f"{es_prefix}news")
    hits = es_client.search(index=f"{es_prefix}news", query={"match_all": {}})["hits"]["hits"]
    assert [h["_source"]["title"] for h in hits] == ["Ferry timetable changes again, corrected"]
    third = stages.run_pipeline(settings, run_id="r3")["sources"]["harbour"]
    assert (third["refetched"], third["fetched"], third["skipped"]) == (0, 0, 1)
