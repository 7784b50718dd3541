"""Per-site extraction rules (processing.extraction.site_rules, pipeline.siterules): selectors that put a site's
title, authors, dates, body, tags and image where the generic extraction gets them wrong."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from pipeline.extract import extract
from pipeline.settings import ConfigError, load_settings
from pipeline.settings.processing import ExtractionSettings
from pipeline.siterules import block_text

REPO = Path(__file__).resolve().parents[1]
URL = "https://ledger.example.org/news/2026/11/pier"
PARAS = [
    "Repairs to the north pier of Dunmore harbour, damaged in the October storms, will start in January, the port "
    "authority said on Thursday.",
    "The works will take most of the winter. Ferries to the islands will leave from the south quay until the pier "
    "reopens in the spring.",
    "The authority has asked the government for help with the bill, which it puts at two million euros, and "
    "expects an answer before Christmas.",
]
PROMO = "Subscribe to our newsletter for the latest harbour news every morning."
# the site's page: a generic <title> and og:title, two authors as links, the date in a data attribute, a newsletter
# box inside the story, tags as links to topic pages (neither marked rel="tag" nor in a list whose class names it
# the tags, which the generic extraction reads)
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home | The Demo Ledger</title>
<meta property="og:title" content="The Demo Ledger - news"></head><body>
<div class="kicker">Harbour works</div><h1 class="headline">Dunmore pier repairs to start in January</h1>
<p class="meta">Written by <a class="author" href="/a/1">Aoife Brennan</a> and
<a class="author" href="/a/2">Cian Walsh</a> <span class="when" data-ts="2026-11-20T09:15:00+00:00">20 Nov</span>
<span class="updated">21 November 2026, 10:30</span></p>
<figure class="lead"><img src="/img/pier.jpg"></figure>
<div class="story"><p>{PARAS[0]}</p><div class="promo"><p>{PROMO}</p></div><p>{PARAS[1]}</p><p>{PARAS[2]}</p></div>
<ul class="topics"><li><a href="/topic/harbour">harbour</a></li><li><a href="/topic/ferries">ferries</a></li></ul>
</body></html>""".encode()
RULE = {"title": "h1.headline", "authors": ".meta a.author", "published_at": "span.when@data-ts",
        "body": "div.story", "tags": "ul.topics a[href^='/topic/']", "top_image": "figure.lead img@src", "remove": [".promo"]}


def _settings(rules: dict) -> ExtractionSettings:
    return ExtractionSettings(site_rules=rules)


def test_a_rule_puts_each_field_where_the_site_keeps_it():
    generic = extract(PAGE, URL)
    # what the generic extraction makes of this page (so that the rule has something to mend)
    assert generic.status == "ok" and generic.title == "The Demo Ledger - news" and PROMO in generic.text
    assert generic.tags == [] and generic.top_image is None
    ruled = extract(PAGE, URL, settings=_settings({"ledger.example.org": RULE}))
    assert ruled.status == "ok"
    assert ruled.title == "Dunmore pier repairs to start in January"
    assert ruled.authors == ["Aoife Brennan", "Cian Walsh"]
    assert ruled.published_at == "2026-11-20T09:15:00+00:00"
    assert ruled.text == "\n\n".join(PARAS)                       # the newsletter box removed, paragraphs kept
    assert ruled.tags == ["harbour", "ferries"]
    assert ruled.top_image == "https://ledger.example.org/img/pier.jpg"
    # XPath, an attribute by XPath's own axis, and a date written as text (day first; it must name the year)
    xpath = {"title": "(//h1)[1]", "top_image": "//figure[@class='lead']/img/@src",
             "modified_at": "//span[@class='updated']"}
    ex = extract(PAGE, URL, settings=_settings({"ledger.example.org": xpath}))
    assert (ex.title, ex.top_image, ex.modified_at) == (ruled.title, ruled.top_image, "2026-11-21T10:30:00")
    # another site's pages are not touched; a domain covers its subdomains; the most specific entry wins
    assert extract(PAGE, "https://other.example.net/a", settings=_settings({"ledger.example.org": RULE})).title == \
        generic.title
    both = _settings({"example.org": {"title": ".kicker"}, "ledger.example.org": {"title": "//h1"}})
    assert extract(PAGE, URL, settings=both).title == "Dunmore pier repairs to start in January"
    assert extract(PAGE, "https://www.example.org/x", settings=both).title == "Harbour works"


def test_a_selector_that_finds_nothing_keeps_the_generic_value_and_says_so(caplog):
    rule = {"title": "h1.no-such-class", "authors": ".meta a.author", "published_at": "span.when"}
    with caplog.at_level(logging.WARNING, logger="newsetl.extract"):
        ex = extract(PAGE, URL, settings=_settings({"ledger.example.org": rule}))
    assert ex.title == "The Demo Ledger - news" and ex.authors == ["Aoife Brennan", "Cian Walsh"]
    warnings = [r.getMessage() for r in caplog.records]
    assert any("site rule for ledger.example.org: title matched nothing on " + URL in w for w in warnings)
    # a value that is no date ("20 Nov": no year) keeps the generic date, and says so
    assert any("published_at '20 Nov' is no date; the generic one is kept" in w for w in warnings)
    assert ex.published_at == extract(PAGE, URL).published_at


def test_a_rule_finds_the_body_where_the_generic_extraction_finds_none():
    """The article in table cells (tables are left out of the text by default): no article without the rule."""
    cells = "".join(f"<tr><td>{p}</td></tr>" for p in PARAS)
    page = (f"<!doctype html><html><head><title>Pier repairs</title></head><body><table class='article'>{cells}"
            f"</table></body></html>").encode()
    assert extract(page, URL).status != "ok"
    ex = extract(page, URL, settings=_settings({"example.org": {"body": "table.article td"}}))
    assert ex.status == "ok" and ex.text == "\n\n".join(PARAS) and ex.title == "Pier repairs"


def test_block_text_keeps_paragraphs_lines_and_lists_and_drops_scripts():
    el = lxml.html.fromstring("<div><h2>Head</h2>Loose <b>words</b><p>One<br>two</p><ul><li>a</li><li>b "
                              "<i>c</i></li></ul><script>var x=1;</script><!-- note -->tail</div>")
    assert block_text(el) == "Head\n\nLoose words\n\nOne\n\ntwo\n\na\n\nb c\n\ntail"


@pytest.mark.parametrize("rule,where,words", [
    ({"title": "h1[[x"}, "site_rules.example.com", "title: 'h1[[x' is not a valid CSS selector"),
    ({"body": "//div[@class="}, "site_rules.example.com", "body: '//div[@class=' is not a valid XPath"),
    ({"remove": ["img@src"]}, "site_rules.example.com", "remove[0]: 'img@src' is not a valid CSS selector"),
    ({"titel": "h1"}, "site_rules.example.com.titel", "remove this key or correct its spelling"),
    ({}, "site_rules.example.com", "the rule names no field"),
])
def test_a_bad_rule_is_a_config_error_naming_the_key(tmp_path, rule, where, words):
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"processing": {"extraction": {"site_rules": {"example.com": rule}}}}))
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    line = err.value.one_line()
    assert str(cfg) in line and f"processing.extraction.{where}" in line and words in line


def test_the_cli_applies_the_configured_rules(tmp_path):
    """`newsetl extract` (the processing stage the DAG runs) with a config that holds the rule."""
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"processing": {"extraction": {"site_rules": {"ledger.example.org": RULE}}}}))
    page = tmp_path / "pier.html"
    page.write_bytes(PAGE)
    out = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(cfg), "extract", "--no-entities",
                          "--url", URL, str(page)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert (doc["title"], doc["authors"], doc["tags"]) == ("Dunmore pier repairs to start in January",
                                                           ["Aoife Brennan", "Cian Walsh"], ["harbour", "ferries"])
    assert PROMO not in doc["text"] and doc["word_count"] == len(" ".join(PARAS).split())


def test_the_documents_a_rule_missed_are_counted_in_the_run_report(tmp_path):
    """The process stage (the DAG's process task) on archived pages: a page on which the rule's title selector finds
    nothing carries rule_misses, and the run's report counts it per source and per field."""
    from pipeline import stages
    from pipeline.archive import WarcArchive
    from pipeline.page import Page
    from pipeline.storage import Storage

    rule = {**RULE, "title": "h1.no-such-class"}
    settings = load_settings(overrides={
        "storage": {"root": str(tmp_path)}, "index": {"record_runs": False},
        "processing": {"workers": 1, "extraction": {"site_rules": {"ledger.example.org": rule}}}})
    storage = Storage(tmp_path)
    other = PAGE.replace(b"ledger", b"other")            # no rule for this site: nothing missed
    with WarcArchive(storage, "r1") as arch:
        refs = [arch.write_page(Page(url=url, body=body, headers={"content-type": "text/html; charset=utf-8"},
                                     source="ledger", fetched_at="2026-11-29T06:00:00+00:00"))
                for url, body in ((URL, PAGE), ("https://other.example.net/pier", other))]
    batch = "runs/r1/pages/ledger/0000.jsonl"
    storage.write_jsonl(batch, ({"warc_ref": ref} for ref in refs))
    docs = list(storage.read_jsonl(stages.process_batch(settings, batch, "r1", entities=False)))
    assert [d["rule_misses"] for d in docs] == [["title"], []]
    assert docs[0]["authors"] == ["Aoife Brennan", "Cian Walsh"]      # the rule's other fields still apply
    summary = stages.report(settings, "r1", expect_loaded=False)
    assert summary["sources"]["ledger"]["rule_misses"] == summary["total"]["rule_misses"] == 1
    assert summary["rule_miss_fields"] == {"title": 1}
    assert "1 document missed a field of their site's extraction rule (title 1)" in stages.render_report(summary)
