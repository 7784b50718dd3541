"""The document: exact schema fields, ids from canonical URLs, hashes, counts, injectable timestamps."""
from __future__ import annotations

import hashlib
import json

from pipeline.document import content_hash, word_count
from pipeline.page import Page
from pipeline.process import process_page
from pipeline.schema import DOCUMENT_FIELDS, ENTITY_TYPES
from pipeline.urls import canonicalize, doc_id


def test_canonicalize():
    assert canonicalize("HTTPS://News.Example.COM:443/a/b?utm_source=x&b=2&a=1&fbclid=z#top") == \
        "https://news.example.com/a/b?a=1&b=2"
    assert canonicalize("http://Example.com:80") == "http://example.com/"
    assert canonicalize("https://example.com/x?ref=rss&id=5") == "https://example.com/x?id=5"
    assert canonicalize("file:///tmp/a.html") == "file:///tmp/a.html"
    assert doc_id("https://EXAMPLE.com/a#x") == hashlib.sha256(b"https://example.com/a").hexdigest()


def test_document_fields_and_values(pages_dir, fixed_now):
    page = Page(url="https://news.example.com/riverton?utm_medium=feed", body=(pages_dir / "en_article.html").read_bytes(),
                source="test", fetched_at="2024-03-15T00:00:00+00:00", source_tags=["local"])
    d = process_page(page, now=fixed_now)
    assert list(d) == list(DOCUMENT_FIELDS)
    assert d["status"] == "ok" and d["error"] is None
    assert d["canonical_url"] == "https://news.example.com/2024/03/riverton-bridge"   # rel=canonical, cleaned
    assert d["id"] == hashlib.sha256(d["canonical_url"].encode()).hexdigest()
    assert d["domain"] == "news.example.com"
    assert d["processed_at"] == "2025-01-01T12:00:00+00:00" and d["fetched_at"] == "2024-03-15T00:00:00+00:00"
    assert d["source_tags"] == ["local"] and d["language"] == "en"
    assert set(d["entities"]) == set(ENTITY_TYPES)
    assert d["word_count"] == len(d["text"].split())
    assert d["content_hash"] == content_hash(d["title"], d["text"])
    json.dumps(d)   # serialisable as is


def test_rejected_document_has_all_fields(pages_dir, fixed_now):
    d = process_page(Page(url="https://x.example/a", body=b""), now=fixed_now)
    assert list(d) == list(DOCUMENT_FIELDS)
    assert d["status"] == "empty" and d["error"] and d["language"] == "und"


def test_content_hash_ignores_whitespace_only():
    assert content_hash("T", "a  b\n\n\n\nc ") == content_hash("T", "a b\n\nc")
    assert content_hash("T", "a b") != content_hash("T", "a c")


def test_word_count_cjk():
    assert word_count("two words") == 2
    assert word_count("市长李明") == 4
