"""Watches: saved searches that tell someone when new articles match them (``config/watches.yaml``,
``newsetl watch``, the news_alerts DAG).

A watch is a search as ``newsetl search`` takes it (words, language, source, tag, country, entities, originals
only) and the channels its alerts go to (``pipeline.notify``: webhooks, folders). Each run:

1. **Match.** The run reads the changes feed (``pipeline.changes``) once for all its watches (``match_watches``),
   from the earliest of their cursors, a page of ids at a time, and asks for each page which watches each document
   matches: one ``_msearch`` a page, a search per 50 watches, restricted to the page's ids and holding each watch
   as a named clause (its search, its start and its own cursor's position), so that every hit names its watches
   (``matched_queries``). A watch only gets what comes after its own cursor, so watches with different cursors (one
   added yesterday, one a month old) each get exactly their documents, and each watch's own reading of the feed
   with its search as the query (``run_watch``, kept for one watch alone and for the benchmark) gives the same.
   Why named clauses rather than a search per watch and page: one request a page whatever the number of watches
   (benchmarks/bench_watches.py), the ids keep each search small, and the watches' searches run as
   ``newsetl search`` runs them (a percolator would need the documents' analysed copies again). Only articles
   fetched since the watch started count (``started_at``: its first run, or ``--since``), so a replay, which writes
   every old article again, alerts nobody. The cursor is kept under the storage root (``watches/<name>.json``).
2. **Record.** Each match becomes an alert record in the alerts index (``index.alerts_index``, default
   ``<name>-alerts``), created with the id ``<watch>:<article id>``: an article alerts a watch once, however often
   a load writes it again (new content, a replay in place, a re-run). The record names the channels still to do
   (``pending``). A page's records are written in one bulk request, and only then do the cursors of the watches it
   covered move to its end: a cursor never passes what was not recorded. A watch whose search the cluster refuses
   keeps its cursor (the others go on) and the reason in its state file (``match_error``), which its delivery
   reports as an error.
3. **Deliver** (``deliver_watch``, per watch, after the matching: news_alerts runs it as one task per watch, so a
   channel that refuses fails that watch's task only). Every record with a channel still pending is sent,
   ``max_per_message`` to a message, oldest first (by when it matched); a channel with a ``digest`` (``1d``) gets
   one message of all that waits once that long has passed since its last (the time is kept in the watch's state
   file). A delivered message takes its channel off its records; a refused one leaves them, with ``attempts`` and
   ``last_error``, for the next run, and the run fails at its end (the other watches are still run), so that
   Airflow retries it and its failure alerts reach someone.

So nothing is lost: a crash before the records are written reads the same documents again, one after matching and
before delivery leaves the records pending for the next delivery (which sends exactly them), one after sending
sends them again at the next run (at least once: each alert has an ``alert_id`` and each message a ``message_id`` for a
receiver that wants to recognise a repeat). A watch with no channel keeps its alerts in the index, for Kibana or
``newsetl watch alerts``.

A new watch starts now: it does not alert on the articles already indexed (``--since`` starts it earlier). Changing
a watch's search keeps its cursor: the new search applies to what comes next. Renaming it starts a new watch.

**Where watches live.** The watches file (``config/watches.yaml``) is reviewed and deployed like code; analysts and
services also add watches without editing it (``newsetl watch add``, ``PUT /watches/{name}``): those are stored in
the cluster, in the watches index (``index.watches_index``, default ``<name>-watches``, one document per watch with
its name as id, validated by the same ``Watch`` model as the file's entries). ``load_all`` gives both, and everything
that runs watches (news_alerts, ``newsetl watch``, the API) reads them through it. A name is one watch: the file is
authoritative, so a stored watch cannot take a name the file has, and one the file takes later is shadowed (left
out and reported, never run twice under one cursor). When the cluster cannot be reached, the file's watches still
load, with a note saying the stored ones are missing.

**Header values at rest.** A stored webhook's ``headers`` (an ``Authorization`` token) are encrypted in the watches
index when ``NEWSETL_WATCH_SECRET_KEY`` is set: one or more Fernet keys (``cryptography``), comma-separated, the first
encrypting, all decrypting (rotation: put the new key first, run ``newsetl watch reencrypt``, then drop the old one).
A value is stored as ``{"enc": "<Fernet token>"}`` in place of the string (a string is a value in clear, which no
header value can be mistaken for). Without a key the values are stored in clear, and ``newsetl doctor`` warns. They
are decrypted when the watch is loaded (``load_all``); one that cannot be (no key, a wrong one) leaves the watch
loaded with that header empty and the reason kept (``header_problem``): its delivery to that channel then fails
with the reason, as a missing signing secret does, and the alerts wait. The watches file is not concerned: its
values name environment variables (``${VAR}``).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from pipeline.changes import _after, changes, cursor_at, delay_seconds, position_key, position_of, starts
from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
from pipeline.mapping import _index_settings
from pipeline.notify import DeliveryError, deliver, watch_message
from pipeline.settings.alerts import Channel, default_watches_path
from pipeline.search import SearchError, build_query, parse_entity
from pipeline.settings import ConfigError, load_named_list
from pipeline.storage import Storage
from pipeline.wording import counted

log = logging.getLogger(__name__)

KEYWORD = {"type": "keyword", "ignore_above": 1024}
ALERTS_MAPPING = {
    "dynamic": "strict",
    "properties": {
        "alert_id": {"type": "keyword"},       # "<watch>:<article id>"
        "watch": {"type": "keyword"},
        "id": {"type": "keyword"},             # the article's
        "title": {"type": "text", "fields": {"keyword": KEYWORD}},
        "url": KEYWORD,
        "source": {"type": "keyword"},
        "domain": {"type": "keyword"},
        "language": {"type": "keyword"},
        "published_at": {"type": "date"},
        "description": {"type": "text", "index": False},
        "people": {"type": "keyword"},
        "matched_at": {"type": "date"},
        "pending": {"type": "keyword"},        # the channels (notify.Channel.key) still to deliver it
        "delivered_at": {"type": "date"},      # when the last channel had it
        "attempts": {"type": "integer"},       # refused deliveries
        "last_error": {"type": "text", "index": False},
    },
}
_DESCRIPTION_CHARS = 300
_PEOPLE = 5


class Watch(BaseModel):
    """One saved search and where its alerts go (an item of ``watches.yaml``)."""
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str | None = None
    enabled: bool = True
    query: str | None = None             # words, as `newsetl search` takes them ("ukraine -football", "\"a b\"")
    lang: str | None = None              # language codes, comma-separated
    source: str | None = None            # source names or domains, comma-separated
    tag: str | None = None               # the page's keywords or sections, comma-separated
    country: str | None = None           # countries or first-level regions (codes or names), comma-separated
    entities: list[str] = Field(default_factory=list)   # TYPE:NAME, each must match ("person:Olaf Scholz")
    originals: bool = False              # leave out near duplicates of another article
    access: str | None = None            # free, metered, paywalled, none (not declared), comma-separated
    near: str | None = None              # "LAT,LON,KM" or "CITY,KM": a city among the article's places that near
    deliver: list[Channel] = Field(default_factory=list)
    max_per_message: int | None = Field(default=None, ge=1, le=500)   # null: alerts.max_per_message
    # set by load_all, never from input: channel key -> why a stored header value of it could not be decrypted
    # (header_problem); such a channel is not sent to
    _sealed: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("entities")
    @classmethod
    def _entities(cls, v: list[str]) -> list[str]:
        for spec in v:
            try:
                parse_entity(spec)
            except SearchError as e:
                raise ValueError(str(e)) from None
        return v

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        if v is not None:
            from pipeline.search import area_codes

            area_codes(v)       # ValueError names what is no country nor first-level region
        return v

    @field_validator("access")
    @classmethod
    def _access(cls, v: str | None) -> str | None:
        if v is not None:
            from pipeline.search import access_filter

            try:
                access_filter(v)
            except SearchError as e:
                raise ValueError(str(e)) from None
        return v

    @field_validator("near")
    @classmethod
    def _near(cls, v: str | None) -> str | None:
        if v is not None:
            from pipeline.places import near_form

            near_form(v)          # ValueError names the form; the place's name: ``check_near``, by the settings
        return v

    @field_validator("deliver")
    @classmethod
    def _channels_apart(cls, v: list[Channel]) -> list[Channel]:
        keys = [c.key for c in v]
        if len(set(keys)) < len(keys):
            raise ValueError("the same channel twice: list each webhook or folder once")
        return v

    def search_query(self, settings: Any) -> dict:
        """The watch's search as an Elasticsearch query (``pipeline.search.build_query``)."""
        return build_query(settings, self.query, lang=self.lang, source=self.source, tag=self.tag,
                           country=self.country, entities=[parse_entity(e) for e in self.entities],
                           originals=self.originals, access=self.access, near=self.near)


def check_near(watch: Watch, settings: Any) -> None:
    """Whether ``watch.near`` names a place the index's places know as a city: by the floor of cities the settings
    give (``index.places.min_city_population``), the one its search will use (``pipeline.search.build_query``), not
    the default's. Raises ``ValueError`` naming the place and, for a town the floor leaves out, the setting."""
    if watch.near is None:
        return
    from pipeline.places import CITY_MIN_POPULATION, CITY_POPULATIONS, near_point

    floor = _index_settings(settings).places.min_city_population if settings is not None else CITY_MIN_POPULATION
    try:
        near_point(watch.near, floor)
    except ValueError as e:
        if "is no place" not in str(e) or floor <= CITY_POPULATIONS[0]:
            raise
        # not which lower floor would know it: the tables of small towns take seconds to load
        raise ValueError(f"{e} (at index.places.min_city_population {floor}: a town under {floor} people needs a "
                         "lower floor, then a migrate of the index, or its coordinates)") from None


def load_watches(path: str | os.PathLike | None = None, *, settings: Any = None, enabled_only: bool = False,
                 names: list[str] | None = None) -> list[Watch]:
    """Read and validate the watches (errors name the file, the watch and the key); ``names``: only those, each
    of which must exist."""
    p, named = (Path(path), True) if path else default_watches_path(settings)
    watches = load_named_list(p, "watches", Watch) if named or p.exists() else []
    smtp = getattr(getattr(settings, "alerts", None), "smtp", None)
    for i, w in enumerate(watches):
        try:
            check_near(w, settings)
        except ValueError as e:
            raise ConfigError(p, f"watches[{i}] ({w.name}).near", str(e), "name a city the places tables know, or "
                              "give its coordinates (LAT,LON,KM)") from None
        for j, ch in enumerate(w.deliver):
            if ch.email is not None and smtp is not None and not smtp.host:
                raise ConfigError(p, f"watches[{i}] ({w.name}).deliver[{j}]", "sends e-mail, but no mail server is "
                                  "configured", "set alerts.smtp.host (and port, security, sender) in newsetl.yaml")
    if names:
        known = {w.name: w for w in watches}
        for n in names:
            if n not in known:
                raise ConfigError(p, None, f"no watch named {n!r}", "use one of: " + (", ".join(known) or "none"))
        watches = [known[n] for n in names]
    return [w for w in watches if w.enabled] if enabled_only else watches


# -- state ------------------------------------------------------------------------------------------------------------

def state_path(name: str) -> str:
    return f"watches/{name}.json"


def read_state(storage: Storage, name: str) -> dict | None:
    return storage.read_json_object(state_path(name))


def _write_state(storage: Storage, name: str, state: dict) -> None:
    storage.write_json(state_path(name), state)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")


def _fetched_since(start: str) -> dict:
    """Articles fetched at or after ``start`` (a page read from a local file has no fetch time: when it was
    processed)."""
    return {"bool": {"should": [
        {"range": {"fetched_at": {"gte": start}}},
        {"bool": {"must_not": [{"exists": {"field": "fetched_at"}}],
                  "filter": [{"range": {"processed_at": {"gte": start}}}]}}], "minimum_should_match": 1}}


# -- alert records ----------------------------------------------------------------------------------------------------

def alert_id(watch: str, doc_id: str) -> str:
    return f"{watch}:{doc_id}"


def _record(watch: Watch, doc: dict, at: str) -> dict:
    desc = doc.get("description") or (doc.get("text") or "")
    people = doc.get("people") or (doc.get("entities") or {}).get("person") or []
    return {"alert_id": alert_id(watch.name, doc["id"]), "watch": watch.name, "id": doc["id"],
            "title": doc.get("title"), "url": doc.get("canonical_url") or doc.get("url"), "source": doc.get("source"),
            "domain": doc.get("domain"), "language": doc.get("language"), "published_at": doc.get("published_at"),
            "description": desc[:_DESCRIPTION_CHARS] or None, "people": list(people)[:_PEOPLE], "matched_at": at,
            "pending": [c.key for c in watch.deliver], "delivered_at": None if watch.deliver else at,
            "attempts": 0, "last_error": None}


def ensure_alerts_index(client: Elasticsearch, settings: Any) -> str:
    from pipeline.runs import ensure_side_index

    index = _index_settings(settings).alerts_index_name
    ensure_side_index(client, index, ALERTS_MAPPING, "the alerts index's", "index.alerts_index")
    return index


def _create(client: Elasticsearch, index: str, records: list[dict]) -> list[dict]:
    """Create the records whose alert does not exist yet; those that were new."""
    new = []
    actions = ({"_op_type": "create", "_index": index, "_id": r["alert_id"], "_source": r} for r in records)
    results = helpers.streaming_bulk(client, actions, raise_on_error=False, raise_on_exception=False)
    for r, (ok, item) in zip(records, results):
        res = item["create"]
        if ok:
            new.append(r)
        elif res.get("status") != 409:          # 409: this watch alerted on the article before
            raise RuntimeError(f"the alerts index refused an alert: {res.get('error')}")
    return new


def _pending(client: Elasticsearch, index: str, watch: str) -> list[dict]:
    """The records of ``watch`` that a channel still waits for, oldest first."""
    return _pending_of(client, index, [watch]).get(watch, [])


def _pending_of(client: Elasticsearch, index: str, watches: list[str]) -> dict[str, list[dict]]:
    """watch -> its records that a channel still waits for, oldest first: one paged read for several watches (a
    run of all of them reads them at once)."""
    out: dict[str, list[dict]] = {}
    after = None
    while watches:
        kw = {"search_after": after} if after else {}
        hits = client.search(index=index, size=1000, query={"bool": {"filter": [
            {"terms": {"watch": watches}}, {"exists": {"field": "pending"}}]}},
            sort=[{"matched_at": "asc"}, {"alert_id": "asc"}], **kw)["hits"]["hits"]
        for h in hits:
            out.setdefault(h["_source"]["watch"], []).append(h["_source"])
        if len(hits) < 1000:
            break
        after = hits[-1]["sort"]
    return out


def pending_records(client: Elasticsearch, settings: Any, watches: list[str]) -> dict[str, list[dict]]:
    """watch -> the alerts a channel still waits for, oldest first (for ``deliver_watch``), read at once for all."""
    try:
        return _pending_of(client, _index_settings(settings).alerts_index_name, watches)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None


def _update(client: Elasticsearch, index: str, records: list[dict], refresh: bool = True) -> None:
    helpers.bulk(client, ({"_op_type": "index", "_index": index, "_id": r["alert_id"], "_source": r}
                          for r in records), refresh=refresh)


_MESSAGE_FIELDS = ("alert_id", "id", "title", "url", "source", "domain", "language", "published_at", "description",
                   "people", "matched_at")


_DIGEST_MAX = 500        # alerts in one digest message (the rest come with the next)


def _deliver(client: Elasticsearch, storage: Storage, settings: Any, index: str, watch: Watch, records: list[dict],
             sent: dict, now: dt.datetime) -> dict:
    """Send ``records`` (the watch's alerts a channel waits for, oldest first) to their channels; per channel: sent,
    or the error that stopped it. A channel with a ``digest`` gets one message of everything pending (up to 500)
    when that long has passed since its last one (``sent``: channel key -> when its last message went, updated
    here). The records are updated in the index (not refreshed: the run refreshes once at its end)."""
    alerts = settings.alerts
    out: dict[str, Any] = {"delivered": 0, "errors": [], "held": 0}
    for channel in watch.deliver:
        todo = [r for r in records if channel.key in r["pending"]]
        every = channel.digest_delta()
        if every is not None and todo and sent.get(channel.key) and \
                now - dt.datetime.fromisoformat(sent[channel.key]) < every:
            out["held"] += len(todo)         # the digest's next message takes them
            continue
        size = _DIGEST_MAX if every is not None else watch.max_per_message or alerts.max_per_message
        if every is not None:
            todo = todo[:size]
        for i in range(0, len(todo), size):
            chunk = todo[i:i + size]
            at = _iso(dt.datetime.now(dt.timezone.utc))
            try:
                problem = header_problem(watch, channel)
                if problem:         # never sent without its header (nor with its ciphertext): it waits, as refused
                    raise DeliveryError(f"{channel.describe()}: {problem}")
                deliver(storage, channel, watch_message(watch.name, watch.description,
                                                        [{k: r.get(k) for k in _MESSAGE_FIELDS} for r in chunk]),
                        alerts)
            except DeliveryError as e:
                for r in todo[i:]:
                    r["attempts"] = (r.get("attempts") or 0) + 1
                    r["last_error"] = f"{at} {e}"
                _update(client, index, todo[i:], refresh=False)
                out["errors"].append(str(e))
                left = len(todo) - i
                log.warning("watch %s: %s (%s %s for the next run)", watch.name, e, counted(left, "alert"),
                            "waits" if left == 1 else "wait")
                break
            for r in chunk:
                r["pending"] = [k for k in r["pending"] if k != channel.key]
                if not r["pending"]:
                    r["delivered_at"] = at
            _update(client, index, chunk, refresh=False)
            out["delivered"] += len(chunk)
            sent[channel.key] = _iso(now)
    return out


def refresh_alerts(client: Elasticsearch, settings: Any) -> None:
    """Make what a run wrote to the alerts index visible to the next run's searches."""
    client.indices.refresh(index=_index_settings(settings).alerts_index_name)


def _forget_channels(client: Elasticsearch, index: str, watch: Watch, waiting: list[dict]) -> int:
    """Take the channels no longer configured off ``waiting`` (the watch's pending records, as ``_pending`` read
    them; else those would wait for ever), in place and in the index; how many records changed."""
    keep = {c.key for c in watch.deliver}
    changed = []
    for r in waiting:
        left = [k for k in r["pending"] if k in keep]
        if left != r["pending"]:
            r["pending"] = left
            r["delivered_at"] = None if left else _iso(dt.datetime.now(dt.timezone.utc))
            changed.append(r)
    if changed:
        _update(client, index, changed, refresh=False)
    return len(changed)


# -- a run ------------------------------------------------------------------------------------------------------------

def prepare(client: Elasticsearch, settings: Any) -> bool:
    """Before a run of watches: whether the news index exists yet (no: nothing to match), and the alerts index made
    or brought up to date (once for all the watches of a run)."""
    try:
        if not client.indices.exists_alias(name=_index_settings(settings).read_alias):
            return False
        ensure_alerts_index(client, settings)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return True


def _fresh_state(storage: Storage, watch: Watch, since: dt.datetime | None, now: dt.datetime) -> dict:
    """The watch's state for a run that matches: as kept, its start set on the first run (``since``, else now), this
    run's time, and no matching error yet."""
    state = read_state(storage, watch.name) or {}
    return {"name": watch.name, "started_at": state.get("started_at") or _iso(since or now),
            "cursor": state.get("cursor"), "until": state.get("until"), "last_run_at": _iso(now),
            "sent": state.get("sent") or {}}


def _counts(watch: Watch, started: str, dry_run: bool) -> dict:
    return {"watch": watch.name, "started_at": started, "matched": 0, "new": 0, "delivered": 0, "pending": 0,
            "held": 0, "errors": [], "dry_run": dry_run}


def _is_ready(client: Elasticsearch, settings: Any, dry_run: bool) -> bool:
    return prepare(client, settings) if not dry_run else \
        client.indices.exists_alias(name=_index_settings(settings).read_alias)


def run_watch(client: Elasticsearch, storage: Storage, settings: Any, watch: Watch, *,
              since: dt.datetime | None = None, dry_run: bool = False, now: dt.datetime | None = None,
              ready: bool | None = None, refresh: bool = True) -> dict:
    """Match, record and deliver one watch on its own: it reads the changes feed with its search as the feed's
    query (the per-watch reading; a run of several watches reads the feed once for all, ``match_watches``, and
    gives the same alerts and cursors). ``since``: where a watch without a cursor starts (default now).
    ``dry_run``: the matches only; nothing is written or sent. ``ready``: what ``prepare`` said, when the caller
    asked it for a run of several watches; ``refresh`` False: the caller refreshes the alerts index once after them
    all (``refresh_alerts``), before the next run reads it. Returns its counts and errors."""
    now = now or dt.datetime.now(dt.timezone.utc)
    state = _fresh_state(storage, watch, since, now)
    started = state["started_at"]
    query = {"bool": {"filter": [watch.search_query(settings), _fetched_since(started)]}}
    index = _index_settings(settings).alerts_index_name
    cursor = state["cursor"]
    out: dict[str, Any] = _counts(watch, started, dry_run)
    matches: list[dict] = []
    try:
        if ready is None:
            ready = _is_ready(client, settings, dry_run)
        if not ready:               # nothing loaded yet
            if not dry_run:
                _write_state(storage, watch.name, state)
            return {**out, "alerts": []} if dry_run else out
        # what waited from before this run (visible: every run ends with a refresh), then this run's
        waiting = _pending(client, index, watch.name) if not dry_run else []
        created: list[dict] = []
        while True:
            page = changes(client, settings, after=cursor, since=None if cursor else started,
                           size=settings.alerts.page_size, now=now, query=query, deletions=False)
            docs = page["documents"]
            out["matched"] += len(docs)
            at = _iso(dt.datetime.now(dt.timezone.utc))
            if dry_run:
                matches += [_record(watch, d, at) for d in docs]
            elif docs:
                created += _create(client, index, [_record(watch, d, at) for d in docs])
            cursor = page["next"]
            if not dry_run:
                state.update(cursor=cursor, until=page["until"])
                _write_state(storage, watch.name, state)
            if not page["more"]:
                break
        if dry_run:
            out["alerts"] = matches
            return out
        out["new"], out["until"] = len(created), state["until"]
        sent = deliver_watch(client, storage, settings, watch, waiting=waiting + created, now=now)
        out["delivered"], out["errors"], out["held"], out["pending"] = \
            sent["delivered"], sent["errors"], sent["held"], sent["pending"]
        if refresh and (created or sent["records"]):
            refresh_alerts(client, settings)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return out


# The fields of an article that an alert record takes (``_record``): all the shared matching fetches of a match.
_RECORD_SOURCE = ["title", "url", "canonical_url", "source", "domain", "language", "published_at", "description",
                  "text", "people", "entities.person"]
_CHUNK = 50         # watches in one search of a page's matching (the searches of a page go in one _msearch)


def match_watches(client: Elasticsearch, storage: Storage, settings: Any, watches: list[Watch], *,
                  since: dt.datetime | None = None, dry_run: bool = False, now: dt.datetime | None = None,
                  ready: bool | None = None) -> list[dict]:
    """Match and record ``watches`` with one read of the changes feed (module docstring, "Match" and "Record"): the
    feed is read from the earliest of their positions, a page of ids at a time, and each page is matched against
    every watch behind its end by ``_match_page``; the page's alert records are created in one bulk request, then
    the cursors of the watches behind its end move to it. Delivery is ``deliver_watch``'s. ``since``, ``dry_run``
    (the matches in each watch's ``alerts``; nothing written), ``ready``: as for ``run_watch``. A watch whose
    search the cluster refuses keeps its cursor and the reason (its state's ``match_error``, which its delivery
    reports as an error); the others go on. Returns each watch's counts and errors, in the order given."""
    now = now or dt.datetime.now(dt.timezone.utc)
    index = _index_settings(settings).alerts_index_name
    states = {w.name: _fresh_state(storage, w, since, now) for w in watches}
    outs = {w.name: {**_counts(w, states[w.name]["started_at"], dry_run), **({"alerts": []} if dry_run else {})}
            for w in watches}

    def finish() -> list[dict]:
        for w in watches:
            if outs[w.name]["errors"]:
                states[w.name]["match_error"] = "; ".join(outs[w.name]["errors"])
            if not dry_run:
                _write_state(storage, w.name, states[w.name])
        return [outs[w.name] for w in watches]

    if not watches:
        return []
    try:
        if ready is None:
            ready = _is_ready(client, settings, dry_run)
        if not ready:               # nothing loaded yet
            return finish()
        clauses: dict[str, dict] = {}       # the watches still matching: name -> their search
        for w in watches:
            try:
                clauses[w.name] = {"bool": {"filter": [w.search_query(settings),
                                                       _fetched_since(states[w.name]["started_at"])]}}
            except SearchError as e:
                outs[w.name]["errors"].append(f"its search cannot be run: {e}")
        begun = starts(client, settings, [(states[w.name]["cursor"],
                                           None if states[w.name]["cursor"] else states[w.name]["started_at"])
                                          for w in watches])
        pos = dict(zip([w.name for w in watches], begun["positions"]))
        live = [w for w in watches if w.name in clauses]
        cursor = cursor_at(min((pos[w.name] for w in live), key=position_key), begun["indices"]) if live else None
        # one watch alone: the feed's query is its search, and a page holds its matches (no matching to ask)
        alone = clauses[live[0].name] if len(live) == 1 else None
        page = None
        while cursor:
            try:
                page = changes(client, settings, after=cursor, size=settings.alerts.page_size, now=now,
                               deletions=False, ids_only=alone is None, query=alone)
            except UNAVAILABLE_ERRORS:
                raise
            except ApiError as e:
                if alone is None:
                    raise
                _refused(outs, live[0].name, clauses, str(e).splitlines()[0])
                break
            end = position_of(page["next"])
            behind = [w for w in live if w.name in clauses and position_key(pos[w.name]) < position_key(end)]
            ids = [d["id"] for d in page["documents"]]
            if ids and behind:
                found = {live[0].name: page["documents"]} if alone else \
                    _match_page(client, settings, ids, behind, pos, clauses, outs)
                at = _iso(dt.datetime.now(dt.timezone.utc))
                records = [_record(w, d, at) for w in behind if w.name in clauses for d in found[w.name]]
                for w in behind:
                    outs[w.name]["matched"] += len(found[w.name])
                if dry_run:
                    for r in records:
                        outs[r["watch"]]["alerts"].append(r)
                elif records:
                    for r in _create(client, index, records):
                        outs[r["watch"]]["new"] += 1
            for w in behind:            # recorded: their cursors move to the page's end
                if w.name in clauses:
                    pos[w.name] = end
                    states[w.name].update(cursor=page["next"], until=page["until"])
                    if not dry_run:
                        _write_state(storage, w.name, states[w.name])
            cursor = page["next"] if page["more"] else None
        for w in live:
            if w.name in clauses and page is not None:
                st = states[w.name]
                if st["cursor"] is None or position_key(pos[w.name]) > position_key(end):
                    st["cursor"] = cursor_at(pos[w.name], begun["indices"])     # ahead of the feed's end
                st["until"] = page["until"]
                outs[w.name]["until"] = page["until"]
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return finish()


def _match_page(client: Elasticsearch, settings: Any, ids: list[str], watches: list[Watch], pos: dict,
                clauses: dict, outs: dict) -> dict[str, list[dict]]:
    """Which of a page's documents (``ids``) each of ``watches`` matches, in the feed's order: one ``_msearch``, a
    search per ``_CHUNK`` watches, each restricted to the page's ids and holding every watch of its chunk as a named
    clause (its search, its start, and its position: a watch gets only what comes after its own cursor), so that
    each hit names the watches it matches (``matched_queries``). A chunk the cluster refuses is asked again a watch
    at a time; a watch refused alone gets the error in ``outs`` and leaves ``clauses`` (it matches no more in this
    run, and its cursor stays)."""
    read = _index_settings(settings).read_alias
    named = {f"w{k}": w.name for k, w in enumerate(watches)}
    tag = {v: k for k, v in named.items()}
    chunks = [watches[i:i + _CHUNK] for i in range(0, len(watches), _CHUNK)]
    searches: list[dict] = []
    for chunk in chunks:
        should = [{"bool": {"filter": [clauses[w.name], *_after(*pos[w.name])], "_name": tag[w.name]}}
                  for w in chunk]
        searches += [{"index": read}, {
            "size": len(ids), "track_total_hits": False, "_source": {"includes": _RECORD_SOURCE},
            "query": {"bool": {"filter": [{"ids": {"values": ids}}], "should": should, "minimum_should_match": 1}},
            "sort": [{"indexed_at": {"order": "asc"}}, {"id": {"order": "asc"}}]}]
    found: dict[str, list[dict]] = {w.name: [] for w in watches}
    for chunk, answer in zip(chunks, client.msearch(searches=searches)["responses"]):
        if "error" in answer:
            if len(chunk) > 1:          # which watch: each alone
                for w in chunk:
                    found.update(_match_page(client, settings, ids, [w], pos, clauses, outs))
            else:
                err = answer["error"]
                _refused(outs, chunk[0].name, clauses,
                         (err.get("root_cause") or [err])[0].get("reason") if isinstance(err, dict) else err)
            continue
        for h in answer["hits"]["hits"]:
            doc = {**(h.get("_source") or {}), "id": h["_id"]}
            for name in h.get("matched_queries") or ():
                if name in named:
                    found[named[name]].append(doc)
    return found


def _refused(outs: dict, name: str, clauses: dict, why: Any) -> None:
    """A watch whose search the cluster refused: the reason among its errors, and no more matching this run (its
    cursor stays where it was)."""
    outs[name]["errors"].append(f"the cluster refused its search ({why}): its cursor stays, the next run reads its "
                                "articles again")
    clauses.pop(name, None)


def deliver_watch(client: Elasticsearch, storage: Storage, settings: Any, watch: Watch, *,
                  waiting: list[dict] | None = None, now: dt.datetime | None = None) -> dict:
    """Deliver one watch (module docstring, "Deliver"): its records a channel still waits for (``waiting``, as
    ``pending_records`` read them; default: read here) go to their channels, a channel taken out of the config is
    taken off them first, and the digest times are kept in its state file. A matching error its state holds (the
    run's ``match_watches``) is reported among the errors, so that its task fails. Returns delivered, errors, held,
    pending and records (how many were looked at)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    index = _index_settings(settings).alerts_index_name
    state = read_state(storage, watch.name) or {}
    out: dict[str, Any] = {"delivered": 0, "errors": [], "held": 0, "pending": 0, "records": 0}
    if state.get("match_error"):
        out["errors"].append(f"its articles were not matched: {state['match_error']}")
    try:
        if waiting is None:
            waiting = _pending(client, index, watch.name)
        _forget_channels(client, index, watch, waiting)          # a channel taken out of the config
        records = [r for r in waiting if r["pending"]]
        out["records"] = len(records)
        if records:
            sent = state.get("sent") or {}
            got = _deliver(client, storage, settings, index, watch, records, sent, now)
            _write_state(storage, watch.name, {**state, "name": watch.name, "sent": sent})
            out["delivered"], out["held"] = got["delivered"], got["held"]
            out["errors"] += got["errors"]
        out["pending"] = sum(1 for r in records if r["pending"])
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return out


def settle(client: Elasticsearch, settings: Any, *, wait_max: float | None = None) -> float:
    """Wait until the changes feed lists the last document a load wrote (its ``indexed_at`` plus the feed's delay),
    at most the delay; the seconds waited. news_alerts runs right after a load: without it, that load's articles
    would wait for the next run."""
    idx = _index_settings(settings)
    delay = delay_seconds(settings)
    wait_max = delay if wait_max is None else wait_max
    try:
        got = client.search(index=idx.read_alias, size=0, aggs={"last": {"max": {"field": "indexed_at"}}},
                            ignore_unavailable=True, allow_no_indices=True)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    last = ((got.get("aggregations") or {}).get("last") or {}).get("value")
    if not last:
        return 0.0
    wait = min(wait_max, last / 1000 + delay - time.time() + 0.5)
    if wait > 0:
        time.sleep(wait)
    return max(wait, 0.0)


def alerts_listing(client: Elasticsearch, settings: Any, *, watch: str | None = None, pending: bool = False,
                   size: int = 50) -> list[dict]:
    """The latest alert records (of one watch; only those still to deliver), newest first."""
    index = _index_settings(settings).alerts_index_name
    flt = ([{"term": {"watch": watch}}] if watch else []) + ([{"exists": {"field": "pending"}}] if pending else [])
    try:
        hits = client.search(index=index, size=size, query={"bool": {"filter": flt}}, ignore_unavailable=True,
                             sort=[{"matched_at": {"order": "desc", "unmapped_type": "date"}}])["hits"]["hits"]
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return [h["_source"] for h in hits]


def pending_counts(client: Elasticsearch, settings: Any) -> dict[str, int]:
    """watch -> alerts still to deliver."""
    index = _index_settings(settings).alerts_index_name
    try:
        got = client.search(index=index, size=0, query={"exists": {"field": "pending"}}, ignore_unavailable=True,
                            aggs={"w": {"terms": {"field": "watch", "size": 1000}}})
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return {b["key"]: b["doc_count"] for b in ((got.get("aggregations") or {}).get("w") or {}).get("buckets", [])}


# -- the watches stored in the cluster ---------------------------------------------------------------------------------

# One document per watch, its name as id: a watches.yaml entry (``Watch``; keep the two in step, strict mapping) and
# who wrote it when. The channels are kept whole but not indexed: a webhook's headers are a mapping of any keys.
WATCHES_MAPPING = {
    "dynamic": "strict",
    "properties": {
        "name": {"type": "keyword"},
        "description": {"type": "text"},
        "enabled": {"type": "boolean"},
        "query": {"type": "text", "fields": {"keyword": KEYWORD}},
        "lang": {"type": "keyword"},
        "source": {"type": "keyword"},
        "tag": {"type": "keyword"},
        "country": {"type": "keyword"},
        "access": {"type": "keyword"},
        "near": {"type": "keyword"},
        "entities": {"type": "keyword"},
        "originals": {"type": "boolean"},
        "deliver": {"type": "object", "enabled": False},
        "max_per_message": {"type": "integer"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
        "created_by": {"type": "keyword"},      # free text: "cli", "api", a person
        "api_written": {"type": "boolean"},     # written through the API once: its webhooks are guarded for good
    },
}
_META = ("created_at", "updated_at", "created_by", "api_written")
FILE, STORED = "file", "stored"


# -- header values at rest (module docstring) ---------------------------------------------------------------------

SECRET_KEY_ENV = "NEWSETL_WATCH_SECRET_KEY"
_ENC = "enc"            # a stored header value {"enc": "<Fernet token>"}; a string is one in clear
_NEW_KEY = "make one with `newsetl watch new-key`"


def new_key() -> str:
    """A fresh Fernet key (for NEWSETL_WATCH_SECRET_KEY)."""
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def watch_cipher():
    """The ``MultiFernet`` of NEWSETL_WATCH_SECRET_KEY (the first key encrypts, all decrypt), or None when it is not
    set. ConfigError naming the variable when a key is not a Fernet key."""
    from cryptography.fernet import Fernet, MultiFernet

    keys = [k.strip() for k in os.environ.get(SECRET_KEY_ENV, "").split(",") if k.strip()]
    if not keys:
        return None
    fernets = []
    for i, k in enumerate(keys, 1):
        try:
            fernets.append(Fernet(k))
        except ValueError:           # binascii.Error too
            raise ConfigError(None, SECRET_KEY_ENV, f"its key #{i} is not a Fernet key (32 url-safe base64-encoded "
                              "bytes; several keys are separated by commas)", _NEW_KEY) from None
    return MultiFernet(fernets)


def _is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get(_ENC), str)


def _header_maps(doc: dict):
    """The ``headers`` mappings of a stored document's channels (index in ``deliver``, mapping), to change in
    place."""
    for j, ch in enumerate(doc.get("deliver") or []):
        if isinstance(ch, dict) and isinstance(ch.get("headers"), dict) and ch["headers"]:
            yield j, ch["headers"]


def _in_clear(doc: dict) -> list[str]:
    """The header names a stored document keeps in clear."""
    return [k for _, h in _header_maps(doc) for k, v in h.items() if not _is_sealed(v)]


def _seal(doc: dict, cipher) -> dict:
    """``doc`` (a stored watch, as written) with every header value in clear encrypted under the first key (those
    encrypted already are kept as they are); unchanged without a cipher. A copy: ``doc`` is left as it is."""
    if cipher is None or not _in_clear(doc):
        return doc
    out = {**doc, "deliver": [dict(ch) if isinstance(ch, dict) else ch for ch in doc.get("deliver") or []]}
    for ch in out["deliver"]:
        if isinstance(ch, dict) and isinstance(ch.get("headers"), dict):
            ch["headers"] = {k: v if _is_sealed(v) else {_ENC: cipher.encrypt(str(v).encode("utf-8")).decode("ascii")}
                             for k, v in ch["headers"].items()}
    return out


def _unseal(doc: dict) -> tuple[dict, dict[int, str]]:
    """A copy of ``doc`` with its header values decrypted, and per channel (index in ``deliver``) why one of them
    could not be (that value then empty): no key here, no key that opens it, a key that is no Fernet key."""
    from cryptography.fernet import InvalidToken

    if not any(_is_sealed(v) for _, h in _header_maps(doc) for v in h.values()):
        return doc, {}
    try:
        cipher, bad_key = watch_cipher(), None
    except ConfigError as e:
        cipher, bad_key = None, e.problem
    out = {**doc, "deliver": [dict(ch) if isinstance(ch, dict) else ch for ch in doc.get("deliver") or []]}
    problems: dict[int, str] = {}
    for j, headers in list(_header_maps(out)):
        clear = {}
        for k, v in headers.items():
            if not _is_sealed(v):
                clear[k] = v
                continue
            clear[k] = ""
            if bad_key:
                why = f"{SECRET_KEY_ENV} cannot be used ({bad_key})"
            elif cipher is None:
                why = f"it is stored encrypted and {SECRET_KEY_ENV} is not set here: set it (the key it was " \
                      "stored under) where the task runs"
            else:
                try:
                    clear[k] = cipher.decrypt(v[_ENC].encode("ascii")).decode("utf-8")
                    continue
                except (InvalidToken, UnicodeError):
                    why = f"no key of {SECRET_KEY_ENV} decrypts it: add the key it was stored under (after the " \
                          "new one, when rotating), or store the watch again"
            problems.setdefault(j, f"the header {k} cannot be decrypted: {why}")
        out["deliver"][j]["headers"] = clear
    return out, problems


def header_problem(watch: "Watch", channel: Channel) -> str | None:
    """Why ``channel`` of ``watch`` (a stored one, as ``load_all`` read it) cannot be sent to: a header value that
    could not be decrypted (None: it can)."""
    return watch._sealed.get(channel.key)


def reencrypt_watches(client: Elasticsearch, settings: Any) -> dict:
    """Rewrite every stored watch's header values under the first key of NEWSETL_WATCH_SECRET_KEY: those in clear
    encrypted, those under any of its keys encrypted again (``MultiFernet.rotate``). A watch with a value no key
    decrypts is left as it is and named in ``failed`` (name -> why); so is one written meanwhile (run again).
    ConfigError when the variable is not set or holds no Fernet key. Returns the counts."""
    from cryptography.fernet import InvalidToken
    from elasticsearch import ConflictError

    cipher = watch_cipher()
    if cipher is None:
        raise ConfigError(None, SECRET_KEY_ENV, "is not set: there is no key to encrypt the stored watches' "
                          "headers with", f"{_NEW_KEY}, set it where newsetl runs (and where news_alerts runs)")
    index = _index_settings(settings).watches_index_name
    out: dict[str, Any] = {"index": index, "watches": 0, "rewritten": 0, "encrypted": 0, "reencrypted": 0,
                           "failed": {}}
    try:
        if not client.indices.exists(index=index):
            return out
        hits = list(helpers.scan(client, index=index, query={"query": {"match_all": {}}, "seq_no_primary_term": True}))
        for h in sorted(hits, key=lambda h: h["_id"]):
            doc, name = h["_source"], h["_id"]
            out["watches"] += 1
            maps = list(_header_maps(doc))
            if not maps:
                continue
            new_doc = {**doc, "deliver": [dict(ch) if isinstance(ch, dict) else ch for ch in doc["deliver"]]}
            counts, failed = {"encrypted": 0, "reencrypted": 0}, None
            for j, headers in maps:
                sealed = {}
                for k, v in headers.items():
                    if _is_sealed(v):
                        try:
                            sealed[k] = {_ENC: cipher.rotate(v[_ENC].encode("ascii")).decode("ascii")}
                        except InvalidToken:
                            failed = f"the header {k} of deliver[{j}] is decrypted by no key of {SECRET_KEY_ENV}"
                            break
                        counts["reencrypted"] += 1
                    else:
                        sealed[k] = {_ENC: cipher.encrypt(str(v).encode("utf-8")).decode("ascii")}
                        counts["encrypted"] += 1
                if failed:
                    break
                new_doc["deliver"][j]["headers"] = sealed
            if failed:
                out["failed"][name] = failed
                continue
            try:
                client.index(index=index, id=name, document=new_doc, if_seq_no=h["_seq_no"],
                             if_primary_term=h["_primary_term"])
            except ConflictError:
                out["failed"][name] = "written by someone else meanwhile: run it again"
                continue
            out["rewritten"] += 1
            out["encrypted"] += counts["encrypted"]
            out["reencrypted"] += counts["reencrypted"]
        client.indices.refresh(index=index)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return out


class WatchStoreError(Exception):
    """A stored watch that cannot be added, changed or removed as asked (one line); ``status`` is the API's answer:
    404 no such stored watch, 409 the name is the file's (or exists, when not replacing), 422 a watch the caller may
    not store (``field``: where in it)."""

    def __init__(self, message: str, status: int = 422, field: str | None = None):
        super().__init__(message)
        self.status, self.field = status, field


class WatchList(list):
    """The watches (``Watch``), the file's first, then the stored ones, with ``origin`` (name -> "file" or "stored"),
    ``meta`` (a stored watch's created_at, updated_at, created_by), ``shadowed`` (stored watches whose name the file
    took: not run) and ``notes`` (what could not be read: the cluster away, a stored document that no longer
    validates)."""

    def __init__(self, items=()):
        super().__init__(items)
        self.origin: dict[str, str] = {}
        self.meta: dict[str, dict] = {}
        self.shadowed: list[str] = []
        self.notes: list[str] = []
        self.unread: str | None = None       # why the stored watches could not be read (the cluster away…)
        self.in_clear: list[str] = []        # stored watches (any, run or not) whose header values are not encrypted


def ensure_watches_index(client: Elasticsearch, settings: Any) -> str:
    """Create the watches index (or add its new fields) before the first write; the name."""
    from pipeline.runs import ensure_side_index

    index = _index_settings(settings).watches_index_name
    ensure_side_index(client, index, WATCHES_MAPPING, "the watches index's", "index.watches_index")
    return index


def _now_iso() -> str:
    return _iso(dt.datetime.now(dt.timezone.utc))


def _stored_docs(client: Elasticsearch, settings: Any) -> list[dict]:
    """The documents of the watches index (none when it does not exist yet), by name."""
    index = _index_settings(settings).watches_index_name
    if not client.indices.exists(index=index):
        return []
    docs = [h["_source"] for h in helpers.scan(client, index=index, query={"query": {"match_all": {}}})]
    return sorted(docs, key=lambda d: str(d.get("name")))


def _from_doc(doc: dict) -> Watch:
    """A stored document as a ``Watch``, its header values decrypted (one that cannot be: empty, and the reason
    kept for ``header_problem``)."""
    clear, problems = _unseal(doc)
    watch = Watch.model_validate({k: v for k, v in clear.items() if k not in _META})
    watch._sealed = {watch.deliver[j].key: why for j, why in problems.items() if j < len(watch.deliver)}
    return watch


def load_all(settings: Any, *, client: Elasticsearch | None = None, enabled_only: bool = False,
             names: list[str] | None = None) -> WatchList:
    """The file's watches (``load_watches``: its errors are ConfigError) and the stored ones, as one ``WatchList``:
    what news_alerts, ``newsetl watch`` and the API run and show. ``client``: the cluster's (default one from the
    settings, closed at the end). The cluster away, or the watches index refusing to be read, leaves the stored
    watches out with a note: the file's still run. ``names``: only those (each must exist; disabled ones too)."""
    file_watches = load_watches(settings=settings)
    out = WatchList(file_watches)
    out.origin = {w.name: FILE for w in file_watches}
    own = client is None
    if own:
        from pipeline.es import client_from_settings

        client = client_from_settings(settings)
    index = _index_settings(settings).watches_index_name
    try:
        docs = _stored_docs(client, settings)
    except UNAVAILABLE_ERRORS as e:
        docs, out.unread = [], str(unavailable_from(client, e))
    except ApiError as e:
        docs, out.unread = [], f"the watches index {index} refused: {str(e).splitlines()[0]}"
    finally:
        if own:
            client.close()
    if out.unread:
        out.notes.append(f"the stored watches were not read ({out.unread}): only the watches file's are here")
    for doc in docs:
        name = str(doc.get("name"))
        if _in_clear(doc):
            out.in_clear.append(name)
        if name in out.origin:
            out.shadowed.append(name)
            continue
        try:
            watch = _from_doc(doc)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            out.notes.append(f"the stored watch {name!r} is not valid ({where}: {err['msg']}) and was left out: "
                             f"replace it (newsetl watch add --replace, PUT /watches/{name}) or remove it")
            continue
        if (doc.get("api_written") or doc.get("created_by") == "api") and not settings.alerts.api_webhook_private_ok:
            for ch in watch.deliver:    # checked when stored; at each delivery too (a name may resolve elsewhere)
                ch._guarded = True
        out.append(watch)
        out.origin[watch.name] = STORED
        out.meta[watch.name] = {k: doc.get(k) for k in _META}
    for note in out.notes:
        log.warning("%s", note)
    if out.shadowed:
        log.warning("stored watches shadowed by the watches file's of the same name (not run): %s; remove them "
                    "with `newsetl watch remove --name N`", ", ".join(out.shadowed))
    chosen = list(out)
    if names:
        known = {w.name: w for w in out}
        for n in names:
            if n not in known:
                hint = " (the stored watches could not be read)" if out.notes else ""
                raise ConfigError(default_watches_path(settings)[0], None, f"no watch named {n!r}{hint}",
                                  "use one of: " + (", ".join(known) or "none"))
        chosen = [known[n] for n in names]
    elif enabled_only:
        chosen = [w for w in out if w.enabled]
    out[:] = chosen
    return out


def check_api_watch(watch: Watch, settings: Any) -> None:
    """What a watch coming through the API may not do, since whoever holds an admin key is not the operator of the
    server: a folder channel (files written on the server), an e-mail one (the server's mail as a relay), a header
    naming an environment variable (``${VAR}`` would send the server's secrets to the caller's receiver), a signing
    secret from a variable not meant for it (only ``NEWSETL_WEBHOOK_*``), and a webhook whose host resolves to a
    private, loopback or link-local address (requests into the server's own network; ``pipeline.ssrf`` decides as
    for the fetcher) unless ``alerts.api_webhook_private_ok``. WatchStoreError (422, with the field)."""
    from urllib.parse import urlsplit

    from pipeline.ssrf import AddressPolicy, DNSError, lookup_sync

    policy = AddressPolicy()
    for j, ch in enumerate(watch.deliver):
        where = f"deliver[{j}]"
        if ch.folder is not None or ch.email is not None:
            kind = "folder" if ch.folder is not None else "email"
            raise WatchStoreError(f"{where}.{kind}: a watch added through the API sends to webhooks only (a {kind} "
                                  "channel belongs in config/watches.yaml, which the operator controls)",
                                  422, f"{where}.{kind}")
        for k, v in ch.headers.items():
            if "${" in v:
                raise WatchStoreError(f"{where}.headers.{k}: a watch added through the API cannot read the server's "
                                      "environment (${...}): give the header's value itself", 422,
                                      f"{where}.headers.{k}")
        if ch.secret_env and not ch.secret_env.startswith("NEWSETL_WEBHOOK_"):
            raise WatchStoreError(f"{where}.secret_env: a watch added through the API signs only with a variable "
                                  f"named NEWSETL_WEBHOOK_* (not {ch.secret_env}): ask the operator to set one",
                                  422, f"{where}.secret_env")
        if settings.alerts.api_webhook_private_ok:
            continue
        parts = urlsplit(ch.webhook)
        host = parts.hostname or ""
        try:        # every address must be public here (a delivery then connects only to one it checked)
            addrs = lookup_sync(host, parts.port or (443 if parts.scheme == "https" else 80))
        except DNSError as e:
            raise WatchStoreError(f"{where}.webhook: {e}", 422, f"{where}.webhook") from None
        for a in addrs:
            why = policy.check(a)
            if why:
                raise WatchStoreError(f"{where}.webhook: {host} is no public address ({why}); a watch added "
                                      "through the API may not post into the server's own network "
                                      "(alerts.api_webhook_private_ok allows it)", 422, f"{where}.webhook")


def put_watch(client: Elasticsearch, storage: Storage, settings: Any, watch: Watch, *, by: str,
              replace: bool = False, since: dt.datetime | None = None) -> dict:
    """Store ``watch`` (``by``: who, free text). Refused (WatchStoreError 409) when the watches file has its name,
    or when it is stored already and ``replace`` is false. A new watch starts now (or at ``since``): its state file
    is written unless one is there (a watch removed with its state kept goes on where it was); a replaced one keeps
    its cursor. Header values are stored encrypted when NEWSETL_WATCH_SECRET_KEY is set, else in clear (module
    docstring). Returns ``{"created": bool, "watch": the stored document}`` (its header values as stored)."""
    try:
        check_near(watch, settings)
    except ValueError as e:
        raise WatchStoreError(f"near: {e}", 422, "near") from None
    file_names = {w.name for w in load_watches(settings=settings)}
    if watch.name in file_names:
        raise WatchStoreError(f"the watches file ({default_watches_path(settings)[0]}) defines a watch named "
                              f"{watch.name!r}: change it there, or give this one another name", 409, "name")
    cipher = watch_cipher()      # a key that is no Fernet key: ConfigError before anything is written
    try:
        index = ensure_watches_index(client, settings)
        try:
            old = client.get(index=index, id=watch.name)["_source"]
        except NotFoundError:
            old = None
        if old is not None and not replace:
            raise WatchStoreError(f"a stored watch named {watch.name!r} exists: replace it (--replace; PUT replaces) "
                                  "or give this one another name", 409, "name")
        now = _now_iso()
        doc = {**watch.model_dump(mode="json"), "created_at": (old or {}).get("created_at") or now,
               "updated_at": now, "created_by": (old or {}).get("created_by") or by,
               # once written through the API, its webhooks connect to public addresses only, whoever writes next
               "api_written": bool((old or {}).get("api_written")) or by == "api"}
        doc = _seal(doc, cipher)        # header values encrypted when there is a key (module docstring)
        client.index(index=index, id=watch.name, document=doc, refresh=True)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    if read_state(storage, watch.name) is None:
        _write_state(storage, watch.name, {"name": watch.name, "started_at": _iso(since or dt.datetime.now(
            dt.timezone.utc)), "cursor": None, "until": None, "last_run_at": None, "sent": {}})
    return {"created": old is None, "watch": doc}


def set_enabled(client: Elasticsearch, settings: Any, name: str, enabled: bool) -> dict:
    """Turn a stored watch on or off (a file's: WatchStoreError 409, edit the file); the stored document (header
    values left in clear before are encrypted now, when there is a key)."""
    if name in {w.name for w in load_watches(settings=settings)}:
        raise WatchStoreError(f"{name!r} is a watch of the watches file ({default_watches_path(settings)[0]}): set "
                              "its enabled: there", 409, "name")
    cipher = watch_cipher()
    index = _index_settings(settings).watches_index_name
    try:
        try:
            doc = client.get(index=index, id=name)["_source"]
        except NotFoundError:
            raise WatchStoreError(f"no stored watch named {name!r} (newsetl watch list)", 404) from None
        doc = _seal({**doc, "enabled": enabled, "updated_at": _now_iso()}, cipher)
        client.index(index=index, id=name, document=doc, refresh=True)
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    return doc


def remove_watch(client: Elasticsearch, storage: Storage, settings: Any, name: str, *, keep_state: bool = False,
                 delete_alerts: bool = False) -> dict:
    """Remove a stored watch. Its state file (cursor, started_at) goes too unless ``keep_state`` (added again, it
    would go on from there); its alert records stay (they are history) unless ``delete_alerts``. A stored watch the
    file shadows is removed alone: the state and alerts are the file's watch's. WatchStoreError: 404 no such stored
    watch, 409 the name is only the file's."""
    in_file = name in {w.name for w in load_watches(settings=settings)}
    index = _index_settings(settings).watches_index_name
    out = {"name": name, "removed": False, "state_removed": False, "alerts_deleted": 0, "shadowed": in_file}
    try:
        try:
            client.delete(index=index, id=name, refresh=True)
        except NotFoundError:
            if in_file:
                raise WatchStoreError(f"{name!r} is a watch of the watches file ({default_watches_path(settings)[0]})"
                                      ": remove it there", 409, "name") from None
            raise WatchStoreError(f"no stored watch named {name!r} (newsetl watch list)", 404) from None
        out["removed"] = True
        if in_file:
            return out
        alerts = _index_settings(settings).alerts_index_name
        if delete_alerts and client.indices.exists(index=alerts):
            from pipeline.es import delete_matching

            out["alerts_deleted"] = delete_matching(client, alerts, {"term": {"watch": name}})
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    if not keep_state and storage.exists(state_path(name)):
        storage.remove(state_path(name))
        out["state_removed"] = True
    return out


def masked_channel(ch: Channel) -> dict:
    """A channel as the API shows it: a webhook's scheme and host only (its path or query may be the secret, a
    Slack hook's is), header values hidden (neither the value nor its ciphertext: ``load_all`` gives the channels
    decrypted, and each value is "***"); the name of a signing secret's variable is no secret."""
    from urllib.parse import urlsplit

    d = ch.model_dump(mode="json", exclude_defaults=True)
    if ch.webhook is not None:
        u = urlsplit(ch.webhook)
        d["webhook"] = f"{u.scheme}://{u.hostname}{f':{u.port}' if u.port else ''}/…"
        if ch.headers:
            d["headers"] = {k: "***" for k in ch.headers}
    d["key"] = ch.key
    return d


def public_view(watch: Watch, origin: str, meta: dict | None = None) -> dict:
    """One watch as the API shows it: its search, its channels masked (``masked_channel``), where it comes from
    (``origin``: "file" or "stored") and, stored, who wrote it when (``meta``)."""
    body = watch.model_dump(mode="json", exclude={"deliver"})
    return {**body, "deliver": [masked_channel(c) for c in watch.deliver], "origin": origin, **(meta or {})}


class WatchBody(Watch):
    """A watches.yaml entry as the body of ``PUT /watches/{name}``: the path gives the name (the body may repeat
    it)."""
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
