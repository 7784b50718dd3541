"""The learned gazetteer (pipeline/learned.py, ``newsetl entities learn``, processing.entities.learned_gazetteer):
learned from a real index, written as YAML, applied to the languages without a model."""
from __future__ import annotations

import datetime as dt
import json
import os

import pytest
import yaml

from pipeline.entities import recognize
from pipeline.learned import (LearnedGazetteerError, counts_from_documents, learn, learned_document, output_location,
                              read_names, select, target_languages, write)
from pipeline.settings.processing import EntitySettings
from tests.plugins.docs import indexed, make_document

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)


def _ents(person=(), organization=(), location=()):
    return {"person": list(person), "organization": list(organization), "location": list(location), "misc": []}


def _docs() -> list[dict]:
    """(names, type, documents as (source, language)); each a document of its own naming the name."""
    rows = [
        # kept: 4 documents, 3 sources, two languages
        ("Olaf Scholz", "person", [("dw", "de"), ("bbc", "en"), ("bbc", "en"), ("lemonde", "fr")]),
        ("European Commission", "organization", [("bbc", "en"), ("guardian", "en"), ("bbc", "en")]),
        ("NATO", "organization", [("bbc", "en"), ("dw", "de"), ("guardian", "en")]),
        # too few documents
        ("Jan Novak", "person", [("bbc", "en"), ("dw", "de")]),
        # too few sources
        ("Anna Kowalczyk", "person", [("local", "en")] * 4),
        # one word: too ambiguous
        ("Scholz", "person", [("bbc", "en"), ("dw", "de"), ("lemonde", "fr")]),
        # an acronym of one language only
        ("OTAN", "organization", [("lemonde", "fr"), ("figaro", "fr"), ("liberation", "fr")]),
        # common words of the target languages: Dutch months, a Dutch/Afrikaans stop word
        ("Mei Juni", "person", [("bbc", "en"), ("dw", "de"), ("guardian", "en")]),
        ("DIE", "organization", [("bbc", "en"), ("dw", "de"), ("guardian", "en")]),
        # an organisation of one word that is no acronym
        ("Siemens", "organization", [("bbc", "en"), ("dw", "de"), ("guardian", "en")]),
    ]
    docs, i = [], 0
    for name, t, where in rows:
        for source, lang in where:
            i += 1
            docs.append(make_document(f"https://news.example.org/learn/{i}", title=f"Story {i}", source=source,
                                      language=lang, text=f"Story {i} of the week. " * 20,
                                      entities=_ents(**{t: [name]})))
    # a name typed otherwise in most of its documents is out: person in 3, place in 3
    for j, (t, source) in enumerate([("person", "bbc"), ("person", "dw"), ("person", "guardian"),
                                     ("location", "bbc"), ("location", "dw"), ("location", "guardian")]):
        docs.append(make_document(f"https://news.example.org/learn/jordan/{j}", title=f"Jordan {j}", source=source,
                                  text=f"Jordan story {j}. " * 20, entities=_ents(**{t: ["Jordan Valley"]})))
    # documents no model processed do not count
    for j, source in enumerate(["bbc", "dw", "guardian", "lemonde"]):
        docs.append(make_document(f"https://news.example.org/learn/gaz/{j}", title=f"Gaz {j}", source=source,
                                  language="nl", text=f"Verhaal {j} van de week. " * 20, entities_status="gazetteer",
                                  entities=_ents(person=["Karel Havel"])))
    return docs


@pytest.fixture
def loaded(index_client, index_settings, storage):
    indexed(index_client, index_settings, storage, _docs(), run_id="learn")
    return index_settings


def _names(doc: dict) -> dict[str, list[str]]:
    return {t: [row["name"] for row in rows] for t, rows in doc["names"].items()}


def test_learning_keeps_frequent_multiword_names_from_several_sources(index_client, loaded):
    doc, dropped = learn(index_client, loaded, min_docs=3, min_sources=2, now=NOW)
    assert _names(doc) == {"person": ["Olaf Scholz"], "organization": ["European Commission", "NATO"]}
    assert doc["documents"] == 37                     # the documents a model processed
    assert doc["counts"] == {"person": 1, "organization": 2}
    assert doc["thresholds"]["min_docs"] == 3 and doc["thresholds"]["min_sources"] == 2
    assert doc["learned_at"] == "2026-11-29T12:00:00+00:00"
    scholz = doc["names"]["person"][0]
    assert scholz == {"name": "Olaf Scholz", "documents": 4, "sources": 3, "languages": 3}
    # why the others are out
    # Jan Novak (two documents): the aggregation itself leaves out what has too few
    assert dropped["few_sources"] == 1                                      # Anna Kowalczyk
    assert dropped["one_word_person"] == 1                                  # Scholz
    assert dropped["acronym_in_one_language"] == 1                          # OTAN
    assert dropped["common_words"] == 2                                     # Mei Juni, DIE
    assert dropped["one_word_organization"] == 1                            # Siemens
    assert dropped["type_disputed"] == 1                                    # Jordan Valley
    # the same logic over the documents themselves (the benchmark's way) gives the same file
    total, counts = counts_from_documents(_docs())
    kept, _ = select(counts, min_docs=3, min_sources=2, languages=target_languages(loaded))
    assert learned_document(kept, documents=total, min_docs=3, min_sources=2, now=NOW,
                            index=loaded.index.read_alias) == doc
    # a higher threshold leaves out what has fewer documents
    doc, _ = learn(index_client, loaded, min_docs=4, min_sources=2, now=NOW)
    assert _names(doc) == {"person": ["Olaf Scholz"], "organization": []}
    # fewer sources asked: Anna Kowalczyk (one source) is in
    doc, _ = learn(index_client, loaded, min_docs=3, min_sources=1, now=NOW)
    assert "Anna Kowalczyk" in _names(doc)["person"] and "Karel Havel" not in _names(doc)["person"]


def test_the_yaml_is_deterministic(index_client, loaded, tmp_path):
    from pipeline.storage import Storage

    texts = []
    for k in range(2):
        doc, _ = learn(index_client, loaded, min_docs=3, min_sources=2, now=NOW)
        path = write(doc, Storage(tmp_path), f"learned-{k}.yaml")
        texts.append(open(path, encoding="utf-8").read())
    assert texts[0] == texts[1]
    data = yaml.safe_load(texts[0])
    assert list(data) == ["learned_at", "index", "documents", "thresholds", "counts", "names"]
    assert data["index"] == loaded.index.read_alias
    # the default place: under the storage root
    storage, rel = output_location(loaded)
    assert rel == "entities/learned-gazetteer.yaml" and storage.root == os.path.abspath(loaded.storage.root)


@pytest.fixture
def learned_file(index_client, loaded, tmp_path):
    from pipeline.storage import Storage

    doc, _ = learn(index_client, loaded, min_docs=3, min_sources=2, now=NOW)
    return write(doc, Storage(tmp_path), "learned.yaml")


DUTCH = ("Bondskanselier Olaf Scholz sprak maandag in Brussel met de European Commission over de steun van de NATO "
         "aan Oekraïne. Volgens Scholz is er nog veel werk te doen.")
POLISH = ("Kanclerz Olaf Scholz rozmawiał w poniedziałek z przedstawicielami NATO o pomocy dla Ukrainy, a European "
          "Commission zapowiedziała nowe sankcje.")


def _found(res) -> dict[str, str]:
    return {e["name"]: e["type"] for e in res.entities}


def test_applied_to_languages_without_a_model(learned_file):
    s = EntitySettings(learned_gazetteer=learned_file)
    for text, lang in ((DUTCH, "nl"), (POLISH, "pl")):
        res = recognize(text, lang, s)
        assert res.status == "gazetteer", res
        assert _found(res) == {"Olaf Scholz": "person", "European Commission": "organization",
                               "NATO": "organization"}
    # off by default: the same Dutch text has no entities
    assert recognize(DUTCH, "nl", EntitySettings()).status == "no_model"
    # a language written without spaces gets none of them
    assert recognize("Olaf Scholzは", "zh", s).status == "no_model"


def test_not_applied_where_a_model_runs_unless_asked(learned_file, tmp_path):
    # the model's languages never read the file: a missing one changes nothing there
    missing = str(tmp_path / "missing.yaml")
    res = recognize("Olaf Scholz met NATO leaders in Brussels on Monday.", "en",
                    EntitySettings(learned_gazetteer=missing))
    assert res.status == "ok"
    # asked for (learned_gazetteer_with_model), it is read there too
    res = recognize("Olaf Scholz met NATO leaders in Brussels on Monday.", "en",
                    EntitySettings(learned_gazetteer=missing, learned_gazetteer_with_model=True))
    assert res.status == "error" and "processing.entities.learned_gazetteer" in res.error
    # a name the model misses is added; the model's own findings keep their types
    text = "READ MORE: Olaf Scholz"
    assert recognize(text, "en", EntitySettings(learned_gazetteer=learned_file)).entities == []
    res = recognize(text, "en", EntitySettings(learned_gazetteer=learned_file, learned_gazetteer_with_model=True))
    assert res.status == "ok" and _found(res) == {"Olaf Scholz": "person"}


def test_the_deployment_gazetteer_wins(learned_file):
    s = EntitySettings(learned_gazetteer=learned_file,
                       gazetteer={"nl": {"Olaf Scholz": "organization"}, "*": {"NATO": "drop"}})
    res = recognize(DUTCH, "nl", s)
    assert _found(res) == {"Olaf Scholz": "organization", "European Commission": "organization"}
    # Polish: only the '*' entry applies
    assert _found(recognize(POLISH, "pl", s)) == {"Olaf Scholz": "person", "European Commission": "organization"}


def test_a_missing_or_broken_file_is_a_clear_error(tmp_path, learned_file):
    missing = str(tmp_path / "nope" / "learned.yaml")
    res = recognize(DUTCH, "nl", EntitySettings(learned_gazetteer=missing))
    assert res.status == "error" and res.entities == []
    assert res.error.startswith(f"processing.entities.learned_gazetteer: {missing}:")
    assert "newsetl entities learn" in res.error
    with pytest.raises(LearnedGazetteerError, match="processing.entities.learned_gazetteer"):
        read_names(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("names: [not, a, mapping")
    with pytest.raises(LearnedGazetteerError, match="is not a learned gazetteer"):
        read_names(str(broken))


def test_a_new_file_is_read_again(learned_file):
    s = EntitySettings(learned_gazetteer=learned_file)
    assert "Olaf Scholz" in _found(recognize(DUTCH, "nl", s))
    data = yaml.safe_load(open(learned_file, encoding="utf-8"))
    data["names"]["person"] = [{"name": "Ursula von der Leyen", "documents": 9, "sources": 4, "languages": 1}]
    with open(learned_file, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f)
    st = os.stat(learned_file)
    os.utime(learned_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    res = recognize(DUTCH + " Ursula von der Leyen was er ook.", "nl", s)
    assert _found(res) == {"Ursula von der Leyen": "person", "European Commission": "organization",
                           "NATO": "organization"}


def test_the_command(index_client, loaded, tmp_path):
    from tests.cfgutil import cli_config, run_cli

    cfg = cli_config(tmp_path, loaded)
    out = tmp_path / "out" / "learned.yaml"
    p = run_cli(cfg, "entities", "learn", "--min-docs", "3", "--dry-run")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0].startswith("1 person, 2 organisations from 37 documents a model processed")
    assert "would write" in p.stdout and "entities/learned-gazetteer.yaml" in p.stdout
    assert not os.path.exists(os.path.join(loaded.storage.root, "entities"))
    p = run_cli(cfg, "entities", "learn", "--min-docs", "3", "--min-sources", "2", "--output", str(out))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == f"written to {out}"
    assert _names(yaml.safe_load(out.read_text())) == {"person": ["Olaf Scholz"],
                                                        "organization": ["European Commission", "NATO"]}
    p = run_cli(cfg, "entities", "learn", "--min-docs", "4", "--json")
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["counts"] == {"person": 1, "organization": 0} and summary["written"]
    assert os.path.exists(os.path.join(loaded.storage.root, "entities", "learned-gazetteer.yaml"))
    p = run_cli(cfg, "entities", "learn", "--min-docs", "0")
    assert p.returncode == 2 and "--min-docs" in p.stderr


def test_the_command_without_an_index(index_settings, tmp_path):
    from tests.cfgutil import cli_config, run_cli

    p = run_cli(cli_config(tmp_path, index_settings), "entities", "learn")
    assert p.returncode == 1
    assert p.stderr.strip().splitlines() == [
        f"newsetl entities: the index {index_settings.index.read_alias!r} does not exist: run `newsetl index "
        "ensure` and load documents"]
