"""The bulk loader: processed documents -> the write alias, idempotently.

For each batch (cut by bytes, ``index.load.batch_bytes``, default 8 MiB, or ``batch_docs``):

1. ``mget`` the batch's ids (``_source`` filtered to ``content_hash`` and ``pipeline_version``);
2. a document not in the index is sent as ``create`` (two concurrent loaders can never both create it), one whose
   content hash or pipeline version differs as ``index`` (updated in place), one that is the same is not sent
   (counted ``unchanged``);
3. items rejected with 429 are retried with exponential backoff, like whole requests failing with 429/502/503/504
   or a connection error; a ``create`` that meets a concurrent create (409) is re-checked; a 413 splits the batch;
4. every other item failure becomes a dead letter (stage ``load``: document id, error type, reason, the document)
   in ``deadletter/load/<run_id>/<part>.jsonl`` under the storage root (``pipeline.deadletter``: a DAG task's batch
   replaces the letters of its earlier attempt).

Documents whose ``status`` is not ``ok`` are not indexed (counted ``skipped``; processing dead-lettered them).
After the load, the documents it wrote are checked for near duplicates in the index and marked (``duplicate_of``:
``pipeline.neardup``; ``index.load.near_duplicates``; counted ``marked``).
The loader adds the per-language copies ``title_<lang>``/``text_<lang>`` for the configured languages and
``indexed_at``, the time each bulk request is sent (the changes feed lists documents by it: ``pipeline.changes``).
Documents ``newsetl remove`` took out are left out (counted ``removed``: ``pipeline.removals``). If the cluster
stays unreachable after the retries, ``ClusterUnavailable`` is raised: batches not acknowledged are not
dead-lettered (they are still in the input; running again is safe and creates no duplicates).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import random
import re
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import elastic_transport
from elasticsearch import ApiError, Elasticsearch

from pipeline.deadletter import DeadLetter, LetterFile
from pipeline.es import ClusterUnavailable, check_cluster, unavailable_from
from pipeline.mapping import FILLED_BY_LOADER, LOADER_VERSION, _index_settings
from pipeline.namekeys import entity_keys
from pipeline.neardup import mark_near_duplicates, text_bands
from pipeline.people import LabelsRefused, PeopleLabels, relabel
from pipeline.georegions import place_regions
from pipeline.places import place_facets, place_points
from pipeline.removals import Blocklist
from pipeline.settings.index import IndexSettings
from pipeline.storage import Storage
from pipeline.wording import counted

log = logging.getLogger(__name__)
STAGE = "load"
RETRY_STATUS = (429, 502, 503, 504)
_COPY_RE = re.compile(r"(title|text)_[a-z]{2,3}")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0          # status != ok: not indexed (processing dead-lettered them)
    bytes: int = 0            # JSON bytes of the documents sent in bulk requests
    seconds: float = 0.0
    batches: int = 0
    retries: int = 0
    marked: int = 0           # documents whose duplicate_of the near-duplicate marking changed (pipeline.neardup)
    relabelled: int = 0       # documents of the index whose people labels a better spelling replaced (pipeline.people)
    removed: int = 0          # documents `newsetl remove` took out for good: not indexed (pipeline.removals)
    marking_seconds: float = 0.0   # of ``seconds``, the time the marking took
    index: str = ""
    dead_letters: str | None = None   # relative path of the dead-letter file, when any were written
    failures: list[dict] = field(default_factory=list)  # first few {id, reason, error}

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed + self.skipped + self.removed

    @property
    def docs_per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["total"] = self.total
        return d


def strip_language_copies(doc: dict) -> dict:
    """The document without what the loader derives from it: the language copies, the entity keys, the people
    labels, the places, countries and regions and the loader's version (as processing emitted it, plus indexed_at)."""
    return {k: v for k, v in doc.items() if not _COPY_RE.fullmatch(k) and k not in FILLED_BY_LOADER}


def prepare_document(doc: dict, settings: Any, *, now: str | None = None, keep_indexed_at: bool = False,
                     bands: bool = True, stamp: bool = True) -> dict:
    """What is sent to Elasticsearch: the document, its language copies, the keys of its entity names
    (``entity_keys``: ``pipeline.namekeys``, in the document's language; search joins spellings by them), its
    places in English, their countries and first-level regions (``places``, ``countries``: ``pipeline.places``;
    ``regions``, ISO 3166-2: ``pipeline.georegions``) and the coordinates of the cities among them
    (``place_points``), the MinHash bands of its
    text (``minhash_bands``: ``pipeline.neardup``; ``bands=False``: not those, ``with_bands`` adds them later),
    ``loader_version`` and ``indexed_at``. What the document brings of these is dropped first. ``people`` (the
    labels of its people: ``pipeline.people``) needs the people index: the loader adds it. ``stamp=False``: no
    ``indexed_at`` either; the bulk loader stamps each request as it sends it (``stamp_now``)."""
    idx = _index_settings(settings)
    out = {k: v for k, v in doc.items() if k not in FILLED_BY_LOADER}   # derived again below, or by the loader
    lang = doc.get("language")
    if lang in idx.languages:
        if doc.get("title"):
            out[f"title_{lang}"] = doc["title"]
        if doc.get("text"):
            out[f"text_{lang}"] = doc["text"]
    keys = entity_keys(doc.get("entities"), lang)
    if keys:
        out["entity_keys"] = keys
    floor = idx.places.min_city_population      # the GeoNames cities that may own a name
    places, countries = place_facets((doc.get("entities") or {}).get("location"), floor)
    if places:
        out["places"] = places
    if countries:
        out["countries"] = countries
    if (regions := place_regions(places, countries, floor)):     # their first-level regions: "DE-BY", "US-CA"
        out["regions"] = regions
    if (points := place_points(places, floor)):      # the cities among them, on a map (a geo_point each)
        out["place_points"] = points
    if bands and (found := text_bands(doc.get("text"), doc.get("title"))):
        out["minhash_bands"] = found
    out["loader_version"] = LOADER_VERSION
    if not (keep_indexed_at and out.get("indexed_at")):
        out.pop("indexed_at", None)
        if stamp:
            out["indexed_at"] = now or stamp_now()
    return out


def stamp_now() -> str:
    """``indexed_at`` for a write sent now: UTC, to the millisecond (what the index keeps of a date). The changes feed
    (``pipeline.changes``) lists documents by it, so it is taken when a bulk request is sent, not when its load began:
    a request that succeeds is answered within ``elasticsearch.request_timeout`` of its stamp."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def with_field(payload: bytes, name: str, value: Any) -> bytes:
    """A document's JSON from ``prepare_document`` with one more field (not in it): what the bulk workers add to
    the documents they send only (text bands, people labels), so that an unchanged document costs none."""
    if not value:
        return payload
    return payload[:-1] + f',"{name}":'.encode() + json.dumps(value, ensure_ascii=False).encode() + b"}"


def with_bands(payload: bytes, doc: dict) -> bytes:
    """A document's JSON from ``prepare_document(..., bands=False)`` with its text bands added."""
    return with_field(payload, "minhash_bands", text_bands(doc.get("text"), doc.get("title")))


def people_labels(client: Elasticsearch, idx: IndexSettings, call=None) -> PeopleLabels | None:
    """The people labels of this index's loads (``pipeline.people``), None when ``index.people_labels`` is off."""
    return PeopleLabels(client, idx.people_index_name, call) if idx.people_labels else None


def _version_key(doc: dict) -> tuple:
    return (doc.get("content_hash"), doc.get("pipeline_version"))


@dataclass
class _Item:
    id: str
    doc: dict           # the document as given (what a dead letter carries)
    payload: bytes      # the JSON sent
    key: tuple          # (content_hash, pipeline_version)
    op: str = ""        # create | index


class _Loader:
    def __init__(self, client: Elasticsearch, idx: IndexSettings, target: str, is_alias: bool, storage: Storage,
                 run_id: str, force: bool = False, letters_part: str | None = None):
        self.client, self.idx, self.target, self.is_alias = client, idx, target, is_alias
        self.storage, self.run_id, self.force = storage, run_id, force
        self.letters = LetterFile(storage, STAGE, run_id, letters_part)   # closed by bulk_load
        self.cfg = idx.load
        self.result = LoadResult(index=target)
        self.lock = threading.Lock()
        self.written: set[str] = set()    # ids created or updated: their near duplicates are marked after the load
        self.people = people_labels(client, idx, self._call)
        self.removals = self._call("removed index", Blocklist.load, client, idx)

    # --- helpers -------------------------------------------------------------------------------------------
    def _backoff(self, attempt: int) -> None:
        delay = min(self.cfg.max_backoff, self.cfg.initial_backoff * (2 ** (attempt - 1)))
        time.sleep(delay * random.uniform(0.5, 1.0))

    def _call(self, what: str, fn, *args, **kw):
        """Run a request, retrying 429/5xx/connection errors with exponential backoff."""
        attempt = 0
        while True:
            try:
                return fn(*args, **kw)
            except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as e:
                err: BaseException = e
            except ApiError as e:
                if e.meta.status not in RETRY_STATUS:
                    raise
                err = e
            attempt += 1
            with self.lock:
                self.result.retries += 1
            if attempt > self.cfg.max_retries:
                u = unavailable_from(self.client, err)
                raise ClusterUnavailable(u.url, f"{u.problem} during {what}, after "
                                         f"{counted(self.cfg.max_retries, 'retry', 'retries')}",
                                         u.fix) from None
            self._backoff(attempt)

    def _dead(self, letters: list[DeadLetter]) -> None:
        if not letters:
            return
        with self.lock:
            self.letters.write(letters)
            self.result.dead_letters = self.letters.rel
            self.result.failed += len(letters)
            for d in letters:
                if len(self.result.failures) < 20:
                    self.result.failures.append({"id": d.key, "reason": d.reason, "error": d.error})

    def fail_now(self, key: str, reason: str, error: str, doc: Any) -> None:
        self._dead([DeadLetter(STAGE, key, reason, error, doc)])

    # --- one batch -----------------------------------------------------------------------------------------
    def _existing(self, ids: list[str]) -> dict[str, tuple]:
        resp = self._call("mget", self.client.mget, index=self.target, ids=ids,
                          source_includes=["content_hash", "pipeline_version"])
        out = {}
        for d in resp["docs"]:
            if d.get("found"):
                out[d["_id"]] = _version_key(d.get("_source") or {})
        return out

    def _classify(self, items: list[_Item]) -> list[_Item]:
        """Set op on each item; return the ones to send (unchanged ones are counted here)."""
        have = self._existing([it.id for it in items])
        send, same = [], []
        for it in items:
            if it.id not in have:
                it.op = "create"
                send.append(it)
            elif have[it.id] == it.key and not self.force:
                same.append(it.id)
            else:
                it.op = "index"
                send.append(it)
        with self.lock:
            self.result.unchanged += len(same)
            self.letters.settle(same)
        return send

    def _bulk(self, items: list[_Item]):
        lines: list[bytes] = []
        stamp = stamp_now()     # each attempt of a request its own: a retried document is listed when it lands
        for it in items:
            lines.append(json.dumps({it.op: {"_index": self.target, "_id": it.id}}).encode())
            lines.append(with_field(it.payload, "indexed_at", stamp))
        kw: dict[str, Any] = {"filter_path": "errors,items.*.status,items.*.result,items.*.error"}
        if self.is_alias:
            kw["require_alias"] = True  # never auto-create a concrete index named like the alias
        return self._call("bulk", self.client.bulk, operations=lines, **kw)

    def run_batch(self, items: list[_Item]) -> None:
        if self.removals is not None:     # taken out for good (`newsetl remove`): left out, not dead-lettered
            gone = self._call("removed mget", self.removals.blocked, [(it.id, it.doc) for it in items])
            if gone:
                items = [it for it in items if it.id not in gone]
                with self.lock:
                    self.result.removed += len(gone)
                    self.letters.settle(gone)
            if not items:
                return
        pending = self._classify(items)
        try:
            labels = self.people.label([it.doc for it in pending]) if self.people and pending else [None] * len(pending)
        except LabelsRefused as e:
            self._dead([DeadLetter(STAGE, it.id, e.reason, str(e), it.doc) for it in pending])
            return
        for it, people in zip(pending, labels):
            it.payload = with_field(with_bands(it.payload, it.doc), "people", people)
        with self.lock:
            self.result.batches += 1
            self.result.bytes += sum(len(it.payload) for it in pending)
        self._send(pending)

    def _send(self, pending: list[_Item]) -> None:
        attempt = 0
        while pending:
            try:
                resp = self._bulk(pending)
            except ApiError as e:
                if e.meta.status != 413:
                    raise
                if len(pending) == 1:
                    self.fail_now(pending[0].id, "request_too_large",
                                  "the document alone exceeds the cluster's http.max_content_length", pending[0].doc)
                    return
                half = len(pending) // 2  # too large for the cluster: halve it
                self._send(pending[:half])
                pending = pending[half:]
                continue
            retry, conflicts, letters = [], [], []
            written: list[str] = []
            created = updated = 0
            for it, item in zip(pending, resp.get("items", [])):
                res = next(iter(item.values()))
                status = res.get("status", 0)
                if status in (200, 201):
                    written.append(it.id)
                    if it.op == "create" or res.get("result") == "created":
                        created += 1
                    else:
                        updated += 1
                elif status == 409 and it.op == "create":
                    conflicts.append(it)
                elif status in RETRY_STATUS:
                    retry.append(it)
                else:
                    err = res.get("error") or {}
                    reason = err.get("reason") or ""
                    cause = err.get("caused_by") or {}
                    if cause.get("reason"):
                        reason += f" (caused by {cause.get('type')}: {cause['reason']})"
                    letters.append(DeadLetter(STAGE, it.id, err.get("type") or f"http_{status}", reason, it.doc))
            with self.lock:
                self.result.created += created
                self.result.updated += updated
                self.written.update(written)
                self.letters.settle(written)
            self._dead(letters)
            if conflicts:  # created meanwhile by someone else: compare again
                retry.extend(self._classify(conflicts))
            if not retry:
                break
            attempt += 1
            with self.lock:
                self.result.retries += 1
            if attempt > self.cfg.max_retries:
                self._dead([DeadLetter(STAGE, it.id, "es_rejected_execution_exception",
                                       f"still rejected after {counted(self.cfg.max_retries, 'retry', 'retries')}",
                                       it.doc) for it in retry])
                break
            self._backoff(attempt)
            pending = retry


def bulk_load(client: Elasticsearch, docs: Iterable[dict], settings: Any, *, storage: Storage, run_id: str,
              index: str | None = None, workers: int | None = None, refresh: bool | None = None,
              force: bool = False, letters_part: str | None = None) -> LoadResult:
    """Load processed documents (see module docstring). ``index``: a concrete index or alias to write to
    (default: the write alias, after ``ensure_index``). ``workers``: concurrent bulk requests
    (default ``index.load.workers``). ``refresh``: make the documents searchable at the end (default
    ``index.load.refresh``). ``force``: write a document already there even when its content hash and pipeline
    version are the same (a replay in place: its processing may have changed fields the hash does not cover, such
    as authors, dates or tags). ``letters_part``: the dead letters' part (``pipeline.deadletter``; a DAG task's
    batch, so that its retry replaces them), else a file of their own."""
    from pipeline.admin import ensure_index

    idx = _index_settings(settings)
    t0 = time.monotonic()
    check_cluster(client)  # unreachable: one clear error before anything is read or written
    if index is None:
        ensure_index(client, idx)
        target, is_alias = idx.write_alias_name, True
    else:
        target = index
        try:
            is_alias = bool(client.indices.exists_alias(name=index))
        except ApiError:
            is_alias = False
    loader = _Loader(client, idx, target, is_alias, storage, run_id, force, letters_part)
    n_workers = workers or idx.load.workers
    cfg = idx.load

    pool = ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="bulk") if n_workers > 1 else None
    complete = False       # every document reached: the letters replace an earlier attempt's whole
    inflight: set[Future] = set()
    inflight_ids: dict[str, Future] = {}   # id -> the in-flight batch that writes it
    batch_ids: dict[Future, list[str]] = {}

    def submit(batch: list[_Item]) -> None:
        if not batch:
            return
        if pool is None:
            loader.run_batch(batch)
            return
        while len(inflight) >= n_workers * 2:
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            for f in done:
                inflight.discard(f)
                for i in batch_ids.pop(f, ()):
                    if inflight_ids.get(i) is f:
                        del inflight_ids[i]
                f.result()
        fut = pool.submit(loader.run_batch, batch)
        inflight.add(fut)
        batch_ids[fut] = [it.id for it in batch]
        for it in batch:
            inflight_ids[it.id] = fut

    def settle(doc_id: str) -> None:
        """A document whose id a batch in flight is writing waits for that batch: with concurrent workers the
        later version must be compared with, and written after, the earlier one (last one in the input wins)."""
        fut = inflight_ids.pop(doc_id, None)
        if fut is not None:
            fut.result()

    try:
        batch: list[_Item] = []
        ids: set[str] = set()
        size = 0
        for doc in docs:
            if not isinstance(doc, dict):
                loader.fail_now("", "not_a_document", f"expected a JSON object, got {type(doc).__name__}", doc)
                continue
            doc_id = doc.get("id")
            if not isinstance(doc_id, str) or not doc_id.strip():
                key = str(doc.get("url") or doc.get("canonical_url") or "")
                loader.fail_now(key, "missing_id", "the document has no id", doc)
                continue
            if doc.get("status", "ok") != "ok":
                loader.result.skipped += 1
                continue
            if not doc.get("content_hash"):
                h = hashlib.sha256(f"{doc.get('title') or ''}\n{doc.get('text') or ''}".encode()).hexdigest()
                doc = {**doc, "content_hash": h}
            try:
                payload = json.dumps(prepare_document(doc, idx, bands=False, stamp=False), ensure_ascii=False,
                                     allow_nan=False).encode("utf-8")
            except (TypeError, ValueError) as e:
                loader.fail_now(doc_id, "not_serializable", str(e), json.loads(json.dumps(doc, default=str)))
                continue
            if doc_id in ids or (batch and (size + len(payload) > cfg.batch_bytes or len(batch) >= cfg.batch_docs)):
                submit(batch)
                batch, ids, size = [], set(), 0
            settle(doc_id)
            batch.append(_Item(doc_id, doc, payload, _version_key(doc)))
            ids.add(doc_id)
            size += len(payload)
        submit(batch)
        for f in list(inflight):
            f.result()
        complete = True
    except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as e:
        raise unavailable_from(client, e) from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        loader.letters.close(complete=complete)
    if refresh if refresh is not None else cfg.refresh:
        try:
            client.indices.refresh(index=target)
        except ApiError:
            pass
    if loader.people is not None and loader.written:
        try:
            loader.result.relabelled = relabel(client, target, loader.people, loader.people.outdated())
        except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as e:
            raise unavailable_from(client, e) from None
        except (ApiError, RuntimeError) as e:   # the documents are in; only some carry a label since replaced
            log.warning("the documents are loaded, but giving the earlier documents their people's new labels "
                        "failed (%s): run `newsetl index relabel`", e)
    if cfg.near_duplicates and loader.written:
        t_mark = time.monotonic()
        try:
            loader.result.marked = mark_near_duplicates(client, target, loader.written,
                                                        min_bands=cfg.near_duplicate_bands)
        except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as e:
            raise unavailable_from(client, e) from None
        except ApiError as e:
            raise RuntimeError(f"the documents are loaded, but marking their near duplicates failed ({e}): run "
                               f"`newsetl index mark-duplicates` to mark the whole index") from e
        loader.result.marking_seconds = round(time.monotonic() - t_mark, 3)
    loader.result.seconds = round(time.monotonic() - t0, 3)
    return loader.result


def read_jsonl_documents(path: str, storage: Storage | None = None) -> Iterable[dict]:
    """Documents from a JSONL file (local path, or relative to ``storage``); a line that is not JSON is yielded
    as a string so bulk_load dead-letters it instead of losing it."""
    opener = storage.open(path, "r", encoding="utf-8") if storage else open(path, encoding="utf-8")
    with opener as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                yield line
