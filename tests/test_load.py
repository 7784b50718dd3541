"""The bulk loader against the real node: idempotent, updates in place, dead-letters bad documents."""
from __future__ import annotations

import json

import pytest

from tests.netutil import free_port

from pipeline.deadletter import read_dead_letters
from pipeline.es import ClusterUnavailable, make_client
from pipeline.load import bulk_load
from pipeline.storage import Storage

pytestmark = pytest.mark.es


def _count(client, settings) -> int:
    client.indices.refresh(index=settings.index.read_alias)
    return client.count(index=settings.index.read_alias)["count"]


@pytest.mark.shared
@pytest.mark.slow
def test_fundus_loaded_twice_gives_one_document_per_article(fundus_docs, index_client, index_settings, storage):
    ok = [d for d in fundus_docs if d["status"] == "ok"]
    ok_ids = {d["id"] for d in ok}
    not_ok = len(fundus_docs) - len(ok)
    assert len(ok_ids) > 200
    # pages sharing a canonical URL are one article: the later page updates it (or is unchanged if identical)
    last: dict[str, tuple] = {}
    repeats_changed = repeats_same = 0
    for d in ok:
        key = (d["content_hash"], d["pipeline_version"])
        if d["id"] in last:
            repeats_same += last[d["id"]] == key
            repeats_changed += last[d["id"]] != key
        last[d["id"]] = key

    first = bulk_load(index_client, fundus_docs, index_settings, storage=storage, run_id="r1")
    assert (first.created, first.updated, first.unchanged, first.failed) == (
        len(ok_ids), repeats_changed, repeats_same, 0)
    assert first.skipped == not_ok
    assert first.bytes > 0 and first.seconds > 0
    assert _count(index_client, index_settings) == len(ok_ids)

    # second run: everything unchanged, except an article the corpus holds in two versions (taz.de, crawled
    # twice): each of its versions replaces the other again
    second = bulk_load(index_client, fundus_docs, index_settings, storage=storage, run_id="r2")
    assert (second.created, second.updated, second.unchanged, second.failed) == (
        0, 2 * repeats_changed, len(ok) - 2 * repeats_changed, 0)
    assert second.updated <= 2
    assert _count(index_client, index_settings) == len(ok_ids)
    assert list(read_dead_letters(storage, "load")) == []

    # per-language copies are there for configured languages
    de = next(d for d in fundus_docs if d["status"] == "ok" and d["language"] == "de")
    src = index_client.get(index=index_settings.index.read_alias, id=de["id"])["_source"]
    assert src["title_de"] == de["title"] and src["text_de"] == de["text"]
    assert "title_en" not in src


def test_changed_text_updates_in_place(make_doc, index_client, index_settings, storage):
    docs = [make_doc(f"https://news.example.org/a/{i}", title=f"Story {i}") for i in range(5)]
    r = bulk_load(index_client, docs, index_settings, storage=storage, run_id="a")
    assert r.created == 5
    changed = dict(docs[2], text="A completely rewritten body. " * 10)
    changed["content_hash"] = "changed-hash"
    r = bulk_load(index_client, docs[:2] + [changed] + docs[3:], index_settings, storage=storage, run_id="b")
    assert (r.created, r.updated, r.unchanged, r.failed) == (0, 1, 4, 0)
    assert _count(index_client, index_settings) == 5
    src = index_client.get(index=index_settings.index.read_alias, id=changed["id"])["_source"]
    assert src["text"].startswith("A completely rewritten body.")
    assert src["text_en"] == src["text"]
    # a new pipeline version rewrites even with the same text
    r = bulk_load(index_client, [dict(docs[0], pipeline_version="0.2.0")], index_settings, storage=storage,
                  run_id="c")
    assert r.updated == 1


def test_malformed_document_is_dead_lettered_and_the_others_indexed(make_doc, index_client, index_settings, storage):
    docs = [make_doc(f"https://news.example.org/b/{i}") for i in range(6)]
    bad = dict(docs[3], published_at="the day before yesterday")
    docs[3] = bad
    unknown_field = dict(make_doc("https://news.example.org/b/x"), sentiment=0.7)  # strict mapping rejects it
    no_id = dict(make_doc("https://news.example.org/b/y"), id=None)
    not_ok = dict(make_doc("https://news.example.org/b/z"), status="not_article")
    r = bulk_load(index_client, docs + [unknown_field, no_id, not_ok, "garbage"], index_settings,
                  storage=storage, run_id="run-7")
    assert (r.created, r.failed, r.skipped) == (5, 4, 1)
    assert _count(index_client, index_settings) == 5
    assert r.dead_letters.startswith("deadletter/load/run-7/") and r.dead_letters.endswith(".jsonl")
    letters = {d["key"]: d for d in read_dead_letters(storage, "load")}
    assert len(letters) == 4
    d = letters[bad["id"]]
    assert d["stage"] == "load" and "parsing" in d["reason"]
    assert "published_at" in d["error"]
    assert d["record"] == bad
    assert letters[unknown_field["id"]]["reason"] == "strict_dynamic_mapping_exception"
    assert "sentiment" in letters[unknown_field["id"]]["error"]
    assert letters[no_id["url"]]["reason"] == "missing_id"
    assert letters[""]["reason"] == "not_a_document"
    # loading again: the good ones are unchanged, the bad one fails again (and is recorded again)
    r = bulk_load(index_client, docs, index_settings, storage=storage, run_id="run-8")
    assert (r.unchanged, r.failed) == (5, 1)


@pytest.mark.parametrize("workers", [1, 2])
def test_small_byte_batches_and_workers(make_doc, index_client, index_settings, storage, workers):
    settings = index_settings.model_copy(deep=True)
    settings.index.load.batch_bytes = 4096
    docs = [make_doc(f"https://news.example.org/c/{i}", title=f"Batch story {i}") for i in range(120)]
    docs.append(dict(docs[7], text="duplicate id later in the stream " * 5, content_hash="other"))
    r = bulk_load(index_client, docs, settings, storage=storage, run_id="w", workers=workers)
    assert r.batches > 10
    assert r.created == 120 and r.updated == 1 and r.failed == 0
    assert _count(index_client, index_settings) == 120
    src = index_client.get(index=index_settings.index.read_alias, id=docs[7]["id"])["_source"]
    assert src["text"].startswith("duplicate id later")




def test_unreachable_cluster_is_one_clear_error_and_nothing_written(make_doc, index_settings, tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    client = make_client(url)
    storage = Storage(tmp_path / "untouched")
    consumed = []

    def docs():
        for i in range(3):
            consumed.append(i)
            yield make_doc(f"https://news.example.org/d/{i}")

    with pytest.raises(ClusterUnavailable) as e:
        bulk_load(client, docs(), index_settings, storage=storage, run_id="x")
    msg = str(e.value)
    assert url in msg and "\n" not in msg and "NEWSETL_ES_URL" in msg
    assert consumed == []
    assert not (tmp_path / "untouched").exists()


class _Proxy:
    """A real HTTP server on 127.0.0.1, in a thread, for a proxy's request handler."""

    def _serve(self, handler) -> None:
        import http.server
        import threading

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _Flaky(_Proxy):
    """A real HTTP proxy on 127.0.0.1 in front of the test node that answers the first ``n`` bulk requests (or those
    to ``path``) with ``status`` (what a busy cluster does), then forwards everything."""

    def __init__(self, upstream: str, n: int, status: int = 429, path: str = "/_bulk"):
        import http.server
        import urllib.error
        import urllib.request

        outer = self
        self.rejected = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _do(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0)) or None
                if path in self.path and outer.rejected < n:
                    outer.rejected += 1
                    payload = json.dumps({"error": {"type": "es_rejected_execution_exception",
                                                    "reason": "rejected"}, "status": status}).encode()
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("x-elastic-product", "Elasticsearch")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                req = urllib.request.Request(upstream + self.path, data=body, method=self.command,
                                             headers={k: v for k, v in self.headers.items()
                                                      if k.lower() not in ("host", "content-length")})
                try:
                    resp = urllib.request.urlopen(req, timeout=60)
                except urllib.error.HTTPError as e:
                    resp = e
                data = resp.read()
                self.send_response(resp.status if hasattr(resp, "status") else resp.code)
                for k, v in resp.headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _do

        self._serve(Handler)


class _PartlyBusy(_Proxy):
    """A real HTTP proxy on 127.0.0.1 in front of the test node that, for its first ``n`` bulk requests, does what a
    cluster whose write queue is full does to some items: it forwards only every other item of the request to the
    node and answers for the others with an item-level 429 (``es_rejected_execution_exception``), in their places,
    so those are not written; then it forwards everything."""

    def __init__(self, upstream: str, n: int):
        import http.server
        import urllib.error
        import urllib.request

        outer = self
        self.busy_requests, self.rejected_items = 0, 0

        def forward(method: str, path: str, body: bytes | None, headers) -> tuple[int, dict, bytes]:
            req = urllib.request.Request(upstream + path, data=body, method=method,
                                         headers={k: v for k, v in headers.items()
                                                  if k.lower() not in ("host", "content-length")})
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    return resp.status, dict(resp.headers.items()), resp.read()
            except urllib.error.HTTPError as e:       # the node's own answer (404 of a missing index…), relayed
                return e.code, dict(e.headers.items()), e.read()

        def split(body: bytes) -> list[list[bytes]]:
            lines, items = [ln for ln in body.split(b"\n") if ln.strip()], []
            while lines:
                action = lines.pop(0)
                op = next(iter(json.loads(action)))
                items.append([action] if op == "delete" else [action, lines.pop(0)])
            return items

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status: int, headers: dict, data: bytes) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _do(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0)) or None
                if "/_bulk" not in self.path or outer.busy_requests >= n or not body:
                    return self._send(*forward(self.command, self.path, body, self.headers))
                outer.busy_requests += 1
                items = split(body)
                kept = [it for i, it in enumerate(items) if i % 2 == 0]
                status, headers, data = forward(self.command, self.path,
                                                b"".join(ln + b"\n" for it in kept for ln in it), self.headers)
                answered = iter(json.loads(data).get("items", []))
                out = []
                for i, it in enumerate(items):
                    if i % 2 == 0:
                        out.append(next(answered))
                    else:
                        outer.rejected_items += 1
                        op = next(iter(json.loads(it[0])))
                        out.append({op: {"status": 429, "error": {
                            "type": "es_rejected_execution_exception",
                            "reason": "rejected execution of coordinating operation"}}})
                self._send(status, headers, json.dumps({"errors": True, "items": out}).encode())

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _do

        self._serve(Handler)


def test_items_the_cluster_rejects_are_retried_and_dead_lettered_when_they_stay_rejected(
        make_doc, es_url, index_client, index_settings, storage):
    """Item-level 429s (a full write queue rejects some items of a bulk request, not the request): those items alone
    are sent again after a backoff and written; items still rejected after ``max_retries`` become dead letters with
    their documents, and the rest are written."""
    from pipeline.admin import ensure_index

    ensure_index(index_client, index_settings)
    settings = index_settings.model_copy(deep=True)
    settings.index.load.initial_backoff = 0.05
    proxy = _PartlyBusy(es_url, n=1)
    try:
        docs = [make_doc(f"https://news.example.org/items/{i}") for i in range(9)]
        r = bulk_load(make_client(proxy.url), docs, settings, storage=storage, run_id="items")
        assert (proxy.busy_requests, proxy.rejected_items) == (1, 4)
        assert (r.created, r.failed, r.retries) == (9, 0, 1)
        assert _count(index_client, index_settings) == 9
    finally:
        proxy.close()
    assert list(read_dead_letters(storage, "load")) == []

    settings.index.load.max_retries = 1
    stubborn = _PartlyBusy(es_url, n=100)
    try:
        more = [make_doc(f"https://news.example.org/items/more-{i}") for i in range(4)]
        r = bulk_load(make_client(stubborn.url), more, settings, storage=storage, run_id="items2")
    finally:
        stubborn.close()
    # 4 items: 2 written at once; of the 2 sent again, 1 written, 1 rejected twice (past max_retries 1)
    assert (r.created, r.failed) == (3, 1)
    letters = list(read_dead_letters(storage, "load"))
    assert [(d["reason"], d["record"]["url"]) for d in letters] == [
        ("es_rejected_execution_exception", "https://news.example.org/items/more-3")]
    assert "still rejected after 1 retry" in letters[0]["error"]
    assert _count(index_client, index_settings) == 12


@pytest.mark.parametrize("status", [429, 503])
def test_busy_cluster_is_retried_with_backoff(make_doc, es_url, index_client, index_settings, storage, status):
    from pipeline.admin import ensure_index

    ensure_index(index_client, index_settings)
    proxy = _Flaky(es_url, n=2, status=status)
    try:
        settings = index_settings.model_copy(deep=True)
        settings.index.load.initial_backoff = 0.05
        client = make_client(proxy.url)
        docs = [make_doc(f"https://news.example.org/r/{i}") for i in range(10)]
        r = bulk_load(client, docs, settings, storage=storage, run_id="busy")
        assert proxy.rejected == 2
        assert (r.created, r.failed, r.retries) == (10, 0, 2)
        assert _count(index_client, index_settings) == 10
        # a cluster that stays busy: a clear error after max_retries, nothing dead-lettered
        proxy.rejected = 0
        settings.index.load.max_retries = 1
        proxy2 = _Flaky(es_url, n=100, status=status)
        try:
            with pytest.raises(ClusterUnavailable, match="after 1 retry"):
                bulk_load(make_client(proxy2.url), [make_doc("https://news.example.org/r/new")], settings,
                          storage=storage, run_id="busy2")
        finally:
            proxy2.close()
        assert list(read_dead_letters(storage, "load")) == []
    finally:
        proxy.close()
