"""Discovery: turn a configured source into candidate article URLs (``Candidate``) for the fetcher.

- ``rss``: the feed is fetched with a conditional GET (ETag / Last-Modified remembered under
  ``state/discovery/<source>.json`` in the storage root) and parsed with feedparser; each item's title and date
  travel with the candidate as fallbacks for extraction. A 304 means nothing new: no candidates.
- ``sitemap``: sitemap indexes are followed (up to ``fetch.max_sitemaps``), news sitemaps give title, date and
  language; gzip sitemaps are fine. Conditional GET per sitemap URL as for feeds.
- ``site``: a site by its home page. The feeds the page links to (``<link rel="alternate">`` of type RSS or Atom)
  and the sitemaps its robots.txt lists (only the news sitemaps, where their URLs say "news"), each read as above;
  where it names neither, ``/sitemap.xml``; where none of these gives a URL, the links that look like articles on
  the home page and its section pages. The feeds the section pages declare too, where the feeds and sitemaps gave
  fewer URLs than the home page links to articles (``section_feeds``). What cannot be read is a dead letter as for
  the other kinds.
- ``urls``: the listed URLs and/or the lines of ``file``.
- ``files``: saved pages in ``path`` with the URL map ``url_map`` (``{"<file name>": "<url>"}``), read at fetch time.
- ``warc``: HTML responses in local WARC files (``paths``), copied into our archive at fetch time.

Every URL is made absolute, checked (http/https, courlan's article-URL filters), matched against the source's
include/exclude patterns and the ``since`` cut-off, de-duplicated by document id within the run and against the
fetch ledger (what is already archived) and an optional ``is_known`` hook (e.g. what is indexed), then capped by
``max_articles``. Nothing disappears: URLs left out are listed in ``filtered`` or ``skipped`` with a reason,
broken inputs become dead letters (stage ``fetch``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import glob as globmod
import gzip
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import feedparser
from courlan.filters import extension_filter, is_not_crawlable, type_filter

from pipeline.archive import WarcArchive
from pipeline.deadletter import DeadLetter, write_dead_letters
from pipeline.fetcher import (Candidate, FetchSession, Ledger, _fetch_settings, doc_id, run_sync)
from pipeline.sources import Source
from pipeline.ssrf import FetchRefused
from pipeline.storage import Storage
from pipeline.times import parse_time
from pipeline.wording import counted

__all__ = ["Candidate", "DiscoveryResult", "discover_source", "adiscover_source", "save_candidates",
           "load_candidates"]

STATE_DIR = "state/discovery"


@dataclass
class DiscoveryResult:
    source: str
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)    # (url, already_archived | duplicate)
    updated: list[str] = field(default_factory=list)               # candidates archived before, changed since
    filtered: list[tuple[str, str]] = field(default_factory=list)   # (url, pattern | too_old | not_article_url | max_articles | given_up)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)          # feeds/sitemaps that answered 304
    fetched_docs: list[str] = field(default_factory=list)          # feeds/sitemaps fetched (URLs)
    seen: int = 0                                                  # URLs found before any filtering
    deadletter_file: str | None = None
    warc_files: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"seen": self.seen, "candidates": len(self.candidates), "skipped": len(self.skipped),
                "filtered": len(self.filtered), "dead_letter": len(self.dead_letters),
                "not_modified": len(self.not_modified), "updated": len(self.updated)}

    @property
    def reasons(self) -> dict[str, int]:
        return dict(Counter(r for _, r in self.skipped + self.filtered) + Counter(d.reason for d in self.dead_letters))

    def summary(self) -> dict:
        return {"source": self.source, "counts": self.counts, "reasons": self.reasons}


def save_candidates(storage: Storage, rel: str, candidates: Iterable[Candidate]) -> str:
    """Write candidates as JSONL (a batch file: only its path crosses task boundaries)."""
    storage.write_jsonl(rel, (c.to_dict() for c in candidates))
    return rel


def load_candidates(storage: Storage, rel: str) -> list[Candidate]:
    return [Candidate.from_dict(d) for d in storage.read_jsonl(rel)]


# ------------------------------------------------------------------ helpers

def _to_utc(value) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, time.struct_time):
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc)
    s = str(value).strip()
    try:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        parsed = feedparser._parse_date(s) if hasattr(feedparser, "_parse_date") else None
        return _to_utc(parsed) if parsed else None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


# update times of a listing's entries no further apart than this are one stamp (``one_stamp``)
STAMP_SPREAD = dt.timedelta(minutes=1)


def one_stamp(times: list) -> bool:
    """Whether a feed's or sitemap's update times are one stamp: two entries or more give one, all within
    ``STAMP_SPREAD`` of each other. That is the time the listing was generated (a CMS that writes "now" as every
    entry's ``<updated>`` or ``<lastmod>``), which says nothing of when each article changed; read as update times,
    it would bring every young article back at each run. The listing's entries then count as undated."""
    ts = [t for t in map(_to_utc, times) if t is not None]
    return len(ts) >= 2 and max(ts) - min(ts) <= STAMP_SPREAD


class _State:
    """Conditional-GET validators of a source's feeds/sitemaps, under the storage root."""

    def __init__(self, storage: Storage, source: str):
        self.storage, self.rel = storage, f"{STATE_DIR}/{source}.json"
        self.data: dict[str, dict] = {}
        if storage.exists(self.rel):
            with storage.open(self.rel, "r", encoding="utf-8") as f:
                self.data = json.load(f)

    def headers(self, url: str) -> dict[str, str]:
        d = self.data.get(url) or {}
        h = {}
        if d.get("etag"):
            h["If-None-Match"] = d["etag"]
        if d.get("last_modified"):
            h["If-Modified-Since"] = d["last_modified"]
        return h

    def update(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.data[url] = {"etag": etag, "last_modified": last_modified,
                          "checked_at": dt.datetime.now(dt.timezone.utc).isoformat()}

    def save(self) -> None:
        self.storage.write_json(self.rel, self.data, indent=1, sort_keys=True)


class _Collector:
    """Applies the filters in order and records why each URL was left out."""

    def __init__(self, source: Source, result: DiscoveryResult, ledger: Ledger, *, since, max_articles, refetch,
                 is_known, removals=None, updated_days: float | None = None):
        self.source, self.r, self.ledger = source, result, ledger
        self.removals = removals      # a pipeline.removals.Blocklist: its removed domains are not read or listed
        self.since = _to_utc(since)
        self.max = max_articles if max_articles is not None else source.max_articles
        self.refetch, self.is_known = refetch, is_known
        self.updated_days = updated_days
        self.ids: set[str] = set()
        self.updates: set[str] = set()      # ids of archived articles listed as updated since (``changed_since``)
        self.pending: list[tuple[Candidate, str]] = []

    def removed(self, url: str) -> bool:
        """Whether ``url`` lies in a domain ``newsetl remove`` took out: then it is neither requested (a feed, a
        sitemap, a home or section page) nor listed (an article), and is counted skipped ``removed``."""
        if self.removals is None or not self.removals.domain_removed(url):
            return False
        self.r.skipped.append((url, "removed"))
        return True

    def dead(self, key: str, reason: str, error: str, **record) -> None:
        self.r.dead_letters.append(DeadLetter(stage="fetch", key=key, reason=reason, error=error,
                                              record={"source": self.source.name, "phase": "discover", **record}))

    def add(self, url: str | None, *, base: str | None = None, title=None, published=None, updated=None,
            language=None, kind="http", location=None, stamp=None) -> None:
        """One URL a feed, sitemap or page listed. ``published``: its publication date, where the listing gives one;
        ``updated``: when the listing says it last changed (Atom ``<updated>``, a sitemap's ``<lastmod>``);
        ``stamp`` instead where the listing stamps every entry with one time (``one_stamp``): the time it was
        generated, no entry's publication or change, so it serves only ``since`` (nothing listed changed after it)."""
        self.r.seen += 1
        raw = (url or "").strip()
        if base:
            raw = urljoin(base, raw)
        parts = urlsplit(raw)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            self.dead(raw or "<empty>", "invalid_url", f"not an absolute http(s) URL: {raw!r}",
                      location=location, base=base)
            return
        if kind == "http" and self.removed(raw):
            return
        if kind == "http" and (not type_filter(raw, strict=False, with_nav=False)
                               or not extension_filter(parts.path) or is_not_crawlable(raw)):
            self.r.filtered.append((raw, "not_article_url"))
            return
        if not self.source.accepts(raw):
            self.r.filtered.append((raw, "pattern"))
            return
        pub, upd = _to_utc(published), _to_utc(updated)
        when = pub or upd
        latest = when or _to_utc(stamp)
        if self.since and latest and latest < self.since:
            self.r.filtered.append((raw, "too_old"))
            return
        did = doc_id(raw)
        if did in self.ids:
            self.r.skipped.append((raw, "duplicate"))
            return
        self.ids.add(did)
        known = self.ledger.get(did)
        update = (bool(known) and not self.refetch and kind == "http"
                  and self.changed_since(known, pub, upd))
        if known and not self.refetch and not update:
            self.r.skipped.append((raw, "already_archived"))
            return
        c = Candidate(url=raw, source=self.source.name, hint_title=(title or None),
                      hint_published_at=when.isoformat() if when else None,
                      hint_language=language or self.source.language, source_tags=list(self.source.tags),
                      kind=kind, location=location, refetch=bool(known) and (self.refetch or update),
                      etag=(known or {}).get("etag"), last_modified=(known or {}).get("last_modified"),
                      first_fetched_at=Ledger.first_fetch(known) if known else None)
        if update:
            self.updates.add(did)
        self.pending.append((c, did))

    def changed_since(self, known: dict, published: dt.datetime | None, updated: dt.datetime | None) -> bool:
        """Whether an archived article changed after we last fetched or checked it (``fetch.refetch_updated_days``):
        the listing says it was updated later than that, the update is not in the future (beyond a few minutes of
        clock skew), and the article is young: published at most that many days ago, or, for an entry that gives no
        publication date (an Atom entry with ``<updated>`` alone, a plain sitemap's ``<lastmod>``), first fetched at
        most that many days ago (``Ledger.first_fetch``, which a re-fetch does not move). A feed or sitemap that
        stamps every entry with the time it was generated gives no update times at all (``one_stamp``), so its
        articles are not fetched again at each run."""
        if not self.updated_days or updated is None:
            return False
        born = published if published is not None else parse_time(Ledger.first_fetch(known))
        if born is None:
            return False
        now = dt.datetime.now(dt.timezone.utc)
        return (Ledger.confirmed_at(known) < updated <= now + dt.timedelta(minutes=10)
                and now - born <= dt.timedelta(days=self.updated_days))

    def finish(self) -> None:
        pend = self.pending
        if self.is_known and pend and not self.refetch:
            # an article listed as updated is fetched again although the index has it (that is the point)
            known = set(self.is_known([did for _, did in pend if did not in self.updates]) or ())
            for c, did in pend:
                if did in known:
                    self.r.skipped.append((c.url, "already_indexed"))
            pend = [(c, did) for c, did in pend if did not in known]
        for i, (c, _) in enumerate(pend):
            if self.max is not None and i >= self.max:
                self.r.filtered.append((c.url, "max_articles"))
            else:
                self.r.candidates.append(c)
                if c.doc_id in self.updates:
                    self.r.updated.append(c.url)


# ------------------------------------------------------------------ kinds

async def _fetch_doc(sess: FetchSession, url: str, state: _State, col: _Collector, result: DiscoveryResult,
                     what: str) -> bytes | None:
    """A feed or sitemap with conditional GET; None when not modified or failed (dead letter), or not asked for (a
    removed domain's: skipped ``removed``)."""
    if col.removed(url):
        return None
    try:
        r = await sess.get(url, kind="feed", headers=state.headers(url) or None)
    except FetchRefused as e:
        col.dead(url, e.reason, str(e), what=what)
        return None
    if r.status == 304:
        result.not_modified.append(url)
        return None
    if not 200 <= r.status < 300:
        col.dead(url, f"http_{r.status}", f"{what} {url} answered {r.status} {r.reason}", what=what)
        return None
    result.fetched_docs.append(url)
    state.update(url, r.header("etag"), r.header("last-modified"))
    body = r.body
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except OSError as e:
            col.dead(url, "read_error", f"{what} {url}: bad gzip ({e})", what=what)
            return None
    return body


async def _rss(source: Source, url: str, sess, state, col, result) -> list[str]:
    """Reads one feed's items. Returns the feeds it links to when it is no feed but a page that lists feeds (the dead
    letter says so), else []."""
    body = await _fetch_doc(sess, url, state, col, result, "feed")
    if body is None:
        return []
    feed = feedparser.parse(body)
    if not feed.entries and not feed.get("version"):    # no RSS, RDF or Atom in it (an HTML page, perhaps)
        listed = _listed_feeds(body, url)
        why = (f": a page that links to feeds ({', '.join(listed[:3])}{', …' if len(listed) > 3 else ''}); name "
               f"one of them, or the site with kind: site" if listed
               else f" ({feed.get('bozo_exception')})" if feed.get("bozo") else "")
        col.dead(url, "bad_feed", f"feed {url} is no RSS, RDF or Atom feed{why}", what="feed")
        return listed
    if not feed.entries and feed.get("bozo"):
        col.dead(url, "bad_feed", f"feed {url} could not be parsed: {feed.get('bozo_exception')}", what="feed")
        return []
    lang = None
    if feed.feed.get("language"):
        lang = str(feed.feed.get("language")).split("-")[0].lower() or None
    updates = [e.get("updated_parsed") or e.get("updated") for e in feed.entries]
    stamped = one_stamp(updates)
    for e, updated in zip(feed.entries, updates):
        link = e.get("link")
        if not link:
            for ln in e.get("links", []):
                if ln.get("href"):
                    link = ln["href"]
                    break
        col.add(link, base=url, title=e.get("title"), published=e.get("published_parsed") or e.get("published"),
                updated=None if stamped else updated, stamp=updated if stamped else None,
                language=source.language or lang)
    return []


def _xml_root(body: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    return etree.fromstring(body, parser=parser)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


async def _sitemap(source: Source, urls: list[str], sess, state, col, result, settings) -> None:
    queue, done = list(urls), set()
    while queue:
        url = queue.pop(0)
        if url in done:
            continue
        if len(done) >= settings.max_sitemaps:
            col.dead(url, "too_many_sitemaps", f"more than {counted(settings.max_sitemaps, 'sitemap')} in {source.url}",
                     what="sitemap")
            continue
        done.add(url)
        body = await _fetch_doc(sess, url, state, col, result, "sitemap")
        if body is None:
            continue
        root = _xml_root(body) if body.strip() else None
        if root is None:
            col.dead(url, "bad_sitemap", f"sitemap {url} is not XML", what="sitemap")
            continue
        if _local(root.tag) == "sitemapindex":
            for sm in root:
                loc = next((c.text for c in sm if _local(c.tag) == "loc" and c.text), None)
                if loc:
                    queue.append(urljoin(url, loc.strip()))
            continue
        entries = []
        for u in root:
            if _local(u.tag) != "url":
                continue
            loc = lastmod = title = pub = lang = None
            for c in u.iter():
                name = _local(c.tag)
                text = (c.text or "").strip() or None
                if name == "loc" and loc is None:
                    loc = text
                elif name == "lastmod":
                    lastmod = text
                elif name == "title":
                    title = text
                elif name == "publication_date":
                    pub = text
                elif name == "language":
                    lang = text
            entries.append((loc, title, pub, lastmod, lang))
        stamped = one_stamp([e[3] for e in entries])
        for loc, title, pub, lastmod, lang in entries:
            col.add(loc, base=url, title=title, published=pub, updated=None if stamped else lastmod,
                    stamp=lastmod if stamped else None, language=source.language or lang)


_FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_MAX_SITE_FEEDS = 10
_MAX_SECTION_FEEDS = 100       # the feeds a site's section pages declare, read in one run


async def _site(source: Source, sess: FetchSession, state, col, result, settings) -> None:
    """The feeds the home page declares (``<link rel="alternate">``), else those its links point to
    (``_linked_feeds``), and the sitemaps robots.txt lists (the news ones where their URLs say so), else
    /sitemap.xml; each read as its kind. A linked "feed" that is a page (a "/feeds/" page that lists the site's
    feeds) has the feeds it declares or links to read in turn, one level deep. Then the section pages the home page
    links to (``_site_sections``): for their article links where none of these names a URL, for the feeds they
    declare as ``source.section_feeds`` asks. A guess (a linked feed, the /sitemap.xml, a feed a feed page lists,
    a section page's feed) that fails is no dead letter when anything else gave URLs."""
    sitemaps = await _robots_sitemaps(source.url, sess, col)
    if sitemaps is None:        # robots.txt could not be read (a dead letter says why): the site is not asked more
        return
    home = await _html_page(source.url, sess, col, result, what="home page")
    declared = _feed_links(home) if home is not None else []
    feeds = declared or (_linked_feeds(home) if home is not None else [])
    guesses = set(feeds) - set(declared)
    if not declared and not sitemaps:
        sitemaps = [urljoin(source.url, "/sitemap.xml")]
        guesses.update(sitemaps)
    seen, letters = result.seen, len(result.dead_letters)
    queue, read = list(feeds), set()
    while queue:
        feed = queue.pop(0)
        read.add(feed)
        listed = await _rss(source, feed, sess, state, col, result)
        if listed and feed in guesses and feed in feeds:   # a linked page that lists the site's feeds
            listed = [f for f in listed if f not in read and f not in queue][:_MAX_SITE_FEEDS]
            guesses.update(listed)
            queue.extend(listed)
    if sitemaps:
        await _sitemap(source, sitemaps, sess, state, col, result, settings)
    if home is not None:
        await _site_sections(source, home, result.seen - seen, read, guesses, sess, state, col, result)
    if result.seen != seen:     # something gave URLs: the guesses that failed were only guesses
        result.dead_letters[letters:] = [d for d in result.dead_letters[letters:] if d.key not in guesses]


async def _site_sections(source: Source, home, gave: int, read: set[str], guesses: set[str], sess, state, col,
                         result) -> None:
    """Up to ``source.section_pages`` of the section pages the home page links to (``_page_links``). Where the
    feeds and sitemaps gave no URL (``gave``), their article links and those of their next pages (``rel="next"``,
    read after every section's first page) and of their sub-sections (``_sub_sections``, after those), after the home
    page's own. As ``source.section_feeds`` asks (``auto``:
    where the feeds and sitemaps gave fewer URLs than the home page links to articles), the feeds they declare (else
    those their links point to, ``_linked_feeds``) that were not read yet, at most ``_MAX_SECTION_FEEDS``, read after the pages; each is a guess (added to
    ``guesses``)."""
    links, sections = _page_links(home)
    crawl = gave == 0
    want = source.section_feeds == "always" or (source.section_feeds == "auto" and (crawl or gave < len(links)))
    if not (crawl or want):
        return
    queue, budget, found = list(sections), source.section_pages, []
    while queue and budget > 0 and (want or len(links) < _MAX_SITE_LINKS):
        section, budget = queue.pop(0), budget - 1
        page = await _html_page(section, sess, col, result, what="section page")
        if page is None:
            continue
        if want:        # the feeds it declares, else those its links point to (as for the home page)
            found.extend(f for f in _feed_links(page) or _linked_feeds(page) if f not in read)
        if crawl:
            found_links, subs = _page_links(page)
            links.extend(found_links)
            more = _next_page(page)
            if more and more not in sections:       # the next page of a section: after every first page
                sections.append(more)
                queue.append(more)
            # its sub-sections ("/politics/" -> "/politics/europe"), after the sections the home page links to;
            # one that fails is a guess (no dead letter when anything else gave URLs)
            for sub in _sub_sections(section, subs, sections):
                sections.append(sub)
                queue.append(sub)
                guesses.add(sub)
    for feed in list(dict.fromkeys(found))[:_MAX_SECTION_FEEDS]:
        read.add(feed)
        guesses.add(feed)
        await _rss(source, feed, sess, state, col, result)
    if crawl:
        for link in list(dict.fromkeys(links))[:_MAX_SITE_LINKS]:
            col.add(link)


async def _html_page(url: str, sess: FetchSession, col, result, *, what: str):
    """A home or section page, parsed (``lxml`` tree with ``base_url`` set to the URL it came from); None, after a
    dead letter, when it could not be fetched; None without one when it is no HTML, or in a removed domain (not
    asked for: skipped ``removed``)."""
    if col.removed(url):
        return None
    try:
        r = await sess.get(url, kind="feed")
    except FetchRefused as e:
        col.dead(url, e.reason, str(e), what=what)
        return None
    if not 200 <= r.status < 300:
        col.dead(url, f"http_{r.status}", f"{what} {url} answered {r.status} {r.reason}", what=what)
        return None
    result.fetched_docs.append(url)
    return _parse_html(r.body, r.url)


def _parse_html(body: bytes, url: str):
    """An ``lxml`` tree of an HTML page with ``base_url`` set; None when it is no HTML."""
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(body, base_url=url)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def _listed_feeds(body: bytes, url: str) -> list[str]:
    """The feeds a page that is no feed declares or links to (``_feed_links``, ``_linked_feeds``), each once, not
    the page itself."""
    tree = _parse_html(body, url)
    listed = (_feed_links(tree) + _linked_feeds(tree)) if tree is not None else []
    return [f for f in dict.fromkeys(listed) if f != url]


def _feed_links(tree) -> list[str]:
    """The RSS and Atom feeds a page links to (``<link rel="alternate" type=…>``), at most ``_MAX_SITE_FEEDS``."""
    feeds = []
    for link in tree.xpath("//link[@href and contains(concat(' ', translate(normalize-space(@rel), "
                           "'ALTERNATE', 'alternate'), ' '), ' alternate ')]"):     # rel is case-insensitive
        href = link.get("href").strip()
        if href and (link.get("type") or "").split(";")[0].strip().lower() in _FEED_TYPES:
            feeds.append(urljoin(tree.base_url, href))
    return list(dict.fromkeys(feeds))[:_MAX_SITE_FEEDS]


# a link to a feed: its path ends in rss, feed(s) or atom (/rss, /feed/, /rss.xml, /news.rss, /index.atom), or its
# text says RSS
_FEED_PATH_RE = re.compile(r"(?:^|/)(?:rss|feeds?|atom)(?:\.xml)?/?$|\.(?:rss|atom)$|/(?:rss|atom|feed)[\w-]*\.xml$",
                           re.I)


def _linked_feeds(tree) -> list[str]:
    """The feeds a page's links point to, on its host or a subdomain ("feeds.example.com"), where it declares none:
    at most ``_MAX_SITE_FEEDS``, each once."""
    home = (urlsplit(tree.base_url).hostname or "").removeprefix("www.")
    out = []
    for a in tree.xpath("//body//a[@href]"):
        parts = urlsplit(urljoin(tree.base_url, a.get("href").strip()))
        host = (parts.hostname or "").removeprefix("www.")
        text = " ".join(" ".join(a.itertext()).split()).lower()
        if (parts.scheme in ("http", "https") and (host == home or host.endswith("." + home))
                and (_FEED_PATH_RE.search(parts.path) or text in ("rss", "rss feed", "atom", "atom feed"))):
            out.append(parts._replace(fragment="").geturl())
    return list(dict.fromkeys(out))[:_MAX_SITE_FEEDS]


_MAX_SITE_LINKS = 200
# an article's path: a date (/2024/05/03/, 2024-05-03), a numeric id of five digits or more, or a slug of four
# words or more ("/politics/council-votes-on-the-budget"); section pages ("/politics/", "/about-us") have none
_ARTICLE_PATH_RE = re.compile(r"/(?:19|20)\d\d[/-][01]?\d(?:[/-]|$)|\d{5,}|[^/\W_]+(?:[-_][^/\W_]+){3,}(?:\.\w+)?/?$")
# a link in a teaser: an <article>, or a heading; its text a headline of four words or more ("/politics/budget")
_TEASER_XPATH = "ancestor::*[self::article or self::h1 or self::h2 or self::h3 or self::h4]"
# pages of a site that are neither articles nor sections that list them
_NOT_SECTION_RE = re.compile(
    r"(?:^|[/_.-])(?:about|contact|privacy|terms|cookies?|legal|imprint|impressum|datenschutz|kontakt|login|logout|"
    r"signin|sign-in|signup|register|subscribe|subscriptions?|abo|account|newsletters?|jobs|careers|advertis\w*|"
    r"feedback|help|faq|shop|search|suche|rss|feeds?|sitemap|archives?|authors?|contributors?|tags?|topics?)"
    r"(?:$|[/_.-])", re.I)
_FILE_PATH_RE = re.compile(r"\.(?!html?$|php$|aspx?$)\w{1,5}$", re.I)


def _page_links(tree) -> tuple[list[str], list[str]]:
    """``(articles, sections)`` a home or section page links to, on its host or a subdomain of it, without query or
    fragment, each once. An article's path looks like one (``_ARTICLE_PATH_RE``), or its link is a teaser's
    headline of four words or more. A section is on the page's own host, with a path of one or two parts that is no
    article, no file and no service page (``_NOT_SECTION_RE``: about, login, newsletter, tags…); those in a
    ``<nav>`` or ``<header>`` come first."""
    page = urlsplit(tree.base_url)
    home = (page.hostname or "").removeprefix("www.")
    articles, sections, later = [], [], []
    for a in tree.xpath("//a[@href]"):
        href = a.get("href").strip()
        if not href:
            continue
        parts = urlsplit(urljoin(tree.base_url, href))
        host = (parts.hostname or "").removeprefix("www.")
        if parts.scheme not in ("http", "https") or not (host == home or host.endswith("." + home)) or parts.query:
            continue
        url, path = parts._replace(fragment="").geturl(), parts.path
        steps = [p for p in path.split("/") if p]
        if _ARTICLE_PATH_RE.search(path) or (
                steps and a.xpath(_TEASER_XPATH) and len(" ".join(a.itertext()).split()) >= 4):
            articles.append(url)
        elif (host == home and 1 <= len(steps) <= 2 and path.rstrip("/") != page.path.rstrip("/")
              and not _FILE_PATH_RE.search(path) and not _NOT_SECTION_RE.search(path)):
            (sections if a.xpath("ancestor::nav or ancestor::header") else later).append(url)
    return list(dict.fromkeys(articles)), [u for u in dict.fromkeys(sections + later) if u not in articles]


def _sub_sections(section: str, candidates: list[str], known: list[str]) -> list[str]:
    """Of the sections a section page links to, those below it ("/politics/europe" under "/politics/") not met
    yet; a site's menu, repeated on every page, adds nothing."""
    base = urlsplit(section).path.rstrip("/") + "/"
    return [u for u in candidates if u not in known and urlsplit(u).path.startswith(base)
            and urlsplit(u).path.rstrip("/") + "/" != base]


def _next_page(tree) -> str | None:
    """The URL of a listing's next page (``rel="next"`` on a ``<link>`` or ``<a>``) on the page's own host."""
    for el in tree.xpath("//*[self::link or self::a][@href and contains(concat(' ', translate(normalize-space(@rel), "
                         "'NEXT', 'next'), ' '), ' next ')]"):
        parts = urlsplit(urljoin(tree.base_url, el.get("href").strip()))
        if parts.scheme in ("http", "https") and parts.hostname == urlsplit(tree.base_url).hostname:
            url = parts._replace(fragment="").geturl()
            return url if url != tree.base_url else None
    return None


async def _robots_sitemaps(url: str, sess: FetchSession, col) -> list[str] | None:
    """The sitemaps robots.txt lists; only those whose URL says "news" where any does. The session's robots.txt
    (read once per host and run, or from the shared cache) when it obeys robots, else one request of its own.
    None when the session obeys robots and cannot read them (nothing on the site may be fetched then)."""
    from protego import Protego

    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    rules = None
    if sess.s.obey_robots:
        try:
            await sess.robots_allows(url)
        except FetchRefused as e:
            if e.reason != "robots":          # robots.txt could not be read ("robots": the home page is disallowed)
                col.dead(robots_url, e.reason, str(e), what="robots.txt")
                return None
        rules = sess.host(url).robots
    else:
        try:
            r = await sess.get(robots_url, kind="robots")
        except FetchRefused as e:
            col.dead(robots_url, e.reason, str(e), what="robots.txt")
            return []
        if 200 <= r.status < 300:
            rules = Protego.parse(r.body.decode("utf-8", "replace"))
    found = [urljoin(robots_url, u.strip()) for u in (rules.sitemaps if rules is not None else ())]
    news = [u for u in found if "news" in u.lower()]
    return list(dict.fromkeys(news or found))


def _urls(source: Source, col) -> None:
    for u in source.urls:
        col.add(u)
    if source.file:
        p = source.resolve(source.file)
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            col.dead(str(p), "file_missing", f"URL list {p}: {e.strerror or e}", what="urls file")
            return
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                col.add(line)


def _files(source: Source, col) -> None:
    folder = source.resolve(source.path)
    map_path = source.resolve(source.url_map)
    try:
        mapping = json.loads(map_path.read_text(encoding="utf-8"))
        if not isinstance(mapping, dict):
            raise ValueError("expected a JSON object {\"<file name>\": \"<url>\"}")
    except (OSError, ValueError) as e:
        col.dead(str(map_path), "bad_url_map", f"URL map {map_path}: {e}", what="url_map")
        return
    if not folder.is_dir():
        col.dead(str(folder), "file_missing", f"folder {folder} does not exist", what="files")
        return
    names = sorted(n for n in os.listdir(folder) if re.search(r"\.(x?html?|htm)(\.gz)?$", n, re.I))
    for name in names:
        url = mapping.get(name)
        if not url:
            col.r.seen += 1
            col.dead(str(folder / name), "no_url", f"{name} has no entry in {map_path}", file=str(folder / name))
            continue
        col.add(url, kind="file", location=str((folder / name).resolve()))
    for name, url in mapping.items():
        if name not in names:
            col.r.seen += 1
            col.dead(url, "file_missing", f"{name} (mapped to {url}) is not in {folder}", file=name)


def _warc(source: Source, col) -> None:
    from warcio.archiveiterator import ArchiveIterator

    for pattern in source.paths:
        files = sorted(globmod.glob(str(source.resolve(pattern))))
        if not files:
            col.dead(pattern, "file_missing", f"no WARC file matches {pattern}", what="warc")
        for path in files:
            try:
                with open(path, "rb") as f:
                    it = ArchiveIterator(f)
                    for rec in it:
                        if rec.rec_type != "response" or rec.http_headers is None:
                            continue
                        ctype = (rec.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                        status = rec.http_headers.get_statuscode()
                        if status != "200" or ctype not in ("text/html", "application/xhtml+xml"):
                            continue
                        col.add(rec.rec_headers.get_header("WARC-Target-URI"), kind="warc",
                                location=f"{os.path.abspath(path)}#{it.get_record_offset()}")
            except Exception as e:  # a broken WARC must not take the run down
                col.dead(path, "bad_warc", f"{path}: {type(e).__name__}: {e}", what="warc")


# ------------------------------------------------------------------ the stage

async def adiscover_source(source: Source, settings, storage: Storage, *, since=None, max_articles=None,
                           refetch=False, run_id: str | None = None,
                           is_known: Callable[[list[str]], Iterable[str]] | None = None,
                           session: FetchSession | None = None, removals=None,
                           letters_part: str | None = None) -> DiscoveryResult:
    s = _fetch_settings(settings)
    run_id = run_id or f"discover-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}"
    result = DiscoveryResult(source=source.name)
    col = _Collector(source, result, Ledger.load(storage), since=since, max_articles=max_articles,
                     refetch=refetch, is_known=is_known, removals=removals, updated_days=s.refetch_updated_days)
    if source.kind in ("rss", "sitemap", "site"):
        state = _State(storage, source.name)
        archive = WarcArchive(storage, f"{run_id}-{source.name}", max_bytes=s.warc_max_bytes)

        async def read(sess: FetchSession) -> None:
            if source.kind == "rss":
                await _rss(source, source.url, sess, state, col, result)
            elif source.kind == "sitemap":
                await _sitemap(source, [source.url], sess, state, col, result, s)
            else:
                await _site(source, sess, state, col, result, s)

        try:
            if session is not None:
                prev, session.archive = session.archive, archive
                try:
                    await read(session)
                finally:
                    session.archive = prev
            else:
                async with FetchSession(s, archive, storage) as sess:
                    await read(sess)
        finally:
            result.warc_files = archive.close()
        state.save()
    elif source.kind == "urls":
        _urls(source, col)
    elif source.kind == "files":
        _files(source, col)
    elif source.kind == "warc":
        _warc(source, col)
    col.finish()
    rel, n = write_dead_letters(storage, "fetch", run_id, result.dead_letters, part=letters_part)
    result.deadletter_file = rel if n else None
    return result


def discover_source(source: Source, settings, storage: Storage, *, since=None, max_articles=None, refetch=False,
                    run_id: str | None = None,
                    is_known: Callable[[list[str]], Iterable[str]] | None = None, removals=None,
                    letters_part: str | None = None) -> DiscoveryResult:
    """Candidates of one source (see the module doc). ``settings``: Settings or its ``fetch`` section.
    ``since``: datetime/date/ISO string; items dated before it are left out (undated items are kept).
    ``is_known(doc_ids) -> ids already indexed`` lets the caller de-duplicate against the search index too.
    ``removals``: a ``pipeline.removals.Blocklist`` (``stages.fetch_removals``): nothing in its removed domains is
    requested or listed (skipped ``removed``); removed articles are left to the fetch, which asks about each.
    ``letters_part``: the dead letters' part (``pipeline.deadletter``; a DAG task's, so that its retry replaces
    them), else a file of their own."""
    return run_sync(adiscover_source(source, settings, storage, since=since, max_articles=max_articles,
                                     refetch=refetch, run_id=run_id, is_known=is_known, removals=removals,
                                     letters_part=letters_part))
