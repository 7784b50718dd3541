"""A search as an Atom feed (pipeline.feed, GET /feed.atom, newsetl search --format atom), against the real node:
feedparser and a strict XML parser read it; one entry per hit, newest first, with its link, times, authors,
summary, language and categories; what a page carries that XML forbids is dropped, markup stays text; bad
requests say what to change."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import httpx
import pytest

from pipeline.api import create_app
from pipeline.feed import ATOM, atom
from pipeline.load import bulk_load
from tests.cfgutil import cli_config, run_cli
from tests.plugins.docs import make_document
from tests.test_api import served

pytestmark = pytest.mark.es
A = f"{{{ATOM}}}"


def _docs() -> list[dict]:
    return [
        make_document("https://news.example.org/feed/1", title="Storm closes the harbour", language="en",
                      published_at="2024-05-03T08:00:00+00:00", authors=["Ann Reporter", "Bo Writer"],
                      description="The harbour closed at noon.", tags=["weather"], categories=["Local"],
                      entities={"person": ["Amina Odhiambo"], "organization": [], "location": ["Kisumu"],
                                "misc": []}),
        make_document("https://news.example.org/feed/2", title="Sturm: <b>Hafen</b> & Fähre \x0b zu", language="de",
                      published_at="2024-05-04T09:30:00+00:00", text="Der Sturm schloss den Hafen. " * 20,
                      description=None),
        make_document("javascript:alert(1)", title="Storm without a date", published_at=None,
                      canonical_url="https://news.example.org/feed/3"),
        make_document("https://news.example.org/feed/4", title="Markets rise", published_at="2024-05-05T07:00:00Z"),
    ]


@pytest.fixture
def loaded(index_client, index_settings, storage):
    assert bulk_load(index_client, _docs(), index_settings, storage=storage, run_id="f").created == 4
    return index_settings


def test_the_feed_of_a_search_over_http(index_client, loaded):
    with served(create_app(loaded, api_key="")) as base:
        r = httpx.get(f"{base}/feed.atom", params={"q": "storm | sturm", "size": 10})
        assert r.status_code == 200 and r.headers["content-type"] == "application/atom+xml; charset=utf-8"
        root = ET.fromstring(r.content)                     # a strict parser reads it
        feed = feedparser.parse(r.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title == "newsetl: q=storm | sturm" and feed.feed.links[0]["href"] == str(r.url)
        # newest first (sort date: published_at): the German storm, the English one, then the undated
        titles = [e.title for e in feed.entries]
        assert titles == ["Sturm: <b>Hafen</b> & Fähre  zu", "Storm closes the harbour", "Storm without a date"]
        de, en, undated = feed.entries
        assert en.id == f"urn:newsetl:article:{_docs()[0]['id']}" and en.link == "https://news.example.org/feed/1"
        assert en.published.startswith("2024-05-03T08:00:00") and [a.name for a in en.authors] == [
            "Ann Reporter", "Bo Writer"]
        assert en.summary == "The harbour closed at noon."
        assert {(t.term, t.scheme) for t in en.tags} >= {("weather", None), ("Local", None),
                                                        ("Amina Odhiambo", "urn:newsetl:people")}
        assert de.summary.startswith("Der Sturm schloss den Hafen") and "<em>" not in de.summary
        assert [a.name for a in de.authors] == ["Example News"]                 # no byline: the site
        entries = root.findall(f"{A}entry")
        assert entries[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
        assert not undated.get("links") and entries[2].find(f"{A}link") is None   # a javascript: URL is no link
        assert undated.updated.startswith("2024-05-01T11:00:00")               # undated: when it was fetched
        # the feed's time is its newest entry's; the same query, the same feed id
        assert feed.feed.updated.startswith("2024-05-04T09:30:00")
        again = feedparser.parse(httpx.get(f"{base}/feed.atom", params={"q": "storm | sturm", "size": 2}).content)
        assert again.feed.id == feed.feed.id and len(again.entries) == 2
        other = feedparser.parse(httpx.get(f"{base}/feed.atom", params={"q": "markets"}).content)
        assert other.feed.id != feed.feed.id and [e.title for e in other.entries] == ["Markets rise"]
        for params, words in [({"size": 0}, "size must be between 1 and 100"), ({"sort": "x"}, "sort must be")]:
            bad = httpx.get(f"{base}/feed.atom", params=params)
            assert bad.status_code == 400 and words in bad.json()["error"]


def test_the_command_writes_the_same_feed(index_client, loaded, tmp_path):
    p = run_cli(cli_config(tmp_path, loaded), "search", "", "--lang", "en", "--format", "atom", "--size", "5")
    assert p.returncode == 0, p.stderr
    feed = feedparser.parse(p.stdout.encode())
    assert not feed.bozo and [e.title for e in feed.entries] == [
        "Markets rise", "Storm closes the harbour", "Storm without a date"]


def test_an_empty_feed_is_still_a_feed():
    now = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    feed = feedparser.parse(atom([], title="t", self_url="https://x.example/f", feed_id="urn:x", now=now))
    assert not feed.bozo and feed.entries == [] and feed.feed.updated == "2024-01-02T03:04:05+00:00"


def test_a_watch_as_a_feed_and_the_key_in_the_url(index_client, index_settings, storage, tmp_path):
    """GET /watches/<name>/feed.atom: the alerts a watch found, newest first; with a key, a feed takes it as ?key=
    (a feed reader sends no header) and nothing else does."""
    import datetime as dt

    from pipeline import stages
    from tests.test_watches import _settings

    settings = _settings(index_settings, tmp_path, [{"name": "storms", "query": "storm",
                                                      "description": "Storms on the coast"}])
    stages.run_watches(settings, since=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), client=index_client)
    assert bulk_load(index_client, _docs(), settings, storage=storage, run_id="w").created == 4
    res = stages.run_watches(settings, client=index_client)["watches"][0]
    assert res["new"] == 2                                           # the two English storm articles
    with served(create_app(settings, api_key="s3cret")) as base:
        assert httpx.get(f"{base}/watches/storms/feed.atom").status_code == 401
        assert httpx.get(f"{base}/search", params={"key": "s3cret"}).status_code == 401   # only feeds take ?key=
        r = httpx.get(f"{base}/watches/storms/feed.atom", params={"key": "s3cret"})
        assert r.status_code == 200, r.text
        feed = feedparser.parse(r.content)
        assert not feed.bozo and feed.feed.title == "newsetl watch storms: Storms on the coast"
        assert sorted(e.title for e in feed.entries) == sorted(
            d["title"] for d in _docs() if "torm" in d["title"])
        assert {e.id for e in feed.entries} == {f"urn:newsetl:article:{d['id']}" for d in _docs()
                                                if "torm" in d["title"]}
        missing = httpx.get(f"{base}/watches/nope/feed.atom", headers={"X-API-Key": "s3cret"})
        assert missing.status_code == 404 and "no watch named 'nope'" in missing.json()["error"]
        assert "etag" not in missing.headers

        # polled with its ETag: 304 and no body while the watch finds nothing new; a new alert: the new feed
        tag = r.headers["etag"]
        assert tag.startswith('W/"') and "last-modified" not in r.headers and r.headers["cache-control"]
        again = httpx.get(f"{base}/watches/storms/feed.atom", params={"key": "s3cret"}, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        assert httpx.get(f"{base}/watches/storms/feed.atom", params={"key": "s3cret", "size": 1},
                         headers={"If-None-Match": tag}).status_code == 200          # another size, another feed
        more = make_document("https://news.example.org/feed/5", title="Storm returns", language="en",
                             published_at="2024-05-06T07:00:00Z")
        assert bulk_load(index_client, [more], settings, storage=storage, run_id="w2").created == 1
        assert stages.run_watches(settings, client=index_client)["watches"][0]["new"] == 1
        fresh = httpx.get(f"{base}/watches/storms/feed.atom", params={"key": "s3cret"},
                          headers={"If-None-Match": tag})
        assert fresh.status_code == 200 and fresh.headers["etag"] != tag
        assert "Storm returns" in [e.title for e in feedparser.parse(fresh.content).entries]


def test_a_feed_token_opens_its_feed_only(index_client, index_settings, storage, tmp_path, monkeypatch):
    """?token=: the token of one feed under the API key (pipeline.feed.feed_token) opens that feed and nothing else;
    GET /watches, `newsetl watch feed-url` and `newsetl search --feed-url` give URLs that a reader can poll; a feed
    never shows the key or the token in its title or id."""
    import yaml

    from pipeline import stages
    from pipeline.feed import SEARCH_FEED, feed_token, watch_feed_path
    from tests.test_watches import _settings

    settings = _settings(index_settings, tmp_path, [{"name": "storms", "query": "storm"},
                                                     {"name": "calm", "query": "calm"}])
    stages.run_watches(settings, since=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), client=index_client)
    assert bulk_load(index_client, _docs(), settings, storage=storage, run_id="t").created == 4
    assert stages.run_watches(settings, client=index_client)["watches"][0]["new"] == 2
    storms = feed_token("s3cret", watch_feed_path("storms"))
    with served(create_app(settings, api_key="s3cret", admin_keys=["adm1n"])) as base:
        ok = httpx.get(f"{base}/watches/storms/feed.atom", params={"token": storms})
        assert ok.status_code == 200, ok.text
        assert len(feedparser.parse(ok.content).entries) == 2
        # not another watch's feed, not the search feed, not the API; nor a token made under another key
        for path in ("/watches/calm/feed.atom", SEARCH_FEED):
            r = httpx.get(f"{base}{path}", params={"token": storms})
            assert r.status_code == 401 and "opens that feed only" in r.json()["error"]
        assert httpx.get(f"{base}/search", params={"token": storms}).status_code == 401
        other = feed_token("another key", watch_feed_path("storms"))
        assert httpx.get(f"{base}/watches/storms/feed.atom", params={"token": other}).status_code == 401
        # an admin key's token opens it too (an admin key reads)
        adm = feed_token("adm1n", watch_feed_path("storms"))
        assert httpx.get(f"{base}/watches/storms/feed.atom", params={"token": adm}).status_code == 200
        # GET /watches hands out each watch's feed with its token
        listed = httpx.get(f"{base}/watches", headers={"X-API-Key": "s3cret"}).json()["watches"]
        feeds = {w["name"]: w["feed"] for w in listed}
        assert feeds == {"storms": f"/watches/storms/feed.atom?token={storms}",
                         "calm": f"/watches/calm/feed.atom?token={feed_token('s3cret', '/watches/calm/feed.atom')}"}
        assert httpx.get(base + feeds["calm"]).status_code == 200
        # each caller gets the tokens of its own key (a key revoked withdraws the URLs it was given)
        as_admin = httpx.get(f"{base}/watches", headers={"X-API-Key": "adm1n"}).json()["watches"]
        assert {w["name"]: w["feed"] for w in as_admin}["storms"] == f"/watches/storms/feed.atom?token={adm}"
        # the search feed's token: the search's words and filters stay free, the title and id do not hold it
        search_token = feed_token("s3cret", SEARCH_FEED)
        a = httpx.get(f"{base}{SEARCH_FEED}", params={"q": "storm", "lang": "en", "token": search_token})
        b = httpx.get(f"{base}{SEARCH_FEED}", params={"q": "storm", "lang": "en", "key": "s3cret"})
        assert a.status_code == b.status_code == 200
        fa, fb = feedparser.parse(a.content), feedparser.parse(b.content)
        assert fa.feed.title == fb.feed.title == "newsetl: lang=en; q=storm"
        assert fa.feed.id == fb.feed.id and "s3cret" not in b.text and search_token not in fa.feed.id
        assert [e.id for e in fa.entries] == [e.id for e in fb.entries] and len(fa.entries) == 2

        # the commands print URLs a reader can poll, made from NEWSETL_API_KEY
        cfg = tmp_path / "newsetl.yaml"
        cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": settings.elasticsearch.url},
                                       "index": {"name": settings.index.name},
                                       "storage": {"root": settings.storage.root},
                                       "alerts": {"watches_file": settings.alerts.watches_file}}))
        monkeypatch.setenv("NEWSETL_API_KEY", "s3cret")
        p = run_cli(cfg, "watch", "feed-url", "--name", "storms", "--base", base)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == f"{base}/watches/storms/feed.atom?token={storms}"
        assert len(feedparser.parse(httpx.get(p.stdout.strip()).content).entries) == 2
        p = run_cli(cfg, "search", "storm", "--lang", "en", "--feed-url", base)
        assert p.returncode == 0, p.stderr
        r = httpx.get(p.stdout.strip())
        assert r.status_code == 200 and feedparser.parse(r.content).feed.title == "newsetl: lang=en; q=storm"
        p = run_cli(cfg, "watch", "feed-url", "--name", "nope", "--base", base)
        assert p.returncode == 2 and "no watch named 'nope'" in p.stderr
        p = run_cli(cfg, "search", "storm", "--feed-url", "news.example", "--lang", "en")
        assert p.returncode == 2 and "with its scheme" in p.stderr
        monkeypatch.delenv("NEWSETL_API_KEY")
        p = run_cli(cfg, "watch", "feed-url", "--name", "storms", "--base", base)
        assert p.returncode == 0 and "token" not in p.stdout and "NEWSETL_API_KEY is not set" in p.stderr
        assert httpx.get(p.stdout.strip()).status_code == 401          # this server has a key
