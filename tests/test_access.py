"""``access``: free, metered or paywalled as the page declares it (JSON-LD ``isAccessibleForFree``, its ``hasPart``,
the same property in microdata and RDFa, the ``article:content_tier`` meta tag), null when it declares nothing; the
precedence between declarations that contradict each other (pipeline.extract.page_access); the fundus corpus; the
index field, the search filter and facet, ``newsetl search --access`` and
``GET /search?access=``."""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import httpx
import pytest
from lxml import html as lxml_html

from pipeline.extract import _ld_bool, extract, page_access
from pipeline.page import Page
from pipeline.process import process_page
from pipeline.search import SearchError, access_filter, build_query, search

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "access"

# each fixture page -> the access it declares, by the precedence of docs/processing.md
EXPECTED = {
    "ld_true": "free",
    "ld_false": "paywalled",
    "ld_string_false": "paywalled",
    "ld_schema_url_false": "paywalled",          # "http://schema.org/False": schema.org's own Boolean value
    "ld_graph_true": "free",                     # the article in an @graph, the string "True"
    "ld_haspart_false": "paywalled",             # a part of the article that is not free
    "tier_metered": "metered",
    "tier_locked_name": "paywalled",             # <meta name=...>, "Locked"
    "tier_free": "free",
    "contra_true_locked": "paywalled",           # the tier says locked: beats a generic true
    "contra_false_free": "paywalled",            # false on the article beats the tier free
    "contra_true_haspart_false": "paywalled",    # a part is not free: the article is not
    "contra_false_metered": "metered",           # metered is the kind of not-free a metered page also says false for
    "broken_ld": None,                           # the JSON-LD does not parse: nothing declared
    "odd_values": None,                          # a URL, a number, the tier "premium": no declaration read
    "not_the_article": None,                     # a VideoObject's flag is not the article's
    "nothing": None,
    # microdata (itemprop) and RDFa (property): the same property, read in the article's item and its hasPart
    "md_true": "free",                           # <meta itemprop content="True"> in a NewsArticle itemscope
    "md_false_text": "paywalled",                # the value as the element's text
    "md_link_schema_false": "paywalled",         # <link itemprop href="https://schema.org/False">
    "md_haspart_false": "paywalled",             # true on the article, "FALSE" on its hasPart item (.paywall)
    "md_not_the_article": None,                  # a VideoObject's item, an untyped item, no item at all
    "md_odd_values": None,                       # "yes", "0", another URL, empty, an item as the value
    "rdfa_head_true": "free",                    # <meta property="schema:isAccessibleForFree"> of the page
    "rdfa_false_text": "paywalled",              # typeof NewsArticle, the value as text, "False"
    "rdfa_haspart_false": "paywalled",           # property="hasPart" typeof="WebPageElement"
    "rdfa_not_the_article": None,                # a VideoObject's, another vocabulary's prefix, "maybe"
    "contra_ld_true_md_false": "paywalled",      # JSON-LD says true, microdata false: false wins across sources
    "contra_tier_free_rdfa_false": "paywalled",  # the tier free, RDFa false
    "contra_md_true_locked": "paywalled",        # microdata true, the tier locked
    "contra_rdfa_false_metered": "metered",      # RDFa false, the tier metered
}


def test_every_fixture_page_has_an_expectation():
    assert sorted(p.stem for p in FIXTURES.glob("*.html")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page_access(name, fixed_now):
    body = (FIXTURES / f"{name}.html").read_bytes()
    ex = extract(body, f"https://courier.example/{name}", {"content-type": "text/html"})
    assert ex.status == "ok", ex.error
    assert ex.access == EXPECTED[name]
    doc = process_page(Page(url=f"https://courier.example/{name}", body=body, source="access"), entities=False,
                       now=fixed_now)
    assert doc["status"] == "ok" and doc["access"] == EXPECTED[name]
    assert list(doc).index("access") == list(doc).index("top_image") + 1


def test_rejected_pages_keep_what_they_declare():
    page = b'<html><head><meta property="article:content_tier" content="locked"></head><body><p>Subscribe.</p>' \
           b'</body></html>'
    ex = extract(page, "https://courier.example/teaser")
    assert ex.status == "too_short" and ex.access == "paywalled"
    assert extract(b"", "https://courier.example/empty").access is None


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("True", True), ("false", False), (" FALSE ", False),
    ("https://schema.org/True", True), ("http://schema.org/False", False), ("schema.org/False", False),
    (1, None), (0, None), (0.0, None), ("yes", None), ("https://example.com/False", None), ("", None),
    (None, None), ([True], None), ({"value": True}, None)])
def test_booleans_as_pages_write_them(value, expected):
    assert _ld_bool(value) is expected


def test_key_in_any_case_and_only_article_nodes():
    tree = lxml_html.fromstring("<html><head></head><body></body></html>")
    assert page_access(tree, [{"@type": "NewsArticle", "isAccessibleforFree": True}]) == "free"     # NDR's spelling
    assert page_access(tree, [{"@type": "Product", "isAccessibleForFree": False}]) is None
    assert page_access(tree, [{"isAccessibleForFree": False}]) is None                        # no type: not read
    assert page_access(tree, [{"@type": "WebPage", "isAccessibleForFree": "false"}]) == "paywalled"
    assert page_access(tree, [{"@type": "NewsArticle", "isAccessibleForFree": True},
                              {"@type": "NewsArticle", "isAccessibleForFree": False}]) == "paywalled"
    assert page_access(tree, [{"@type": "NewsArticle", "hasPart": "not a part"}]) is None


@pytest.mark.parametrize("body, expected", [
    # names: among others, schema.org's full URL, any case
    ('<div itemscope itemtype="http://schema.org/Article"><meta itemprop="about isAccessibleForFree" content="false">'
     '</div>', "paywalled"),
    ('<div itemscope itemtype="https://schema.org/BlogPosting"><meta itemprop="https://schema.org/isAccessibleForFree"'
     ' content="true"></div>', "free"),
    ('<div typeof="schema:NewsArticle"><span property="schema:ISACCESSIBLEFORFREE">  false </span></div>', "paywalled"),
    ('<div typeof="NewsArticle"><link property="isAccessibleForFree" resource="http://schema.org/False"></div>',
     "paywalled"),
    ('<body itemscope itemtype="https://schema.org/WebPage"><meta itemprop="isAccessibleForFree" content="False">'
     '</body>', "paywalled"),                                      # the page's item, as WebPage is in JSON-LD
    # not the article's: a part of something else, another vocabulary's Article, another vocabulary's property
    ('<div itemscope itemtype="https://schema.org/VideoObject"><div itemprop="hasPart" itemscope>'
     '<meta itemprop="isAccessibleForFree" content="false"></div></div>', None),
    ('<div typeof="VideoObject"><div property="hasPart" typeof="WebPageElement">'
     '<meta property="isAccessibleForFree" content="false"></div></div>', None),
    ('<div itemscope itemtype="http://data-vocabulary.org/Article"><meta itemprop="isAccessibleForFree" '
     'content="false"></div>', None),
    ('<meta property="og:isAccessibleForFree" content="false">', None),
    ('<div itemscope itemtype="https://schema.org/Article"><meta itemprop="isAccessibleForFreeTrial" content="false">'
     '</div>', None),
    # a hasPart of the document itself (RDFa outside any typeof)
    ('<div property="hasPart" typeof="WebPageElement"><meta property="isAccessibleForFree" content="false"></div>',
     "paywalled"),
])
def test_microdata_and_rdfa_scope(body, expected):
    tree = lxml_html.fromstring(f"<html><head></head>{body if body.startswith('<body') else f'<body>{body}</body>'}"
                                "</html>")
    assert page_access(tree, []) == expected


def test_cli_extract_prints_access(tmp_path):
    from tests.test_cli_extract import lines, newsetl

    names = ["tier_metered", "ld_false", "nothing"]
    proc = newsetl("--no-entities", *(str(FIXTURES / f"{n}.html") for n in names))
    assert proc.returncode == 0, proc.stderr.decode()
    assert [d["access"] for d in lines(proc)] == ["metered", "paywalled", None]


# ------------------------------------------------------------------ the shared fundus corpus

_ARTICLE = {"article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
            "opinionnewsarticle", "liveblogposting", "webpage", "report", "backgroundnewsarticle"}
_LD_RE = re.compile(r"<script[^>]*type=[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>", re.S | re.I)
_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_TIERS = ("article:content_tier", "og:article:content_tier", "article_content_tier")

# what the 258 pages declare, by the precedence (`.venv/bin/python -m pytest tests/test_access.py -k corpus -s`
# prints the table); docs/processing.md quotes these figures
CORPUS_COUNTS = {None: 138, "free": 84, "paywalled": 28, "metered": 8}


def declared_access(raw: str) -> str | None:
    """The page's declaration read straight from its HTML with regular expressions and ``json``: written apart from
    ``pipeline.extract`` (which reads lxml's tree), applying the precedence of docs/processing.md."""
    flags: list[bool] = []

    def flag(value) -> None:
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(re.sub(r"^https?://schema\.org/", "", value.strip().lower()))
        if isinstance(value, bool):
            flags.append(value)

    def flags_of(node: dict) -> None:
        for key, value in node.items():
            if key.lower() == "isaccessibleforfree":
                flag(value)

    def walk(node) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            types = node.get("@type")
            types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if types & _ARTICLE:
                flags_of(node)
                parts = node.get("hasPart")
                for part in parts if isinstance(parts, list) else [parts]:
                    if isinstance(part, dict):
                        flags_of(part)
            walk(node.get("@graph"))
            for key in ("mainEntity", "mainEntityOfPage"):
                if isinstance(node.get(key), dict):
                    walk(node[key])

    for block in _LD_RE.findall(raw):
        block = block.strip()
        for mark in ("//<![CDATA[", "//]]>"):       # an XHTML habit the extraction reads through
            block = block.replace(mark, "")
        try:
            walk(json.loads(block.strip()))
        except ValueError:
            continue
    tiers = set()
    for tag in _META_RE.findall(raw):
        attrs = {k.lower(): a or b or c for k, a, b, c in _ATTR_RE.findall(tag)}
        if (attrs.get("property", "").lower() in _TIERS or attrs.get("name", "").lower() in _TIERS):
            tiers.add(attrs.get("content", "").strip().lower())
        # microdata and RDFa as the corpus writes them: <meta itemprop|property="isAccessibleForFree" content=...>
        # (the item it belongs to is not checked here: the fixture pages test that)
        for attr in ("itemprop", "property"):
            names = {re.sub(r"^(?:https?://schema\.org/|schema:)", "", n) for n in attrs.get(attr, "").lower().split()}
            if "isaccessibleforfree" in names:
                flag(attrs.get("content", ""))
    if "locked" in tiers:
        return "paywalled"
    if "metered" in tiers:
        return "metered"
    if False in flags:
        return "paywalled"
    if "free" in tiers or True in flags:
        return "free"
    return None


@pytest.mark.shared
def test_corpus_access_agrees_with_what_each_page_declares(fundus_manifest):
    from tests.plugins.shared import FUNDUS

    got, disagree = Counter(), []
    for row in fundus_manifest:
        with gzip.open(FUNDUS / row["file"], "rb") as f:
            body = f.read()
        ex = extract(body, row["url"], {"content-type": "text/html"})
        want = declared_access(body.decode(ex.encoding or "utf-8", "replace"))
        got[ex.access] += 1
        if ex.access != want:
            disagree.append((row["file"], ex.access, want))
    print("\naccess over the fundus corpus:", dict(got))
    assert disagree == []
    assert dict(got) == CORPUS_COUNTS


# ------------------------------------------------------------------ index, search, CLI, API

def _docs(make_doc) -> list[dict]:
    values = ["free", "free", "free", "metered", "paywalled", "paywalled", None, None]
    return [make_doc(f"https://news.example.org/access/{i}", title=f"Access story {i}", access=a,
                     source="paper" if i % 2 else "gazette")
            for i, a in enumerate(values)]


@pytest.fixture
def access_loaded(index_client, index_settings, storage, make_doc):
    from pipeline.load import bulk_load

    docs = _docs(make_doc)
    res = bulk_load(index_client, docs, index_settings, storage=storage, run_id="access")
    assert res.created == len(docs) and res.failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)
    return docs


def test_filter_query_and_bad_values():
    from pipeline.settings.index import IndexSettings

    q = build_query(IndexSettings(), "", access="Free, paywalled")
    assert {"terms": {"access": ["free", "paywalled"]}} in q["bool"]["filter"][0]["bool"]["should"]
    for bad in ("gratis", "free,locked", ",", "true"):
        with pytest.raises(SearchError, match="free, metered, paywalled or none"):
            access_filter(bad)


@pytest.mark.es
def test_filter_facet_and_hits_on_the_node(access_loaded, index_client, index_settings):
    def ids(access):
        res = search(index_client, index_settings, "", access=access, size=50)
        return sorted(int(h["url"].rsplit("/", 1)[1]) for h in res["hits"])

    assert ids("free") == [0, 1, 2]
    assert ids("metered,paywalled") == [3, 4, 5]
    assert ids("none") == ids("unknown") == [6, 7]
    assert ids("free,none") == [0, 1, 2, 6, 7]
    assert ids(None) == list(range(8))
    res = search(index_client, index_settings, "", size=50, facets=True)
    assert {b["key"]: b["count"] for b in res["facets"]["access"]} == {"free": 3, "metered": 1, "paywalled": 2}
    assert {int(h["url"].rsplit("/", 1)[1]): h["access"] for h in res["hits"]} == {
        i: d["access"] for i, d in enumerate(access_loaded)}
    # by source: what an analyst charts
    paper = search(index_client, index_settings, "", source="paper", access="paywalled", size=50)
    assert [h["url"] for h in paper["hits"]] == ["https://news.example.org/access/5"]


@pytest.mark.es
def test_ensure_adds_the_field_in_place(index_client, index_settings, monkeypatch):
    from pipeline import mapping
    from pipeline.admin import ensure_index

    with monkeypatch.context() as m:      # an index made before the field
        m.setattr(mapping, "DOCUMENT_FIELDS", {k: v for k, v in mapping.DOCUMENT_FIELDS.items() if k != "access"})
        first = ensure_index(index_client, index_settings)
    index = first["index"]
    assert "access" not in index_client.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    second = ensure_index(index_client, index_settings)
    assert second["added_fields"] == ["access"] and second["needs_migrate"] == []
    props = index_client.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert props["access"]["type"] == "keyword"


@pytest.mark.es
def test_cli_search_access(access_loaded, index_settings, tmp_path):
    from tests.cfgutil import cli_config, run_cli

    cfg = cli_config(tmp_path, index_settings)
    p = run_cli(cfg, "search", "--access", "metered,paywalled", "--json", "--facets")
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)
    assert res["total"] == 3 and {h["access"] for h in res["hits"]} == {"metered", "paywalled"}
    assert {b["key"] for b in res["facets"]["access"]} == {"metered", "paywalled"}
    p = run_cli(cfg, "search", "--access", "free", "--all", "--format", "csv")
    assert p.returncode == 0, p.stderr
    rows = p.stdout.splitlines()
    assert rows[0].endswith(",access") and len(rows) == 4 and all(r.endswith(",free") for r in rows[1:])
    p = run_cli(cfg, "search", "--access", "locked")
    assert p.returncode == 2 and "free, metered, paywalled or none" in p.stderr and not p.stdout


@pytest.mark.es
def test_api_search_access(access_loaded, index_client, index_settings):
    from pipeline.api import create_app
    from tests.test_api import served

    with served(create_app(index_settings, api_key="")) as base:
        r = httpx.get(f"{base}/search", params={"access": "paywalled", "facets": "true"})
        assert r.status_code == 200
        got = r.json()
        assert got["total"] == 2 and {h["access"] for h in got["hits"]} == {"paywalled"}
        assert got["facets"]["access"] == [{"key": "paywalled", "count": 2}]
        assert httpx.get(f"{base}/search", params={"access": "none"}).json()["total"] == 2
        bad = httpx.get(f"{base}/search", params={"access": "premium"})
        assert bad.status_code == 400 and "free, metered, paywalled or none" in bad.json()["error"]
        feed = httpx.get(f"{base}/feed.atom", params={"access": "metered"})
        assert feed.status_code == 200 and feed.text.count("<entry") == 1
