"""Politeness as seen by the server: delay between requests to one host, per-host and global concurrency,
robots.txt Crawl-delay, User-Agent; and the re-run: nothing new is fetched, the feed is asked with a conditional GET."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time

import pytest

from pipeline.discover import discover_source
from pipeline.fetcher import Candidate, fetch_candidates
from pipeline.sources import Source
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, fast_fetch_settings, html_page, robots, rss_feed, serve_pages


def test_delay_and_concurrency_per_host(news_server, tmp_path):
    srv = news_server(hosts=3)
    srv.route("/robots.txt", robots(), host=None)
    urls = serve_pages(srv, 30, size=2000)
    # some slow pages so that requests overlap if the fetcher let them
    for i in range(0, 30, 4):
        srv.route(f"/news/{i}.html", Reply(body=html_page(f"slow {i}"), delay=0.12), host=i % 3)
    delay = 0.05
    res = fetch_candidates([Candidate(u) for u in urls], fast_fetch_settings(min_delay=delay, concurrency=4),
                           Storage(tmp_path / "s"), run_id="p")
    assert res.counts["fetched"] == 30
    for h in range(3):
        reqs = srv.requests(host=h)
        assert len(reqs) == 11                              # 10 pages + robots.txt
        assert srv.min_gap(h) >= delay - 0.003, (h, srv.min_gap(h))   # 3 ms of socket/clock jitter
        assert srv.max_concurrency(h) <= 2
    # the global limit (4) holds across the three hosts
    log = srv.requests()
    events = sorted([(r.started, 1) for r in log] + [(r.finished, -1) for r in log])
    level = peak = 0
    for _, d in events:
        level += d
        peak = max(peak, level)
    assert peak <= 4
    # and the slow pages did overlap somewhere: the limits were exercised, not idle
    assert max(srv.max_concurrency(h) for h in range(3)) == 2
    assert all(r.headers["user-agent"] == "newsetl/0.1 (+https://github.com/newsetl/newsetl)" for r in log)


def _fetch_after(barrier, urls: list[str], settings: dict, root: str, run_id: str) -> None:
    """One fetching process (as a mapped Airflow task is): ready, wait for the others, fetch."""
    from pipeline.settings.fetch import FetchSettings

    barrier.wait(30)
    res = fetch_candidates([Candidate(u) for u in urls], FetchSettings(**settings), Storage(root), run_id=run_id)
    assert res.counts["fetched"] == len(urls), res.counts


@pytest.mark.parametrize("pacing", ["auto", "off"])
def test_processes_fetching_one_host_pace_together(news_server, tmp_path, pacing):
    # three processes fetch three batches of one host at the same moment, sharing one storage root
    srv = news_server(hosts=1)
    srv.route("/robots.txt", robots())
    urls = [srv.route(f"/news/{i}.html", Reply(body=html_page(f"slow {i}"), delay=0.25)) for i in range(12)]
    delay = 0.05
    settings = fast_fetch_settings(min_delay=delay, read_timeout=2.0, pacing_dir=pacing).model_dump()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_fetch_after, args=(barrier, urls[i::3], settings, str(tmp_path / "s"), f"r{i}"))
             for i in range(3)]
    for p in procs:
        p.start()
    barrier.wait(60)
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert len(srv.requests(prefix="/news/")) == 12
    if pacing == "auto":
        # one clock and one pair of in-flight slots for the host, across the processes (<storage root>/pacing).
        # The clock spaces the moments requests leave the processes; the server notes an arrival when its thread
        # gets a core (3 fetching processes and the server on 2 cores), which moved one by 3.5 ms in CI. Half the
        # delay still tells the shared clock from none, where the three processes, released by one barrier, send
        # their first requests within a few ms of each other. (Before a granted turn held the host until its
        # request left, two requests arrived 0.3 ms apart in 6 runs of 20 on a busy machine.)
        assert srv.min_gap(0) >= delay / 2, srv.min_gap(0)
        assert srv.max_concurrency(0) == 2
        assert list((tmp_path / "s" / "pacing").glob("127.0.0.1_*.clock"))
        assert len(srv.requests(path="/robots.txt")) == 1     # one asked, the others waited and read its copy
    else:
        # each process paces only itself: together they exceed the host's limits (what the shared clock prevents)
        assert srv.max_concurrency(0) > 2
        assert len(srv.requests(path="/robots.txt")) == 3


def test_robots_crawl_delay_wins(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/robots.txt", robots(crawl_delay=0.3))
    urls = serve_pages(srv, 4, size=500)
    res = fetch_candidates([Candidate(u) for u in urls], fast_fetch_settings(min_delay=0.01),
                           Storage(tmp_path / "s"), run_id="cd")
    assert res.counts["fetched"] == 4
    assert srv.min_gap(0) >= 0.3 - 0.003


def test_a_host_listed_in_host_min_delay_gets_its_own_delay(news_server, tmp_path):
    srv = news_server(hosts=2)
    srv.route("/robots.txt", robots(), host=None)
    urls = serve_pages(srv, 8, size=500)
    slow = srv.url("/", host=0).split("/")[2]                      # 127.0.0.1:<port of host 0>
    settings = fast_fetch_settings(min_delay=0.02, host_min_delay={slow: 0.3})
    res = fetch_candidates([Candidate(u) for u in urls], settings, Storage(tmp_path / "s"), run_id="hd")
    assert res.counts["fetched"] == 8
    assert srv.min_gap(0) >= 0.3 - 0.003                           # the listed host
    assert srv.min_gap(1) < 0.3                                    # the other keeps min_delay
    # keys: a host covers its subdomains, the most specific wins; ports and bad names are checked on load
    from pipeline.settings.fetch import FetchSettings
    s = FetchSettings(min_delay=1, host_min_delay={"Example.com": 5, "news.example.com": 2, "example.com:8080": 9})
    assert (s.min_delay_for("www.example.com"), s.min_delay_for("news.example.com"), s.min_delay_for("example.com:8080"),
            s.min_delay_for("example.org")) == (5, 2, 9, 1)
    for bad in ({"https://example.com": 5}, {"example.com/news": 5}, {"example.com": -1}):
        with pytest.raises(ValueError, match="host name|0 seconds or more"):
            FetchSettings(host_min_delay=bad)


def test_second_run_fetches_nothing_new(news_server, tmp_path):
    srv = news_server(hosts=2)
    srv.route("/robots.txt", robots(), host=None)
    items = []
    for i in range(8):
        items.append({"url": srv.route(f"/a/{i}.html", Reply(body=html_page(f"A{i}")), host=i % 2),
                      "title": f"A{i}", "date": "Fri, 03 May 2024 10:00:00 GMT"})
    feed = srv.route("/feed.xml", Reply(body=rss_feed(items), content_type="application/rss+xml",
                                        etag='"v1"', last_modified="Fri, 03 May 2024 10:00:00 GMT"))
    storage, settings = Storage(tmp_path / "s"), fast_fetch_settings()
    src = Source(name="twice", kind="rss", url=feed)

    d1 = discover_source(src, settings, storage, run_id="r1")
    r1 = fetch_candidates(d1.candidates, settings, storage, run_id="r1")
    assert r1.counts["fetched"] == 8

    srv.reset_log()
    d2 = discover_source(src, settings, storage, run_id="r2")
    feed_reqs = srv.requests(path="/feed.xml")
    assert len(feed_reqs) == 1 and feed_reqs[0].headers.get("if-none-match") == '"v1"'
    assert feed_reqs[0].status == 304 and d2.not_modified == [feed] and d2.candidates == []
    r2 = fetch_candidates(d2.candidates, settings, storage, run_id="r2")
    assert r2.outcomes == []

    # the feed changes (new ETag): only the new item is a candidate; old ones are skipped as archived
    new = {"url": srv.route("/a/new.html", Reply(body=html_page("new"))), "title": "new"}
    srv.route("/feed.xml", Reply(body=rss_feed(items + [new]), content_type="application/rss+xml", etag='"v2"'))
    srv.reset_log()
    d3 = discover_source(src, settings, storage, run_id="r3")
    assert [c.url for c in d3.candidates] == [new["url"]]
    assert sorted(r for _, r in d3.skipped) == ["already_archived"] * 8
    # even if handed the old URLs again, the fetcher skips them without a request
    r3 = fetch_candidates(d3.candidates + [Candidate(i["url"]) for i in items], settings, storage, run_id="r3")
    assert r3.counts == {"fetched": 1, "not_modified": 0, "skipped": 8, "dead_letter": 0}
    assert not [r for r in srv.requests() if r.path.startswith("/a/") and r.path != "/a/new.html"]


def test_refetch_uses_conditional_get(news_server, tmp_path):
    srv = news_server(hosts=1)
    url = srv.route("/a/1.html", Reply(body=html_page("one"), etag='"p1"'))
    storage, settings = Storage(tmp_path / "s"), fast_fetch_settings(obey_robots=False)
    assert fetch_candidates([Candidate(url)], settings, storage, run_id="a").counts["fetched"] == 1
    r = fetch_candidates([Candidate(url, refetch=True)], settings, storage, run_id="b")
    assert r.outcomes[0].state == "not_modified"
    assert srv.requests(path="/a/1.html")[-1].headers["if-none-match"] == '"p1"'


def test_robots_txt_is_kept_for_the_runs_of_a_day(news_server, tmp_path):
    import json
    import time

    srv = news_server(hosts=1)
    srv.route("/robots.txt", robots(disallow=["/private/"], crawl_delay=0.2))
    urls = serve_pages(srv, 4, size=500)
    private = srv.route("/private/x.html", Reply(body=html_page("private")))
    storage, settings = Storage(tmp_path / "s"), fast_fetch_settings(min_delay=0.01)

    def run(run_id: str, s=settings):
        res = fetch_candidates([Candidate(u, refetch=True) for u in urls[:2]] + [Candidate(private)], s, storage,
                               run_id=run_id)
        assert res.reasons == {"robots": 1}          # the kept rules are obeyed as the fetched ones were
        return res

    run("a")
    run("b")
    assert len(srv.requests(path="/robots.txt")) == 1            # the second run asked nobody
    assert srv.min_gap(0) >= 0.2 - 0.003                        # its Crawl-delay too came from the kept copy
    kept = next((tmp_path / "s" / "pacing").glob("http___127.0.0.1_*.robots.json"))
    assert json.loads(kept.read_text())["status"] == 200

    # older than robots_cache_hours: asked again (the file's time set back two days)
    data = json.loads(kept.read_text())
    kept.write_text(json.dumps({**data, "fetched": time.time() - 2 * 86400}))
    run("c")
    assert len(srv.requests(path="/robots.txt")) == 2
    # robots_cache_hours: 0 keeps it per session only
    run("d", fast_fetch_settings(min_delay=0.01, robots_cache_hours=0))
    assert len(srv.requests(path="/robots.txt")) == 3
    # a kept copy that cannot be read (torn, edited by hand) is asked for again and replaced
    kept.write_text('{"fetched": ')
    run("d2")
    assert len(srv.requests(path="/robots.txt")) == 4 and json.loads(kept.read_text())["status"] == 200

    # a robots.txt the server fails to give is not kept: the next run asks again
    srv.route("/robots.txt", Reply(status=503, body=b"busy"))
    kept.unlink()
    fetch_candidates([Candidate(urls[2])], fast_fetch_settings(max_retries=0), storage, run_id="e")
    assert not kept.exists()


def test_parallel_fetch_tasks_need_a_shared_clock(tmp_path, monkeypatch):
    from pipeline.settings import fetch_tasks_per_run
    from tests.cfgutil import config_error, load_config_text

    monkeypatch.delenv("NEWSETL_STORAGE_ROOT", raising=False)
    s3 = "storage: {root: 's3://news/raw'}\ningest: {fetch_tasks_per_run: 4}\n"
    err = config_error(tmp_path, s3)
    assert "ingest.fetch_tasks_per_run" in err and "is not a local folder" in err and "fix: set fetch.pacing_dir" in err
    off = "fetch: {pacing_dir: 'off'}\ningest: {fetch_tasks_per_run: 2}\n"
    assert "fetch.pacing_dir is off" in config_error(tmp_path, off)
    # unset: 4 tasks when the clock is shared (a local root), 1 when it is not
    assert fetch_tasks_per_run(load_config_text(tmp_path, "storage: {root: /tmp/x}\n")) == 4
    assert fetch_tasks_per_run(load_config_text(tmp_path, "storage: {root: 's3://news/raw'}\n")) == 1
    assert fetch_tasks_per_run(load_config_text(tmp_path, "fetch: {pacing_dir: 'off'}\n")) == 1
    # a directory every worker can lock makes it polite again; one task at a time needs nothing shared
    assert load_config_text(tmp_path, s3 + "fetch: {pacing_dir: /var/lib/newsetl/pacing}\n").fetch.pacing_dir
    assert load_config_text(tmp_path, s3.replace("4", "1")).ingest.fetch_tasks_per_run == 1
    # object stores cannot hold locks
    assert "object stores cannot hold locks" in config_error(tmp_path, "fetch: {pacing_dir: 's3://news/pacing'}\n")


@pytest.mark.parametrize("pacing", ["auto", "off"])
def test_fetch_task_logs_whether_its_pacing_is_shared(news_server, tmp_path, caplog, monkeypatch, pacing):
    """An operator reading a fetch task's log sees where its per-host clock lives (or that it has none shared)."""
    import yaml

    from pipeline import stages
    from tests.cfgutil import load_config_text

    monkeypatch.delenv("NEWSETL_STORAGE_ROOT", raising=False)
    srv = news_server(hosts=1)
    srv.route("/robots.txt", robots())
    urls = serve_pages(srv, 2, size=500)
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [{"name": "s", "kind": "urls", "urls": urls}]}))
    settings = load_config_text(tmp_path, yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")},
        "fetch": {"sources_file": str(tmp_path / "sources.yaml"), "allow_addresses": ["127.0.0.1"], "min_delay": 0,
                  "pacing_dir": pacing}}))
    batches = stages.discover(settings, "s", "r1", check_index=False)
    with caplog.at_level("INFO", logger="newsetl.stages"):
        pages = stages.fetch_batch(settings, batches[0], "r1")
    assert len(list(stages.storage_for(settings).read_jsonl(pages))) == 2
    if pacing == "auto":
        assert f"per-host pacing shared with every fetch task through {tmp_path / 'store' / 'pacing'}" in caplog.text
    else:
        assert "per-host pacing kept by this task alone" in caplog.text


def _age(paths, seconds: float) -> None:
    import os
    import time

    for p in paths:
        os.utime(p, (time.time() - seconds, time.time() - seconds))


def test_idle_hosts_files_are_pruned_but_busy_ones_kept(tmp_path):
    import asyncio

    from pipeline.pacing import SharedClock

    clock = SharedClock(str(tmp_path / "pacing"))
    for host in ("http://old.example", "http://busy.example", "http://new.example"):
        clock.try_start(host, 0.0)
        clock.keep_robots(host, 200, "User-agent: *\nDisallow:")
    asyncio.run(_use_slots(clock, ["http://old.example", "http://busy.example"]))
    files = lambda host: sorted(p.name for p in (tmp_path / "pacing").glob(clock._path(host).rsplit("/", 1)[1] + ".*"))
    assert [f.rsplit(".", 1)[-1] for f in files("http://old.example")] == ["clock", "json", "slot0"]
    day = 86400
    _age((tmp_path / "pacing").glob("*old.example*"), 2 * day)
    _age((tmp_path / "pacing").glob("*busy.example*"), 2 * day)

    async def prune_while_busy_host_in_flight():
        async with clock.slot("http://busy.example", 2):
            return clock.prune(day)

    assert asyncio.run(prune_while_busy_host_in_flight()) == 1
    assert files("http://old.example") == []                      # every file of the idle host is gone
    assert len(files("http://busy.example")) == 3                 # a request in flight: left alone
    assert len(files("http://new.example")) == 2                  # contacted now: kept
    assert clock.robots("http://new.example", day)["status"] == 200
    # once the busy host's request is over it goes too, and a host that comes back starts afresh
    assert clock.prune(day) == 1 and files("http://busy.example") == []
    assert clock.try_start("http://old.example", 5.0) == 0.0 and clock.try_start("http://old.example", 5.0) > 4
    assert clock.prune(day) == 0


async def _use_slots(clock, hosts):
    for host in hosts:
        async with clock.slot(host, 2):
            pass


def test_a_lock_on_a_pruned_file_is_taken_again_on_the_new_one(tmp_path):
    # a process that opened a host's clock just before prune removed it must not keep pacing on the removed file
    import os
    import threading

    from pipeline.pacing import SharedClock, _locked

    clock = SharedClock(str(tmp_path / "pacing"))
    path = clock._path("http://h.example") + ".clock"
    held = _locked(path)                          # "prune" holds the host's clock lock…
    result = {}
    waiter = threading.Thread(target=lambda: result.update(wait=clock.try_start("http://h.example", 60.0)))
    waiter.start()                                # …while another process waits for it
    waiter.join(0.2)
    assert waiter.is_alive()
    os.unlink(path)                               # prune removes the file and lets go
    os.close(held)
    waiter.join(5)
    assert result == {"wait": 0.0} and os.path.exists(path)
    # the request it recorded is in the file every process finds: the next one waits
    assert clock.try_start("http://h.example", 60.0) > 59


def test_fetch_sessions_prune_the_pacing_directory(news_server, tmp_path):
    from pipeline.pacing import SharedClock

    srv = news_server(hosts=1)
    urls = serve_pages(srv, 1, size=500)
    clock = SharedClock(str(tmp_path / "s" / "pacing"))
    clock.try_start("http://gone.example", 0.0)
    _age((tmp_path / "s" / "pacing").glob("*gone.example*"), 25 * 3600)     # idle for more than a day
    fetch_candidates([Candidate(urls[0])], fast_fetch_settings(), Storage(tmp_path / "s"), run_id="r")
    names = [p.name for p in (tmp_path / "s" / "pacing").iterdir()]
    assert not any("gone.example" in n for n in names) and any(n.startswith("http___127.0.0.1") for n in names)
    # with robots_cache_hours above a day, a host is kept as long as its robots.txt copy may be used
    clock.try_start("http://kept.example", 0.0)
    _age((tmp_path / "s" / "pacing").glob("*kept.example*"), 25 * 3600)
    fetch_candidates([Candidate(urls[0])], fast_fetch_settings(robots_cache_hours=48), Storage(tmp_path / "s"),
                     run_id="r2")
    assert any("kept.example" in p.name for p in (tmp_path / "s" / "pacing").iterdir())


@pytest.mark.parametrize("kind", ["process", "shared"])
def test_a_granted_turn_holds_the_host_until_its_request_leaves(tmp_path, kind):
    # a request that took its turn and then waited (for a core, a connection) must not leave together with the next:
    # the next turn is granted only once the first is sent or released, however long ago the delay ran out
    from pipeline import pacing

    clock = pacing.ProcessClock() if kind == "process" else pacing.SharedClock(str(tmp_path / "pacing"))
    host, tiny = "http://h.example", 0.001
    assert clock.try_start(host, tiny, "a") == 0.0
    time.sleep(0.01)
    assert clock.try_start(host, tiny, "b") > 0             # the delay is over, yet "a" has not left
    clock.release(host, "b")                                 # another turn's end frees nothing
    clock.sent(host, "b")
    assert clock.try_start(host, tiny, "c") > 0
    assert clock.try_start(host, 0.0, "z") == 0.0            # without a delay (politeness off) nothing is held
    clock.sent(host, "a")                                    # "a" is out: the next turn counts from it
    time.sleep(0.01)
    assert clock.try_start(host, tiny, "b") == 0.0
    assert clock.try_start(host, 60.0, "c") > 59             # pending, and the delay from "b"'s turn
    clock.release(host, "b")                                 # "b" never left (refused connection): host freed …
    assert 59 < clock.try_start(host, 60.0, "c") <= 60       # … and the delay counts from then
    time.sleep(0.01)
    assert clock.try_start(host, tiny, "c") == 0.0
    clock.release(host, "c")
    # a turn whose request never left is waited for _HOLD seconds at most, even while its process lives
    time.sleep(0.01)
    assert clock.try_start(host, tiny, "d") == 0.0
    if kind == "process":
        clock._state[host] = (clock._state[host][0], (time.monotonic() - 0.001, "d"))
    else:
        path = clock._path(host) + ".clock"
        last, _, turn, owner = open(path).read().split()        # owner: this process, alive
        open(path, "w").write(f"{last} {time.time() - 0.001!r} {turn} {owner}")
    time.sleep(0.01)
    assert clock.try_start(host, tiny, "e") == 0.0


def test_a_turn_whose_process_was_killed_frees_the_host_at_once(tmp_path):
    # a shared clock's pending turn names its process: killed between its turn and its request (reaped, or a zombie
    # its parent has not reaped yet), the host is free for the others at once, not after _HOLD seconds
    from pipeline import pacing

    directory, host, tiny = str(tmp_path / "pacing"), "http://h.example", 0.001
    clock = pacing.SharedClock(directory)
    take_turn = ("import sys, time; from pipeline.pacing import SharedClock; "
                 "print(SharedClock(sys.argv[1]).try_start(sys.argv[2], 0.001, 'x'), flush=True); time.sleep(600)")
    for reap in (True, False):
        child = subprocess.Popen([sys.executable, "-c", take_turn, directory, host], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "0.0"       # the child's turn, pending
            time.sleep(0.01)
            assert clock.try_start(host, tiny, "y") > 0            # it lives: its turn holds the host
            child.kill()
            if reap:
                child.wait()
            else:                                                  # dead, not reaped: a zombie
                deadline = time.time() + 10
                while open(f"/proc/{child.pid}/stat").read().rsplit(")", 1)[-1].split()[0] != "Z":
                    assert time.time() < deadline
                    time.sleep(0.01)
            assert clock.try_start(host, tiny, "y") == 0.0         # freed at once
            clock.sent(host, "y")
        finally:
            child.kill()
            child.wait()
    # a turn of a process on another machine cannot be checked: it holds the host until it expires
    time.sleep(0.01)
    path = clock._path(host) + ".clock"
    last = open(path).read().split()[0]
    open(path, "w").write(f"{last} {time.time() + pacing._HOLD!r} x other-machine.1/{os.getpid() + 1}")
    time.sleep(0.01)
    assert clock.try_start(host, tiny, "y") > 0
