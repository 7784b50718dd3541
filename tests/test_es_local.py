"""The Elasticsearch node the tests use, and the es-local wrapper that runs it (docs/elasticsearch-local.md).

Against the node from the session fixture (or NEWSETL_TEST_ES_URL): it answers, reports the expected version,
indexes and searches, and has exactly the features the docs claim. The local node (server jars from Maven Central
only) lacks the modules Elastic does not publish there; a full server (docker compose) has them. The feature table
below is the single record of that difference, checked both ways: a "missing" entry fails if the local node
suddenly has it, a "present" entry fails if it does not.

Against the wrapper itself: start / status / stop of an extra node with its own folders, and a failing start.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import elasticsearch
import pytest

from tests.netutil import free_port
from elasticsearch import ApiError, Elasticsearch

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / "tools" / "elasticsearch-local"
ES_LOCAL = TOOL / "es-local"

pytestmark = pytest.mark.es


def pom_es_version() -> str:
    match = re.search(r"<es\.version>([^<]+)</es\.version>", (TOOL / "pom.xml").read_text())
    assert match, "pom.xml has no <es.version> property"
    return match.group(1)


@pytest.fixture(scope="module")
def is_local_node(es_client) -> bool:
    """True for a node built by es-local: it loads no modules (a full server lists dozens)."""
    infos = es_client.nodes.info(metric="plugins")["nodes"]
    return all(not node.get("modules") for node in infos.values())


# ---- basics -----------------------------------------------------------------------------------------------------


def test_cluster_is_healthy(es_client):
    health = es_client.cluster.health(wait_for_status="yellow", timeout="30s")
    assert health["status"] in ("green", "yellow")
    assert health["number_of_nodes"] >= 1


def test_root_endpoint_reports_the_pinned_version(es_client, is_local_node):
    assert es_client.ping() is True  # HEAD /
    info = es_client.info()  # GET /
    number = info["version"]["number"]
    # the Python client must be of the server's major (pyproject pins it)
    assert number.split(".")[0] == str(elasticsearch.__versionstr__).split(".")[0]
    if is_local_node:
        assert number == pom_es_version()
        assert info["cluster_name"] == "newsetl-local"
        assert info["version"]["lucene_version"].startswith("10.")


def test_index_bulk_and_search(es_client, es_prefix):
    index = es_prefix + "articles"
    es_client.indices.create(
        index=index,
        mappings={"properties": {"title": {"type": "text"}, "lang": {"type": "keyword"}, "n": {"type": "integer"}}},
    )
    ops = []
    for n, (title, lang) in enumerate(
        [("Belarus and Russia sign a union treaty", "en"), ("Minsk talks resume", "en"), ("Accord signé à Minsk", "fr")]
    ):
        ops += [{"index": {"_index": index, "_id": str(n)}}, {"title": title, "lang": lang, "n": n}]
    result = es_client.bulk(operations=ops, refresh=True)
    assert result["errors"] is False

    hits = es_client.search(index=index, query={"match": {"title": "minsk"}}, sort=[{"n": "asc"}])["hits"]
    assert [h["_id"] for h in hits["hits"]] == ["1", "2"]
    facets = es_client.search(index=index, size=0, aggs={"langs": {"terms": {"field": "lang"}}})["aggregations"]
    assert {b["key"]: b["doc_count"] for b in facets["langs"]["buckets"]} == {"en": 2, "fr": 1}
    highlighted = es_client.search(index=index, query={"match": {"title": "treaty"}}, highlight={"fields": {"title": {}}})
    assert highlighted["hits"]["hits"][0]["highlight"]["title"] == ["Belarus and Russia sign a union <em>treaty</em>"]


# ---- feature table: what the local node has and lacks ---------------------------------------------------------


def _analyzer(name):
    def probe(es, prefix):
        return [t["token"] for t in es.indices.analyze(analyzer=name, text="The Running Dogs")["tokens"]]

    return probe


def _filter(name):
    def probe(es, prefix):
        return es.indices.analyze(tokenizer="standard", filter=["lowercase", name], text="Café Running")["tokens"]

    return probe


def _docs(es, prefix, n=5):
    index = prefix + "src"
    if not es.indices.exists(index=index):
        ops = []
        for i in range(n):
            ops += [{"index": {"_index": index, "_id": str(i)}}, {"n": i, "k": f"k{i % 2}"}]
        es.bulk(operations=ops, refresh=True)
    return index


def _reindex(es, prefix):
    return es.reindex(source={"index": _docs(es, prefix)}, dest={"index": prefix + "dst"}, refresh=True)["created"]


def _delete_by_query(es, prefix):
    return es.delete_by_query(index=_docs(es, prefix), query={"term": {"k": "k0"}}, refresh=True)["deleted"]


def _painless(es, prefix):
    hits = es.search(index=_docs(es, prefix), size=1, sort=[{"n": "asc"}],
                     script_fields={"twice": {"script": {"source": "doc['n'].value * 2"}}})["hits"]["hits"]
    return hits[0]["fields"]["twice"]


def _mapping_type(type_name, **params):
    def probe(es, prefix):
        return es.indices.create(index=prefix + "t-" + type_name.replace("_", "-"),
                                 mappings={"properties": {"f": {"type": type_name, **params}}})["acknowledged"]

    return probe


def _ingest_set(es, prefix):
    es.ingest.put_pipeline(id=prefix + "pipe", processors=[{"set": {"field": "stage", "value": "indexed"}}])
    es.index(index=prefix + "ingested", id="1", document={"a": 1}, pipeline=prefix + "pipe", refresh=True)
    return es.get(index=prefix + "ingested", id="1")["_source"]["stage"]


def _point_in_time(es, prefix):
    pit = es.open_point_in_time(index=_docs(es, prefix), keep_alive="1m")["id"]
    try:
        return len(es.search(pit={"id": pit, "keep_alive": "1m"}, sort=[{"n": "asc"}], size=2)["hits"]["hits"])
    finally:
        es.close_point_in_time(id=pit)


def _search_after(es, prefix):
    hits = es.search(index=_docs(es, prefix), sort=[{"n": "asc"}], search_after=[2], size=10)["hits"]["hits"]
    return [h["_source"]["n"] for h in hits]


def _templates_and_alias(es, prefix):
    es.cluster.put_component_template(name=prefix + "settings", template={"settings": {"number_of_replicas": 0}})
    es.indices.put_index_template(
        name=prefix + "tpl", index_patterns=[prefix + "tpl-*"], composed_of=[prefix + "settings"],
        template={"mappings": {"properties": {"k": {"type": "keyword"}}}, "aliases": {prefix + "all": {}}},
    )
    es.indices.create(index=prefix + "tpl-1")
    es.indices.update_aliases(actions=[{"add": {"index": prefix + "tpl-1", "alias": prefix + "write",
                                                "is_write_index": True}}])
    es.index(index=prefix + "write", id="1", document={"k": "x"}, refresh=True)
    mapping = es.indices.get_mapping(index=prefix + "tpl-1")[prefix + "tpl-1"]["mappings"]
    return mapping["properties"]["k"]["type"], es.count(index=prefix + "all")["count"]


def _best_compression(es, prefix):
    index = prefix + "zstd"
    es.indices.create(index=index, settings={"index.codec": "best_compression", "number_of_replicas": 0})
    es.index(index=index, id="1", document={"body": "text " * 50}, refresh=True)
    es.indices.forcemerge(index=index, max_num_segments=1)
    return es.get(index=index, id="1")["_source"]["body"][:4]


def _search_template(es, prefix):
    return es.search_template(index=_docs(es, prefix), source={"query": {"match_all": {}}})["hits"]["total"]


# (feature, probe, what a successful probe returns, present on the local node?)
FEATURES = [
    ("standard analyzer", _analyzer("standard"), ["the", "running", "dogs"], True),
    ("stop analyzer", _analyzer("stop"), ["running", "dogs"], True),
    ("english analyzer (analysis-common)", _analyzer("english"), ["run", "dog"], False),
    ("french analyzer (analysis-common)", _analyzer("french"), None, False),
    ("russian analyzer (analysis-common)", _analyzer("russian"), None, False),
    ("asciifolding filter (analysis-common)", _filter("asciifolding"), None, False),
    ("stemmer filter (analysis-common)", _filter("stemmer"), None, False),
    ("_reindex (reindex)", _reindex, 5, False),
    ("_delete_by_query (reindex)", _delete_by_query, 3, False),
    ("painless scripts (lang-painless)", _painless, [0], False),
    ("search templates (lang-mustache)", _search_template, None, False),
    ("scaled_float (mapper-extras)", _mapping_type("scaled_float", scaling_factor=100), True, False),
    ("search_as_you_type (mapper-extras)", _mapping_type("search_as_you_type"), True, False),
    ("token_count (mapper-extras)", _mapping_type("token_count", analyzer="standard"), True, False),
    ("wildcard field (x-pack)", _mapping_type("wildcard"), True, False),
    ("ingest set processor (ingest-common)", _ingest_set, "indexed", False),
    ("point in time", _point_in_time, 2, True),
    ("search_after", _search_after, [3, 4], True),
    ("composable templates, component templates, aliases", _templates_and_alias, ("keyword", 1), True),
    ("flattened field", _mapping_type("flattened"), True, True),
    ("dense_vector field", _mapping_type("dense_vector", dims=3), True, True),
    ("best_compression codec (needs system libzstd locally)", _best_compression, "text", True),
]


@pytest.mark.parametrize(("feature", "probe", "expected", "on_local_node"), FEATURES, ids=[f[0] for f in FEATURES])
def test_feature_table(es_client, es_prefix, is_local_node, feature, probe, expected, on_local_node):
    should_work = on_local_node or not is_local_node
    if should_work:
        result = probe(es_client, es_prefix)
        if expected is not None:
            assert result == expected, f"{feature}: got {result!r}"
    else:
        with pytest.raises(ApiError) as raised:
            probe(es_client, es_prefix)
        # missing handler (400/404/405) or unknown analyzer/type/script/processor (400), never a server error
        assert raised.value.meta.status in (400, 404, 405), f"{feature}: {raised.value}"


# ---- the wrapper ------------------------------------------------------------------------------------------------


def _wrapper(*args: str, env: dict, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ES_LOCAL), *args], capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)




@pytest.mark.slow
def test_wrapper_start_status_stop_with_temporary_data(tmp_path):
    run_dir = tmp_path / "run"
    env = {**os.environ, "ES_LOCAL_RUN_DIR": str(run_dir)}
    port = free_port()
    started = _wrapper("start", "--port", str(port), "--watch-pid", str(os.getpid()), env=env)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        assert url == f"http://127.0.0.1:{port}"
        temp_data = Path((run_dir / "es.tmpdata").read_text().strip())
        assert temp_data.is_dir() and temp_data.parent == run_dir

        client = Elasticsearch(url, request_timeout=30)
        client.index(index="wrapper-check", id="1", document={"ok": True}, refresh=True)
        assert client.get(index="wrapper-check", id="1")["_source"] == {"ok": True}
        client.close()

        status = _wrapper("status", env=env)
        assert status.returncode == 0
        assert status.stdout.strip().splitlines()[-1] == url
        assert "health green" in status.stdout or "health yellow" in status.stdout

        again = _wrapper("start", env=env)  # idempotent: reports the running node
        assert again.returncode == 0 and "already running" in again.stdout
        assert again.stdout.strip().splitlines()[-1] == url
        pid = int((run_dir / "es.pid").read_text())
    finally:
        stopped = _wrapper("stop", env=env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not Path(f"/proc/{pid}").exists()
    assert not temp_data.exists()  # temporary data is deleted with the node
    assert _wrapper("status", env=env).returncode == 3


@pytest.mark.slow
def test_wrapper_start_fails_with_the_cause_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = _wrapper("start", "--port", str(port), "--data", str(tmp_path / "node"), "--timeout", "120",
                           env=dict(os.environ))
    assert started.returncode != 0
    assert "exited during start-up" in started.stderr
    assert "cause: es-local launcher: could not start the node" in started.stderr
    assert str(port) in started.stderr  # the bind error names the port
    assert not (tmp_path / "node" / "es.pid").exists()


def test_wrapper_rejects_bad_options():
    bad = _wrapper("start", "--port", "eighty", env=dict(os.environ), timeout=30)
    assert bad.returncode == 1 and "--port must be a number" in bad.stderr
    usage = _wrapper("frobnicate", env=dict(os.environ), timeout=30)
    assert usage.returncode == 2 and "es-local start" in usage.stderr
