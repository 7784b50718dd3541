"""Discovery of each source kind, with filtering, --since, de-duplication and the cap on articles."""
from __future__ import annotations

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.archive import iter_pages
from pipeline.deadletter import read_dead_letters
from pipeline.discover import discover_source, load_candidates, save_candidates
from pipeline.fetcher import fetch_candidates
from pipeline.sources import Source, load_sources
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, atom_feed, dated_atom_feed, fast_fetch_settings, robots, rss_feed, \
    sitemap, sitemap_index


def test_rss_filters_since_duplicates_and_cap(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/robots.txt", robots(disallow=["/feed-private"]))
    items = [
        {"url": srv.url("/news/1.html"), "title": "One", "date": "Mon, 06 May 2024 10:00:00 GMT"},
        {"url": srv.url("/news/1.html?utm_source=rss#top"), "title": "One again"},   # same article
        {"url": "/news/2.html", "title": "Relative link", "date": "Tue, 07 May 2024 10:00:00 GMT"},
        {"url": srv.url("/news/old.html"), "title": "Old", "date": "Mon, 01 Jan 2024 10:00:00 GMT"},
        {"url": srv.url("/live/3.html"), "title": "Live blog"},                   # excluded by pattern
        {"url": srv.url("/img/photo.jpg"), "title": "A photo"},                   # not an article URL
        {"url": "mailto:desk@example.org", "title": "Mail us"},                    # invalid
        {"url": srv.url("/news/4.html"), "title": "Four"},
        {"url": srv.url("/news/5.html"), "title": "Five"},
    ]
    srv.route("/feed.xml", Reply(body=rss_feed(items), content_type="application/rss+xml"))
    src = Source(name="r", kind="rss", url=srv.url("/feed.xml"), exclude=["/live/"], max_articles=3, tags=["t"])
    storage = Storage(tmp_path / "s")
    res = discover_source(src, fast_fetch_settings(), storage, since="2024-05-01", run_id="d")
    assert [c.url for c in res.candidates] == [srv.url("/news/1.html"), srv.url("/news/2.html"),
                                               srv.url("/news/4.html")]
    assert res.candidates[0].hint_title == "One" and res.candidates[0].hint_published_at.startswith("2024-05-06")
    assert res.candidates[2].hint_published_at is None and res.candidates[2].source_tags == ["t"]
    assert sorted(res.filtered) == sorted([(srv.url("/news/old.html"), "too_old"), (srv.url("/live/3.html"), "pattern"),
                                           (srv.url("/img/photo.jpg"), "not_article_url"),
                                           (srv.url("/news/5.html"), "max_articles")])
    assert res.skipped == [(srv.url("/news/1.html?utm_source=rss#top"), "duplicate")]
    assert [(d.key, d.reason) for d in res.dead_letters] == [("mailto:desk@example.org", "invalid_url")]
    # every URL seen is accounted for exactly once
    assert res.seen == len(items) == len(res.candidates) + len(res.filtered) + len(res.skipped) + len(res.dead_letters)
    assert [d["reason"] for d in read_dead_letters(storage, "fetch")] == ["invalid_url"]
    # batches round-trip
    rel = save_candidates(storage, "runs/d/candidates/r/0000.jsonl", res.candidates)
    assert load_candidates(storage, rel) == res.candidates


def test_atom_and_is_known_hook(news_server, tmp_path):
    srv = news_server(hosts=1)
    items = [{"url": srv.url(f"/a/{i}.html"), "title": f"A{i}", "date": "2024-05-03T10:00:00Z"} for i in range(3)]
    srv.route("/atom.xml", Reply(body=atom_feed(items), content_type="application/atom+xml"))
    src = Source(name="a", kind="rss", url=srv.url("/atom.xml"))
    from pipeline.urls import doc_id
    indexed = {doc_id(items[1]["url"])}
    res = discover_source(src, fast_fetch_settings(obey_robots=False), Storage(tmp_path / "s"),
                          is_known=lambda ids: [i for i in ids if i in indexed])
    assert [c.url for c in res.candidates] == [items[0]["url"], items[2]["url"]]
    assert res.skipped == [(items[1]["url"], "already_indexed")]
    assert res.candidates[0].hint_title == "A0"


def test_sitemap_index_news_and_gzip(news_server, tmp_path):
    srv = news_server(hosts=1)
    news = sitemap([{"url": srv.url("/n/1.html"), "title": "Nachricht", "date": "2024-05-03T08:00:00+02:00",
                     "language": "de"}], news=True)
    plain = sitemap([{"url": srv.url("/p/1.html"), "lastmod": "2024-05-02"},
                     {"url": srv.url("/p/old.html"), "lastmod": "2023-01-01"}])
    srv.route("/sm-news.xml", Reply(body=news, content_type="application/xml"))
    srv.route("/sm-plain.xml.gz", Reply(body=gzip.compress(plain), content_type="application/x-gzip"))
    srv.route("/sitemap.xml", Reply(body=sitemap_index([srv.url("/sm-news.xml"), "/sm-plain.xml.gz",
                                                         srv.url("/sm-missing.xml")]),
                                    content_type="application/xml", etag='"i1"'))
    storage = Storage(tmp_path / "s")
    src = Source(name="sm", kind="sitemap", url=srv.url("/sitemap.xml"))
    res = discover_source(src, fast_fetch_settings(obey_robots=False), storage, since="2024-04-01")
    assert [c.url for c in res.candidates] == [srv.url("/n/1.html"), srv.url("/p/1.html")]
    c = res.candidates[0]
    assert (c.hint_title, c.hint_language, c.hint_published_at) == ("Nachricht", "de", "2024-05-03T08:00:00+02:00")
    assert res.filtered == [(srv.url("/p/old.html"), "too_old")]
    assert [(d.key, d.reason) for d in res.dead_letters] == [(srv.url("/sm-missing.xml"), "http_404")]
    again = discover_source(src, fast_fetch_settings(obey_robots=False), storage)
    assert again.not_modified == [srv.url("/sitemap.xml")] and again.candidates == []


def test_demo_files_source(tmp_path):
    demo = next(s for s in load_sources() if s.name == "demo")
    mapping = json.loads(demo.resolve(demo.url_map).read_text(encoding="utf-8"))
    storage = Storage(tmp_path / "s")
    res = discover_source(demo, fast_fetch_settings(), storage)
    assert sorted(c.url for c in res.candidates) == sorted(mapping.values())
    assert all(c.kind == "file" for c in res.candidates)
    fr = fetch_candidates(res.candidates, fast_fetch_settings(), storage, run_id="demo")
    assert fr.counts["fetched"] == len(mapping)
    pages = {p.url: p for p in iter_pages(storage, fr.manifest)}
    for name, url in mapping.items():
        assert pages[url].body == (demo.resolve(demo.path) / name).read_bytes()
        assert pages[url].source == "demo" and pages[url].source_tags == ["demo"]
    # second run: all archived already
    again = discover_source(demo, fast_fetch_settings(), storage)
    assert again.candidates == [] and len(again.skipped) == len(mapping)


def test_files_source_problems_are_dead_letters(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_bytes(b"<html>a</html>")
    (pages / "unmapped.html").write_bytes(b"<html>u</html>")
    (tmp_path / "urls.json").write_text(json.dumps({"a.html": "https://ex.org/a", "gone.html": "https://ex.org/g"}))
    src = Source(name="f", kind="files", path=str(pages), url_map=str(tmp_path / "urls.json"))
    res = discover_source(src, fast_fetch_settings(), Storage(tmp_path / "s"))
    assert [c.url for c in res.candidates] == ["https://ex.org/a"]
    assert sorted(d.reason for d in res.dead_letters) == ["file_missing", "no_url"]


def test_warc_and_urls_sources(tmp_path):
    path = tmp_path / "in.warc.gz"
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for url, ctype, body in [("https://ex.org/a1", "text/html; charset=utf-8", b"<html>one</html>"),
                                 ("https://ex.org/logo.png", "image/png", b"\x89PNG"),
                                 ("https://ex.org/a2", "text/html", b"<html>two</html>")]:
            hh = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=hh))
    storage = Storage(tmp_path / "s")
    res = discover_source(Source(name="w", kind="warc", paths=[str(tmp_path / "*.warc.gz")]), fast_fetch_settings(),
                          storage)
    assert [c.url for c in res.candidates] == ["https://ex.org/a1", "https://ex.org/a2"]
    fr = fetch_candidates(res.candidates, fast_fetch_settings(), storage, run_id="w")
    assert {p.url: p.body for p in iter_pages(storage, fr.manifest)} == {"https://ex.org/a1": b"<html>one</html>",
                                                                         "https://ex.org/a2": b"<html>two</html>"}
    lst = tmp_path / "urls.txt"
    lst.write_text("# comment\nhttps://ex.org/x1\n\nhttps://ex.org/x2\n")
    res2 = discover_source(Source(name="u", kind="urls", urls=["https://ex.org/x0"], file=str(lst)),
                           fast_fetch_settings(), storage)
    assert [c.url for c in res2.candidates] == ["https://ex.org/x0", "https://ex.org/x1", "https://ex.org/x2"]


def test_site_reads_the_feeds_of_its_home_page_and_the_news_sitemaps_of_its_robots(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/robots.txt", Reply(body=f"User-agent: *\nDisallow: /private/\nSitemap: {srv.url('/sitemap-news.xml')}"
                                        f"\nSitemap: /sitemap-archive.xml\n", content_type="text/plain"))
    srv.route("/", Reply(body='<html><head><title>Riverton Herald</title>'
                              '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                              '<link rel="alternate" hreflang="fr" href="/fr/">'
                              '<link rel="alternate" type="application/rss+xml" href=" ">'
                              '<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">'
                              '</head><body><a href="/news/9.html">not read</a></body></html>'))
    srv.route("/feed.xml", Reply(body=rss_feed([{"url": srv.url("/news/1.html"), "title": "One"},
                                                {"url": "/news/2.html", "title": "Two"}]),
                                 content_type="application/rss+xml"))
    srv.route("/atom.xml", Reply(body=atom_feed([{"url": srv.url("/private/5.html"), "title": "Five",
                                                  "date": "2024-05-03T10:00:00Z"}]),
                                 content_type="application/atom+xml"))
    srv.route("/sitemap-news.xml", Reply(body=sitemap([{"url": srv.url("/news/2.html"), "title": "Two"},
                                                       {"url": srv.url("/news/3.html"), "title": "Three"}], news=True),
                                         content_type="application/xml"))
    srv.route("/sitemap-archive.xml", Reply(body=sitemap([{"url": srv.url("/old/1.html")}]),
                                            content_type="application/xml"))
    res = discover_source(Source(name="herald", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    # the feeds and the news sitemap; the archive sitemap is left alone where a news one is listed
    # (in the order read: the feeds, then the sitemaps; robots.txt's rules for articles apply when they are fetched)
    assert [c.url for c in res.candidates] == [srv.url(p) for p in ("/news/1.html", "/news/2.html",
                                                                     "/private/5.html", "/news/3.html")]
    assert res.skipped == [(srv.url("/news/2.html"), "duplicate")] and res.dead_letters == []
    assert res.fetched_docs == [srv.url(p) for p in ("/", "/feed.xml", "/atom.xml", "/sitemap-news.xml")]
    asked = {r.path for r in srv.requests()}
    assert "/robots.txt" in asked and "/sitemap-archive.xml" not in asked and "/news/9.html" not in asked


def test_site_without_feeds_or_sitemaps_tries_sitemap_xml_and_says_what_failed(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="<html><head><title>Bare</title></head><body>Hello</body></html>"))
    srv.route("/sitemap.xml", Reply(body=sitemap([{"url": srv.url("/a/1.html")}]), content_type="application/xml"))
    # no robots.txt (404): everything allowed, no sitemaps listed; also without obeying robots
    for obey in (True, False):
        res = discover_source(Source(name="bare", kind="site", url=srv.url("/")), fast_fetch_settings(obey_robots=obey),
                              Storage(tmp_path / f"s{obey}"))
        assert [c.url for c in res.candidates] == [srv.url("/a/1.html")] and res.dead_letters == []
    # a home page that is no HTML at all reads as one without feeds
    odd = news_server(hosts=1)
    odd.route("/", Reply(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, content_type="image/png"))
    odd.route("/sitemap.xml", Reply(body=sitemap([{"url": odd.url("/a/2.html")}]), content_type="application/xml"))
    res = discover_source(Source(name="odd", kind="site", url=odd.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "o"))
    assert [c.url for c in res.candidates] == [odd.url("/a/2.html")] and res.dead_letters == []
    # nothing there at all: the missing sitemap is the dead letter that says so
    empty = news_server(hosts=1)
    empty.route("/", Reply(body="<html><body>Hello</body></html>"))
    res = discover_source(Source(name="empty", kind="site", url=empty.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "e"))
    assert res.candidates == [] and [(d.key, d.reason) for d in res.dead_letters] == [
        (empty.url("/sitemap.xml"), "http_404")]
    # robots.txt failing: one dead letter, and the site is not asked for anything else
    down = news_server(hosts=1)
    down.route("/robots.txt", Reply(status=503, body="busy", content_type="text/plain"))
    res = discover_source(Source(name="down", kind="site", url=down.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "d"))
    assert [(d.key, d.reason) for d in res.dead_letters] == [(down.url("/robots.txt"), "robots_unavailable")]
    assert {r.path for r in down.requests()} == {"/robots.txt"}


def test_site_without_feeds_or_sitemaps_reads_the_article_links_of_its_home_page(news_server, tmp_path):
    srv = news_server(hosts=1)
    links = ["/politics/council-votes-on-the-new-budget", "/2024/05/03/storm.html", "/story/123456",
             "/politics/council-votes-on-the-new-budget#comments", "/search?q=council-votes-on-the-budget",
             "/img/a-b-c-d.jpg", "https://elsewhere.example/x-y-z-w-v", "mailto:desk@example.org"]
    srv.route("/", Reply(body="<html><body><nav><a href='/'>Home</a></nav>"
                              + "".join(f"<a href='{h}'>link</a>" for h in links) + "</body></html>"))
    storage = Storage(tmp_path / "s")
    res = discover_source(Source(name="links", kind="site", url=srv.url("/")), fast_fetch_settings(), storage)
    # only the article-like links of the site itself, each once; the guessed /sitemap.xml (404) was asked and,
    # as the links gave URLs, is no dead letter
    assert [c.url for c in res.candidates] == [srv.url(p) for p in ("/politics/council-votes-on-the-new-budget",
                                                                     "/2024/05/03/storm.html", "/story/123456")]
    assert res.dead_letters == [] and "/sitemap.xml" in {r.path for r in srv.requests()}
    # where a feed gives URLs, the home page's links are not read
    srv.route("/", Reply(body="<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
                              "</head><body><a href='/story/654321'>x</a><nav><a href='/sport'>Sport</a></nav>"
                              "</body></html>"))
    srv.route("/feed.xml", Reply(body=rss_feed([{"url": srv.url("/news/1.html"), "title": "One"}]),
                                 content_type="application/rss+xml"))
    res = discover_source(Source(name="feed", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "f"))
    assert [c.url for c in res.candidates] == [srv.url("/news/1.html")]
    assert "/sport" not in {r.path for r in srv.requests()}


def test_site_reads_the_feeds_its_links_point_to_where_it_declares_none(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="""<html><head><title>Riverton Herald</title></head><body>
        <main><a href="/story/123456">A story</a></main>
        <footer><a href="/rss">Feeds</a> <a href="/syndication/latest">RSS</a> <a href="/feeds/">All our feeds</a>
          <a href="https://elsewhere.example/rss">Partner feed</a> <a href="/rss#top">Feeds again</a></footer>
        </body></html>"""))
    srv.route("/rss", Reply(body=rss_feed([{"url": srv.url("/news/1.html"), "title": "One"}]),
                            content_type="application/rss+xml"))
    srv.route("/syndication/latest", Reply(body=atom_feed([{"url": srv.url("/news/2.html"), "title": "Two",
                                                            "date": "2024-05-03T10:00:00Z"}]),
                                           content_type="application/atom+xml"))
    srv.route("/feeds/", Reply(body="<html><body><p>Our feeds: news, sport</p></body></html>"))   # no feed
    res = discover_source(Source(name="linked", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    # the linked feeds' items; the home page's own links are not needed then
    assert [c.url for c in res.candidates] == [srv.url("/news/1.html"), srv.url("/news/2.html")]
    # "/feeds/" (no feed) and the guessed /sitemap.xml (404) were guesses: no dead letters, as the others gave URLs
    assert res.dead_letters == []
    asked = [r.path for r in srv.requests()]
    assert {"/rss", "/syndication/latest", "/feeds/", "/sitemap.xml"} <= set(asked) and asked.count("/rss") == 1
    # where nothing gives a URL, the failed guesses are the dead letters that say why
    bare, res = _site_linking_a_feed_page(news_server, tmp_path, "<html><body>Soon.</body></html>")
    assert res.candidates == [] and sorted((d.key, d.reason) for d in res.dead_letters) == [
        (bare.url("/feeds/"), "bad_feed"), (bare.url("/sitemap.xml"), "http_404")]


def _site_linking_a_feed_page(news_server, tmp_path, feeds_page: str):
    """(server, discovery result) of a site whose home page links only to "/feeds/", a page with ``feeds_page``."""
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="<html><body><a href='/feeds/'>RSS</a></body></html>"))
    srv.route("/feeds/", Reply(body=feeds_page))
    return srv, discover_source(Source(name="bare", kind="site", url=srv.url("/")), fast_fetch_settings(),
                                Storage(tmp_path / "bare"))


def test_site_reads_the_feeds_a_linked_feed_page_lists(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="""<html><body><main><p>Today</p></main>
        <footer><a href="/feeds/">RSS feeds</a></footer></body></html>"""))
    # the page that lists the feeds: one declared in its head, two linked, one of them broken, one elsewhere
    srv.route("/feeds/", Reply(body="""<html><head>
        <link rel="alternate" type="application/rss+xml" href="/news/rss.xml"></head><body>
        <ul><li><a href="/sport/rss.xml">Sport</a></li><li><a href="/culture/rss.xml">Culture</a></li>
          <li><a href="/news/rss.xml">News</a></li><li><a href="/feeds/">All feeds</a></li>
          <li><a href="https://elsewhere.example/rss.xml">Partner</a></li></ul></body></html>"""))
    srv.route("/news/rss.xml", Reply(body=rss_feed([{"url": srv.url("/news/1.html"), "title": "One"}]),
                                     content_type="application/rss+xml"))
    srv.route("/sport/rss.xml", Reply(body=rss_feed([{"url": srv.url("/sport/2.html"), "title": "Two"},
                                                     {"url": srv.url("/news/1.html"), "title": "One"}]),
                                      content_type="application/rss+xml"))
    res = discover_source(Source(name="feedpage", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    # the listed feeds' items, each once; the feed page, the missing /culture/rss.xml and the guessed
    # /sitemap.xml were guesses: no dead letters, as the others gave URLs
    assert [c.url for c in res.candidates] == [srv.url("/news/1.html"), srv.url("/sport/2.html")]
    assert res.dead_letters == []
    asked = [r.path for r in srv.requests()]
    assert asked.count("/feeds/") == 1 and asked.count("/news/rss.xml") == 1 and "/culture/rss.xml" in asked
    # a feed page whose feeds all fail: each failure is a dead letter that says why
    bare, res = _site_linking_a_feed_page(news_server, tmp_path,
                                          "<html><body><a href='/all/rss.xml'>All</a></body></html>")
    assert res.candidates == [] and sorted((d.key, d.reason) for d in res.dead_letters) == [
        (bare.url("/all/rss.xml"), "http_404"), (bare.url("/feeds/"), "bad_feed"),
        (bare.url("/sitemap.xml"), "http_404")]
    # an rss source configured with such a page: its dead letter names the feeds it lists and the fix
    res = discover_source(Source(name="page", kind="rss", url=srv.url("/feeds/")), fast_fetch_settings(),
                          Storage(tmp_path / "r"))
    assert res.candidates == [] and [(d.reason, d.error) for d in res.dead_letters] == [
        ("bad_feed", f"feed {srv.url('/feeds/')} is no RSS, RDF or Atom feed: a page that links to feeds "
                     f"({srv.url('/news/rss.xml')}, {srv.url('/sport/rss.xml')}, {srv.url('/culture/rss.xml')}); "
                     f"name one of them, or the site with kind: site")]


def test_site_without_feeds_or_sitemaps_reads_its_section_pages_then_their_sub_sections(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="""<html><body>
        <header><nav><a href="/">Home</a> <a href="/politics/">Politics</a> <a href="/sport">Sport</a>
          <a href="/about-us">About us</a> <a href="/newsletter">Newsletter</a> <a href="/login">Log in</a>
          <a href="/logo.png">logo</a></nav></header>
        <main><h2><a href="/world/">World</a></h2>
          <h2><a href="/city/budget">Council votes on the budget</a></h2>
          <p><a href="/city/schools">Schools</a> <a href="/2024/05/03/storm.html">Storm</a></p></main>
        </body></html>"""))
    srv.route("/politics/", Reply(body="""<html><body><nav><a href="/sport">Sport</a> <a href="/">Home</a></nav>
        <article><h3><a href="/politics/mayor">Mayor quits after four years</a></h3></article>
        <a href="/politics/budget-row-deepens-over-night">Budget row</a> <a href="/politics/local">Local</a>
        <a href="/2024/05/03/storm.html">Storm again</a></body></html>"""))
    srv.route("/sport", Reply(body='<html><body><a href="/sport/2024/05/04/derby">Derby</a> '
                                   '<a href="/sport/football">Football</a> <a href="/politics/">Politics</a>'
                                   '</body></html>'))
    srv.route("/politics/local", Reply(body='<html><body><a href="/2024/05/05/fair.html">Fair</a></body></html>'))
    srv.route("/city/schools", Reply(body="<html><body>No stories yet.</body></html>"))
    # /world/ is not there: its 404 is a dead letter (the links found still win over the guessed /sitemap.xml)
    res = discover_source(Source(name="sections", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    assert [c.url for c in res.candidates] == [srv.url(p) for p in (
        "/city/budget", "/2024/05/03/storm.html",                                   # the home page's own
        "/politics/mayor", "/politics/budget-row-deepens-over-night",               # its sections', nav first
        "/sport/2024/05/04/derby",
        "/2024/05/05/fair.html")]                                                   # then their sub-sections'
    # a sub-section that is not there (/sport/football) was a guess: no dead letter, as links were found
    assert [(d.key, d.reason, d.record["what"]) for d in res.dead_letters] == [
        (srv.url("/world/"), "http_404", "section page")]
    asked = [r.path for r in srv.requests()]
    # each section once ("/city/schools": two steps, no article's path, no headline: a section), then the
    # sub-sections below a section (not the menu's other sections again); no service pages or files
    assert {"/politics/", "/sport", "/world/", "/city/schools"} <= set(asked)
    assert asked.index("/politics/local") > asked.index("/city/schools") and "/sport/football" in asked
    assert not {"/about-us", "/newsletter", "/login", "/logo.png"} & set(asked)
    assert asked.count("/sport") == 1 and asked.count("/politics/") == 1
    # section_pages bounds how many are read (nav links first); 0 reads the home page's links only
    res = discover_source(Source(name="two", kind="site", url=srv.url("/"), section_pages=1), fast_fetch_settings(),
                          Storage(tmp_path / "t"))
    assert [c.url for c in res.candidates][2:] == [srv.url("/politics/mayor"),         # not its sub-sections
                                                  srv.url("/politics/budget-row-deepens-over-night")]
    res = discover_source(Source(name="none", kind="site", url=srv.url("/"), section_pages=0), fast_fetch_settings(),
                          Storage(tmp_path / "n"))
    assert [c.url for c in res.candidates] == [srv.url("/city/budget"), srv.url("/2024/05/03/storm.html")]


def test_site_sections_are_followed_to_their_next_pages_after_every_first_page(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="""<html><body><nav><a href="/politics/">Politics</a> <a href="/sport/">Sport</a>
        </nav></body></html>"""))
    pages = {  # page 1 names page 2 in its head, as a query; page 2 names page 3 in its body, as a path
        "/politics/": """<html><head><link rel="next" href="/politics/?page=2"></head><body>
            <a href="/2024/05/03/vote.html">Vote</a></body></html>""",
        "/politics/?page=2": """<html><body><a href="/2024/05/01/poll.html">Poll</a>
            <a rel="prev" href="/politics/">Newer</a> <a rel="Next nofollow" href="/politics/page/3#list">Older</a>
            </body></html>"""}
    srv.route("/politics/", lambda req: Reply(body=pages[req.path]))
    srv.route("/politics/page/3", Reply(body="""<html><body><a href="/2024/04/28/debate.html">Debate</a>
        <a rel="next" href="https://elsewhere.example/politics/page/4">Older</a></body></html>"""))
    srv.route("/sport/", Reply(body="""<html><body><a href="/2024/05/04/derby.html">Derby</a>
        <a rel="next" href="/sport/">Again</a></body></html>"""))
    res = discover_source(Source(name="paged", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    # first pages first, then page 2, then page 3; a next page on another host or the page itself is not read
    assert [c.url for c in res.candidates] == [srv.url(p) for p in (
        "/2024/05/03/vote.html", "/2024/05/04/derby.html", "/2024/05/01/poll.html", "/2024/04/28/debate.html")]
    asked = [r.path for r in srv.requests()]
    assert asked.count("/sport/") == 1 and asked.count("/politics/?page=2") == 1 and "/politics/page/3" in asked
    # section_pages counts the next pages too
    res = discover_source(Source(name="three", kind="site", url=srv.url("/"), section_pages=3), fast_fetch_settings(),
                          Storage(tmp_path / "t"))
    assert [c.url for c in res.candidates][-1] == srv.url("/2024/05/01/poll.html")


def test_unreachable_feed_is_a_dead_letter(tmp_path):
    src = Source(name="offline", kind="rss", url="https://feeds.example.invalid/rss.xml")
    res = discover_source(src, fast_fetch_settings(), Storage(tmp_path / "s"))
    assert [(d.key, d.reason) for d in res.dead_letters] == [("https://feeds.example.invalid/rss.xml", "dns_error")]


def test_an_article_listed_as_updated_after_its_fetch_is_fetched_again(news_server, tmp_path):
    """fetch.refetch_updated_days: an archived article whose feed entry's <updated> (or sitemap <lastmod>) is later
    than its fetch, and whose publication date is recent, is a candidate again with a conditional GET; the rest of
    what was archived stays skipped (already_archived), whatever the index knows."""
    import datetime as dt
    import time

    from pipeline.fetcher import Ledger
    from pipeline.urls import doc_id

    srv = news_server(hosts=1)
    now = dt.datetime.now(dt.timezone.utc)
    recent, old = now - dt.timedelta(hours=3), now - dt.timedelta(days=5)
    fresh, stale, plain = srv.url("/n/fresh.html"), srv.url("/n/stale.html"), srv.url("/p/plain.html")
    plain2 = srv.url("/p/plain2.html")

    def atom(updated: dt.datetime) -> Reply:     # two minutes apart: times of their own, no stamp (one_stamp)
        return dated_atom_feed([{"url": url, "title": f"T{i}", "published": pub,
                                 "updated": updated + dt.timedelta(minutes=2 * i)}
                                for i, (url, pub) in enumerate(((fresh, recent), (stale, old)))])

    def lastmod(when: dt.datetime) -> Reply:      # a plain sitemap that stamps its entries with the time it is made
        return Reply(body=sitemap([{"url": u, "lastmod": when.isoformat()} for u in (plain, plain2)]),
                     content_type="application/xml")

    srv.route("/n/fresh.html", Reply(body="<html><body><p>First version</p></body></html>", etag='"v1"'))
    srv.route("/n/stale.html", Reply(body="<html><body><p>Old story</p></body></html>"))
    srv.route("/p/plain.html", Reply(body="<html><body><p>Plain</p></body></html>"))
    srv.route("/p/plain2.html", Reply(body="<html><body><p>Plain too</p></body></html>"))
    srv.route("/atom.xml", atom(recent))
    srv.route("/sitemap.xml", lastmod(recent))
    storage = Storage(tmp_path / "s")
    settings = fast_fetch_settings(obey_robots=False)
    feed = Source(name="f", kind="rss", url=srv.url("/atom.xml"))
    plain_map = Source(name="m", kind="sitemap", url=srv.url("/sitemap.xml"))
    everything_indexed = lambda ids: list(ids)         # noqa: E731  (the index holds every article)

    def discover(source, run, **kw):
        return discover_source(source, kw.pop("settings", settings), storage, run_id=run, **kw)

    first = [c for s in (feed, plain_map) for c in discover(s, "r1").candidates]
    assert fetch_candidates(first, settings, storage, run_id="r1").counts["fetched"] == 4
    # nothing changed since: all three are already archived
    res = discover(feed, "r2", is_known=everything_indexed)
    assert (res.candidates, sorted(res.skipped)) == ([], [(fresh, "already_archived"), (stale, "already_archived")])

    # the feed says both changed after the fetch: the recent one is fetched again (the index has it, no matter),
    # the one published five days ago is not; a sitemap stamped with the time it was made fetches nothing again
    changed = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    srv.route("/atom.xml", atom(changed))
    srv.route("/sitemap.xml", lastmod(changed))
    srv.route("/n/fresh.html", Reply(body="<html><body><p>Corrected version</p></body></html>", etag='"v2"'))
    time.sleep(1.1)
    res = discover(feed, "r3", is_known=everything_indexed)
    assert [(c.url, c.refetch, c.etag) for c in res.candidates] == [(fresh, True, '"v1"')]
    assert (res.updated, res.skipped, res.counts["updated"]) == ([fresh], [(stale, "already_archived")], 1)
    assert discover(plain_map, "r3").skipped == [(plain, "already_archived"), (plain2, "already_archived")]
    assert discover(feed, "r3", settings=fast_fetch_settings(obey_robots=False, refetch_updated_days=None)
                    ).candidates == []
    out = fetch_candidates(res.candidates, settings, storage, run_id="r3")
    assert out.counts["fetched"] == 1
    pages = list(iter_pages(storage, [o.warc_ref for o in out.outcomes]))
    assert b"Corrected version" in pages[0].body
    # fetched after the update: not again
    assert discover(feed, "r4").candidates == []

    # updated again, but the page is the same: a 304, and the check counts as a fetch for the next listing
    srv.route("/atom.xml", atom(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)))
    time.sleep(1.1)
    again = discover(feed, "r5").candidates
    assert [c.url for c in again] == [fresh]
    assert fetch_candidates(again, settings, storage, run_id="r5").counts["not_modified"] == 1
    assert Ledger.load(storage).get(doc_id(fresh)).get("checked_at")
    assert discover(feed, "r6").candidates == []


def test_a_feed_entry_with_updated_alone_is_fetched_again_while_its_first_fetch_is_recent(news_server, tmp_path):
    """An Atom entry that gives no publication date, only <updated>: its age is that of our first fetch of it, which
    a re-fetch carries on to its new ledger entry (so an article that keeps changing is not fetched again for
    ever)."""
    import datetime as dt
    import time

    from pipeline.fetcher import LEDGER_DIR, Ledger
    from pipeline.urls import doc_id

    srv = news_server(hosts=1)
    young, old, slid = srv.url("/n/young.html"), srv.url("/n/old.html"), srv.url("/n/slid.html")
    for name in ("young", "old", "slid"):
        srv.route(f"/n/{name}.html", Reply(body="<html><body><p>First</p></body></html>"))

    def atom(updated: dt.datetime) -> Reply:     # times of their own (two minutes apart), no stamp (one_stamp)
        return dated_atom_feed([{"url": u, "title": u[-10:], "updated": updated + dt.timedelta(minutes=2 * i)}
                                for i, u in enumerate((young, old, slid))])

    storage = Storage(tmp_path / "s")
    settings = fast_fetch_settings(obey_robots=False)
    feed = Source(name="f", kind="rss", url=srv.url("/atom.xml"))
    now = dt.datetime.now(dt.timezone.utc)
    srv.route("/atom.xml", atom(now - dt.timedelta(hours=1)))
    first = discover_source(feed, settings, storage, run_id="r1").candidates
    assert [c.url for c in first] == [young, old, slid] and not any(c.first_fetched_at for c in first)
    fetched = fetch_candidates([c for c in first if c.url == young], settings, storage, run_id="r1")
    assert fetched.counts["fetched"] == 1
    young_first = Ledger.load(storage).get(doc_id(young))["fetched_at"]
    assert "first_fetched_at" not in Ledger.load(storage).get(doc_id(young))
    # fetched five days ago; and fetched an hour ago again, but first five days ago (a re-fetch's entry)
    days_ago, hour_ago = (now - dt.timedelta(days=5)).isoformat(), (now - dt.timedelta(hours=1)).isoformat()
    storage.write_jsonl(f"{LEDGER_DIR}/older.jsonl", [
        {"id": doc_id(old), "url": old, "warc_ref": "w#1", "fetched_at": days_ago},
        {"id": doc_id(slid), "url": slid, "warc_ref": "w#2", "fetched_at": hour_ago, "first_fetched_at": days_ago}])

    srv.route("/atom.xml", atom(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)))
    srv.route("/n/young.html", Reply(body="<html><body><p>Corrected</p></body></html>"))
    time.sleep(1.1)
    res = discover_source(feed, settings, storage, run_id="r2")
    assert [(c.url, c.refetch, c.first_fetched_at) for c in res.candidates] == [(young, True, young_first)]
    assert sorted(res.skipped) == sorted([(old, "already_archived"), (slid, "already_archived")])
    assert fetch_candidates(res.candidates, settings, storage, run_id="r2").counts["fetched"] == 1
    entry = Ledger.load(storage).get(doc_id(young))
    assert entry["fetched_at"] > young_first and entry["first_fetched_at"] == young_first
    assert Ledger.first_fetch(entry) == young_first
    assert discover_source(feed, settings, storage, run_id="r3").candidates == []


def test_a_listing_that_stamps_every_entry_with_the_time_it_is_made_brings_nothing_back(news_server, tmp_path):
    """A feed or sitemap whose entries all carry one update time (within a minute: the time the CMS made it) gives
    no update times: its young articles are not fetched again at each run, and that time is no entry's publication
    date (no hint), though ``since`` still reads it. A plain sitemap whose ``<lastmod>`` are each entry's own: an
    entry first fetched within ``refetch_updated_days`` is fetched again when its time moves, one first fetched
    five days ago is not."""
    import datetime as dt
    import time

    from pipeline.discover import one_stamp
    from pipeline.fetcher import LEDGER_DIR, Ledger
    from pipeline.urls import doc_id

    srv = news_server(hosts=1)
    a, b, new, old = (srv.url(f"/p/{n}.html") for n in ("a", "b", "new", "old"))
    for u in (a, b, new, old):
        srv.route(u[len(srv.url("")):], Reply(body="<html><body><p>First</p></body></html>"))
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)      # as the listings write it
    published = now - dt.timedelta(hours=5)

    def stamped_feed(made: dt.datetime) -> Reply:      # every entry's <updated> the time the feed is made
        return dated_atom_feed([{"url": u, "title": u[-6:], "published": published,
                                 "updated": made + dt.timedelta(seconds=i)} for i, u in enumerate((a, b))])

    def plain_map(times: dict) -> Reply:                # no publication dates, one <lastmod> per entry
        return Reply(body=sitemap([{"url": u, "lastmod": t.isoformat()} for u, t in times.items()]),
                     content_type="application/xml")

    storage = Storage(tmp_path / "s")
    settings = fast_fetch_settings(obey_robots=False)
    feed = Source(name="f", kind="rss", url=srv.url("/atom.xml"))
    pages = Source(name="m", kind="sitemap", url=srv.url("/sitemap.xml"))
    srv.route("/atom.xml", stamped_feed(now - dt.timedelta(minutes=5)))
    hour_ago, two_hours_ago = now - dt.timedelta(hours=1), now - dt.timedelta(hours=2)
    srv.route("/sitemap.xml", plain_map({new: hour_ago, old: two_hours_ago}))
    first = discover_source(feed, settings, storage, run_id="r1").candidates
    assert [(c.url, c.hint_published_at) for c in first] == [(a, published.isoformat()), (b, published.isoformat())]
    listed = discover_source(pages, settings, storage, run_id="r1").candidates
    # a lastmod of the entry's own is the only date a plain sitemap gives: kept as the hint, as before
    assert [(c.url, c.hint_published_at) for c in listed] == [(new, hour_ago.isoformat()),
                                                               (old, two_hours_ago.isoformat())]
    assert fetch_candidates(first + listed[:1], settings, storage, run_id="r1").counts["fetched"] == 3
    storage.write_jsonl(f"{LEDGER_DIR}/older.jsonl", [        # first fetched five days ago
        {"id": doc_id(old), "url": old, "warc_ref": "w#1", "fetched_at": (now - dt.timedelta(days=5)).isoformat()}])

    # the feed is made again: a new stamp on every entry, which changed nothing
    srv.route("/atom.xml", stamped_feed(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)))
    srv.route("/sitemap.xml", plain_map({new: dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1),
                                         old: dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=3)}))
    srv.route("/p/new.html", Reply(body="<html><body><p>Corrected</p></body></html>"))
    time.sleep(1.1)
    res = discover_source(feed, settings, storage, run_id="r2")
    assert (res.candidates, sorted(res.skipped)) == ([], [(a, "already_archived"), (b, "already_archived")])
    res = discover_source(pages, settings, storage, run_id="r2")
    assert [(c.url, c.refetch) for c in res.candidates] == [(new, True)]
    assert (res.updated, res.skipped) == ([new], [(old, "already_archived")])
    assert fetch_candidates(res.candidates, settings, storage, run_id="r2").counts["fetched"] == 1
    assert Ledger.load(storage).get(doc_id(new))["first_fetched_at"]

    # a sitemap stamped with one time: no hint from it, and `since` still leaves it out when that time is older
    made = now - dt.timedelta(days=3)
    srv.route("/sitemap.xml", plain_map({srv.url("/p/c.html"): made, srv.url("/p/d.html"): made}))
    fresh = Storage(tmp_path / "t")
    res = discover_source(pages, settings, fresh, run_id="s1")
    assert [(c.url[-6:], c.hint_published_at) for c in res.candidates] == [("c.html", None), ("d.html", None)]
    res = discover_source(pages, settings, fresh, run_id="s2", since=(now - dt.timedelta(days=1)).isoformat())
    assert (res.candidates, [why for _, why in res.filtered]) == ([], ["too_old", "too_old"])

    # what one stamp is: two times or more, all within a minute; None does not count
    t = dt.datetime(2026, 12, 1, 10, tzinfo=dt.timezone.utc)
    assert one_stamp([t, t + dt.timedelta(seconds=59), None, "2026-12-01T10:00:30Z"])
    assert not one_stamp([t, t + dt.timedelta(seconds=61)])
    assert not one_stamp([t, None]) and not one_stamp([]) and not one_stamp(["no time", "no time"])


def test_the_ledger_keeps_each_articles_latest_fetch_whatever_order_its_segments_are_listed_in(tmp_path):
    """A manual run's segment name sorts before a scheduled one's: the entry kept is the latest fetch (or a check
    answered 304 after it), not the one read last, so an updated article is not fetched again and again."""
    from pipeline.fetcher import LEDGER_DIR, Ledger

    storage = Storage(tmp_path)

    def entry(did: str, fetched: str, ref: str, **more) -> dict:
        return {"id": did, "url": f"https://x.example/{did}", "warc_ref": ref, "fetched_at": fetched, **more}

    storage.write_jsonl(f"{LEDGER_DIR}/scheduled__2026-12-01T06_00_00_00_00-aaaa.jsonl", [
        entry("a", "2026-12-01T06:00:05+00:00", "old-a"),
        entry("b", "2026-12-01T06:00:05+00:00", "b", checked_at="2026-12-01T09:00:00+00:00"),
        entry("c", "2026-12-01T06:00:05+00:00", "new-c")])
    storage.write_jsonl(f"{LEDGER_DIR}/manual__2026-12-01T08_00_00-bbbb.jsonl", [
        entry("a", "2026-12-01T08:00:05+00:00", "new-a"),          # refetched in a manual run, listed first
        entry("b", "2026-12-01T06:00:05+00:00", "b"),               # the same fetch without the later check
        entry("c", "not a time", "old-c")])                         # a time that cannot be read loses
    assert [n.rsplit("/", 1)[-1][:6] for n in storage.listdir(LEDGER_DIR, "*.jsonl")] == ["manual", "schedu"]
    led = Ledger.load(storage)
    assert led.get("a")["warc_ref"] == "new-a"
    assert led.get("b").get("checked_at") == "2026-12-01T09:00:00+00:00"
    assert led.get("c")["warc_ref"] == "new-c"
