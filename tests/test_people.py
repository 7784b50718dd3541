"""The people labels (pipeline.people) against the real node: one facet value per person across spellings and
scripts, raised when a better spelling comes, the same after a migrate, and agreed by loaders running at once."""
from __future__ import annotations

import json
import threading

import pytest
import yaml

from pipeline import stages
from pipeline.admin import index_status, migrate
from pipeline.cli import main
from pipeline.deadletter import TRANSIENT_LOAD_REASONS, read_dead_letters
from pipeline.load import bulk_load, prepare_document
from pipeline.people import PeopleLabels, is_latin, rank, relabel
from pipeline.search import search

pytestmark = pytest.mark.es


def _doc(make_doc, n: int, lang: str, *people: str, **over) -> dict:
    return make_doc(f"https://news.example.org/people/{lang}/{n}", title=f"Story {lang} {n}", language=lang,
                    text=f"Story {n} in {lang}. " * 30,
                    entities={"person": list(people), "organization": [], "location": [], "misc": []}, **over)


def _people(client, settings, doc) -> list[str] | None:
    return client.get(index=settings.index.read_alias, id=doc["id"])["_source"].get("people")


def _facet(client, settings) -> dict[str, int]:
    client.indices.refresh(index=settings.index.read_alias)
    resp = client.search(index=settings.index.read_alias, size=0, aggs={"p": {"terms": {"field": "people"}}})
    return {b["key"]: b["doc_count"] for b in resp["aggregations"]["p"]["buckets"]}


def _registry(client, settings, key: str) -> dict:
    return client.get(index=settings.index.people_index_name, id=key)["_source"]


def test_rank_prefers_the_spelling_english_reads_as_the_key():
    assert rank("Vladimir Putin", "vladimir putin") == 0
    assert rank("Wladimir Putin", "vladimir putin") == 1          # German spelling: Latin, but not the key in English
    assert rank("Владимир Путин", "vladimir putin") == 2          # keyed the same, but not Latin
    assert is_latin("Jean-Luc Mélenchon") and is_latin("Recep Tayyip Erdoğan")
    assert not is_latin("習近平") and not is_latin("Ильдар Сафин") and not is_latin("2024")


def test_one_label_for_every_spelling_and_script(make_doc, index_client, index_settings, storage):
    docs = [_doc(make_doc, 1, "ru", "Владимир Путин", "Ильдар Сафин"),
            _doc(make_doc, 2, "de", "Wladimir Putin", "Olaf Scholz"),
            _doc(make_doc, 3, "en", "Vladimir Putin", "Olaf Scholz"),
            _doc(make_doc, 4, "fr", "Vladimir Poutine"),
            _doc(make_doc, 5, "ja", "習近平"),
            # a document that brings a stale people field (an export loaded again) gets it derived again
            _doc(make_doc, 6, "en", "Vladimir Putin", people=["Somebody Else"])]
    r = bulk_load(index_client, docs, index_settings, storage=storage, run_id="p1")
    assert (r.created, r.failed) == (6, 0)
    assert [_people(index_client, index_settings, d) for d in docs] == [
        ["Vladimir Putin", "Ильдар Сафин"], ["Vladimir Putin", "Olaf Scholz"], ["Vladimir Putin", "Olaf Scholz"],
        ["Vladimir Putin"], ["習近平"], ["Vladimir Putin"]]
    # the facet counts documents per person, where entities.person splits them by spelling
    assert _facet(index_client, index_settings) == {"Vladimir Putin": 5, "Olaf Scholz": 2, "Ильдар Сафин": 1,
                                                    "習近平": 1}
    assert _registry(index_client, index_settings, "vladimir putin")["rank"] == 0
    # the document keeps its own spellings
    src = index_client.get(index=index_settings.index.read_alias, id=docs[0]["id"])["_source"]
    assert src["entities"]["person"] == ["Владимир Путин", "Ильдар Сафин"]
    # loading again changes nothing and asks for no relabelling
    again = bulk_load(index_client, docs, index_settings, storage=storage, run_id="p2")
    assert (again.unchanged, again.relabelled) == (6, 0)


def test_a_better_spelling_raises_the_label_in_earlier_documents(make_doc, index_client, index_settings, storage):
    ru = _doc(make_doc, 1, "ru", "Владимир Путин")
    r = bulk_load(index_client, [ru], index_settings, storage=storage, run_id="a")
    assert r.relabelled == 0 and _people(index_client, index_settings, ru) == ["Владимир Путин"]

    de = _doc(make_doc, 2, "de", "Wladimir Putin")
    r = bulk_load(index_client, [de], index_settings, storage=storage, run_id="b")
    assert r.relabelled == 1
    assert [_people(index_client, index_settings, d) for d in (ru, de)] == [["Wladimir Putin"]] * 2

    en = _doc(make_doc, 3, "en", "Vladimir Putin")
    r = bulk_load(index_client, [en], index_settings, storage=storage, run_id="c")
    assert r.relabelled == 2
    assert _facet(index_client, index_settings) == {"Vladimir Putin": 3}
    entry = _registry(index_client, index_settings, "vladimir putin")
    assert (entry["label"], entry["rank"]) == ("Vladimir Putin", 0)
    assert entry["previous"] == ["Владимир Путин", "Wladimir Putin"]

    # a spelling of the same rank does not take the label over: labels do not flap
    other = _doc(make_doc, 4, "en", "Vladimir PUTIN")
    r = bulk_load(index_client, [other], index_settings, storage=storage, run_id="d")
    assert r.relabelled == 0 and _people(index_client, index_settings, other) == ["Vladimir Putin"]


def test_labels_off_and_a_migrate_that_fills_them(make_doc, index_client, index_settings, storage):
    off = index_settings.model_copy(update={"index": index_settings.index.model_copy(update={"people_labels": False})})
    docs = [_doc(make_doc, 1, "ru", "Владимир Путин"), _doc(make_doc, 2, "de", "Wladimir Putin")]
    bulk_load(index_client, docs, off, storage=storage, run_id="off")
    assert [_people(index_client, index_settings, d) for d in docs] == [None, None]
    assert not index_client.indices.exists(index=index_settings.index.people_index_name)
    # search's people facet joins the spellings of the top names itself then
    index_client.indices.refresh(index=index_settings.index.read_alias)
    facet = search(index_client, off, "", facets=True, size=0)["facets"]["people"]
    assert [(p["count"], len(p["spellings"])) for p in facet] == [(2, 2)]

    # and one document indexed by the loader before labels (version 3): index status counts it, and a migrate by
    # itself chooses the copy that labels
    old = _doc(make_doc, 3, "en", "Dmitry Peskov")
    index_client.index(index=index_settings.index.write_alias_name, id=old["id"], refresh=True,
                       document={**prepare_document(old, index_settings), "loader_version": 3})
    status = index_status(index_client, index_settings)
    assert [i["older_loader"] for i in status["indices"]] == [1]
    assert status["people_index"] == {"name": index_settings.index.people_index_name, "enabled": True,
                                      "labels": None}

    out = migrate(index_client, index_settings)
    assert (out["method"], out["copied"]) == ("bulk", 3)
    # the copy labels them; the German spelling, met in the same page as the Cyrillic one, wins
    assert [_people(index_client, index_settings, d) for d in docs + [old]] == [["Wladimir Putin"]] * 2 + [
        ["Dmitry Peskov"]]
    index_client.indices.refresh(index=index_settings.index.people_index_name)
    status = index_status(index_client, index_settings)
    assert {i["name"]: i["older_loader"] for i in status["indices"]} == {out["from"]: 1, out["to"]: 0}
    assert status["people_index"]["labels"] == 2
    facet = search(index_client, index_settings, "", facets=True, size=0)["facets"]["people"]
    assert [(p["key"], p["count"], len(p["spellings"])) for p in facet] == [("Wladimir Putin", 2, 2),
                                                                             ("Dmitry Peskov", 1, 1)]
    hit = search(index_client, index_settings, "", size=1)["hits"][0]
    assert hit["people"] == ["Wladimir Putin"]


def test_loaders_running_at_once_agree_on_one_label(make_doc, index_client, index_settings, storage):
    # each loader meets the name in its own spelling first; whichever writes first, both end with the best one
    groups = {"uk": [_doc(make_doc, i, "uk", "Володимир Зеленський") for i in range(20)],
              "de": [_doc(make_doc, i, "de", "Wolodymyr Selenskyj") for i in range(20)],
              "en": [_doc(make_doc, i, "en", "Volodymyr Zelensky") for i in range(20)]}
    barrier = threading.Barrier(len(groups))
    errors: list[BaseException] = []

    def load(lang: str) -> None:
        barrier.wait()
        try:
            bulk_load(index_client, groups[lang], index_settings, storage=storage, run_id=f"par-{lang}")
        except BaseException as e:      # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=load, args=(lang,)) for lang in groups]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _facet(index_client, index_settings) == {"Volodymyr Zelensky": 60}


def test_a_loader_with_a_stale_label_mends_what_it_wrote(make_doc, index_client, index_settings, storage):
    # loader A has read the Cyrillic label and keeps writing it; loader B raises the label and relabels before A's
    # documents are there; A's end of load finds its label outdated and rewrites its documents
    idx = index_settings.index
    a = PeopleLabels(index_client, idx.people_index_name)
    early = _doc(make_doc, 1, "uk", "Володимир Зеленський")
    assert a.label([early]) == [["Володимир Зеленський"]]
    bulk_load(index_client, [_doc(make_doc, 2, "en", "Volodymyr Zelensky")], index_settings, storage=storage,
              run_id="b")
    late = _doc(make_doc, 3, "uk", "Володимир Зеленський")
    people = a.label([late])[0]
    assert people == ["Володимир Зеленський"]                 # A's cache: stale
    index_client.index(index=idx.write_alias_name, id=late["id"], document={**late, "people": people})
    stale = a.outdated()
    assert stale == {"Володимир Зеленський"}
    assert relabel(index_client, idx.write_alias_name, a, stale) == 1
    assert _facet(index_client, index_settings) == {"Volodymyr Zelensky": 2}


def test_a_people_index_that_refuses_writes_dead_letters_the_batch(make_doc, index_client, index_settings, storage):
    idx = index_settings.index
    bulk_load(index_client, [_doc(make_doc, 1, "en", "Emmanuel Macron")], index_settings, storage=storage, run_id="a")
    index_client.indices.put_settings(index=idx.people_index_name, settings={"index.blocks.write": True})
    docs = [_doc(make_doc, 2, "de", "Olaf Scholz"), _doc(make_doc, 3, "en", "Keir Starmer")]
    try:
        r = bulk_load(index_client, docs, index_settings, storage=storage, run_id="blocked")
        with pytest.raises(stages.IndexNeedsAttention) as e:
            stages.check_index(index_settings)
    finally:
        index_client.indices.put_settings(index=idx.people_index_name, settings={"index.blocks.write": None})
    # no document indexed without its labels: each is a dead letter that news_health loads again
    assert (r.created, r.failed) == (0, 2)
    letters = list(read_dead_letters(storage, "load", "blocked"))
    assert sorted(d["key"] for d in letters) == sorted(d["id"] for d in docs)
    assert {d["reason"] for d in letters} == {"cluster_block_exception"} <= TRANSIENT_LOAD_REASONS
    assert f"{idx.people_index_name} refuses writes (index.blocks.write)" in str(e.value)
    r = bulk_load(index_client, docs, index_settings, storage=storage, run_id="after")
    assert (r.created, r.failed) == (2, 0)
    assert [_people(index_client, index_settings, d) for d in docs] == [["Olaf Scholz"], ["Keir Starmer"]]


def test_relabel_command_mends_documents_whose_label_was_replaced(make_doc, index_client, index_settings, storage,
                                                                tmp_path, capsys):
    # a label raised twice by loads whose own relabelling did not reach the earlier document (here: the spellings
    # were only labelled, not loaded)
    idx = index_settings.index
    ru = _doc(make_doc, 1, "ru", "Владимир Путин")
    bulk_load(index_client, [ru], index_settings, storage=storage, run_id="ru")
    labels = PeopleLabels(index_client, idx.people_index_name)
    assert labels.label([_doc(make_doc, 2, "de", "Wladimir Putin")]) == [["Wladimir Putin"]]
    assert labels.label([_doc(make_doc, 3, "en", "Vladimir Putin")]) == [["Vladimir Putin"]]
    assert _registry(index_client, index_settings, "vladimir putin")["previous"] == ["Владимир Путин",
                                                                                    "Wladimir Putin"]
    assert _people(index_client, index_settings, ru) == ["Владимир Путин"]

    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": index_settings.elasticsearch.url},
                                   "index": {"name": idx.name}, "storage": {"root": str(tmp_path / "storage")}}))
    assert main(["--config", str(cfg), "index", "relabel", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["index"], out["replaced_labels"], out["relabelled"]) == (idx.read_alias, 2, 1)
    assert _people(index_client, index_settings, ru) == ["Vladimir Putin"]
    assert main(["--config", str(cfg), "index", "relabel"]) == 0          # nothing left to mend
    assert capsys.readouterr().out.startswith("0 documents of ")
