"""The news_maintenance DAG (dags/news_maintenance.py, ``stages.learn_gazetteer``) with real Airflow (``dag.test()``)
and the real Elasticsearch node: it learns the learned gazetteer from the index and writes it where
processing.entities.learned_gazetteer says; a much smaller index does not replace a good file unless forced, and a
forced run keeps the old file beside the new one; with the setting null the run is skipped. The command
``newsetl entities learn`` goes through the same function and the same guard."""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import uuid
from pathlib import Path

import pytest
import yaml

from pipeline.learned import LearnedGazetteerShrinks, backup_path, read_names
from pipeline.load import bulk_load
from pipeline.settings import load_settings
from pipeline.storage import Storage
from tests.plugins.docs import make_document

REPO = Path(__file__).resolve().parents[1]

# each name is in three documents of three sources (the default thresholds here: 2 documents, 2 sources)
BIG = {"person": ["Olaf Scholz", "Ursula von der Leyen", "Kaja Kallas", "Antonio Costa", "Roberta Metsola",
                  "Mark Rutte"],
       "organization": ["European Commission", "World Health Organization", "NATO", "Deutsche Bahn"]}
SMALL = {"person": ["Olaf Scholz"], "organization": ["NATO"]}      # 8 of the 10 names gone: 80 % lost


def _documents(names: dict[str, list[str]], tag: str) -> list[dict]:
    docs = []
    for t, listed in names.items():
        for k, name in enumerate(listed):
            for j, (source, lang) in enumerate([("bbc", "en"), ("dw", "de"), ("lemonde", "fr")]):
                ents = {"person": [], "organization": [], "location": [], "misc": []}
                ents[t] = [name]
                docs.append(make_document(f"https://news.example.org/{tag}/{t}/{k}/{j}", title=f"{name} story {j}",
                                          source=source, language=lang, text=f"A story about {name}, {j}. " * 20,
                                          entities=ents))
    return docs


def _load(es_url: str, index: str, root: Path, docs: list[dict]) -> None:
    settings = load_settings(overrides={"elasticsearch": {"url": es_url, "api_key": None, "username": None,
                                                          "password": None},
                                        "index": {"name": index}, "storage": {"root": str(root)}})
    from pipeline.es import client_from_settings

    client = client_from_settings(settings)
    try:
        assert bulk_load(client, docs, settings, storage=Storage(root), run_id="maint").created == len(docs)
        client.indices.refresh(index=settings.index.read_alias)
    finally:
        client.close()


def _install(tmp_path: Path, es_url: str, index: str, learned: Path | None, **entities) -> dict[str, str]:
    ent = {"learn_min_docs": 2, "learn_min_sources": 2, **entities}
    if learned is not None:
        ent["learned_gazetteer"] = str(learned)
    cfg = tmp_path / f"newsetl-{index}-{uuid.uuid4().hex[:6]}.yaml"      # one file per call: earlier ones stay
    cfg.write_text(yaml.safe_dump({"storage": {"root": str(tmp_path / "store")}, "elasticsearch": {"url": es_url},
                                   "index": {"name": index}, "processing": {"entities": ent}}))
    return {"NEWSETL_CONFIG": str(cfg), "NEWSETL_SOURCES": str(REPO / "config" / "sources.yaml")}


def _dag(env: dict[str, str]):
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        spec = importlib.util.spec_from_file_location(f"dag_news_maintenance_{uuid.uuid4().hex[:6]}",
                                                      REPO / "dags" / "news_maintenance.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.news_maintenance_dag


def _run(env: dict[str, str], conf: dict | None = None):
    dag = _dag(env)
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        return dag.test(run_conf=conf or {})


def _returned(dr) -> dict:
    """What the learn_gazetteer task returned (its XCom)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = session.scalars(XComModel.get_many(run_id=dr.run_id, dag_ids=dr.dag_id, task_ids="learn_gazetteer",
                                                 key="return_value")).first()
        assert row is not None, "learn_gazetteer returned nothing"
        value = row.value
    return json.loads(value) if isinstance(value, str) else value


def _names(path: Path) -> dict[str, list[str]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {t: [row["name"] for row in rows] for t, rows in doc["names"].items()}


@pytest.mark.es
@pytest.mark.airflow
def test_the_dag_learns_refuses_a_much_smaller_list_and_replaces_it_when_forced(tmp_path, es_url, es_prefix,
                                                                                 airflow_db):
    learned = tmp_path / "entities" / "learned-gazetteer.yaml"
    backup = Path(backup_path(str(learned)))
    _load(es_url, f"{es_prefix}big", tmp_path / "load", _documents(BIG, "big"))
    big = _install(tmp_path, es_url, f"{es_prefix}big", learned)
    assert _dag(big).schedule == "@weekly"

    dr = _run(big)
    assert dr.state == "success"
    assert _names(learned) == {t: sorted(v, key=str.casefold) for t, v in BIG.items()}
    assert not backup.exists()                                      # nothing to keep the first time
    out = _returned(dr)
    assert out["counts"] == {"person": 6, "organization": 4} and out["documents"] == 30
    assert (out["previous"], out["added"], out["dropped"], out["written"]) == (None, 10, 0, True)
    assert out["path"] == str(learned) and out["backup"] is None
    first = learned.read_bytes()
    assert set(read_names(str(learned))) == set(BIG["person"] + BIG["organization"])   # a worker has read it

    # the index recreated with little in it: the run fails at once, the file stays as it was
    _load(es_url, f"{es_prefix}small", tmp_path / "load", _documents(SMALL, "small"))
    small = _install(tmp_path, es_url, f"{es_prefix}small", learned)
    dr = _run(small)
    assert dr.state == "failed"
    ti = dr.get_task_instance("learn_gazetteer")
    assert ti.state == "failed" and ti.try_number == 1             # refused: not retried
    assert learned.read_bytes() == first and not backup.exists()

    # a dry run says the same and writes nothing
    dr = _run(small, {"dry_run": True})
    assert dr.state == "success"
    out = _returned(dr)
    assert out["written"] is False and (out["previous"], out["added"], out["dropped"]) == (10, 0, 8)
    assert "would drop 8 of the 10 names" in out["refused"] and "learn_max_loss 50%" in out["refused"]
    assert learned.read_bytes() == first

    # a looser limit lets the same drop through unforced, keeping the old file beside the new one
    dr = _run(_install(tmp_path, es_url, f"{es_prefix}small", learned, learn_max_loss=0.9))
    assert dr.state == "success" and _returned(dr)["forced"] is False
    assert _names(learned) == SMALL and backup.read_bytes() == first

    # the big index again: names added, nothing dropped
    dr = _run(big)
    assert dr.state == "success" and (_returned(dr)["added"], _returned(dr)["dropped"]) == (8, 0)
    second = learned.read_bytes()
    assert set(read_names(str(learned))) == set(BIG["person"] + BIG["organization"])

    # forced: replaced, the old file kept beside it, and a worker reads the new one
    dr = _run(small, {"force": True})
    assert dr.state == "success"
    out = _returned(dr)
    assert (out["written"], out["forced"], out["dropped"], out["backup"]) == (True, True, 8, str(backup))
    assert _names(learned) == SMALL
    assert backup.read_bytes() == second
    assert set(read_names(str(learned))) == {"Olaf Scholz", "NATO"}
    # the files before it kept a generation back each (learn_backups 4), and no temporary left
    assert sorted(p.name for p in learned.parent.iterdir()) == [
        "learned-gazetteer.previous-2.yaml", "learned-gazetteer.previous-3.yaml", "learned-gazetteer.previous.yaml",
        "learned-gazetteer.yaml"]
    assert backup.with_name("learned-gazetteer.previous-3.yaml").read_bytes() == first


@pytest.mark.es
@pytest.mark.airflow
def test_with_the_feature_off_the_dag_has_no_schedule_and_a_run_is_skipped(tmp_path, es_url, es_prefix, airflow_db):
    _load(es_url, f"{es_prefix}off", tmp_path / "load", _documents(SMALL, "off"))
    env = _install(tmp_path, es_url, f"{es_prefix}off", None)
    assert _dag(env).schedule is None
    dr = _run(env)
    assert dr.get_task_instance("learn_gazetteer").state == "skipped"
    assert not (tmp_path / "store" / "entities").exists()           # nothing written, not even the default path


@pytest.mark.es
def test_the_command_goes_through_the_same_guard(tmp_path, es_url, es_prefix):
    from tests.cfgutil import run_cli

    learned = tmp_path / "learned.yaml"
    _load(es_url, f"{es_prefix}big", tmp_path / "load", _documents(BIG, "big"))
    _load(es_url, f"{es_prefix}small", tmp_path / "load", _documents(SMALL, "small"))
    big = Path(_install(tmp_path, es_url, f"{es_prefix}big", learned)["NEWSETL_CONFIG"])
    small = Path(_install(tmp_path, es_url, f"{es_prefix}small", learned)["NEWSETL_CONFIG"])
    p = run_cli(big, "entities", "learn")                           # thresholds from the settings: 2 and 2
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [
        "6 people, 4 organisations from 30 documents a model processed (left out: none)", f"written to {learned}"]
    first = learned.read_bytes()

    p = run_cli(small, "entities", "learn", "--dry-run")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[1] == "0 added, 8 dropped of the 10 names of the file there"
    assert p.stdout.splitlines()[-1].startswith("would refuse to replace it: ")

    p = run_cli(small, "entities", "learn")
    assert p.returncode == 1 and learned.read_bytes() == first
    (line,) = p.stderr.strip().splitlines()
    assert f"{learned}: the new learned gazetteer would drop 8 of the 10 names" in line
    assert "processing.entities.learn_max_loss" in line and "--force" in line

    p = run_cli(small, "entities", "learn", "--force", "--json")
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["forced"] and summary["written"] and summary["backup"] == backup_path(str(learned))
    assert Path(summary["backup"]).read_bytes() == first and _names(learned) == SMALL


@pytest.mark.es
def test_the_log_names_what_was_added_and_dropped(tmp_path, es_url, es_prefix, caplog):
    from pipeline import stages

    learned = tmp_path / "learned.yaml"
    _load(es_url, f"{es_prefix}big", tmp_path / "load", _documents(BIG, "big"))
    _load(es_url, f"{es_prefix}small", tmp_path / "load", _documents(SMALL, "small"))
    big = load_settings(_install(tmp_path, es_url, f"{es_prefix}big", learned)["NEWSETL_CONFIG"])
    small = load_settings(_install(tmp_path, es_url, f"{es_prefix}small", learned)["NEWSETL_CONFIG"])
    with caplog.at_level(logging.INFO, logger="newsetl.stages"):
        stages.learn_gazetteer(small)
        stages.learn_gazetteer(big)
        with pytest.raises(LearnedGazetteerShrinks):
            stages.learn_gazetteer(small)
        stages.learn_gazetteer(small, force=True)
    lines = [r.getMessage() for r in caplog.records if r.name == "newsetl.stages"]
    assert lines[0].endswith("no file before")
    assert lines[1] == ("learned gazetteer: 6 people, 4 organisations from 30 documents a model processed "
                        "(min_docs 2, min_sources 2); 8 added (Deutsche Bahn, European Commission, World Health "
                        f"Organization, Antonio Costa, Kaja Kallas, …), 0 dropped of the 2 names of {learned}")
    assert lines[2].endswith("0 added, 8 dropped (Deutsche Bahn, European Commission, World Health Organization, "
                             f"Antonio Costa, Kaja Kallas, …) of the 10 names of {learned}")
    assert lines[-1] == (f"forced: {learned} is replaced although the new names drop 8 of its 10 (the old file is "
                         f"kept as {backup_path(str(learned))})")


def test_a_bad_learn_schedule_or_loss_is_a_config_error(tmp_path):
    from tests.cfgutil import config_error

    msg = config_error(tmp_path, "processing:\n  entities:\n    learn_schedule: every full moon\n")
    assert "processing.entities.learn_schedule" in msg and "not a schedule" in msg
    msg = config_error(tmp_path, "processing:\n  entities:\n    learn_max_loss: 2\n")
    assert "processing.entities.learn_max_loss" in msg
    assert load_settings(overrides={"processing": {"entities": {"learn_schedule": None}}}) \
        .processing.entities.learn_schedule is None
    assert os.path.basename(backup_path("entities/learned-gazetteer.yaml")) == "learned-gazetteer.previous.yaml"


def test_the_replaced_files_rotate_and_the_oldest_go(tmp_path):
    """``learned.replace`` keeps ``backups`` generations: the last file replaced as .previous, the one before as
    .previous-2; past the number, the oldest is removed, also when the number was lowered."""
    from pipeline.learned import replace
    from pipeline.storage import Storage

    storage = Storage(str(tmp_path))
    rel = "entities/learned-gazetteer.yaml"

    def doc(n: int) -> dict:
        return {"documents": n, "names": {"person": [{"name": f"Person {n}"}]}}

    def kept() -> dict[str, set[str]]:
        return {p.name: set(read_names(str(p))) for p in sorted((tmp_path / "entities").iterdir())}

    for n in range(1, 5):
        replace(doc(n), storage, rel, backups=2)
    assert kept() == {"learned-gazetteer.previous-2.yaml": {"Person 2"}, "learned-gazetteer.previous.yaml":
                      {"Person 3"}, "learned-gazetteer.yaml": {"Person 4"}}
    replace(doc(5), storage, rel, backups=1)                     # lowered: .previous-2 goes
    assert kept() == {"learned-gazetteer.previous.yaml": {"Person 4"}, "learned-gazetteer.yaml": {"Person 5"}}
    assert backup_path(rel, 3) == "entities/learned-gazetteer.previous-3.yaml"
