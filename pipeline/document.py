"""The document: one page's extraction, language and entities assembled into the exact dict the index receives.

``build_document`` returns a dict with exactly the keys of ``pipeline.schema.DOCUMENT_FIELDS``, in that order, for
every page (rejected pages too: their ``status`` says why and ``error`` explains). Nothing in it depends on the clock
except ``processed_at`` (and ``fetched_at`` when the page has none), both taken from the injectable ``now``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from pipeline import __version__
from pipeline.entities import EntityResult, by_type
from pipeline.extract import Extraction
from pipeline.language import Language
from pipeline.page import Page
from pipeline.schema import DOCUMENT_FIELDS
from pipeline.urls import canonicalize, doc_id, domain

_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CJK_CHAR_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def normalize_text(text: str) -> str:
    """NFC, whitespace collapsed within lines, blank lines collapsed: what the content hash is computed on."""
    text = unicodedata.normalize("NFC", text or "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256((normalize_text(title or "") + "\n\n" + normalize_text(text)).encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """Words separated by spaces; Chinese/Japanese characters (written without spaces) count one each."""
    cjk = len(_CJK_CHAR_RE.findall(text or ""))
    rest = _CJK_CHAR_RE.sub(" ", text or "")
    return cjk + len(_WORD_RE.findall(rest))


def iso_now(now: dt.datetime | None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    return now.isoformat()


def build_document(page: Page, ex: Extraction, lang: Language | None, ents: EntityResult | None,
                   now: dt.datetime | None = None, *, status: str | None = None, error: str | None = None) -> dict:
    url = page.url or ""
    canonical = canonicalize(ex.canonical_url or url)
    ok = (status or ex.status) == "ok"
    entities = ents.entities if ents else []
    doc = {
        "id": doc_id(canonical),
        "url": url,
        "canonical_url": canonical,
        "domain": domain(canonical),
        "source": page.source,
        "source_tags": list(page.source_tags or []),
        "title": ex.title or (page.hint_title if ok else None),
        "description": ex.description,
        "text": ex.text or "",
        "authors": list(ex.authors),
        "published_at": ex.published_at or (page.hint_published_at if ok else None),
        "modified_at": ex.modified_at,
        "site_name": ex.site_name,
        "categories": list(ex.categories),
        "tags": list(ex.tags),
        "top_image": ex.top_image,
        "access": ex.access,
        "language": lang.code if lang else "und",
        "language_confidence": lang.confidence if lang else 0.0,
        "language_declared": lang.declared if lang else (ex.declared_languages[0] if ex.declared_languages else None),
        "entities": by_type(entities),
        "entity_mentions": entities,
        "entities_status": ents.status if ents else "disabled",
        "word_count": word_count(ex.text),
        "content_hash": content_hash(ex.title, ex.text),
        "pipeline_version": __version__,
        "fetched_at": page.fetched_at,
        "processed_at": iso_now(now),
        "rule_misses": list(ex.rule_misses),
        "status": status or ex.status,
        "error": error if error is not None else ex.error,
    }
    assert list(doc) == list(DOCUMENT_FIELDS), "document fields drifted from pipeline.schema.DOCUMENT_FIELDS"
    return doc
