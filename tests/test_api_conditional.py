"""Conditional GET on the search API (pipeline.api: ``conditional_headers``, ``not_modified``) over a real
Elasticsearch node and the API under uvicorn: a feed fetched again with its ETag is a 304 with no body and no search
run; a new document, a deletion (of the cluster's or ``newsetl remove``'s) and another query change the ETag; a
scoped key and an unscoped one never share one; If-Modified-Since alone works, and loses to If-None-Match; the key
check and the rate limit still come first; /search after a cursor and /trends without ``at`` send no validator."""
from __future__ import annotations

import datetime as dt
import time
from email.utils import format_datetime, parsedate_to_datetime

import httpx
import pytest

from pipeline.api import CACHE_CONTROL, StateClock, answer_basis, conditional_headers, create_app, not_modified
from pipeline.apikeys import add_key, scope_filters
from pipeline.feed import SEARCH_FEED, feed_token as token_of
from pipeline.load import bulk_load
from pipeline.search import search
from pipeline.stories import IndexState, index_state
from tests.plugins.api import with_search
from tests.plugins.docs import make_document
from tests.test_api import served

KEY = {"X-API-Key": "s3cret"}


def _queries(client, alias: str) -> int:
    """The searches the read alias's index has run so far (each shard's count)."""
    stats = client.indices.stats(index=alias, metric="search")
    return stats["_all"]["total"]["search"]["query_total"]


def _get(base: str, path: str, headers: dict | None = None, **params) -> httpx.Response:
    return httpx.get(f"{base}{path}", params=params, headers={**KEY, **(headers or {})}, timeout=60)


def _dated(base: str, **params) -> str:
    """The feed's Last-Modified, once the server sends one: not within the second it first saw the index's state
    (``StateClock``), so at most a little over a second of asking."""
    for _ in range(30):
        r = _get(base, SEARCH_FEED, **params)
        assert r.status_code == 200
        if "last-modified" in r.headers:
            return r.headers["last-modified"]
        time.sleep(0.1)
    raise AssertionError("no Last-Modified after 3 s")


def test_the_validators_and_their_comparison():
    now = IndexState(("news-v1",), 12, 1_714_557_600_123.0)
    h = conditional_headers("b", "/feed.atom", [("q", "storm"), ("lang", "en"), ("key", "k1")], None, now,
                            modified=1_714_557_600.0)
    assert h["ETag"].startswith('W/"') and len(h["ETag"]) == 32 + 4
    assert (h["Cache-Control"], h["Vary"]) == (CACHE_CONTROL, "Authorization, X-API-Key")
    assert h["Last-Modified"] == "Wed, 01 May 2024 10:00:00 GMT"          # the StateClock's date, not the state's
    assert "Last-Modified" not in conditional_headers("b", "/feed.atom", [], None, now)     # none given: none sent
    # the parameters' order and the key given as ?key= do not change it; anything the answer depends on does
    same = conditional_headers("b", "/feed.atom", [("lang", "en"), ("q", "storm"), ("key", "k2")], None, now)
    assert same["ETag"] == h["ETag"]
    for other in (conditional_headers("c", "/feed.atom", [("q", "storm"), ("lang", "en")], None, now),
                  conditional_headers("b", "/search", [("q", "storm"), ("lang", "en")], None, now),
                  conditional_headers("b", "/feed.atom", [("q", "storm")], None, now),
                  conditional_headers("b", "/feed.atom", [("q", "storm"), ("lang", "en")], {"lang": ["en"]}, now),
                  conditional_headers("b", "/feed.atom", [("q", "storm"), ("lang", "en")], None,
                                      IndexState(("news-v2",), 12, now.last_indexed)),
                  conditional_headers("b", "/feed.atom", [("q", "storm"), ("lang", "en")], None,
                                      IndexState(("news-v1",), 11, now.last_indexed)),
                  conditional_headers("b", "/feed.atom", [("q", "storm"), ("lang", "en")], None,
                                      IndexState(("news-v1",), 12, now.last_indexed + 1))):
        assert other["ETag"] != h["ETag"]
    assert "Last-Modified" not in conditional_headers("b", "/search", [], None, IndexState((), 0, None))

    tag, last = h["ETag"], h["Last-Modified"]
    assert not_modified({"if-none-match": tag}, h) is True
    assert not_modified({"if-none-match": tag.removeprefix("W/")}, h) is True        # weak comparison
    assert not_modified({"if-none-match": f'"nope", {tag}'}, h) is True               # any of a list
    assert not_modified({"if-none-match": '"nope"'}, h) is False
    assert not_modified({"if-none-match": "*"}, h) is None                            # if there is an answer
    assert not_modified({}, h) is False
    assert not_modified({"if-modified-since": last}, h) is True
    later = format_datetime(parsedate_to_datetime(last) + dt.timedelta(days=1), usegmt=True)
    earlier = format_datetime(parsedate_to_datetime(last) - dt.timedelta(seconds=1), usegmt=True)
    assert not_modified({"if-modified-since": later}, h) is True
    assert not_modified({"if-modified-since": earlier}, h) is False
    assert not_modified({"if-modified-since": "last tuesday"}, h) is False            # unreadable: ignored
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2), either way
    assert not_modified({"if-none-match": '"nope"', "if-modified-since": later}, h) is False
    assert not_modified({"if-none-match": tag, "if-modified-since": earlier}, h) is True


def test_the_state_clock_dates_a_state_after_the_change_that_made_it():
    clock = StateClock()
    s0 = IndexState(("news-v1",), 12, 1_714_557_600_123.0)
    # first seen at 100.3: dated 101, and not given to a request asked before 101 (within the second it appeared)
    assert clock.modified(s0, 100.2, 100.3) is None
    assert clock.modified(s0, 100.9, 100.95) is None
    assert clock.modified(s0, 101.0, 101.01) == 101.0
    assert clock.modified(s0, 250.0, 250.01) == 101.0                       # the same state keeps its date
    # a deletion straight in the cluster (fewer documents, the same greatest indexed_at) in the same second as a
    # client's copy of s0 was dated: the new state's date is later than any date s0's answers carried
    s1 = IndexState(("news-v1",), 11, s0.last_indexed)
    assert clock.modified(s1, 250.5, 250.6) is None
    assert clock.modified(s1, 251.2, 251.3) == 251.0
    h = conditional_headers("b", "/feed.atom", [], None, s1, modified=251.0)
    old_copy = conditional_headers("b", "/feed.atom", [], None, s0, modified=101.0)["Last-Modified"]
    assert not_modified({"if-modified-since": old_copy}, h) is False
    assert not_modified({"if-modified-since": h["Last-Modified"]}, h) is True
    # a state seen again after another is dated anew; an empty index has no date
    assert clock.modified(s0, 300.0, 300.2) is None and clock.modified(s0, 302.0, 302.1) == 301.0
    assert clock.modified(IndexState((), 0, None), 400.0, 400.1) is None


def test_the_basis_is_the_version_and_the_configuration(tmp_path):
    from pipeline.settings import load_settings

    settings = load_settings(overrides={"storage": {"root": str(tmp_path)}})
    assert answer_basis(settings) == answer_basis(load_settings(overrides={"storage": {"root": str(tmp_path)}}))
    assert answer_basis(with_search(settings, max_size=settings.index.search.max_size + 1)) != answer_basis(settings)


@pytest.mark.es
def test_a_feed_polled_with_its_etag(api_loaded, index_client, index_settings, storage, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    alias = index_settings.index.read_alias
    with served(create_app(index_settings, api_key="s3cret")) as base:
        first = _get(base, SEARCH_FEED, q="harbour")
        assert first.status_code == 200 and first.content.startswith(b"<?xml")
        tag = first.headers["etag"]
        assert tag.startswith('W/"') and first.headers["cache-control"] == "private, no-cache"
        assert first.headers["vary"] == "Authorization, X-API-Key"
        # the state is dated from the second after this server first saw it; within that second no date is sent
        last = _dated(base, q="harbour")
        newest = max(d["indexed_at"] for d in (index_client.get(index=alias, id=d["id"])["_source"]
                                              for d in api_loaded))
        assert parsedate_to_datetime(last) > dt.datetime.fromisoformat(newest.replace("Z", "+00:00"))

        # the same poll with the ETag: 304, no body, the same validators, and only the index's state asked for
        before = _queries(index_client, alias)
        index_state(index_client, alias)
        one_state = _queries(index_client, alias) - before
        before = _queries(index_client, alias)
        again = _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="harbour")
        assert again.status_code == 304 and again.content == b""
        assert (again.headers["etag"], again.headers["last-modified"]) == (tag, last)
        assert again.headers["cache-control"] == "private, no-cache"
        assert _queries(index_client, alias) - before == one_state           # the search did not run
        before = _queries(index_client, alias)
        assert _get(base, SEARCH_FEED, q="harbour").status_code == 200
        assert _queries(index_client, alias) - before > one_state            # a 200 runs it
        # If-Modified-Since alone; an ETag that does not match wins over it
        assert _get(base, SEARCH_FEED, {"If-Modified-Since": last}, q="harbour").status_code == 304
        r = _get(base, SEARCH_FEED, {"If-None-Match": 'W/"other"', "If-Modified-Since": last}, q="harbour")
        assert r.status_code == 200 and r.headers["etag"] == tag
        # a wrong key with the right ETag: 401, never a 304; none at all: 401
        r = httpx.get(f"{base}{SEARCH_FEED}", params={"q": "harbour"}, headers={"X-API-Key": "wrong",
                                                                               "If-None-Match": tag})
        assert r.status_code == 401 and "API key" in r.json()["error"]
        assert httpx.get(f"{base}{SEARCH_FEED}", params={"q": "harbour"},
                         headers={"If-None-Match": tag}).status_code == 401
        # the key given in the URL, as a feed reader does, or the feed's token: the same feed
        assert _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="harbour", key="s3cret").status_code == 304
        token = token_of("s3cret", SEARCH_FEED)
        r = httpx.get(f"{base}{SEARCH_FEED}", params={"q": "harbour", "token": token})
        assert r.status_code == 200 and r.headers["etag"] != tag      # the token shows in its self link
        assert httpx.get(f"{base}{SEARCH_FEED}", params={"q": "harbour", "token": token},
                         headers={"If-None-Match": r.headers["etag"]}).status_code == 304

        # another query, another answer: another ETag; so /search of the same words
        other = _get(base, SEARCH_FEED, q="council")
        assert other.status_code == 200 and other.headers["etag"] != tag
        assert _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="council").status_code == 200
        searched = _get(base, "/search", q="harbour")
        assert searched.status_code == 200 and searched.headers["etag"] not in (tag, other.headers["etag"])
        assert _get(base, "/search", {"If-None-Match": searched.headers["etag"]}, q="harbour").status_code == 304
        # a later page reads a point in time: no validator, never a 304
        nxt = _get(base, "/search", size=2).json()["next"]
        page = _get(base, "/search", {"If-None-Match": searched.headers["etag"]}, size=2, after=nxt)
        assert page.status_code == 200 and "etag" not in page.headers

        # a new article: 200 and a new ETag (its own Last-Modified), the old ETag no longer matches
        new = make_document("https://news.example.org/api/new", title="Harbour story new", language="en",
                            text="A new story about the harbour and the weather. " * 12,
                            published_at="2024-06-01T10:00:00+00:00")
        assert bulk_load(index_client, [new], index_settings, storage=storage, run_id="more").created == 1
        index_client.indices.refresh(index=alias)
        fresh = _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="harbour")
        assert fresh.status_code == 200 and fresh.headers["etag"] != tag
        assert b"urn:newsetl:article:" + new["id"].encode() in fresh.content
        assert parsedate_to_datetime(_dated(base, q="harbour")) > parsedate_to_datetime(last)
        tag = fresh.headers["etag"]
        assert _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="harbour").status_code == 304

        # a deletion straight in the cluster: it stamps nothing, the number of documents tells; If-Modified-Since
        # alone with the date of the copy before it is no 304 either (the greatest indexed_at has not moved)
        last = _dated(base, q="harbour")
        index_client.delete(index=alias, id=api_loaded[1]["id"], refresh=True)
        by_date = _get(base, SEARCH_FEED, {"If-Modified-Since": last}, q="harbour")
        assert by_date.status_code == 200
        assert b"urn:newsetl:article:" + api_loaded[1]["id"].encode() not in by_date.content
        assert _get(base, SEARCH_FEED, {"If-Modified-Since": _dated(base, q="harbour")},
                    q="harbour").status_code == 304
        gone = _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="harbour")
        assert gone.status_code == 200 and gone.headers["etag"] != tag
        assert b"urn:newsetl:article:" + api_loaded[1]["id"].encode() not in gone.content
        tag = gone.headers["etag"]

        # a removal (newsetl remove)
        from pipeline.removals import remove

        assert remove(index_client, index_settings, ids=[api_loaded[3]["id"]], reason="test")["removed"] >= 1
        index_client.indices.refresh(index=alias)
        removed = _get(base, SEARCH_FEED, {"If-None-Match": tag}, q="harbour")
        assert removed.status_code == 200 and removed.headers["etag"] != tag
        assert b"urn:newsetl:article:" + api_loaded[3]["id"].encode() not in removed.content

        # 304s are counted as such
        metrics = httpx.get(f"{base}/metrics", headers=KEY).text
        assert 'newsetl_api_requests_total{method="GET",route="/feed.atom",status="304"}' in metrics


@pytest.mark.es
def test_scoped_and_unscoped_keys_never_share_an_etag(api_loaded, index_client, index_settings, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEY", raising=False)
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    settings = with_search(index_settings, api_require_key=True)
    english, _ = add_key(index_client, settings, "partner", scope={"lang": ["en"]})
    whole, _ = add_key(index_client, settings, "svc-all")
    other, _ = add_key(index_client, settings, "svc-other")
    with served(create_app(settings, admin_keys=[])) as base:
        def get(key: str, path: str = SEARCH_FEED, tag: str | None = None, **params) -> httpx.Response:
            headers = {"X-API-Key": key, **({"If-None-Match": tag} if tag else {})}
            return httpx.get(f"{base}{path}", params=params, headers=headers, timeout=60)

        for path in (SEARCH_FEED, "/search", "/suggest"):
            params = {"q": "vlad"} if path == "/suggest" else {}
            mine, theirs = get(english, path, **params), get(whole, path, **params)
            assert mine.status_code == theirs.status_code == 200
            assert mine.headers["etag"] != theirs.headers["etag"]
            # the scoped key's ETag does not get the unscoped key a 304 (it would keep the scoped answer)
            assert get(whole, path, mine.headers["etag"], **params).status_code == 200
            assert get(english, path, theirs.headers["etag"], **params).status_code == 200
            assert get(english, path, mine.headers["etag"], **params).status_code == 304
            # two keys that see the same: the same answer, the same ETag
            assert get(other, path, theirs.headers["etag"], **params).status_code == 304
        # the feed's token under the scoped key carries its scope into the ETag too
        token = token_of(english, SEARCH_FEED)
        by_token = httpx.get(f"{base}{SEARCH_FEED}", params={"token": token})
        assert by_token.status_code == 200
        assert by_token.content.count(b"<entry") == get(english).content.count(b"<entry") < len(api_loaded)
        assert by_token.headers["etag"] != get(whole, token=token).headers["etag"]

        # a scoped search with originals asks for the index's state once, for its ETag: its stories (kept since the
        # first) take that state, so through the API it costs the cluster what the search alone costs, which asks
        # for the state itself (pipeline.stories.cached_stories)
        alias = index_settings.index.read_alias
        assert get(english, "/search", originals="true").status_code == 200           # the stories are kept
        before = _queries(index_client, alias)
        assert get(english, "/search", originals="true").status_code == 200
        through_api = _queries(index_client, alias) - before
        before = _queries(index_client, alias)
        direct = search(index_client, settings, "", originals=True,
                        filters=scope_filters(settings, {"lang": ["en"]}))
        alone = _queries(index_client, alias) - before
        assert direct["hits"] and through_api == alone > 0, (through_api, alone)


@pytest.mark.es
def test_documents_suggest_and_trends_and_what_sends_no_validator(api_loaded, index_settings, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    with served(create_app(index_settings, api_key="s3cret")) as base:
        doc_id = api_loaded[0]["id"]
        r = _get(base, f"/documents/{doc_id}")
        assert r.status_code == 200 and r.json()["id"] == doc_id
        assert _get(base, f"/documents/{doc_id}", {"If-None-Match": r.headers["etag"]}).status_code == 304
        assert _get(base, f"/documents/{api_loaded[1]['id']}").headers["etag"] != r.headers["etag"]
        # If-None-Match: * is "if there is one": 304 for a document that is there, its 404 for one that is not
        assert _get(base, f"/documents/{doc_id}", {"If-None-Match": "*"}).status_code == 304
        missing = _get(base, "/documents/nope", {"If-None-Match": "*"})
        assert missing.status_code == 404 and "no document" in missing.json()["error"]
        assert "etag" not in missing.headers
        # errors carry no validator and are never a 304
        bad = _get(base, SEARCH_FEED, since="last week")
        assert bad.status_code == 400 and "etag" not in bad.headers

        s = _get(base, "/suggest", q="put")
        assert s.status_code == 200 and s.json()["suggestions"]
        assert _get(base, "/suggest", {"If-None-Match": s.headers["etag"]}, q="put").status_code == 304

        # /trends: with `at` the answer is the index's; without, the window ends now
        t = _get(base, "/trends", at="2024-05-12T00:00:00Z", window="7d", baseline="7d", min_count=1)
        assert t.status_code == 200 and "etag" in t.headers
        assert _get(base, "/trends", {"If-None-Match": t.headers["etag"]}, at="2024-05-12T00:00:00Z", window="7d",
                    baseline="7d", min_count=1).status_code == 304
        clock = _get(base, "/trends", {"If-None-Match": t.headers["etag"]})
        assert clock.status_code == 200 and "etag" not in clock.headers and "last-modified" not in clock.headers
        # what reads no index of the news: no validator
        assert "etag" not in _get(base, "/alerts").headers


@pytest.mark.es
def test_a_304_counts_against_the_rate_limit(api_loaded, index_settings, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    limited = with_search(index_settings, api_rate_per_minute=6, api_burst=2)
    with served(create_app(limited, api_key="s3cret", clock=lambda: 0.0)) as base:
        tag = _get(base, SEARCH_FEED).headers["etag"]                                   # 1 of 2
        assert _get(base, SEARCH_FEED, {"If-None-Match": tag}).status_code == 304       # 2 of 2
        r = _get(base, SEARCH_FEED, {"If-None-Match": tag})
        assert r.status_code == 429 and "retry in" in r.json()["error"]


@pytest.mark.es
def test_no_index_yet_is_a_503_whatever_the_validators(index_settings, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    with served(create_app(index_settings, api_key="s3cret")) as base:
        for path in (SEARCH_FEED, "/search"):
            r = _get(base, path, {"If-None-Match": "*", "If-Modified-Since": "Wed, 01 May 2024 10:00:00 GMT"})
            assert r.status_code == 503 and "does not exist" in r.json()["error"], r.text
