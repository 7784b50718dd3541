"""ensure / migrate / status against the real node."""
from __future__ import annotations

import threading

import pytest

from pipeline.admin import MigrationError, ensure_index, index_status, migrate
from pipeline.es import capabilities
from pipeline.load import bulk_load
from pipeline.search import search

pytestmark = pytest.mark.es


def _aliases(client, alias):
    return sorted(client.indices.get_alias(name=alias))


def test_ensure_is_idempotent(index_client, index_settings):
    idx = index_settings.index
    first = ensure_index(index_client, index_settings)
    assert first["created"] is True and first["template"] == "created"
    assert first["index"] == f"{idx.name}-v1"
    second = ensure_index(index_client, index_settings)
    assert second["created"] is False and second["template"] == "unchanged"
    assert second["added_fields"] == [] and second["needs_migrate"] == []
    assert _aliases(index_client, idx.read_alias) == [f"{idx.name}-v1"]
    w = index_client.indices.get_alias(name=idx.write_alias_name)
    assert w[f"{idx.name}-v1"]["aliases"][idx.write_alias_name]["is_write_index"] is True
    mappings = index_client.indices.get_mapping(index=f"{idx.name}-v1")[f"{idx.name}-v1"]["mappings"]
    assert mappings["dynamic"] == "strict"
    st = index_status(index_client, index_settings)
    assert st["template"] == {"present": True, "up_to_date": True}
    assert st["indices"][0]["documents"] == 0 and st["problems"] == []


def test_concurrent_ensure_creates_one_index(index_client, index_settings):
    errors, results = [], []

    def run():
        try:
            results.append(ensure_index(index_client, index_settings))
        except Exception as e:  # noqa: BLE001 - the assertion below reports it
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r["created"] for r in results) == 1
    name = index_settings.index.name
    assert sorted(index_client.indices.get(index=f"{name}-v*")) == [f"{name}-v1"]


def test_ensure_rejects_concrete_index_in_place_of_alias(index_client, index_settings):
    from pipeline.admin import AdminError

    index_client.indices.create(index=index_settings.index.name)
    with pytest.raises(AdminError, match="concrete index"):
        ensure_index(index_client, index_settings)


def test_migrate_swaps_aliases_while_searches_keep_working(make_doc, index_client, index_settings, storage):
    idx = index_settings.index
    docs = [make_doc(f"https://news.example.org/m/{i}", title=f"Migration story {i}",
                     language="de" if i % 3 == 0 else "en") for i in range(300)]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="m").created == 300

    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def searcher():
        while not stop.is_set():
            try:
                totals.append(search(index_client, index_settings, "Migration story", size=3)["total"])
                totals.append(index_client.count(index=idx.read_alias)["count"])
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

    t = threading.Thread(target=searcher)
    t.start()
    try:
        res = migrate(index_client, index_settings)
    finally:
        stop.set()
        t.join()
    assert errors == []
    assert len(totals) > 4 and set(totals) == {300}
    assert (res["from"], res["to"]) == (f"{idx.name}-v1", f"{idx.name}-v2")
    assert res["documents"] == 300
    assert res["method"] == ("reindex" if capabilities(index_client).has_reindex else "bulk")
    assert _aliases(index_client, idx.read_alias) == [f"{idx.name}-v2"]
    assert _aliases(index_client, idx.write_alias_name) == [f"{idx.name}-v2"]
    assert index_client.indices.exists(index=f"{idx.name}-v1")  # kept unless --delete-old
    # loads after the migrate land in v2 and are idempotent there
    again = bulk_load(index_client, docs, index_settings, storage=storage, run_id="m2")
    assert again.unchanged == 300


def test_migrate_applies_a_new_language(make_doc, index_client, index_settings, storage):
    only_en = index_settings.model_copy(deep=True)
    only_en.index.languages = ["en"]
    docs = [make_doc(f"https://news.example.org/l/{i}", title=f"Hund und Katze {i}", language="de")
            for i in range(20)]
    bulk_load(index_client, docs, only_en, storage=storage, run_id="l")
    src = index_client.get(index=only_en.index.read_alias, id=docs[0]["id"])["_source"]
    assert "title_de" not in src
    with_de = index_settings.model_copy(deep=True)
    with_de.index.languages = ["en", "de"]
    report = ensure_index(index_client, with_de)
    # the new fields either went in place or are reported as needing a migrate, never silently missing
    assert report["added_fields"] == ["text_de", "title_de"] or report["needs_migrate"]
    res = migrate(index_client, with_de, method="bulk", delete_old=True)
    assert res["copied"] == 20 and res["deleted_old"]
    assert not index_client.indices.exists(index=res["from"])
    src = index_client.get(index=with_de.index.read_alias, id=docs[0]["id"])["_source"]
    assert src["title_de"] == docs[0]["title"]
    hits = search(index_client, with_de, "Katze", lang="de", size=50)
    assert hits["total"] == 20


def test_migrate_method_reindex_needs_the_module(make_doc, index_client, index_settings, storage):
    bulk_load(index_client, [make_doc()], index_settings, storage=storage, run_id="r")
    if capabilities(index_client).has_reindex:
        res = migrate(index_client, index_settings, method="reindex")
        assert res["method"] == "reindex" and res["documents"] == 1
    else:
        with pytest.raises(MigrationError, match="no reindex module"):
            migrate(index_client, index_settings, method="reindex")
        assert index_status(index_client, index_settings)["problems"] == []  # nothing was changed


def test_half_done_migrate_is_resumed(make_doc, index_client, index_settings, storage):
    idx = index_settings.index
    docs = [make_doc(f"https://news.example.org/h/{i}") for i in range(10)]
    bulk_load(index_client, docs, index_settings, storage=storage, run_id="h")
    # what a migrate that died after moving the write alias leaves behind
    index_client.indices.create(index=f"{idx.name}-v2")
    index_client.indices.update_aliases(actions=[
        {"remove": {"index": f"{idx.name}-v1", "alias": idx.write_alias_name}},
        {"add": {"index": f"{idx.name}-v2", "alias": idx.write_alias_name, "is_write_index": True}}])
    late = make_doc("https://news.example.org/h/late")
    assert bulk_load(index_client, [late], index_settings, storage=storage, run_id="h2").created == 1
    st = index_status(index_client, index_settings)
    assert any("half done" in p for p in st["problems"])
    res = migrate(index_client, index_settings)
    assert res["resumed"] and (res["copied"], res["documents"]) == (10, 11)
    assert _aliases(index_client, idx.read_alias) == [f"{idx.name}-v2"]
    assert index_status(index_client, index_settings)["problems"] == []


def test_create_next_version_then_swap(make_doc, index_client, index_settings, storage):
    from pipeline.admin import create_next_version, swap_aliases

    idx = index_settings.index
    old_docs = [make_doc(f"https://news.example.org/n/{i}") for i in range(3)]
    bulk_load(index_client, old_docs, index_settings, storage=storage, run_id="n")
    nxt = create_next_version(index_client, index_settings)
    assert nxt == {"index": f"{idx.name}-v2", "previous": f"{idx.name}-v1", "created": True}
    # the replay writes into v2 while searches still read v1
    bulk_load(index_client, old_docs[:2], index_settings, storage=storage, run_id="n2")
    assert index_client.count(index=idx.read_alias)["count"] == 3
    res = swap_aliases(index_client, index_settings, nxt["index"])
    assert res["previous"] == [f"{idx.name}-v1"]
    index_client.indices.refresh(index=idx.read_alias)
    assert index_client.count(index=idx.read_alias)["count"] == 2
    assert _aliases(index_client, idx.read_alias) == _aliases(index_client, idx.write_alias_name) == [f"{idx.name}-v2"]


def test_ensure_adds_entity_words_to_an_older_index_and_migrate_fills_them(make_doc, index_client, index_settings,
                                                                           storage, caplog):
    import logging

    from pipeline import mapping, stages

    idx = index_settings.index
    docs = [make_doc(f"https://news.example.org/w/{i}", language="de",
                     entities={"person": [f"Vladimir Putin {i}"], "organization": [], "location": ["Moskau"],
                               "misc": []})
            for i in range(3)]
    # an index made before entity names had their words beside them (no template yet, no aliases: ensure adopts
    # it), with two documents in it
    old = mapping.build_mappings(index_settings)
    for spec in old["properties"]["entities"]["properties"].values():
        del spec["fields"]
    del old["properties"]["entity_keys"]          # and before the loader keyed the names (pipeline.namekeys)
    index_client.indices.create(index=f"{idx.name}-v1", mappings=old)
    index_client.bulk(operations=[x for d in docs[:2] for x in ({"index": {"_index": f"{idx.name}-v1",
                                                                             "_id": d["id"]}}, d)], refresh=True)
    # the DAGs' ensure_index task: the new sub-fields go in, and the task log says a migrate must fill them
    with caplog.at_level(logging.INFO, logger="newsetl.stages"):
        assert stages.ensure_index(index_settings)["index"] == f"{idx.name}-v1"
    words = ", ".join(sorted(f"entities.{t}.words" for t in ("misc", "location", "organization", "person")))
    logged = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("INFO", f"fields added to {idx.name}-v1: entity_keys, {words}") in logged
    assert ("WARNING", f"index {idx.name}-v1 needs a migrate: entity_keys: added in place; documents indexed before "
                       f"have no values in it until a migrate copies them") in logged
    assert ("WARNING", f"index {idx.name}-v1 needs a migrate: {words}: added in place; documents indexed before "
                       f"have no values in them until a migrate copies them") in logged
    props = index_client.indices.get_mapping(index=f"{idx.name}-v1")[f"{idx.name}-v1"]["mappings"]["properties"]
    assert props["entities"]["properties"]["person"]["fields"]["words"]["type"] == "text"
    bulk_load(index_client, docs[2:], index_settings, storage=storage, run_id="w")
    index_client.indices.refresh(index=idx.read_alias)

    def found(name):
        return sorted(h["id"] for h in search(index_client, index_settings, "", entities=[("person", name)],
                                              size=10)["hits"])

    assert found("vladimir putin 0") == [docs[0]["id"]]      # the older documents: by their exact name, case aside
    assert found("putin") == [docs[2]["id"]]                 # by words: where the sub-field was filled
    assert found("Путин") == [docs[2]["id"]]                 # by keys: where the loader added them
    assert [h["id"] for h in search(index_client, index_settings, "", country="RU")["hits"]] == [docs[2]["id"]]
    from pipeline.admin import _lacks_keys
    assert _lacks_keys(index_client, f"{idx.name}-v1")      # so `migrate --method auto` copies with bulk
    res = migrate(index_client, index_settings, method="bulk", delete_old=True)
    assert res["copied"] == 3 and not _lacks_keys(index_client, res["to"])
    # the copy added what the loader derives now: the places in English and their countries
    assert sorted(h["id"] for h in search(index_client, index_settings, "", country="RU", size=10)["hits"]) == \
        sorted(d["id"] for d in docs)
    assert found("putin") == found("Путин") == sorted(d["id"] for d in docs)
    assert ensure_index(index_client, index_settings)["needs_migrate"] == []
