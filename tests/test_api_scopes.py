"""Scoped API keys (pipeline.apikeys.check_scope/scope_filters, `newsetl keys add --scope-*`, POST /keys's
``scope``) over a real Elasticsearch node and the API under uvicorn: a stored key that reads sees only the languages,
sources and countries of its scope, whatever it asks (/search with its facets, copies and stories, /feed.atom and its
token, /trends, /suggest, /documents: 404 outside); the routes a scope cannot restrict answer it 403; scopes that
cannot be are refused (exit 2, 422); a rotation keeps the old key's scope unless given another."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET

import httpx
import pytest

from pipeline.api import create_app
from pipeline.apikeys import KeyStoreError, StoredKeys, add_key, check_scope, list_keys, scope_filters
from pipeline.feed import ATOM, SEARCH_FEED, feed_token, watch_feed_path
from pipeline.load import bulk_load
from tests.plugins.docs import make_document
from tests.test_api import served
from tests.plugins.api import keys_command, with_search

A = f"{{{ATOM}}}"

SCOPE = {"lang": ["EN", "de"], "source": ["reuters.com", "apnews"], "country": ["UA", "Germany"]}
STORED = {"lang": ["en", "de"], "source": ["reuters.com", "apnews"], "country": ["UA", "DE"]}
SITES = [("reuters", "reuters.com"), ("apnews", "apnews.com"), ("tass", "tass.ru"), ("lemonde", "lemonde.fr")]
LANGS = ["en", "de", "fr", "ru"]
PLACES = [("Kyiv", "UA"), ("Berlin", "DE"), ("Paris", "FR")]
COUNTRY = {}            # document id -> the country of its place


def _text(seed: str) -> str:
    """A text of its own (no near duplicate of another by chance): 90 words made of the seed."""
    return " ".join("w" + hashlib.sha256(f"{seed}-{j}".encode()).hexdigest()[:8] for j in range(90)) + "."


def _doc(n: int, lang: str, site: tuple[str, str], place: tuple[str, str], when: str, person: str,
         text: str | None = None, title: str | None = None) -> dict:
    doc = make_document(f"https://{site[1]}/scoped/{n}", title=title or f"Story {n} ({lang}, {site[0]})",
                        text=text or _text(str(n)), language=lang, source=site[0], published_at=when,
                        entities={"person": [person], "organization": [], "location": [place[0]], "misc": []})
    COUNTRY[doc["id"]] = place[1]
    return doc


def _in_scope(doc: dict) -> bool:
    return (doc["language"] in STORED["lang"] and bool({doc["source"], doc["domain"]} & set(STORED["source"]))
            and COUNTRY[doc["id"]] in STORED["country"])


def _docs() -> dict[str, dict]:
    """24 articles of the window (every language with every site, three countries), two near-duplicate pairs across
    the scope's edge, six articles of the baseline (half in the scope)."""
    docs = {}
    for i in range(24):
        lang, site, place = LANGS[i % 4], SITES[(i // 4) % 4], PLACES[i % 3]
        d = _doc(i, lang, site, place, f"2024-05-18T{i % 12:02d}:00:00+00:00", "Anna Inscope")
        docs[f"d{i}"] = d
        if not _in_scope(d):
            d["entities"]["person"] = ["Oleg Outside"]
    wire_a, wire_b = _text("wire-a"), _text("wire-b")
    # a story first published outside the scope, copied inside it; and one the other way round
    docs["a_orig"] = _doc(100, "ru", SITES[2], PLACES[2], "2024-05-17T08:00:00+00:00", "Oleg Outside", wire_a,
                          "Secret original outside")
    docs["a_copy"] = _doc(101, "en", SITES[0], PLACES[0], "2024-05-18T09:30:00+00:00", "Anna Inscope", wire_a)
    docs["b_orig"] = _doc(102, "de", SITES[1], PLACES[1], "2024-05-17T09:00:00+00:00", "Anna Inscope", wire_b)
    docs["b_copy"] = _doc(103, "fr", SITES[3], PLACES[2], "2024-05-18T10:30:00+00:00", "Oleg Outside", wire_b)
    for j in range(6):
        inside = j % 2 == 0
        docs[f"base{j}"] = _doc(200 + j, "en" if inside else "ru", SITES[0] if inside else SITES[2],
                                PLACES[0] if inside else PLACES[2], f"2024-05-12T0{j}:00:00+00:00", "Carl Constant")
    return docs


@pytest.fixture
def loaded(index_client, index_settings, storage):
    docs = _docs()
    assert bulk_load(index_client, list(docs.values()), index_settings, storage=storage,
                     run_id="scopes").created == len(docs)
    index_client.indices.refresh(index=index_settings.index.read_alias)
    return docs


def test_a_scope_is_checked_and_kept_as_codes():
    assert check_scope(SCOPE) == STORED
    assert check_scope(None) is None and check_scope({}) is None
    assert check_scope({"lang": ["zh-CN", "zh-cn"]}) == {"lang": ["zh-cn"]}
    # a first-level region, by its ISO 3166-2 code or its name, kept as its code beside the countries'
    assert check_scope({"country": ["Bayern", "de-by", "Ukraine", "US-CA"]}) == {"country": ["DE-BY", "UA", "US-CA"]}
    for bad, words in (({"planet": ["mars"]}, "scope.planet: not a scope field"),
                       ({"lang": []}, "scope.lang: a list of 1 to"),
                       ({"lang": "en"}, "scope.lang: a list"),
                       ({"lang": ["english"]}, "not an ISO 639 language code"),
                       ({"lang": ["und"]}, "not an ISO 639"),
                       ({"country": ["Atlantis"]}, "scope.country: 'Atlantis' is no country"),
                       ({"source": ["a,b"]}, "no comma"),
                       ({"source": ["x" * 101]}, "1 to 100 characters"),
                       ({"source": [7]}, "not a value"),
                       ({"source": ["s"] * 101}, "1 to 100 values"),
                       (["en"], "scope: an object")):
        with pytest.raises(KeyStoreError, match=words) as e:
            check_scope(bad)
        assert e.value.status == 422


def test_a_scope_is_the_search_filters_of_its_fields(tmp_path):
    from pipeline.search import build_query
    from pipeline.settings import load_settings

    index_settings = load_settings(overrides={"storage": {"root": str(tmp_path)}})
    got = scope_filters(index_settings, STORED)
    assert got == build_query(index_settings, "", lang="en,de", source="reuters.com,apnews",
                              country="UA,DE")["bool"]["filter"]
    assert len(got) == 3 and scope_filters(index_settings, None) == []
    # ANDed with the caller's: a caller's lang is one more clause, never in place of the scope's
    q = build_query(index_settings, "x", lang="fr", filters=got)["bool"]["filter"]
    assert q[0] == {"terms": {"language": ["fr"]}} and q[1:] == got


@pytest.mark.es
def test_stored_scopes_rotation_and_refusals(index_client, index_settings):
    key, doc = add_key(index_client, index_settings, "partner", scope=SCOPE)
    assert doc["scope"] == STORED
    raw = index_client.get(index=index_settings.index.api_keys_index_name, id="partner")["_source"]
    assert raw["scope"] == STORED
    keys = StoredKeys(lambda: index_client, index_settings)
    assert keys.lookup(key).scope == STORED
    assert [k["scope"] for k in list_keys(index_client, index_settings)] == [STORED]
    with pytest.raises(KeyStoreError, match="admin key reads everything") as e:
        add_key(index_client, index_settings, "ops", role="admin", scope={"lang": ["en"]})
    assert e.value.status == 422
    with pytest.raises(KeyStoreError, match="scope.lang"):
        add_key(index_client, index_settings, "svc-bad", scope={"lang": ["xx-long-code-here"]})

    # a rotation given no scope keeps the old key's, with a grace too (the retiring copy keeps its own)
    rotated, doc = add_key(index_client, index_settings, "partner", replace=True, grace=dt.timedelta(hours=1))
    assert doc["scope"] == STORED
    keys.reload()
    assert keys.lookup(rotated).scope == STORED and keys.lookup(key).scope == STORED
    # given one, the new key takes it; {} (--no-scope): none
    narrower, doc = add_key(index_client, index_settings, "partner", replace=True, scope={"lang": ["de"]})
    assert doc["scope"] == {"lang": ["de"]}
    wide, doc = add_key(index_client, index_settings, "partner", replace=True, scope={})
    assert doc["scope"] is None
    keys.reload()
    assert keys.lookup(wide).scope is None
    # a scoped key cannot become an admin key by a rotation that says nothing of its scope
    add_key(index_client, index_settings, "svc-s", scope={"lang": ["en"]})
    with pytest.raises(KeyStoreError, match="--no-scope"):
        add_key(index_client, index_settings, "svc-s", role="admin", replace=True)

    # a scope written by hand that does not validate: the key is left out, never widened
    bad, _ = add_key(index_client, index_settings, "svc-hand", scope={"lang": ["en"]})
    index_client.update(index=index_settings.index.api_keys_index_name, id="svc-hand", refresh=True,
                        doc={"scope": {"lang": ["klingon-xx"]}})
    keys.reload()
    assert keys.lookup(bad) is None


def _feed_ids(r: httpx.Response) -> set[str]:
    assert r.status_code == 200, r.text
    return {e.find(f"{A}id").text.removeprefix("urn:newsetl:article:") for e in ET.fromstring(r.content).findall(
        f"{A}entry")}


@pytest.mark.es
def test_a_scoped_key_reads_only_its_scope_everywhere(loaded, index_client, index_settings, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEY", raising=False)
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    settings = with_search(index_settings, api_require_key=True)
    scoped, _ = add_key(index_client, settings, "partner", scope=SCOPE)
    whole, _ = add_key(index_client, settings, "svc-all")
    inside = {d["id"] for d in loaded.values() if _in_scope(d)}
    by_lang = {lang: {d["id"] for d in loaded.values() if _in_scope(d) and d["language"] == lang}
               for lang in ("en", "de")}
    assert len(inside) == 10 and by_lang["en"] and by_lang["de"]      # the fixture's shape
    every = {d["id"] for d in loaded.values()}
    a_orig, a_copy, b_orig = loaded["a_orig"]["id"], loaded["a_copy"]["id"], loaded["b_orig"]["id"]

    with served(create_app(settings, admin_keys=[])) as base:
        def get(key, path="/search", **params):
            return httpx.get(f"{base}{path}", headers={"X-API-Key": key}, params=params)

        def ids(key, **params):
            seen, after = [], None
            while True:
                r = get(key, size=5, **params, **({"after": after} if after else {}))
                assert r.status_code == 200, r.text
                seen += [h["id"] for h in r.json()["hits"]]
                if not (after := r.json()["next"]):
                    return seen

        # /search: exactly the scope, every page of the cursor; the unscoped key everything
        assert get(scoped).json()["total"] == len(inside)
        got = ids(scoped)
        assert set(got) == inside and len(got) == len(inside)
        assert get(whole).json()["total"] == len(every)
        # the caller's filters narrow within the scope, never widen it
        assert {h["id"] for h in get(scoped, lang="en", size=50).json()["hits"]} == by_lang["en"]
        assert get(scoped, lang="en,fr").json()["total"] == len(by_lang["en"])
        for outside in ({"lang": "fr"}, {"lang": "ru"}, {"source": "tass.ru"}, {"source": "lemonde"},
                        {"country": "FR"}, {"q": "Secret original outside"}):
            assert get(scoped, **outside).json()["total"] == 0, outside
            assert get(whole, **outside).json()["total"] > 0, outside
        assert get(scoped, country="UA").json()["total"] == sum(COUNTRY[i] == "UA" for i in inside)

        # facets count the scope only; the stories facet does not name an original outside it, nor count copies
        facets = get(scoped, facets="true", size=0).json()["facets"]
        assert {b["key"] for b in facets["language"]} == {"en", "de"}
        assert sum(b["count"] for b in facets["language"]) == len(inside)
        assert {b["key"] for b in facets["source"]} == {"reuters", "apnews"}
        assert {b["key"] for b in facets["countries"]} == {"UA", "DE"}
        assert "Oleg Outside" not in json.dumps(facets) and "tass" not in json.dumps(facets)
        # (a_copy is the scope's original of its story, which has no copy inside: pipeline.stories)
        story = {s["key"]: s for s in facets["stories"]}
        assert a_orig not in story and a_copy not in story and all(s["title"] for s in story.values())
        wide = {s["key"]: s for s in get(whole, facets="true", size=0).json()["facets"]["stories"]}
        assert wide[a_orig]["title"] == "Secret original outside"           # the original is marked, as a check
        hit = get(scoped, q=loaded["b_orig"]["title"]).json()["hits"][0]
        assert hit["id"] == b_orig and "copies" not in hit                   # its copy is outside
        assert get(whole, q=loaded["b_orig"]["title"]).json()["hits"][0]["copies"] == 1

        # /documents: outside the scope 404 (as an id that is not there), inside 200
        r = get(scoped, f"/documents/{a_orig}")
        assert r.status_code == 404 and r.json()["error"].startswith(f"no document with id {a_orig!r}"), r.text
        assert get(scoped, f"/documents/{a_copy}").status_code == 200
        assert get(whole, f"/documents/{a_orig}").status_code == 200
        # like: a document outside the scope is not there either
        r = get(scoped, like=a_orig)
        assert r.status_code == 400 and "no document with id" in r.json()["error"]
        assert get(scoped, like=a_copy).status_code == 200

        # /trends and /suggest: the names of the scope's articles only
        trend = {"field": "person", "at": "2024-05-19T00:00:00Z", "window": "2d", "baseline": "7d", "min_count": 1}
        names = [t["key"] for t in get(scoped, "/trends", **trend).json()["trends"]]
        assert "Anna Inscope" in names and "Oleg Outside" not in names
        assert "Oleg Outside" in [t["key"] for t in get(whole, "/trends", **trend).json()["trends"]]
        assert get(scoped, "/suggest", q="ole", field="person").json()["suggestions"] == []
        assert get(whole, "/suggest", q="ole", field="person").json()["suggestions"][0]["value"] == "Oleg Outside"
        anna = get(scoped, "/suggest", q="ann", field="person").json()
        assert anna["suggestions"] == [{"value": "Anna Inscope", "count": sum(
            "Anna Inscope" in d["entities"]["person"] for d in loaded.values() if _in_scope(d))}]
        assert [s["value"] for s in get(scoped, "/suggest", q="t", field="source").json()["suggestions"]] == []

        # /feed.atom: the scope's entries only, with the key and with the feed's token made under it
        assert _feed_ids(get(scoped, SEARCH_FEED, size=100)) == inside
        r = httpx.get(f"{base}{SEARCH_FEED}", params={"token": feed_token(scoped, SEARCH_FEED), "size": 100})
        assert _feed_ids(r) == inside
        r = httpx.get(f"{base}{SEARCH_FEED}", params={"token": feed_token(scoped, SEARCH_FEED), "lang": "fr"})
        assert _feed_ids(r) == set()
        assert _feed_ids(get(whole, SEARCH_FEED, size=100)) == every
        r = httpx.get(f"{base}{SEARCH_FEED}", params={"token": feed_token(whole, SEARCH_FEED), "size": 100})
        assert _feed_ids(r) == every

        # what a scope cannot restrict: refused to the scoped key (403 saying why), open to the others
        for path in ("/changes", "/alerts", "/watches"):
            r = get(scoped, path)
            assert r.status_code == 403 and "sees only part of the news" in r.json()["error"], (path, r.text)
            assert get(whole, path).status_code == 200, path
        assert "changes feed cannot be restricted" in get(scoped, "/changes").json()["error"]
        watch = watch_feed_path("storms")
        assert get(scoped, watch).status_code == 403
        r = httpx.get(f"{base}{watch}", params={"token": feed_token(scoped, watch)})
        assert r.status_code == 403 and "watches" in r.json()["error"]
        assert get(whole, watch).status_code == 404                # let in: there is no such watch


@pytest.mark.es
def test_scopes_through_the_api(index_client, index_settings, monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEY", raising=False)
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    settings = with_search(index_settings, api_require_key=True)
    admin, _ = add_key(index_client, settings, "ops", role="admin")
    h = {"X-API-Key": admin}
    with served(create_app(settings, admin_keys=[])) as base:
        r = httpx.post(f"{base}/keys/partner", headers=h, json={"scope": SCOPE, "note": "the partner"})
        assert r.status_code == 201, r.text
        assert r.json()["scope"] == STORED
        listed = {k["name"]: k for k in httpx.get(f"{base}/keys", headers=h).json()["keys"]}
        assert listed["partner"]["scope"] == STORED and listed["ops"]["scope"] is None
        for scope, field in (({"lang": ["english"]}, "scope.lang"), ({"lang": []}, "scope.lang"),
                             ({"planet": ["mars"]}, "scope.planet"), ({"lang": "en"}, "scope.lang"),
                             ({"country": ["Atlantis"]}, "scope.country"), ({"source": ["a,b"]}, "scope.source")):
            r = httpx.post(f"{base}/keys/svc-bad", headers=h, json={"scope": scope})
            assert r.status_code == 422 and r.json()["error"].startswith(field), (scope, r.text)
        # a rotation keeps the scope unless given another; {} drops it
        r = httpx.post(f"{base}/keys/partner", headers=h, params={"replace": "true"})
        assert r.status_code == 201 and r.json()["scope"] == STORED
        r = httpx.post(f"{base}/keys/partner", headers=h, params={"replace": "true"}, json={"scope": {"lang": ["de"]}})
        assert r.json()["scope"] == {"lang": ["de"]}
        key = r.json()["key"]
        r = httpx.get(f"{base}/changes", headers={"X-API-Key": key})
        assert r.status_code == 403 and "lang=de" in r.json()["error"]
        r = httpx.post(f"{base}/keys/partner", headers=h, params={"replace": "true"}, json={"scope": {}})
        assert r.status_code == 201 and r.json()["scope"] is None


@pytest.mark.es
def test_newsetl_keys_add_with_a_scope(es_url, index_settings, tmp_path):
    keys = keys_command(es_url, index_settings.index.name, tmp_path)

    r = keys("add", "--name", "partner", "--scope-lang", "en,DE", "--scope-source", "reuters.com,apnews.com",
             "--scope-country", "UA")
    assert r.returncode == 0, r.stderr
    assert "reads only lang=en,de; source=reuters.com,apnews.com; country=UA" in r.stderr
    assert "its scope holds nobody back" in r.stderr            # reading needs no key on this configuration
    r = keys("list")
    assert "\tscope lang=en,de; source=reuters.com,apnews.com; country=UA" in r.stdout, r.stdout
    listed = json.loads(keys("list", "--json").stdout)
    assert listed[0]["scope"] == {"lang": ["en", "de"], "source": ["reuters.com", "apnews.com"], "country": ["UA"]}
    for args, words in ((("--scope-lang", "english"), "--scope-lang: 'english' is not an ISO 639"),
                        (("--scope-country", "Atlantis"), "--scope-country: 'Atlantis' is no country"),
                        (("--scope-source", ","), "--scope-source"),
                        (("--admin", "--scope-lang", "en"), "--admin"),
                        (("--no-scope",), "--no-scope is for a key made in place"),
                        (("--replace", "--no-scope", "--scope-lang", "en"), "one or the other")):
        r = keys("add", "--name", "svc-bad", *args)
        assert r.returncode == 2 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    # --replace without scope options keeps the scope; --no-scope drops it
    assert keys("add", "--name", "partner", "--replace").returncode == 0
    assert json.loads(keys("list", "--json").stdout)[0]["scope"]["country"] == ["UA"]
    assert keys("add", "--name", "partner", "--replace", "--no-scope").returncode == 0
    assert json.loads(keys("list", "--json").stdout)[0]["scope"] is None


@pytest.mark.es
def test_a_scope_sees_its_own_stories(index_client, index_settings, storage, monkeypatch):
    """Near duplicates across a scope's edge (pipeline.stories): a story whose original is outside has its first
    member inside as the scope's original; copies are counted inside; no mark names an id outside; sort=copies
    orders by the scope's counts; ``originals`` keeps each story of the scope once."""
    monkeypatch.delenv("NEWSETL_API_KEY", raising=False)
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    en_r, de_a, en_a = ("en", SITES[0], PLACES[0]), ("de", SITES[1], PLACES[1]), ("en", SITES[1], PLACES[0])
    ru_t, fr_l = ("ru", SITES[2], PLACES[2]), ("fr", SITES[3], PLACES[2])
    plan = {   # name: (where, published on 2024-05-…, story)
        "c_orig": (ru_t, "16T07", "c"), "c1": (en_r, "17T08", "c"), "c2": (de_a, "17T11", "c"), "c3": (fr_l, "17T12", "c"),
        "d_orig": (en_r, "15T09", "d"), "d1": (de_a, "16T10", "d"), "d2": (en_a, "16T11", "d"), "d3": (ru_t, "16T12", "d"),
        "e_orig": (en_r, "14T09", "e"), **{f"e{i}": (fr_l, f"15T0{i}", "e") for i in range(1, 5)},
        "s1": (en_r, "18T09", None), "s2": (de_a, "18T10", None), "s3": (ru_t, "18T11", None)}
    docs = {}
    for n, (name, ((lang, site, place), when, story)) in enumerate(plan.items()):
        docs[name] = _doc(300 + n, lang, site, place, f"2024-05-{when}:00:00+00:00",
                          "Cora Copy" if story == "c" else "Sam Single", _text(f"wire-{story}" if story else name),
                          f"Story {name}")
    assert bulk_load(index_client, list(docs.values()), index_settings, storage=storage,
                     run_id="stories").created == len(docs)
    index_client.indices.refresh(index=index_settings.index.read_alias)
    doc_id = {name: d["id"] for name, d in docs.items()}
    name_of = {v: k for k, v in doc_id.items()}
    inside = {name for name, d in docs.items() if _in_scope(d)}
    assert inside == {"c1", "c2", "d_orig", "d1", "d2", "e_orig", "s1", "s2"}          # the plan's shape
    settings = with_search(index_settings, api_require_key=True)
    scoped, _ = add_key(index_client, settings, "partner", scope=SCOPE)
    whole, _ = add_key(index_client, settings, "svc-all")

    with served(create_app(settings, admin_keys=[])) as base:
        def get(key, path="/search", **params):
            r = httpx.get(f"{base}{path}", headers={"X-API-Key": key}, params=params)
            assert r.status_code == 200, r.text
            return r.json()

        def hits(key, **params):
            out, after = [], None
            while True:
                page = get(key, size=3, **params, **({"after": after} if after else {}))
                out += page["hits"]
                if not (after := page["next"]):
                    return out

        # index-wide, as the loader marked them
        every = {name_of[h["id"]]: h for h in hits(whole)}
        assert every["c2"]["duplicate_of"] == doc_id["c_orig"] and every["c_orig"]["copies"] == 3
        assert every["d_orig"]["copies"] == 3 and every["e_orig"]["copies"] == 4
        assert {name_of[h["id"]] for h in hits(whole, originals="true")} == {"c_orig", "d_orig", "e_orig", "s1",
                                                                            "s2", "s3"}
        # the scope's: its first member of c is its original; copies counted inside; nothing names an id outside
        seen = {name_of[h["id"]]: h for h in hits(scoped)}
        assert set(seen) == inside
        assert "duplicate_of" not in seen["c1"] and seen["c1"]["copies"] == 1
        assert seen["c2"]["duplicate_of"] == doc_id["c1"] and "copies" not in seen["c2"]
        assert seen["d_orig"]["copies"] == 2 and seen["d1"]["duplicate_of"] == doc_id["d_orig"]
        assert "copies" not in seen["e_orig"] and "duplicate_of" not in seen["e_orig"]
        assert all(h.get("duplicate_of") in (None, *(doc_id[n] for n in inside)) for h in seen.values())
        # originals: each story of the scope once, the one whose original is outside too
        assert {name_of[h["id"]] for h in hits(scoped, originals="true")} == {"c1", "d_orig", "e_orig", "s1", "s2"}
        assert get(scoped, originals="true")["total"] == 5
        # sort=copies: by the scope's counts (d 2, c 1), then by date; index-wide e 4, d 3, c 3
        order = [name_of[h["id"]] for h in hits(scoped, sort="copies", originals="true")]
        assert order == ["d_orig", "c1", "s2", "s1", "e_orig"]
        wide = [name_of[h["id"]] for h in hits(whole, sort="copies", originals="true")]
        assert wide[:3] == ["e_orig", "c_orig", "d_orig"]
        # the stories facet: the scope's originals with their copies among the hits
        stories = get(scoped, facets="true", size=0)["facets"]["stories"]
        assert [(name_of[s["key"]], s["count"], s["title"]) for s in stories] == [
            ("d_orig", 2, "Story d_orig"), ("c1", 1, "Story c1")]
        only_c2 = get(scoped, facets="true", size=0, lang="de")["facets"]["stories"]
        assert [(name_of[s["key"]], s["count"]) for s in only_c2] == [("c1", 1), ("d_orig", 1)]
        assert [(name_of[s["key"]], s["count"]) for s in get(whole, facets="true", size=0)["facets"]["stories"]] \
            == [("e_orig", 4), ("c_orig", 3), ("d_orig", 3)]
        # /documents: the same marks
        assert get(scoped, f"/documents/{doc_id['c2']}")["duplicate_of"] == doc_id["c1"]
        one = get(scoped, f"/documents/{doc_id['c1']}")
        assert "duplicate_of" not in one and one["copies"] == 1
        assert get(scoped, f"/documents/{doc_id['d_orig']}")["copies"] == 2
        assert get(whole, f"/documents/{doc_id['d_orig']}")["copies"] == 3
        assert "copies" not in get(scoped, f"/documents/{doc_id['e_orig']}")
        assert get(whole, f"/documents/{doc_id['c2']}")["duplicate_of"] == doc_id["c_orig"]
        # /suggest and /trends with originals: the story whose original is outside counts once, not never
        cora = get(scoped, "/suggest", q="cora", field="person", originals="true")["suggestions"]
        assert cora == [{"value": "Cora Copy", "count": 1}]
        assert get(whole, "/suggest", q="cora", field="person", originals="true")["suggestions"][0]["count"] == 1
        trend = {"field": "person", "at": "2024-05-19T00:00:00Z", "window": "3d", "baseline": "7d", "min_count": 1,
                 "originals": "true"}
        assert "Cora Copy" in [t["key"] for t in get(scoped, "/trends", **trend)["trends"]]

        # a load changes the scope's stories at once: those kept for originals and sort=copies are worked out again
        c0 = _doc(399, "en", SITES[0], PLACES[0], "2024-05-16T09:00:00+00:00", "Cora Copy", _text("wire-c"), "c0")
        assert bulk_load(index_client, [c0], index_settings, storage=storage, run_id="stories-2").created == 1
        index_client.indices.refresh(index=index_settings.index.read_alias)
        name_of[c0["id"]] = "c0"
        assert {name_of[h["id"]] for h in hits(scoped, originals="true")} == {"c0", "d_orig", "e_orig", "s1", "s2"}
        assert [name_of[h["id"]] for h in hits(scoped, sort="copies", originals="true")][:2] == ["c0", "d_orig"]
        assert get(whole, f"/documents/{c0['id']}")["duplicate_of"] == doc_id["c_orig"]
