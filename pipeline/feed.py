"""A search as an Atom feed (RFC 4287): what a feed reader, or another aggregator, subscribes to (``GET /feed.atom``
with the parameters of ``/search``; ``newsetl search … --format atom``).

``atom(hits, title=…, self_url=…, feed_id=…)`` renders the hits of ``pipeline.search.search`` (newest first when
the caller sorts by date) as one feed:

- each article an ``<entry>``: ``id`` ``urn:newsetl:article:<document id>`` (the same whatever the feed, so a reader
  that meets an article in two feeds, or again after a re-fetch, knows it), its title, a link to the article (only
  an http(s) URL), ``published`` and ``updated`` (the publication time; for an undated one the time it was fetched,
  which does not change from one request to the next, so a reader does not take it for updated), its
  authors (else its site or source: Atom wants an author), a summary (its description, else the highlight of the
  search words), its language (``xml:lang``), and categories: its tags and categories as written, its people
  (``scheme="urn:newsetl:people"``) and places (``urn:newsetl:places``);
- the feed: its title, ``id`` (``feed_id``: the same query gives the same id), a ``self`` link, ``updated`` (the
  newest entry's time), the generator.

Text is written as text (ElementTree escapes it); characters XML 1.0 does not allow (control characters a page may
carry) are dropped, so a strict parser reads every feed.

**Feed tokens.** A feed reader sends no header, so with an API key the feed's URL must carry what lets it in. Not
the key itself: ``feed_token(key, path)`` is an HMAC of one feed's path under the key's SHA-256 digest, so a URL
handed to a feed reader (and written to its logs, or shared) opens that feed only, not the API nor another watch's
feed (``feed_url``, ``newsetl watch feed-url``, ``GET /watches``). It holds as long as the key: changing or revoking
the key withdraws every token made with it. Under the digest, not the key, because a server knows only the digests
of the keys stored in the cluster (``pipeline.apikeys``); a token made before newsetl 0.2.10, under the key itself,
must be made again.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import xml.etree.ElementTree as ET
from typing import Iterable

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINKABLE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:em|mark)>")
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

ET.register_namespace("", ATOM)

SEARCH_FEED = "/feed.atom"


def watch_feed_path(name: str) -> str:
    """The path of a watch's feed (as the server sees it, not percent-encoded)."""
    return f"/watches/{name}/feed.atom"


def feed_token(key: str, path: str) -> str:
    """The token that opens the feed at ``path`` (``SEARCH_FEED``, ``watch_feed_path(name)``) for whoever has the
    API key ``key``: 24 URL-safe characters (144 bits of an HMAC-SHA256 of the path under the key's digest)."""
    from pipeline.apikeys import key_digest

    return token_under(key_digest(key), path)


def token_under(digest: str, path: str) -> str:
    """``feed_token`` for the key whose digest (``pipeline.apikeys.key_digest``) is ``digest``."""
    mac = hmac.new(digest.encode(), b"newsetl feed\n" + path.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def token_maker(token: str, path: str, digests: Iterable[str]) -> str | None:
    """The digest, among ``digests``, of the key under which ``token`` is the feed token of ``path``, or None (each
    compared in constant time, and all of them)."""
    found = None
    for d in digests:
        if hmac.compare_digest(token.encode(), token_under(d, path).encode()):
            found = d
    return found


def feed_url(base: str, path: str, key: str | None, params: dict | None = None) -> str:
    """The URL a feed reader subscribes to: ``base`` (the API's scheme, host and port) and ``path``, with ``params``
    (a search's) and, when there is an API key, the feed's token."""
    from urllib.parse import quote, urlencode

    query = {k: v for k, v in (params or {}).items() if v not in (None, "", [], False)}
    if key:
        query["token"] = feed_token(key, path)
    url = base.rstrip("/") + quote(path)
    return url + ("?" + urlencode(query, doseq=True) if query else "")


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _el(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        e.text = _text(text)
    return e


def _time(value: str | None, fallback: str) -> str:
    """An RFC 3339 time (Atom's): the ISO time as the index keeps it, with its offset (UTC when it has none)."""
    if not value:
        return fallback
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    return (t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)).isoformat()


def _summary(hit: dict) -> str | None:
    if hit.get("description"):
        return hit["description"]
    frags = (hit.get("highlight") or {}).get("text") or []
    return " … ".join(_TAGS.sub("", f) for f in frags) or None


def atom(hits: Iterable[dict], *, title: str, self_url: str, feed_id: str, now: dt.datetime | None = None,
         generator: str = "newsetl") -> bytes:
    """The feed of ``hits`` (see the module docstring), UTF-8 with its XML declaration."""
    hits = list(hits)
    now_s = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "title", title)
    _el(feed, "id", feed_id)
    _el(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    times = [_time(h.get("published_at"), _time(h.get("fetched_at"), now_s)) for h in hits]
    _el(feed, "updated", max(times, key=lambda t: dt.datetime.fromisoformat(t)) if times else now_s)
    _el(feed, "generator", generator.split()[0], version=generator.split()[-1])
    for hit, when in zip(hits, times):
        entry = _el(feed, "entry")
        lang = hit.get("language") or ""
        if _LANG.fullmatch(lang):
            entry.set(XML_LANG, lang)
        _el(entry, "id", f"urn:newsetl:article:{hit['id']}")
        _el(entry, "title", hit.get("title") or hit.get("url") or hit["id"], type="text")
        url = hit.get("url") or ""
        if _LINKABLE.fullmatch(url):
            _el(entry, "link", rel="alternate", type="text/html", href=url)
        _el(entry, "published", when)
        _el(entry, "updated", when)
        for name in hit.get("authors") or [hit.get("site_name") or hit.get("source") or hit.get("domain") or "-"]:
            _el(_el(entry, "author"), "name", name)
        if summary := _summary(hit):
            _el(entry, "summary", summary, type="text")
        for term in dict.fromkeys([*(hit.get("tags") or []), *(hit.get("categories") or [])]):
            _el(entry, "category", term=term)
        for scheme, field in (("urn:newsetl:people", "people"), ("urn:newsetl:places", "places")):
            for term in hit.get(field) or []:
                _el(entry, "category", term=term, scheme=scheme)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
