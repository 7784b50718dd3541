"""Index administration: create-if-missing (safe on every run), migrate to a new version, status.

Layout: concrete indices ``<name>-v1``, ``<name>-v2``… created from the composable template ``<name>``; the read
alias ``<name>`` (what search uses) and the write alias ``<name>-write`` (``is_write_index``, what the loader uses)
each point at exactly one of them.

``migrate`` creates ``<name>-vN+1`` from the current template, moves the write alias to it first (new loads land
in the new index), copies the documents with ``create`` operations so nothing newer is overwritten (``_reindex``
when the cluster has the reindex module, the language copies need no recomputation and no document with entities
lacks ``entity_keys``, else point-in-time/scroll + bulk, which also recomputes ``title_<lang>``/``text_<lang>`` and
the entity keys), checks the counts, then swaps the read alias in one
atomic ``_aliases`` call: searches see the old index until that instant and the new one after it. If the copy fails
the read alias stays on the old index and running ``migrate`` again resumes (it copies what is missing).
"""
from __future__ import annotations

import re
import time
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from pipeline import mapping
from pipeline.es import UNAVAILABLE_ERRORS, capabilities, check_cluster, client_url, close_pit, open_pit, unavailable_from
from pipeline.settings.index import IndexSettings
from pipeline.wording import counted


class AdminError(Exception):
    """The index layout cannot be set up or changed as asked; one line saying why and what to do."""


def _idx(settings: Any) -> IndexSettings:
    return mapping._index_settings(settings)


def _version_of(name: str, index: str) -> int | None:
    m = re.fullmatch(re.escape(name) + r"-v(\d+)", index)
    return int(m.group(1)) if m else None


def _alias_indices(client: Elasticsearch, alias: str) -> dict[str, dict]:
    """index -> alias properties, for the indices ``alias`` points at ({} when it does not exist)."""
    try:
        resp = client.indices.get_alias(name=alias)
    except NotFoundError:
        return {}
    return {index: body.get("aliases", {}).get(alias, {}) for index, body in resp.items()}


def _versioned_indices(client: Elasticsearch, name: str) -> list[str]:
    try:
        resp = client.indices.get(index=f"{name}-v*", expand_wildcards="open,closed")
    except NotFoundError:
        return []
    found = [i for i in resp if _version_of(name, i) is not None]
    return sorted(found, key=lambda i: _version_of(name, i))


def _detect_for(client: Elasticsearch, idx: IndexSettings) -> set[str]:
    candidates = {"standard"}
    for lang in idx.languages:
        for table in (mapping.LANGUAGE_ANALYZERS, mapping.SECOND_CHOICE):
            if lang in table:
                candidates.add(table[lang])
    return mapping.detect_analyzers(client, candidates)


def put_templates(client: Elasticsearch, settings: Any, analyzers: set[str] | None = None) -> dict:
    """Install/refresh the component templates and the index template when they differ from what config says.
    Returns ``{"template": created|updated|unchanged, "hash": ..., "analyzers": ...}``."""
    idx = _idx(settings)
    if analyzers is None:
        analyzers = _detect_for(client, idx)
    tpl = mapping.build_template(idx, analyzers)
    name = tpl["index_template"]["name"]
    state = "created"
    try:
        cur = client.indices.get_index_template(name=name)["index_templates"]
        if cur:
            meta = cur[0]["index_template"].get("_meta") or {}
            state = "unchanged" if meta.get("hash") == tpl["hash"] else "updated"
    except NotFoundError:
        pass
    if state != "unchanged":
        for ct_name, body in tpl["component_templates"].items():
            client.cluster.put_component_template(name=ct_name, **body)
        client.indices.put_index_template(name=name, **tpl["index_template"]["body"])
    return {"template": state, "hash": tpl["hash"], "analyzers": analyzers, "built": tpl}


def _create_index(client: Elasticsearch, index: str, aliases: dict | None = None) -> bool:
    """Create ``index`` (settings and mappings come from the template). False if it already existed."""
    try:
        client.indices.create(index=index, aliases=aliases or None, wait_for_active_shards="1")
        return True
    except ApiError as e:
        if e.meta.status == 400 and "resource_already_exists_exception" in str(e):
            return False
        raise


def _apply_additive_mapping(client: Elasticsearch, index: str, wanted: dict) -> tuple[list[str], list[str]]:
    """Add mapped fields the index lacks (new languages…). Returns (added, problems needing a migrate)."""
    cur = client.indices.get_mapping(index=index)[index]["mappings"]
    have = cur.get("properties", {})
    add = {f: spec for f, spec in wanted["properties"].items() if f not in have}
    problems = []
    for f, spec in wanted["properties"].items():
        if f in have and spec.get("type") == "text" and spec.get("analyzer", "standard") != have[f].get("analyzer", "standard"):
            problems.append(f"{f}: index has analyzer {have[f].get('analyzer', 'standard')}, "
                            f"template wants {spec.get('analyzer', 'standard')}")
    if cur.get("dynamic") not in ("strict", "false", False):
        problems.append(f"dynamic is {cur.get('dynamic')!r}, template wants 'strict'")
    added: list[str] = []
    if add:
        try:
            client.indices.put_mapping(index=index, properties=add)
            added = sorted(add)
            # fields the loader fills from what every document has: the documents already there need a migrate
            for f in sorted(set(add) & mapping.FILLED_BY_LOADER):
                problems.append(f"{f}: added in place; documents indexed before have no values in it until a "
                                f"migrate copies them")
        except ApiError as e:
            problems.append(f"cannot add fields {sorted(add)} in place ({api_reason(e)})")
    # sub-fields of fields the index has ("entities.person.words"): added in place, but the documents already there
    # get no values in them until they are indexed again
    for f, spec in wanted["properties"].items():
        if f not in have:
            continue
        new = sorted(mapping.mapping_field_paths({"properties": {f: spec}})
                     - mapping.mapping_field_paths({"properties": {f: have[f]}}))
        if not new:
            continue
        try:
            client.indices.put_mapping(index=index, properties={f: spec})
            added += new
            problems.append(f"{', '.join(new)}: added in place; documents indexed before have no values in "
                            f"{'them' if len(new) > 1 else 'it'} until a migrate copies them")
        except ApiError as e:
            problems.append(f"cannot add {', '.join(new)} in place ({api_reason(e)})")
    return added, problems


def api_reason(e: ApiError) -> str:
    try:
        err = e.body.get("error", {})
        return f"{err.get('type')}: {err.get('reason')}"
    except Exception:
        return str(e).splitlines()[0]


def ensure_index(client: Elasticsearch, settings: Any) -> dict:
    """Make sure template, ``<name>-vN`` and both aliases exist; idempotent, safe to call on every run and from
    concurrent tasks (the index is created with its aliases in one request; "already exists" is success).
    Adds newly configured fields in place when the index can take them; reports what needs a ``migrate``."""
    idx = _idx(settings)
    try:
        check_cluster(client)
        tpl = put_templates(client, idx)
        read, write = idx.read_alias, idx.write_alias_name
        created = False
        for _attempt in range(3):
            r_idx, w_idx = _alias_indices(client, read), _alias_indices(client, write)
            if r_idx and w_idx:
                break
            if client.indices.exists(index=read) and not r_idx:
                raise AdminError(f"{read!r} is a concrete index, not an alias: migrate its documents into "
                                 f"{idx.index_for(1)} or choose another index.name")
            if not r_idx and not w_idx:
                existing = _versioned_indices(client, idx.name)
                if existing:  # indices without aliases (a half-finished setup): adopt the newest
                    target = existing[-1]
                    client.indices.update_aliases(actions=[
                        {"add": {"index": target, "alias": read}},
                        {"add": {"index": target, "alias": write, "is_write_index": True}}])
                else:
                    created = _create_index(client, idx.index_for(1), {read: {}, write: {"is_write_index": True}})
            elif r_idx and not w_idx:
                target = sorted(r_idx, key=lambda i: _version_of(idx.name, i) or 0)[-1]
                client.indices.update_aliases(actions=[{"add": {"index": target, "alias": write, "is_write_index": True}}])
            else:  # write alias but no read alias: point read at the write index
                target = next(i for i, p in w_idx.items() if p.get("is_write_index", len(w_idx) == 1))
                client.indices.update_aliases(actions=[{"add": {"index": target, "alias": read}}])
        else:
            raise AdminError(f"could not set up aliases {read!r}/{write!r}: they keep changing (another migrate running?)")
        write_index = _write_index(w_idx)
        wanted = tpl["built"]["component_templates"][f"{idx.name}-mappings"]["template"]["mappings"]
        added, problems = _apply_additive_mapping(client, write_index, wanted)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {
        "index": write_index,
        "read_alias": read, "read_indices": sorted(r_idx),
        "write_alias": write,
        "created": created,
        "template": tpl["template"],
        "added_fields": added,
        "needs_migrate": problems,
        "languages": {lang: p["analyzer"] for lang, p in mapping.language_plan(idx, tpl["analyzers"]).items()},
    }


def _write_index(w_idx: dict[str, dict]) -> str:
    if len(w_idx) == 1:
        return next(iter(w_idx))
    for index, props in w_idx.items():
        if props.get("is_write_index"):
            return index
    raise AdminError(f"the write alias points at {sorted(w_idx)} and none is the write index")


class MigrationError(AdminError):
    pass


def _copy_with_reindex(client: Elasticsearch, src: str, dst: str) -> dict:
    resp = client.reindex(source={"index": src}, dest={"index": dst, "op_type": "create"}, conflicts="proceed",
                          wait_for_completion=True, refresh=True, slices="auto")
    if resp.get("failures"):
        f = resp["failures"][0]
        raise MigrationError(f"_reindex {src} -> {dst} failed for {counted(len(resp['failures']), 'document')}, first: "
                             f"{f.get('id')}: {f.get('cause', {}).get('reason')}")
    return {"copied": resp.get("created", 0), "skipped": resp.get("version_conflicts", 0)}


# what the loader derives that a reader of a document sees (the rest are search aids: pipeline.search.SEARCH_AIDS)
_SEEN_DERIVED = ("people", "places", "countries", "regions", "place_points")


def _copy_with_bulk(client: Elasticsearch, settings: Any, src: str, dst: str, page: int = 1000) -> dict:
    """PIT (or scroll) over ``src`` + bulk ``create`` into ``dst``, recomputing what the loader derives (language
    copies, keys, people labels, places…). A document whose recomputed people, places, countries or regions differ is
    stamped anew (``indexed_at``, as each request is sent), so the changes feed, which starts again from ``dst``'s
    creation after the swap, lists it; the others keep their stamps and are not listed again."""
    from pipeline.load import people_labels, prepare_document, stamp_now, strip_language_copies
    from pipeline.people import relabel

    idx = _idx(settings)
    labels = people_labels(client, idx)
    copied = skipped = 0
    failures: list[tuple[str, str]] = []
    pit = open_pit(client, src, "5m")
    scroll_id = None
    try:
        if pit:
            body: dict[str, Any] = {"size": page, "sort": ["_shard_doc"], "pit": {"id": pit, "keep_alive": "5m"},
                                    "track_total_hits": False}
            resp = client.search(**body)
        else:
            resp = client.search(index=src, scroll="5m", size=page, sort=["_doc"])
            scroll_id = resp.get("_scroll_id")
        while True:
            hits = resp["hits"]["hits"]
            if not hits:
                break
            ops: list[dict] = []
            docs = [prepare_document(strip_language_copies(h["_source"]), idx, keep_indexed_at=True) for h in hits]
            stamp = stamp_now()
            for h, doc, people in zip(hits, docs, labels.label(docs) if labels else [None] * len(docs)):
                if people:
                    doc["people"] = people
                if any((doc.get(f) or None) != (h["_source"].get(f) or None) for f in _SEEN_DERIVED):
                    doc["indexed_at"] = stamp
                ops.append({"create": {"_index": dst, "_id": h["_id"]}})
                ops.append(doc)
            r = client.bulk(operations=ops, filter_path="errors,items.*.status,items.*._id,items.*.error")
            for item in r.get("items", []):
                res = next(iter(item.values()))
                if res.get("status") in (200, 201):
                    copied += 1
                elif res.get("status") == 409:
                    skipped += 1  # already there: written by a load after the write alias moved
                else:
                    err = res.get("error", {})
                    failures.append((res.get("_id"), f"{err.get('type')}: {err.get('reason')}"))
            if pit:
                pit = body["pit"]["id"] = resp.get("pit_id", pit)
                body["search_after"] = hits[-1]["sort"]
                resp = client.search(**body)
            else:
                resp = client.scroll(scroll_id=scroll_id, scroll="5m")
                scroll_id = resp.get("_scroll_id")
    finally:
        if pit:
            close_pit(client, pit)
        if scroll_id:
            try:
                client.clear_scroll(scroll_id=scroll_id)
            except ApiError:
                pass
    client.indices.refresh(index=dst)
    if labels:      # labels this copy raised: the documents it copied before carry the old ones
        relabel(client, dst, labels, labels.outdated())
    if failures:
        raise MigrationError(f"copying {src} -> {dst}: {counted(len(failures), 'document')} failed, first "
                             f"{failures[0][0]}: {failures[0][1]}; the read alias stays on {src}; fix and run migrate "
                             "again to resume")
    return {"copied": copied, "skipped": skipped}


def _count(client: Elasticsearch, index: str) -> int:
    client.indices.refresh(index=index)
    return int(client.count(index=index)["count"])


def migrate(client: Elasticsearch, settings: Any, new_version: int | None = None, *, method: str = "auto",
            delete_old: bool = False) -> dict:
    """Move to ``<name>-v<new_version>`` (default: the next version) built from the current template; see the module
    docstring for the steps. ``method``: auto | reindex | bulk. Returns what was done."""
    if method not in ("auto", "reindex", "bulk"):
        raise ValueError("method must be auto, reindex or bulk")
    idx = _idx(settings)
    t0 = time.monotonic()
    try:
        ens = ensure_index(client, idx)
        read, write = idx.read_alias, idx.write_alias_name
        r_idx = _alias_indices(client, read)
        if len(r_idx) != 1:
            raise MigrationError(f"the read alias {read!r} points at {sorted(r_idx)}; expected one index")
        old = next(iter(r_idx))
        use = _copy_method(client, idx, old, method)
        w_cur = ens["index"]
        resumed = w_cur != old
        if resumed:  # a previous migrate moved the write alias and then failed: finish it
            new = w_cur
            if new_version is not None and idx.index_for(new_version) != new:
                raise MigrationError(f"a migrate {old} -> {new} is half done; run migrate without a version to finish it")
        else:
            versions = [_version_of(idx.name, i) or 0 for i in _versioned_indices(client, idx.name)]
            nv = new_version if new_version is not None else max(versions + [0]) + 1
            new = idx.index_for(nv)
            if new == old:
                raise MigrationError(f"{new} is already the current index")
            if not _create_index(client, new):
                raise MigrationError(f"{new} already exists: delete it or migrate to another version")
            # new loads go to the new index from now on; the copy below never overwrites them
            client.indices.update_aliases(actions=[
                {"remove": {"index": old, "alias": write}},
                {"add": {"index": new, "alias": write, "is_write_index": True}}])
        copy = _copy(client, idx, old, new, use)
        n_old, n_new = _count(client, old), _count(client, new)
        if n_new < n_old:
            raise MigrationError(f"{new} has {counted(n_new, 'document')}, fewer than {old} ({n_old}); the read alias "
                                 f"stays on {old}; run migrate again to resume")
        client.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": read}},
            {"add": {"index": new, "alias": read}}])
        if delete_old:
            client.indices.delete(index=old)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"from": old, "to": new, "method": use, "resumed": resumed, "copied": copy["copied"],
            "skipped": copy["skipped"], "documents": n_new, "deleted_old": delete_old,
            "seconds": round(time.monotonic() - t0, 3)}


def _copy_method(client: Elasticsearch, idx: IndexSettings, old: str, method: str = "auto") -> str:
    """``reindex`` (server side) when the cluster has it, the language copies are unchanged and every document has
    what today's loader derives; else ``bulk`` (PIT + bulk through ``prepare_document``)."""
    caps = capabilities(client)
    if method == "auto":
        same_langs = _language_fields(client, old) == set(mapping.language_fields(idx))
        return "reindex" if caps.has_reindex and same_langs and not _lacks_keys(client, old) else "bulk"
    if method == "reindex" and not caps.has_reindex:
        raise MigrationError(f"the cluster at {client_url(client)} has no reindex module; use --method bulk")
    return method


def _copy(client: Elasticsearch, idx: IndexSettings, old: str, new: str, method: str) -> dict:
    """Every document of ``old`` that ``new`` lacks, created there (``op_type: create``: never overwrites)."""
    return _copy_with_reindex(client, old, new) if method == "reindex" else _copy_with_bulk(client, idx, old, new)


def carry_over(client: Elasticsearch, settings: Any, index: str) -> dict:
    """Before a replay's new version ``index`` takes the read alias: copy into it, as they are, the documents of the
    index the read alias is on that the replay did not write (outside its days or sites, a page the new processing
    rejects, a document loaded from a file and never archived), so the swap loses none. Replayed documents (and
    those loads wrote since the write alias moved) are never overwritten. When documents were copied and
    ``index.load.near_duplicates`` is on, the near duplicates of the whole new version are marked again, since the
    replayed ones were marked before their originals were there. Returns ``{"from", "copied", "skipped", "method",
    "marked"}``; refuses (AdminError) when the new version still holds fewer documents than the old."""
    from pipeline.neardup import mark_index

    idx = _idx(settings)
    try:
        r_idx = _alias_indices(client, idx.read_alias)
        old = next(iter(r_idx)) if len(r_idx) == 1 else None
        if old is None or old == index:
            return {"from": old, "copied": 0, "skipped": 0, "method": None, "marked": 0}
        use = _copy_method(client, idx, old)
        copy = _copy(client, idx, old, index, use)
        marked = 0
        if copy["copied"] and idx.load.near_duplicates:
            marked = mark_index(client, index, min_bands=idx.load.near_duplicate_bands)["marked"]
        n_old, n_new = _count(client, old), _count(client, index)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    if n_new < n_old:
        raise AdminError(f"{index} holds {counted(n_new, 'document')}, fewer than {old} ({n_old}) after copying the "
                         f"documents the replay did not write; the read alias stays on {old}")
    return {"from": old, **copy, "method": use, "marked": marked}


def _older_loader(client: Elasticsearch, index: str) -> int:
    """How many documents of ``index`` an older loader indexed (``loader_version`` below ``mapping.LOADER_VERSION``,
    or none: before the loader keyed names, added places and countries, or labelled people): only a bulk copy, which
    runs the loader's ``prepare_document``, brings them up to date."""
    q = {"bool": {"must_not": [{"range": {"loader_version": {"gte": mapping.LOADER_VERSION}}}]}}
    return int(client.count(index=index, query=q)["count"])


def _lacks_keys(client: Elasticsearch, index: str) -> bool:
    return _older_loader(client, index) > 0


def _language_fields(client: Elasticsearch, index: str) -> set[str]:
    props = client.indices.get_mapping(index=index)[index]["mappings"].get("properties", {})
    return {f for f in props if re.fullmatch(r"(title|text)_[a-z]{2,3}", f)}


def index_status(client: Elasticsearch, settings: Any) -> dict:
    """What exists: cluster, template (present / up to date), aliases, each version's document count and size,
    and what would need a migrate. Changes nothing."""
    idx = _idx(settings)
    try:
        caps = capabilities(client, refresh=True)
        analyzers = _detect_for(client, idx)
        tpl = mapping.build_template(idx, analyzers)
        try:
            cur = client.indices.get_index_template(name=idx.template_name)["index_templates"]
            meta = (cur[0]["index_template"].get("_meta") or {}) if cur else {}
            template = {"present": bool(cur), "up_to_date": meta.get("hash") == tpl["hash"]}
        except NotFoundError:
            template = {"present": False, "up_to_date": False}
        r_idx = _alias_indices(client, idx.read_alias)
        w_idx = _alias_indices(client, idx.write_alias_name)
        indices = []
        for name in _versioned_indices(client, idx.name):
            stats = client.indices.stats(index=name, metric="docs,store")["indices"].get(name, {})
            prim = stats.get("primaries", {})
            aliases = [a for a, members in ((idx.read_alias, r_idx), (idx.write_alias_name, w_idx)) if name in members]
            indices.append({"name": name, "version": _version_of(idx.name, name),
                            "documents": prim.get("docs", {}).get("count"),
                            "bytes": prim.get("store", {}).get("size_in_bytes"), "aliases": aliases,
                            "older_loader": _older_loader(client, name)})
        problems: list[str] = []
        if w_idx:
            w = _write_index(w_idx)
            wanted = tpl["component_templates"][f"{idx.name}-mappings"]["template"]["mappings"]["properties"]
            have = client.indices.get_mapping(index=w)[w]["mappings"].get("properties", {})
            missing = sorted(set(wanted) - set(have))
            if missing:
                problems.append(f"fields missing in {w} (ensure adds them): {missing}")
            for f, spec in wanted.items():
                if f in have and spec.get("analyzer", "standard") != have[f].get("analyzer", "standard"):
                    problems.append(f"{f}: analyzer {have[f].get('analyzer', 'standard')} in {w}, "
                                    f"{spec.get('analyzer')} in the template (migrate to apply)")
        if r_idx and w_idx and set(r_idx) != set(w_idx):
            problems.append(f"read alias on {sorted(r_idx)}, write alias on {sorted(w_idx)}: a migrate is half done "
                            "(run `newsetl index migrate` to finish it)")
        from pipeline.runs import letters_status, runs_status

        runs = runs_status(client, idx.runs_index_name)
        letters = letters_status(client, idx.dead_letters_index_name)
        people = {"name": idx.people_index_name, "enabled": idx.people_labels,
                  "labels": int(client.count(index=idx.people_index_name)["count"])
                  if client.indices.exists(index=idx.people_index_name) else None}
        removed = {"name": idx.removed_index_name, "articles": 0, "domains": 0}   # `newsetl remove`
        if client.indices.exists(index=idx.removed_index_name):
            kinds = client.search(index=idx.removed_index_name, size=0,
                                  aggs={"k": {"terms": {"field": "kind"}}})["aggregations"]["k"]["buckets"]
            counts = {b["key"]: b["doc_count"] for b in kinds}
            removed.update(articles=counts.get("document", 0), domains=counts.get("domain", 0))
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"url": client_url(client), "cluster": caps.to_dict(), "template": template,
            "read_alias": {"name": idx.read_alias, "indices": sorted(r_idx)},
            "write_alias": {"name": idx.write_alias_name, "indices": sorted(w_idx)},
            "indices": indices, "problems": problems, "runs_index": runs,
            "dead_letters_index": letters, "people_index": people, "removed_index": removed,
            "languages": {lang: p["analyzer"] for lang, p in mapping.language_plan(idx, analyzers).items()}}



def create_next_version(client: Elasticsearch, settings: Any, new_version: int | None = None) -> dict:
    """For a full re-processing: create ``<name>-vN+1`` (empty, from the current template) and point the write alias
    at it, so the replay and any concurrent loads land there. The read alias stays on the old index until
    ``swap_aliases``. Returns ``{"index": new, "previous": old, "created": bool}``.

    Retry-safe: when the write alias already points at a newer index than the read alias (a rebuild was started and
    its task is being retried), that index is returned and nothing new is created."""
    idx = _idx(settings)
    try:
        ens = ensure_index(client, idx)
        old = ens["index"]
        r_idx = _alias_indices(client, idx.read_alias)
        if old not in r_idx and (new_version is None or idx.index_for(new_version) == old):
            return {"index": old, "previous": sorted(r_idx)[-1] if r_idx else None, "created": False}
        versions = [_version_of(idx.name, i) or 0 for i in _versioned_indices(client, idx.name)]
        new = idx.index_for(new_version if new_version is not None else max(versions + [0]) + 1)
        if not _create_index(client, new):
            raise AdminError(f"{new} already exists: delete it or choose another version")
        client.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": idx.write_alias_name}},
            {"add": {"index": new, "alias": idx.write_alias_name, "is_write_index": True}}])
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"index": new, "previous": old, "created": True}


def swap_aliases(client: Elasticsearch, settings: Any, index: str) -> dict:
    """Point both the read and the write alias at ``index`` in one atomic ``_aliases`` request (searches never see
    a moment without the read alias). Returns ``{"index", "previous": [indices the read alias left]}``."""
    idx = _idx(settings)
    try:
        if not client.indices.exists(index=index):
            raise AdminError(f"{index} does not exist; nothing to swap to")
        client.indices.refresh(index=index)   # what the read alias shows from now on is complete
        read_prev = sorted(_alias_indices(client, idx.read_alias))
        write_prev = sorted(_alias_indices(client, idx.write_alias_name))
        actions: list[dict] = [{"remove": {"index": i, "alias": idx.read_alias}} for i in read_prev if i != index]
        actions += [{"remove": {"index": i, "alias": idx.write_alias_name}} for i in write_prev if i != index]
        actions += [{"add": {"index": index, "alias": idx.read_alias}},
                    {"add": {"index": index, "alias": idx.write_alias_name, "is_write_index": True}}]
        client.indices.update_aliases(actions=actions)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {"index": index, "read_alias": idx.read_alias, "write_alias": idx.write_alias_name,
            "previous": [i for i in read_prev if i != index], "documents": _count(client, index)}
