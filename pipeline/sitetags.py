"""Tags a site puts on (nearly) every article: its sections or its own name written into each page's keywords
(TimesLive's "Breaking news, general, politics, sport, …", Sankei's "ニュース, 新聞, 産経, …", AP's state wires).
They say nothing about the article and crowd the tags facet.

``sitewide_tags(client, settings)`` finds them in the read alias: per site (``domain``) with ``min_docs`` tagged
documents or more, the tags on at least ``min_share`` of them (``newsetl tags sitewide``). A site rule's
``drop_tags`` (``processing.extraction.site_rules``) then drops them from that site's pages (``pipeline.extract``);
``newsetl reprocess --site DOMAIN --in-place`` applies it to what is indexed. Nothing is dropped by itself: a sports
site's "Sport" on every page is for the deployment to judge, and a list learnt and applied at once would forget what
it dropped at the next learning.
"""
from __future__ import annotations

from typing import Any

import yaml

MIN_DOCS = 20           # tagged documents a site needs before a share means anything
MIN_SHARE = 0.8         # share of them a tag must be on
MAX_SITES = 1000        # sites the aggregation returns at most (the most tagged first)
TAGS_PER_SITE = 50      # a site's most frequent tags looked at


def aggregation(min_docs: int = MIN_DOCS, max_sites: int = MAX_SITES, site: str | None = None) -> dict:
    """The search body: per domain, its documents with tags and their most frequent tags."""
    query: dict = {"bool": {"filter": [{"exists": {"field": "tags"}}]}}
    if site:
        query["bool"]["filter"].append({"term": {"domain": site}})
    return {"size": 0, "track_total_hits": True, "query": query,
            "aggs": {"sites": {"terms": {"field": "domain", "size": max_sites, "min_doc_count": min_docs,
                                         "order": [{"_count": "desc"}, {"_key": "asc"}]},
                               "aggs": {"tags": {"terms": {"field": "tags", "size": TAGS_PER_SITE,
                                                           "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}}}


def sitewide_tags(client: Any, settings: Any, *, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
                  site: str | None = None) -> dict:
    """``{"documents": tagged documents read, "min_docs", "min_share", "sites": [{"domain", "documents", "tags":
    [{"tag", "documents", "share"}], "rule": whether the site has a site rule already}]}``, the sites with such
    tags only, the most tagged first. SearchError for unusable arguments or a missing index, ClusterUnavailable
    when the cluster cannot be reached."""
    from pipeline.es import UNAVAILABLE_ERRORS, unavailable_from
    from pipeline.mapping import _index_settings
    from pipeline.search import SearchError, _search_alias

    if min_docs < 1:
        raise SearchError("min_docs must be 1 or more")
    if not 0 < min_share <= 1:
        raise SearchError(f"min_share must be above 0 and at most 1, not {min_share}")
    try:
        resp = _search_alias(client, _index_settings(settings).read_alias,
                             aggregation(min_docs, site=site.lower().removeprefix("www.") if site else None))
    except UNAVAILABLE_ERRORS as e:
        raise unavailable_from(client, e) from None
    extraction = settings.processing.extraction
    sites = []
    for b in resp["aggregations"]["sites"]["buckets"]:
        n = b["doc_count"]
        tags = [{"tag": t["key"], "documents": t["doc_count"], "share": round(t["doc_count"] / n, 3)}
                for t in b["tags"]["buckets"] if t["doc_count"] >= min_share * n]
        if tags:
            sites.append({"domain": b["key"], "documents": n, "tags": tags,
                          "rule": extraction.site_rule(b["key"]) is not None})
    return {"documents": resp["hits"]["total"]["value"], "min_docs": min_docs, "min_share": min_share,
            "sites": sites}


def rules_yaml(result: dict, settings: Any) -> str:
    """The site rules that drop what ``sitewide_tags`` found, as the YAML to put in the config; a site with a
    rule already gets that rule with the tags added to its ``drop_tags``."""
    extraction = settings.processing.extraction
    rules: dict[str, dict] = {}
    for s in result["sites"]:
        old = extraction.site_rule(s["domain"])
        rule = old.model_dump(exclude_defaults=True) if old is not None else {}
        rule["drop_tags"] = list(dict.fromkeys([*rule.get("drop_tags", []), *(t["tag"] for t in s["tags"])]))
        rules[s["domain"]] = rule
    doc = {"processing": {"extraction": {"site_rules": rules}}}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
