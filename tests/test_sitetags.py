"""Tags a site puts on every article (pipeline.sitetags, `newsetl tags sitewide`) over a real Elasticsearch node, and
the site rule's drop_tags that takes them out of that site's pages (pipeline.extract)."""
from __future__ import annotations

import json

import pytest
import yaml

from pipeline.extract import extract
from pipeline.search import SearchError
from pipeline.settings import load_settings
from pipeline.settings.processing import ExtractionSettings
from pipeline.sitetags import rules_yaml, sitewide_tags
from tests.cfgutil import cli_config, run_cli
from tests.plugins.docs import indexed, make_document

pytestmark = pytest.mark.es
PARAS = "".join(f"<p>Paragraph {i} on the harbour works, the council vote and what the ferry operators said about "
                "the timetable for the coming months.</p>" for i in range(6))


def _docs() -> list[dict]:
    """ledger.example.org: 24 tagged articles, each with "Breaking news" and "General" (23 of them "Weird" too)
    beside a topic of its own, and 2 untagged; other.example.net: 24 with varied topics, "Harbour" on half;
    small.example.com: 5, all "Same"."""
    out = []
    for i in range(26):
        tags = ["Breaking news", "General", f"Topic {i}"] + (["Weird"] if i < 23 else []) if i < 24 else []
        out.append(make_document(f"https://www.ledger.example.org/a/{i}", title=f"Ledger {i}", tags=tags))
    for i in range(24):
        tags = [f"Topic {i % 5}"] + (["Harbour"] if i % 2 else [])
        out.append(make_document(f"https://other.example.net/a/{i}", title=f"Other {i}", tags=tags))
    for i in range(5):
        out.append(make_document(f"https://small.example.com/a/{i}", title=f"Small {i}", tags=["Same"]))
    return out


@pytest.fixture
def loaded(index_client, index_settings, storage):
    return indexed(index_client, index_settings, storage, _docs())


def test_the_tags_on_nearly_every_article_of_a_site_are_found(loaded, index_client, index_settings):
    res = sitewide_tags(index_client, index_settings, min_docs=20)
    assert res["documents"] == 24 + 24 + 5          # the tagged articles
    assert res["sites"] == [{"domain": "ledger.example.org", "documents": 24, "rule": False, "tags": [
        {"tag": "Breaking news", "documents": 24, "share": 1.0}, {"tag": "General", "documents": 24, "share": 1.0},
        {"tag": "Weird", "documents": 23, "share": 0.958}]}]
    # a lower share finds the other site's "Harbour" (on half its articles); a lower floor counts the small site
    half = sitewide_tags(index_client, index_settings, min_docs=20, min_share=0.5)
    assert [(s["domain"], [t["tag"] for t in s["tags"]]) for s in half["sites"]] == [
        ("ledger.example.org", ["Breaking news", "General", "Weird"]), ("other.example.net", ["Harbour"])]
    assert [s["domain"] for s in sitewide_tags(index_client, index_settings, min_docs=5)["sites"]] == [
        "ledger.example.org", "small.example.com"]
    only = sitewide_tags(index_client, index_settings, min_docs=20, min_share=0.5, site="www.other.example.net")
    assert [s["domain"] for s in only["sites"]] == ["other.example.net"]
    with pytest.raises(SearchError, match="min_share"):
        sitewide_tags(index_client, index_settings, min_share=1.5)
    with pytest.raises(SearchError, match="min_docs"):
        sitewide_tags(index_client, index_settings, min_docs=0)


def test_the_rules_it_prints_drop_those_tags_from_the_sites_pages(loaded, index_client, index_settings, tmp_path):
    res = sitewide_tags(index_client, index_settings, min_docs=20)
    rules = yaml.safe_load(rules_yaml(res, index_settings))
    assert rules == {"processing": {"extraction": {"site_rules": {"ledger.example.org": {
        "drop_tags": ["Breaking news", "General", "Weird"]}}}}}
    settings = ExtractionSettings(**rules["processing"]["extraction"])
    page = ("<html lang='en'><head><title>Harbour vote</title><meta name='keywords' content='breaking  NEWS, "
            f"general, Bridges, Weird'></head><body><article>{PARAS}</article></body></html>").encode()
    url = "https://www.ledger.example.org/a/99"
    assert extract(page, url).tags == ["breaking NEWS", "general", "Bridges", "Weird"]
    assert extract(page, url, settings=settings).tags == ["Bridges"]          # case and spaces aside
    assert extract(page, "https://other.example.net/a/99", settings=settings).tags == [
        "breaking NEWS", "general", "Bridges", "Weird"]                           # another site keeps them
    # a site with a rule already: the printed rule is that rule with the tags added
    cfg = tmp_path / "with-rule.yaml"
    cfg.write_text(yaml.safe_dump({"processing": {"extraction": {"site_rules": {"ledger.example.org": {
        "title": "h1.headline", "drop_tags": ["Weird", "Promo"]}}}}}))
    with_rule = load_settings(cfg)
    res = sitewide_tags(index_client, with_rule.model_copy(update={"elasticsearch": index_settings.elasticsearch,
                                                                   "index": index_settings.index}), min_docs=20)
    assert res["sites"][0]["rule"] is True
    assert yaml.safe_load(rules_yaml(res, with_rule))["processing"]["extraction"]["site_rules"] == {
        "ledger.example.org": {"title": "h1.headline", "drop_tags": ["Weird", "Promo", "Breaking news", "General"]}}


def test_a_rule_that_only_drops_tags_is_valid_and_an_empty_tag_is_not():
    ok = ExtractionSettings(site_rules={"ledger.example.org": {"drop_tags": ["Breaking news"]}})
    assert ok.site_rule("www.ledger.example.org").dropped_tags() == frozenset({"breaking news"})
    with pytest.raises(ValueError, match=r"drop_tags\[1\]: an empty tag"):
        ExtractionSettings(site_rules={"ledger.example.org": {"drop_tags": ["News", " "]}})
    with pytest.raises(ValueError, match="the rule names no field"):
        ExtractionSettings(site_rules={"ledger.example.org": {}})


def test_the_command(loaded, index_settings, tmp_path):
    cfg = cli_config(tmp_path, index_settings)
    p = run_cli(cfg, "tags", "sitewide")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[:5] == [
        "53 tagged articles read; the tags on 80% or more of a site's tagged articles, for the sites with 20 or more:",
        "  ledger.example.org, 24 tagged articles:", "    Breaking news: 24 (100%)", "    General: 24 (100%)",
        "    Weird: 23 (96%)"]
    p = run_cli(cfg, "tags", "sitewide", "--yaml")
    assert p.returncode == 0 and yaml.safe_load(p.stdout)["processing"]["extraction"]["site_rules"] == {
        "ledger.example.org": {"drop_tags": ["Breaking news", "General", "Weird"]}}
    p = run_cli(cfg, "tags", "sitewide", "--json", "--min-share", "0.5")
    assert p.returncode == 0 and [s["domain"] for s in json.loads(p.stdout)["sites"]] == [
        "ledger.example.org", "other.example.net"]
    p = run_cli(cfg, "tags", "sitewide", "--min-docs", "100")
    assert p.returncode == 0 and p.stdout.splitlines()[1] == "  none"
    p = run_cli(cfg, "tags", "sitewide", "--min-share", "0")
    assert p.returncode == 2 and "min_share must be above 0" in p.stderr
