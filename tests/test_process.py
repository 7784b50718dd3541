"""Batch processing: order kept, pool equals in-process, deterministic, never raises on content."""
from __future__ import annotations

import json

from pipeline.page import Page
from pipeline.process import process_page, process_pages
from pipeline.settings.processing import ProcessingSettings


def _pages(pages_dir):
    files = sorted(p for p in pages_dir.iterdir() if p.suffix == ".html")
    return [Page(url=f"https://news.example.com/{p.name}", body=p.read_bytes(), source=p.name) for p in files]


def test_pool_matches_in_process_and_keeps_order(pages_dir, fixed_now):
    pages = _pages(pages_dir) * 2          # 28 pages: enough to use the pool with 2 workers
    settings = ProcessingSettings(workers=2, chunksize=2)
    pooled = list(process_pages(pages, settings, now=fixed_now))
    serial = list(process_pages(pages, settings, workers=1, now=fixed_now))
    assert [d["source"] for d in pooled] == [p.source for p in pages]
    assert json.dumps(pooled, sort_keys=True) == json.dumps(serial, sort_keys=True)
    statuses = {d["source"]: d["status"] for d in pooled}
    assert statuses["empty.html"] == "empty" and statuses["ru_cp1251.html"] == "ok"
    ru = next(d for d in pooled if d["source"] == "ru_cp1251.html")
    assert ru["entities_status"] == "ok" and "Анна Петрова" in ru["entities"]["person"]


def test_lazy_generator_input(pages_dir, fixed_now):
    pages = _pages(pages_dir)
    gen = (p for p in pages * 3)
    out = list(process_pages(gen, ProcessingSettings(workers=2, chunksize=1), entities=False, now=fixed_now))
    assert len(out) == len(pages) * 3
    assert all(d["entities_status"] == "disabled" for d in out)


def test_crash_in_a_step_becomes_a_status(fixed_now):
    # a caller handing over a body that is not bytes crashes extraction: the page still yields a document
    d = process_page(Page(url="https://x.example/a", body=12345), now=fixed_now)  # type: ignore[arg-type]
    assert d["status"] == "error_extract" and "AttributeError" in d["error"]


def test_deterministic_twice(pages_dir, fixed_now):
    page = _pages(pages_dir)[3]
    a = json.dumps(process_page(page, now=fixed_now), ensure_ascii=False)
    b = json.dumps(process_page(page, now=fixed_now), ensure_ascii=False)
    assert a == b


def test_feed_title_settles_which_headline_is_the_title(fixed_now):
    """A page from a feed item carries the item's title; of the page's headlines, the one equal to it wins."""
    import json as _json

    ld = _json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "SEO headline here"})
    body = "".join(f"<p>Paragraph {i}: the bridge over the Riverton canal needs new stone.</p>" for i in range(8))
    html = (f"<html lang='en'><head><meta property='og:title' content='The headline readers see'>"
            f"<script type='application/ld+json'>{ld}</script></head><body><article>{body}</article></body>"
            f"</html>").encode()
    plain = process_page(Page(url="https://news.example.com/a", body=html), entities=False, now=fixed_now)
    fed = process_page(Page(url="https://news.example.com/a", body=html, hint_title="The headline readers see"),
                       entities=False, now=fixed_now)
    assert plain["status"] == fed["status"] == "ok"
    assert plain["title"] == "SEO headline here"
    assert fed["title"] == "The headline readers see"
