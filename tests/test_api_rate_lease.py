"""The lease of the rate limit kept in the cluster (``index.search.api_rate_lease``, pipeline.api.ClusterRateLimit):
a server takes several tokens of a busy client's bucket in one write and spends them itself. Over a real
Elasticsearch node and the API under uvicorn: the writes are fewer (counted from the bucket document's version),
a client still gets ``burst`` requests in all from two servers and from many threads, never one more; an expired
lease is not spent from and its rest goes back to the bucket; a lease of 1 is the exact check; the setting is
validated."""
from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from pipeline.api import ClusterRateLimit, create_app, rate_limit_for
from tests.plugins.api import with_search
from tests.test_api import served
from tests.test_api_rate_cluster import spend_until_refused


def _store(index_client, index_settings, clock=None, **kw) -> ClusterRateLimit:
    """A store of the test index's rate limit: no refill worth counting (1 a minute) unless told."""
    kw = {"per_minute": 1, "burst": 40, **kw}
    if clock is not None:
        kw["clock"] = clock
    return ClusterRateLimit(lambda: index_client, index_settings.index.rate_limit_index_name, **kw)


def _bucket(index_client, store: ClusterRateLimit, client: str) -> dict:
    """The bucket document of ``client`` (a realtime get): its ``_version`` counts the writes to it."""
    return index_client.get(index=store.index, id=store.bucket_id(index_client, client))


def _drain(store: ClusterRateLimit, client: str, most: int = 1000) -> tuple[int, float]:
    """Take until refused: the tokens granted and the wait of the refusal."""
    for granted in range(most):
        wait = store.take(client)
        if wait:
            return granted, wait
    raise AssertionError(f"{most} granted")


@pytest.mark.es
def test_a_lease_spends_the_burst_in_fewer_writes(index_client, index_settings):
    """One server, a clock that stands still: lease 1 writes the bucket once a request (40 writes for 40
    requests); lease 8 takes 1, 2, 4, then 8 at a time (never more than a quarter of the burst nor half the tokens
    left) and spends the same 40 in 11 writes. Then refused with the wait of an empty bucket, and no write."""
    now = [1_000_000.0]
    exact = _store(index_client, index_settings, clock=lambda: now[0])
    leased = _store(index_client, index_settings, clock=lambda: now[0], lease=8)
    for store, client, writes in ((exact, "198.51.100.1", 40), (leased, "198.51.100.2", 11)):
        granted, wait = _drain(store, client)
        assert granted == 40 and wait == pytest.approx(60.0)
        got = _bucket(index_client, store, client)
        assert got["_version"] == writes and got["_source"]["tokens"] == pytest.approx(0.0)
        assert store.take(client) == pytest.approx(60.0) and _bucket(index_client, store, client)["_version"] == writes


@pytest.mark.es
def test_an_expired_lease_is_not_spent_and_goes_back_with_the_next_write(index_client, index_settings):
    """A lease older than LEASE_SECONDS is not spent from: the next request writes the bucket again, giving the
    unspent tokens back in that write; so two servers still give the client its 40 in all, not 40 less the lost."""
    now = [1_000_000.0]
    one = _store(index_client, index_settings, clock=lambda: now[0], per_minute=1e-6, lease=8)
    two = _store(index_client, index_settings, clock=lambda: now[0], per_minute=1e-6, lease=8)
    client = "203.0.113.9"
    assert [one.take(client) for _ in range(4)] == [0, 0, 0, 0]       # leases of 1, 2, 4: 3 tokens still held
    got = _bucket(index_client, one, client)
    assert got["_version"] == 3 and got["_source"]["tokens"] == pytest.approx(33.0)
    assert one.take(client) == 0 and _bucket(index_client, one, client)["_version"] == 3      # spent locally

    now[0] += ClusterRateLimit.LEASE_SECONDS                # expired, 2 tokens unspent
    assert two.take(client) == 0                             # another server: the 33 less its own lease of 1
    assert _bucket(index_client, one, client)["_source"]["tokens"] == pytest.approx(32.0)
    assert one.take(client) == 0                             # a write: 2 back, a lease of 2 (halved) taken
    got = _bucket(index_client, one, client)
    assert got["_version"] == 5 and got["_source"]["tokens"] == pytest.approx(32.0)

    total = 7
    while True:                                              # the two in turn until both refuse
        waits = [one.take(client), two.take(client)]
        total += waits.count(0)
        if all(waits):
            break
    assert total == 40 and all(w > 1e6 for w in waits)      # nothing lost, nothing more: 1e-6 a minute refills


@pytest.mark.es
@pytest.mark.parametrize("servers", [1, 2])
def test_threads_spending_leases_never_overspend(index_client, index_settings, servers):
    """Eight threads asking until refused, on one server (one store, its leases shared by the threads) or on two
    (four threads each): exactly ``burst`` granted in all, every refusal waits for an empty bucket's token."""
    burst, threads = 37, 8          # no sum of lease sizes (1, 2, 4, 8, 8, ...) lands on it by chance
    stores = [_store(index_client, index_settings, burst=burst, lease=8) for _ in range(servers)]
    granted, refused, _ = spend_until_refused(stores, "192.0.2.77", threads)
    assert sum(granted) == burst, granted
    assert len(refused) == threads and all(55 <= r <= 60 for r in refused)
    assert _bucket(index_client, stores[0], "192.0.2.77")["_version"] < burst / 2      # leases, not a write each


@pytest.mark.es
@pytest.mark.parametrize("lease", [1, 8])
def test_two_servers_with_leases_give_a_client_its_burst_in_all(api_loaded, index_client, index_settings, lease):
    """Two API servers under uvicorn on one cluster, a client going to both in turn: ``burst`` 200s in all and
    429s with a right Retry-After for the rest, with a lease of 1 (a write each) as with 8 (far fewer writes)."""
    burst, rounds = 20, 26          # 52 requests: a server holding tokens can answer 200 after the other's 429
    settings = with_search(index_settings, api_rate_per_minute=1, api_burst=burst, api_rate_store="elasticsearch",
                           api_rate_lease=lease)
    with served(create_app(settings, api_key="")) as a, served(create_app(settings, api_key="")) as b:
        with httpx.Client(timeout=30) as http:
            answers = [http.get(f"{base}/search", params={"q": "council"}) for base in [a, b] * rounds]
    codes = [r.status_code for r in answers]
    assert codes.count(200) == burst and codes.count(429) == 2 * rounds - burst, codes
    assert codes[-4:] == [429] * 4
    for r in answers:
        if r.status_code == 429:
            retry = r.headers["retry-after"]
            assert 40 <= int(retry) <= 60, retry      # 1 a minute: an empty bucket's token
            assert r.json()["error"].endswith(f"retry in {retry} s")
    index = index_settings.index.rate_limit_index_name
    salt = index_client.get(index=index, id=ClusterRateLimit.SALT_ID)["_source"]["salt"]
    got = index_client.get(index=index, id=hashlib.sha256(f"{salt}\n127.0.0.1".encode()).hexdigest())
    assert got["_source"]["tokens"] < 1
    if lease == 1:
        assert got["_version"] == burst                      # the exact check: one write a granted request
    else:
        assert got["_version"] < burst * 3 // 4, got["_version"]       # 10 when each lease is used in time


@pytest.mark.es
def test_the_setting_reaches_the_store(index_client, index_settings):
    """api_rate_lease is the store's lease (default 8); memory and SQLite have none."""
    limited = with_search(index_settings, api_rate_per_minute=60, api_rate_store="elasticsearch")
    assert rate_limit_for(limited, lambda: index_client).lease == 8
    assert rate_limit_for(with_search(limited, api_rate_lease=1), lambda: index_client).lease == 1
    assert not hasattr(rate_limit_for(with_search(limited, api_rate_store="memory"), lambda: index_client), "lease")


def test_the_lease_setting_is_validated(tmp_path):
    """Not a whole number from 1 to 1000: a config error naming the file, the key and what to write."""
    from pipeline.settings import ConfigError, load_settings

    for bad in (0, 2.5, "many", True, 1001):
        cfg = tmp_path / "newsetl.yaml"
        cfg.write_text(json.dumps({"index": {"search": {"api_rate_store": "elasticsearch", "api_rate_lease": bad}}}))
        with pytest.raises(ConfigError) as e:
            load_settings(cfg)
        line = e.value.one_line()
        assert line.startswith(f"config error in {cfg}: index.search.api_rate_lease: {bad!r} is not a lease: use "
                               f"a whole number of requests from 1 (each request asks the cluster) to 1000"), line
    cfg.write_text(json.dumps({"index": {"search": {"api_rate_lease": 32}}}))
    assert load_settings(cfg).index.search.api_rate_lease == 32
