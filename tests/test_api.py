"""The search API (`newsetl serve`, pipeline.api) served by uvicorn on 127.0.0.1 over a real Elasticsearch node:
the same answers as pipeline.search, cursor paging, a person found across scripts, documents by id, errors as one
line with the right status, the API key, the rate limit (in one process, and shared by the workers of
`newsetl serve --workers 2`), and a cluster that is away."""
from __future__ import annotations

import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from pipeline.api import RATE_DIR_ENV, RateLimit, RateStoreError, SharedRateLimit, create_app
from pipeline.search import search
from tests.netutil import free_port

REPO = Path(__file__).resolve().parents[1]


@contextmanager
def served(app):
    """The app under uvicorn on a free port of 127.0.0.1, in a thread; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.es
def test_search_documents_and_health_over_http(api_loaded, index_client, index_settings):
    with served(create_app(index_settings, api_key="")) as base:
        health = httpx.get(f"{base}/health").json()
        assert (health["status"], health["documents"], health["index"]) == ("ok", 12, index_settings.index.read_alias)

        # the same answer as the library gives (took_ms aside)
        r = httpx.get(f"{base}/search", params={"q": "harbour", "facets": "true", "size": 3})
        assert r.status_code == 200
        direct = search(index_client, index_settings, "harbour", facets=True, size=3)
        got = r.json()
        assert {**got, "took_ms": None, "next": None} == {**direct, "took_ms": None, "next": None}
        assert got["total"] == 6 and got["next"]

        # every document once over the pages of a cursor
        seen, after = [], None
        while True:
            page = httpx.get(f"{base}/search", params={"size": 5, **({"after": after} if after else {})}).json()
            seen += [h["id"] for h in page["hits"]]
            after = page["next"]
            if not after:
                break
        assert sorted(seen) == sorted(d["id"] for d in api_loaded) and len(seen) == len(set(seen))

        # a person in Latin letters finds the Cyrillic spelling too; entity filters combine
        putin = httpx.get(f"{base}/search", params={"entity": "person:Vladimir Putin"}).json()
        assert putin["total"] == 8
        assert any("Владимир Путин" in h["entities"]["person"] for h in putin["hits"])
        both = httpx.get(f"{base}/search", params=[("entity", "person:putin"), ("entity", "person:macron")]).json()
        assert both["total"] == 2
        assert httpx.get(f"{base}/search", params={"lang": "ru", "text": "true"}).json()["hits"][0]["text"]

        # a document by id, without the search aids
        doc = httpx.get(f"{base}/documents/{api_loaded[0]['id']}").json()
        assert doc["url"] == api_loaded[0]["url"] and doc["title"] == api_loaded[0]["title"]
        assert not {"entity_keys", "minhash_bands", "entity_mentions"} & set(doc)
        assert not [k for k in doc if k.startswith(("text_", "title_"))]

        # errors: one line, the right status
        for params, status, words in (({"size": -1}, 400, "size must be between"),
                                      ({"size": "many"}, 400, "size"),
                                      ({"entity": "Putin"}, 400, "use TYPE:NAME"),
                                      ({"sort": "random"}, 400, "sort must be"),
                                      ({"since": "last week"}, 400, "since"),
                                      ({"after": "not-a-cursor"}, 400, "cursor")):
            r = httpx.get(f"{base}/search", params=params)
            assert r.status_code == status and words in r.json()["error"], (params, r.text)
            assert "\n" not in r.json()["error"]
        r = httpx.get(f"{base}/documents/nope")
        assert r.status_code == 404 and "no document with id 'nope'" in r.json()["error"]


@pytest.mark.es
def test_the_api_key_and_a_missing_index(index_settings):
    with served(create_app(index_settings, api_key="s3cret")) as base:
        assert httpx.get(f"{base}/search").status_code == 401
        assert "API key" in httpx.get(f"{base}/search", headers={"X-API-Key": "wrong"}).json()["error"]
        # the right key; the index does not exist yet: 503, saying what to do
        r = httpx.get(f"{base}/search", headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 503 and "newsetl index ensure" in r.json()["error"]
        r = httpx.get(f"{base}/health")                 # no key needed
        assert r.status_code == 503 and r.json()["status"] == "no_index"
        r = httpx.get(f"{base}/documents/x", headers={"X-API-Key": "s3cret"})
        assert r.status_code == 503 and "does not exist" in r.json()["error"]


def test_the_rate_limit_bucket():
    now = [100.0]
    limit = RateLimit(per_minute=60, burst=3, clock=lambda: now[0])
    assert [limit.take("a") for _ in range(3)] == [0, 0, 0]        # the burst
    assert limit.take("a") == pytest.approx(1.0)                  # then one a second
    assert limit.take("b") == 0                                   # each client its own bucket
    now[0] += 0.5
    assert limit.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert limit.take("a") == 0 and limit.take("a") == pytest.approx(1.0)
    now[0] += 3600                                                # a long pause fills the bucket to the burst only
    assert [limit.take("a") for _ in range(4)][3] == pytest.approx(1.0)


@pytest.mark.es
def test_a_client_that_asks_too_often_gets_429_and_when_to_retry(api_loaded, index_settings):
    now = [0.0]
    limited = index_settings.model_copy(update={"index": index_settings.index.model_copy(update={
        "search": index_settings.index.search.model_copy(update={"api_rate_per_minute": 6, "api_burst": 2})})})
    with served(create_app(limited, clock=lambda: now[0])) as base:
        assert [httpx.get(f"{base}/search").status_code for _ in range(2)] == [200, 200]
        r = httpx.get(f"{base}/documents/{api_loaded[0]['id']}")
        assert r.status_code == 429 and r.headers["retry-after"] == "10"
        assert r.json()["error"] == ("too many requests from 127.0.0.1: 2 at once, then 6 a minute "
                                     "(index.search.api_rate_per_minute, api_burst); retry in 10 s")
        assert httpx.get(f"{base}/health").status_code == 200        # monitoring is never limited
        now[0] += 10
        assert httpx.get(f"{base}/documents/{api_loaded[0]['id']}").status_code == 200
        assert httpx.get(f"{base}/search").status_code == 429


def test_the_shared_rate_limit_bucket(tmp_path):
    """The buckets in the SQLite file: the arithmetic of RateLimit, one bucket for every process that opens the
    directory, full buckets forgotten past MAX_CLIENTS, and a file that stays locked refused within the bound."""
    now = [100.0]
    limit = SharedRateLimit(str(tmp_path), per_minute=60, burst=3, clock=lambda: now[0])
    other = SharedRateLimit(str(tmp_path), per_minute=60, burst=3, clock=lambda: now[0])    # another worker's
    assert [limit.take("a"), other.take("a"), limit.take("a")] == [0, 0, 0]     # one burst for both
    assert other.take("a") == pytest.approx(1.0) and limit.take("a") == pytest.approx(1.0)
    assert other.take("b") == 0                                   # each client its own bucket
    now[0] += 0.5
    assert limit.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert other.take("a") == 0 and limit.take("a") == pytest.approx(1.0)
    now[0] -= 30                                                  # a wall clock set back refills nothing
    assert limit.take("a") == pytest.approx(1.0)
    now[0] += 3600                                                # a long pause fills the bucket to the burst only
    assert [limit.take("a") for _ in range(4)][3] == pytest.approx(1.0)

    class Small(SharedRateLimit):
        MAX_CLIENTS = 3

    small = Small(str(tmp_path / "small"), per_minute=60, burst=2, clock=lambda: now[0])
    for client in ("a", "b", "c"):
        small.take(client)
    small.take("a")                                               # a empty; b and c full again in a second
    now[0] += 1
    small.take("d")                                               # the fourth client: b and c are forgotten
    assert sorted(c for c, in small.db.execute("SELECT client FROM buckets")) == ["a", "d"]

    # a transaction of another process holds the write lock: refused after busy_seconds, not let through
    quick = SharedRateLimit(str(tmp_path), per_minute=60, burst=3, clock=lambda: now[0], busy_seconds=0.2)
    blocker = sqlite3.connect(str(tmp_path / SharedRateLimit.FILE), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(RateStoreError, match="stayed locked for over 0.2 s") as e:
        quick.take("z")
    assert e.value.busy and 0.15 < time.monotonic() - started < 5 and "\n" not in str(e.value)
    blocker.execute("ROLLBACK")
    assert quick.take("z") == 0

    (tmp_path / "a-file").write_text("x")
    with pytest.raises(RateStoreError, match="a-file is not a directory"):
        SharedRateLimit(str(tmp_path / "a-file"), per_minute=60, burst=3)


def test_a_locked_rate_limit_store_is_503_not_a_free_pass(tmp_path):
    """While another process holds the shared store's lock past the bound, a request is refused with 503 and
    Retry-After (one line naming the file); /health is not limited, so it does not wait for the store."""
    from pipeline.settings import load_settings

    settings = load_settings(overrides={"elasticsearch": {"url": f"http://127.0.0.1:{free_port()}",
                                                          "request_timeout": 2},
                                        "storage": {"root": str(tmp_path)},
                                        "index": {"search": {"api_rate_per_minute": 6, "api_burst": 2}}})
    with served(create_app(settings, api_key="", rate_limit_dir=str(tmp_path / "rate"))) as base:
        blocker = sqlite3.connect(str(tmp_path / "rate" / SharedRateLimit.FILE), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        r = httpx.get(f"{base}/search", timeout=30)
        assert r.status_code == 503 and r.headers["retry-after"] == "1", r.text
        assert r.json()["error"].startswith(f"the rate limit's store {tmp_path / 'rate' / SharedRateLimit.FILE} "
                                            "stayed locked for over 1 s")
        assert httpx.get(f"{base}/health", timeout=30).status_code == 503      # the cluster's answer, at once
        blocker.execute("ROLLBACK")
        assert httpx.get(f"{base}/nothing-here").status_code == 404          # counted (1 of 2), then let through
        assert httpx.get(f"{base}/nothing-here").status_code == 404
        assert httpx.get(f"{base}/nothing-here").status_code == 429


def test_a_cluster_that_is_away_is_503_naming_it(tmp_path):
    from pipeline.settings import load_settings

    url = f"http://127.0.0.1:{free_port()}"
    settings = load_settings(overrides={"elasticsearch": {"url": url, "request_timeout": 2},
                                        "storage": {"root": str(tmp_path)}})
    with served(create_app(settings, api_key="")) as base:
        r = httpx.get(f"{base}/health")
        assert r.status_code == 503 and r.json()["status"] == "unavailable" and url in r.json()["error"]
        r = httpx.get(f"{base}/search", params={"q": "x"})
        assert r.status_code == 503 and url in r.json()["error"] and "unreachable" in r.json()["error"]


@pytest.mark.es
@pytest.mark.parametrize("workers", [1, 2])
def test_newsetl_serve_answers(api_loaded, index_settings, tmp_path, workers):
    """The command itself, in its own process (with two workers: each builds the app from the configuration)."""
    import json

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": index_settings.elasticsearch.url},
                               "index": {"name": index_settings.index.name},
                               "storage": {"root": index_settings.storage.root}}))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port", str(port),
                             "--workers", str(workers)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "council"}, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "newsetl serve did not answer"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] == 6
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    bad = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--port", "0"], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "--port 0" in bad.stderr


def _get_on_a_new_connection(port: int, path: str, server: subprocess.Popen) -> tuple[int, str | None, dict, int]:
    """GET ``path`` on a connection of its own; the status, Retry-After, the JSON body, and the pid of the worker
    process of ``server`` that answered (the child holding the other end of the connection, which is still open)."""
    import http.client
    import json

    import psutil

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        body = json.loads(r.read())
        mine = conn.sock.getsockname()
        workers = [child.pid for child in psutil.Process(server.pid).children()
                   if any(c.raddr and tuple(c.raddr) == mine for c in child.net_connections(kind="tcp"))]
        assert len(workers) == 1, (mine, workers)
        return r.status, r.getheader("Retry-After"), body, workers[0]
    finally:
        conn.close()


@pytest.mark.es
def test_newsetl_serve_workers_share_the_rate_limit(api_loaded, index_settings, tmp_path):
    """`newsetl serve --workers 2` with a burst of 5 (and 1 a minute, so nothing refills during the test): one
    client, each request on a new connection, answered by both workers, gets exactly 5 answers, then 429 with
    Retry-After from either worker. The buckets live in a directory the command makes and removes at exit."""
    import json
    import os

    burst = 5
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": index_settings.elasticsearch.url},
                               "index": {"name": index_settings.index.name,
                                         "search": {"api_rate_per_minute": 1, "api_burst": burst}},
                               "storage": {"root": index_settings.storage.root}}))
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = _env_without_tls(TMPDIR=str(temp))
    env.pop(RATE_DIR_ENV, None)
    log = tmp_path / "serve.log"
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port", str(port),
                                 "--workers", "2"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        # both workers up: /health (never limited) until each has answered once
        ready: set[int] = set()
        deadline = time.monotonic() + 90
        while len(ready) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                status, _, _, worker = _get_on_a_new_connection(port, "/health", proc)
                assert status == 200
                ready.add(worker)
            except OSError:
                time.sleep(0.2)
        stores = list(temp.glob("newsetl-api-rate-*"))
        assert len(stores) == 1 and (stores[0] / SharedRateLimit.FILE).is_file()
        assert os.stat(stores[0]).st_mode & 0o077 == 0           # private to the user that serves

        answers = []
        while len(answers) < 3 * burst or len({a[3] for a in answers}) < 2:
            assert len(answers) < 200, f"one worker answered every request: {answers}"
            answers.append(_get_on_a_new_connection(port, "/search?q=council", proc))
        statuses = [a[0] for a in answers]
        assert statuses == [200] * burst + [429] * (len(answers) - burst), answers
        assert answers[0][2]["total"] == 6
        assert {a[3] for a in answers} == ready                  # both workers counted from the one bucket
        for status, retry_after, body, _ in answers[burst:]:
            assert retry_after and 1 <= int(retry_after) <= 60
            assert body["error"] == (f"too many requests from 127.0.0.1: {burst} at once, then 1 a minute "
                                     f"(index.search.api_rate_per_minute, api_burst); retry in {retry_after} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert not list(temp.glob("newsetl-api-rate-*")), "the store's directory outlived the server"


def test_newsetl_serve_refuses_a_rate_limit_dir_it_cannot_use(tmp_path):
    """A directory the shared buckets cannot be kept in: exit 2 with one line naming it, before anything starts."""
    import json

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"index": {"search": {"api_rate_per_minute": 60}}}))
    (tmp_path / "a-file").write_text("x")
    for args, env, words in (
            (["--workers", "2", "--rate-limit-dir", str(tmp_path / "a-file")], {},
             f"--rate-limit-dir {tmp_path / 'a-file'}: cannot keep the rate limit's buckets in "
             f"{tmp_path / 'a-file' / SharedRateLimit.FILE} ({tmp_path / 'a-file'} is not a directory): give a "
             f"writable directory on a local filesystem"),
            ([], {RATE_DIR_ENV: str(tmp_path / "a-file" / "below")},
             f"${RATE_DIR_ENV} {tmp_path / 'a-file' / 'below'}: cannot keep the rate limit's buckets in")):
        r = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port",
                            str(free_port()), *args], cwd=REPO, env=_env_without_tls(**env), capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("newsetl serve: error: ") and r.stderr.count("\n") == 1, r.stderr
        assert words in r.stderr, r.stderr


# ------------------------------------------------------------------------------------------------- HTTPS


def _self_signed(tmp_path: Path) -> dict[str, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, and a second key that is not its (PEM files)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def pem_key(key) -> bytes:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    files = {"cert": tmp_path / "api-cert.pem", "key": tmp_path / "api-key.pem", "other": tmp_path / "other-key.pem"}
    files["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(pem_key(key))
    files["other"].write_bytes(pem_key(other))
    return files


def _env_without_tls(**extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_API_SSL_")}
    env.update(extra)
    return env


def _compose_healthcheck(port: int, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The newsetl-api service's healthcheck from docker-compose.yml, run by sh as Docker runs a CMD-SHELL (``$$``
    is Compose's escape of ``$``), against ``port`` instead of the container's 8000."""
    import yaml

    test = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["newsetl-api"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    cmd = test[1].replace("$$", "$").replace("localhost:8000", f"localhost:{port}")
    return subprocess.run(["sh", "-c", cmd], env=env, capture_output=True, text=True, timeout=30)


@pytest.mark.es
@pytest.mark.parametrize("given,workers", [("options", 1), ("environment", 2)])
def test_newsetl_serve_over_https(api_loaded, index_settings, tmp_path, given, workers):
    """`newsetl serve` with a certificate and its key (as options, or as the Docker service sets them, in the
    environment) answers HTTPS that verifies against that certificate, and nothing over plain HTTP."""
    import json

    tls = _self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(tls["cert"]))      # this certificate only
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": index_settings.elasticsearch.url},
                               "index": {"name": index_settings.index.name},
                               "storage": {"root": index_settings.storage.root}}))
    port = free_port()
    args = [sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port", str(port),
            "--workers", str(workers)]
    if given == "options":
        args += ["--ssl-certfile", str(tls["cert"]), "--ssl-keyfile", str(tls["key"])]
        env = _env_without_tls()
    else:
        env = _env_without_tls(NEWSETL_API_SSL_CERTFILE=str(tls["cert"]), NEWSETL_API_SSL_KEYFILE=str(tls["key"]))
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/health", verify=trust, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "newsetl serve did not answer over HTTPS"
                time.sleep(0.2)
        assert r.status_code == 200, r.text
        assert r.url.scheme == "https" and r.http_version == "HTTP/1.1"
        health = r.json()
        assert (health["status"], health["documents"], health["index"]) == ("ok", 12, index_settings.index.read_alias)
        r = httpx.get(f"https://127.0.0.1:{port}/search", params={"q": "council"}, verify=trust)
        assert r.status_code == 200 and r.json()["total"] == 6
        # plain HTTP to the same port gets no answer; nor does a client that does not trust the certificate
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"https://127.0.0.1:{port}/health", timeout=5)
        assert proc.poll() is None           # and the server is still up after both
        assert httpx.get(f"https://127.0.0.1:{port}/health", verify=trust).status_code == 200
        if given == "environment":           # the Docker service's healthcheck, with its environment, passes
            assert _compose_healthcheck(port, env).returncode == 0
            assert _compose_healthcheck(port, _env_without_tls()).returncode != 0     # it would ask over HTTP
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_newsetl_serve_refuses_unusable_tls_files(tmp_path):
    """One line on standard error and exit 2, before anything listens: one file without the other, a missing or
    unreadable file, a certificate file without a certificate, and a key that is not the certificate's."""
    tls = _self_signed(tmp_path)
    cert, key, other = str(tls["cert"]), str(tls["key"]), str(tls["other"])
    missing = str(tmp_path / "nowhere.pem")
    cases = [
        (["--ssl-certfile", cert], {}, "--ssl-certfile without --ssl-keyfile (or $NEWSETL_API_SSL_KEYFILE)"),
        (["--ssl-keyfile", key], {}, "--ssl-keyfile without --ssl-certfile (or $NEWSETL_API_SSL_CERTFILE)"),
        ([], {"NEWSETL_API_SSL_KEYFILE": key}, "NEWSETL_API_SSL_KEYFILE without --ssl-certfile"),
        (["--ssl-certfile", missing, "--ssl-keyfile", key], {}, f"--ssl-certfile {missing}: no such file"),
        ([], {"NEWSETL_API_SSL_CERTFILE": cert, "NEWSETL_API_SSL_KEYFILE": missing},
         f"NEWSETL_API_SSL_KEYFILE {missing}: no such file"),
        (["--ssl-certfile", cert, "--ssl-keyfile", str(tmp_path)], {}, f"--ssl-keyfile {tmp_path}: cannot read it"),
        (["--ssl-certfile", key, "--ssl-keyfile", key], {}, f"--ssl-certfile {key}: not a PEM certificate"),
        (["--ssl-certfile", cert, "--ssl-keyfile", cert], {}, f"--ssl-keyfile {cert}: no PEM private key in it"),
        (["--ssl-certfile", cert, "--ssl-keyfile", other], {},
         f"--ssl-keyfile {other}: this private key does not match the certificate in {cert}"),
        # an option wins over the environment; the other file still comes from it
        (["--ssl-keyfile", other], {"NEWSETL_API_SSL_CERTFILE": cert, "NEWSETL_API_SSL_KEYFILE": key},
         "does not match the certificate"),
    ]
    import os

    if os.geteuid() != 0:                 # root reads any file
        locked = tmp_path / "locked-key.pem"
        locked.write_bytes(tls["key"].read_bytes())
        locked.chmod(0)
        cases.append((["--ssl-certfile", cert, "--ssl-keyfile", str(locked)], {},
                      f"--ssl-keyfile {locked}: cannot read it (Permission denied)"))
    for args, env, words in cases:
        r = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--port", str(free_port()), *args],
                           cwd=REPO, env=_env_without_tls(**env), capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, (args, env, r.stderr)
        assert r.stderr.startswith("newsetl serve: error: ") and r.stderr.count("\n") == 1, (args, r.stderr)
        assert words in r.stderr, (args, env, r.stderr)


@pytest.mark.es
def test_the_docs_pages_need_no_cdn_and_no_key(index_settings):
    """/docs and /redoc load their scripts and styles from this server (a machine without internet access still
    shows them), need no key, and the schema says where the key goes."""
    import re

    with served(create_app(index_settings, api_key="s3cret")) as base:
        page = httpx.get(f"{base}/docs")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assets = re.findall(r"""(?:src|href)=['"]([^'"]+\.(?:js|css))['"]""", page.text)
        assert assets and all(a.startswith("/docs-assets/") for a in assets), assets
        assert "cdn." not in page.text and "https://" not in re.sub(r"https://(fastapi\.tiangolo\.com)", "", page.text)
        for a in assets:
            got = httpx.get(f"{base}{a}")
            assert got.status_code == 200 and len(got.content) > 10_000, a
        redoc = httpx.get(f"{base}/redoc")
        assert redoc.status_code == 200 and "/docs-assets/redoc.standalone.js" in redoc.text
        assert "fonts.googleapis" not in redoc.text
        schema = httpx.get(f"{base}/openapi.json").json()
        assert set(schema["components"]["securitySchemes"]) == {"bearer", "apiKey"}
        assert schema["paths"]["/search"]["get"]["security"] == [{"bearer": []}, {"apiKey": []}]
        assert schema["paths"]["/health"]["get"]["security"] == []
        assert httpx.get(f"{base}/search").status_code == 401          # the data still needs the key
    with served(create_app(index_settings, api_key="")) as base:       # no key: none declared
        assert "securitySchemes" not in httpx.get(f"{base}/openapi.json").json().get("components", {})


@pytest.mark.es
def test_a_key_per_service_each_with_its_own_bucket(api_loaded, index_settings, monkeypatch):
    """NEWSETL_API_KEYS: one key per downstream service beside NEWSETL_API_KEY. Each reads; one taken out of the list
    stops working while the others go on; with a rate limit each known key has its own bucket wherever it comes
    from, and an unknown key counts against its address."""
    from pipeline.feed import feed_token

    monkeypatch.setenv("NEWSETL_API_KEY", "the-default")
    monkeypatch.setenv("NEWSETL_API_KEYS", "svc-a=key-of-a, svc-b=key-of-b")
    now = [0.0]
    limited = index_settings.model_copy(update={"index": index_settings.index.model_copy(update={
        "search": index_settings.index.search.model_copy(update={"api_rate_per_minute": 6, "api_burst": 2})})})
    with served(create_app(limited, clock=lambda: now[0])) as base:
        def get(key, path="/search"):
            return httpx.get(f"{base}{path}", headers={"X-API-Key": key} if key else {})

        assert [get(k).status_code for k in ("the-default", "key-of-a")] == [200, 200]
        assert get("key-of-a").status_code == 200
        r = get("key-of-a")                                     # svc-a's two at once and the next are spent
        assert r.status_code == 429 and r.json()["error"].startswith("too many requests from the key svc-a: ")
        assert get("key-of-b").status_code == 200              # the same address, another service's bucket
        assert [get("wrong").status_code for _ in range(2)] == [401, 401]
        assert get("wrong").status_code == 429                  # unknown keys: the address's bucket
        assert get("key-of-b").status_code == 200
    monkeypatch.setenv("NEWSETL_API_KEYS", "svc-b=key-of-b")     # svc-a revoked: restart without it
    with served(create_app(index_settings)) as base:
        assert httpx.get(f"{base}/search", headers={"X-API-Key": "key-of-a"}).status_code == 401
        assert httpx.get(f"{base}/search", headers={"X-API-Key": "key-of-b"}).status_code == 200
        assert httpx.get(f"{base}/search", headers={"X-API-Key": "the-default"}).status_code == 200
        token_a = feed_token("key-of-a", "/feed.atom")
        assert httpx.get(f"{base}/feed.atom", params={"token": token_a}).status_code == 401
        token_b = feed_token("key-of-b", "/feed.atom")
        assert httpx.get(f"{base}/feed.atom", params={"token": token_b}).status_code == 200
    # a service's key may bear any name, one like an admin key's too: the two stay apart
    monkeypatch.setenv("NEWSETL_API_KEYS", "admin-1=key-of-c")
    with served(create_app(index_settings, admin_keys=["the-admin"])) as base:
        assert httpx.get(f"{base}/search", headers={"X-API-Key": "key-of-c"}).status_code == 200
        r = httpx.delete(f"{base}/watches/x", headers={"X-API-Key": "key-of-c"})
        assert r.status_code == 403 and "this key only reads" in r.json()["error"]
        assert httpx.get(f"{base}/search", headers={"X-API-Key": "the-admin"}).status_code == 200


def test_newsetl_serve_refuses_a_key_list_it_cannot_read(tmp_path):
    import json

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"index": {"name": "news"}}))
    for value, words in (("svc-a", "'svc-a' is not name=key"), ("a=1,a=2", "the name 'a' twice"),
                         ("a=same,b=same", "the key of 'b' is another name's too"),
                         ("default=x", "the name 'default' twice (default is NEWSETL_API_KEY's)")):
        env = _env_without_tls(NEWSETL_API_KEYS=value, NEWSETL_API_KEY="k")
        r = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "serve", "--port",
                            str(free_port())], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and words in r.stderr, (value, r.stderr)
