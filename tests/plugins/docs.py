"""Documents for the index-layer tests, and per-test index settings.

- ``make_doc`` (function): a factory of small, valid documents following pipeline.schema.DOCUMENT_FIELDS
  (``make_doc(title=..., text=..., language=...)``; id and content hash derived from url/title/text).
- ``fundus_docs`` (session): the fundus corpus (../shared/corpus/fundus) processed by the real processing stage
  (pipeline.process.process_pages, entities on), one document per page, in manifest order.
- ``seed_doc`` (session): the seed article (../shared/seed) wrapped in a minimal HTML page and processed the same way.
- ``index_settings`` (function): Settings pointing at the test node, with an index name under ``es_prefix`` (so
  the es plugin deletes everything afterwards) and a storage root in ``tmp_path``.
- ``index_client`` (function): a client made by pipeline.es.client_from_settings(index_settings).
- ``indexed(client, settings, storage, docs)``: the documents bulk-loaded (every one created) and searchable.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import re

import pytest

from pipeline.schema import DOCUMENT_FIELDS
from pipeline.storage import Storage

FIXED_NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


def make_document(url: str = "https://news.example.org/a/1", **over) -> dict:
    """A valid processed document; any field can be overridden."""
    title = over.get("title", "Example title")
    text = over.get("text", "Example text of an article. " * 20)
    canonical = over.get("canonical_url", url)
    doc = {
        "id": hashlib.sha256(canonical.encode()).hexdigest(),
        "url": url,
        "canonical_url": canonical,
        "domain": re.sub(r"^www\.", "", canonical.split("/")[2]),
        "source": "example",
        "source_tags": [],
        "title": title,
        "description": None,
        "text": text,
        "authors": [],
        "published_at": "2024-05-01T10:00:00+00:00",
        "modified_at": None,
        "site_name": "Example News",
        "categories": [],
        "tags": [],
        "top_image": None,
        "access": None,
        "language": "en",
        "language_confidence": 0.99,
        "language_declared": "en",
        "entities": {"person": [], "organization": [], "location": [], "misc": []},
        "entity_mentions": [],
        "entities_status": "ok",
        "word_count": len(text.split()),
        "content_hash": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        "pipeline_version": "0.1.0",
        "fetched_at": "2024-05-01T11:00:00+00:00",
        "processed_at": FIXED_NOW.isoformat(),
        "rule_misses": [],
        "status": "ok",
        "error": None,
    }
    doc.update(over)
    if "content_hash" not in over:
        doc["content_hash"] = hashlib.sha256(f"{doc['title']}\n{doc['text']}".encode()).hexdigest()
    return {k: doc[k] for k in list(DOCUMENT_FIELDS) + [k for k in doc if k not in DOCUMENT_FIELDS]}


def indexed(client, settings, storage: Storage, docs: list[dict], run_id: str = "t") -> list[dict]:
    """Bulk-load ``docs`` (each must be created) and refresh the read alias so that a search sees them; ``docs``."""
    from pipeline.load import bulk_load

    assert bulk_load(client, docs, settings, storage=storage, run_id=run_id).created == len(docs)
    client.indices.refresh(index=settings.index.read_alias)
    return docs


@pytest.fixture
def make_doc():
    return make_document


def _process(pages):
    from pipeline.process import process_pages
    from pipeline.settings import load_settings

    settings = load_settings()
    return list(process_pages(pages, settings.processing, entities=True, now=FIXED_NOW))


@pytest.fixture(scope="session")
def fundus_docs(fundus_manifest) -> list[dict]:
    from pipeline.page import Page
    from tests.plugins.shared import read_fundus_page

    pages = []
    for row in fundus_manifest:
        crawl = dt.datetime.fromisoformat(row["crawl_date"]).replace(tzinfo=dt.timezone.utc).isoformat()
        pages.append(Page(url=row["url"], body=read_fundus_page(row), headers={"content-type": "text/html"},
                          source=row["publisher"], fetched_at=crawl))
    docs = _process(pages)
    assert len(docs) == len(fundus_manifest)
    return docs


@pytest.fixture(scope="session")
def seed_doc(seed_text) -> dict:
    """The seed article as a processed document. The text is hard-wrapped: lines are joined into paragraphs."""
    from pipeline.page import Page

    paras = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", seed_text) if p.strip()]
    paras = [p for p in paras if not p.startswith("http")]
    title = "Lukashenko says Russia should join Belarus"  # a headline for the wrapper page (the seed has none)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    page_html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
                 f"<body><article><h1>{title}</h1>{body}</article></body></html>")
    page = Page(url="https://www.themoscowtimes.com/seed-article", body=page_html.encode("utf-8"),
                headers={"content-type": "text/html; charset=utf-8"}, source="seed",
                fetched_at="2024-05-01T00:00:00+00:00")
    (doc,) = _process([page])
    assert doc["status"] == "ok", doc
    return doc


@pytest.fixture
def index_settings(es_url, es_prefix, tmp_path):
    from pipeline.settings import load_settings

    return load_settings(overrides={"elasticsearch": {"url": es_url, "api_key": None, "username": None,
                                                      "password": None},
                                    "index": {"name": f"{es_prefix}news", "write_alias": None},
                                    "storage": {"root": str(tmp_path / "storage")}})


@pytest.fixture
def index_client(index_settings):
    from pipeline.es import client_from_settings

    client = client_from_settings(index_settings)
    yield client
    client.close()


@pytest.fixture
def storage(index_settings) -> Storage:
    return Storage(index_settings.storage.root)
