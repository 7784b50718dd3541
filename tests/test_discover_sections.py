"""A ``site`` source reads the feeds its section pages declare (``section_feeds``), politely and bounded."""
from __future__ import annotations

from pipeline.archive import iter_warc
from pipeline.discover import discover_source
from pipeline.sources import Source
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, atom_feed, fast_fetch_settings, robots, rss_feed

_RSS = "application/rss+xml"
_STORIES = ["/2024/05/03/a.html", "/2024/05/03/b.html", "/2024/05/03/c.html", "/2024/05/03/d.html"]


def _feed_link(href: str, kind: str = _RSS) -> str:
    return f'<link rel="alternate" type="{kind}" href="{href}">'


def _site_with_section_feeds(srv, latest: int = 2) -> None:
    """A home page that shows four stories and declares a "latest" feed of ``latest`` of them; its sections declare
    feeds of their own (one disallowed by robots.txt, one missing); one section is disallowed, one missing."""
    srv.route("/robots.txt", robots(disallow=["/members/", "/video/"]))
    srv.route("/", Reply(body=f"""<html><head>{_feed_link('/latest.xml')}</head><body>
        <header><nav><a href="/politics/">Politics</a> <a href="/sport/">Sport</a> <a href="/video/">Video</a>
          <a href="/world/">World</a> <a href="/culture/">Culture</a> <a href="/about">About</a></nav></header>
        <main>{''.join(f'<a href="{p}">Story</a>' for p in _STORIES)}</main></body></html>"""))
    srv.route("/latest.xml", Reply(body=rss_feed([{"url": srv.url(p), "title": p} for p in _STORIES[:latest]]),
                                   content_type=_RSS))
    srv.route("/politics/", Reply(body=f"""<html><head>{_feed_link('/latest.xml')}{_feed_link('/politics/rss.xml')}
        {_feed_link('/members/rss.xml')}<link rel="next" href="/politics/?page=2"></head><body>
        <a href="/2024/05/02/politics-link.html">A story only linked</a></body></html>"""))
    srv.route("/politics/rss.xml", Reply(body=rss_feed([{"url": srv.url("/politics/1.html"), "title": "P1"},
                                                        {"url": srv.url(_STORIES[0]), "title": "A again"}]),
                                         content_type=_RSS, etag='"p1"'))
    srv.route("/sport/", Reply(body=f"<html><head>{_feed_link('/sport/feed.atom', 'application/atom+xml')}</head>"
                                    "<body>Sport</body></html>"))
    srv.route("/sport/feed.atom", Reply(body=atom_feed([{"url": srv.url("/sport/2.html"), "title": "S2",
                                                         "date": "2024-05-03T10:00:00Z"}]),
                                        content_type="application/atom+xml"))
    srv.route("/culture/", Reply(body=f"<html><head>{_feed_link('/culture/rss.xml')}</head><body>Soon</body></html>"))


def test_site_reads_the_feeds_its_section_pages_declare_where_its_home_feeds_give_few_urls(news_server, tmp_path):
    srv = news_server(hosts=1)
    _site_with_section_feeds(srv)
    storage = Storage(tmp_path / "s")
    res = discover_source(Source(name="herald", kind="site", url=srv.url("/")), fast_fetch_settings(), storage)
    # the "latest" feed gave 2 URLs of the 4 stories the home page shows: the sections' feeds are read too
    assert [c.url for c in res.candidates] == [srv.url(p) for p in (
        _STORIES[0], _STORIES[1], "/politics/1.html", "/sport/2.html")]
    assert res.candidates[3].hint_title == "S2" and res.candidates[3].hint_published_at.startswith("2024-05-03")
    assert res.skipped == [(srv.url(_STORIES[0]), "duplicate")]
    # the section pages first (nav order), then their feeds, each once; the home page's feed is not read again
    assert res.fetched_docs == [srv.url(p) for p in ("/", "/latest.xml", "/politics/", "/sport/", "/culture/",
                                                     "/politics/rss.xml", "/sport/feed.atom")]
    # a section page that fails is a dead letter as before; the missing /culture/rss.xml and the disallowed
    # /members/rss.xml were guesses: no dead letters, as the others gave URLs
    assert [(d.key, d.reason, d.record["what"]) for d in res.dead_letters] == [
        (srv.url("/video/"), "robots", "section page"), (srv.url("/world/"), "http_404", "section page")]
    asked = [r.path for r in srv.requests()]
    assert asked.count("/latest.xml") == 1 and "/culture/rss.xml" in asked
    # robots.txt holds for section pages and their feeds; only the feeds are read: no next pages, no article links
    assert not {"/video/", "/members/rss.xml", "/politics/?page=2", "/2024/05/02/politics-link.html",
                "/about"} & set(asked)
    assert srv.min_gap(0) >= 0.05 - 0.003                     # fast_fetch_settings' min_delay, for every request
    archived = {p.url for rel in res.warc_files for p in iter_warc(storage, rel, articles_only=False)}
    assert {srv.url(p) for p in ("/politics/", "/sport/", "/politics/rss.xml", "/sport/feed.atom")} <= archived
    # the section feeds keep their validators like any feed: the next run asks with If-None-Match
    again = discover_source(Source(name="herald", kind="site", url=srv.url("/")), fast_fetch_settings(), storage)
    assert again.not_modified == [srv.url("/politics/rss.xml")]
    assert [c.url for c in again.candidates] == [srv.url(p) for p in (_STORIES[0], _STORIES[1], "/sport/2.html")]


def test_section_feeds_auto_always_never(news_server, tmp_path):
    srv = news_server(hosts=1)
    _site_with_section_feeds(srv, latest=4)
    settings = fast_fetch_settings()
    # auto: the home page's feed gives as many URLs as it shows stories: no section page is read
    res = discover_source(Source(name="auto", kind="site", url=srv.url("/")), settings, Storage(tmp_path / "a"))
    assert [c.url for c in res.candidates] == [srv.url(p) for p in _STORIES] and res.dead_letters == []
    assert not {"/politics/", "/sport/", "/culture/"} & {r.path for r in srv.requests()}
    # always: they are read all the same, bounded by section_pages (the nav's first two: politics and sport)
    res = discover_source(Source(name="always", kind="site", url=srv.url("/"), section_feeds="always",
                                 section_pages=2), settings, Storage(tmp_path / "b"))
    assert [c.url for c in res.candidates] == [srv.url(p) for p in (*_STORIES, "/politics/1.html", "/sport/2.html")]
    assert not {"/video/", "/world/", "/culture/"} & {r.path for r in srv.requests()}
    # never: only the home page's feed, however few URLs it gives
    srv.route("/latest.xml", Reply(body=rss_feed([{"url": srv.url(_STORIES[0]), "title": "A"}]), content_type=_RSS))
    srv.reset_log()
    res = discover_source(Source(name="never", kind="site", url=srv.url("/"), section_feeds="never"), settings,
                          Storage(tmp_path / "n"))
    assert [c.url for c in res.candidates] == [srv.url(_STORIES[0])] and res.dead_letters == []
    assert {r.path for r in srv.requests()} == {"/robots.txt", "/", "/latest.xml"}
    # section_pages: 0 reads none, whatever section_feeds says
    srv.reset_log()
    res = discover_source(Source(name="zero", kind="site", url=srv.url("/"), section_feeds="always",
                                 section_pages=0), settings, Storage(tmp_path / "z"))
    assert [c.url for c in res.candidates] == [srv.url(_STORIES[0])]
    assert {r.path for r in srv.requests()} == {"/robots.txt", "/", "/latest.xml"}


def test_site_without_feeds_reads_its_section_feeds_with_the_article_links(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body="""<html><body><nav><a href="/politics/">Politics</a> <a href="/sport/">Sport</a></nav>
        <a href="/2024/05/03/home.html">Home story</a></body></html>"""))
    srv.route("/politics/", Reply(body=f"""<html><head>{_feed_link('/politics/rss.xml')}</head><body>
        <a href="/2024/05/02/linked.html">Linked story</a></body></html>"""))
    srv.route("/politics/rss.xml", Reply(body=rss_feed([{"url": srv.url("/politics/1.html"), "title": "P1"},
                                                        {"url": srv.url("/2024/05/02/linked.html"), "title": "L"}]),
                                         content_type=_RSS))
    srv.route("/sport/", Reply(body=f"<html><head>{_feed_link('/sport/rss.xml')}</head><body>Sport</body></html>"))
    res = discover_source(Source(name="crawl", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    # no feed or sitemap gave a URL: the sections' feeds (titled, dated items first), then the article links;
    # the missing /sitemap.xml and /sport/rss.xml were guesses
    assert [c.url for c in res.candidates] == [srv.url(p) for p in (
        "/politics/1.html", "/2024/05/02/linked.html", "/2024/05/03/home.html")]
    assert res.candidates[1].hint_title == "L" and res.dead_letters == []
    assert {"/sitemap.xml", "/sport/rss.xml"} <= {r.path for r in srv.requests()}
    # never: the article links only, as before
    res = discover_source(Source(name="never", kind="site", url=srv.url("/"), section_feeds="never"),
                          fast_fetch_settings(), Storage(tmp_path / "n"))
    assert [c.url for c in res.candidates] == [srv.url("/2024/05/03/home.html"), srv.url("/2024/05/02/linked.html")]
    # where nothing gives a URL, the failed section feeds are among the dead letters that say why
    bare = news_server(hosts=1)
    bare.route("/", Reply(body='<html><body><nav><a href="/politics/">Politics</a></nav></body></html>'))
    bare.route("/politics/", Reply(body=f"<html><head>{_feed_link('/politics/rss.xml')}</head><body></body></html>"))
    res = discover_source(Source(name="bare", kind="site", url=bare.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "b"))
    assert res.candidates == [] and sorted((d.key, d.reason) for d in res.dead_letters) == [
        (bare.url("/politics/rss.xml"), "http_404"), (bare.url("/sitemap.xml"), "http_404")]


def test_a_section_page_that_only_links_to_its_feed_has_it_read(news_server, tmp_path):
    srv = news_server(hosts=1)
    srv.route("/", Reply(body=f"""<html><head>{_feed_link('/latest.xml')}</head><body>
        <nav><a href="/business/">Business</a> <a href="/science/">Science</a></nav>
        {''.join(f'<a href="{p}">Story</a>' for p in _STORIES)}</body></html>"""))
    srv.route("/latest.xml", Reply(body=rss_feed([{"url": srv.url(_STORIES[0]), "title": "A"}]), content_type=_RSS))
    # no <link rel="alternate">: a link to the feed in the page, by its path or by its words
    srv.route("/business/", Reply(body='<html><body><a href="/business/feed/">Business feed</a></body></html>'))
    srv.route("/business/feed/", Reply(body=rss_feed([{"url": srv.url("/business/9.html"), "title": "B9"}]),
                                       content_type=_RSS))
    srv.route("/science/", Reply(body='<html><body><a href="/science/updates.xml">RSS</a></body></html>'))
    srv.route("/science/updates.xml", Reply(body=rss_feed([{"url": srv.url("/science/7.html"), "title": "S7"}]),
                                            content_type=_RSS))
    res = discover_source(Source(name="linked", kind="site", url=srv.url("/")), fast_fetch_settings(),
                          Storage(tmp_path / "s"))
    assert [c.url for c in res.candidates] == [srv.url(p) for p in (_STORIES[0], "/business/9.html",
                                                                     "/science/7.html")]
    assert res.dead_letters == []
