"""One name per person whatever the spelling or script: the ``people`` field, a facet joined across languages.

``entities.person`` holds each name as its article writes it, so "Wladimir Putin" (de), "Vladimir Putin" (en) and
"Владимир Путин" (ru) are three values of a facet. Their name keys (``pipeline.namekeys``, in each document's
language) are one, "vladimir putin". The loader gives every document, beside its names, the *label* of each name's
key (``people``), and the label of a key is one spelling, the same in every document. The labels live in the people
index (``index.people_index``, default ``<name>-people``; one document per key). It belongs to no version of the news
index, so a replay or a migrate into a new version gives the same labels.

- A key met for the first time takes the best spelling its batch of documents has: a Latin spelling that English
  reads as that key ("Vladimir Putin" for vladimir putin; rank 0), else any other Latin spelling ("Wladimir Putin";
  rank 1), else a spelling in another script ("Владимир Путин"; rank 2). Among spellings of one rank: the most
  written, then the first alphabetically. So every loader, whatever order it meets the names in, would choose the
  same spelling from the same documents.
- A later batch with a spelling of a better rank raises the label (never one of the same rank, so labels do not
  flap). The loader then rewrites ``people`` on the documents of its index that carry the old label
  (``relabel``, counted ``relabelled``). Two loaders that raise one label at once are ordered by the document's
  sequence number (optimistic concurrency), so the better spelling wins.
- A name without a key (a script the keys do not cover: Japanese, Chinese, Greek…) is its own label.

A key is looser than a name (namekeys), so two people whose names differ only in what the key smooths away ("Müller",
"Muller") share a label. A short form that a document never joins to a full name ("Putin" alone) keeps its own key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
import unicodedata
from collections import Counter
from typing import Any, Callable, Iterable

from elasticsearch import ApiError, Elasticsearch, helpers

from pipeline.namekeys import name_key

PEOPLE_MAPPING = {
    "dynamic": "strict",
    "properties": {
        "key": {"type": "keyword"},
        "label": {"type": "keyword"},
        "rank": {"type": "byte"},            # 0 reads as the key in English, 1 another Latin spelling, 2 another script
        "language": {"type": "keyword"},     # of the document the label was taken from
        "at": {"type": "date"},              # when the label was set
        "previous": {"type": "keyword"},     # the labels it replaced
    },
}
# a label is raised at most this many times per batch before it is left for the next load (concurrent loaders)
_RAISE_ATTEMPTS = 5


class LabelsRefused(Exception):
    """The people index refused to give a batch its labels (a write block when the disk filled up, a shard not
    available…): the loader dead-letters the batch's documents with ``reason`` (``deadletter.TRANSIENT_LOAD_REASONS``
    are retried by news_health) rather than index them without labels."""

    def __init__(self, reason: str, error: str):
        super().__init__(error)
        self.reason = reason


def is_latin(name: str) -> bool:
    """Every letter of ``name`` is a Latin letter (accents and all)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def rank(spelling: str, key: str) -> int:
    """How good ``spelling`` is as the label of ``key``: 0 best (module docstring)."""
    if not is_latin(spelling):
        return 2
    return 0 if name_key(spelling, "en") == key else 1


def person_keys(doc: dict) -> list[tuple[str, str]]:
    """``(name, key)`` of a document's people, in its order; key "" for a name the keys do not cover."""
    lang = doc.get("language") or ""
    names = ((doc.get("entities") or {}).get("person")) or ()
    return [(n, name_key(n, lang)) for n in names if isinstance(n, str) and n.strip()]


def _entry(key: str, label: str, rnk: int, language: str) -> dict:
    """A key's document in the people index."""
    return {"key": key, "label": label, "rank": rnk, "language": language,
            "at": dt.datetime.now(dt.timezone.utc).isoformat()}


def _doc_id(key: str) -> str:
    return key if len(key.encode()) <= 256 else hashlib.sha256(key.encode()).hexdigest()


class PeopleLabels:
    """The labels of one people index, cached for a load. ``call(what, fn, *args, **kw)`` runs a request (the
    loader passes its retrying call); thread-safe: the loader's bulk workers share one."""

    def __init__(self, client: Elasticsearch, index: str, call: Callable | None = None):
        self.client, self.index = client, index
        self.call = call or (lambda what, fn, *a, **kw: fn(*a, **kw))
        self.lock = threading.Lock()
        self.known: dict[str, dict] = {}     # key -> {label, rank, seq_no, primary_term, previous}
        self.raised: dict[str, str] = {}     # key -> its label before this load raised it (the first one)
        self.ensured = False

    def ensure(self) -> None:
        if not self.ensured:
            from pipeline.runs import ensure_side_index

            ensure_side_index(self.client, self.index, PEOPLE_MAPPING, "the people index's", "index.people_index")
            self.ensured = True

    # --- reading and writing the index ---------------------------------------------------------------------
    def _remember(self, key: str, entry: dict, meta: dict) -> None:
        """Cache a key's entry as the people index holds it (``meta``: the response that gave its sequence number;
        under the lock)."""
        self.known[key] = {"label": entry["label"], "rank": entry["rank"], "seq_no": meta["_seq_no"],
                           "primary_term": meta["_primary_term"], "previous": entry.get("previous") or []}

    def _read(self, keys: list[str]) -> None:
        resp = self.call("people mget", self.client.mget, index=self.index, ids=[_doc_id(k) for k in keys])
        with self.lock:
            for key, d in zip(keys, resp["docs"]):
                if d.get("found"):
                    self._remember(key, d["_source"], d)

    def _create(self, new: dict[str, tuple[str, int, str]]) -> None:
        """Create the labels of keys met for the first time (``{key: (label, rank, language)}``) in one bulk request;
        a key another loader created meanwhile (409), or one refused for a while (429), is read back instead (and
        then compared, or written alone, by ``label``)."""
        keys, ops = list(new), []
        for key in keys:
            ops += [{"create": {"_index": self.index, "_id": _doc_id(key)}}, _entry(key, *new[key])]
        resp = self.call("people labels", self.client.bulk, operations=ops,
                         filter_path="items.*.status,items.*.error,items.*._seq_no,items.*._primary_term")
        again = []
        with self.lock:
            for key, entry, item in zip(keys, ops[1::2], resp["items"]):
                res = item["create"]
                if res.get("status") == 201:
                    self._remember(key, entry, res)
                elif res.get("status") in (409, 429):
                    again.append(key)
                else:
                    err = res.get("error") or {}
                    raise LabelsRefused(err.get("type") or f"http_{res.get('status')}",
                                        f"the people index {self.index} refused the label of {key!r}: "
                                        f"{err.get('reason')}")
        if again:
            self._read(again)

    def _write(self, key: str, label: str, rnk: int, language: str, *, over: dict | None) -> bool:
        """Create the key's label (``over`` None) or raise ``over``; False when another loader was first."""
        body = _entry(key, label, rnk, language)
        kw: dict[str, Any] = {"op_type": "create"} if over is None else {
            "if_seq_no": over["seq_no"], "if_primary_term": over["primary_term"]}
        if over is not None:
            body["previous"] = [*over["previous"], over["label"]]
        try:
            resp = self.call("people label", self.client.index, index=self.index, id=_doc_id(key), document=body,
                             **kw)
        except ApiError as e:
            if e.meta.status == 409:
                return False
            raise
        with self.lock:
            if over is not None:
                self.raised.setdefault(key, over["label"])
            self._remember(key, body, resp)
        return True

    # --- labelling ------------------------------------------------------------------------------------------
    def label(self, docs: list[dict]) -> list[list[str]]:
        """The ``people`` of each document (its people's labels, each once, in its order), setting or raising the
        labels its spellings call for. LabelsRefused when the people index refuses them."""
        try:
            return self._label(docs)
        except ApiError as e:
            err = e.body.get("error") if isinstance(e.body, dict) else None
            reason = err.get("type") if isinstance(err, dict) else None
            raise LabelsRefused(reason or f"http_{e.meta.status}",
                                f"the people index {self.index} refused the labels: {e}") from None

    def _label(self, docs: list[dict]) -> list[list[str]]:
        self.ensure()
        per_doc = [person_keys(d) for d in docs]
        seen: dict[str, Counter] = {}
        language: dict[tuple[str, str], str] = {}
        for doc, pairs in zip(docs, per_doc):
            for name, key in pairs:
                if key:
                    seen.setdefault(key, Counter())[name] += 1
                    language.setdefault((key, name), doc.get("language") or "")
        with self.lock:
            missing = [k for k in seen if k not in self.known]
        if missing:
            self._read(missing)
        best: dict[str, tuple[str, int, str]] = {}      # key -> (spelling, rank, language)
        for key, spellings in seen.items():
            name = min(spellings, key=lambda s: (rank(s, key), -spellings[s], s))
            best[key] = (name, rank(name, key), language[(key, name)])
        with self.lock:
            new = {k: b for k, b in best.items() if k not in self.known}
        if new:         # first seen: created in one bulk request; those another loader created meanwhile are read
            self._create(new)
        for key, (name, rnk, lang) in best.items():
            for _ in range(_RAISE_ATTEMPTS):
                with self.lock:
                    have = self.known.get(key)
                if have is not None and have["rank"] <= rnk:
                    break
                if self._write(key, name, rnk, lang, over=have):
                    break
                self._read([key])     # another loader wrote it first: compare with what it wrote
        with self.lock:
            return [list(dict.fromkeys(self.known[k]["label"] if k in self.known else n for n, k in pairs))
                    for pairs in per_doc]

    def take_raised(self) -> dict[str, str]:
        """The labels raised since the last call: ``{key: the label before}``."""
        with self.lock:
            out, self.raised = self.raised, {}
        return out

    def outdated(self, chunk: int = 1000) -> set[str]:
        """The labels this load wrote that are no longer their key's: raised by this load, or by another loader
        meanwhile (read again here; that loader's own relabel may have run before this load wrote them)."""
        with self.lock:
            used = {k: v["label"] for k, v in self.known.items()}
        keys = list(used)
        for start in range(0, len(keys), chunk):
            self._read(keys[start:start + chunk])
        with self.lock:
            elsewhere = {old for k, old in used.items() if self.known[k]["label"] != old}
        return elsewhere | set(self.take_raised().values())


def relabel(client: Elasticsearch, index: str, labels: PeopleLabels, old: Iterable[str], *, page: int = 500) -> int:
    """Rewrite ``people`` on the documents of ``index`` that carry one of the ``old`` labels, from the labels now
    in the people index; returns how many documents changed. Loops while relabelling raises further labels (a
    document read here may hold a better spelling of another key)."""
    from pipeline.load import stamp_now     # (load imports this module)

    changed = 0
    todo, done = set(old), set()
    if todo:
        client.indices.refresh(index=index)     # the documents just loaded with an old label
    while todo:
        done |= todo
        query = {"terms": {"people": sorted(todo)}}
        todo = set()
        hits = list(helpers.scan(client, index=index, query={"query": query}, size=page,
                                 _source_includes=["entities.person", "language", "people"]))
        for start in range(0, len(hits), page):
            chunk = hits[start:start + page]
            new = labels.label([h["_source"] for h in chunk])
            ops: list[dict] = []
            stamp = stamp_now()     # the changes feed lists the document again (pipeline.changes), as a load would
            for h, people in zip(chunk, new):
                if people != h["_source"].get("people"):
                    ops += [{"update": {"_index": h["_index"], "_id": h["_id"]}},
                            {"doc": {"people": people, "indexed_at": stamp}}]
            if ops:
                resp = client.bulk(operations=ops, filter_path="items.*.status,items.*.error")
                for item in resp.get("items", []):
                    res = next(iter(item.values()))
                    # 409: the document was written meanwhile (another loader's relabel, or a load whose own check
                    # of its labels at its end mends it)
                    if res.get("error") and res.get("status") != 409:
                        raise RuntimeError(f"relabelling people in {index} failed: {res['error']}")
                    changed += res.get("status") == 200
        todo = set(labels.take_raised().values()) - done
    if changed:
        client.indices.refresh(index=index)
    return changed


def relabel_index(client: Elasticsearch, index: str, people_index: str) -> dict:
    """Rewrite ``people`` on every document of ``index`` that carries a label its key has since replaced (any label
    of the people index's ``previous``): what mends an index after a load whose own relabelling failed (the cluster
    refused it), or after a restore of older documents. ``newsetl index relabel``."""
    old: set[str] = set()
    if client.indices.exists(index=people_index):
        client.indices.refresh(index=people_index)      # a label raised a moment ago
        for h in helpers.scan(client, index=people_index, query={"query": {"exists": {"field": "previous"}}},
                              _source_includes=["previous"]):
            old.update(h["_source"]["previous"])
    changed = relabel(client, index, PeopleLabels(client, people_index), old) if old else 0
    return {"index": index, "people_index": people_index, "replaced_labels": len(old), "relabelled": changed}
