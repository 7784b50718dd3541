"""Taking articles out for good (pipeline.removals, `newsetl remove`) over a real Elasticsearch node: gone from every
version of the index, kept out of later loads (an ingest run's or a replay's), listed as deletions by the changes
feed, and back after a restore."""
from __future__ import annotations

import json

import pytest

from pipeline import stages
from pipeline.admin import create_next_version
from pipeline.changes import changes
from pipeline.load import bulk_load
from pipeline.removals import Blocklist, RemoveError, enforce, listing, remove, restore
from tests.cfgutil import cli_config, run_cli
from tests.plugins.docs import make_document

pytestmark = pytest.mark.es


def _doc(host: str, i: int) -> dict:
    return make_document(f"https://{host}/story/{i}", title=f"Story {i} of {host}",
                         text=f"Story {i} of {host} tells of the harbour and the council this week. " * 8)


def _ids(client, alias: str) -> set[str]:
    client.indices.refresh(index=alias)
    return {h["_id"] for h in client.search(index=alias, size=100, _source=False)["hits"]["hits"]}


@pytest.fixture
def settings(index_settings):
    return index_settings.model_copy(update={"index": index_settings.index.model_copy(update={
        "search": index_settings.index.search.model_copy(update={"changes_delay_seconds": 0})})})


def test_removed_articles_leave_every_version_and_stay_out(index_client, settings, storage):
    docs = [_doc("a.example", i) for i in range(3)] + [_doc("news.b.example", i) for i in range(2)] + \
        [_doc("c.example", 0)]
    bulk_load(index_client, docs, settings, storage=storage, run_id="r1")
    feed = changes(index_client, settings, size=100)
    assert len(feed["documents"]) == 6
    # a replay under way: a second version that holds them too, not yet searched
    new = create_next_version(index_client, settings)["index"]
    bulk_load(index_client, docs, settings, storage=storage, run_id="replay")
    old = next(i for i in index_client.indices.get_alias(name=settings.index.read_alias))

    plan = remove(index_client, settings, urls=[docs[0]["url"]], domains=["b.example"], reason="court order",
                  dry_run=True)
    assert plan["would_remove"] == 3 and plan["domains"] == ["b.example"] and len(_ids(index_client, old)) == 6
    res = remove(index_client, settings, urls=[docs[0]["url"]], domains=["https://www.b.example/"],
                 ids=["0" * 64], reason="court order")
    assert (res["removed"], res["records"], res["domains"], res["not_indexed"]) == (6, 4, ["b.example"], ["0" * 64])
    gone = {docs[i]["id"] for i in (0, 3, 4)}
    assert not gone & _ids(index_client, old) and not gone & _ids(index_client, new)
    assert len(_ids(index_client, old)) == 3

    # later loads leave them out, and a new article of the domain too: counted removed, no dead letter
    again = bulk_load(index_client, docs + [_doc("b.example", 9)], settings, storage=storage, run_id="r2")
    assert (again.removed, again.failed, again.dead_letters) == (4, 0, None)
    assert not gone & _ids(index_client, new)                # where loads write while the replay is under way

    # the changes feed lists each as a deletion, with the reason
    deletions = [d for d in changes(index_client, settings, after=feed["next"], size=100)["documents"]]
    assert {d["id"] for d in deletions} == gone | {"0" * 64}
    assert all(d["deleted"] and d["reason"] == "court order" for d in deletions)
    assert {d["url"] for d in deletions if d["url"]} == {docs[i]["url"] for i in (0, 3, 4)}

    from pipeline.admin import index_status
    assert index_status(index_client, settings)["removed_index"] == {
        "name": settings.index.removed_index_name, "articles": 4, "domains": 1}
    records = listing(index_client, settings)
    assert records[0]["kind"] == "domain" and records[0]["domain"] == "b.example"
    assert sum(r["kind"] == "document" for r in records) == 4

    # restored: the next load indexes them again, and the feed lists them again
    assert restore(index_client, settings, domains=["b.example"])["restored"] == 3
    back = bulk_load(index_client, docs, settings, storage=storage, run_id="r3")
    assert back.removed == 1 and back.created == 2                       # the URL removed on its own stays out
    assert {docs[3]["id"], docs[4]["id"]} <= _ids(index_client, new)


def test_enforce_deletes_what_a_load_wrote_past_the_record(index_client, settings, storage):
    """A load that read the blocklist before the removal and wrote after it: the daily enforce takes it out, and
    records a new article of a removed domain."""
    docs = [_doc("a.example", i) for i in range(2)]
    bulk_load(index_client, docs, settings, storage=storage, run_id="r1")
    remove(index_client, settings, ids=[docs[0]["id"]], domains=["late.example"], reason="opt-out")
    write = settings.index.write_alias_name
    index_client.index(index=write, id=docs[0]["id"], document={"id": docs[0]["id"], "domain": "a.example"})
    late = _doc("late.example", 1)
    index_client.index(index=write, id=late["id"], document={"id": late["id"], "domain": "late.example",
                                                             "url": late["url"]})
    index_client.indices.refresh(index=write)
    assert stages.enforce_removals(settings) == {"removed": 2, "remarked": 0}
    assert _ids(index_client, settings.index.read_alias) == {docs[1]["id"]}
    assert {r["url"] for r in listing(index_client, settings) if r["kind"] == "document"} >= {late["url"]}
    assert enforce(index_client, settings) == {"removed": 0, "remarked": 0}
    assert Blocklist.load(index_client, settings).blocked([(late["id"], {"domain": "sub.late.example"}),
                                                           (docs[1]["id"], docs[1])]) == {late["id"]}


def test_the_api_says_a_removed_document_is_gone_and_why(index_client, settings, storage):
    import httpx

    from pipeline.api import create_app
    from tests.test_api import served

    docs = [_doc("a.example", i) for i in range(2)]
    bulk_load(index_client, docs, settings, storage=storage, run_id="r1")
    remove(index_client, settings, ids=[docs[0]["id"]], reason="court order 114")
    with served(create_app(settings, api_key="")) as base:
        r = httpx.get(f"{base}/documents/{docs[0]['id']}")
        assert r.status_code == 410 and "court order 114" in r.json()["error"]
        assert httpx.get(f"{base}/documents/{docs[1]['id']}").status_code == 200
        assert httpx.get(f"{base}/documents/{'f' * 64}").status_code == 404


def test_bad_requests(index_client, settings):
    with pytest.raises(RemoveError, match="name what to remove"):
        remove(index_client, settings, reason="x")
    with pytest.raises(RemoveError, match="give the reason"):
        remove(index_client, settings, domains=["a.example"])
    with pytest.raises(RemoveError, match="not a domain"):
        remove(index_client, settings, domains=["localhost"], reason="x")
    assert listing(index_client, settings) == []
    assert enforce(index_client, settings) == {"removed": 0, "remarked": 0}


def test_the_command(index_client, settings, storage, tmp_path):
    docs = [_doc("a.example", i) for i in range(2)]
    bulk_load(index_client, docs, settings, storage=storage, run_id="r1")
    cfg = cli_config(tmp_path, settings)

    def cli(*args):
        return run_cli(cfg, "remove", *args)

    p = cli("--url", docs[0]["url"])
    assert p.returncode == 2 and "give the reason" in p.stderr
    p = cli("--url", docs[0]["url"], "--reason", "withdrawn", "--dry-run")
    assert p.returncode == 0 and "would remove 1 article" in p.stdout
    p = cli("--url", docs[0]["url"], "--reason", "withdrawn", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["removed"] == 1
    p = cli("--list")
    assert p.returncode == 0 and docs[0]["url"] in p.stdout and "withdrawn" in p.stdout
    p = cli("--restore", "--url", docs[0]["url"])
    assert p.returncode == 0 and "1 record lifted" in p.stdout
    p = cli("--list", "--url", docs[0]["url"])
    assert p.returncode == 2


def test_a_url_with_a_tracking_query_finds_the_article_of_its_canonical_url(index_client, settings, storage):
    """A feed's URL ("?from=rss") is not the article's id, which comes from its canonical URL: the article is found by
    its url field, and no record is left for the id the feed's URL would have had."""
    feed_url = "https://a.example/story/7?from=rss"
    doc = {**_doc("a.example", 7), "url": feed_url}
    bulk_load(index_client, [doc], settings, storage=storage, run_id="r1")
    res = remove(index_client, settings, urls=[feed_url], reason="withdrawn")
    assert (res["removed"], res["records"], res["not_indexed"]) == (1, 1, [])
    assert [r["id"] for r in listing(index_client, settings)] == [doc["id"]]
