"""Snapshots of the news index and its side indices, against the real node (an ``fs`` repository under its
path.repo, which tools/elasticsearch-local sets): a restore after losing every index brings back the documents, the
people labels, the removals (which keep blocking the article), the stored watches and the aliases; retention keeps
the newest and never touches another index's snapshots; a restore over existing indices needs --replace; a restore
after a replay puts the aliases back and leaves the newer version; check_index fails when the last snapshot is old;
the command and the news_snapshot DAG (dag.test()) do the same."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import uuid
from pathlib import Path

import pytest
import yaml

from pipeline import admin, stages
from pipeline.load import bulk_load
from pipeline.removals import record_of, remove
from pipeline.settings import load_settings
from pipeline.settings.snapshots import SnapshotSettings
from pipeline.snapshots import SnapshotError, create, listing, restore, staleness
from pipeline.apikeys import StoredKeys, add_key
from pipeline.watches import Watch, load_all, put_watch
from tests.cfgutil import config_error, run_cli
from tests.plugins.docs import make_document
from tests.plugins.es import delete_by_prefix

pytestmark = pytest.mark.es
REPO = Path(__file__).resolve().parents[1]
T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def path_repo(es_client) -> str:
    nodes = es_client.nodes.info(metric="settings")["nodes"]
    repo = next(iter(nodes.values()))["settings"].get("path", {}).get("repo")
    if not repo:
        pytest.skip("the test node has no path.repo (tools/elasticsearch-local sets one; an external node may not)")
    return repo[0] if isinstance(repo, list) else repo


@pytest.fixture
def snap_settings(index_settings, es_prefix, es_client, path_repo):
    """index_settings with an fs repository of this test's own (registered on first use), keep 2."""
    name = f"{es_prefix}repo"
    yield index_settings.model_copy(update={"snapshots": SnapshotSettings(
        repository=name, type="fs", settings={"location": name}, keep=2)})
    try:
        es_client.snapshot.delete_repository(name=name)
    except Exception:
        pass


def _config_file(tmp_path, s) -> Path:
    """A newsetl.yaml for ``s``'s cluster, index, storage and snapshots (a command or a DAG in its own process)."""
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": s.elasticsearch.url}, "index": {"name": s.index.name},
                                   "storage": {"root": s.storage.root},
                                   "snapshots": s.snapshots.model_dump(exclude_defaults=True)}))
    return cfg


def _docs(n: int, people: bool = True) -> list[dict]:
    return [make_document(f"https://news.example.org/snap/{i}", title=f"Story {i}",
                          entities={"person": ["Amina Odhiambo"] if people else [], "organization": [],
                                    "location": [], "misc": []})
            for i in range(n)]


def _ids(client, alias) -> set[str]:
    client.indices.refresh(index=alias)
    return {h["_id"] for h in client.search(index=alias, size=100, query={"match_all": {}})["hits"]["hits"]}


def test_restore_after_losing_every_index_brings_back_documents_labels_removals_and_aliases(
        snap_settings, index_client, storage, es_client, es_prefix):
    s = snap_settings
    idx = s.index
    admin.ensure_index(index_client, s)
    docs = _docs(3)
    bulk_load(index_client, docs, s, storage=storage, run_id="r1")
    gone = docs[0]["id"]
    remove(index_client, s, ids=[gone], reason="court order 12/2026")
    put_watch(index_client, storage, s, Watch(name="snap-stored", query="story", enabled=False), by="test")
    key, _ = add_key(index_client, s, "snap-svc", note="kept by the snapshot")
    assert index_client.indices.exists(index=idx.people_index_name)
    index_client.indices.refresh(index=idx.people_index_name)
    labels = index_client.count(index=idx.people_index_name)["count"]
    assert labels >= 1
    before = _ids(index_client, idx.read_alias)
    assert before == {d["id"] for d in docs[1:]}

    res = create(index_client, s, now=T0)
    assert res["state"] == "SUCCESS" and res["snapshot"] == f"{idx.name}-2026.03.01-12.00.00"
    assert set(res["indices"]) == {f"{idx.name}-v1", idx.people_index_name, idx.removed_index_name,
                                   idx.watches_index_name, idx.api_keys_index_name}
    assert res["read"] == res["write"] == [f"{idx.name}-v1"]

    delete_by_prefix(es_client, es_prefix)              # the cluster lost everything: indices, aliases, templates
    assert not index_client.indices.exists_alias(name=idx.read_alias)

    out = restore(index_client, s)                      # the newest success
    assert out["snapshot"] == res["snapshot"] and out["replaced"] == [] and out["left"] == []
    assert sorted(out["restored"]) == sorted(res["indices"])
    assert sorted(index_client.indices.get_alias(name=idx.read_alias)) == [f"{idx.name}-v1"]
    w = index_client.indices.get_alias(name=idx.write_alias_name)
    assert w[f"{idx.name}-v1"]["aliases"][idx.write_alias_name].get("is_write_index") is True
    assert _ids(index_client, idx.read_alias) == before
    assert index_client.count(index=idx.people_index_name)["count"] == labels
    assert record_of(index_client, s, gone)["reason"] == "court order 12/2026"
    stored = load_all(s, client=index_client)                       # the stored watch is back, as it was
    assert stored.origin.get("snap-stored") == "stored" and stored.meta["snap-stored"]["created_by"] == "test"
    assert next(w for w in stored if w.name == "snap-stored").query == "story"
    # the stored API key is back: the service that holds it reads again without a new key
    assert StoredKeys(lambda: index_client, s).lookup(key).name == "snap-svc"
    # the template is back (the next version needs it), and the restored removal still keeps the article out
    assert index_client.indices.get_index_template(name=idx.template_name)["index_templates"]
    again = bulk_load(index_client, [docs[0]], s, storage=storage, run_id="r2")
    assert again.created == 0 and gone not in _ids(index_client, idx.read_alias)


def test_retention_keeps_the_newest_and_leaves_other_snapshots_alone(snap_settings, index_client, storage):
    s = snap_settings
    admin.ensure_index(index_client, s)
    bulk_load(index_client, _docs(2, people=False), s, storage=storage, run_id="r1")
    # a snapshot in the same repository that newsetl did not take (another team's, no newsetl metadata)
    create(index_client, s, now=T0)                     # registers the repository
    index_client.snapshot.create(repository=s.snapshots.repository, snapshot="someone-elses",
                                 indices=[f"{s.index.name}-v1"], wait_for_completion=True)
    names = [create(index_client, s, now=T0 + dt.timedelta(hours=h)) for h in (1, 2)]
    assert names[-1]["deleted"] == [f"{s.index.name}-2026.03.01-12.00.00"]
    ours = [x["snapshot"] for x in listing(index_client, s)]
    assert ours == [n["snapshot"] for n in names]       # oldest first, two kept
    every = {x["snapshot"] for x in index_client.snapshot.get(repository=s.snapshots.repository,
                                                                snapshot="*")["snapshots"]}
    assert every == set(ours) | {"someone-elses"}
    # two in the same second get distinct names
    assert create(index_client, s, now=T0 + dt.timedelta(hours=2))["snapshot"] == \
        f"{s.index.name}-2026.03.01-14.00.00-2"


def test_restore_over_existing_indices_needs_replace(snap_settings, index_client, storage):
    s = snap_settings
    admin.ensure_index(index_client, s)
    bulk_load(index_client, _docs(2, people=False), s, storage=storage, run_id="r1")
    create(index_client, s, now=T0)
    bulk_load(index_client, [make_document("https://news.example.org/snap/later")], s, storage=storage,
              run_id="r2")
    assert len(_ids(index_client, s.index.read_alias)) == 3
    with pytest.raises(SnapshotError) as e:
        restore(index_client, s)
    assert str(e.value).startswith(f"{s.index.name}-v1, {s.index.people_index_name} exist: ") and \
        "--replace" in str(e.value)
    assert len(_ids(index_client, s.index.read_alias)) == 3        # refused: nothing touched
    out = restore(index_client, s, replace=True)
    assert out["replaced"] == [f"{s.index.name}-v1", s.index.people_index_name]
    assert len(_ids(index_client, s.index.read_alias)) == 2        # as it was when the snapshot was taken


def test_restore_after_a_replay_moves_the_aliases_back_and_leaves_the_new_version(snap_settings, index_client,
                                                                                  storage):
    s = snap_settings
    name = s.index.name
    admin.ensure_index(index_client, s)
    bulk_load(index_client, _docs(2, people=False), s, storage=storage, run_id="r1")
    create(index_client, s, now=T0)
    admin.create_next_version(index_client, s)
    admin.swap_aliases(index_client, s, f"{name}-v2")               # a replay went wrong: back to the snapshot
    out = restore(index_client, s, only=["news"], replace=True)
    assert out["restored"] == [f"{name}-v1"] and out["left"] == [f"{name}-v2"]
    assert sorted(index_client.indices.get_alias(name=name)) == [f"{name}-v1"]
    assert sorted(index_client.indices.get_alias(name=s.index.write_alias_name)) == [f"{name}-v1"]
    assert index_client.indices.exists(index=f"{name}-v2")         # left, for the operator to look at or delete
    assert len(_ids(index_client, name)) == 2


def test_one_side_index_alone(snap_settings, index_client, storage):
    s = snap_settings
    admin.ensure_index(index_client, s)
    bulk_load(index_client, _docs(2), s, storage=storage, run_id="r1")
    create(index_client, s, now=T0)
    index_client.indices.refresh(index=s.index.people_index_name)
    labels = index_client.count(index=s.index.people_index_name)["count"]
    assert labels >= 1
    bulk_load(index_client, [make_document("https://news.example.org/snap/later")], s, storage=storage, run_id="r2")
    index_client.indices.delete(index=s.index.people_index_name)   # deleted by mistake
    out = restore(index_client, s, only=["people"])
    assert out["restored"] == [s.index.people_index_name] and out["aliases"] is None
    assert index_client.count(index=s.index.people_index_name)["count"] == labels
    assert len(_ids(index_client, s.index.read_alias)) == 3        # the news index was not touched
    with pytest.raises(SnapshotError, match="unknown part 'labels'"):
        restore(index_client, s, only=["labels"])
    with pytest.raises(SnapshotError, match="no snapshot 'nope'"):
        restore(index_client, s, "nope")


def test_errors_say_what_to_configure(index_settings, index_client, es_prefix, tmp_path, path_repo):
    with pytest.raises(SnapshotError, match="set snapshots.repository"):
        create(index_client, index_settings)
    missing = index_settings.model_copy(update={"snapshots": SnapshotSettings(repository=f"{es_prefix}none")})
    with pytest.raises(SnapshotError, match=r"has no snapshot repository .*snapshots.type"):
        create(index_client, missing)
    outside = index_settings.model_copy(update={"snapshots": SnapshotSettings(
        repository=f"{es_prefix}out", type="fs", settings={"location": str(tmp_path / "elsewhere")})})
    with pytest.raises(SnapshotError, match="path.repo"):
        create(index_client, outside)
    assert "snapshots.settings" in config_error(tmp_path, "snapshots:\n  repository: r\n  type: fs\n") or \
        "location" in config_error(tmp_path, "snapshots:\n  repository: r\n  type: fs\n")
    assert "snapshots.repository" in config_error(tmp_path, "snapshots:\n  repository: Bad Name\n")
    assert "snapshots.schedule" in config_error(tmp_path, "snapshots:\n  repository: r\n  schedule: sometimes\n")
    with pytest.MonkeyPatch.context() as mp:      # the compose stack turns them on with a variable
        mp.setenv("NEWSETL_SNAPSHOT_REPOSITORY", "newsetl")
        on = load_settings()
    assert on.snapshots.enabled and on.snapshots.settings == {"location": "newsetl"}
    assert not load_settings().snapshots.enabled


def test_check_index_fails_when_the_last_snapshot_is_old(snap_settings, index_client, storage):
    s = snap_settings
    admin.ensure_index(index_client, s)
    with pytest.raises(stages.IndexNeedsAttention, match="no successful snapshot"):
        stages.check_index(s)
    create(index_client, s)
    assert stages.check_index(s)["index"] == s.index.read_alias
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=49)
    assert "hours old (more than snapshots.stale_after_hours 48)" in staleness(index_client, s, now=later)


def test_the_command_in_its_own_process(snap_settings, index_client, storage, tmp_path):
    s = snap_settings
    admin.ensure_index(index_client, s)
    bulk_load(index_client, _docs(2, people=False), s, storage=storage, run_id="r1")
    cfg = _config_file(tmp_path, s)
    made = run_cli(cfg, "index", "snapshot", "--json")
    assert made.returncode == 0, made.stderr
    name = json.loads(made.stdout)["snapshot"]
    listed = run_cli(cfg, "index", "snapshots")
    assert listed.returncode == 0 and name in listed.stdout and "SUCCESS" in listed.stdout
    status = run_cli(cfg, "index", "status")
    assert f"the newest success {name}" in status.stdout
    refused = run_cli(cfg, "index", "restore")
    assert refused.returncode == 1 and "--replace" in refused.stderr and "Traceback" not in refused.stderr
    done = run_cli(cfg, "index", "restore", name, "--replace")
    assert done.returncode == 0, done.stderr
    assert f"restored {s.index.name}-v1" in done.stdout and "newsetl reprocess --in-place --since" in done.stdout


@pytest.mark.airflow
def test_news_snapshot_dag(snap_settings, index_client, storage, tmp_path, airflow_db):
    s = snap_settings
    admin.ensure_index(index_client, s)
    bulk_load(index_client, _docs(2, people=False), s, storage=storage, run_id="r1")
    cfg = _config_file(tmp_path, s)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSETL_CONFIG", str(cfg))
        mp.setenv("NEWSETL_SOURCES", str(REPO / "config" / "sources.yaml"))     # none beside this config
        spec = importlib.util.spec_from_file_location(f"dag_news_snapshot_{uuid.uuid4().hex[:6]}",
                                                      REPO / "dags" / "news_snapshot.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        assert mod.news_snapshot_dag.schedule == "@daily"
        run = mod.news_snapshot_dag.test()
    assert str(run.state).endswith("success")
    (snap,) = listing(index_client, s)
    assert snap["state"] == "SUCCESS"
    assert snap["indices"] == sorted([f"{s.index.name}-v1", s.index.people_index_name])
