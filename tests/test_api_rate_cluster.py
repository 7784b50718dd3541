"""The rate limit kept in the cluster (``index.search.api_rate_store: elasticsearch``, pipeline.api.ClusterRateLimit)
over a real Elasticsearch node: two servers (two apps under uvicorn) share one bucket per client, so a client gets
``burst`` requests in all, not ``burst`` each; concurrent checks from many threads never spend more than the bucket
holds; bucket ids are salted hashes; idle buckets are swept; a cluster that cannot be reached refuses with 503, never
lets a request through uncounted; and the setting is validated."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from pipeline.api import ClusterRateLimit, RateStoreError, create_app, rate_limit_for
from tests.netutil import free_port
from tests.plugins.api import with_search
from tests.test_api import served

REPO = Path(__file__).resolve().parents[1]


def _cluster(settings, **search):
    return with_search(settings, api_rate_store="elasticsearch", **search)


@pytest.mark.es
def test_two_stores_share_the_buckets_in_the_cluster(index_client, index_settings):
    """The arithmetic of RateLimit, one bucket for two servers; ids salted, nothing in clear; a clock that lags
    refills nothing; the index made again when deleted; the sweep deletes idle buckets only."""
    index = index_settings.index.rate_limit_index_name
    now = [1_000_000.0]
    one = ClusterRateLimit(lambda: index_client, index, per_minute=60, burst=3, clock=lambda: now[0])
    two = ClusterRateLimit(lambda: index_client, index, per_minute=60, burst=3, clock=lambda: now[0])
    assert [one.take("10.1.2.3"), two.take("10.1.2.3"), one.take("10.1.2.3")] == [0, 0, 0]     # one burst for both
    assert two.take("10.1.2.3") == pytest.approx(1.0) and one.take("10.1.2.3") == pytest.approx(1.0)
    assert two.take("key:svc-a") == 0                                      # each client its own bucket
    now[0] += 0.5
    assert one.take("10.1.2.3") == pytest.approx(0.5)
    now[0] += 0.5
    assert two.take("10.1.2.3") == 0 and one.take("10.1.2.3") == pytest.approx(1.0)

    # 1 shard, 0-1 replicas, as the other small indexes; the salt is one, and the ids are salted hashes
    got = index_client.indices.get_settings(index=index)[index]["settings"]["index"]
    assert (got["number_of_shards"], got["auto_expand_replicas"]) == ("1", "0-1")
    salt = index_client.get(index=index, id=ClusterRateLimit.SALT_ID)["_source"]["salt"]
    assert one.salt(index_client) == two.salt(index_client) == salt and len(salt) == 32
    index_client.indices.refresh(index=index)
    docs = {h["_id"]: h["_source"] for h in index_client.search(index=index, size=10)["hits"]["hits"]}
    ip_id = hashlib.sha256(f"{salt}\n10.1.2.3".encode()).hexdigest()
    assert set(docs) == {ClusterRateLimit.SALT_ID, ip_id, hashlib.sha256(f"{salt}\nkey:svc-a".encode()).hexdigest()}
    assert "10.1.2.3" not in json.dumps(docs) and "svc-a" not in json.dumps(docs)
    assert docs[ip_id]["tokens"] == pytest.approx(0.0)

    # a server whose clock is 30 s behind refills nothing, and does not move the bucket's time back
    behind = ClusterRateLimit(lambda: index_client, index, per_minute=60, burst=3, clock=lambda: now[0] - 30)
    assert behind.take("10.1.2.3") == pytest.approx(1.0)
    now[0] += 1
    assert one.take("10.1.2.3") == 0 and one.take("10.1.2.3") == pytest.approx(1.0)

    # idle for the refill time (3 s here): swept; the bucket spent a moment ago and the salt stay
    now[0] += 2
    assert two.take("10.9.9.9") == 0
    now[0] += 2.5                      # svc-a idle 6.5 s, 10.1.2.3 idle 4.5 s (full again), 10.9.9.9 idle 2.5 s
    assert one.sweep() == 2
    index_client.indices.refresh(index=index)
    left = {h["_id"] for h in index_client.search(index=index, size=10)["hits"]["hits"]}
    assert left == {ClusterRateLimit.SALT_ID, hashlib.sha256(f"{salt}\n10.9.9.9".encode()).hexdigest()}
    assert [one.take("10.1.2.3") for _ in range(4)][3] == pytest.approx(1.0)      # a full bucket: burst again

    # the index deleted under running servers: made again with the salt they know, the buckets full again
    index_client.indices.delete(index=index)
    assert [one.take("c"), two.take("c"), one.take("c"), two.take("c")] == [0, 0, 0, pytest.approx(1.0)]
    assert index_client.get(index=index, id=ClusterRateLimit.SALT_ID)["_source"]["salt"] == salt
    fresh = ClusterRateLimit(lambda: index_client, index, per_minute=60, burst=3, clock=lambda: now[0])
    assert fresh.take("c") == pytest.approx(1.0)              # a server started afterwards: the same bucket


def spend_until_refused(stores: list, client: str, threads: int) -> tuple[list[int], list[float], int]:
    """``threads`` threads, the i-th on ``stores[i % len(stores)]``, each taking for ``client`` until refused: what
    each was granted, each refusal's wait, and how many takes the store refused as busy (conflicts outlasting its
    retries, which spend nothing and are asked again)."""
    granted, refused, busy = [], [], []

    def client_thread(store):
        mine = 0
        while True:
            try:
                wait = store.take(client)
            except RateStoreError as e:
                assert e.busy, e
                busy.append(1)
                continue
            if wait:
                refused.append(wait)
                break
            mine += 1
        granted.append(mine)

    workers = [threading.Thread(target=client_thread, args=(stores[i % len(stores)],)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=180)
    assert not any(w.is_alive() for w in workers)
    return granted, refused, len(busy)


@pytest.mark.es
def test_concurrent_takes_never_overspend(index_client, index_settings):
    """Eight threads, each its own store (eight servers), each asking until refused: exactly ``burst`` checks
    succeed in all, whatever the conflicts (nothing refills: 1 a minute)."""
    index = index_settings.index.rate_limit_index_name
    burst, threads = 40, 8
    stores = [ClusterRateLimit(lambda: index_client, index, per_minute=1, burst=burst) for _ in range(threads)]
    granted, refused, busy = spend_until_refused(stores, "203.0.113.7", threads)
    assert sum(granted) == burst, (granted, busy)
    assert len(refused) == threads and all(55 <= r <= 60 for r in refused)


@pytest.mark.es
def test_two_servers_give_a_client_its_burst_in_all(api_loaded, index_settings):
    """Two API servers (two apps under uvicorn, as two hosts behind a load balancer) on one cluster: a client that
    goes to both in turn gets ``burst`` answers in all, then 429 with Retry-After from either; a key's bucket is its
    own, shared by both servers too."""
    burst = 5
    settings = _cluster(index_settings, api_rate_per_minute=1, api_burst=burst)
    with served(create_app(settings, api_key="")) as a, served(create_app(settings, api_key="")) as b:
        answers = [httpx.get(f"{base}/search", params={"q": "council"}, timeout=30)
                   for base in [a, b] * (burst + 2)]
        assert [r.status_code for r in answers] == [200] * burst + [429] * (len(answers) - burst), \
            [r.text for r in answers]
        assert answers[0].json()["total"] == 6
        for r in answers[burst:]:
            retry = r.headers["retry-after"]
            assert 1 <= int(retry) <= 60
            assert r.json()["error"] == (f"too many requests from 127.0.0.1: {burst} at once, then 1 a minute "
                                         f"(index.search.api_rate_per_minute, api_burst); retry in {retry} s")
        assert httpx.get(f"{a}/health", timeout=30).status_code == 200         # never limited
    with served(create_app(settings, api_key="k1")) as a, served(create_app(settings, api_key="k1")) as b:
        keyed = [httpx.get(f"{base}/search", headers={"X-API-Key": "k1"}, timeout=30).status_code
                 for base in [b, a] * 4]
        assert keyed == [200] * burst + [429] * 3          # the key's bucket (key:default), not the address's


@pytest.mark.es
def test_the_store_is_made_lazily_and_the_app_picks_it(index_client, index_settings, tmp_path):
    """The store the setting names: the cluster's, made on the first check (not when the app is built); the
    others as before (memory for one worker, SQLite with a directory)."""
    from pipeline.api import RateLimit, SharedRateLimit

    limited = with_search(index_settings, api_rate_per_minute=60)
    assert type(rate_limit_for(limited, lambda: index_client)) is RateLimit
    assert type(rate_limit_for(limited, lambda: index_client, rate_limit_dir=str(tmp_path))) is SharedRateLimit
    with pytest.raises(RateStoreError, match="api_rate_store is sqlite but no directory"):
        rate_limit_for(with_search(limited, api_rate_store="sqlite"), lambda: index_client)
    cluster = rate_limit_for(_cluster(limited), lambda: index_client, rate_limit_dir=str(tmp_path / "unused"))
    assert type(cluster) is ClusterRateLimit and cluster.index == index_settings.index.rate_limit_index_name
    assert not index_client.indices.exists(index=cluster.index) and not (tmp_path / "unused").exists()
    assert cluster.take("x") == 0 and index_client.indices.exists(index=cluster.index)


def test_a_cluster_that_cannot_be_reached_refuses_with_503_not_a_free_pass(tmp_path):
    """The cluster store away (a URL nothing listens on): every limited request is refused with 503 and
    Retry-After, one line naming the rate-limit index and the cluster, even a route that needs no cluster (404
    otherwise); /health is not limited and says the cluster is away."""
    from pipeline.settings import load_settings

    url = f"http://127.0.0.1:{free_port()}"
    settings = load_settings(overrides={"elasticsearch": {"url": url, "request_timeout": 2},
                                        "storage": {"root": str(tmp_path)},
                                        "index": {"search": {"api_rate_per_minute": 6, "api_burst": 2,
                                                             "api_rate_store": "elasticsearch"}}})
    with served(create_app(settings, api_key="")) as base:
        for _ in range(3):
            r = httpx.get(f"{base}/nothing-here", timeout=30)
            assert r.status_code == 503 and r.headers["retry-after"] == "1", r.text
            error = r.json()["error"]
            assert error.startswith("the rate limit's store, the index news-ratelimit, cannot count this request, "
                                    "so it was refused: Elasticsearch at " + url) and "unreachable" in error
            assert "\n" not in error
        assert httpx.get(f"{base}/health", timeout=30).json()["status"] == "unavailable"


def test_the_setting_is_validated_and_serve_refuses_what_cannot_hold(tmp_path):
    """An unknown store is a config error naming the three; `newsetl serve` refuses memory with several workers
    (each would count on its own) and --rate-limit-dir with a store that keeps no file: exit 2, one line."""
    from pipeline.settings import ConfigError, load_settings

    with pytest.raises(ConfigError) as e:
        load_settings(overrides={"index": {"search": {"api_rate_store": "redis"}}})
    assert "index.search.api_rate_store: 'redis' is not a rate-limit store: use memory (one worker), sqlite" in \
        e.value.one_line()
    assert load_settings(overrides={"index": {"search": {"api_rate_store": " Elasticsearch"}}}).index.search \
        .api_rate_store == "elasticsearch"
    with pytest.raises(ConfigError, match="api_keys_index and rate_limit_index are both"):
        load_settings(overrides={"index": {"rate_limit_index": "news-apikeys"}})

    from tests.test_api import _env_without_tls

    for store, args, words in (
            ("memory", ["--workers", "2"], "--workers 2 with index.search.api_rate_store memory: each worker would "
                                           "count on its own"),
            ("elasticsearch", ["--rate-limit-dir", str(tmp_path / "rate")],
             f"--rate-limit-dir {tmp_path / 'rate'}: index.search.api_rate_store is elasticsearch, which keeps no "
             f"file")):
        cfg = tmp_path / f"{store}.yaml"
        cfg.write_text(json.dumps({"index": {"search": {"api_rate_per_minute": 60, "api_rate_store": store}}}))
        r = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port",
                            str(free_port()), *args], cwd=REPO, env=_env_without_tls(), capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 2, r.stderr
        assert r.stderr.startswith("newsetl serve: error: ") and r.stderr.count("\n") == 1, r.stderr
        assert words in r.stderr, r.stderr
