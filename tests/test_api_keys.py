"""API keys stored in the cluster (pipeline.apikeys, `newsetl keys`, GET/POST/DELETE /keys) over a real
Elasticsearch node and the API under uvicorn: a key made while the server runs works at once, revoked it stops (on
this server at once, on another within api_keys_refresh_seconds), it expires, it has its own rate-limit bucket and
its feed tokens; only its digest is stored; admin keys are made by the command only."""
from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from pipeline.api import create_app
from pipeline.apikeys import (KeyStoreError, StoredKeys, add_key, key_digest, list_keys, parse_expiry, parse_span,
                              revoke_key)
from pipeline.feed import feed_token, watch_feed_path
from tests.plugins.api import keys_command, with_search
from tests.test_api import served


def test_expiry_spans_dates_and_refusals():
    now = dt.datetime(2026, 11, 29, 12, tzinfo=dt.timezone.utc)
    assert parse_expiry("90d", now) == now + dt.timedelta(days=90)
    assert parse_expiry("12h", now) == now + dt.timedelta(hours=12)
    assert parse_expiry("2w", now) == now + dt.timedelta(days=14)
    assert parse_expiry("2027-01-31", now) == dt.datetime(2027, 2, 1, tzinfo=dt.timezone.utc)   # through that day
    assert parse_expiry("2027-01-31T08:00:00+01:00", now) == dt.datetime(2027, 1, 31, 7, tzinfo=dt.timezone.utc)
    assert parse_expiry(None, now) is None
    for bad, words in (("soon", "neither a span"), ("2026-11-01", "already past"), ("0d", "already past")):
        with pytest.raises(KeyStoreError, match=words):
            parse_expiry(bad, now)


@pytest.mark.es
def test_stored_keys_keep_only_a_digest_and_refuse_what_cannot_be(index_client, index_settings):
    key, doc = add_key(index_client, index_settings, "svc-a", note="the dashboard", reserved=["default"])
    assert key.startswith("nk_") and len(key) == 46 and doc["hint"] == key[:8]
    raw = index_client.get(index=index_settings.index.api_keys_index_name, id="svc-a")["_source"]
    assert raw["digest"] == key_digest(key) and key not in json.dumps(raw)       # the key itself is nowhere
    assert "digest" not in doc and all("digest" not in k for k in list_keys(index_client, index_settings))
    with pytest.raises(KeyStoreError, match="exists") as e:
        add_key(index_client, index_settings, "svc-a")
    assert e.value.status == 409
    with pytest.raises(KeyStoreError, match="environment") as e:
        add_key(index_client, index_settings, "default", reserved=["default"])
    assert e.value.status == 409
    for name in ("admin:1", "", "-x", "a b"):
        with pytest.raises(KeyStoreError, match="letters, digits"):
            add_key(index_client, index_settings, name)
    with pytest.raises(KeyStoreError, match="role"):
        add_key(index_client, index_settings, "svc-b", role="owner")
    again, _ = add_key(index_client, index_settings, "svc-a", replace=True)
    assert again != key
    assert index_client.get(index=index_settings.index.api_keys_index_name, id="svc-a")["_source"]["digest"] == \
        key_digest(again)
    assert revoke_key(index_client, index_settings, "svc-a")["name"] == "svc-a"
    with pytest.raises(KeyStoreError, match="no stored key") as e:
        revoke_key(index_client, index_settings, "svc-a")
    assert e.value.status == 404


@pytest.mark.es
def test_a_rotation_with_grace_keeps_the_old_key_working_until_then(index_client, index_settings):
    """`keys add --replace --grace 24h`: the new key works at once, the old one beside it until the grace ends
    (never past its own expiry), under the same name; its uses are its own (last_used_at); revoking the name
    takes both; a rotation without grace stops the old one at once."""
    old, _ = add_key(index_client, index_settings, "svc-r", expires=parse_expiry("30d"))
    new, doc = add_key(index_client, index_settings, "svc-r", replace=True, grace=parse_span("24h"))
    keys = StoredKeys(lambda: index_client, index_settings)
    assert (keys.lookup(old).name, keys.lookup(new).name) == ("svc-r", "svc-r")
    retiring = keys.lookup(old)
    left = retiring.expires_at - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(hours=23) < left <= dt.timedelta(hours=24) and not retiring.expired()
    assert keys.lookup(new).expires_at is None and doc["retiring"] is None
    listed = list_keys(index_client, index_settings)
    assert [(k["name"], k["hint"], bool(k["retiring"])) for k in listed] == [("svc-r", new[:8], False),
                                                                             ("svc-r", old[:8], True)]
    keys.reload()                                   # the old key's use is written on its own document
    index_client.indices.refresh(index=index_settings.index.api_keys_index_name)
    by_hint = {k["hint"]: k for k in list_keys(index_client, index_settings)}
    assert by_hint[old[:8]]["last_used_at"] and by_hint[new[:8]]["last_used_at"]

    # a grace longer than the old key's own expiry ends with it
    add_key(index_client, index_settings, "svc-s", expires=parse_expiry("2h"))
    short = add_key(index_client, index_settings, "svc-s", replace=True, grace=parse_span("2w"))[0]
    got = {k["hint"]: k for k in list_keys(index_client, index_settings) if k["name"] == "svc-s"}
    assert len(got) == 2 and got[short[:8]]["expires_at"] is None
    end = dt.datetime.fromisoformat(next(k for k in got.values() if k["retiring"])["expires_at"].replace("Z", "+00:00"))
    assert end - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(hours=2)
    with pytest.raises(KeyStoreError, match="replace"):
        add_key(index_client, index_settings, "svc-t", grace=parse_span("1d"))
    with pytest.raises(KeyStoreError, match="not a span"):
        parse_span("tomorrow")

    # without grace the old key stops at once; revoking the name takes the retiring key too
    third, _ = add_key(index_client, index_settings, "svc-r", replace=True)
    keys.reload()
    assert keys.lookup(new) is None and keys.lookup(old).name == "svc-r" and keys.lookup(third).name == "svc-r"
    revoke_key(index_client, index_settings, "svc-r")
    keys.reload()
    assert keys.lookup(old) is None and keys.lookup(third) is None
    assert [k["name"] for k in list_keys(index_client, index_settings)] == ["svc-s", "svc-s"]


@pytest.mark.es
def test_a_key_made_while_the_server_runs_reads_at_once_and_stops_when_revoked(api_loaded, index_client, index_settings,
                                                                              monkeypatch):
    """Reading needs a key (api_require_key, none in the environment); a key made by the command works on the
    running server at once (it does not know it: it reads the index), revoked on another server it stops within
    the refresh; an expired key is refused saying so; a stored key's feed token opens its feed alone."""
    monkeypatch.delenv("NEWSETL_API_KEY", raising=False)
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    now = [1000.0]
    settings = with_search(index_settings, api_require_key=True, api_keys_refresh_seconds=30)
    app = create_app(settings)
    with served(app) as base:
        def get(k, path="/search", **params):
            return httpx.get(f"{base}{path}", headers={"X-API-Key": k} if k else {}, params=params)

        assert get(None).status_code == 401
        key, _ = add_key(index_client, settings, "svc-a")
        old, _ = add_key(index_client, settings, "svc-old")
        index_client.update(index=settings.index.api_keys_index_name, id="svc-old", refresh=True,
                            doc={"expires_at": "2020-01-01T00:00:00Z"})
        # the server read the index when it started: a key it does not know makes it read it again at once
        assert get(key).status_code == 200
        assert get(key).json()["total"] == len(api_loaded)
        # expired: refused, and the answer says so
        r = get(old)
        assert r.status_code == 401 and "the key svc-old expired on 2020-01-01" in r.json()["error"], r.text
        assert get("nk_" + "x" * 43).status_code == 401

        # a feed's token under a stored key opens that feed, not another
        storms = feed_token(key, watch_feed_path("storms"))
        r = httpx.get(f"{base}{watch_feed_path('storms')}", params={"token": storms})
        assert r.status_code == 404 and "storms" in r.text       # let in: there is no such watch
        r = httpx.get(f"{base}{watch_feed_path('calm')}", params={"token": storms})
        assert r.status_code == 401

        # revoked through another server's door (the command): this one, which read the index a moment ago,
        # still takes the key until its refresh comes round; a stored key's bucket is by its name
        revoke_key(index_client, settings, "svc-a")
    other = StoredKeys(lambda: index_client, settings, refresh_seconds=30, clock=lambda: now[0])
    back, _ = add_key(index_client, settings, "svc-b")
    assert other.lookup(back).name == "svc-b"
    other.reload()                                      # a reading writes the last uses noted since the one before
    assert index_client.get(index=settings.index.api_keys_index_name, id="svc-b")["_source"]["last_used_at"]
    revoke_key(index_client, settings, "svc-b")
    now[0] += 29
    assert other.lookup(back) is not None              # not read again yet
    now[0] += 1
    assert other.lookup(back) is None                  # read again: gone
    assert other.lookup(key) is None


@pytest.mark.es
def test_keys_through_the_api_need_an_admin_and_make_only_readers(api_loaded, index_client, index_settings,
                                                                  monkeypatch):
    monkeypatch.delenv("NEWSETL_API_KEYS", raising=False)
    monkeypatch.setenv("NEWSETL_API_KEY", "env-reader")
    settings = with_search(index_settings, api_rate_per_minute=60, api_burst=10)
    now = [0.0]             # the rate limit's and the stored keys' clock
    with served(create_app(settings, admin_keys=[], clock=lambda: now[0])) as base:
        r = httpx.get(f"{base}/keys", headers={"X-API-Key": "env-reader"})
        assert r.status_code == 403 and "newsetl keys add --admin" in r.json()["error"]     # no admin anywhere

        admin, _ = add_key(index_client, settings, "ops", role="admin")      # made by the command only
        now[0] += 2         # the index is read again at most every 2 s while it holds no admin key
        h = {"Authorization": f"Bearer {admin}"}
        assert httpx.get(f"{base}/keys").status_code == 401
        r = httpx.get(f"{base}/keys", headers={"X-API-Key": "env-reader"})
        assert r.status_code == 403 and "this key only reads" in r.json()["error"]
        r = httpx.post(f"{base}/keys/svc-c", headers=h, json={"expires": "30d", "note": "billing"})
        assert r.status_code == 201, r.text
        made = r.json()
        assert made["role"] == "read" and made["note"] == "billing" and made["key"].startswith("nk_")
        assert made["created_by"] == "api:ops"             # the admin key that made it
        assert made["expires_at"] > dt.datetime.now(dt.timezone.utc).isoformat()[:10]
        r = httpx.post(f"{base}/keys/svc-c", headers=h)
        assert r.status_code == 409
        assert httpx.post(f"{base}/keys/default", headers=h).status_code == 409       # the environment's name
        r = httpx.post(f"{base}/keys/svc-d", headers=h, json={"expires": "whenever"})
        assert r.status_code == 422 and "expires" in r.json()["error"]
        r = httpx.post(f"{base}/keys/svc-d", headers=h, json={"role": "admin"})
        assert r.status_code == 422                      # no admin keys through the API
        svc = {"X-API-Key": made["key"]}
        assert httpx.get(f"{base}/search", headers=svc).status_code == 200
        r = httpx.post(f"{base}/keys/svc-e", headers=svc)
        assert r.status_code == 403 and "this key only reads" in r.json()["error"]

        now[0] += 60        # every bucket full again
        listed = httpx.get(f"{base}/keys", headers=h).json()
        assert listed["reading_needs_a_key"] is True
        by = {k["name"]: k for k in listed["keys"]}
        assert (by["svc-c"]["origin"], by["ops"]["role"], by["default"]["origin"]) == ("stored", "admin",
                                                                                       "environment")
        assert made["key"] not in json.dumps(listed) and "digest" not in json.dumps(listed)

        # its own rate-limit bucket: svc-c spends its burst, the environment's key from the same address still reads
        codes = [httpx.get(f"{base}/search", headers=svc).status_code for _ in range(11)]
        assert codes == [200] * 10 + [429], codes
        assert httpx.get(f"{base}/search", headers={"X-API-Key": "env-reader"}).status_code == 200

        # rotated with a grace period: the new key and the old one both read, at once
        now[0] += 60
        r = httpx.post(f"{base}/keys/svc-c", headers=h, params={"replace": "true", "grace": "1d"})
        assert r.status_code == 201, r.text
        rotated = {"X-API-Key": r.json()["key"]}
        assert [httpx.get(f"{base}/search", headers=k).status_code for k in (rotated, svc)] == [200, 200]
        r = httpx.post(f"{base}/keys/svc-c", headers=h, params={"replace": "true", "grace": "soon"})
        assert r.status_code == 422 and "not a span" in r.json()["error"]

        r = httpx.delete(f"{base}/keys/svc-c", headers=h)
        assert r.status_code == 200 and r.json()["revoked"]["name"] == "svc-c"
        assert httpx.get(f"{base}/search", headers=svc).status_code == 401        # at once, on this server
        assert httpx.get(f"{base}/search", headers=rotated).status_code == 401
        assert httpx.delete(f"{base}/keys/svc-c", headers=h).status_code == 404
        assert httpx.delete(f"{base}/keys/default", headers=h).status_code == 409


@pytest.mark.es
def test_newsetl_keys_add_list_revoke(es_url, index_settings, tmp_path):
    """The command: the key alone on standard output (a script captures it), listed without it, rotated with a
    grace period, revoked; exit 2 with one line for a taken name, a bad expiry, a grace without --replace."""
    keys = keys_command(es_url, index_settings.index.name, tmp_path)

    r = keys("add", "--name", "svc-x", "--expires", "90d", "--note", "the wall screen")
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip()
    assert key.startswith("nk_") and "\n" not in key and "accepted, not required" in r.stderr
    r = keys("add", "--name", "svc-x")
    assert r.returncode == 2 and "exists" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = keys("add", "--name", "svc-y", "--expires", "someday")
    assert r.returncode == 2 and "--expires" in r.stderr
    r = keys("list", "--json")
    assert r.returncode == 0
    listed = json.loads(r.stdout)
    assert [(k["name"], k["note"], k["expired"]) for k in listed] == [("svc-x", "the wall screen", False)]
    assert key not in r.stdout
    r = keys("list")
    assert "svc-x\tread\t" + key[:8] in r.stdout and "never used" in r.stdout
    r = keys("add", "--name", "svc-y", "--grace", "1d")
    assert r.returncode == 2 and "add --replace" in r.stderr
    r = keys("add", "--name", "svc-x", "--replace", "--grace", "1d")
    assert r.returncode == 0 and "the key it replaces works 1d more" in r.stderr, r.stderr
    rotated = r.stdout.strip()
    r = keys("list")
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("svc-x\t")]
    assert len(lines) == 2 and rotated[:8] in lines[0] and key[:8] in lines[1] and "replaced, works until" in lines[1]
    r = keys("revoke", "--name", "svc-x")
    assert r.returncode == 0 and "revoked" in r.stdout
    r = keys("revoke", "--name", "svc-x")
    assert r.returncode == 2 and "no stored key" in r.stderr
